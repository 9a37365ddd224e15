"""Certified criticality and inertia at a split (embedded, degenerate) critical point.

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
from typing import Any

import flint

from exactlift.arith.ball_ldl import ball_ldl_inertia
from exactlift.certify.critical import CriticalCertificate, ball_derivatives
from exactlift.errors import InputError

__all__ = ["EmbeddedCertificate", "certify_split_point"]

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
    """Criticality and inertia of ``lift`` applied to the certified narrow point ``narrow``.

    ``case``: the narrow case; ``narrow``: its certificate (``critical`` must be True);
    ``lift``: a split with ``matrix(arch)``, ``wide_architecture(arch)``, ``with_alpha`` and ``alpha``.
    """
    if narrow.critical is not True:
        raise InputError("the narrow point is not certified critical: certify it first")
    if not hasattr(lift, "with_alpha"):
        raise InputError(f"{lift}: only one-step splits are handled (the forced kernel is the split line)")
    t0 = time.perf_counter()
    prec = prec or narrow.prec
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        r = flint.arb(0, float(narrow.radius))
        Xn = [flint.arb(c.numerator) / c.denominator + r for c in narrow.center_exact]
        T = lift.matrix(case.arch)
        T1 = lift.with_alpha(Fraction(lift.alpha) + 1).matrix(case.arch)
        Xw = _image(T, Xn)
        v = _image(T1 - T, Xn)  # the split-line tangent, as a ball vector over the narrow box
        wide_case = lift.apply_case(case)
        _, g, H = ball_derivatives(wide_case, Xw, prec)
        contains0 = all(x.contains(0) for x in g)
        mags = [float(abs(x.mid())) for x in v]
        p = max(range(len(v)), key=lambda i: mags[i])
        if not (v[p] > 0 or v[p] < 0):
            return EmbeddedCertificate(True if contains0 else None, THEOREM, contains0, None, 0,
                                       "the split-line tangent vanishes (the split neuron has zero outgoing weight)",
                                       seconds=time.perf_counter() - t0)
        P = H.nrows()
        keep = [i for i in range(P) if i != p]
        Hs = flint.arb_mat(P - 1, P - 1, [H[i, j] for i in keep for j in keep])
        part = ball_ldl_inertia(Hs)
    finally:
        flint.ctx.prec = old
    if not contains0:
        return EmbeddedCertificate(None, THEOREM, False, None, 1,
                                   "consistency test failed: the wide gradient enclosure excludes 0",
                                   seconds=time.perf_counter() - t0)
    if part.inertia is None:
        return EmbeddedCertificate(True, THEOREM, True, None, 1,
                                   f"n0 >= 1 (split line), undecided beyond: {part.reason}",
                                   seconds=time.perf_counter() - t0, data={"zero_cluster": part.zero_cluster})
    n, z, q = part.inertia
    return EmbeddedCertificate(True, THEOREM, True, (n, z + 1, q), 1, seconds=time.perf_counter() - t0,
                               data={"pivot": p})
