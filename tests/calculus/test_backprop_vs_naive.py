"""The layered Hessian against sympy.hessian of the whole loss (independent reference)."""

from __future__ import annotations

import random
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy

from exactlift.arith.contexts import ExactContext, get_context
from exactlift.calculus.backprop import derivatives, output_jacobian
from exactlift.calculus.naive import naive_derivatives, naive_loss
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture, Params


def _rand(rng: random.Random) -> Fraction:
    return Fraction(rng.randint(-7, 7), rng.randint(1, 4))


def _random_case(widths, act, bias, seed, n=3):
    rng = random.Random(seed)
    arch = Architecture.build(widths, act, bias)
    theta = [_rand(rng) for _ in range(arch.n_params)]
    X = [[_rand(rng) for _ in range(widths[0])] for _ in range(n)]
    Y = [[_rand(rng) for _ in range(widths[-1])] for _ in range(n)]
    return arch, theta, X, Y


def _as_rational(x) -> sympy.Rational:
    return sympy.Rational(str(x))


def _mp(x: sympy.Expr) -> mpmath.mpf:
    """A SymPy number at 80 digits as an mpf (via its decimal string: no double rounding)."""
    return mpmath.mpf(str(sympy.N(x, 80)))


CASES = [
    ([1, 2, 1], "z + z**5", True, "mse"),
    ([2, 3, 2], "z/(1 + z**2)", True, "mse"),
    ([1, 2, 2, 1], "poly(1, 1, 1/2, 0, 1)", False, "mse"),
    ([2, 2, 2], "leaky_relu(1/3)", [True, False], "mse"),
    ([2, 3, 1], "relu", True, "mse"),
    ([1, 2, 2], "hard_tanh", True, "mse"),
    ([2, 2, 1], "identity", True, "(f - y)**4"),
    ([1, 2, 1, 2], ["z/(1 + z**2)", "z + z**3/3"], True, "(f0 - y0)**2 + 3*(f1 - y1)**4"),
]


@pytest.mark.slow
def test_exact_derivatives_equal_naive_sympy_deeper_piecewise():
    arch, theta, X, Y = _random_case([2, 2, 3, 2], "leaky_relu(1/3)", [True, False, True], seed=0)
    loss = parse_loss("mse", 2)
    ctx = get_context("exact")
    d = derivatives(arch, Params.from_flat(arch, theta), ctx.array(X), ctx.array(Y), loss, ctx)
    value, grad, H = naive_derivatives(arch, theta, X, Y, loss)
    P = arch.n_params
    assert sympy.Matrix(P, P, lambda i, j: _as_rational(d.hessian[i, j])) == H


@pytest.mark.parametrize("widths,act,bias,loss_spec", CASES)
def test_exact_derivatives_equal_naive_sympy(widths, act, bias, loss_spec):
    # alternate the flint and pure-Fraction paths of the exact context across cases
    ctx = ExactContext(use_flint=CASES.index((widths, act, bias, loss_spec)) % 2 == 0)
    for seed in range(1):
        arch, theta, X, Y = _random_case(widths, act, bias, seed)
        loss = parse_loss(loss_spec, widths[-1])
        d = derivatives(arch, Params.from_flat(arch, theta), ctx.array(X), ctx.array(Y), loss, ctx)
        value, grad, H = naive_derivatives(arch, theta, X, Y, loss)
        assert _as_rational(d.loss) == value
        assert [_as_rational(g) for g in d.gradient] == grad
        P = arch.n_params
        mine = sympy.Matrix(P, P, lambda i, j: _as_rational(d.hessian[i, j]))
        assert mine == H


def test_mp_tanh_matches_naive_at_60_digits():
    arch, theta, X, Y = _random_case([2, 2, 1], "tanh", True, seed=7)
    loss = parse_loss("mse", 1)
    ctx = get_context("mp", digits=60)
    d = derivatives(arch, Params.from_flat(arch, theta), ctx.array(X), ctx.array(Y), loss, ctx)
    value, grad, H = naive_derivatives(arch, theta, X, Y, loss)
    tol = mpmath.mpf(10) ** -55
    with mpmath.workdps(60):
        assert abs(d.loss - _mp(value)) < tol
        for a, b in zip(d.gradient, grad):
            assert abs(a - _mp(b)) < tol
        for i in range(arch.n_params):
            for j in range(arch.n_params):
                assert abs(d.hessian[i, j] - _mp(H[i, j])) < tol


def test_mp_cross_entropy_vector_output_matches_naive():
    arch, theta, X, Y = _random_case([1, 2, 3], "softplus", True, seed=3)
    Y = [[Fraction(1), Fraction(0), Fraction(0)], [Fraction(0), Fraction(1, 2), Fraction(1, 2)], [Fraction(0), Fraction(0), Fraction(1)]]
    loss = parse_loss("cross_entropy", 3)
    ctx = get_context("mp", digits=40)
    d = derivatives(arch, Params.from_flat(arch, theta), ctx.array(X), ctx.array(Y), loss, ctx)
    value, grad, H = naive_derivatives(arch, theta, X, Y, loss)
    with mpmath.workdps(40):
        tol = mpmath.mpf(10) ** -35
        assert abs(d.loss - _mp(value)) < tol
        assert all(abs(a - _mp(b)) < tol for a, b in zip(d.gradient, grad))
        assert abs(d.hessian[0, 5] - _mp(H[0, 5])) < tol


def test_symbolic_undefined_sigma_matches_sympy_hessian():
    """With σ undefined and everything symbolic, the Hessian is an identity in all of them."""
    arch = Architecture.build([1, 1, 1], "sigma")
    ctx = get_context("symbolic")
    theta = list(sympy.symbols("w1 b1 w2 b2"))
    x, y = sympy.symbols("x y")
    d = derivatives(arch, Params.from_flat(arch, theta), ctx.array([[x]]), ctx.array([[y]]), "mse", ctx)
    R, syms = naive_loss(arch, [[x]], [[y]], parse_loss("mse", 1))
    R = R.xreplace(dict(zip(syms, theta)))
    H = sympy.hessian(R, theta)
    for i in range(4):
        assert sympy.expand(sympy.diff(R, theta[i]) - d.gradient[i]) == 0
        for j in range(4):
            assert sympy.expand(H[i, j] - d.hessian[i, j]) == 0


def test_free_output_adjoints_give_gradient_for_every_loss():
    """Gradient with symbolic ∂ℓ/∂f equals Jᵀ g (the output Jacobian computed separately)."""
    arch, theta, X, _ = _random_case([2, 2, 2], "z + z**5", True, seed=11, n=2)
    ctx = get_context("symbolic")
    g = sympy.symbols("g0:4")
    adj = np.array([[g[0], g[1]], [g[2], g[3]]], dtype=object)
    d = derivatives(arch, Params.from_flat(arch, theta), ctx.array(X), None, "mse", ctx, order=1, output_adjoints=adj)
    exact = get_context("exact")
    J = output_jacobian(arch, Params.from_flat(arch, theta), exact.array(X), exact)
    for p in range(arch.n_params):
        expected = sum(sympy.Rational(str(J[r, p])) * g[r] for r in range(4)) / 2
        assert sympy.expand(d.gradient[p] - expected) == 0


def test_output_jacobian_matches_sympy_jacobian():
    arch, theta, X, _ = _random_case([2, 3, 2], "z/(1 + z**2)", True, seed=5, n=2)
    ctx = get_context("exact")
    J = output_jacobian(arch, Params.from_flat(arch, theta), ctx.array(X), ctx)
    # the naive risk of the linear "loss" f_k, differentiated by SymPy, is the
    # average over the two samples of row k of J
    for k in range(2):
        spec = f"f{k}"
        R, s = naive_loss(arch, X, [[0, 0]] * 2, parse_loss(spec, 2))
        sub = dict(zip(s, theta))
        for p in range(arch.n_params):
            expected = sympy.diff(R, s[p]).xreplace(sub) * 2  # R averages over 2 samples
            assert _as_rational(J[k, p] + J[2 + k, p]) == expected
