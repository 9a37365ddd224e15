"""Inertia by a pivoted symmetric congruence (Bunch–Kaufman), for mp and ball arithmetic.

By Sylvester's law of inertia, the signs of the 1×1 and 2×2 pivots of a
congruence LDLᵀ give the inertia; the elimination costs about n³/3
multiplications (mpmath's ``eigsy`` is several times slower).  One routine
serves two contexts, which differ only in how they decide a sign:

* ``mp`` (:func:`mp_inertia`): a pivot or remaining column below
  ``tol · max(1, max|H|)`` counts as zero.  Numerical: it finds, not proves.
* ``certified`` (:func:`ball_inertia`): every pivot's sign must be decided by
  its ball (excluding 0), a 2×2 pivot's determinant must be certainly
  negative, and only columns of *exact* zeros count as zero; otherwise the
  answer is ``None`` (undecided).  A returned inertia is proved.

>>> import mpmath, numpy as np
>>> H = np.array([[mpmath.mpf(0), mpmath.mpf(1)], [mpmath.mpf(1), mpmath.mpf(0)]], dtype=object)
>>> mp_inertia(H, mpmath.mpf(10) ** -30)
(1, 0, 1)
"""

from __future__ import annotations

from typing import Any, Callable

import mpmath
import numpy as np

from exactlift.errors import UndecidedError

_ALPHA = float((1 + mpmath.sqrt(17)) / 8)  # Bunch–Kaufman growth bound


def ball_sign(x: Any, where: str = "") -> int:
    """The sign of an ``arb`` ball: decided when the ball excludes 0 or is exactly 0.

    Raises :class:`UndecidedError` otherwise.
    """
    if x.is_zero():
        return 0
    if x > 0:
        return 1
    if x < 0:
        return -1
    raise UndecidedError(f"the sign of {x} is not decided {where} (the ball contains 0)".replace("  ", " "))


def _swap(A: np.ndarray, i: int, j: int) -> None:
    """Symmetric permutation exchanging indices i and j."""
    if i != j:
        A[[i, j], :] = A[[j, i], :]
        A[:, [i, j]] = A[:, [j, i]]


def pivoted_inertia(
    H: np.ndarray,
    size: Callable[[Any], float],
    sign: Callable[[Any], int],
    negligible: Callable[[Any], bool],
) -> tuple[int, int, int]:
    """Bunch–Kaufman inertia with context-given ``size`` (pivot choice), ``sign`` and ``negligible``.

    ``sign`` may raise :class:`UndecidedError`, which propagates.
    """
    A = np.array(H, dtype=object, copy=True)
    n = A.shape[0]
    neg = pos = 0
    while A.shape[0]:
        m = A.shape[0]
        if all(negligible(v) for v in A[:, 0]):
            A = A[1:, 1:]  # a zero row and column
            continue
        col = [size(v) for v in A[1:, 0]]
        lam = max(col) if col else 0.0
        a00 = size(A[0, 0])
        block = 1
        if a00 < _ALPHA * lam:
            r = 1 + col.index(lam)
            sigma = max(size(A[j, r]) for j in range(m) if j != r)
            if a00 * sigma >= _ALPHA * lam * lam:
                pass
            elif size(A[r, r]) >= _ALPHA * sigma:
                _swap(A, 0, r)
            else:
                _swap(A, 1, r)
                block = 2
        if block == 1:
            piv = A[0, 0]
            s = sign(piv)
            if s == 0:
                raise UndecidedError("a pivot is zero although its column is not")
            neg, pos = (neg + 1, pos) if s < 0 else (neg, pos + 1)
            c = A[1:, 0]
            A = A[1:, 1:] - np.multiply.outer(c, c / piv)
        else:
            a, b, d = A[0, 0], A[0, 1], A[1, 1]
            det = a * d - b * b
            if sign(det) >= 0:
                raise UndecidedError("a 2x2 pivot's determinant is not certainly negative")
            neg, pos = neg + 1, pos + 1  # det < 0: one eigenvalue of each sign
            ci, cj = A[2:, 0], A[2:, 1]
            wi = (ci * d - cj * b) / det
            wj = (cj * a - ci * b) / det
            A = A[2:, 2:] - (np.multiply.outer(ci, wi) + np.multiply.outer(cj, wj))
    return (neg, n - neg - pos, pos)


def mp_inertia(H: np.ndarray, tol: Any) -> tuple[int, int, int]:
    """(n₋, n₀, n₊) of a symmetric mpf matrix, |entries| ≤ tol·max(1, max|H|) counted as zero (numerical)."""
    if H.shape[0] == 0:
        return (0, 0, 0)
    eps = tol * max(mpmath.mpf(1), max(abs(v) for v in np.asarray(H).ravel()))

    def sign(x: Any) -> int:
        return 0 if abs(x) <= eps else (1 if x > 0 else -1)

    return pivoted_inertia(H, size=lambda x: abs(x), sign=sign, negligible=lambda x: abs(x) <= eps)


def ball_inertia(H: np.ndarray) -> tuple[int, int, int] | None:
    """Certified (n₋, n₀, n₊) of a symmetric matrix of ``flint.arb`` balls, or None if undecided.

    >>> import flint, numpy as np
    >>> H = np.array([[flint.arb(2), flint.arb(1) / 3], [flint.arb(1) / 3, flint.arb(0)]], dtype=object)
    >>> ball_inertia(H)
    (1, 0, 1)
    """

    try:
        return pivoted_inertia(H, size=lambda x: float(abs(x.mid())), sign=ball_sign, negligible=lambda x: x.is_zero())
    except UndecidedError:
        return None
