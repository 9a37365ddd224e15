"""Width-principle commands: ``check-embedding``, ``split-line`` and ``truly-bad``.

``exactlift check-embedding FILE --split 1:0:1/3 [--null 1] [--permute 1:1,0] [--odd-split L:S:A]
[--json] [--arithmetic exact|mp|certified]`` applies the lifts in command-line order and
reports every property of :mod:`exactlift.lifts.width` with its strength
(symbolic / exact / numerical).  Exit status 0 when no property fails, 1 when
one fails, 2 on bad input.

``exactlift split-line FILE --neuron S [--layer L] [--alpha A ...]``: the
Fukumizu–Amari classification of the split line of one neuron.

``exactlift truly-bad FILE``: search for a one-step embedding that turns the
critical point into a strict saddle.

With ``--arithmetic certified`` on a smooth network all three run at the certified critical
point near the file's parameters (:mod:`exactlift.lifts.width.certified`, docs/width.md).
"""

from __future__ import annotations

import argparse
import json

from exactlift.cli_options import (
    LAYER_HELP,
    NEURON_HELP,
    add_arithmetic_options,
    add_case_options,
    add_display_options,
    resolve_arithmetic,
    with_example,
)
from exactlift.display import coprime_direction, present
from exactlift.sources import claim_header
from exactlift.errors import ArithmeticModeError, InputError
from exactlift.lifts.options import add_lift_options, lifts_from_args
from exactlift.lifts.width.embeddings import compose
from exactlift.nn.case import load_case

#: The lift options that make width embeddings.
WIDTH_OPTIONS = ("--split", "--odd-split", "--null", "--permute")


def _width_lifts(args: argparse.Namespace):
    if not getattr(args, "lifts", None):
        raise InputError("no width lift given: use --split LAYER:NEURON:ALPHA, --null LAYER, --permute LAYER:P0,P1,... "
                         "or --odd-split LAYER:NEURON:ALPHA")
    lifts = lifts_from_args(args)
    return lifts[0] if len(lifts) == 1 else compose(*lifts)


def _check_embedding(args: argparse.Namespace) -> int:
    from exactlift.lifts.width.check import check_embedding

    case = load_case(args.file, args.floats)
    lift = _width_lifts(args)
    wide = lift.wide_architecture(case.arch)
    symbolic = None if args.symbolic == "auto" else args.symbolic == "yes"
    arithmetic = resolve_arithmetic(args, case)
    results = check_embedding(case, lift, arithmetic, args.digits, symbolic=symbolic)
    failed = [r for r in results if r.holds is False]
    if args.json:
        print(json.dumps({
            "case": case.name, "lift": str(lift), "network": case.arch.describe(), "wide_network": wide.describe(),
            "n_params": case.arch.n_params, "n_params_wide": wide.n_params, "arithmetic": arithmetic,
            "checks": [r.to_json() for r in results], "all_hold": not failed,
        }, indent=1))
    else:
        print(claim_header("width-embedding"))
        _say(args, f"case:     {case.name or args.file}: {case.arch.describe()} ({case.arch.n_params} parameters)")
        _say(args, f"lift:     {lift}")
        _say(args, f"wide:     {wide.describe()} ({wide.n_params} parameters)")
        for r in results:
            verdict = {True: "holds", False: "FAILS", None: "n/a  "}[r.holds]
            _say(args, f"[{r.strength:9}] {verdict}  {r.name} ({r.scope}): {r.detail} ({r.seconds:.2f} s)")
        open_ = [r for r in results if r.holds is None]
        verdict = "no property fails" if not failed else "FAILED: " + ", ".join(r.name for r in failed)
        if open_:
            verdict += f"; {len(open_)} not applicable or undecided (n/a above)"
        _say(args, "verdict:  " + verdict)
    return 1 if failed else 0


def _split_line(args: argparse.Namespace) -> int:
    from fractions import Fraction

    from exactlift.arith.contexts import parse_rational
    from exactlift.lifts.width.fukumizu_amari import fukumizu_amari

    case = load_case(args.file, args.floats)
    alphas = [parse_rational(a, "--alpha") for a in args.alpha] if args.alpha else [Fraction(-1), Fraction(1, 3), Fraction(1, 2), Fraction(2)]
    arithmetic = resolve_arithmetic(args, case)
    if arithmetic == "certified":  # at the certified critical point (Krawczyk box)
        from exactlift.lifts.width.certified import certified_split_line

        fa = certified_split_line(case, args.neuron, args.layer, alphas, args.digits)
    else:
        from exactlift.arith.contexts import get_context

        fa = fukumizu_amari(case, args.neuron, args.layer, alphas, get_context(arithmetic, args.digits))
    if args.json:
        print(json.dumps(fa.to_json(), indent=1))
    else:
        print(claim_header("split-line"))
        _say(args, f"split line of neuron {fa.neuron} in hidden layer {fa.layer} ({fa.strength}); critical point: {fa.critical}")
        _say(args, f"inertia(H_narrow) = {fa.inertia_narrow}; inertia(M_s) = {fa.inertia_M}; G_s = 0: {fa.G_zero}")
        _say(args, f"strict saddle for: {fa.rule}")
        if fa.caveat:
            _say(args, f"caveat: {fa.caveat}")
        for s in fa.samples:
            line = (f"  alpha = {s['alpha']}: inertia(H) + inertia(K) = {s['predicted']}, direct {s['direct']}, "
                    f"strict saddle {s['strict_saddle']} (rule: {s['rule_says_saddle']})")
            if "witness_value" in s:
                line += f", witness w^T H w = {s['witness_value']}"
            _say(args, line)
        if fa.undecided:
            _say(args, f"undecided: {fa.undecided}")
        else:
            _say(args, f"confirmed ({fa.strength})" if fa.confirmed else "NOT CONFIRMED")
    return 0 if fa.confirmed or fa.undecided else 1


def _say(args: argparse.Namespace, text: str) -> None:
    """Print a report line as math, long rationals short (``--exact-digits``)."""
    print(present(text, args.exact_digits))


def _truly_bad(args: argparse.Namespace) -> int:
    from fractions import Fraction

    from exactlift.lifts.width.truly_bad import truly_bad_check

    case = load_case(args.file, args.floats)
    if resolve_arithmetic(args, case) == "certified":  # at the certified critical point (Krawczyk box)
        from exactlift.lifts.width.certified import certified_truly_bad

        r = certified_truly_bad(case, args.digits)
    else:
        try:
            r = truly_bad_check(case)
        except ArithmeticModeError as exc:  # the generic advice "use --arithmetic mp" does not apply here
            raise InputError("truly-bad decides exactly only on exact values, and this case has none (an "
                             "activation or the loss is not rational); for smooth activations use "
                             "exactlift truly-bad FILE --arithmetic certified") from exc
    if args.json:
        print(json.dumps(r.to_json(), indent=1))
    else:
        print(claim_header("truly-bad"))
        _say(args, f"critical: {r.critical}; inertia(H) = {r.inertia_narrow} ({r.strength})")
        _say(args, r.reason)
        if r.escape is not None:
            w, scale = coprime_direction(r.witness)
            try:  # exact: the value scales with the direction
                value = f"= {Fraction(str(r.witness_value)) * scale * scale}"
            except ValueError:  # certified: a ball for the witness of --json, whose sign is what is proved
                value = f"= {scale * scale} × {r.witness_value}" if scale != 1 else f"∈ {r.witness_value}"
            _say(args, f"wide inertia {r.wide_inertia}; witness w^T H_wide w {value} < 0 for the integer direction")
            _say(args, "w = (" + ", ".join(str(x) for x in w) + ")" + ("" if scale == 1 else
                       f" (= {scale} × the witness in --json)"))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``check-embedding``, ``split-line`` and ``truly-bad``."""
    p = sub.add_parser("check-embedding", help="check a width embedding of a case: every property with its strength",
                       **with_example("exactlift check-embedding case.json --split 1:0:1/3",
                                      "exactlift check-embedding case.json --null 1 --permute 1:1,0 --json",
                                      note="Layers count from 1, neurons from 0; lifts apply in command-line order."))
    add_case_options(p)
    add_lift_options(p, kinds=WIDTH_OPTIONS)
    add_arithmetic_options(p)
    p.add_argument("--symbolic", choices=("auto", "yes", "no"), default="auto",
                   help="architecture-level proofs with an undefined activation (auto: wide net <= 40 parameters)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_display_options(p)
    p.set_defaults(func=_check_embedding)

    p = sub.add_parser("split-line", help="Fukumizu-Amari classification of the split ratios of one neuron",
                       **with_example("exactlift split-line case.json --neuron 0",
                                      "exactlift split-line case.json --layer 1 --neuron 1 --alpha 1/3 --alpha 3"))
    add_case_options(p)
    p.add_argument("--neuron", type=int, required=True, help=f"neuron to split ({NEURON_HELP})")
    p.add_argument("--layer", type=int, default=1, help=f"hidden layer of the neuron ({LAYER_HELP}; default 1)")
    p.add_argument("--alpha", action="append", help="a ratio to confirm (repeatable; default -1, 1/3, 1/2, 2)")
    add_arithmetic_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_display_options(p)
    p.set_defaults(func=_split_line)

    p = sub.add_parser("truly-bad", help="search an embedding that turns a critical point into a strict saddle",
                       **with_example("exactlift truly-bad case.json", "exactlift truly-bad case.json --json"))
    add_case_options(p)
    add_arithmetic_options(p, ("auto", "exact", "certified"),
                           why_not="its answer is a decision, and mp arithmetic never decides")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_display_options(p)
    p.set_defaults(func=_truly_bad)
