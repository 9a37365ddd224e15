"""Small exact linear algebra for affine systems ``A θ = b`` over the rationals.

The symmetry package decides dimensions and intersections of affine subspaces
by exact rank computations.  Two engines, chosen by ``backend``:

* ``"flint"`` (default): ``flint.fmpq_mat.rank`` / ``rref`` (python-flint is a
  core dependency);
* ``"fraction"``: Gauss–Jordan elimination over :class:`fractions.Fraction`,
  pure Python, used as a fallback and as an independent cross-check in tests.

Entries must be exact rationals (``int``, :class:`~fractions.Fraction`, SymPy
``Rational``, ``flint.fmpq``); a float is refused with
:class:`~exactlift.errors.FloatInExactError`.

>>> rank([[1, 2], [2, 4]], 2)
1
>>> is_consistent([[1, 1], [1, 1]], [1, 2], 2)
False
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from exactlift.errors import FloatInExactError, InputError

try:  # python-flint is a core dependency; the Fraction engine works without it.
    import flint as _flint
except ImportError:  # pragma: no cover
    _flint = None

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
    """Convert an exact rational to :class:`Fraction`; refuse floats by name.

    Strings such as ``"3/4"`` or ``"-2"`` are parsed exactly.

    >>> as_fraction("3/4")
    Fraction(3, 4)
    """
    if isinstance(x, bool):
        raise InputError(f"{where} must be a rational number, got the boolean {x!r}")
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, float):
        raise FloatInExactError(
            f"{where} is the float {x!r}; exact computations need rationals "
            f"(write it as an integer, a Fraction or a string like '1/3')"
        )
    if _flint is not None and isinstance(x, _flint.fmpq):
        return Fraction(int(x.p), int(x.q))
    if _flint is not None and isinstance(x, _flint.fmpz):
        return Fraction(int(x))
    mod = type(x).__module__
    if mod.startswith("sympy"):
        import sympy

        if isinstance(x, sympy.Rational):
            return Fraction(int(x.p), int(x.q))
        if isinstance(x, sympy.Float):
            raise FloatInExactError(f"{where} is the SymPy Float {x}; exact computations need rationals")
        raise InputError(f"{where} must be a rational number, got the SymPy expression {x}")
    if isinstance(x, str):
        try:
            return Fraction(x.strip())
        except (ValueError, ZeroDivisionError):
            raise InputError(f"{where}: cannot read {x!r} as a rational number") from None
    if isinstance(x, numbers.Integral):  # numpy integers
        return Fraction(int(x))
    if isinstance(x, numbers.Real):  # numpy floats, Decimal, ...
        raise FloatInExactError(f"{where} is the inexact number {x!r}; exact computations need rationals")
    raise InputError(f"{where} must be a rational number, got {type(x).__name__} {x!r}")


def _check_backend(backend: str) -> bool:
    if backend not in BACKENDS:
        raise InputError(f"unknown linear-algebra backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    if backend == "flint" and _flint is None:  # pragma: no cover
        return False
    return backend == "flint"


def _rows(A: Sequence[Sequence[Any]], ncols: int) -> list[list[Fraction]]:
    out = []
    for i, row in enumerate(A):
        if len(row) != ncols:
            raise InputError(f"row {i} has {len(row)} entries, expected {ncols}")
        out.append([as_fraction(x, f"entry ({i}, {j})") for j, x in enumerate(row)])
    return out


def _to_fmpq_mat(rows: list[list[Fraction]], ncols: int) -> Any:
    flat = []
    for row in rows:
        for x in row:
            flat.append(_flint.fmpq(x.numerator, x.denominator))
    return _flint.fmpq_mat(len(rows), ncols, flat)


def _fraction_rref(rows: list[list[Fraction]], ncols: int) -> tuple[list[list[Fraction]], list[int]]:
    """Reduced row echelon form by Gauss–Jordan elimination over Fractions."""
    M = [list(r) for r in rows]
    pivots: list[int] = []
    prow = 0
    nrows = len(M)
    for col in range(ncols):
        if prow == nrows:
            break
        piv = next((i for i in range(prow, nrows) if M[i][col] != 0), None)
        if piv is None:
            continue
        M[prow], M[piv] = M[piv], M[prow]
        p = M[prow][col]
        if p != 1:
            M[prow] = [x / p for x in M[prow]]
        for i in range(nrows):
            if i != prow and M[i][col] != 0:
                f = M[i][col]
                Mi, Mp = M[i], M[prow]
                M[i] = [Mi[k] - f * Mp[k] for k in range(ncols)]
        pivots.append(col)
        prow += 1
    return M[: len(pivots)], pivots


def rref(A: Sequence[Sequence[Any]], ncols: int, backend: str = "flint") -> tuple[list[list[Fraction]], list[int]]:
    """Non-zero rows of the reduced row echelon form of ``A`` and the pivot columns.

    >>> rref([[2, 4], [1, 3]], 2)
    ([[Fraction(1, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 1)]], [0, 1])
    """
    rows = _rows(A, ncols)
    if not rows or ncols == 0:
        return [], []
    if _check_backend(backend):
        R, rk = _to_fmpq_mat(rows, ncols).rref()
        out: list[list[Fraction]] = []
        pivots: list[int] = []
        for i in range(rk):
            row = [Fraction(int(R[i, j].p), int(R[i, j].q)) for j in range(ncols)]
            out.append(row)
            pivots.append(next(j for j, x in enumerate(row) if x != 0))
        return out, pivots
    return _fraction_rref(rows, ncols)


def rank(A: Sequence[Sequence[Any]], ncols: int, backend: str = "flint") -> int:
    """Exact rank of the matrix with rows ``A`` (``ncols`` columns)."""
    rows = _rows(A, ncols)
    if not rows or ncols == 0:
        return 0
    if _check_backend(backend):
        return int(_to_fmpq_mat(rows, ncols).rank())
    return len(_fraction_rref(rows, ncols)[1])


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
    aug = [list(row) + [bi] for row, bi in zip(A, b)]
    R, pivots = rref(aug, ncols + 1, backend)
    if ncols in pivots:
        return None
    x = [Fraction(0)] * ncols
    for row, p in zip(R, pivots):
        x[p] = row[ncols]
    return x


def nullspace(A: Sequence[Sequence[Any]], ncols: int, backend: str = "flint") -> list[list[Fraction]]:
    """A basis of {θ : A θ = 0} (one vector per free column of the RREF)."""
    R, pivots = rref(A, ncols, backend)
    free = [j for j in range(ncols) if j not in set(pivots)]
    basis = []
    for f in free:
        v = [Fraction(0)] * ncols
        v[f] = Fraction(1)
        for row, p in zip(R, pivots):
            v[p] = -row[f]
        basis.append(v)
    return basis
