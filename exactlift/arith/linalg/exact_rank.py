"""Proved exact rank of a symmetric rational matrix, and a non-singular principal block.

The proof runs on S = C·P H Pᵀ: each row of H cleared of its own denominators (C a positive
diagonal, c_i the lcm of row i's denominators; :func:`cleared_rows`), and the rows and
columns ordered by the bit size of the cleared rows, smallest first (P), so that the pivot
block prefers the small rows.  Rank and the vanishing of a Schur complement do not change
under an invertible row scaling, and S_KK = C_K (PHPᵀ)_KK.  On the dense Hessians of
docs/inertia.md this made the solve and check below 2.0× (595 parameters) and 2.7× (987)
faster than on H with one common denominator (numerators of up to 1406 bits on every row
at 595): most rows are far smaller (median 218 bits), and the pivot block takes them.

Multimodular rank with a proof (python-flint ``nmod_mat`` / ``fmpz_mat``):

1. *Lower bound.*  Modulo a word-size prime p, the reduced row echelon form of
   H mod p has rank r_p and pivot columns K.  Columns independent modulo p are
   independent over Q, so rank H ≥ r_p.  For a *symmetric* H the principal
   block H_KK is non-singular modulo p (a symmetric matrix of rank r whose
   columns K span its column space has H_KK of rank r, over any field), hence
   det H_KK ≠ 0 and H_KK is non-singular over Q.  On S the same holds when p divides
   no c_i (then S mod p = C·H mod p with C invertible, and S has the pivots of H mod p);
   a prime that divides some c_i is skipped.
2. *Upper bound* (the proof that rank H = r_p), chosen by rank:

   * ``"schur"`` (low rank): the Schur complement H_RR − H_RK H_KK⁻¹ H_KR of the
     block vanishes, checked exactly in integers (:func:`schur_rank_holds`).  Then
     H = C H_KK⁻¹ Cᵀ with C = H[:, K] has rank r_p;
   * ``"solve"`` (high rank): X = H_KK⁻¹ H_KR exactly (FLINT's p-adic/multimodular
     solve, ``fmpz_mat.solve``), then H_RK X = H_RR in integers (:func:`solve_rank_holds`):
     the same Schur complement, without the inverse, and checked only on and above its
     diagonal (it is symmetric);
   * ``"fmpz_rank"``: FLINT's exact fraction-free rank of H (the fallback that tells an
     unlucky prime from a lucky one).

   Rows of H that are exactly zero, and rows that are exact multiples of another row
   (:func:`proportional_rows`; with the column of the same index, by symmetry), are set
   aside first: neither changes the rank, and the proof runs on the rest.

   When the bound is not met (an unlucky prime: r_p < rank H) the next prime
   is tried; the exact rank from ``fmpz_mat.rank`` tells which prime is lucky.

By Sylvester's law, H = Cᵀ-congruent to H_KK ⊕ 0, so
inertia(H) = inertia(H_KK) + (0, n − r, 0): the rest of the inertia pipeline
only needs the signs of the non-singular block H_KK.

>>> import flint
>>> H = flint.fmpz_mat([[1, 0, 1], [0, 1, 1], [1, 1, 2]])
>>> pr = proved_rank(H, proof="schur")
>>> pr.rank, pr.pivots, pr.proof
(2, (0, 1), 'schur')
>>> proved_rank(flint.fmpz_mat([[1, 2, 3], [2, 4, 6], [3, 6, 10]])).proof  # row 1 = 2·row 0, set aside
'full'
>>> proved_rank(flint.fmpq_mat([[1, 2], [2, 4]]) / 3).rank
1
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

#: Column blocks of the symmetric Schur check in :func:`solve_rank_holds` (3 measured best at 987
#: and 1975 parameters: the check does (1 + 2 + 3)/9 of the whole product's work).
CHECK_BLOCKS = 3


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
    """Whether num = C·num_KK⁻¹·Rk with C = num[:, K] and Rk = num[K, :], exactly: then rank num = |K|.

    Equivalently, the Schur complement num_RR − num_RK num_KK⁻¹ num_KR of the block vanishes
    (the rows and columns in K agree by construction).  With num_KK⁻¹ = A/d (exact
    ``fmpq_mat.inv`` of the r×r block) the check is d·num = (C·A)·Rk in integers: FLINT
    products, only the thin blocks C and Rk are read entry by entry.  num_KK must be
    non-singular (it is, for pivots from :func:`modular_pivots`); num need not be symmetric.

    >>> import flint
    >>> schur_rank_holds(flint.fmpz_mat([[1, 2], [3, 6]]), (0,)), schur_rank_holds(flint.fmpz_mat([[1, 2], [3, 7]]), (0,))
    (True, False)
    """
    n = num.nrows()
    if len(piv) == n:
        return True
    A, d = engine.FLINT.fmpq_mat(submatrix(num, piv, piv)).inv().numer_denom()
    C = submatrix(num, range(n), piv)  # type: ignore[arg-type]
    Rk = submatrix(num, piv, range(n))  # type: ignore[arg-type]
    return bool(num * d == (C * A) * Rk)


def solve_rank_holds(num: Any, piv: tuple[int, ...], blocks: int | None = None) -> bool:
    """Whether the Schur complement of num_KK vanishes, by an exact solve; num = C·H, H symmetric.

    X = num_KK⁻¹ num_KR = Xn/d (``fmpz_mat.solve``: FLINT's multimodular solve, which checks
    num_KK·X = num_KR itself), then d·num_RR = num_RK·Xn in integers.  With num = C·H (C a
    positive diagonal, H symmetric), X = H_KK⁻¹ H_KR and the check says C_R·Z = 0 for the
    Schur complement Z = H_RR − H_RK·X of H, which is *symmetric*: so only the blocks on and
    above the diagonal are checked.  R is cut into ``blocks`` column blocks (default
    :data:`CHECK_BLOCKS`) R_1, …, R_k, and block b is checked on the rows R_1 ∪ … ∪ R_b
    (measured in docs/inertia.md: at 1975 parameters the check took 8.2 s in 3 blocks against
    16.2 s whole).  num_KK must be non-singular; ``blocks=1`` checks every entry, the only
    choice when num is not a row scaling of a symmetric matrix.

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
    m, r = len(rest), len(piv)
    k = max(1, min(CHECK_BLOCKS if blocks is None else blocks, m))
    bounds = [i * m // k for i in range(k + 1)]
    for lo, hi in zip(bounds, bounds[1:]):
        Xb = submatrix(Xn, range(r), range(lo, hi))  # type: ignore[arg-type]
        if submatrix(num, rest[:hi], piv) * Xb != submatrix(num, rest[:hi], rest[lo:hi]) * d:
            return False
    return True


def cleared_rows(M: Any) -> tuple[list[list[Any]], list[Any]]:
    """The rows of M (``fmpq_mat`` or ``fmpz_mat``) cleared of their denominators, and the scales.

    Row i of the result is c_i·M[i, :] in integers, c_i > 0 the lcm of the row's
    denominators (1 for an ``fmpz_mat``), each lcm computed by FLINT.

    >>> import flint
    >>> rows, scales = cleared_rows(flint.fmpq_mat([[flint.fmpq(1, 2), flint.fmpq(1, 3)], [1, 0]]))
    >>> [[int(x) for x in r] for r in rows], [int(c) for c in scales]
    ([[3, 2], [1, 0]], [6, 1])
    """
    n, c = M.nrows(), M.ncols()
    E = M.entries()
    if isinstance(M, engine.FLINT.fmpz_mat):
        return [E[i * c : (i + 1) * c] for i in range(n)], [engine.FLINT.fmpz(1)] * n
    rows, scales = [], []
    for i in range(n):
        num, den = engine.FLINT.fmpq_mat(1, c, E[i * c : (i + 1) * c]).numer_denom()
        rows.append(num.entries())
        scales.append(den)
    return rows, scales


def row_bits(row: list[Any]) -> int:
    """The bit size of the largest entry of an integer row (0 for a zero row).

    >>> import flint
    >>> row_bits([flint.fmpz(-8), flint.fmpz(3)]), row_bits([flint.fmpz(0)])
    (4, 0)
    """
    return max(max(row), -min(row)).bit_length() if row else 0


def proportional_rows(M: Any, rows: list[list[Any]], candidates: list[int]) -> set[int]:
    """The rows among ``candidates`` (non-zero rows of M, in this order) that are exact multiples of an earlier one.

    ``rows`` are M's rows as integers (:func:`cleared_rows`).  Candidates come from
    fingerprints M·v mod p for two random vectors v (proportional rows have proportional
    fingerprints); each candidate u of a group led by w is then checked exactly,
    u_f·w = w_f·u with w_f ≠ 0.  For a symmetric M, a row j = λ·row k has column j = λ·column k
    too: deleting both keeps the rank, and a non-singular principal block of the rest is one of M.
    Embedded critical points have many (a split neuron's copies give proportional lines).

    >>> import flint
    >>> M = flint.fmpz_mat([[1, 2, 0], [2, 4, 0], [0, 0, 3]])
    >>> proportional_rows(M, cleared_rows(M)[0], [0, 1, 2])
    {1}
    """
    import random

    p = PRIMES[0]
    n = M.nrows()
    rng = random.Random(n * 7919 + 1)
    V = type(M)(n, 2, [rng.randrange(1, p) for _ in range(2 * n)])
    F = (M * V).entries()

    def residue(x: Any) -> int | None:
        q = int(getattr(x, "q", 1)) % p
        return int(getattr(x, "p", x)) % p * pow(q, -1, p) % p if q else None

    leaders: dict[Any, int] = {}
    out: set[int] = set()
    for i in candidates:
        a, b = residue(F[2 * i]), residue(F[2 * i + 1])
        if a is None or b is None:
            continue
        key = b * pow(a, -1, p) % p if a else ("a=0", b)
        k = leaders.setdefault(key, i)
        if k != i:
            w, u = rows[k], rows[i]
            f = next(j for j, x in enumerate(w) if x != 0)
            if all(x * w[f] == y * u[f] for x, y in zip(u, w)):
                out.add(i)
    return out


def proved_rank(M: Any, proof: str = "auto") -> ProvedRank:
    """Exact rank of a symmetric matrix (``fmpq_mat`` or ``fmpz_mat``) and pivots K with M[K, K] non-singular.

    ``proof``: ``"schur"``, ``"solve"``, ``"fmpz_rank"`` or ``"auto"`` (Schur at rank ≤ n/4, else
    the solve).  Exactly zero rows, and rows that are exact multiples of another
    (:func:`proportional_rows`), are set aside first; the proof runs on the other rows, each
    cleared of its own denominators and ordered by bit size (see the module docstring).

    >>> import flint
    >>> proved_rank(flint.fmpz_mat([[0, 1], [1, 0]])).proof
    'full'
    >>> proved_rank(flint.fmpz_mat(2, 2)).rank
    0

    Raises :class:`~exactlift.errors.InputError` for an unknown ``proof`` or a non-square or
    non-symmetric matrix.
    """
    if proof not in PROOFS:
        raise InputError(f"proved_rank: unknown proof {proof!r}; choose one of {', '.join(map(repr, PROOFS))}")
    engine.require_flint("proved_rank")
    n = M.nrows()
    if M.ncols() != n:
        raise InputError(f"proved_rank needs a square matrix; got {n}×{M.ncols()}")
    if M != M.transpose():  # the pivot block and the Schur check rest on the symmetry
        raise InputError("proved_rank needs a symmetric matrix")
    rows, scales = cleared_rows(M)
    bits = [row_bits(r) for r in rows]
    order = sorted((i for i in range(n) if bits[i]), key=lambda i: bits[i])  # zero rows set aside
    if not order:
        return ProvedRank(0, (), "zero")
    multiples = proportional_rows(M, rows, order)  # and rows that are multiples of others
    order = [i for i in order if i not in multiples]
    S = engine.FLINT.fmpz_mat(len(order), len(order), [rows[i][j] for i in order for j in order])
    sub = proved_rank_nonzero(S, [scales[i] for i in order], proof)
    return ProvedRank(sub.rank, tuple(sorted(order[k] for k in sub.pivots)), sub.proof, sub.primes)


def proved_rank_nonzero(S: Any, scales: list[Any], proof: str) -> ProvedRank:
    """:func:`proved_rank` on S = C·H (zero and proportional lines set aside), c_i = ``scales[i]`` > 0, H symmetric."""
    n = S.nrows()
    exact_rank: int | None = None
    for k, p in enumerate(PRIMES, start=1):
        if any(c % p == 0 for c in scales):  # S mod p would not have the pivots of H mod p
            continue
        r, piv = modular_pivots(S, p)
        if r == n:
            return ProvedRank(n, piv, "full", k)
        if exact_rank is not None:
            if r == exact_rank:
                return ProvedRank(r, piv, "fmpz_rank", k)
            continue
        use_schur = proof == "schur" or (proof == "auto" and r <= SCHUR_MAX_FRACTION * n)
        if use_schur and r and schur_rank_holds(S, piv):
            return ProvedRank(r, piv, "schur", k)
        if (proof == "solve" or (proof == "auto" and not use_schur)) and r and solve_rank_holds(S, piv):
            return ProvedRank(r, piv, "solve", k)
        exact_rank = int(S.rank())
        if exact_rank == r:
            return ProvedRank(r, piv, "fmpz_rank", k)
    raise AssertionError(  # pragma: no cover - every listed prime unlucky
        f"proved_rank: no lucky prime among {len(PRIMES)} (exact rank {exact_rank})"
    )
