"""Second order along one split: M_s, G_s, the block formula, Fukumizu–Amari, truly-bad points.

SPEC §1, **our derivation** (checked exactly here, case by case): split neuron
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

>>> from exactlift.lifts.width_examples import fa_minimum
>>> fa = fukumizu_amari(fa_minimum("psd"), neuron=0)
>>> fa.saddle(-1), fa.saddle("1/2"), fa.confirmed
(True, False, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from exactlift.arith.contexts import Context, get_context
from exactlift.arith.linalg import inertia as exact_inertia
from exactlift.arith.linalg import rank, witness_negative_direction
from exactlift.calculus.backprop import Derivatives, derivatives, extended_inputs
from exactlift.errors import LiftError
from exactlift.lifts.width import LinearMap, NullNeuron, SplitNeuron, WidthLift, check_neuron, check_hidden_layer
from exactlift.certify import jsonable
from exactlift.lifts.width_checks import EmbeddingPoint, compare_arrays, inertia_in, sandwich, to_ctx_map
from exactlift.nn.case import Case
from exactlift.nn.network import Architecture

# ---------------------------------------------------------------------------
# second order along one split: M_s, G_s, K (our derivation, SPEC §1)
# ---------------------------------------------------------------------------


@dataclass
class SplitCurvature:
    """M_s (k × k), G_s (m_{l+1} × k) and c_s of one neuron at θ, k = m_{l-1} (+1 with a bias).

    M_s = (1/n) Σ_i σ''(z_s(x_i)) (c_sᵀ δ_i^[l+1]) h̃_i h̃_iᵀ,
    G_s = (1/n) Σ_i σ'(z_s(x_i)) δ_i^[l+1] h̃_iᵀ (SPEC §1; in the papers' 1-hidden-layer,
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
    def G_is_zero(self) -> bool:
        return all(self.context.is_zero(x) for x in self.G.ravel())

    @property
    def M_is_zero(self) -> bool:
        return all(self.context.is_zero(x) for x in self.M.ravel())


def _layer_inputs(case: Case, layer: int, ctx: Any, narrow: Derivatives | None) -> tuple[Derivatives, int, np.ndarray]:
    """The narrow first-order derivatives (computed unless given), n, and h̃ = (f^[layer-1], 1)."""
    if narrow is None:
        X, Y = case.arrays(ctx)
        narrow = derivatives(case.arch, case.params, X, Y, case.loss, ctx, order=1)
    F = narrow.forward.F
    return narrow, F[0].shape[0], extended_inputs(case.arch, F[layer - 1], layer, ctx)


def split_curvature(case: Case, layer: int, neuron: int, arithmetic: str | Context = "exact",
                    narrow: Derivatives | None = None) -> SplitCurvature:
    """M_s and G_s of neuron ``neuron`` of hidden layer ``layer`` at the case's θ.

    >>> from exactlift.demo import demo_case
    >>> sc = split_curvature(demo_case(), 1, 0)
    >>> sc.M.shape, sc.G.shape, sc.G_is_zero
    ((2, 2), (1, 2), True)
    """
    check_hidden_layer(case.arch, layer)
    check_neuron(case.arch, layer, neuron)
    ctx = get_context(arithmetic)
    with ctx.active():
        narrow, n, h = _layer_inputs(case, layer, ctx, narrow)
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
    """The columns D (k of them) and E (m_{l+1}) of SPEC §1 in the wide coordinates, as a P_wide × (k+m) map.

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


def _quad(H: np.ndarray, v: Sequence[Any], ctx: Context) -> Any:
    vc = [ctx.convert(x) for x in v]
    nz = [j for j, x in enumerate(vc) if not (x == 0)]
    total = ctx.zero
    for i in nz:
        row = H[i]
        total = total + vc[i] * sum((row[j] * vc[j] for j in nz), ctx.zero)
    return total


def _add_inertia(*parts: tuple[int, int, int]) -> tuple[int, int, int]:
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

    >>> from exactlift.demo import demo_case
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
        predicted = _add_inertia(p.inertia_narrow, iK)
        direct = p.inertia_wide
        H_w = p.wide(2).hessian
        block = None
        DE = split_directions(case.arch, layer, neuron, lift.alpha)
        if verify_blocks:
            T = to_ctx_map(p.T, ctx)
            DEc = to_ctx_map(DE, ctx)
            ok_T, _, _ = compare_arrays(sandwich(T, H_w, T, ctx), p.narrow(2).hessian, ctx)
            cross = sandwich(T, H_w, DEc, ctx)
            ok_cross = all(ctx.is_zero(x) for x in cross.ravel())
            ok_K, _, _ = compare_arrays(sandwich(DEc, H_w, DEc, ctx), K, ctx)
            block = ok_T and ok_cross and ok_K
        witness, value = None, None
        if ctx.name == "exact" and direct[0] >= 1:
            witness = _wide_witness(p, K, DE)
            value = _quad(H_w, witness, ctx)
            if not value < 0:  # pragma: no cover - would be a bug
                raise AssertionError(f"witness gives w^T H_wide w = {value}")
    return SplitInertia(lift, p.inertia_narrow, iK, predicted, direct, block, witness, value, ctx.strength)


def _wide_witness(p: EmbeddingPoint, K: np.ndarray | None, DE: LinearMap | None) -> list[Fraction]:
    """A wide direction with negative curvature: from H_narrow (w = T v) or from K (w = D v + E β)."""
    v = witness_negative_direction(p.narrow(2).hessian)
    if v is not None:
        return [Fraction(x) if not isinstance(x, Fraction) else x for x in p.T(v)]
    assert K is not None and DE is not None
    u = witness_negative_direction(K)
    assert u is not None
    return DE(u)


# ---------------------------------------------------------------------------
# Fukumizu–Amari along the split line
# ---------------------------------------------------------------------------


@dataclass
class FukumizuAmari:
    """Classification of the split line of one neuron at a critical point (SPEC §1).

    ``rule`` describes the set of α whose split point is a strict saddle;
    ``saddle(α)`` decides one α; ``samples`` holds, for each tested α, the
    predicted and direct inertia and (for saddles) the verified witness.
    """

    layer: int
    neuron: int
    critical: bool
    inertia_narrow: tuple[int, int, int]
    M: np.ndarray
    G: np.ndarray
    inertia_M: tuple[int, int, int]
    G_zero: bool
    rule: str
    caveat: str
    samples: list[dict] = field(default_factory=list)
    strength: str = "exact"

    def saddle(self, alpha: Any) -> bool:
        """Whether the rule predicts a strict saddle at ratio α."""
        a = Fraction(alpha)
        if self.inertia_narrow[0] >= 1 or not self.G_zero:
            return True
        w = a * (1 - a)
        n_minus, _, n_plus = self.inertia_M
        return (w > 0 and n_minus > 0) or (w < 0 and n_plus > 0)

    @property
    def confirmed(self) -> bool:
        """Every sampled α: predicted inertia = direct inertia and the rule's verdict = n₋ ≥ 1."""
        return all(s["agrees"] for s in self.samples)

    def to_json(self) -> dict:
        return jsonable({
            "layer": self.layer, "neuron": self.neuron, "critical": self.critical,
            "inertia_narrow": self.inertia_narrow, "M_s": self.M, "G_s": self.G, "inertia_M_s": self.inertia_M,
            "G_s_zero": self.G_zero, "rule": self.rule, "caveat": self.caveat, "samples": self.samples,
            "confirmed": self.confirmed, "strength": self.strength,
        })


def _rule(inertia_narrow: tuple[int, int, int], inertia_M: tuple[int, int, int], G_zero: bool) -> str:
    if inertia_narrow[0] >= 1:
        return "every alpha: H_narrow already has a negative eigenvalue"
    if not G_zero:
        return "every alpha: G_s != 0, so n-(K) >= rank G_s"
    n_minus, _, n_plus = inertia_M
    if n_minus and n_plus:
        return "every alpha not in {0, 1}: M_s is indefinite"
    if n_plus:
        return "alpha < 0 or alpha > 1: M_s is positive semidefinite and non-zero"
    if n_minus:
        return "0 < alpha < 1: M_s is negative semidefinite and non-zero"
    return "no alpha: M_s = 0, splitting this neuron never helps at second order"


def sign_rule_alpha(rule: str) -> Fraction | None:
    """A ratio α the rule says gives a strict saddle (None for 'no alpha').

    >>> sign_rule_alpha(_rule((0, 0, 4), (0, 1, 1), True)), sign_rule_alpha(_rule((0, 0, 4), (1, 1, 0), True))
    (Fraction(2, 1), Fraction(1, 2))
    """
    if rule.startswith("no alpha"):
        return None
    if rule.startswith("alpha < 0"):
        return Fraction(2)
    return Fraction(1, 2)


def fukumizu_amari(
    case: Case, neuron: int, layer: int = 1,
    alphas: Sequence[Any] = (Fraction(-1), Fraction(1, 3), Fraction(1, 2), Fraction(2)),
    arithmetic: str | Context = "exact",
) -> FukumizuAmari:
    """Classify every split ratio α of neuron ``neuron`` (Fukumizu & Amari 2000; SPEC §1 sign rule).

    Computes M_s (Fukumizu–Amari's matrix; F_s in issue 3) and G_s exactly,
    states the set of α for which T_α θ is a strict saddle, and confirms it for
    each α in ``alphas`` (default: both sides of [0, 1] and inside) against the
    exact inertia of the wide Hessian computed directly, with a verified
    witness w (wᵀ H_wide w < 0) at each saddle.  The rule is the papers'
    setting when there is one hidden layer and a scalar output; otherwise the
    ``caveat`` says what changes (G_s ≠ 0 makes every α a saddle).

    >>> from exactlift.lifts.width_examples import fa_minimum
    >>> fa = fukumizu_amari(fa_minimum("nsd"), neuron=0)
    >>> fa.rule, fa.saddle(2), fa.confirmed
    ('0 < alpha < 1: M_s is negative semidefinite and non-zero', False, True)
    """
    ctx = get_context(arithmetic)
    arch = case.arch
    with ctx.active():
        X, Y = case.arrays(ctx)
        d = derivatives(arch, case.params, X, Y, case.loss, ctx, order=2)
        critical = all(ctx.is_zero(g) for g in d.gradient)
        in_n = inertia_in(d.hessian, ctx)
    sc = split_curvature(case, layer, neuron, ctx, narrow=d)
    with ctx.active():
        iM = inertia_in(sc.M, ctx)
    G_zero = sc.G_is_zero
    rule = _rule(in_n, iM, G_zero)
    caveats = []
    if arch.n_hidden != 1 or arch.output_dim != 1:
        caveats.append(
            f"outside the papers' setting (1 hidden layer, scalar output): here {arch.n_hidden} hidden layer(s), "
            f"{arch.output_dim} output(s); G_s is computed and {'vanishes' if G_zero else 'does NOT vanish'}"
        )
    if not G_zero and critical:
        caveats.append("G_s != 0 at this critical point (vector output, earlier layer, or c_s = 0): every alpha is a strict saddle")
    if not critical:
        caveats.append("theta is not a critical point: the inertia formula holds, but 'strict saddle' is about critical points")
    fa = FukumizuAmari(layer, neuron, critical, in_n, sc.M, sc.G, iM, G_zero, rule, "; ".join(caveats),
                       strength=ctx.strength)
    for alpha in alphas:
        r = split_block_inertia(case, layer, neuron, alpha, ctx, verify_blocks=False)
        predicted_saddle = fa.saddle(alpha)
        sample = {
            "alpha": str(Fraction(alpha)), "inertia_K": r.inertia_K, "predicted": r.predicted, "direct": r.direct,
            "rule_says_saddle": predicted_saddle, "strict_saddle": r.direct[0] >= 1,
            "agrees": r.predicted == r.direct and predicted_saddle == (r.direct[0] >= 1),
        }
        if r.witness is not None:
            sample["witness"] = [str(x) for x in r.witness]
            sample["witness_value"] = str(r.witness_value)
        fa.samples.append(sample)
    return fa


def null_curvature(case: Case, layer: int, arithmetic: str | Context = "exact",
                   narrow: Derivatives | None = None) -> np.ndarray:
    """C = σ′(0)(1/n) Σ_i δ_i^[l+1] h̃_iᵀ (m_{l+1} × k) for a null neuron in hidden layer ``layer``.

    Refused (LiftError) when σ(0) ≠ 0 (the block formula needs it) or σ has a
    kink at 0 (the null neuron would sit on it).

    >>> from exactlift.demo import demo_case
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
        narrow, n, h = _layer_inputs(case, layer, ctx, narrow)
        s1 = act.jet(ctx, ctx.zero)[1]
        return ctx.matmul(narrow.deltas[layer + 1].T, h) * (s1 / ctx.convert(n))


def null_block_inertia(case: Case, layer: int, arithmetic: str | Context = "exact") -> dict:
    """Null neuron with σ(0) = 0: inertia(H_wide) = inertia(H) + (r, k + m_{l+1} − 2r, r), r = rank C.

    C from :func:`null_curvature`.  Checked against the direct inertia of the
    wide Hessian.  Refused (LiftError) when σ(0) ≠ 0 or σ has a kink at 0.

    >>> from exactlift.demo import demo_case
    >>> r = null_block_inertia(demo_case(), 1)
    >>> r["predicted"] == r["direct"]
    True
    """
    C = null_curvature(case, layer, arithmetic)  # refusals first, before the wide Hessian
    p = EmbeddingPoint(case, NullNeuron(layer), arithmetic)
    ctx = p.ctx
    with ctx.active():
        if ctx.name == "exact":
            r = rank(C)
        else:
            r = sum(1 for s in _mp_singular_values(C) if not ctx.is_zero(s))
        k, m = C.shape[1], C.shape[0]
        predicted = _add_inertia(p.inertia_narrow, (r, k + m - 2 * r, r))
        direct = p.inertia_wide
    return {"layer": layer, "C": C, "rank_C": r, "inertia_narrow": p.inertia_narrow, "predicted": predicted,
            "direct": direct, "holds": predicted == direct, "strength": ctx.strength}


def _mp_singular_values(C: np.ndarray) -> list:
    import mpmath

    if C.size == 0:
        return []
    return list(mpmath.svd_r(mpmath.matrix(C.tolist()), compute_uv=False))


# ---------------------------------------------------------------------------
# truly-bad critical points
# ---------------------------------------------------------------------------


@dataclass
class TrulyBadReport:
    """Outcome of :func:`truly_bad_check`.

    Either ``escape`` (a lift) and ``witness`` (wide coordinates, wᵀ H_wide w < 0
    verified on the directly computed wide Hessian) — the critical point is
    not truly bad — or ``conditions`` listing the necessary conditions found to
    hold (H ⪰ 0; M_s = 0 and G_s = 0 for every hidden neuron; C = 0 per layer
    when σ(0) = 0 ≠ σ′(0)).
    """

    critical: bool
    inertia_narrow: tuple[int, int, int]
    escape: WidthLift | None
    witness: list[Fraction] | None
    witness_value: Any
    wide_inertia: tuple[int, int, int] | None
    reason: str
    conditions: dict = field(default_factory=dict)
    tried: list[str] = field(default_factory=list)

    @property
    def truly_bad_candidate(self) -> bool:
        """No escape found and every necessary condition holds."""
        return self.escape is None and self.critical and all(self.conditions.values())

    def to_json(self) -> dict:
        return jsonable({
            "critical": self.critical, "inertia_narrow": self.inertia_narrow,
            "escape": None if self.escape is None else str(self.escape),
            "witness": self.witness, "witness_value": self.witness_value, "wide_inertia": self.wide_inertia,
            "reason": self.reason, "necessary_conditions": self.conditions, "tried": self.tried,
            "truly_bad_candidate": self.truly_bad_candidate,
        })


def truly_bad_check(case: Case) -> TrulyBadReport:
    """Search the one-step embeddings of a critical point for one that makes it a strict saddle (exact).

    Tries every hidden neuron s (α by the sign rule of :func:`fukumizu_amari`,
    any α when G_s ≠ 0) and a null neuron per hidden layer with σ(0) = 0 ≠ σ′(0)
    (C ≠ 0).  The escape is confirmed on the lifted case itself: its Hessian
    is computed directly and the witness w satisfies wᵀ H_wide w < 0 exactly.
    Otherwise reports that the necessary conditions for a truly-bad critical
    point hold (2111.15527; conditions from SPEC §1).

    >>> from exactlift.lifts.width_examples import fa_minimum
    >>> r = truly_bad_check(fa_minimum("nsd"))
    >>> str(r.escape), r.witness_value < 0
    ('split(layer=1, neuron=0, alpha=1/2)', True)
    """
    ctx = get_context("exact")
    arch = case.arch
    with ctx.active():
        X, Y = case.arrays(ctx)
        d = derivatives(arch, case.params, X, Y, case.loss, ctx, order=2)
        critical = all(g == 0 for g in d.gradient)
        in_n = exact_inertia(d.hessian)
    if not critical:
        return TrulyBadReport(False, in_n, None, None, None, None, "theta is not a critical point")
    if in_n[0] >= 1:
        v = witness_negative_direction(d.hessian)
        return TrulyBadReport(True, in_n, None, v, _quad(d.hessian, v, ctx), in_n,
                              "already a strict saddle: H_narrow has a negative eigenvalue (witness in narrow coordinates)")
    conditions: dict[str, bool] = {"H_narrow >= 0": True}
    tried: list[str] = []
    candidates: list[tuple[WidthLift, str]] = []
    for l in range(1, arch.n_hidden + 1):
        for s in range(arch.widths[l]):
            sc = split_curvature(case, l, s, ctx, narrow=d)
            iM = exact_inertia(sc.M)
            conditions[f"M_s = 0 (layer {l}, neuron {s})"] = sc.M_is_zero
            conditions[f"G_s = 0 (layer {l}, neuron {s})"] = sc.G_is_zero
            rule = _rule(in_n, iM, sc.G_is_zero)
            alpha = sign_rule_alpha(rule)
            if alpha is not None:
                candidates.append((SplitNeuron(l, s, alpha), rule))
        act = arch.activations[l - 1]
        s0 = act.value_at_zero()
        if isinstance(s0, Fraction) and s0 == 0 and Fraction(0) not in act.kinks:
            s1 = act.jet(ctx, ctx.zero)[1]
            if s1 != 0:
                C_zero = all(x == 0 for x in null_curvature(case, l, ctx, narrow=d).ravel())
                conditions[f"C = 0 (layer {l})"] = C_zero
                if not C_zero:
                    candidates.append((NullNeuron(l), "C != 0: the null neuron adds (rank C) negative eigenvalues"))
    for lift, why in candidates:
        tried.append(str(lift))
        p = EmbeddingPoint(case, lift, ctx)
        with ctx.active():
            H_w = p.wide(2).hessian
            if isinstance(lift, SplitNeuron):
                sc = split_curvature(case, lift.layer, lift.neuron, ctx, narrow=d)
                K = sc.K(lift.alpha)
                u = witness_negative_direction(K)
                if u is None:
                    continue
                w = split_directions(arch, lift.layer, lift.neuron, lift.alpha)(u)
            else:
                w = _null_witness(case, lift.layer, p, ctx)
                if w is None:
                    continue
            value = _quad(H_w, w, ctx)
            if value < 0 and p.wide_critical:
                return TrulyBadReport(True, in_n, lift, w, value, p.inertia_wide,
                                      f"{lift} gives a strict saddle ({why})", conditions, tried)
    return TrulyBadReport(True, in_n, None, None, None, None,
                          "no one-step splitting or null neuron gives a strict saddle; necessary conditions: "
                          + ", ".join(f"{k}: {v}" for k, v in conditions.items()), conditions, tried)


def _null_witness(case: Case, layer: int, p: EmbeddingPoint, ctx: Context) -> list[Fraction] | None:
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

