"""Reduced row echelon form over the rationals (fraction-free Gauss–Jordan or flint)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from exactlift.arith.linalg.convert import MatrixLike, as_fmpq_mat, clear_denominators, fraction_rows
from exactlift.arith.linalg.engine import choose_engine


def rref_den_int(a: list[list[int]]) -> tuple[int, list[int]]:
    """Fraction-free Gauss–Jordan on an integer matrix, in place.

    On return ``a / den`` is the reduced row echelon form and ``pivots`` its
    pivot columns (FFGJ of Nakos, Turner & Williams 1997, adapted to missing
    pivots as in SymPy's ``ddm_irref_den``).  Every division is exact: the
    entries are minors of the input.
    """
    m = len(a)
    if not m:
        return 1, []
    n = len(a[0])
    d = 1  # the previous pivot value: every entry is a multiple of it times a minor
    pivots: list[int] = []
    no_pivots: list[int] = []
    i = 0
    for j in range(n):
        if i >= m:
            break
        aij = a[i][j]
        if not aij:
            for ip in range(i + 1, m):
                if a[ip][j]:
                    a[i], a[ip] = a[ip], a[i]
                    aij = a[i][j]
                    break
            else:
                no_pivots.append(j)
                continue
        # previous pivot rows: their pivots become aij*d_old/d_old ... = current value
        if pivots:
            pv = aij * a[0][pivots[0]] // d
            for ip, jp in enumerate(pivots):
                a[ip][jp] = pv
        for jn in no_pivots:
            for ip in range(i):
                v = a[ip][jn]
                if v:
                    a[ip][jn] = v * aij // d
        ai = a[i]
        right = ai[j + 1 :]
        for jp in range(m):
            if jp == i:
                continue
            aj = a[jp]
            u = aj[j]
            if u:
                aj[j + 1 :] = [(aij * x - u * y) // d for x, y in zip(aj[j + 1 :], right)]
            elif aij != d:
                aj[j + 1 :] = [aij * x // d for x in aj[j + 1 :]]
            aj[j] = 0
        pivots.append(j)
        i += 1
        d = aij
    if not pivots:
        return 1, []
    # columns to the right of the last pivot that never saw a pivot are fine;
    # normalise the denominator to the common pivot value
    return a[0][pivots[0]], pivots


def pure_rref(rows: list[list[Fraction]]) -> tuple[list[list[Fraction]], list[int]]:
    """RREF (rows with a pivot only) and pivot columns, pure Python."""
    A, _ = clear_denominators(rows)  # scaling all rows keeps the RREF
    den, pivots = rref_den_int(A)
    return [[Fraction(x, den) for x in A[r]] for r in range(len(pivots))], pivots


def flint_rref(Mq: Any) -> tuple[list[list[Fraction]], list[int]]:
    r, c = Mq.nrows(), Mq.ncols()
    if r == 0 or c == 0:
        return [], []
    R, rk = Mq.rref()
    flat = R.entries()
    out: list[list[Fraction]] = []
    pivots: list[int] = []
    for k in range(rk):
        row = [Fraction(int(x.p), int(x.q)) for x in flat[k * c : (k + 1) * c]]
        pivots.append(next(j for j, x in enumerate(row) if x))
        out.append(row)
    return out, pivots


def rref(M: MatrixLike, method: str = "auto") -> tuple[list[list[Fraction]], list[int]]:
    """The non-zero rows of the reduced row echelon form of M, and its pivot columns (exact).

    >>> rref([[2, 4], [1, 3]])
    ([[Fraction(1, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 1)]], [0, 1])
    """
    if choose_engine(method, "rref"):
        return flint_rref(as_fmpq_mat(M, "rref"))
    _, c, rows = fraction_rows(M, "rref")
    if not rows or c == 0:
        return [], []
    return pure_rref(rows)

