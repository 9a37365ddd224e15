"""The exact Hessian as FLINT matrices: Gauss–Newton part JᵀΛJ plus a sparse second-order correction.

For a network whose hidden activations have σ″ = 0 at every training input (piecewise-linear
activations off their kinks: ReLU, leaky ReLU, hard tanh, the identity), the second-order
chain rule of :mod:`exactlift.calculus.backprop` splits the risk's Hessian into

    n·H = Jᵀ Λ J + Σ_{k < k′} (Bₖₖ′ + Bₖₖ′ᵀ),

with J the output Jacobian (rows: sample i, output k; columns: the parameters in canonical
order), Λ = diag(∂²ℓ/∂f²) per sample (block diagonal), and Bₖₖ′ the bilinear W·f terms

    ∂²ℓ/∂W^[k′]_{j′a} ∂θ_k = δ^[k′]_{j′} · σ′(z^[k′-1]_a) · (∂z^[k′-1]_a/∂z^[k]) ⊗ h̃^[k-1],

(no σ″ term: σ″ = 0).  The Gauss–Newton part is one ``fmpq_mat`` product (P × nd × P), the
correction a few thin products whose entries are placed one by one (its non-zeros are
O(P·width), not P²).  No P² Python objects are created: the result is an ``fmpq_mat``.

Both are built only on the *support*: the parameters whose column of J is not zero or that
carry a correction entry.  Every other parameter's row and column of H is exactly zero (a dead
ReLU's weights, say: their column of J is zero, hence their Gauss–Newton row, and no correction
entry falls on them), so H is a permutation of H[support, support] ⊕ 0, and the product and
the inertia run on the smaller block (docs/inertia.md: 1,636 of 1,975 parameters on the dense
benchmark case).  The whole P × P matrix is assembled only when asked for.

When every δ is zero (a zero-residual point, e.g. a teacher point under the MSE loss) the
correction vanishes exactly and n·H = JᵀΛJ: :attr:`GramHessian.correction_zero` records it, so
that the inertia can use the factorisation (:func:`gram_inertia`).

>>> from exactlift.nn.network import Architecture, Params
>>> from exactlift.arith.contexts import get_context
>>> from exactlift.calculus.backprop import derivatives
>>> ctx = get_context("exact")
>>> arch = Architecture.build([1, 2, 1], "relu")
>>> p = Params.from_flat(arch, [1, -1, 1, 2, 3, 1, 0])
>>> d = derivatives(arch, p, ctx.array([["1"], ["-3"]]), ctx.array([["2"], ["1"]]), "mse", ctx)
>>> d.hessian_matrix is not None and d.hessian_matrix.entries() == list(d.hessian.ravel())
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from exactlift.arith.contexts import Context
from exactlift.arith.linalg import engine


@dataclass
class GramHessian:
    """H = Jᵀ·LJ + correction/n on the ``support``, all exact ``fmpq_mat``; the other lines of H are zero.

    ``support`` (increasing) are the parameters whose column of J is not zero or that carry a
    correction entry; ``J`` (nd × |support|) and ``LJ`` = Λ·J/n are the Jacobian's columns there,
    ``reduced`` = H[support, support] (H the risk's Hessian, divided by n) and ``n_params`` = P.
    Every row and column of H outside the support is exactly zero, so inertia(H) =
    inertia(``reduced``) + (0, :attr:`zeros`, 0); :attr:`matrix`, H itself, is assembled on first
    access.
    """

    J: Any
    LJ: Any
    reduced: Any
    support: tuple[int, ...]
    n_params: int
    correction_zero: bool
    lam: list[np.ndarray]

    @property
    def zeros(self) -> int:
        """The number of parameters outside the support: zero rows (and columns) of H."""
        return self.n_params - len(self.support)

    def array(self) -> np.ndarray:
        """H as a P × P object array of fmpq: ``reduced`` at the support's lines, zeros elsewhere."""
        block = from_mat(self.reduced)
        if self.zeros == 0:
            return block
        import flint

        s = list(self.support)
        full = np.full((self.n_params, self.n_params), flint.fmpq(0), dtype=object)
        if s:
            full[np.ix_(s, s)] = block
        return full

    @cached_property
    def matrix(self) -> Any:
        """H as a P × P ``fmpq_mat`` (``reduced`` itself when the support is every parameter)."""
        if self.zeros == 0:
            return self.reduced
        import flint

        return to_mat(flint, self.array())


def applies(ctx: Context, S2: list[np.ndarray | None]) -> bool:
    """Whether the FLINT construction serves: flint rationals and σ″ = 0 at every hidden pre-activation."""
    if not (ctx.rational and getattr(ctx, "use_flint", False)):
        return False
    return all(s is None or all(x == 0 for x in s.ravel()) for s in S2)


def layer_indices(arch: Any, layer: int) -> np.ndarray:
    """Flat indices of layer ``layer``'s parameters arranged as (neuron j, input a of h̃)."""
    m_out, m_in = arch.widths[layer], arch.widths[layer - 1]
    off = arch.layer_offset(layer)
    cols = m_in + (1 if arch.biases[layer - 1] else 0)
    idx = np.empty((m_out, cols), dtype=np.int64)
    for j in range(m_out):
        idx[j, :m_in] = off + j * m_in + np.arange(m_in)
        if cols > m_in:
            idx[j, m_in] = off + m_out * m_in + j
    return idx


def to_mat(flint: Any, A: np.ndarray) -> Any:
    """A 2-d object array of fmpq as an ``fmpq_mat``."""
    return flint.fmpq_mat(A.shape[0], A.shape[1], list(A.ravel()))


def from_mat(M: Any) -> np.ndarray:
    """An ``fmpq_mat`` as a 2-d object array."""
    out = np.empty(M.nrows() * M.ncols(), dtype=object)
    out[:] = M.entries()
    return out.reshape(M.nrows(), M.ncols())


def gram_hessian(
    arch: Any, W: list[np.ndarray], fp: Any, deltas: list[np.ndarray | None], lam: list[np.ndarray],
    ht: list[np.ndarray | None], inv_n: Any, ctx: Context,
) -> GramHessian:
    """The Hessian of the risk (already divided by n) when :func:`applies` holds; see the module docstring.

    ``W`` are the weight matrices, ``ht[k]`` the extended inputs h̃ of layer k (n × A_k).
    """
    import flint

    L, n, dout, P = arch.n_layers, fp.F[0].shape[0], arch.output_dim, arch.n_params
    N = n * dout
    idx = [None] + [layer_indices(arch, k) for k in range(1, L + 1)]
    # B[l]: rows (i, k), columns j: ∂f_k(x_i)/∂z^[l]_j, by one product per layer
    B: list[Any] = [None] * (L + 1)
    eye = ctx.zeros((N, dout))
    for i in range(n):
        for k in range(dout):
            eye[i * dout + k, k] = ctx.one
    B[L] = eye
    for l in range(L - 1, 0, -1):
        prod = from_mat(to_mat(flint, B[l + 1]) * to_mat(flint, W[l]))
        B[l] = prod * np.repeat(fp.S1[l], dout, axis=0)
    Jarr = ctx.zeros((N, P))
    for l in range(1, L + 1):
        hrep = np.repeat(ht[l], dout, axis=0)
        block = B[l][:, :, None] * hrep[:, None, :]
        Jarr[:, idx[l].ravel()] = block.reshape(N, -1)
    LJarr = ctx.zeros((N, P))
    for i in range(n):
        for k in range(dout):
            row = LJarr[i * dout + k]
            for kk in range(dout):
                c = lam[i][k, kk]
                if c != 0:
                    row += c * Jarr[i * dout + kk]
    correction_zero = all(d is None or all(x == 0 for x in d.ravel()) for d in deltas)
    correction = [] if correction_zero else [
        e for k in range(1, L + 1) for kp in range(k + 1, L + 1)
        for e in bilinear_entries(arch, W, fp, deltas, ht, idx, k, kp, ctx)]
    # the support: a non-zero column of J, or a correction entry's row or column
    touched = {i for r, c, _ in correction for i in (r, c)}
    support = sorted(touched.union(np.flatnonzero((Jarr != 0).any(axis=0)).tolist()))
    # 1/n on the thin factor and on the correction's entries, not on the |support|² result
    J, LJ = to_mat(flint, Jarr[:, support]), to_mat(flint, LJarr[:, support]) * inv_n
    with engine.threads():  # the one large product: FLINT threads
        H = J.transpose() * LJ
    pos = {i: a for a, i in enumerate(support)}
    for r, c, v in correction:  # O(P·width) entries, added in place (r ≠ c: different layers)
        v = v * inv_n
        H[pos[r], pos[c]] += v
        H[pos[c], pos[r]] += v
    return GramHessian(J, LJ, H, tuple(support), P, correction_zero, lam)


def bilinear_entries(arch: Any, W: list[np.ndarray], fp: Any, deltas: list[np.ndarray | None],
                     ht: list[np.ndarray | None], idx: list[Any], k: int, kp: int,
                     ctx: Context) -> list[tuple[int, int, Any]]:
    """The non-zero entries (r, c, v) of the bilinear block of layers k < k′: v goes at (r, c) and (c, r).

    r indexes a weight of layer k′, c a parameter of layer k; an (r, c) pair may come more than
    once (the values add up).
    """
    import flint

    n = fp.F[0].shape[0]
    mk, mprev, mkp, Ak = arch.widths[k], arch.widths[kp - 1], arch.widths[kp], ht[k].shape[1]
    D = to_mat(flint, deltas[kp].T)  # m_kp × n
    S = fp.S1[kp - 1]  # n × m_{kp-1}
    rows = idx[kp][:, :mprev]  # (j', a) -> flat index of W^[kp]_{j'a}
    cols = idx[k]  # (j, b)
    out: list[tuple[int, int, Any]] = []
    if kp == k + 1:  # ∂z^[k]/∂z^[k] = I: only a = j
        V = (S[:, :, None] * ht[k][:, None, :]).reshape(n, mprev * Ak)
        M = (D * to_mat(flint, V)).entries()  # (j', (a, b))
        for jp in range(mkp):
            for a in range(mprev):
                base = jp * mprev * Ak + a * Ak
                r = int(rows[jp, a])
                for b in range(Ak):
                    v = M[base + b]
                    if v != 0:
                        out.append((r, int(cols[a, b]), v))
        return out
    if kp == k + 2:  # ∂z^[k+1]/∂z^[k] = W^[k+1] D_k: the weight factors out of the sample sum
        U = (deltas[kp][:, :, None] * S[:, None, :]).reshape(n, mkp * mprev)  # (j', a)
        V = (fp.S1[k][:, :, None] * ht[k][:, None, :]).reshape(n, mk * Ak)  # (j, b)
        M = (to_mat(flint, U).transpose() * to_mat(flint, V)).entries()
        Wk = W[k]  # m_{k+1} × m_k
        for jp in range(mkp):
            for a in range(mprev):
                r = int(rows[jp, a])
                base = (jp * mprev + a) * mk * Ak
                for j in range(mk):
                    w = Wk[a, j]
                    if w == 0:
                        continue
                    for b in range(Ak):
                        v = M[base + j * Ak + b]
                        if v != 0:
                            out.append((r, int(cols[j, b]), w * v))
        return out
    # general gap: the transfer T_i = ∂z^[kp-1]/∂z^[k] per sample
    T = [ctx.eye(mk) for _ in range(n)]
    for l in range(k, kp - 1):
        T = [np.dot(W[l] * fp.S1[l][i][None, :], T[i]) for i in range(n)]
    V = np.empty((n, mprev * mk * Ak), dtype=object)
    for i in range(n):
        R = T[i] * S[i][:, None]
        V[i] = (R[:, :, None] * ht[k][i][None, None, :]).ravel()
    M = (D * to_mat(flint, V)).entries()
    for jp in range(mkp):
        for a in range(mprev):
            r = int(rows[jp, a])
            for j in range(mk):
                for b in range(Ak):
                    v = M[((jp * mprev + a) * mk + j) * Ak + b]
                    if v != 0:
                        out.append((r, int(cols[j, b]), v))
    return out
