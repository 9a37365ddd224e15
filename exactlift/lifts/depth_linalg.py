"""Exact inertia of large, very singular Hessians (lifted critical points).

A lifted critical point has a Hessian with a huge kernel (T3: n₀ grows by
P_deep − P_shallow), and the characteristic polynomial of the full matrix is
then needlessly expensive.  :func:`reduced_inertia` is exact and uses:

1. a *proposal* of r linearly independent columns K of H: the pivot columns
   of H modulo a 61-bit prime (``flint.nmod_mat.rref``).  Independence mod p
   implies the principal block H_KK is non-singular over Q.
2. an exact *proof* that rank H = r: with X = H_KK⁻¹ H_KR (R the other
   indices) the Schur complement H_RR − H_RK X must vanish exactly.  Then
   H = Cᵀ H_KK C with C = [I | X] (rows K, columns K ∪ R), so by Sylvester's
   law inertia(H) = inertia(H_KK) + (0, n − r, 0).
3. the exact inertia of the non-singular H_KK (scaled to integers) from the
   characteristic polynomial of an ``fmpz_mat`` and Descartes' rule of signs
   (faster than the ``fmpq_mat`` charpoly on these matrices).

If step 2 fails (an unlucky prime) or python-flint is unavailable, the core
``inertia`` of the whole matrix is returned: the answer is always exact.

>>> reduced_inertia([[1, 1, 0], [1, 1, 0], [0, 0, -2]])
(1, 1, 1)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from exactlift.arith.contexts import parse_rational
from exactlift.arith.linalg import inertia as core_inertia
from exactlift.arith.linalg import to_fraction_matrix
from exactlift.errors import InputError

try:
    import flint as _flint
except ImportError:  # pragma: no cover
    _flint = None

__all__ = ["reduced_inertia", "descartes_inertia", "quadratic_form", "PRIME"]

#: The prime used to propose pivot columns.
PRIME = 2**61 - 1


def _fmpq_matrix(H: Any) -> Any:
    if isinstance(H, _flint.fmpq_mat):
        return H
    if hasattr(H, "ravel") and getattr(H, "ndim", 0) == 2:
        flat = list(H.ravel())
        if all(type(x) is _flint.fmpq for x in flat):  # the exact context's scalars: no conversion
            return _flint.fmpq_mat(H.shape[0], H.shape[1], flat)
    rows = to_fraction_matrix(H)
    n = len(rows)
    m = len(rows[0]) if rows else 0
    return _flint.fmpq_mat(n, m, [_flint.fmpq(x.numerator, x.denominator) for r in rows for x in r])


def _sign_changes(coeffs: list[Any]) -> int:
    changes, last = 0, 0
    for x in coeffs:
        if x != 0:
            sgn = 1 if x > 0 else -1
            if last and sgn != last:
                changes += 1
            last = sgn
    return changes


def descartes_inertia(M: Any) -> tuple[int, int, int]:
    """Inertia of a symmetric integer or rational flint matrix from its characteristic polynomial.

    Exact: every root is real, so Descartes' rule of signs counts the
    positive roots of p(x) and of p(−x) exactly.

    >>> import flint
    >>> descartes_inertia(flint.fmpz_mat([[2, 1], [1, -3]]))
    (1, 0, 1)
    """
    n = M.nrows()
    coeffs = M.charpoly().coeffs()
    n_zero = next(k for k, x in enumerate(coeffs) if x != 0)
    q = coeffs[n_zero:]
    n_plus = _sign_changes(q)
    n_minus = _sign_changes([x if k % 2 == 0 else -x for k, x in enumerate(q)])
    if n_minus + n_zero + n_plus != n:  # pragma: no cover - impossible for a symmetric matrix
        raise AssertionError("Descartes count does not add up: the matrix is not symmetric")
    return n_minus, n_zero, n_plus


def reduced_inertia(H: Any) -> tuple[int, int, int]:
    """Exact inertia (n₋, n₀, n₊) of a symmetric rational matrix (see the module docstring)."""
    if _flint is None:  # pragma: no cover - flint is a core dependency
        return core_inertia(H)
    Hq = _fmpq_matrix(H)
    n = Hq.nrows()
    if n == 0:
        return (0, 0, 0)
    if Hq.ncols() != n or Hq != Hq.transpose():
        raise InputError(f"reduced_inertia needs a symmetric square matrix, got {n} x {Hq.ncols()} (or not symmetric)")
    num, _ = Hq.numer_denom()  # H = num / den with den > 0: same inertia as num
    Hm = _flint.nmod_mat(n, n, [int(x) % PRIME for x in num.entries()], PRIME)
    R, r = Hm.rref()
    if r == 0:
        if all(x == 0 for x in num.entries()):
            return (0, n, 0)
        return core_inertia(Hq)  # pragma: no cover - needs an unlucky prime
    ent = R.entries()
    piv: list[int] = []
    row = 0
    for j in range(n):
        if row < r and int(ent[row * n + j]) != 0:
            piv.append(j)
            row += 1
    pset = set(piv)
    rest = [j for j in range(n) if j not in pset]
    K = _flint.fmpz_mat(r, r, [num[i, j] for i in piv for j in piv])
    if rest:
        Kr = _flint.fmpz_mat(r, len(rest), [num[i, j] for i in piv for j in rest])
        Rr = _flint.fmpq_mat(_flint.fmpz_mat(len(rest), len(rest), [num[i, j] for i in rest for j in rest]))
        X = K.solve(Kr)  # K is non-singular: it is non-singular modulo p
        S = Rr - _flint.fmpq_mat(Kr.transpose()) * X
        if any(x != 0 for x in S.entries()):  # pragma: no cover - needs an unlucky prime
            return core_inertia(Hq)
    n_minus, n_zero, n_plus = descartes_inertia(K)
    assert n_zero == 0, "internal error: the pivot block must be non-singular"
    return (n_minus, n - r, n_plus)


def quadratic_form(v: list[Fraction], H: Any) -> Fraction:
    """vᵀ H v exactly (H a matrix of exact rationals)."""
    rows = H.tolist() if hasattr(H, "tolist") else H
    total = Fraction(0)
    for i, vi in enumerate(v):
        if vi:
            total += Fraction(vi) * sum((parse_rational(x) * Fraction(vj) for x, vj in zip(rows[i], v) if vj), Fraction(0))
    return total
