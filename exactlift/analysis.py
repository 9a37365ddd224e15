"""Analyze a case: loss, criticality, Hessian inertia, in a chosen arithmetic.

``exact``: the loss, gradient and Hessian are exact rationals; criticality is
∇R = 0 exactly and the inertia comes from an exact congruence/characteristic
polynomial (:func:`exactlift.arith.linalg.inertia`): strength ``exact``.

``certified``: python-flint ``arb`` balls at about ``digits`` digits: a
gradient entry is proved non-zero when its ball excludes 0, and the inertia is
proved by a pivoted congruence whose pivots' balls exclude 0 (else reported
undecided).  Exact zeros are only recognised when a ball is exactly 0.

``mp``: mpmath at ``digits`` digits; a gradient entry counts as zero below
10^(-digits+10) and eigenvalues (mpmath ``eigsy``) likewise.  This *finds*
candidates; it proves nothing, and the result says so (strength ``numerical``).

>>> from exactlift.nn.case import case_from_dict
>>> case = case_from_dict({"network": {"widths": [1, 1], "params": {"W": [[["2"]]], "b": [["1"]]},
...     "data": {"x": [["0"], ["1"]], "y": [["1"], ["3"]]}}})
>>> a = analyze(case)
>>> a.loss, a.critical, a.inertia
('0', True, (0, 0, 2))
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

from exactlift import display
from exactlift.certify.certificate import Certificate
from exactlift.arith.contexts import Context, get_context
from exactlift.calculus.backprop import Derivatives, derivatives
from exactlift.nn.case import Case
from exactlift.errors import ArithmeticModeError, validated


def gradient_vanishes(gradient: list[Any], ctx: Context) -> bool | None:
    """True/False when decided in the context's strength; None when undecided (:meth:`Context.all_zero`)."""
    return ctx.all_zero(gradient)


@display.rich_display(display.analysis_bundle)  # notebook views: _repr_mimebundle_, _repr_html_, _repr_latex_
@dataclass
class Analysis:
    """What :func:`analyze` found, with the arithmetic and strength that back it."""

    case: Case
    arithmetic: str
    strength: str
    context: str
    loss: str
    critical: bool | None
    max_gradient: str
    max_gradient_parameter: str
    inertia: tuple[int, int, int] | None
    n_params: int
    seconds: float
    derivatives: Derivatives = field(repr=False)
    #: certified arithmetic on smooth activations: the Krawczyk verdict of :func:`certified_criticality`
    #: (``critical`` means "a critical point lies within ``critical_distance`` of θ"), else None
    krawczyk: Any = field(default=None, repr=False)

    @property
    def strict_saddle(self) -> bool | None:
        """n₋ ≥ 1 at a critical point (None when the Hessian was not computed)."""
        return None if self.inertia is None else (self.critical and self.inertia[0] >= 1)

    def certificate(self) -> Certificate:
        """The analysis as a :class:`~exactlift.certify.Certificate`: θ is a critical point, with its inertia.

        The claim holds when the gradient vanishes (None when undecided); its child
        states the Hessian inertia (holds None when undecided or not computed).
        The strength is the context's, computed as the weakest of the parts.

        >>> from exactlift.nn.examples import demo_case
        >>> c = analyze(demo_case()).certificate()
        >>> c.holds, c.strength, sum(c.children[0].data["inertia"])  # n- + n0 + n+ = 7 parameters
        (True, 'exact', 7)
        """
        where = f"{self.case.arch.describe()}, {self.case.n_samples} samples, loss {self.case.loss.spec}"
        parts = [Certificate("Hessian inertia (n-, n0, n+)", None if self.inertia is None else True, self.strength,
                             scope="at theta", detail="" if self.inertia is None else str(tuple(self.inertia)),
                             data={"inertia": self.inertia})]
        return Certificate("theta is a critical point of R", self.critical, self.strength, scope=where,
                           detail=f"max |dR/dtheta| = {self.max_gradient}", data={"loss": self.loss},
                           seconds=self.seconds, children=parts)

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` report (keys: loss, critical, inertia, n_params, arithmetic, …)."""
        out = {
            "network": self.case.arch.describe(),
            "n_samples": self.case.n_samples,
            "n_params": self.n_params,
            "arithmetic": self.arithmetic,
            "context": self.context,
            "strength": self.strength,
            "loss": self.loss,
            "critical": self.critical,
            "max_abs_gradient": self.max_gradient,
            "max_abs_gradient_parameter": self.max_gradient_parameter,
            "inertia": list(self.inertia) if self.inertia is not None else None,
            "strict_saddle": self.strict_saddle,
            "seconds": round(self.seconds, 4),
        }
        if self.krawczyk is not None:  # certified, smooth: the same verdict as `exactlift certify`
            k = self.krawczyk
            out.update(critical_radius=k.radius, critical_distance=k.distance, critical_reason=k.reason or None)
        return out

    def report(self) -> str:
        """A few human-readable lines."""
        n_minus, n_zero, n_plus = self.inertia if self.inertia else ("?", "?", "?")
        if self.critical is None:
            verdict = "undecided: every gradient ball contains 0 but not all are exactly 0"
        else:
            verdict = "critical point" if self.critical else "NOT a critical point"
        if self.critical and self.inertia:
            if n_minus:
                verdict += " (strict saddle: the Hessian has a negative eigenvalue)"
            elif n_zero == 0:
                verdict += " (strict local minimum: Hessian positive definite)"
            else:
                verdict += " (Hessian positive semidefinite and singular: second order is inconclusive)"
        lines = [
            f"case:        {self.case.name or '(unnamed)'}: {self.case.arch.describe()}, {self.case.n_samples} samples, loss {self.case.loss.spec}",
            f"arithmetic:  {self.context} -> strength {self.strength}",
            f"parameters:  {self.n_params}",
            f"loss:        {self.loss}",
            f"gradient:    max |dR/dtheta| = {self.max_gradient} at {self.max_gradient_parameter}",
            f"verdict:     {verdict}",
            f"inertia:     (n-, n0, n+) = ({n_minus}, {n_zero}, {n_plus})",
        ]
        if self.krawczyk is not None:
            k = self.krawczyk
            lines.append(f"krawczyk:    {k.reason}" if k.critical is not True else
                         f"krawczyk:    a unique critical point within {k.radius} (max-norm) of a centre at distance "
                         f"<= {k.distance} from theta (exactlift certify gives the same verdict)")
        if self.strength == "certified" and self.inertia is None:
            lines.append("note:        the inertia is undecided at this precision (a pivot ball contains 0)")
        if self.strength == "numerical":
            lines.append("note:        mp arithmetic finds candidates; it does not prove (use exact arithmetic to decide)")
        return "\n".join(lines)


@validated
def analyze(case: Case, arithmetic: str | Context = "exact", digits: int = 50, hessian: bool = True) -> Analysis:
    """Loss, criticality and Hessian inertia of a case (see the module docstring)."""
    ctx = get_context(arithmetic, digits)
    start = time.perf_counter()
    with ctx.active():
        X, Y = case.arrays(ctx)
        d = derivatives(case.arch, case.params, X, Y, case.loss, ctx, order=2 if hessian else 1)
        grads = [abs(g) for g in d.gradient]
        if any(math.isnan(ctx.magnitude(v)) or math.isinf(ctx.magnitude(v)) for v in (d.loss, *grads)):
            raise ArithmeticModeError(  # an enclosure without a finite bound proves nothing
                f"the {ctx.name} loss or gradient is not finite: a division by a value that contains 0 (an input "
                "on or near a pole of the activation or the loss); decide it in exact arithmetic")
        k = max(range(len(grads)), key=lambda i: ctx.magnitude(grads[i]))
        critical = gradient_vanishes(d.gradient, ctx)
        krawczyk = certified_criticality(case, ctx, digits) if critical is not True else None
        if krawczyk is not None:
            critical = krawczyk.critical
        inert = d.hessian_inertia_result().inertia if hessian else None
        result = Analysis(
            case=case,
            arithmetic=ctx.name,
            strength=ctx.strength,
            context=ctx.describe(),
            loss=ctx.to_output(d.loss),
            critical=critical,
            max_gradient=ctx.to_output(grads[k]),
            max_gradient_parameter=case.arch.param_name(k),
            inertia=inert,
            n_params=case.arch.n_params,
            seconds=0.0,
            derivatives=d,
            krawczyk=krawczyk,
        )
    result.seconds = time.perf_counter() - start
    return result


def certified_criticality(case: Case, ctx: Context, digits: int) -> Any:
    """The criticality verdict of ``exactlift certify`` (Krawczyk in balls) for certified arithmetic on smooth
    activations, so that ``analyze --arithmetic certified`` and ``certify`` never disagree; None otherwise.

    A decimal θ near an irrational tanh critical point has a non-zero gradient, so ball
    arithmetic alone would say "not critical"; the Krawczyk test proves the critical
    point next to it (:func:`exactlift.certify.critical.certify_critical_point`).
    """
    if not (ctx.rigorous and ctx.enclosures):
        return None
    if any(a.kind in ("piecewise", "undefined") for a in case.arch.activations):
        return None
    from exactlift.certify.critical import certify_critical_point

    return certify_critical_point(case, digits=digits)


def context_inertia(H: Any, ctx: Context) -> tuple[int, int, int] | None:
    """The Hessian inertia in the context's own strength (:meth:`Context.inertia`; None when undecided)."""
    return ctx.inertia(H)


#: Former name, kept for callers written before the certified context existed.
numerical_inertia = context_inertia
