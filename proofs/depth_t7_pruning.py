"""Card: T7 — pruning, the inverse of a critical lift (docs/depth.md).

A hidden layer that is linear on the training set merges into the next one
(W = BDA, b = B(Dc+γ)+e).  Each case lifts a shallow critical point, prunes
the inserted layer again and checks: the depth module's T7 check (same
training outputs, criticality kept under the rank condition) and,
independently, that pruning returns exactly the original parameters.
"""

from exactlift.lifts.depth.prune import check_prune
from exactlift.lifts.depth.prune import prune_layer
from exactlift.theorems import step
from exactlift.theorems.cases import depth_cases, step_from_check

TITLE = "Depth T7: pruning a layer linear on the data undoes the lift"
STATEMENT = r"""If hidden layer $q+1$ is affine on the training set ($\sigma(t) = \alpha_k t + \gamma_k$ on every $t_{k,i}$), merging it
into the next layer with $W = BDA$, $b = B(Dc + \gamma) + e$ gives a shallower network with the same training outputs;
a critical point stays critical under the rank condition of T3. Pruning a critical lift returns the original point."""
SOURCE = "exactlift formalization of arXiv 2205.13283 (Bai, Luo, Xu, Zhang: Embedding Principle in Depth)"
STRENGTH = "exact"


def cases():
    for name, case, lift in depth_cases():
        yield name, (case, lift)


def check(spec):
    case, lift = spec
    deep = lift.apply_case(case)
    layer = lift.after_layer + 1
    pruned = prune_layer(deep, layer)
    same = pruned.arch.widths == case.arch.widths and pruned.params.flatten() == case.params.flatten()
    return [
        step_from_check(check_prune(deep, layer, expected=case)),
        step(f"pruning hidden layer {layer} returns exactly the original parameters", same),
    ]
