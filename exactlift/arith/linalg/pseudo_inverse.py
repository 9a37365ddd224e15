"""Exact Moore–Penrose pseudo-inverse of a rational matrix (rank factorization).

With M = F G (F: the pivot columns of M, G: the non-zero rows of its reduced
row echelon form, both of full rank r), M⁺ = Gᵀ (G Gᵀ)⁻¹ (Fᵀ F)⁻¹ Fᵀ.  The four
Penrose identities M M⁺ M = M, M⁺ M M⁺ = M⁺, (M M⁺)ᵀ = M M⁺, (M⁺ M)ᵀ = M⁺ M
hold exactly.  Same signature and result as the private copy that
``exactlift.lifts.depth.pseudo_inverse`` carried (which used SymPy).
"""

from __future__ import annotations

from fractions import Fraction

from exactlift.arith.linalg.convert import MatrixLike, fraction_rows
from exactlift.arith.linalg.solve import inverse, matmul, transpose
from exactlift.arith.linalg.rref import rref

__all__ = ["pseudo_inverse"]


def pseudo_inverse(M: MatrixLike, method: str = "auto") -> list[list[Fraction]]:
    """Exact Moore–Penrose pseudo-inverse (n×m for an m×n matrix M).

    >>> pseudo_inverse([[1, 1], [1, 1]])
    [[Fraction(1, 4), Fraction(1, 4)], [Fraction(1, 4), Fraction(1, 4)]]
    >>> pseudo_inverse([[2, 0], [0, 0]])
    [[Fraction(1, 2), Fraction(0, 1)], [Fraction(0, 1), Fraction(0, 1)]]
    """
    m, n, rows = fraction_rows(M, "pseudo_inverse")
    zero = [[Fraction(0)] * m for _ in range(n)]
    if m == 0 or n == 0:
        return zero
    G, pivots = rref(rows, method)
    if not pivots:
        return zero
    F = [[row[p] for p in pivots] for row in rows]
    Gt, Ft = transpose(G), transpose(F)
    left = matmul(Gt, inverse(matmul(G, Gt), method))
    right = matmul(inverse(matmul(Ft, F), method), Ft)
    return matmul(left, right)
