"""Engine selection for the exact linear algebra: python-flint or pure Python.

``method="auto"`` uses flint when it imports and ``EXACTLIFT_PURE`` is not ``"1"``.
The flint module (or None) is :data:`FLINT`; every algorithm reads it at call time.
"""

from __future__ import annotations

import os

from exactlift.errors import ExactliftError, InputError

try:  # python-flint is a core dependency, but the pure engine must work without it.
    import flint as FLINT
except ImportError:  # pragma: no cover - exercised only where flint is missing
    FLINT = None

INERTIA_METHODS = ("auto", "ldl", "charpoly", "ball")
ENGINES = ("auto", "flint", "pure")


# ---------------------------------------------------------------------------
# engine selection
# ---------------------------------------------------------------------------


def flint_available() -> bool:
    """Whether python-flint imported (independently of ``EXACTLIFT_PURE``).

    >>> isinstance(flint_available(), bool)
    True
    """
    return FLINT is not None


def auto_uses_flint() -> bool:
    """``method="auto"`` picks flint iff it imports and ``EXACTLIFT_PURE`` is not ``"1"``."""
    return FLINT is not None and os.environ.get("EXACTLIFT_PURE") != "1"


def require_flint(what: str) -> None:
    if FLINT is None:  # pragma: no cover - flint is installed in CI
        raise ExactliftError(f"{what} needs python-flint, which could not be imported")


def choose_engine(method: str, who: str) -> bool:
    """Resolve an engine name for rank/kernel/witness: True for flint, False for pure."""
    if method not in ENGINES:
        raise InputError(
            f"{who}: unknown method {method!r}; choose one of {', '.join(map(repr, ENGINES))}"
        )
    if method == "auto":
        return auto_uses_flint()
    if method == "flint":
        require_flint(f"{who}(method='flint')")
        return True
    return False


