"""Truly-bad critical points: a one-step embedding that turns a local minimum into a strict saddle.

docs/width.md (Zhang et al. 2021): a critical point is *truly bad* when some
embedding of it is a strict saddle.  :func:`truly_bad_check` tries every hidden
neuron (the split ratio chosen by the Fukumizu–Amari sign rule, see
:mod:`exactlift.lifts.width.fukumizu_amari`) and every null neuron, and
confirms a saddle by a witness w with wᵀ H_wide w < 0 evaluated on the
directly computed wide Hessian.

>>> from exactlift.nn.examples import fa_minimum
>>> print(truly_bad_check(fa_minimum("nsd")).escape)
split(layer=1, neuron=0, alpha=1/2)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from exactlift.arith.contexts import get_context
from exactlift.calculus.backprop import derivatives
from exactlift.certify import jsonable
from exactlift.arith.linalg import inertia as exact_inertia
from exactlift.arith.linalg import witness_negative_direction
from exactlift.lifts.width.embeddings import NullNeuron, SplitNeuron, WidthLift
from exactlift.lifts.width.fukumizu_amari import sign_rule, sign_rule_alpha
from exactlift.lifts.width.point import EmbeddingPoint
from exactlift.lifts.width.products import quadratic_form
from exactlift.lifts.width.second_order import null_curvature, null_witness, split_curvature, split_directions
from exactlift.nn.case import Case
from exactlift.errors import validated

__all__ = ["TrulyBadReport", "truly_bad_check"]


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
    strength: str = "exact"

    @property
    def truly_bad_candidate(self) -> bool:
        """No escape found and every necessary condition holds."""
        return self.escape is None and self.critical is True and all(v is True for v in self.conditions.values())

    def to_json(self) -> dict:
        return jsonable({
            "critical": self.critical, "inertia_narrow": self.inertia_narrow,
            "escape": None if self.escape is None else str(self.escape),
            "witness": self.witness, "witness_value": self.witness_value, "wide_inertia": self.wide_inertia,
            "reason": self.reason, "necessary_conditions": self.conditions, "tried": self.tried,
            "truly_bad_candidate": self.truly_bad_candidate, "strength": self.strength,
        })


@validated
def truly_bad_check(case: Case) -> TrulyBadReport:
    """Search the one-step embeddings of a critical point for one that makes it a strict saddle (exact).

    Tries every hidden neuron s (α by the sign rule of :func:`fukumizu_amari`,
    any α when G_s ≠ 0) and a null neuron per hidden layer with σ(0) = 0 ≠ σ′(0)
    (C ≠ 0).  The escape is confirmed on the lifted case itself: its Hessian
    is computed directly and the witness w satisfies wᵀ H_wide w < 0 exactly.
    Otherwise reports that the necessary conditions for a truly-bad critical
    point hold (2111.15527; conditions from docs/width.md).

    >>> from exactlift.nn.examples import fa_minimum
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
        return TrulyBadReport(True, in_n, None, v, quadratic_form(d.hessian, v, ctx), in_n,
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
            rule = sign_rule(in_n, iM, sc.G_is_zero)
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
                w = null_witness(case, lift.layer, p, ctx)
                if w is None:
                    continue
            value = quadratic_form(H_w, w, ctx)
            if value < 0 and p.wide_critical:
                return TrulyBadReport(True, in_n, lift, w, value, p.inertia_wide,
                                      f"{lift} gives a strict saddle ({why})", conditions, tried)
    return TrulyBadReport(True, in_n, None, None, None, None,
                          "no one-step splitting or null neuron gives a strict saddle; necessary conditions: "
                          + ", ".join(f"{k}: {v}" for k, v in conditions.items()), conditions, tried)
