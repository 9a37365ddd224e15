"""mp inertia (Bunch–Kaufman in mpmath) against the exact inertia of the same rational matrices."""

from __future__ import annotations

import random
from fractions import Fraction

import mpmath
import numpy as np

from exactlift.arith.linalg import inertia
from exactlift.arith.numerical import mp_inertia


def _to_mp(H):
    return np.array([[mpmath.mpf(x.numerator) / x.denominator for x in row] for row in H], dtype=object)


def test_mp_inertia_equals_exact_inertia_on_random_congruences():
    rng = random.Random(0)
    for trial in range(200):
        n = rng.randint(1, 9)
        k = rng.randint(1, n)
        A = [[Fraction(rng.randint(-5, 5), rng.randint(1, 3)) for _ in range(n)] for _ in range(k)]
        D = [rng.choice([-2, -1, 1, 3, 0]) for _ in range(k)]
        H = [[sum(A[t][i] * D[t] * A[t][j] for t in range(k)) for j in range(n)] for i in range(n)]
        if trial % 3 == 0:  # zero diagonal: forces 2×2 pivots
            H = [[H[i][j] if i != j else Fraction(0) for j in range(n)] for i in range(n)]
        with mpmath.workdps(40):
            got = mp_inertia(_to_mp(H), mpmath.mpf(10) ** -30)
        assert got == inertia(H, method="ldl"), H


def test_mp_inertia_of_empty_and_zero():
    assert mp_inertia(np.empty((0, 0), dtype=object), mpmath.mpf(1) / 10**20) == (0, 0, 0)
    Z = np.array([[mpmath.mpf(0)] * 3] * 3, dtype=object)
    assert mp_inertia(Z, mpmath.mpf(1) / 10**20) == (0, 3, 0)
