"""Certified criticality and inertia at split (embedded, degenerate) critical points.

For a certified narrow critical point θ* (:func:`~exactlift.certify.critical.certify_critical_point`)
and a one-step split ``T_α`` (a :class:`~exactlift.lifts.width.SplitNeuron`, passed in as an
object: this module does not import the lifts layer), the wide point T_α θ* is

* **critical**, by the gradient identity of splitting embeddings ∇R_wide(T_α θ) = S_T ∇R_narrow(θ)
  (Fukumizu–Amari 2000; Zhang et al. 2021, one-step splitting preserves critical points), applied
  to the certified θ*; as a consistency test the wide gradient enclosure over the image box T_α X
  must contain 0;
* **degenerate**: every point T_β θ* of the split line is critical with the same loss, so the
  tangent v = (T_{α+1} − T_α) θ* (T is affine in α) satisfies H v = 0 at the true point.

Inertia: with p a coordinate where the ball v_p excludes 0, Q = [e_i (i ≠ p) | v] is
non-singular and QᵀHQ = diag(H_{−p,−p}, 0) at the true point, so
inertia(H) = inertia(H_{−p,−p}) + (0, 1, 0); H_{−p,−p} at the true point lies in the ball
Hessian over T_α X with row and column p deleted, and is decided by
:func:`~exactlift.arith.ball_ldl.ball_ldl_signs`.  If that part is singular too, the
answer is "n₀ ≥ 1, undecided beyond" (``inertia=None``), never a guess.

Failure modes: :class:`~exactlift.errors.InputError` if the narrow point is not certified
critical or the lift has no ``with_alpha`` (only splits are handled here).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

import flint

from exactlift.arith.ball_ldl import ball_ldl_signs
from exactlift.certify.critical import CriticalCertificate, ball_derivatives
from exactlift.errors import InputError

__all__ = ["EmbeddedCertificate", "apply_map", "ball_rank_bounds", "certify_split_point", "certify_embedded_point", "choose_pivots",
           "null_block", "null_neurons"]

THEOREM = ("splitting embedding preserves critical points: ∇R_wide(T_α θ) = S_T ∇R_narrow(θ) "
           "(Fukumizu–Amari 2000; Zhang et al. 2021, arXiv 2105.14573; docs/width.md W2)")
NULL_THEOREM = ("null embedding: the null neuron's outgoing gradient is σ(0)·∂R/∂b^[l+1] = 0 "
                "(docs/width.md W2, null condition W4), inertia block (r, k + m − 2r, r) (W9)")


@dataclass
class EmbeddedCertificate:
    """Criticality (from the theorem) and inertia of the wide point T_α θ*."""

    critical: bool | None
    theorem: str
    gradient_contains_zero: bool
    inertia: tuple[int, int, int] | None
    forced_kernel: int
    reason: str = ""
    strength: str = "certified"
    seconds: float = 0.0
    data: dict = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"critical": self.critical, "theorem": self.theorem,
                "gradient_contains_zero": self.gradient_contains_zero,
                "inertia": list(self.inertia) if self.inertia else None, "forced_kernel": self.forced_kernel,
                "reason": self.reason or None, "strength": self.strength, "seconds": round(self.seconds, 4)}


def apply_map(lmap: Any, xs: Sequence[Any]) -> list[Any]:
    """The image of a ball vector under a lift's linear map (its sparse rows of exact coefficients).

    An empty row gives the exact zero ball (a null neuron's coordinates), never x − x.

    >>> import flint
    >>> class M: rows = (((0, Fraction(1, 2)), (1, 1)), ())
    >>> [str(v) for v in apply_map(M(), [flint.arb(2), flint.arb(1)])]
    ['2.00000000000000', '0']
    """
    out = []
    for row in lmap.rows:
        acc = flint.arb(0)
        for j, t in row:
            f = Fraction(t)
            acc += xs[j] * f.numerator / f.denominator if f.denominator != 1 else xs[j] * f.numerator
        out.append(acc)
    return out


def certify_split_point(case: Any, narrow: CriticalCertificate, lift: Any, prec: int | None = None
                        ) -> EmbeddedCertificate:
    """Criticality and inertia of one split ``lift`` applied to the certified narrow point ``narrow``.

    ``case``: the narrow case; ``narrow``: its certificate (``critical`` must be True);
    ``lift``: a split with ``linear_map(arch)``, ``wide_architecture(arch)``, ``with_alpha`` and
    ``alpha``.  The one-step case of :func:`certify_embedded_point`.
    """
    if not hasattr(lift, "with_alpha"):
        raise InputError(f"{lift}: only one-step splits are handled (the forced kernel is the split line)")
    return certify_embedded_point(case, narrow, [lift], prec)


def certify_embedded_point(case: Any, narrow: CriticalCertificate, steps: Sequence[Any], prec: int | None = None
                           ) -> EmbeddedCertificate:
    """Criticality and inertia of a composition of splits, permutations and null neurons of a certified point.

    ``steps``: one-step width lifts applied in order (``SplitNeuron``, ``OddSplitNeuron``,
    ``Permute``, ``NullNeuron``; a composition's ``steps()``).

    * every split step i gives a line of critical points (vary its ratio, keep the others), so
      its tangent v_i is a kernel vector of the wide Hessian at the true point;
    * every null neuron (found at the wide point: its incoming row, bias and outgoing column
      are exactly 0) contributes In([[0, C], [Cᵀ, 0]]) = (r, k + m − 2r, r), r = rank C, where
      C = H[incoming, outgoing] is the k × m block of the wide ball Hessian (its bias row is 0
      at the true point, docs/width.md W9).  The congruence Q = [e_S | e_a − σ(0) e_{b^[l+1]} |
      e_w] (S: the other coordinates) is unit-triangular, and at the true point R is constant
      along e_a − σ(0) e_{b^[l+1]} while the incoming weights are 0 and along the incoming weights
      while the outgoing ones are 0, so QᵀHQ = diag(H_SS, [[0, C], [Cᵀ, 0]], …);
    * the rest: with pivots p_i where the ball matrix V[p, :] is certified non-singular,
      inertia(H_SS) = inertia(H_{S−p, S−p}) + (0, j, 0), decided by the ball LDLᵀ.

    Criticality: the gradient transfer ∇R_wide(Tθ) = S_T ∇R(θ) (docs/width.md W2) applied to the
    certified θ*; a null neuron needs the null condition (W4: σ(0) = 0 or a bias in layer
    l+1, checked here from the architecture).  Whatever the theory does not account for is
    reported as "n0 >= k, undecided beyond", never guessed.

    Failure modes: :class:`~exactlift.errors.InputError` if the narrow point is not certified
    critical or a step is not a width lift with ``linear_map``.
    """
    if narrow.critical is not True:
        raise InputError("the narrow point is not certified critical: certify it first")
    steps = list(steps)
    for s in steps:
        if not hasattr(s, "linear_map") or not hasattr(s, "wide_architecture"):
            raise InputError(f"{s}: not a width lift (certified embeddings take splits, permutations, null neurons)")
    t0 = time.perf_counter()
    prec = prec or narrow.prec
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        r = flint.arb(0, float(narrow.radius))
        x = [flint.arb(c.numerator) / c.denominator + r for c in narrow.center_exact]
        archs = [case.arch]
        for s in steps:
            archs.append(s.wide_architecture(archs[-1]))
        images = [x]  # the narrow box through steps 1..i
        for s, arch in zip(steps, archs):
            images.append(apply_map(s.linear_map(arch), images[-1]))
        Xw = images[-1]
        tangents = []
        for i, (s, arch) in enumerate(zip(steps, archs)):
            if not hasattr(s, "with_alpha"):
                continue
            moved = apply_map(s.with_alpha(Fraction(s.alpha) + 1).linear_map(arch), images[i])
            v = [m - b for m, b in zip(moved, images[i + 1])]  # T is affine in alpha_i
            for later, larch in zip(steps[i + 1:], archs[i + 1:]):
                v = apply_map(later.linear_map(larch), v)
            tangents.append(v)
        wide_case = case
        for s in steps:
            wide_case = s.apply_case(wide_case)
        nulls, problem = null_neurons(archs[-1], Xw)
        _, g, H = ball_derivatives(wide_case, Xw, prec)
        contains0 = all(x.contains(0) for x in g)
        null_coords = {i for nn in nulls for i in nn["incoming"] + nn["outgoing"]}
        pivots = choose_pivots(tangents)
        part, blocks, zeros_ok = None, [], True
        if pivots is not None and not problem:
            P = H.nrows()
            keep = [i for i in range(P) if i not in set(pivots) and i not in null_coords]
            part = ball_ldl_signs(flint.arb_mat(len(keep), len(keep), [H[i, j] for i in keep for j in keep]),
                                  prec=prec, max_prec=4 * prec)
            rest = [i for i in range(P) if i not in null_coords]
            for nn in nulls:
                blocks.append(null_block(H, nn))
                w = nn["incoming"]  # theory: H[w, S] = 0 and H[w, w] = 0 at the true point
                zeros_ok = zeros_ok and all(H[i, j].contains(0) for i in w for j in rest + w)
    finally:
        flint.ctx.prec = old
    seconds = time.perf_counter() - t0
    k = len(tangents)
    # name the theorems the record uses: the splitting theorem for split steps (or when nothing else
    # applies, e.g. a permutation), the null embedding for null neurons
    theorem = "; ".join(([THEOREM] if k or not nulls else []) + ([NULL_THEOREM] if nulls else []))
    if not contains0:
        return EmbeddedCertificate(None, theorem, False, None, k,
                                   "consistency test failed: the wide gradient enclosure excludes 0", seconds=seconds)
    if problem:
        return EmbeddedCertificate(None, theorem, True, None, k, problem, seconds=seconds)
    if not zeros_ok:
        return EmbeddedCertificate(None, theorem, True, None, k, "consistency test failed: a null neuron's "
                                   "incoming rows of the wide Hessian exclude 0 off the C block", seconds=seconds)
    if pivots is None:
        return EmbeddedCertificate(True, theorem, True, None, 0,
                                   "the split-line tangents are not certified independent (a split neuron with zero "
                                   "outgoing weight?)", seconds=seconds)
    forced = k + sum(b["min_zeros"] for b in blocks)
    undecided = [b for b in blocks if b["inertia"] is None]
    if part is None or part.inertia is None or undecided:
        why = part.reason if part is not None and part.inertia is None else "; ".join(b["reason"] for b in undecided)
        return EmbeddedCertificate(True, theorem, True, None, forced,
                                   f"n0 >= {forced} (split lines and null blocks), undecided beyond: {why}",
                                   seconds=seconds)
    n, z, q = part.inertia
    for b in blocks:
        n, z, q = n + b["inertia"][0], z + b["inertia"][1], q + b["inertia"][2]
    return EmbeddedCertificate(True, theorem, True, (n, z + k, q), forced, seconds=seconds,
                               data={"pivots": pivots, "null_blocks": [b["inertia"] for b in blocks]})


def null_neurons(arch: Any, point: Sequence[Any]) -> tuple[list[dict], str]:
    """The null neurons of a wide point (incoming row, bias and outgoing column exactly 0) and a problem, if any.

    Each is ``{"layer", "neuron", "incoming", "outgoing", "bias_row"}`` (flat indices; ``bias_row``: the
    position of the bias in ``incoming``, or None).  The problem (a string) is set when the theory
    used here does not apply: null neurons in adjacent layers, or a layer above without a bias
    (the null condition W4 is then not automatic).
    """
    out: list[dict] = []
    for l in range(1, arch.n_layers):
        m_in = arch.widths[l - 1]
        for j in range(arch.widths[l]):
            inc = [arch.weight_index(l, j, c) for c in range(m_in)]
            bias_row = None
            if arch.biases[l - 1]:
                bias_row = len(inc)
                inc.append(arch.bias_index(l, j))
            outg = [arch.weight_index(l + 1, r, j) for r in range(arch.widths[l + 1])]
            if all(point[i].is_zero() for i in inc + outg):
                out.append({"layer": l, "neuron": j, "incoming": inc, "outgoing": outg, "bias_row": bias_row})
    layers = sorted({nn["layer"] for nn in out})
    if any(b - a == 1 for a, b in zip(layers, layers[1:])):
        return out, "null neurons in adjacent layers: their blocks overlap, not handled (undecided)"
    for nn in out:
        if not arch.biases[nn["layer"]]:
            return out, (f"a null neuron in layer {nn['layer']} feeds a layer without bias: the null condition "
                         "(docs/width.md W4) is not automatic; criticality and inertia undecided")
    return out, ""


def null_block(H: Any, nn: dict) -> dict:
    """In([[0, C], [Cᵀ, 0]]) for one null neuron: C = H[incoming, outgoing] with its bias row 0 (theory).

    rank C is certified from below by ball elimination (pivots excluding 0) and from above by
    the shape (the bias row is 0 at the true point: Σ δ^[l+1] = n ∂R/∂b^[l+1] = 0).
    """
    rows = [i for t, i in enumerate(nn["incoming"]) if t != nn["bias_row"]]
    cols = nn["outgoing"]
    k, m = len(nn["incoming"]), len(cols)
    C = [[H[i, j] for j in cols] for i in rows]
    lo, hi = ball_rank_bounds(C)
    if lo == hi:
        return {"inertia": (lo, k + m - 2 * lo, lo), "min_zeros": k + m - 2 * lo, "reason": ""}
    return {"inertia": None, "min_zeros": k + m - 2 * hi,
            "reason": f"rank C of the null neuron {nn['neuron']} in layer {nn['layer']} is between {lo} and {hi}"}


def ball_rank_bounds(C: list[list[Any]]) -> tuple[int, int]:
    """(certified lower bound, shape upper bound) of the rank of a ball matrix (rows × cols lists).

    >>> import flint
    >>> ball_rank_bounds([[flint.arb(1), flint.arb(2)], [flint.arb(2), flint.arb(4)]])
    (1, 2)
    >>> ball_rank_bounds([[flint.arb(1), flint.arb(0)], [flint.arb(0), flint.arb(3)]])
    (2, 2)
    """
    work = [list(r) for r in C]
    hi = min(len(work), len(work[0]) if work else 0)
    rank = 0
    cols = set(range(len(work[0]) if work else 0))
    rows = list(range(len(work)))
    while rows and cols:
        best = max(((i, j) for i in rows for j in cols), key=lambda ij: float(abs(work[ij[0]][ij[1]].mid())))
        i, j = best
        piv = work[i][j]
        if not (piv > 0 or piv < 0):
            break
        rank += 1
        rows.remove(i)
        cols.discard(j)
        for t in rows:
            f = work[t][j] / piv
            work[t] = [a - f * b for a, b in zip(work[t], work[i])]
    return rank, hi


def choose_pivots(vectors: Sequence[Sequence[Any]]) -> list[int] | None:
    """Coordinates p with the ball matrix V[p, :] certified non-singular (None when balls cannot tell).

    Greedy elimination on balls: each vector's largest remaining entry (by midpoint) must exclude 0
    after the earlier pivots are eliminated; then V[p, :] is triangular up to row operations with
    non-zero pivots, hence non-singular.

    >>> import flint
    >>> choose_pivots([[flint.arb(0), flint.arb(2)], [flint.arb(1), flint.arb(1)]])
    [1, 0]
    >>> choose_pivots([[flint.arb(1), flint.arb(1)], [flint.arb(2), flint.arb(2)]]) is None
    True
    """
    work = [list(v) for v in vectors]
    pivots: list[int] = []
    for i, v in enumerate(work):
        free = [j for j in range(len(v)) if j not in pivots]
        if not free:
            return None
        p = max(free, key=lambda j: float(abs(v[j].mid())))
        if not (v[p] > 0 or v[p] < 0):
            return None
        pivots.append(p)
        for w in work[i + 1:]:
            f = w[p] / v[p]
            for j in range(len(w)):
                w[j] = w[j] - f * v[j]
    return pivots
