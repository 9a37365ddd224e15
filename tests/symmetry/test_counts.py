"""Closed forms G, T_single, T_groups against independent data and alternative formulas."""

from __future__ import annotations

import math

import pytest
import sympy
from sympy.functions.combinatorial.numbers import stirling as sympy_stirling

from exactlift.errors import InputError
from exactlift.symmetry import counts as C
from exactlift.symmetry.counts import (
    bell,
    bell_explicit,
    count,
    count_G,
    count_T_groups,
    count_T_groups_bell,
    count_T_groups_blocks,
    count_T_single,
    count_T_single_sum,
    is_paper_value,
    stirling2,
    stirling2_explicit,
)

# docs/symmetry.md small-value tables (independent data, typed in from Şimşek et al., arXiv 2105.12221).
SPEC_TABLES = {
    "G": {1: (1, [1, 1, 1, 1]), 2: (2, [2, 6, 14, 30]), 3: (3, [6, 36, 150, 540])},
    "T_single": {1: (1, [1, 3, 7, 15]), 2: (2, [2, 12, 50, 180]), 3: (3, [6, 60, 390, 2100])},
    "T_groups": {1: (1, [1, 3, 10, 37]), 2: (2, [2, 12, 62, 320]), 3: (3, [6, 60, 450, 3120])},
}


@pytest.mark.parametrize("quantity", list(SPEC_TABLES))
def test_spec_small_value_tables(quantity: str) -> None:
    for r, (m0, values) in SPEC_TABLES[quantity].items():
        got = [count(quantity, r, m) for m in range(m0, m0 + len(values))]
        assert got == values, (quantity, r)


def test_stirling_and_bell_against_sympy_and_recurrence() -> None:
    # recurrence S(n+1, k) = k S(n, k) + S(n, k-1), built here from scratch
    table = [[1]]
    for n in range(1, 40):
        prev = table[-1] + [0]
        table.append([0] + [k * prev[k] + prev[k - 1] for k in range(1, n + 1)])
        table[-1] = [1 if n == 0 else 0] + table[-1][1:]
    for n in range(0, 40):
        for k in range(0, n + 1):
            assert stirling2(n, k) == stirling2_explicit(n, k) == table[n][k] == int(sympy_stirling(n, k))
        assert bell(n) == bell_explicit(n) == sum(table[n]) == int(sympy.bell(n))
    assert stirling2(3, 5) == 0 == stirling2_explicit(3, 5)


def test_T_single_two_formulas() -> None:
    for m in range(1, 25):
        for r in range(1, m + 1):
            assert count_T_single(r, m) == count_T_single_sum(r, m)


def test_T_groups_two_formulas_and_routes() -> None:
    for m in range(1, 22):
        for r in range(1, m + 1):
            ref = count_T_groups_blocks(r, m)
            assert ref == count_T_groups_bell(r, m)
            for route in ("charlier", "direct", "row"):
                assert C._count_T_groups_route(r, m, route) == ref, (r, m, route)
            assert count_T_groups(r, m) == ref


def test_T_groups_routes_agree_at_larger_m() -> None:
    for r, m in [(5, 300), (25, 300), (150, 300), (290, 300)]:
        vals = {route: C._count_T_groups_route(r, m, route) for route in ("charlier", "direct", "row")}
        assert len(set(vals.values())) == 1, (r, m)


def test_readings_agree_for_h_at_most_one_and_differ_from_two() -> None:
    for r in range(1, 31):
        assert count_T_single(r, r) == count_T_groups(r, r) == math.factorial(r)
        expected = math.factorial(r + 1) * (r + 2) // 2
        assert count_T_single(r, r + 1) == count_T_groups(r, r + 1) == expected
        assert count_T_groups(r, r + 2) > count_T_single(r, r + 2)
        assert is_paper_value("T_single", r, r + 1) and not is_paper_value("T_groups", r, r + 2)


def test_G_is_surjection_count() -> None:
    # r! S(m, r) = number of surjections [m] -> [r], by inclusion-exclusion
    for m in range(1, 15):
        for r in range(1, m + 1):
            surj = sum((-1) ** i * math.comb(r, i) * (r - i) ** m for i in range(r + 1))
            assert count_G(r, m) == surj


def test_large_m_closed_forms_exact_ints() -> None:
    m = 2000
    for r in (1, 3, 7, 1998, 2000):
        for q in ("G", "T_single", "T_groups"):
            v = count(q, r, m)
            assert type(v) is int and v > 0
    # an identity the routes do not use directly: T_groups(1, m) = Bell(m+1) - Bell(m) = sum_k k S(m, k)
    assert count_T_groups(1, 400) == bell_explicit(401) - bell_explicit(400)
    assert count_T_groups(400, 400) == math.factorial(400)
    # T_single(m-1, m) = m!(m+1)/2 for large m as well
    assert count_T_single(m - 1, m) == math.factorial(m) * (m + 1) // 2


@pytest.mark.parametrize(
    "r, m, message",
    [(5, 3, "need 1 <= r <= m, got r=5, m=3"), (0, 3, "r=0"), (2.0, 3, "integer"), (True, 3, "integer"), (1, "4", "integer")],
)
def test_domain_errors(r: object, m: object, message: str) -> None:
    for q in ("G", "T_single", "T_groups"):
        with pytest.raises(InputError, match=message.replace("(", r"\(")):
            count(q, r, m)  # type: ignore[arg-type]


def test_unknown_quantity() -> None:
    with pytest.raises(InputError, match="unknown quantity"):
        count("T", 1, 2)
