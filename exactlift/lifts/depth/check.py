"""Every applicable depth check (T1, T2, T3, T4, T7) for one lift of one case (docs/depth.md).

**exactlift formalization of arXiv 2205.13283**.

>>> from exactlift.nn.case import case_from_dict
>>> from exactlift.lifts.depth.lifting import IdentityLift
>>> case = case_from_dict({"network": {"widths": [1, 1], "params": {"W": [[["1/2"]]], "b": [["1/3"]]},
...     "data": {"x": [["-2"], ["0"], ["3"]], "y": [["0"], ["1"], ["2"]]}}})
>>> [(r.theorem, r.holds, r.strength) for r in check_lift(case, IdentityLift(0), saddle=False)][:3]
[('T1', True, 'exact'), ('T1', None, 'symbolic'), ('T2', True, 'exact')]
"""

from __future__ import annotations

from exactlift.lifts.depth.certified import certified_check_lift
from exactlift.lifts.depth.insertion import SOURCE
from exactlift.lifts.depth.lifting import CriticalLift, IdentityLift
from exactlift.lifts.depth.prune import check_prune
from exactlift.lifts.depth.saddle import check_null_neuron_saddle, check_strict_saddle
from exactlift.lifts.depth.theorems import (
    TheoremCheck,
    check_criticality,
    check_gradient_transfer,
    check_inertia,
    check_lifted_dimension,
    check_output_preservation,
    lifted_point,
    prove_output_preservation_all_inputs,
)
from exactlift.certify import Certificate
from exactlift.nn.case import Case
from exactlift.errors import validated

__all__ = ["check_lift", "check_lift_certificate", "combine_checks"]


# ---------------------------------------------------------------------------
# everything for one lift
# ---------------------------------------------------------------------------


@validated
def check_lift(
    case: Case,
    lift: CriticalLift | IdentityLift,
    arithmetic: str = "auto",
    digits: int = 60,
    saddle: bool = True,
    inertia: bool = True,
) -> list[TheoremCheck]:
    """Run every applicable depth check (T1, T2, T3, T4, T7) for one lift of one case.

    ``arithmetic``: ``auto`` (the default) is ``case.auto_arithmetic``, as on the command line:
    exact when the case has exact values, else certified.  ``certified`` checks T1–T3 at the
    certified critical point (:func:`~exactlift.lifts.depth.certified.certified_check_lift`;
    ``saddle`` does not apply there); ``exact`` and ``mp`` run every check at the given point.
    """
    if arithmetic == "auto":
        arithmetic = case.auto_arithmetic
    if arithmetic == "certified":
        return certified_check_lift(case, lift, digits, inertia=inertia)
    p = lifted_point(case, lift, arithmetic, digits)
    out = [
        check_output_preservation(p),
        prove_output_preservation_all_inputs(p),
        check_gradient_transfer(p),
        check_criticality(p),
        check_lifted_dimension(p),
    ]
    if inertia:
        out.append(check_inertia(p))
    if saddle:
        if p.result.null_neurons:
            out.append(check_null_neuron_saddle(p))
        else:
            base = lift if isinstance(lift, CriticalLift) else p.result.lift
            if isinstance(base, IdentityLift):
                base = base.resolve(case)
            out.append(check_strict_saddle(case, base, arithmetic=p.arithmetic, digits=digits))
    out.append(check_prune(p.deep, p.result.after_layer + 1, p.arithmetic, digits, expected=case))
    return out


def combine_checks(checks: list[TheoremCheck], claim: str = "depth lift: T1-T7") -> Certificate:
    """One composite :class:`~exactlift.certify.Certificate` of ``checks``; its strength is the weakest part's.

    Not-applicable parts (``holds`` None) count as not proved.
    """
    return Certificate.combine(claim, [c.certificate() for c in checks], source=SOURCE)


def check_lift_certificate(case: Case, lift: CriticalLift | IdentityLift, **kwargs) -> Certificate:
    """:func:`check_lift` as one composite certificate (strength = weakest of the parts).

    >>> from exactlift.nn.case import case_from_dict
    >>> case = case_from_dict({"network": {"widths": [1, 1], "params": {"W": [[["1/2"]]], "b": [["1/3"]]},
    ...     "data": {"x": [["-2"], ["0"], ["3"]], "y": [["0"], ["1"], ["2"]]}}})
    >>> str(check_lift_certificate(case, IdentityLift(0), saddle=False).strength)
    'exact'
    """
    return combine_checks(check_lift(case, lift, **kwargs))
