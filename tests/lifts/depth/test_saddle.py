"""T4: strict-saddle witnesses from null neurons, re-verified on the naive SymPy Hessian of the deep net."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
import sympy

from exactlift.arith.linalg import inertia
from exactlift.calculus.naive import naive_derivatives
from exactlift.errors import LiftError
from exactlift.lifts.depth import CriticalLift, IdentityLift
from exactlift.lifts.depth.saddle import (
    check_null_neuron_saddle,
    check_strict_saddle,
    find_null_neuron,
    strict_saddle,
)
from exactlift.nn.case import Case, case_from_dict
from exactlift.nn.data import critical_targets, teacher_targets
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture, Params


def spec_case() -> Case:
    xs = [-2, -1, 0, 1, 2, 3]
    ys = ["13/3", "-55/6", "7/3", "17/6", "7/3", "5/6"]
    return case_from_dict({"network": {"widths": [1, 1], "params": {"W": [[["1/2"]]], "b": [["1/3"]]},
                                       "data": {"x": [[str(x)] for x in xs], "y": [[y] for y in ys]}}})


def relu_case(teacher: bool = False) -> Case:
    arch = Architecture.build([1, 2, 1], "relu")
    th = Params.from_flat(arch, [F(1), F(-1, 2), F(1, 3), F(1, 4), F(2), F(-3, 2), F(1, 5)])
    X = [[F(v)] for v in (-2, -1, F(-1, 5), F(1, 7), F(3, 5), 1, 2, 3)]
    Y = teacher_targets(arch, th, X) if teacher else critical_targets(arch, th, X, seed=1)
    return Case(arch, th, X, Y, parse_loss("mse", 1))


def naive_check(deep: Case, v):
    """Criticality and v^T H v from sympy.hessian of the whole deep loss (independent of the core)."""
    _, g, H = naive_derivatives(deep.arch, deep.params.flatten(), deep.X, deep.Y, deep.loss)
    vv = sympy.Matrix([sympy.Rational(x.numerator, x.denominator) for x in v])
    return all(x == 0 for x in g), (vv.T * H * vv)[0, 0], H


def test_spec_worked_example():
    case = spec_case()
    _, g, H = naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss)
    assert all(x == 0 for x in g) and inertia(H, method="ldl") == (0, 0, 2)   # strict (global) minimum
    w = strict_saddle(case, CriticalLift(0, [[1]], [5]))
    assert w.a == (F(1),) and w.c == F(-1, 2)        # relu(x - 1/2), as in docs/depth.md
    assert w.lift.B is None and w.deep.params.W[1][0, 0] == F(1, 2) and w.deep.params.b[1][0] == F(-13, 6)
    crit, vHv, Hn = naive_check(w.deep, w.v)
    assert crit and vHv < 0 and vHv == w.value
    assert inertia(Hn, method="ldl") == (1, 3, 3) == w.inertia
    # the witness lives on (B_{:,k}, a_k, c_k) only
    assert set(w.support()) == {"W[1][1,0]", "b[1][1]", "W[2][0,1]"}


def test_own_case_one_to_two_hidden_layers():
    case = relu_case()
    w = strict_saddle(case, IdentityLift(1))
    assert w.deep.arch.widths == (1, 2, 3, 1)
    assert len(set(w.samples)) == 2                  # mixed pattern
    # the shallow point itself has no negative direction here
    _, _, Hs = naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss)
    assert inertia(Hs, method="ldl")[0] == 0


@pytest.mark.slow
def test_own_case_one_to_two_hidden_layers_vs_naive():
    """The deep witness of the test above against sympy.hessian of the whole deep loss (slow)."""
    w = strict_saddle(relu_case(), IdentityLift(1))
    crit, vHv, Hn = naive_check(w.deep, w.v)
    assert crit and vHv < 0 and vHv == w.value
    n_minus, _, _ = inertia(Hn, method="ldl")
    assert n_minus >= 1


def test_search_with_hard_tanh_and_leaky():
    case = spec_case()
    for act, A, c in (("leaky_relu(1/2)", [[1]], [5]), ("hard_tanh", [[F(1, 10)]], [0])):
        w = strict_saddle(case, CriticalLift(0, A, c, act))
        crit, vHv, _ = naive_check(w.deep, w.v)
        assert crit and vHv < 0


def test_no_witness_at_zero_loss():
    case = relu_case(teacher=True)     # delta = 0: G = 0 for every null neuron
    assert find_null_neuron(case, 1) is None
    res = check_strict_saddle(case, IdentityLift(1))
    assert res.holds is None and "no null neuron" in res.detail


def test_not_critical_refused():
    case = spec_case().with_params(spec_case().arch, Params.from_flat(spec_case().arch, [F(1), F(0)]))
    with pytest.raises(LiftError, match="not critical"):
        strict_saddle(case, CriticalLift(0, [[1]], [5]))


def test_given_null_neuron_check():
    r = CriticalLift(0, [[1], [1]], [5, F(-1, 2)], null_neurons=[1]).lift(spec_case())
    res = check_null_neuron_saddle(r)
    assert res.holds is True and res.strength == "exact" and res.data["vHv"].startswith("-")
    # a null neuron active on every sample: G = sum_i delta_i (x_i, 1) = 0 at a critical point
    r0 = CriticalLift(0, [[1], [1]], [5, 10], null_neurons=[1]).lift(spec_case())
    assert check_null_neuron_saddle(r0).holds is None


def test_search_budget():
    case = relu_case()
    assert find_null_neuron(case, 1, time_limit=0) is None       # budget exhausted before the first LP
    assert find_null_neuron(case, 1, max_patterns=0) is None
    assert find_null_neuron(case, 1) is not None
