"""The certificate of one width check: :class:`CheckResult`, a :class:`~exactlift.certify.Certificate`.

Every width check (:mod:`~exactlift.lifts.width.first_order`,
:mod:`~exactlift.lifts.width.second_order`, :mod:`~exactlift.lifts.width.symbolic`,
:mod:`~exactlift.lifts.width.check`) returns one: what was checked (``name``,
its claim), whether it holds (True/False, None when it does not apply or is
undecided), its **strength** (symbolic, exact, certified, numerical; computed
as the weakest of its parts when it has children), its **scope** and the exact
numbers (``data``).  ``to_json()`` keeps the key ``"property"`` of exactlift
0.1 beside the certificate's keys.

>>> r = CheckResult("output preserved", True, "exact", "this case")
>>> r.name, r.strength, r.to_json()["property"], str(r)
('output preserved', 'exact', 'output preserved', 'output preserved: holds [exact; this case]')

Failure mode: :class:`~exactlift.errors.InputError` for a strength that is not
one of symbolic, exact, certified, numerical.
"""

from __future__ import annotations

from typing import Any, Sequence

from exactlift.certify.certificate import FORMALIZATION, Certificate
from exactlift.strength import STRENGTHS

__all__ = ["CheckResult", "STRENGTHS", "verdict_word", "verdict_sentence"]


class CheckResult(Certificate):
    """One checked property of a width embedding (a :class:`Certificate` named by its property).

    ``holds`` is True/False, or None when the property does not apply (e.g.
    criticality preservation at a point that is not critical) or balls do not
    decide it; ``strength`` is one of :data:`STRENGTHS`; ``scope`` says for what
    the statement was shown; ``detail`` is one human sentence; ``data`` holds
    the exact numbers.
    """

    def __init__(self, name: str | None = None, holds: bool | None = None, strength: Any = None, scope: str = "",
                 detail: str = "", seconds: float = 0.0, data: dict | None = None, *, claim: str | None = None,
                 source: str = FORMALIZATION, children: Sequence[Certificate] = (), theorem: str = "") -> None:
        super().__init__(claim if claim is not None else str(name), holds, strength, scope, detail,
                         dict(data or {}), seconds, source, children, theorem)

    @property
    def name(self) -> str:
        """The property checked (the certificate's claim)."""
        return self.claim

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        return {"property": self.claim, **out}


def verdict_word(ok: bool | None) -> str:
    """``"True"``, ``"False"`` or ``"undecided"``."""
    return {True: "True", False: "False", None: "undecided"}[ok]


def verdict_sentence(ok: bool | None, yes: str, no: str, why: str) -> str:
    """``yes`` when ok, ``no`` when not, and ``undecided: why`` (the context's :attr:`undecided_zero`) when undecided.

    >>> verdict_sentence(None, "equal", "differs", "an enclosure contains 0")
    'undecided: an enclosure contains 0'
    """
    return yes if ok else (no if ok is False else f"undecided: {why}")
