"""exactlift: prove small cases of loss-landscape embedding theorems, exactly.

Every result is a :class:`Certificate` that says its strength: ``symbolic`` (an
identity of SymPy expressions, for all values and every activation), ``exact``
(rational arithmetic, no rounding), ``certified`` (ball enclosures whose bounds
prove the claim) or ``numerical`` (mpmath; finds, never decides); a composite is
as strong as its weakest part.

>>> from exactlift import load_case, analyze
>>> import exactlift
>>> exactlift.__version__
'0.1.0'
"""

from __future__ import annotations

from exactlift.version import __version__

from exactlift.analysis import Analysis, analyze
from exactlift.arith.contexts import get_context, parse_rational
from exactlift.arith.linalg import inertia, kernel, rank, witness_negative_direction
from exactlift.certify import Certificate, Strength
from exactlift.calculus.backprop import derivatives, forward, output_jacobian
from exactlift.errors import (
    ActivationError,
    ArithmeticModeError,
    ExactliftError,
    FloatInExactError,
    InputError,
    KinkError,
    LiftError,
)
from exactlift.nn.activations import Activation, parse_activation
from exactlift.nn.case import Case, case_from_dict, load_case, make_case, save_case
from exactlift.nn.data import critical_targets, random_inputs, random_params, teacher_targets
from exactlift.nn.losses import Loss, parse_loss
from exactlift.nn.network import Architecture, Params
from exactlift.lifts import (
    CompatibleEmbedding,
    CriticalLift,
    IdentityLift,
    NullNeuron,
    OddSplitNeuron,
    Permute,
    SplitNeuron,
    compose,
    critical_lift,
    layer_linearization,
    prune_layer,
)
from exactlift.lifts.depth.check import check_lift
from exactlift.lifts.width import check_embedding
from exactlift.lifts.width import (
    check_inertia_monotone,
    prove_gradient_transfer,
    prove_output_preservation,
)
from exactlift.lifts.width import inertia_monotone_trials
from exactlift.lifts.width import fukumizu_amari, truly_bad_check
from exactlift.theorems import Card, Step, load_card, run_card, run_card_file, step
from exactlift.conjectures import Ledger, conjecture, counterexample, holds, run_conjectures
from exactlift.latex import card_document, case_document, compile_tex
from exactlift.symmetry import (
    connectivity_graph,
    count_G,
    count_T_groups,
    count_T_single,
    crossover_width,
    enumerate_subspaces,
    graph_statistics,
)

__all__ = [
    "__version__",
    "Activation", "ActivationError", "Analysis", "Architecture", "ArithmeticModeError", "Case", "Certificate",
    "ExactliftError", "FloatInExactError", "InputError", "KinkError", "LiftError", "Loss", "Params",
    "analyze", "case_from_dict", "critical_targets", "derivatives", "forward", "get_context", "inertia",
    "kernel", "load_case", "make_case", "output_jacobian", "parse_activation", "parse_loss",
    "parse_rational", "random_inputs", "random_params", "rank", "save_case", "Strength", "teacher_targets",
    "witness_negative_direction",
    # width embeddings (docs/width.md) and depth lifting (docs/depth.md)
    "CompatibleEmbedding", "CriticalLift", "IdentityLift", "NullNeuron", "OddSplitNeuron", "Permute",
    "SplitNeuron", "check_embedding", "check_inertia_monotone", "check_lift", "compose", "critical_lift",
    "fukumizu_amari", "inertia_monotone_trials", "layer_linearization", "prove_gradient_transfer",
    "prove_output_preservation", "prune_layer", "truly_bad_check",
    # theorem cards, conjectures, LaTeX
    "Card", "Ledger", "Step", "card_document", "case_document", "compile_tex", "conjecture",
    "counterexample", "holds", "load_card", "run_card", "run_card_file", "run_conjectures", "step",
    # symmetry-induced affine subspaces (Şimşek et al. 2021): the rest is in exactlift.symmetry
    "connectivity_graph", "count_G", "count_T_groups", "count_T_single", "crossover_width",
    "enumerate_subspaces", "graph_statistics",
]
