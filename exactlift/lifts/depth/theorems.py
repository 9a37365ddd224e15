"""Checks of the depth theorems T1, T2, T3 and T7 (docs/depth.md).

Every statement here is an **exactlift formalization of arXiv 2205.13283**
(our reconstruction, not the paper's text); every result carries
``source = "exactlift formalization of arXiv 2205.13283"`` and a
``strength``:

* ``symbolic``: an identity in SymPy for all values of the free symbols
  (all inputs, or all parameters, data sets and losses);
* ``exact``: decided in exact rational arithmetic on the case;
* ``numerical``: decided in ``mp`` arithmetic (a tanh layer somewhere), not a proof.

Each check computes the deep network's quantities *directly* (core
:func:`~exactlift.calculus.backprop.derivatives` on the deep case) and
compares them with what the theorem predicts from the shallow network.

>>> from exactlift.nn.case import case_from_dict
>>> from exactlift.lifts.depth import IdentityLift
>>> case = case_from_dict({"network": {"widths": [1, 1], "params": {"W": [[["1/2"]]], "b": [["1/3"]]},
...     "data": {"x": [["-2"], ["0"], ["3"]], "y": [["0"], ["1"], ["2"]]}}})
>>> r = check_output_preservation(lifted_point(case, IdentityLift(0)))
>>> (r.theorem, r.holds, r.strength)
('T1', True, 'exact')
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

import numpy as np
import sympy

from exactlift.arith.contexts import Context, get_context, parse_rational
from exactlift.arith.linalg import rank
from exactlift.certify import Certificate
from exactlift.certify.certificate import timed
from exactlift.calculus.backprop import Derivatives, derivatives, forward
from exactlift.errors import ArithmeticModeError
from exactlift.lifts.depth.insertion import SOURCE, activation_range, check_insertable, layer_inputs, piece_text, range_pattern
from exactlift.lifts.depth.construction import DepthLift
from exactlift.lifts.depth.lifting import CriticalLift
from exactlift.analysis import context_inertia
from exactlift.nn.case import Case
from exactlift.nn.network import Architecture, Params

__all__ = [
    "TheoremCheck",
    "LiftedPoint",
    "lifted_point",
    "arithmetic_for",
    "check_output_preservation",
    "prove_output_preservation_all_inputs",
    "expected_deep_gradient",
    "check_gradient_transfer",
    "prove_gradient_transfer",
    "check_criticality",
    "constraint_jacobian",
    "check_lifted_dimension",
    "check_inertia",
]


# ---------------------------------------------------------------------------
# the result object
# ---------------------------------------------------------------------------


class TheoremCheck(Certificate):
    """One theorem checked on one case: a :class:`~exactlift.certify.Certificate` with the theorem's statement.

    ``holds`` is True/False, or None when the theorem's hypothesis does not
    apply (``detail`` says why); ``strength`` ∈ {symbolic, exact, certified,
    numerical}, as the context that decided it says.  ``name`` is the
    certificate's claim; ``to_json()`` keeps the keys of exactlift 0.1
    (``name``, ``statement``) beside the certificate's.

    >>> c = TheoremCheck("T1", "critical lift", True, "exact", "the lift of a critical point is critical")
    >>> c.line(), c.certificate() is c, c.to_json()["statement"]
    ('T1 critical lift: holds [exact]', True, 'the lift of a critical point is critical')
    """

    def __init__(self, theorem: str = "", name: str | None = None, holds: bool | None = None, strength: Any = None,
                 statement: str = "", detail: str = "", data: dict | None = None, seconds: float = 0.0,
                 source: str = SOURCE, *, claim: str | None = None, scope: str = "",
                 children: Sequence[Certificate] = ()) -> None:
        super().__init__(claim if claim is not None else str(name), holds, strength, scope, detail, dict(data or {}),
                         seconds, source, children, theorem)
        self.statement = statement

    @property
    def name(self) -> str:
        """The theorem's short name (the certificate's claim)."""
        return self.claim

    def with_seconds(self, seconds: float) -> "TheoremCheck":
        return TheoremCheck(self.theorem, self.claim, self.holds, self.strength, self.statement, self.detail,
                            self.data, seconds, self.source, scope=self.scope, children=self.children)

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        out.update({"theorem": self.theorem, "name": self.claim, "statement": self.statement})
        return out

    def line(self) -> str:
        verdict = {True: "holds", False: "FAILS", None: "n/a"}[self.holds]
        return f"{self.theorem} {self.name}: {verdict} [{self.strength}] {self.detail}".rstrip()

    def certificate(self) -> Certificate:
        """The certificate itself (kept from exactlift 0.1, where TheoremCheck was a separate record)."""
        return self


# ---------------------------------------------------------------------------
# a lifted point with cached derivatives
# ---------------------------------------------------------------------------


def arithmetic_for(case: Case, arithmetic: str = "auto") -> str:
    """The arithmetic of a lifted point's derivatives: ``auto`` is ``exact`` with exact values, else ``mp``.

    This is the point-level rule (derivatives at the given point).  Claims about a case follow
    ``case.auto_arithmetic`` instead (certified without exact values): :func:`check_lift` routes
    ``auto``/``certified`` there, as the command line does.
    """
    exact_ok = case.exact_capable
    if arithmetic == "auto":
        return "exact" if exact_ok else "mp"
    if arithmetic == "exact" and not exact_ok:
        raise ArithmeticModeError(
            f"{case.arch.describe()} with loss {case.loss.spec} has no exact values: use arithmetic 'mp'"
        )
    return arithmetic


class LiftedPoint:
    """A :class:`DepthLift` with the shallow and deep derivatives, computed once, in one arithmetic."""

    def __init__(self, result: DepthLift, arithmetic: str = "auto", digits: int = 60) -> None:
        self.result = result
        self.arithmetic = arithmetic_for(result.shallow, arithmetic)
        self.ctx: Context = get_context(self.arithmetic, digits)
        self.digits = digits
        self._cache: dict[tuple[str, int], Derivatives] = {}

    @property
    def shallow(self) -> Case:
        return self.result.shallow

    @property
    def deep(self) -> Case:
        return self.result.deep

    @property
    def strength(self) -> str:
        return self.ctx.strength

    def derivs(self, which: str, order: int = 1) -> Derivatives:
        for o in (2, 1) if order == 1 else (2,):
            if (which, o) in self._cache:
                return self._cache[(which, o)]
        case = self.shallow if which == "shallow" else self.deep
        with self.ctx.active():
            X, Y = case.arrays(self.ctx)
            d = derivatives(case.arch, case.params, X, Y, case.loss, self.ctx, order=order)
        self._cache[(which, order)] = d
        return d

    def is_zero(self, x: Any) -> bool:
        """Kept for callers: decided zero only (an undecided mp value counts as not zero; prefer ``ctx.decide_zero``)."""
        with self.ctx.active():
            return self.ctx.is_zero(x)

    def shallow_critical(self) -> bool | None:
        """∇R = 0 asked of the context: None when an mp value is in the undecided band (or a ball contains 0)."""
        g = self.derivs("shallow").gradient
        with self.ctx.active():
            return self.ctx.all_zero(list(g))

    def inertia(self, which: str) -> tuple[int, int, int]:
        return context_inertia(self.derivs(which, 2).hessian, self.ctx)


def lifted_point(case: Case | DepthLift | LiftedPoint, lift: Any = None, arithmetic: str = "auto", digits: int = 60) -> LiftedPoint:
    """A :class:`LiftedPoint` from a case and a lift (or from a :class:`DepthLift`)."""
    if isinstance(case, LiftedPoint):
        return case
    if isinstance(case, DepthLift):
        return LiftedPoint(case, arithmetic, digits)
    if lift is None:
        raise ArithmeticModeError("a depth check needs a lift (CriticalLift or IdentityLift)")
    return LiftedPoint(lift.lift(case), arithmetic, digits)


# ---------------------------------------------------------------------------
# T1 output preservation
# ---------------------------------------------------------------------------


@timed
def check_output_preservation(point: Any, lift: Any = None, arithmetic: str = "auto", digits: int = 60) -> TheoremCheck:
    """T1 on the training inputs: f_deep(x_i) = f_shallow(x_i) for every i (forward passes of both nets)."""
    p = lifted_point(point, lift, arithmetic, digits)
    ctx = p.ctx
    with ctx.active():
        outs = []
        for case in (p.shallow, p.deep):
            X, _ = case.arrays(ctx)
            outs.append(forward(case.arch, case.params.convert(ctx), X, ctx).output)
        diff = outs[0] - outs[1]
        ok = ctx.all_zero(list(diff.ravel()))
        worst = max((abs(v) for v in diff.ravel()), default=0)
    return TheoremCheck(
        "T1", "output preservation on the training inputs", ok, p.strength,
        "f_deep(x_i) = f_shallow(x_i) for every training input x_i",
        f"{p.shallow.n_samples} inputs, max |difference| = {ctx.to_output(worst)}",
    )


@timed
def prove_output_preservation_all_inputs(point: Any, lift: Any = None, digits: int = 60) -> TheoremCheck:
    """T1 on *all* inputs when (L1) holds sample-independently (e.g. q ≥ 1 after ReLU, A ≥ 0, c > 0).

    Two steps: (i) an exact interval bound on t = A h + c over the range of
    f^[q] (ReLU: h ≥ 0; tanh, hard_tanh: h ∈ [−1, 1]; sigmoid: [0, 1]) puts
    every linear neuron in its piece for every input; (ii) SymPy expands
    B(D(A h + c) + γ) + e − (W h + b) to 0 with h a vector of free symbols.
    Then the layers above see the same values for every input.
    """
    p = lifted_point(point, lift, "auto", digits)
    r = p.result
    q = r.after_layer
    statement = "f_deep(x) = f_shallow(x) for every input x (sample-independent linearization)"
    crit = CriticalLift(q, r.A, r.c, r.activation, r.null_neurons, check_l3=False)
    pieces = check_insertable(r.activation)
    ranged = range_pattern(crit, r.shallow.arch, pieces)
    if ranged is None or any(ranged[pt.index] != pt.piece for pt in r.patterns if not pt.null):
        why = ("q = 0: the inputs are unbounded, so no neuron with a non-zero row of A stays in one piece"
               if q == 0 else "the range of f^[q] does not keep every linear neuron in its piece")
        return TheoremCheck("T1", "output preservation on all inputs", None, "symbolic", statement,
                            f"not applicable: {why} (T1 holds on the training inputs only)")
    m_q = r.shallow.arch.widths[q]
    h = sympy.symbols(f"h0:{m_q}", real=True)
    W = r.shallow.params.W[q]
    b = r.shallow.params.b[q]
    R = lambda x: sympy.Rational(x.numerator, x.denominator) if isinstance(x, Fraction) else sympy.Rational(str(x))  # noqa: E731
    residues = []
    for j in range(len(r.B)):
        deep = R(r.e[j]) if r.e else sympy.Integer(0)
        for pt in r.patterns:
            if pt.null:
                term = R(r.B[j][pt.index]) * sympy.Function("sigma")(sum(R(a) * hh for a, hh in zip(r.A[pt.index], h)) + R(r.c[pt.index]))
            else:
                t = sum(R(a) * hh for a, hh in zip(r.A[pt.index], h)) + R(r.c[pt.index])
                term = R(r.B[j][pt.index]) * (R(pt.slope) * t + R(pt.intercept))
            deep += term
        shallow = sum(R(parse_rational(W[j, l])) * h[l] for l in range(m_q)) + (R(parse_rational(b[j])) if b is not None else 0)
        residues.append(sympy.expand(deep - shallow))
    ok = all(e == 0 for e in residues)
    lo_hi = ["inf" if v is None else str(v) for v in activation_range(r.shallow.arch.activations[q - 1])]
    return TheoremCheck(
        "T1", "output preservation on all inputs", ok, "symbolic", statement,
        f"range of f^[{q}] in [{lo_hi[0]}, {lo_hi[1]}]^{m_q} keeps every linear neuron in its piece; "
        f"B(D(Ah+c)+gamma)+e-(Wh+b) expands to {'0' if ok else residues}",
    )


# ---------------------------------------------------------------------------
# T2 gradient transfer, criticality, dimension
# ---------------------------------------------------------------------------


def expected_deep_gradient(point: Any, lift: Any = None, arithmetic: str = "auto", digits: int = 60) -> list[Any]:
    """The deep gradient predicted by T2 from the *shallow* gradient (canonical deep order).

    ∂R/∂A = D Bᵀ G_W, ∂R/∂c = D Bᵀ g_b, ∂R/∂B = G_W Aᵀ D + g_b (Dc + γ)ᵀ,
    ∂R/∂e = g_b, other layers copied; a null neuron's column of B gets
    (1/n) Σ_i δ_i σ′(t_{k,i}) and its row of A and entry of c get 0.
    """
    p = lifted_point(point, lift, arithmetic, digits)
    r, ctx = p.result, p.ctx
    q = r.after_layer
    sh = p.shallow.arch
    d = p.derivs("shallow")
    with ctx.active():
        gW, gb = d.gradient_blocks(sh)
        G, g = gW[q], gb[q]
        conv = ctx.convert
        A = [[conv(x) for x in row] for row in r.A]
        c = [conv(x) for x in r.c]
        B = [[conv(x) for x in row] for row in r.B]
        m_q, m_next, width = sh.widths[q], sh.widths[q + 1], r.width
        slope = [conv(pt.slope) if not pt.null else ctx.zero for pt in r.patterns]
        inter = [conv(pt.intercept) if not pt.null else ctx.zero for pt in r.patterns]
        gA = ctx.zeros((width, m_q))
        gc = ctx.zeros((width,))
        gB = ctx.zeros((m_next, width))
        for k in range(width):
            for l in range(m_q):
                gA[k, l] = slope[k] * sum((B[j][k] * G[j, l] for j in range(m_next)), ctx.zero)
            if g is not None:
                gc[k] = slope[k] * sum((B[j][k] * g[j] for j in range(m_next)), ctx.zero)
        nulls = {pt.index: pt for pt in r.patterns if pt.null}
        H = layer_inputs(p.shallow, q, ctx) if nulls else None
        delta = d.deltas[q + 1]
        n = p.shallow.n_samples
        pieces = r.activation.linear_pieces()
        for k in range(width):
            for j in range(m_next):
                if k in nulls:
                    total = ctx.zero
                    for i in range(n):
                        t = sum((A[k][l] * H[i, l] for l in range(m_q)), ctx.zero) + c[k]
                        piece = pieces[nulls[k].samples[i]]
                        total = total + delta[i, j] * (conv(piece.slope) * t + conv(piece.intercept))
                    gB[j, k] = total / conv(n)
                else:
                    v = slope[k] * sum((G[j, l] * A[k][l] for l in range(m_q)), ctx.zero)
                    if g is not None:
                        v = v + g[j] * (slope[k] * c[k] + inter[k])
                    gB[j, k] = v
        Ws = list(gW[:q]) + [gA, gB] + list(gW[q + 1 :])
        bs = list(gb[:q]) + [gc if g is not None else None, g] + list(gb[q + 1 :])
        return Params(tuple(Ws), tuple(bs)).flatten()


@timed
def check_gradient_transfer(point: Any, lift: Any = None, arithmetic: str = "auto", digits: int = 60) -> TheoremCheck:
    """T2 at the case's θ (critical or not): the deep gradient (core derivatives of the deep net) equals the T2 formulas."""
    p = lifted_point(point, lift, arithmetic, digits)
    expected = expected_deep_gradient(p)
    actual = p.derivs("deep").gradient
    with p.ctx.active():
        diffs = [a - e for a, e in zip(actual, expected)]
        decided = [p.ctx.decide_zero(v) for v in diffs]
        bad = [i for i, z in enumerate(decided) if z is not True]
        undecided = bool(bad) and all(decided[i] is None for i in bad)
        worst = max((abs(v) for v in diffs), default=0)
    detail = f"{len(actual)} gradient entries compared, max |difference| = {p.ctx.to_output(worst)}"
    if bad:
        detail += f"; first mismatch at {p.deep.arch.param_name(bad[0])}"
    if undecided:
        detail += " (undecided: values in the undecided band of the zero test)"
    return TheoremCheck(
        "T2", "gradient transfer", None if undecided else (not bad and len(actual) == len(expected)), p.strength,
        "dR/dA = D B^T G_W, dR/dc = D B^T g_b, dR/dB = G_W A^T D + g_b (Dc+gamma)^T, dR/de = g_b, "
        "other layers unchanged (at every theta)",
        detail,
    )


@timed
def prove_gradient_transfer(
    widths: Sequence[int],
    after_layer: int,
    width: int,
    activation: str = "relu",
    piece: int = -1,
    other_activation: str = "sigma",
    n_samples: int = 2,
) -> TheoremCheck:
    """T2 as a SymPy identity: every parameter, input, loss and σ of the other layers.

    All parameters of the deep net (A, c, B, e and the other layers) and all
    inputs are free symbols, the other hidden layers use the undefined
    activation ``sigma``, the per-sample loss derivatives ∂ℓ/∂f are free
    symbols (so every loss), and every inserted neuron sits in linear piece
    ``piece`` of ``activation`` (σ′(t) = α t + γ there).  The shallow net has
    W = B D A, b = B(Dc + γ) + e; the deep gradient of the core must equal the
    T2 formulas applied to the shallow gradient after ``sympy.expand``.
    """
    from exactlift.nn.activations import parse_activation

    act = parse_activation(activation)
    pieces = check_insertable(act)
    pc = pieces[piece]
    if pc.slope == 0:
        raise ArithmeticModeError(
            f"piece {piece_text(pc)} of {act.spec} has slope 0 (D = 0): the T2 formulas are trivially 0 there; "
            "choose a piece with a non-zero slope"
        )
    alpha, gamma = sympy.Rational(pc.slope.numerator, pc.slope.denominator), sympy.Rational(pc.intercept.numerator, pc.intercept.denominator)
    ctx = get_context("symbolic")
    widths = tuple(widths)
    sh = Architecture.build(widths, other_activation, True)
    q = after_layer
    lin_act = parse_activation(f"poly({gamma}, {alpha})")  # the piece as a polynomial: symbolic-friendly
    deep_arch = Architecture(
        widths[: q + 1] + (width,) + widths[q + 1 :],
        sh.activations[:q] + (lin_act,) + sh.activations[q:],
        (True,) * (sh.n_layers + 1),
    )
    theta = sympy.symbols(f"p0:{deep_arch.n_params}")
    deep_p = Params.from_flat(deep_arch, list(theta))
    A, c = deep_p.W[q], deep_p.b[q]
    B, e = deep_p.W[q + 1], deep_p.b[q + 1]
    W = np.dot(B, A) * alpha
    b = np.dot(B, c * alpha + gamma) + e
    sh_p = Params(deep_p.W[:q] + (W,) + deep_p.W[q + 2 :], deep_p.b[:q] + (b,) + deep_p.b[q + 2 :])
    X = np.array([[sympy.Symbol(f"x{i}_{j}") for j in range(widths[0])] for i in range(n_samples)], dtype=object)
    adj = np.array([[sympy.Symbol(f"g{i}_{j}") for j in range(widths[-1])] for i in range(n_samples)], dtype=object)
    ds = derivatives(sh, sh_p, X, None, "mse", ctx, order=1, output_adjoints=adj)
    dd = derivatives(deep_arch, deep_p, X, None, "mse", ctx, order=1, output_adjoints=adj)
    gW, gb = ds.gradient_blocks(sh)
    G, g = gW[q], gb[q]
    gA = np.dot(B.T, G) * alpha
    gc = np.dot(B.T, g) * alpha
    gB = np.dot(G, A.T) * alpha + np.outer(g, c * alpha + gamma)
    expected = Params(tuple(gW[:q]) + (gA, gB) + tuple(gW[q + 1 :]), tuple(gb[:q]) + (gc, g) + tuple(gb[q + 1 :])).flatten()
    bad = [i for i, (x, y) in enumerate(zip(dd.gradient, expected)) if sympy.expand(x - y) != 0]
    return TheoremCheck(
        "T2", "gradient transfer (symbolic)", not bad, "symbolic",
        "the T2 formulas hold identically in all parameters, inputs, loss derivatives and sigma",
        f"{'-'.join(map(str, widths))} net, insert width {width} after layer {q} with {act.spec} on piece "
        f"{piece_text(pc)}, {n_samples} symbolic samples, other layers sigma: "
        + ("all entries expand to 0" if not bad else f"mismatch at {deep_arch.param_name(bad[0])}"),
    )


@timed
def check_criticality(point: Any, lift: Any = None, arithmetic: str = "auto", digits: int = 60) -> TheoremCheck:
    """T2 consequence: the lift of a critical θ is critical (deep gradient computed directly)."""
    p = lifted_point(point, lift, arithmetic, digits)
    statement = "grad R_shallow(theta) = 0 implies grad R_deep(lifted theta) = 0"
    crit = p.shallow_critical()
    if crit is None:
        return TheoremCheck("T2", "criticality of the lifted point", None, p.strength, statement,
                            "undecided: criticality of the shallow point is undecided (a gradient value in the "
                            "undecided band of the zero test)")
    if not crit:
        return TheoremCheck("T2", "criticality of the lifted point", None, p.strength, statement,
                            "not applicable: the shallow point is not critical")
    with p.ctx.active():
        l3_bad = [k for k, sums in p.result.l3_sums.items()
                  if p.ctx.all_zero([p.ctx.convert(v) if isinstance(v, Fraction) else v for v in sums]) is not True]
    if l3_bad:
        return TheoremCheck("T2", "criticality of the lifted point", None, p.strength, statement,
                            f"not applicable: null neuron(s) {l3_bad} violate (L3)")
    g = p.derivs("deep").gradient
    with p.ctx.active():
        ok = p.ctx.all_zero(list(g))
        worst = max((abs(v) for v in g), default=0)
    note = "" if not p.result.null_neurons else f" (null neurons {list(p.result.null_neurons)} satisfy (L3))"
    return TheoremCheck("T2", "criticality of the lifted point", ok, p.strength, statement,
                        f"deep gradient: {len(g)} entries, max |entry| = {p.ctx.to_output(worst)}{note}")


def constraint_jacobian(result: DepthLift) -> tuple[list[list[Fraction]], list[str]]:
    """Exact Jacobian of (A, c, B, e) ↦ (B D A, B(Dc + γ) + e) over the linear neurons.

    Rows: the entries of W (row-major) then of b; columns: A (row-major), c,
    B (row-major), e — only the linear neurons' rows of A and c and columns of B.
    """
    lin = [pt for pt in result.patterns if not pt.null]
    m_q = result.shallow.arch.widths[result.after_layer]
    m_next = result.shallow.arch.widths[result.after_layer + 1]
    bias = bool(result.e)
    cols: list[str] = []
    col: dict[tuple, int] = {}

    def add(key: tuple, name: str) -> None:
        col[key] = len(cols)
        cols.append(name)

    for kk, pt in enumerate(lin):
        for l in range(m_q):
            add(("A", kk, l), f"A[{pt.index},{l}]")
    if bias:
        for kk, pt in enumerate(lin):
            add(("c", kk), f"c[{pt.index}]")
    for j in range(m_next):
        for kk, pt in enumerate(lin):
            add(("B", j, kk), f"B[{j},{pt.index}]")
    if bias:
        for j in range(m_next):
            add(("e", j), f"e[{j}]")
    rows: list[list[Fraction]] = []
    for j in range(m_next):
        for l in range(m_q):
            row = [Fraction(0)] * len(cols)
            for kk, pt in enumerate(lin):
                row[col[("A", kk, l)]] += result.B[j][pt.index] * pt.slope  # type: ignore[operator]
                row[col[("B", j, kk)]] += pt.slope * result.A[pt.index][l]  # type: ignore[operator]
            rows.append(row)
    if bias:
        for j in range(m_next):
            row = [Fraction(0)] * len(cols)
            for kk, pt in enumerate(lin):
                row[col[("c", kk)]] += result.B[j][pt.index] * pt.slope  # type: ignore[operator]
                row[col[("B", j, kk)]] += pt.slope * result.c[pt.index] + pt.intercept  # type: ignore[operator]
            row[col[("e", j)]] += 1
            rows.append(row)
    return rows, cols


@timed
def check_lifted_dimension(point: Any, lift: Any = None) -> TheoremCheck:
    """Lifted-set dimension: n_vars − rank(constraint Jacobian) = P_deep − P_shallow (rank condition).

    P_deep counts the linear neurons only (null neurons are not part of the
    fixed-pattern lifted manifold); with biases the difference is
    m′(m_q + m_{q+1} + 1) − m_q m_{q+1}.
    """
    r = point.result if isinstance(point, LiftedPoint) else (point if isinstance(point, DepthLift) else lift.lift(point))
    J, cols = constraint_jacobian(r)
    rk = rank(J)
    dim = len(cols) - rk
    n_null = len(r.null_neurons)
    m_q = r.shallow.arch.widths[r.after_layer]
    m_next = r.shallow.arch.widths[r.after_layer + 1]
    bias = bool(r.e)
    p_null = n_null * (m_q + (1 if bias else 0) + m_next)
    expected = r.deep.arch.n_params - p_null - r.shallow.arch.n_params
    rc = r.rank_condition()
    statement = "dim of the lifted set = P_deep - P_shallow (fixed pattern, DA injective or BD surjective)"
    data = {"n_vars": len(cols), "rank": rk, "dimension": dim, "P_deep_minus_P_shallow": expected, **rc}
    if not rc["holds"]:
        return TheoremCheck("T2", "lifted set dimension", None, "exact", statement,
                            f"not applicable: rank condition fails (rank DA = {rc['rank_DA']}, rank BD = {rc['rank_BD']}); "
                            f"dimension {dim} vs {expected}", data)
    return TheoremCheck("T2", "lifted set dimension", dim == expected, "exact", statement,
                        f"{len(cols)} variables, exact rank {rk} -> dimension {dim}; P_deep - P_shallow = {expected}", data)


# ---------------------------------------------------------------------------
# T3 inertia
# ---------------------------------------------------------------------------


@timed
def check_inertia(point: Any, lift: Any = None, arithmetic: str = "auto", digits: int = 60) -> TheoremCheck:
    """T3 at a critical point: exact inertia of both Hessians (core Hessians, exact congruence/charpoly).

    Without null neurons and under the rank condition: n₋, n₊ equal and
    n₀ grows by exactly P_deep − P_shallow.  With null neurons: n₋ and n₊
    never decrease.
    """
    p = lifted_point(point, lift, arithmetic, digits)
    r = p.result
    statement = ("n-, n+ preserved and n0 up by P_deep - P_shallow (no null neurons, rank condition); "
                 "n-, n+ never decrease with null neurons")
    crit = p.shallow_critical()
    if crit is None:
        return TheoremCheck("T3", "inertia", None, p.strength, statement,
                            "undecided: criticality of the shallow point is undecided (undecided band of the zero test)")
    if not crit:
        return TheoremCheck("T3", "inertia", None, p.strength, statement, "not applicable: the shallow point is not critical")
    s = p.inertia("shallow")
    d = p.inertia("deep")
    diff = p.deep.arch.n_params - p.shallow.arch.n_params
    rc = r.rank_condition()
    data = {"shallow": list(s), "deep": list(d), "P_deep_minus_P_shallow": diff, **rc}
    if r.null_neurons:
        ok = d[0] >= s[0] and d[2] >= s[2]
        return TheoremCheck("T3", "inertia (null neurons)", ok, p.strength, statement,
                            f"shallow {s} -> deep {d}: n-, n+ {'did not decrease' if ok else 'DECREASED'}", data)
    if not rc["holds"]:
        return TheoremCheck("T3", "inertia", None, p.strength, statement,
                            f"not applicable: rank condition fails; shallow {s} -> deep {d}", data)
    ok = d[0] == s[0] and d[2] == s[2] and d[1] == s[1] + diff
    return TheoremCheck("T3", "inertia", ok, p.strength, statement,
                        f"shallow {s} -> deep {d}; expected ({s[0]}, {s[1]} + {diff}, {s[2]})", data)
