"""Shared helper of the theorem/conjecture/latex commands: a closed stdout pipe is not an error."""

from __future__ import annotations

import functools
import os
import sys
from typing import Any, Callable


def quiet_broken_pipe(handler: Callable[[Any], int]) -> Callable[[Any], int]:
    """Wrap a command handler so ``exactlift … | head`` ends quietly instead of with a traceback."""

    @functools.wraps(handler)
    def wrapper(args: Any) -> int:
        try:
            return handler(args)
        except BrokenPipeError:
            try:  # silence the flush at interpreter exit as well
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            except OSError:  # pragma: no cover
                pass
            return 0

    return wrapper
