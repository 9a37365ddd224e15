"""T5: batch normalization and critical lifting (docs/depth.md; exactlift formalization of arXiv 2205.13283).

For a batch z_1..z_n (not all equal) with ẑ_i = (z_i − μ)/√v (biased
variance v = S/n, S = Σ(z_i − μ)²):

* **bound**: max ẑ ≥ 1/√(n−1) and min ẑ ≤ −1/√(n−1), with equality for the
  batch (−(n−1), 1, …, 1) (and its negative).  Proof (ours): let P be the
  samples with ẑ_i > 0, N the others (N ≠ ∅ since Σẑ = 0), M = max ẑ and
  s = Σ_P ẑ_i = Σ_N |ẑ_i|.  Then n = Σẑ² ≤ M s + s² and s ≤ |P| M ≤ (n−1) M,
  so n ≤ (n−1) M² + (n−1)² M² = n(n−1) M².  On a given rational batch the
  check is exact without square roots: max ẑ ≥ 1/√(n−1) ⇔ z_max − μ ≥ 0 and
  n(n−1)(z_max − μ)² ≥ S.
* **linearization**: a ReLU+BN neuron u_i = relu(γ ẑ_i + β) is linear on the
  batch iff all γẑ_i + β > 0 or all < 0; by the bound this needs
  |β| > |γ|/√(n−1) — never β = 0 (ẑ has mean 0 and is not constant).  Signs of
  p + q√v (p, q, v rational) are decided exactly by comparing p² with q²v.
* **critical lift with BN**: inserting u = σ′(γ ⊙ BN(A h) + β) linear on the
  batch, u_i = D′ A h_i + κ with D′ = diag(α_k γ_k / √v_k) (algebraic) and
  B = W (D′A)⁺, e = b − B κ; the lifted point of a critical point is critical
  (checked in exact algebraic arithmetic, :mod:`exactlift.nn.batchnorm`).

>>> from fractions import Fraction as F
>>> bn_bound([F(-5), F(1), F(1), F(1), F(1), F(1)])["max_equal"]
True
>>> bn_neuron_linear([F(0), F(1), F(2)], gamma=F(1), beta=F(0))
(False, None)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import sympy

from exactlift.arith.contexts import get_context, parse_rational
from exactlift.errors import InputError, LiftError
from exactlift.lifts.depth.insertion import SOURCE, as_matrix, as_vector, check_insertable, layer_inputs
from exactlift.certify.certificate import Timer
from exactlift.lifts.depth.theorems import TheoremCheck
from exactlift.nn.activations import parse_activation
from exactlift.nn.batchnorm import BNNetwork, bn_derivatives, bn_outputs, is_zero_algebraic
from exactlift.nn.case import Case
from exactlift.nn.data import network_outputs
from exactlift.nn.network import Architecture

__all__ = [
    "bn_bound",
    "sign_p_plus_q_sqrt",
    "bn_neuron_linear",
    "check_bn_bound",
    "check_bn_beta_zero",
    "check_bn_linearization_needs_shift",
    "BNLift",
    "bn_critical_lift",
    "check_bn_lift",
]

ZERO = Fraction(0)


def _stats(z: Sequence[Any]) -> tuple[list[Fraction], Fraction, Fraction]:
    z = [parse_rational(v) for v in z]
    n = len(z)
    if n < 2:
        raise InputError("a batch needs at least 2 samples")
    mu = sum(z, ZERO) / n
    S = sum(((v - mu) ** 2 for v in z), ZERO)
    if S == 0:
        raise InputError("the batch is constant: batch normalization is undefined (variance 0)")
    return z, mu, S


def bn_bound(z: Sequence[Any]) -> dict[str, Any]:
    """Exact check of max ẑ ≥ 1/√(n−1) and min ẑ ≤ −1/√(n−1) on squares (no square roots, no floats)."""
    z, mu, S = _stats(z)
    n = len(z)
    top, bot = max(z) - mu, mu - min(z)
    lhs_top, lhs_bot = n * (n - 1) * top * top, n * (n - 1) * bot * bot
    return {
        "n": n, "mean": mu, "S": S,
        "max_ok": top >= 0 and lhs_top >= S, "max_equal": top >= 0 and lhs_top == S,
        "min_ok": bot >= 0 and lhs_bot >= S, "min_equal": bot >= 0 and lhs_bot == S,
        # max ẑ² = n (z_max − μ)² / S, compared with 1/(n−1)
        "max_zhat_squared": n * top * top / S, "min_zhat_squared": n * bot * bot / S,
    }


def sign_p_plus_q_sqrt(p: Fraction, q: Fraction, v: Fraction) -> int:
    """The exact sign of p + q√v (v ≥ 0 rational).

    >>> sign_p_plus_q_sqrt(Fraction(-1), Fraction(1), Fraction(2)), sign_p_plus_q_sqrt(Fraction(3), Fraction(-2), Fraction(2))
    (1, 1)
    """
    if v < 0:
        raise InputError("sqrt of a negative number")
    sp = (p > 0) - (p < 0)
    sq = ((q > 0) - (q < 0)) if v != 0 else 0
    if sq == 0:
        return sp
    if sp == 0 or sp == sq:
        return sq
    diff = p * p - q * q * v
    if diff == 0:
        return 0
    return sp if diff > 0 else sq


def bn_neuron_linear(z: Sequence[Any], gamma: Any, beta: Any, activation: str = "relu") -> tuple[bool, int | None]:
    """Whether σ′(γ ẑ_i + β) is affine on the batch: (True, piece index) or (False, None); exact."""
    act = parse_activation(activation)
    pieces = check_insertable(act)
    z, mu, S = _stats(z)
    gamma, beta = parse_rational(gamma), parse_rational(beta)
    idx = None
    v = S / len(z)
    for i in range(len(z)):
        # γ ẑ_i + β − κ has the sign of γ (z_i − μ) + (β − κ) √v   (√v > 0)
        found = None
        for k, p in enumerate(pieces):
            lo_ok = p.lo is None or sign_p_plus_q_sqrt(gamma * (z[i] - mu), beta - p.lo, v) > 0
            hi_ok = p.hi is None or sign_p_plus_q_sqrt(gamma * (z[i] - mu), beta - p.hi, v) < 0
            if lo_ok and hi_ok:
                found = k
        if found is None or (idx is not None and found != idx):
            return False, None
        idx = found
    return True, idx


def check_bn_bound(batches: Sequence[Sequence[Any]]) -> TheoremCheck:
    """T5 bound on every given batch, exactly (plus: which batches attain equality)."""
    t = Timer()
    results = [bn_bound(b) for b in batches]
    ok = all(r["max_ok"] and r["min_ok"] for r in results)
    eq = sum(1 for r in results if r["max_equal"] or r["min_equal"])
    return TheoremCheck(
        "T5", "batch-normalization bound", ok, "exact",
        "max zhat >= 1/sqrt(n-1) and min zhat <= -1/sqrt(n-1) for every non-constant batch of size n",
        f"{len(results)} batches checked exactly on squares; {eq} attain equality",
        {"batches": len(results), "equalities": eq}, t.done(),
    )


def check_bn_beta_zero(batches: Sequence[Sequence[Any]], gammas: Sequence[Any] = (1, -1, Fraction(1, 3), 7)) -> TheoremCheck:
    """T5: with β = 0 a ReLU+BN neuron is never linear on the batch (every batch, every γ ≠ 0 given)."""
    t = Timer()
    linear = [(i, g) for i, b in enumerate(batches) for g in gammas if parse_rational(g) != 0
              and bn_neuron_linear(b, g, 0)[0]]
    return TheoremCheck(
        "T5", "ReLU+BN with beta = 0 is not linearizable", not linear, "exact",
        "relu(gamma * zhat_i + 0) takes both linear pieces on every non-constant batch",
        f"{len(batches)} batches x {len(gammas)} values of gamma: "
        + ("the pattern is mixed every time" if not linear else f"linear at {linear[:3]}"),
        {"linear_cases": [[i, str(g)] for i, g in linear]}, t.done(),
    )


def check_bn_linearization_needs_shift(batches: Sequence[Sequence[Any]], pairs: Sequence[tuple[Any, Any]]) -> TheoremCheck:
    """T5: whenever relu(γẑ + β) is linear on a batch of size n, β²(n−1) > γ² (exact)."""
    t = Timer()
    n_linear, bad = 0, []
    for i, b in enumerate(batches):
        n = len(b)
        for g, be in pairs:
            g, be = parse_rational(g), parse_rational(be)
            if bn_neuron_linear(b, g, be)[0]:
                n_linear += 1
                if not be * be * (n - 1) > g * g:
                    bad.append((i, str(g), str(be)))
    return TheoremCheck(
        "T5", "linearization needs |beta| > |gamma|/sqrt(n-1)", not bad, "exact",
        "relu(gamma zhat + beta) linear on a batch of size n implies beta^2 (n-1) > gamma^2",
        f"{len(batches)} batches x {len(pairs)} (gamma, beta): {n_linear} linear cases, all satisfy the bound"
        if not bad else f"counterexamples {bad[:3]}",
        {"linear_cases": n_linear, "counterexamples": bad}, t.done(),
    )


# ---------------------------------------------------------------------------
# the BN critical lift
# ---------------------------------------------------------------------------


@dataclass
class BNLift:
    """A lifted BN network: u = σ′(γ ⊙ BN(A h) + β) inserted after layer ``after_layer``."""

    shallow: Case
    net: BNNetwork
    theta: list[sympy.Expr]
    after_layer: int
    pieces: tuple[int, ...]
    source: str = SOURCE

    def outputs(self) -> list[list[sympy.Expr]]:
        return bn_outputs(self.net, self.theta, self.shallow.X)


def _R(x: Fraction) -> sympy.Rational:
    return sympy.Rational(x.numerator, x.denominator)


def bn_critical_lift(case: Case, after_layer: int, A: Any, gamma: Any, beta: Any, activation: str = "relu") -> BNLift:
    """Insert a BN layer linear on the training batch; B, e in exact algebraic numbers (see the module docstring).

    Refuses (:class:`LiftError`) when a neuron is not linear on the batch —
    in particular always when β_k = 0 (T5).
    """
    arch = case.arch
    q = after_layer
    if not isinstance(q, int) or not 0 <= q <= arch.n_layers - 1:
        raise LiftError(f"cannot insert after layer {q}: AFTER_LAYER must be 0 .. {arch.n_layers - 1}")
    act = parse_activation(activation)
    pieces = check_insertable(act)
    A_ = as_matrix(A, "A")
    g_ = as_vector(gamma, "gamma")
    b_ = as_vector(beta, "beta")
    m_q = arch.widths[q]
    if len(A_[0]) != m_q or len(g_) != len(A_) or len(b_) != len(A_):
        raise LiftError(f"A must be m' x {m_q} and gamma, beta must have m' = {len(A_)} entries")
    if not arch.biases[q]:
        raise LiftError(f"layer {q + 1} needs a bias for the BN lift (e absorbs the shift)")
    H = [[parse_rational(x) for x in r] for r in layer_inputs(case, q, get_context("exact")).tolist()]
    n = len(H)
    coef, kappa, chosen = [], [], []
    for k, (row, g, be) in enumerate(zip(A_, g_, b_)):
        z = [sum((a * x for a, x in zip(row, h)), ZERO) for h in H]
        try:
            ok, idx = bn_neuron_linear(z, g, be, act.spec)
        except InputError as exc:
            raise LiftError(f"inserted BN neuron {k}: {exc}") from None
        if not ok:
            why = (" (beta = 0: zhat has mean 0 and is not constant, so gamma*zhat takes both signs)" if be == 0 else
                   "")
            raise LiftError(
                f"inserted BN neuron {k} is not linear on the batch{why}; T5: linearization needs "
                f"|beta| > |gamma|/sqrt(n-1) = |{g}|/sqrt({n - 1}), got beta = {be}"
            )
        p = pieces[idx]
        _, mu, S = _stats(z)
        s = sympy.sqrt(_R(S / n))
        coef.append(_R(p.slope) * _R(g) / s)
        kappa.append(_R(p.slope) * (_R(be) - _R(g) * _R(mu) / s) + _R(p.intercept))
        chosen.append(idx)
    W = sympy.Matrix([[_R(parse_rational(x)) for x in r] for r in case.params.W[q].tolist()])
    b = sympy.Matrix([_R(parse_rational(x)) for x in case.params.b[q].tolist()])
    DA = sympy.Matrix([[coef[k] * _R(x) for x in A_[k]] for k in range(len(A_))])
    B = sympy.simplify(W * DA.pinv())
    if sympy.simplify(B * DA - W) != sympy.zeros(*W.shape):
        raise LiftError(f"(L2) has no solution: the rows of W^[{q + 1}] are not in the row space of D'A")
    e = sympy.simplify(b - B * sympy.Matrix(kappa))
    widths = arch.widths[: q + 1] + (len(A_),) + arch.widths[q + 1 :]
    acts = arch.activations[:q] + (act,) + arch.activations[q:]
    biases = arch.biases[:q] + (False,) + arch.biases[q:]
    deep = Architecture(widths, acts, biases)
    theta: list[Any] = []
    for l in range(1, deep.n_layers + 1):
        if l <= q:
            src_W, src_b = case.params.W[l - 1], case.params.b[l - 1]
            theta += [_R(parse_rational(x)) for x in src_W.ravel()]
            if src_b is not None:
                theta += [_R(parse_rational(x)) for x in src_b]
        elif l == q + 1:
            theta += [_R(x) for r in A_ for x in r]
        elif l == q + 2:
            theta += list(B) + list(e)
        else:
            src_W, src_b = case.params.W[l - 2], case.params.b[l - 2]
            theta += [_R(parse_rational(x)) for x in src_W.ravel()]
            if src_b is not None:
                theta += [_R(parse_rational(x)) for x in src_b]
    theta += [_R(x) for x in g_] + [_R(x) for x in b_]
    return BNLift(case, BNNetwork(deep, (q + 1,)), theta, q, tuple(chosen))


def check_bn_lift(case: Case, after_layer: int, A: Any, gamma: Any, beta: Any, activation: str = "relu",
                  arithmetic: str = "exact", digits: int = 60) -> list[TheoremCheck]:
    """T5 lift: outputs on the batch preserved, and criticality of the BN-lifted point (exact algebraic or mp)."""
    t = Timer()
    lift = bn_critical_lift(case, after_layer, A, gamma, beta, activation)
    deep_out = lift.outputs()
    shallow_out = network_outputs(case.arch, case.params, case.X)
    same = all(is_zero_algebraic(d - _R(s)) for dr, sr in zip(deep_out, shallow_out) for d, s in zip(dr, sr))
    out = [TheoremCheck("T5", "BN lift: output preservation on the batch", same, "exact",
                        "the BN-lifted network has the shallow outputs on the training batch",
                        f"{len(deep_out)} outputs compared in exact algebraic arithmetic", seconds=t.done())]
    t = Timer()
    ctx = get_context("exact")
    from exactlift.calculus.backprop import derivatives

    X, Y = case.arrays(ctx)
    crit = all(v == 0 for v in derivatives(case.arch, case.params, X, Y, case.loss, ctx, order=1).gradient)
    statement = "the BN lift of a critical point is critical"
    if not crit:
        out.append(TheoremCheck("T5", "BN lift: criticality", None, get_context(arithmetic, digits).strength,
                                statement, "not applicable: the shallow point is not critical", seconds=t.done()))
        return out
    value, grad = bn_derivatives(lift.net, lift.theta, case.X, case.Y, case.loss, arithmetic, digits)
    bn_ctx = get_context(arithmetic, digits)
    strength = bn_ctx.strength
    if bn_ctx.exact:
        ok = all(is_zero_algebraic(g) for g in grad)
        worst = "0" if ok else "non-zero"
    else:  # mp: within the context's zero tolerance (numerical)
        tol = sympy.Float(str(bn_ctx.tolerance), digits)
        ok = all(abs(g) <= tol for g in grad)
        worst = sympy.N(max(abs(g) for g in grad), 5)
    out.append(TheoremCheck("T5", "BN lift: criticality", ok, strength, statement,
                            f"{lift.net.n_params} BN-network gradient entries (SymPy, "
                            f"{'exact algebraic' if bn_ctx.exact else f'mp {digits} digits'}): max |entry| {worst}",
                            seconds=t.done()))
    return out
