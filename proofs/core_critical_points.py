"""Card: the Jᵀe = 0 recipe makes θ an exact critical point with non-zero loss (docs/mathematics.md).

Pick θ, compute the Jacobian J of the training outputs, choose a residual
e ≠ 0 with Jᵀe = 0 exactly, set y_i = f_θ(x_i) − e_i.  For the squared loss
∇R_S(θ) = (2/n) Jᵀe = 0 while R_S(θ) = ‖e‖²/n > 0.  Teacher data (e = 0)
gives a global minimum, whose Hessian (2/n) JᵀJ is positive semi-definite
with rank J.

This file uses the ``CARD = Card(...)`` style (see docs/cards.md).
"""

from fractions import Fraction

from exactlift.analysis import analyze
from exactlift.arith.contexts import get_context, parse_rational
from exactlift.arith.linalg import rank
from exactlift.calculus.backprop import output_jacobian
from exactlift.nn.data import network_outputs
from exactlift.theorems import Card, step
from exactlift.theorems.cases import small_case

#: (widths, activation, n, seed); n = P/d_out + 2 distinct inputs leave room for a residual
SHAPES = [
    ([1, 2, 1], "relu", 9, 0),
    ([1, 2, 1], "z/(1 + z**2)", 9, 1),
    ([2, 2, 1], "z + z**5", 11, 2),
    ([1, 2, 2], "leaky_relu(1/4)", 7, 3),
    ([1, 1, 1, 1], "z**3/3 + z", 8, 4),
]


def cases():
    for widths, act, n, seed in SHAPES:
        for targets in ("critical", "teacher"):
            c = small_case(widths, act, n, seed, targets)
            yield f"{'-'.join(map(str, widths))} {act} {targets}", c


def check(case):
    a = analyze(case, "exact")
    ctx = get_context("exact")
    # independent of the back-propagation: residual e = f - y and J from the output Jacobian
    f = network_outputs(case.arch, case.params, case.X)
    e = [f[i][k] - case.Y[i][k] for i in range(case.n_samples) for k in range(case.arch.output_dim)]
    J = output_jacobian(case.arch, case.params, ctx.array(case.X), ctx)
    JTe = [sum((parse_rational(J[r, c]) * e[r] for r in range(len(e))), Fraction(0)) for c in range(J.shape[1])]
    n = case.n_samples
    loss = sum((x * x for x in e), Fraction(0)) / n
    steps = [
        step("J^T e = 0 exactly", all(v == 0 for v in JTe), f"{len(JTe)} components"),
        step("the back-propagated gradient is exactly 0", a.critical,
             f"max |component| {a.max_gradient}"),
        step("R_S = |e|^2 / n", parse_rational(a.loss) == loss, f"R_S = {a.loss}"),
    ]
    teacher = all(v == 0 for v in e)
    if teacher:
        nm, n0, npl = a.inertia
        rJ = rank(J)
        steps.append(step("teacher data: zero loss, Hessian = (2/n) J^T J is PSD with rank J",
                          nm == 0 and npl == rJ, f"inertia {a.inertia}, rank J = {rJ}"))
    else:
        steps.append(step("non-zero loss", loss > 0, f"R_S = {loss}"))
    return steps


CARD = Card(
    title="Exact critical points by the residual recipe J^T e = 0",
    statement=r"""Let $J = \partial f_\theta(x_{1..n})/\partial\theta$ and let $e \ne 0$ satisfy $J^\top e = 0$.
With $y_i = f_\theta(x_i) - e_i$ and the squared loss, $\nabla R_S(\theta) = \tfrac{2}{n} J^\top e = 0$
and $R_S(\theta) = \|e\|^2/n > 0$: $\theta$ is a critical point with non-zero loss.
With $e = 0$ (teacher data) $\theta$ is a global minimum and $\nabla^2 R_S(\theta) = \tfrac{2}{n}J^\top J \succeq 0$
has rank $\operatorname{rank} J$.""",
    source="exactlift formalization (docs/mathematics.md: exact critical points for tests and demos)",
    strength="exact",
    cases=cases,
    check=check,
)
