"""Loss, gradient and Hessian by layered back-propagation over any scalar context.

One implementation serves exact, mp and symbolic arithmetic (see
:mod:`exactlift.arith.contexts`).  Notation of docs/mathematics.md: z^[l] = W^[l] f^[l-1]
+ b^[l], f^[l] = σ_l(z^[l]), δ_i^[l] = ∂ℓ_i/∂z^[l] (per sample, without the
1/n of the risk).

**Hessian.**  With D_l = diag σ_l′(z^[l]), J_l = W^[l+1] D_l = ∂z^[l+1]/∂z^[l]
and the per-sample curvature matrices

    Ω_L = ∂²ℓ/∂f²,   Ω_l = J_lᵀ Ω_{l+1} J_l + diag(σ_l″(z^[l]) ⊙ W^[l+1]ᵀ δ^[l+1]),

the second-order chain rule on the computational graph gives, for layers
k ≤ k′ and the extended inputs h̃ = (f^[k-1], 1),

    ∂²ℓ/∂θ_k ∂θ_{k′} = (P_{k′←k}ᵀ Ω_{k′}) ⊗ h̃_{k-1} h̃_{k′-1}ᵀ
                       + [k′ > k] δ^[k′] ⊗ (D_{k′-1} P_{k′-1←k}) ⊗ h̃_{k-1}   (the bilinear W·f term)

with P_{k′←k} = J_{k′-1} ⋯ J_k = ∂z^[k′]/∂z^[k].  The sum over samples of each
block is one matrix product, which the exact context hands to FLINT.  The
naive ``sympy.hessian`` of the full loss is only the tests' reference.

>>> from exactlift.nn.network import Architecture, Params
>>> from exactlift.arith.contexts import get_context
>>> ctx = get_context("exact")
>>> arch = Architecture.build([1, 1, 1], "z + z**3")
>>> p = Params.from_lists(arch, [[["1"]], [["2"]]], [["0"], ["0"]], ctx)
>>> d = derivatives(arch, p, ctx.array([["1"]]), ctx.array([["1"]]), "mse", ctx)
>>> d.loss, d.gradient
(9, [48, 48, 12, 6])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import Any

import numpy as np

from exactlift.arith.contexts import Context
from exactlift.arith.linalg.gram_inertia import gram_inertia_result
from exactlift.arith.linalg.inertia_result import InertiaResult
from exactlift.calculus import gram_hessian as gram_mod
from exactlift.calculus.gram_hessian import GramHessian
from exactlift.errors import InputError, KinkError, UndecidedError, validated
from exactlift.nn.losses import Loss, parse_loss
from exactlift.nn.network import Architecture, Params


@dataclass
class ForwardPass:
    """Pre-activations and activations on the training inputs.

    Lists are indexed by layer: ``Z[l]`` (l = 1..L) is n × m_l, ``F[l]`` the
    layer's output (``F[0]`` the inputs, ``F[L] = Z[L]`` the network output),
    ``S1[l]``/``S2[l]`` the first/second derivative of σ_l at ``Z[l]`` for
    hidden layers.
    """

    Z: list[np.ndarray | None]
    F: list[np.ndarray]
    S1: list[np.ndarray | None]
    S2: list[np.ndarray | None]

    @property
    def output(self) -> np.ndarray:
        return self.F[-1]


@validated
def forward(arch: Architecture, params: Params | Sequence[Any], X: np.ndarray, ctx: Context) -> ForwardPass:
    """Forward pass on the rows of ``X`` (already in ``ctx``), with σ′ and σ″.

    A pre-activation exactly on a kink of a piecewise-linear activation is
    refused with :class:`KinkError` naming the sample, layer and neuron.
    """
    params = as_params(arch, params)
    if not all(in_context(a, ctx) for a in (*params.W, *(b for b in params.b if b is not None))):
        params = params.convert(ctx)
    X = _check_inputs(arch, X, ctx)
    n = X.shape[0]
    Z: list[np.ndarray | None] = [None]
    F: list[np.ndarray] = [X]
    S1: list[np.ndarray | None] = [None]
    S2: list[np.ndarray | None] = [None]
    for l in range(1, arch.n_layers + 1):
        W, b = params.W[l - 1], params.b[l - 1]
        z = ctx.matmul(F[-1], W.T)
        if b is not None:
            z = z + b[None, :]
        Z.append(z)
        if l == arch.n_layers:
            F.append(z)
            S1.append(None)
            S2.append(None)
            break
        act = arch.activations[l - 1]
        f, s1, s2 = (np.empty(z.shape, dtype=object) for _ in range(3))
        for i in range(n):
            for j in range(z.shape[1]):
                try:
                    f[i, j], s1[i, j], s2[i, j] = act.jet(ctx, z[i, j])
                except KinkError:
                    raise KinkError(
                        f"training input {i} puts neuron {j} of hidden layer {l} on a kink of "
                        f"{act.spec} (pre-activation {ctx.to_output(z[i, j])}): the loss is not "
                        "twice differentiable there"
                    ) from None
                except UndecidedError:
                    raise UndecidedError(
                        f"cannot decide on which side of a kink of {act.spec} training input {i} puts "
                        f"neuron {j} of hidden layer {l} (pre-activation {ctx.to_output(z[i, j])}): "
                        "use exact arithmetic or more digits"
                    ) from None
        F.append(f)
        S1.append(s1)
        S2.append(s2)
    return ForwardPass(Z, F, S1, S2)


@dataclass
class Derivatives:
    """Risk R_S(θ), its gradient (canonical flat order) and Hessian, and the intermediates.

    ``hessian`` is an object array of the context's scalars.  In the exact context with
    python-flint and piecewise-linear activations it is built from ``gram``
    (:class:`~exactlift.calculus.gram_hessian.GramHessian`: the ``fmpq_mat`` ``hessian_matrix``
    and its factorisation JᵀΛJ + correction), and the array is only made on first access.
    """

    loss: Any
    gradient: list[Any]
    hessian_array: np.ndarray | None
    forward: ForwardPass
    deltas: list[np.ndarray | None]
    context: Context
    gram: GramHessian | None = field(default=None, repr=False)

    @property
    def hessian(self) -> np.ndarray | None:
        """The Hessian as an object array (made from ``gram`` on first access)."""
        if self.hessian_array is None and self.gram is not None:
            self.hessian_array = self.gram.array()
        return self.hessian_array

    @property
    def hessian_matrix(self) -> Any:
        """The Hessian as a ``flint.fmpq_mat`` when the FLINT construction built it, else None."""
        return None if self.gram is None else self.gram.matrix

    def hessian_inertia_result(self) -> InertiaResult:
        """The Hessian's inertia in the context's strength (:meth:`Context.inertia_result`).

        With the FLINT construction the block of H on the parameters that reach the risk to second
        order (``gram.reduced``; the other rows and columns of H are exactly zero and add
        ``gram.zeros`` zero eigenvalues) goes to the pipeline as an ``fmpq_mat``, and a Hessian
        that is exactly JᵀΛJ (no second-order correction) is decided from its factors when J has
        full row rank (path ``"gram"``, :mod:`exactlift.arith.linalg.gram_inertia`).
        """
        g = self.gram
        if g is None:
            return self.context.inertia_result(self.hessian)
        res = gram_inertia_result(g.J, g.lam) if g.correction_zero else None
        if res is None:
            res = self.context.inertia_result(g.reduced)
        return res.with_zero_lines(g.zeros)

    def gradient_blocks(self, arch: Architecture) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
        """The gradient as per-layer blocks (∂R/∂W^[l], ∂R/∂b^[l])."""
        p = Params.from_flat(arch, self.gradient)
        return list(p.W), list(p.b)


@validated
def derivatives(
    arch: Architecture,
    params: Params | Sequence[Any],
    X: np.ndarray,
    Y: np.ndarray | None,
    loss: str | Loss,
    ctx: Context,
    order: int = 2,
    output_adjoints: np.ndarray | None = None,
    gram: bool = True,
) -> Derivatives:
    """R_S(θ), ∇R_S(θ) and (``order=2``) the Hessian, all in the context ``ctx``.

    ``X`` (n × d) and ``Y`` (n × d_out) must already be converted into ``ctx``
    (see :meth:`Context.array`).  With ``output_adjoints`` (n × d_out) the
    per-sample loss derivatives ∂ℓ_i/∂f are replaced by the given values
    (e.g. free symbols: a gradient identity then holds for *every* loss);
    only ``order=1`` makes sense then and the returned loss is ``None``.
    ``gram=False`` keeps the layered object-array Hessian even where the FLINT construction
    (:mod:`exactlift.calculus.gram_hessian`) applies (the tests' and benchmarks' reference).
    """
    if order not in (0, 1, 2):
        raise InputError(f"order must be 0, 1 or 2, got {order}")
    loss = parse_loss(loss, arch.output_dim)
    with ctx.active():
        params = as_params(arch, params).convert(ctx)
        fp = forward(arch, params, X, ctx)
        n, L = fp.F[0].shape[0], arch.n_layers
        out = fp.output
        if output_adjoints is not None:
            if order == 2:
                raise InputError("free output adjoints give a gradient only (order=1)")
            g_out = np.asarray(output_adjoints, dtype=object)
            if g_out.shape != out.shape:
                raise InputError(f"output adjoints must have shape {out.shape}, got {g_out.shape}")
            total, lam = None, None
        else:
            Y = _in_context(_check_targets(arch, Y, n), ctx, "y")
            total = ctx.zero
            g_out = np.empty(out.shape, dtype=object)
            lam = []
            for i in range(n):
                value, g, h = loss.jet(ctx, out[i], Y[i])
                total = total + value
                g_out[i] = g
                lam.append(h)
            total = total / ctx.convert(n)
        if order == 0:
            return Derivatives(total, [], None, fp, [], ctx)

        deltas: list[np.ndarray | None] = [None] * (L + 1)
        back: list[np.ndarray | None] = [None] * (L + 1)  # W^[l+1]ᵀ δ^[l+1], per sample rows
        deltas[L] = g_out
        for l in range(L - 1, 0, -1):
            back[l] = ctx.matmul(deltas[l + 1], params.W[l])
            deltas[l] = back[l] * fp.S1[l]
        inv_n = ctx.one / ctx.convert(n)
        grad: list[Any] = []
        for l in range(1, L + 1):
            gW = ctx.matmul(deltas[l].T, fp.F[l - 1]) * inv_n
            grad.extend(gW.ravel().tolist())
            if arch.biases[l - 1]:
                grad.extend((deltas[l].sum(axis=0) * inv_n).tolist())
        hess, factored = None, None
        if order == 2 and gram and gram_mod.applies(ctx, fp.S2):
            ht = [None] + [extended_inputs(arch, fp.F[k - 1], k, ctx) for k in range(1, L + 1)]
            factored = gram_mod.gram_hessian(arch, list(params.W), fp, deltas, lam, ht, inv_n, ctx)
        elif order == 2:
            hess = _hessian(arch, params, fp, deltas, back, lam, ctx) * inv_n
        return Derivatives(total, grad, hess, fp, deltas, ctx, factored)


def extended_inputs(arch: Architecture, F: np.ndarray, layer: int, ctx: Context) -> np.ndarray:
    """h̃ = (f^[layer-1], 1) per sample when layer ``layer`` has a bias, else f^[layer-1]."""
    if not arch.biases[layer - 1]:
        return F
    ones = np.empty((F.shape[0], 1), dtype=object)
    ones.fill(ctx.one)
    return np.concatenate([F, ones], axis=1)


_layer_indices = gram_mod.layer_indices


def _hessian(
    arch: Architecture,
    params: Params,
    fp: ForwardPass,
    deltas: list[np.ndarray | None],
    back: list[np.ndarray | None],
    lam: list[np.ndarray],
    ctx: Context,
) -> np.ndarray:
    """n · Hessian of R (the caller divides by n); see the module docstring."""
    L = arch.n_layers
    n = fp.F[0].shape[0]
    P = arch.n_params
    H = ctx.zeros((P, P))
    # Per-sample Jacobians J_l = W^[l+1] D_l, curvatures Ω_l and transfers P_{k'←k}.
    J = [[None] * (L + 1) for _ in range(n)]
    Om = [[None] * (L + 1) for _ in range(n)]
    for i in range(n):
        Om[i][L] = lam[i]
        for l in range(L - 1, 0, -1):
            Jl = params.W[l] * fp.S1[l][i][None, :]
            J[i][l] = Jl
            om = ctx.matmul(ctx.matmul(Jl.T, Om[i][l + 1]), Jl)
            curv = back[l][i] * fp.S2[l][i]
            for j in range(om.shape[0]):
                om[j, j] = om[j, j] + curv[j]
            Om[i][l] = om
    Ht = [None] + [extended_inputs(arch, fp.F[k - 1], k, ctx) for k in range(1, L + 1)]
    idx = [None] + [_layer_indices(arch, k) for k in range(1, L + 1)]
    for k in range(1, L + 1):
        mk, Ak = arch.widths[k], Ht[k].shape[1]
        # transfer[i] = P_{k'←k}(i), advanced as k' grows
        transfer = [ctx.eye(mk) for _ in range(n)]
        for kp in range(k, L + 1):
            mkp, Akp = arch.widths[kp], Ht[kp].shape[1]
            if kp > k:
                # bilinear term of layer kp with layer k: δ^[kp]_j (D_{kp-1} P_{kp-1←k})[a, j'] h̃_{k-1}[a']
                mprev = arch.widths[kp - 1]
                V = np.empty((n, mprev * mk * Ak), dtype=object)
                for i in range(n):
                    R = transfer[i] * fp.S1[kp - 1][i][:, None]
                    V[i] = (R[:, :, None] * Ht[k][i][None, None, :]).ravel()
                B = ctx.matmul(deltas[kp].T, V).reshape(mkp, mprev, mk, Ak)
                rows = idx[kp][:, :mprev]
                _add_block(H, rows.ravel(), idx[k].ravel(), B.reshape(mkp * mprev, mk * Ak))
                transfer = [ctx.matmul(J[i][kp - 1], transfer[i]) for i in range(n)]
            U = np.empty((n, mk * mkp), dtype=object)
            V = np.empty((n, Ak * Akp), dtype=object)
            for i in range(n):
                U[i] = ctx.matmul(transfer[i].T, Om[i][kp]).ravel()
                V[i] = np.multiply.outer(Ht[k][i], Ht[kp][i]).ravel()
            C = ctx.matmul(U.T, V).reshape(mk, mkp, Ak, Akp).transpose(0, 2, 1, 3)
            C = C.reshape(mk * Ak, mkp * Akp)
            if kp == k:
                H[np.ix_(idx[k].ravel(), idx[k].ravel())] += C
            else:
                _add_block(H, idx[k].ravel(), idx[kp].ravel(), C)
    return H


def _add_block(H: np.ndarray, rows: np.ndarray, cols: np.ndarray, block: np.ndarray) -> None:
    """Add an off-diagonal block and its transpose."""
    H[np.ix_(rows, cols)] += block
    H[np.ix_(cols, rows)] += block.T


def as_params(arch: Architecture, params: Any) -> Params:
    """``params`` itself, or a flat sequence read as the canonical flattening of ``arch``'s parameters.

    Failure mode: :class:`InputError` for anything else (naming the expected count).
    """
    if isinstance(params, Params):
        return params
    if isinstance(params, (list, tuple, np.ndarray)):
        flat = list(np.asarray(params, dtype=object).ravel())
        if len(flat) != arch.n_params:
            raise InputError(f"{arch.describe()} has {arch.n_params} parameters, got a sequence of {len(flat)}")
        return Params.from_flat(arch, flat)
    raise InputError(f"parameters must be a Params object or a flat sequence of {arch.n_params} numbers, "
                     f"got {type(params).__name__}")


def in_context(A: np.ndarray, ctx: Context) -> bool:
    """Whether every entry of ``A`` is already a scalar of ``ctx`` (no conversion needed)."""
    kind = type(ctx.zero)
    return all(type(v) is kind for v in A.ravel())


def _in_context(A: np.ndarray, ctx: Context, what: str) -> np.ndarray:
    """Entries converted into ``ctx`` (floats refused in exact arithmetic), unless they already are."""
    return A if in_context(A, ctx) else ctx.array(A.tolist(), what)


def _check_inputs(arch: Architecture, X: np.ndarray, ctx: Context | None = None) -> np.ndarray:
    X = np.asarray(X, dtype=object)
    if X.ndim != 2 or X.shape[1] != arch.input_dim:
        raise InputError(
            f"inputs must be n rows of {arch.input_dim} entries (input dimension of the network), "
            f"got shape {X.shape}"
        )
    if X.shape[0] == 0:
        raise InputError("the data set is empty")
    return X if ctx is None else _in_context(X, ctx, "x")


def _check_targets(arch: Architecture, Y: np.ndarray | None, n: int) -> np.ndarray:
    if Y is None:
        raise InputError("targets y are needed to evaluate the loss")
    Y = np.asarray(Y, dtype=object)
    if Y.ndim != 2 or Y.shape != (n, arch.output_dim):
        raise InputError(
            f"targets must be {n} rows of {arch.output_dim} entries (output dimension), got shape {Y.shape}"
        )
    return Y


@validated
def output_jacobian(arch: Architecture, params: Params, X: np.ndarray, ctx: Context) -> np.ndarray:
    """J with rows (sample i, output k) and columns the parameters: ∂f_k(x_i)/∂θ.

    Row order is i-major: row i·d_out + k.
    """
    with ctx.active():
        params = params.convert(ctx)
        fp = forward(arch, params, X, ctx)
        n, L, dout = fp.F[0].shape[0], arch.n_layers, arch.output_dim
        Jac = ctx.zeros((n * dout, arch.n_params))
        for i in range(n):
            B = ctx.eye(dout)  # ∂f/∂z^[l]
            for l in range(L, 0, -1):
                ht = extended_inputs(arch, fp.F[l - 1][i : i + 1], l, ctx)[0]
                block = B[:, :, None] * ht[None, None, :]  # (dout, m_l, A_l)
                Jac[i * dout : (i + 1) * dout, _layer_indices(arch, l).ravel()] = block.reshape(dout, -1)
                if l > 1:
                    B = ctx.matmul(B, params.W[l - 1] * fp.S1[l - 1][i][None, :])
        return Jac
