"""A tiny stderr progress bar (no dependency), for long enumerations and graph builds.

Shown only when the stream is a TTY or when forced (``--progress``).

>>> import io
>>> s = io.StringIO(); bar = ProgressBar(4, "demo", stream=s, force=True)
>>> for k in range(1, 5): bar.update(k)
>>> bar.close(); "demo" in s.getvalue() and "4/4" in s.getvalue()
True
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["ProgressBar"]


class ProgressBar:
    """``update(done)`` redraws ``label [#####.....] done/total`` at most ~10 times a second."""

    def __init__(
        self, total: int, label: str = "", stream: TextIO | None = None, force: bool = False, width: int = 30
    ) -> None:
        self.total = max(int(total), 1)
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", lambda: False)
        try:
            tty = bool(isatty())
        except (ValueError, OSError):  # closed stream
            tty = False
        self.enabled = force or tty
        self.width = width
        self._last = 0.0
        self._done = 0
        self._drawn = -1
        self._start = time.monotonic()

    def update(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = max(int(total), 1)
        self._done = done
        if not self.enabled:
            return
        now = time.monotonic()
        if done < self.total and now - self._last < 0.1:
            return
        self._last = now
        self._drawn = done
        frac = min(done / self.total, 1.0)
        fill = int(frac * self.width)
        bar = "#" * fill + "." * (self.width - fill)
        elapsed = now - self._start
        self.stream.write(f"\r{self.label} [{bar}] {done}/{self.total} {elapsed:5.1f}s")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            if self._drawn != self._done:
                self._last = 0.0
                self.update(self._done)
            self.stream.write("\n")
            self.stream.flush()
