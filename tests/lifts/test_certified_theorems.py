"""The width and depth theorems in certified strength (issue 12, item 4), against other computations.

* mp at 100 digits: an independent Newton refinement in mpmath (|grad R| < 1e-90), then M_s and the
  wide / deep Hessian eigenvalues at the exactly embedded 100-digit point, with a clear gap;
* the exact path on a polynomial activation (exact critical point): certified and exact agree;
* a non-critical candidate is never certified critical; an mp value in the undecided band of the
  zero test gives "undecided", not a guess (issue 11).
"""

from __future__ import annotations

from fractions import Fraction as F

import json

import mpmath
import pytest

from exactlift.arith.contexts import get_context
from exactlift.calculus.backprop import derivatives
from exactlift.cli import main
from exactlift.gallery import example_path, load_example
from exactlift.lifts.depth.certified import certified_check_lift
from exactlift.lifts.depth.check import check_lift
from exactlift.lifts.depth.lifting import IdentityLift
from exactlift.lifts.width.certified import certified_split_line, certified_truly_bad
from exactlift.lifts.width.check import check_embedding
from exactlift.lifts.width.embeddings import SplitNeuron
from exactlift.lifts.width.fukumizu_amari import fukumizu_amari
from exactlift.lifts.width.second_order import split_curvature
from exactlift.nn.case import load_case, save_case
from exactlift.nn.network import Params

DIGITS = 100


@pytest.fixture(scope="module")
def tanh_case():
    return load_case(example_path("tanh-minimum"))


def mp_newton(case, digits=DIGITS, steps=12):
    """Newton in mpmath (exactlift's mp derivatives, mpmath LU): the refined point as exact decimals."""
    ctx = get_context("mp", digits)
    theta = [F(x) for x in case.params.flatten()]
    with ctx.active():
        for _ in range(steps):
            c = case.with_params(case.arch, Params.from_flat(case.arch, theta))
            X, Y = c.arrays(ctx)
            d = derivatives(c.arch, c.params, X, Y, c.loss, ctx, order=2)
            g = mpmath.matrix([[x] for x in d.gradient])
            if max(abs(x) for x in d.gradient) < mpmath.mpf(10) ** -95:
                break
            step = mpmath.lu_solve(mpmath.matrix(d.hessian.tolist()), g)
            theta = [t - F(mpmath.nstr(s, digits + 5, strip_zeros=False)) for t, s in zip(theta, step)]
        c = case.with_params(case.arch, Params.from_flat(case.arch, theta))
        X, Y = c.arrays(ctx)
        gmax = max(abs(x) for x in derivatives(c.arch, c.params, X, Y, c.loss, ctx, order=1).gradient)
    assert gmax < mpmath.mpf(10) ** -90
    return c


def mp_inertia(H, gap=mpmath.mpf(10) ** -60, digits=DIGITS):
    """Signs of the 100-digit eigenvalues: zero below 1e-60, decided above 1e-30 (nothing in between)."""
    with mpmath.workdps(digits):
        ev = mpmath.eigsy(mpmath.matrix(H.tolist()), eigvals_only=True)
        ev = [ev[i] for i in range(len(ev))]
    assert all(abs(e) < gap or abs(e) > mpmath.mpf(10) ** -30 for e in ev), "no clear gap"
    return (sum(1 for e in ev if e < -gap), sum(1 for e in ev if abs(e) <= gap), sum(1 for e in ev if e > gap))


def mp_hessian(case, digits=DIGITS):
    ctx = get_context("mp", digits)
    with ctx.active():
        X, Y = case.arrays(ctx)
        return derivatives(case.arch, case.params, X, Y, case.loss, ctx, order=2).hessian


def test_split_line_classification_matches_mp_100_digits(tanh_case):
    fa = certified_split_line(tanh_case, 0, digits=40)
    assert fa.strength == "certified" and fa.confirmed and not fa.undecided
    ref = mp_newton(tanh_case)
    sc = split_curvature(ref, 1, 0, get_context("mp", DIGITS))
    assert mp_inertia(sc.M) == fa.inertia_M
    assert max(abs(x) for x in sc.G.ravel()) < mpmath.mpf(10) ** -85  # G_s = 0 at the true point
    assert mp_inertia(mp_hessian(ref)) == fa.inertia_narrow
    for s in fa.samples:
        wide = SplitNeuron(1, 0, F(s["alpha"])).apply_case(ref)
        direct = mp_inertia(mp_hessian(wide))
        assert tuple(s["direct"]) == direct
        assert s["strict_saddle"] == (direct[0] >= 1)
        if s["rule_says_saddle"]:  # the short-rational witness, exact, checked on the 100-digit wide Hessian
            w = [F(x) for x in s["witness"]]
            H = mp_hessian(wide)
            assert len(s["witness"]) == wide.arch.n_params and s["witness_certified"]
            assert all(x.denominator <= 1000 for x in w)
            val = sum(H[i, j] * w[i] * w[j] for i in range(len(w)) for j in range(len(w)))
            assert val < 0


def test_check_lift_T1_T3_certified_match_mp_100_digits(tanh_case):
    lift = IdentityLift(1, shift="2")
    checks = certified_check_lift(tanh_case, lift, digits=40)
    assert [(c.theorem, c.holds, str(c.strength)) for c in checks] == [
        ("T1", True, "certified"), ("T2", True, "certified"), ("T3", True, "certified")]
    ref = mp_newton(tanh_case)
    deep = lift.apply_case(ref)
    ctx = get_context("mp", DIGITS)
    with ctx.active():
        X, Y = deep.arrays(ctx)
        d = derivatives(deep.arch, deep.params, X, Y, deep.loss, ctx, order=1)
        assert max(abs(g) for g in d.gradient) < mpmath.mpf(10) ** -85  # T2 at the 100-digit point
    assert tuple(checks[2].data["deep"]) == mp_inertia(mp_hessian(deep))


def test_api_auto_is_the_command_lines_auto(tanh_case, tmp_path, capsys):
    # The API's check_lift(case, lift) and `exactlift check-lift` (both "auto") pick certified for tanh:
    # once the API's auto picked mp and answered "numerical" where the command line proved.
    lift = IdentityLift(1, shift="2")
    api = [(c.theorem, c.holds, str(c.strength)) for c in check_lift(tanh_case, lift, digits=40)]
    assert api == [("T1", True, "certified"), ("T2", True, "certified"), ("T3", True, "certified")]
    path = tmp_path / "tanh.json"
    save_case(tanh_case, path)
    assert main(["check-lift", str(path), "--insert", "1:identity:2", "--digits", "40", "--json"]) == 0
    cli = [(c["theorem"], c["holds"], c["strength"]) for c in json.loads(capsys.readouterr().out)["lifts"][0]["checks"]]
    assert cli == api
    exact_case = load_example("relu-saddle")
    assert {str(c.strength) for c in check_lift(exact_case, IdentityLift(1), saddle=False)} <= {"exact", "symbolic"}


def test_truly_bad_certified_escape_is_a_saddle_in_mp(tanh_case):
    r = certified_truly_bad(tanh_case, 40)
    assert r.strength == "certified" and r.escape is not None
    wide = r.escape.apply_case(mp_newton(tanh_case))
    H = mp_hessian(wide)
    w = [F(x) for x in r.witness]
    assert sum(H[i, j] * w[i] * w[j] for i in range(len(w)) for j in range(len(w))) < 0
    assert mp_inertia(H) == tuple(r.wide_inertia)


def test_a_singular_M_s_is_undecided_by_balls_not_guessed():
    case = load_case(example_path("fa-split-line"))  # sigma(z) = z + z^5/5; M_s is singular (exactly)
    assert fukumizu_amari(case, 0).inertia_M[1] >= 1
    cert = certified_split_line(case, 0, digits=40)
    assert cert.rule == "undecided" and "M_s" in cert.undecided and not cert.confirmed


@pytest.mark.parametrize("name", ["smooth-saddle", "vector-output"])
def test_exact_and_certified_agree_on_rational_activations(name):
    case = load_case(example_path(name))  # sigma(z) = z/(1+z^2) at exact critical points
    exact = fukumizu_amari(case, 0)
    cert = certified_split_line(case, 0, digits=40)
    assert cert.strength == "certified" and exact.strength == "exact"
    assert (cert.rule, cert.inertia_narrow, cert.G_zero) == (exact.rule, exact.inertia_narrow, exact.G_zero)
    # balls decide inertia(M_s) only when M_s is non-singular (not needed when G_s != 0)
    assert cert.inertia_M == exact.inertia_M or (cert.inertia_M is None and exact.inertia_M[1] > 0)
    for c, e in zip(cert.samples, exact.samples):  # a decided certified inertia equals the exact one
        assert c["direct"] is None or tuple(c["direct"]) == tuple(e["direct"])
        assert c["rule_says_saddle"] == e["rule_says_saddle"]
    if name == "smooth-saddle":
        assert cert.confirmed and all(c["direct"] is not None for c in cert.samples)
    lift = IdentityLift(1, shift="1")  # |z/(1+z^2)| <= 1/2: h + 1 > 0 on every input
    ex = {c.theorem: c for c in check_lift(case, lift, "exact", saddle=False)}
    ce = {c.theorem: c for c in certified_check_lift(case, lift, digits=40)}
    assert ce["T3"].holds is True and ex["T3"].holds is True
    assert ce["T3"].data["deep"] == ex["T3"].data["deep"]
    ws = {r.name: r for r in check_embedding(case, SplitNeuron(1, 0, "2"), "exact", symbolic=False)}
    wc = {r.name: r for r in check_embedding(case, SplitNeuron(1, 0, "2"), "certified", 40, symbolic=False)}
    assert wc["criticality preserved"].holds is True and wc["criticality preserved"].strength == "certified"
    wide_c, wide_e = wc["inertia never decreases"].data["wide"], ws["inertia never decreases"].data["wide"]
    # a kernel no theorem accounts for (vector-output: n0 = 2, one split line) stays undecided, never guessed
    assert wide_c == wide_e or (wide_c is None and wide_e[1] > 1)
    if name == "smooth-saddle":
        assert wide_c == wide_e


def test_a_non_critical_candidate_is_never_certified_critical(tanh_case):
    flat = [F(x) for x in tanh_case.params.flatten()]
    far = tanh_case.with_params(tanh_case.arch, Params.from_flat(tanh_case.arch, [x + F(1, 2) for x in flat]))
    fa = certified_split_line(far, 0, digits=30)
    assert fa.undecided and not fa.confirmed and fa.critical is not True
    checks = certified_check_lift(far, IdentityLift(1, shift="2"), digits=30)
    assert all(c.holds is None for c in checks)
    assert all("undecided" in c.detail for c in checks)
    res = {r.name: r for r in check_embedding(far, SplitNeuron(1, 0, "1/3"), "certified", 30, symbolic=False)}
    assert res["criticality preserved"].holds is None
    assert certified_truly_bad(far, 30).critical is not True


def test_an_mp_value_in_the_undecided_band_is_reported_undecided(tanh_case):
    # at 30 digits: zero below 1e-20, non-zero above 1e-15; move one parameter by 1e-17 from the
    # critical point, so the gradient (about H * 1e-17) falls in between
    ref = mp_newton(tanh_case)
    flat = [F(x) for x in ref.params.flatten()]
    flat[0] += F(1, 10 ** 17)
    near = ref.with_params(ref.arch, Params.from_flat(ref.arch, flat))
    ctx = get_context("mp", 30)
    with ctx.active():
        X, Y = near.arrays(ctx)
        g = derivatives(near.arch, near.params, X, Y, near.loss, ctx, order=1).gradient
    assert any(ctx.decide_zero(x) is None for x in g)  # the premise: a value in the band
    fa = fukumizu_amari(near, 0, arithmetic=ctx)
    assert fa.rule == "undecided" and fa.undecided and not fa.confirmed
    checks = {c.theorem + c.name: c for c in check_lift(near, IdentityLift(1, shift="2"), "mp", 30, saddle=False)}
    crit = checks["T2criticality of the lifted point"]
    assert crit.holds is None and "undecided" in crit.detail


def two_layer_tanh_case(seed=4, n=30):
    import random

    from exactlift.lifts.depth.mp import mp_critical_targets
    from exactlift.nn.case import case_from_dict
    from exactlift.nn.network import Architecture

    rnd = random.Random(seed)
    arch = Architecture.build([1, 2, 2, 1], "tanh")
    theta = Params.from_flat(arch, [F(rnd.randint(-20, 20), 10) for _ in range(arch.n_params)])
    X = [[F(rnd.randint(-30, 30), 10)] for _ in range(n)]
    Y = mp_critical_targets(arch, theta, X)  # theta critical up to about 1e-120 (a saddle here)
    return case_from_dict({"network": {"widths": [1, 2, 2, 1], "activation": "tanh", "params": theta.to_lists(),
                                       "data": {"x": [[str(v) for v in r] for r in X],
                                                "y": [[str(v) for v in r] for r in Y]}}})


def test_a_general_relu_insertion_in_a_two_layer_tanh_net_matches_mp():
    from exactlift.lifts.depth.lifting import CriticalLift
    from exactlift.nn.activations import parse_activation

    case = two_layer_tanh_case()
    lift = CriticalLift(1, [["1", "0"], ["0", "1"], ["1", "1"]], ["2", "2", "3"], parse_activation("relu"))
    checks = certified_check_lift(case, lift, digits=40)
    assert [(c.theorem, c.holds, str(c.strength)) for c in checks] == [
        ("T1", True, "certified"), ("T2", True, "certified"), ("T3", True, "certified")]
    deep = lift.apply_case(mp_newton(case))
    assert tuple(checks[2].data["deep"]) == mp_inertia(mp_hessian(deep))
    assert checks[2].data["forced_kernel"] == deep.arch.n_params - case.arch.n_params
