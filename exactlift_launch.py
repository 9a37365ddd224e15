"""The ``exactlift`` console script: Ctrl-C is one line and exit 130 from the first instant.

``exactlift`` (the package) imports SymPy, NumPy and python-flint, which takes a second or two;
a Ctrl-C in that time would print Python's ``KeyboardInterrupt`` traceback.  This module lives
*outside* the package (importing any ``exactlift.X`` first runs ``exactlift/__init__.py``, the
heavy part), so :func:`main` can install its handler before anything heavy is imported:

1. while the package imports, SIGINT writes ``error: interrupted`` to stderr and ends the
   process with status 130 (:func:`os._exit`: there is nothing to unwind yet);
2. while the command runs, Python's own handler is back: the ``KeyboardInterrupt`` unwinds the
   command's ``finally`` blocks (worker processes stopped, files closed) and
   :func:`exactlift.cli.main` prints the line (its :class:`~exactlift.progress.InterruptGuard`
   also covers long C calls);
3. once the command has returned, SIGINT is ignored: the answer is complete, the status is the
   command's own.

Example (what the console script runs)::

    $ exactlift count T_groups 3 4 & sleep 0.1; kill -INT $!; wait $!; echo $?
    error: interrupted
    130

Failure modes: none of its own; a signal that arrives before the interpreter runs any code at
all (in the first milliseconds of process start) gets the operating system's default action.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

#: The line printed on Ctrl-C (the same as :class:`exactlift.progress.InterruptGuard`'s).
MESSAGE = "error: interrupted"
#: The exit status of an interrupted run (128 + SIGINT, the shell convention).
INTERRUPTED = 130


def leave_now(signum: int = signal.SIGINT, frame: FrameType | None = None) -> None:
    """A SIGINT handler: print :data:`MESSAGE` (one write to fd 2) and exit 130 at once."""
    try:
        os.write(2, (MESSAGE + "\n").encode())
    except OSError:  # pragma: no cover - stderr closed
        pass
    os._exit(INTERRUPTED)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``exactlift`` console script (and of ``python -m exactlift``)."""
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.SIG_IGN:  # started with Ctrl-C ignored (``nohup``, a background job): keep it so
        from exactlift import cli
        return cli.main(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGINT, leave_now)
    from exactlift import cli  # the heavy import, under leave_now

    signal.signal(signal.SIGINT, previous)
    try:
        status = cli.main(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:  # a Ctrl-C outside the command's own handler (argument parsing)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print(MESSAGE, file=sys.stderr, flush=True)
        return INTERRUPTED
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the answer is complete
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
