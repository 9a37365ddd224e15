"""Split points of a certified tanh point vs the wide Hessian's eigenvalues at the exactly embedded
100-digit point (independent mpmath reference)."""

import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from mpref import hessian_eigenvalues, reference  # noqa: E402
from trainer import make_candidate  # noqa: E402

from exactlift import NullNeuron, Permute, SplitNeuron, compose  # noqa: E402
from exactlift.certify.critical import certify_critical_point  # noqa: E402
from exactlift.certify.embedded import certify_embedded_point, certify_split_point  # noqa: E402
from exactlift.nn.case import case_from_dict  # noqa: E402


def reference_inertia(case, lift):
    """Inertia of the wide Hessian at the exactly embedded 100-digit critical point (mpmath eigenvalues
    with a clear gap): computed without the certifier."""
    x, _, _ = reference(case)
    T = lift.matrix(case.arch)
    with mpmath.workdps(110):
        xw = [mpmath.fsum(mpmath.mpf(Fraction(t).numerator) / Fraction(t).denominator * xi
                          for t, xi in zip(row, x)) for row in T]
        wide = lift.wide_architecture(case.arch)
        ev = hessian_eigenvalues(list(wide.widths), "tanh", case, xw)
        tiny = [e for e in ev if abs(e) < mpmath.mpf(10) ** -30]
        big = [e for e in ev if abs(e) > mpmath.mpf(10) ** -8]
        assert len(tiny) + len(big) == len(ev)  # a clear gap
        return (sum(1 for e in big if e < 0), len(tiny), sum(1 for e in big if e > 0))


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


def test_null_neuron_step_is_not_claimed():
    """A null neuron's block depends on C: criticality is left to the null condition, inertia undecided."""
    case = case_from_dict(make_candidate([2, 2, 1], "tanh", 40, noise=0.05, scale=1.0, seed=0))
    narrow = certify_critical_point(case, digits=30)
    res = certify_embedded_point(case, narrow, [SplitNeuron(1, 0, Fraction(1, 3)), NullNeuron(1)])
    assert res.critical is None and res.inertia is None and "null neuron" in res.reason
