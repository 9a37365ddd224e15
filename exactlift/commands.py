"""Core sub-commands: ``analyze`` and ``demo`` (see :mod:`exactlift.cli`)."""

from __future__ import annotations

import argparse
import json

from exactlift.analysis import analyze
from exactlift.cli_options import (  # noqa: F401 (FLOAT_POLICIES re-exported)
    FLOAT_POLICIES,
    add_arithmetic_options,
    resolve_arithmetic,
    add_case_options,
    add_display_options,
    add_progress_options,
    with_example,
)
from exactlift.display import present
from exactlift.progress import progress_bar
from exactlift.limits import check as check_limit
from exactlift.nn.case import load_case
from exactlift.sources import claim_header


def _analyze(args: argparse.Namespace) -> int:
    check_limit("max_digits", args.digits, "--digits", "digits")  # before reading (mp and certified)
    with progress_bar(args, 2, "analyze", unit="stage") as bar:
        bar.stage("reading the case")
        case = load_case(args.file, args.floats)
        bar.advance()
        bar.stage(f"derivatives, Hessian, inertia ({case.arch.n_params} parameters)")
        result = analyze(case, resolve_arithmetic(args, case), args.digits)
        bar.advance()
    if args.json:
        print(json.dumps(result.to_json(), indent=1))
    else:
        print(claim_header("critical-point"))
        print(present(result.report(), args.exact_digits))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from exactlift.demo import run_demo

    return run_demo(verbose=not args.quiet, exact_digits=args.exact_digits)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``analyze`` and ``demo``."""
    p = sub.add_parser("analyze", help="loss, criticality and Hessian inertia of a case file",
                       **with_example("exactlift analyze case.json",
                                      "exactlift analyze case.json --arithmetic mp --digits 30 --json"))
    add_case_options(p)
    add_arithmetic_options(p)
    add_display_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_progress_options(p)
    p.set_defaults(func=_analyze)

    p = sub.add_parser("demo", help="a short end-to-end example that proves something exactly",
                       **with_example("exactlift demo", "exactlift demo --quiet"))
    p.add_argument("--quiet", action="store_true", help="print only the final verdict")
    add_display_options(p)
    p.set_defaults(func=_demo)
