"""Products of the sparse lift maps with dense Hessians: Tᵀ H T, H T, S H, in any context.

The width checks compare H_narrow with Tᵀ H_wide T and H_wide T with S_T H_narrow
(:mod:`~exactlift.lifts.width.second_order`); these products keep exactness:
exact rational maps in the python-flint exact context become one ``fmpq_mat``
product, other contexts multiply entry by entry over the map's sparse rows.

>>> from fractions import Fraction
>>> from exactlift.arith.contexts import get_context
>>> from exactlift.lifts.width.maps import LinearMap
>>> T = LinearMap(2, 1, (((0, Fraction(1)),), ((0, Fraction(1)),)))
>>> H = get_context("exact").array([[1, 2], [2, 3]])
>>> [str(x) for x in sandwich(T, H, T, get_context("exact")).ravel()]
['8']
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

import numpy as np
import sympy

from exactlift.arith.contexts import Context, get_context  # noqa: F401 (doctests)
from exactlift.errors import ArithmeticModeError
from exactlift.lifts.width.maps import LinearMap

__all__ = ["columns", "flint_products", "to_fmpq_mat", "from_fmpq_mat", "sandwich", "right_multiply",
           "left_multiply", "to_ctx_map", "quadratic_form"]


def columns(T: LinearMap) -> list[list[tuple[int, Any]]]:
    cols: list[list[tuple[int, Any]]] = [[] for _ in range(T.n_in)]
    for i, row in enumerate(T.rows):
        for j, c in row:
            cols[j].append((i, c))
    return cols


def flint_products(ctx: Context, *maps: LinearMap) -> bool:
    """Dense python-flint products are exact and fast: used for exact contexts with rational maps."""
    if not (ctx.exact and getattr(ctx, "use_flint", False)):
        return False
    return all(isinstance(c, Fraction) for m in maps for row in m.rows for _, c in row)


def to_fmpq_mat(M: Any) -> Any:
    import flint

    if isinstance(M, LinearMap):
        out = flint.fmpq_mat(M.n_out, M.n_in)
        for i, row in enumerate(M.rows):
            for j, c in row:
                out[i, j] = flint.fmpq(c.numerator, c.denominator)
        return out
    r, c = M.shape
    return flint.fmpq_mat(r, c, [x if isinstance(x, flint.fmpq) else flint.fmpq(int(Fraction(x).numerator), int(Fraction(x).denominator)) for x in M.ravel()])


def from_fmpq_mat(M: Any) -> np.ndarray:
    out = np.empty(M.nrows() * M.ncols(), dtype=object)
    out[:] = M.entries()
    return out.reshape(M.nrows(), M.ncols())


def sandwich(A: LinearMap, H: np.ndarray, B: LinearMap, ctx: Context) -> np.ndarray:
    """Aᵀ H B for sparse A, B and a dense H (entries of ``ctx``), in the context's arithmetic.

    >>> ctx = get_context("exact")
    >>> A = LinearMap(2, 1, (((0, Fraction(1)),), ((0, Fraction(1)),)))
    >>> [[str(x) for x in row] for row in sandwich(A, ctx.array([[1, 2], [2, 3]]), A, ctx)]
    [['8']]
    """
    if flint_products(ctx, A, B):
        return from_fmpq_mat(to_fmpq_mat(A).transpose() * to_fmpq_mat(H) * to_fmpq_mat(B))
    ca, cb = columns(to_ctx_map(A, ctx)), columns(to_ctx_map(B, ctx))
    out = ctx.zeros((A.n_in, B.n_in))
    for a, col_a in enumerate(ca):
        for b, col_b in enumerate(cb):
            acc = ctx.zero
            for i, c in col_a:
                Hi = H[i]
                for j, d in col_b:
                    acc = acc + c * d * Hi[j]
            out[a, b] = acc
    return out


def right_multiply(H: np.ndarray, T: LinearMap, ctx: Context) -> np.ndarray:
    """H T for a dense H and a sparse T.

    >>> ctx = get_context("exact")
    >>> T = LinearMap(2, 1, (((0, Fraction(1)),), ((0, Fraction(-1)),)))
    >>> [[str(x) for x in row] for row in right_multiply(ctx.array([[1, 2], [3, 4]]), T, ctx)]
    [['-1'], ['-1']]
    """
    if flint_products(ctx, T):
        return from_fmpq_mat(to_fmpq_mat(H) * to_fmpq_mat(T))
    cols = columns(to_ctx_map(T, ctx))
    out = ctx.zeros((H.shape[0], T.n_in))
    for b, col in enumerate(cols):
        for i in range(H.shape[0]):
            acc = ctx.zero
            for j, c in col:
                acc = acc + c * H[i, j]
            out[i, b] = acc
    return out


def left_multiply(S: LinearMap, H: np.ndarray, ctx: Context) -> np.ndarray:
    """S H for a sparse S and a dense H.

    >>> ctx = get_context("exact")
    >>> S = LinearMap(1, 2, (((0, Fraction(1)), (1, Fraction(1))),))
    >>> [[str(x) for x in row] for row in left_multiply(S, ctx.array([[1, 2], [3, 4]]), ctx)]
    [['4', '6']]
    """
    if flint_products(ctx, S):
        return from_fmpq_mat(to_fmpq_mat(S) * to_fmpq_mat(H))
    S = to_ctx_map(S, ctx)
    out = ctx.zeros((S.n_out, H.shape[1]))
    for i, row in enumerate(S.rows):
        for b in range(H.shape[1]):
            acc = ctx.zero
            for j, c in row:
                acc = acc + c * H[j, b]
            out[i, b] = acc
    return out


def to_ctx_map(T: LinearMap, ctx: Context) -> LinearMap:
    """Coefficients converted into the context (for products with context scalars)."""
    if ctx.symbolic:
        return T

    def conv(c: Any) -> Any:
        if isinstance(c, Fraction):
            return ctx.convert(c)
        if not isinstance(c, sympy.Basic):
            return c  # already a scalar of the context
        c = sympy.sympify(c)
        if isinstance(c, sympy.Rational):
            return ctx.convert(Fraction(int(c.p), int(c.q)))
        raise ArithmeticModeError(f"the coefficient {c} has free symbols: use a numeric ratio in {ctx.name} arithmetic")

    return LinearMap(T.n_out, T.n_in, tuple(tuple((j, conv(c)) for j, c in row) for row in T.rows))

def quadratic_form(H: np.ndarray, v: Sequence[Any], ctx: Context) -> Any:
    vc = [ctx.convert(x) for x in v]
    nz = [j for j, x in enumerate(vc) if not (x == 0)]
    total = ctx.zero
    for i in nz:
        row = H[i]
        total = total + vc[i] * sum((row[j] * vc[j] for j in nz), ctx.zero)
    return total
