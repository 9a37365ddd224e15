"""Other layers keep any activation: tanh networks with an inserted ReLU layer, in mp arithmetic."""

from __future__ import annotations

from fractions import Fraction as F

import mpmath
import pytest

from exactlift.analysis import analyze
from exactlift.errors import LiftError
from exactlift.lifts.depth import CriticalLift, IdentityLift
from exactlift.lifts.depth.check import check_lift
from exactlift.lifts.depth.theorems import lifted_point
from exactlift.lifts.depth.mp import mp_critical_targets, mp_to_fraction
from exactlift.nn.case import Case
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture, Params

DIGITS = 60


def tanh_case(teacher: bool = False) -> Case:
    arch = Architecture.build([1, 3, 1], "tanh")
    th = Params.from_flat(arch, [F(1), F(-1, 2), F(2), F(1, 3), F(1, 4), F(-1), F(2), F(-3, 2), F(1), F(1, 5)])
    X = [[F(v)] for v in (-2, -1, F(-1, 3), 0, F(1, 2), 1, 2, 3, 4, 5, 6, 7)]
    return Case(arch, th, X, mp_critical_targets(arch, th, X, seed=1, teacher=teacher), parse_loss("mse", 1))


def mp_gradient_reference(case: Case):
    """Central differences of the risk in mpmath at 120 digits (independent of backprop)."""
    from exactlift.arith.contexts import get_context
    from exactlift.calculus.backprop import derivatives

    ctx = get_context("mp", 120)
    theta = case.params.flatten()
    out = []
    with ctx.active():
        X, Y = case.arrays(ctx)
        h = mpmath.mpf(10) ** -40
        for i in range(len(theta)):
            vals = []
            for s in (1, -1):
                t = [ctx.convert(x) for x in theta]
                t[i] += s * h
                vals.append(derivatives(case.arch, Params.from_flat(case.arch, t), X, Y, case.loss, ctx, order=0).loss)
            out.append((vals[0] - vals[1]) / (2 * h))
    return out


def test_tanh_critical_point_in_mp():
    case = tanh_case()
    a = analyze(case, "mp", DIGITS)
    assert a.critical and mpmath.mpf(a.max_gradient) < mpmath.mpf(10) ** (-DIGITS + 10)
    assert mpmath.mpf(a.loss) > 1                          # non-zero loss: not a global minimum


@pytest.mark.parametrize("lift", [IdentityLift(1), IdentityLift(0), CriticalLift(1, [[1, 0, 0], [1, 1, 0], [0, 0, 2]], [2, 3, 3])],
                         ids=["identity-after-tanh", "identity-after-input", "general-after-tanh"])
def test_tanh_with_inserted_relu(lift):
    case = tanh_case()
    p = lifted_point(case, lift, "auto", DIGITS)
    assert p.arithmetic == "mp"
    a = analyze(p.deep, "mp", DIGITS)
    assert a.critical and mpmath.mpf(a.max_gradient) < mpmath.mpf(10) ** (-DIGITS + 10)
    # independent reference for the deep gradient: finite differences at 120 digits
    ref = mp_gradient_reference(p.deep)
    with mpmath.workdps(DIGITS):
        assert max(abs(x) for x in ref) < mpmath.mpf(10) ** (-DIGITS + 10)
    results = check_lift(case, lift, "mp", DIGITS)  # "auto" is certified for tanh: see test_auto_is_certified
    assert all(r.holds is not False for r in results)
    by = {(r.theorem, r.name): r for r in results}
    assert by[("T2", "gradient transfer")].strength == "numerical"
    assert by[("T2", "criticality of the lifted point")].holds is True
    assert by[("T3", "inertia")].holds is True
    if lift.after_layer == 1:
        # range bound: tanh values in [-1, 1] keep h + 2 > 0 for every input -> exact (L1), symbolic T1
        assert p.result.l1_strength == "exact"
        assert by[("T1", "output preservation on all inputs")].holds is True


def test_teacher_data_global_minimum():
    case = tanh_case(teacher=True)
    a = analyze(IdentityLift(1).apply(case), "mp", DIGITS)
    assert a.critical and mpmath.mpf(a.loss) < mpmath.mpf(10) ** -60


@pytest.mark.parametrize("act", ["tanh", "sigmoid"])
def test_inserted_tanh_or_sigmoid_refused(act):
    with pytest.raises(LiftError, match=f"activation '{act}' has no linear piece"):
        CriticalLift(1, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0], act).lift(tanh_case())


def test_mp_to_fraction_exact():
    with mpmath.workdps(80):
        x = mpmath.mpf(-7) / 3
        assert abs(mpmath.mpf(mp_to_fraction(x).numerator) / mp_to_fraction(x).denominator - x) == 0
