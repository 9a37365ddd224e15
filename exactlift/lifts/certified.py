"""A certified critical point as the theorems' input: the Krawczyk box X = c ± r as a case of balls.

The width and depth checks in ``--arithmetic certified`` on a smooth network (tanh, sigmoid,
softplus, rational activations) do not evaluate at the file's parameters: those are only an
approximate critical point.  :func:`certified_point` refines and proves a unique critical point θ*
in a box X (:func:`~exactlift.certify.critical.certify_critical_point`, docs/certified.md) and
returns the box as a case whose parameters are ``arb`` balls, so every quantity the theorems use
(gradients, M_s, G_s, Hessian pieces, T1–T3) evaluated on it in the certified context encloses its
value at θ*: a sign decided by a ball is proved for θ*.  Criticality itself comes from the
Krawczyk proof (a gradient ball over X contains 0 but is not 0).  When the point is not certified,
``critical`` is None and the checks say "undecided", never "certified".

>>> from exactlift.nn.case import load_case
>>> from exactlift.gallery import example_path
>>> cp = certified_point(load_case(example_path("tanh-minimum")), digits=40)
>>> cp.critical, cp.inertia, float(cp.radius) < 1e-30
(True, (0, 0, 4), True)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import flint

from exactlift.arith.contexts import CertifiedContext
from exactlift.certify.critical import CriticalCertificate, ball_derivatives, certify_critical_point
from exactlift.errors import InputError
from exactlift.nn.case import Case
from exactlift.nn.network import Params

__all__ = ["CertifiedPoint", "certified_point", "certifiable", "short_rationals", "ball_quadratic_form",
           "wide_box", "certified_negative"]


def certifiable(case: Case) -> bool:
    """Whether the Krawczyk engine applies: every activation smooth (no kinks, not undefined).

    >>> from exactlift.nn.examples import demo_case
    >>> certifiable(demo_case())
    True
    """
    return bool(case.arch.activations) and all(a.kind not in ("piecewise", "undefined") for a in case.arch.activations)


@dataclass
class CertifiedPoint:
    """The file's case, its :class:`CriticalCertificate`, the certified context and the box as a case."""

    case: Case
    certificate: CriticalCertificate
    ctx: CertifiedContext
    box: Case

    @property
    def critical(self) -> bool | None:
        """True when a unique critical point is proved in the box; None otherwise (undecided)."""
        return True if self.certificate.critical is True else None

    @property
    def inertia(self) -> tuple[int, int, int] | None:
        return self.certificate.inertia if self.critical else None

    @property
    def radius(self) -> str | None:
        return self.certificate.radius if self.critical else None

    @property
    def prec(self) -> int:
        return self.ctx.prec

    def note(self) -> str:
        """One sentence: what was certified (with the radius), or why not."""
        c = self.certificate
        if self.critical:
            return (f"certified: a unique critical point theta* within radius {c.radius} of the refined centre "
                    f"(distance <= {c.distance} from the file's parameters; Krawczyk test in ball arithmetic)")
        return "undecided: the point is not certified critical (" + (c.reason or "no proof") + ")"

    def data(self) -> dict[str, Any]:
        c = self.certificate
        return {"certified_critical": self.critical, "radius": self.radius, "distance": c.distance if self.critical else None,
                "prec_bits": self.prec, "reason": None if self.critical else c.reason}


#: A certified critical point farther than this (max-norm) from the file's parameters is another
#: critical point, not the candidate's: the checks then say "undecided".
MAX_DISTANCE = 1e-4


def certified_point(case: Case, digits: int = 50, max_distance: float = MAX_DISTANCE) -> CertifiedPoint:
    """Certify the case's point and return the box X = c ± r as a case of ``arb`` balls.

    Not certified (``critical`` None): the box is the file's own parameters as exact balls, so
    the checks can still run (and say "undecided").  A critical point proved farther than
    ``max_distance`` from the file's parameters (Newton went elsewhere) counts as not certified.
    """
    if not certifiable(case):
        raise InputError(f"{case.arch.describe()}: certified theorem checks need smooth activations (tanh, sigmoid, "
                         "softplus, expressions in z); piecewise-linear networks have exact critical points: use "
                         "--arithmetic exact, which is stronger")
    cert = certify_critical_point(case, digits=digits)
    if cert.critical is True and float(cert.distance) > max_distance:
        from dataclasses import replace

        cert = replace(cert, critical=None, reason=f"the critical point certified by Newton + Krawczyk is at distance "
                       f"{cert.distance} > {max_distance:g} from the file's parameters: not this candidate")
    ctx = CertifiedContext(max(digits, 5))
    ctx.prec = max(ctx.prec, cert.prec)
    with ctx.active():
        if cert.critical is True:
            r = flint.arb(0, float(cert.radius))
            vals = [ctx.convert(x) + r for x in cert.center_exact]
        else:
            vals = [ctx.convert(Fraction(x)) for x in case.params.flatten()]
        box = case.with_params(case.arch, Params.from_flat(case.arch, vals))
    return CertifiedPoint(case, cert, ctx, box)


def wide_box(cp: CertifiedPoint, steps: Sequence[Any]) -> tuple[Case, list[Any]]:
    """The image of the box under width lifts (each ``linear_map`` applied to balls): the wide case and its balls."""
    with cp.ctx.active():
        vals = list(cp.box.params.flatten())
        case = cp.box
        for s in steps:
            vals = s.linear_map(case.arch)(vals)
            case = s.apply_case(case)
        case = case.with_params(case.arch, Params.from_flat(case.arch, vals))
    return case, vals


def short_rationals(v: Sequence[Any], denominator: int = 1000) -> list[Fraction]:
    """A numerical direction scaled to max-norm 1 and rounded to fractions with denominator ≤ ``denominator``.

    >>> short_rationals([0.5, -0.25000001, 0.0])
    [Fraction(1, 1), Fraction(-1, 2), Fraction(0, 1)]
    """
    vals = [float(x.mid()) if hasattr(x, "mid") else float(x) for x in v]
    m = max((abs(x) for x in vals), default=0.0)
    if m == 0:
        return [Fraction(0) for _ in vals]
    return [Fraction(x / m).limit_denominator(denominator) for x in vals]


def ball_quadratic_form(H: Any, w: Sequence[Fraction], prec: int) -> Any:
    """wᵀ H w for an ``arb_mat`` (or nested ball array) H and an exact vector w, as a ball."""
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        n = len(w)
        col = flint.arb_mat([[flint.arb(x.numerator) / x.denominator] for x in w])
        M = H if isinstance(H, flint.arb_mat) else flint.arb_mat(n, n, [H[i, j] for i in range(n) for j in range(n)])
        return (col.transpose() * M * col)[0, 0]
    finally:
        flint.ctx.prec = old


def certified_negative(case: Case, balls: Sequence[Any], w: Sequence[Fraction], prec: int) -> tuple[bool, Any]:
    """Is wᵀ H(X) w < 0 for every Hessian over the box ``balls``?  (proved when True), with the ball."""
    _, _, H = ball_derivatives(case, list(balls), prec)
    value = ball_quadratic_form(H, w, prec)
    return bool(value < 0), value


def numerical_negative_direction(M: Any) -> list[float] | None:
    """An eigenvector of the (midpoint) symmetric matrix M for its most negative eigenvalue, or None.

    >>> import numpy as np
    >>> v = numerical_negative_direction(np.array([[1.0, 0.0], [0.0, -2.0]]))
    >>> [round(abs(x)) for x in v]
    [0, 1]
    """
    import numpy as np

    n = M.shape[0] if hasattr(M, "shape") else M.nrows()
    A = np.array([[float(M[i, j].mid()) if hasattr(M[i, j], "mid") else float(M[i, j]) for j in range(n)]
                  for i in range(n)])
    vals, vecs = np.linalg.eigh((A + A.T) / 2)
    if n == 0 or vals[0] >= 0:
        return None
    return list(vecs[:, 0])
