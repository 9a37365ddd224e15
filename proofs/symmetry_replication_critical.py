"""Card: every point of a replication subspace of a critical point is critical (docs/symmetry.md).

A width-r critical point θ* with non-zero loss is made by the residual recipe
(docs/mathematics.md, ``exactlift.symmetry.make_critical_data``).  For every replication
subspace of width m (the G(r, m) surjections), random exact points of the
subspace are fed to the core exact back-propagation (``analyze``).  The
construction makes θ* alone critical (its residual is in the left kernel of the
Jacobian at θ*); that every *other* point of the subspace is critical is the
theorem, and the check is that the gradient there is exactly zero and the loss
equals R(θ*).  Conversely, random points of the
T_single pieces with a zero-type neuron (a_j = 0, w_j free) are not critical
(generic: points on the known critical loci w_j = 0 or w_j = w*_i are skipped).
"""

import random
from fractions import Fraction

from exactlift.analysis import analyze
from exactlift.nn.case import Case
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture, Params
from exactlift.symmetry import enumerate_subspaces, make_critical_data
from exactlift.theorems import step

TITLE = "Replication subspaces of a critical point are critical; zero-type pieces are not"
STATEMENT = r"""Let $\theta^* = (w^*_i, a^*_i)_{i \le r}$ be a critical point of $R_S$ for
$f(x) = \sum_j a_j \sigma(w_j \cdot x)$ with $R_S(\theta^*) > 0$ and scalar output. For every surjection
$\pi : [m] \to [r]$, every point of $\{w_j = w^*_{\pi(j)},\ \sum_{j \in \pi^{-1}(i)} a_j = a^*_i\}$ is a critical
point with the same loss. A point with a zero-type neuron ($a_j = 0$, $w_j$ free) is generically not critical,
so $G(r, m)$ counts the critical subspaces of this kind."""
SOURCE = ("paper: Simsek et al., arXiv 2105.12221 (ICML 2021), symmetry-induced critical subspaces; "
          "checked at random exact points as an exactlift formalization")
STRENGTH = "exact"
ACTIVATION = "(z + z**2)/(1 + z**2)"  # = exactlift.symmetry.DEFAULT_ACTIVATION

#: (r, m, d)
GRID = [(1, 2, 1), (1, 3, 1), (2, 3, 1), (2, 4, 1), (2, 3, 2), (3, 4, 1)]


def cases():
    for r, m, d in GRID:
        yield f"r={r} m={m} d={d}", (r, m, d)


def _case(point, m, d, data):
    """The width-m point as a core Case (bias-free, scalar output)."""
    arch = Architecture.build([d, m, 1], ACTIVATION, bias=False)
    W1 = [[point[j * d + k] for k in range(d)] for j in range(m)]
    W2 = [[point[m * d + j] for j in range(m)]]
    params = Params.from_flat(arch, [x for row in W1 for x in row] + W2[0])
    return Case(arch, params, [list(x) for x in data.X], [list(y) for y in data.Y], parse_loss("mse", 1))


def check(spec):
    r, m, d = spec
    data = make_critical_data(r=r, d=d, seed=r + m)
    teacher = data.teacher
    rng = random.Random(17)
    n_sub = n_crit = same_loss = 0
    for s in enumerate_subspaces("G", r, m):
        n_sub += 1
        a = analyze(_case(s.equations(teacher).random_point(rng), m, d, data), hessian=False)
        n_crit += a.critical
        same_loss += Fraction(a.loss) == data.risk
    steps = [
        step(f"all {n_sub} replication subspaces: random exact point has gradient exactly 0", n_crit == n_sub,
             f"{n_crit}/{n_sub} critical"),
        step("and the same loss R(theta*) > 0", same_loss == n_sub and data.risk > 0, f"R = {data.risk}"),
    ]
    star = {tuple(w) for w in teacher.w}
    n_zero = n_noncrit = 0
    for s in enumerate_subspaces("T_single", r, m):
        if not s.zero_neurons:
            continue
        p = s.equations(teacher).random_point(rng)
        ws = [tuple(p[j * d:(j + 1) * d]) for j in s.zero_neurons]
        if any(w in star or all(x == 0 for x in w) for w in ws):
            continue  # on a known critical locus (a replication subspace or w_j = 0 with sigma(0) = 0)
        n_zero += 1
        n_noncrit += not analyze(_case(p, m, d, data), hessian=False).critical
    if n_zero:
        steps.append(step(f"zero-type pieces: {n_zero} random exact points are not critical", n_noncrit == n_zero,
                          f"{n_noncrit}/{n_zero} non-critical"))
    return steps
