"""Certified (arb ball) arithmetic: enclosures contain the exact/high-precision truth, and decide only when sure."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest

from exactlift.analysis import analyze
from exactlift.arith.contexts import get_context
from exactlift.errors import UndecidedError
from exactlift.calculus.backprop import derivatives
from exactlift.cli import main
from exactlift.nn.case import Case, load_case
from exactlift.nn.data import random_inputs, random_params
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "issue-example.json"


def _tanh_case(seed: int = 2) -> Case:
    arch = Architecture.build([1, 2, 1], "tanh")
    return Case(arch, random_params(arch, seed), random_inputs(4, 1, seed + 1), random_inputs(4, 1, seed + 2),
                parse_loss("mse", 1))


def test_balls_contain_the_mp_values_at_higher_precision():
    case = _tanh_case()
    cert = get_context("certified", digits=30)
    mp = get_context("mp", digits=80)
    with cert.active():
        X, Y = case.arrays(cert)
        d = derivatives(case.arch, case.params, X, Y, case.loss, cert)
    with mp.active():
        X2, Y2 = case.arrays(mp)
        e = derivatives(case.arch, case.params, X2, Y2, case.loss, mp)
        for ball, value in zip(d.gradient + [d.loss], e.gradient + [e.loss]):
            lo, hi = ball.lower(), ball.upper()
            assert mpmath.mpf(lo.str(60, radius=False)) - mpmath.mpf(10) ** -40 <= value
            assert value <= mpmath.mpf(hi.str(60, radius=False)) + mpmath.mpf(10) ** -40
            assert ball.rad() < mpmath.mpf(10) ** -25


def test_certified_inertia_agrees_with_exact_on_a_nonsingular_rational_case():
    arch = Architecture.build([1, 2, 1], "z/(1 + z**2)")
    case = Case(arch, random_params(arch, 4), random_inputs(9, 1, 5), random_inputs(9, 1, 6), parse_loss("mse", 1))
    exact = analyze(case, "exact")
    cert = analyze(case, "certified", digits=40)
    assert exact.inertia[1] == 0  # nonsingular: the ball elimination can decide every pivot
    assert cert.inertia == exact.inertia and cert.strength == "certified"
    assert cert.critical is False and exact.critical is False


def test_singular_hessian_is_left_undecided_not_guessed():
    cert = analyze(load_case(EXAMPLE), "certified", digits=30)
    exact = analyze(load_case(EXAMPLE), "exact")
    assert exact.inertia[1] > 0
    assert cert.inertia is None


def test_sign_of_a_ball_containing_zero_is_undecided():
    ctx = get_context("certified", digits=20)
    with ctx.active():
        x = ctx.function("tanh")(ctx.convert(Fraction(1, 3)))
        y = x - x  # a ball around 0 with non-zero radius
        with pytest.raises(UndecidedError):
            ctx.sign(y)


def test_cli_certified_json(capsys):
    assert main(["analyze", str(EXAMPLE), "--json", "--arithmetic", "certified"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["strength"] == "certified" and report["critical"] is False and report["inertia"] is None
