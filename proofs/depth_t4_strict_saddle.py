"""Card: T4 — a null neuron with a mixed activation pattern makes a strict saddle (docs/depth.md, worked example).

Search cases: for other exact critical points the depth module searches a
null neuron (exact rational LP per activation pattern,
``exactlift.lifts.depth.saddle.strict_saddle``); the card re-derives the
deep point's gradient, Hessian and the witness value vᵀHv with the core.

The worked example of docs/depth.md (T4): x = (−2, −1, 0, 1, 2, 3), y = (13/3, −55/6, 7/3,
17/6, 7/3, 5/6).  The linear fit w = 1/2, b = 1/3 is a strict minimum
(inertia (0, 0, 2)).  Inserting relu(x + 5) (B = 1/2) and the null neuron
relu(x − 1/2) (B = 0, e = −13/6) gives a critical point with inertia (1, 3, 3):
a strict saddle above a strict global minimum of the shallower network.  The
negative direction is exhibited as an exact vector v with vᵀHv < 0.
"""

from fractions import Fraction

from exactlift.analysis import analyze
from exactlift.arith.linalg import to_fraction_matrix, witness_negative_direction
from exactlift.lifts.depth import CriticalLift, IdentityLift
from exactlift.lifts.depth.saddle import strict_saddle
from exactlift.theorems import step
from exactlift.theorems.cases import small_case, spec_t4_example

TITLE = "Depth T4: a null neuron with a mixed pattern turns a strict minimum into a strict saddle"
STATEMENT = r"""Let a lift contain a null neuron $k$ ($B_{:,k} = 0$) with
$G_k = \sum_i \sigma''(t_{k,i})\,\delta_i\,[h_i^\top, 1] \ne 0$ (for ReLU: a mixed activation pattern on the training set).
Then the Hessian block $\begin{pmatrix} P & G_k \\ G_k^\top & 0 \end{pmatrix}$ is indefinite and the lifted critical point is
a strict saddle, even above a strict global minimum of the shallower network. Example: for
$x = (-2,-1,0,1,2,3)$, $y = (\tfrac{13}{3}, -\tfrac{55}{6}, \tfrac{7}{3}, \tfrac{17}{6}, \tfrac{7}{3}, \tfrac{5}{6})$ the fit
$w = \tfrac12$, $b = \tfrac13$ has inertia $(0,0,2)$; inserting $\mathrm{relu}(x + 5)$ with $B = \tfrac12$ and the null
neuron $\mathrm{relu}(x - \tfrac12)$ with $e = -\tfrac{13}{6}$ gives a critical point with inertia $(1,3,3)$."""
SOURCE = "exactlift formalization of arXiv 2205.13283 (Bai, Luo, Xu, Zhang: Embedding Principle in Depth)"
STRENGTH = "exact"


def cases():
    base = spec_t4_example()
    yield "worked example", (base, CriticalLift(0, A=[[1], [1]], c=[5, Fraction(-1, 2)], null_neurons=[1],
                                                B=[[Fraction(1, 2), 0]], e=[Fraction(-13, 6)]), (1, 3, 3))
    yield "search: 2-1 linear, insert after 0", ("search", small_case([2, 1], [], 8, 0, "critical"), IdentityLift(0))
    yield "search: 1-1-1 z+z^3, insert after 1", ("search", small_case([1, 1, 1], "z + z**3", 7, 3, "critical"),
                                                  IdentityLift(1))


def _quadratic(H, v):
    return sum((v[i] * H[i][j] * v[j] for i in range(len(v)) for j in range(len(v)) if v[i] and v[j]), Fraction(0))


def check_search(case, base):
    a = analyze(case)
    w = strict_saddle(case, base)
    b = analyze(w.deep)  # the core, from scratch
    value = _quadratic(to_fraction_matrix(b.derivatives.hessian), w.v)
    return [
        step("the shallow point is critical with n- = 0", a.critical and a.inertia[0] == 0, f"inertia {a.inertia}"),
        step("a null neuron was found: the lifted point is critical", b.critical,
             f"a = {[str(x) for x in w.a]}, c = {w.c}"),
        step("its witness v has v^T H v < 0 (recomputed by the core)", value < 0 and value == w.value,
             f"v^T H v = {value}"),
        step("the lifted point is a strict saddle", b.inertia[0] >= 1, f"inertia {b.inertia}"),
    ]


def check(spec):
    if spec[0] == "search":
        return check_search(spec[1], spec[2])
    base, lift, expected = spec
    a = analyze(base)
    deep = lift.apply_case(base)
    b = analyze(deep)
    v = witness_negative_direction(b.derivatives.hessian)
    H = to_fraction_matrix(b.derivatives.hessian)
    vHv = None if v is None else sum((v[i] * H[i][j] * v[j] for i in range(len(v)) for j in range(len(v))), Fraction(0))
    steps = [
        step("the shallow point is a strict minimum", a.critical and a.inertia == (0, 0, 2), f"inertia {a.inertia}"),
        step("the lifted point is critical", b.critical, f"loss {b.loss} = shallow loss {a.loss}"),
        step("the lifted point is a strict saddle (n- >= 1)", b.inertia[0] >= 1, f"inertia {b.inertia}"),
        step("exact witness v with v^T H v < 0", vHv is not None and vHv < 0, f"v^T H v = {vHv}"),
    ]
    if expected is not None:
        steps.append(step(f"inertia = {expected} as in the worked example", b.inertia == expected))
    return steps
