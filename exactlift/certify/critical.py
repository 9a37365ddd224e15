"""Certified critical points of smooth networks: refine, prove by Krawczyk, certify the inertia.

Given a candidate θ₀ (a case file's parameters), :func:`certify_critical_point`

0. accepts θ₀ itself when every gradient ball at θ₀ is exactly 0 (an exact critical point);
1. **refines** it (:func:`~exactlift.certify.refine.newton`: chord steps, then a
   Levenberg–Marquardt-damped Newton iteration on ∇R over ball midpoints); the refined
   centre c is rounded to a decimal of ``digits`` digits, which is then the exact centre of
   the box.  A refinement that ends farther than ``max_distance`` from θ₀ (or fails) is not
   used: the box around θ₀ itself is tested for exclusion instead (a ball gradient over the
   box that excludes 0 in some coordinate proves there is no critical point in it);
2. **proves** existence and uniqueness of a zero of ∇R in the box X = c ± r with the
   Krawczyk operator, in ``arb`` balls::

       K(X) = c − Y ∇R(c) + (I − Y H(X)) (X − c),    Y ≈ H(c)⁻¹ (midpoint inverse)

   where H(X) is the Hessian evaluated with the parameters as balls c ± r (it
   encloses the Hessian at every point of the box).  K(X) ⊂ interior(X) proves a
   unique critical point in X (``critical=True``); K(X) ∩ X = ∅ in some coordinate
   proves there is none in X (``critical=False``, for that box only).  A failed test at a
   numerically non-singular Hessian escalates the precision (2×, up to ``max_prec``);
3. certifies the **inertia** at the true critical point by the pivoted ball LDLᵀ
   (:func:`~exactlift.arith.ball_ldl.ball_ldl_signs`, Haynsworth recursion) of H(X): every
   symmetric matrix in those balls, in particular the Hessian at the true point, has the
   inertia found.  Undecided balls escalate the precision: the centre is refined at twice
   the bits, a smaller box X' ⊂ X is proved by Krawczyk again (so it holds the same,
   unique, critical point) and H(X') decided, up to ``max_prec``.

A numerically singular Hessian (e.g. a non-isolated critical point, generic when
P > n·d_out with non-zero loss) is reported undecided with the numerical kernel
dimension; Krawczyk cannot prove such points as they are.

>>> from exactlift.nn.case import case_from_dict
>>> xs, ys = ["-2", "-1", "-1/2", "0", "1/2", "1", "2"], ["-1", "-1/2", "-1/2", "0", "1/4", "1/2", "1/2"]
>>> case = case_from_dict({"network": {"widths": [1, 1, 1], "activation": "tanh",
...     "params": {"W": [[["0.83"]], [["0.82"]]], "b": [["0.26"], ["-0.23"]]},
...     "data": {"x": [[x] for x in xs], "y": [[y] for y in ys]}}})
>>> c = certify_critical_point(case, digits=30)
>>> c.critical, c.inertia, c.strength
(True, (0, 0, 4), 'certified')
>>> float(c.radius) < 1e-25 and float(c.distance) < 0.01
True

Failure modes: :class:`~exactlift.errors.InputError` (bad case, non-smooth
activation); an undecided answer (``critical=None`` with ``reason``) is not an error.
A candidate far from any critical point never gives ``critical=True`` (the proof is
checked in balls); its own box is excluded instead:

>>> far = certify_critical_point(case, digits=30, refine=False, radius=1e-6)
>>> far.critical, far.reason
(False, 'K(X) misses X in coordinate 0: no critical point in the box')
>>> bad = case.with_params(case.arch, case.params.from_flat(case.arch, [3, -2, 5, 4]))
>>> r = certify_critical_point(bad, digits=30)
>>> r.critical, r.reason.split(" in coordinate")[0]
(False, 'the gradient enclosure over the box excludes 0')

A singular Hessian is undecided, with the reason (here 7 parameters, 3 training outputs):

>>> flat = case_from_dict({"network": {"widths": [1, 2, 1], "activation": "tanh",
...     "params": {"W": [[["1"], ["-1/2"]], [["1", "1/2"]]], "b": [["0", "1/3"], ["0"]]},
...     "data": {"x": [["-1"], ["1/2"], ["2"]], "y": [["-1/2"], ["1/4"], ["1"]]}}})
>>> s = certify_critical_point(flat, digits=30)
>>> s.critical, s.inertia, s.reason.split(":")[0]
(None, None, 'the Hessian is numerically singular (numerical kernel dimension 4)')

Too low a precision escalates (``prec_bits`` above the starting 2·3.33·digits + 40 bits),
or says so when ``max_prec`` forbids it:

>>> low = certify_critical_point(case, digits=2)
>>> low.critical, low.inertia, low.prec > int(3.33 * 2) + 40
(True, (0, 0, 4), True)
>>> stuck = certify_critical_point(case, digits=2, max_prec=46)
>>> stuck.critical, "raise the precision" in stuck.reason
(None, True)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from exactlift.arith.ball_ldl import BallInertia, arb_to_float, ball_ldl_signs
from exactlift.certify.certificate import Certificate
from exactlift.certify.refine import Prec, as_arb, ball_derivatives, identity, mid_mat, newton
from exactlift.errors import InputError

__all__ = ["CriticalCertificate", "certify_critical_point", "ball_derivatives", "numerical_kernel_dimension"]


@dataclass
class CriticalCertificate:
    """The answer of :func:`certify_critical_point` (keys of ``exactlift certify --json``)."""

    critical: bool | None
    radius: str | None
    distance: str | None
    center: list[str]
    inertia: tuple[int, int, int] | None
    loss: str | None
    reason: str = ""
    strength: str = "certified"
    times: dict = field(default_factory=dict)
    prec: int = 0
    gradient_norm: str | None = None
    kernel_dimension: int | None = None
    n_params: int = 0
    n_outputs: int = 0
    center_exact: list[Fraction] = field(default_factory=list, repr=False)

    def to_json(self) -> dict[str, Any]:
        out = {
            "critical": self.critical, "radius": self.radius, "distance": self.distance,
            "center": self.center, "inertia": list(self.inertia) if self.inertia else None,
            "strength": self.strength, "loss": self.loss, "reason": self.reason or None,
            "seconds": {k: round(v, 4) for k, v in self.times.items()}, "prec_bits": self.prec,
            "gradient_norm": self.gradient_norm, "n_params": self.n_params,
            "training_outputs": self.n_outputs,
        }
        if self.kernel_dimension is not None:
            out["numerical_kernel_dimension"] = self.kernel_dimension
        return out

    def certificate(self) -> Certificate:
        """The same result as a :class:`~exactlift.certify.Certificate`."""
        claim = "a critical point exists in the box" if self.critical is not False else "no critical point in the box"
        detail = self.reason or (f"unique critical point within {self.radius} of the centre; inertia {self.inertia}")
        return Certificate(claim, self.critical if self.critical is not False else True, "certified",
                           detail=detail, data=self.to_json(), seconds=sum(self.times.values()))


def _upper_str(x: Any) -> str:
    u = float(flint.arb(x).abs_upper())
    return "%.6e" % (u * (1 + 4e-6)) if u > 0 else "0"


def _decimal(x: Any, digits: int) -> Fraction:
    s = flint.arb(x).mid().str(digits, radius=False, more=True)
    s = s.strip("[]").split(" ")[0]
    return Fraction(s)


def _bits(digits: int) -> int:
    return int(3.33 * digits) + 40


def _digits(prec: int) -> int:
    return max(2, int((prec - 40) / 3.33))


def numerical_kernel_dimension(H: flint.arb_mat, rel: float = 1e-12) -> int:
    """Eigenvalues of the (power-of-2 scaled) float64 midpoint below ``rel``·max|λ|: numerical, never a proof.

    >>> numerical_kernel_dimension(flint.arb_mat([[1, 1], [1, 1]])), numerical_kernel_dimension(flint.arb_mat([[1, 0], [0, 2]]))
    (1, 0)
    """
    if H.nrows() == 0:
        return 0
    try:
        M = arb_to_float(H)
    except Exception:  # noqa: BLE001 - a non-finite enclosure: nothing numerical to say
        return H.nrows()
    d = np.abs(np.diag(M)).copy()
    d[d == 0] = 1.0
    s = np.exp2(-np.round(np.log2(d) / 2))
    A = M * s[:, None] * s[None, :]
    ev = np.abs(np.linalg.eigvalsh((A + A.T) / 2))
    return int(np.sum(ev <= rel * max(ev.max(), 1e-300)))


def _krawczyk(case: Any, cb: list[Any], Y: Any, g: list[Any], r: float, prec: int) -> tuple[str, Any, Any, Any]:
    """One Krawczyk test on c ± r: ("inside" | "miss i" | "undecided", loss(X), H(X), max|K − c|)."""
    P = len(cb)
    rb = flint.arb(0, r)
    Xb = [c + rb for c in cb]
    lossX, _, HX = ball_derivatives(case, Xb, prec)
    Kc = (identity(P) - Y * HX) * flint.arb_mat([[rb] for _ in range(P)]) - Y * flint.arb_mat([[x] for x in g])
    inside = True
    for i in range(P):
        k = Kc[i, 0]
        if float(k.lower()) > r or float(k.upper()) < -r:
            return f"miss {i}", lossX, HX, None
        if not (abs(k).abs_upper() < r):
            inside = False
    return ("inside" if inside else "undecided"), lossX, HX, None


def _radius_schedule(step: float, prec: int) -> list[float]:
    floor = 2.0 ** (-(prec - 30))
    r0 = max(step * 16, floor)
    out = []
    r = r0
    while len(out) < 4 and r < 1e-3:
        out.append(r)
        r *= 2.0 ** 40
    return out or [r0]


class _Attempt:
    """A refined centre at ``prec`` bits and its Krawczyk outcome."""

    def __init__(self, case: Any, center: list[Fraction], prec: int, Y0: Any, radius: float | None) -> None:
        self.center, self.prec = center, prec
        P = len(center)
        with Prec(prec):
            cb = [as_arb(c) for c in center]
            self.cb = cb
            if Y0 is not None:  # the chord preconditioner of the refinement is Y ≈ H(c)⁻¹ already
                _, g, _ = ball_derivatives(case, cb, prec, order=1)
                self.Hc = None
            else:
                _, g, self.Hc = ball_derivatives(case, cb, prec)
            self.g = g
            self.gnorm = _upper_str(flint.arb(max(float(abs(x).upper()) for x in g) if g else 0.0))
            try:
                Y = Y0 if Y0 is not None else mid_mat(mid_mat(self.Hc).inv())
            except (ZeroDivisionError, ValueError):
                Y = None
            self.Y = Y
            self.outcome, self.r, self.lossX, self.HX, self.last = "singular", None, None, None, ""
            if Y is None:
                return
            Yg = Y * flint.arb_mat([[x] for x in g])
            step = max(float(abs(Yg[i, 0]).upper()) for i in range(P))
            for r in ([radius] if radius is not None else _radius_schedule(step, prec)):
                out, lossX, HX, _ = _krawczyk(case, cb, Y, g, r, prec)
                self.outcome, self.r, self.lossX, self.HX = out, r, lossX, HX
                if out != "undecided":
                    return
                self.last = f"K(X) not inside X for radius {r:.1e} at {prec} bits"

    def hessian(self, case: Any) -> Any:
        if self.Hc is None:
            with Prec(self.prec):
                _, _, self.Hc = ball_derivatives(case, self.cb, self.prec)
        return self.Hc

    def inside_of(self, other: "_Attempt") -> bool:
        """Whether this box lies inside ``other``'s (so the unique critical point is the same)."""
        with Prec(max(self.prec, other.prec)):
            rad = flint.arb(other.r)
            for a, b in zip(self.center, other.center):
                if not (abs(as_arb(a) - as_arb(b)) + flint.arb(self.r) < rad):
                    return False
        return True


def certify_critical_point(
    case: Any,
    *,
    digits: int = 40,
    refine: bool = True,
    radius: float | None = None,
    max_iter: int = 40,
    max_prec: int = 1024,
    max_distance: float | str | None = "auto",
) -> CriticalCertificate:
    """Prove (or refute, or leave undecided) a critical point near the case's parameters.

    ``digits``: decimal digits of the refined centre (working precision ≈ 3.33·digits + 40
    bits).  ``refine=False`` tests the box around the candidate itself.  ``radius``:
    force the box half-width (default: chosen from the Newton correction).
    ``max_distance``: how far (max-norm) the refined point may lie from the candidate
    (``"auto"``: 0.01·max(1, |θ₀|∞); ``None``: anywhere).  See the module docstring.
    """
    if any(a.kind == "piecewise" or a.kind == "undefined" for a in case.arch.activations):
        raise InputError("certify needs smooth activations (tanh, sigmoid, softplus, expressions in z); "
                         "piecewise-linear networks use the exact path (exactlift analyze)")
    times = {"refine": 0.0, "krawczyk": 0.0, "inertia": 0.0}
    P = case.arch.n_params
    n_out = case.n_samples * case.arch.output_dim
    prec = _bits(digits)
    max_prec = max(max_prec, 0)
    theta0 = [Fraction(x) for x in case.params.flatten()]
    scale = max([1.0] + [abs(float(x)) for x in theta0])
    near = 0.01 * scale if max_distance == "auto" else (None if max_distance is None else float(max_distance))

    def result(critical, reason="", r=None, inertia=None, loss=None, gnorm=None, kdim=None, p=prec, center=None):
        center = theta0 if center is None else center
        dist = None
        if critical:
            with Prec(p):
                dd = max((abs(as_arb(c) - as_arb(t)) for c, t in zip(center, theta0)),
                         key=lambda z: float(z.upper()), default=flint.arb(0))
                dist = _upper_str(dd + flint.arb(r))
        return CriticalCertificate(
            critical, None if r is None else _upper_str(r), dist, [_frac_str(c, digits) for c in center], inertia,
            loss, reason, times=times, prec=p, gradient_norm=gnorm, kernel_dimension=kdim, n_params=P,
            n_outputs=n_out, center_exact=center)

    t0 = time.perf_counter()
    with Prec(prec):  # 0. an exact critical point: every gradient ball exactly 0 (the Hessian seeds the refinement)
        loss0, g0, H0 = ball_derivatives(case, theta0, prec, order=2 if refine else 1)
    if all(x.is_zero() for x in g0):
        times["refine"] = time.perf_counter() - t0
        t2 = time.perf_counter()
        inert = ball_ldl_signs(lambda p: ball_derivatives(case, theta0, p)[2], prec=prec, max_prec=max(max_prec, prec))
        times["inertia"] = time.perf_counter() - t2
        return result(True, _inertia_reason(inert, max_prec), r=0, inertia=inert.inertia, gnorm="0",
                      loss=flint.arb(loss0).str(12, radius=True), p=inert.prec)
    note, Y0 = "", None
    center = theta0
    if refine:
        c_mid, _, note, Y0 = newton(case, theta0, prec, max_iter, 2.0 ** (-(prec - 24)), first=(g0, H0))
        center = [_decimal(x, digits) for x in c_mid]
        moved = max(abs(float(c - t)) for c, t in zip(center, theta0))
        if near is not None and moved > near:
            times["refine"] = time.perf_counter() - t0
            why = (f"the refined point lies at distance ≈ {moved:.3e} > max_distance {near:.3e} from "
                   "the candidate (pass max_distance=None, --max-distance inf, to certify it there)"
                   + (f"; {note}" if note else ""))
            with Prec(prec):
                kdim = numerical_kernel_dimension(ball_derivatives(case, center, prec)[2])
            if kdim:  # the refinement ran into a degenerate critical set: say so, do not exclude
                return result(None, _singular_reason(P, n_out, kdim, why), kdim=kdim)
            return _exclude(case, theta0, near, prec, times, result, why)
    times["refine"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    att = _Attempt(case, center, prec, Y0, radius)
    p = prec
    while att.outcome == "undecided" and radius is None and not note and 2 * p <= max_prec:  # escalate
        if numerical_kernel_dimension(att.hessian(case)):
            break
        p *= 2
        t0 = time.perf_counter()
        c_mid, _, note2, Y2 = newton(case, center, p, 8, 2.0 ** (-(p - 24)))
        times["refine"] += time.perf_counter() - t0
        att = _Attempt(case, [_decimal(x, _digits(p)) for x in c_mid], p, Y2, None)
        note = note or note2
    times["krawczyk"] = time.perf_counter() - t1
    gnorm = att.gnorm
    if att.outcome.startswith("miss"):
        i = att.outcome.split()[1]
        return result(False, f"K(X) misses X in coordinate {i}: no critical point in the box", r=att.r,
                      gnorm=gnorm, p=att.prec, center=att.center)
    if att.outcome == "inside":
        t2 = time.perf_counter()
        inert = _inertia(case, att, max_prec)
        times["inertia"] = time.perf_counter() - t2
        return result(True, _inertia_reason(inert, max_prec), r=att.r, inertia=inert.inertia,
                      loss=att.lossX.str(12, radius=True), gnorm=gnorm, p=att.prec, center=att.center)
    Hc = att.hessian(case)
    kdim = numerical_kernel_dimension(Hc)
    if att.Y is None or kdim:
        return result(None, _singular_reason(P, n_out, max(kdim, 1), note), gnorm=gnorm, kdim=max(kdim, 1),
                      p=att.prec, center=att.center)
    return result(None, f"Krawczyk test failed ({att.last}; |grad R| at the centre ≤ {gnorm}); "
                  f"raise the precision (digits / max_prec {max_prec} bits)" + (f"; {note}" if note else ""),
                  gnorm=gnorm, p=att.prec, center=att.center)


def _inertia(case: Any, att: _Attempt, max_prec: int) -> BallInertia:
    """ball LDLᵀ of H(X); undecided ⇒ refine at 2× bits, prove a box X' ⊂ X, decide H(X'); up to max_prec."""
    inert = ball_ldl_signs(att.HX, prec=att.prec, max_prec=4 * att.prec)
    cur = att
    while inert.inertia is None and 2 * cur.prec <= max_prec:
        p = 2 * cur.prec
        c_mid, _, _, Y = newton(case, cur.center, p, 8, 2.0 ** (-(p - 24)))
        nxt = _Attempt(case, [_decimal(x, _digits(p)) for x in c_mid], p, Y, None)
        if nxt.outcome != "inside" or not nxt.inside_of(att):
            inert.reason += f"; no smaller certified box at {p} bits"
            break
        cur = nxt
        inert = ball_ldl_signs(cur.HX, prec=p, max_prec=4 * p)
    return inert


def _inertia_reason(inert: BallInertia, max_prec: int) -> str:
    if inert.inertia is not None:
        return ""
    return (f"inertia undecided: {inert.reason} (the Hessian may be singular; raise the precision beyond "
            f"max_prec {max_prec} bits if it is only ill-conditioned)")


def _exclude(case: Any, theta0: list[Fraction], rho: float, prec: int, times: dict, result: Any, why: str):
    """No refinement near θ₀: try to prove that no critical point lies in θ₀ ± ρ (ball gradient over the box)."""
    t1 = time.perf_counter()
    r = rho
    with Prec(prec):
        for _ in range(6):
            rb = flint.arb(0, r)
            _, gX, _ = ball_derivatives(case, [as_arb(t) + rb for t in theta0], prec, order=1)
            for i, x in enumerate(gX):
                if x > 0 or x < 0:
                    times["krawczyk"] = time.perf_counter() - t1
                    return result(False, f"the gradient enclosure over the box excludes 0 in coordinate {i}: "
                                  f"no critical point within {r:.3e} of the candidate ({why})", r=r)
            r /= 2.0 ** 10
    times["krawczyk"] = time.perf_counter() - t1
    return result(None, f"no critical point certified near the candidate: {why}")


def _singular_reason(P: int, n_out: int, k: int, note: str) -> str:
    why = (f"the Hessian is numerically singular (numerical kernel dimension {k}): "
           "Krawczyk cannot prove a non-isolated or degenerate critical point")
    if P > n_out:
        why += (f"; P = {P} > n·d_out = {n_out}: critical points with non-zero loss are generically "
                "not isolated")
    return why + (f"; {note}" if note else "")


def _frac_str(x: Fraction, digits: int) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    d = x.denominator
    k = 0
    while d % 2 == 0 or d % 5 == 0:
        d //= 2 if d % 2 == 0 else 5
        k += 1
        if k > 4 * digits:
            break
    if d == 1:  # a terminating decimal: exact
        from decimal import Decimal, getcontext

        getcontext().prec = 4 * digits + 20
        return format(Decimal(x.numerator) / Decimal(x.denominator), "f")
    return f"{x.numerator}/{x.denominator}"
