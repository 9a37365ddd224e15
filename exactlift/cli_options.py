"""The command-line grammar every command shares: the case file and its float policy, the arithmetic.

Lift options (``--split``, ``--insert``, ...) are in :mod:`exactlift.lifts.options`.
This module depends on nothing but :mod:`argparse`, so every command module
(at any layer of the package) can use it.

>>> parser = argparse.ArgumentParser(prog="exactlift analyze")
>>> add_case_options(parser); add_arithmetic_options(parser)
>>> args = parser.parse_args(["case.json", "--arithmetic", "mp", "--digits", "30"])
>>> args.file, args.floats, args.arithmetic, args.digits
('case.json', 'refuse', 'mp', 30)
"""

from __future__ import annotations

import argparse

__all__ = ["FLOAT_POLICIES", "add_case_options", "add_arithmetic_options"]

FLOAT_POLICIES = ("refuse", "decimal", "binary")


def add_case_options(parser: argparse.ArgumentParser) -> None:
    """Options every command that reads a case file shares."""
    parser.add_argument("file", help="case file (JSON: network, params, data, loss)")
    parser.add_argument(
        "--floats",
        choices=FLOAT_POLICIES,
        default="refuse",
        help="what to do with JSON floats: refuse (default), read as the shortest decimal, or as the exact binary value",
    )


def add_arithmetic_options(
    parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("exact", "mp", "certified")
) -> None:
    """``--arithmetic`` (one of ``choices``, default exact) and ``--digits`` (default 50)."""
    parser.add_argument(
        "--arithmetic", choices=choices, default="exact",
        help="exact (default), mp (numerical, mpmath) or certified (arb ball enclosures)",
    )
    parser.add_argument("--digits", type=int, default=50, help="digits for mp/certified arithmetic (default 50)")
