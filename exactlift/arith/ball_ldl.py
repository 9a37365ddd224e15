"""Certified inertia of a symmetric matrix by a verified congruence in ball arithmetic.

Method (a verified diagonalization, in the spirit of Rump's verified inertia):

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

from dataclasses import dataclass
from typing import Any, Callable

import flint
import numpy as np

from exactlift.errors import InputError

__all__ = ["BallInertia", "ball_ldl_inertia", "to_arb_mat"]


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
