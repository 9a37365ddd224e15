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

import contextlib
import os
import signal
import socket
import sys
import threading
from typing import IO, Any, Iterator


class Progress:
    """Count cases done and failing; draw a tqdm bar on a TTY (see the module docstring)."""

    def __init__(self, total: int, desc: str = "", stream: IO[str] | None = None, enabled: bool = True,
                 force: bool = False, unit: str = "case") -> None:
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
                self._bar = tqdm(total=total, desc=desc or None, file=self.stream, unit=unit,
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

    def stage(self, label: str) -> None:
        """Name the stage now under way (shown at once, before its work starts).

        >>> p = Progress(2, "analyze", enabled=False); p.stage("Hessian"); p.advance(); p.done
        1
        """
        if self._bar is not None:
            self._bar.set_postfix_str(label[:40], refresh=True)

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


class InterruptGuard:
    """Ctrl-C ends the process with one line on stderr and exit status 130, even inside a long C call.

    Python runs its SIGINT handler only between bytecodes, so a long exact computation in
    python-flint or GMP would ignore Ctrl-C until it returns.  The guard asks the C-level handler
    to write the signal to a socket (:func:`signal.set_wakeup_fd`); a watcher thread wakes up,
    gives the main thread ``grace`` seconds to unwind through its ``KeyboardInterrupt`` handler,
    then prints ``message`` and calls :func:`os._exit` (ledger appends are atomic, one write per
    record, so nothing written is spoiled).  :meth:`report` is what the main thread's handler
    calls: it prints the line once, whichever side gets there first.
    """

    def __init__(self, message: str = "error: interrupted", grace: float = 1.0, stream: IO[str] | None = None):
        self.message, self.grace = message, grace
        self.stream = stream if stream is not None else sys.stderr
        self._lock = threading.Lock()
        self._reported = False
        self._closing = False
        self._sockets: tuple[socket.socket, socket.socket] | None = None
        self._old_fd = -1

    def report(self) -> int:
        """Print the interruption line (once) and return the exit status 130."""
        with self._lock:
            if not self._reported:
                self._reported = True
                try:
                    print(self.message, file=self.stream, flush=True)
                except (OSError, ValueError):  # pragma: no cover - stderr closed
                    pass
        return 130

    def _watch(self, reader: socket.socket) -> None:
        while True:
            try:
                data = reader.recv(64)
            except OSError:
                return
            if not data or self._closing:
                return
            if signal.SIGINT in data:
                reader.settimeout(self.grace)
                with contextlib.suppress(OSError):
                    if not reader.recv(64) or self._closing:
                        return
                if self._closing:  # pragma: no cover - the main thread finished meanwhile
                    return
                os._exit(self.report())

    def __enter__(self) -> "InterruptGuard":
        if threading.current_thread() is not threading.main_thread():
            return self
        try:
            reader, writer = socket.socketpair()
            writer.setblocking(False)
            self._old_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        except (OSError, ValueError):  # pragma: no cover - no sockets, or not the main thread
            return self
        self._sockets = (reader, writer)
        threading.Thread(target=self._watch, args=(reader,), name="exactlift-interrupt", daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._closing = True
        if self._sockets is not None:
            with contextlib.suppress(OSError, ValueError):
                signal.set_wakeup_fd(self._old_fd)
            reader, writer = self._sockets
            with contextlib.suppress(OSError):
                writer.send(b"\0")
            writer.close()


def progress_bar(args: Any, total: int, desc: str, unit: str = "case") -> Progress:
    """The :class:`Progress` bar that ``args.progress`` asks for (``--progress`` / ``--no-progress``).

    ``None`` (no option given): only on a terminal; ``True``: always; ``False``: never
    (:func:`exactlift.cli_options.add_progress_options` defines the options).

    >>> from types import SimpleNamespace
    >>> bar = progress_bar(SimpleNamespace(progress=False), 3, "stages"); bar.enabled
    False
    """
    choice = getattr(args, "progress", None)
    return Progress(total, desc, enabled=choice is not False, force=choice is True, unit=unit)


@contextlib.contextmanager
def interrupt_guard(message: str = "error: interrupted", grace: float = 1.0) -> Iterator[InterruptGuard]:
    """``with interrupt_guard() as guard: ...``: see :class:`InterruptGuard`.

    >>> with interrupt_guard() as guard:
    ...     pass
    >>> guard.report() if False else 130
    130
    """
    with InterruptGuard(message, grace) as guard:
        yield guard


__all__ = ["InterruptGuard", "Progress", "interrupt_guard", "progress_bar"]
