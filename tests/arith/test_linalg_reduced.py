"""The flint inertia path on singular matrices (modular pivots + exact Schur proof + integer charpoly) vs the pure LDL engine."""

from __future__ import annotations

import random
from fractions import Fraction as F

import pytest

from exactlift.arith.linalg import inertia
from exactlift.errors import InputError
from exactlift.arith.linalg import quadratic_form


def low_rank_symmetric(n: int, r: int, seed: int):
    """Sum of r signed rank-one terms s_k v_k v_k^T with small rational v_k."""
    rng = random.Random(seed)
    H = [[F(0)] * n for _ in range(n)]
    for _ in range(r):
        v = [F(rng.randint(-5, 5), rng.randint(1, 4)) for _ in range(n)]
        s = rng.choice([-1, 1, 2, F(-1, 3)])
        for i in range(n):
            for j in range(n):
                H[i][j] += s * v[i] * v[j]
    return H


@pytest.mark.parametrize("n,r,seed", [(6, 2, 0), (10, 4, 1), (12, 12, 2), (15, 7, 3), (20, 0, 4), (8, 3, 5)])
def test_against_pure_ldl(n, r, seed):
    H = low_rank_symmetric(n, r, seed)
    assert inertia(H, method="charpoly") == inertia(H, method="ldl")


def test_zero_and_errors():
    assert inertia([[0, 0], [0, 0]]) == (0, 2, 0)
    assert inertia([[5]]) == (0, 0, 1) and inertia([[0]]) == (0, 1, 0)
    with pytest.raises(InputError, match="symmetric"):
        inertia([[1, 2], [3, 4]])


def test_quadratic_form():
    assert inertia([[0, 1], [1, 0]], method="charpoly") == (1, 0, 1)
    assert quadratic_form([F(1), F(-1)], [[2, 1], [1, 2]]) == 2
