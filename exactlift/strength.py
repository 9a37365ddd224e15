"""The strength of a result: symbolic > exact > certified > numerical.

Every claim exactlift reports says how it was obtained:

=============  =================================================================
strength       meaning
=============  =================================================================
``symbolic``   an identity of SymPy expressions, for all values (σ undefined)
``exact``      rational (or exact algebraic) arithmetic, no rounding anywhere
``certified``  ball/interval enclosures whose bounds prove the claim
``numerical``  floating point at a chosen precision: finds candidates, decides nothing
=============  =================================================================

:class:`Strength` is a ``str`` enum (so ``Strength.EXACT == "exact"`` and it
serialises to JSON as its name) whose order is the order of trust, so the
strength of a composite claim is ``min()`` of its parts: it is computed, never
declared.

>>> Strength("exact") > Strength.CERTIFIED
True
>>> Strength.EXACT == "exact", type(Strength.parse("exact")).__name__
(True, 'Strength')
>>> min(Strength.SYMBOLIC, "exact", Strength.NUMERICAL)
'numerical'
>>> weakest(["exact", "certified"])
'certified'
>>> Strength.parse("rounded")
Traceback (most recent call last):
...
exactlift.errors.InputError: unknown strength 'rounded': choose one of symbolic, exact, certified, numerical

This module sits at the bottom of the package (beside :mod:`exactlift.errors`)
so that the scalar contexts can carry their strength; the result type built on
it is :class:`exactlift.certify.certificate.Certificate`.
"""

from __future__ import annotations

import enum
from typing import Any, Iterable

from exactlift.errors import InputError, safe_repr

__all__ = ["Strength", "STRENGTHS", "weakest"]


class _StrengthType(enum.EnumMeta):
    """``Strength(value)`` refuses an unknown name with an :class:`InputError` (never a bare ValueError)."""

    def __call__(cls, value: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if args or kwargs or isinstance(value, cls):
            return super().__call__(value, *args, **kwargs)
        try:
            return super().__call__(value)
        except ValueError:
            names = ", ".join(s.value for s in reversed(list(cls)))  # type: ignore[var-annotated]
            raise InputError(f"unknown strength {safe_repr(value, 60)}: choose one of {names}") from None


class Strength(str, enum.Enum, metaclass=_StrengthType):
    """How strongly a claim is established, ordered by trust (``min`` = weakest)."""

    NUMERICAL = "numerical"
    CERTIFIED = "certified"
    EXACT = "exact"
    SYMBOLIC = "symbolic"

    @classmethod
    def parse(cls, value: Any) -> "Strength":
        """A :class:`Strength` from itself or its name; :class:`InputError` for anything else."""
        if isinstance(value, Strength):
            return value
        try:
            return cls(str(value))
        except ValueError:
            names = ", ".join(s.value for s in reversed(cls))
            raise InputError(f"unknown strength {value!r}: choose one of {names}") from None

    @property
    def rank(self) -> int:
        """0 for numerical … 3 for symbolic."""
        return _RANK[self]

    @property
    def decides(self) -> bool:
        """Whether a claim of this strength is a proof (everything but ``numerical``)."""
        return self is not Strength.NUMERICAL

    def _other(self, other: Any) -> "Strength":
        return Strength.parse(other)

    def __lt__(self, other: Any) -> bool:  # type: ignore[override]
        return self.rank < self._other(other).rank

    def __le__(self, other: Any) -> bool:  # type: ignore[override]
        return self.rank <= self._other(other).rank

    def __gt__(self, other: Any) -> bool:  # type: ignore[override]
        return self.rank > self._other(other).rank

    def __ge__(self, other: Any) -> bool:  # type: ignore[override]
        return self.rank >= self._other(other).rank

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        # shown as its name, so a strength reads the same in a repr, a table and JSON
        return repr(self.value)

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


_RANK = {s: i for i, s in enumerate(Strength)}

#: The strength names, strongest first (the order used in tables and error messages).
STRENGTHS: tuple[str, ...] = tuple(s.value for s in reversed(Strength))


def weakest(strengths: Iterable[Any]) -> Strength:
    """The weakest of some strengths (names or :class:`Strength`); at least one is required.

    >>> weakest(["symbolic", "exact"])
    'exact'
    """
    items = [Strength.parse(s) for s in strengths]
    if not items:
        raise InputError("weakest() of no strengths: a composite claim needs at least one part")
    return min(items)
