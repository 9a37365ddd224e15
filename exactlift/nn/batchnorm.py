"""Batch normalization over the training batch (docs/mathematics.md, optional; used by T5 of docs/depth.md).

A hidden layer l *with BN* computes, per neuron k, from its pre-activations
z_{1..n,k} on the whole training batch

    μ_k = (1/n) Σ_i z_{ik},   v_k = (1/n) Σ_i (z_{ik} − μ_k)²   (biased variance, ε = 0),
    ẑ_{ik} = (z_{ik} − μ_k) / √v_k,   f_{ik} = σ_l(γ_k ẑ_{ik} + β_k).

A BN layer has no bias of its own (it would cancel in z − μ); γ and β are
parameters.  The loss of a BN network is a function of the whole batch, so
it is built here as **one SymPy expression** in the parameter symbols
(canonical network order, then γ and β of each BN layer) and differentiated
by SymPy.  Square roots make the values algebraic:

* ``arithmetic="exact"``: exact algebraic numbers in SymPy (radicals of
  rationals); an entry is decided to be zero by its minimal polynomial
  (:func:`is_zero_algebraic`), never by rounding; only for small networks;
* ``arithmetic="mp"``: the same expressions evaluated by SymPy's ``evalf``
  (mpmath) at ``digits`` digits — numerical.

ReLU is SymPy's ``Piecewise``; at an evaluation point SymPy decides each
branch condition on algebraic numbers.

>>> from fractions import Fraction as F
>>> net = BNNetwork(Architecture.build([1, 1, 1], "relu", [False, True]), bn_layers=(1,))
>>> net.n_params, net.param_names()
(5, ['W[1][0,0]', 'W[2][0,0]', 'b[2][0]', 'gamma[1][0]', 'beta[1][0]'])
>>> net.split([2, 3, 0, 1, 5])[2]
{1: ([1], [5])}
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import sympy

from exactlift.errors import InputError
from exactlift.nn.losses import Loss, parse_loss
from exactlift.nn.network import Architecture

__all__ = [
    "BNNetwork",
    "batch_normalize",
    "bn_outputs",
    "bn_risk_expression",
    "bn_derivatives",
    "is_zero_algebraic",
]


def _sym(x: Any) -> sympy.Expr:
    if isinstance(x, Fraction):
        return sympy.Rational(x.numerator, x.denominator)
    return sympy.sympify(x)


@dataclass(frozen=True)
class BNNetwork:
    """A fully connected network whose hidden layers ``bn_layers`` are batch-normalized.

    Flat parameters: the canonical order of :class:`Architecture` (BN layers
    must have ``bias`` False), then for each BN layer (in increasing order)
    γ (m_l entries) and β (m_l entries).
    """

    arch: Architecture
    bn_layers: tuple[int, ...]

    def __post_init__(self) -> None:
        for l in self.bn_layers:
            self.arch.check_layer(l, hidden=True)
            if self.arch.biases[l - 1]:
                raise InputError(
                    f"hidden layer {l} is batch-normalized, so its bias cancels in z - mean(z): build the "
                    "architecture with bias False for that layer (beta is the shift)"
                )
        object.__setattr__(self, "bn_layers", tuple(sorted(set(self.bn_layers))))

    @property
    def n_params(self) -> int:
        return self.arch.n_params + sum(2 * self.arch.widths[l] for l in self.bn_layers)

    def param_names(self) -> list[str]:
        names = [self.arch.param_name(i) for i in range(self.arch.n_params)]
        for l in self.bn_layers:
            names += [f"gamma[{l}][{k}]" for k in range(self.arch.widths[l])]
            names += [f"beta[{l}][{k}]" for k in range(self.arch.widths[l])]
        return names

    def split(self, theta: Sequence[Any]) -> tuple[list, list, dict[int, tuple[list, list]]]:
        """(W per layer as nested lists, b per layer or None, {l: (γ, β)}) from flat θ."""
        theta = list(theta)
        if len(theta) != self.n_params:
            raise InputError(f"expected {self.n_params} parameters, got {len(theta)}")
        pos = 0
        Ws, bs = [], []
        for l in range(1, self.arch.n_layers + 1):
            m_out, m_in = self.arch.widths[l], self.arch.widths[l - 1]
            Ws.append([theta[pos + j * m_in : pos + (j + 1) * m_in] for j in range(m_out)])
            pos += m_out * m_in
            if self.arch.biases[l - 1]:
                bs.append(theta[pos : pos + m_out])
                pos += m_out
            else:
                bs.append(None)
        bn = {}
        for l in self.bn_layers:
            m = self.arch.widths[l]
            bn[l] = (theta[pos : pos + m], theta[pos + m : pos + 2 * m])
            pos += 2 * m
        return Ws, bs, bn


def batch_normalize(z: Sequence[Any]) -> list[sympy.Expr]:
    """ẑ_i = (z_i − μ)/√v over the batch, as SymPy expressions (exact for rational z).

    >>> [str(v) for v in batch_normalize([0, 0, 3])]
    ['-sqrt(2)/2', '-sqrt(2)/2', 'sqrt(2)']
    """
    z = [_sym(v) for v in z]
    if len(z) < 2:
        raise InputError("batch normalization needs a batch of at least 2 samples")
    if all(v == z[0] for v in z):
        raise InputError("batch normalization of a constant pre-activation: the batch variance is 0")
    return _normalize_expr(z)


def bn_outputs(net: BNNetwork, theta: Sequence[Any], X: Sequence[Sequence[Any]]) -> list[list[sympy.Expr]]:
    """Network outputs on the batch X (SymPy expressions; exact algebraic for rational θ and X)."""
    Ws, bs, bn = net.split([_sym(t) for t in theta])
    H = [[_sym(v) for v in x] for x in X]
    L = net.arch.n_layers
    for l in range(1, L + 1):
        W, b = Ws[l - 1], bs[l - 1]
        Z = [[sum((W[j][k] * h[k] for k in range(len(h))), sympy.Integer(0)) + (b[j] if b is not None else 0)
              for j in range(len(W))] for h in H]
        if l in bn:
            gam, bet = bn[l]
            for j in range(len(W)):
                zhat = _normalize_expr([Z[i][j] for i in range(len(Z))])
                for i in range(len(Z)):
                    Z[i][j] = gam[j] * zhat[i] + bet[j]
        if l == L:
            return Z
        act = net.arch.activations[l - 1]
        H = [[act.sympy_function(v) for v in row] for row in Z]
    return H  # pragma: no cover


def _normalize_expr(z: list[sympy.Expr]) -> list[sympy.Expr]:
    n = len(z)
    mu = sum(z) / n
    var = sum((v - mu) ** 2 for v in z) / n
    s = sympy.sqrt(var)
    return [(v - mu) / s for v in z]


def bn_risk_expression(net: BNNetwork, X: Sequence[Sequence[Any]], Y: Sequence[Sequence[Any]], loss: str | Loss = "mse"):
    """(R(θ) as a SymPy expression, the parameter symbols t0, t1, …)."""
    loss = parse_loss(loss, net.arch.output_dim)
    syms = sympy.symbols(f"t0:{net.n_params}", real=True)
    outs = bn_outputs(net, syms, X)
    total = sum(loss.sympy_loss(list(o), [_sym(v) for v in y]) for o, y in zip(outs, Y))
    return total / len(X), list(syms)


def is_zero_algebraic(x: Any) -> bool:
    """Exact zero test of an algebraic number given as a SymPy expression (minimal polynomial).

    >>> is_zero_algebraic(sympy.sqrt(8) - 2 * sympy.sqrt(2)), is_zero_algebraic(sympy.sqrt(2) - 1)
    (True, False)
    """
    x = sympy.sympify(x)
    if x == 0:
        return True
    x = sympy.radsimp(sympy.expand(x))
    if x == 0:
        return True
    t = sympy.Dummy("t")
    return sympy.minimal_polynomial(x, t) == t


def bn_derivatives(
    net: BNNetwork,
    theta: Sequence[Any],
    X: Sequence[Sequence[Any]],
    Y: Sequence[Sequence[Any]],
    loss: str | Loss = "mse",
    arithmetic: str = "exact",
    digits: int = 60,
) -> tuple[Any, list[Any]]:
    """(R(θ), ∇R(θ)) of a BN network: exact algebraic SymPy numbers, or mp floats (see the module docstring)."""
    if arithmetic not in ("exact", "mp"):
        raise InputError(f"arithmetic must be 'exact' or 'mp', got {arithmetic!r}")
    R, syms = bn_risk_expression(net, X, Y, loss)
    sub = {s: _sym(v) for s, v in zip(syms, theta)}
    grads = [sympy.diff(R, s) for s in syms]
    if arithmetic == "exact":
        value = sympy.radsimp(sympy.expand(R.xreplace(sub)))
        return value, [sympy.radsimp(sympy.expand(g.xreplace(sub))) for g in grads]
    return sympy.N(R.xreplace(sub), digits), [sympy.N(g.xreplace(sub), digits) for g in grads]
