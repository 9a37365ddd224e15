"""The width theorems in certified strength, at a certified critical point (issue 12, item 4).

On a smooth network the file's parameters are an approximate critical point.
:func:`~exactlift.lifts.certified.certified_point` proves a unique critical point θ* in a box X;
every quantity below is evaluated over X in ball arithmetic, so a decided sign holds at θ*:

* **criticality** of θ* from the Krawczyk proof, of T θ* from the embedding theorem
  (:func:`~exactlift.certify.embedded.certify_embedded_point`, which also checks that the
  wide gradient enclosure contains 0);
* **inertia** of H(θ*) (ball LDLᵀ over X), of the wide Hessian by the forced kernel (split
  lines) plus a decided part;
* **M_s, G_s** (:func:`split_curvature` over X): inertia(M_s) by ball LDLᵀ; G_s = 0 is decided
  False when a ball excludes 0, and True, for scalar next-layer width, from the identity
  ∂R/∂(w_s, b_s) = c_s G_s at the certified critical point with the ball c_s excluding 0;
* **witnesses**: a numerical negative direction rounded to short rationals w (exact), with
  wᵀ H_wide w < 0 proved over the wide box T_α X.

>>> from exactlift.nn.case import load_case
>>> from exactlift.gallery import example_path
>>> fa = certified_split_line(load_case(example_path("tanh-minimum")), 0, digits=40)
>>> fa.strength, fa.inertia_M, fa.confirmed
('certified', (1, 0, 1), True)
>>> fa.rule
'every alpha not in {0, 1}: M_s is indefinite'
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from exactlift.certify.critical import ball_derivatives
from exactlift.certify.embedded import certify_embedded_point
from exactlift.errors import InputError
from exactlift.lifts.certified import (
    CertifiedPoint,
    certified_negative,
    certified_point,
    numerical_negative_direction,
    short_rationals,
    wide_box,
)
from exactlift.lifts.width.decide import all_zero
from exactlift.lifts.width.embeddings import NullNeuron, SplitNeuron, as_lift
from exactlift.lifts.width.fukumizu_amari import FukumizuAmari, sign_rule, sign_rule_alpha
from exactlift.lifts.width.point import EmbeddingPoint
from exactlift.lifts.width.result import CheckResult
from exactlift.lifts.width.second_order import split_curvature, split_directions, null_curvature
from exactlift.nn.case import Case

__all__ = ["CertifiedEmbeddingPoint", "certified_G_zero", "certified_split_line", "certified_truly_bad",
           "certified_criticality"]

DEFAULT_ALPHAS = (Fraction(-1), Fraction(1, 3), Fraction(1, 2), Fraction(2))


class CertifiedEmbeddingPoint(EmbeddingPoint):
    """An :class:`EmbeddingPoint` on the certified box: criticality and inertia from the certificates.

    The derivatives (``narrow()``, ``wide()``) are ball enclosures over X and T X; the
    properties ``narrow_critical`` … ``inertia_wide`` come from the Krawczyk proof and the
    embedded-point certificate (None when undecided).
    """

    def __init__(self, point: CertifiedPoint, lift: Any) -> None:
        self.point = point
        with point.ctx.active():
            super().__init__(point.box, lift, point.ctx)
        self._embedded: Any = None
        self.embedded_reason = ""

    def embedded(self) -> Any:
        """The :class:`~exactlift.certify.embedded.EmbeddedCertificate` of T θ* (None: not available)."""
        if self._embedded is None and self.point.critical:
            try:
                self._embedded = certify_embedded_point(self.point.case, self.point.certificate, self.lift.steps(),
                                                        self.point.prec)
            except InputError as exc:
                self.embedded_reason = str(exc)
        return self._embedded

    @property
    def narrow_critical(self) -> bool | None:
        return self.point.critical

    @property
    def wide_critical(self) -> bool | None:
        e = self.embedded()
        return None if e is None else e.critical

    @property
    def inertia_narrow(self) -> tuple[int, int, int] | None:
        return self.point.inertia

    @property
    def inertia_wide(self) -> tuple[int, int, int] | None:
        e = self.embedded()
        return None if e is None or e.critical is not True else e.inertia


def certified_criticality(p: CertifiedEmbeddingPoint) -> CheckResult:
    """Criticality preserved, certified: θ* by Krawczyk, T θ* by the embedding theorem (with the radius)."""
    import time

    t0 = time.perf_counter()
    e = p.embedded()
    narrow = p.narrow_critical
    wide = None if e is None else e.critical
    data = dict(p.point.data())
    if e is not None:
        data.update({"wide": e.to_json()})
    if narrow is not True:
        return CheckResult("criticality preserved", None, "certified", "at the certified critical point",
                           p.point.note(), time.perf_counter() - t0, data)
    if wide is not True:
        why = e.reason if e is not None else p.embedded_reason
        return CheckResult("criticality preserved", None, "certified", "at the certified critical point",
                           f"{p.point.note()}; the wide point: undecided ({why})", time.perf_counter() - t0, data)
    return CheckResult("criticality preserved", True, "certified", "at the certified critical point",
                       f"{p.point.note()}; T theta* is critical by {e.theorem}; the wide gradient enclosure "
                       "over T X contains 0", time.perf_counter() - t0, data)


def certified_G_zero(cp: CertifiedPoint, sc: Any) -> tuple[bool | None, str]:
    """G_s = 0 at θ*: False when a ball excludes 0; True by ∂R/∂(w_s, b_s) = c_s G_s when m_{l+1} = 1."""
    with cp.ctx.active():
        z = all_zero(sc.G.ravel(), cp.ctx)
        if z is False:
            return False, "a ball of G_s excludes 0"
        if z is True:
            return True, "every ball of G_s is exactly 0"
        c = sc.c
        if cp.critical and len(c) == 1 and cp.ctx.decide_zero(c[0]) is False:
            return True, ("G_s = (dR/d(w_s, b_s)) / c_s with c_s != 0 (ball) and grad R(theta*) = 0 "
                          "(certified critical point)")
    return None, "every ball of G_s contains 0 and the next layer is wider than 1: undecided"


def _inertia_scaled(iM: tuple[int, int, int], w: Fraction) -> tuple[int, int, int]:
    n, z, q = iM
    if w > 0:
        return (n, z, q)
    if w < 0:
        return (q, z, n)
    return (0, n + z + q, 0)


def certified_split_line(case: Case, neuron: int, layer: int = 1, alphas: Sequence[Any] = DEFAULT_ALPHAS,
                         digits: int = 50, point: CertifiedPoint | None = None) -> FukumizuAmari:
    """The Fukumizu–Amari classification of a split line at the certified critical point (certified).

    Each sampled α: predicted inertia in_n + inertia(K) against the wide inertia certified
    independently (:func:`~exactlift.certify.embedded.certify_embedded_point`), and at each
    predicted saddle a short-rational witness w with wᵀ H_wide w < 0 proved over T_α X.
    Not certified: ``undecided`` says why and ``confirmed`` is False.
    """
    cp = point or certified_point(case, digits)
    ctx = cp.ctx
    if not cp.critical or cp.inertia is None:
        why = cp.note() if not cp.critical else "the inertia at theta* is undecided: " + cp.certificate.reason
        return FukumizuAmari(layer, neuron, cp.critical, cp.inertia, None, None, None, None,
                             "undecided", why, strength="certified", undecided=why)
    sc = split_curvature(cp.box, layer, neuron, ctx)
    with ctx.active():
        iM = ctx.inertia(sc.M)
    G_zero, g_why = certified_G_zero(cp, sc)
    in_n = cp.inertia
    caveats = [cp.note(), f"G_s = 0: {G_zero} ({g_why})"]
    undecided = ""
    if in_n[0] >= 1 or G_zero is False:
        rule = sign_rule(in_n, iM or (0, 0, 0), bool(G_zero))
    elif iM is None or G_zero is None:
        rule = "undecided"
        undecided = "inertia(M_s) undecided by balls" if iM is None else g_why
    else:
        rule = sign_rule(in_n, iM, True)
    arch = case.arch
    if arch.n_hidden != 1 or arch.output_dim != 1:
        caveats.append(f"outside the papers' setting (1 hidden layer, scalar output): {arch.n_hidden} hidden "
                       f"layer(s), {arch.output_dim} output(s)")
    fa = FukumizuAmari(layer, neuron, True, in_n, sc.M, sc.G, iM, G_zero, rule, "; ".join(caveats),
                       strength="certified", undecided=undecided)
    if undecided:
        return fa
    m = sc.G.shape[0]
    for alpha in alphas:
        a = Fraction(alpha)
        lift = SplitNeuron(layer, neuron, a)
        if G_zero:
            iK = tuple(x + y for x, y in zip(_inertia_scaled(iM, a * (1 - a)), (0, m, 0)))
        else:
            with ctx.active():
                iK = ctx.inertia(sc.K(a))
        predicted = None if iK is None else tuple(x + y for x, y in zip(in_n, iK))
        emb = certify_embedded_point(case, cp.certificate, [lift], cp.prec)
        direct = emb.inertia if emb.critical else None
        says = fa.saddle(a)
        sample: dict[str, Any] = {"alpha": str(a), "inertia_K": iK, "predicted": predicted, "direct": direct,
                                  "rule_says_saddle": says, "strict_saddle": None if direct is None else direct[0] >= 1,
                                  "wide_critical": emb.critical, "radius": cp.radius}
        ok = predicted is not None and predicted == direct and says == (direct[0] >= 1)
        if says:
            w, value, proved = _split_witness(cp, sc, lift, iK is not None and G_zero)
            if w is not None:
                sample["witness"] = [str(x) for x in w]
                sample["witness_value"] = value.str(12, radius=True)
                sample["witness_certified"] = proved
            ok = ok and proved
        sample["agrees"] = ok
        fa.samples.append(sample)
    return fa


def _split_witness(cp: CertifiedPoint, sc: Any, lift: SplitNeuron, g_zero: Any) -> tuple[Any, Any, bool]:
    """A short-rational wide direction w and the ball wᵀ H_wide(T_α X) w (proved negative when True)."""
    wide, balls = wide_box(cp, [lift])
    if cp.inertia[0] >= 1:  # from H_narrow: w = T v
        _, _, Hn = ball_derivatives(cp.box, list(cp.box.params.flatten()), cp.prec)
        v = numerical_negative_direction(Hn)
        w = lift.linear_map(cp.case.arch)(short_rationals(v))
    else:
        with cp.ctx.active():
            K = sc.K(lift.alpha)
        u = numerical_negative_direction(K)
        if u is None:
            return None, None, False
        w = split_directions(cp.case.arch, lift.layer, lift.neuron, lift.alpha)(short_rationals(u))
    w = [Fraction(x) for x in w]
    proved, value = certified_negative(wide, balls, w, cp.prec)
    return w, value, proved


def certified_truly_bad(case: Case, digits: int = 50) -> Any:
    """:func:`~exactlift.lifts.width.truly_bad.truly_bad_check` at the certified critical point (certified).

    Escapes: a split by the sign rule (inertia(M_s), G_s decided over X) or a null neuron
    (σ(0) = 0, a ball of C excluding 0), each confirmed by a short-rational witness with
    wᵀ H_wide w < 0 proved over the wide box; the wide point is critical by the embedding
    theorem (splits: certify_embedded_point; null neurons with σ(0) = 0: the null-embedding
    condition, with the wide gradient enclosure containing 0 as a consistency test).
    """
    from exactlift.lifts.width.truly_bad import TrulyBadReport

    cp = certified_point(case, digits)
    ctx = cp.ctx
    if not cp.critical or cp.inertia is None:
        return TrulyBadReport(cp.critical, cp.inertia, None, None, None, None, cp.note(), strength="certified")
    in_n = cp.inertia
    if in_n[0] >= 1:
        _, _, H = ball_derivatives(cp.box, list(cp.box.params.flatten()), cp.prec)
        v = short_rationals(numerical_negative_direction(H))
        proved, value = certified_negative(cp.box, cp.box.params.flatten(), v, cp.prec)
        return TrulyBadReport(True, in_n, None, v if proved else None, value.str(12, radius=True), in_n,
                              "already a strict saddle: H_narrow has a negative eigenvalue; " + cp.note(),
                              strength="certified")
    arch = case.arch
    conditions: dict[str, bool | None] = {"H_narrow >= 0": True}
    tried: list[str] = []
    candidates: list[tuple[Any, str, Any]] = []
    for l in range(1, arch.n_hidden + 1):
        for s in range(arch.widths[l]):
            sc = split_curvature(cp.box, l, s, ctx)
            with ctx.active():
                iM = ctx.inertia(sc.M)
                M_zero = all_zero(sc.M.ravel(), ctx)
            G_zero, _ = certified_G_zero(cp, sc)
            conditions[f"M_s = 0 (layer {l}, neuron {s})"] = M_zero
            conditions[f"G_s = 0 (layer {l}, neuron {s})"] = G_zero
            if G_zero is False:
                candidates.append((SplitNeuron(l, s, Fraction(1, 2)), "G_s != 0: every alpha", sc))
            elif G_zero and iM is not None:
                alpha = sign_rule_alpha(sign_rule(in_n, iM, True))
                if alpha is not None:
                    candidates.append((SplitNeuron(l, s, alpha), sign_rule(in_n, iM, True), sc))
        act = arch.activations[l - 1]
        s0 = act.value_at_zero()
        if isinstance(s0, Fraction) and s0 == 0 and Fraction(0) not in act.kinks:
            C = null_curvature(cp.box, l, ctx)
            with ctx.active():
                C_zero = all_zero(C.ravel(), ctx)
            conditions[f"C = 0 (layer {l})"] = C_zero
            if C_zero is False:
                candidates.append((NullNeuron(l), "C != 0: the null neuron adds (rank C) negative eigenvalues", C))
    for lift, why, extra in candidates:
        tried.append(str(lift))
        if isinstance(lift, SplitNeuron):
            w, value, proved = _split_witness(cp, extra, lift, True)
            emb = certify_embedded_point(case, cp.certificate, [lift], cp.prec)
            critical, inertia = emb.critical, emb.inertia
        else:
            w, value, proved, critical = _null_witness(cp, lift, extra)
            inertia = None
        if proved and critical:
            return TrulyBadReport(True, in_n, lift, w, value.str(12, radius=True), inertia,
                                  f"{lift} gives a strict saddle ({why}); {cp.note()}", conditions, tried,
                                  strength="certified")
    undecided = [k for k, v in conditions.items() if v is None]
    reason = ("no one-step splitting or null neuron gives a certified strict saddle; necessary conditions: "
              + ", ".join(f"{k}: {v}" for k, v in conditions.items()) + f"; {cp.note()}")
    if undecided:
        reason += f"; undecided by balls: {', '.join(undecided)}"
    return TrulyBadReport(True, in_n, None, None, None, None, reason, conditions, tried, strength="certified")


def _null_witness(cp: CertifiedPoint, lift: NullNeuron, C: Any) -> tuple[Any, Any, bool, bool | None]:
    """w = e_j (incoming) − sign(C_rj) e_r (outgoing) of the null neuron; wᵀ H w = −2|C_rj| < 0, proved in balls."""
    wide, balls = wide_box(cp, [lift])
    arch = wide.arch
    layer = lift.layer
    new = cp.case.arch.widths[layer]
    m_in = cp.case.arch.widths[layer - 1]
    with cp.ctx.active():
        best = max(((r, j) for r in range(C.shape[0]) for j in range(C.shape[1])
                    if cp.ctx.decide_zero(C[r, j]) is False), key=lambda rj: abs(float(C[rj].mid())))
        r, j = best
        sign = 1 if C[r, j] > 0 else -1
        _, g, _ = ball_derivatives(wide, balls, cp.prec, order=1)
        contains0 = all(x.contains(0) for x in g)
    w = [Fraction(0)] * arch.n_params
    w[arch.weight_index(layer, new, j) if j < m_in else arch.bias_index(layer, new)] = Fraction(1)
    w[arch.weight_index(layer + 1, r, new)] = Fraction(-sign)
    proved, value = certified_negative(wide, balls, w, cp.prec)
    # criticality: the null-embedding condition (sigma(0) = 0) transfers grad R = 0; the enclosure must contain 0
    return w, value, proved, (True if contains0 else None)


def certified_embedding_point(case: Case, lift: Any, digits: int = 50) -> CertifiedEmbeddingPoint:
    """Certify the case's point and wrap it with the lift (see :class:`CertifiedEmbeddingPoint`)."""
    return CertifiedEmbeddingPoint(certified_point(case, digits), as_lift(lift))
