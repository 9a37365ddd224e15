"""The naive reference: the full loss as one SymPy expression, differentiated by SymPy.

This is what a user would write by hand (``sympy.hessian`` of the whole risk).
exactlift never uses it to decide anything: tests, the demo and the
benchmarks use it as an *independent* reference for :mod:`exactlift.calculus.backprop`
(it shares nothing with it but the activation's and loss's SymPy expressions).
It is slow: seconds for 20 parameters, minutes for 100.
"""

from __future__ import annotations

from typing import Any, Sequence

import sympy

from exactlift.nn.losses import Loss
from exactlift.nn.network import Architecture


def naive_loss(
    arch: Architecture, X: Sequence[Sequence[Any]], Y: Sequence[Sequence[Any]], loss: Loss
) -> tuple[sympy.Expr, list[sympy.Symbol]]:
    """R(θ) as one SymPy expression in fresh parameter symbols t0, t1, … (canonical order)."""
    syms = sympy.symbols(f"t0:{arch.n_params}")
    pos = 0
    Ws, bs = [], []
    for l in range(1, arch.n_layers + 1):
        m_out, m_in = arch.widths[l], arch.widths[l - 1]
        Ws.append(sympy.Matrix(m_out, m_in, syms[pos : pos + m_out * m_in]))
        pos += m_out * m_in
        if arch.biases[l - 1]:
            bs.append(sympy.Matrix(syms[pos : pos + m_out]))
            pos += m_out
        else:
            bs.append(sympy.zeros(m_out, 1))
    total = 0
    for x, y in zip(X, Y):
        h = sympy.Matrix([sympy.sympify(v) for v in x])
        for l in range(1, arch.n_layers + 1):
            z = Ws[l - 1] * h + bs[l - 1]
            if l < arch.n_layers:
                h = z.applyfunc(arch.activations[l - 1].sympy_function)
            else:
                h = z
        total += loss.sympy_loss(list(h), [sympy.sympify(v) for v in y])
    return total / len(X), list(syms)


def naive_derivatives(
    arch: Architecture,
    theta: Sequence[Any],
    X: Sequence[Sequence[Any]],
    Y: Sequence[Sequence[Any]],
    loss: Loss,
    hessian: bool = True,
) -> tuple[sympy.Expr, list[sympy.Expr], sympy.Matrix | None]:
    """(R, ∇R, Hessian) at θ by ``sympy.diff``/``sympy.hessian`` of the whole expression.

    >>> from exactlift.nn.network import Architecture
    >>> from exactlift.nn.losses import parse_loss
    >>> arch = Architecture.build([1, 1], [])
    >>> naive_derivatives(arch, [2, 1], [[1]], [[0]], parse_loss("mse", 1))
    (9, [6, 6], Matrix([
    [2, 2],
    [2, 2]]))
    """
    R, syms = naive_loss(arch, X, Y, loss)
    sub = {s: sympy.sympify(v) for s, v in zip(syms, theta)}
    value = R.xreplace(sub)
    grad = [sympy.diff(R, s).xreplace(sub) for s in syms]
    H = sympy.hessian(R, syms).xreplace(sub) if hessian else None
    return value, grad, H
