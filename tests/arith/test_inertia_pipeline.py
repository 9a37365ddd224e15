"""The inertia paths against each other on matrices with a planted inertia and rank.

H = Uᵀ D U with D diagonal (chosen counts of negative, zero and positive entries) and U a
random unimodular integer matrix: by Sylvester's law the inertia of H is the sign count of
D, known without computing anything on H.  Every path (ball pipeline, charpoly, pure
Fraction LDLᵀ, the contexts) must find it.
"""

from __future__ import annotations

import random
from fractions import Fraction

import flint
import mpmath
import numpy as np
import pytest

from exactlift.arith.ball_ldl import (
    ball_ldl_signs,
    certified_inertia_result,
    float_pivot_blocks,
    mp_inertia_result,
)
from exactlift.arith.contexts import get_context
from exactlift.arith.linalg import inertia, rank
from exactlift.arith.linalg.exact_rank import PRIMES, proved_rank
from exactlift.arith.linalg.inertia import inertia_ball_pipeline, inertia_result
from exactlift.arith.numerical import mp_inertia


def unimodular(n: int, rng: random.Random, spread: int = 2) -> list[list[int]]:
    """L·R with L unit lower, R unit upper triangular (small integer entries): det = 1."""
    L = [[1 if i == j else (rng.randint(-spread, spread) if j < i else 0) for j in range(n)] for i in range(n)]
    R = [[1 if i == j else (rng.randint(-spread, spread) if j > i else 0) for j in range(n)] for i in range(n)]
    return [[sum(L[i][k] * R[k][j] for k in range(n)) for j in range(n)] for i in range(n)]


def planted(n_minus: int, n_zero: int, n_plus: int, seed: int, tiny: Fraction | None = None) -> flint.fmpq_mat:
    """Uᵀ D U with the given sign counts in D (shuffled); ``tiny``: one positive pivot that small."""
    rng = random.Random(seed)
    n = n_minus + n_zero + n_plus
    d = ([-Fraction(rng.randint(1, 9), rng.randint(1, 9)) for _ in range(n_minus)]
         + [Fraction(0)] * n_zero
         + [Fraction(rng.randint(1, 9), rng.randint(1, 9)) for _ in range(n_plus)])
    if tiny is not None and n_plus:
        d[n_minus + n_zero] = tiny
    rng.shuffle(d)
    D = flint.fmpq_mat(n, n, [flint.fmpq(d[i].numerator, d[i].denominator) if i == j else 0
                              for i in range(n) for j in range(n)])
    U = flint.fmpq_mat(flint.fmpz_mat(unimodular(n, rng)))
    return U.transpose() * D * U


def as_fractions(M: flint.fmpq_mat) -> list[list[Fraction]]:
    n = M.nrows()
    return [[Fraction(int(M[i, j].p), int(M[i, j].q)) for j in range(n)] for i in range(n)]


SMALL = [(a, b, c, s) for s, (a, b, c) in enumerate(
    [(0, 0, 1), (1, 0, 0), (0, 1, 0), (1, 1, 1), (2, 0, 3), (3, 3, 0), (0, 4, 2), (2, 2, 2),
     (5, 0, 5), (1, 6, 1), (4, 1, 3), (0, 0, 8), (6, 2, 1), (3, 5, 4)])]


@pytest.mark.parametrize("n_minus,n_zero,n_plus,seed", SMALL)
def test_every_path_finds_the_planted_inertia(n_minus: int, n_zero: int, n_plus: int, seed: int) -> None:
    H = planted(n_minus, n_zero, n_plus, seed)
    expected = (n_minus, n_zero, n_plus)
    res = inertia_result(H)
    assert res.inertia == expected
    assert res.path in ("ball-ldl", "zero")
    assert inertia(H, method="ball") == expected
    assert inertia(H, method="charpoly") == expected
    assert inertia(as_fractions(H), method="ldl") == expected
    assert inertia_result(H, method="ldl").path == "ldl"
    assert inertia_result(H, method="charpoly").path == "charpoly"
    assert rank(H) == n_minus + n_plus


@pytest.mark.parametrize("seed", range(6))
def test_pipeline_on_random_sizes(seed: int) -> None:
    rng = random.Random(100 + seed)
    counts = (rng.randint(0, 12), rng.randint(0, 12), rng.randint(0, 12))
    H = planted(*counts, seed=seed)
    r = inertia(H, return_path=True)
    assert r.inertia == counts
    assert r.inertia == inertia(H, method="charpoly") == inertia(as_fractions(H), method="ldl")
    assert r.rank == counts[0] + counts[2]


def test_object_array_of_fmpq_is_accepted_directly() -> None:
    H = planted(2, 3, 4, seed=7)
    n = H.nrows()
    arr = np.empty((n, n), dtype=object)
    for i in range(n):
        for j in range(n):
            arr[i, j] = H[i, j]
    assert inertia(arr) == (2, 3, 4) == get_context("exact").inertia(arr)
    assert get_context("exact").inertia_result(arr).path == "ball-ldl"


def test_precision_escalates_on_tiny_pivots() -> None:
    """A non-singular matrix with a pivot of 10⁻⁸⁰ next to entries of size 1: 128 bits cannot decide."""
    H = planted(3, 0, 4, seed=11, tiny=Fraction(1, 10**80))
    low = ball_ldl_signs(H, prec=128, max_prec=128)
    assert low.inertia is None and low.reason
    res = ball_ldl_signs(H)
    assert res.inertia == (3, 0, 4)
    assert res.prec > 128
    r = inertia_result(H)
    assert r.inertia == (3, 0, 4) and r.path == "ball-ldl" and r.prec is not None and r.prec > 128
    assert inertia(H, method="charpoly") == (3, 0, 4)


def test_precision_cap_falls_back_to_the_charpoly() -> None:
    H = planted(2, 1, 2, seed=5, tiny=Fraction(1, 10**200))
    r = inertia_ball_pipeline(H, max_prec=256)
    assert r.inertia == (2, 1, 2) == inertia(as_fractions(H), method="ldl")
    assert r.path == "rank+charpoly"
    assert inertia_ball_pipeline(H).path == "ball-ldl"


def test_two_by_two_pivots() -> None:
    """A zero diagonal forces 2×2 pivots, in floats (the proposal) and in balls."""
    assert float_pivot_blocks(np.array([[0.0, 1.0], [1.0, 0.0]])) == [[0, 1]]
    blocks = [[0.0] * 8 for _ in range(8)]
    for k in range(4):
        blocks[2 * k][2 * k + 1] = blocks[2 * k + 1][2 * k] = float(k + 1)
    M = flint.fmpq_mat([[int(x) for x in row] for row in blocks])
    assert ball_ldl_signs(M).inertia == (4, 0, 4) == inertia(M, method="charpoly")


def test_ball_ldl_does_not_decide_a_singular_matrix() -> None:
    res = ball_ldl_signs(flint.fmpq_mat([[1, 1], [1, 1]]), max_prec=256)
    assert res.inertia is None
    # exactly zero rows are zeros (proved), the rest decided
    assert ball_ldl_signs(flint.fmpq_mat([[0, 0], [0, -2]])).inertia == (1, 1, 0)


def test_primes_are_prime() -> None:
    assert all(flint.fmpz(p).is_prime() for p in PRIMES)


def test_unlucky_prime_is_caught() -> None:
    """rank mod the first prime is 1, rank over Q is 2: the proof fails and the next prime decides."""
    p = PRIMES[0]
    num = flint.fmpz_mat([[p, 0, 0], [0, 1, 1], [0, 1, 1]])
    for proof in ("schur", "solve", "fmpz_rank", "auto"):
        pr = proved_rank(num, proof=proof)
        assert pr.rank == 2 == rank([[p, 0, 0], [0, 1, 1], [0, 1, 1]], method="pure")
        assert pr.primes >= 2
    assert inertia(flint.fmpq_mat(num)) == (0, 1, 2)


@pytest.mark.parametrize("seed", range(4))
def test_rank_proofs_agree(seed: int) -> None:
    rng = random.Random(seed)
    counts = (rng.randint(0, 6), rng.randint(1, 10), rng.randint(0, 6))
    H = planted(*counts, seed=seed)
    num, _ = H.numer_denom()
    a, b = proved_rank(num, proof="schur"), proved_rank(num, proof="fmpz_rank")
    c = proved_rank(num, proof="solve")
    assert a.rank == b.rank == c.rank == counts[0] + counts[2] == rank(as_fractions(H), method="pure")
    if a.rank:
        K = flint.fmpq_mat(a.rank, a.rank, [H[i, j] for i in a.pivots for j in a.pivots])
        assert K.det() != 0


def test_certified_context_uses_the_ball_ldl() -> None:
    H = planted(2, 0, 3, seed=3)
    ctx = get_context("certified", digits=30)
    with ctx.active():
        A = np.array([[ctx.convert(str(H[i, j])) for j in range(5)] for i in range(5)], dtype=object)
    r = ctx.inertia_result(A)
    assert r.inertia == (2, 0, 3) == ctx.inertia(A) and r.path == "ball-ldl"
    # a singular ball matrix: the element-wise fallback counts its exact-zero column
    with ctx.active():
        S = np.array([[ctx.convert(1), ctx.convert(1)], [ctx.convert(1), ctx.convert(1)]], dtype=object)
    r = certified_inertia_result(S, ctx.prec)
    assert r.inertia == (0, 1, 1) and r.path == "ball-bunch-kaufman"


def test_mp_context_ball_path_and_its_fallback() -> None:
    ctx = get_context("mp", digits=40)
    H = planted(3, 0, 2, seed=9)
    with ctx.active():
        A = np.array([[ctx.convert(str(H[i, j])) for j in range(5)] for i in range(5)], dtype=object)
    r = ctx.inertia_result(A)
    assert r.inertia == (3, 0, 2) and r.path == "ball-ldl"
    with ctx.active():
        assert mp_inertia(A, ctx.tolerance) == (3, 0, 2)
    # numerically singular: the balls [h ± tolerance] cannot decide; Bunch–Kaufman counts the zeros
    S = planted(1, 2, 2, seed=4)
    with ctx.active():
        B = np.array([[ctx.convert(str(S[i, j])) / 3 for j in range(5)] for i in range(5)], dtype=object)
    r = ctx.inertia_result(B)
    assert r.inertia == (1, 2, 2) and r.path == "bunch-kaufman"
    assert mp_inertia_result(B, ctx.tolerance, ctx.digits).inertia == ctx.inertia(B)


@pytest.mark.parametrize("seed", range(3))
def test_mp_ball_path_agrees_with_bunch_kaufman(seed: int) -> None:
    rng = random.Random(seed)
    counts = (rng.randint(1, 8), 0, rng.randint(1, 8))
    H = planted(*counts, seed=20 + seed)
    n = H.nrows()
    with mpmath.workdps(50):
        A = np.array([[mpmath.mpf(int(H[i, j].p)) / int(H[i, j].q) for j in range(n)] for i in range(n)],
                     dtype=object)
        tol = mpmath.mpf(10) ** -40
        assert mp_inertia_result(A, tol, 50).inertia == mp_inertia(A, tol) == counts


@pytest.mark.slow
@pytest.mark.parametrize("counts,seed", [((30, 60, 30), 1), ((50, 0, 70), 2), ((60, 80, 60), 3), ((5, 180, 15), 4)])
def test_big_planted_matrices(counts: tuple[int, int, int], seed: int) -> None:
    H = planted(*counts, seed=seed)
    r = inertia_result(H)
    assert r.inertia == counts and r.path == "ball-ldl"
    assert inertia(H, method="charpoly") == counts
    if H.nrows() <= 120:
        assert inertia(as_fractions(H), method="ldl") == counts


@pytest.mark.slow
def test_big_escalation() -> None:
    H = planted(40, 20, 40, seed=8, tiny=Fraction(1, 10**100))
    r = inertia_result(H)
    assert r.inertia == (40, 20, 40) and r.path == "ball-ldl" and r.prec is not None and r.prec > 128


def test_mp_inertia_of_an_all_zero_weight_point_is_decided_like_exact():
    """A fuzz finding: all-zero weights of a 1-2-2 identity net made the float 2×2 pivot proposal singular
    (numpy LinAlgError inside the ball LDLᵀ).  The proposal now gives up and the balls decide; the mp
    count must equal the exact one."""
    from fractions import Fraction as F

    from exactlift.analysis import analyze
    from exactlift.nn.case import make_case
    from exactlift.nn.network import Architecture, Params

    arch = Architecture.build([1, 2, 2], "identity")
    case = make_case([1, 2, 2], "identity", Params.from_flat(arch, [F(0)] * arch.n_params), [[F(1)]], [[F(1), F(3)]])
    exact = analyze(case, "exact")
    mp = analyze(case, "mp", 30)
    assert mp.inertia == exact.inertia
