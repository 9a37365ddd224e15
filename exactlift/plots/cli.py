"""``exactlift plot-spectrum CASE -o FILE.png`` and ``exactlift plot-split-line CASE --neuron S -o FILE.png``.

``plot-spectrum``: the Hessian's eigenvalues (exact: roots of the exact
characteristic polynomial; certified: arb enclosures), the zero eigenvalues
marked with their multiplicity, the proved inertia in the title.
``plot-split-line``: (n₋, n₀, n₊) of the wide Hessian as a function of the
split ratio α of one neuron (the Fukumizu–Amari classification of
``exactlift split-line``), exact.  Both need matplotlib (``pip install
'exactlift[plots]'``).  Exit status 0, or 2 for bad input.
"""

from __future__ import annotations

import argparse
import json

from exactlift.cli_options import LAYER_HELP, NEURON_HELP, add_arithmetic_options, add_case_options, resolve_arithmetic, with_example
from exactlift.errors import InputError
from exactlift.nn.case import load_case


def _png(path: str, command: str) -> str:
    if not path.lower().endswith(".png"):
        raise InputError(f"-o {path[:60]}: {command} writes a PNG file; name it FILE.png")
    return path


def _plot_spectrum(args: argparse.Namespace) -> int:
    from exactlift.plots.spectrum import plot_spectrum

    path = _png(args.output, "plot-spectrum")
    case = load_case(args.file, args.floats)
    s = plot_spectrum(case, path, resolve_arithmetic(args, case), args.digits)
    if args.json:
        print(json.dumps(s.to_json() | {"path": path}, indent=1))
    else:
        inertia = "undecided" if s.inertia is None else str(tuple(s.inertia))
        zeros = f"eigenvalue 0 with multiplicity {s.zero_multiplicity}" if s.zero_multiplicity else "no zero eigenvalue"
        print(f"wrote {path}: (n-, n0, n+) = {inertia} [{s.strength}], {zeros}")
    return 0


def _plot_split_line(args: argparse.Namespace) -> int:
    from exactlift.arith.contexts import parse_rational
    from exactlift.plots.split_line import default_alphas, plot_split_line, split_line_inertia

    path = _png(args.output, "plot-split-line")
    lo, hi = parse_rational(args.alpha_min, "--alpha-min"), parse_rational(args.alpha_max, "--alpha-max")
    if not lo < hi or not 1 <= args.steps <= 600:
        raise InputError("need --alpha-min < --alpha-max and 1 <= --steps <= 600")
    grid = sorted(set(default_alphas(lo, hi, args.steps)) | ({0, 1} & {a for a in (0, 1) if lo <= a <= hi}))
    s = split_line_inertia(load_case(args.file, args.floats), args.neuron, args.layer, grid)
    plot_split_line(s, path)
    if args.json:
        print(json.dumps(s.to_json() | {"path": path}, indent=1))
    else:
        print(f"wrote {path}: strict saddle for {s.rule}; "
              f"{'confirmed' if s.confirmed else 'NOT confirmed'} by the direct wide Hessian at {len(s.direct)} ratios")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``plot-spectrum`` and ``plot-split-line``."""
    p = sub.add_parser(
        "plot-spectrum", help="plot the Hessian spectrum of a case (proved enclosures, zero eigenvalues with multiplicity)",
        description="Draw the eigenvalues of the Hessian at the case's point in ascending order: exact cases use the "
        "roots of the exact characteristic polynomial, others arb ball enclosures (default: exact when the case allows "
        "it, else certified).",
        **with_example("exactlift plot-spectrum saddle.json -o spec.png",
                       "exactlift plot-spectrum tanh.json -o spec.png --arithmetic certified --json",
                       note="(make the cases with: exactlift examples relu-saddle -o saddle.json)"),
    )
    add_case_options(p)
    p.add_argument("-o", "--output", required=True, help="output file (.png)")
    add_arithmetic_options(p, ("auto", "exact", "certified"), why_not="the plot draws proved enclosures, and mp proves nothing")
    p.add_argument("--json", action="store_true", help="print the enclosures as JSON")
    p.set_defaults(func=_plot_spectrum)

    p = sub.add_parser(
        "plot-split-line", help="plot the inertia (n-, n0, n+) of a split point against the split ratio alpha",
        description="Split hidden neuron S with every ratio alpha of a grid and draw the exact inertia of the wide "
        "Hessian, inertia(H) + inertia(K(alpha)) (the Fukumizu-Amari classification of split-line), with the "
        "directly computed wide inertia at alpha = -1, 1/3, 1/2, 2 marked.",
        **with_example("exactlift plot-split-line fa.json --neuron 0 -o split.png",
                       "exactlift plot-split-line fa.json --neuron 0 --alpha-min=-1/2 --alpha-max 3/2 -o split.png",
                       note="(make the case with: exactlift examples fa-split-line -o fa.json)"),
    )
    add_case_options(p)
    p.add_argument("--neuron", type=int, required=True, help=f"neuron to split ({NEURON_HELP})")
    p.add_argument("--layer", type=int, default=1, help=f"hidden layer of the neuron ({LAYER_HELP}; default 1)")
    p.add_argument("-o", "--output", required=True, help="output file (.png)")
    p.add_argument("--alpha-min", default="-1", help="smallest alpha (a rational; default -1; write --alpha-min=-1/2)")
    p.add_argument("--alpha-max", default="2", help="largest alpha (default 2)")
    p.add_argument("--steps", type=int, default=60, help="grid steps between them (default 60; 0 and 1 always included)")
    p.add_argument("--json", action="store_true", help="print the inertia along the line as JSON")
    p.set_defaults(func=_plot_split_line)
