"""Input handling: accepted matrices and entries, Fraction and fmpq_mat conversion, float refusal."""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from exactlift.arith.linalg import engine
from exactlift.arith.linalg.engine import require_flint
from exactlift.errors import FloatInExactError, InputError

if TYPE_CHECKING:  # pragma: no cover
    import flint

#: Anything the functions of this module accept as a matrix: a list/tuple of
#: rows, a 2-d NumPy array, a ``flint.fmpq_mat``/``fmpz_mat`` or a SymPy Matrix.
MatrixLike = Any

# ---------------------------------------------------------------------------
# input conversion and validation
# ---------------------------------------------------------------------------


def float_error(who: str, i: int, j: int, x: object) -> FloatInExactError:
    return FloatInExactError(
        f"{who} needs exact rational entries; entry ({i}, {j}) is the float {x}"
    )


def entry_to_fraction(x: object, i: int, j: int, who: str) -> Fraction:
    """Convert one matrix entry to a Fraction, refusing floats and non-rationals."""
    tx = type(x)
    if tx is int:
        return Fraction(x)
    if tx is Fraction:
        return x  # Fractions are immutable: sharing is safe
    if isinstance(x, float):  # also numpy.float64, a float subclass
        raise float_error(who, i, j, x)
    if engine.FLINT is not None:
        if tx is engine.FLINT.fmpq:
            return Fraction(int(x.p), int(x.q))
        if tx is engine.FLINT.fmpz:
            return Fraction(int(x))
        if isinstance(x, (engine.FLINT.arb, engine.FLINT.arf)):
            raise float_error(who, i, j, x)
    sympy = sys.modules.get("sympy")
    if sympy is not None and isinstance(x, sympy.Basic):
        if isinstance(x, sympy.Rational):  # includes Integer
            return Fraction(int(x.p), int(x.q))
        if isinstance(x, sympy.Float):
            raise float_error(who, i, j, x)
        raise InputError(
            f"{who} needs exact rational entries; entry ({i}, {j}) is {x}, not a rational number"
        )
    if isinstance(x, numbers.Rational):  # bool, numpy integers, gmpy2.mpq, ...
        return Fraction(int(x.numerator), int(x.denominator))
    mpmath = sys.modules.get("mpmath")
    if mpmath is not None and isinstance(x, mpmath.mpf):
        raise float_error(who, i, j, x)
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(x, numpy.floating):
        raise float_error(who, i, j, x)
    decimal = sys.modules.get("decimal")
    if decimal is not None and isinstance(x, decimal.Decimal):
        raise float_error(who, i, j, x)
    if isinstance(x, numbers.Real):  # any other real, non-rational number type is a float
        raise float_error(who, i, j, x)
    raise InputError(
        f"{who} needs exact rational entries; entry ({i}, {j}) is {x!r} "
        f"of type {tx.__name__}, not a rational number"
    )


def raw_rows(M: MatrixLike, who: str) -> tuple[int, int, list[Sequence[Any]]]:
    """Shape and rows (as sequences of raw entries) of any accepted matrix."""
    if engine.FLINT is not None and isinstance(M, (engine.FLINT.fmpq_mat, engine.FLINT.fmpz_mat)):
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


def fraction_rows(M: MatrixLike, who: str) -> tuple[int, int, list[list[Fraction]]]:
    """(nrows, ncols, rows of Fractions), with float refusal naming the entry."""
    r, c, rows = raw_rows(M, who)
    if engine.FLINT is not None and isinstance(M, engine.FLINT.fmpq_mat):
        return r, c, [[Fraction(int(x.p), int(x.q)) for x in row] for row in rows]
    if engine.FLINT is not None and isinstance(M, engine.FLINT.fmpz_mat):
        return r, c, [[Fraction(int(x)) for x in row] for row in rows]
    out = [
        [entry_to_fraction(x, i, j, who) for j, x in enumerate(row)] for i, row in enumerate(rows)
    ]
    return r, c, out


def fmpq_from_rows(r: int, c: int, rows: list[list[Fraction]]) -> flint.fmpq_mat:
    fmpq = engine.FLINT.fmpq
    flat = [fmpq(x.numerator, x.denominator) for row in rows for x in row]
    return engine.FLINT.fmpq_mat(r, c, flat)


def as_fmpq_mat(M: MatrixLike, who: str) -> flint.fmpq_mat:
    """An fmpq_mat for M (no copy if M already is one: it is only read)."""
    if isinstance(M, engine.FLINT.fmpq_mat):
        return M
    if isinstance(M, engine.FLINT.fmpz_mat):
        return engine.FLINT.fmpq_mat(M)
    direct = fmpq_array_direct(M)
    if direct is not None:
        return direct
    r, c, rows = fraction_rows(M, who)
    return fmpq_from_rows(r, c, rows)


def fmpq_array_direct(M: MatrixLike) -> flint.fmpq_mat | None:
    """An fmpq_mat straight from a 2-d NumPy object array whose entries all are ``fmpq``/``fmpz``/int.

    The hot path of the exact analysis (Hessians are object arrays of ``flint.fmpq``): no
    Fraction per entry.  None when some entry has another type (the general path then
    converts, refusing floats).
    """
    numpy = sys.modules.get("numpy")
    if numpy is None or not isinstance(M, numpy.ndarray) or M.ndim != 2 or M.dtype != object:
        return None
    r, c = M.shape
    flat = M.ravel().tolist()
    if not set(map(type, flat)) <= {engine.FLINT.fmpq, engine.FLINT.fmpz, int}:
        return None
    return engine.FLINT.fmpq_mat(r, c, flat)


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
    return fraction_rows(M, "to_fraction_matrix")[2]


def to_fmpq_mat(M: MatrixLike) -> flint.fmpq_mat:
    """Convert an exact rational matrix to a new :class:`flint.fmpq_mat` (float refusal as above).

    >>> print(to_fmpq_mat([[1, Fraction(1, 2)], [0, -3]]))
    [1, 1/2]
    [0,  -3]
    """
    require_flint("to_fmpq_mat")
    if isinstance(M, (engine.FLINT.fmpq_mat, engine.FLINT.fmpz_mat)):
        return engine.FLINT.fmpq_mat(M)  # a copy: callers may mutate the result
    r, c, rows = fraction_rows(M, "to_fmpq_mat")
    return fmpq_from_rows(r, c, rows)


def check_symmetric(r: int, c: int, rows: Sequence[Sequence[Any]], who: str) -> None:
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


def clear_denominators(rows: list[list[Fraction]]) -> tuple[list[list[int]], int]:
    """Integer matrix L*rows and the positive integer L (lcm of all denominators)."""
    lcm = 1
    for row in rows:
        for x in row:
            d = x.denominator
            if d != 1 and lcm % d:
                lcm = lcm * d // math.gcd(lcm, d)
    return [[x.numerator * (lcm // x.denominator) for x in row] for row in rows], lcm


