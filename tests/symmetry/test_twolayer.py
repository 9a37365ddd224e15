"""The two-layer network of the symmetry package (symmetry/twolayer.py), a view of the core.

The adapter's values come from the core back-propagation; they are checked here against
computations that do not use the core: SymPy differentiation of the whole loss and the
closed-form gradient formulas with σ, σ′ evaluated by SymPy.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy

from exactlift.errors import ActivationError, FloatInExactError, InputError
from exactlift.symmetry.twolayer import (
    DEFAULT_ACTIVATION,
    RationalActivation,
    TwoLayerPoint,
    network_outputs,
    output_jacobian_rows,
    risk_and_gradient,
    two_layer_architecture,
)

Z = sympy.Symbol("z")


def _random_point(m: int, d: int, d_out: int, seed: int) -> TwoLayerPoint:
    rng = random.Random(seed)
    theta = [Fraction(rng.randint(-5, 5), rng.randint(1, 3)) for _ in range(m * (d + d_out))]
    return TwoLayerPoint.from_theta(theta, m, d, d_out)


def _data(d: int, d_out: int) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    rng = random.Random(7)
    X = [[Fraction(rng.randint(-4, 4), rng.randint(1, 2)) for _ in range(d)] for _ in range(5)]
    Y = [[Fraction(rng.randint(-4, 4), 3) for _ in range(d_out)] for _ in range(5)]
    return X, Y


def _q(v: sympy.Expr) -> Fraction:
    return Fraction(int(v.p), int(v.q))


@pytest.mark.parametrize("m, d, d_out", [(2, 1, 1), (3, 2, 1), (2, 2, 3)])
def test_adapter_is_the_core_backpropagation(m: int, d: int, d_out: int) -> None:
    """TwoLayerPoint <-> core Params: the adapter gives the core's loss and gradient, same order."""
    from exactlift.arith.contexts import get_context
    from exactlift.calculus.backprop import derivatives
    from exactlift.nn.network import Architecture, Params

    point = _random_point(m, d, d_out, seed=m + d)
    X, Y = _data(d, d_out)
    risk, grad = risk_and_gradient(point, X, Y, DEFAULT_ACTIVATION)
    arch = Architecture.build([d, m, d_out], str(DEFAULT_ACTIVATION.expr()).replace("**", "**"), bias=False)
    ctx = get_context("exact")
    D = derivatives(arch, Params.from_flat(arch, point.theta()), ctx.array(X), ctx.array(Y), "mse", ctx, order=1)
    assert Fraction(str(D.loss)) == risk
    assert [Fraction(str(g)) for g in D.gradient] == grad
    assert point.to_params().flatten() == point.theta()
    assert TwoLayerPoint.from_params(Params.from_flat(arch, point.theta())) == point
    assert point.architecture() == arch == two_layer_architecture(d, m, d_out)


@pytest.mark.parametrize("m, d, d_out", [(2, 1, 1), (3, 2, 1), (2, 2, 3)])
def test_gradient_matches_the_closed_form_formulas(m: int, d: int, d_out: int) -> None:
    """∂R/∂a_{j,c} = (2/n) Σ e σ(w_j·x), ∂R/∂w_{j,l} = (2/n) Σ (a_j·e) σ′(w_j·x) x_l, σ and σ′ from SymPy."""
    point = _random_point(m, d, d_out, seed=m + d)
    X, Y = _data(d, d_out)
    risk, grad = risk_and_gradient(point, X, Y, DEFAULT_ACTIVATION)
    sig = (Z + Z**2) / (1 + Z**2)
    dsig = sympy.diff(sig, Z)
    n = len(X)

    def at(expr: sympy.Expr, z: Fraction) -> Fraction:
        return _q(expr.subs(Z, sympy.Rational(z.numerator, z.denominator)))

    pre = [[sum((wl * xl for wl, xl in zip(point.w[j], x)), Fraction(0)) for j in range(m)] for x in X]
    F = [[sum((point.a[j][c] * at(sig, pre[k][j]) for j in range(m)), Fraction(0)) for c in range(d_out)] for k in range(n)]
    E = [[F[k][c] - Y[k][c] for c in range(d_out)] for k in range(n)]
    expected_risk = sum((e * e for row in E for e in row), Fraction(0)) / n
    gw = [
        Fraction(2, n) * sum((sum(point.a[j][c] * E[k][c] for c in range(d_out)) * at(dsig, pre[k][j]) * X[k][l] for k in range(n)), Fraction(0))
        for j in range(m) for l in range(d)
    ]
    ga = [Fraction(2, n) * sum((E[k][c] * at(sig, pre[k][j]) for k in range(n)), Fraction(0)) for c in range(d_out) for j in range(m)]
    assert expected_risk == risk
    assert gw + ga == grad
    assert network_outputs(point, X, DEFAULT_ACTIVATION) == F


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


def test_rational_gradient_and_jacobian_match_sympy_differentiation() -> None:
    """A rational σ (the default, with poles off the real line): loss, gradient and J by SymPy."""
    m, d, d_out = 2, 1, 2
    point = _random_point(m, d, d_out, seed=11)
    X = [[Fraction(1)], [Fraction(-3, 2)], [Fraction(2, 3)]]
    Y = [[Fraction(1), Fraction(0)], [Fraction(-1), Fraction(1, 2)], [Fraction(0), Fraction(2)]]
    th = sympy.symbols(f"t0:{m * (d + d_out)}")
    sig = sympy.Lambda(Z, (Z + Z**2) / (1 + Z**2))
    outs = [[sum(th[m * d + c * m + j] * sig(th[j] * sympy.Rational(str(x[0]))) for j in range(m)) for c in range(d_out)] for x in X]
    R = sum((f - sympy.Rational(str(y[c]))) ** 2 for fs, y in zip(outs, Y) for c, f in enumerate(fs)) / len(X)
    subs = dict(zip(th, [sympy.Rational(str(v)) for v in point.theta()]))
    risk, grad = risk_and_gradient(point, X, Y, DEFAULT_ACTIVATION)
    assert risk == _q(sympy.nsimplify(R.subs(subs)))
    assert grad == [_q(sympy.diff(R, t).subs(subs)) for t in th]
    J = [[_q(sympy.diff(f, t).subs(subs)) for t in th] for fs in outs for f in fs]
    assert output_jacobian_rows(point, X, DEFAULT_ACTIVATION) == J


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


def test_a_pole_in_the_forward_pass_is_an_input_error() -> None:
    point = TwoLayerPoint(((Fraction(1),),), ((Fraction(1),),))
    with pytest.raises(InputError, match="pole"):
        risk_and_gradient(point, [[Fraction(0)]], [[Fraction(0)]], RationalActivation.parse("1/z"))
    with pytest.raises(InputError, match="same positive number"):
        risk_and_gradient(point, [[Fraction(1)]], [], DEFAULT_ACTIVATION)


def test_core_activation_values_equal_the_rational_function() -> None:
    s = RationalActivation.parse("(2*z - z**3/5)/(3 + z**2)")
    assert s.core.exact_capable
    for z in (Fraction(0), Fraction(-7, 3), Fraction(5, 2)):
        zz = sympy.Rational(z.numerator, z.denominator)
        assert s.value(z) == _q(s.expr().subs(Z, zz))
        assert s.derivative(z) == _q(sympy.diff(s.expr(), Z).subs(Z, zz))
