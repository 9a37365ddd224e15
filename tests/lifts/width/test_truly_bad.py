"""exactlift.lifts.width.truly_bad: escapes from minima, confirmed on naive SymPy Hessians."""

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
    from exactlift.lifts.width import EmbeddingPoint
    from exactlift.lifts.width.second_order import null_witness as _null_witness

    case = random_critical_case([1, 2, 1], "z/(1 + z**2)", seed=0)
    nb = null_block_inertia(case, 1)
    assert rat(nb["C"]) == indep_C(case) != sympy.zeros(1, 2)
    assert nb["rank_C"] == 1
    p = EmbeddingPoint(case, NullNeuron(1))
    w = sympy.Matrix(_null_witness(case, 1, p, p.ctx))
    assert (w.T * naive_hessian(NullNeuron(1).apply_case(case)) * w)[0] < 0
