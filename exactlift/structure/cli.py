"""The ``condense`` and ``explain`` commands.

``exactlift condense CASE [--tol T] [--json] [-o NARROW.json]``: groups, null neurons, the
narrow network and the exact embedding back (see :mod:`exactlift.structure.condense`).

``exactlift explain CASE [--tol T] [--json]``: condense, certify the narrow critical point,
embed it, report distance and inertia with their strengths (:mod:`exactlift.structure.explain`).

CASE may also be a weight file (``.npz``, ``.safetensors``, ``.onnx``, ``.pt``) with
``--activation`` and ``--data`` as for ``exactlift import``: one command from a trained model.

Exit 0 for any answer (including "no critical point certified"), 2 with one ``error:`` line on
bad input.
"""

from __future__ import annotations

import argparse
import json

from pathlib import Path

from exactlift.certify import cli as certify_cli
from exactlift.cli_options import add_case_options, add_display_options, with_example
from exactlift.display import present
from exactlift.sources import claim_header
from exactlift.nn.case import Case, load_case, save_case
from exactlift.structure.detected import certify_detected

_WEIGHT_SUFFIXES = (".npz", ".safetensors", ".onnx", ".pt", ".pth")


def load_any(args: argparse.Namespace) -> Case:
    """A case file, or a weight file read like ``exactlift import`` (floats: binary unless --floats decimal)."""
    if Path(args.file).suffix.lower() in _WEIGHT_SUFFIXES:
        from exactlift.io.weights import import_case

        return import_case(args.file, args.activation, args.data, "decimal" if args.floats == "decimal" else "binary")
    return load_case(args.file, args.floats)


def _add_weight_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--activation", help="for a weight file (.npz/.safetensors/.onnx/.pt): the hidden activation")
    p.add_argument("--data", help="for a weight file: .npz with arrays x and y")


def _condense(args: argparse.Namespace) -> int:
    from exactlift.structure.condense import condense

    case = load_any(args)
    c = condense(case, args.tol)
    if args.output:
        save_case(c.narrow, args.output)
    if args.json:
        out = c.to_json()
        out["narrow_file"] = args.output
        print(json.dumps(out, indent=1))
    else:
        print(c.summary())
        if args.output:
            print(f"narrow case written to {args.output}")
    return 0


def _explain(args: argparse.Namespace) -> int:
    from exactlift.structure.explain import explain

    case = load_any(args)
    e = explain(case, args.tol)
    if args.json:
        print(json.dumps(e.to_json(), indent=1))
    else:
        print(claim_header("explain"))
        print(present(e.summary(), args.exact_digits))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``condense`` and ``explain`` (and give ``certify`` the exact detection of embedded points)."""
    certify_cli.use_detected_certifier(certify_detected)
    p = sub.add_parser("condense", help="find copies and null neurons of a wide network and the narrow network it embeds",
                       **with_example("exactlift condense wide.json -o narrow.json",
                                      "exactlift condense model.npz --activation tanh --data data.npz --tol 1e-4"))
    add_case_options(p)
    _add_weight_options(p)
    p.add_argument("--tol", default="1e-6", help="max-norm tolerance for equal incoming vectors / negligible weights (default 1e-6; auto: the widest gap of the neurons' distance spectrum)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("-o", "--output", help="write the narrow case here")
    p.set_defaults(func=_condense)

    p = sub.add_parser("explain", help="which certified critical point, embedded from which width, a network is near",
                       **with_example("exactlift explain wide.json", "exactlift explain model.npz --activation tanh --data data.npz"))
    add_case_options(p)
    _add_weight_options(p)
    p.add_argument("--tol", default="1e-6", help="tolerance of the condensation (default 1e-6; auto: as for condense)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_display_options(p)
    p.set_defaults(func=_explain)
