"""The ``exactlift import`` command: a trained weight file -> an exact case file.

``exactlift import WEIGHTS [--activation NAME] [--data DATA.npz] [--floats binary|decimal]
[--loss mse] -o CASE.json`` reads ``.npz`` / ``.safetensors`` / ``.onnx`` / ``.pt`` (see
:mod:`exactlift.io.weights`), writes the case and prints one summary line.  Exit 0, or 2 with
one ``error:`` line for a bad file.
"""

from __future__ import annotations

import argparse

from exactlift.cli_options import with_example
from exactlift.io.weights import FLOAT_RULES, import_case
from exactlift.nn.case import save_case


def _import(args: argparse.Namespace) -> int:
    case = import_case(args.weights, args.activation, args.data, args.floats, args.loss, args.name or "")
    save_case(case, args.output)
    src = case.extra["source"]
    print(f"{args.output}: {case.arch.describe()}, {case.arch.n_params} parameters, {case.n_samples} training points "
          f"(from {src['format']} {src['dtype']}, floats read as {src['floats']})")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``import``."""
    p = sub.add_parser("import", help="read trained weights (.npz, .safetensors, .onnx, .pt) into an exact case file",
                       **with_example("exactlift import model.npz --activation tanh -o case.json",
                                      "exactlift import model.safetensors --activation relu --data data.npz -o case.json"))
    p.add_argument("weights", help="weight file: .npz, .safetensors, .onnx or .pt (PyTorch state dict; needs the [torch] extra)")
    p.add_argument("--activation", help="activation of the hidden layers (e.g. tanh); ONNX graphs say it themselves")
    p.add_argument("--data", help=".npz with arrays x (n x d) and y (n x d_out); default: x and y inside the weights .npz")
    p.add_argument("--floats", choices=FLOAT_RULES, default="binary",
                   help="binary: the exact value of each stored float (default); decimal: the shortest decimal printing as it")
    p.add_argument("--loss", default="mse", help="loss of the case (default mse)")
    p.add_argument("--name", help="case name (default: the file's stem)")
    p.add_argument("-o", "--output", required=True, help="case file to write")
    p.set_defaults(func=_import)
