"""Card: T1 — a critical lift preserves the outputs on every training input (docs/depth.md).

Each case inserts a layer that is linear on the training data (L1) with B, e
from the composition rule (L2).  Checked twice: by the depth module's T1
check and, independently, by the core forward pass of the deep and the
shallow network on the training inputs.  Where the range of f^[q] keeps every
inserted neuron in its linear piece (q ≥ 1 after ReLU, A ≥ 0, c > 0) the
identity on *all* inputs is proved symbolically.
"""

from exactlift.lifts.depth.theorems import check_output_preservation, prove_output_preservation_all_inputs
from exactlift.nn.data import network_outputs
from exactlift.theorems import step
from exactlift.theorems.cases import depth_cases, step_from_check

TITLE = "Depth T1: critical lifts preserve the training outputs"
STATEMENT = r"""Insert after layer $q$ a layer $u = \sigma(A h + c)$ of width $m'$ whose neurons are affine on the training set,
$\sigma(t) = \alpha_k t + \gamma_k$ on an open interval containing every $t_{k,i} = (A h_i + c)_k$ (L1), and set $B, e$ with
$B D A = W^{[q+1]}$, $B(Dc + \gamma) + e = b^{[q+1]}$ (L2). Then the deep network's outputs equal the shallow network's on
every training input; on every input when $q \ge 1$ follows a ReLU layer, $A \ge 0$ and $c > 0$."""
SOURCE = "exactlift formalization of arXiv 2205.13283 (Bai, Luo, Xu, Zhang: Embedding Principle in Depth)"
STRENGTH = "exact"


def cases():
    for name, case, lift in depth_cases():
        yield name, (case, lift)


def check(spec):
    case, lift = spec
    deep = lift.apply_case(case)
    same = network_outputs(deep.arch, deep.params, deep.X) == network_outputs(case.arch, case.params, case.X)
    steps = [
        step_from_check(check_output_preservation(case, lift)),
        step(f"core forward pass: f_deep(x_i) = f(x_i) for all {case.n_samples} training inputs", same,
             f"{case.arch.describe()} -> {deep.arch.describe()}"),
    ]
    allin = prove_output_preservation_all_inputs(case, lift)
    if allin.holds is not None:
        steps.append(step_from_check(allin))
    return steps
