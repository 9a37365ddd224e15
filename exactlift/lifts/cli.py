"""``exactlift lift FILE [lift options] -o OUT``: write the lifted case file, with its lift record.

The file carries a top-level ``lifts`` record (the narrow network and every step with its
parameters, :mod:`exactlift.lifts.record`); ``exactlift certify`` on it certifies the narrow point
and applies the embedding theorems (:mod:`exactlift.lifts.certify_record`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from exactlift.certify import cli as certify_cli
from exactlift.cli_options import add_case_options, with_example
from exactlift.errors import InputError
from exactlift.lifts.certify_record import certify_recorded
from exactlift.lifts.options import add_lift_options, lifts_from_args
from exactlift.lifts.record import record_lifts
from exactlift.nn.case import load_case, save_case


def _lift(args: argparse.Namespace) -> int:
    if Path(args.output).resolve() == Path(args.file).resolve():
        raise InputError(f"-o {args.output} is the input file: the lifted case would overwrite the case it was "
                         "made from; write it to another file")
    case = load_case(args.file, args.floats)
    lifts = lifts_from_args(args)
    case = record_lifts(case, lifts)  # the lifted case with the structured record (exactlift.lifts.record)
    names = "; ".join(str(l) for l in lifts)
    case = case.with_params(case.arch, case.params, name=(case.name + " | " if case.name else "") + names)
    save_case(case, args.output)
    summary = {"output": args.output, "lifts": [str(l) for l in lifts], "network": case.arch.describe(),
               "n_params": case.arch.n_params,
               "record": case.extra["lifts"]["steps"]}
    print(json.dumps(summary) if args.json else f"wrote {args.output}: {case.arch.describe()} ({case.arch.n_params} parameters) after {names}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``lift`` (and give ``certify`` the certifier of the files it writes: the lifts layer sits above it)."""
    certify_cli.use_recorded_certifier(certify_recorded)
    p = sub.add_parser("lift", help="apply width embeddings / depth lifts and write the wide case file",
                       **with_example("exactlift lift case.json --split 1:0:1/3 -o wide.json",
                                      "exactlift lift case.json --null 1 --insert 1:identity -o deep.json",
                                      note="Layers of --split/--null/--permute count from 1, --insert counts the input "
                                           "as layer 0; neurons count from 0. Lifts apply in command-line order."))
    add_case_options(p)
    add_lift_options(p)
    p.add_argument("-o", "--output", required=True, help="where to write the lifted case file")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.set_defaults(func=_lift)
