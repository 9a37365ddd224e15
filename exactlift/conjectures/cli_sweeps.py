"""``exactlift conjecture search NAME --budget N`` and ``exactlift conjecture report LEDGER --html|--markdown``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Callable

from exactlift.cli_options import with_example
from exactlift.conjectures.ledger import Ledger
from exactlift.conjectures.registry import load_builtin, load_file
from exactlift.errors import InputError


def _search(args: argparse.Namespace) -> int:
    from exactlift.conjectures.search import search_conjecture

    for f in args.file or []:
        load_file(f)
    load_builtin()
    res = search_conjecture(args.name, budget=args.budget, ledger=Ledger(args.ledger), seed=args.seed)
    if args.json:
        print(json.dumps({"conjecture": res.conjecture, "found": res.found, "examples": res.examples,
                          "case_file": str(res.case_file) if res.case_file else None, "record": res.record}, indent=1))
    elif res.found:
        assert res.outcome is not None
        print(f"COUNTEREXAMPLE (shrunk): {res.conjecture}: {res.outcome.detail}")
        print(f"case file: {res.case_file}  (recorded in {args.ledger})")
    else:
        print(f"no counterexample of {res.conjecture} in {res.examples} example(s)")
    return 1 if res.found else 0


def _report(args: argparse.Namespace) -> int:
    from exactlift.conjectures.report import ledger_report

    led = Ledger(args.ledger_path)
    if not led.path.exists():
        raise InputError(f"{led.path}: no such ledger")
    text = ledger_report(led.records(), "html" if args.html else "markdown")
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    else:
        print(text, end="")
    return 0


def register_sweeps(csub: Any, common: Callable[..., None]) -> None:
    """Add the ``search`` and ``report`` actions to the ``conjecture`` command."""
    q = csub.add_parser("search", help="search for a counterexample with Hypothesis; report it shrunk",
                        **with_example("exactlift conjecture search core.critical_targets_critical --budget 50 --seed 1"))
    q.add_argument("name", metavar="NAME")
    q.add_argument("--budget", type=int, default=200, help="examples to try (default 200)")
    q.add_argument("--seed", type=int, help="derandomize the search")
    common(q)
    q.set_defaults(func=_search)
    q = csub.add_parser("report", help="a Markdown or HTML report of a ledger",
                        **with_example("exactlift conjecture report .exactlift/ledger.jsonl --markdown"))
    q.add_argument("ledger_path", metavar="LEDGER")
    g = q.add_mutually_exclusive_group()
    g.add_argument("--markdown", action="store_true", help="Markdown (default)")
    g.add_argument("--html", action="store_true", help="HTML")
    q.add_argument("-o", "--output", metavar="FILE", help="write to FILE")
    q.set_defaults(func=_report)
