"""Card: gradient transfer under width embeddings (docs/width.md), at every θ, critical or not.

Symbolic cases: ∇R_wide(Tθ) = S_T ∇R(θ) as an identity in θ, the input, the
per-sample loss derivative (so for every loss and data set), σ (undefined) and
α.  Exact cases at random (non-critical) rational points: the width module's
check, and independently, for single splits, the explicit transfer formula of docs/width.md
(the copied incoming blocks get α g_s and (1 − α) g_s, both outgoing columns
get the same g) applied here to the core gradient of the narrow network and
compared with the core gradient of the wide network.
"""

from fractions import Fraction

from exactlift.analysis import analyze
from exactlift.arith.contexts import parse_rational
from exactlift.lifts.width import NullNeuron, SplitNeuron, compose
from exactlift.lifts.width import check_gradient_transfer, prove_gradient_transfer
from exactlift.nn.network import Params
from exactlift.theorems import step
from exactlift.theorems.cases import small_case, step_from_check

TITLE = "Width embeddings transfer the gradient linearly"
STATEMENT = r"""For every $\theta$ (critical or not), $\nabla R_{\mathrm{wide}}(T\theta) = S_T\,\nabla R(\theta)$ with $T^\top S_T = I$.
For a split of neuron $s$ in layer $l$ with ratio $\alpha$: the two copied incoming blocks receive $\alpha\,g_s$ and
$(1-\alpha)\,g_s$, both outgoing columns receive the same $g$, all other blocks are unchanged. Hence critical
points are mapped to critical points, for every data set and loss."""
SOURCE = "paper: Zhang et al., arXiv 2105.14573 (NeurIPS 2021), gradient of one-step embeddings; arXiv 2111.15527"
STRENGTH = "exact"  # symbolic cases prove the identity for every theta and sigma; exact cases at points

SYMBOLIC = [
    ("1-2-1 split(1,0,alpha)", [1, 2, 1], SplitNeuron(1, 0, 0)),
    ("1-2-1 null(1)", [1, 2, 1], NullNeuron(1)),
    ("1-1-1-1 split in both layers", [1, 1, 1, 1], compose(SplitNeuron(1, 0, 0), SplitNeuron(2, 0, 0))),
]

EXACT = [  # (widths, activation, layer, neuron, alpha, seed): random points, not critical
    ([1, 2, 1], "z/(1 + z**2)", 1, 0, Fraction(1, 3), 0),
    ([2, 2, 2], "leaky_relu(1/10)", 1, 1, Fraction(-1), 1),
    ([1, 2, 2, 1], "z + z**5/5", 2, 1, Fraction(5, 2), 2),
]


def cases():
    for name, widths, lift in SYMBOLIC:
        yield "symbolic " + name, ("symbolic", widths, lift)
    for widths, act, l, s, a, seed in EXACT:
        yield f"{'-'.join(map(str, widths))} {act} split({l},{s},{a})", ("exact", widths, act, l, s, a, seed)


def _expected_wide_gradient(case, g, l, s, alpha):
    """The transfer formula of docs/width.md for one split, on per-layer blocks (new neuron appended last)."""
    P = Params.from_flat(case.arch, g)
    W = [w.copy() for w in P.W]
    b = [None if v is None else v.copy() for v in P.b]
    import numpy as np

    row = W[l - 1][s]
    W[l - 1] = np.vstack([W[l - 1], [row * (1 - alpha)]])
    W[l - 1][s] = row * alpha
    if b[l - 1] is not None:
        bs = b[l - 1][s]
        b[l - 1] = np.append(b[l - 1], bs * (1 - alpha))
        b[l - 1][s] = bs * alpha
    W[l] = np.hstack([W[l], W[l][:, [s]]])
    return Params(tuple(W), tuple(b)).flatten()


def check(spec):
    if spec[0] == "symbolic":
        _, widths, lift = spec
        return [step_from_check(prove_gradient_transfer(widths, lift, free_alpha=True))]
    _, widths, act, l, s, alpha, seed = spec
    case = small_case(widths, act, n=5, seed=seed)
    lift = SplitNeuron(l, s, alpha)
    narrow = [parse_rational(x) for x in analyze(case, hessian=False).derivatives.gradient]
    wide_case = lift.apply_case(case)
    wide = [parse_rational(x) for x in analyze(wide_case, hessian=False).derivatives.gradient]
    expected = _expected_wide_gradient(case, narrow, l, s, Fraction(alpha))
    return [
        step("the point is not critical (the transfer is checked off critical points too)", any(narrow)),
        step_from_check(check_gradient_transfer(case, lift)),
        step("core wide gradient = explicit split formula applied to the core narrow gradient", wide == expected,
             f"{len(wide)} components"),
    ]
