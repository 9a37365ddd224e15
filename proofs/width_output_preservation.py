"""Card: width embeddings preserve the output function (docs/width.md; 2105.14573, 2111.15527).

Symbolic cases prove f_{Tθ}(x) = f_θ(x) as an identity in θ, x and the split
ratio α, with the undefined activation σ: for the architecture, every
activation.  Exact cases check the same on each training input and on random
rational probes, and independently compare the core forward pass of the wide
and the narrow network on the training inputs.
"""

from exactlift.lifts.width import NullNeuron, Permute, SplitNeuron, compose
from exactlift.lifts.width import check_output_preservation, prove_output_preservation
from exactlift.nn.data import network_outputs
from exactlift.theorems import step
from exactlift.theorems.cases import step_from_check, width_cases

TITLE = "Width embeddings preserve the output function"
STATEMENT = r"""For one-step splitting $T_\alpha$ of a hidden neuron (copy its incoming row and bias; outgoing columns
$\alpha\,W^{[l+1]}_{:,s}$ and $(1-\alpha)\,W^{[l+1]}_{:,s}$), the null embedding and permutations, and every composition of
them: $f_{T\theta}(x) = f_\theta(x)$ for every $\theta$, every input $x$ and every activation $\sigma$."""
SOURCE = "paper: Zhang et al., arXiv 2105.14573 (NeurIPS 2021), one-step embeddings; arXiv 2111.15527, compatible embeddings"
STRENGTH = "exact"  # symbolic cases prove the identity for every theta and sigma; exact cases at points

SYMBOLIC = [
    ("1-2-1 split(1,0,alpha)", [1, 2, 1], SplitNeuron(1, 0, 0)),
    ("1-2-1 null(1)", [1, 2, 1], NullNeuron(1)),
    ("2-1-1 permute+split", [2, 2, 1], compose(Permute(1, (1, 0)), SplitNeuron(1, 1, 0))),
    ("1-1-2-1 split in both layers", [1, 1, 2, 1], compose(SplitNeuron(1, 0, 0), SplitNeuron(2, 1, 0))),
]


def cases():
    for name, widths, lift in SYMBOLIC:
        yield "symbolic " + name, ("symbolic", widths, lift)
    for name, case, lift in width_cases():
        yield name, ("exact", case, lift)


def check(spec):
    if spec[0] == "symbolic":
        _, widths, lift = spec
        return [step_from_check(prove_output_preservation(widths, lift, free_alpha=True))]
    _, case, lift = spec
    wide = lift.apply_case(case)
    same = network_outputs(wide.arch, wide.params, wide.X) == network_outputs(case.arch, case.params, case.X)
    return [
        step_from_check(check_output_preservation(case, lift)),
        step(f"core forward pass: f_wide(x_i) = f(x_i) on all {case.n_samples} training inputs", same,
             f"{case.arch.describe()} -> {wide.arch.describe()}"),
    ]
