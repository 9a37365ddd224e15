"""The decisions the width checks share: is it zero, is every entry zero, are two arrays equal.

They ask the context (``ctx.decide_zero``: exact; certified, None when a ball
contains 0 without being 0; mp, within the context's tolerance, numerical),
except that in a symbolic context the question is an *identity* in the free
symbols, decided by :func:`identically_zero` (expand, then cancel: canonical for
the rational functions of θ, x and α the checks produce).

>>> from exactlift.arith.contexts import get_context
>>> a = sympy.Symbol("a")
>>> decide_zero(a/(1 + a) + 1/(1 + a) - 1, get_context("symbolic")), all_zero([0, 1], get_context("exact"))
(True, False)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from exactlift.arith.contexts import Context, SymbolicContext, get_context  # noqa: F401  (get_context: doctests)

__all__ = ["identically_zero", "ExpandingSymbolic", "decide_zero", "all_zero", "compare_arrays", "inertia_in"]


def identically_zero(expr: Any) -> bool:
    """Whether a SymPy expression is the zero function (expand, then cancel for rational functions).

    >>> a = sympy.Symbol("a")
    >>> identically_zero(a/(1 + a) + 1/(1 + a) - 1), identically_zero(a - 1)
    (True, False)
    """
    e = sympy.expand(expr)
    if e == 0:
        return True
    return sympy.cancel(sympy.together(e)) == 0


class ExpandingSymbolic(SymbolicContext):
    """Symbolic context that expands matrix products (keeps polynomials in α canonical)."""

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = super().matmul(a, b)
        flat = out.ravel()
        for i in range(flat.size):
            flat[i] = sympy.expand(flat[i])
        return out


def decide_zero(x: Any, ctx: Context) -> bool | None:
    """Is x zero, in the context's strength?  None when a ball contains 0 without being 0 (certified).

    symbolic: an identity (expand/cancel); exact: x == 0; mp: below the
    tolerance (numerical); certified: True only for an exact-zero ball, False
    when the ball excludes 0.

    >>> decide_zero(sympy.Symbol("a") * 2 - sympy.Symbol("a") * 2, get_context("symbolic"))
    True
    >>> ctx = get_context("certified", 20)
    >>> with ctx.active():
    ...     third = ctx.convert(1) / 3
    ...     decide_zero(third * 3 - 1, ctx)  # the ball contains 0 but is not 0: undecided
    """
    if ctx.symbolic:  # with free symbols the question is an identity
        return identically_zero(x)
    return ctx.decide_zero(x)


def all_zero(values: Any, ctx: Context) -> bool | None:
    """True / False / None (undecided) for 'every entry is zero'."""
    undecided = False
    for x in values:
        z = decide_zero(x, ctx)
        if z is False:
            return False
        if z is None:
            undecided = True
    return None if undecided else True


def compare_arrays(A: np.ndarray, B: np.ndarray, ctx: Context) -> tuple[bool | None, Any, tuple[int, ...] | None]:
    """(equal? — None when undecided, max |A − B| (mp) or None, first differing index)."""
    worst, where = None, None
    equal: bool | None = True
    for idx in np.ndindex(A.shape):
        d = A[idx] - B[idx]
        z = decide_zero(d, ctx)
        if not ctx.rigorous:  # numerical: report the largest discrepancy, scan everything
            if worst is None or abs(d) > worst:
                worst = abs(d)
        if z is None and equal is True:
            equal = None
        if z is False:
            where = idx
            equal = False
            if ctx.rigorous:
                break
    return equal, worst, where


def inertia_in(H: np.ndarray, ctx: Context) -> tuple[int, int, int] | None:
    """Inertia in the context's strength (None: undecided by balls): :meth:`Context.inertia`."""
    return ctx.inertia(H)


# ---------------------------------------------------------------------------
# a point and its lift, with the derivatives computed once
# ---------------------------------------------------------------------------
