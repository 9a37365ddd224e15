"""Explain a (trained) network: which certified critical point, embedded from which width, it is near.

:func:`explain` condenses the case (:func:`~exactlift.structure.condense.condense`), asks the
certifier of issue 12 (``certify_critical_point``) for a true critical point of the narrow
network next to the condensed one, embeds it with the same lifts, and certifies the wide
embedded point (criticality and Hessian inertia at a degenerate point).  The distance bound is

    ‖θ_given − T θ*‖∞ ≤ ‖θ_given − T c‖∞ + ‖T‖∞ · r

for the certified narrow point θ* within max-norm radius r of the centre c (T linear, exact).

When no critical point is certified (no certifier installed, or the certifier is undecided or
refutes), the answer says so and gives the numerical gradient norm: never a claim.

Failure modes: bad input raises :class:`~exactlift.errors.InputError` (from ``condense``);
a certifier error propagates as its own ``ExactliftError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Any, Callable

import mpmath

from exactlift.arith.contexts import get_context
from exactlift.calculus.backprop import derivatives
from exactlift.certify.critical import CriticalCertificate, certify_critical_point
from exactlift.certify.embedded import certify_embedded_point
from exactlift.lifts.width.embeddings import compose
from exactlift.nn.case import Case
from exactlift.nn.network import Params
from exactlift.structure.condense import Condensation, condense


def find_certifier() -> Callable[[Case], Any]:
    """The certifier :func:`explain` uses by default: :func:`~exactlift.certify.critical.certify_critical_point`
    wherever its refinement converges (``max_distance=None``): the explanation reports the distance from
    the given network to the embedded certified point, so a far certified point is an honest answer."""
    return partial(certify_critical_point, max_distance=None)


def certify_embedded(narrow: Case, narrow_cert: Any, lifts: list[Any], certifier: Callable[[Case], Any],
                     wide: Case) -> Any:
    """The certificate of the embedded wide point.

    A certified narrow point and a composition of splits, null neurons and permutations (the
    degenerate points the embedding principle is about):
    :func:`~exactlift.certify.embedded.certify_embedded_point` (criticality by the embedding theorems,
    the split lines and the null-neuron blocks (r, k + m − 2r, r) of docs/width.md W9 as the forced
    part, the rest of the Hessian decided in balls).  Otherwise the certifier is asked about the
    wide point itself (it says "undecided" at a singular Hessian).
    """
    steps = [s for lift in lifts for s in lift.steps()]
    if isinstance(narrow_cert, CriticalCertificate) and steps:
        return certify_embedded_point(narrow, narrow_cert, steps)
    return certifier(wide)


def gradient_norm(case: Case, digits: int = 30) -> float:
    """max |∂R/∂θ_i| at the case's point, in mp (numerical: it finds, never decides)."""
    ctx = get_context("mp", digits)
    X, Y = case.arrays(ctx)
    d = derivatives(case.arch, case.params, X, Y, case.loss, ctx, order=1)
    return float(max((abs(mpmath.mpf(g)) for g in d.gradient), default=0))


def _field(result: Any, name: str) -> Any:
    if isinstance(result, dict):
        return result.get(name)
    if hasattr(result, name):
        return getattr(result, name)
    if hasattr(result, "to_json"):
        return result.to_json().get(name)
    return None


def _exact(value: Any) -> Fraction:
    return Fraction(str(value)) if not isinstance(value, Fraction) else value


@dataclass
class Explanation:
    """What the given network is near, each statement with its strength."""

    condensation: Condensation
    narrow_certificate: Any
    wide_certificate: Any
    critical: bool | None
    distance: Fraction | None  # bound on the distance to the certified embedded critical point
    inertia: list[int] | None
    strength: str
    reason: str
    gradient_norm: float | None

    def to_json(self) -> dict:
        c = self.condensation
        return {
            "wide_widths": list(c.wide.arch.widths),
            "narrow_widths": c.narrow_widths,
            "lifts": [str(l) for l in c.lifts],
            "condense_distance": f"{float(c.distance):.6e}",
            "distance": None if self.distance is None else f"{float(self.distance):.6e}",
            "critical": self.critical,
            "inertia": self.inertia,
            "narrow_inertia": None if self.narrow_certificate is None or _field(self.narrow_certificate, "inertia") is None
            else list(_field(self.narrow_certificate, "inertia")),
            "strength": self.strength,
            "saddle": None if self.inertia is None else (self.inertia[0] > 0),
            "reason": self.reason,
            "gradient_norm": None if self.gradient_norm is None else f"{self.gradient_norm:.3e}",
            "gradient_norm_strength": "numerical",
        }

    def summary(self) -> str:
        c = self.condensation
        lines = [c.summary()]
        if self.critical:
            lines.append(
                f"[{self.strength}] the given network lies within distance {float(self.distance):.3e} of a critical point "
                f"embedded from widths {c.narrow_widths} by {len(c.lifts)} lift(s)"
            )
            if self.inertia is not None:
                n_minus, n_zero, n_plus = self.inertia
                kind = "a strict saddle (a descent direction exists)" if n_minus else "not a strict saddle (no negative eigenvalue)"
                lines.append(f"[{self.strength}] Hessian inertia there (n-, n0, n+) = {tuple(self.inertia)}: {kind}")
            else:
                ni = _field(self.narrow_certificate, "inertia")
                if ni is not None:
                    lines.append(f"[{self.strength}] Hessian inertia of the narrow critical point (n-, n0, n+) = {tuple(ni)}")
                lines.append(f"inertia of the embedded point: undecided ({self.reason or 'no certificate'})")
        else:
            lines.append(f"no critical point certified: {self.reason}")
            if self.gradient_norm is not None:
                lines.append(f"[numerical] max |gradient| of the given network: {self.gradient_norm:.3e} (finds, never decides)")
        return "\n".join(lines)


def explain(case: Case, tol: float | str = 1e-6, certifier: Callable[[Case], Any] | None = None) -> Explanation:
    """Condense, certify the narrow critical point, embed it, certify the embedded point (see the module docstring)."""
    c = condense(case, tol)
    certifier = certifier or find_certifier()
    cert = certifier(c.narrow)
    critical = _field(cert, "critical")
    if critical is not True:
        why = _field(cert, "reason") or ("proved: no critical point near the condensed network" if critical is False else "undecided")
        return Explanation(c, cert, None, critical, None, None, str(_field(cert, "strength") or "certified"),
                           f"narrow network: {why}", gradient_norm(case))
    center = [_exact(v) for v in _field(cert, "center")]
    radius = _exact(_field(cert, "radius"))
    narrow_c = c.narrow.with_params(c.narrow.arch, Params.from_flat(c.narrow.arch, center))
    if c.lifts:
        emb = compose(*c.lifts)
        wide_c = emb.apply_case(narrow_c)
        T = emb.linear_map(c.narrow.arch)
        norm_T = max((sum(abs(Fraction(v)) for _, v in row) for row in T.rows), default=Fraction(1))
        # grad R_wide(T theta) = S_T grad R_narrow(theta): criticality transfers when S_T exists
        transfers = emb.gradient_transfer(c.narrow.arch) is not None
    else:
        wide_c, norm_T, transfers = narrow_c, Fraction(1), True
    gap = max(abs(Fraction(a) - Fraction(b)) for a, b in zip(wide_c.params.flatten(), case.params.flatten()))
    distance = gap + norm_T * radius
    wide_cert = certify_embedded(c.narrow, cert, list(c.lifts), certifier, wide_c) if c.lifts else cert
    inertia = _field(wide_cert, "inertia")
    wide_critical = _field(wide_cert, "critical")
    strength = str(_field(wide_cert, "strength") or _field(cert, "strength") or "certified")
    critical = True if (wide_critical is True or transfers) else None
    reason = "" if wide_critical is True else f"the embedded wide point: {_field(wide_cert, 'reason') or 'criticality not confirmed'}"
    if critical is None:
        return Explanation(c, cert, wide_cert, None, None, None, strength, reason + " (and no gradient transfer map "
                           "for these lifts)", gradient_norm(case))
    return Explanation(c, cert, wide_cert, True, distance, list(inertia) if inertia is not None else None,
                       strength, reason, None)
