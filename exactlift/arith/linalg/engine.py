"""Engine selection for the exact linear algebra: python-flint or pure Python.

``method="auto"`` uses flint when it imports and ``EXACTLIFT_PURE`` is not ``"1"``.
The flint module (or None) is :data:`FLINT`; every algorithm reads it at call time.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

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




# ---------------------------------------------------------------------------
# threads
# ---------------------------------------------------------------------------


def flint_threads() -> int:
    """How many threads FLINT's large products and solves may use: ``EXACTLIFT_THREADS`` if set
    (a positive integer), else the CPUs this process may run on.

    >>> flint_threads() >= 1
    True

    Raises :class:`~exactlift.errors.InputError` when ``EXACTLIFT_THREADS`` is not a positive integer.
    """
    text = os.environ.get("EXACTLIFT_THREADS")
    if text is not None:
        if not text.strip().isdigit() or int(text) < 1:
            raise InputError(f"EXACTLIFT_THREADS must be a positive integer, got {text[:20]!r}")
        return min(int(text), 256)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def threads(n: int | None = None) -> Iterator[None]:
    """Let FLINT use ``n`` threads (default :func:`flint_threads`) inside the block, then restore.

    Multi-threading changes how fast, never what: FLINT's products and solves are exact.

    >>> with threads(1):
    ...     FLINT.ctx.threads
    1
    """
    if FLINT is None:  # pragma: no cover - flint is installed in CI
        yield
        return
    old = FLINT.ctx.threads
    FLINT.ctx.threads = n if n is not None else flint_threads()
    try:
        yield
    finally:
        FLINT.ctx.threads = old
