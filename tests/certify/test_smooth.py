"""Softplus and sigmoid through the certified path, against the independent 100-digit mpmath reference
(tests/certify/mpref.py: own back-propagation, Newton to |grad| < 1e-90, mpmath.eigsy eigenvalues).

* isolated points: the certified inertia equals the signs of the 100-digit eigenvalues (with a clear
  gap) and the 100-digit critical point lies inside the certified box (|center - x*| <= radius);
* embedded split points (Fukumizu–Amari: α = 2 lies outside [0, 1]): criticality by the embedding
  theorem, inertia = forced kernel + the ball-decided rest, against the wide Hessian's eigenvalues
  at the exactly embedded 100-digit point.
"""

import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from mpref import reference  # noqa: E402
from test_embedded import counts, reference_inertia  # noqa: E402
from trainer import make_candidate  # noqa: E402

from exactlift import SplitNeuron  # noqa: E402
from exactlift.certify.critical import certify_critical_point  # noqa: E402
from exactlift.certify.embedded import certify_split_point  # noqa: E402
from exactlift.nn.case import case_from_dict  # noqa: E402

CASES = {  # (widths, activation, n, seed, teacher scale): float64 candidates of tests/certify/trainer.py
    "softplus 2-2-1": ([2, 2, 1], "softplus", 40, 2, 3.0),
    "softplus 2-2-2 (d_out = 2)": ([2, 2, 2], "softplus", 40, 2, 1.0),
    "sigmoid 2-2-1": ([2, 2, 1], "sigmoid", 40, 2, 1.0),
}


def candidate(name):
    widths, act, n, seed, scale = CASES[name]
    return case_from_dict(make_candidate(widths, act, n, seed=seed, noise=0.05, scale=scale))


def assert_center_within_radius(res, x):
    """The 100-digit critical point lies in the certified box (it is the unique critical point there)."""
    r = mpmath.mpf(Fraction(res.radius).numerator) / Fraction(res.radius).denominator
    with mpmath.workdps(110):
        worst = max(abs(mpmath.mpf(c.numerator) / c.denominator - xi) for c, xi in zip(res.center_exact, x))
    assert worst <= r


@pytest.mark.parametrize("name", ["softplus 2-2-1", "softplus 2-2-2 (d_out = 2)"])
def test_softplus_point_against_mp(name):
    case = candidate(name)
    res = certify_critical_point(case, digits=30)
    assert res.critical is True and res.strength == "certified"
    x, _, ev = reference(case)
    assert tuple(res.inertia) == counts(ev)
    assert_center_within_radius(res, x)


@pytest.mark.parametrize("name,alpha", [("softplus 2-2-1", Fraction(2)), ("softplus 2-2-1", Fraction(1, 3)),
                                        ("sigmoid 2-2-1", Fraction(2))])
def test_smooth_split_against_mp(name, alpha):
    """The split of a certified minimum: a degenerate critical point (one forced kernel direction, the split
    line); whether it is a saddle (Fukumizu–Amari: by the sign of M_s and whether α lies in [0, 1]) is
    decided in balls and compared with the 100-digit eigenvalues (here every one of them is a saddle)."""
    case = candidate(name)
    narrow = certify_critical_point(case, digits=30)
    assert narrow.critical is True
    lift = SplitNeuron(1, 0, alpha)
    res = certify_split_point(case, narrow, lift)
    assert res.critical is True and res.gradient_contains_zero and res.forced_kernel == 1
    expected = reference_inertia(case, lift, CASES[name][1])
    assert expected[0] > 0  # a saddle, from the 100-digit eigenvalues alone
    assert res.inertia == expected
