"""Pure engine: symmetric fraction-free congruence elimination (LDLᵀ), and inertia from it."""

from __future__ import annotations

from fractions import Fraction

from exactlift.arith.linalg.convert import clear_denominators



class Elimination:
    """Outcome of :func:`ldl_eliminate`.

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


def ldl_eliminate(A: list[list[int]], stop_at_negative: bool = False) -> Elimination:
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
    out = Elimination()
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
            congruence_add(rows, m, i, j, s)
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


def congruence_add(rows: list[list[int]], m: int, i: int, j: int, s: int) -> None:
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


def inertia_ldl(rows: list[list[Fraction]]) -> tuple[int, int, int]:
    A, _ = clear_denominators(rows)
    counts = ldl_eliminate(A).counts
    assert counts is not None
    return counts


