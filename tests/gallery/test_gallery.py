"""Every shipped gallery case is what its description claims, checked by a computation of its own.

The reference is naive SymPy (:mod:`exactlift.calculus.naive`: the whole loss as one
expression, differentiated by SymPy) and an inertia from SymPy's exact rank plus the
signs of mpmath eigenvalues at 50 digits: nothing of exactlift's back-propagation or
LDLᵀ.  Splits are written out by hand.
"""

from __future__ import annotations

import json
from fractions import Fraction

import mpmath
import pytest
import sympy

from exactlift.calculus.naive import naive_derivatives, naive_loss
from exactlift.cli import main
from exactlift.gallery import EXAMPLES, example_names, load_example
from exactlift.nn.case import Case, load_case
from exactlift.nn.network import Architecture


def naive(case: Case, theta=None, arch=None):
    return naive_derivatives(arch or case.arch, theta if theta is not None else case.params.flatten(),
                             case.X, case.Y, case.loss)


def reference_inertia(H: sympy.Matrix) -> tuple[int, int, int]:
    """(n-, n0, n+): n0 from SymPy's exact rank, the signs from mpmath eigenvalues (50 digits)."""
    n = H.shape[0]
    rank = H.rank()
    with mpmath.workdps(50):
        ev = mpmath.eigsy(mpmath.matrix([[mpmath.mpf(sympy.Rational(H[i, j]).p) / sympy.Rational(H[i, j]).q
                                          for j in range(n)] for i in range(n)]))[0]
        ev = sorted(ev, key=abs)[n - rank:]  # the n - rank smallest are the zero eigenvalues
        assert all(abs(e) > mpmath.mpf(10) ** -30 for e in ev)
        neg = sum(1 for e in ev if e < 0)
    return neg, n - rank, rank - neg


def exact_critical(case: Case, theta=None, arch=None):
    R, grad, H = naive(case, theta, arch)
    assert all(g == 0 for g in grad)
    return R, H


def split_theta(w, b, a, c, alpha):
    """1-1-d net (w, b, a_1..a_d, c_1..c_d) -> 1-2-d net with neuron 0 split at ratio alpha."""
    alpha = Fraction(alpha)
    W2 = [x for ak in a for x in (alpha * ak, (1 - alpha) * ak)]
    return [w, w, b, b, *W2, *c]


def test_every_example_is_listed_and_loads():
    assert len(EXAMPLES) >= 6
    for e in EXAMPLES:
        case = load_example(e.name)
        assert case.name == e.name and e.proves and e.source and e.description


def test_relu_minimum():
    case = load_example("relu-minimum")
    assert all(a.spec == "relu" for a in case.arch.activations)
    R, H = exact_critical(case)
    assert R != 0
    assert reference_inertia(H) == (0, 2, 5)
    # the kernel is spanned by the two rescaling directions (w_j, b_j, -a_j)
    w1, w2, b1, b2, a1, a2, _ = case.params.flatten()
    for v in ([w1, 0, b1, 0, -a1, 0, 0], [0, w2, 0, b2, 0, -a2, 0]):
        assert any(x != 0 for x in v)
        assert H * sympy.Matrix([sympy.Rational(x) for x in v]) == sympy.zeros(7, 1)


def test_relu_saddle_exact_hessian_vs_reference_inertia():
    """Cheap: exactlift's exact gradient and Hessian, the inertia by SymPy rank and mpmath eigenvalues."""
    from exactlift.analysis import analyze

    case = load_example("relu-saddle")
    assert list(case.arch.widths) == [2, 2, 2, 1] and all(a.spec == "relu" for a in case.arch.activations)
    d = analyze(case).derivatives
    assert all(Fraction(str(g)) == 0 for g in d.gradient) and Fraction(str(d.loss)) != 0
    H = sympy.Matrix([[sympy.Rational(str(x)) for x in row] for row in d.hessian])
    assert H == H.T and reference_inertia(H) == (1, 7, 7)


@pytest.mark.slow
def test_relu_saddle_descent_direction():
    """Critical (naive gradient) with a direction of negative curvature: d²/dt² R(θ + t v) < 0 at t = 0.

    The direction is proposed by a float eigenvector of exactlift's Hessian; the proof is
    SymPy's second derivative of the whole loss along it.
    """
    import numpy as np

    from exactlift.analysis import analyze

    case = load_example("relu-saddle")
    assert list(case.arch.widths) == [2, 2, 2, 1] and all(a.spec == "relu" for a in case.arch.activations)
    R0, grad, _ = naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss, hessian=False)
    assert R0 != 0 and all(g == 0 for g in grad)
    Hf = np.array([[float(Fraction(str(x))) for x in row] for row in analyze(case).derivatives.hessian])
    v = [Fraction(round(1000 * x)) for x in np.linalg.eigh(Hf)[1][:, 0]]
    R, syms = naive_loss(case.arch, case.X, case.Y, case.loss)
    # off the kinks R(θ + t v) is a polynomial of degree <= 6 in t (ReLU, two hidden layers, squared loss):
    # 9 exact values at tiny t (all on θ's piece) determine it; its t² coefficient is v^T H v / 2
    theta = case.params.flatten()
    ts = [sympy.Rational(k, 10**9) for k in range(-4, 5)]
    values = [R.xreplace({s: sympy.Rational(th + tk * vi) for s, th, vi in zip(syms, theta, v)}) for tk in ts]
    t = sympy.Symbol("t")
    poly = sympy.Poly(sympy.interpolate(list(zip(ts, values)), t), t)
    assert poly.degree() <= 6
    assert poly.coeff_monomial(t) == 0 and poly.coeff_monomial(t**2) < 0


@pytest.mark.slow
def test_relu_saddle_inertia():
    case = load_example("relu-saddle")
    R, H = exact_critical(case)
    assert R != 0
    assert reference_inertia(H) == (1, 7, 7)


def test_smooth_saddle():
    R, H = exact_critical(load_example("smooth-saddle"))
    assert R != 0
    assert reference_inertia(H) == (1, 0, 6)


def test_vector_output_minimum():
    case = load_example("vector-output")
    assert list(case.arch.widths) == [1, 1, 2]
    R, H = exact_critical(case)
    assert R != 0 and reference_inertia(H) == (0, 0, 6)


@pytest.mark.parametrize("alpha", ["1/2", pytest.param("-1", marks=pytest.mark.slow),
                                   pytest.param("1/3", marks=pytest.mark.slow), pytest.param("2", marks=pytest.mark.slow)])
def test_vector_output_splits_to_saddles(alpha):
    case = load_example("vector-output")
    w, b, a1, a2, c1, c2 = case.params.flatten()
    wide = Architecture.build([1, 2, 2], case.arch.activations[0].spec)
    _, Hs = exact_critical(case, split_theta(w, b, [a1, a2], [c1, c2], alpha), wide)
    assert reference_inertia(Hs)[0] >= 1


def test_fa_split_line_depends_on_alpha():
    case = load_example("fa-split-line")
    R, H = exact_critical(case)
    assert R != 0 and reference_inertia(H) == (0, 0, 4)
    w, b, a, c = case.params.flatten()
    wide = Architecture.build([1, 2, 1], case.arch.activations[0].spec)
    for alpha, saddle in (("-1", True), ("2", True), ("1/3", False), ("1/2", False)):
        _, Hs = exact_critical(case, split_theta(w, b, [a], [c], alpha), wide)
        assert (reference_inertia(Hs)[0] >= 1) is saddle, alpha


def test_tanh_minimum_is_near_a_critical_point():
    case = load_example("tanh-minimum")
    assert case.arch.activations[0].spec == "tanh"
    R, grad, H = naive(case)
    with mpmath.workdps(60):
        assert all(abs(sympy.N(g, 60)) < sympy.Float("1e-30") for g in grad)
        assert sympy.N(R, 30) > 0
        Hm = mpmath.matrix([[mpmath.mpf(str(sympy.N(H[i, j], 60))) for j in range(4)] for i in range(4)])
        assert all(e > mpmath.mpf("1e-6") for e in mpmath.eigsy(Hm)[0])
    from exactlift.certify.critical import certify_critical_point

    res = certify_critical_point(case)
    assert res.critical is True and tuple(res.inertia) == (0, 0, 4)


def test_t4_linear_fit_and_its_strict_saddle(capsys):
    case = load_example("t4-linear")
    xs = [Fraction(x[0]) for x in case.X]
    ys = [Fraction(y[0]) for y in case.Y]
    n = len(xs)  # least squares by the normal equations
    sx, sy = sum(xs), sum(ys)
    sxx, sxy = sum(x * x for x in xs), sum(x * y for x, y in zip(xs, ys))
    w = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    assert case.params.flatten() == [w, (sy - w * sx) / n]
    R, H = exact_critical(case)
    assert R != 0 and reference_inertia(H) == (0, 0, 2)
    path = [e for e in EXAMPLES if e.name == "t4-linear"][0].path
    status = main(["check-lift", str(path), "--insert", "0", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert status == 0
    t4 = [c for lift in out["lifts"] for c in lift["checks"] if c["theorem"] == "T4"]
    assert t4 and all(c["holds"] is True for c in t4)


@pytest.mark.parametrize("name", example_names())
def test_examples_cli_writes_the_shipped_file(tmp_path, capsys, name):
    assert main(["examples"]) == 0
    assert name in capsys.readouterr().out
    out = tmp_path / "case.json"
    assert main(["examples", name, "-o", str(out)]) == 0
    assert load_case(out).to_dict() == load_example(name).to_dict()


def test_examples_cli_unknown_name(capsys):
    assert main(["examples", "no-such-case"]) == 2
    assert "no gallery example" in capsys.readouterr().err


def test_examples_cli_json_listing_and_print(capsys):
    assert main(["examples", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert [e["name"] for e in listing] == example_names()
    assert all(e["proves"] and e["source"] and "CASE" in e["command"] for e in listing)
    assert main(["examples", "t4-linear"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "t4-linear"
