"""The command-line grammar every command shares: the case file and its float policy, the arithmetic,
the display of long rationals, and the example every sub-command's ``--help`` ends with.

Lift options (``--split``, ``--insert``, ...) are in :mod:`exactlift.lifts.options`.
This module depends on nothing but :mod:`argparse` and :mod:`exactlift.errors`, so every
command module (at any layer of the package) can use it.

Conventions (also in the README): hidden layers are numbered from 1 (layer 0 is
the input, so ``--insert 0`` inserts right after the input), neurons from 0;
``--arithmetic`` is one of ``auto | exact | mp | certified`` on every command
(default ``auto``: exact when the case has exact values, else certified; a command
that cannot use one refuses it in one line saying why), and ``--digits`` defaults
to :data:`DEFAULT_DIGITS` everywhere.

>>> parser = argparse.ArgumentParser(prog="exactlift analyze")
>>> add_case_options(parser); add_arithmetic_options(parser)
>>> args = parser.parse_args(["case.json", "--arithmetic", "mp", "--digits", "30"])
>>> args.file, args.floats, args.arithmetic, args.digits
('case.json', 'refuse', 'mp', 30)
"""

from __future__ import annotations

import argparse
from typing import Any

from exactlift.errors import InputError

__all__ = [
    "FLOAT_POLICIES",
    "ARITHMETICS",
    "DEFAULT_DIGITS",
    "DEFAULT_EXACT_DIGITS",
    "LAYER_HELP",
    "NEURON_HELP",
    "add_case_options",
    "add_arithmetic_options",
    "add_display_options",
    "resolve_arithmetic",
    "with_example",
]

FLOAT_POLICIES = ("refuse", "decimal", "binary")

#: Every arithmetic a command may offer, in this order (each command offers those it supports).
ARITHMETICS = ("auto", "exact", "mp", "certified")

#: The one default of ``--digits`` (working precision of mp and certified arithmetic).
DEFAULT_DIGITS = 50

#: Exact rationals of at most this many characters are printed in full (``--exact-digits``).
DEFAULT_EXACT_DIGITS = 20

#: How layers are numbered, said at every flag that takes a layer.
LAYER_HELP = "hidden layers count from 1; layer 0 is the input"
#: How neurons are numbered, said at every flag that takes a neuron.
NEURON_HELP = "neurons count from 0"

_ARITHMETIC_WORDS = {
    "auto": "auto (exact when every activation and the loss have exact values, else certified)",
    "exact": "exact (rational arithmetic: a proof)",
    "mp": "mp (mpmath floating point: numerical, not a proof)",
    "certified": "certified (arb ball enclosures: a proof when every ball decides)",
}


def add_case_options(parser: argparse.ArgumentParser) -> None:
    """Options every command that reads a case file shares."""
    parser.add_argument("file", help="case file (JSON: network, params, data, loss; see docs/case-files.md)")
    parser.add_argument(
        "--floats",
        choices=FLOAT_POLICIES,
        default="refuse",
        help="what to do with JSON floats: refuse (default), read as the shortest decimal, or as the exact binary value",
    )


def add_arithmetic_options(
    parser: argparse.ArgumentParser, offered: tuple[str, ...] = ARITHMETICS, digits: int = DEFAULT_DIGITS,
    why_not: str = "",
) -> None:
    """``--arithmetic auto|exact|mp|certified`` (default ``auto``) and ``--digits``: the same on every command.

    Every command parses all four words; a command that cannot use one (``offered`` lacks it)
    refuses it in :func:`resolve_arithmetic` with one line saying why (``why_not``), so the
    grammar never differs between commands.  ``--digits`` defaults to :data:`DEFAULT_DIGITS`.

    >>> p = argparse.ArgumentParser(); add_arithmetic_options(p)
    >>> p.parse_args([]).arithmetic, p.parse_args([]).digits
    ('auto', 50)
    """
    unknown = [c for c in offered if c not in ARITHMETICS]
    if unknown:  # pragma: no cover - a programming error
        raise ValueError(f"unknown arithmetic {unknown}")
    words = ", ".join(_ARITHMETIC_WORDS[c] for c in ARITHMETICS)
    missing = [c for c in ARITHMETICS if c not in offered]
    note = f"; {', '.join(missing)} not offered here ({why_not})" if missing else ""
    parser.add_argument("--arithmetic", choices=ARITHMETICS, default="auto", help=f"one of {words}; default auto{note}")
    parser.add_argument("--digits", type=int, default=digits,
                        help=f"working digits of mp and certified arithmetic (default {digits})")
    parser.set_defaults(arithmetic_offered=tuple(offered), arithmetic_why_not=why_not)


def resolve_arithmetic(args: argparse.Namespace, case: Any) -> str:
    """The arithmetic a command runs in: ``auto`` is exact when the case has exact values, else certified.

    >>> from exactlift.gallery import load_example
    >>> p = argparse.ArgumentParser(); add_arithmetic_options(p, ("auto", "exact", "certified"), why_not="a reason")
    >>> [resolve_arithmetic(p.parse_args([]), load_example(n)) for n in ("relu-saddle", "tanh-minimum")]
    ['exact', 'certified']
    >>> resolve_arithmetic(p.parse_args(["--arithmetic", "mp"]), load_example("relu-saddle"))
    Traceback (most recent call last):
    exactlift.errors.InputError: --arithmetic mp is not offered by this command (a reason); use one of auto, exact, certified

    Raises :class:`~exactlift.errors.InputError` for an arithmetic the command does not offer, and for
    ``exact`` on a case without exact values (an activation or the loss is irrational).
    """
    chosen = args.arithmetic
    offered = getattr(args, "arithmetic_offered", ARITHMETICS)
    if chosen not in offered:
        why = getattr(args, "arithmetic_why_not", "")
        raise InputError(f"--arithmetic {chosen} is not offered by this command" + (f" ({why})" if why else "")
                         + f"; use one of {', '.join(offered)}")
    if chosen == "auto":
        return case.auto_arithmetic
    if chosen == "exact" and not case.exact_capable:
        raise InputError(f"{case.arch.describe()} with loss {case.loss.spec} has no exact values (an activation or "
                         "the loss is not rational): use --arithmetic certified (a proof where balls decide) or mp")
    return chosen


def add_display_options(parser: argparse.ArgumentParser) -> None:
    """``--exact-digits N``: rationals of up to N characters in full, longer ones as a short decimal."""
    parser.add_argument(
        "--exact-digits", dest="exact_digits", type=int, default=DEFAULT_EXACT_DIGITS, metavar="N",
        help=f"print exact rationals of up to N characters in full, longer ones as a 6-digit decimal "
             f"marked ≈ (default {DEFAULT_EXACT_DIGITS}; --json always has the exact values)",
    )


def add_progress_options(parser: argparse.ArgumentParser) -> None:
    """``--progress`` / ``--no-progress``: the stderr progress bar of a long command.

    By default (``args.progress is None``) the bar shows only when stderr is a terminal;
    ``--progress`` draws it always (logs, CI), ``--no-progress`` never.  The bar goes to stderr,
    so stdout is the same either way.  :func:`exactlift.progress.progress_bar` reads the choice.

    >>> p = argparse.ArgumentParser(); add_progress_options(p)
    >>> [p.parse_args(a).progress for a in ([], ["--progress"], ["--no-progress"])]
    [None, True, False]
    """
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--progress", dest="progress", action="store_true", default=None,
                       help="progress bar on stderr even when it is not a terminal (default: only on a terminal)")
    group.add_argument("--no-progress", dest="progress", action="store_false",
                       help="no progress bar, even on a terminal")


def with_example(*commands: str, note: str = "") -> dict[str, Any]:
    """Keyword arguments for ``add_parser``: an epilog with one or more example command lines.

    Every sub-command's ``--help`` ends with ``Example:`` and runnable lines
    (tests/test_cli_grammar.py parses each one).

    >>> kw = with_example("exactlift analyze case.json")
    >>> kw["epilog"].splitlines()[0], kw["epilog"].splitlines()[1]
    ('Example:', '  exactlift analyze case.json')
    """
    head = "Example:" if len(commands) == 1 else "Examples:"
    text = head + "\n" + "\n".join(f"  {c}" for c in commands)
    if note:
        text += "\n\n" + note
    return {"epilog": text, "formatter_class": argparse.RawDescriptionHelpFormatter}
