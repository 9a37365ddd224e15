"""Theorem cards: a theorem, its source, its small cases and the check of each case.

A card is a Python file (in ``proofs/``, or anywhere) that defines either a
``CARD = Card(...)`` object or the same fields as module-level names::

    # proofs/my_card.py
    from exactlift.theorems import step

    TITLE = "Squares are non-negative"
    STATEMENT = r"For every rational $q$: $q^2 \\ge 0$."
    SOURCE = "exactlift formalization"
    STRENGTH = "exact"

    def cases():
        for q in (-2, 0, 3):
            yield f"q={q}", q

    def check(q):
        return [step(f"q^2 = {q * q} >= 0", q * q >= 0)]

**Cases.** ``cases()`` yields ``(name, case)`` pairs, or objects with a
``name`` attribute (such as :class:`exactlift.nn.case.Case`); a case is any
Python object the check understands.

**Checks.** ``check(case)`` proves the theorem for one case.  It passes
when it returns ``None``/``True`` or a list of :class:`Step` that are all
``ok``; it fails when it returns ``False``, a step with ``ok=False``, or
raises ``AssertionError`` (plain ``assert`` works, as in pytest).  Any other
exception is reported as an *error* of that case.  Steps are what the
``--latex`` output and the JSON report show as "what was verified".

**Strength.** ``"symbolic"`` (an identity for all values: σ undefined,
free symbols), ``"exact"`` (exact rationals, no rounding), ``"certified"``
(enclosures decide) or ``"numerical"`` (floats: finds, does not prove).

>>> c = Card(title="t", statement="$1 = 1$", source="exactlift formalization",
...          cases=lambda: [("one", 1)], check=lambda x: x == 1)
>>> c.case_list()[0][0]
'one'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from exactlift.certify import FORMALIZATION, Certificate
from exactlift.errors import InputError, validated, check_fields, describe_value
from exactlift.strength import Strength

#: The strengths a card may claim, strongest first.
STRENGTHS: tuple[str, ...] = ("symbolic", "exact", "certified", "numerical")

# FORMALIZATION (imported above) labels a statement made precise by exactlift, as opposed to a
# "paper's claim"; it is the certificate's source label, re-exported here for card files.


@dataclass(frozen=True)
class Step:
    """One verified claim of a check: what was checked, whether it held, and how.

    ``claim`` is plain text (shown in tables); ``latex`` optionally renders the
    same claim as LaTeX math-mode or text for the ``--latex`` document;
    ``detail`` holds the exact values behind it (a short string).

    ``strength`` is the strength of the evidence (``None``: the card's claimed
    strength is used, see docs/cards.md); a step built from a
    :class:`~exactlift.certify.Certificate` carries the certificate's strength.

    >>> step("loss > 0", True, detail="loss = 3/4")
    Step(claim='loss > 0', ok=True, detail='loss = 3/4', latex='', strength=None)
    """

    claim: str
    ok: bool
    detail: str = ""
    latex: str = ""
    strength: Strength | None = None

    @classmethod
    def from_certificate(cls, cert: Certificate) -> "Step":
        """The step that shows a certificate (``ok`` only when it is proved to hold).

        >>> Step.from_certificate(Certificate("x = 0", True, strength="certified")).strength
        'certified'
        """
        return cls(cert.claim, cert.holds is True, str(cert.detail or ""), "", cert.strength)

    def certificate(self, claimed: Strength | str = Strength.EXACT) -> Certificate:
        """This step as a leaf :class:`Certificate` (a step without a strength takes ``claimed``).

        >>> step("q^2 >= 0", True).certificate("symbolic").line()
        'q^2 >= 0: holds [symbolic]'
        """
        return Certificate(self.claim, self.ok, strength=self.strength or claimed, detail=self.detail)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"claim": self.claim, "ok": bool(self.ok)}
        if self.detail:
            out["detail"] = self.detail
        return out


@validated
def step(claim: str, ok: Any, detail: str = "", latex: str = "", strength: Any = None) -> Step:
    """Shorthand for :class:`Step` (``ok`` is converted with ``bool``, ``strength`` parsed)."""
    if getattr(ok, "size", 1) != 1:  # bool() of a NumPy array is ambiguous
        raise InputError(f"step {claim!r}: ok must be one truth value, got {describe_value(ok)}")
    return Step(claim, bool(ok), str(detail), latex, None if strength is None else Strength.parse(strength))


@dataclass(frozen=True)
class Card:
    """A theorem card (see the module docstring).

    ``cases`` is a callable returning an iterable of ``(name, case)`` pairs
    or named objects; ``check(case)`` proves one case.  ``name`` defaults to
    the file's stem when the card is loaded from a file.
    """

    title: str
    statement: str
    source: str
    cases: Callable[[], Iterable[Any]]
    check: Callable[[Any], Any]
    strength: str = "exact"
    name: str = ""
    notes: str = ""
    tags: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        check_fields(self)
        if self.strength not in STRENGTHS:
            raise InputError(
                f"card {self.name or self.title!r}: strength must be one of {', '.join(STRENGTHS)}, got {self.strength!r}"
            )
        if not callable(self.cases):
            raise InputError(f"card {self.name or self.title!r}: cases must be a function returning the cases")
        if not callable(self.check):
            raise InputError(f"card {self.name or self.title!r}: check must be a function check(case)")
        if not self.title or not self.statement or not self.source:
            raise InputError(f"card {self.name or self.title!r}: title, statement and source are required")

    @property
    def is_formalization(self) -> bool:
        """True when the statement is exactlift's own formalization rather than a paper's claim."""
        return FORMALIZATION in self.source.lower()

    @property
    def label(self) -> str:
        """``paper's claim``, ``exactlift formalization``, or both (from :attr:`source`)."""
        src = self.source.lower()
        paper = src.startswith("paper")
        if paper and self.is_formalization:
            return "paper's claim, exactlift formalization of the checked form"
        return "exactlift formalization" if self.is_formalization or not paper else "paper's claim"

    def case_list(self) -> list[tuple[str, Any]]:
        """The cases as ``(name, case)`` pairs with unique names."""
        out: list[tuple[str, Any]] = []
        seen: set[str] = set()
        for i, item in enumerate(self.cases()):
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
                name, value = item
            else:
                name, value = str(getattr(item, "name", "") or f"case {i + 1}"), item
            if name in seen:
                raise InputError(f"card {self.name or self.title!r}: two cases are named {name!r}")
            seen.add(name)
            out.append((name, value))
        return out
