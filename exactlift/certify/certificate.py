"""One result type: what was proved, how strongly, for what, and how to recheck it.

Every check of exactlift (the core :func:`~exactlift.analyze`, the width and
depth theorems, the symmetry counts, the theorem cards, the conjectures)
returns or wraps a :class:`Certificate`.  A certificate records

* ``claim``: the statement, in words (and ``theorem``: a short label such as ``"T2"``);
* ``holds``: ``True`` (proved), ``False`` (refuted), or ``None`` (not decided, or
  the hypothesis does not apply; ``detail`` says which);
* ``strength``: a :class:`~exactlift.strength.Strength`.  A leaf states the
  strength of the arithmetic that decided it; a composite (one with
  ``children``) has the *weakest* strength of its parts, computed, never declared;
* ``scope`` (for which inputs the statement was shown), ``detail`` (one human
  sentence), ``data`` (the numbers needed to recheck it), ``seconds`` and
  ``source`` (``"paper's claim"`` or ``"exactlift formalization"``).

``to_json()``, ``to_latex()`` and ``line()`` are views of the same object.

>>> a = Certificate("the loss is 1/4", True, "exact", detail="R = 1/4")
>>> b = Certificate("the gradient vanishes", True, "certified")
>>> c = Certificate.combine("critical point with loss 1/4", [a, b])
>>> c.holds, c.strength
(True, 'certified')
>>> c.line()
'critical point with loss 1/4: holds [certified]'
>>> Certificate.combine("x", [a, Certificate("y", False, "exact")]).holds
False
>>> Certificate("a leaf", True)
Traceback (most recent call last):
...
exactlift.errors.InputError: certificate 'a leaf': a claim without parts must state its strength
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Iterable, Sequence

import numpy as np

from exactlift import display
from exactlift.errors import InputError, check_fields
from exactlift.strength import Strength, weakest

__all__ = [
    "Certificate",
    "FORMALIZATION",
    "PAPERS_CLAIM",
    "Timer",
    "combine_holds",
    "jsonable",
]

#: ``source`` of a statement made precise (or added) by exactlift.
FORMALIZATION = "exactlift formalization"
#: ``source`` of a statement as the paper states it.
PAPERS_CLAIM = "paper's claim"


def jsonable(x: Any) -> Any:
    """A JSON-ready copy of ``x``: dicts, lists and scalars kept, every exact number as its string.

    Exact and ball numbers (``Fraction``, ``fmpq``, ``arb``, ``mpf``, SymPy) become
    their ``str`` so that no value is rounded on the way to JSON; bools, ints,
    floats, strings and ``None`` are kept; numpy arrays become nested lists.

    >>> jsonable({"a": Fraction(1, 3), 2: (1, None, [True, 0.5])})
    {'a': '1/3', '2': [1, None, [True, 0.5]]}
    """
    if isinstance(x, Certificate):
        return x.to_json()
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return jsonable(x.tolist())
    if isinstance(x, Strength):
        return x.value
    if isinstance(x, (bool, int, float, str)) or x is None:
        return x
    return str(x)


def combine_holds(values: Iterable[bool | None]) -> bool | None:
    """False if any part fails, True if every part holds, otherwise None (undecided).

    >>> combine_holds([True, True]), combine_holds([True, None]), combine_holds([None, False])
    (True, None, False)
    """
    vals = list(values)
    if any(v is False for v in vals):
        return False
    if vals and all(v is True for v in vals):
        return True
    return None


class Timer:
    """The one timing helper: wall-clock seconds of a block, or since the timer was made.

    ``with Timer() as t: ...`` then ``t.seconds``; or ``t = Timer()`` … ``t.done()``.

    >>> with Timer() as t:
    ...     _ = sum(range(10))
    >>> t.seconds >= 0, Timer().done() >= 0
    (True, True)
    """

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.seconds = 0.0

    def __enter__(self) -> "Timer":
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.seconds = time.perf_counter() - self.start

    def done(self) -> float:
        """Seconds since the timer was made (or entered)."""
        return time.perf_counter() - self.start


def timed(fn: Any) -> Any:
    """Decorator: the function's result (a :class:`Certificate`) gets the call's wall-clock ``seconds``.

    >>> @timed
    ... def claim():
    ...     return Certificate("1 = 1", True, "exact")
    >>> claim().seconds >= 0
    True
    """
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with Timer() as t:
            result = fn(*args, **kwargs)
        result.seconds = t.seconds
        return result

    return wrapper


@display.rich_display(display.certificate_bundle)  # notebook views: _repr_mimebundle_, _repr_html_, _repr_latex_
@dataclass
class Certificate:
    """What was proved, how strongly, for what, and with which data (see the module docstring).

    Failure modes: :class:`~exactlift.errors.InputError` when a leaf has no
    strength, or a strength is not one of symbolic, exact, certified, numerical.
    """

    claim: str
    holds: bool | None
    strength: Strength | str | None = None
    scope: str = ""
    detail: str = ""
    data: dict = field(default_factory=dict)
    seconds: float = 0.0
    source: str = FORMALIZATION
    children: Sequence["Certificate"] = ()
    theorem: str = ""

    def __post_init__(self) -> None:
        check_fields(self)
        self.children = tuple(self.children)
        parts = [c.strength for c in self.children]
        if self.strength is not None:
            parts.append(Strength.parse(self.strength))
        if not parts:
            raise InputError(f"certificate {self.claim!r}: a claim without parts must state its strength")
        # a composite is as strong as its weakest part (its own step included, when stated)
        self.strength = weakest(parts)

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def combine(
        cls,
        claim: str,
        children: Iterable["Certificate"],
        *,
        holds: bool | None | str = "all",
        **kwargs: Any,
    ) -> "Certificate":
        """A composite claim: its strength is the weakest child's, its verdict (by default) all of theirs.

        ``holds="all"`` (default) applies :func:`combine_holds`; pass ``True``,
        ``False`` or ``None`` to state a verdict that the parts support in
        another way.  ``strength=`` in ``kwargs`` is the strength of the
        combining step itself (it can only weaken the result).
        """
        kids = tuple(children)
        verdict = combine_holds(c.holds for c in kids) if holds == "all" else holds
        return cls(claim, verdict, children=kids, **kwargs)  # type: ignore[arg-type]

    def with_seconds(self, seconds: float) -> "Certificate":
        """A copy with ``seconds`` set."""
        return replace(self, seconds=seconds)

    # -- questions ---------------------------------------------------------------------------
    @property
    def verdict(self) -> str:
        """``"holds"``, ``"FAILS"`` or ``"n/a"`` (not decided, or not applicable)."""
        return {True: "holds", False: "FAILS", None: "n/a"}[self.holds]

    @property
    def proved(self) -> bool:
        """Whether the claim holds *and* its strength decides (numerical results never prove)."""
        return self.holds is True and Strength.parse(self.strength).decides

    def walk(self) -> Iterable["Certificate"]:
        """This certificate and all its descendants, depth first."""
        yield self
        for c in self.children:
            yield from c.walk()

    # -- views -------------------------------------------------------------------------------
    def line(self) -> str:
        """One line of text: ``[theorem] claim: verdict [strength; scope] detail``."""
        head = f"{self.theorem} {self.claim}" if self.theorem else self.claim
        scope = f"; {self.scope}" if self.scope else ""
        return f"{head}: {self.verdict} [{self.strength}{scope}] {self.detail}".rstrip()

    def __str__(self) -> str:
        return self.line()

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (children nested); exact numbers stay strings."""
        out: dict[str, Any] = {
            "claim": self.claim,
            "holds": self.holds,
            "strength": str(self.strength),
            "scope": self.scope,
            "detail": self.detail,
            "source": self.source,
            "seconds": round(self.seconds, 4),
            "data": jsonable(self.data),
        }
        if self.theorem:
            out["theorem"] = self.theorem
        if self.children:
            out["children"] = [c.to_json() for c in self.children]
        return out

    def to_latex(self) -> str:
        """A LaTeX fragment: the claim, its verdict and strength, then the parts as a list."""
        from exactlift.tex import escape_text

        verdict = {True: "holds", False: "fails", None: "not decided"}[self.holds]
        head = escape_text(f"{self.theorem} {self.claim}" if self.theorem else self.claim)
        text = rf"\textbf{{{head}}}: {verdict} (\emph{{{self.strength}}})"
        if self.detail:
            text += ". " + escape_text(self.detail)
        if self.children:
            items = "\n".join(r"  \item " + c.to_latex() for c in self.children)
            text += "\n\\begin{itemize}\n" + items + "\n\\end{itemize}"
        return text
