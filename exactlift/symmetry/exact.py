"""Affine systems ``A θ = b`` over the rationals, on top of the core exact linear algebra.

The symmetry package decides dimensions and intersections of affine subspaces
by exact rank computations.  The work is done by :mod:`exactlift.arith.linalg`;
this module adds the explicit column count (a system may have no equations),
consistency and particular solutions.  Two engines, chosen by ``backend``:

* ``"flint"`` (default): ``flint.fmpq_mat.rank`` / ``rref`` (python-flint is a
  core dependency);
* ``"fraction"``: the core's pure-Python elimination, used as a fallback and
  as an independent cross-check in tests.

Entries must be exact rationals (``int``, :class:`~fractions.Fraction`, SymPy
``Rational``, ``flint.fmpq``); a float is refused with
:class:`~exactlift.errors.FloatInExactError`.

>>> rank([[1, 2], [2, 4]], 2)
1
>>> is_consistent([[1, 1], [1, 1]], [1, 2], 2)
False
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from exactlift.arith import linalg
from exactlift.arith.contexts import parse_rational
from exactlift.errors import InputError

__all__ = [
    "as_fraction",
    "rank",
    "rref",
    "nullspace",
    "is_consistent",
    "particular_solution",
]

BACKENDS = ("flint", "fraction")


def as_fraction(x: Any, where: str = "value") -> Fraction:
    """Convert an exact rational to :class:`Fraction`; refuse floats by name (the core's reader).

    >>> as_fraction("3/4")
    Fraction(3, 4)
    """
    return parse_rational(x, where)


def _method(backend: str) -> str:
    if backend not in BACKENDS:
        raise InputError(f"unknown linear-algebra backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    return "flint" if backend == "flint" and linalg.flint_available() else "pure"


def _rows(A: Sequence[Sequence[Any]], ncols: int) -> list[list[Fraction]]:
    out = []
    for i, row in enumerate(A):
        if len(row) != ncols:
            raise InputError(f"row {i} has {len(row)} entries, expected {ncols}")
        out.append([as_fraction(x, f"entry ({i}, {j})") for j, x in enumerate(row)])
    return out


def rref(A: Sequence[Sequence[Any]], ncols: int, backend: str = "flint") -> tuple[list[list[Fraction]], list[int]]:
    """Non-zero rows of the reduced row echelon form of ``A`` and the pivot columns.

    >>> rref([[2, 4], [1, 3]], 2)
    ([[Fraction(1, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 1)]], [0, 1])
    """
    rows = _rows(A, ncols)
    if not rows or ncols == 0:
        return [], []
    return linalg.rref(rows, _method(backend))


def rank(A: Sequence[Sequence[Any]], ncols: int, backend: str = "flint") -> int:
    """Exact rank of the matrix with rows ``A`` (``ncols`` columns)."""
    rows = _rows(A, ncols)
    if not rows or ncols == 0:
        return 0
    return linalg.rank(rows, _method(backend))


def is_consistent(A: Sequence[Sequence[Any]], b: Sequence[Any], ncols: int, backend: str = "flint") -> bool:
    """Whether ``A θ = b`` has a solution: rank A == rank [A | b] (exact)."""
    if len(b) != len(A):
        raise InputError(f"right-hand side has {len(b)} entries for {len(A)} equations")
    aug = [list(row) + [bi] for row, bi in zip(A, b)]
    return rank(A, ncols, backend) == rank(aug, ncols + 1, backend)


def particular_solution(
    A: Sequence[Sequence[Any]], b: Sequence[Any], ncols: int, backend: str = "flint"
) -> list[Fraction] | None:
    """One exact solution of ``A θ = b`` (free variables 0), or ``None`` if inconsistent."""
    if len(b) != len(A):
        raise InputError(f"right-hand side has {len(b)} entries for {len(A)} equations")
    rows = _rows(A, ncols)
    if not rows:
        return [Fraction(0)] * ncols
    return linalg.particular_solution(rows, [as_fraction(bi, f"rhs {i}") for i, bi in enumerate(b)], _method(backend))


def nullspace(A: Sequence[Sequence[Any]], ncols: int, backend: str = "flint") -> list[list[Fraction]]:
    """A basis of {θ : A θ = 0} (one vector per free column of the RREF)."""
    rows = _rows(A, ncols)
    if not rows:
        return [[Fraction(int(i == j)) for j in range(ncols)] for i in range(ncols)]
    return linalg.kernel(rows, _method(backend))
