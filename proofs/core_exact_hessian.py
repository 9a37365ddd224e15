"""Card: the layered exact Hessian equals SymPy's Hessian of the whole loss expression.

exactlift computes R_S, ∇R_S and ∇²R_S by layered back-propagation over exact
rationals (``exactlift.calculus.backprop``).  This card checks, on small
networks of several shapes, activations and losses, that every entry agrees
with ``sympy.hessian`` of the full risk written as one expression
(``exactlift.calculus.naive``) — an independent computation that shares only
the activation's and loss's SymPy expressions.
"""

from exactlift.analysis import analyze
from exactlift.calculus.naive import naive_derivatives
from exactlift.arith.contexts import parse_rational
from exactlift.theorems import step
from exactlift.theorems.cases import small_case

TITLE = "Exact layered Hessian = naive sympy.hessian"
STATEMENT = r"""For every network $f_\theta$ of the listed shapes, every rational $\theta$ and data set $S$,
the layered back-propagation values of $R_S(\theta)$, $\nabla R_S(\theta)$ and
$\nabla^2 R_S(\theta)$ equal, entry by entry, those obtained by differentiating the expression
$R_S(\theta) = \frac1n \sum_{i=1}^n \ell\bigl(f_\theta(x_i), y_i\bigr)$ with SymPy."""
SOURCE = "exactlift formalization (core correctness, docs/mathematics.md)"
STRENGTH = "exact"

#: (widths, activation, loss, bias, number of samples, seed)
SHAPES = [
    ([1, 2, 1], "z/(1 + z**2)", "mse", True, 5, 1),
    ([2, 2, 1], "z + z**5", "mse", False, 4, 2),
    ([1, 2, 2], "leaky_relu(1/10)", "(f0 - y0)**4 + (f1 - y1)**2", True, 3, 3),
    ([1, 1, 2, 1], "hard_tanh", "mse", True, 3, 4),
]


def cases():
    for widths, act, loss, bias, n, seed in SHAPES:
        name = f"{'-'.join(map(str, widths))} {act}{'' if bias else ' no-bias'}"
        yield small_case(widths, act, n, seed, "random", loss, bias, size=2, denominators=2, name=name)


def check(case):
    a = analyze(case, "exact")
    d = a.derivatives
    value, grad, H = naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss)
    P = case.arch.n_params
    q = parse_rational  # exact values (flint fmpq) -> Fraction; SymPy Rationals likewise
    same_loss = q(d.loss) == q(value)
    bad_grad = [i for i in range(P) if q(d.gradient[i]) != q(grad[i])]
    bad_hess = [(i, j) for i in range(P) for j in range(P) if q(d.hessian[i, j]) != q(H[i, j])]
    return [
        step("R_S equal", same_loss, f"R_S = {value}"),
        step(f"all {P} gradient components equal", not bad_grad,
             "" if not bad_grad else "first difference at " + case.arch.param_name(bad_grad[0])),
        step(f"all {P * P} Hessian entries equal", not bad_hess,
             "" if not bad_hess else f"first difference at ({bad_hess[0][0]}, {bad_hess[0][1]})"),
    ]
