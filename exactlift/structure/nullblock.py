"""Certified inertia at an embedded point with null neurons (docs/width.md, W9), in ball arithmetic.

A null neuron (zero incoming row and bias, zero outgoing column) in hidden layer l of a network
whose activation has σ(0) = 0 adds the block [[0, Cᵀ], [C, 0]] to the Hessian, decoupled from
every other parameter at every θ, with C = σ′(0)(1/n) Σ_i δ_i^[l+1] h̃_iᵀ (m_{l+1} × k).  So
(W9, our derivation) inertia(H_wide) = inertia(H) + (r, k + m_{l+1} − 2r, r), r = rank C, for
each null neuron.  Here C is enclosed in balls over the certified box of the narrow critical point
(the Hessian entries ∂²R/∂u_j∂a_r of one added null neuron), and r is certified as min(k, m)
when the ball matrix has certified independent rows (or columns); otherwise the inertia stays
undecided.

Scope: one hidden layer (splits, then null neurons, then a permutation, as
:func:`~exactlift.structure.condense.condense` writes them); deeper networks are left to the
certifier (undecided at a singular Hessian).

>>> from fractions import Fraction
>>> null_contribution(3, 1, 1)
(1, 2, 1)

Failure modes: none raised; ``None`` (with a reason) whenever a step is not certified.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import flint

from exactlift.certify.critical import CriticalCertificate, ball_derivatives
from exactlift.certify.embedded import certify_embedded_point, choose_pivots
from exactlift.lifts.width.embeddings import NullNeuron, Permute


def null_contribution(k: int, m: int, r: int) -> tuple[int, int, int]:
    """The inertia (r, k + m − 2r, r) one null neuron adds (W9)."""
    return (r, k + m - 2 * r, r)


def _ball_image(steps: list[Any], arch: Any, xs: list[Any]) -> tuple[list[Any], Any]:
    for s in steps:
        xs = s.linear_map(arch)(xs)
        arch = s.wide_architecture(arch)
    return xs, arch


def certify_with_nulls(narrow: Any, cert: CriticalCertificate, steps: list[Any]) -> dict | None:
    """Inertia of the wide point (splits, null neurons, permutations of ``narrow``'s certified point).

    Returns ``{"critical", "inertia", "reason", "null_rank", "strength"}``, or ``None`` when the
    steps contain no null neuron or are out of scope (then the caller uses the general path).
    """
    nulls = [s for s in steps if isinstance(s, NullNeuron)]
    if not nulls or narrow.arch.n_layers != 2 or cert.critical is not True:
        return None
    act = narrow.arch.activations[0]
    s0 = act.value_at_zero()
    if not (isinstance(s0, Fraction) and s0 == 0) or Fraction(0) in act.kinks:
        return None
    splits = [s for s in steps if hasattr(s, "with_alpha")]
    if any(not (hasattr(s, "with_alpha") or isinstance(s, (NullNeuron, Permute))) for s in steps):
        return None
    # the split-embedded point (criticality by the splitting theorem, inertia by certify_embedded_point)
    if splits:
        core = certify_embedded_point(narrow, cert, splits)
        core_critical, core_inertia, why = core.critical, core.inertia, core.reason
    else:
        core_critical, core_inertia, why = True, cert.inertia, cert.reason
    if core_critical is not True:
        return {"critical": None, "inertia": None, "reason": f"split part: {why}", "null_rank": None,
                "strength": "certified"}
    # C over the box: the Hessian block of one null neuron added after the splits
    old = flint.ctx.prec
    flint.ctx.prec = cert.prec
    try:
        r = flint.arb(0, float(cert.radius))
        box = [flint.arb(c.numerator) / c.denominator + r for c in cert.center_exact]
        one = splits + [NullNeuron(1)]
        xs, arch = _ball_image(one, narrow.arch, box)
        case1 = narrow
        for s in one:
            case1 = s.apply_case(case1)
        _, _, H = ball_derivatives(case1, xs, cert.prec)
        new = arch.widths[1] - 1
        k = arch.widths[0] + (1 if arch.biases[0] else 0)
        m = arch.widths[2]
        rows_in = [arch.weight_index(1, new, j) for j in range(arch.widths[0])]
        if arch.biases[0]:
            rows_in.append(arch.bias_index(1, new))
        cols_out = [arch.weight_index(2, q, new) for q in range(m)]
        C = [[H[i_in, i_out] for i_in in rows_in] for i_out in cols_out]  # m × k
        vectors = C if m <= k else [list(col) for col in zip(*C)]
        independent = choose_pivots(vectors) is not None
    finally:
        flint.ctx.prec = old
    if not independent:
        return {"critical": True, "inertia": None, "null_rank": None, "strength": "certified",
                "reason": "null neurons: rank of C = σ'(0)(1/n) Σ δ h̃ᵀ not certified (balls contain 0)"}
    rank = min(k, m)
    if core_inertia is None:
        return {"critical": True, "inertia": None, "null_rank": rank, "strength": "certified",
                "reason": f"split part: inertia undecided ({why})"}
    add = null_contribution(k, m, rank)
    inertia = tuple(core_inertia[i] + len(nulls) * add[i] for i in range(3))
    return {"critical": True, "inertia": inertia, "null_rank": rank, "strength": "certified",
            "reason": "", "null_block": add, "n_null": len(nulls)}
