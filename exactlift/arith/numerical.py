"""Numerical (mp) inertia: symmetric Bunch–Kaufman elimination in mpmath.

Used by ``analyze --arithmetic mp``.  This *finds* an inertia at high
precision; it does not prove one (results are labelled ``numerical``).  By
Sylvester's law of inertia the counts of a congruence LDLᵀ with 1×1 and 2×2
pivots equal those of the eigenvalues; the elimination costs about n³/3
multiplications (mpmath's ``eigsy`` is about 10× slower).  A column whose
entries all fall below ``tol · max(1, max|H|)`` counts as a zero eigenvalue.

>>> import mpmath, numpy as np
>>> H = np.array([[mpmath.mpf(0), mpmath.mpf(1)], [mpmath.mpf(1), mpmath.mpf(0)]], dtype=object)
>>> mp_inertia(H, mpmath.mpf(10) ** -30)
(1, 0, 1)
"""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np

_ALPHA = (1 + mpmath.sqrt(17)) / 8  # Bunch–Kaufman growth bound


def _swap(A: np.ndarray, i: int, j: int) -> None:
    """Symmetric permutation exchanging indices i and j."""
    if i != j:
        A[[i, j], :] = A[[j, i], :]
        A[:, [i, j]] = A[:, [j, i]]


def mp_inertia(H: np.ndarray, tol: Any) -> tuple[int, int, int]:
    """(n₋, n₀, n₊) of a symmetric matrix of mpf numbers (numerical; see the module docstring)."""
    A = np.array(H, dtype=object, copy=True)
    n = A.shape[0]
    if n == 0:
        return (0, 0, 0)
    scale = max(mpmath.mpf(1), max(abs(v) for v in A.ravel()))
    eps = tol * scale
    neg = pos = 0
    while A.shape[0]:
        m = A.shape[0]
        col = [abs(v) for v in A[1:, 0]]
        lam = max(col) if col else mpmath.mpf(0)
        a00 = abs(A[0, 0])
        if lam <= eps and a00 <= eps:
            A = A[1:, 1:]  # a numerically zero row and column
            continue
        size = 1
        if a00 < _ALPHA * lam:
            r = 1 + col.index(lam)
            sigma = max(abs(A[j, r]) for j in range(m) if j != r)
            if a00 * sigma >= _ALPHA * lam * lam:
                pass
            elif abs(A[r, r]) >= _ALPHA * sigma:
                _swap(A, 0, r)
            else:
                _swap(A, 1, r)
                size = 2
        if size == 1:
            piv = A[0, 0]
            neg, pos = (neg + 1, pos) if piv < 0 else (neg, pos + 1)
            c = A[1:, 0]
            A = A[1:, 1:] - np.multiply.outer(c, c / piv)
        else:
            a, b, d = A[0, 0], A[0, 1], A[1, 1]
            det = a * d - b * b
            # det < 0 by the pivot choice: one eigenvalue of each sign in the block
            neg, pos = neg + 1, pos + 1
            ci, cj = A[2:, 0], A[2:, 1]
            wi = (ci * d - cj * b) / det
            wj = (cj * a - ci * b) / det
            A = A[2:, 2:] - (np.multiply.outer(ci, wi) + np.multiply.outer(cj, wj))
    return (neg, n - neg - pos, pos)
