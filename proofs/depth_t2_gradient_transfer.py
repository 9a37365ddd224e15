"""Card: T2 — gradient transfer through a critical lift; lifted critical points are critical (docs/depth.md).

At every case the deep gradient computed by the core back-propagation is
compared entry by entry with the T2 formulas applied to the shallow gradient
(layers ≤ q unchanged, ∂R/∂A = D Bᵀ G_W, ∂R/∂c = D Bᵀ g_b,
∂R/∂B = G_W Aᵀ D + g_b (Dc+γ)ᵀ, ∂R/∂e = g_b, layers above unchanged).  At
the (critical) shallow points the lifted point's core gradient is exactly 0.
The symbolic cases prove the transfer identity for all parameters, inputs,
losses and every activation of the other layers.  The dimension of the lifted
set (fixed activation pattern) is P_deep − P_shallow by exact rank.
"""

from exactlift.analysis import analyze
from exactlift.lifts.depth.theorems import check_gradient_transfer, check_lifted_dimension, prove_gradient_transfer
from exactlift.theorems import step
from exactlift.theorems.cases import depth_cases, step_from_check

TITLE = "Depth T2: gradient transfer; lifted critical points are critical"
STATEMENT = r"""With $G_W, g_b$ the shallow gradient blocks of layer $q+1$, the deep gradient at a lifted point is:
unchanged in layers $\le q$ and above the inserted layer, $\partial R/\partial A = D B^\top G_W$,
$\partial R/\partial c = D B^\top g_b$, $\partial R/\partial B = G_W A^\top D + g_b (Dc + \gamma)^\top$, $\partial R/\partial e = g_b$.
Hence every lifted point of a critical point is critical. With a fixed activation pattern and $DA$ of full column
rank the lifted set has dimension $m'(m_q + m_{q+1} + 1) - m_q m_{q+1} = P_{\mathrm{deep}} - P_{\mathrm{shallow}}$."""
SOURCE = "exactlift formalization of arXiv 2205.13283 (Bai, Luo, Xu, Zhang: Embedding Principle in Depth)"
STRENGTH = "exact"

#: symbolic cases: (widths, after_layer, inserted width, activation)
SYMBOLIC = [([1, 2, 1], 1, 2, "relu"), ([2, 1], 0, 2, "relu")]


def cases():
    for name, case, lift in depth_cases():
        yield name, ("exact", case, lift)
    for widths, q, width, act in SYMBOLIC:
        yield f"symbolic {'-'.join(map(str, widths))} insert {width} after {q}", ("symbolic", widths, q, width, act)


def check(spec):
    if spec[0] == "symbolic":
        _, widths, q, width, act = spec
        return [step_from_check(prove_gradient_transfer(widths, q, width, act))]
    _, case, lift = spec
    deep = lift.apply_case(case)
    shallow_critical = analyze(case, hessian=False).critical
    deep_a = analyze(deep, hessian=False)
    return [
        step_from_check(check_gradient_transfer(case, lift)),
        step("the shallow point is critical", shallow_critical),
        step("core gradient of the lifted point is exactly 0", deep_a.critical,
             f"max |component| {deep_a.max_gradient}"),
        step_from_check(check_lifted_dimension(case, lift)),
    ]
