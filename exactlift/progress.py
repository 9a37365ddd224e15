"""One progress display for every long command: a tqdm bar on a terminal, silence otherwise.

>>> import io
>>> p = Progress(3, "cases", stream=io.StringIO())   # not a TTY: disabled
>>> for _ in range(3): p.advance("n=1")
>>> p.close(); (p.done, p.failures, p.enabled)
(3, 0, False)

``force=True`` draws even when ``stream`` is not a terminal (for logs);
``enabled=False`` never draws.  The bar shows cases done of the total, the
rate, the time left (tqdm's estimate) and the number of failing cases.
Without tqdm installed the display is off (the counts are still kept).
"""

from __future__ import annotations

import sys
from typing import IO, Any


class Progress:
    """Count cases done and failing; draw a tqdm bar on a TTY (see the module docstring)."""

    def __init__(self, total: int, desc: str = "", stream: IO[str] | None = None, enabled: bool = True,
                 force: bool = False) -> None:
        self.total, self.done, self.failures = total, 0, 0
        self.stream = stream if stream is not None else sys.stderr
        tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = bool(enabled and (tty or force))
        self._bar: Any = None
        if self.enabled:
            try:
                from tqdm import tqdm
            except ImportError:  # pragma: no cover - tqdm is a base dependency
                self.enabled = False
            else:
                self._bar = tqdm(total=total, desc=desc or None, file=self.stream, unit="case",
                                 dynamic_ncols=True, leave=True, mininterval=0.2)

    def advance(self, label: str = "", failed: bool = False, n: int = 1) -> None:
        """Count ``n`` finished cases (``failed``: they did not hold); ``label`` names the last one."""
        self.done += n
        self.failures += int(failed) * n
        if self._bar is not None:
            if failed or label:
                post = (f"{self.failures} failing " if self.failures else "") + label[:40]
                self._bar.set_postfix_str(post, refresh=False)
            self._bar.update(n)

    def update(self, done: int, total: int | None = None) -> None:
        """Set the absolute number of cases done (and optionally a new total)."""
        if total is not None:
            self.total = total
            if self._bar is not None:
                self._bar.total = total
        step = done - self.done
        if step > 0:
            self.advance(n=step)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


__all__ = ["Progress"]
