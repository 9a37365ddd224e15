"""T5: batch-normalization bound (exact on squares), beta = 0, and the BN lift, against mpmath references."""

from __future__ import annotations

import random
from fractions import Fraction as F

import mpmath
import pytest
import sympy

from exactlift.errors import InputError, LiftError
from exactlift.lifts.depth.batchnorm import (
    bn_bound,
    bn_critical_lift,
    bn_neuron_linear,
    check_bn_beta_zero,
    check_bn_bound,
    check_bn_lift,
    check_bn_linearization_needs_shift,
    sign_p_plus_q_sqrt,
)
from exactlift.nn.activations import parse_activation
from exactlift.nn.batchnorm import BNNetwork, batch_normalize, bn_derivatives, bn_outputs, is_zero_algebraic
from exactlift.nn.case import Case, case_from_dict
from exactlift.nn.network import Architecture


def spec_case() -> Case:
    xs = [-2, -1, 0, 1, 2, 3]
    ys = ["13/3", "-55/6", "7/3", "17/6", "7/3", "5/6"]
    return case_from_dict({"network": {"widths": [1, 1], "params": {"W": [[["1/2"]]], "b": [["1/3"]]},
                                       "data": {"x": [[str(x)] for x in xs], "y": [[y] for y in ys]}}})


def batches(seed: int = 0, count: int = 150):
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        b = [F(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(rng.randint(2, 9))]
        if len(set(b)) > 1:
            out.append(b)
    return out


def mp_zhat(z):
    """Reference ẑ in mpmath at 50 digits (independent of the exact code)."""
    with mpmath.workdps(50):
        v = [mpmath.mpf(x.numerator) / x.denominator for x in z]
        mu = mpmath.fsum(v) / len(v)
        sd = mpmath.sqrt(mpmath.fsum((x - mu) ** 2 for x in v) / len(v))
        return [(x - mu) / sd for x in v]


def test_bound_on_random_batches_agrees_with_mp():
    for b in batches():
        r = bn_bound(b)
        assert r["max_ok"] and r["min_ok"]
        zh = mp_zhat(b)
        with mpmath.workdps(50):
            bound = 1 / mpmath.sqrt(len(b) - 1)
            assert max(zh) >= bound - mpmath.mpf(10) ** -40
            assert mpmath.almosteq(max(zh) ** 2, mpmath.mpf(r["max_zhat_squared"].numerator) / r["max_zhat_squared"].denominator, 1e-40)
    assert check_bn_bound(batches()).holds is True


@pytest.mark.parametrize("n", [2, 3, 5, 10])
def test_bound_is_sharp(n):
    z = [F(-(n - 1))] + [F(1)] * (n - 1)
    r = bn_bound(z)
    assert r["max_equal"] and r["max_zhat_squared"] == F(1, n - 1)
    # with sympy's exact radicals: max zhat = 1/sqrt(n-1)
    assert sympy.simplify(max(batch_normalize(z), key=lambda e: sympy.N(e)) - 1 / sympy.sqrt(n - 1)) == 0
    # a bound 1/sqrt(n-2) would be wrong: the check can fail
    if n > 2:
        assert not (n * (n - 2) * (1 - sum(z) / n) ** 2 >= sum((v - sum(z) / n) ** 2 for v in z))


def test_constant_batch_refused():
    with pytest.raises(InputError, match="constant"):
        bn_bound([F(1), F(1)])
    with pytest.raises(InputError, match="at least 2"):
        bn_bound([F(1)])


def test_sign_of_p_plus_q_sqrt_against_mp():
    rng = random.Random(3)
    for _ in range(300):
        p, q, v = F(rng.randint(-20, 20), rng.randint(1, 4)), F(rng.randint(-9, 9), rng.randint(1, 4)), F(rng.randint(0, 30), rng.randint(1, 4))
        with mpmath.workdps(60):
            x = mpmath.mpf(p.numerator) / p.denominator + mpmath.mpf(q.numerator) / q.denominator * mpmath.sqrt(mpmath.mpf(v.numerator) / v.denominator)
            ref = 0 if abs(x) < mpmath.mpf(10) ** -50 else (1 if x > 0 else -1)
        assert sign_p_plus_q_sqrt(p, q, v) == ref
    assert sign_p_plus_q_sqrt(F(-2), F(1), F(4)) == 0


def test_beta_zero_never_linear_and_shift_needed():
    bs = batches(seed=1)
    assert check_bn_beta_zero(bs).holds is True
    rng = random.Random(5)
    pairs = [(F(rng.randint(-5, 5), rng.randint(1, 3)), F(rng.randint(-12, 12), rng.randint(1, 3))) for _ in range(25)]
    res = check_bn_linearization_needs_shift(bs, pairs)
    assert res.holds is True and res.data["linear_cases"] > 0
    # independent: linearity decided in mp agrees with the exact decision
    for b in bs[:40]:
        zh = mp_zhat(b)
        for g, be in pairs[:8]:
            with mpmath.workdps(50):
                vals = [mpmath.mpf(g.numerator) / g.denominator * x + mpmath.mpf(be.numerator) / be.denominator for x in zh]
            ref = all(v > 0 for v in vals) or all(v < 0 for v in vals)
            assert bn_neuron_linear(b, g, be)[0] == ref


def test_bn_lift_beta_zero_refused():
    with pytest.raises(LiftError, match="beta = 0"):
        bn_critical_lift(spec_case(), 0, [[1]], [1], [0])
    with pytest.raises(LiftError, match=r"\|beta\| > \|gamma\|/sqrt\(n-1\)"):
        bn_critical_lift(spec_case(), 0, [[1]], [1], [F(1, 2)])


def mp_bn_risk(theta, X, Y):
    """Independent mpmath BN network 1 -> (BN relu, width m) -> 1 without bias in the BN layer."""
    with mpmath.workdps(60):
        m = (len(theta) - 1) // 4
        a = theta[:m]; B = theta[m:2 * m]; e = theta[2 * m]; gam = theta[2 * m + 1:3 * m + 1]; bet = theta[3 * m + 1:]
        n = len(X)
        outs = [e] * n
        for k in range(m):
            z = [a[k] * x for x in X]
            mu = mpmath.fsum(z) / n
            sd = mpmath.sqrt(mpmath.fsum((v - mu) ** 2 for v in z) / n)
            u = [max(gam[k] * (v - mu) / sd + bet[k], 0) for v in z]
            outs = [o + B[k] * ui for o, ui in zip(outs, u)]
        return mpmath.fsum((o - y) ** 2 for o, y in zip(outs, Y)) / n


def test_bn_lift_critical_exactly_and_against_finite_differences():
    case = spec_case()
    lift = bn_critical_lift(case, 0, [[1], [2]], [1, -1], [2, -3])
    value, grad = bn_derivatives(lift.net, lift.theta, case.X, case.Y, case.loss, "exact")
    assert all(is_zero_algebraic(g) for g in grad)
    assert value == F(58, 3)                        # the shallow loss
    with mpmath.workdps(60):
        X = [mpmath.mpf(x[0].numerator) / x[0].denominator for x in case.X]
        Y = [mpmath.mpf(y[0].numerator) / y[0].denominator for y in case.Y]
        th = [mpmath.mpf(sympy.N(t, 70)) for t in lift.theta]
        assert mpmath.almosteq(mp_bn_risk(th, X, Y), mpmath.mpf(58) / 3, 1e-40)
        h = mpmath.mpf(10) ** -25
        for i in range(len(th)):
            tp = list(th); tm = list(th)
            tp[i] += h; tm[i] -= h
            assert abs((mp_bn_risk(tp, X, Y) - mp_bn_risk(tm, X, Y)) / (2 * h)) < mpmath.mpf(10) ** -20
    checks = check_bn_lift(case, 0, [[1]], [1], [2])
    assert [c.holds for c in checks] == [True, True] and checks[1].strength == "exact"
    checks = check_bn_lift(case, 0, [[1]], [1], [2], arithmetic="mp")
    assert checks[1].holds is True and checks[1].strength == "numerical"


def test_bn_network_gradient_against_finite_differences_non_critical():
    net = BNNetwork(Architecture.build([1, 2, 1], "relu", [False, True]), bn_layers=(1,))
    theta = [F(1), F(2), F(1, 2), F(-1, 3), F(1, 5), F(3, 2), F(-1), F(1), F(1, 4)]
    X = [[F(-2)], [F(0)], [F(1)], [F(3)]]
    Y = [[F(1)], [F(0)], [F(2)], [F(-1)]]
    _, grad = bn_derivatives(net, theta, X, Y, "mse", "mp", 50)
    R, syms = __import__("exactlift.nn.batchnorm", fromlist=["bn_risk_expression"]).bn_risk_expression(net, X, Y)
    f = sympy.lambdify(syms, R, "mpmath")
    with mpmath.workdps(50):
        base = [mpmath.mpf(t.numerator) / t.denominator for t in theta]
        h = mpmath.mpf(10) ** -20
        for i in range(len(base)):
            tp = list(base); tm = list(base)
            tp[i] += h; tm[i] -= h
            fd = (f(*tp) - f(*tm)) / (2 * h)
            assert abs(fd - mpmath.mpf(str(grad[i]))) < mpmath.mpf(10) ** -15
    assert any(abs(g) > 1e-3 for g in grad)
    with pytest.raises(InputError, match="bias False"):
        BNNetwork(Architecture.build([1, 2, 1], "relu"), bn_layers=(1,))
    outs = bn_outputs(net, theta, X)
    assert len(outs) == 4 and parse_activation("relu")
