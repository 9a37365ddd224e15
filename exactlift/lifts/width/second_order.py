"""Second order of the width principle: Hessian relations, inertia monotonicity, M_s, G_s and the null block.

Case-level checks (:func:`check_hessian_relations`: Tᵀ H_wide T = H_narrow and
H_wide T = S_T H_narrow; :func:`check_inertia_monotone`: n₋, n₀, n₊ never
decrease, the conjecture ledger's check; :func:`check_null_condition`) and the
block formulas along one split or one null neuron.  The Fukumizu–Amari
classification of a split line is in :mod:`exactlift.lifts.width.fukumizu_amari`,
truly-bad points in :mod:`exactlift.lifts.width.truly_bad`.

docs/width.md, **our derivation** (checked exactly here, case by case): split neuron
s of hidden layer l with ratio α; c_s = W^[l+1]_{:,s}, h̃ = (h^[l−1], 1),

    M_s = (1/n) Σ_i σ''(z_s(x_i)) (c_sᵀ δ_i^[l+1]) h̃_i h̃_iᵀ,
    G_s = (1/n) Σ_i σ'(z_s(x_i)) δ_i^[l+1] h̃_iᵀ.

In the basis B = [T_α | D | E] (D: move the two incoming rows by (1−α)v and
−αv; E: move the two outgoing columns by +β and −β) the wide Hessian is
diag(H_narrow, K) with K = [[α(1−α) M_s, G_sᵀ], [G_s, 0]], at every θ; so
inertia(H_wide) = inertia(H_narrow) + inertia(K).  M_s is the matrix of
Fukumizu & Amari (2000) in their setting (one hidden layer, scalar output;
called F_s in issue 3), where G_s = 0 at a critical point with c_s ≠ 0 and the
sign of α(1−α) decides.  A null neuron with σ(0) = 0 adds
(rank C, k + m_{l+1} − 2 rank C, rank C), C = σ′(0)(1/n) Σ_i δ_i^[l+1] h̃_iᵀ.

Every claim is checked against an independent computation: the wide
Hessian computed directly on the lifted case, its exact inertia, and
witnesses w with wᵀ H_wide w < 0 evaluated on that Hessian.

>>> from exactlift.nn.examples import fa_minimum
>>> r = split_block_inertia(fa_minimum("psd"), 1, 0, 2)
>>> r.holds
True
"""


from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from exactlift.arith.contexts import Context, get_context
from exactlift.arith.linalg import kernel, rank, witness_negative_direction
from exactlift.calculus.backprop import Derivatives, derivatives, extended_inputs
from exactlift.errors import LiftError, validated
from exactlift.lifts.width.embeddings import NullNeuron, SplitNeuron, check_hidden_layer, check_neuron
from exactlift.lifts.width.maps import LinearMap
from exactlift.lifts.width.decide import all_zero, compare_arrays, inertia_in
from exactlift.lifts.width.point import EmbeddingPoint, embedding_point
from exactlift.lifts.width.products import quadratic_form, right_multiply, left_multiply, sandwich, to_ctx_map
from exactlift.lifts.width.result import CheckResult, verdict_word
from exactlift.nn.case import Case
from exactlift.nn.network import Architecture

__all__ = ["check_hessian_relations", "check_inertia_monotone", "check_null_condition", "SplitCurvature",
           "split_curvature", "split_directions", "SplitInertia", "split_block_inertia", "add_inertia",
           "null_curvature", "null_block_inertia", "null_witness", "mp_singular_values"]


def check_hessian_relations(
    case: Case | EmbeddingPoint, lift: Any = None, arithmetic: str | Context = "exact"
) -> CheckResult:
    """Tᵀ H_wide(Tθ) T = H(θ) and H_wide(Tθ) T = S_T H(θ) at the case's θ (both Hessians computed directly).

    >>> from exactlift.nn.examples import demo_case
    >>> check_hessian_relations(demo_case(), SplitNeuron(1, 0, "1/3")).holds
    True
    """
    t0 = time.perf_counter()
    p = embedding_point(case, lift, arithmetic)
    ctx = p.ctx
    with ctx.active():
        H_n, H_w = p.narrow(2).hessian, p.wide(2).hessian
        T = to_ctx_map(p.T, ctx)
        ok1, worst1, _ = compare_arrays(sandwich(T, H_w, T, ctx), H_n, ctx)
        ok2, worst2 = None, None
        if p.S is not None:
            S = to_ctx_map(p.S, ctx)
            ok2, worst2, _ = compare_arrays(right_multiply(H_w, T, ctx), left_multiply(S, H_n, ctx), ctx)
    parts = [ok1] + ([ok2] if p.S is not None else [])
    holds = False if False in parts else (None if None in parts else True)
    detail = f"T^T H_wide T = H: {verdict_word(ok1)}; H_wide T = S_T H: " + (
        "no S_T (null condition)" if p.S is None else verdict_word(ok2))
    if holds is None:
        detail += f" ({ctx.undecided_zero})"
    data = {}
    if worst1 is not None:
        data = {"max_difference": [worst1, worst2]}
    return CheckResult("Hessian relations", holds, ctx.strength, "at theta of the case (any theta)", detail,
                       time.perf_counter() - t0, data)


@validated
def check_inertia_monotone(
    case: Case | EmbeddingPoint, lift: Any = None, arithmetic: str | Context = "exact"
) -> CheckResult:
    """n₋, n₀, n₊ of the wide Hessian at Tθ are each ≥ those of H(θ) (the conjecture ledger's check).

    In exact arithmetic it also checks that T maps an exact basis of
    ker H(θ) into ker H_wide(Tθ) (the mechanism behind n₀; needs S_T).

    >>> from exactlift.nn.examples import demo_case
    >>> r = check_inertia_monotone(demo_case(), SplitNeuron(1, 0, "1/3"))
    >>> r.holds, sum(r.data["wide"]) - sum(r.data["narrow"])  # 3 more parameters
    (True, 3)
    """
    t0 = time.perf_counter()
    p = embedding_point(case, lift, arithmetic)
    ctx = p.ctx
    a, b = p.inertia_narrow, p.inertia_wide
    if a is None or b is None:
        return CheckResult("inertia never decreases", None, ctx.strength, "at theta of the case",
                           f"inertia undecided by balls (narrow {a}, wide {b}): exact zero eigenvalues defeat "
                           "ball arithmetic; use exact arithmetic", time.perf_counter() - t0, {"narrow": a, "wide": b})
    monotone = all(w >= n for w, n in zip(b, a))
    data: dict[str, Any] = {"narrow": a, "wide": b, "monotone": monotone}
    if ctx.exact and p.S is not None:
        with ctx.active():
            basis = kernel(p.narrow(2).hessian)
            inj = True
            if basis:
                HT = right_multiply(p.wide(2).hessian, p.T, ctx)  # P_wide × P_narrow
                B = np.empty((len(basis[0]), len(basis)), dtype=object)
                for k, v in enumerate(basis):
                    B[:, k] = [ctx.convert(x) for x in v]
                inj = all(x == 0 for x in ctx.matmul(HT, B).ravel())
        data["kernel_injection"] = inj
    detail = f"inertia (n-, n0, n+) {a} -> {b}"
    if "kernel_injection" in data:
        detail += f"; T maps ker H into ker H_wide: {data['kernel_injection']}"
    holds = monotone and data.get("kernel_injection", True)
    return CheckResult("inertia never decreases", holds, ctx.strength, "at theta of the case", detail,
                       time.perf_counter() - t0, data)


def check_null_condition(
    case: Case | EmbeddingPoint, lift: Any = None, arithmetic: str | Context = "exact"
) -> CheckResult:
    """For each null-neuron step: σ(0) = 0, or a bias in layer l+1, or σ(0)·Σ_i δ_i^[l+1] = 0 (checked).

    >>> from exactlift.nn.examples import demo_case
    >>> check_null_condition(demo_case(), NullNeuron(1)).detail
    'null(layer=1): sigma(0) = 0, automatic'
    """
    t0 = time.perf_counter()
    p = embedding_point(case, lift, arithmetic)
    ctx = p.ctx
    steps = p.lift.steps()
    cur = p.case
    lines: list[str] = []
    holds: bool | None = True
    any_null = False
    strength = "symbolic"  # decided from the architecture alone unless a sum had to be computed
    for step in steps:
        if isinstance(step, NullNeuron):
            any_null = True
            l = step.layer
            act = cur.arch.activations[l - 1] if 1 <= l <= cur.arch.n_hidden else None
            if act is None:
                step.wide_architecture(cur.arch)  # raises the LiftError
            s0 = act.value_at_zero()
            if isinstance(s0, Fraction) and s0 == 0:
                lines.append(f"{step}: sigma(0) = 0, automatic")
            elif cur.arch.biases[l]:
                # Σ_i δ_i^[l+1] = n ∂R/∂b^[l+1]: zero at a critical point
                with ctx.active():
                    X, Y = cur.arrays(ctx)
                    d = derivatives(cur.arch, cur.params, X, Y, cur.loss, ctx, order=1)
                    crit = all_zero(d.gradient, ctx)
                lines.append(
                    f"{step}: sigma(0) = {s0} != 0 but layer {l + 1} has a bias, so sum_i delta_i = n dR/db[{l + 1}]"
                    + (" = 0 here (critical point)" if crit else " (zero at every critical point; theta is not critical)")
                )
            else:
                with ctx.active():
                    X, Y = cur.arrays(ctx)
                    d = derivatives(cur.arch, cur.params, X, Y, cur.loss, ctx, order=1)
                    sums = d.deltas[l + 1].sum(axis=0)
                    value = [ctx.convert(s0) * s for s in sums]
                    zero = all_zero(value, ctx)
                strength = ctx.strength
                holds = False if (holds is False or zero is False) else (None if zero is None else holds)
                lines.append(
                    f"{step}: sigma(0) = {s0} != 0, no bias in layer {l + 1}: sigma(0) * sum_i delta_i[{l + 1}] = "
                    f"({', '.join(ctx.to_output(v) for v in value)})" + {True: " = 0: criticality kept", False: " != 0: criticality is NOT kept",
                                                                        None: f": undecided ({ctx.undecided_zero})"}[zero]
                )
        cur = step.apply_case(cur)
    if not any_null:
        return CheckResult("null-embedding condition", None, "symbolic", "no null neuron", "the lift has no null neuron",
                           time.perf_counter() - t0)
    return CheckResult("null-embedding condition", holds, strength,
                       "architecture" if strength == "symbolic" else "at theta of the case", "; ".join(lines),
                       time.perf_counter() - t0)



# ---------------------------------------------------------------------------
# second order along one split: M_s, G_s, K (our derivation, docs/width.md)
# ---------------------------------------------------------------------------


@dataclass
class SplitCurvature:
    """M_s (k × k), G_s (m_{l+1} × k) and c_s of one neuron at θ, k = m_{l-1} (+1 with a bias).

    M_s = (1/n) Σ_i σ''(z_s(x_i)) (c_sᵀ δ_i^[l+1]) h̃_i h̃_iᵀ,
    G_s = (1/n) Σ_i σ'(z_s(x_i)) δ_i^[l+1] h̃_iᵀ (docs/width.md; in the papers' 1-hidden-layer,
    scalar-output setting M_s is Fukumizu–Amari's matrix, called F_s in issue 3).
    """

    layer: int
    neuron: int
    M: np.ndarray
    G: np.ndarray
    c: np.ndarray
    context: Context = field(repr=False)

    @property
    def k(self) -> int:
        return self.M.shape[0]

    def K(self, alpha: Any) -> np.ndarray:
        """K(α) = [[α(1−α) M_s, G_sᵀ], [G_s, 0]]."""
        ctx = self.context
        a = ctx.convert(alpha)
        k, m = self.M.shape[0], self.G.shape[0]
        out = ctx.zeros((k + m, k + m))
        w = a * (ctx.one - a)
        for i in range(k):
            for j in range(k):
                out[i, j] = w * self.M[i, j]
        for r in range(m):
            for j in range(k):
                out[k + r, j] = self.G[r, j]
                out[j, k + r] = self.G[r, j]
        return out

    @property
    def G_is_zero(self) -> bool | None:
        """G_s = 0, asked of the context (None: undecided, an mp value in the band or a ball containing 0)."""
        with self.context.active():
            return all_zero(self.G.ravel(), self.context)

    @property
    def M_is_zero(self) -> bool | None:
        with self.context.active():
            return all_zero(self.M.ravel(), self.context)


def layer_inputs(case: Case, layer: int, ctx: Any, narrow: Derivatives | None) -> tuple[Derivatives, int, np.ndarray]:
    """The narrow first-order derivatives (computed unless given), n, and h̃ = (f^[layer-1], 1)."""
    if narrow is None:
        X, Y = case.arrays(ctx)
        narrow = derivatives(case.arch, case.params, X, Y, case.loss, ctx, order=1)
    F = narrow.forward.F
    return narrow, F[0].shape[0], extended_inputs(case.arch, F[layer - 1], layer, ctx)


def split_curvature(case: Case, layer: int, neuron: int, arithmetic: str | Context = "exact",
                    narrow: Derivatives | None = None) -> SplitCurvature:
    """M_s and G_s of neuron ``neuron`` of hidden layer ``layer`` at the case's θ.

    >>> from exactlift.nn.examples import demo_case
    >>> sc = split_curvature(demo_case(), 1, 0)
    >>> sc.M.shape, sc.G.shape, sc.G_is_zero
    ((2, 2), (1, 2), True)
    """
    check_hidden_layer(case.arch, layer)
    check_neuron(case.arch, layer, neuron)
    ctx = get_context(arithmetic)
    with ctx.active():
        narrow, n, h = layer_inputs(case, layer, ctx, narrow)
        fp = narrow.forward
        k = h.shape[1]
        delta = narrow.deltas[layer + 1]
        c = case.params.convert(ctx).W[layer][:, neuron]
        m = delta.shape[1]
        inv_n = ctx.one / ctx.convert(n)
        M, G = ctx.zeros((k, k)), ctx.zeros((m, k))
        for i in range(n):
            s2, s1 = fp.S2[layer][i, neuron], fp.S1[layer][i, neuron]
            w = s2 * sum((c[r] * delta[i, r] for r in range(m)), ctx.zero) * inv_n
            for a in range(k):
                for b in range(k):
                    M[a, b] = M[a, b] + w * h[i, a] * h[i, b]
            for r in range(m):
                for b in range(k):
                    G[r, b] = G[r, b] + s1 * delta[i, r] * h[i, b] * inv_n
    return SplitCurvature(layer, neuron, M, G, c, ctx)


def split_directions(arch: Architecture, layer: int, neuron: int, alpha: Any) -> LinearMap:
    """The columns D (k of them) and E (m_{l+1}) of docs/width.md in the wide coordinates, as a P_wide × (k+m) map.

    D_a moves the incoming entry a of neuron s by (1−α) and of the new neuron by −α;
    E_r moves the outgoing entry r of neuron s by +1 and of the new neuron by −1.

    >>> DE = split_directions(Architecture.build([1, 2, 1]), 1, 0, Fraction(1, 3))
    >>> DE.shape  # P_wide × (k + m_2), k = 1 input + 1 bias
    (10, 3)
    """
    a = Fraction(alpha) if not isinstance(alpha, Fraction) else alpha
    wide = SplitNeuron(layer, neuron, a).wide_architecture(arch)
    new = arch.widths[layer]
    m_in, m_out = arch.widths[layer - 1], arch.widths[layer + 1]
    k = m_in + (1 if arch.biases[layer - 1] else 0)
    entries: dict[int, list[tuple[int, Any]]] = {}
    for col in range(k):
        if col < m_in:
            i_s, i_new = wide.weight_index(layer, neuron, col), wide.weight_index(layer, new, col)
        else:
            i_s, i_new = wide.bias_index(layer, neuron), wide.bias_index(layer, new)
        entries.setdefault(i_s, []).append((col, 1 - a))
        entries.setdefault(i_new, []).append((col, -a))
    for r in range(m_out):
        entries.setdefault(wide.weight_index(layer + 1, r, neuron), []).append((k + r, Fraction(1)))
        entries.setdefault(wide.weight_index(layer + 1, r, new), []).append((k + r, Fraction(-1)))
    rows = tuple(tuple(entries.get(i, ())) for i in range(wide.n_params))
    return LinearMap(wide.n_params, k + m_out, rows)



def add_inertia(*parts: tuple[int, int, int]) -> tuple[int, int, int]:
    return tuple(sum(p[i] for p in parts) for i in range(3))  # type: ignore[return-value]


@dataclass
class SplitInertia:
    """inertia(H_wide) = inertia(H_narrow) + inertia(K) for one split at θ, with the direct check."""

    lift: SplitNeuron
    inertia_narrow: tuple[int, int, int]
    inertia_K: tuple[int, int, int]
    predicted: tuple[int, int, int]
    direct: tuple[int, int, int]
    block_diagonal: bool | None
    witness: list[Fraction] | None
    witness_value: Any
    strength: str

    @property
    def holds(self) -> bool:
        return self.predicted == self.direct and self.block_diagonal is not False

    @property
    def strict_saddle(self) -> bool:
        return self.direct[0] >= 1


def split_block_inertia(
    case: Case, layer: int, neuron: int, alpha: Any, arithmetic: str | Context = "exact",
    verify_blocks: bool = True,
) -> SplitInertia:
    """Check inertia(H_wide) = inertia(H_narrow) + inertia(K(α)) for one split (any θ).

    Computes H_wide directly on the lifted case, its inertia, and (``verify_blocks``)
    the exact congruence Bᵀ H_wide B = diag(H_narrow, K) with B = [T | D | E].
    When the wide point has n₋ ≥ 1, returns a witness w (wide coordinates) with
    wᵀ H_wide w < 0, verified exactly.

    >>> from exactlift.nn.examples import demo_case
    >>> r = split_block_inertia(demo_case(), 1, 0, "1/3")
    >>> r.predicted == r.direct, r.block_diagonal
    (True, True)
    """
    lift = SplitNeuron(layer, neuron, alpha)
    p = EmbeddingPoint(case, lift, arithmetic)
    ctx = p.ctx
    sc = split_curvature(case, layer, neuron, ctx, narrow=p.narrow(2))
    with ctx.active():
        K = sc.K(lift.alpha)
        iK = inertia_in(K, ctx)
        predicted = add_inertia(p.inertia_narrow, iK)
        direct = p.inertia_wide
        H_w = p.wide(2).hessian
        block = None
        DE = split_directions(case.arch, layer, neuron, lift.alpha)
        if verify_blocks:
            T = to_ctx_map(p.T, ctx)
            DEc = to_ctx_map(DE, ctx)
            ok_T, _, _ = compare_arrays(sandwich(T, H_w, T, ctx), p.narrow(2).hessian, ctx)
            cross = sandwich(T, H_w, DEc, ctx)
            ok_cross = all_zero(cross.ravel(), ctx)
            ok_K, _, _ = compare_arrays(sandwich(DEc, H_w, DEc, ctx), K, ctx)
            block = ok_T and ok_cross and ok_K
        witness, value = None, None
        if ctx.exact and direct[0] >= 1:
            witness = wide_witness(p, K, DE)
            value = quadratic_form(H_w, witness, ctx)
            if not value < 0:  # pragma: no cover - would be a bug
                raise AssertionError(f"witness gives w^T H_wide w = {value}")
    return SplitInertia(lift, p.inertia_narrow, iK, predicted, direct, block, witness, value, ctx.strength)


def wide_witness(p: EmbeddingPoint, K: np.ndarray | None, DE: LinearMap | None) -> list[Fraction]:
    """A wide direction with negative curvature: from H_narrow (w = T v) or from K (w = D v + E β)."""
    v = witness_negative_direction(p.narrow(2).hessian)
    if v is not None:
        return [Fraction(x) if not isinstance(x, Fraction) else x for x in p.T(v)]
    assert K is not None and DE is not None
    u = witness_negative_direction(K)
    assert u is not None
    return DE(u)


def null_curvature(case: Case, layer: int, arithmetic: str | Context = "exact",
                   narrow: Derivatives | None = None) -> np.ndarray:
    """C = σ′(0)(1/n) Σ_i δ_i^[l+1] h̃_iᵀ (m_{l+1} × k) for a null neuron in hidden layer ``layer``.

    Refused (LiftError) when σ(0) ≠ 0 (the block formula needs it) or σ has a
    kink at 0 (the null neuron would sit on it).

    >>> from exactlift.nn.examples import demo_case
    >>> null_curvature(demo_case(), 1).shape
    (1, 2)
    """
    check_hidden_layer(case.arch, layer)
    act = case.arch.activations[layer - 1]
    s0 = act.value_at_zero()
    if not (isinstance(s0, Fraction) and s0 == 0):
        raise LiftError(f"the null-neuron inertia formula needs sigma(0) = 0; {act.spec} has sigma(0) = {s0}")
    if Fraction(0) in act.kinks:
        raise LiftError(f"{act.spec} has a kink at 0: a null neuron sits on it, the loss is not twice differentiable")
    ctx = get_context(arithmetic)
    with ctx.active():
        narrow, n, h = layer_inputs(case, layer, ctx, narrow)
        s1 = act.jet(ctx, ctx.zero)[1]
        return ctx.matmul(narrow.deltas[layer + 1].T, h) * (s1 / ctx.convert(n))


def null_block_inertia(case: Case, layer: int, arithmetic: str | Context = "exact") -> dict:
    """Null neuron with σ(0) = 0: inertia(H_wide) = inertia(H) + (r, k + m_{l+1} − 2r, r), r = rank C.

    C from :func:`null_curvature`.  Checked against the direct inertia of the
    wide Hessian.  Refused (LiftError) when σ(0) ≠ 0 or σ has a kink at 0.

    >>> from exactlift.nn.examples import demo_case
    >>> r = null_block_inertia(demo_case(), 1)
    >>> r["predicted"] == r["direct"]
    True
    """
    C = null_curvature(case, layer, arithmetic)  # refusals first, before the wide Hessian
    p = EmbeddingPoint(case, NullNeuron(layer), arithmetic)
    ctx = p.ctx
    with ctx.active():
        if ctx.exact:
            r = rank(C)
        else:
            decided = [ctx.decide_zero(s) for s in mp_singular_values(C)]
            r = None if None in decided else sum(1 for z in decided if z is False)
        k, m = C.shape[1], C.shape[0]
        predicted = None if r is None or p.inertia_narrow is None else add_inertia(p.inertia_narrow, (r, k + m - 2 * r, r))
        direct = p.inertia_wide
    return {"layer": layer, "C": C, "rank_C": r, "inertia_narrow": p.inertia_narrow, "predicted": predicted,
            "direct": direct, "holds": None if predicted is None or direct is None else predicted == direct, "strength": ctx.strength}


def mp_singular_values(C: np.ndarray) -> list:
    import mpmath

    if C.size == 0:
        return []
    return list(mpmath.svd_r(mpmath.matrix(C.tolist()), compute_uv=False))



def null_witness(case: Case, layer: int, p: EmbeddingPoint, ctx: Context) -> list[Fraction] | None:
    """w = (u = e_j incoming, a = −sign(C_rj) e_r outgoing) with wᵀ H w = −2|C_rj| < 0."""
    C = null_curvature(case, layer, ctx)
    wide = p.wide_case.arch
    new = case.arch.widths[layer]
    m_in = case.arch.widths[layer - 1]
    for r in range(C.shape[0]):
        for j in range(C.shape[1]):
            if C[r, j] != 0:
                w = [Fraction(0)] * wide.n_params
                i_in = wide.weight_index(layer, new, j) if j < m_in else wide.bias_index(layer, new)
                w[i_in] = Fraction(1)
                w[wide.weight_index(layer + 1, r, new)] = Fraction(-1 if C[r, j] > 0 else 1)
                return w
    return None
