"""exactlift.lifts.width.fukumizu_amari: the sign rule of split lines, against the naive inertia of the wide Hessian."""

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

from .second_order_cases import ALPHAS, CASES_1H, _naive_hessian, check_K_deep, fa_indefinite_case, indep_C, indep_curvature, naive_hessian, naive_saddle, rat, small_deep_case  # noqa: F401


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


@pytest.mark.slow  # 9 s
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
