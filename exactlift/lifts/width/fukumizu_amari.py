"""The Fukumizu–Amari classification of a split line: which split ratios α give a strict saddle.

docs/width.md (Fukumizu & Amari 2000, in the setting of one hidden layer and scalar
output; our derivation in general, see :mod:`exactlift.lifts.width.second_order`):
at a critical point θ, splitting neuron s with ratio α gives a wide Hessian of
inertia inertia(H_narrow) + inertia(K), K = [[α(1−α) M_s, G_sᵀ], [G_s, 0]].
With G_s = 0 the sign of α(1−α) and the definiteness of M_s decide; with
G_s ≠ 0 every α gives a strict saddle.  :func:`fukumizu_amari` states the rule
and confirms it on sample ratios against the directly computed wide Hessian.

>>> from exactlift.nn.examples import fa_minimum
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
from exactlift.calculus.backprop import derivatives
from exactlift.certify import jsonable
from exactlift.lifts.width.decide import all_zero, inertia_in
from exactlift.lifts.width.second_order import split_block_inertia, split_curvature
from exactlift.nn.case import Case
from exactlift.errors import validated

__all__ = ["FukumizuAmari", "fukumizu_amari", "sign_rule", "sign_rule_alpha"]


@dataclass
class FukumizuAmari:
    """Classification of the split line of one neuron at a critical point (docs/width.md).

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
    undecided: str = ""

    def saddle(self, alpha: Any) -> bool:
        """Whether the rule predicts a strict saddle at ratio α."""
        a = Fraction(alpha)
        if self.inertia_narrow is None:
            return None  # type: ignore[return-value]  # undecided
        if self.inertia_narrow[0] >= 1 or self.G_zero is False:
            return True
        if self.inertia_M is None or self.G_zero is None:
            return None  # type: ignore[return-value]  # undecided
        if not self.G_zero:
            return True
        w = a * (1 - a)
        n_minus, _, n_plus = self.inertia_M
        return (w > 0 and n_minus > 0) or (w < 0 and n_plus > 0)

    @property
    def confirmed(self) -> bool:
        """Every sampled α: predicted inertia = direct inertia and the rule's verdict = n₋ ≥ 1 (False when undecided)."""
        return not self.undecided and all(s["agrees"] for s in self.samples)

    def to_json(self) -> dict:
        return jsonable({
            "layer": self.layer, "neuron": self.neuron, "critical": self.critical,
            "inertia_narrow": self.inertia_narrow, "M_s": self.M, "G_s": self.G, "inertia_M_s": self.inertia_M,
            "G_s_zero": self.G_zero, "rule": self.rule, "caveat": self.caveat, "samples": self.samples,
            "confirmed": self.confirmed, "strength": self.strength, **({"undecided": self.undecided} if self.undecided else {}),
        })


def sign_rule(inertia_narrow: tuple[int, int, int], inertia_M: tuple[int, int, int], G_zero: bool) -> str:
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

    >>> sign_rule_alpha(sign_rule((0, 0, 4), (0, 1, 1), True)), sign_rule_alpha(sign_rule((0, 0, 4), (1, 1, 0), True))
    (Fraction(2, 1), Fraction(1, 2))
    """
    if rule.startswith("no alpha"):
        return None
    if rule.startswith("alpha < 0"):
        return Fraction(2)
    return Fraction(1, 2)


@validated
def fukumizu_amari(
    case: Case, neuron: int, layer: int = 1,
    alphas: Sequence[Any] = (Fraction(-1), Fraction(1, 3), Fraction(1, 2), Fraction(2)),
    arithmetic: str | Context = "exact",
) -> FukumizuAmari:
    """Classify every split ratio α of neuron ``neuron`` (Fukumizu & Amari 2000; docs/width.md sign rule).

    Computes M_s (Fukumizu–Amari's matrix; F_s in issue 3) and G_s exactly,
    states the set of α for which T_α θ is a strict saddle, and confirms it for
    each α in ``alphas`` (default: both sides of [0, 1] and inside) against the
    exact inertia of the wide Hessian computed directly, with a verified
    witness w (wᵀ H_wide w < 0) at each saddle.  The rule is the papers'
    setting when there is one hidden layer and a scalar output; otherwise the
    ``caveat`` says what changes (G_s ≠ 0 makes every α a saddle).

    >>> from exactlift.nn.examples import fa_minimum
    >>> fa = fukumizu_amari(fa_minimum("nsd"), neuron=0)
    >>> fa.rule, fa.saddle(2), fa.confirmed
    ('0 < alpha < 1: M_s is negative semidefinite and non-zero', False, True)
    """
    ctx = get_context(arithmetic)
    arch = case.arch
    with ctx.active():
        X, Y = case.arrays(ctx)
        d = derivatives(arch, case.params, X, Y, case.loss, ctx, order=2)
        critical = all_zero(d.gradient, ctx)
        in_n = inertia_in(d.hessian, ctx)
    sc = split_curvature(case, layer, neuron, ctx, narrow=d)
    with ctx.active():
        iM = inertia_in(sc.M, ctx)
        G_zero = all_zero(sc.G.ravel(), ctx)
    undecided = ", ".join(what for what, v in (("criticality", critical), ("inertia(H)", in_n), ("inertia(M_s)", iM),
                                                ("G_s = 0", G_zero)) if v is None)
    if undecided:  # an mp value in the undecided band, or a ball containing 0: never guessed
        why = f"undecided in {ctx.name} arithmetic: {undecided} (a value in the undecided band of the zero test)"
        return FukumizuAmari(layer, neuron, critical, in_n, sc.M, sc.G, iM, G_zero, "undecided", why,
                             strength=ctx.strength, undecided=why)
    rule = sign_rule(in_n, iM, G_zero)
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
