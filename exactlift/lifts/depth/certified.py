"""The depth theorems T1–T3 in certified strength, at a certified critical point (issue 12, item 4).

**exactlift formalization of arXiv 2205.13283**.  The shallow point is certified
(:func:`~exactlift.lifts.certified.certified_point`: a unique critical point θ* in a box X); the
lift is built at the rational centre (its pattern, and B = W M⁺ with M = D A) and the deep box is
L(X): the lifted parameters are affine in θ (B = W M⁺, e = b − B(Dc + γ)), evaluated on balls, so
L(X) contains L(θ*).  Then

* **T1** (training inputs): the pattern (L1) is proved over X (every t = A h(θ) + c ball inside its
  piece, or the exact range bound), and M⁺ M = I exactly, so B D A = W and B(Dc + γ) + e = b for
  every θ in X; consistency: the output balls of both nets overlap;
* **T2** (criticality): θ* critical by Krawczyk ⇒ L(θ*) critical by the gradient transfer;
  consistency: the deep gradient enclosure over L(X) contains 0;
* **T3** (inertia): the fiber {B′ D A′ = W*, B′(Dc′ + γ) + e′ = b*} through L(θ*) consists of
  critical points, so its tangents V (the kernel of the constraint Jacobian at L(θ*), computed in
  balls with an exact pivot block) are forced kernel vectors of H_deep(L(θ*)); with pivots p where
  V[p, :] is certified non-singular, inertia(H_deep) = inertia(H_{−p,−p}) + (0, k, 0), the first part
  by ball LDLᵀ over L(X), compared with the certified shallow inertia.

>>> from exactlift.nn.case import load_case
>>> from exactlift.gallery import example_path
>>> from exactlift.lifts.depth.lifting import IdentityLift
>>> checks = certified_check_lift(load_case(example_path("tanh-minimum")), IdentityLift(1, shift="2"), digits=40)
>>> [(c.theorem, c.holds, str(c.strength)) for c in checks]
[('T1', True, 'certified'), ('T2', True, 'certified'), ('T3', True, 'certified')]
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import flint

from exactlift.arith.ball_ldl import ball_ldl_inertia
from exactlift.arith.linalg import pseudo_inverse
from exactlift.certify.critical import ball_derivatives
from exactlift.certify.embedded import choose_pivots
from exactlift.errors import InputError, LiftError, UndecidedError
from exactlift.lifts.certified import CertifiedPoint, certified_point
from exactlift.lifts.depth.insertion import SOURCE, layer_inputs, piece_of
from exactlift.lifts.depth.theorems import TheoremCheck
from exactlift.nn.case import Case
from exactlift.nn.network import Params

__all__ = ["certified_check_lift", "deep_box"]

STATEMENTS = {
    "T1": "f_deep(x_i) = f_shallow(x_i) for every training input x_i, at the certified critical point",
    "T2": "grad R_shallow(theta*) = 0 implies grad R_deep(lifted theta*) = 0",
    "T3": "n-, n+ preserved and n0 up by P_deep - P_shallow (no null neurons, rank condition)",
}
NAMES = {"T1": "output preservation on the training inputs", "T2": "criticality of the lifted point", "T3": "inertia"}


def _check(theorem: str, holds: bool | None, detail: str, data: dict | None = None) -> TheoremCheck:
    return TheoremCheck(theorem, NAMES[theorem], holds, "certified", STATEMENTS[theorem], detail, data or {})


def _arb(x: Any) -> Any:
    f = Fraction(x)
    return flint.arb(f.numerator) / f.denominator


def deep_box(cp: CertifiedPoint, r: Any) -> tuple[Case, list[Any]] | str:
    """L(X) as a deep case of balls (or the reason it cannot be formed: a str)."""
    q = r.after_layer
    lin = [p for p in r.patterns if not p.null]
    if r.null_neurons:
        return "null neurons: criticality of the lift needs (L3) at theta*, not decided in balls here"
    DA = [[p.slope * Fraction(x) for x in r.A[p.index]] for p in lin]
    Mp = pseudo_inverse(DA)
    m_q = len(DA[0])
    eye = [[sum((Mp[i][k] * DA[k][j] for k in range(len(DA))), Fraction(0)) for j in range(m_q)] for i in range(m_q)]
    if any(eye[i][j] != (1 if i == j else 0) for i in range(m_q) for j in range(m_q)):
        return "D A is not of full column rank: B D A = W holds at the centre only, not on the box"
    Dcg = [p.slope * Fraction(r.c[p.index]) + p.intercept for p in lin]
    with cp.ctx.active():
        P = cp.box.params
        W = P.W[q]
        b = P.b[q]
        m_next, width = W.shape[0], len(r.patterns)
        B_lin = [[sum((W[j, l] * _arb(Mp[l][k]) for l in range(m_q)), flint.arb(0)) for k in range(len(lin))]
                 for j in range(m_next)]
        B_full = [[flint.arb(0)] * width for _ in range(m_next)]
        for j in range(m_next):
            for pos, p in enumerate(lin):
                B_full[j][p.index] = B_lin[j][pos]
        deep = r.deep
        Ws = list(deep.params.W)
        bs = list(deep.params.b)
        for l in range(len(P.W)):
            if l < q:
                Ws[l], bs[l] = P.W[l], P.b[l]
            elif l > q:
                Ws[l + 1], bs[l + 1] = P.W[l], P.b[l]
        import numpy as np

        Bm = np.empty((m_next, width), dtype=object)
        for j in range(m_next):
            for k in range(width):
                Bm[j, k] = B_full[j][k]
        Ws[q + 1] = Bm
        if b is not None:
            e = np.empty(m_next, dtype=object)
            for j in range(m_next):
                e[j] = b[j] - sum((B_lin[j][k] * _arb(Dcg[k]) for k in range(len(lin))), flint.arb(0))
            bs[q + 1] = e
        params = Params(tuple(Ws), tuple(bs))
        box = deep.with_params(deep.arch, params)
        return box, list(params.flatten())


def _pattern_in_balls(cp: CertifiedPoint, r: Any) -> str:
    """'' when every t = A h(θ) + c ball over X lies in its piece, else the reason."""
    if r.l1_strength == "exact" and r.l1_method.startswith("range"):
        return ""
    pieces = r.activation.linear_pieces()
    ctx = cp.ctx
    try:
        with ctx.active():
            H = layer_inputs(cp.box, r.after_layer, ctx)
            for pt in r.patterns:
                for i in range(H.shape[0]):
                    t = sum((ctx.convert(a) * x for a, x in zip(r.A[pt.index], H[i])), ctx.zero) + ctx.convert(r.c[pt.index])
                    if piece_of(pieces, t, ctx) != pt.samples[i]:
                        return f"(L1): inserted neuron {pt.index} leaves its piece at input {i} on the box"
    except UndecidedError as exc:
        return f"(L1) undecided in balls over the box: {exc}"
    return ""


def fiber_tangents(r: Any, deep_balls: list[Any], prec: int) -> list[list[Any]] | str:
    """Ball tangent vectors (deep coordinates) of the fiber through L(θ*): the constraint Jacobian's kernel.

    Columns (linear neurons): A, c, B, e.  Pivot columns: for each output j, m_q columns of B_j
    where (D A)_S is exactly invertible, and the e columns; J_P is then exact and invertible, and
    v_f = e_f − J_P⁻¹ J e_f for every free column f.
    """
    from exactlift.arith.linalg import rank

    q = r.after_layer
    arch = r.deep.arch
    lin = [p for p in r.patterns if not p.null]
    DA = [[p.slope * Fraction(x) for x in r.A[p.index]] for p in lin]
    m_q, m_next = len(DA[0]), arch.widths[q + 2]
    bias = arch.biases[q] and arch.biases[q + 1]
    S: list[int] = []  # rows of DA forming an invertible m_q x m_q block (exact)
    for k in range(len(lin)):
        if rank([DA[i] for i in S + [k]]) == len(S) + 1:
            S.append(k)
        if len(S) == m_q:
            break
    if len(S) < m_q:
        return "D A is not of full column rank"
    cols: list[int] = []  # deep parameter index of each column
    for pt in lin:
        cols += [arch.weight_index(q + 1, pt.index, l) for l in range(m_q)]
    if bias:
        cols += [arch.bias_index(q + 1, pt.index) for pt in lin]
    for j in range(m_next):
        cols += [arch.weight_index(q + 2, j, pt.index) for pt in lin]
    if bias:
        cols += [arch.bias_index(q + 2, j) for j in range(m_next)]
    pos = {c: i for i, c in enumerate(cols)}
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        n_rows = m_next * m_q + (m_next if bias else 0)
        J = flint.arb_mat(n_rows, len(cols))
        B = [[deep_balls[arch.weight_index(q + 2, j, pt.index)] for pt in lin] for j in range(m_next)]
        for j in range(m_next):
            for l in range(m_q):
                row = j * m_q + l
                for kk, pt in enumerate(lin):
                    J[row, pos[arch.weight_index(q + 1, pt.index, l)]] = B[j][kk] * _arb(pt.slope)
                    J[row, pos[arch.weight_index(q + 2, j, pt.index)]] = _arb(pt.slope * Fraction(r.A[pt.index][l]))
            if bias:
                row = m_next * m_q + j
                for kk, pt in enumerate(lin):
                    J[row, pos[arch.bias_index(q + 1, pt.index)]] = B[j][kk] * _arb(pt.slope)
                    J[row, pos[arch.weight_index(q + 2, j, pt.index)]] = _arb(pt.slope * Fraction(r.c[pt.index]) + pt.intercept)
                J[row, pos[arch.bias_index(q + 2, j)]] = flint.arb(1)
        piv = [pos[arch.weight_index(q + 2, j, lin[k].index)] for j in range(m_next) for k in S]
        if bias:
            piv += [pos[arch.bias_index(q + 2, j)] for j in range(m_next)]
        free = [i for i in range(len(cols)) if i not in set(piv)]
        JP = flint.arb_mat(n_rows, len(piv), [J[i, c] for i in range(n_rows) for c in piv])
        JPinv = JP.inv()
        out = []
        for f in free:
            colf = flint.arb_mat([[J[i, f]] for i in range(n_rows)])
            x = JPinv * colf
            v = [flint.arb(0)] * arch.n_params
            v[cols[f]] = flint.arb(1)
            for t, c in enumerate(piv):
                v[cols[c]] = -x[t, 0]
            out.append(v)
        return out
    finally:
        flint.ctx.prec = old


def certified_check_lift(case: Case, lift: Any, digits: int = 50, inertia: bool = True) -> list[TheoremCheck]:
    """T1, T2 and (``inertia``) T3 of one depth lift at the certified critical point (see the module docstring)."""
    cp = certified_point(case, digits)
    if not cp.critical:
        return [_check(t, None, cp.note(), cp.data()) for t in (("T1", "T2", "T3") if inertia else ("T1", "T2"))]
    centre = case.with_params(case.arch, Params.from_flat(case.arch, cp.certificate.center_exact))
    try:
        r = lift.lift(centre)
    except (LiftError, InputError) as exc:
        return [_check("T1", None, f"the lift does not apply at the certified centre: {exc}", cp.data())]
    data = {**cp.data(), "l1": r.l1_method, "source": SOURCE}
    why = _pattern_in_balls(cp, r)
    built = deep_box(cp, r) if not why else why
    if isinstance(built, str):
        return [_check(t, None, f"undecided: {built}; {cp.note()}", data) for t in (("T1", "T2", "T3") if inertia else ("T1", "T2"))]
    deep, balls = built
    prec = cp.prec
    loss_s, _, _ = ball_derivatives(cp.box, list(cp.box.params.flatten()), prec, order=1)
    loss_d, g_d, H_d = ball_derivatives(deep, balls, prec, order=2 if inertia else 1)
    out = []
    overlap = bool((loss_s - loss_d).contains(0))
    out.append(_check("T1", True if overlap else False,
                      ("(L1) proved over the box (" + (r.l1_method if r.l1_method.startswith("range") else "balls") +
                       "), B D A = W and B(Dc+gamma)+e = b for every theta in X (M+ M = I exactly); "
                       f"loss enclosures overlap: {overlap}; {cp.note()}"), data))
    contains0 = all(x.contains(0) for x in g_d)
    out.append(_check("T2", True if contains0 else None,
                      f"theta* certified critical, so L(theta*) is critical by T2 (gradient transfer); the deep gradient "
                      f"enclosure over L(X) contains 0: {contains0}; {cp.note()}", data))
    if inertia:
        out.append(_t3(cp, r, deep, balls, H_d, data))
    return out


def _t3(cp: CertifiedPoint, r: Any, deep: Case, balls: list[Any], H: Any, data: dict) -> TheoremCheck:
    s = cp.inertia
    diff = deep.arch.n_params - cp.case.arch.n_params
    V = fiber_tangents(r, balls, cp.prec)
    if isinstance(V, str):
        return _check("T3", None, f"undecided: {V}", data)
    pivots = choose_pivots(V)
    if s is None or pivots is None:
        return _check("T3", None, "undecided: " + ("shallow inertia undecided" if s is None else
                                                   "the fiber tangents are not certified independent"), data)
    P = H.nrows()
    keep = [i for i in range(P) if i not in set(pivots)]
    old = flint.ctx.prec
    flint.ctx.prec = cp.prec
    try:
        part = ball_ldl_inertia(flint.arb_mat(len(keep), len(keep), [H[i, j] for i in keep for j in keep]))
    finally:
        flint.ctx.prec = old
    k = len(V)
    if part.inertia is None:
        return _check("T3", None, f"n0 >= {k} (fiber tangents), undecided beyond: {part.reason}", data)
    n, z, p = part.inertia
    d = (n, z + k, p)
    ok = d[0] == s[0] and d[2] == s[2] and d[1] == s[1] + diff
    return _check("T3", ok, f"shallow {s} -> deep {d} ({k} forced kernel vectors: the fiber tangents, the rest by "
                  f"ball LDL^T over L(X)); expected ({s[0]}, {s[1]} + {diff}, {s[2]}); {cp.note()}",
                  {**data, "shallow": list(s), "deep": list(d), "forced_kernel": k, "P_deep_minus_P_shallow": diff})
