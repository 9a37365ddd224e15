"""ball_ldl_inertia against exact inertia (exactlift.arith.linalg.inertia) on planted matrices."""

import random

import flint
import pytest

from exactlift.arith.ball_ldl import ball_ldl_inertia
from exactlift.arith.linalg import inertia


def planted(n, neg, zero, seed, tiny=None):
    rnd = random.Random(seed)
    diag = [-rnd.randint(1, 9) for _ in range(neg)] + [0] * zero + [rnd.randint(1, 9) for _ in range(n - neg - zero)]
    if tiny is not None:
        diag[-1] = flint.fmpq(1, 10**tiny)
    rnd.shuffle(diag)
    D = flint.fmpq_mat(n, n)
    for i, d in enumerate(diag):
        D[i, i] = d
    # unimodular U: product of a random unit upper and unit lower triangular integer matrix
    Up, Lo = flint.fmpq_mat(n, n), flint.fmpq_mat(n, n)
    for i in range(n):
        Up[i, i] = Lo[i, i] = 1
        for j in range(i + 1, n):
            Up[i, j] = rnd.randint(-3, 3)
            Lo[j, i] = rnd.randint(-3, 3)
    U = Up * Lo
    return U.transpose() * D * U, (neg, zero, n - neg - zero)


@pytest.mark.parametrize("n,neg,seed", [(5, 2, 0), (12, 5, 1), (30, 11, 2), (40, 0, 3), (25, 25, 4)])
def test_planted_nonsingular(n, neg, seed):
    M, expected = planted(n, neg, 0, seed)
    assert inertia(M) == expected  # the independent exact engine agrees with the planted inertia
    r = ball_ldl_inertia(M)
    assert r.proved and r.inertia == expected


def test_escalation_needed():
    # an eigenvalue of size ~1e-60 next to entries of size ~1e6: 128 bits are not enough
    M, expected = planted(10, 3, 0, 7, tiny=60)
    r = ball_ldl_inertia(M, rounds=1)
    assert r.inertia == expected
    assert r.prec > 128


def test_precision_limit_says_so():
    M, expected = planted(10, 3, 0, 7, tiny=200)
    r = ball_ldl_inertia(M, rounds=1, max_prec=256)
    assert r.inertia is None and r.zero_cluster >= 1 and "not separated from 0" in r.reason


def test_singular_is_undecided_with_cluster():
    M, expected = planted(12, 4, 2, 5)
    assert inertia(M) == expected
    r = ball_ldl_inertia(M, max_prec=512)
    assert r.inertia is None
    assert r.zero_cluster >= 2 and r.bounds[0] <= 4 and r.bounds[1] <= 6


def test_callable_input_recomputes_balls():
    M, expected = planted(8, 3, 0, 9, tiny=50)
    calls = []

    def at(prec):
        calls.append(prec)
        return flint.arb_mat(M)

    r = ball_ldl_inertia(at, rounds=1)
    assert r.inertia == expected and calls[0] == 128 and len(calls) >= 2
