"""Sparse exact linear maps and exact coefficients: the matrices T and S_T of the width lifts.

A width embedding (:mod:`exactlift.lifts.width.embeddings`) is a sparse exact
matrix on the flattened parameters; :class:`LinearMap` stores it row by row,
with Fraction coefficients or SymPy expressions (a free split ratio α), and
applies it to vectors of any context without losing exactness (:func:`scale`).

>>> T = LinearMap(2, 1, (((0, Fraction(1, 3)),), ((0, Fraction(2, 3)),)))
>>> T([Fraction(3)])
[Fraction(1, 1), Fraction(2, 1)]

Failure modes: :class:`~exactlift.errors.FloatInExactError` for a float ratio
(:func:`exact_ratio`), :class:`~exactlift.errors.InputError` for a vector or a
product of the wrong shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import mpmath
import numpy as np
import sympy

from exactlift.arith.contexts import parse_rational
from exactlift.errors import FloatInExactError, InputError, LiftError

__all__ = ["LinearMap", "exact_ratio", "scale", "add_exact", "mul_exact", "is_zero_coefficient", "ZERO", "ONE"]

ZERO = Fraction(0)
ONE = Fraction(1)

def exact_ratio(value: Any, what: str = "alpha") -> Any:
    """An exact ratio: a Fraction, or a SymPy expression with free symbols (a free α).

    Floats (Python, NumPy, SymPy ``Float``, mpmath) are refused with
    :class:`~exactlift.errors.FloatInExactError`; strings are read as exact
    rationals (``"1/3"``, ``"0.25"``).

    >>> exact_ratio("1/3"), exact_ratio(2)
    (Fraction(1, 3), Fraction(2, 1))
    >>> exact_ratio(sympy.Symbol("alpha"))
    alpha
    """
    if isinstance(value, (float, np.floating, mpmath.mpf)) or (
        isinstance(value, sympy.Basic) and value.has(sympy.Float)
    ):
        hint = ""
        if isinstance(value, (float, np.floating)):
            hint = f"; write it as the exact rational \"{Fraction(repr(float(value)))}\""
        raise FloatInExactError(f"{what} = {value!r} is a float: a lift needs an exact ratio{hint}")
    if isinstance(value, sympy.Basic) and not isinstance(value, sympy.Rational):
        if not isinstance(value, sympy.Expr) or not value.free_symbols:
            raise LiftError(f"{what} = {value} is not a rational number or an expression in free symbols")
        return value
    try:
        return parse_rational(value, what)
    except FloatInExactError:
        raise
    except InputError as exc:
        raise LiftError(str(exc)) from None



def scale(c: Any, x: Any) -> Any:
    """c·x where c is an exact coefficient and x a scalar of any context.

    Keeps exactness: a Fraction coefficient becomes a ``flint.fmpq`` for an
    ``fmpq`` scalar, an exact quotient of ``mpf`` for an mpmath scalar and of
    ``arb`` for a ball.

    >>> import flint
    >>> scale(Fraction(1, 3), flint.fmpq(3, 2)), scale(Fraction(2), sympy.Symbol("t"))
    (1/2, 2*t)
    """
    if isinstance(c, Fraction):
        if c == 1:
            return x
        if isinstance(x, mpmath.mpf):
            return x * c.numerator / c.denominator
        tname = type(x).__name__
        if tname == "fmpq":
            return type(x)(c.numerator, c.denominator) * x
        if tname == "arb":
            return x * c.numerator / c.denominator
        if isinstance(x, sympy.Basic):
            return sympy.Rational(c.numerator, c.denominator) * x
    return c * x


def add_exact(a: Any, b: Any) -> Any:
    """a + b, skipping an exact zero (keeps the other operand's type)."""
    if isinstance(a, Fraction) and a == 0:
        return b
    if isinstance(b, Fraction) and b == 0:
        return a
    return a + b


def is_zero_coefficient(c: Any) -> bool:
    """Whether an exact coefficient (Fraction or SymPy expression) is zero."""
    if isinstance(c, Fraction):
        return c == 0
    return sympy.expand(c) == 0


# ---------------------------------------------------------------------------
# sparse exact linear maps
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LinearMap:
    """A sparse exact matrix of shape (n_out, n_in): ``rows[i]`` lists (column, coefficient).

    Coefficients are Fractions or SymPy expressions (a free α).  Used for the
    embedding T (P_wide × P_narrow) and the gradient transfer S_T.

    >>> A = LinearMap(2, 1, (((0, Fraction(1, 3)),), ((0, Fraction(2, 3)),)))
    >>> A([3])
    [Fraction(1, 1), Fraction(2, 1)]
    >>> (A.T @ A).dense().tolist()
    [[Fraction(5, 9)]]
    """

    n_out: int
    n_in: int
    rows: tuple[tuple[tuple[int, Any], ...], ...]

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n_out, self.n_in)

    def __call__(self, vec: Sequence[Any]) -> list[Any]:
        """The image of a vector (entries of any context; exactness is kept)."""
        if len(vec) != self.n_in:
            raise InputError(f"a linear map with {self.n_in} columns got a vector of length {len(vec)}")
        zero = 0 * vec[0] if len(vec) else ZERO  # an exact zero of the vector's own kind (x - x of a ball is not 0)
        out = []
        for row in self.rows:
            acc: Any = zero
            for j, c in row:
                acc = add_exact(acc, scale(c, vec[j]))
            out.append(acc)
        return out

    def __matmul__(self, other: "LinearMap") -> "LinearMap":
        if not isinstance(other, LinearMap):
            return NotImplemented
        if self.n_in != other.n_out:
            raise InputError(f"cannot multiply a {self.shape} map by a {other.shape} map")
        rows = []
        for row in self.rows:
            acc: dict[int, Any] = {}
            for k, c in row:
                for j, d in other.rows[k]:
                    acc[j] = add_exact(acc.get(j, ZERO), mul_exact(c, d))
            rows.append(tuple((j, c) for j, c in sorted(acc.items()) if not is_zero_coefficient(c)))
        return LinearMap(self.n_out, other.n_in, tuple(rows))

    @property
    def T(self) -> "LinearMap":
        """The transpose."""
        cols: list[list[tuple[int, Any]]] = [[] for _ in range(self.n_in)]
        for i, row in enumerate(self.rows):
            for j, c in row:
                cols[j].append((i, c))
        return LinearMap(self.n_in, self.n_out, tuple(tuple(c) for c in cols))

    def dense(self) -> np.ndarray:
        """The matrix as an object ndarray (exact entries; zeros are ``Fraction(0)``)."""
        out = np.empty(self.shape, dtype=object)
        out.fill(ZERO)
        for i, row in enumerate(self.rows):
            for j, c in row:
                out[i, j] = c
        return out

    def subs(self, values: dict) -> "LinearMap":
        """Substitute values for free symbols in the coefficients (e.g. a number for α)."""
        def sub(c: Any) -> Any:
            if isinstance(c, sympy.Basic):
                v = sympy.sympify(c).xreplace({sympy.sympify(k): sympy.sympify(w) for k, w in values.items()})
                return Fraction(int(v.p), int(v.q)) if isinstance(v, sympy.Rational) else v
            return c
        return LinearMap(self.n_out, self.n_in, tuple(tuple((j, sub(c)) for j, c in row) for row in self.rows))

    @classmethod
    def identity(cls, n: int) -> "LinearMap":
        """The n × n identity.

        >>> LinearMap.identity(2).dense().tolist()
        [[Fraction(1, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 1)]]
        """
        return cls(n, n, tuple(((i, ONE),) for i in range(n)))


def mul_exact(a: Any, b: Any) -> Any:
    """a · b, skipping an exact one (keeps the other operand's type)."""
    if isinstance(a, Fraction) and a == 1:
        return b
    if isinstance(b, Fraction) and b == 1:
        return a
    return a * b
