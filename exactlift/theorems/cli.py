"""``exactlift prove CARD.py [--json] [--latex OUT.tex]`` and ``exactlift prove --all``.

One card: prints each case with its result and time, then the verdict.
``--all``: runs every shipped card (installed with the package, so from any
directory), plus the directories of ``$EXACTLIFT_CARD_PATH`` and ``--add-dir``,
or only the ``--dir`` directories, and prints a table (card, cases, strength,
result, time).  ``CARD`` may also name a shipped card (``depth_t3_inertia``).  Exit status 0 when every case passed,
1 when a case failed or raised (the failing cases are named), 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from exactlift.cli_options import with_example
from exactlift.errors import InputError
from exactlift.theorems.runner import (CARD_PATH_ENV, CardResult, card_directories, discover_cards, find_card, load_card,
                                       run_card, shipped_cards_dir)


def _format_table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[k]) for r in [header] + rows) for k in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) if k < len(r) - 1 else c for k, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def _case_lines(result: CardResult) -> list[str]:
    lines = []
    for c in result.cases:
        mark = {"passed": "ok  ", "failed": "FAIL", "error": "ERR "}[c.result]
        lines.append(f"  {mark} {c.name}  ({c.seconds:.2f} s)")
        if not c.ok:
            lines.append(f"       {c.message}")
    return lines


def _report_one(result: CardResult) -> str:
    card = result.card
    label = card.label
    lines = [
        f"card:      {card.name} ({result.path})",
        f"theorem:   {card.title}",
        f"source:    {card.source} [{label}]",
        f"strength:  {card.strength}",
        f"cases:     {result.n_cases}",
    ]
    if result.setup_error:
        lines.append(f"error while building the cases: {result.setup_error}")
    lines += _case_lines(result)
    verdict = "PROVED for every case" if result.ok else result.result
    lines.append(f"result:    {verdict} in {result.seconds:.2f} s")
    return "\n".join(lines)


def _failure_lines(results: list[CardResult]) -> list[str]:
    out = []
    for r in results:
        if r.setup_error:
            out.append(f"{r.card.name}: cannot build the cases: {r.setup_error}")
        for c in r.failures:
            out.append(f"{r.card.name} / {c.name}: {c.result}: {c.message}")
    return out


def _write_latex(results: list[CardResult], path: str) -> None:
    from exactlift.latex.render import card_document

    card_document(results).write(path)


def _prove(args: argparse.Namespace) -> int:
    if args.list:
        for p in discover_cards(shipped_cards_dir()):
            print(f"{p.stem:32s} {p}")
        return 0
    if args.all == bool(args.card):
        raise InputError("give one card file (exactlift prove proofs/CARD.py) or --all, not both")
    if args.case and args.all:
        raise InputError("--case selects a case of one card; it cannot be combined with --all")
    start = time.perf_counter()
    if args.all:
        dirs = card_directories(args.dir, args.add_dir or ())
        paths = [p for d in dirs for p in discover_cards(d)]
        if not paths:
            raise InputError(f"{', '.join(str(d) for d in dirs)}: no theorem cards (*.py) found")
        results = []
        for p in paths:
            if not args.json and sys.stderr.isatty():
                print(f"running {p.name} ...", file=sys.stderr, end="\r")
            results.append(run_card(load_card(p), p))
    else:
        path = find_card(args.card)
        results = [run_card(load_card(path), path, only=args.case)]
    total = time.perf_counter() - start
    ok = all(r.ok for r in results)
    if args.latex:
        _write_latex(results, args.latex)
    if args.json:
        doc = {"ok": ok, "seconds": round(total, 3), "cards": [r.to_json() for r in results]}
        print(json.dumps(doc if args.all else doc["cards"][0] | {"ok": ok}, indent=1))
    elif args.all:
        rows = [[r.card.name, str(r.n_cases), r.card.strength, r.result, f"{r.seconds:.2f} s"] for r in results]
        print(_format_table(rows, ["card", "cases", "strength", "result", "time"]))
        n_cases = sum(r.n_cases for r in results)
        passed = sum(1 for r in results if r.ok)
        print(f"\n{passed}/{len(results)} cards proved ({n_cases} cases) in {total:.2f} s")
        for line in _failure_lines(results):
            print("FAILED: " + line)
    else:
        print(_report_one(results[0]))
    if args.latex and not args.json:
        print(f"wrote {args.latex}")
    if not ok and args.json:
        for line in _failure_lines(results):
            print("FAILED: " + line, file=sys.stderr)
    return 0 if ok else 1


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``prove``."""
    p = sub.add_parser(
        "prove",
        help="run theorem cards (proofs/*.py): check every small case, exactly",
        description="Run a theorem card (a Python file defining CARD, or TITLE/STATEMENT/SOURCE/cases/check) "
        "or every card: the ones shipped with exactlift (they work from any directory), plus your own "
        f"directories (--add-dir, or ${CARD_PATH_ENV} separated by '{os.pathsep}'). Exit 1 names every failing case.",
        **with_example("exactlift prove core_exact_hessian", "exactlift prove --all --latex cards.tex",
                       "exactlift prove --all --add-dir my_cards"),
    )
    p.add_argument("card", nargs="?", help="a card file (my_card.py) or the name of a shipped card (core_exact_hessian)")
    p.add_argument("--all", action="store_true", help="run every card (shipped, $EXACTLIFT_CARD_PATH, --add-dir) and print a table")
    p.add_argument("--list", action="store_true", help="list the shipped cards and where they are installed")
    p.add_argument("--dir", action="append", metavar="DIR",
                   help="run only the cards of DIR instead (repeatable; replaces the shipped cards)")
    p.add_argument("--add-dir", dest="add_dir", action="append", metavar="DIR",
                   help="also run the cards of DIR (repeatable)")
    p.add_argument("--case", help="run only the case with this name")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--latex", metavar="OUT.tex", help="write a standalone LaTeX document of the card(s) and results")
    p.set_defaults(func=_prove)

