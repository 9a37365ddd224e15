"""Command-line lift options shared by ``lift``, ``latex`` and the check commands.

Each option turns its text into a lift object (anything with
``apply_case(case) -> Case`` and a readable ``str``); the lifts are applied
in the order the options are given on the command line.

==============================  =========================================  ==============
option                          meaning                                    made by
==============================  =========================================  ==============
``--split LAYER:NEURON:ALPHA``  split a hidden neuron (docs/width.md)      ``width.options``
``--odd-split L:N:ALPHA``       sign-flip split for odd σ (docs/width.md)  ``width.options``
``--null LAYER``                append a null neuron (docs/width.md)       ``width.options``
``--permute LAYER:P0,P1,...``   permute a hidden layer's neurons           ``width.options``
``--insert Q[:identity[:S]]``   insert a linearized layer after layer Q    ``depth.options``
                                (depth, docs/depth.md)
``--insert-json FILE``          insert a layer with A, c from a JSON file  ``depth.options``
==============================  =========================================  ==============

Hidden layers are numbered from 1, neurons from 0; ``--insert Q`` counts the input as layer 0.
"""

from __future__ import annotations

import argparse
from typing import Any, Callable

from exactlift.errors import InputError
from exactlift.lifts.depth import options as depth_options
from exactlift.lifts.width import options as width_options

#: (flag, metavar, maker, help): the maker turns the option's text into a lift object.
LIFT_OPTIONS: tuple[tuple[str, str, Callable[[str], Any], str], ...] = (
    ("--split", "LAYER:NEURON:ALPHA", width_options.split_from_option,
     "split neuron NEURON of hidden layer LAYER with ratio ALPHA (exact, e.g. 1/3); "
     "hidden layers count from 1, neurons from 0"),
    ("--odd-split", "LAYER:NEURON:ALPHA", width_options.odd_split_from_option,
     "sign-flip split of neuron NEURON of hidden layer LAYER for an odd activation such as tanh "
     "(docs/width.md, W11); hidden layers count from 1, neurons from 0"),
    ("--null", "LAYER", width_options.null_from_option,
     "append a null neuron (zero incoming and outgoing weights) to hidden layer LAYER (counted from 1)"),
    ("--permute", "LAYER:P0,P1,...", width_options.permute_from_option,
     "permute the neurons of hidden layer LAYER (counted from 1); P0,P1,... is a permutation of the "
     "neuron indices 0..m-1"),
    ("--insert", "Q[:identity[:SHIFT]]", depth_options.insert_from_option,
     "insert a layer after layer Q that is linear on the training data; here the input counts as layer 0 "
     "(Q = 0: right after the input, Q = L-1: after the last hidden layer); identity: A = I; SHIFT: the "
     "bias c = SHIFT·1 that puts every pre-activation on the linear piece (default: the smallest integer "
     "that does)"),
    ("--insert-json", "FILE", depth_options.insert_json_from_option,
     "insert a layer with A and c (and the layer position) read from a JSON file"),
)


class AppendLift(argparse.Action):
    """Append (flag, text) to ``namespace.lifts`` keeping the command-line order."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[override]
        lifts = list(getattr(namespace, "lifts", None) or [])
        lifts.append((option_string, values))
        namespace.lifts = lifts


def add_lift_options(parser: argparse.ArgumentParser, kinds: tuple[str, ...] | None = None) -> None:
    """Add the lift options (all, or those whose flag is in ``kinds``) to a parser."""
    parser.set_defaults(lifts=[])
    for flag, metavar, target, help_text in LIFT_OPTIONS:
        if kinds is not None and flag not in kinds:
            continue
        parser.add_argument(flag, metavar=metavar, action=AppendLift, help=help_text)


def lifts_from_args(args: argparse.Namespace) -> list[Any]:
    """The lift objects of the parsed options, in command-line order."""
    table = {flag: target for flag, _, target, _ in LIFT_OPTIONS}
    out = []
    for flag, text in getattr(args, "lifts", []) or []:
        out.append(table[flag](text))
    if not out:
        raise InputError("no lift given: use --split, --odd-split, --null, --permute, --insert or --insert-json")
    return out
