"""The rank proofs (Schur, exact solve, FLINT rank), zero rows set aside, and the Gram inertia from factors."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest

from exactlift.arith.linalg import inertia, rank
from exactlift.arith.linalg.gram_inertia import gram_inertia_result
from exactlift.arith.linalg.inertia import inertia_result, start_prec
from exactlift.errors import InputError

flint = pytest.importorskip("flint")

from exactlift.arith.linalg.exact_rank import (  # noqa: E402
    PRIMES, cleared_rows, modular_pivots, proportional_rows, proved_rank, schur_rank_holds, solve_rank_holds,
)


def random_rational(rng: random.Random) -> Fraction:
    return Fraction(rng.randint(-9, 9), rng.randint(1, 5))


def padded(H: flint.fmpq_mat, zeros: int, rng: random.Random) -> flint.fmpq_mat:
    """H with ``zeros`` zero rows and columns inserted at random places."""
    n = H.nrows()
    m = n + zeros
    where = sorted(rng.sample(range(m), n))
    out = flint.fmpq_mat(m, m)
    for a, i in enumerate(where):
        for b, j in enumerate(where):
            out[i, j] = H[a, b]
    return out


def gram(rng: random.Random, rows: int, cols: int, signs: list[int]) -> tuple[flint.fmpq_mat, flint.fmpq_mat]:
    J = flint.fmpq_mat(rows, cols, [flint.fmpq(*random_rational(rng).as_integer_ratio()) for _ in range(rows * cols)])
    L = flint.fmpq_mat(rows, rows, [signs[i] * (i + 1) if i == j else 0 for i in range(rows) for j in range(rows)])
    return J, L


@pytest.mark.parametrize("seed", range(6))
def test_proofs_agree_with_zero_rows(seed: int) -> None:
    rng = random.Random(seed)
    J, L = gram(rng, rng.randint(1, 5), rng.randint(4, 9), [rng.choice([-1, 1]) for _ in range(5)])
    H = padded(J.transpose() * L * J, rng.randint(0, 4), rng)
    num, _ = H.numer_denom()
    pure = rank([[Fraction(int(H[i, j].p), int(H[i, j].q)) for j in range(H.ncols())] for i in range(H.nrows())],
                method="pure")
    ranks = {(proof, kind): proved_rank(M, proof=proof)
             for proof in ("schur", "solve", "fmpz_rank", "auto") for kind, M in (("fmpz", num), ("fmpq", H))}
    assert {r.rank for r in ranks.values()} == {pure}
    zero_rows = {i for i in range(H.nrows()) if all(H[i, j] == 0 for j in range(H.ncols()))}
    for r in ranks.values():  # the pivot block is non-singular and avoids the zero rows
        assert not set(r.pivots) & zero_rows
        if r.rank:
            assert flint.fmpq_mat(r.rank, r.rank, [H[i, j] for i in r.pivots for j in r.pivots]).det() != 0
    assert inertia(H) == inertia(H, method="charpoly") == inertia(H, method="ldl")


def test_zero_rows_and_solve_check() -> None:
    num = flint.fmpz_mat([[0, 0, 0, 0], [0, 2, 0, 4], [0, 0, 0, 0], [0, 4, 0, 8]])
    assert proved_rank(num).rank == 1 and proved_rank(num).pivots in ((1,), (3,))
    assert solve_rank_holds(flint.fmpz_mat([[2, 4], [4, 8]]), (0,))
    assert not solve_rank_holds(flint.fmpz_mat([[2, 4], [4, 9]]), (0,))
    # the checks hold for a row-scaled (non-symmetric) matrix exactly when they hold for H
    assert solve_rank_holds(flint.fmpz_mat([[6, 12], [4, 8]]), (0,)) and schur_rank_holds(flint.fmpz_mat([[6, 12], [4, 8]]), (0,))
    assert not solve_rank_holds(flint.fmpz_mat([[6, 12], [4, 9]]), (0,))
    assert not schur_rank_holds(flint.fmpz_mat([[6, 12], [4, 9]]), (0,))


@pytest.mark.parametrize("seed", range(8))
def test_cleared_rows_are_integer_multiples_of_the_rows(seed: int) -> None:
    """Each cleared row is c_i times the row, c_i the least positive integer making it integral."""
    rng = random.Random(seed)
    n = rng.randint(1, 6)
    H = flint.fmpq_mat(n, n, [flint.fmpq(*random_rational(rng).as_integer_ratio()) for _ in range(n * n)])
    rows, scales = cleared_rows(H)
    for i in range(n):
        row = [Fraction(int(H[i, j].p), int(H[i, j].q)) for j in range(n)]
        c = 1
        while any((c * x).denominator != 1 for x in row):
            c += 1
        assert int(scales[i]) == c and [int(x) for x in rows[i]] == [int(c * x) for x in row]


def test_a_prime_dividing_a_row_scale_is_skipped() -> None:
    """A row denominator divisible by the first prime: that prime is skipped, the rank is still right."""
    p = PRIMES[0]
    H = flint.fmpq_mat([[flint.fmpq(1, p), 1], [1, p]])  # det = 1 - 1 = 0: rank 1
    pr = proved_rank(H)
    assert pr.rank == 1 == rank([[Fraction(1, p), 1], [1, p]], method="pure") and pr.primes == 2


@pytest.mark.parametrize("seed", range(6))
def test_gram_inertia_agrees_with_the_product(seed: int) -> None:
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 4), rng.randint(4, 8)
    signs = [rng.choice([-1, 0, 1]) for _ in range(rows)]
    J, L = gram(rng, rows, cols, signs)
    res = gram_inertia_result(J, [flint.fmpq_mat([[L[i, i]]]) for i in range(rows)])
    expected = inertia(J.transpose() * L * J, method="ldl")
    assert res is not None and res.inertia == expected and res.path == "gram"
    assert res.inertia == (signs.count(-1), cols - signs.count(-1) - signs.count(1), signs.count(1))


def test_gram_inertia_declines_a_rank_deficient_factor() -> None:
    J = flint.fmpq_mat([[1, 2, 3], [2, 4, 6]])
    assert gram_inertia_result(J, [flint.fmpq_mat([[1]]), flint.fmpq_mat([[1]])]) is None
    assert gram_inertia_result(flint.fmpq_mat([[1, 2], [3, 4], [5, 6]]), [flint.fmpq_mat([[1]])] * 3) is None


def test_start_prec_follows_the_entry_bits() -> None:
    small = flint.fmpq_mat([[1, 2], [2, -1]])
    big = flint.fmpq_mat([[flint.fmpq(1, 3) ** 600, 1], [1, 1]])  # ~951-bit denominator
    assert start_prec(small) == 128 and start_prec(big) == 128
    assert start_prec(flint.fmpq_mat([[flint.fmpq(1, 3) ** 1200, 1], [1, 1]])) == 256  # 1902 bits
    assert inertia_result(big).inertia == inertia(big, method="ldl")


@pytest.mark.parametrize("seed", range(6))
def test_proportional_lines_are_set_aside_and_the_answer_is_unchanged(seed: int) -> None:
    """Split-like copies (a line and λ times it, in rows and columns) change neither rank nor inertia.

    The reference is the pure-Fraction rank and LDLᵀ of the same matrix (no flint)."""
    rng = random.Random(100 + seed)
    J, L = gram(rng, rng.randint(2, 5), rng.randint(3, 6), [rng.choice([-1, 1]) for _ in range(5)])
    H = [[Fraction(int(x.p), int(x.q)) for x in row] for row in (J.transpose() * L * J).tolist()]
    for _ in range(rng.randint(1, 3)):  # append k·(line j): row and column
        j, lam = rng.randrange(len(H)), Fraction(rng.choice([-3, -1, 2, 5]), rng.randint(1, 4))
        for row in H:
            row.append(lam * row[j])
        H.append([lam * x for x in H[j]])
    Hq = flint.fmpq_mat([[flint.fmpq(x.numerator, x.denominator) for x in row] for row in H])
    rows, _ = cleared_rows(Hq)
    nonzero = [i for i in range(len(H)) if any(H[i])]
    multiples = proportional_rows(Hq, rows, nonzero)
    def is_multiple(u: list[Fraction], w: list[Fraction]) -> bool:
        f = next(t for t, x in enumerate(w) if x)
        return all(x == u[f] / w[f] * y for x, y in zip(u, w))

    kept = [k for k in nonzero if k not in multiples]
    for i in multiples:  # each line set aside is an exact multiple of a kept one
        assert any(is_multiple(H[i], H[k]) for k in kept)
    assert len(multiples) >= 1
    pr = proved_rank(Hq)
    assert pr.rank == rank(H, method="pure") and not set(pr.pivots) & multiples
    assert inertia(Hq) == inertia(H, method="ldl")


@pytest.mark.parametrize("seed", range(8))
def test_the_symmetric_block_check_agrees_with_the_whole_check(seed: int) -> None:
    """solve_rank_holds in 1, 2, 3 or 5 column blocks, on S = C·H: true on the planted rank, and
    false once one symmetric pair (i, j), (j, i) of H's rest block is moved, wherever it is.

    The reference for the rank is the pure-Fraction elimination (no flint)."""
    rng = random.Random(300 + seed)
    n, r = rng.randint(7, 11), rng.randint(2, 4)
    J, L = gram(rng, r, n, [rng.choice([-2, -1, 1, 3]) for _ in range(r)])  # H = JᵀLJ, rank ≤ r
    H = [[Fraction(int(x.p), int(x.q)) for x in row] for row in (J.transpose() * L * J).tolist()]
    scales = [rng.randint(1, 7) for _ in range(n)]  # S = C·H, C a positive diagonal
    def scaled(H: list[list[Fraction]]) -> flint.fmpz_mat:
        den = 1
        for row in H:
            for x in row:
                den = den * x.denominator // math.gcd(den, x.denominator)
        return flint.fmpz_mat([[int(scales[i] * den * x) for x in row] for i, row in enumerate(H)])
    S = scaled(H)
    true_rank = rank(H, method="pure")
    got, piv = modular_pivots(S, PRIMES[0])
    assert got == true_rank
    for blocks in (1, 2, 3, 5):
        assert solve_rank_holds(S, piv, blocks=blocks)
    rest = [j for j in range(n) if j not in piv]
    for a in range(len(rest)):
        for b in range(a, len(rest)):
            i, j = rest[a], rest[b]
            moved = [row[:] for row in H]
            moved[i][j] += 1
            if i != j:
                moved[j][i] += 1
            assert rank(moved, method="pure") > true_rank
            for blocks in (1, 2, 3, 5):
                assert not solve_rank_holds(scaled(moved), piv, blocks=blocks), (i, j, blocks)


def test_proved_rank_refuses_a_non_symmetric_matrix() -> None:
    with pytest.raises(InputError, match="needs a symmetric matrix"):
        proved_rank(flint.fmpz_mat([[1, 2], [3, 4]]))
