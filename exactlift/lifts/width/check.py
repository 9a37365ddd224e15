"""Every width check at once: :func:`check_embedding` (the ``check-embedding`` command) and the
second-order block formulas along a composition (:func:`check_block_formulas`).

This module sits above both :mod:`exactlift.lifts.width` (first order, Hessian relations,
inertia) and :mod:`exactlift.lifts.width` (M_s, G_s and the null block C), which it
ties together, so neither of those imports the other.
"""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Any

from exactlift.arith.contexts import Context, get_context
from exactlift.lifts.certified import certifiable
from exactlift.lifts.width.certified import CertifiedEmbeddingPoint, certified_criticality, certified_embedding_point
from exactlift.lifts.width.embeddings import NullNeuron, OddSplitNeuron, SplitNeuron, as_lift
from exactlift.lifts.width.first_order import (
    check_criticality,
    check_gradient_transfer,
    check_output_preservation,
    check_split_line,
)
from exactlift.lifts.width.point import EmbeddingPoint, embedding_point
from exactlift.lifts.width.result import CheckResult
from exactlift.lifts.width.second_order import check_hessian_relations, check_inertia_monotone, check_null_condition
from exactlift.lifts.width.symbolic import prove_gradient_transfer, prove_output_preservation
from exactlift.lifts.width.second_order import null_block_inertia, split_block_inertia
from exactlift.nn.case import Case
from exactlift.nn.network import Architecture
from exactlift.errors import validated

__all__ = ["SYMBOLIC_PARAM_LIMIT", "check_block_formulas", "check_embedding"]


# ---------------------------------------------------------------------------
# everything at once (the check-embedding command)
# ---------------------------------------------------------------------------


SYMBOLIC_PARAM_LIMIT = 40


@validated
def check_embedding(case: Case, lift: Any, arithmetic: str = "exact", digits: int = 50,
                    symbolic: bool | None = None, second_order: bool = True) -> list[CheckResult]:
    """All checks of this module for one case and one lift, each with its strength.

    ``symbolic`` (default: when the wide net has at most
    :data:`SYMBOLIC_PARAM_LIMIT` parameters) adds the architecture-level proofs
    with the undefined activation; ``second_order`` the block formulas of
    :func:`check_block_formulas` (one more Hessian per intermediate step).

    >>> from exactlift.nn.examples import demo_case
    >>> [r.holds for r in check_embedding(demo_case(), SplitNeuron(1, 0, "1/3"), symbolic=False)]
    [True, True, True, True, True, True, None, True]
    """
    lift = as_lift(lift)
    if get_context(arithmetic, digits).enclosures and certifiable(case):
        # a smooth network: the theorems run at the certified critical point (exactlift.lifts.width.certified)
        p: EmbeddingPoint = certified_embedding_point(case, lift, digits)
    else:
        p = EmbeddingPoint(case, lift, arithmetic, digits)
    out: list[CheckResult] = []
    if symbolic is None:
        symbolic = p.wide_case.arch.n_params <= SYMBOLIC_PARAM_LIMIT
    if symbolic:
        sym_arch = Architecture.build(case.arch.widths, "sigma", list(case.arch.biases))
        odd = any(isinstance(s, OddSplitNeuron) for s in lift.steps())
        if odd:
            sym_arch = case.arch
        out.append(prove_output_preservation(sym_arch, lift))
        out.append(prove_gradient_transfer(sym_arch, lift))
    out.append(check_output_preservation(p))
    out.append(check_gradient_transfer(p))
    out.append(certified_criticality(p) if isinstance(p, CertifiedEmbeddingPoint) else check_criticality(p))
    if p.ctx.exact and case.arch.activations and all(a.exact_capable for a in case.arch.activations):
        out.append(check_split_line(p))
    out.append(check_hessian_relations(p))
    out.append(check_inertia_monotone(p))
    out.append(check_null_condition(p))
    if second_order and not p.ctx.enclosures:  # the block formulas need decided inertias
        out.append(check_block_formulas(p))
    return out


def check_block_formulas(case: Case | EmbeddingPoint, lift: Any = None, arithmetic: str | Context = "exact") -> CheckResult:
    """Each one-step split (and null neuron with σ(0) = 0) of the lift, on the case it meets:
    inertia after the step = inertia before + inertia(K) (our derivation, docs/width.md), against the direct inertia.

    >>> from exactlift.nn.examples import demo_case
    >>> r = check_block_formulas(demo_case(), SplitNeuron(1, 0, "1/3"))
    >>> r.holds, r.strength
    (True, 'exact')
    """
    t0 = time.perf_counter()
    p = embedding_point(case, lift, arithmetic)
    ctx = p.ctx
    cur, lines, holds = p.case, [], True
    for step in p.lift.steps():
        if type(step) is SplitNeuron:
            r = split_block_inertia(cur, step.layer, step.neuron, step.alpha, ctx, verify_blocks=False)
            ok = r.predicted == r.direct
            lines.append(f"{step}: {r.inertia_narrow} + inertia(K) {r.inertia_K} = {r.predicted}, direct {r.direct}")
            holds = holds and ok
        elif isinstance(step, NullNeuron):
            act = cur.arch.activations[step.layer - 1] if 1 <= step.layer <= cur.arch.n_hidden else None
            s0 = act.value_at_zero() if act is not None else None
            if isinstance(s0, Fraction) and s0 == 0 and Fraction(0) not in act.kinks:
                r2 = null_block_inertia(cur, step.layer, ctx)
                lines.append(f"{step}: {r2['inertia_narrow']} + (r, k + m - 2r, r) with r = rank C = {r2['rank_C']}: "
                             f"{r2['predicted']}, direct {r2['direct']}")
                holds = holds and r2["holds"]
        cur = step.apply_case(cur)
    if not lines:
        return CheckResult("inertia block formulas", None, ctx.strength, "no split or null step with a formula",
                           "only permutations, sign-flip splits, or null neurons with sigma(0) != 0",
                           time.perf_counter() - t0)
    return CheckResult("inertia block formulas", holds, ctx.strength,
                       "each step at the point it meets (our derivation, docs/width.md)", "; ".join(lines),
                       time.perf_counter() - t0)
