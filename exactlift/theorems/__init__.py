"""Theorem cards: each theorem of the papers as a checkable statement over small cases.

See :mod:`exactlift.theorems.card` for writing a card and
:mod:`exactlift.theorems.runner` for running one; ``exactlift prove`` is the
command line (``docs/cards.md``).
"""

from exactlift.theorems.card import FORMALIZATION, STRENGTHS, Card, Step, step
from exactlift.theorems.runner import (
    CardResult,
    CaseResult,
    discover_cards,
    load_card,
    run_card,
    run_card_file,
    run_case,
)

__all__ = [
    "Card",
    "Step",
    "step",
    "STRENGTHS",
    "FORMALIZATION",
    "CardResult",
    "CaseResult",
    "load_card",
    "run_card",
    "run_card_file",
    "run_case",
    "discover_cards",
]
