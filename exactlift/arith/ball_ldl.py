"""Certified inertia of a symmetric matrix in ball arithmetic: two independent methods.

* :func:`ball_ldl_signs`: a pivoted LDLᵀ in balls (float Bunch–Parlett order, block
  Haynsworth recursion on ``arb_mat``, precision escalation 128 → 256 → …).  It serves the
  exact pipeline (:mod:`exactlift.arith.linalg.inertia`, on the non-singular block),
  the certified context (:func:`certified_inertia_result`) and the mp context
  (:func:`mp_inertia_result`); see docs/inertia.md.
* :func:`ball_ldl_inertia` (used by :mod:`exactlift.certify`): a verified congruence, below.

Method of :func:`ball_ldl_inertia` (a verified diagonalization, in the spirit of Rump's
verified inertia):

1. an approximate diagonalizing congruence ``T`` is computed in float64 from the
   midpoint matrix (``numpy.linalg.eigh`` of the diagonally scaled midpoint; ``T``'s
   entries are floats, hence *exact* dyadic rationals);
2. ``B = T M Tᵀ`` is computed rigorously in python-flint ``arb_mat`` (C speed);
3. Gershgorin's theorem with the homotopy argument decides the signs: every
   eigenvalue of ``B`` lies in the union of the intervals ``b_ii ± r_i``
   (``r_i`` = off-diagonal absolute row sum, rounded up), and each connected
   component of that union holds as many eigenvalues as intervals.  When no
   component contains 0, ``B`` is non-singular, hence so is ``T``, and by
   Sylvester's law ``inertia(M) = inertia(B)``, proved for *every* symmetric matrix
   inside the balls of ``M``;
4. if a component contains 0, the congruence is refined once more from the
   midpoint of ``B`` (each round gains about 15 digits of conditioning), and the
   precision escalates 128 → 256 → 512 → … bits up to ``max_prec``.

On exact input (an ``fmpq_mat`` or rationals) a decided answer is the exact inertia.
A singular matrix can never be decided by balls (a zero eigenvalue is not bounded
away from 0): the answer is then ``None`` with the reason and the number of
eigenvalues in the component containing 0 (``zero_cluster``).

>>> import flint
>>> r = ball_ldl_inertia(flint.fmpq_mat([[2, 1], [1, -3]]))
>>> r.inertia, r.proved, r.prec
((1, 0, 1), True, 128)
>>> ball_ldl_inertia(flint.fmpq_mat([[1, 1], [1, 1]]), max_prec=256).inertia is None
True

Failure modes: :class:`~exactlift.errors.InputError` for a non-square matrix or a
matrix whose midpoint is not symmetric; an undecided answer is never an error.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from exactlift.arith.linalg.inertia_result import InertiaResult
from exactlift.errors import InputError

try:  # python-flint is a core dependency; the functions below need it, importing this module does not
    import flint
except ImportError:  # pragma: no cover - exercised only where flint is missing
    flint = None

__all__ = [
    "BallInertia", "BallUndecided", "ball_ldl_inertia", "ball_ldl_signs", "certified_inertia_result",
    "float_pivot_blocks", "mp_inertia_result", "mp_signs", "to_arb_mat",
]


@dataclass
class BallInertia:
    """Result of :func:`ball_ldl_inertia`.

    ``inertia`` (n₋, n₀, n₊) when proved, else ``None``; ``prec`` the bits used;
    ``rounds`` the congruence refinements at that precision; ``reason`` why not
    decided; ``zero_cluster`` the number of eigenvalues in the Gershgorin component
    containing 0 (a numerical kernel dimension, an upper bound of n₀) and
    ``bounds`` = (n₋ lower bound, n₊ lower bound) when undecided.
    """

    inertia: tuple[int, int, int] | None
    prec: int
    rounds: int = 0
    reason: str = ""
    zero_cluster: int = 0
    bounds: tuple[int, int] | None = None
    #: eigenvalues not separated from 0 after the first float64 congruence at the first precision:
    #: a numerical kernel dimension (eigenvalues below about 1e-15·‖M‖), numerical only
    float_kernel: int = 0

    @property
    def proved(self) -> bool:
        return self.inertia is not None


def to_arb_mat(M: Any) -> flint.arb_mat:
    """An ``arb_mat`` from an ``arb_mat``, ``fmpq_mat``, or nested lists/ndarray of numbers/balls
    (converted at the current ``flint.ctx.prec``)."""
    if isinstance(M, flint.arb_mat):
        return M
    if isinstance(M, flint.fmpq_mat):
        return flint.arb_mat(M)
    arr = np.asarray(M, dtype=object)
    if arr.ndim != 2:
        raise InputError(f"expected a matrix, got an array of shape {arr.shape}")
    r, c = arr.shape
    vals = []
    for x in arr.ravel():
        if isinstance(x, flint.arb):
            vals.append(x)
        elif isinstance(x, flint.fmpq):
            vals.append(flint.arb(x))
        else:
            from fractions import Fraction

            if isinstance(x, (int, Fraction)):
                f = Fraction(x)
                vals.append(flint.arb(f.numerator) / f.denominator)
            else:
                vals.append(flint.arb(x))
    return flint.arb_mat(r, c, vals)


def _mid_float(B: flint.arb_mat) -> np.ndarray:
    n = B.nrows()
    return np.array([float(x.mid()) for x in B.entries()], dtype=float).reshape(n, n)


def _gershgorin(B: flint.arb_mat) -> tuple[tuple[int, int, int] | None, int, tuple[int, int], float]:
    """Decide the inertia of ``B`` by Gershgorin components; also the worst off/diag ratio."""
    n = B.nrows()
    ent = B.entries()
    intervals = []
    worst = 0.0
    for i in range(n):
        row = ent[i * n : (i + 1) * n]
        r = flint.arb(0)
        for j, x in enumerate(row):
            if j != i:
                r += abs(x)
        d = row[i]
        rad = r.abs_upper()
        lo = (d - rad).lower()
        hi = (d + rad).upper()
        intervals.append((lo, hi))
        dm = abs(float(d.mid()))
        worst = max(worst, float(rad) / dm if dm > 0 else float("inf"))
    order = sorted(range(n), key=lambda k: intervals[k][0])
    comps: list[list[Any]] = []  # [lo, hi, count]
    for k in order:
        lo, hi = intervals[k]
        if comps and lo <= comps[-1][1]:
            comps[-1][1] = max(comps[-1][1], hi)
            comps[-1][2] += 1
        else:
            comps.append([lo, hi, 1])
    neg = sum(c[2] for c in comps if c[1] < 0)
    pos = sum(c[2] for c in comps if c[0] > 0)
    zero = n - neg - pos
    if zero == 0:
        return (neg, 0, pos), 0, (neg, pos), worst
    return None, zero, (neg, pos), worst


def _congruence(mid: np.ndarray) -> np.ndarray:
    """Float64 T with T·mid·Tᵀ ≈ diagonal (diagonal scaling by powers of 2, then eigh)."""
    d = np.abs(np.diag(mid)).copy()
    d[d == 0] = 1.0
    s = np.exp2(-np.round(np.log2(d) / 2))
    A = mid * s[:, None] * s[None, :]
    A = (A + A.T) / 2
    if not np.all(np.isfinite(A)):
        raise FloatingPointError("non-finite midpoint")
    _, Q = np.linalg.eigh(A)
    return Q.T * s[None, :]


def ball_ldl_inertia(
    M: Any,
    *,
    prec: int = 128,
    max_prec: int = 2048,
    rounds: int = 3,
) -> BallInertia:
    """Certified inertia of a symmetric matrix, or ``None`` with the reason (see the module docstring).

    ``M``: an ``fmpq_mat`` (exact; a decided answer is exact), an ``arb_mat`` (the
    answer holds for every symmetric matrix in its balls; it is not recomputed at a
    higher precision), or a callable ``prec -> arb_mat`` producing the matrix at a
    given working precision (the balls are then recomputed as the precision escalates).
    Precision runs ``prec, 2·prec, …`` up to ``max_prec`` bits, with up to ``rounds``
    congruence refinements at ``prec`` bits (``rounds·p/prec`` at ``p`` bits).

    >>> import flint
    >>> D = flint.fmpq_mat([[-1, 0, 0], [0, 2, 0], [0, 0, flint.fmpq(1, 10**40)]])
    >>> U = flint.fmpq_mat([[1, 3, -2], [0, 1, 5], [0, 0, 1]])
    >>> r = ball_ldl_inertia(U.transpose() * D * U)
    >>> r.inertia
    (1, 0, 2)
    """
    fixed = isinstance(M, flint.arb_mat)
    old = flint.ctx.prec
    p = prec
    last = BallInertia(None, prec, reason="not started")
    fk = 0
    try:
        while True:
            flint.ctx.prec = p
            A = M(p) if callable(M) else to_arb_mat(M)
            n = A.nrows()
            if A.ncols() != n:
                raise InputError(f"inertia needs a square matrix, got {n}x{A.ncols()}")
            if n == 0:
                return BallInertia((0, 0, 0), p)
            B = A
            n_rounds = rounds * max(1, p // prec)  # each round gains ~15 digits of conditioning
            for k in range(n_rounds + 1):
                decided, zero, bounds, worst = _gershgorin(B)
                if k <= 1 and p == prec:
                    fk = zero
                if decided is not None:
                    return BallInertia(decided, p, k, float_kernel=fk)
                last = BallInertia(
                    None, p, k,
                    f"{zero} eigenvalue(s) not separated from 0 at {p} bits (Gershgorin component "
                    "containing 0 after the verified congruence): singular, or too ill-conditioned",
                    zero, bounds, fk,
                )
                if k == n_rounds:
                    break
                mid = _mid_float(B)
                try:
                    T = _congruence(mid)
                except (FloatingPointError, np.linalg.LinAlgError) as exc:
                    last.reason = f"no floating-point congruence at {p} bits ({exc})"
                    break
                Ta = flint.arb_mat(n, n, [float(x) for x in T.ravel()])
                B = Ta * B * Ta.transpose()
            if fixed or 2 * p > max_prec:
                return last
            p *= 2
    finally:
        flint.ctx.prec = old


# ---------------------------------------------------------------------------
# pivoted LDLᵀ in ball arithmetic (block Haynsworth recursion)
# ---------------------------------------------------------------------------

#: Bunch–Parlett growth constant: a 1×1 pivot when |a_ii| ≥ α·max|a_jk|, else a 2×2 pivot.
ALPHA = (1 + 17**0.5) / 8

#: Blocks at most this size are eliminated pivot by pivot in balls (Bunch–Kaufman).
LEAF = 4


class BallUndecided(Exception):
    """A pivot ball (or a block's non-singularity) is not decided at the working precision."""


def float_pivot_blocks(mid: np.ndarray) -> list[list[int]]:
    """Bunch–Parlett symmetric pivoting on a float64 matrix: the pivot blocks, in order.

    Only *proposes* an order (1×1 or 2×2 blocks); the balls decide.  The matrix is first
    scaled by powers of 2 on both sides (a congruence, which does not change the order's
    validity).

    >>> float_pivot_blocks(np.array([[0.0, 1.0], [1.0, 0.0]]))
    [[0, 1]]
    >>> float_pivot_blocks(np.array([[1.0, 0.0], [0.0, 3.0]]))
    [[0], [1]]
    """
    n = mid.shape[0]
    d = np.abs(np.diag(mid)).copy()
    d[d == 0] = 1.0
    s = np.exp2(-np.round(np.log2(d) / 2))
    A = (mid * s[:, None]) * s[None, :]
    idx = list(range(n))
    blocks: list[list[int]] = []
    while idx:
        m = A.shape[0]
        if m == 1:
            blocks.append([idx[0]])
            break
        diag = np.abs(np.diag(A))
        i = int(np.argmax(diag))
        off = np.abs(A - np.diag(np.diag(A)))
        flat = int(np.argmax(off))
        p, q = divmod(flat, m)
        big = off[p, q]
        if not np.isfinite(big) or not np.isfinite(diag[i]):
            blocks.extend([k] for k in idx)  # give up proposing: the balls will decide
            break
        if diag[i] >= ALPHA * big and diag[i] > 0:
            keep = [k for k in range(m) if k != i]
            c = A[keep, i]
            A = A[np.ix_(keep, keep)] - np.outer(c, c) / A[i, i]
            blocks.append([idx[i]])
            idx = [idx[k] for k in keep]
        elif big > 0:
            pq = [min(p, q), max(p, q)]
            keep = [k for k in range(m) if k not in pq]
            E = A[np.ix_(pq, pq)]
            C = A[np.ix_(keep, pq)]
            try:
                A = A[np.ix_(keep, keep)] - C @ np.linalg.solve(E, C.T)
            except np.linalg.LinAlgError:  # a singular 2×2 proposal: stop proposing, the balls decide
                blocks.extend([k] for k in idx)
                break
            blocks.append([idx[pq[0]], idx[pq[1]]])
            idx = [idx[k] for k in keep]
        else:  # numerically zero remainder: any order
            blocks.extend([k] for k in idx)
            break
    return blocks


def arb_to_float(B: flint.arb_mat) -> np.ndarray:
    """Midpoints of a square ``arb_mat`` as a float64 array, scaled by a power of 2 if they overflow.

    >>> float(arb_to_float(flint.arb_mat([[flint.arb(2) ** 5000, 1], [1, 0]]))[0, 0])
    0.5
    """
    n = B.nrows()
    ent = B.entries()
    if not all(x.is_finite() for x in ent):  # NaN or infinite enclosures (e.g. sqrt of a negative ball)
        raise BallUndecided("an entry's enclosure is not finite")
    arr = np.array([float(x.mid()) for x in ent], dtype=float).reshape(n, n)
    if np.all(np.isfinite(arr)):
        return arr
    # huge entries: scale the whole matrix by a power of 2 first (only the proposal uses floats)
    top = max(int(e) + int(m).bit_length() for m, e in (x.mid().man_exp() for x in ent) if m != 0)
    ent = (B * flint.arb(2) ** (-top)).entries()
    return np.array([float(x.mid()) for x in ent], dtype=float).reshape(n, n)


def leaf_signs(A: flint.arb_mat) -> tuple[int, int]:
    """(n₋, n₊) of a small ball matrix with all pivots decided; :class:`BallUndecided` otherwise."""
    from exactlift.arith.numerical import ball_inertia

    m = A.nrows()
    ent = A.entries()
    arr = np.empty((m, m), dtype=object)
    for k, x in enumerate(ent):
        arr[k // m, k % m] = x
    res = ball_inertia(arr)
    if res is None or res[1]:
        raise BallUndecided(f"a pivot ball of a {m}×{m} block contains 0")
    return res[0], res[2]


def haynsworth_signs(A: flint.arb_mat, blocks: list[list[int]] | None = None) -> tuple[int, int]:
    """(n₋, n₊) of a non-singular symmetric ball matrix by a pivoted block LDLᵀ (all decided).

    Haynsworth's inertia additivity: with the leading block A₁₁ (in the float Bunch–Parlett
    order ``blocks``, never splitting a 2×2 pivot) non-singular,
    In(A) = In(A₁₁) + In(A₂₂ − A₂₁A₁₁⁻¹A₁₂).  ``arb_mat.solve`` proves A₁₁ non-singular and
    encloses A₁₁⁻¹A₁₂; both halves recurse, with the head and the tail of the same order.
    Every ball encloses the exact value (for every matrix inside the input balls), so the
    pivot signs found are facts.  Raises :class:`BallUndecided` when a sign is not decided.
    """
    m = A.nrows()
    if m <= LEAF:
        return leaf_signs(A)
    if blocks is not None:
        try:
            return haynsworth_split(A, blocks)
        except BallUndecided:  # the inherited float order may be poor here: propose afresh
            pass
    mid = arb_to_float(A)
    if not np.all(np.isfinite(mid)):
        raise BallUndecided("a midpoint is not a finite float")
    return haynsworth_split(A, float_pivot_blocks(mid))


def haynsworth_split(A: flint.arb_mat, blocks: list[list[int]]) -> tuple[int, int]:
    """One step of :func:`haynsworth_signs`: split along ``blocks``, Schur complement, recurse."""
    m = A.nrows()
    perm: list[int] = []
    cut = 0
    for t, b in enumerate(blocks):
        perm.extend(b)
        if len(perm) >= m // 2:
            cut = t + 1
            break
    if cut == len(blocks):  # the last block crossed the middle: split before it
        cut -= 1
        del perm[-len(blocks[-1]):]
    for b in blocks[cut:]:
        perm.extend(b)
    k = sum(len(b) for b in blocks[:cut])
    ent = A.entries()
    head, tail = perm[:k], perm[k:]
    A11 = flint.arb_mat(k, k, [ent[i * m + j] for i in head for j in head])
    A12 = flint.arb_mat(k, m - k, [ent[i * m + j] for i in head for j in tail])
    A22 = flint.arb_mat(m - k, m - k, [ent[i * m + j] for i in tail for j in tail])
    try:
        X = A11.solve(A12)
    except ZeroDivisionError as exc:
        raise BallUndecided(f"a {k}×{k} leading block is not proved non-singular") from exc
    S = A22 - A12.transpose() * X
    pos = {g: t for t, g in enumerate(perm)}
    n1, p1 = haynsworth_signs(A11, [[pos[g] for g in b] for b in blocks[:cut]])
    n2, p2 = haynsworth_signs(S, [[pos[g] - k for g in b] for b in blocks[cut:]])
    return n1 + n2, p1 + p2


def exact_zero_lines(A: flint.arb_mat) -> list[int]:
    """Indices whose row is exactly zero (zero balls): each is a zero eigenvalue, proved."""
    m = A.nrows()
    ent = A.entries()
    return [i for i in range(m) if all(ent[i * m + j].is_zero() for j in range(m))]


def ball_ldl_signs(
    M: Any,
    *,
    prec: int = 128,
    max_prec: int = 4096,
) -> BallInertia:
    """Certified inertia by a pivoted ball LDLᵀ with precision escalation, or ``None`` with the reason.

    ``M``: an ``fmpq_mat`` / ``fmpz_mat`` (exact: a decided answer is the exact inertia and
    the precision escalates ``prec, 2·prec, …`` up to ``max_prec``), an ``arb_mat`` (fixed
    balls: the answer holds for every symmetric matrix inside them; only the working
    precision escalates), or a callable ``prec -> arb_mat``.  Exactly-zero rows count as
    zero eigenvalues; any other zero eigenvalue leaves the answer undecided (a ball LDLᵀ
    decides non-singular matrices only).

    >>> import flint
    >>> D = flint.fmpq_mat([[-1, 0, 0], [0, 2, 0], [0, 0, flint.fmpq(1, 10**60)]])
    >>> U = flint.fmpq_mat([[1, 3, -2], [0, 1, 5], [0, 0, 1]])
    >>> r = ball_ldl_signs(U.transpose() * D * U)
    >>> r.inertia, r.prec > 128
    ((1, 0, 2), True)
    """
    fixed = isinstance(M, flint.arb_mat)
    old = flint.ctx.prec
    p = prec
    last = BallInertia(None, prec, reason="not started")
    try:
        while True:
            flint.ctx.prec = p
            if callable(M):
                A = M(p)
            elif isinstance(M, flint.fmpz_mat):
                A = flint.arb_mat(flint.fmpq_mat(M))
            else:
                A = to_arb_mat(M)
            n = A.nrows()
            if A.ncols() != n:
                raise InputError(f"inertia needs a square matrix, got {n}x{A.ncols()}")
            zero = exact_zero_lines(A)
            if zero:
                keep = [i for i in range(n) if i not in set(zero)]
                ent = A.entries()
                A = flint.arb_mat(len(keep), len(keep), [ent[i * n + j] for i in keep for j in keep])
            if A.nrows() == 0:
                return BallInertia((0, n, 0), p)
            try:
                neg, pos = haynsworth_signs(A)
                return BallInertia((neg, len(zero), pos), p)
            except BallUndecided as exc:
                last = BallInertia(None, p, reason=f"{exc} at {p} bits")
            if 2 * p > max_prec:
                return last
            p *= 2
            if fixed and p > 4 * prec:
                return last
    finally:
        flint.ctx.prec = old


# ---------------------------------------------------------------------------
# adapters for the contexts: certified (arb entries) and mp (mpf entries)
# ---------------------------------------------------------------------------


def arb_mat_from_array(H: Any) -> flint.arb_mat:
    """An ``arb_mat`` from a square 2-d object array of ``arb`` balls (no rounding)."""
    arr = np.asarray(H, dtype=object)
    n = arr.shape[0] if arr.ndim == 2 else 0
    return flint.arb_mat(n, arr.shape[1] if arr.ndim == 2 else 0, list(arr.ravel()))


def certified_inertia_result(H: Any, prec: int) -> InertiaResult:
    """Inertia of a matrix of ``arb`` balls, for every symmetric matrix inside them (None: undecided).

    ``"ball-ldl"``: the pivoted ball LDLᵀ at ``prec`` bits (working precision up to 4·prec; the
    balls stay), exact-zero rows counted as zeros; else ``"ball-bunch-kaufman"``: the
    element-wise ball Bunch–Kaufman (:func:`exactlift.arith.numerical.ball_inertia`), which also
    counts columns that become exactly zero; else ``"undecided"``.

    >>> import flint, numpy as np
    >>> H = np.array([[flint.arb(2), flint.arb(1) / 3], [flint.arb(1) / 3, flint.arb(0)]], dtype=object)
    >>> r = certified_inertia_result(H, 128)
    >>> r.inertia, r.path
    ((1, 0, 1), 'ball-ldl')
    """
    from exactlift.arith.numerical import ball_inertia

    start = time.perf_counter()
    arr = np.asarray(H, dtype=object)
    res = ball_ldl_signs(arb_mat_from_array(arr), prec=prec, max_prec=4 * prec)
    if res.inertia is not None:
        return InertiaResult(res.inertia, "ball-ldl", prec=res.prec, seconds=time.perf_counter() - start)
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        counts = ball_inertia(arr)
    finally:
        flint.ctx.prec = old
    return InertiaResult(counts, "ball-bunch-kaufman" if counts is not None else "undecided",
                         seconds=time.perf_counter() - start, note=res.reason)


def mpf_to_fmpq(x: Any) -> flint.fmpq:
    """The exact dyadic rational value of a finite ``mpmath.mpf``.

    >>> import mpmath
    >>> mpf_to_fmpq(mpmath.mpf(-0.375))
    -3/8
    """
    sign, man, exp, _ = x._mpf_
    v = -int(man) if sign else int(man)
    if exp >= 0:
        return flint.fmpq(v << exp)
    return flint.fmpq(v, 1 << -exp)


def mp_signs(H: Any, radius: Any, prec: int) -> BallInertia:
    """Inertia of every symmetric matrix within ``radius`` (entrywise) of an mpf matrix, or None.

    Each entry becomes the ball [h ± radius] around its exact mpf value, then the pivoted ball
    LDLᵀ at ``prec``, 2·prec, 4·prec bits.  A pivot ball containing 0 leaves it undecided.

    >>> import mpmath, numpy as np
    >>> H = np.array([[mpmath.mpf(0), mpmath.mpf(1)], [mpmath.mpf(1), mpmath.mpf(0)]], dtype=object)
    >>> mp_signs(H, mpmath.mpf(10) ** -30, 128).inertia
    (1, 0, 1)
    """
    arr = np.asarray(H, dtype=object)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise InputError(f"inertia needs a square matrix, got shape {arr.shape}")
    n = arr.shape[0]
    if n == 0:
        return BallInertia((0, 0, 0), prec)
    try:
        exact = flint.fmpq_mat(n, n, [mpf_to_fmpq(x) for x in arr.ravel()])
    except (ValueError, OverflowError, TypeError, AttributeError) as exc:  # inf / nan / not an mpf
        return BallInertia(None, prec, reason=f"an entry is not a finite mpf ({exc})")
    rad = mpf_to_fmpq(abs(radius))

    def balls(p: int) -> flint.arb_mat:
        eps = flint.arb(0, flint.arb(rad).upper())
        return flint.arb_mat(exact) + flint.arb_mat(n, n, [eps] * (n * n))

    return ball_ldl_signs(balls, prec=prec, max_prec=4 * prec)


def mp_inertia_result(H: Any, tol: Any, digits: int) -> InertiaResult:
    """The mp context's numerical inertia of an mpf matrix, and its path.

    ``"ball-ldl"``: the pivoted ball LDLᵀ decided every pivot for the balls [h ± ε],
    ε = tol · max(1, max|H|) (the scale of :func:`exactlift.arith.numerical.mp_inertia`): every
    symmetric matrix within ε of H has this inertia.  ``"bunch-kaufman"``: some pivot ball
    contains 0 (a numerical kernel), so mpmath's Bunch–Kaufman counts pivots within the
    tolerance as zero.  Numerical either way (the entries are rounded).

    >>> import mpmath, numpy as np
    >>> H = np.array([[mpmath.mpf(1), mpmath.mpf(1)], [mpmath.mpf(1), mpmath.mpf(1)]], dtype=object)
    >>> r = mp_inertia_result(H, mpmath.mpf(10) ** -20, 30)
    >>> r.inertia, r.path
    ((0, 1, 1), 'bunch-kaufman')
    """
    import mpmath

    from exactlift.arith.numerical import mp_inertia

    start = time.perf_counter()
    with mpmath.workdps(digits):
        arr = np.asarray(H, dtype=object)
        if arr.size:
            eps = tol * max(mpmath.mpf(1), max(abs(v) for v in arr.ravel()))
            res = mp_signs(arr, eps, int(digits * 3.33) + 16)
            if res.inertia is not None:
                return InertiaResult(res.inertia, "ball-ldl", prec=res.prec, seconds=time.perf_counter() - start)
        counts = mp_inertia(H, tol)
    return InertiaResult(counts, "bunch-kaufman", seconds=time.perf_counter() - start)
