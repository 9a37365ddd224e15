"""Rank and kernel (right null space) of a rational matrix, read off the RREF."""

from __future__ import annotations

from fractions import Fraction

from exactlift.arith.linalg.convert import MatrixLike, as_fmpq_mat, clear_denominators, fraction_rows
from exactlift.arith.linalg.engine import choose_engine
from exactlift.arith.linalg.rref import flint_rref, pure_rref, rref_den_int
from exactlift.errors import validated


def kernel_from_rref(R: list[list[Fraction]], pivots: list[int], ncols: int) -> list[list[Fraction]]:
    pivot_set = set(pivots)
    basis = []
    for f in range(ncols):
        if f in pivot_set:
            continue
        v = [Fraction(0)] * ncols
        v[f] = Fraction(1)
        for row, pc in zip(R, pivots):
            if row[f]:
                v[pc] = -row[f]
        basis.append(v)
    return basis


@validated
def rank(M: MatrixLike, method: str = "auto") -> int:
    """Exact rank of a rectangular rational matrix.

    ``method="flint"`` uses ``fmpq_mat.rank``; ``method="pure"`` fraction-free
    Gaussian elimination; ``"auto"`` picks flint unless ``EXACTLIFT_PURE=1``.
    Floats are refused with :class:`~exactlift.errors.FloatInExactError`.

    >>> rank([[1, 2, 3], [2, 4, 6]])
    1
    >>> rank([[1, 2], [3, 4]], method="pure")
    2
    """
    if choose_engine(method, "rank"):
        Mq = as_fmpq_mat(M, "rank")
        if Mq.nrows() == 0 or Mq.ncols() == 0:
            return 0
        return int(Mq.rank())
    _, _, rows = fraction_rows(M, "rank")
    if not rows or not rows[0]:
        return 0
    A, _ = clear_denominators(rows)
    return len(rref_den_int(A)[1])


@validated
def kernel(M: MatrixLike, method: str = "auto") -> list[list[Fraction]]:
    """Exact basis of the right null space {v : M v = 0} of a rational matrix.

    The basis is the canonical one read off the reduced row echelon form: one
    vector per non-pivot column f, with 1 at position f, 0 at the other free
    positions.  Both engines (``"flint"`` via ``fmpq_mat.rref``, ``"pure"``
    via fraction-free Gauss–Jordan) therefore return identical lists.
    ``len(kernel(M)) + rank(M)`` is the number of columns.

    >>> kernel([[1, 2, 3], [2, 4, 6]])
    [[Fraction(-2, 1), Fraction(1, 1), Fraction(0, 1)], [Fraction(-3, 1), Fraction(0, 1), Fraction(1, 1)]]
    >>> kernel([[1, 0], [0, 1]])
    []
    """
    if choose_engine(method, "kernel"):
        Mq = as_fmpq_mat(M, "kernel")
        R, pivots = flint_rref(Mq)
        return kernel_from_rref(R, pivots, Mq.ncols())
    _, c, rows = fraction_rows(M, "kernel")
    if not rows or c == 0:
        R, pivots = [], []
    else:
        R, pivots = pure_rref(rows)
    return kernel_from_rref(R, pivots, c)
