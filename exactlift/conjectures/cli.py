"""``exactlift conjecture list | run NAME… | run --all | diff``.

* ``list``: the registered conjectures (shipped ones, plus ``--file`` ones).
* ``run``: decide every grid case, append one ledger record per case
  (``--ledger``, default ``.exactlift/ledger.jsonl``), print a summary; exit 1
  when a case is a counterexample or an error, naming it.
* ``diff``: the cases whose result changed since their previous recorded run;
  exit 1 on a regression (held → fails).  New counterexamples are shown.
"""

from __future__ import annotations

import argparse
import json
import sys

from exactlift.cli_options import with_example
from exactlift.conjectures.ledger import DEFAULT_LEDGER, Ledger
from exactlift.conjectures.registry import all_conjectures, get_conjecture, load_builtin, load_file
from exactlift.conjectures.runner import run_conjectures
from exactlift.errors import InputError


def _load_files(args: argparse.Namespace) -> None:
    for f in args.file or []:
        load_file(f)


def _list(args: argparse.Namespace) -> int:
    _load_files(args)
    conjs = all_conjectures()
    if args.json:
        print(json.dumps([{"name": c.name, "cases": len(c.cases()), "strength": c.strength, "slow": c.slow,
                           "description": c.description} for c in conjs], indent=1))
        return 0
    width = max((len(c.name) for c in conjs), default=4)
    print(f"{'name'.ljust(width)}  cases  strength  description")
    for c in conjs:
        tag = " (slow)" if c.slow else ""
        print(f"{c.name.ljust(width)}  {str(len(c.cases())).rjust(5)}  {c.strength.ljust(8)}  {c.description}{tag}")
    return 0


def _run(args: argparse.Namespace) -> int:
    _load_files(args)
    if args.all == bool(args.names):
        raise InputError("name the conjectures to run (exactlift conjecture run NAME ...) or use --all")
    if args.all:
        conjs = all_conjectures(include_slow=args.slow)
    else:
        load_builtin()
        conjs = [get_conjecture(n) for n in args.names]
    executor = None
    if args.executor != "local" or args.scheduler:
        from exactlift.conjectures.executors import make_executor

        Ledger(args.ledger).check()  # before starting a cluster
        executor = make_executor(args.executor, max(args.jobs, 1), args.scheduler)
    try:
        report = run_conjectures(conjs, jobs=args.jobs, ledger=Ledger(args.ledger), files=args.file or [],
                                 progress=not args.no_progress, only_cases=args.case, executor=executor,
                                 case_timeout=args.case_timeout)
    finally:
        if executor is not None:
            executor.shutdown(wait=False)
    if args.json:
        verdicts = [{"conjecture": n, "holds": c.holds, "strength": str(c.strength), "detail": c.detail}
                    for n, c in report.certificates().items()]  # each conjecture's Certificate, in brief
        print(json.dumps({"run": report.run, "ok": report.ok, "seconds": round(report.seconds, 3),
                          "records": report.records,
                          "changes": [c.to_json() for c in (report.diff.changes if report.diff else [])],
                          "conjectures": verdicts}, indent=1))
    else:
        names = list(dict.fromkeys(r.conjecture for r in report.results))
        width = max((len(n) for n in names), default=10)
        print(f"{'conjecture'.ljust(width)}  cases  holds  counterexamples  errors  timeouts  crashed  strength  time")
        for n in names:
            c = report.counts(n)
            secs = sum(r.outcome.seconds for r in report.results if r.conjecture == n)
            strength = get_conjecture(n).strength
            print(f"{n.ljust(width)}  {str(sum(c.values())).rjust(5)}  {str(c['holds']).rjust(5)}  "
                  f"{str(c['counterexample']).rjust(15)}  {str(c['error']).rjust(6)}  {str(c['timeout']).rjust(8)}  "
                  f"{str(c['crashed']).rjust(7)}  {strength.ljust(8)}  {secs:.2f} s")
        for r in report.failing:
            print(f"{r.outcome.result.upper()}: {r.conjecture} [{r.case}]: {r.outcome.detail}")
        if report.diff:
            for ch in report.diff.changes:
                print(ch.line())
        print(f"recorded {len(report.records)} case(s) in {args.ledger} (run {report.run}) in {report.seconds:.2f} s")
    return 0 if report.ok else 1


def _diff(args: argparse.Namespace) -> int:
    led = Ledger(args.ledger)
    if not led.path.exists():
        raise InputError(f"{led.path}: no ledger yet (run exactlift conjecture run first, or pass --ledger)")
    d = led.diff(args.names or None)
    if args.json:
        print(json.dumps({"cases": d.n_cases, "regressions": len(d.regressions),
                          "changes": [c.to_json() for c in d.changes]}, indent=1))
    else:
        if not d.changes:
            print(f"no case changed its result ({d.n_cases} case(s) in {led.path})")
        for ch in d.changes:
            print(ch.line())
        if d.regressions:
            print(f"{len(d.regressions)} regression(s): a case that held now fails", file=sys.stderr)
    return 1 if d.regressions else 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``conjecture`` with its sub-commands ``list``, ``run`` and ``diff``."""
    p = sub.add_parser("conjecture", help="run parameterized claims over grids of small cases; ledger and regressions",
                       **with_example("exactlift conjecture list", "exactlift conjecture run core.critical_targets_critical"))
    csub = p.add_subparsers(dest="conjecture_command", metavar="ACTION", parser_class=type(p))
    csub.required = True

    def common(q: argparse.ArgumentParser, files: bool = True) -> None:
        q.add_argument("--ledger", default=str(DEFAULT_LEDGER),
                       help=f"the JSON-lines results ledger (default {DEFAULT_LEDGER})")
        if files:
            q.add_argument("--file", action="append", metavar="PY",
                           help="a Python file registering conjectures with @conjecture (repeatable)")
        q.add_argument("--json", action="store_true", help="print JSON")

    q = csub.add_parser("list", help="list the registered conjectures", **with_example("exactlift conjecture list --json"))
    q.add_argument("--file", action="append", metavar="PY", help="also load conjectures from this file")
    q.add_argument("--json", action="store_true", help="print JSON")
    q.set_defaults(func=_list)

    q = csub.add_parser("run", help="decide every case of conjectures and record them in the ledger",
                        **with_example("exactlift conjecture run core.critical_targets_critical --jobs 2",
                                       "exactlift conjecture run --all"))
    q.add_argument("names", nargs="*", metavar="NAME", help="conjectures to run")
    q.add_argument("--all", action="store_true", help="run every registered conjecture")
    q.add_argument("--slow", action="store_true", help="with --all: include conjectures marked slow")
    q.add_argument("--case", action="append", metavar="KEY", help="run only this case key (repeatable)")
    q.add_argument("--jobs", "-j", type=int, default=1, help="worker processes (default 1)")
    q.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    q.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="local processes (default) or a Dask cluster (pip install 'exactlift[dask]')")
    q.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --executor dask: an existing scheduler, e.g. tcp://host:8786 (default: a LocalCluster)")
    q.add_argument("--case-timeout", type=float, metavar="SECONDS",
                   help="a case running longer is recorded 'timeout' and its worker replaced")
    common(q)
    q.set_defaults(func=_run)

    from exactlift.conjectures.cli_sweeps import register_sweeps

    register_sweeps(csub, common)

    q = csub.add_parser("diff", help="cases whose result changed since the previous recorded run (exit 1 on a regression)",
                        **with_example("exactlift conjecture diff core.critical_targets_critical"))
    q.add_argument("names", nargs="*", metavar="NAME", help="only these conjectures")
    common(q, files=False)
    q.set_defaults(func=_diff)
