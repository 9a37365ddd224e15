"""The cards' cases with their lifts (width and depth pairs) and the step made from a check.

The cases themselves (:func:`~exactlift.nn.examples.small_case`,
:func:`~exactlift.nn.examples.spec_t4_example`, ...) are in
:mod:`exactlift.nn.examples`, shared with the demo, doctests and conjectures;
they are re-exported here.

>>> len(depth_cases()) > 0
True
"""

from __future__ import annotations

from typing import Any

from exactlift.nn.case import Case
from exactlift.nn.examples import TARGETS, distinct_inputs, off_kinks, small_case, spec_t4_example  # noqa: F401 (re-exported)

def step_from_check(check: Any, allow_not_applicable: bool = False) -> Any:
    """A card :class:`~exactlift.theorems.card.Step` from a lift module's check result.

    Works with any object with ``holds`` (True/False/None), ``name`` or
    ``theorem``, ``detail`` and ``strength`` (e.g. the depth module's
    ``TheoremCheck`` and the width module's ``CheckResult``).  ``holds is None``
    (the hypothesis does not apply) is a failure unless ``allow_not_applicable``.
    """
    from exactlift.theorems.card import Step

    holds = getattr(check, "holds", None)
    theorem = getattr(check, "theorem", "")
    name = getattr(check, "name", "") or getattr(check, "statement", "") or type(check).__name__
    label = f"{theorem} {name}".strip()
    strength = getattr(check, "strength", "")
    detail = str(getattr(check, "detail", "") or "")
    if strength:
        detail = f"[{strength}] {detail}".strip()
    if holds is None:
        return Step(label + " (not applicable)", allow_not_applicable, detail)
    return Step(label, bool(holds), detail)


def depth_cases() -> list[tuple[str, Case, Any]]:
    """Small (shallow critical case, depth lift) pairs used by the depth cards (docs/depth.md).

    Needs :mod:`exactlift.lifts.depth`.
    """
    from exactlift.lifts.depth import CriticalLift, IdentityLift

    relu = small_case([1, 2, 1], "relu", None, 0, "critical")
    return [
        ("1-1 linear fit, insert relu after 0", spec_t4_example(), IdentityLift(0)),
        ("1-2-1 relu, insert after 0", relu, IdentityLift(0)),
        ("1-2-1 relu, insert after 1", relu, IdentityLift(1)),
        ("1-2-1 relu, insert width 3 after 1", relu, CriticalLift(1, A=[[1, 0], [0, 1], [1, 1]], c=[10, 10, 10])),
        ("1-2-1 z/(1+z^2), insert relu after 1", small_case([1, 2, 1], "z/(1 + z**2)", None, 1, "critical"),
         IdentityLift(1)),
        ("2-2-1 leaky_relu, insert leaky_relu after 1", small_case([2, 2, 1], "leaky_relu(1/10)", None, 2, "critical"),
         IdentityLift(1, activation="leaky_relu(1/10)")),
        ("1-2-2 relu, insert hard_tanh after 1", small_case([1, 2, 2], "relu", None, 3, "critical"),
         CriticalLift(1, A=[["1/100", 0], [0, "1/100"]], c=["-1/2", "-1/2"], activation="hard_tanh")),
    ]


def width_cases() -> list[tuple[str, Case, Any]]:
    """Small (critical case, width embedding) pairs used by the width cards (docs/width.md).

    Needs :mod:`exactlift.lifts.width`.
    """
    from fractions import Fraction as Fr

    from exactlift.nn.examples import demo_case
    from exactlift.lifts.width import NullNeuron, Permute, SplitNeuron, compose

    demo = demo_case()
    two = small_case([1, 2, 2, 1], "z + z**5/5", None, 1, "critical")
    vec = small_case([2, 2, 2], "leaky_relu(1/10)", None, 2, "critical")
    sig = small_case([1, 2, 1], "1/(1 + z**2)", None, 3, "critical")  # sigma(0) = 1 != 0
    return [
        ("1-2-1 z/(1+z^2): split(1,0,1/3)", demo, SplitNeuron(1, 0, Fr(1, 3))),
        ("1-2-1 z/(1+z^2): split(1,1,2)", demo, SplitNeuron(1, 1, Fr(2))),
        ("1-2-1 z/(1+z^2): null(1)", demo, NullNeuron(1)),
        ("1-2-1 z/(1+z^2): split, null, permute", demo,
         compose(SplitNeuron(1, 0, Fr(1, 3)), NullNeuron(1), Permute(1, (2, 0, 3, 1)))),
        ("1-2-2-1 z+z^5/5: split in layers 1 and 2", two,
         compose(SplitNeuron(1, 1, Fr(-1)), SplitNeuron(2, 0, Fr(1, 2)))),
        ("2-2-2 leaky_relu: split(1,0,3/2)", vec, SplitNeuron(1, 0, Fr(3, 2))),
        ("1-2-1 1/(1+z^2) (sigma(0)=1): null(1) with bias", sig, NullNeuron(1)),
    ]
