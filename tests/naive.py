"""The naive reference: the full loss as one SymPy expression, differentiated by SymPy.

Used by the tests only (never by the library): it shares no code with
:mod:`exactlift.calculus` except the activation's SymPy expression.
"""

from __future__ import annotations

from typing import Any, Sequence

import sympy

from exactlift.nn.network import Architecture


def naive_loss(arch: Architecture, theta: Sequence[Any], X: Sequence[Sequence[Any]], Y: Sequence[Sequence[Any]], loss) -> tuple[sympy.Expr, list[sympy.Symbol]]:
    """R(θ) as a SymPy expression in fresh parameter symbols, plus the symbols and their values."""
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


def naive_derivatives(arch, theta, X, Y, loss, hessian: bool = True):
    """(loss, gradient, Hessian) at θ by sympy.diff / sympy.hessian of the whole expression."""
    R, syms = naive_loss(arch, theta, X, Y, loss)
    sub = {s: sympy.sympify(v) for s, v in zip(syms, theta)}
    value = sympy.nsimplify(R.xreplace(sub)) if False else R.xreplace(sub)
    grad = [sympy.diff(R, s).xreplace(sub) for s in syms]
    H = sympy.hessian(R, syms).xreplace(sub) if hessian else None
    return value, grad, H
