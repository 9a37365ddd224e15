"""Quadratic forms and an exact negative direction vᵀ H v < 0 (from the stopped LDLᵀ elimination)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from exactlift.arith.linalg import engine
from exactlift.arith.linalg.convert import MatrixLike, check_symmetric, clear_denominators, entry_to_fraction, fraction_rows
from exactlift.arith.linalg.engine import choose_engine
from exactlift.arith.linalg.ldl import ldl_eliminate
from exactlift.arith.linalg.rref import rref_den_int
from exactlift.errors import InputError, validated


# ---------------------------------------------------------------------------
# public: negative direction witness
# ---------------------------------------------------------------------------


def quadratic_form(v: Sequence[Any], H: MatrixLike) -> Fraction:
    """vᵀ H v exactly, for an exact vector and matrix (floats refused).

    >>> quadratic_form([1, -1], [[2, 1], [1, 2]])
    Fraction(2, 1)
    """
    _, _, rows = fraction_rows(H, "quadratic_form")
    vec = [entry_to_fraction(x, 0, i, "quadratic_form") for i, x in enumerate(v)]
    if len(vec) != len(rows):
        raise InputError(f"quadratic_form: the vector has {len(vec)} entries, the matrix {len(rows)} rows")
    return quadratic_form_rows(vec, rows)


def quadratic_form_rows(v: Sequence[Fraction], rows: list[list[Fraction]]) -> Fraction:
    total = Fraction(0)
    for i, vi in enumerate(v):
        if vi:
            total += vi * sum((x * vj for x, vj in zip(rows[i], v) if vj), Fraction(0))
    return total


def solve_int_square(G: list[list[int]], b: list[int], use_flint: bool) -> list[Fraction]:
    """Solve G x = b for a non-singular square integer G, exactly."""
    k = len(G)
    if k == 0:
        return []
    if use_flint:
        Gq = engine.FLINT.fmpq_mat(k, k, [x for row in G for x in row])
        bq = engine.FLINT.fmpq_mat(k, 1, list(b))
        x = Gq.solve(bq).entries()
        return [Fraction(int(e.p), int(e.q)) for e in x]
    aug = [row[:] + [bi] for row, bi in zip(G, b)]
    den, pivots = rref_den_int(aug)
    if pivots != list(range(k)):  # pragma: no cover - G is a non-singular pivot block
        raise AssertionError("pivot block of the LDL elimination is singular")
    return [Fraction(aug[r][k], den) for r in range(k)]


@validated
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
    use_flint = choose_engine(method, "witness_negative_direction")
    n, c, rows = fraction_rows(H, "witness_negative_direction")
    check_symmetric(n, c, rows, "witness_negative_direction")
    A, _ = clear_denominators(rows)
    elim = ldl_eliminate(A, stop_at_negative=True)
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
    x = solve_int_square([[G[a][b] for b in K] for a in K], [G[a][p] for a in K], use_flint)
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
    q = quadratic_form_rows(v, rows)
    if not q < 0:
        raise AssertionError(f"internal error: witness gives v^T H v = {q}, not < 0")
    return v


