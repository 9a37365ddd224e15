"""Second order along a split: M_s, G_s, the block formula, Fukumizu–Amari, truly-bad points, null neurons.

References shared with nothing in the code under test:
* M_s and G_s recomputed here from their SPEC §1 definitions (one hidden layer:
  δ_i = ∂ℓ_i/∂f = 2(f(x_i) − y_i), σ′, σ″ by ``sympy.diff`` of the activation);
* the wide Hessian by ``sympy.hessian`` of the full wide loss (``naive_derivatives``)
  and its exact inertia; witnesses are evaluated on that Hessian.
"""

from __future__ import annotations

import functools
import json
import random
from fractions import Fraction as F

import pytest
import sympy

from exactlift.arith.linalg import inertia
from exactlift.calculus.naive import naive_derivatives
from exactlift.demo import demo_case
from exactlift.errors import LiftError
from exactlift.lifts import NullNeuron, SplitNeuron
from exactlift.lifts.width_examples import fa_minimum, random_critical_case, vector_output_case
from exactlift.lifts.width_second_order import (
    fukumizu_amari,
    null_block_inertia,
    split_block_inertia,
    split_curvature,
    split_directions,
    truly_bad_check,
)
from exactlift.nn.activations import Z
from exactlift.nn.case import Case, case_from_dict
from exactlift.nn.data import critical_targets, random_inputs, random_params, teacher_targets
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture


def rat(M) -> sympy.Matrix:
    """Exact SymPy matrix from an object array of fmpq/Fraction (str keeps it exact)."""
    return sympy.Matrix([[sympy.Rational(str(x)) for x in row] for row in M.tolist()])


def naive_hessian(case: Case) -> sympy.Matrix:
    """sympy.hessian of the full loss (cached: several tests ask for the same wide case)."""
    return _naive_hessian(json.dumps(case.to_dict()))


@functools.lru_cache(maxsize=None)
def _naive_hessian(doc: str) -> sympy.Matrix:
    case = case_from_dict(json.loads(doc))
    return naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss)[2]


def indep_curvature(case: Case, s: int) -> tuple[sympy.Matrix, sympy.Matrix]:
    """M_s, G_s of a one-hidden-layer net with squared loss, from the definitions."""
    arch = case.arch
    assert arch.n_hidden == 1 and case.loss.spec == "mse"
    expr = arch.activations[0].expr
    d1, d2 = sympy.diff(expr, Z), sympy.diff(expr, Z, 2)
    W1 = sympy.Matrix(case.params.W[0].tolist())
    b1 = sympy.Matrix(list(case.params.b[0]))
    W2 = sympy.Matrix(case.params.W[1].tolist())
    b2 = sympy.Matrix(list(case.params.b[1]))
    n, k, m = len(case.X), arch.input_dim + 1, arch.output_dim
    M, G = sympy.zeros(k, k), sympy.zeros(m, k)
    for x, y in zip(case.X, case.Y):
        xv = sympy.Matrix(x)
        z = W1 * xv + b1
        f = W2 * z.applyfunc(lambda t: expr.subs(Z, t)) + b2
        delta = 2 * (f - sympy.Matrix(y))
        h = sympy.Matrix(list(x) + [1])
        zs = z[s]
        M += d2.subs(Z, zs) * (W2[:, s].T * delta)[0] * h * h.T / n
        G += d1.subs(Z, zs) * delta * h.T / n
    return M, G


def indep_C(case: Case) -> sympy.Matrix:
    """C = σ′(0)(1/n) Σ_i δ_i h̃_iᵀ of a one-hidden-layer net, from the definition."""
    expr = case.arch.activations[0].expr
    s1 = sympy.diff(expr, Z).subs(Z, 0)
    W1, b1 = sympy.Matrix(case.params.W[0].tolist()), sympy.Matrix(list(case.params.b[0]))
    W2, b2 = sympy.Matrix(case.params.W[1].tolist()), sympy.Matrix(list(case.params.b[1]))
    C = sympy.zeros(case.arch.output_dim, case.arch.input_dim + 1)
    for x, y in zip(case.X, case.Y):
        f = W2 * (W1 * sympy.Matrix(x) + b1).applyfunc(lambda t: expr.subs(Z, t)) + b2
        C += s1 * 2 * (f - sympy.Matrix(y)) * sympy.Matrix(list(x) + [1]).T / len(case.X)
    return C


def fa_indefinite_case() -> Case:
    arch = Architecture.build([1, 1, 1], "z/(1 + z**2)")
    theta = random_params(arch, seed=5, size=3, denominators=2)
    X = random_inputs(6, 1, seed=1005, size=3, denominators=2)
    return Case(arch, theta, X, critical_targets(arch, theta, X, seed=5), parse_loss("mse", 1))


CASES_1H = {
    "psd": lambda: fa_minimum("psd"),
    "nsd": lambda: fa_minimum("nsd"),
    "indefinite": fa_indefinite_case,
    "demo": demo_case,
    "vector": vector_output_case,
}


# ---------------------------------------------------------------------------
# M_s and G_s against their definitions; the K block against the naive Hessian
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CASES_1H))
def test_curvature_matches_definition(name):
    case = CASES_1H[name]()
    for s in range(case.arch.widths[1]):
        sc = split_curvature(case, 1, s)
        M, G = indep_curvature(case, s)
        assert rat(sc.M) == M
        assert rat(sc.G) == G


@pytest.mark.parametrize("name", ["demo", "vector", "psd"])
@pytest.mark.parametrize("alpha", [F(1, 3), F(-1, 2), F(2)])  # the ratios of the block-formula test (cached Hessians)
def test_K_block_is_the_wide_hessian_on_D_E(name, alpha):
    """[D | E]ᵀ H_wide [D | E] = K(α) and Tᵀ H_wide [D | E] = 0, with the naive wide Hessian."""
    case = CASES_1H[name]()
    lift = SplitNeuron(1, 0, alpha)
    H = naive_hessian(lift.apply_case(case))
    DE = sympy.Matrix(split_directions(case.arch, 1, 0, alpha).dense().tolist())
    T = sympy.Matrix(lift.matrix(case.arch).tolist())
    M, G = indep_curvature(case, 0)
    k, m = M.shape[0], G.shape[0]
    K = sympy.zeros(k + m, k + m)
    K[:k, :k] = alpha * (1 - alpha) * M
    K[k:, :k] = G
    K[:k, k:] = G.T
    assert DE.T * H * DE == K
    assert T.T * H * DE == sympy.zeros(T.shape[1], k + m)
    assert (T.row_join(DE)).rank() == H.shape[0]  # B = [T | D | E] is a basis


def small_deep_case(seed: int = 3) -> Case:
    """A 1-2-2-1 net at a non-critical θ with 2 samples (the block formula holds at every θ)."""
    arch = Architecture.build([1, 2, 2, 1], "z + z**3/3")
    theta = random_params(arch, seed=seed, size=2, denominators=2)
    X = random_inputs(2, 1, seed=seed + 1, size=2, denominators=2)
    Y = [[F(k, 3)] for k in range(2)]
    return Case(arch, theta, X, Y, parse_loss("mse", 1))


def check_K_deep(alpha: F) -> None:
    case = small_deep_case()
    sc = split_curvature(case, 1, 1)
    H = naive_hessian(SplitNeuron(1, 1, alpha).apply_case(case))
    DE = sympy.Matrix(split_directions(case.arch, 1, 1, alpha).dense().tolist())
    assert DE.T * H * DE == rat(sc.K(alpha))


def test_K_block_in_a_deeper_net():
    """Two hidden layers, split in layer 1 (G_s is a 2 × 2 block here): the code's K against naive."""
    check_K_deep(F(1, 2))


@pytest.mark.slow
def test_K_block_in_a_deeper_net_more_ratios():
    for alpha in (F(-2), F(3, 2), F(0)):
        check_K_deep(alpha)


# ---------------------------------------------------------------------------
# the block formula, confirmed by the naive wide Hessian's inertia
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CASES_1H))
@pytest.mark.parametrize("alpha", [F(-1, 2), F(1, 3), F(2)])
def test_block_formula_vs_naive_inertia(name, alpha):
    case = CASES_1H[name]()
    r = split_block_inertia(case, 1, 0, alpha)
    direct = inertia(naive_hessian(SplitNeuron(1, 0, alpha).apply_case(case)))
    assert r.direct == direct and r.predicted == direct and r.block_diagonal is True
    if direct[0] >= 1:
        w = sympy.Matrix(r.witness)
        assert (w.T * naive_hessian(SplitNeuron(1, 0, alpha).apply_case(case)) * w)[0] < 0


@pytest.mark.parametrize("layer, neuron", [(2, 1), pytest.param(1, 0, marks=pytest.mark.slow)])
def test_block_formula_two_hidden_layers(layer, neuron):
    case = small_deep_case()
    r = split_block_inertia(case, layer, neuron, F(3, 2))
    direct = inertia(naive_hessian(SplitNeuron(layer, neuron, F(3, 2)).apply_case(case)))
    assert r.predicted == direct == r.direct and r.block_diagonal


# ---------------------------------------------------------------------------
# Fukumizu–Amari classification
# ---------------------------------------------------------------------------

ALPHAS = [F(-2), F(-1, 2), F(1, 4), F(1, 2), F(3, 4), F(3, 2), F(3)]


def naive_saddle(case: Case, alpha: F) -> bool:
    return inertia(naive_hessian(SplitNeuron(1, 0, alpha).apply_case(case)))[0] >= 1


def test_examples_are_what_they_claim():
    """Independently: strict local minima, and M_s ⪰ 0 / ⪯ 0 / indefinite, non-zero."""
    for name, sign in (("psd", 1), ("nsd", -1), ("indefinite", 0)):
        case = CASES_1H[name]()
        assert all(g == 0 for g in naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss,
                                                     hessian=False)[1])
        assert inertia(naive_hessian(case)) == (0, 0, case.arch.n_params)
        n_minus, _, n_plus = inertia(indep_curvature(case, 0)[0])
        assert (n_minus, n_plus) != (0, 0)
        if sign == 1:
            assert n_minus == 0
        elif sign == -1:
            assert n_plus == 0
        else:
            assert n_minus and n_plus


@pytest.mark.parametrize("name, saddle_if", [
    ("psd", lambda a: a < 0 or a > 1),
    ("nsd", lambda a: 0 < a < 1),
    ("indefinite", lambda a: a not in (0, 1)),
])
def test_sign_rule_vs_naive_inertia(name, saddle_if):
    case = CASES_1H[name]()
    fa = fukumizu_amari(case, 0, alphas=(F(-1), F(1, 2), F(2)))
    assert fa.confirmed and fa.G_zero and fa.caveat == ""
    for a in ALPHAS:
        assert fa.saddle(a) == saddle_if(a) == naive_saddle(case, a), a
    for sample in fa.samples:
        if sample["strict_saddle"]:
            w = sympy.Matrix([sympy.Rational(x) for x in sample["witness"]])
            H = naive_hessian(SplitNeuron(1, 0, F(sample["alpha"])).apply_case(case))
            assert (w.T * H * w)[0] < 0 and sympy.Rational(sample["witness_value"]) == (w.T * H * w)[0]


def test_zero_loss_minimum_never_escapes():
    """Teacher data: δ = 0, so M_s = G_s = 0 and the wide Hessian stays ⪰ 0 for every α (a global minimum)."""
    arch = Architecture.build([1, 2, 1], "z + z**5/5")
    theta = random_params(arch, seed=2, size=2, denominators=2)
    X = random_inputs(5, 1, seed=3, size=3, denominators=2)
    case = Case(arch, theta, X, teacher_targets(arch, theta, X), parse_loss("mse", 1))
    fa = fukumizu_amari(case, 1, alphas=(F(-1), F(2)))
    assert fa.rule.startswith("no alpha") and fa.confirmed
    for a in (F(-1), F(1, 2), F(2)):
        assert not naive_saddle(case, a)


def test_vector_output_caveat():
    case = vector_output_case()
    assert inertia(naive_hessian(case)) == (0, 0, 6)     # a strict local minimum
    assert indep_curvature(case, 0)[1] != sympy.zeros(2, 2)  # G_s ≠ 0
    fa = fukumizu_amari(case, 0)
    assert not fa.G_zero and "G_s != 0" in fa.rule and "2 output(s)" in fa.caveat
    for a in (F(-1), F(1, 2), F(2)):
        assert fa.saddle(a) and naive_saddle(case, a)
    assert fa.confirmed


def test_fa_in_mp_agrees():
    fa = fukumizu_amari(fa_minimum("psd"), 0, alphas=(F(-1), F(1, 2)), arithmetic="mp")
    assert fa.strength == "numerical" and fa.confirmed and fa.rule.startswith("alpha < 0")


# ---------------------------------------------------------------------------
# null neurons (σ(0) = 0)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("case_fn", [demo_case, vector_output_case, small_deep_case])
def test_null_block_formula_vs_naive(case_fn):
    case = case_fn()
    layer = case.arch.n_hidden  # the last hidden layer (the first of the deep net: the slow test)
    r = null_block_inertia(case, layer)
    assert r["predicted"] == inertia(naive_hessian(NullNeuron(layer).apply_case(case))) == r["direct"]


@pytest.mark.slow
def test_null_block_formula_first_layer_of_deep_net():
    case = small_deep_case()
    r = null_block_inertia(case, 1)
    assert r["predicted"] == inertia(naive_hessian(NullNeuron(1).apply_case(case))) == r["direct"]


def test_null_block_refusals():
    with pytest.raises(LiftError, match="sigma\\(0\\) = 0"):
        null_block_inertia(random_critical_case([1, 2, 1], "1/(1 + z**2)", seed=1), 1)
    with pytest.raises(LiftError, match="kink at 0"):
        null_block_inertia(random_critical_case([1, 2, 1], "leaky_relu(1/10)", seed=1), 1)


# ---------------------------------------------------------------------------
# truly-bad search
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind, alpha", [("psd", F(2)), ("nsd", F(1, 2))])
def test_truly_bad_finds_escape(kind, alpha):
    case = fa_minimum(kind)
    r = truly_bad_check(case)
    assert r.escape == SplitNeuron(1, 0, alpha)
    wide = r.escape.apply_case(case)
    H = naive_hessian(wide)
    w = sympy.Matrix(r.witness)
    assert (w.T * H * w)[0] < 0
    assert all(g == 0 for g in naive_derivatives(wide.arch, wide.params.flatten(), wide.X, wide.Y, wide.loss,
                                                 hessian=False)[1])
    assert not r.truly_bad_candidate


def test_truly_bad_conditions_hold_at_a_zero_loss_minimum():
    arch = Architecture.build([1, 2, 1], "z/(1 + z**2)")
    theta = random_params(arch, seed=4, size=2, denominators=2)
    X = random_inputs(4, 1, seed=5, size=3, denominators=2)
    case = Case(arch, theta, X, teacher_targets(arch, theta, X), parse_loss("mse", 1))
    r = truly_bad_check(case)
    assert r.escape is None and r.truly_bad_candidate
    assert r.conditions and all(r.conditions.values())
    assert "C = 0 (layer 1)" in r.conditions  # σ(0) = 0 ≠ σ′(0): the null condition is part of the list


def test_truly_bad_already_saddle_and_not_critical():
    r = truly_bad_check(demo_case())
    assert r.escape is None and "already a strict saddle" in r.reason
    v = sympy.Matrix(r.witness)
    assert (v.T * naive_hessian(demo_case()) * v)[0] < 0
    rng = random.Random(0)
    case = demo_case()
    moved = Case(case.arch, case.params, case.X, [[y[0] + F(rng.randint(1, 3), 7)] for y in case.Y], case.loss)
    assert truly_bad_check(moved).critical is False


def test_truly_bad_null_escape():
    """σ(z) = z/(1 + z²) (σ(0) = 0 ≠ σ′(0)) with C ≠ 0: a null neuron alone gives a strict saddle."""
    from exactlift.lifts.width_checks import EmbeddingPoint
    from exactlift.lifts.width_second_order import _null_witness

    case = random_critical_case([1, 2, 1], "z/(1 + z**2)", seed=0)
    nb = null_block_inertia(case, 1)
    assert rat(nb["C"]) == indep_C(case) != sympy.zeros(1, 2)
    assert nb["rank_C"] == 1
    p = EmbeddingPoint(case, NullNeuron(1))
    w = sympy.Matrix(_null_witness(case, 1, p, p.ctx))
    assert (w.T * naive_hessian(NullNeuron(1).apply_case(case)) * w)[0] < 0
