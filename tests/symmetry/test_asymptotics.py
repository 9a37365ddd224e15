"""Exact ratio G(r*-1, m)/T(r*, m), crossover width, the plot."""

from __future__ import annotations

import sys
from fractions import Fraction

import pytest

from exactlift.errors import ExactliftError, InputError
from exactlift.symmetry.asymptotics import (
    _tail_start,
    count_ratio,
    crossover_table,
    crossover_width,
    plot_counts,
    ratio_series,
)
from exactlift.symmetry.counts import count_T_groups_blocks, count_T_single_sum, stirling2_explicit
from math import factorial


def _ratio_reference(r: int, h: int, reading: str) -> Fraction:
    m = r + h
    G = factorial(r - 1) * stirling2_explicit(m, r - 1)
    T = count_T_single_sum(r, m) if reading == "single" else count_T_groups_blocks(r, m)
    return Fraction(G, T)


def test_ratio_against_reference_formulas_and_spec_tables() -> None:
    for r in range(2, 7):
        for h in range(0, 12):
            for reading in ("single", "groups"):
                assert count_ratio(r, h, reading) == _ratio_reference(r, h, reading)
    # published tables: G(2, 3..5) = 6, 14, 30 over T_single(3, 3..5) = 6, 60, 390
    assert ratio_series(3, 2) == [Fraction(6, 6), Fraction(14, 60), Fraction(30, 390)]
    assert count_ratio(3, 2, "groups") == Fraction(30, 450)


@pytest.mark.parametrize("reading", ["single", "groups"])
def test_crossover_brute_force_window(reading: str) -> None:
    for r in range(2, 31):
        c = crossover_width(r, reading)
        if c.h_star > 0:
            assert count_ratio(r, c.h_star - 1, reading) >= 1
        # well beyond the proved tail start, checked directly
        for h in range(c.h_star, c.tail_m0 - r + 40):
            assert count_ratio(r, h, reading) < 1, (r, h)
        assert c.first_below <= c.h_star


def test_tail_bound_implies_ratio_below_one() -> None:
    # the inequality used for the infinite tail, checked against the true counts
    for r in range(2, 20):
        m0 = _tail_start(r)
        for m in range(m0, m0 + 30):
            assert (r - 1) ** m + r ** (m + 1) < (r + 1) ** m
            assert (r + 1) ** m - r ** (m + 1) <= count_T_single_sum(r, m)
            assert factorial(r - 1) * stirling2_explicit(m, r - 1) <= (r - 1) ** m


def test_crossover_table_up_to_50() -> None:
    tab = crossover_table(50)
    assert [row["r_star"] for row in tab] == list(range(2, 51))
    for row in tab:
        # T_groups >= T_single, so the groups crossover is never later
        assert row["h_star_groups"] <= row["h_star_single"]
    hs = [row["h_star_single"] for row in tab]
    assert hs == sorted(hs)  # observed: non-decreasing in r*
    assert tab[0]["h_star_single"] == 0 and tab[1]["h_star_single"] == 1  # r* = 2: 1/2 at h=0; r* = 3: ratio 1 at h=0


def test_ratio_domain_errors() -> None:
    with pytest.raises(InputError, match="r\\* >= 2"):
        count_ratio(1, 3)
    with pytest.raises(InputError, match="h = m - r\\* must be >= 0"):
        count_ratio(3, -1)
    with pytest.raises(InputError, match="reading"):
        crossover_width(3, "pairs")


def test_plot_file_is_written(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "counts.png"
    data = plot_counts(str(out), r_values=(2, 5), h_max=15, r_max=12)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert data["crossovers"]["single"][5] == crossover_width(5).h_star


def test_plot_without_matplotlib_says_so(monkeypatch, tmp_path) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ExactliftError, match="matplotlib"):
        plot_counts(str(tmp_path / "x.png"))


def test_plot_shows_the_region_near_one(tmp_path) -> None:
    """The default ratio panel covers h = 0..8 (where ρ crosses 1 for r* ≤ 20), each ratio exact."""
    pytest.importorskip("matplotlib")
    from exactlift.symmetry import count_G, count_T_single

    data = plot_counts(str(tmp_path / "c.png"), r_values=(3, 20), r_max=10)
    ratios = data["ratios"]["20/single"]
    assert len(ratios) == 9
    assert [Fraction(q) for q in ratios] == [Fraction(count_G(19, 20 + h), count_T_single(20, 20 + h)) for h in range(9)]
    assert all(isinstance(h, int) for h in data["crossovers"]["single"].values())
