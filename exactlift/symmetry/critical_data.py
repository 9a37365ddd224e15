"""A non-global critical point θ* (docs/mathematics.md) and the critical part of its replication subspaces.

Both are built on the core network and derivatives (through
:mod:`exactlift.symmetry.twolayer`): the Jacobian J = ∂f(X)/∂θ at θ* is the
core's :func:`~exactlift.calculus.backprop.output_jacobian`, the residual e ≠ 0
is an exact element of ker Jᵀ, y = f_{θ*}(X) − e, and the result is checked by
the core back-propagation (gradient exactly 0, risk > 0).

On a replication subspace S of θ* the residual is that of θ*; ∂R/∂a_j = 0
automatically and ∂R/∂w_j = (2/n) M_{π(j)} a_j with
M_i = Σ_k σ′(w*_i·x_k) x_k e_kᵀ (d × d_out), the σ′ values taken from the
core forward pass.  :func:`critical_part` returns S ∩ {M_{π(j)} a_j = 0} as an
exact affine system.

>>> cd = make_critical_data(r=2)
>>> cd.risk > 0, cd.n
(True, 6)
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from exactlift.arith.contexts import get_context
from exactlift.errors import InputError
from exactlift.symmetry import exact
from exactlift.symmetry.sizes import positive_int
from exactlift.symmetry.subspaces import AffineSystem, Subspace, Teacher, default_teacher
from exactlift.symmetry.twolayer import (
    DEFAULT_ACTIVATION,
    RationalActivation,
    TwoLayerPoint,
    hidden_derivatives,
    network_outputs,
    output_jacobian_rows,
    risk_and_gradient,
)

__all__ = ["CriticalData", "make_critical_data", "critical_part", "residual_matrices"]


@dataclass(frozen=True)
class CriticalData:
    """A width-r point θ* that is critical for the data (X, Y) with non-zero loss."""

    teacher: Teacher
    X: tuple[tuple[Fraction, ...], ...]
    Y: tuple[tuple[Fraction, ...], ...]
    residual: tuple[tuple[Fraction, ...], ...]
    activation: RationalActivation
    risk: Fraction

    @property
    def n(self) -> int:
        return len(self.X)


def _random_inputs(rng: random.Random, n: int, d: int) -> list[list[Fraction]]:
    """n distinct, non-zero random rational inputs.

    A repeated input would let e cancel on it and make every function of x
    orthogonal to e (a degenerate critical point).

    Numerators are drawn from [-6, 6] while that gives new points; after 100 draws in a row
    without one (in d = 1 there are only 26 such values) the range doubles, so the loop ends
    for every n (before, ``subspace-criticality 2 3 --d-out 20`` asked for 44 of the 26 and
    never stopped).

    >>> len({x[0] for x in _random_inputs(random.Random(0), 44, 1)})
    44
    """
    rows: list[tuple[Fraction, ...]] = []
    seen: set[tuple[Fraction, ...]] = set()
    bound, misses = 6, 0
    while len(rows) < n:
        x = tuple(Fraction(rng.randint(-bound, bound), rng.randint(1, 3)) for _ in range(d))
        if any(x) and x not in seen:
            rows.append(x)
            seen.add(x)
            misses = 0
        else:
            misses += 1
            if misses > 100:
                bound, misses = 2 * bound, 0
    return [list(x) for x in rows]


def make_critical_data(
    teacher: Teacher | None = None,
    X: Sequence[Sequence[Any]] | None = None,
    *,
    r: int = 2,
    d: int = 1,
    d_out: int = 1,
    n: int | None = None,
    activation: Any = DEFAULT_ACTIVATION,
    seed: int = 0,
) -> CriticalData:
    """Jᵀe = 0 recipe (docs/mathematics.md): J = ∂f(X)/∂θ at θ*, a residual e ≠ 0 with Jᵀe = 0, y = f_{θ*}(X) − e.

    Without ``teacher``, :func:`default_teacher(r, d, d_out, seed)`; without X,
    n random rational inputs (n defaults to r·(d + d_out) + 2, enough for Jᵀ to
    have a kernel).  The result is checked by the core back-propagation:
    gradient 0 exactly, risk > 0.

    >>> cd = make_critical_data(r=2)
    >>> cd.risk > 0, all(g == 0 for g in risk_and_gradient(TwoLayerPoint.from_teacher(cd.teacher), cd.X, cd.Y, cd.activation)[1])
    (True, True)
    """
    act = RationalActivation.parse(activation)
    rng = random.Random(seed)
    if teacher is None:
        teacher = default_teacher(positive_int("r", r), positive_int("d", d), positive_int("d_out", d_out), seed)
    if X is None:
        if n is None:
            n = teacher.r * (teacher.d + teacher.d_out) + 2
        Xf = _random_inputs(rng, positive_int("n", n), teacher.d)
    else:
        Xf = [[exact.as_fraction(v, f"X[{k}][{l}]") for l, v in enumerate(row)] for k, row in enumerate(X)]
        if any(len(row) != teacher.d for row in Xf):
            raise InputError(f"every input must have d = {teacher.d} entries")
    point = TwoLayerPoint.from_teacher(teacher)
    J = output_jacobian_rows(point, Xf, act)
    JT = [list(col) for col in zip(*J)]
    basis = exact.nullspace(JT, len(J))
    if not basis:
        raise InputError(
            f"Jᵀ has a trivial kernel for these {len(Xf)} inputs: no non-zero residual keeps θ* critical; "
            f"use more inputs"
        )
    while True:
        e = [Fraction(0)] * len(J)
        for v in basis:
            t = Fraction(rng.randint(-3, 3), rng.randint(1, 2))
            e = [x + t * y for x, y in zip(e, v)]
        if any(e):
            break
    F = network_outputs(point, Xf, act)
    dout = teacher.d_out
    E = [tuple(e[k * dout + c] for c in range(dout)) for k in range(len(Xf))]
    Y = tuple(tuple(F[k][c] - E[k][c] for c in range(dout)) for k in range(len(Xf)))
    risk, grad = risk_and_gradient(point, Xf, Y, act)
    ctx = get_context("exact")
    assert ctx.all_zero(grad) and risk > 0  # by construction (Jᵀe = 0, e ≠ 0)
    return CriticalData(teacher, tuple(map(tuple, Xf)), Y, tuple(E), act, risk)


def residual_matrices(data: CriticalData) -> list[list[list[Fraction]]]:
    """M_i = Σ_k σ′(w*_i·x_k) x_k e_kᵀ (d × d_out) for every teacher neuron i, σ′ from the core forward pass.

    >>> cd = make_critical_data(r=2)
    >>> [M for M in residual_matrices(cd)]  # d_out = 1 at a critical point: M_i a*_i = 0 forces M_i = 0
    [[[Fraction(0, 1)]], [[Fraction(0, 1)]]]
    """
    T = data.teacher
    S1 = hidden_derivatives(TwoLayerPoint.from_teacher(T), data.X, data.activation)
    d, d_out = T.d, T.d_out
    Ms = []
    for i in range(T.r):
        M = [[Fraction(0)] * d_out for _ in range(d)]
        for k, (x, e) in enumerate(zip(data.X, data.residual)):
            ds = S1[k][i]
            for l in range(d):
                for c in range(d_out):
                    M[l][c] += ds * x[l] * e[c]
        Ms.append(M)
    return Ms


def critical_part(S: Subspace, data: CriticalData) -> AffineSystem:
    """The exact affine system of the critical points inside a replication subspace S.

    On S the function, hence the residual e, is that of θ*; ∂R/∂a_j = 0
    automatically and ∂R/∂w_j = (2/n) M_{π(j)} a_j with
    M_i = Σ_k σ′(w*_i·x_k) x_k e_kᵀ (d × d_out, :func:`residual_matrices`).  So
    the critical points of S are S ∩ {M_{π(j)} a_j = 0 for all j}.  For
    d_out = 1 this is S itself (M_i a*_i = 0 and M_i is a column); for
    d_out ≥ 2 it is in general smaller.

    >>> from exactlift.symmetry.subspaces import enumerate_subspaces
    >>> cd = make_critical_data(r=2)
    >>> S = next(iter(enumerate_subspaces("G", 2, 3)))
    >>> critical_part(S, cd).dimension() == S.equations(cd.teacher).dimension()
    True
    """
    if S.kind != "G":
        raise InputError("critical_part is defined for replication subspaces (kind G)")
    T = data.teacher
    base = S.equations(T)
    m, d, d_out = S.m, T.d, T.d_out
    Ms = residual_matrices(data)
    rows = list(base.A)
    rhs = list(base.b)
    n = base.n
    for i, block in enumerate(S.assignment):
        for j in block:
            for l in range(d):
                row = [Fraction(0)] * n
                for c in range(d_out):
                    row[m * d + c * m + j] = Ms[i][l][c]
                if any(row):
                    rows.append(tuple(row))
                    rhs.append(Fraction(0))
    return AffineSystem(tuple(rows), tuple(rhs), base.names)
