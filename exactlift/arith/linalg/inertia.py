"""Exact inertia of a symmetric rational matrix: charpoly + Descartes (flint) or LDLᵀ (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from exactlift.arith.linalg import engine
from exactlift.arith.linalg.convert import MatrixLike, as_fmpq_mat, check_symmetric, fraction_rows
from exactlift.arith.linalg.engine import INERTIA_METHODS, auto_uses_flint, require_flint
from exactlift.arith.linalg.ldl import inertia_ldl
from exactlift.errors import InputError


# ---------------------------------------------------------------------------
# flint engine: characteristic polynomial + Descartes' rule of signs
# ---------------------------------------------------------------------------


def sign_changes(coeffs: Sequence[Any]) -> int:
    changes = 0
    last = 0
    for x in coeffs:
        if x != 0:
            sgn = 1 if x > 0 else -1
            if last and sgn != last:
                changes += 1
            last = sgn
    return changes


#: The prime used to *propose* pivot columns (the proposal is then proved exactly).
PRIME = 2**61 - 1


def descartes_inertia(M: Any) -> tuple[int, int, int]:
    """Inertia of a symmetric flint matrix from its characteristic polynomial (all roots real)."""
    n = M.nrows()
    coeffs = M.charpoly().coeffs()  # ascending: c_0 + c_1 x + ... + x^n
    n_zero = next(k for k, x in enumerate(coeffs) if x != 0)
    q = coeffs[n_zero:]
    n_plus = sign_changes(q)
    n_minus = sign_changes([x if k % 2 == 0 else -x for k, x in enumerate(q)])
    if n_minus + n_zero + n_plus != n:  # impossible for a real symmetric matrix
        raise AssertionError(
            f"Descartes count {(n_minus, n_zero, n_plus)} does not add up to {n}: "
            "the matrix is not symmetric?"
        )
    return n_minus, n_zero, n_plus


def inertia_charpoly(Mq: Any) -> tuple[int, int, int]:
    """Exact inertia via a proved rank reduction, then the charpoly of a non-singular block.

    Embedded critical points have Hessians with large kernels, where the
    characteristic polynomial of the whole matrix is needlessly expensive.

    1. *Propose* r independent columns K: the pivot columns of H modulo a
       61-bit prime (independence mod p implies H_KK is non-singular over Q).
    2. *Prove* rank H = r exactly: with X = H_KK⁻¹ H_KR the Schur complement
       H_RR − H_RK X must vanish.  Then H = Cᵀ H_KK C with C = [I | X], so by
       Sylvester's law inertia(H) = inertia(H_KK) + (0, n − r, 0).
    3. The inertia of H_KK (scaled to integers) from its characteristic
       polynomial and Descartes' rule of signs.

    An unlucky prime (step 2 fails) falls back to the charpoly of the whole
    matrix: the answer is always exact.
    """
    n = Mq.nrows()
    num, _ = Mq.numer_denom()  # H = num / den, den > 0: same inertia as num
    Hm = engine.FLINT.nmod_mat(n, n, [int(x) % PRIME for x in num.entries()], PRIME)
    R, r = Hm.rref()
    if r == n:
        return descartes_inertia(num)
    if r == 0 and all(x == 0 for x in num.entries()):
        return (0, n, 0)
    ent = R.entries()
    piv: list[int] = []
    row = 0
    for j in range(n):
        if row < r and int(ent[row * n + j]) != 0:
            piv.append(j)
            row += 1
    pset = set(piv)
    rest = [j for j in range(n) if j not in pset]
    K = engine.FLINT.fmpz_mat(r, r, [num[i, j] for i in piv for j in piv])
    Kr = engine.FLINT.fmpz_mat(r, len(rest), [num[i, j] for i in piv for j in rest])
    Rr = engine.FLINT.fmpq_mat(engine.FLINT.fmpz_mat(len(rest), len(rest), [num[i, j] for i in rest for j in rest]))
    S = Rr - engine.FLINT.fmpq_mat(Kr.transpose()) * K.solve(Kr) if r else Rr
    if r == 0 or any(x != 0 for x in S.entries()):  # pragma: no cover - an unlucky prime
        return descartes_inertia(Mq)
    n_minus, n_zero, n_plus = descartes_inertia(K)
    if n_zero:  # pragma: no cover - K is non-singular modulo p, hence over Q
        raise AssertionError("internal error: the pivot block must be non-singular")
    return (n_minus, n - r, n_plus)


# ---------------------------------------------------------------------------
# public: inertia
# ---------------------------------------------------------------------------


def inertia(H: MatrixLike, method: str = "auto") -> tuple[int, int, int]:
    """Exact inertia ``(n_minus, n_zero, n_plus)`` of a symmetric rational matrix.

    ``n_minus``/``n_zero``/``n_plus`` count the negative, zero and positive
    eigenvalues (with multiplicity), computed without any eigenvalue:

    * ``method="charpoly"``: the characteristic polynomial p (python-flint,
      exact) and Descartes' rule of signs, exact here because every root is
      real: n_zero is the multiplicity of the root 0, n_plus the sign changes
      of p(x)/x^n_zero, n_minus those of p(-x)/x^n_zero.  A singular matrix
      is first reduced to a non-singular principal block whose rank is proved
      exactly (see ``inertia_charpoly``): much faster for the large kernels
      of embedded critical points.
    * ``method="ldl"``: pure-Python congruence elimination H = L D Lᵀ with
      symmetric pivoting (fraction-free, exact); by Sylvester's law of
      inertia the signs of D are the inertia.
    * ``method="auto"`` (default): charpoly when python-flint imports and
      ``EXACTLIFT_PURE`` is not ``"1"``, else ldl.

    Raises :class:`~exactlift.errors.FloatInExactError` for a float entry and
    :class:`~exactlift.errors.InputError` for a non-square or non-symmetric
    matrix (naming the first asymmetric entry).  A 0×0 matrix has inertia
    (0, 0, 0).

    >>> inertia([[2, 1], [1, 2]])
    (0, 0, 2)
    >>> inertia([[0, 1], [1, 0]], method="ldl")
    (1, 0, 1)
    >>> inertia([[1, Fraction(1, 2), 0], [Fraction(1, 2), Fraction(1, 4), 0], [0, 0, -3]])
    (1, 1, 1)
    """
    if method not in INERTIA_METHODS:
        raise InputError(
            f"inertia: unknown method {method!r}; "
            f"choose one of {', '.join(map(repr, INERTIA_METHODS))}"
        )
    use_charpoly = method == "charpoly" or (method == "auto" and auto_uses_flint())
    if use_charpoly:
        require_flint("inertia(method='charpoly')")
        Mq = as_fmpq_mat(H, "inertia")
        n, c = Mq.nrows(), Mq.ncols()
        flat = Mq.entries()
        check_symmetric(n, c, [flat[k * c : (k + 1) * c] for k in range(n)], "inertia")
        if n == 0:
            return (0, 0, 0)
        return inertia_charpoly(Mq)
    n, c, rows = fraction_rows(H, "inertia")
    check_symmetric(n, c, rows, "inertia")
    return inertia_ldl(rows)


