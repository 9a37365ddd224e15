"""Split points of a certified tanh point vs the wide Hessian's eigenvalues at the exactly embedded
100-digit point (independent mpmath reference)."""

import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from mpref import _unflatten, hessian_eigenvalues, reference  # noqa: E402
from trainer import make_candidate  # noqa: E402

from exactlift import NullNeuron, Permute, SplitNeuron, compose  # noqa: E402
from exactlift.certify.depth import certify_depth_point  # noqa: E402
from exactlift.lifts.depth import IdentityLift  # noqa: E402
from exactlift.certify.critical import certify_critical_point  # noqa: E402
from exactlift.certify.embedded import certify_embedded_point, certify_split_point  # noqa: E402
from exactlift.nn.case import case_from_dict  # noqa: E402


def counts(ev):
    """(n-, n0, n+) of mpmath eigenvalues with a clear gap between |e| < 1e-30 and |e| > 1e-8."""
    tiny = [e for e in ev if abs(e) < mpmath.mpf(10) ** -30]
    big = [e for e in ev if abs(e) > mpmath.mpf(10) ** -8]
    assert len(tiny) + len(big) == len(ev)  # a clear gap
    return (sum(1 for e in big if e < 0), len(tiny), sum(1 for e in big if e > 0))


def reference_inertia(case, lift, act="tanh"):
    """Inertia of the wide Hessian at the exactly embedded 100-digit critical point (mpmath eigenvalues
    with a clear gap): computed without the certifier."""
    x, _, _ = reference(case)
    T = lift.matrix(case.arch)
    with mpmath.workdps(110):
        xw = [mpmath.fsum(mpmath.mpf(Fraction(t).numerator) / Fraction(t).denominator * xi
                          for t, xi in zip(row, x)) for row in T]
        wide = lift.wide_architecture(case.arch)
        return counts(hessian_eigenvalues(list(wide.widths), act, case, xw))


@pytest.mark.parametrize("alpha", [Fraction(1, 3), Fraction(2)])
def test_split_against_mp(alpha):
    case = case_from_dict(make_candidate([2, 2, 1], "tanh", 40, noise=0.05, scale=1.0, seed=0))
    narrow = certify_critical_point(case, digits=30)
    lift = SplitNeuron(1, 0, alpha)
    res = certify_split_point(case, narrow, lift)
    assert res.critical is True and res.gradient_contains_zero and res.forced_kernel == 1
    assert res.inertia == reference_inertia(case, lift)


@pytest.mark.parametrize("steps", [
    (SplitNeuron(1, 0, Fraction(1, 3)), SplitNeuron(1, 1, Fraction(2))),
    (SplitNeuron(1, 1, Fraction(-1)), Permute(1, (2, 0, 1)), SplitNeuron(1, 0, Fraction(1, 2))),
], ids=["two splits", "split, permute, split"])
def test_composite_embedding_against_mp(steps):
    """Two split lines are two forced kernel directions; the rest of the Hessian is decided in balls."""
    case = case_from_dict(make_candidate([2, 2, 1], "tanh", 40, noise=0.05, scale=1.0, seed=0))
    narrow = certify_critical_point(case, digits=30)
    res = certify_embedded_point(case, narrow, list(steps))
    assert res.critical is True and res.gradient_contains_zero and res.forced_kernel == 2
    assert res.inertia == reference_inertia(case, compose(*steps))


@pytest.mark.parametrize("act,seed,steps", [
    ("tanh", 0, (NullNeuron(1),)),
    ("tanh", 0, (SplitNeuron(1, 0, Fraction(1, 3)), NullNeuron(1))),
    ("tanh", 0, (NullNeuron(1), SplitNeuron(1, 1, Fraction(2)))),
    ("sigmoid", 2, (NullNeuron(1),)),  # sigma(0) = 1/2: the null block needs the e_a - sigma(0) e_b congruence
], ids=["tanh null", "tanh split+null", "tanh null+split", "sigmoid null"])
def test_null_neuron_against_mp(act, seed, steps):
    """A null neuron: criticality by the gradient transfer (null condition: a bias above), its block
    [[0, C], [C^T, 0]] decided from the certified rank of C, the rest by balls; vs the 100-digit wide Hessian."""
    case = case_from_dict(make_candidate([2, 2, 1], act, 40, noise=0.05, scale=1.0, seed=seed))
    narrow = certify_critical_point(case, digits=30)
    assert narrow.critical is True
    res = certify_embedded_point(case, narrow, list(steps))
    assert res.critical is True and res.gradient_contains_zero and "null" in res.theorem
    # the theorems named are those the steps use: splitting only when a split is among them
    assert ("splitting" in res.theorem) == any(isinstance(s, SplitNeuron) for s in steps)
    assert res.inertia == reference_inertia(case, compose(*steps), act)


def test_adjacent_null_neurons_are_undecided():
    case = case_from_dict(make_candidate([1, 1, 1, 1], "tanh", 30, noise=0.05, scale=2.0, seed=1))
    narrow = certify_critical_point(case, digits=30)
    assert narrow.critical is True
    res = certify_embedded_point(case, narrow, [NullNeuron(1), NullNeuron(2)])
    assert res.critical is None and res.inertia is None and "adjacent" in res.reason


@pytest.mark.parametrize("after", [0, 1])
def test_identity_depth_lift_against_mp(after):
    """Identity depth lift (a ReLU layer inserted into a tanh net): criticality by T2, forced kernel
    P_deep - P (the lifted manifold), the rest by balls; vs the deep Hessian at the exactly lifted point."""
    case = case_from_dict(make_candidate([2, 2, 1], "tanh", 40, noise=0.05, scale=1.0, seed=0))
    narrow = certify_critical_point(case, digits=30)
    lift = IdentityLift(after_layer=after)
    res = certify_depth_point(case, narrow, lift)
    assert res.critical is True and res.gradient_contains_zero and res.forced_kernel == 6
    # the reference: the 100-digit critical point, lifted by hand (A = I, c = beta, B = W, e = b - W beta 1)
    x, _, _ = reference(case)
    beta = lift.resolve(case).c[0]
    with mpmath.workdps(110):
        Ws, bs = _unflatten([2, 2, 1], x)
        m = len(Ws[after][0])
        A = [[mpmath.mpf(int(i == j)) for j in range(m)] for i in range(m)]
        c = [mpmath.mpf(beta.numerator) / beta.denominator] * m
        W, b = Ws[after], bs[after]
        e = [b[i] - mpmath.fsum(W[i][j] * c[j] for j in range(m)) for i in range(len(W))]
        layers = list(zip(Ws, bs))
        layers[after:after + 1] = [(A, c), (W, e)]
        xd = [v for Wl, bl in layers for v in [w for row in Wl for w in row] + list(bl)]
        widths = [2, 2, 2, 1]
        acts = ["relu", "tanh"] if after == 0 else ["tanh", "relu"]
        expected = counts(hessian_eigenvalues(widths, acts, case, xd))
    assert expected[1] == 6  # the lifted manifold's dimension, from the eigenvalues alone
    assert res.inertia == expected
