"""Card: width embeddings map critical points to critical points (docs/width.md).

At exact critical points with non-zero loss (the Jᵀe = 0 recipe) the wide
point Tθ is critical: checked by the width module and independently by the
core's exact gradient of the lifted case.  For single splits the whole line
{T_α θ} is critical (the wide gradient with α a free symbol is identically 0).
A null neuron needs σ(0)·Σ_i δ_i^[l+1] = 0: automatic when σ(0) = 0, or with a
bias in layer l+1 (then Σ_i δ_i^[l+1] = n ∂R/∂b^[l+1] = 0); the case with
σ = 1/(1+z²) (σ(0) = 1) uses the bias.
"""

from exactlift.analysis import analyze
from exactlift.lifts.width import SplitNeuron
from exactlift.lifts.width import check_criticality, check_null_condition, check_split_line
from exactlift.theorems import step
from exactlift.theorems.cases import step_from_check, width_cases

TITLE = "Width embeddings are critical embeddings"
STATEMENT = r"""If $\nabla R_S(\theta) = 0$ then $\nabla R_S(T\theta) = 0$ for splittings, null embeddings (when
$\sigma(0)\sum_i \delta_i^{[l+1]} = 0$, automatic if $\sigma(0) = 0$ or layer $l+1$ has a bias), permutations and their
compositions; for a split, every point $T_\alpha\theta$, $\alpha \in \mathbb{R}$, of the split line is critical."""
SOURCE = "paper: Zhang et al., arXiv 2105.14573 (NeurIPS 2021), Theorem (critical embedding); arXiv 2111.15527"
STRENGTH = "exact"


def cases():
    for name, case, lift in width_cases():
        yield name, (case, lift)


def check(spec):
    case, lift = spec
    a = analyze(case, hessian=False)
    wide = analyze(lift.apply_case(case), hessian=False)
    steps = [
        step("the narrow point is critical with non-zero loss", a.critical and a.loss != "0", f"R = {a.loss}"),
        step_from_check(check_criticality(case, lift)),
        step("core gradient of the wide point is exactly 0", wide.critical, f"max |component| {wide.max_gradient}"),
        step("the loss is unchanged", wide.loss == a.loss),
    ]
    if "null" in str(lift):
        steps.append(step_from_check(check_null_condition(case, lift)))
    if isinstance(lift, SplitNeuron) and case.arch.activations[0].exact_capable:
        steps.append(step_from_check(check_split_line(case, lift)))
    return steps
