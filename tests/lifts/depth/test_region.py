"""T6: the (L1) region, exact areas by polygon clipping vs closed forms and grid counts, nesting."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction as F

import pytest

from exactlift.errors import InputError, LiftError
from exactlift.lifts.depth.region import area_fraction, check_more_data, grid_fraction, l1_region


def closed_form_relu_area(lo: F, hi: F, R: F = F(1)) -> F:
    """Area fraction in [-1, 1]^2 of {a h + c > 0 for all h in [lo, hi]} ∪ {< 0}, by hand (lo < 0 < hi, |lo|, |hi| <= 1).

    The positive part is {c > max(-a lo, -a hi)}: for a < 0 the bound is -a hi, for a > 0 it is -a lo, and it
    stays inside the square, so its area is the integral of 1 - bound(a) over [-1, 1]; the negative part mirrors it.
    """
    # integral_{-1}^{0} (1 - (-a*hi)) da + integral_0^1 (1 - (-a*lo)) da = (1 - hi/2) + (1 + lo/2)
    pos = (1 - hi / 2) + (1 + lo / 2)
    return 2 * pos / 4   # the negative part is the mirror image


@pytest.mark.parametrize("lo,hi", [(F(-1), F(1)), (F(-1, 2), F(1, 3)), (F(-1, 5), F(1)), (F(-3, 4), F(1, 7))])
def test_area_matches_closed_form(lo, hi):
    H = [[lo], [hi], [(lo + hi) / 2]]
    assert area_fraction(l1_region(H)) == closed_form_relu_area(lo, hi)


def test_grid_count_converges_to_area():
    H = [[F(-1, 2)], [F(1, 3)], [F(1, 5)]]
    reg = l1_region(H)
    exact = area_fraction(reg)
    for steps in (10, 40, 80):
        g = grid_fraction(reg, 1, steps)
        # the boundary is 4 segments inside the square: at most ~ 4 * 2 * sqrt(2) * steps cells touch it
        assert abs(g - exact) <= F(12, steps)


def test_region_membership_is_exact():
    H = [[F(1), F(2)], [F(-1), F(1, 3)], [F(2), F(-1)]]
    reg = l1_region(H)
    rng = random.Random(0)
    for _ in range(200):
        w = [F(rng.randint(-20, 20), rng.randint(1, 5)) for _ in range(3)]
        t = [w[0] * h[0] + w[1] * h[1] + w[2] for h in H]
        assert reg.contains(w) == (all(x > 0 for x in t) or all(x < 0 for x in t))
    assert len(reg.pieces) == 2 and all(len(p.inequalities) == 3 for p in reg.pieces)


def test_more_data_nested_shrinks_monotonically():
    xs = [F(0), F(1, 2), F(-1, 2), F(3, 4), F(-3, 4), F(1), F(-1)]
    sets = [[[x] for x in xs[:k]] for k in range(1, len(xs) + 1)]
    res = check_more_data(sets, R=1)
    fr = [F(x) for x in res.data["fractions"]]
    assert res.holds is True and res.strength == "exact"
    assert fr[0] == 1 and fr[-1] == closed_form_relu_area(F(-1), F(1)) == F(1, 2)
    assert all(a >= b for a, b in zip(fr, fr[1:])) and fr[1] > fr[-1]
    # a point inside the hull of earlier data changes nothing (the region only sees the hull)
    assert fr[2] == closed_form_relu_area(F(-1, 2), F(1, 2))
    res2 = check_more_data([[[F(a, 3), F(b, 3)] for a, b in pts] for pts in
                            [list(itertools.islice(itertools.product(range(-2, 3), repeat=2), k)) for k in (1, 3, 8)]],
                           method="grid", steps=8)
    assert res2.holds is True


def test_not_nested_and_bad_input():
    with pytest.raises(InputError, match="nested"):
        check_more_data([[[F(1)]], [[F(2)]]])
    with pytest.raises(InputError, match="grid_fraction"):
        area_fraction(l1_region([[F(1), F(2)]]))
    with pytest.raises(LiftError, match="no linear piece"):
        l1_region([[F(1)]], "tanh")
    with pytest.raises(InputError, match="method"):
        check_more_data([[[F(1)]]], method="monte-carlo")


def test_nonzero_slope_pieces_only():
    reg = l1_region([[F(-1)], [F(1)]], nonzero_slope=True)
    assert [p.slope for p in reg.pieces] == [F(1)]
    assert area_fraction(reg) == F(1, 4)
