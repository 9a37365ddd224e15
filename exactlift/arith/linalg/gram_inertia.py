"""Inertia of a Gram matrix Jᵀ Λ J from its factors, without forming or reducing the P × P product.

If J (N × P) has full row rank N, J is onto Q^N, and by Sylvester's law of inertia
Jᵀ Λ J has the inertia of Λ plus P − N zeros.  The rank is proved cheaply: the rank of J
modulo a prime is a lower bound (independent modulo p means independent over Q), and N
(its number of rows) is an upper bound.  Λ is block diagonal (one small block per sample),
so its inertia is the sum of the blocks'.  When J does not have full row rank (modulo the
prime) the answer is ``None`` and the caller reduces the matrix itself.

>>> import flint
>>> J = flint.fmpq_mat([[1, 2, 3], [0, 1, 1]])
>>> r = gram_inertia_result(J, [flint.fmpq_mat([[2]]), flint.fmpq_mat([[-1]])])
>>> r.inertia, r.path, r.rank
((1, 1, 1), 'gram', 2)
>>> inertia_result(J.transpose() * flint.fmpq_mat([[2, 0], [0, -1]]) * J).inertia
(1, 1, 1)
"""

from __future__ import annotations

from typing import Any

from exactlift.arith.linalg.exact_rank import PRIMES, modular_pivots
from exactlift.arith.linalg.inertia import inertia_result
from exactlift.arith.linalg.inertia_result import InertiaResult


def gram_inertia_result(J: Any, blocks: list[Any]) -> InertiaResult | None:
    """Inertia of c·Jᵀ·diag(blocks)·J for any c > 0 and an ``fmpq_mat`` J, or None.

    ``blocks`` are the diagonal blocks of Λ (matrices accepted by
    :func:`~exactlift.arith.linalg.inertia.inertia`), whose sizes add up to J's number of
    rows.  None when J does not have full row rank modulo the first prime.
    """
    N, P = J.nrows(), J.ncols()
    if N == 0 or N > P:
        return None
    num, _ = J.numer_denom()
    r, _ = modular_pivots(num, PRIMES[0])
    if r != N:
        return None
    neg = zero = pos = 0
    for B in blocks:
        m, z, p = inertia_result(B).inertia
        neg, zero, pos = neg + m, zero + z, pos + p
    if neg + zero + pos != N:
        return None
    return InertiaResult((neg, zero + P - N, pos), "gram", N - zero, "gram")
