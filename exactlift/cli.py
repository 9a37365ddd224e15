"""The ``exactlift`` command line: a thin layer over the public API.

Each group of commands lives beside the concept it serves and exposes
``register(subparsers)``; that function adds its sub-parsers and sets
``func=handler`` on each, where ``handler(args) -> int`` prints its result and
returns the exit status.  Every :class:`~exactlift.errors.ExactliftError`
becomes one line ``error: <message>`` on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from types import ModuleType
from typing import Any

from exactlift import commands
from exactlift.certify import cli as certify_cli
from exactlift.conjectures import cli as conjectures_cli
from exactlift.errors import ExactliftError, OutputError
from exactlift.gallery import cli as gallery_cli
from exactlift.io import cli as io_cli
from exactlift.latex import cli as latex_cli
from exactlift.lifts import cli as lifts_cli
from exactlift.lifts.depth import cli as depth_cli
from exactlift.lifts.width import cli as width_cli
from exactlift.plots import cli as plots_cli
from exactlift.progress import interrupt_guard
from exactlift.structure import cli as structure_cli
from exactlift.symmetry import cli as symmetry_cli
from exactlift.theorems import cli as theorems_cli
from exactlift.version import __version__

#: Modules contributing sub-commands, in the order they appear in ``--help``.
COMMAND_MODULES: tuple[ModuleType, ...] = (
    commands,
    gallery_cli,
    lifts_cli,
    width_cli,
    depth_cli,
    symmetry_cli,
    plots_cli,
    theorems_cli,
    conjectures_cli,
    latex_cli,
    io_cli,
    structure_cli,
    certify_cli,
)


class _Parser(argparse.ArgumentParser):
    """Argument errors also exit 2 with one line (argparse's own convention)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every registered sub-command."""
    parser = _Parser(
        prog="exactlift",
        description="Prove small cases of loss-landscape embedding theorems, exactly.",
        epilog="Example:\n  exactlift examples relu-saddle -o saddle.json && exactlift analyze saddle.json\n\n"
               "Run 'exactlift COMMAND --help' for a command's options and an example.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"exactlift {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def _one_line(message: str, width: int = 600) -> str:
    """The message on one line, at most ``width`` characters (long excerpts cut in the middle)."""
    text = " ".join(message.split())
    return text if len(text) <= width else f"{text[: width // 2]} … {text[-width // 2 + 3:]}"


def with_file(message: str, file: object) -> str:
    """The message prefixed with the case file it is about, unless it already names it.

    >>> with_file("training input 0 is on a kink", "case.json")
    'case.json: training input 0 is on a kink'
    >>> with_file("case.json: bad field", "case.json")
    'case.json: bad field'
    """
    if not isinstance(file, str) or not file or file in message:
        return message
    return f"{file}: {message}"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``exactlift`` console script."""
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    if not argv:  # bare ``exactlift``: the list of commands, not "the following arguments are required"
        parser.print_help()
        return 0
    args = parser.parse_args(argv)
    with interrupt_guard() as guard:
        return _run(args, guard)


def _run(args: argparse.Namespace, guard: Any) -> int:
    """Run the parsed command; every error a user can provoke becomes one line (see :func:`main`)."""
    try:
        status = args.func(args)
    except ExactliftError as exc:
        about = None if isinstance(exc, OutputError) else getattr(args, "file", None)  # an output file names itself
        print(f"error: {_one_line(with_file(str(exc), about))}", file=sys.stderr)
        return 2
    except RecursionError:  # a safety net: inputs are bounded before the work (exactlift.limits)
        print("error: the input is nested too deeply (see docs/limits.md)", file=sys.stderr)
        return 2
    except MemoryError:
        print("error: out of memory (see docs/limits.md for the limits on input sizes)", file=sys.stderr)
        return 2
    except BrokenPipeError:  # ``exactlift … | head``: a closed pipe is not an error
        try:  # silence the flush at interpreter exit as well
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except OSError:  # pragma: no cover
            pass
        return 0
    except OSError as exc:  # a file that cannot be read or written (e.g. -o into a missing folder)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return int(guard.report())
    return int(status or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
