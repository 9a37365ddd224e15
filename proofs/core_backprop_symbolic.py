"""Card: back-propagation is differentiation, for every activation (σ undefined), symbolically.

With the undefined activation ``sigma`` and free parameter symbols, the layered
gradient and Hessian are SymPy expressions in σ, σ′, σ″ and θ; this card checks
that they equal ``sympy.diff`` of the whole risk expression.  Because σ is an
undefined function and θ is free, each case is a proof for its architecture
and data, for every twice-differentiable activation and every θ.
"""

from fractions import Fraction

import sympy

from exactlift.arith.contexts import get_context
from exactlift.calculus.backprop import derivatives
from exactlift.calculus.naive import naive_loss
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture, Params
from exactlift.theorems import step

TITLE = "Layered back-propagation = symbolic differentiation, for every activation"
STATEMENT = r"""For the listed architectures and data, with $\sigma$ an undefined (arbitrary, twice
differentiable) function and $\theta$ free, the layered formulas
$\delta^{[l]}_i = \sigma'(z^{[l]}_i) \odot W^{[l+1]\top}\delta^{[l+1]}_i$,
$\partial R_S/\partial W^{[l]} = \frac1n\sum_i \delta_i^{[l]} f^{[l-1]}(x_i)^\top$ and the layered Hessian
agree identically with $\partial R_S/\partial\theta$ and $\partial^2 R_S/\partial\theta^2$ of the risk expression."""
SOURCE = "exactlift formalization (core correctness, docs/mathematics.md)"
STRENGTH = "symbolic"

#: (widths, bias, inputs, targets, hessian?)
SHAPES = [
    ([1, 2, 1], True, [[1], [Fraction(-1, 2)]], [[2], [0]], True),
    ([2, 1, 1], False, [[1, 2], [-1, 1]], [[1], [-1]], True),
    ([1, 1, 1, 1], True, [[2], [-1]], [[0], [1]], True),
]


def cases():
    for widths, bias, X, Y, hess in SHAPES:
        yield f"{'-'.join(map(str, widths))} {'bias' if bias else 'no-bias'}{'' if hess else ' (gradient)'}", (widths, bias, X, Y, hess)


def check(spec):
    widths, bias, X, Y, hess = spec
    arch = Architecture.build(widths, "sigma", bias)
    theta = sympy.symbols(f"theta0:{arch.n_params}")
    ctx = get_context("symbolic")
    d = derivatives(arch, Params.from_flat(arch, list(theta)), ctx.array(X), ctx.array(Y), "mse", ctx,
                    order=2 if hess else 1)
    R, syms = naive_loss(arch, X, Y, parse_loss("mse", arch.output_dim))
    R = R.xreplace(dict(zip(syms, theta)))
    P = arch.n_params
    steps = [
        step("R_S identical", sympy.expand(d.loss - R) == 0),
        step(f"{P} gradient components identical",
             all(sympy.expand(d.gradient[i] - sympy.diff(R, theta[i])) == 0 for i in range(P))),
    ]
    if hess:
        steps.append(step(f"{P * (P + 1) // 2} Hessian entries identical",
                          all(sympy.expand(d.hessian[i, j] - sympy.diff(R, theta[i], theta[j])) == 0
                              for i in range(P) for j in range(i, P))))
    return steps
