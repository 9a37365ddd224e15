"""exactlift.lifts.width.second_order: Hessian relations, inertia monotone, null condition, the K and null blocks, against naive SymPy Hessians."""

from __future__ import annotations

import functools
import json
import random
from fractions import Fraction as F

import pytest
import sympy

from exactlift.arith.linalg import inertia
from exactlift.calculus.naive import naive_derivatives
from exactlift.nn.examples import demo_case
from exactlift.errors import LiftError
from exactlift.lifts import NullNeuron, SplitNeuron
from exactlift.nn.examples import fa_minimum, random_critical_case, vector_output_case
from exactlift.lifts.width import (
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

import functools
import json
from fractions import Fraction as F

import mpmath
import pytest
import sympy

from exactlift.arith.contexts import get_context
from exactlift.arith.linalg import inertia
from exactlift.calculus.backprop import forward
from exactlift.calculus.naive import naive_derivatives
from exactlift.nn.examples import demo_case
from exactlift.lifts import NullNeuron, OddSplitNeuron, Permute, SplitNeuron, compose
from exactlift.lifts.width import check_block_formulas, check_embedding
from exactlift.lifts.width import (
    EmbeddingPoint,
    check_criticality,
    check_gradient_transfer,
    check_hessian_relations,
    check_inertia_monotone,
    check_null_condition,
    check_output_preservation,
    check_split_line,
)
from exactlift.nn.examples import random_critical_case
from exactlift.nn.case import Case, case_from_dict
from exactlift.nn.data import random_inputs, random_params, random_rational
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture

from .checks_cases import LIFTS_1H, LIFTS_2H, _naive, naive, poly_case, random_case, tanh_teacher_case  # noqa: F401


@pytest.mark.parametrize("lift", LIFTS_1H, ids=str)
def test_gradient_transfer_and_hessian_relations_vs_naive(lift):
    case = random_case([1, 2, 1], seed=5)
    _, g_n, H_n = naive(case)
    wide_case = lift.apply_case(case)
    _, g_w, H_w = naive(wide_case)
    T = sympy.Matrix(lift.matrix(case.arch).tolist())
    S = sympy.Matrix(lift.gradient_transfer(case.arch).dense().tolist())
    assert g_w == list(S * sympy.Matrix(g_n))                 # ∇R_wide(Tθ) = S_T ∇R(θ)
    assert T.T * H_w * T == H_n                               # Tᵀ H_wide T = H
    assert H_w * T == S * H_n                                 # H_wide T = S_T H
    assert check_gradient_transfer(case, lift).holds is True
    assert check_hessian_relations(case, lift).holds is True
    assert check_output_preservation(case, lift).holds is True


@pytest.mark.slow  # 6 s; one hidden layer is checked in the default run
def test_relations_two_hidden_layers_vs_naive():
    case = random_case([1, 2, 2, 1], "z + z**2/2", seed=6, n=1)
    lift = compose(SplitNeuron(2, 0, F(1, 4)), NullNeuron(1))
    _, g_n, H_n = naive(case)
    _, g_w, H_w = naive(lift.apply_case(case))
    T = sympy.Matrix(lift.matrix(case.arch).tolist())
    S = sympy.Matrix(lift.gradient_transfer(case.arch).dense().tolist())
    assert g_w == list(S * sympy.Matrix(g_n)) and T.T * H_w * T == H_n and H_w * T == S * H_n
    assert check_hessian_relations(case, lift).holds is True


@pytest.mark.parametrize("lift", LIFTS_1H, ids=str)
def test_inertia_monotone_vs_naive(lift):
    case = poly_case()
    r = check_inertia_monotone(case, lift)
    narrow = inertia(naive(case)[2])
    wide = inertia(naive(lift.apply_case(case))[2])
    assert r.data["narrow"] == narrow and r.data["wide"] == wide
    assert r.holds is True and all(w >= n for w, n in zip(wide, narrow))
    assert r.data["kernel_injection"] is True


def test_inertia_check_reports_a_decrease():
    """A fake 'embedding' that moves the wide point: n₀ drops and the check must say so."""

    class Moved(SplitNeuron):
        def apply(self, arch, params):
            wide, q = super().apply(arch, params)
            flat = q.flatten()
            flat[wide.weight_index(1, wide.widths[1] - 1, 0)] += F(1, 7)
            return wide, type(q).from_flat(wide, flat)

    arch = Architecture.build([1, 1, 1], "z/(1 + z**2)")
    theta = random_params(arch, seed=1, size=3, denominators=2)
    X = [[F(-1)], [F(1, 2)], [F(2)]]
    from exactlift.nn.data import teacher_targets

    case = Case(arch, theta, X, teacher_targets(arch, theta, X), parse_loss("mse", 1))
    narrow = inertia(naive(case)[2])
    wide = inertia(naive(Moved(1, 0, F(1, 3)).apply_case(case))[2])
    assert narrow[1] >= 1 and wide[1] < narrow[1]   # the premise, computed independently
    r = check_inertia_monotone(case, Moved(1, 0, F(1, 3)))
    assert r.holds is False and r.data["monotone"] is False


# ---------------------------------------------------------------------------
# the null-embedding condition, vs the naive gradient of the wide net
# ---------------------------------------------------------------------------


def test_null_condition_sigma0_zero_is_automatic():
    r = check_null_condition(demo_case(), NullNeuron(1))
    assert r.holds is True and "automatic" in r.detail


def test_null_condition_with_bias():
    case = random_critical_case([1, 2, 1], "1/(1 + z**2)", seed=8)  # σ(0) = 1, bias in layer 2
    r = check_null_condition(case, NullNeuron(1))
    assert r.holds is True and "has a bias" in r.detail
    assert all(g == 0 for g in naive(NullNeuron(1).apply_case(case), hessian=False)[1])


def test_null_condition_fails_without_bias():
    case = random_critical_case([1, 2, 1], "1/(1 + z**2)", seed=9, bias=[True, False])
    assert all(g == 0 for g in naive(case, hessian=False)[1])
    wide = NullNeuron(1).apply_case(case)
    g_wide = naive(wide, hessian=False)[1]
    r = check_null_condition(case, NullNeuron(1))
    crit = check_criticality(case, NullNeuron(1))
    assert any(g != 0 for g in g_wide)   # independent: criticality is really lost
    assert r.holds is False and "NOT kept" in r.detail and r.strength == "exact"
    assert crit.holds is False
    assert check_gradient_transfer(case, NullNeuron(1)).holds is None  # no S_T exists


def test_null_condition_can_hold_without_bias():
    """σ(0)·Σδ = 0 by accident: teacher data (δ = 0)."""
    from exactlift.nn.data import teacher_targets

    arch = Architecture.build([1, 2, 1], "1/(1 + z**2)", [True, False])
    theta = random_params(arch, seed=9)
    X = [[F(1)], [F(-2)]]
    case = Case(arch, theta, X, teacher_targets(arch, theta, X), parse_loss("mse", 1))
    assert check_null_condition(case, NullNeuron(1)).holds is True
    assert all(g == 0 for g in naive(NullNeuron(1).apply_case(case), hessian=False)[1])


def test_null_condition_not_applicable_without_null():
    assert check_null_condition(demo_case(), SplitNeuron(1, 0, F(1, 2))).holds is None


# ---------------------------------------------------------------------------
# mp and certified arithmetic; odd split for tanh (mp)
# ---------------------------------------------------------------------------


# --- from test_width_second_order.py
from .second_order_cases import ALPHAS, CASES_1H, _naive_hessian, check_K_deep, fa_indefinite_case, indep_C, indep_curvature, naive_hessian, naive_saddle, rat, small_deep_case  # noqa: F401


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
