"""The ``certify`` command: a certified critical point near a case file's parameters.

``exactlift certify FILE [--json] [-o OUT] [--digits N] [--floats binary|decimal]``
refines the file's parameters (damped Newton), proves a unique critical point in a
box around the refined centre (Krawczyk test in ``arb`` balls) and certifies the
Hessian inertia there (:mod:`exactlift.certify.critical`).  ``--json`` prints the
keys ``critical``, ``radius``, ``distance``, ``center``, ``inertia``, ``strength``,
``loss`` (and ``reason``, ``seconds``, ...).  ``-o OUT`` writes the case with the
refined centre as its parameters.  Exit 0 for a decided or undecided answer, 2 for
bad input.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, Callable

from exactlift.progress import progress_bar
from exactlift.cli_options import add_display_options, add_progress_options, with_example
from exactlift.sources import claim_header
from exactlift.certify.critical import certify_critical_point
from exactlift.nn.case import load_case, save_case
from exactlift.nn.network import Params


#: Certifiers of embedded points, installed from the layers above (which this layer may not import):
#: files carrying a lift record (``exactlift lift`` writes them; exactlift.lifts.certify_record) and
#: wide files whose duplicated and null neurons are detected exactly (exactlift.structure.detected).
_RECORDED: list[Callable[..., Any]] = []
_DETECTED: list[Callable[..., Any]] = []


def use_recorded_certifier(fn: Callable[..., Any]) -> None:
    """Certify files with a ``lifts`` record by ``fn(case, digits=, max_distance=)`` (see exactlift.lifts.certify_record)."""
    _RECORDED[:] = [fn]


def use_detected_certifier(fn: Callable[..., Any]) -> None:
    """Certify record-less files by ``fn(case, digits=, max_distance=)`` when it detects an exact embedding (else None)."""
    _DETECTED[:] = [fn]


def _run_recorded(args: argparse.Namespace, case: Any, res: Any = None) -> int:
    res = res or _RECORDED[0](case, digits=args.digits, max_distance=args.max_distance)
    if args.output and res.refined is not None:
        save_case(res.refined, args.output)
    print(json.dumps(res.to_json(), indent=1) if args.json else res.summary())
    return 0


def _run(args: argparse.Namespace) -> int:
    with progress_bar(args, 3, "certify", unit="stage") as bar:
        bar.stage("reading the case")
        case = load_case(args.file, args.floats)
        bar.advance()
        bar.stage("lift record / exact embedding")
        if "lifts" in case.extra and _RECORDED:
            res = _RECORDED[0](case, digits=args.digits, max_distance=args.max_distance)
        else:
            res = _DETECTED[0](case, digits=args.digits, max_distance=args.max_distance) if _DETECTED else None
        bar.advance()
        recorded = res is not None
        if not recorded:
            bar.stage("refine, Krawczyk, inertia")
            res = certify_critical_point(case, digits=args.digits, max_distance=args.max_distance)
        bar.advance()
    if recorded:
        return _run_recorded(args, case, res)
    if args.output:
        save_case(case.with_params(case.arch, Params.from_flat(case.arch, res.center_exact)), args.output)
    if args.json:
        print(json.dumps(res.to_json(), indent=1))
        return 0
    verdict = {True: "a critical point exists", False: "no critical point in the box", None: "undecided"}
    print(claim_header("certified-critical"))
    print(f"case:      {case.name or args.file}: {case.arch.describe()} ({case.arch.n_params} parameters, "
          f"{res.n_outputs} training outputs)")
    print(f"critical:  {verdict[res.critical]} [certified]")
    if res.radius:
        print(f"radius:    {res.radius} (box half-width, max-norm)")
    if res.distance:
        print(f"distance:  {res.distance} (upper bound from the file's parameters)")
    if res.inertia:
        print(f"inertia:   (n₋, n₀, n₊) = {tuple(res.inertia)}")
    if res.loss:
        print(f"loss:      {res.loss}")
    if res.reason:
        print(f"reason:    {res.reason}")
    t = res.times
    print(f"time:      refine {t['refine']:.2f} s, Krawczyk {t['krawczyk']:.2f} s, inertia {t['inertia']:.2f} s "
          f"({res.prec} bits)")
    return 0


def _distance(text: str) -> float | str | None:
    """``auto``, ``inf`` (None: anywhere) or a positive number."""
    if text in ("auto", "inf"):
        return None if text == "inf" else "auto"
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected auto, inf or a positive number, got {text!r}")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``certify``."""
    p = sub.add_parser("certify", help="prove a critical point near the file's parameters and its Hessian inertia",
                       **with_example("exactlift examples tanh-minimum -o tanh.json", "exactlift certify tanh.json",
                                      "exactlift certify tanh.json --digits 60 -o refined.json"))
    p.add_argument("file", metavar="FILE", help="case file (JSON); its parameters are the candidate")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("-o", "--output", metavar="OUT", help="write the case with the refined centre")
    p.add_argument("--digits", type=int, default=40, help="digits of the refined centre (default 40)")
    p.add_argument("--max-distance", default="auto", metavar="D", type=_distance,
                   help="how far the refined point may lie from the file's parameters (max-norm; 'auto': "
                        "0.01*max(1, |theta|), 'inf': anywhere); farther, the candidate's own box is tested instead")
    p.add_argument("--floats", choices=("refuse", "binary", "decimal"), default="refuse",
                   help="read JSON floats as their binary or shortest decimal value (default: refuse)")
    add_progress_options(p)
    p.set_defaults(func=_run)
