"""The rank proofs (Schur, exact solve, FLINT rank), zero rows set aside, and the Gram inertia from factors."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from exactlift.arith.linalg import inertia, rank
from exactlift.arith.linalg.gram_inertia import gram_inertia_result
from exactlift.arith.linalg.inertia import inertia_result, start_prec

flint = pytest.importorskip("flint")

from exactlift.arith.linalg.exact_rank import proved_rank, solve_rank_holds, zero_lines  # noqa: E402


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
    ranks = {proof: proved_rank(num, proof=proof) for proof in ("schur", "solve", "fmpz_rank", "auto")}
    assert {r.rank for r in ranks.values()} == {pure}
    for r in ranks.values():  # the pivot block is non-singular and avoids the zero rows
        assert not set(r.pivots) & set(zero_lines(num))
        if r.rank:
            assert flint.fmpq_mat(r.rank, r.rank, [H[i, j] for i in r.pivots for j in r.pivots]).det() != 0
    assert inertia(H) == inertia(H, method="charpoly") == inertia(H, method="ldl")


def test_zero_lines_and_solve_check() -> None:
    num = flint.fmpz_mat([[0, 0, 0, 0], [0, 2, 0, 4], [0, 0, 0, 0], [0, 4, 0, 8]])
    assert zero_lines(num) == [0, 2]
    assert proved_rank(num).rank == 1
    assert solve_rank_holds(flint.fmpz_mat([[2, 4], [4, 8]]), (0,))
    assert not solve_rank_holds(flint.fmpz_mat([[2, 4], [4, 9]]), (0,))


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
