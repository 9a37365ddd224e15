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
:func:`~exactlift.arith.ball_ldl.ball_ldl_inertia`.  If that part is singular too, the
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

from exactlift.arith.ball_ldl import ball_ldl_inertia
from exactlift.certify.critical import CriticalCertificate, ball_derivatives
from exactlift.errors import InputError

__all__ = ["EmbeddedCertificate", "certify_split_point", "certify_embedded_point", "choose_pivots"]

THEOREM = ("splitting embedding preserves critical points: ∇R_wide(T_α θ) = S_T ∇R_narrow(θ) "
           "(Fukumizu–Amari 2000; Zhang et al. 2021)")


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


def _image(Tm: Any, xs: list[Any]) -> list[Any]:
    out = []
    for row in Tm:
        acc = flint.arb(0)
        for t, x in zip(row, xs):
            if t != 0:
                f = Fraction(t)
                acc += x * f.numerator / f.denominator
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
    """Criticality and inertia of a composition of splits (and permutations) of a certified narrow point.

    ``steps``: one-step width lifts applied in order (``SplitNeuron``, ``OddSplitNeuron``,
    ``Permute``; a composition's ``steps()``).  Every split step i gives a line of critical points
    (vary its ratio, keep the others), so its tangent v_i is a kernel vector of the wide Hessian
    at the true point.  With pivots p_i where the ball matrix V[p, :] is certified non-singular,
    Q = [e_j (j ∉ p) | V] is non-singular and QᵀHQ = diag(H_{−p,−p}, 0): inertia(H) =
    inertia(H_{−p,−p}) + (0, j, 0), the first part decided by ball LDLᵀ.  A null neuron among the
    steps has no forced kernel of its own (its block [[0, Cᵀ], [C, 0]] depends on C): the answer
    is then criticality only, the inertia undecided with the reason.

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
            images.append(s.linear_map(arch)(images[-1]))
        Xw = images[-1]
        tangents = []
        for i, (s, arch) in enumerate(zip(steps, archs)):
            if not hasattr(s, "with_alpha"):
                continue
            moved = s.with_alpha(Fraction(s.alpha) + 1).linear_map(arch)(images[i])
            v = [m - b for m, b in zip(moved, images[i + 1])]  # T is affine in alpha_i
            for later, larch in zip(steps[i + 1:], archs[i + 1:]):
                v = later.linear_map(larch)(v)
            tangents.append(v)
        nulls = [s for s in steps if not hasattr(s, "with_alpha") and type(s).__name__ == "NullNeuron"]
        wide_case = case
        for s in steps:
            wide_case = s.apply_case(wide_case)
        _, g, H = ball_derivatives(wide_case, Xw, prec)
        contains0 = all(x.contains(0) for x in g)
        pivots = choose_pivots(tangents)
        part = None
        if pivots is not None and not nulls:
            P = H.nrows()
            keep = [i for i in range(P) if i not in set(pivots)]
            part = ball_ldl_inertia(flint.arb_mat(len(keep), len(keep), [H[i, j] for i in keep for j in keep]))
    finally:
        flint.ctx.prec = old
    seconds = time.perf_counter() - t0
    k = len(tangents)
    if not contains0:
        return EmbeddedCertificate(None, THEOREM, False, None, k,
                                   "consistency test failed: the wide gradient enclosure excludes 0", seconds=seconds)
    if nulls:  # criticality then rests on the null condition (the gradient transfer S_T), not on this theorem
        return EmbeddedCertificate(None, THEOREM, True, None, k,
                                   f"{len(nulls)} null neuron(s): criticality needs the null condition and their "
                                   f"block [[0, C^T], [C, 0]] depends on C; n0 >= {k} (split lines), undecided beyond",
                                   seconds=seconds)
    if pivots is None:
        return EmbeddedCertificate(True, THEOREM, True, None, 0,
                                   "the split-line tangents are not certified independent (a split neuron with zero "
                                   "outgoing weight?)", seconds=seconds)
    if part is None or part.inertia is None:
        why = part.reason if part is not None else "no part"
        return EmbeddedCertificate(True, THEOREM, True, None, k, f"n0 >= {k} (split lines), undecided beyond: {why}",
                                   seconds=seconds, data={"zero_cluster": getattr(part, "zero_cluster", None)})
    n, z, q = part.inertia
    return EmbeddedCertificate(True, THEOREM, True, (n, z + k, q), k, seconds=seconds, data={"pivots": pivots})


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
