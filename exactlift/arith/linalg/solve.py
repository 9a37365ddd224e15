"""Rational linear systems: products, inverse, solve, consistency, particular solutions, column space.

The general algorithms behind the affine systems A θ = b of the symmetry
theory (``exactlift.symmetry.exact``): every answer is exact.

>>> solve([[2, 0], [0, 4]], [1, 1])
[Fraction(1, 2), Fraction(1, 4)]
>>> is_consistent([[1, 1], [1, 1]], [1, 2])
False
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from exactlift.arith.linalg.convert import MatrixLike, entry_to_fraction, fraction_rows
from exactlift.arith.linalg.rank import rank
from exactlift.arith.linalg.rref import rref
from exactlift.errors import InputError

__all__ = [
    "column_space",
    "inverse",
    "is_consistent",
    "matmul",
    "particular_solution",
    "solve",
    "transpose",
]


def transpose(A: Sequence[Sequence[Fraction]]) -> list[list[Fraction]]:
    """The transpose of a list of rows.

    >>> transpose([[1, 2]])
    [[1], [2]]
    """
    return [list(col) for col in zip(*A)]


def matmul(A: Sequence[Sequence[Fraction]], B: Sequence[Sequence[Fraction]]) -> list[list[Fraction]]:
    """The exact product A B of two lists of rows.

    >>> matmul([[1, 2]], [[3], [4]])
    [[Fraction(11, 1)]]
    """
    Bt = list(zip(*B))
    return [[sum((a * b for a, b in zip(row, col)), Fraction(0)) for col in Bt] for row in A]


def _augmented(A: MatrixLike, b: Sequence[Any], who: str) -> tuple[int, list[list[Fraction]]]:
    m, n, rows = fraction_rows(A, who)
    if len(b) != m:
        raise InputError(f"{who}: right-hand side has {len(b)} entries for {m} equations")
    rhs = [entry_to_fraction(x, i, 0, who) for i, x in enumerate(b)]
    return n, [row + [bi] for row, bi in zip(rows, rhs)]


def particular_solution(A: MatrixLike, b: Sequence[Any], method: str = "auto") -> list[Fraction] | None:
    """One exact solution of A x = b (free variables 0), or None if the system is inconsistent.

    >>> particular_solution([[1, 1]], [2])
    [Fraction(2, 1), Fraction(0, 1)]
    >>> particular_solution([[0, 0]], [1]) is None
    True
    """
    n, aug = _augmented(A, b, "particular_solution")
    if not aug:
        return [Fraction(0)] * n
    R, pivots = rref(aug, method)
    if n in pivots:
        return None
    x = [Fraction(0)] * n
    for row, p in zip(R, pivots):
        x[p] = row[n]
    return x


def is_consistent(A: MatrixLike, b: Sequence[Any], method: str = "auto") -> bool:
    """Whether A x = b has a solution (rank A == rank [A | b], exactly).

    >>> is_consistent([[1, 2], [2, 4]], [1, 2])
    True
    """
    return particular_solution(A, b, method) is not None


def solve(A: MatrixLike, b: Sequence[Any], method: str = "auto") -> list[Fraction]:
    """The unique exact solution of A x = b; InputError if it is not unique or does not exist.

    >>> solve([[1, 1], [1, -1]], [2, 0])
    [Fraction(1, 1), Fraction(1, 1)]
    """
    n, aug = _augmented(A, b, "solve")
    x = particular_solution(A, b, method)
    if x is None:
        raise InputError("solve: the system is inconsistent")
    if n and (not aug or rank([row[:n] for row in aug], method) != n):
        raise InputError("solve: the solution is not unique (the matrix has a non-trivial kernel)")
    return x


def inverse(A: MatrixLike, method: str = "auto") -> list[list[Fraction]]:
    """The exact inverse of a non-singular square rational matrix (InputError otherwise).

    >>> inverse([[2, 0], [0, 4]])
    [[Fraction(1, 2), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 4)]]
    """
    m, n, rows = fraction_rows(A, "inverse")
    if m != n:
        raise InputError(f"inverse needs a square matrix; got a {m}×{n} matrix")
    if n == 0:
        return []
    aug = [row + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(rows)]
    R, pivots = rref(aug, method)
    if pivots[:n] != list(range(n)) or len(pivots) < n or pivots[n - 1] >= n:
        raise InputError("inverse: the matrix is singular")
    return [row[n:] for row in R]


def column_space(M: MatrixLike, method: str = "auto") -> list[list[Fraction]]:
    """A basis of the column space of M: its pivot columns (as vectors).

    >>> column_space([[1, 2, 3], [2, 4, 7]])
    [[Fraction(1, 1), Fraction(2, 1)], [Fraction(3, 1), Fraction(7, 1)]]
    """
    _, _, rows = fraction_rows(M, "column_space")
    if not rows or not rows[0]:
        return []
    _, pivots = rref(rows, method)
    return [[row[p] for row in rows] for p in pivots]
