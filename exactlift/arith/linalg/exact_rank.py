"""Proved exact rank of a symmetric integer matrix, and a non-singular principal block.

Multimodular rank with a proof (python-flint ``nmod_mat`` / ``fmpz_mat``):

1. *Lower bound.*  Modulo a word-size prime p, the reduced row echelon form of
   H mod p has rank r_p and pivot columns K.  Columns independent modulo p are
   independent over Q, so rank H ≥ r_p.  For a *symmetric* H the principal
   block H_KK is non-singular modulo p (a symmetric matrix of rank r whose
   columns K span its column space has H_KK of rank r, over any field), hence
   det H_KK ≠ 0 and H_KK is non-singular over Q.
2. *Upper bound* (the proof that rank H = r_p), chosen by rank:

   * ``"schur"`` (low rank): the Schur complement H_RR − H_RK H_KK⁻¹ H_KR of the
     block vanishes, checked exactly in integers (:func:`schur_rank_holds`).  Then
     H = C H_KK⁻¹ Cᵀ with C = H[:, K] has rank r_p;
   * ``"solve"`` (high rank): X = H_KK⁻¹ H_KR exactly (FLINT's p-adic/multimodular
     solve, ``fmpz_mat.solve``), then H_RK X = H_RR in integers (:func:`solve_rank_holds`):
     the same Schur complement, without the inverse;
   * ``"fmpz_rank"``: FLINT's exact fraction-free rank of H (the fallback that tells an
     unlucky prime from a lucky one).

   Rows of H that are exactly zero are set aside first (:func:`zero_lines`): they are
   zero eigenvalues, and the proof runs on the rest.

   When the bound is not met (an unlucky prime: r_p < rank H) the next prime
   is tried; the exact rank from ``fmpz_mat.rank`` tells which prime is lucky.

By Sylvester's law, H = Cᵀ-congruent to H_KK ⊕ 0, so
inertia(H) = inertia(H_KK) + (0, n − r, 0): the rest of the inertia pipeline
only needs the signs of the non-singular block H_KK.

>>> import flint
>>> H = flint.fmpz_mat([[1, 2, 3], [2, 4, 6], [3, 6, 10]])
>>> pr = proved_rank(H, proof="schur")
>>> pr.rank, pr.pivots, pr.proof
(2, (0, 2), 'schur')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exactlift.arith.linalg import engine
from exactlift.errors import InputError

#: Word-size primes (each checked by ``fmpz.is_prime`` in the tests): the first one proposes,
#: the next ones are tried only after an unlucky prime.
PRIMES = (2**61 - 1, 2**62 - 57, 2**63 - 25, 2**60 - 93)

#: Above this fraction of n, the rank proof is FLINT's exact rank, below it the Schur check.
SCHUR_MAX_FRACTION = 0.25

PROOFS = ("auto", "schur", "solve", "fmpz_rank")


@dataclass(frozen=True)
class ProvedRank:
    """A proved rank: ``rank``, the pivot columns ``pivots`` (H[K, K] non-singular for a symmetric H),
    ``proof`` (``"zero"``, ``"full"``, ``"schur"``, ``"solve"`` or ``"fmpz_rank"``) and the number of
    ``primes`` used."""

    rank: int
    pivots: tuple[int, ...]
    proof: str
    primes: int = 1


def modular_pivots(num: Any, p: int) -> tuple[int, tuple[int, ...]]:
    """(rank of num mod p, pivot columns of its RREF mod p).

    >>> import flint
    >>> modular_pivots(flint.fmpz_mat([[2, 4], [1, 2]]), 7)
    (1, (0,))
    """
    n, c = num.nrows(), num.ncols()
    if n == 0 or c == 0:
        return 0, ()
    R, r = engine.FLINT.nmod_mat(num, p).rref()
    piv: list[int] = []
    for row in range(r):
        j = piv[-1] + 1 if piv else 0
        while int(R[row, j]) == 0:
            j += 1
        piv.append(j)
    return int(r), tuple(piv)


def submatrix(num: Any, rows: tuple[int, ...] | list[int], cols: tuple[int, ...] | list[int]) -> Any:
    """num[rows, cols] as a new fmpz_mat (entry by entry: use it for thin blocks)."""
    return engine.FLINT.fmpz_mat(len(rows), len(cols), [num[i, j] for i in rows for j in cols])


def schur_rank_holds(num: Any, piv: tuple[int, ...]) -> bool:
    """Whether num = C·num_KK⁻¹·Cᵀ with C = num[:, K], exactly: then rank num = |K|.

    Equivalently, the Schur complement num_RR − num_RK num_KK⁻¹ num_KR of the block vanishes
    (the rows and columns in K agree by construction).  With num_KK⁻¹ = A/d (exact
    ``fmpq_mat.inv`` of the r×r block) the check is d·num = (C·A)·Cᵀ in integers: FLINT
    products, only the n×r block C is read entry by entry.  num_KK must be non-singular (it
    is, for pivots from :func:`modular_pivots`).
    """
    n = num.nrows()
    if len(piv) == n:
        return True
    A, d = engine.FLINT.fmpq_mat(submatrix(num, piv, piv)).inv().numer_denom()
    C = submatrix(num, range(n), piv)  # type: ignore[arg-type]
    return bool(num * d == (C * A) * C.transpose())


def solve_rank_holds(num: Any, piv: tuple[int, ...]) -> bool:
    """Whether the Schur complement num_RR − num_RK·num_KK⁻¹·num_KR vanishes, by an exact solve.

    X = num_KK⁻¹ num_KR = Xn/d (``fmpz_mat.solve``: FLINT's Dixon p-adic lifting at this
    size), then d·num_RR = num_RK·Xn in integers.  num_KK must be non-singular.

    >>> import flint
    >>> solve_rank_holds(flint.fmpz_mat([[1, 2], [2, 4]]), (0,)), solve_rank_holds(flint.fmpz_mat([[1, 2], [2, 5]]), (0,))
    (True, False)
    """
    n = num.nrows()
    if len(piv) == n:
        return True
    pset = set(piv)
    rest = [j for j in range(n) if j not in pset]
    Xn, d = submatrix(num, piv, piv).solve(submatrix(num, piv, rest)).numer_denom()
    return bool(submatrix(num, rest, piv) * Xn == submatrix(num, rest, rest) * d)


def zero_lines(num: Any) -> list[int]:
    """The indices of the rows of num that are exactly zero.

    Candidates from one product with a random vector (a zero row gives 0), each checked
    entry by entry.

    >>> import flint
    >>> zero_lines(flint.fmpz_mat([[0, 0, 0], [0, 1, 2], [0, 2, 1]]))
    [0]
    """
    import random

    n, c = num.nrows(), num.ncols()
    rng = random.Random(n * 7919 + c)
    v = engine.FLINT.fmpz_mat(c, 1, [rng.randrange(1, 2**61) for _ in range(c)])
    w = (num * v).entries()
    return [i for i in range(n) if w[i] == 0 and all(num[i, j] == 0 for j in range(c))]


def proved_rank(num: Any, proof: str = "auto") -> ProvedRank:
    """Exact rank of a symmetric integer matrix (``fmpz_mat``) and pivots K with num[K, K] non-singular.

    ``proof``: ``"schur"``, ``"solve"``, ``"fmpz_rank"`` or ``"auto"`` (Schur at rank ≤ n/4, else
    the solve).  Exactly zero rows are set aside first (:func:`zero_lines`).

    >>> import flint
    >>> proved_rank(flint.fmpz_mat([[0, 1], [1, 0]])).proof
    'full'
    >>> proved_rank(flint.fmpz_mat(2, 2)).rank
    0
    """
    if proof not in PROOFS:
        raise InputError(f"proved_rank: unknown proof {proof!r}; choose one of {', '.join(map(repr, PROOFS))}")
    engine.require_flint("proved_rank")
    n = num.nrows()
    if num.ncols() != n:
        raise InputError(f"proved_rank needs a square matrix; got {n}×{num.ncols()}")
    if n == 0 or num.is_zero():
        return ProvedRank(0, (), "zero")
    zero = zero_lines(num)
    if zero:
        zset = set(zero)
        keep = [i for i in range(n) if i not in zset]
        sub = proved_rank_nonzero(submatrix(num, keep, keep), proof)
        return ProvedRank(sub.rank, tuple(keep[k] for k in sub.pivots), sub.proof, sub.primes)
    return proved_rank_nonzero(num, proof)


def proved_rank_nonzero(num: Any, proof: str) -> ProvedRank:
    """:func:`proved_rank` once the zero rows are set aside."""
    n = num.nrows()
    exact_rank: int | None = None
    for k, p in enumerate(PRIMES, start=1):
        r, piv = modular_pivots(num, p)
        if r == n:
            return ProvedRank(n, piv, "full", k)
        if exact_rank is not None:
            if r == exact_rank:
                return ProvedRank(r, piv, "fmpz_rank", k)
            continue
        use_schur = proof == "schur" or (proof == "auto" and r <= SCHUR_MAX_FRACTION * n)
        if use_schur and r and schur_rank_holds(num, piv):
            return ProvedRank(r, piv, "schur", k)
        if (proof == "solve" or (proof == "auto" and not use_schur)) and r and solve_rank_holds(num, piv):
            return ProvedRank(r, piv, "solve", k)
        exact_rank = int(num.rank())
        if exact_rank == r:
            return ProvedRank(r, piv, "fmpz_rank", k)
    raise AssertionError(  # pragma: no cover - every listed prime unlucky
        f"proved_rank: no lucky prime among {len(PRIMES)} (exact rank {exact_rank})"
    )
