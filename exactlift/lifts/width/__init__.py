"""The width embedding principle (docs/width.md; Zhang, Zhang, Luo, Xu 2021, arXiv 2105.14573; Zhang et al. 2022,
arXiv 2111.15527), one idea a module:

==========================  ===============================================================
module                      idea
==========================  ===============================================================
``maps``                    sparse exact linear maps T, S_T and exact coefficients
``embeddings``              split, odd split, null neuron, permutation, compositions
``options``                 the command-line texts ``--split``, ``--null``, ...
``result``                  :class:`CheckResult`, the certificate of one width check
``symbolic``                identities for every θ, σ, input and data set (``prove_*``)
``point``                   a point and its lift with derivatives computed once
``products``                Tᵀ H T, H T, S H in any arithmetic
``first_order``             output, gradient transfer, criticality, split lines at a case
``second_order``            Hessian relations, inertia monotone, M_s, G_s, null block
``fukumizu_amari``          which split ratios give a strict saddle
``truly_bad``               one-step embeddings that turn a minimum into a saddle
``check``                   every check at once (``check-embedding``), block formulas
``trials``                  random exact trials of n₀ irreversibility (a conjecture)
``cli``                     ``check-embedding``, ``split-line``, ``truly-bad``
==========================  ===============================================================

Every name below is importable from ``exactlift.lifts.width`` as in exactlift 0.1.

>>> from exactlift.lifts.width import SplitNeuron, check_criticality
>>> from exactlift.nn.examples import demo_case
>>> check_criticality(demo_case(), SplitNeuron(1, 0, "1/3")).holds
True
"""

from exactlift.lifts.width.maps import ONE, ZERO, LinearMap, exact_ratio, scale
from exactlift.lifts.width.embeddings import (
    CompatibleEmbedding,
    NullNeuron,
    OddSplitNeuron,
    Permute,
    SplitNeuron,
    WidthLift,
    activation_is_odd,
    as_lift,
    check_hidden_layer,
    check_neuron,
    compose,
)
from exactlift.lifts.width.options import null_from_option, odd_split_from_option, permute_from_option, split_from_option
from exactlift.lifts.width.result import STRENGTHS, CheckResult
from exactlift.lifts.width.symbolic import (
    identically_zero,
    prove_gradient_transfer,
    prove_hessian_relations,
    prove_output_preservation,
    symbolic_architecture,
)
from exactlift.lifts.width.point import EmbeddingPoint, compare_arrays, decide_zero, embedding_point, inertia_in
from exactlift.lifts.width.products import left_multiply, right_multiply, sandwich, to_ctx_map
from exactlift.lifts.width.first_order import (
    check_criticality,
    check_gradient_transfer,
    check_output_preservation,
    check_split_line,
)
from exactlift.lifts.width.second_order import (
    SplitCurvature,
    SplitInertia,
    check_hessian_relations,
    check_inertia_monotone,
    check_null_condition,
    null_block_inertia,
    null_curvature,
    split_block_inertia,
    split_curvature,
    split_directions,
)
from exactlift.lifts.width.fukumizu_amari import FukumizuAmari, fukumizu_amari, sign_rule_alpha
from exactlift.lifts.width.truly_bad import TrulyBadReport, truly_bad_check
from exactlift.lifts.width.check import SYMBOLIC_PARAM_LIMIT, check_block_formulas, check_embedding
from exactlift.lifts.width.trials import TrialsReport, inertia_monotone_trials, random_trial_case, random_width_lift

__all__ = [
    "ONE", "ZERO", "LinearMap", "exact_ratio", "scale",
    "CompatibleEmbedding", "NullNeuron", "OddSplitNeuron", "Permute", "SplitNeuron", "WidthLift",
    "activation_is_odd", "as_lift", "check_hidden_layer", "check_neuron", "compose",
    "null_from_option", "odd_split_from_option", "permute_from_option", "split_from_option",
    "STRENGTHS", "CheckResult",
    "identically_zero", "prove_gradient_transfer", "prove_hessian_relations", "prove_output_preservation",
    "symbolic_architecture",
    "EmbeddingPoint", "compare_arrays", "decide_zero", "embedding_point", "inertia_in",
    "left_multiply", "right_multiply", "sandwich", "to_ctx_map",
    "check_criticality", "check_gradient_transfer", "check_output_preservation", "check_split_line",
    "SplitCurvature", "SplitInertia", "check_hessian_relations", "check_inertia_monotone", "check_null_condition",
    "null_block_inertia", "null_curvature", "split_block_inertia", "split_curvature", "split_directions",
    "FukumizuAmari", "fukumizu_amari", "sign_rule_alpha",
    "TrulyBadReport", "truly_bad_check",
    "SYMBOLIC_PARAM_LIMIT", "check_block_formulas", "check_embedding",
    "TrialsReport", "inertia_monotone_trials", "random_trial_case", "random_width_lift",
]
