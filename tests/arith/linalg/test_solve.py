"""solve / inverse / particular_solution / is_consistent / column_space, checked by substitution,
and against the symmetry theory's affine-system helpers."""

from __future__ import annotations

import random
from fractions import Fraction as F

import pytest

from exactlift.arith import linalg
from exactlift.errors import InputError
from exactlift.symmetry import exact as sym


def rand_rows(rng: random.Random, m: int, n: int) -> list[list[F]]:
    return [[F(rng.randint(-2, 2), rng.randint(1, 2)) for _ in range(n)] for _ in range(m)]


def apply(A: list[list[F]], x: list[F]) -> list[F]:
    return [sum((a * b for a, b in zip(row, x)), F(0)) for row in A]


def test_against_symmetry_helpers() -> None:
    rng = random.Random(3)
    for _ in range(60):
        m, n = rng.randint(1, 4), rng.randint(1, 4)
        A = rand_rows(rng, m, n)
        b = [F(rng.randint(-3, 3)) for _ in range(m)]
        x = linalg.particular_solution(A, b)
        assert (x is not None) == sym.is_consistent(A, b, n) == linalg.is_consistent(A, b)
        assert x == sym.particular_solution(A, b, n)
        if x is not None:
            assert apply(A, x) == b
        assert linalg.rank(A) == sym.rank(A, n)
        assert linalg.nullspace(A) == sym.nullspace(A, n)
        assert linalg.rref(A) == sym.rref(A, n)
        cols = linalg.column_space(A)
        assert len(cols) == linalg.rank(A)


def test_inverse_and_solve() -> None:
    rng = random.Random(5)
    for _ in range(30):
        n = rng.randint(1, 4)
        A = rand_rows(rng, n, n)
        if linalg.rank(A) < n:
            with pytest.raises(InputError):
                linalg.inverse(A)
            continue
        Ainv = linalg.inverse(A)
        eye = [[F(int(i == j)) for j in range(n)] for i in range(n)]
        assert linalg.matmul(A, Ainv) == eye == linalg.matmul(Ainv, A)
        b = [F(rng.randint(-3, 3)) for _ in range(n)]
        assert apply(A, linalg.solve(A, b)) == b
    with pytest.raises(InputError):
        linalg.solve([[1, 1]], [1])
    with pytest.raises(InputError):
        linalg.solve([[0]], [1])
