"""The ``examples`` and ``make-critical`` commands: ready-made and freshly made critical cases.

``exactlift examples`` lists the gallery (:mod:`exactlift.gallery`): name, what the
case is, what it proves and its source; ``exactlift examples NAME -o FILE`` writes one
(without ``-o`` it prints the file).  ``exactlift make-critical --widths 2-3-1
--activation relu --samples 8 --seed 1 [--teacher] -o CASE.json`` draws random exact
weights and inputs off every kink and targets whose residual lies in the left
kernel of the output Jacobian (a critical point with non-zero loss), or, with
``--teacher``, the network's own outputs (zero loss: a global minimum).
"""

from __future__ import annotations

import argparse
import json

from exactlift.cli_options import with_example
from exactlift.errors import InputError
from exactlift.gallery import EXAMPLES, get_example
from exactlift.nn.case import save_case
from exactlift.nn.examples import small_case


def _examples(args: argparse.Namespace) -> int:
    if args.name is None:
        if args.json:
            print(json.dumps([{"name": e.name, "description": e.description, "proves": e.proves,
                               "source": e.source, "command": e.command} for e in EXAMPLES], indent=1))
            return 0
        for e in EXAMPLES:
            print(e.line())
            print(f"{'':15s}   proves:  {e.proves}")
            print(f"{'':15s}   source:  {e.source}")
            print(f"{'':15s}   try:     exactlift examples {e.name} -o {e.name}.json && "
                  f"{e.command.replace('CASE', e.name + '.json')}")
        return 0
    e = get_example(args.name)
    text = e.path.read_text()
    if args.output:
        with open(args.output, "w") as fh:
            fh.write(text)
        print(f"wrote {args.output}: {e.description}")
        print(f"proves: {e.proves}")
        print(f"check:  {e.command.replace('CASE', args.output)}")
    else:
        print(text, end="")
    return 0


def parse_widths(text: str) -> list[int]:
    """``"2-3-1"`` -> ``[2, 3, 1]`` (at least input and output, all positive).

    >>> parse_widths("2-3-1")
    [2, 3, 1]
    """
    try:
        widths = [int(w) for w in text.replace(",", "-").split("-")]
    except ValueError:
        raise InputError(f"--widths must look like 2-3-1, got {text!r}") from None
    if len(widths) < 2 or min(widths) < 1:
        raise InputError(f"--widths needs at least two positive widths, got {text!r}")
    return widths


def _make_critical(args: argparse.Namespace) -> int:
    widths = parse_widths(args.widths)
    targets = "teacher" if args.teacher else "critical"
    case = small_case(widths, args.activation, args.samples, args.seed, targets,
                      name=f"{args.widths} {args.activation} {targets} case, seed {args.seed}")
    save_case(case, args.output)
    kind = ("teacher data: zero loss, a global minimum" if args.teacher
            else "residual in the left kernel of the output Jacobian: a critical point with non-zero loss")
    print(f"wrote {args.output}: {case.arch.describe()}, {case.n_samples} samples, {kind}")
    print(f"check: exactlift analyze {args.output}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``examples`` and ``make-critical``."""
    p = sub.add_parser(
        "examples", help="list the gallery of example cases, or write one",
        description="List the shipped example cases (what each proves, and its source), or write one.",
        **with_example("exactlift examples", "exactlift examples relu-saddle -o saddle.json",
                       note="then: exactlift analyze saddle.json"),
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="the example to write (omit to list them)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the case file here (default: print it)")
    p.add_argument("--json", action="store_true", help="list the gallery as JSON")
    p.set_defaults(func=_examples)

    q = sub.add_parser(
        "make-critical", help="make an exact critical case (non-zero loss, or --teacher: zero loss)",
        description="Random exact weights and inputs (off every kink) with targets that make them an exact "
                    "critical point: the residual lies in the left kernel of the output Jacobian.",
        **with_example("exactlift make-critical --widths 2-3-1 --activation relu --samples 8 --seed 1 -o CASE.json"),
    )
    q.add_argument("--widths", required=True, help="layer widths from input to output, e.g. 2-3-1")
    q.add_argument("--activation", default="relu",
                   help="hidden activation with exact values: relu, leaky_relu(1/10), hard_tanh, a rational "
                        "function such as 'z/(1 + z**2)' (default relu)")
    q.add_argument("--samples", type=int, default=None,
                   help="number of training inputs (default: parameters / outputs + 2, enough for a residual)")
    q.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    q.add_argument("--teacher", action="store_true", help="targets = the network's outputs (zero loss)")
    q.add_argument("-o", "--output", required=True, metavar="CASE.json", help="the case file to write")
    q.set_defaults(func=_make_critical)
