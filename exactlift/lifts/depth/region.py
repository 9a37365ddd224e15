"""T6: the (L1) region of (A, c) and how it shrinks with more data (docs/depth.md).

**exactlift formalization of arXiv 2205.13283.**  For one inserted neuron
u = σ′(a·h + c), (L1) on the training representations h_1..h_n asks all
t_i = a·h_i + c to lie in one open linear piece (lo, hi) of σ′.  In
w = (a, c) ∈ R^{m_q+1} that is the union over the pieces of the open
polyhedra

    { w : h̃_i·w > lo and −h̃_i·w > −hi for i = 1..n },   h̃_i = (h_i, 1),

listed exactly by :func:`l1_region` (a list of strict linear inequalities per
piece).  Neurons are independent, so for m′ inserted neurons the region is
the m′-fold product.  If S ⊆ S′ every inequality of S is one of S′: the
region for S′ is contained in the region for S (**T6**; for a fixed shallow
θ, the lifted set for S′ is contained in the one for S).

Two exact measurements of the volume fraction inside the box [−R, R]^{m_q+1}:

* :func:`area_fraction` (m_q = 1, so w ∈ R²): every piece is a convex polygon;
  the box is clipped by each half-plane (Sutherland–Hodgman in exact
  rationals) and the areas added by the shoelace formula — an *exact* area;
* :func:`grid_fraction` (any m_q): exact count of the centres of an N^{m_q+1}
  grid of cells that lie in the region — an exact count of a Riemann-sum
  estimate of the volume (the nesting is exact for the counts too).

>>> from fractions import Fraction as F
>>> area_fraction(l1_region([[F(0)]]), 1)
Fraction(1, 1)
>>> area_fraction(l1_region([[F(-1)], [F(1)]]), 1)
Fraction(1, 2)
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

from exactlift.arith.contexts import parse_rational
from exactlift.errors import InputError
from exactlift.lifts.depth.insertion import SOURCE, check_insertable, piece_text
from exactlift.lifts.depth.theorems import TheoremCheck
from exactlift.nn.activations import parse_activation

__all__ = ["StrictInequality", "L1Piece", "L1Region", "l1_region", "area_fraction", "grid_fraction", "check_more_data"]

ZERO = Fraction(0)


@dataclass(frozen=True)
class StrictInequality:
    """coeffs · w > rhs, with w = (a_1, …, a_m, c)."""

    coeffs: tuple[Fraction, ...]
    rhs: Fraction

    def holds(self, w: Sequence[Fraction]) -> bool:
        return sum((x * y for x, y in zip(self.coeffs, w)), ZERO) > self.rhs

    def __str__(self) -> str:
        names = [f"a{j}" for j in range(len(self.coeffs) - 1)] + ["c"]
        terms = " + ".join(f"{x}*{n}" for x, n in zip(self.coeffs, names) if x) or "0"
        return f"{terms} > {self.rhs}"


@dataclass(frozen=True)
class L1Piece:
    """The open polyhedron of (a, c) putting every training pre-activation in one piece."""

    piece: int
    interval: str
    slope: Fraction
    inequalities: tuple[StrictInequality, ...]

    def contains(self, w: Sequence[Any]) -> bool:
        w = [parse_rational(x) for x in w]
        return all(ineq.holds(w) for ineq in self.inequalities)


@dataclass(frozen=True)
class L1Region:
    """The (L1) region of one inserted neuron: a union of open polyhedra (one per linear piece)."""

    activation: str
    dim: int
    pieces: tuple[L1Piece, ...]
    n_samples: int
    source: str = SOURCE

    def contains(self, w: Sequence[Any]) -> bool:
        return any(p.contains(w) for p in self.pieces)

    def describe(self) -> list[str]:
        out = []
        for p in self.pieces:
            out.append(f"piece {p.interval} (slope {p.slope}): " + "; ".join(str(i) for i in p.inequalities))
        return out


def l1_region(H: Sequence[Sequence[Any]], activation: str = "relu", nonzero_slope: bool = False) -> L1Region:
    """The exact (L1) region for one neuron on representations H (rows h_i).

    ``nonzero_slope``: keep only pieces with α ≠ 0 (a neuron on a flat piece
    cannot carry W in (L2)).  Redundant copies of an inequality are dropped.
    """
    act = parse_activation(activation)
    pieces = check_insertable(act)
    rows = [[parse_rational(x) for x in h] for h in H]
    if not rows:
        raise InputError("l1_region needs at least one training representation")
    m = len(rows[0])
    out = []
    for idx, p in enumerate(pieces):
        if nonzero_slope and p.slope == 0:
            continue
        ineqs: list[StrictInequality] = []
        seen = set()
        for h in rows:
            ht = tuple(h) + (Fraction(1),)
            if p.lo is not None:
                key = (ht, p.lo)
                if key not in seen:
                    seen.add(key)
                    ineqs.append(StrictInequality(ht, p.lo))
            if p.hi is not None:
                neg = tuple(-x for x in ht)
                key = (neg, -p.hi)
                if key not in seen:
                    seen.add(key)
                    ineqs.append(StrictInequality(neg, -p.hi))
        out.append(L1Piece(idx, piece_text(p), p.slope, tuple(ineqs)))
    return L1Region(act.spec, m + 1, tuple(out), len(rows))


# ---------------------------------------------------------------------------
# exact area (w ∈ R²)
# ---------------------------------------------------------------------------


def _clip(poly: list[tuple[Fraction, Fraction]], g: tuple[Fraction, ...], r: Fraction) -> list[tuple[Fraction, Fraction]]:
    """Sutherland–Hodgman: the part of a convex polygon with g·w ≥ r (exact)."""
    out: list[tuple[Fraction, Fraction]] = []
    if not poly:
        return out
    val = lambda p: g[0] * p[0] + g[1] * p[1] - r  # noqa: E731
    for i, cur in enumerate(poly):
        prev = poly[i - 1]
        vc, vp = val(cur), val(prev)
        if vc >= 0:
            if vp < 0:
                t = vp / (vp - vc)
                out.append((prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])))
            out.append(cur)
        elif vp >= 0:
            t = vp / (vp - vc)
            out.append((prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])))
    return out


def _area(poly: list[tuple[Fraction, Fraction]]) -> Fraction:
    if len(poly) < 3:
        return ZERO
    s = sum((poly[i - 1][0] * poly[i][1] - poly[i][0] * poly[i - 1][1] for i in range(len(poly))), ZERO)
    return abs(s) / 2


def area_fraction(region: L1Region, R: Any = 1) -> Fraction:
    """Exact area of region ∩ [−R, R]² divided by (2R)² (one neuron, 1-d representations)."""
    if region.dim != 2:
        raise InputError(f"area_fraction needs (a, c) in R^2 (1-d representations); this region lives in R^{region.dim}: use grid_fraction")
    R = parse_rational(R)
    if R <= 0:
        raise InputError("the box half-width R must be positive")
    total = ZERO
    for p in region.pieces:
        poly = [(-R, -R), (R, -R), (R, R), (-R, R)]
        for ineq in p.inequalities:
            poly = _clip(poly, ineq.coeffs, ineq.rhs)
            if not poly:
                break
        total += _area(poly)
    return total / (4 * R * R)


def grid_fraction(region: L1Region, R: Any = 1, steps: int = 20) -> Fraction:
    """Exact fraction of the steps^dim cell centres of [−R, R]^dim inside the region."""
    R = parse_rational(R)
    if not isinstance(steps, int) or steps < 1:
        raise InputError("steps must be a positive integer")
    coords = [-R + (2 * j + 1) * R / steps for j in range(steps)]
    inside = sum(1 for w in itertools.product(coords, repeat=region.dim) if region.contains(w))
    return Fraction(inside, steps**region.dim)


def check_more_data(
    sets: Sequence[Sequence[Sequence[Any]]],
    activation: str = "relu",
    R: Any = 1,
    method: str = "area",
    steps: int = 20,
    nonzero_slope: bool = False,
) -> TheoremCheck:
    """T6 on nested data sets S_1 ⊆ S_2 ⊆ …: region inclusion (exact) and measured fractions (exact, non-increasing)."""
    t0 = time.perf_counter()
    for j in range(len(sets) - 1):
        small = {tuple(parse_rational(x) for x in r) for r in sets[j]}
        big = {tuple(parse_rational(x) for x in r) for r in sets[j + 1]}
        if not small <= big:
            raise InputError(f"the data sets must be nested: set {j} is not contained in set {j + 1}")
    regions = [l1_region(S, activation, nonzero_slope) for S in sets]
    included = all(
        set(a.inequalities) <= set(b.inequalities)
        for r1, r2 in zip(regions, regions[1:]) for a, b in zip(r1.pieces, r2.pieces)
    )
    if method == "area":
        fractions = [area_fraction(r, R) for r in regions]
        how = f"exact area in [-{R}, {R}]^2 (polygon clipping)"
    elif method == "grid":
        fractions = [grid_fraction(r, R, steps) for r in regions]
        how = f"exact count on a {steps}^{regions[0].dim} grid of cell centres in [-{R}, {R}]^{regions[0].dim}"
    else:
        raise InputError(f"method must be 'area' or 'grid', got {method!r}")
    monotone = all(a >= b for a, b in zip(fractions, fractions[1:]))
    return TheoremCheck(
        "T6", "more data shrinks the lifted region", included and monotone, "exact",
        "S subset of S' implies (L1) region for S' inside the (L1) region for S",
        f"n = {[len(s) for s in sets]}: fractions {[str(f) for f in fractions]} ({how}); inequality sets nested: {included}",
        {"n": [len(s) for s in sets], "fractions": [str(f) for f in fractions], "nested": included,
         "regions": [r.describe() for r in regions[:1]]},
        time.perf_counter() - t0,
    )
