"""FLINT threads (exactlift.arith.linalg.engine.threads): how fast, never what."""

from __future__ import annotations

import random
from fractions import Fraction

import flint
import pytest

from exactlift.arith.linalg import engine
from exactlift.arith.linalg.inertia import inertia_result
from exactlift.errors import InputError


def planted(n: int, diag: list[int], seed: int) -> list[list[Fraction]]:
    """U·D·Uᵀ for a random unit lower-triangular U (inertia = signs of D, by Sylvester's law)."""
    rng = random.Random(seed)
    U = [[Fraction(1) if i == j else Fraction(rng.randint(-9, 9), rng.randint(1, 7)) if j < i else Fraction(0)
          for j in range(n)] for i in range(n)]
    return [[sum(U[i][k] * diag[k] * U[j][k] for k in range(n)) for j in range(n)] for i in range(n)]


@pytest.mark.parametrize("count", [1, 2])
def test_inertia_is_the_same_with_one_or_two_threads(count: int) -> None:
    diag = [3, -2, 0, 0, 5, -1, 0, 7] * 5
    H = planted(len(diag), diag, seed=count)
    expected = (sum(d < 0 for d in diag), sum(d == 0 for d in diag), sum(d > 0 for d in diag))
    with engine.threads(count):
        assert flint.ctx.threads == count
        assert inertia_result(H).inertia == expected
    assert inertia_result(H, method="ldl").inertia == expected


def test_threads_restores_the_setting_and_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    before = flint.ctx.threads
    with engine.threads(2):
        pass
    assert flint.ctx.threads == before
    monkeypatch.setenv("EXACTLIFT_THREADS", "3")
    assert engine.flint_threads() == 3
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("EXACTLIFT_THREADS", bad)
        with pytest.raises(InputError, match="EXACTLIFT_THREADS"):
            engine.flint_threads()
