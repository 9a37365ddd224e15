"""Criticality of the subspaces: gradient formulas, SPEC §0 critical data, the checks of item 4."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy

from exactlift.errors import ActivationError, FloatInExactError, InputError
from exactlift.symmetry.criticality import (
    DEFAULT_ACTIVATION,
    RationalActivation,
    TwoLayerPoint,
    check_implements_teacher,
    check_replication_criticality,
    check_zero_type_noncritical,
    critical_part,
    make_critical_data,
    risk_and_gradient,
)
from exactlift.symmetry.subspaces import Subspace, Teacher, default_teacher, enumerate_subspaces


def _random_point(m: int, d: int, d_out: int, seed: int) -> TwoLayerPoint:
    rng = random.Random(seed)
    theta = [Fraction(rng.randint(-5, 5), rng.randint(1, 3)) for _ in range(m * (d + d_out))]
    return TwoLayerPoint.from_theta(theta, m, d, d_out)


@pytest.mark.parametrize("m, d, d_out", [(2, 1, 1), (3, 2, 1), (2, 2, 3)])
def test_gradient_matches_core_backpropagation(m: int, d: int, d_out: int) -> None:
    from exactlift.arith.contexts import get_context
    from exactlift.calculus.backprop import derivatives
    from exactlift.nn.network import Architecture, Params

    point = _random_point(m, d, d_out, seed=m + d)
    rng = random.Random(7)
    X = [[Fraction(rng.randint(-4, 4), rng.randint(1, 2)) for _ in range(d)] for _ in range(5)]
    Y = [[Fraction(rng.randint(-4, 4), 3) for _ in range(d_out)] for _ in range(5)]
    risk, grad = risk_and_gradient(point, X, Y, DEFAULT_ACTIVATION)
    arch = Architecture.build([d, m, d_out], str(DEFAULT_ACTIVATION.expr()).replace("**", "**"), bias=False)
    ctx = get_context("exact")
    D = derivatives(arch, Params.from_flat(arch, point.theta()), ctx.array(X), ctx.array(Y), "mse", ctx, order=1)
    assert Fraction(str(D.loss)) == risk
    assert [Fraction(str(g)) for g in D.gradient] == grad


def test_gradient_matches_sympy_differentiation() -> None:
    m, d, d_out = 2, 2, 2
    point = _random_point(m, d, d_out, seed=3)
    X = [[Fraction(1), Fraction(-2)], [Fraction(1, 2), Fraction(3)], [Fraction(-1), Fraction(1, 3)]]
    Y = [[Fraction(1), Fraction(0)], [Fraction(2), Fraction(-1)], [Fraction(0), Fraction(1, 2)]]
    act = RationalActivation.parse("z + z**3/3")
    th = sympy.symbols(f"t0:{m * (d + d_out)}")
    z = sympy.Symbol("z")
    sig = sympy.Lambda(z, z + z**3 / 3)
    R = 0
    for x, y in zip(X, Y):
        for c in range(d_out):
            f = sum(th[m * d + c * m + j] * sig(sum(th[j * d + l] * sympy.Rational(str(x[l])) for l in range(d))) for j in range(m))
            R += (f - sympy.Rational(str(y[c]))) ** 2
    R = R / len(X)
    subs = dict(zip(th, [sympy.Rational(str(v)) for v in point.theta()]))
    expected = [Fraction(str(sympy.diff(R, t).subs(subs))) for t in th]
    assert risk_and_gradient(point, X, Y, act)[1] == expected


@pytest.mark.parametrize("r, d, d_out", [(1, 1, 1), (2, 1, 1), (2, 2, 1), (2, 1, 2), (3, 2, 2)])
def test_make_critical_data_is_critical_with_positive_loss(r: int, d: int, d_out: int) -> None:
    cd = make_critical_data(r=r, d=d, d_out=d_out, seed=r)
    risk, grad = risk_and_gradient(TwoLayerPoint.from_teacher(cd.teacher), cd.X, cd.Y, cd.activation)
    assert risk == cd.risk > 0 and all(g == 0 for g in grad)
    assert len(set(cd.X)) == cd.n  # distinct inputs


@pytest.mark.parametrize("kind", ["G", "T_single", "T_groups"])
def test_every_subspace_implements_the_teacher_symbolically(kind: str) -> None:
    for m in range(1, 5):
        for r in range(1, m + 1):
            rep = check_implements_teacher(kind, r, m, default_teacher(r, 2, 1, seed=1))
            assert rep["all_implement"] and rep["strength"] == "symbolic", (kind, r, m, rep["failures"])
            assert rep["parametrisation_dimensions_match_formula"]
    rep = check_implements_teacher(kind, 2, 3, default_teacher(2, 1, 2, seed=2))
    assert rep["all_implement"]


def test_symbolic_check_fails_for_a_different_target() -> None:
    T = Teacher.from_lists(w=[[1], [2]], a=[[3], [5]])
    other = Teacher.from_lists(w=[[1], [2]], a=[[3], [4]])
    rep = check_implements_teacher("T_single", 2, 3, T, target=other)
    assert not rep["all_implement"] and len(rep["failures"]) == rep["subspaces"] == 12


@pytest.mark.parametrize("d, d_out", [(1, 1), (2, 1)])
def test_replication_points_are_critical_and_zero_type_points_are_not(d: int, d_out: int) -> None:
    cd = make_critical_data(r=2, d=d, d_out=d_out, seed=4)
    rep = check_replication_criticality(cd, 4)
    assert rep["subspaces"] == 14 and rep["critical_part_all_critical"]
    assert rep["critical_part_is_whole_subspace"] == 14  # d_out = 1: the whole subspace is critical
    for reading in ("single", "groups"):
        z = check_zero_type_noncritical(cd, 4, reading)
        assert z["points"] > 0 and z["noncritical_points"] == z["points"], z["critical_examples"]


def test_zero_type_neuron_on_a_teacher_vector_is_critical() -> None:
    """Negative control: the non-criticality is generic, not universal."""
    cd = make_critical_data(r=2, d=1, d_out=1, seed=4)
    T = cd.teacher
    # neuron 2 zero-type with w_2 = w*_0, a_2 = 0: lies on a replication subspace too
    theta = TwoLayerPoint((T.w[0], T.w[1], T.w[0]), (T.a[0], T.a[1], (Fraction(0),))).theta()
    _, g = risk_and_gradient(TwoLayerPoint.from_theta(theta, 3, 1, 1), cd.X, cd.Y, cd.activation)
    assert all(x == 0 for x in g)
    assert Subspace("T_single", 2, (0, 1, -1)).equations(T).contains(theta)


@pytest.mark.parametrize("d, d_out, crit_dim", [(1, 2, 2), (2, 2, 2), (1, 3, 4)])
def test_vector_outputs_only_splits_in_ker_M_stay_critical(d: int, d_out: int, crit_dim: int) -> None:
    cd = make_critical_data(r=2, d=d, d_out=d_out, seed=5)
    rep = check_replication_criticality(cd, 4)
    assert rep["critical_part_all_critical"]
    assert rep["whole_subspace_points"] > 0
    assert rep["whole_subspace_noncritical_points"] == rep["whole_subspace_points"]
    # h = 2: whole dimension 2*d_out; critical part h*dim ker M_i (d_out - min(d, d_out - 1) generically)
    assert rep["dimensions_whole_to_critical"] == {f"{2 * d_out}->{crit_dim}": 14}
    # the parallel splits a_j = alpha_j a*_i are always in the critical part
    S = next(iter(enumerate_subspaces("G", 2, 4)))
    crit = critical_part(S, cd)
    T = cd.teacher
    alphas = {}
    for i, block in enumerate(S.assignment):
        for k, j in enumerate(block):
            alphas[j] = (i, Fraction(1, len(block)))
    w = tuple(T.w[alphas[j][0]] for j in range(4))
    a = tuple(tuple(alphas[j][1] * x for x in T.a[alphas[j][0]]) for j in range(4))
    assert crit.contains(TwoLayerPoint(w, a).theta())


def test_activation_parsing_and_errors() -> None:
    s = RationalActivation.parse("z/(1 + z**2)")
    assert s.value(Fraction(1)) == Fraction(1, 2) and s.derivative(Fraction(0)) == 1
    with pytest.raises(ActivationError, match="float"):
        RationalActivation.parse("0.5*z")
    with pytest.raises(ActivationError, match="rational function"):
        RationalActivation.parse("tanh(z)")
    with pytest.raises(ActivationError, match="only"):
        RationalActivation.parse("z + y")
    with pytest.raises(InputError, match="pole"):
        RationalActivation.parse("1/z").value(Fraction(0))
    with pytest.raises(FloatInExactError):
        RationalActivation.parse([0, 1.5])


def test_critical_data_needs_enough_inputs() -> None:
    with pytest.raises(InputError, match="trivial kernel"):
        make_critical_data(r=2, X=[[1], [2]])
