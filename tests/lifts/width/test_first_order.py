"""exactlift.lifts.width.first_order: output, gradient transfer, criticality, split lines, against naive SymPy on the wide net."""

from __future__ import annotations

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
def test_criticality_preserved_vs_naive(lift):
    case = demo_case() if isinstance(lift, SplitNeuron) else poly_case()
    r = check_criticality(case, lift)
    _, g_wide, _ = naive(lift.apply_case(case), hessian=False)
    assert r.strength == "exact"
    assert r.holds is True and all(g == 0 for g in g_wide)


@pytest.mark.parametrize("lift", [LIFTS_2H[0], *[pytest.param(x, marks=pytest.mark.slow) for x in LIFTS_2H[1:]]], ids=str)
def test_criticality_two_hidden_layers_vs_naive(lift):
    # a degree-4 polynomial output in x: the output Jacobian has rank <= 5, so 6 samples allow e != 0
    case = random_critical_case([1, 2, 2, 1], "z + z**2/2", seed=2, n_samples=6)
    assert all(g == 0 for g in naive(case, hessian=False)[1])
    assert check_criticality(case, lift).holds is True
    assert all(g == 0 for g in naive(lift.apply_case(case), hessian=False)[1])


def test_criticality_not_applicable_off_critical_points():
    r = check_criticality(random_case([1, 2, 1], seed=3), SplitNeuron(1, 0, F(1, 3)))
    assert r.holds is None and "not a critical point" in r.detail


@pytest.mark.parametrize("lift", [SplitNeuron(1, 1, F(1, 3)), compose(SplitNeuron(1, 0, F(2)), SplitNeuron(1, 1, F(-1)))], ids=str)
def test_split_line_identically_critical(lift):
    case = demo_case()
    r = check_split_line(case, lift)
    assert r.holds is True and r.strength == "symbolic"
    # independent instances of the line: other α values, naive gradient of the wide net
    for alphas in ([F(5, 7), F(-3)], [F(11, 2), F(1, 9)]):
        steps = [s.with_alpha(a) for s, a in zip(lift.steps(), alphas)]
        inst = steps[0] if len(steps) == 1 else compose(*steps)
        assert all(g == 0 for g in naive(inst.apply_case(case), hessian=False)[1])


def test_split_line_catches_a_wrong_lift():
    class WrongOutgoing(SplitNeuron):
        def neuron_plan(self, arch):
            plan = super().neuron_plan(arch)
            plan[-1] = (plan[-1][0], plan[-1][1], 2 * plan[-1][2])
            return plan

    r = check_split_line(demo_case(), WrongOutgoing(1, 0, F(1, 3)))
    assert r.holds is False and "not identically 0" in r.detail


def test_split_line_two_layers_relu():
    case = random_critical_case([2, 3, 2, 1], "leaky_relu(1/10)", seed=4)
    r = check_split_line(case, compose(SplitNeuron(1, 2, F(1, 3)), SplitNeuron(2, 0, F(2))))
    assert r.holds is True and "alpha1, alpha2" in r.scope


# ---------------------------------------------------------------------------
# gradient transfer and Hessian relations at arbitrary θ, vs naive
# ---------------------------------------------------------------------------


def test_checks_catch_a_wrong_transfer():
    class WrongTransfer(SplitNeuron):
        def gradient_transfer(self, arch):
            return self.linear_map(arch)

    case = random_case([1, 2, 1], seed=7)
    assert check_gradient_transfer(case, WrongTransfer(1, 0, F(1, 3))).holds is False
    assert check_hessian_relations(case, WrongTransfer(1, 0, F(1, 3))).holds is False


def test_output_preservation_catches_a_wrong_lift():
    class WrongOutgoing(SplitNeuron):
        def neuron_plan(self, arch):
            plan = super().neuron_plan(arch)
            plan[-1] = (plan[-1][0], plan[-1][1], plan[-1][2] + 1)
            return plan

    r = check_output_preservation(demo_case(), WrongOutgoing(1, 0, F(1, 3)))
    assert r.holds is False


# ---------------------------------------------------------------------------
# inertia: never decreases; counts agree with the naive Hessian's exact inertia
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lift", [OddSplitNeuron(1, 0, F(1, 3)), OddSplitNeuron(1, 1, F(-1)), SplitNeuron(1, 0, F(1, 3))], ids=str)
def test_mp_checks_for_tanh(lift):
    case = tanh_teacher_case()
    results = check_embedding(case, lift, "mp", 50)
    by_name = {r.name: r for r in results if r.strength == "numerical"}
    assert by_name["criticality preserved"].holds is True
    assert by_name["gradient transfer"].holds is True
    assert by_name["Hessian relations"].holds is True
    assert by_name["inertia never decreases"].holds is True
    assert by_name["output preservation"].holds is True
    symbolic = [r for r in results if r.strength == "symbolic" and r.name in ("output preservation", "gradient transfer")]
    assert symbolic and all(r.holds for r in symbolic)


def test_mp_odd_split_vs_mp_naive_outputs():
    """Independent: outputs of the odd-split wide net at new inputs, evaluated by SymPy at 50 digits."""
    case = tanh_teacher_case()
    wide = OddSplitNeuron(1, 1, F(2, 3)).apply_case(case)
    x = sympy.Rational(7, 5)

    def f(arch, params):
        h = sympy.Matrix([x])
        for l in range(1, arch.n_layers + 1):
            z = sympy.Matrix(params.W[l - 1].tolist()) * h + sympy.Matrix(list(params.b[l - 1]))
            h = z.applyfunc(sympy.tanh) if l < arch.n_layers else z
        return h[0]

    assert abs(sympy.N(f(wide.arch, wide.params) - f(case.arch, case.params), 50)) < sympy.Float(10) ** -45


def test_certified_never_claims_what_balls_cannot_prove():
    results = check_embedding(demo_case(), SplitNeuron(1, 0, F(1, 3)), "certified", 40, symbolic=False)
    assert all(r.holds is not False for r in results)
    assert {r.strength for r in results} <= {"certified", "symbolic"}


def test_certified_refutes_a_wrong_transfer():
    class WrongTransfer(SplitNeuron):
        def gradient_transfer(self, arch):
            return self.linear_map(arch)

    r = check_gradient_transfer(random_case([1, 2, 1], seed=12), WrongTransfer(1, 0, F(1, 3)), "certified")
    assert r.holds is False and r.strength == "certified"


# ---------------------------------------------------------------------------
# everything at once
# ---------------------------------------------------------------------------
