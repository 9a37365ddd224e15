"""The elementary functions that user expressions may call (shared by contexts and expressions).

>>> "tanh" in ELEMENTARY_FUNCTIONS
True
"""

from __future__ import annotations

__all__ = ["ELEMENTARY_FUNCTIONS"]

#: The elementary functions user expressions may call; every non-exact context provides them
#: (mpmath, SymPy and python-flint's arb all use these names).
ELEMENTARY_FUNCTIONS = ("exp", "log", "tanh", "sin", "cos", "atan", "erf", "sqrt", "cosh", "sinh")
