"""Certified critical points of smooth networks: refine, prove by Krawczyk, certify the inertia.

Given a candidate θ₀ (a case file's parameters), :func:`certify_critical_point`

1. **refines** it by chord steps (one Hessian, accepted while |∇R|∞ drops tenfold),
   then a Levenberg–Marquardt-damped Newton iteration on ∇R (a step is accepted only
   when |∇R|∞ decreases), with gradients and Hessians from the core
   :func:`~exactlift.calculus.backprop.derivatives` evaluated in ball arithmetic and
   used through their midpoints (numerically the same as mpmath at that precision,
   about 35 times faster); the refined centre c is rounded to a decimal of
   ``digits`` digits, which is then the exact centre of the box;
2. **proves** existence and uniqueness of a zero of ∇R in the box X = c ± r with the
   Krawczyk operator, in ``arb`` balls::

       K(X) = c − Y ∇R(c) + (I − Y H(X)) (X − c),    Y ≈ H(c)⁻¹ (midpoint inverse)

   where H(X) is the Hessian evaluated with the parameters as balls c ± r (it
   encloses the Hessian at every point of the box).  K(X) ⊂ interior(X) proves a
   unique critical point in X (``critical=True``); K(X) ∩ X = ∅ in some coordinate
   proves there is none in X (``critical=False``, for that box only);
3. certifies the **inertia** at the true critical point: the ball Hessian H(X) is
   non-singular over the whole box (:func:`~exactlift.arith.ball_ldl.ball_ldl_inertia`),
   so the inertia of every Hessian in it, in particular at the true point, is proved.

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
A candidate far from any critical point never gives ``critical=True`` for a box not
containing one (the proof is checked in balls):

>>> far = certify_critical_point(case, digits=30, refine=False, radius=1e-6)
>>> far.critical, far.reason
(False, 'K(X) misses X in coordinate 0: no critical point in the box')
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import flint

from exactlift.arith.ball_ldl import ball_ldl_inertia
from exactlift.arith.contexts import CertifiedContext
from exactlift.calculus.backprop import derivatives
from exactlift.certify.certificate import Certificate
from exactlift.errors import InputError
from exactlift.nn.network import Params

__all__ = ["CriticalCertificate", "certify_critical_point", "ball_derivatives"]


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


def _ctx(prec: int) -> CertifiedContext:
    ctx = CertifiedContext(max(5, int((prec - 16) / 3.33)))
    ctx.prec = prec
    return ctx


def ball_derivatives(case: Any, values: list[Any], prec: int, order: int = 2):
    """Loss, gradient and Hessian (``arb_mat``) with parameters ``values`` (arb balls or rationals)."""
    ctx = _ctx(prec)
    with ctx.active():
        vals = [v if isinstance(v, flint.arb) else ctx.convert(v) for v in values]
        params = Params.from_flat(case.arch, vals)
        X, Y = case.arrays(ctx)
        d = derivatives(case.arch, params, X, Y, case.loss, ctx, order=order)
        H = None
        if order == 2:
            P = case.arch.n_params
            H = flint.arb_mat(P, P, list(d.hessian.ravel()))
        return d.loss, list(d.gradient), H


def _mid_mat(H: flint.arb_mat) -> flint.arb_mat:
    return flint.arb_mat(H.nrows(), H.ncols(), [x.mid() for x in H.entries()])


def _norm_inf(vals: list[Any]) -> float:
    return max((float(abs(v.mid())) for v in vals), default=0.0)


def _upper_str(x: Any) -> str:
    u = float(flint.arb(x).abs_upper())
    return "%.6e" % (u * (1 + 4e-6)) if u > 0 else "0"


def _newton(case: Any, theta: list[Any], prec: int, max_iter: int, tol: float) -> tuple[list[Any], float, str, Any]:
    """Safeguarded Newton on ∇R at ``prec`` bits (midpoints); returns (θ as arb midpoints, |∇R|∞, note)."""
    with _Prec(prec):
        return _newton_at(case, [_arb(x).mid() for x in theta], prec, max_iter, tol)


def _arb(x: Any) -> Any:
    if isinstance(x, flint.arb):
        return x
    f = Fraction(x)
    return flint.arb(f.numerator) / f.denominator


def _newton_at(case: Any, c: list[Any], prec: int, max_iter: int, tol: float) -> tuple[list[Any], float, str, Any]:
    """Levenberg–Marquardt-damped Newton on ∇R: solve (HᵀH + μI) s = −Hᵀg, accept when |∇R|∞ drops.

    μ shrinks (×1/10) after an accepted step and grows (×10) after a rejected one, so
    the iteration is Newton near a non-degenerate critical point and a damped
    gradient method on |∇R|² far from it.
    """
    _, g, H = ball_derivatives(case, c, prec)
    gn = _norm_inf(g)
    P = len(c)
    note = ""
    # chord steps first: one Hessian, gradient-only steps while |∇R| drops tenfold each time
    try:
        Yc = _mid_mat(_mid_mat(H).inv())
    except (ZeroDivisionError, ValueError):
        Yc = None
    while Yc is not None and gn > tol:
        s = Yc * flint.arb_mat([[x.mid()] for x in g])
        trial = [(ci - s[i, 0]).mid() for i, ci in enumerate(c)]
        _, g2, _ = ball_derivatives(case, trial, prec, order=1)
        gn2 = _norm_inf(g2)
        if not gn2 < gn / 10:
            break
        c, g, gn = trial, g2, gn2
    if gn <= tol:
        return c, gn, note, Yc
    _, g, H = ball_derivatives(case, c, prec)
    mu = None
    rejected = 0
    for _ in range(max_iter):
        if gn <= tol:
            break
        Hm = _mid_mat(H)
        gcol = flint.arb_mat([[x.mid()] for x in g])
        HtH = _mid_mat(Hm.transpose() * Hm)
        rhs = _mid_mat(Hm.transpose() * gcol)
        if mu is None:
            mu = max(float(abs(HtH[i, i].mid())) for i in range(P)) * 1e-12 or 1e-30
        A = HtH + mu * _identity(P)
        try:
            step = _mid_mat(A).solve(-rhs)
        except (ZeroDivisionError, ValueError):
            mu *= 10
            continue
        trial = [(ci + step[i, 0]).mid() for i, ci in enumerate(c)]
        _, g2, _ = ball_derivatives(case, trial, prec, order=1)
        gn2 = _norm_inf(g2)
        if gn2 < gn:
            _, g, H = ball_derivatives(case, trial, prec)
            c, gn = trial, gn2
            mu = mu / 10
            rejected = 0
        else:
            mu *= 10
            rejected += 1
            if rejected > 25:
                note = "the damped Newton iteration found no decrease of |grad R|"
                break
    else:
        if gn > tol:
            note = f"the Newton iteration did not converge in {max_iter} steps (|grad R| ≈ {gn:.1e})"
    return c, gn, note, None


def _decimal(x: Any, digits: int) -> Fraction:
    s = flint.arb(x).mid().str(digits, radius=False, more=True)
    s = s.strip("[]").split(" ")[0]
    return Fraction(s)


def certify_critical_point(
    case: Any,
    *,
    digits: int = 40,
    refine: bool = True,
    radius: float | None = None,
    max_iter: int = 40,
    max_prec: int = 1024,
) -> CriticalCertificate:
    """Prove (or refute, or leave undecided) a critical point near the case's parameters.

    ``digits``: decimal digits of the refined centre (working precision ≈ 3.4·digits + 40
    bits).  ``refine=False`` tests the box around the candidate itself.  ``radius``:
    force the box half-width (default: chosen from the Newton correction).
    See the module docstring for the method and guarantees.
    """
    if any(a.kind == "piecewise" or a.kind == "undefined" for a in case.arch.activations):
        raise InputError("certify needs smooth activations (tanh, sigmoid, softplus, expressions in z); "
                         "piecewise-linear networks use the exact path (exactlift analyze)")
    times = {"refine": 0.0, "krawczyk": 0.0, "inertia": 0.0}
    P = case.arch.n_params
    n_out = case.n_samples * case.arch.output_dim
    prec = int(3.33 * digits) + 40
    theta0 = [Fraction(x) for x in case.params.flatten()]
    t0 = time.perf_counter()
    note = ""
    if refine:
        c_mid, gn, note, Y0 = _newton(case, theta0, prec, max_iter, 2.0 ** (-(prec - 24)))
        center = [_decimal(x, digits) for x in c_mid]
    else:
        center, Y0 = theta0, None
    times["refine"] = time.perf_counter() - t0

    def result(critical, reason="", r=None, inertia=None, loss=None, gnorm=None, kdim=None, p=prec):
        dist = None
        if critical:
            with _Prec(p):
                dd = max((abs(flint.arb(c.numerator) / c.denominator - flint.arb(t.numerator) / t.denominator)
                          for c, t in zip(center, theta0)), key=lambda z: float(z.upper()), default=flint.arb(0))
                dist = _upper_str(dd + flint.arb(r))
        return CriticalCertificate(
            critical, None if r is None else _upper_str(r), dist, [_frac_str(c, digits) for c in center], inertia,
            loss, reason, times=times, prec=p, gradient_norm=gnorm, kernel_dimension=kdim, n_params=P,
            n_outputs=n_out, center_exact=center)

    t1 = time.perf_counter()
    with _Prec(prec):
        cb = [flint.arb(c.numerator) / c.denominator for c in center]
        if Y0 is not None:  # the chord preconditioner of the refinement is Y ≈ H(c)⁻¹ already
            _, g, _ = ball_derivatives(case, cb, prec, order=1)
            Hc = None
        else:
            _, g, Hc = ball_derivatives(case, cb, prec)
        gmax = max(float(abs(x).upper()) for x in g) if g else 0.0
        gnorm = _upper_str(flint.arb(gmax))
        try:
            Y = Y0 if Y0 is not None else _mid_mat(_mid_mat(Hc).inv())
        except (ZeroDivisionError, ValueError):
            Y = None
        if Y is None:
            times["krawczyk"] = time.perf_counter() - t1
            chk = ball_ldl_inertia(Hc, max_prec=prec)
            return result(None, _singular_reason(P, n_out, chk.zero_cluster, note), gnorm=gnorm,
                          kdim=chk.zero_cluster)
        gcol = flint.arb_mat([[x] for x in g])
        Yg = Y * gcol
        step = max(float(abs(Yg[i, 0]).upper()) for i in range(P))
        radii = [radius] if radius is not None else _radius_schedule(step, prec)
        last_reason = ""
        for r in radii:
            rb = flint.arb(0, r)
            Xb = [c + rb for c in cb]
            lossX, _, HX = ball_derivatives(case, Xb, prec)
            ImYH = _identity(P) - Y * HX
            Kc = ImYH * flint.arb_mat([[rb] for _ in range(P)]) - Yg  # K - c
            inside, miss = True, None
            for i in range(P):
                k = Kc[i, 0]
                if float(k.lower()) > r or float(k.upper()) < -r:
                    miss = i
                    break
                if not (abs(k).abs_upper() < r):
                    inside = False
            if miss is not None:
                times["krawczyk"] = time.perf_counter() - t1
                return result(False, f"K(X) misses X in coordinate {miss}: no critical point in the box",
                              r=r, gnorm=gnorm)
            if inside:
                times["krawczyk"] = time.perf_counter() - t1
                t2 = time.perf_counter()
                inert = ball_ldl_inertia(HX, max_prec=max_prec)
                times["inertia"] = time.perf_counter() - t2
                loss = lossX.str(12, radius=True)
                reason = "" if inert.proved else f"inertia undecided: {inert.reason}"
                return result(True, reason, r=r, inertia=inert.inertia, loss=loss, gnorm=gnorm)
            last_reason = f"K(X) not inside X for radius {r:.1e}"
        times["krawczyk"] = time.perf_counter() - t1
        if Hc is None:
            _, _, Hc = ball_derivatives(case, cb, prec)
        chk = ball_ldl_inertia(Hc, max_prec=prec)
        kdim = _numerical_kernel(chk, digits)
        if not chk.proved or kdim:
            k = max(kdim, chk.zero_cluster)
            return result(None, _singular_reason(P, n_out, k, note), gnorm=gnorm, kdim=k)
        return result(None, f"Krawczyk test failed ({last_reason}; |grad R| at the centre ≤ {gnorm})"
                      + (f"; {note}" if note else ""), gnorm=gnorm)


def _numerical_kernel(chk: Any, digits: int) -> int:
    """Eigenvalues below about 1e-15·‖H‖ (after one float64 congruence): numerical, never a proof."""
    return chk.float_kernel


def _singular_reason(P: int, n_out: int, k: int, note: str) -> str:
    why = (f"the Hessian is numerically singular (numerical kernel dimension {k}): "
           "Krawczyk cannot prove a non-isolated or degenerate critical point")
    if P > n_out:
        why += (f"; P = {P} > n·d_out = {n_out}: critical points with non-zero loss are generically "
                "not isolated")
    return why + (f"; {note}" if note else "")


def _radius_schedule(step: float, prec: int) -> list[float]:
    floor = 2.0 ** (-(prec - 30))
    r0 = max(step * 16, floor)
    out = []
    r = r0
    while len(out) < 4 and r < 1e-3:
        out.append(r)
        r *= 2.0 ** 40
    return out or [r0]


def _identity(n: int) -> flint.arb_mat:
    M = flint.arb_mat(n, n)
    for i in range(n):
        M[i, i] = 1
    return M


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


class _Prec:
    def __init__(self, prec: int) -> None:
        self.prec = prec

    def __enter__(self) -> None:
        self.old = flint.ctx.prec
        flint.ctx.prec = self.prec

    def __exit__(self, *exc: Any) -> None:
        flint.ctx.prec = self.old

