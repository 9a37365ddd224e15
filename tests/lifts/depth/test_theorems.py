"""T1, T2, T3, T7 checks against independent computations on the lifted network itself.

The reference is the naive SymPy loss of the deep network (``sympy.diff`` /
``sympy.hessian`` of the whole expression) and the theorem formulas written
out here, in the test, from the naive shallow gradient.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction as F

import numpy as np
import pytest
import sympy

from exactlift.arith.linalg import inertia
from exactlift.calculus.naive import naive_derivatives, naive_loss
from exactlift.lifts.depth import CriticalLift, IdentityLift
from exactlift.lifts.depth.check import check_lift
from exactlift.lifts.depth.prune import check_prune
from exactlift.lifts.depth.theorems import (
    check_criticality,
    check_gradient_transfer,
    check_inertia,
    check_lifted_dimension,
    check_output_preservation,
    constraint_jacobian,
    lifted_point,
    prove_gradient_transfer,
    prove_output_preservation_all_inputs,
)
from exactlift.nn.case import Case, case_from_dict
from exactlift.nn.data import critical_targets
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture, Params

SOURCE = "exactlift formalization of arXiv 2205.13283"


def spec_case() -> Case:
    xs = [-2, -1, 0, 1, 2, 3]
    ys = ["13/3", "-55/6", "7/3", "17/6", "7/3", "5/6"]
    return case_from_dict({"network": {"widths": [1, 1], "params": {"W": [[["1/2"]]], "b": [["1/3"]]},
                                       "data": {"x": [[str(x)] for x in xs], "y": [[y] for y in ys]}}})


def relu_case(critical: bool = True) -> Case:
    arch = Architecture.build([1, 2, 1], "relu")
    th = Params.from_flat(arch, [F(1), F(-1, 2), F(1, 3), F(1, 4), F(2), F(-3, 2), F(1, 5)])
    X = [[F(v)] for v in (-2, -1, F(-1, 5), F(1, 7), F(3, 5), 1, 2, 3)]
    Y = critical_targets(arch, th, X, seed=1) if critical else [[F(i, 3)] for i in range(len(X))]
    return Case(arch, th, X, Y, parse_loss("mse", 1))


def input2_case() -> Case:
    """2-3-1 ReLU, 2-d inputs, exact critical point with non-zero loss."""
    arch = Architecture.build([2, 3, 1], "relu")
    th = Params.from_flat(arch, [F(1), F(1, 2), F(-1), F(1, 3), F(1, 2), F(2), F(1, 5), F(-1, 7), F(1, 3),
                                 F(3, 2), F(-1), F(2, 3), F(1, 11)])
    X = [[F(a, 3), F(b, 5)] for a, b in ((-4, 1), (2, -3), (5, 4), (-1, -6), (3, 7), (-5, 2), (1, 1), (4, -2),
                                         (-2, 5), (6, 3), (-3, -4), (2, 6), (7, -1), (-6, -2), (1, -7), (3, 3))]
    return Case(arch, th, X, critical_targets(arch, th, X, seed=2), parse_loss("mse", 1))


def naive(case: Case, hessian: bool = True):
    return naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss, hessian=hessian)


def naive_risk(case: Case):
    """The risk from the naive SymPy expression of the whole network (no derivatives)."""
    R, syms = naive_loss(case.arch, case.X, case.Y, case.loss)
    return R.xreplace({t: sympy.Rational(v.numerator, v.denominator) for t, v in zip(syms, case.params.flatten())})


def blocks(arch: Architecture, flat):
    p = Params.from_flat(arch, list(flat))
    return p.W, p.b


LIFTS = [
    ("spec", spec_case, lambda: CriticalLift(0, [[1]], [5])),
    ("spec-null", spec_case, lambda: CriticalLift(0, [[1], [1]], [5, F(-1, 2)], null_neurons=[1])),
    ("relu-q1", relu_case, lambda: CriticalLift(1, [[1, 2], [F(1, 2), 0], [3, F(1, 3)]], [1, 2, F(1, 7)])),
    ("relu-q0-leaky", relu_case, lambda: CriticalLift(0, [[-1], [2]], [-3, 5], "leaky_relu(1/4)")),
    ("relu-q1-identity", relu_case, lambda: IdentityLift(1)),
    ("input2-q0", input2_case, lambda: CriticalLift(0, [[1, 0], [1, 1], [0, -1]], [3, 5, 3])),
]


@pytest.mark.parametrize(
    "name,make_case,make_lift",
    [pytest.param(*x, marks=pytest.mark.slow) if x[0] == "input2-q0" else x for x in LIFTS], ids=[x[0] for x in LIFTS],
)
def test_T2_formulas_against_naive_sympy(name, make_case, make_lift):
    case, lift = make_case(), make_lift()
    r = lift.lift(case)
    _, g_s, _ = naive(case, hessian=False)
    _, g_d, _ = naive(r.deep, hessian=False)
    q = r.after_layer
    sW, sb = blocks(case.arch, g_s)
    dW, db = blocks(r.deep.arch, g_d)
    G, g = sW[q], sb[q]
    A = np.array([[sympy.Rational(x.numerator, x.denominator) for x in row] for row in r.A], dtype=object)
    B = np.array([[sympy.Rational(x.numerator, x.denominator) for x in row] for row in r.B], dtype=object)
    c = np.array([sympy.Rational(x.numerator, x.denominator) for x in r.c], dtype=object)
    Dv = np.array([0 if p.null else sympy.Rational(p.slope.numerator, p.slope.denominator) for p in r.patterns], dtype=object)
    gv = np.array([0 if p.null else sympy.Rational(p.intercept.numerator, p.intercept.denominator) for p in r.patterns], dtype=object)
    D = np.diag(Dv)
    # layers <= q and above q + 1 unchanged
    for l in range(q):
        assert (dW[l] == sW[l]).all() and (db[l] == sb[l]).all()
    for l in range(q + 1, case.arch.n_layers):
        assert (dW[l + 1] == sW[l]).all()
    assert (np.dot(np.dot(D, B.T), G) == dW[q]).all()                 # dR/dA = D B^T G_W
    assert (np.dot(np.dot(D, B.T), g) == db[q]).all()                 # dR/dc = D B^T g_b
    lin = [p.index for p in r.patterns if not p.null]
    expect_B = np.dot(np.dot(G, A.T), D) + np.outer(g, np.dot(D, c) + gv)
    assert (expect_B[:, lin] == dW[q + 1][:, lin]).all()              # dR/dB = G_W A^T D + g_b (Dc+gamma)^T
    assert (db[q + 1] == g).all()                                     # dR/de = g_b
    # and the library's check agrees
    res = check_gradient_transfer(r)
    assert res.holds is True and res.strength == "exact" and res.source == SOURCE


def test_T2_at_a_non_critical_point():
    case = relu_case(critical=False)
    _, g, _ = naive(case, hessian=False)
    assert any(v != 0 for v in g)
    r = IdentityLift(1).lift(case)
    assert check_gradient_transfer(r).holds is True
    assert check_criticality(r).holds is None
    assert check_inertia(r).holds is None


SLOW = {"relu-q1", "relu-q0-leaky", "input2-q0", "relu-q1-identity"}


@pytest.mark.parametrize(
    "name,make_case,make_lift",
    [pytest.param(*x, marks=pytest.mark.slow) if x[0] in SLOW else x for x in LIFTS], ids=[x[0] for x in LIFTS],
)
def test_criticality_and_T3_against_naive_hessian(name, make_case, make_lift):
    case, lift = make_case(), make_lift()
    r = lift.lift(case)
    _, g_s, H_s = naive(case)
    _, g_d, H_d = naive(r.deep)
    assert all(v == 0 for v in g_s)
    assert all(v == 0 for v in g_d)                                      # every lifted point of a critical point
    s, d = inertia(H_s, method="ldl"), inertia(H_d, method="ldl")     # pure engine, naive Hessians
    p = lifted_point(r)
    crit = check_criticality(p)
    t3 = check_inertia(p)
    assert crit.holds is True and t3.holds is True
    assert tuple(t3.data["shallow"]) == s and tuple(t3.data["deep"]) == d
    if not r.null_neurons:
        diff = r.deep.arch.n_params - case.arch.n_params
        assert d == (s[0], s[1] + diff, s[2])
    else:
        assert d[0] >= s[0] and d[2] >= s[2]


@pytest.mark.parametrize("name,make_case,make_lift", LIFTS, ids=[x[0] for x in LIFTS])
def test_criticality_and_T3_against_core_hessian_pure_inertia(name, make_case, make_lift):
    """Fast version: the deep Hessian from the core, inertia by the pure-Python LDL engine."""
    from exactlift.analysis import analyze

    case, lift = make_case(), make_lift()
    r = lift.lift(case)
    a_s, a_d = analyze(case), analyze(r.deep)
    assert a_s.critical and a_d.critical
    s = inertia(a_s.derivatives.hessian, method="ldl")
    d = inertia(a_d.derivatives.hessian, method="ldl")
    t3 = check_inertia(r)
    assert t3.holds is True and tuple(t3.data["deep"]) == d and tuple(t3.data["shallow"]) == s
    if not r.null_neurons:
        assert d == (s[0], s[1] + r.deep.arch.n_params - case.arch.n_params, s[2])


def test_T3_spec_numbers():
    r = CriticalLift(0, [[1], [1]], [5, F(-1, 2)], null_neurons=[1]).lift(spec_case())
    _, _, H_s = naive(spec_case())
    _, _, H_d = naive(r.deep)
    assert inertia(H_s, method="ldl") == (0, 0, 2)
    assert inertia(H_d, method="ldl") == (1, 3, 3)
    # an exact eigenvalue computation of the 7x7 naive Hessian agrees
    evs = sympy.Matrix(H_d).eigenvals()
    signs = {-1: 0, 0: 0, 1: 0}
    for ev, mult in evs.items():
        signs[0 if ev == 0 else int(sympy.sign(sympy.re(sympy.N(ev, 60))))] += mult
    assert (signs[-1], signs[0], signs[1]) == (1, 3, 3)


@pytest.mark.parametrize("name,make_case,make_lift", LIFTS, ids=[x[0] for x in LIFTS])
def test_T1_outputs_and_T7_roundtrip(name, make_case, make_lift):
    case, lift = make_case(), make_lift()
    r = lift.lift(case)
    assert naive_risk(r.deep) == naive_risk(case)
    assert check_output_preservation(r).holds is True
    t7 = check_prune(r.deep, r.after_layer + 1, expected=case)
    assert t7.holds is True and t7.strength == "exact"


def test_T1_detects_a_wrong_lift():
    r = CriticalLift(0, [[1]], [5]).lift(spec_case())
    bad_params = Params(r.deep.params.W, (r.deep.params.b[0], np.array([F(-2)], dtype=object)))
    bad = dataclasses.replace(r, deep=r.deep.with_params(r.deep.arch, bad_params))
    assert check_output_preservation(bad).holds is False
    assert check_gradient_transfer(bad).holds is False


def test_T1_all_inputs_symbolic():
    case = relu_case()
    r = CriticalLift(1, [[1, 2], [0, 1]], [1, F(1, 2)]).lift(case)   # A >= 0, c > 0 after ReLU
    res = prove_output_preservation_all_inputs(r)
    assert res.holds is True and res.strength == "symbolic"
    # independently: outputs agree at inputs far outside the training data
    far = [[F(-100)], [F(37, 3)], [F(1000)]]
    a = naive_derivatives(case.arch, case.params.flatten(), far, [[0]] * 3, case.loss, hessian=False)[0]
    b = naive_derivatives(r.deep.arch, r.deep.params.flatten(), far, [[0]] * 3, case.loss, hessian=False)[0]
    assert a == b
    # A with a negative entry: not sample-independent
    r2 = CriticalLift(1, [[1, -1], [0, 1]], [10, 1]).lift(case)
    assert prove_output_preservation_all_inputs(r2).holds is None
    assert prove_output_preservation_all_inputs(CriticalLift(0, [[1]], [5]).lift(spec_case())).holds is None


def test_T2_symbolic_proofs():
    for args in [([1, 2, 1], 1, 2, "relu"), ([2, 1, 1], 0, 2, "relu"), ([1, 1, 2], 1, 1, "leaky_relu(1/3)", 0)]:
        res = prove_gradient_transfer(*args)
        assert res.holds is True and res.strength == "symbolic"


def test_lifted_dimension_and_rank_condition():
    r = CriticalLift(1, [[1, 2], [F(1, 2), 0], [3, F(1, 3)]], [1, 2, F(1, 7)]).lift(relu_case())
    res = check_lifted_dimension(r)
    m1, mq, mn = 3, 2, 1
    assert res.holds is True and res.data["dimension"] == m1 * (mq + mn + 1) - mq * mn   # closed form of docs/depth.md
    J, cols = constraint_jacobian(r)
    assert sympy.Matrix(J).rank() == mn * (mq + 1) and len(cols) == m1 * (mq + 1) + mn * (m1 + 1)
    # rank condition fails: 2-d input, 2-d output, one inserted neuron (W has rank 1)
    arch = Architecture.build([2, 2], [])
    th = Params.from_flat(arch, [F(1), F(2), F(2), F(4), F(0), F(1)])
    X = [[F(1), F(0)], [F(0), F(1)], [F(1), F(1)], [F(2), F(-1)]]
    case = Case(arch, th, X, [[F(0), F(0)]] * 4, parse_loss("mse", 2))
    r2 = CriticalLift(0, [[1, 2]], [10]).lift(case)
    res2 = check_lifted_dimension(r2)
    assert res2.holds is None and not res2.data["holds"]
    J2, cols2 = constraint_jacobian(r2)
    dim = len(cols2) - sympy.Matrix(J2).rank()
    assert dim == res2.data["dimension"] and dim != r2.deep.arch.n_params - case.arch.n_params


def test_check_lift_all_hold_and_are_labelled():
    for name, make_case, make_lift in LIFTS[:3]:
        results = check_lift(make_case(), make_lift())
        assert {r.theorem for r in results} >= {"T1", "T2", "T3", "T4", "T7"}
        assert all(r.holds is not False for r in results)
        assert all(r.source == SOURCE and r.strength in ("symbolic", "exact", "numerical") for r in results)
        assert all(r.to_json()["source"] == SOURCE for r in results)


def test_check_lift_composite_strength_is_the_weakest_part():
    from exactlift.lifts.depth.check import check_lift_certificate, combine_checks
    from exactlift.lifts.depth.theorems import TheoremCheck
    from exactlift.strength import weakest

    case = case_from_dict({"network": {"widths": [1, 1], "params": {"W": [[["1/2"]]], "b": [["1/3"]]},
                                       "data": {"x": [["-2"], ["0"], ["3"]], "y": [["0"], ["1"], ["2"]]}}})
    parts = check_lift(case, IdentityLift(0), saddle=False)
    cert = check_lift_certificate(case, IdentityLift(0), saddle=False)
    assert cert.strength == weakest([p.strength for p in parts])
    assert len(cert.children) == len(parts)
    t1 = TheoremCheck("T1", "symbolic part", True, "symbolic", "s")
    t2 = TheoremCheck("T2", "exact part", True, "exact", "s")
    assert combine_checks([t1, t2]).strength == "exact"
    assert combine_checks([t1, t2]).holds is True
    assert combine_checks([t1, TheoremCheck("T7", "mp", True, "numerical", "s")]).strength == "numerical"
