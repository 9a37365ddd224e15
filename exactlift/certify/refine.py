"""Ball derivatives of a case and the numerical refinement of a candidate (proves nothing).

:func:`ball_derivatives` runs the core :func:`~exactlift.calculus.backprop.derivatives`
over ``arb`` balls (loss, gradient, Hessian as an ``arb_mat``); :func:`newton` refines a
candidate by chord steps, then a Levenberg–Marquardt-damped Newton iteration on ∇R, used
through the balls' midpoints (numerically what mpmath does at that precision).  The balls
decide later (:mod:`exactlift.certify.critical`); nothing here is a proof.

>>> from exactlift.nn.case import case_from_dict
>>> case = case_from_dict({"network": {"widths": [1, 1], "params": {"W": [[["2"]]], "b": [["1"]]},
...     "data": {"x": [["0"], ["1"]], "y": [["1"], ["3"]]}}})
>>> loss, g, H = ball_derivatives(case, [2, 1], 128)
>>> loss, [str(x) for x in g]
(0, ['0', '0'])
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import flint

from exactlift.arith.contexts import CertifiedContext
from exactlift.calculus.backprop import derivatives
from exactlift.certify.ball_hessian import applies, fast_derivatives
from exactlift.nn.network import Params

__all__ = ["Prec", "as_arb", "ball_derivatives", "identity", "mid_mat", "newton", "norm2", "norm_inf"]


class Prec:
    """``with Prec(bits):`` sets python-flint's working precision and restores it afterwards.

    >>> with Prec(300):
    ...     flint.ctx.prec
    300
    """

    def __init__(self, prec: int) -> None:
        self.prec = prec

    def __enter__(self) -> None:
        self.old = flint.ctx.prec
        flint.ctx.prec = self.prec

    def __exit__(self, *exc: Any) -> None:
        flint.ctx.prec = self.old


def context(prec: int) -> CertifiedContext:
    """The certified context at ``prec`` bits."""
    ctx = CertifiedContext(max(5, int((prec - 16) / 3.33)))
    ctx.prec = prec
    return ctx


def ball_derivatives(case: Any, values: list[Any], prec: int, order: int = 2) -> tuple[Any, list[Any], Any]:
    """Loss, gradient and Hessian (``arb_mat``; None when ``order=1``) with parameters ``values``
    (arb balls or rationals) at ``prec`` bits.

    One-hidden-layer mse networks with tanh/sigmoid/softplus take the ``arb_mat`` fast path
    (:mod:`exactlift.certify.ball_hessian`); everything else the context-generic code.
    """
    if order >= 1 and applies(case):
        old = flint.ctx.prec
        flint.ctx.prec = prec
        try:
            return fast_derivatives(case, values, prec, order)
        finally:
            flint.ctx.prec = old
    ctx = context(prec)
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


def mid_mat(H: flint.arb_mat) -> flint.arb_mat:
    """The midpoint matrix (exact balls) of an ``arb_mat``."""
    return flint.arb_mat(H.nrows(), H.ncols(), [x.mid() for x in H.entries()])


def norm_inf(vals: list[Any]) -> float:
    """max |midpoint| of a list of balls (a float, numerical)."""
    return max((float(abs(v.mid())) for v in vals), default=0.0)


def norm2(vals: list[Any]) -> Any:
    """Euclidean norm² of the midpoints (an exact-ish arb, numerical): the damped Newton's merit function."""
    acc = flint.arb(0)
    for v in vals:
        m = v.mid()
        acc += m * m
    return acc.mid()


def as_arb(x: Any) -> Any:
    """An arb ball from an arb or a rational (exact at the working precision when dyadic)."""
    if isinstance(x, flint.arb):
        return x
    f = Fraction(x)
    return flint.arb(f.numerator) / f.denominator


def identity(n: int) -> flint.arb_mat:
    """The n×n identity ``arb_mat``."""
    M = flint.arb_mat(n, n)
    for i in range(n):
        M[i, i] = 1
    return M


def newton(case: Any, theta: list[Any], prec: int, max_iter: int, tol: float, first: Any = None
           ) -> tuple[list[Any], float, str, Any]:
    """Safeguarded Newton on ∇R at ``prec`` bits: (θ as arb midpoints, |∇R|∞, note, chord preconditioner or None).

    ``first``: (gradient, Hessian) already computed at ``theta`` (their midpoints are used).
    """
    with Prec(prec):
        return _newton_at(case, [as_arb(x).mid() for x in theta], prec, max_iter, tol, first)


def _newton_at(case: Any, c: list[Any], prec: int, max_iter: int, tol: float, first: Any = None
               ) -> tuple[list[Any], float, str, Any]:
    """Chord steps, then Levenberg–Marquardt: solve (HᵀH + μI) s = −Hᵀg, accept when |∇R|₂ drops.

    Each round tries the plain Newton step first (after an accepted step); μ shrinks (×1/10)
    after an accepted damped step and grows (×10) after a rejected one, so
    the iteration is Newton near a non-degenerate critical point and a damped
    gradient method on |∇R|² far from it.
    """
    g, H = first if first is not None else ball_derivatives(case, c, prec)[1:]
    gn = norm_inf(g)
    P = len(c)
    note = ""
    try:
        Yc = mid_mat(mid_mat(H).inv())
    except (ZeroDivisionError, ValueError):
        Yc = None
    while Yc is not None and gn > tol:  # chord steps: one Hessian, gradient-only steps while |∇R| drops tenfold
        s = Yc * flint.arb_mat([[x.mid()] for x in g])
        trial = [(ci - s[i, 0]).mid() for i, ci in enumerate(c)]
        _, g2, _ = ball_derivatives(case, trial, prec, order=1)
        gn2 = norm_inf(g2)
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
        Hm = mid_mat(H)
        gcol = flint.arb_mat([[x.mid()] for x in g])
        if rejected == 0:  # the plain Newton step first: quadratic near a regular zero, whatever cond(H)
            try:
                step = mid_mat(Hm.solve(-gcol))
                trial = [(ci + step[i, 0]).mid() for i, ci in enumerate(c)]
                _, g2, _ = ball_derivatives(case, trial, prec, order=1)
                if norm2(g2) < norm2(g):
                    _, g, H = ball_derivatives(case, trial, prec)
                    c, gn = trial, norm_inf(g2)
                    continue
            except (ZeroDivisionError, ValueError):
                pass
        HtH = mid_mat(Hm.transpose() * Hm)
        rhs = mid_mat(Hm.transpose() * gcol)
        if mu is None:
            mu = max(float(abs(HtH[i, i].mid())) for i in range(P)) * 1e-12 or 1e-30
        A = HtH + mu * identity(P)
        try:
            step = mid_mat(A).solve(-rhs)
        except (ZeroDivisionError, ValueError):
            mu *= 10
            continue
        trial = [(ci + step[i, 0]).mid() for i, ci in enumerate(c)]
        _, g2, _ = ball_derivatives(case, trial, prec, order=1)
        gn2 = norm_inf(g2)
        if norm2(g2) < norm2(g):  # the Euclidean merit: Newton steps decrease it near a regular zero
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
