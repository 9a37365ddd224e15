r"""Verification steps of a rendered derivation: :class:`Fact` and :func:`steps_list`.

A step is anything with ``claim``, ``ok``, ``detail`` and ``latex`` (a card's
``Step`` or a :class:`Fact`); :func:`steps_list` prints them as an itemize with a
check mark or **fails**.  Long digit runs in plain text are abbreviated.

>>> print(steps_list([Fact("loss agrees", True)]), end="")
\begin{itemize}
\item $\checkmark$ loss agrees
\end{itemize}
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from exactlift.latex.document import escape_text
from exactlift.display import lift_words
from exactlift.tex import math_words


def _checkmark(ok: bool) -> str:
    return r"$\checkmark$" if ok else r"\textbf{fails}"


_LONG_DIGITS = re.compile(r"\d{25,}")


def abbreviate_numbers(text: str) -> str:
    """Digit runs of 25 or more shortened to ``1234567890…(41 digits)`` (plain text; JSON keeps them).

    >>> abbreviate_numbers("R = " + "7" * 40 + "/3")
    'R = 7777777777…(40 digits)/3'
    """
    return _LONG_DIGITS.sub(lambda m: f"{m.group()[:10]}…({len(m.group())} digits)", text)


def steps_list(steps: Sequence[Any]) -> str:
    """Verification steps (anything with ``claim``, ``ok``, ``detail``, ``latex``) as an itemize."""
    if not steps:
        return ""
    items = []
    for s in steps:
        claim = s.latex if getattr(s, "latex", "") else math_words(lift_words(abbreviate_numbers(s.claim)))
        detail = f" ({math_words(lift_words(abbreviate_numbers(s.detail)))})" if getattr(s, "detail", "") else ""
        items.append(f"\\item {_checkmark(s.ok)} {claim}{detail}")
    return "\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}\n"


class Fact:
    """A verification step of a rendered derivation (same fields as a card's Step)."""

    def __init__(self, claim: str, ok: bool, detail: str = "", latex: str = "") -> None:
        self.claim, self.ok, self.detail, self.latex = claim, bool(ok), detail, latex

