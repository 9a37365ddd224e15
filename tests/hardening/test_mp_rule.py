"""The mp decision rule (issue 11, item 1): numerical results never say more than they know.

Expected values are closed forms computed by hand, never the code's own output.
"""

from __future__ import annotations

import json
from fractions import Fraction

import mpmath
import numpy as np
import pytest

from exactlift.analysis import analyze
from exactlift.arith.contexts import MPContext, get_context
from exactlift.cli import main
from exactlift.errors import ArithmeticModeError, InputError, UndecidedError
from exactlift.nn.case import case_from_dict

# f(x) = w x (no bias, no hidden layer), one sample x = 1, y = 99/100, w = 1:
# R = (w - y)^2, dR/dw = 2 (w - y) = 1/50 exactly (not critical); d2R/dw2 = 2 (inertia (0, 0, 1)).
NON_CRITICAL = {"network": {"widths": [1, 1], "bias": False, "params": {"W": [[["1"]]]},
                            "data": {"x": [["1"]], "y": [["99/100"]]}}}


def _closed_form_gradient() -> Fraction:
    w, y = Fraction(1), Fraction(99, 100)
    return 2 * (w - y)


def test_the_case_has_gradient_one_fiftieth():
    assert _closed_form_gradient() == Fraction(1, 50)
    exact = analyze(case_from_dict(NON_CRITICAL), "exact")
    assert exact.critical is False


@pytest.mark.parametrize("digits", [15, 16, 20, 25, 30, 40, 50, 80])
def test_gradient_one_fiftieth_never_critical(digits):
    result = analyze(case_from_dict(NON_CRITICAL), "mp", digits)
    assert result.critical is False
    assert tuple(result.inertia) == (0, 0, 1)


@pytest.mark.parametrize("digits", [5, 8, 10, 11, 12, 14])
def test_low_digits_refused(digits, tmp_path, capsys):
    with pytest.raises(InputError, match="--digits must be an integer >= 15"):
        MPContext(digits)
    path = tmp_path / "c.json"
    path.write_text(json.dumps(NON_CRITICAL))
    assert main(["analyze", str(path), "--arithmetic", "mp", "--digits", str(digits)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def _rotated_hessian() -> list[list[Fraction]]:
    """Q diag(-3/50, 2) Q^T with the rational rotation Q = [[3/5, -4/5], [4/5, 3/5]]."""
    Q = [[Fraction(3, 5), Fraction(-4, 5)], [Fraction(4, 5), Fraction(3, 5)]]
    D = [Fraction(-3, 50), Fraction(2)]
    return [[sum(Q[i][k] * D[k] * Q[j][k] for k in range(2)) for j in range(2)] for i in range(2)]


@pytest.mark.parametrize("digits", [15, 20, 30, 50])
def test_eigenvalue_minus_006_not_zero(digits):
    H = _rotated_hessian()
    assert H[0][0] * H[1][1] - H[0][1] ** 2 == Fraction(-3, 50) * 2  # det = product of the eigenvalues
    ctx = get_context("mp", digits)
    with ctx.active():
        M = ctx.array(H)
        assert ctx.inertia(M) == (1, 0, 1)
        assert ctx.decide_zero(ctx.convert("-3/50")) is False


def test_undecided_band_is_reported():
    ctx = MPContext(20)  # zero <= 1e-14, non-zero > 1e-10
    with ctx.active():
        assert ctx.decide_zero(ctx.convert("1e-15")) is True
        assert ctx.decide_zero(ctx.convert("1e-12")) is None
        assert ctx.decide_zero(ctx.convert("1e-9")) is False
        assert ctx.decide_sign(ctx.convert("1e-12")) is None
        with pytest.raises(UndecidedError):
            ctx.sign(ctx.convert("-1e-12"))
        assert ctx.all_zero([ctx.convert("1e-12"), ctx.zero]) is None
        assert ctx.all_zero([ctx.convert("1e-12"), ctx.convert(1)]) is False


def test_scale_of_the_values_involved():
    ctx = MPContext(20)
    with ctx.active():
        big = ctx.convert(10**8)
        tiny = ctx.convert("1e-7")  # rounding-size relative to 1e8 at 20 digits
        assert ctx.decide_zero(tiny) is False
        assert ctx.decide_zero(tiny, scale=big) is True


def test_complex_values_refused():
    ctx = MPContext(30)
    with ctx.active():
        with pytest.raises(ArithmeticModeError, match="complex"):
            ctx.function("log")(ctx.convert(-2))
        with pytest.raises(ArithmeticModeError, match="complex"):
            ctx.function("sqrt")(ctx.convert(-2))
        with pytest.raises(ArithmeticModeError, match="complex"):
            ctx.power(ctx.convert(-8), Fraction(1, 3))
        with pytest.raises(ArithmeticModeError):
            ctx.convert(mpmath.mpc(1, 1))
        assert ctx.function("log")(ctx.convert(1)) == 0


@pytest.mark.parametrize("loss,activation", [("log(f) + y", None), ("mse", "sqrt(z)"), ("mse", "log(z)"),
                                             ("mse", "z**(1/3)")])
def test_complex_in_a_case_is_one_line(tmp_path, capsys, loss, activation):
    # widths [1, 1, 1]: pre-activation -1 at x = 1 (W1 = -1), so every one of these is complex there.
    net = {"widths": [1, 1, 1], "activation": activation or "identity", "loss": loss, "bias": False,
           "params": {"W": [[["-1"]], [["1"]]]}, "data": {"x": [["1"]], "y": [["1"]]}}
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"network": net}))
    status = main(["analyze", str(path), "--arithmetic", "mp", "--digits", "30"])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "complex" in err, err
