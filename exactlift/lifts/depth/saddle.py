"""T4: strict saddles from null neurons of a critical lift (docs/depth.md).

**exactlift formalization of arXiv 2205.13283.**  Add to a critical lift a
null neuron u_k = σ′(a·h + c) with outgoing column B_{:,k} = 0.  Writing
h̃_i = (h_i, 1), t_{k,i} = a·h_i + c and α_i, γ_i the slope/intercept of the
piece of σ′ containing t_{k,i}:

* (L3) Σ_i δ_i σ′(t_{k,i}) = G w + Σ_i δ_i γ_i = 0 with w = (a, c) and
  G = Σ_i δ_i α_i h̃_iᵀ (m_{q+1} × (m_q + 1)); for ReLU: G w = 0;
* the deep Hessian restricted to (B_{:,k}, a, c) is [[P, G/n], [Gᵀ/n, 0]]
  (the (a, c) block vanishes because every term carries B_{:,k} = 0).  When
  G ≠ 0 (for ReLU: a mixed pattern whose active samples do not cancel) it is
  indefinite, and the lifted critical point is a strict saddle — even above
  a strict global minimum of the shallower net.

:func:`find_null_neuron` searches activation patterns cut out by thresholds
along candidate directions and, for each pattern with G ≠ 0, solves the exact
linear program "(L3) and every t_{k,i} strictly inside its piece" (SymPy's
rational simplex).  :func:`strict_saddle` builds the deep case and returns an
exact witness v with vᵀ H v < 0, checked against the deep Hessian computed
by the core from scratch.

Worked example of docs/depth.md (verified): x = (−2, −1, 0, 1, 2, 3),
y = (13/3, −55/6, 7/3, 17/6, 7/3, 5/6), linear fit w = 1/2, b = 1/3 (inertia
(0, 0, 2)); inserting relu(x + 5) with B = 1/2, e = −13/6 and the null neuron
relu(x − 1/2) gives a critical point with inertia (1, 3, 3).

>>> from exactlift.nn.case import case_from_dict
>>> case = case_from_dict({"network": {"widths": [1, 1], "params": {"W": [[["1/2"]]], "b": [["1/3"]]},
...     "data": {"x": [["-2"], ["-1"], ["0"], ["1"], ["2"], ["3"]],
...              "y": [["13/3"], ["-55/6"], ["7/3"], ["17/6"], ["7/3"], ["5/6"]]}}})
>>> from exactlift.lifts.depth import CriticalLift
>>> w = strict_saddle(case, CriticalLift(0, [[1]], [5]))
>>> w.a, w.c, w.value < 0, w.inertia
((Fraction(1, 1),), Fraction(-1, 2), True, (1, 3, 3))
"""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterator, Sequence

import sympy
from sympy.solvers.simplex import InfeasibleLPError, UnboundedLPError, linprog

from exactlift.arith.contexts import get_context, parse_rational
from exactlift.calculus.backprop import derivatives
from exactlift.errors import LiftError
from exactlift.lifts.depth.insertion import SOURCE, check_insertable, layer_inputs
from exactlift.lifts.depth.construction import DepthLift
from exactlift.lifts.depth.lifting import CriticalLift, IdentityLift
from exactlift.lifts.depth.theorems import LiftedPoint, TheoremCheck, lifted_point
from exactlift.arith.linalg import inertia as exact_inertia
from exactlift.arith.linalg import quadratic_form, witness_negative_direction
from exactlift.nn.activations import Piece
from exactlift.nn.case import Case

__all__ = [
    "NullNeuronCandidate",
    "SaddleWitness",
    "find_null_neuron",
    "strict_saddle",
    "null_neuron_witness",
    "check_strict_saddle",
    "check_null_neuron_saddle",
]

ZERO = Fraction(0)


@dataclass(frozen=True)
class NullNeuronCandidate:
    """A null neuron (a, c) satisfying (L3) with G ≠ 0, and its per-sample pieces."""

    a: tuple[Fraction, ...]
    c: Fraction
    samples: tuple[int, ...]
    G: tuple[tuple[Fraction, ...], ...]
    patterns_tried: int


@dataclass
class SaddleWitness:
    """A strict-saddle certificate: deep case, null neuron, exact v with vᵀHv < 0."""

    deep: Case
    lift: CriticalLift
    neuron: int
    a: tuple[Fraction, ...]
    c: Fraction
    G: tuple[tuple[Fraction, ...], ...]
    v: list[Fraction]
    value: Fraction
    critical: bool
    inertia: tuple[int, int, int] | None
    samples: tuple[int, ...] = ()
    patterns_tried: int = 0
    source: str = SOURCE
    seconds: float = 0.0

    def support(self) -> dict[str, str]:
        """The non-zero entries of v by parameter name."""
        return {self.deep.arch.param_name(i): str(x) for i, x in enumerate(self.v) if x}


# ---------------------------------------------------------------------------
# the search
# ---------------------------------------------------------------------------


def _exact_data(case: Case, after_layer: int) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    """h_i (n × m_q) and δ_i = δ_i^[q+1] (n × m_{q+1}) of the shallow net, exactly."""
    ctx = get_context("exact")
    X, Y = case.arrays(ctx)
    d = derivatives(case.arch, case.params, X, Y, case.loss, ctx, order=1)
    H = layer_inputs(case, after_layer, ctx)
    to = lambda M: [[parse_rational(x) for x in r] for r in M.tolist()]  # noqa: E731
    return to(H), to(d.deltas[after_layer + 1])


def _directions(H: list[list[Fraction]], seed: int, n_random: int) -> Iterator[tuple[Fraction, ...]]:
    m = len(H[0])
    seen = set()

    def emit(d):
        d = tuple(Fraction(x) for x in d)
        if any(d) and d not in seen:
            seen.add(d)
            return d
        return None

    for j in range(m):
        d = emit([1 if i == j else 0 for i in range(m)])
        if d:
            yield d
    if m == 1:
        return
    for i, j in itertools.combinations(range(len(H)), 2):
        d = emit([a - b for a, b in zip(H[i], H[j])])
        if d:
            yield d
    rng = random.Random(seed)
    for _ in range(n_random):
        d = emit([rng.randint(-4, 4) for _ in range(m)])
        if d:
            yield d


def _patterns(proj: list[Fraction], n_pieces: int) -> Iterator[tuple[int, ...]]:
    """Piece assignments monotone in the projection (both orientations), consecutive blocks."""
    values = sorted(set(proj))
    s = len(values)
    rank_of = {v: i for i, v in enumerate(values)}
    ranks = [rank_of[v] for v in proj]
    for cuts in itertools.combinations_with_replacement(range(s + 1), n_pieces - 1):
        bounds = (0,) + cuts + (s,)
        piece_of_rank = []
        for p in range(n_pieces):
            piece_of_rank.extend([p] * (bounds[p + 1] - bounds[p]))
        up = tuple(piece_of_rank[r] for r in ranks)
        yield up
        yield tuple(n_pieces - 1 - p for p in up)


def _solve_pattern(
    H: list[list[Fraction]], delta: list[list[Fraction]], pattern: tuple[int, ...], pieces: Sequence[Piece]
) -> tuple[tuple[Fraction, ...], Fraction] | None:
    """An exact w = (a, c) with (L3) and every t_i strictly inside its piece, or None (exact simplex)."""
    n, m = len(H), len(H[0])
    m_next = len(delta[0])
    Ht = [h + [Fraction(1)] for h in H]
    G = [[sum((delta[i][j] * pieces[pattern[i]].slope * Ht[i][l] for i in range(n)), ZERO) for l in range(m + 1)]
         for j in range(m_next)]
    if not any(any(r) for r in G):
        return None
    rhs = [-sum((delta[i][j] * pieces[pattern[i]].intercept for i in range(n)), ZERO) for j in range(m_next)]
    R = lambda x: sympy.Rational(x.numerator, x.denominator)  # noqa: E731
    # standard form, every variable >= 0: w = w⁺ − w⁻ (m + 1 each) and the slack s <= 1;
    # maximize s subject to lo + s <= h̃ᵀw <= hi − s and (L3)
    split = lambda row: [R(x) for x in row] + [-R(x) for x in row]  # noqa: E731
    A_ub, b_ub = [], []
    for i in range(n):
        p = pieces[pattern[i]]
        if p.lo is not None:  # -h̃ᵀw + s <= -lo
            A_ub.append([-v for v in split(Ht[i])] + [1])
            b_ub.append(-R(p.lo))
        if p.hi is not None:  # h̃ᵀw + s <= hi
            A_ub.append(split(Ht[i]) + [1])
            b_ub.append(R(p.hi))
    A_ub.append([0] * (2 * m + 2) + [1])
    b_ub.append(1)
    A_eq = [split(row) + [0] for row in G]
    b_eq = [R(x) for x in rhs]
    cost = [0] * (2 * m + 2) + [-1]
    try:
        _, sol = linprog(cost, sympy.Matrix(A_ub), sympy.Matrix(b_ub), sympy.Matrix(A_eq), sympy.Matrix(b_eq))
    except (InfeasibleLPError, UnboundedLPError):
        return None
    if not sol[-1] > 0:
        return None
    x = [sol[j] - sol[j + m + 1] for j in range(m + 1)]
    w = [Fraction(int(v.p), int(v.q)) for v in x[: m + 1]]
    homogeneous = all(p.intercept == 0 and p.lo in (None, 0) and p.hi in (None, 0) for p in pieces)
    scale = max(abs(v) for v in w[:m])
    if homogeneous and scale:
        w = [v / scale for v in w]
    return tuple(w[:m]), w[m]


def _check_candidate(H, delta, a, c, pieces, pattern) -> bool:
    """Exact re-check of a solution: strict pieces and (L3)."""
    for i, h in enumerate(H):
        t = sum((x * y for x, y in zip(a, h)), ZERO) + c
        p = pieces[pattern[i]]
        if (p.lo is not None and not t > p.lo) or (p.hi is not None and not t < p.hi):
            return False
    for j in range(len(delta[0])):
        total = ZERO
        for i, h in enumerate(H):
            t = sum((x * y for x, y in zip(a, h)), ZERO) + c
            p = pieces[pattern[i]]
            total += delta[i][j] * (p.slope * t + p.intercept)
        if total != 0:
            return False
    return True


def find_null_neuron(
    case: Case,
    after_layer: int,
    activation: str = "relu",
    max_patterns: int = 4000,
    n_random: int = 40,
    seed: int = 0,
    time_limit: float | None = 30.0,
) -> NullNeuronCandidate | None:
    """Search a null neuron with (L3) and G ≠ 0 (mixed pattern) at the case's θ, exactly.

    Patterns come from thresholds along candidate directions (coordinate
    axes, differences of two training representations, then ``n_random``
    random integer directions); each one with G ≠ 0 is decided by an exact
    LP.  Returns None when none of the tried patterns works, or after
    ``max_patterns`` patterns / ``time_limit`` seconds (not a proof that no
    such neuron exists).
    """
    from exactlift.nn.activations import parse_activation

    act = parse_activation(activation)
    pieces = check_insertable(act)
    if len(pieces) > 3:
        raise LiftError(f"the null-neuron search handles activations with at most 3 linear pieces, {act.spec} has {len(pieces)}")
    if not all(a.exact_capable for a in case.arch.activations) or not case.loss.exact_capable:
        raise LiftError("the strict-saddle search is exact: the network and loss need exact rational values")
    H, delta = _exact_data(case, after_layer)
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    tried = 0
    seen: set[tuple[int, ...]] = set()
    for d in _directions(H, seed, n_random):
        proj = [sum((x * y for x, y in zip(d, h)), ZERO) for h in H]
        for pattern in _patterns(proj, len(pieces)):
            if pattern in seen or len(set(pieces[p].slope for p in pattern)) < 2:
                continue
            seen.add(pattern)
            tried += 1
            if tried > max_patterns or (deadline is not None and time.perf_counter() > deadline):
                return None
            sol = _solve_pattern(H, delta, pattern, pieces)
            if sol is None:
                continue
            a, c = sol
            if not _check_candidate(H, delta, a, c, pieces, pattern):  # pragma: no cover - LP is exact
                continue
            n = len(H)
            Ht = [h + [Fraction(1)] for h in H]
            G = tuple(tuple(sum((delta[i][j] * pieces[pattern[i]].slope * Ht[i][l] for i in range(n)), ZERO) / n
                            for l in range(len(Ht[0]))) for j in range(len(delta[0])))
            return NullNeuronCandidate(a, c, pattern, G, tried)
    return None


# ---------------------------------------------------------------------------
# the witness
# ---------------------------------------------------------------------------


def _indices(result: DepthLift, k: int) -> tuple[list[int], list[int]]:
    """Flat deep indices of (a_k, c_k) and of B_{:,k} for inserted neuron k."""
    arch = result.deep.arch
    q = result.after_layer
    m_q, m_next = arch.widths[q], arch.widths[q + 2]
    ac = [arch.weight_index(q + 1, k, l) for l in range(m_q)]
    if arch.biases[q]:
        ac.append(arch.bias_index(q + 1, k))
    bk = [arch.weight_index(q + 2, j, k) for j in range(m_next)]
    return ac, bk


def null_neuron_witness(H: Any, result: DepthLift, k: int) -> tuple[list[Fraction], Fraction, tuple] | None:
    """An exact v supported on (B_{:,k}, a_k, c_k) with vᵀHv < 0, built from the block [[P, G], [Gᵀ, 0]].

    With w a non-zero row of G (so g = G w ≠ 0): v = (β = −t g, w),
    vᵀHv = t² gᵀPg − 2t gᵀg; t = 1 when gᵀPg ≤ 0, else t = gᵀg / gᵀPg
    (value −(gᵀg)²/gᵀPg).  Returns (v, vᵀHv, G) with vᵀHv computed on the
    full H, or None when G = 0.
    """
    F = lambda x: parse_rational(x)  # noqa: E731
    ac, bk = _indices(result, k)
    G = [[F(H[i, j]) for j in ac] for i in bk]
    if not any(any(r) for r in G):
        return None
    if any(F(H[i, j]) for i in ac for j in ac):
        v = witness_negative_direction(H)
        return (v, quadratic_form(v, H), tuple(tuple(r) for r in G)) if v is not None else None
    P = [[F(H[i, j]) for j in bk] for i in bk]
    w = next(r for r in G if any(r))
    g = [sum((x * y for x, y in zip(row, w)), ZERO) for row in G]
    gg = sum((x * x for x in g), ZERO)
    gPg = sum((g[i] * P[i][j] * g[j] for i in range(len(g)) for j in range(len(g))), ZERO)
    t = Fraction(1) if gPg <= 0 else gg / gPg
    v = [ZERO] * H.shape[0]
    for idx, x in zip(ac, w):
        v[idx] = x
    for idx, x in zip(bk, g):
        v[idx] = -t * x
    return v, quadratic_form(v, H), tuple(tuple(r) for r in G)


def strict_saddle(
    case: Case,
    base: CriticalLift | IdentityLift | None = None,
    after_layer: int | None = None,
    activation: str | None = None,
    inertia: bool = True,
    **search: Any,
) -> SaddleWitness:
    """T4: search a null neuron for ``base`` (default: the identity lift after ``after_layer``) and certify the saddle.

    The deep case is rebuilt with the null neuron (so (L1)–(L3) are checked
    again by :class:`CriticalLift`), its gradient and Hessian are computed
    exactly by the core, criticality is checked and the witness value vᵀHv
    is computed on the full Hessian.  Raises :class:`LiftError` when the
    shallow point is not critical or no null neuron is found.
    """
    t0 = time.perf_counter()
    if base is None:
        if after_layer is None:
            raise LiftError("strict_saddle needs a base lift or after_layer")
        base = IdentityLift(after_layer)
    if isinstance(base, IdentityLift):
        base = base.resolve(case)
    q = base.after_layer
    act = activation or base.activation.spec
    ctx = get_context("exact")
    X, Y = case.arrays(ctx)
    g = derivatives(case.arch, case.params, X, Y, case.loss, ctx, order=1).gradient
    if any(x != 0 for x in g):
        raise LiftError("the shallow point is not critical: T4 starts from a critical point")
    cand = find_null_neuron(case, q, act, **search)
    if cand is None:
        raise LiftError("no null neuron with (L3) and G != 0 found among the tried activation patterns")
    if act != base.activation.spec:
        raise LiftError("the null neuron must use the inserted layer's activation")
    lift = base.with_null_neuron(cand.a, cand.c)
    result = lift.lift(case)
    k = len(lift.A) - 1
    Xd, Yd = result.deep.arrays(ctx)
    d = derivatives(result.deep.arch, result.deep.params, Xd, Yd, result.deep.loss, ctx, order=2)
    critical = all(x == 0 for x in d.gradient)
    wit = null_neuron_witness(d.hessian, result, k)
    if wit is None:  # pragma: no cover - G != 0 by construction
        raise LiftError("internal: the null neuron's Hessian block G vanished")
    v, value, G = wit
    inert = exact_inertia(d.hessian) if inertia else None
    return SaddleWitness(result.deep, lift, k, cand.a, cand.c, G, v, value, critical, inert, cand.samples, cand.patterns_tried,
                         seconds=time.perf_counter() - t0)


def check_strict_saddle(case: Case, base: CriticalLift | IdentityLift | None = None, after_layer: int | None = None,
                        arithmetic: str = "exact", digits: int = 60, **search: Any) -> TheoremCheck:
    """T4 as a :class:`TheoremCheck` (holds None when not applicable or nothing is found)."""
    t0 = time.perf_counter()
    statement = ("a null neuron with (L3) and G_k != 0 makes the lifted critical point a strict saddle "
                 "(exact witness v with v^T H v < 0)")
    ctx = get_context(arithmetic)
    if not ctx.exact:
        return TheoremCheck("T4", "strict saddle", None, ctx.strength, statement,
                            "not applicable: the search is exact and this network needs mp arithmetic")
    try:
        w = strict_saddle(case, base, after_layer, **search)
    except LiftError as exc:
        return TheoremCheck("T4", "strict saddle", None, "exact", statement, f"not applicable: {exc}",
                            seconds=time.perf_counter() - t0)
    ok = w.critical and w.value < 0
    return TheoremCheck(
        "T4", "strict saddle", ok, "exact", statement,
        f"null neuron a = {[str(x) for x in w.a]}, c = {w.c} (pieces per sample {list(w.samples)}), "
        f"deep critical: {w.critical}, v^T H v = {w.value}, deep inertia {w.inertia}",
        {"a": [str(x) for x in w.a], "c": str(w.c), "G": [[str(x) for x in r] for r in w.G],
         "v": w.support(), "vHv": str(w.value), "inertia": list(w.inertia) if w.inertia else None,
         "patterns_tried": w.patterns_tried},
        time.perf_counter() - t0,
    )


def check_null_neuron_saddle(point: Any, lift: Any = None) -> TheoremCheck:
    """T4 for a lift that already has null neurons: an exact witness from a null neuron with G_k ≠ 0."""
    t0 = time.perf_counter()
    p: LiftedPoint = lifted_point(point, lift)
    statement = "a null neuron with G_k != 0 at a critical lifted point gives v with v^T H v < 0"
    if not get_context(p.arithmetic).exact:
        return TheoremCheck("T4", "strict saddle (given null neurons)", None, get_context(p.arithmetic).strength, statement,
                            "not applicable: exact arithmetic needed")
    if not p.shallow_critical():
        return TheoremCheck("T4", "strict saddle (given null neurons)", None, "exact", statement,
                            "not applicable: the shallow point is not critical")
    H = p.derivs("deep", 2).hessian
    critical = all(x == 0 for x in p.derivs("deep", 2).gradient)
    for k in p.result.null_neurons:
        wit = null_neuron_witness(H, p.result, k)
        if wit is not None:
            v, value, G = wit
            return TheoremCheck(
                "T4", "strict saddle (given null neurons)", critical and value < 0, "exact", statement,
                f"null neuron {k}: G_k != 0, v^T H v = {value}; deep critical: {critical}",
                {"neuron": k, "vHv": str(value), "G": [[str(x) for x in r] for r in G],
                 "v": {p.deep.arch.param_name(i): str(x) for i, x in enumerate(v) if x}},
                time.perf_counter() - t0,
            )
    return TheoremCheck("T4", "strict saddle (given null neurons)", None, "exact", statement,
                        "not applicable: G_k = 0 for every null neuron (no second-order escape through them)",
                        seconds=time.perf_counter() - t0)
