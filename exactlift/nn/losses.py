"""Per-sample losses ℓ(f, y) as SymPy expressions with derivatives.

The risk is R_S(θ) = (1/n) Σ_i ℓ(f_θ(x_i), y_i).  Every loss is a SymPy
expression in the output variables ``f0, f1, …`` and targets ``y0, y1, …``
(``f`` and ``y`` also name the first ones for scalar output), differentiated
once by SymPy and then evaluated in any scalar context.

* ``mse`` (default): ℓ = ‖f − y‖² (no 1/2).
* ``cross_entropy`` (alias ``logistic``): for scalar output the logistic
  loss on a logit, ℓ = log(1 + e^f) − y f (y ∈ [0, 1]); for vector output the
  softmax cross-entropy ℓ = log Σ_k e^{f_k} − Σ_k y_k f_k (y a probability
  vector).  Needs ``mp`` arithmetic.
* any expression such as ``"(f - y)**4"`` or ``"(f0-y0)**2 + 3*(f1-y1)**2"``.

>>> loss = parse_loss("mse", output_dim=2)
>>> loss.expr
(f0 - y0)**2 + (f1 - y1)**2
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy

from exactlift.arith.contexts import Context
from exactlift.arith.exprs import evaluate, is_exact_rational_function, parse_expression
from exactlift.errors import ArithmeticModeError, InputError, excerpt, validated


def output_symbols(output_dim: int) -> tuple[tuple[sympy.Symbol, ...], tuple[sympy.Symbol, ...]]:
    """The symbols (f0, …), (y0, …) a loss expression is written in."""
    fs = tuple(sympy.Symbol(f"f{k}") for k in range(output_dim))
    ys = tuple(sympy.Symbol(f"y{k}") for k in range(output_dim))
    return fs, ys


@dataclass(frozen=True)
class Loss:
    """A per-sample loss with its gradient and Hessian in the outputs."""

    spec: str
    output_dim: int
    expr: sympy.Expr
    grad: tuple[sympy.Expr, ...] = field(compare=False, repr=False)
    hess: tuple[tuple[sympy.Expr, ...], ...] = field(compare=False, repr=False)

    @property
    def exact_capable(self) -> bool:
        """Whether ℓ is a rational function of the outputs and targets (exact rational values)."""
        fs, ys = output_symbols(self.output_dim)
        return is_exact_rational_function(self.expr, fs + ys)

    def jet(self, ctx: Context, f: np.ndarray, y: np.ndarray) -> tuple[Any, np.ndarray, np.ndarray]:
        """(ℓ, ∂ℓ/∂f, ∂²ℓ/∂f²) for one sample, in the context ``ctx``.

        A context whose scalars are rationals (``ctx.rational``) refuses a loss that is not
        :attr:`exact_capable` (e.g. cross-entropy) with :class:`ArithmeticModeError`.
        """
        if ctx.rational and not self.exact_capable:
            raise ArithmeticModeError(f"the loss {self.spec!r} has no exact rational values: use --arithmetic mp")
        env = {f"f{k}": f[k] for k in range(self.output_dim)}
        env.update({f"y{k}": y[k] for k in range(self.output_dim)})
        value = evaluate(self.expr, env, ctx)
        g = np.empty(self.output_dim, dtype=object)
        g[:] = [evaluate(e, env, ctx) for e in self.grad]
        h = np.empty((self.output_dim, self.output_dim), dtype=object)
        for a in range(self.output_dim):
            for b in range(self.output_dim):
                h[a, b] = evaluate(self.hess[a][b], env, ctx)
        return value, g, h

    def sympy_loss(self, f: Any, y: Any) -> sympy.Expr:
        """ℓ(f, y) with SymPy expressions substituted (for naive references)."""
        fs, ys = output_symbols(self.output_dim)
        sub = {s: v for s, v in zip(fs, f)}
        sub.update({s: v for s, v in zip(ys, y)})
        return self.expr.xreplace(sub)


def _make(spec: str, output_dim: int, expr: sympy.Expr) -> Loss:
    fs, _ = output_symbols(output_dim)
    grad = tuple(sympy.diff(expr, s) for s in fs)
    hess = tuple(tuple(sympy.diff(g, s) for s in fs) for g in grad)
    return Loss(spec, output_dim, expr, grad, hess)


@validated
def parse_loss(spec: str | Loss, output_dim: int) -> Loss:
    """A loss from its name (``mse``, ``cross_entropy``/``logistic``) or an expression.

    >>> parse_loss("(f - y)**4", 1).grad
    (4*(f0 - y0)**3,)
    """
    if isinstance(spec, Loss):
        if spec.output_dim != output_dim:
            raise InputError(f"the loss is for {spec.output_dim} output(s), the network has {output_dim}")
        return spec
    if not isinstance(spec, str) or not spec.strip():
        raise InputError(f"a loss must be a non-empty string, got {excerpt(spec)}")
    fs, ys = output_symbols(output_dim)
    name = spec.strip().lower()
    if name in ("mse", "squared", "squared_error"):
        return _make("mse", output_dim, sympy.Add(*[(f - y) ** 2 for f, y in zip(fs, ys)]))
    if name in ("cross_entropy", "logistic", "ce"):
        if output_dim == 1:
            expr = sympy.log(1 + sympy.exp(fs[0])) - ys[0] * fs[0]
        else:
            expr = sympy.log(sympy.Add(*[sympy.exp(f) for f in fs])) - sympy.Add(*[y * f for f, y in zip(fs, ys)])
        return _make("cross_entropy", output_dim, expr)
    allowed = {s.name for s in fs + ys}
    if output_dim == 1:
        allowed |= {"f", "y"}
    expr = parse_expression(spec, allowed, where=f"loss {excerpt(spec)}")
    expr = expr.xreplace({sympy.Symbol("f"): fs[0], sympy.Symbol("y"): ys[0]})
    if not expr.free_symbols & set(fs):
        raise InputError(f"loss {excerpt(spec)} does not depend on the network output")
    return _make(spec.strip(), output_dim, expr)
