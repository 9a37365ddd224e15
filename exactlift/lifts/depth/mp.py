"""Critical points for networks without exact values (tanh, sigmoid, …), for depth checks in ``mp``.

docs/mathematics.md makes exact critical points by choosing a residual e with Jᵀe = 0
and targets y = f_θ(x) − e.  With tanh the outputs and the Jacobian are
irrational, so :func:`mp_critical_targets` does the same at high precision:

1. J and f_θ(x_i) in ``mp`` at ``digits`` (default 120) digits;
2. e = the component of a random rational vector orthogonal to the column
   space of J (modified Gram–Schmidt, columns with relative norm below
   10^(−digits/2) dropped as dependent);
3. y_i = f_θ(x_i) − e_i rounded to exact rationals (the binary value of the mp
   number, so the case file stays exact).

Then ∇R(θ) = (2/n) Jᵀe is ≈ 10^(−digits) in size: at 60 digits the core
reports the gradient below 10^(−60+10) and θ counts as critical, with
strength ``numerical`` (not a proof).  ``teacher=True`` gives e = 0 (a global
minimum up to the rounding of y).

>>> from exactlift.nn.network import Architecture, Params
>>> arch = Architecture.build([1, 2, 1], "tanh")
>>> theta = Params.from_flat(arch, [1, -1, 0, 1, 1, 2, 0])
>>> Y = mp_critical_targets(arch, theta, [[-2], [-1], [0], [1], [2], [3], [4], [5], [6]])
>>> len(Y), type(Y[0][0]).__name__
(9, 'Fraction')
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any, Sequence

import mpmath

from exactlift.arith.contexts import get_context
from exactlift.calculus.backprop import forward, output_jacobian
from exactlift.errors import InputError
from exactlift.nn.network import Architecture, Params

__all__ = ["mp_critical_targets", "mp_to_fraction"]


def mp_to_fraction(x: Any) -> Fraction:
    """The exact rational value of an mpmath number (its binary mantissa and exponent).

    >>> mp_to_fraction(mpmath.mpf(-3) / 4)
    Fraction(-3, 4)
    """
    x = mpmath.mpf(x)
    if not mpmath.isfinite(x):
        raise InputError(f"{x} is not a finite number")
    sign, man, exp, _ = x._mpf_
    man = -int(man) if sign else int(man)
    exp = int(exp)
    return Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2 ** (-exp))


def mp_critical_targets(
    arch: Architecture, params: Params, X: Sequence[Sequence[Any]], seed: int = 0, digits: int = 120,
    teacher: bool = False,
) -> list[list[Fraction]]:
    """Targets making θ numerically critical (residual ⟂ columns of J) for any activation."""
    ctx = get_context("mp", digits)
    with ctx.active():
        Xc = ctx.array(X, "x")
        out = forward(arch, params.convert(ctx), Xc, ctx).output
        f = [v for row in out.tolist() for v in row]
        if teacher:
            e = [mpmath.mpf(0)] * len(f)
        else:
            J = output_jacobian(arch, params, Xc, ctx)
            rows, cols = J.shape
            basis: list[list[Any]] = []
            tol = mpmath.mpf(10) ** (-digits // 2)
            for j in range(cols):
                v = [J[i, j] for i in range(rows)]
                norm0 = mpmath.sqrt(mpmath.fsum(x * x for x in v))
                for b in basis:
                    dot = mpmath.fsum(x * y for x, y in zip(v, b))
                    v = [x - dot * y for x, y in zip(v, b)]
                norm = mpmath.sqrt(mpmath.fsum(x * x for x in v))
                if norm0 == 0 or norm <= tol * norm0:
                    continue
                basis.append([x / norm for x in v])
            if len(basis) >= rows:
                raise InputError(
                    f"the output Jacobian ({rows} x {cols}) has full row rank numerically: no residual e != 0 with "
                    "J^T e = 0; use more data points"
                )
            rng = random.Random(seed)
            v = [mpmath.mpf(rng.randint(-9, 9)) / rng.randint(1, 4) for _ in range(rows)]
            for b in basis:
                dot = mpmath.fsum(x * y for x, y in zip(v, b))
                v = [x - dot * y for x, y in zip(v, b)]
            e = v
        dout = arch.output_dim
        return [[mp_to_fraction(f[i * dout + k] - e[i * dout + k]) for k in range(dout)] for i in range(len(f) // dout)]
