"""Exact linear algebra over the rationals: inertia, rank, kernel, negative directions.

Everything here is exact: entries are rational numbers and no step rounds.
Floats (Python ``float``, NumPy floats, SymPy ``Float``, mpmath ``mpf``, flint
``arb``, ``decimal.Decimal``) are refused with
:class:`~exactlift.errors.FloatInExactError`; floats only ever *propose* in
exactlift, they never decide.

Accepted matrices: a list (or tuple) of rows, a 2-d NumPy array (object or
integer dtype), a :class:`flint.fmpq_mat` / :class:`flint.fmpz_mat`, or a SymPy
``Matrix``.  Accepted entries: ``int`` (and NumPy integers), ``fractions.Fraction``,
``flint.fmpq``, ``flint.fmpz``, SymPy ``Integer``/``Rational`` (and any other
:class:`numbers.Rational`).

Two independent engines
-----------------------
*flint* (python-flint, a core dependency): ``fmpq_mat.charpoly`` for inertia
(with Descartes' rule of signs, exact because a real symmetric matrix has only
real eigenvalues), ``fmpq_mat.rank`` and ``fmpq_mat.rref`` for rank and kernel.

*pure* (standard library only): a fraction-free symmetric congruence
elimination (LDLᵀ with diagonal pivoting, Bareiss-style exact divisions on the
integer matrix obtained by clearing denominators) for inertia and for the
negative-direction witness, and fraction-free Gauss–Jordan elimination for
rank and kernel.

``method="auto"`` uses flint when it imports and the environment variable
``EXACTLIFT_PURE`` is not ``"1"``; otherwise the pure engine.  An explicit
``method=`` always wins over the environment variable.
"""

from __future__ import annotations

import math
import numbers
import os
import sys
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from exactlift.errors import ExactliftError, FloatInExactError, InputError

try:  # python-flint is a core dependency, but the pure engine must work without it.
    import flint as _flint
except ImportError:  # pragma: no cover - exercised only where flint is missing
    _flint = None

if TYPE_CHECKING:  # pragma: no cover
    import flint

__all__ = [
    "MatrixLike",
    "flint_available",
    "inertia",
    "kernel",
    "quadratic_form",
    "rref",
    "rank",
    "to_fmpq_mat",
    "to_fraction_matrix",
    "witness_negative_direction",
]

#: Anything the functions of this module accept as a matrix: a list/tuple of
#: rows, a 2-d NumPy array, a ``flint.fmpq_mat``/``fmpz_mat`` or a SymPy Matrix.
MatrixLike = Any

_INERTIA_METHODS = ("auto", "ldl", "charpoly")
_ENGINES = ("auto", "flint", "pure")


# ---------------------------------------------------------------------------
# engine selection
# ---------------------------------------------------------------------------


def flint_available() -> bool:
    """Whether python-flint imported (independently of ``EXACTLIFT_PURE``).

    >>> isinstance(flint_available(), bool)
    True
    """
    return _flint is not None


def _auto_uses_flint() -> bool:
    """``method="auto"`` picks flint iff it imports and ``EXACTLIFT_PURE`` is not ``"1"``."""
    return _flint is not None and os.environ.get("EXACTLIFT_PURE") != "1"


def _require_flint(what: str) -> None:
    if _flint is None:  # pragma: no cover - flint is installed in CI
        raise ExactliftError(f"{what} needs python-flint, which could not be imported")


def _engine(method: str, who: str) -> bool:
    """Resolve an engine name for rank/kernel/witness: True for flint, False for pure."""
    if method not in _ENGINES:
        raise InputError(
            f"{who}: unknown method {method!r}; choose one of {', '.join(map(repr, _ENGINES))}"
        )
    if method == "auto":
        return _auto_uses_flint()
    if method == "flint":
        _require_flint(f"{who}(method='flint')")
        return True
    return False


# ---------------------------------------------------------------------------
# input conversion and validation
# ---------------------------------------------------------------------------


def _float_error(who: str, i: int, j: int, x: object) -> FloatInExactError:
    return FloatInExactError(
        f"{who} needs exact rational entries; entry ({i}, {j}) is the float {x}"
    )


def _entry_to_fraction(x: object, i: int, j: int, who: str) -> Fraction:
    """Convert one matrix entry to a Fraction, refusing floats and non-rationals."""
    tx = type(x)
    if tx is int:
        return Fraction(x)
    if tx is Fraction:
        return x  # Fractions are immutable: sharing is safe
    if isinstance(x, float):  # also numpy.float64, a float subclass
        raise _float_error(who, i, j, x)
    if _flint is not None:
        if tx is _flint.fmpq:
            return Fraction(int(x.p), int(x.q))
        if tx is _flint.fmpz:
            return Fraction(int(x))
        if isinstance(x, (_flint.arb, _flint.arf)):
            raise _float_error(who, i, j, x)
    sympy = sys.modules.get("sympy")
    if sympy is not None and isinstance(x, sympy.Basic):
        if isinstance(x, sympy.Rational):  # includes Integer
            return Fraction(int(x.p), int(x.q))
        if isinstance(x, sympy.Float):
            raise _float_error(who, i, j, x)
        raise InputError(
            f"{who} needs exact rational entries; entry ({i}, {j}) is {x}, not a rational number"
        )
    if isinstance(x, numbers.Rational):  # bool, numpy integers, gmpy2.mpq, ...
        return Fraction(int(x.numerator), int(x.denominator))
    mpmath = sys.modules.get("mpmath")
    if mpmath is not None and isinstance(x, mpmath.mpf):
        raise _float_error(who, i, j, x)
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(x, numpy.floating):
        raise _float_error(who, i, j, x)
    decimal = sys.modules.get("decimal")
    if decimal is not None and isinstance(x, decimal.Decimal):
        raise _float_error(who, i, j, x)
    if isinstance(x, numbers.Real):  # any other real, non-rational number type is a float
        raise _float_error(who, i, j, x)
    raise InputError(
        f"{who} needs exact rational entries; entry ({i}, {j}) is {x!r} "
        f"of type {tx.__name__}, not a rational number"
    )


def _raw_rows(M: MatrixLike, who: str) -> tuple[int, int, list[Sequence[Any]]]:
    """Shape and rows (as sequences of raw entries) of any accepted matrix."""
    if _flint is not None and isinstance(M, (_flint.fmpq_mat, _flint.fmpz_mat)):
        r, c = M.nrows(), M.ncols()
        flat = M.entries()
        return r, c, [flat[k * c : (k + 1) * c] for k in range(r)]
    if isinstance(M, (str, bytes)):
        raise InputError(f"{who} needs a matrix; got the string {M!r}")
    shape = getattr(M, "shape", None)
    if shape is not None and hasattr(M, "tolist"):  # numpy arrays, sympy matrices
        shape = tuple(shape)
        if len(shape) != 2:
            raise InputError(f"{who} needs a 2-dimensional matrix; got an array of shape {shape}")
        r, c = int(shape[0]), int(shape[1])
        rows = M.tolist() if r and c else [[] for _ in range(r)]
        return r, c, rows
    if isinstance(M, (list, tuple)):
        rows = []
        for k, row in enumerate(M):
            if isinstance(row, (list, tuple)):
                rows.append(row)
            elif hasattr(row, "tolist") and getattr(row, "ndim", 1) == 1:
                rows.append(row.tolist())
            else:
                raise InputError(
                    f"{who} needs a matrix given as a list of rows; row {k} is {row!r}, "
                    "not a sequence of entries"
                )
        r = len(rows)
        c = len(rows[0]) if rows else 0
        for k, row in enumerate(rows):
            if len(row) != c:
                raise InputError(
                    f"{who} needs a rectangular matrix; row 0 has {c} entries "
                    f"but row {k} has {len(row)}"
                )
        return r, c, rows
    raise InputError(
        f"{who} needs a matrix (list of rows, numpy array, flint.fmpq_mat or sympy Matrix); "
        f"got {type(M).__name__}"
    )


def _fraction_rows(M: MatrixLike, who: str) -> tuple[int, int, list[list[Fraction]]]:
    """(nrows, ncols, rows of Fractions), with float refusal naming the entry."""
    r, c, rows = _raw_rows(M, who)
    if _flint is not None and isinstance(M, _flint.fmpq_mat):
        return r, c, [[Fraction(int(x.p), int(x.q)) for x in row] for row in rows]
    if _flint is not None and isinstance(M, _flint.fmpz_mat):
        return r, c, [[Fraction(int(x)) for x in row] for row in rows]
    out = [
        [_entry_to_fraction(x, i, j, who) for j, x in enumerate(row)] for i, row in enumerate(rows)
    ]
    return r, c, out


def _fmpq_from_rows(r: int, c: int, rows: list[list[Fraction]]) -> flint.fmpq_mat:
    fmpq = _flint.fmpq
    flat = [fmpq(x.numerator, x.denominator) for row in rows for x in row]
    return _flint.fmpq_mat(r, c, flat)


def _as_fmpq_mat(M: MatrixLike, who: str) -> flint.fmpq_mat:
    """An fmpq_mat for M (no copy if M already is one: it is only read)."""
    if isinstance(M, _flint.fmpq_mat):
        return M
    if isinstance(M, _flint.fmpz_mat):
        return _flint.fmpq_mat(M)
    r, c, rows = _fraction_rows(M, who)
    return _fmpq_from_rows(r, c, rows)


def to_fraction_matrix(M: MatrixLike) -> list[list[Fraction]]:
    """Convert an exact rational matrix to a list of rows of :class:`fractions.Fraction`.

    Accepts every matrix and entry type of this module; a float anywhere raises
    :class:`~exactlift.errors.FloatInExactError` naming the entry.

    >>> to_fraction_matrix([[1, Fraction(1, 2)], [0, -3]])
    [[Fraction(1, 1), Fraction(1, 2)], [Fraction(0, 1), Fraction(-3, 1)]]
    >>> to_fraction_matrix([[1, 0.5]])
    Traceback (most recent call last):
    ...
    exactlift.errors.FloatInExactError: to_fraction_matrix needs exact rational entries; entry (0, 1) is the float 0.5
    """
    return _fraction_rows(M, "to_fraction_matrix")[2]


def to_fmpq_mat(M: MatrixLike) -> flint.fmpq_mat:
    """Convert an exact rational matrix to a new :class:`flint.fmpq_mat` (float refusal as above).

    >>> print(to_fmpq_mat([[1, Fraction(1, 2)], [0, -3]]))
    [1, 1/2]
    [0,  -3]
    """
    _require_flint("to_fmpq_mat")
    if isinstance(M, (_flint.fmpq_mat, _flint.fmpz_mat)):
        return _flint.fmpq_mat(M)  # a copy: callers may mutate the result
    r, c, rows = _fraction_rows(M, "to_fmpq_mat")
    return _fmpq_from_rows(r, c, rows)


def _check_symmetric(r: int, c: int, rows: Sequence[Sequence[Any]], who: str) -> None:
    """Refuse a non-square or non-symmetric matrix, naming the first asymmetric entry."""
    if r != c:
        raise InputError(f"{who} needs a square matrix; got a {r}×{c} matrix")
    for i in range(r):
        row = rows[i]
        for j in range(i + 1, r):
            if row[j] != rows[j][i]:
                raise InputError(
                    f"{who} needs a symmetric matrix; entry ({i}, {j}) is {row[j]} "
                    f"but entry ({j}, {i}) is {rows[j][i]}"
                )


def _clear_denominators(rows: list[list[Fraction]]) -> tuple[list[list[int]], int]:
    """Integer matrix L*rows and the positive integer L (lcm of all denominators)."""
    lcm = 1
    for row in rows:
        for x in row:
            d = x.denominator
            if d != 1 and lcm % d:
                lcm = lcm * d // math.gcd(lcm, d)
    return [[x.numerator * (lcm // x.denominator) for x in row] for row in rows], lcm


# ---------------------------------------------------------------------------
# pure engine: symmetric fraction-free congruence elimination (LDL^T)
# ---------------------------------------------------------------------------


class _Elimination:
    """Outcome of :func:`_ldl_eliminate`.

    ``counts`` is (n_minus, n_zero, n_plus) when the elimination ran to the end.
    When stopped at the first negative pivot, ``negative`` is the original index
    p of that pivot, ``pivots`` the original indices already eliminated (in
    order) and ``ops`` the congruences (i, j, s): row/col i += s * row/col j,
    applied in order to the original matrix.
    """

    __slots__ = ("counts", "negative", "pivots", "ops")

    def __init__(self) -> None:
        self.counts: tuple[int, int, int] | None = None
        self.negative: int | None = None
        self.pivots: list[int] = []
        self.ops: list[tuple[int, int, int]] = []


def _ldl_eliminate(A: list[list[int]], stop_at_negative: bool = False) -> _Elimination:
    """Symmetric congruence elimination of the symmetric integer matrix A.

    Fraction-free (Bareiss) form of LDLᵀ with symmetric diagonal pivoting.
    Invariant: after k pivots with pivot block P (in the current, congruent
    matrix G), the stored integers are a_ij = det(G[P+i, P+j]) and
    ``dprev = det(G[P, P])``, so the Schur complement is S = a / dprev; its
    diagonal pivot S_pp = a_pp / dprev is the next D entry of G = L D Lᵀ.
    The exact division by ``dprev`` is Sylvester's determinant identity.

    Pivot choice: the non-zero diagonal entry of smallest bit size (to limit
    growth); with ``stop_at_negative``, a negative pivot is preferred and ends
    the elimination.  If every remaining diagonal entry is zero but some
    a_ij != 0, the congruence row/col i += s*row/col j (s = ±1, chosen so that
    the new S_ii = 2*s*S_ij is negative) creates a non-zero pivot; this keeps
    G an integer matrix and the minor invariant (minors are linear in a
    border row).  A remaining all-zero block contributes its size to n_zero.
    Sylvester's law of inertia makes the signs of the pivots the inertia.
    The rows are stored upper-triangularly: ``rows[k][t]`` is a_{k, k+t}.
    """
    out = _Elimination()
    m = len(A)
    rows = [list(A[k][k:]) for k in range(m)]
    ids = list(range(m))  # original index of current row k
    dprev = 1
    n_minus = n_plus = 0
    while m:
        dpos = dprev > 0
        # --- choose a pivot -------------------------------------------------
        best = None
        best_neg = None
        for k in range(m):
            d = rows[k][0]
            if d:
                size = abs(d).bit_length()
                if best is None or size < best[0]:
                    best = (size, k)
                if (d > 0) != dpos and (best_neg is None or size < best_neg[0]):
                    best_neg = (size, k)
        if stop_at_negative and best_neg is not None:
            best = best_neg
        if best is None:
            # zero diagonal: look for a non-zero off-diagonal entry
            found = None
            for k in range(m):
                rk = rows[k]
                for t in range(1, m - k):
                    if rk[t]:
                        found = (k, k + t)
                        break
                if found:
                    break
            if found is None:  # remaining block is zero
                break
            i, j = found
            aij = rows[i][j - i]
            s = -1 if (aij > 0) == dpos else 1  # new S_ii = 2 s S_ij < 0
            _congruence_add(rows, m, i, j, s)
            out.ops.append((ids[i], ids[j], s))
            best = (0, i)
        p = best[1]
        app = rows[p][0]
        negative = (app > 0) != dpos
        if negative:
            if stop_at_negative:
                out.negative = ids[p]
                return out
            n_minus += 1
        else:
            n_plus += 1
        out.pivots.append(ids[p])
        # --- eliminate p ----------------------------------------------------
        # column p without the pivot, in the new indexing
        c = [rows[k][p - k] for k in range(p)] + rows[p][1:]
        rp_removed = rows[:p] + rows[p + 1 :]
        new_rows = []
        for nk, rk in enumerate(rp_removed):
            if nk < p:
                rk = rk[: p - nk] + rk[p - nk + 1 :]
            ck = c[nk]
            tail = c[nk:]
            if dprev == 1:
                if ck:
                    new_rows.append([app * a - ck * b for a, b in zip(rk, tail)])
                else:
                    new_rows.append([app * a for a in rk])
            elif ck:
                new_rows.append([(app * a - ck * b) // dprev for a, b in zip(rk, tail)])
            else:
                new_rows.append([(app * a) // dprev for a in rk])
        rows = new_rows
        del ids[p]
        m -= 1
        dprev = app
    out.counts = (n_minus, len(A) - n_minus - n_plus, n_plus)
    return out


def _congruence_add(rows: list[list[int]], m: int, i: int, j: int, s: int) -> None:
    """In place on upper-triangular storage: row/col i += s * row/col j (i < j, a_ii = a_jj = 0)."""

    def get(a: int, b: int) -> int:
        return rows[a][b - a] if a <= b else rows[b][a - b]

    new = [get(i, t) + s * get(j, t) for t in range(m)]
    new[i] = get(i, i) + 2 * s * get(i, j) + get(j, j)
    for t in range(m):
        if t < i:
            rows[t][i - t] = new[t]
        else:
            rows[i][t - i] = new[t]


def _inertia_ldl(rows: list[list[Fraction]]) -> tuple[int, int, int]:
    A, _ = _clear_denominators(rows)
    counts = _ldl_eliminate(A).counts
    assert counts is not None
    return counts


# ---------------------------------------------------------------------------
# flint engine: characteristic polynomial + Descartes' rule of signs
# ---------------------------------------------------------------------------


def _sign_changes(coeffs: Sequence[Any]) -> int:
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
_PRIME = 2**61 - 1


def _descartes_inertia(M: Any) -> tuple[int, int, int]:
    """Inertia of a symmetric flint matrix from its characteristic polynomial (all roots real)."""
    n = M.nrows()
    coeffs = M.charpoly().coeffs()  # ascending: c_0 + c_1 x + ... + x^n
    n_zero = next(k for k, x in enumerate(coeffs) if x != 0)
    q = coeffs[n_zero:]
    n_plus = _sign_changes(q)
    n_minus = _sign_changes([x if k % 2 == 0 else -x for k, x in enumerate(q)])
    if n_minus + n_zero + n_plus != n:  # impossible for a real symmetric matrix
        raise AssertionError(
            f"Descartes count {(n_minus, n_zero, n_plus)} does not add up to {n}: "
            "the matrix is not symmetric?"
        )
    return n_minus, n_zero, n_plus


def _inertia_charpoly(Mq: Any) -> tuple[int, int, int]:
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
    Hm = _flint.nmod_mat(n, n, [int(x) % _PRIME for x in num.entries()], _PRIME)
    R, r = Hm.rref()
    if r == n:
        return _descartes_inertia(num)
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
    K = _flint.fmpz_mat(r, r, [num[i, j] for i in piv for j in piv])
    Kr = _flint.fmpz_mat(r, len(rest), [num[i, j] for i in piv for j in rest])
    Rr = _flint.fmpq_mat(_flint.fmpz_mat(len(rest), len(rest), [num[i, j] for i in rest for j in rest]))
    S = Rr - _flint.fmpq_mat(Kr.transpose()) * K.solve(Kr) if r else Rr
    if r == 0 or any(x != 0 for x in S.entries()):  # pragma: no cover - an unlucky prime
        return _descartes_inertia(Mq)
    n_minus, n_zero, n_plus = _descartes_inertia(K)
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
      exactly (see ``_inertia_charpoly``): much faster for the large kernels
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
    if method not in _INERTIA_METHODS:
        raise InputError(
            f"inertia: unknown method {method!r}; "
            f"choose one of {', '.join(map(repr, _INERTIA_METHODS))}"
        )
    use_charpoly = method == "charpoly" or (method == "auto" and _auto_uses_flint())
    if use_charpoly:
        _require_flint("inertia(method='charpoly')")
        Mq = _as_fmpq_mat(H, "inertia")
        n, c = Mq.nrows(), Mq.ncols()
        flat = Mq.entries()
        _check_symmetric(n, c, [flat[k * c : (k + 1) * c] for k in range(n)], "inertia")
        if n == 0:
            return (0, 0, 0)
        return _inertia_charpoly(Mq)
    n, c, rows = _fraction_rows(H, "inertia")
    _check_symmetric(n, c, rows, "inertia")
    return _inertia_ldl(rows)


# ---------------------------------------------------------------------------
# public: negative direction witness
# ---------------------------------------------------------------------------


def quadratic_form(v: Sequence[Any], H: MatrixLike) -> Fraction:
    """vᵀ H v exactly, for an exact vector and matrix (floats refused).

    >>> quadratic_form([1, -1], [[2, 1], [1, 2]])
    Fraction(2, 1)
    """
    _, _, rows = _fraction_rows(H, "quadratic_form")
    vec = [_entry_to_fraction(x, 0, i, "quadratic_form") for i, x in enumerate(v)]
    if len(vec) != len(rows):
        raise InputError(f"quadratic_form: the vector has {len(vec)} entries, the matrix {len(rows)} rows")
    return _quadratic_form(vec, rows)


def _quadratic_form(v: Sequence[Fraction], rows: list[list[Fraction]]) -> Fraction:
    total = Fraction(0)
    for i, vi in enumerate(v):
        if vi:
            total += vi * sum((x * vj for x, vj in zip(rows[i], v) if vj), Fraction(0))
    return total


def _solve_int_square(G: list[list[int]], b: list[int], use_flint: bool) -> list[Fraction]:
    """Solve G x = b for a non-singular square integer G, exactly."""
    k = len(G)
    if k == 0:
        return []
    if use_flint:
        Gq = _flint.fmpq_mat(k, k, [x for row in G for x in row])
        bq = _flint.fmpq_mat(k, 1, list(b))
        x = Gq.solve(bq).entries()
        return [Fraction(int(e.p), int(e.q)) for e in x]
    aug = [row[:] + [bi] for row, bi in zip(G, b)]
    den, pivots = _rref_den_int(aug)
    if pivots != list(range(k)):  # pragma: no cover - G is a non-singular pivot block
        raise AssertionError("pivot block of the LDL elimination is singular")
    return [Fraction(aug[r][k], den) for r in range(k)]


def witness_negative_direction(H: MatrixLike, method: str = "auto") -> list[Fraction] | None:
    """An exact vector v with vᵀ H v < 0, or None when H is positive semi-definite.

    Constructive: the symmetric congruence elimination of :func:`inertia`
    (``method="ldl"``) is run until the first negative pivot d of the Schur
    complement after eliminating a pivot set K (in a matrix G = U H Uᵀ, U the
    unimodular congruences used for zero diagonals); then
    w = (-G_KK⁻¹ G_Kp, 1) has wᵀ G w = d < 0 and v = Uᵀ w.  The linear solve
    uses python-flint (``method="flint"``) or fraction-free Gauss–Jordan
    (``method="pure"``); ``"auto"`` follows :func:`inertia`'s rule.  The
    result is scaled to a primitive integer vector (entries are Fractions
    with denominator 1) and vᵀ H v < 0 is checked exactly before returning
    (an ``AssertionError`` would signal a bug, never a wrong answer).

    >>> witness_negative_direction([[1, 2], [2, 1]])
    [Fraction(-2, 1), Fraction(1, 1)]
    >>> witness_negative_direction([[1, 0], [0, 0]]) is None
    True
    """
    use_flint = _engine(method, "witness_negative_direction")
    n, c, rows = _fraction_rows(H, "witness_negative_direction")
    _check_symmetric(n, c, rows, "witness_negative_direction")
    A, _ = _clear_denominators(rows)
    elim = _ldl_eliminate(A, stop_at_negative=True)
    if elim.negative is None:
        return None
    # G = U A U^T with the recorded congruences (only rows/cols never used as pivots)
    G = [row[:] for row in A]
    for i, j, s in elim.ops:
        Gi, Gj = G[i], G[j]
        for t in range(n):
            Gi[t] += s * Gj[t]
        for row in G:
            row[i] += s * row[j]
    K, p = elim.pivots, elim.negative
    x = _solve_int_square([[G[a][b] for b in K] for a in K], [G[a][p] for a in K], use_flint)
    w = [Fraction(0)] * n
    for a, xa in zip(K, x):
        w[a] = -xa
    w[p] = Fraction(1)
    for i, j, s in reversed(elim.ops):  # v = E_1^T ... E_m^T w, E = I + s e_i e_j^T
        w[j] += s * w[i]
    # primitive integer vector (a positive rescaling keeps the sign of v^T H v)
    den = 1
    for e in w:
        den = den * e.denominator // math.gcd(den, e.denominator)
    ints = [int(e * den) for e in w]
    g = 0
    for e in ints:
        g = math.gcd(g, e)
    v = [Fraction(e // g) for e in ints]
    q = _quadratic_form(v, rows)
    if not q < 0:
        raise AssertionError(f"internal error: witness gives v^T H v = {q}, not < 0")
    return v


# ---------------------------------------------------------------------------
# rank and kernel
# ---------------------------------------------------------------------------


def _rref_den_int(a: list[list[int]]) -> tuple[int, list[int]]:
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


def _pure_rref(rows: list[list[Fraction]]) -> tuple[list[list[Fraction]], list[int]]:
    """RREF (rows with a pivot only) and pivot columns, pure Python."""
    A, _ = _clear_denominators(rows)  # scaling all rows keeps the RREF
    den, pivots = _rref_den_int(A)
    return [[Fraction(x, den) for x in A[r]] for r in range(len(pivots))], pivots


def _flint_rref(Mq: Any) -> tuple[list[list[Fraction]], list[int]]:
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


def _kernel_from_rref(R: list[list[Fraction]], pivots: list[int], ncols: int) -> list[list[Fraction]]:
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
    if _engine(method, "rank"):
        Mq = _as_fmpq_mat(M, "rank")
        if Mq.nrows() == 0 or Mq.ncols() == 0:
            return 0
        return int(Mq.rank())
    _, _, rows = _fraction_rows(M, "rank")
    if not rows or not rows[0]:
        return 0
    A, _ = _clear_denominators(rows)
    return len(_rref_den_int(A)[1])


def rref(M: MatrixLike, method: str = "auto") -> tuple[list[list[Fraction]], list[int]]:
    """The non-zero rows of the reduced row echelon form of M, and its pivot columns (exact).

    >>> rref([[2, 4], [1, 3]])
    ([[Fraction(1, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 1)]], [0, 1])
    """
    if _engine(method, "rref"):
        return _flint_rref(_as_fmpq_mat(M, "rref"))
    _, c, rows = _fraction_rows(M, "rref")
    if not rows or c == 0:
        return [], []
    return _pure_rref(rows)


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
    if _engine(method, "kernel"):
        Mq = _as_fmpq_mat(M, "kernel")
        R, pivots = _flint_rref(Mq)
        return _kernel_from_rref(R, pivots, Mq.ncols())
    _, c, rows = _fraction_rows(M, "kernel")
    if not rows or c == 0:
        R, pivots = [], []
    else:
        R, pivots = _pure_rref(rows)
    return _kernel_from_rref(R, pivots, c)
