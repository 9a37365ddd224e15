"""explain: condense + certify + embed; never a claim without a certificate."""

from __future__ import annotations

import json
import random
from fractions import Fraction

import mpmath
import numpy as np
import pytest

from exactlift import Architecture, Params, SplitNeuron, derivatives, get_context, make_case, save_case
from exactlift.cli import main
from exactlift.structure.explain import explain


def small_tanh_case(theta=None):
    """1-1-1 tanh; targets: a tanh teacher (the default theta) rounded to 1/100: an isolated critical point
    with non-zero loss sits next to the teacher."""
    arch = Architecture.build([1, 1, 1], "tanh")
    X = [[Fraction(k, 3)] for k in range(-9, 10)]
    Y = [[Fraction(round(100 * (2 * np.tanh(k / 3 + 0.5) + 0.25))) / 100] for k in range(-9, 10)]
    theta = theta or ["1", "1/2", "2", "1/4"]
    return make_case([1, 1, 1], "tanh", Params.from_flat(arch, theta), X, Y)


def perturbed(case, eps=Fraction(1, 10**9), seed=3):
    rng = random.Random(seed)
    flat = [v + rng.choice([-1, 1]) * eps for v in case.params.flatten()]
    return case.with_params(case.arch, Params.from_flat(case.arch, flat))


def test_undecided_certifier_gives_no_claim():
    wide = perturbed(SplitNeuron(1, 0, "1/3").apply_case(small_tanh_case()))
    e = explain(wide, 1e-6, certifier=lambda case: {"critical": None, "reason": "singular Hessian", "strength": "certified"})
    out = e.to_json()
    assert out["critical"] is None and out["distance"] is None and out["inertia"] is None
    assert out["narrow_widths"] == [1, 1, 1] and out["lifts"] == ["split(layer=1, neuron=0, alpha=1/3)"]
    assert float(out["gradient_norm"]) > 0 and out["gradient_norm_strength"] == "numerical"
    assert "singular Hessian" in out["reason"]


def test_distance_bound_adds_the_radius_through_the_lift():
    narrow = small_tanh_case()
    wide = perturbed(SplitNeuron(1, 0, "1/3").apply_case(narrow))
    centre = [str(v) for v in narrow.params.flatten()]
    calls = []

    def stub(case):
        calls.append(case.arch.widths)
        return {"critical": True, "center": centre if len(calls) == 1 else None, "radius": "1/1000",
                "inertia": [0, 1, 6] if len(calls) == 2 else [0, 0, 4], "strength": "certified"}

    e = explain(wide, 1e-6, certifier=stub)
    assert calls == [(1, 1, 1), (1, 2, 1)]
    # rows of T for the split neuron's outgoing weight have coefficient alpha or 1 - alpha; incoming rows 1
    assert Fraction(1, 1000) <= e.distance <= Fraction(1, 1000) + Fraction(1, 10**8)
    assert e.critical is True and e.inertia == [0, 1, 6]


def newton_critical(case, digits=60):
    """A critical point of the narrow case by Newton in mpmath (independent of the certifier)."""
    ctx = get_context("mp", digits)
    X, Y = case.arrays(ctx)
    with mpmath.workdps(digits):
        return _newton(case, ctx, X, Y, digits)


def _newton(case, ctx, X, Y, digits):
    theta = [mpmath.mpf(Fraction(v).numerator) / Fraction(v).denominator for v in case.params.flatten()]
    for _ in range(60):
        d = derivatives(case.arch, Params.from_flat(case.arch, theta), X, Y, case.loss, ctx)
        g = mpmath.matrix(d.gradient)
        if mpmath.norm(g, mpmath.inf) < mpmath.mpf(10) ** (-digits + 10):
            return theta, d
        step = mpmath.lu_solve(mpmath.matrix(d.hessian.tolist()), g)
        for damp in (1, mpmath.mpf(1) / 2, mpmath.mpf(1) / 4, mpmath.mpf(1) / 8):  # safeguarded step
            trial = [t - damp * s for t, s in zip(theta, step)]
            dt = derivatives(case.arch, Params.from_flat(case.arch, trial), X, Y, case.loss, ctx, order=1)
            if mpmath.norm(mpmath.matrix(dt.gradient), mpmath.inf) < mpmath.norm(g, mpmath.inf):
                break
        theta = trial
    raise AssertionError("Newton did not converge")


def test_explain_certifies_a_perturbed_embedded_tanh_point():
    theta, d = newton_critical(small_tanh_case())
    narrow = small_tanh_case([Fraction(mpmath.nstr(t, 40)) for t in theta])
    lift = SplitNeuron(1, 0, "1/3")
    wide_exact = lift.apply_case(narrow)
    wide = perturbed(wide_exact)
    # inertia at the exactly embedded point, independently: mp eigenvalues with a clear gap
    ctx = get_context("mp", 60)
    X, Y = wide_exact.arrays(ctx)
    H = derivatives(wide_exact.arch, wide_exact.params, X, Y, wide_exact.loss, ctx).hessian
    with mpmath.workdps(60):
        ev = mpmath.eigsy(mpmath.matrix(H.tolist()), eigvals_only=True)
    small = mpmath.mpf(10) ** -20
    expected = [sum(1 for v in ev if v < -small), sum(1 for v in ev if abs(v) <= small), sum(1 for v in ev if v > small)]
    e = explain(wide, 1e-6)
    assert e.critical is True
    assert e.distance <= Fraction(1, 10**8)
    assert e.to_json()["narrow_inertia"] == [0, 0, 4]  # the narrow point is a non-degenerate minimum
    # the embedded point is degenerate (the split line is a kernel direction): decided by
    # certify_split_point, against the independent 60-digit eigenvalues
    assert expected[1] >= 1
    assert e.inertia == expected


def test_cli_explain_json_keys(tmp_path, capsys):
    save_case(perturbed(SplitNeuron(1, 0, "1/3").apply_case(small_tanh_case())), tmp_path / "w.json")
    assert main(["explain", str(tmp_path / "w.json"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("narrow_widths", "lifts", "distance", "critical", "inertia", "strength"):
        assert key in out
    if out["critical"] is not True:
        assert out["gradient_norm"] is not None and out["distance"] is None


def mp_inertia(case, digits=100, gap=20):
    """Inertia of the case's Hessian by mpmath eigenvalues at ``digits`` digits (zero: |λ| < 10^-gap)."""
    ctx = get_context("mp", digits)
    X, Y = case.arrays(ctx)
    H = derivatives(case.arch, case.params, X, Y, case.loss, ctx).hessian
    with mpmath.workdps(digits):
        ev = mpmath.eigsy(mpmath.matrix(H.tolist()), eigvals_only=True)
    small = mpmath.mpf(10) ** -gap
    assert all(abs(v) < small or abs(v) > mpmath.mpf(10) ** -8 for v in ev)  # a clear gap
    return [sum(1 for v in ev if v < -small), sum(1 for v in ev if abs(v) <= small), sum(1 for v in ev if v > small)]


@pytest.mark.parametrize("lifts", [("null",), ("split", "null", "null")])
def test_explain_certifies_inertia_with_null_neurons(lifts):
    """Null neurons (σ(0) = 0): the W9 blocks in balls give the inertia, checked against 100-digit
    eigenvalues of the wide Hessian at the exactly embedded point and its gradient (mp, no certifier)."""
    from exactlift import NullNeuron, compose

    theta, _ = newton_critical(small_tanh_case(), digits=100)
    narrow = small_tanh_case([Fraction(mpmath.nstr(t, 90)) for t in theta])
    steps = [SplitNeuron(1, 0, "1/3") if k == "split" else NullNeuron(1) for k in lifts]
    wide_exact = compose(*steps).apply_case(narrow)
    ctx = get_context("mp", 100)
    X, Y = wide_exact.arrays(ctx)
    g = derivatives(wide_exact.arch, wide_exact.params, X, Y, wide_exact.loss, ctx, order=1).gradient
    assert max(abs(v) for v in g) < mpmath.mpf(10) ** -80  # the embedded point is critical (mp)
    expected = mp_inertia(wide_exact)
    e = explain(perturbed(wide_exact), 1e-6)
    assert e.critical is True and e.distance <= Fraction(1, 10**8)
    assert e.inertia == expected
    assert expected[0] >= 1  # a null neuron with C ≠ 0 makes a strict saddle


def test_cli_explain_tol_auto(tmp_path, capsys):
    """--tol auto on a perturbed split + null point: the gap between 1e-9 and the weights is found."""
    from exactlift import NullNeuron, compose

    theta, _ = newton_critical(small_tanh_case())
    narrow = small_tanh_case([Fraction(mpmath.nstr(t, 40)) for t in theta])
    save_case(perturbed(compose(SplitNeuron(1, 0, "1/3"), NullNeuron(1)).apply_case(narrow)), tmp_path / "w.json")
    assert main(["explain", str(tmp_path / "w.json"), "--tol", "auto", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["narrow_widths"] == [1, 1, 1] and out["critical"] is True
    assert out["lifts"][:2] == ["split(layer=1, neuron=0, alpha=1/3)", "null(layer=1)"]
    assert float(out["distance"]) <= 1e-8 and out["inertia"] is not None
