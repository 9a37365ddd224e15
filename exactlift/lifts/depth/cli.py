"""``exactlift check-lift`` and ``exactlift prune``: the depth commands (docs/depth.md).

* ``exactlift check-lift FILE --insert Q[:identity[:SHIFT]] | --insert-json LIFT.json [--json]``
  runs every applicable depth check (T1, T2, T3, T4, T7) for each lift, in
  command-line order (each next lift starts from the previous deep case), and
  prints one line per theorem with its strength; exit status 0 when nothing
  fails, 1 when a check fails, 2 on bad input.
* ``exactlift prune FILE -o OUT [--layer L]`` merges every hidden layer that
  is linear on the training data (or layer L) into the next one and writes
  the pruned case file.

The generic ``exactlift lift FILE --insert … -o OUT`` (in
:mod:`exactlift.lifts.cli`) writes a lifted case file.  All statements are
the exactlift formalization of arXiv 2205.13283.
"""

from __future__ import annotations

import argparse
import json

from exactlift.arith.contexts import get_context
from exactlift.cli_options import (
    DEFAULT_DIGITS,
    LAYER_HELP,
    add_arithmetic_options,
    resolve_arithmetic,
    add_case_options,
    add_display_options,
    with_example,
)
from exactlift.display import present
from exactlift.errors import InputError
from exactlift.lifts.depth.insertion import SOURCE
from exactlift.lifts.options import add_lift_options, lifts_from_args
from exactlift.nn.case import load_case, save_case
from exactlift.sources import claim_header


def _check_lift(args: argparse.Namespace) -> int:
    from exactlift.lifts.depth.lifting import CriticalLift, IdentityLift
    from exactlift.lifts.depth.check import check_lift

    case = load_case(args.file, args.floats)
    lifts = lifts_from_args(args)
    for lift in lifts:
        if not isinstance(lift, (CriticalLift, IdentityLift)):  # pragma: no cover - only depth options are offered
            raise InputError(f"check-lift checks depth lifts (--insert, --insert-json), not {lift}")
    if args.digits < 15:
        raise InputError(f"--digits must be at least 15, got {args.digits}")
    report = []
    all_ok = True
    arithmetic = resolve_arithmetic(args, case)
    for lift in lifts:
        checks = check_lift(case, lift, arithmetic, args.digits, saddle=not args.no_saddle,
                            inertia=not args.no_inertia)
        all_ok = all_ok and all(c.holds is not False for c in checks)
        report.append((lift, case, checks))
        case = lift.apply_case(case)
    if args.json:
        print(json.dumps({
            "source": SOURCE,
            "file": args.file,
            "lifts": [{"lift": str(l), "network": c.arch.describe(), "checks": [x.to_json() for x in ch]}
                      for l, c, ch in report],
            "all_hold": all_ok,
        }, indent=1))
    else:
        print(claim_header("depth-lift"))
        print(f"depth checks ({SOURCE})")
        for lift, c, checks in report:
            print(present(f"{lift} on {c.arch.describe()}:", args.exact_digits))
            for x in checks:
                print(present("  " + x.line(), args.exact_digits))
        print("all checks hold" if all_ok else "SOME CHECK FAILED")
    return 0 if all_ok else 1


def _prune(args: argparse.Namespace) -> int:
    from exactlift.calculus.backprop import derivatives
    from exactlift.lifts.depth.theorems import arithmetic_for
    from exactlift.lifts.depth.prune import prune

    case = load_case(args.file, args.floats)
    layers = None if args.layer is None else [args.layer]
    pruned, done = prune(case, layers)
    arith = arithmetic_for(case, "auto")
    ctx = get_context(arith, args.digits)
    with ctx.active():
        outs, crit = [], []
        for c in (case, pruned):
            X, Y = c.arrays(ctx)
            d = derivatives(c.arch, c.params, X, Y, c.loss, ctx, order=1)
            outs.append(d.forward.output)
            crit.append(ctx.all_zero(list(d.gradient)))  # None: undecided (an mp value in the band)
        same = ctx.all_zero(list((outs[0] - outs[1]).ravel()))
    pruned = pruned.with_params(pruned.arch, pruned.params,
                                name=(case.name + " | " if case.name else "") + f"pruned layers {done}")
    save_case(pruned, args.output)
    summary = {
        "output": args.output, "source": SOURCE, "pruned_layers": done,
        "network": pruned.arch.describe(), "n_params": [case.arch.n_params, pruned.arch.n_params],
        "outputs_equal": same, "critical": {"before": crit[0], "after": crit[1]}, "strength": ctx.strength,
    }
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"wrote {args.output}: pruned hidden layer(s) {done}: {case.arch.describe()} -> {pruned.arch.describe()} "
              f"({case.arch.n_params} -> {pruned.arch.n_params} parameters); training outputs equal: {same} "
              f"[{ctx.strength}]; critical before/after: {crit[0]}/{crit[1]}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``check-lift`` and ``prune``."""
    p = sub.add_parser("check-lift", help="check the depth theorems (T1-T4, T7) for an inserted layer",
                       **with_example("exactlift check-lift case.json --insert 0",
                                      "exactlift check-lift case.json --insert 1:identity:2 --json",
                                      note="--insert Q counts the input as layer 0 (Q = 0: right after the input); "
                                           "hidden layers count from 1, neurons from 0."))
    add_case_options(p)
    add_lift_options(p, kinds=("--insert", "--insert-json"))
    add_arithmetic_options(p)
    p.add_argument("--no-saddle", action="store_true", help="skip the T4 null-neuron search")
    p.add_argument("--no-inertia", action="store_true", help="skip the T3 inertia comparison")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_display_options(p)
    p.set_defaults(func=_check_lift)

    p = sub.add_parser("prune", help="merge hidden layers that are linear on the training data (T7)",
                       **with_example("exactlift prune deep.json -o pruned.json", "exactlift prune deep.json --layer 2 -o pruned.json"))
    add_case_options(p)
    p.add_argument("-o", "--output", required=True, help="where to write the pruned case file")
    p.add_argument("--layer", type=int, default=None, help=f"prune only this hidden layer ({LAYER_HELP})")
    p.add_argument("--digits", type=int, default=DEFAULT_DIGITS,
                   help=f"working digits of mp when the network needs it (default {DEFAULT_DIGITS})")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.set_defaults(func=_prune)
