"""pseudo_inverse: the four Penrose identities exactly, and agreement with SymPy's own pinv (an independent algorithm)."""

from __future__ import annotations

import random
from fractions import Fraction as F

from exactlift.arith.linalg import matmul, pseudo_inverse, transpose
import sympy


def rand_matrix(rng: random.Random, m: int, n: int, r: int) -> list[list[F]]:
    """A random m×n rational matrix of rank at most r (a product of random factors)."""
    A = [[F(rng.randint(-3, 3), rng.randint(1, 3)) for _ in range(r)] for _ in range(m)]
    B = [[F(rng.randint(-3, 3), rng.randint(1, 3)) for _ in range(n)] for _ in range(r)]
    if r == 0:
        return [[F(0)] * n for _ in range(m)]
    return matmul(A, B)


def test_penrose_identities_and_sympy_pinv() -> None:
    rng = random.Random(9)
    for _ in range(40):
        m, n = rng.randint(1, 5), rng.randint(1, 5)
        M = rand_matrix(rng, m, n, rng.randint(0, min(m, n)))
        P = pseudo_inverse(M)
        assert len(P) == n and all(len(row) == m for row in P)
        assert matmul(matmul(M, P), M) == M
        assert matmul(matmul(P, M), P) == P
        MP, PM = matmul(M, P), matmul(P, M)
        assert transpose(MP) == MP and transpose(PM) == PM
        ref = sympy.Matrix([[sympy.Rational(x.numerator, x.denominator) for x in row] for row in M]).pinv()
        assert P == [[F(int(ref[i, j].p), int(ref[i, j].q)) for j in range(m)] for i in range(n)]
        assert pseudo_inverse(M, method="pure") == P


def test_empty_and_zero() -> None:
    assert pseudo_inverse([[0, 0, 0]]) == [[F(0)], [F(0)], [F(0)]]
    assert pseudo_inverse([[2]]) == [[F(1, 2)]]
