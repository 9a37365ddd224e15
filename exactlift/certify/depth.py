"""Certified criticality and inertia at a depth-lifted (degenerate) point of a certified narrow point.

A depth lift (:class:`~exactlift.lifts.depth.IdentityLift` or a ``CriticalLift`` with a square
D·A, passed in as an object: this module does not import the lifts layer) inserts a layer
u = σ′(A h + c) after layer q of a certified narrow critical point θ* and replaces layer q+1 by
z = B u + e (docs/depth.md, arXiv 2205.13283).  When every inserted neuron stays inside one open
linear piece of σ′ (L1, decided exactly by the lift for every point of the box: from the
training data when the layers below are exact, from the activation's range otherwise),
R_deep = R∘φ near the lifted point, φ(A, c, B, e, …) = (B D A, B(Dc + γ) + e, …).  Hence

* **criticality** of the deep point: ∇R_deep = Jᵀ ∇R(φ) = 0 (docs/depth.md T2, applied to the
  certified θ*); the deep gradient enclosure over the lifted box must contain 0 (consistency);
* **forced kernel**: H_deep = Jᵀ H J at the true point (∇R = 0 kills the second-order term of
  φ), so ker J, the tangent space of the lifted manifold, of dimension P_deep − P (T2, lifted
  set dimension), is in the kernel;
* **inertia**: with D·A invertible the columns of J for (B, e, the other layers) form an
  invertible block, so those coordinates span a complement of ker J and, by the congruence
  Q = [e_keep | ker J], In(H_deep) = In(H_deep[keep, keep]) + (0, P_deep − P, 0); the first
  part is decided by the ball LDLᵀ of the deep ball Hessian over the lifted box (docs/depth.md T3).

Failure modes: :class:`~exactlift.errors.InputError` when the narrow point is not certified,
the lift decided (L1) only numerically, has null neurons, or D·A is not square and invertible.
"""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Any

import flint

from exactlift.arith.ball_ldl import ball_ldl_signs
from exactlift.certify.critical import CriticalCertificate
from exactlift.certify.embedded import EmbeddedCertificate
from exactlift.certify.refine import Prec, as_arb, ball_derivatives
from exactlift.errors import InputError

__all__ = ["DEPTH_THEOREM", "certify_depth_point", "exact_rank"]

DEPTH_THEOREM = ("critical lifting preserves critical points: R_deep = R∘φ near the lifted point, "
                 "∇R_deep = Jᵀ∇R = 0 and H_deep = Jᵀ H J (arXiv 2205.13283; docs/depth.md T2, T3)")


def exact_rank(rows: list[list[Fraction]]) -> int:
    """Rank of a rational matrix by exact elimination.

    >>> exact_rank([[Fraction(1), Fraction(2)], [Fraction(2), Fraction(4)]]), exact_rank([[Fraction(1), 0], [0, 3]])
    (1, 2)
    """
    work = [[Fraction(x) for x in r] for r in rows]
    rank, col = 0, 0
    ncols = len(work[0]) if work else 0
    while rank < len(work) and col < ncols:
        piv = next((i for i in range(rank, len(work)) if work[i][col] != 0), None)
        if piv is None:
            col += 1
            continue
        work[rank], work[piv] = work[piv], work[rank]
        for i in range(rank + 1, len(work)):
            f = work[i][col] / work[rank][col]
            work[i] = [a - f * b for a, b in zip(work[i], work[rank])]
        rank += 1
        col += 1
    return rank


def _deep_flat(lift: Any, case: Any, theta: list[Fraction]) -> tuple[list[Fraction], Any]:
    shallow = case.with_params(case.arch, case.params.from_flat(case.arch, theta))
    rec = lift.lift(shallow)
    return [Fraction(x) for x in rec.deep.params.flatten()], rec


def certify_depth_point(case: Any, narrow: CriticalCertificate, lift: Any, prec: int | None = None
                        ) -> EmbeddedCertificate:
    """Criticality and inertia of the depth lift ``lift`` of the certified narrow point ``narrow`` (see the module).

    ``case``: the narrow case; ``lift``: an ``IdentityLift`` / ``CriticalLift`` (with ``resolve`` or
    ``lift``).  The forced kernel has dimension P_deep − P exactly.
    """
    if narrow.critical is not True:
        raise InputError("the narrow point is not certified critical: certify it first")
    t0 = time.perf_counter()
    crit = lift.resolve(case) if hasattr(lift, "resolve") else lift
    center = list(narrow.center_exact)
    base, rec = _deep_flat(crit, case, center)
    if rec.l1_strength != "exact":
        raise InputError(f"the lift decided (L1) {rec.l1_method}: a certified answer needs an exact decision")
    if rec.null_neurons:
        raise InputError("the lift has null neurons (L3): not handled by the certified depth embedding")
    DA = [[Fraction(d) * Fraction(a) for a in row] for d, row in zip(rec.D, rec.A)]
    if len(DA) != len(DA[0]) or exact_rank(DA) != len(DA):
        raise InputError("D·A is not square and invertible: the lifted coordinates are not a complement of ker J")
    deep_case = rec.deep
    P, Pd = case.arch.n_params, deep_case.arch.n_params
    cols = []  # the lift is affine in θ (fixed A, c): exact columns of its linear part
    for i in range(P):
        e = list(center)
        e[i] += 1
        cols.append([a - b for a, b in zip(_deep_flat(crit, case, e)[0], base)])
    prec = prec or narrow.prec
    q = rec.after_layer + 1  # the inserted layer's index in the deep network (1-based, weights A, bias c)
    arch = deep_case.arch
    inserted = set(range(arch.layer_offset(q), arch.layer_offset(q) + sum(arch.layer_sizes(q))))
    keep = [i for i in range(Pd) if i not in inserted]
    with Prec(prec):
        rad = flint.arb(0, float(narrow.radius))
        Xd = []
        for k in range(Pd):
            acc = as_arb(base[k])
            for i in range(P):
                if cols[i][k] != 0:
                    acc += rad * as_arb(cols[i][k])
            Xd.append(acc)
        _, g, H = ball_derivatives(deep_case, Xd, prec)
        contains0 = all(x.contains(0) for x in g)
        part = ball_ldl_signs(flint.arb_mat(len(keep), len(keep), [H[i, j] for i in keep for j in keep]),
                              prec=prec, max_prec=4 * prec)
    seconds = time.perf_counter() - t0
    k = Pd - P
    if not contains0:
        return EmbeddedCertificate(None, DEPTH_THEOREM, False, None, k,
                                   "consistency test failed: the deep gradient enclosure excludes 0", seconds=seconds)
    if part.inertia is None:
        return EmbeddedCertificate(True, DEPTH_THEOREM, True, None, k,
                                   f"n0 >= {k} (lifted manifold), undecided beyond: {part.reason}", seconds=seconds)
    n, z, p = part.inertia
    return EmbeddedCertificate(True, DEPTH_THEOREM, True, (n, z + k, p), k, seconds=seconds,
                               data={"inserted_layer": q, "P_deep": Pd, "P": P})
