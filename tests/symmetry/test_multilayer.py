"""Multi-layer: the product formula Π r_l! against an enumeration of permutations."""

from __future__ import annotations

import itertools
import math

import pytest
import sympy

from exactlift.errors import InputError
from exactlift.symmetry.multilayer import (
    _output_exprs,
    check_multilayer_minima,
    count_multilayer_minima,
    default_deep_teacher,
    enumerate_permuted_minima,
)


@pytest.mark.parametrize("widths", [[1], [2], [3], [4], [2, 2], [2, 3], [3, 2], [2, 2, 2], [3, 3], [1, 3, 2]])
def test_product_formula_equals_enumeration_of_distinct_points(widths: list[int]) -> None:
    rep = check_multilayer_minima(widths, d=2, d_out=1, symbolic=sum(widths) <= 6)
    assert rep["product_formula"] == math.prod(math.factorial(w) for w in widths)
    assert rep["enumerated"] == rep["distinct_points"] == rep["product_formula"]
    if sum(widths) <= 6:
        assert rep["all_implement_teacher"] is True


def test_vector_output_and_input() -> None:
    rep = check_multilayer_minima([2, 2], d=3, d_out=2)
    assert rep["agree"] and rep["all_implement_teacher"]


def test_a_wrong_permutation_changes_the_function() -> None:
    """Negative control: permuting rows of W1 without the columns of W2 breaks the function."""
    Ws = default_deep_teacher([2, 2], d=1, d_out=1, seed=0)
    sigma = sympy.Function("sigma")
    xs = sympy.symbols("x0:1")
    target = _output_exprs(Ws, xs, sigma)
    wrong = [list(reversed(Ws[0])), Ws[1], Ws[2]]
    assert sympy.expand(_output_exprs(wrong, xs, sigma)[0] - target[0]) != 0


def test_enumeration_yields_every_tuple_of_permutations_once() -> None:
    Ws = default_deep_teacher([2, 3])
    perms = [p for p, _ in enumerate_permuted_minima(Ws)]
    assert len(perms) == len(set(perms)) == count_multilayer_minima([2, 3]) == 12
    assert set(perms) == set(itertools.product(itertools.permutations(range(2)), itertools.permutations(range(3))))


def test_errors() -> None:
    with pytest.raises(InputError):
        count_multilayer_minima([])
    with pytest.raises(InputError, match="at least 1"):
        count_multilayer_minima([2, 0])
    with pytest.raises(InputError, match="too many"):
        check_multilayer_minima([6, 6])
