"""Loss, gradient and Hessian of a one-hidden-layer smooth network in ``arb`` balls, by ``arb_mat`` products.

The fast path of :func:`~exactlift.certify.refine.ball_derivatives` for the networks the
benchmark and most certify runs use: widths ``[d, m, K]``, biases on both layers, the
``mse`` loss (ℓ = ‖f − y‖², R = mean ℓ) and a hidden activation among tanh, sigmoid,
softplus.  With X̃ = [X, 1], Z = X̃ W̃₁, A = [σ(Z), 1], E = A W̃₂ − Y, g = 2E,
B = g W₂ (the back-propagated adjoint):

* ∇_{W̃₂} R = gᵀA / n,  ∇_{W̃₁} R = (B ⊙ σ′(Z))ᵀ X̃ / n;
* H = (2/n) JᵀJ (J the output Jacobian, rows (sample, output)) + the second-order terms
  (1/n) X̃ᵀ diag(B_{:j} ⊙ σ″(Z_{:j})) X̃ on each hidden neuron's (w_j, b_j) block and
  (1/n) Σ_i g_{ik} σ′(Z_{ij}) X̃_{ia} between W₂[k, j] and (w_j, b_j)_a.

Every sum over samples is one ``arb_mat`` product (FLINT's block multiplication), so the
Python work is O(n·P) ball products instead of the context-generic code's per-entry
arithmetic.  Each formula is an enclosure: a ball σ′ = 1 − t² from the ball t ∋ tanh(z) holds
1 − tanh²(z) for every z in the ball, so H(X) over a box encloses every Hessian in it.

>>> from exactlift.nn.case import case_from_dict
>>> case = case_from_dict({"network": {"widths": [1, 1, 1], "activation": "tanh",
...     "params": {"W": [[["1"]], [["2"]]], "b": [["0"], ["0"]]},
...     "data": {"x": [["1"]], "y": [["0"]]}}})
>>> loss, g, H = fast_derivatives(case, [1, 0, 2, 0], 128)
>>> import math; t = math.tanh(1)
>>> abs(float(loss.mid()) - 4 * t * t) < 1e-12, abs(float(g[3].mid()) - 4 * t) < 1e-12, H.nrows()
(True, True, 4)

Failure mode: :func:`fast_derivatives` returns ``None`` for any other network (deeper,
without biases, another loss or activation); the caller then uses the generic code.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import flint

__all__ = ["applies", "fast_derivatives"]

_ACTS = ("tanh", "sigmoid", "softplus")
_DATA_CACHE: dict[tuple[int, int], tuple[Any, Any, Any]] = {}


def applies(case: Any) -> bool:
    """Whether :func:`fast_derivatives` handles ``case`` (one hidden layer, biases, mse, tanh/sigmoid/softplus)."""
    arch = case.arch
    return (arch.n_layers == 2 and all(arch.biases) and getattr(case.loss, "spec", None) == "mse"
            and arch.activations[0].spec in _ACTS)


def _arb(x: Any) -> Any:
    if isinstance(x, flint.arb):
        return x
    f = Fraction(x)
    return flint.arb(f.numerator) / f.denominator if f.denominator != 1 else flint.arb(f.numerator)


def _data(case: Any, prec: int) -> tuple[Any, Any]:
    """X̃ = [X, 1] and Y as arb_mat at ``prec`` bits (cached per case and precision)."""
    key = (id(case), prec)
    hit = _DATA_CACHE.get(key)
    if hit is not None and hit[0] is case:
        return hit[1], hit[2]
    n, d, K = case.n_samples, case.arch.widths[0], case.arch.widths[-1]
    Xt = flint.arb_mat(n, d + 1, [v for row in case.X for v in [*(_arb(x) for x in row), flint.arb(1)]])
    Y = flint.arb_mat(n, K, [_arb(y) for row in case.Y for y in row])
    if len(_DATA_CACHE) > 8:
        _DATA_CACHE.clear()
    _DATA_CACHE[key] = (case, Xt, Y)
    return Xt, Y


def _jet(spec: str, z: Any) -> tuple[Any, Any, Any]:
    if spec == "tanh":
        t = z.tanh()
        s1 = 1 - t * t
        return t, s1, -2 * t * s1
    s = 1 / (1 + (-z).exp())
    s1 = s * (1 - s)
    if spec == "sigmoid":
        return s, s1, s1 * (1 - 2 * s)
    return z.exp().log1p(), s, s1  # softplus


def fast_derivatives(case: Any, values: list[Any], prec: int, order: int = 2) -> tuple[Any, list[Any], Any] | None:
    """(loss, gradient list, Hessian ``arb_mat`` or None for ``order=1``) in balls at ``prec`` bits, or None.

    ``values``: the flat parameters (arb balls or rationals).  The caller sets ``flint.ctx.prec``.
    """
    if not applies(case):
        return None
    d, m, K = case.arch.widths
    n = case.n_samples
    v = [_arb(x) for x in values]
    Xt, Y = _data(case, prec)
    off = m * (d + 1)
    W1t = flint.arb_mat(d + 1, m, [v[j * d + a] if a < d else v[m * d + j] for a in range(d + 1) for j in range(m)])
    W2t = flint.arb_mat(m + 1, K, [v[off + k * m + c] if c < m else v[off + K * m + k]
                                   for c in range(m + 1) for k in range(K)])
    Z = (Xt * W1t).entries()
    spec = case.arch.activations[0].spec
    jets = [_jet(spec, z) for z in Z]
    one = flint.arb(1)
    A = flint.arb_mat(n, m + 1, [x for i in range(n) for x in [*(jets[i * m + j][0] for j in range(m)), one]])
    E = A * W2t - Y
    inv_n = one / n
    loss = sum((e * e for e in E.entries()), flint.arb(0)) * inv_n
    G = E * 2  # n × K: ∂ℓ_i/∂f
    W2 = flint.arb_mat(K, m, [v[off + k * m + c] for k in range(K) for c in range(m)])
    B = (G * W2).entries()  # n × m
    S1 = [jt[1] for jt in jets]
    D1 = flint.arb_mat(n, m, [b * s for b, s in zip(B, S1)])
    gW1 = (D1.transpose() * Xt).entries()  # m × (d+1)
    gW2 = (G.transpose() * A).entries()  # K × (m+1)
    grad = [flint.arb(0)] * case.arch.n_params
    for j in range(m):
        for a in range(d + 1):
            grad[j * d + a if a < d else m * d + j] = gW1[j * (d + 1) + a] * inv_n
    for k in range(K):
        for c in range(m + 1):
            grad[off + k * m + c if c < m else off + K * m + k] = gW2[k * (m + 1) + c] * inv_n
    if order < 2:
        return loss, grad, None
    return loss, grad, _hessian(case, Xt, A, G, W2, B, jets, inv_n)


def _hessian(case: Any, Xt: Any, A: Any, G: Any, W2: Any, B: list[Any], jets: list[Any], inv_n: Any) -> Any:
    """H = (2/n) JᵀJ + second-order terms, JᵀJ by blocks: with N[i, (j,a)] = σ′_ij X̃_ia,
    W₁–W₁ = (W₂ᵀW₂)_{jj′} (NᵀN), W₁–W₂ = W₂[k, j] (NᵀA), W₂–W₂ = I_K ⊗ AᵀA."""
    d, m, K = case.arch.widths
    n, P = case.n_samples, case.arch.n_params
    off, M = m * (d + 1), m * (d + 1)
    xt = Xt.entries()
    w2 = W2.entries()
    idx1 = [j * d + a if a < d else m * d + j for j in range(m) for a in range(d + 1)]
    idx2 = [[off + k * m + c if c < m else off + K * m + k for c in range(m + 1)] for k in range(K)]
    N = flint.arb_mat(n, M, [jets[i * m + j][1] * xt[i * (d + 1) + a]
                             for i in range(n) for j in range(m) for a in range(d + 1)])
    # second-order terms: Q[i, (j,a)] = B_ij σ″_ij X̃_ia (each neuron's (w_j, b_j) block), T = gᵀN (W₂[k, j]–(w_j, b_j))
    Q = flint.arb_mat(n, M, [B[i * m + j] * jets[i * m + j][2] * xt[i * (d + 1) + a]
                             for i in range(n) for j in range(m) for a in range(d + 1)])
    Nt = N.transpose()
    NtN = (Nt * N).entries()
    NtA = (Nt * A).entries()
    AtA = (A.transpose() * A).entries()
    WW = (W2.transpose() * W2).entries()
    R = (Q.transpose() * Xt).entries()  # M × (d+1)
    T = (G.transpose() * N).entries()  # K × M
    two_n = 2 * inv_n
    zero = flint.arb(0)
    H = [zero] * (P * P)
    for u in range(M):
        j, a = divmod(u, d + 1)
        p = idx1[u]
        row = p * P
        for u2 in range(M):
            j2 = u2 // (d + 1)
            v = two_n * WW[j * m + j2] * NtN[u * M + u2]
            if j2 == j:
                v += R[u * (d + 1) + u2 % (d + 1)] * inv_n
            H[row + idx1[u2]] = v
        for k in range(K):
            for c in range(m + 1):
                v = two_n * w2[k * m + j] * NtA[u * (m + 1) + c]
                if c == j:
                    v += T[k * M + u] * inv_n
                q = idx2[k][c]
                H[row + q] = v
                H[q * P + p] = v
    for k in range(K):
        for c in range(m + 1):
            row = idx2[k][c] * P
            for c2 in range(m + 1):
                H[row + idx2[k][c2]] = two_n * AtA[c * (m + 1) + c2]
    return flint.arb_mat(P, P, H)
