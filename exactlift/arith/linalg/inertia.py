"""Exact inertia of a symmetric rational matrix: a pipeline of independent paths.

* ``"ball"`` (the default with python-flint): proved exact rank and a non-singular
  principal block H_KK (:mod:`exactlift.arith.linalg.exact_rank`), then the signs of
  H_KK by a pivoted ball LDLᵀ with precision escalation
  (:func:`exactlift.arith.ball_ldl.ball_ldl_signs`).  H_KK is non-singular, so signs
  certified by enclosures are exact facts.  If the balls do not decide up to the
  precision cap, the charpoly of H_KK decides (path ``"rank+charpoly"``).
* ``"charpoly"``: the same kind of rank reduction, then charpoly + Descartes.
* ``"ldl"``: pure-Python fraction-free LDLᵀ (no flint).

:func:`inertia_result` returns an :class:`InertiaResult` that records which path decided.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from exactlift.arith.linalg import engine
from exactlift.arith.linalg.convert import MatrixLike, as_fmpq_mat, check_symmetric, fraction_rows
from exactlift.arith.linalg.engine import INERTIA_METHODS, auto_uses_flint, require_flint
from exactlift.arith.linalg.exact_rank import proved_rank, row_bits
from exactlift.arith.linalg.inertia_result import InertiaResult
from exactlift.arith.linalg.ldl import inertia_ldl
from exactlift.errors import InputError, validated


# ---------------------------------------------------------------------------
# flint engine: characteristic polynomial + Descartes' rule of signs
# ---------------------------------------------------------------------------


def sign_changes(coeffs: Sequence[Any]) -> int:
    changes = 0
    last = 0
    for x in coeffs:
        if x != 0:
            sgn = 1 if x > 0 else -1
            if last and sgn != last:
                changes += 1
            last = sgn
    return changes


#: The prime used to *propose* pivot columns (the proposal is then proved exactly).
PRIME = 2**61 - 1


def descartes_inertia(M: Any) -> tuple[int, int, int]:
    """Inertia of a symmetric flint matrix from its characteristic polynomial (all roots real)."""
    n = M.nrows()
    coeffs = M.charpoly().coeffs()  # ascending: c_0 + c_1 x + ... + x^n
    n_zero = next(k for k, x in enumerate(coeffs) if x != 0)
    q = coeffs[n_zero:]
    n_plus = sign_changes(q)
    n_minus = sign_changes([x if k % 2 == 0 else -x for k, x in enumerate(q)])
    if n_minus + n_zero + n_plus != n:  # impossible for a real symmetric matrix
        raise AssertionError(
            f"Descartes count {(n_minus, n_zero, n_plus)} does not add up to {n}: "
            "the matrix is not symmetric?"
        )
    return n_minus, n_zero, n_plus


def inertia_charpoly(Mq: Any) -> tuple[int, int, int]:
    """Exact inertia via a proved rank reduction, then the charpoly of a non-singular block.

    Embedded critical points have Hessians with large kernels, where the
    characteristic polynomial of the whole matrix is needlessly expensive.

    1. *Propose* r independent columns K: the pivot columns of H modulo a
       61-bit prime (independence mod p implies H_KK is non-singular over Q).
    2. *Prove* rank H = r exactly: with X = H_KK⁻¹ H_KR the Schur complement
       H_RR − H_RK X must vanish.  Then H = Cᵀ H_KK C with C = [I | X], so by
       Sylvester's law inertia(H) = inertia(H_KK) + (0, n − r, 0).
    3. The inertia of H_KK (scaled to integers) from its characteristic
       polynomial and Descartes' rule of signs.

    An unlucky prime (step 2 fails) falls back to the charpoly of the whole
    matrix: the answer is always exact.
    """
    n = Mq.nrows()
    num, _ = Mq.numer_denom()  # H = num / den, den > 0: same inertia as num
    Hm = engine.FLINT.nmod_mat(n, n, [int(x) % PRIME for x in num.entries()], PRIME)
    R, r = Hm.rref()
    if r == n:
        return descartes_inertia(num)
    if r == 0 and all(x == 0 for x in num.entries()):
        return (0, n, 0)
    ent = R.entries()
    piv: list[int] = []
    row = 0
    for j in range(n):
        if row < r and int(ent[row * n + j]) != 0:
            piv.append(j)
            row += 1
    pset = set(piv)
    rest = [j for j in range(n) if j not in pset]
    K = engine.FLINT.fmpz_mat(r, r, [num[i, j] for i in piv for j in piv])
    Kr = engine.FLINT.fmpz_mat(r, len(rest), [num[i, j] for i in piv for j in rest])
    Rr = engine.FLINT.fmpq_mat(engine.FLINT.fmpz_mat(len(rest), len(rest), [num[i, j] for i in rest for j in rest]))
    S = Rr - engine.FLINT.fmpq_mat(Kr.transpose()) * K.solve(Kr) if r else Rr
    if r == 0 or any(x != 0 for x in S.entries()):  # pragma: no cover - an unlucky prime
        return descartes_inertia(Mq)
    n_minus, n_zero, n_plus = descartes_inertia(K)
    if n_zero:  # pragma: no cover - K is non-singular modulo p, hence over Q
        raise AssertionError("internal error: the pivot block must be non-singular")
    return (n_minus, n - r, n_plus)


# ---------------------------------------------------------------------------
# the ball pipeline: proved rank, non-singular block, ball LDLᵀ signs
# ---------------------------------------------------------------------------

#: Working precisions of the ball LDLᵀ: 128, 256, … bits up to this cap, then the charpoly decides.
BALL_PREC = 128
BALL_MAX_PREC = 4096
#: The first precision tried is at least the entries' bit size (common denominator cleared) over this.
BITS_PER_PREC = 8


def start_prec(block: Any, prec: int = BALL_PREC, max_prec: int = BALL_MAX_PREC) -> int:
    """The first working precision for the ball LDLᵀ of ``block`` (an ``fmpq_mat``): ``prec`` doubled
    until it reaches 1/:data:`BITS_PER_PREC` of the bit size of the cleared-denominator entries.

    Measured (docs/inertia.md): 1406-bit entries needed 256 bits, 3212-bit entries 512.

    >>> import flint
    >>> start_prec(flint.fmpq_mat([[2**2000, 1], [1, 1]]))
    256
    >>> start_prec(flint.fmpq_mat([[1, 0], [0, 1]]))
    128
    """
    num, den = block.numer_denom()
    bits = max(row_bits(num.entries()), den.bit_length())
    p = prec
    while p * BITS_PER_PREC < bits and 2 * p <= max_prec:
        p *= 2
    return p


def inertia_ball_pipeline(
    Mq: Any, prec: int = BALL_PREC, max_prec: int = BALL_MAX_PREC, rank_proof: str = "auto"
) -> InertiaResult:
    """Inertia of a symmetric ``fmpq_mat`` by proved rank + ball LDLᵀ of the non-singular block.

    1. r = rank H proved, with pivots K such that H_KK is non-singular
       (:func:`~exactlift.arith.linalg.exact_rank.proved_rank`);
    2. H = C H_KK⁻¹ Cᵀ with C = H[:, K] of full column rank, so by Sylvester's law
       inertia(H) = inertia(H_KK) + (0, n − r, 0);
    3. the signs of H_KK by :func:`~exactlift.arith.ball_ldl.ball_ldl_signs` at
       ``prec``, 2·prec, … ≤ ``max_prec`` bits; a non-singular matrix's certified pivot signs
       are its exact inertia.  Undecided at the cap: charpoly + Descartes of H_KK.

    >>> import flint
    >>> inertia_ball_pipeline(flint.fmpq_mat([[1, 1, 0], [1, 1, 0], [0, 0, -2]])).inertia
    (1, 1, 1)
    """
    from exactlift.arith.ball_ldl import ball_ldl_signs

    n = Mq.nrows()
    with engine.threads():  # the rank proof's solve and products: FLINT threads (docs/inertia.md)
        pr = proved_rank(Mq, proof=rank_proof)
    if pr.rank == 0:
        return InertiaResult((0, n, 0), "zero", 0, pr.proof)
    piv = pr.pivots
    # the balls take the rational block (moderate magnitudes), the charpoly the integer one
    block = Mq if pr.rank == n else engine.FLINT.fmpq_mat(pr.rank, pr.rank, [Mq[i, j] for i in piv for j in piv])
    res = ball_ldl_signs(block, prec=start_prec(block, prec, max_prec), max_prec=max_prec)
    if res.inertia is not None:
        n_minus, n_zero, n_plus = res.inertia
        if n_zero:  # pragma: no cover - K is non-singular
            raise AssertionError("internal error: the pivot block must be non-singular")
        return InertiaResult((n_minus, n - pr.rank, n_plus), "ball-ldl", pr.rank, pr.proof, res.prec)
    n_minus, n_zero, n_plus = descartes_inertia(block.numer_denom()[0])
    if n_zero:  # pragma: no cover - K is non-singular
        raise AssertionError("internal error: the pivot block must be non-singular")
    return InertiaResult((n_minus, n - pr.rank, n_plus), "rank+charpoly", pr.rank, pr.proof,
                         note=res.reason)


# ---------------------------------------------------------------------------
# public: inertia
# ---------------------------------------------------------------------------


def symmetric_fmpq(H: MatrixLike, who: str) -> Any:
    """H as a symmetric fmpq_mat (float refusal, symmetry checked in C, the message from Python)."""
    Mq = as_fmpq_mat(H, who)
    n, c = Mq.nrows(), Mq.ncols()
    if n != c or Mq != Mq.transpose():
        flat = Mq.entries()
        check_symmetric(n, c, [flat[k * c : (k + 1) * c] for k in range(n)], who)
    return Mq


def inertia_result(H: MatrixLike, method: str = "auto") -> InertiaResult:
    """Exact inertia and the path that decided it (see :func:`inertia` for ``method``).

    >>> inertia_result([[0, 1], [1, 0]], method="ldl").path
    'ldl'
    >>> inertia_result([[0, 0], [0, 0]]).path
    'zero'
    """
    if method not in INERTIA_METHODS:
        raise InputError(
            f"inertia: unknown method {method!r}; "
            f"choose one of {', '.join(map(repr, INERTIA_METHODS))}"
        )
    start = time.perf_counter()
    use_flint = method in ("charpoly", "ball") or (method == "auto" and auto_uses_flint())
    if use_flint:
        require_flint(f"inertia(method={method!r})")
        Mq = symmetric_fmpq(H, "inertia")
        if Mq.nrows() == 0:
            res = InertiaResult((0, 0, 0), "zero", 0)
        elif method == "charpoly":
            res = InertiaResult(inertia_charpoly(Mq), "charpoly")
        else:
            res = inertia_ball_pipeline(Mq)
    else:
        n, c, rows = fraction_rows(H, "inertia")
        check_symmetric(n, c, rows, "inertia")
        res = InertiaResult(inertia_ldl(rows), "ldl")
    return InertiaResult(res.inertia, res.path, res.rank, res.rank_proof, res.prec,
                         time.perf_counter() - start, res.note)


@validated
def inertia(H: MatrixLike, method: str = "auto", return_path: bool = False) -> Any:
    """Exact inertia ``(n_minus, n_zero, n_plus)`` of a symmetric rational matrix.

    ``n_minus``/``n_zero``/``n_plus`` count the negative, zero and positive
    eigenvalues (with multiplicity), computed without any eigenvalue:

    * ``method="ball"``: the exact rank is proved (multimodular, then a Schur
      check or FLINT's exact rank), giving a non-singular principal block H_KK
      with inertia(H) = inertia(H_KK) + (0, n − r, 0); the signs of H_KK by a
      pivoted LDLᵀ in ball arithmetic with precision escalation
      (:func:`inertia_ball_pipeline`).  Exact: H_KK is non-singular, so
      enclosure-certified pivot signs are facts; the charpoly decides if the
      balls do not.
    * ``method="charpoly"``: the characteristic polynomial p (python-flint,
      exact) and Descartes' rule of signs, exact here because every root is
      real: n_zero is the multiplicity of the root 0, n_plus the sign changes
      of p(x)/x^n_zero, n_minus those of p(-x)/x^n_zero.  A singular matrix
      is first reduced to a non-singular principal block whose rank is proved
      exactly (see ``inertia_charpoly``).
    * ``method="ldl"``: pure-Python congruence elimination H = L D Lᵀ with
      symmetric pivoting (fraction-free, exact); by Sylvester's law of
      inertia the signs of D are the inertia.
    * ``method="auto"`` (default): ball when python-flint imports and
      ``EXACTLIFT_PURE`` is not ``"1"``, else ldl.

    ``return_path=True`` returns the :class:`InertiaResult` (with ``.inertia`` and the
    ``.path`` that decided) instead of the tuple.

    Raises :class:`~exactlift.errors.FloatInExactError` for a float entry and
    :class:`~exactlift.errors.InputError` for a non-square or non-symmetric
    matrix (naming the first asymmetric entry).  A 0×0 matrix has inertia
    (0, 0, 0).

    >>> inertia([[2, 1], [1, 2]])
    (0, 0, 2)
    >>> inertia([[0, 1], [1, 0]], method="ldl")
    (1, 0, 1)
    >>> inertia([[1, Fraction(1, 2), 0], [Fraction(1, 2), Fraction(1, 4), 0], [0, 0, -3]])
    (1, 1, 1)
    >>> inertia([[1, 0], [0, -1]], return_path=True).path
    'ball-ldl'
    """
    res = inertia_result(H, method)
    return res if return_path else res.inertia
