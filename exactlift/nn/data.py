"""Exact data sets: teacher-generated data and exact critical points (docs/mathematics.md).

**Exact critical points with non-zero loss** (any activation, squared loss):
pick θ, compute the Jacobian J of the training outputs (rows: sample i,
output k), choose a non-zero residual e with Jᵀe = 0 exactly, and set
y_i = f_θ(x_i) − e_i.  Then ∇R_S(θ) = (2/n) Jᵀ e = 0 while R_S(θ) = ‖e‖²/n > 0.
Teacher data (e = 0) makes θ a global minimum.

>>> from exactlift.nn.network import Architecture, Params
>>> arch = Architecture.build([1, 1, 1], "identity")
>>> theta = Params.from_flat(arch, [1, 0, 1, 0])
>>> X = [[-1], [0], [1]]
>>> Y = critical_targets(arch, theta, X)
>>> e = [x[0] - y[0] for x, y in zip(X, Y)]  # residual; here f(x) = x and J has columns x, 1, x, 1
>>> any(e), sum(e) == 0, sum(x[0] * r for x, r in zip(X, e)) == 0
(True, True, True)
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from exactlift.arith.contexts import get_context
from exactlift.calculus.backprop import forward, output_jacobian
from exactlift.errors import InputError, validated
from exactlift.nn.network import Architecture, Params


def random_rational(rng: random.Random, size: int = 5, denominators: int = 4) -> Fraction:
    """A small non-zero random rational p/q with 1 ≤ |p| ≤ size, 1 ≤ q ≤ denominators.

    Zero is excluded so that random ReLU pre-activations rarely sit on a kink.
    """
    p = rng.randint(1, size) * rng.choice((-1, 1))
    return Fraction(p, rng.randint(1, denominators))


@validated
def random_params(arch: Architecture, seed: int = 0, size: int = 5, denominators: int = 4) -> Params:
    """Random exact rational parameters (reproducible from ``seed``)."""
    rng = random.Random(seed)
    return Params.from_flat(arch, [random_rational(rng, size, denominators) for _ in range(arch.n_params)])


@validated
def random_inputs(n: int, dim: int, seed: int = 0, size: int = 5, denominators: int = 4) -> list[list[Fraction]]:
    """n random exact rational input points of dimension ``dim``."""
    rng = random.Random(seed)
    return [[random_rational(rng, size, denominators) for _ in range(dim)] for _ in range(n)]


def network_outputs(arch: Architecture, params: Params, X: Sequence[Sequence[Any]]) -> list[list[Fraction]]:
    """f_θ(x_i) exactly for every input row."""
    ctx = get_context("exact")
    with ctx.active():
        fp = forward(arch, params.convert(ctx), ctx.array(X, "x"), ctx)
    return [[ctx.to_fraction(v) for v in row] for row in fp.output.tolist()]


@validated
def teacher_targets(arch: Architecture, params: Params, X: Sequence[Sequence[Any]]) -> list[list[Fraction]]:
    """Targets y_i = f_θ(x_i): θ is then a global minimum (zero loss)."""
    return network_outputs(arch, params, X)


@validated
def critical_targets(
    arch: Architecture, params: Params, X: Sequence[Sequence[Any]], seed: int = 0
) -> list[list[Fraction]]:
    """Targets making θ an exact critical point with non-zero squared loss.

    Chooses a residual e ≠ 0 in the kernel of Jᵀ (a random rational
    combination of an exact kernel basis, reproducible from ``seed``).
    Raises :class:`InputError` when Jᵀ has a trivial kernel (then only zero
    loss is critical: add data points or shrink the network).
    """
    from exactlift.arith.linalg import kernel

    ctx = get_context("exact")
    Xc = ctx.array(X, "x")
    J = output_jacobian(arch, params, Xc, ctx)
    basis = kernel(J.T)
    if not basis:
        raise InputError(
            f"the output Jacobian ({J.shape[0]} x {J.shape[1]}) has full row rank: no residual e != 0 "
            "with J^T e = 0 exists; use more data points than parameters can fit"
        )
    rng = random.Random(seed)
    e = [Fraction(0)] * J.shape[0]
    while all(v == 0 for v in e):
        coeffs = [Fraction(rng.randint(-3, 3), rng.randint(1, 3)) for _ in basis]
        e = [sum((c * Fraction(vec[r]) for c, vec in zip(coeffs, basis)), Fraction(0)) for r in range(J.shape[0])]
    f = network_outputs(arch, params, X)
    dout = arch.output_dim
    return [[f[i][k] - e[i * dout + k] for k in range(dout)] for i in range(len(f))]


def as_fraction_rows(values: Any, where: str, floats: str = "refuse") -> list[list[Fraction]]:
    """Validate a list of rows of exact numbers (strings, ints, Fractions)."""
    from exactlift.arith.contexts import parse_rational

    if not isinstance(values, (list, tuple, np.ndarray)) or len(values) == 0:
        raise InputError(f"{where} must be a non-empty list of rows")
    rows = []
    width = None
    for i, row in enumerate(values):
        if not isinstance(row, (list, tuple, np.ndarray)):
            raise InputError(f"{where}[{i}] must be a list (one row per data point), got {row!r}")
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise InputError(f"{where}[{i}] has {len(row)} entries, the first row has {width}")
        rows.append([parse_rational(v, f"{where}[{i}][{j}]", floats) for j, v in enumerate(row)])
    return rows
