"""Depth liftings (docs/depth.md): the critical lifting operator and the checks of T1–T7.

**exactlift formalization of arXiv 2205.13283**.  One module per idea:

* :mod:`~exactlift.lifts.depth.insertion`: parsing, pseudo-inverse, activation pieces, layer inputs;
* :mod:`~exactlift.lifts.depth.lifting`: :class:`CriticalLift`, :class:`IdentityLift`, :func:`critical_lift`;
* :mod:`~exactlift.lifts.depth.theorems`: T1–T3 (outputs, gradient transfer, criticality, dimension, inertia);
* :mod:`~exactlift.lifts.depth.saddle`: T4 strict saddle;
* :mod:`~exactlift.lifts.depth.batchnorm`: T5;
* :mod:`~exactlift.lifts.depth.region`: T6 more data;
* :mod:`~exactlift.lifts.depth.prune`: T7 pruning, :func:`prune_layer`, :func:`layer_linearization`;
* :mod:`~exactlift.lifts.depth.mp`: the tanh / mp path;
* :mod:`~exactlift.lifts.depth.check`: :func:`check_lift` tying them together;
* :mod:`~exactlift.lifts.depth.options` / :mod:`~exactlift.lifts.depth.cli`: command line.

>>> from exactlift.lifts.depth import IdentityLift
>>> print(IdentityLift(0))
insert(after_layer=0, identity, activation=relu)
"""

from exactlift.lifts.depth.insertion import SOURCE, activation_range, layer_inputs, pseudo_inverse
from exactlift.lifts.depth.construction import DepthLift, NeuronPattern
from exactlift.lifts.depth.lifting import CriticalLift, IdentityLift, critical_lift
from exactlift.lifts.depth.options import insert_from_option, insert_json_from_option
from exactlift.lifts.depth.prune import layer_linearization, prune_layer

__all__ = [
    "SOURCE",
    "CriticalLift",
    "IdentityLift",
    "DepthLift",
    "NeuronPattern",
    "critical_lift",
    "layer_inputs",
    "activation_range",
    "pseudo_inverse",
    "insert_from_option",
    "insert_json_from_option",
    "layer_linearization",
    "prune_layer",
]
