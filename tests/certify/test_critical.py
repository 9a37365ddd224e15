"""certify_critical_point against an independent 100-digit mpmath reference (own back-propagation,
Newton to |grad R| < 1e-90, eigenvalues by mpmath.eigsy with a clear gap)."""

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from mpref import reference  # noqa: E402
from trainer import make_candidate  # noqa: E402

from exactlift.certify.critical import certify_critical_point  # noqa: E402
from exactlift.nn.case import case_from_dict  # noqa: E402

# (widths, activation, samples, seed, teacher scale): candidates found by the float64 trainer
CASES = [
    ([2, 2, 1], "tanh", 40, 0, 1.0),      # a local minimum, 1 hidden layer
    ([1, 1, 1, 1], "tanh", 30, 1, 2.0),   # 2 hidden layers
    ([2, 2, 1], "sigmoid", 40, 2, 1.0),   # sigmoid
    ([2, 2, 2], "tanh", 40, 0, 1.5),      # vector output
]


@pytest.mark.parametrize("widths,act,n,seed,scale", CASES)
def test_against_mp_reference(widths, act, n, seed, scale):
    case = case_from_dict(make_candidate(widths, act, n, noise=0.05, scale=scale, seed=seed))
    assert case.arch.n_params < n * widths[-1]  # isolated points: more training outputs than parameters
    res = certify_critical_point(case, digits=30)
    assert res.critical is True and res.strength == "certified"
    x, loss, ev = reference(case)
    with mpmath.workdps(110):
        r = mpmath.mpf(res.radius)
        for c, xi in zip(res.center_exact, x):
            assert abs(mpmath.mpf(c.numerator) / c.denominator - xi) <= r  # the mp point is in the box
        gap = min(abs(e) for e in ev)
        assert gap > mpmath.mpf(10) ** -8  # a clear gap: the signs of the reference eigenvalues are clear
        expected = (sum(1 for e in ev if e < 0), 0, sum(1 for e in ev if e > 0))
        lo, hi = (mpmath.mpf(s) for s in _ball_bounds(res.loss))
        assert lo <= loss <= hi
    assert tuple(res.inertia) == expected
    d = max(abs(Fraction(c) - Fraction(t)) for c, t in zip(res.center_exact, case.params.flatten()))
    assert float(d) <= float(res.distance)


def _ball_bounds(text):
    mid, rad = text.strip("[]").split("+/-")
    m, r = mpmath.mpf(mid.strip()), mpmath.mpf(rad.strip())
    return m - r, m + r


def test_more_parameters_than_outputs_is_undecided():
    # 1-2-1 tanh (7 parameters) on 3 points: zero-loss critical points form a manifold
    d = {"network": {"widths": [1, 2, 1], "activation": "tanh",
                     "params": {"W": [[["1"], ["-1/2"]], [["1", "1/2"]]], "b": [["0", "1/3"], ["0"]]},
                     "data": {"x": [["-1"], ["1/2"], ["2"]], "y": [["-1/2"], ["1/4"], ["1"]]}}}
    res = certify_critical_point(case_from_dict(d), digits=30)
    assert res.critical is None and res.inertia is None
    assert "P = 7 > n·d_out = 3" in res.reason and res.kernel_dimension >= 1


def test_cli_json(tmp_path):
    f = tmp_path / "c.json"
    f.write_text(json.dumps(make_candidate([2, 2, 1], "tanh", 40, noise=0.05, scale=1.0, seed=0)))
    out = tmp_path / "o.json"
    code = ("import sys, argparse; from exactlift.certify import cli; p = argparse.ArgumentParser(); "
            "s = p.add_subparsers(); cli.register(s); a = p.parse_args(sys.argv[1:]); sys.exit(a.func(a))")
    r = subprocess.run([sys.executable, "-c", code, "certify", str(f), "--json", "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    j = json.loads(r.stdout)
    for key in ("critical", "radius", "distance", "center", "inertia", "strength", "loss"):
        assert key in j
    assert j["critical"] is True and j["strength"] == "certified" and j["inertia"] == [0, 0, 9]
    refined = json.loads(out.read_text())
    assert Fraction(refined["network"]["params"]["W"][0][0][0]) == Fraction(j["center"][0])


@pytest.mark.parametrize("widths,act,n,seed,scale", [CASES[0], CASES[2], CASES[3]])
def test_analyze_certified_agrees_with_certify(widths, act, n, seed, scale):
    """analyze --arithmetic certified takes its criticality verdict from the same Krawczyk engine."""
    from exactlift.analysis import analyze

    case = case_from_dict(make_candidate(widths, act, n, noise=0.05, scale=scale, seed=seed))
    a = analyze(case, "certified", digits=30)
    c = certify_critical_point(case, digits=30)
    assert a.critical is True and c.critical is True and a.strength == "certified"
    j = a.to_json()
    assert j["critical_radius"] == c.radius and j["critical_distance"] == c.distance
    x, _, _ = reference(case)  # the independent 100-digit critical point lies in the certified box
    with mpmath.workdps(110):
        r = mpmath.mpf(c.radius)
        assert all(abs(mpmath.mpf(ce.numerator) / ce.denominator - xi) <= r for ce, xi in zip(c.center_exact, x))


@pytest.mark.parametrize("act", ["tanh", "sigmoid", "softplus"])
def test_analyze_and_certify_agree_on_non_critical_points(act):
    """A candidate with a large gradient (mp, own back-propagation): neither says critical."""
    from mpref import loss_grad

    from exactlift.analysis import analyze

    d = make_candidate([2, 2, 1], act, 40, noise=0.05, scale=1.0, seed=0)
    case = case_from_dict(d)
    moved = [Fraction(x) + Fraction(1, 2) * (-1) ** i for i, x in enumerate(case.params.flatten())]
    case = case.with_params(case.arch, case.params.from_flat(case.arch, moved))
    with mpmath.workdps(30):
        q = lambda v: mpmath.mpf(Fraction(v).numerator) / Fraction(v).denominator  # noqa: E731
        _, g = loss_grad([2, 2, 1], act, [[q(v) for v in r] for r in case.X], [[q(v) for v in r] for r in case.Y],
                         [q(v) for v in moved])
        assert max(abs(v) for v in g) > mpmath.mpf(10) ** -3
    c = certify_critical_point(case, digits=30)
    a = analyze(case, "certified", digits=30)
    assert c.critical is not True and a.critical == c.critical
