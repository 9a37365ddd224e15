"""Checks of the width embedding principle (SPEC §1), in every strength the core offers.

Each check returns a :class:`CheckResult`: what was checked, whether it holds,
its **strength** (``symbolic``: an identity for all values of the free
symbols; ``exact``: rational arithmetic at the given point; ``numerical``: mp
arithmetic, finds but proves nothing) and its **scope** (for which inputs,
parameters, activations, losses it speaks).

Architecture-level proofs (undefined activation ``sigma``, symbolic θ,
inputs and free output adjoints ∂ℓ/∂f, and free split ratios):

* :func:`prove_output_preservation`: f_{Tθ}(x) = f_θ(x) for every x, θ, σ;
* :func:`prove_gradient_transfer`: ∇R_wide(Tθ) = S_T ∇R_narrow(θ) for every θ,
  σ, data set and loss (one symbolic sample with free adjoints suffices: the
  gradient of the risk is the sample average of such per-sample gradients);
* :func:`prove_hessian_relations`: Tᵀ H_wide T = H_narrow and
  H_wide T = S_T H_narrow (squared loss, symbolic data).

Case-level checks (a case = network, exact θ, data, loss):
:func:`check_output_preservation`, :func:`check_gradient_transfer`,
:func:`check_criticality`, :func:`check_split_line` (criticality of the whole
line {T_α θ} with α a free symbol), :func:`check_hessian_relations`,
:func:`check_inertia_monotone` (n₋, n₀, n₊ never decrease; the conjecture
ledger's check), :func:`check_null_condition`; :func:`check_embedding` runs
them all.  Second order along one split (M_s, G_s, Fukumizu–Amari, truly-bad
points) is in :mod:`exactlift.lifts.width_second_order`; the random n₀ trials
in :mod:`exactlift.lifts.width_conjecture`.

>>> from exactlift.demo import demo_case
>>> from exactlift.lifts.width import SplitNeuron
>>> r = check_criticality(demo_case(), SplitNeuron(1, 0, "1/3"))
>>> r.holds, r.strength
(True, 'exact')
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

import numpy as np
import sympy

from exactlift.arith.contexts import Context, SymbolicContext, get_context
from exactlift.arith.linalg import kernel
from exactlift.certify import jsonable
from exactlift.calculus.backprop import Derivatives, derivatives, forward
from exactlift.errors import ArithmeticModeError, KinkError, LiftError
from exactlift.lifts.width import LinearMap, NullNeuron, OddSplitNeuron, WidthLift, compose
from exactlift.lifts.width import SplitNeuron  # noqa: F401  (used in the examples)
from exactlift.nn.case import Case
from exactlift.nn.network import Architecture, Params

STRENGTHS = ("symbolic", "exact", "certified", "numerical")


# ---------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------


@dataclass
class CheckResult:
    """One checked property.

    ``holds`` is True/False, or None when the property does not apply (e.g.
    criticality preservation at a point that is not critical); ``strength`` is
    one of :data:`STRENGTHS`; ``scope`` says for what the statement was shown;
    ``detail`` is one human sentence; ``data`` holds the exact numbers.
    """

    name: str
    holds: bool | None
    strength: str
    scope: str
    detail: str = ""
    seconds: float = 0.0
    data: dict = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "property": self.name,
            "holds": self.holds,
            "strength": self.strength,
            "scope": self.scope,
            "detail": self.detail,
            "seconds": round(self.seconds, 4),
            "data": jsonable(self.data),
        }

    def __str__(self) -> str:
        verdict = {True: "holds", False: "FAILS", None: "n/a"}[self.holds]
        return f"{self.name}: {verdict} [{self.strength}; {self.scope}] {self.detail}".rstrip()


# ---------------------------------------------------------------------------
# helpers: identities, sparse products
# ---------------------------------------------------------------------------


def identically_zero(expr: Any) -> bool:
    """Whether a SymPy expression is the zero function (expand, then cancel for rational functions).

    >>> a = sympy.Symbol("a")
    >>> identically_zero(a/(1 + a) + 1/(1 + a) - 1), identically_zero(a - 1)
    (True, False)
    """
    e = sympy.expand(expr)
    if e == 0:
        return True
    return sympy.cancel(sympy.together(e)) == 0


class _ExpandingSymbolic(SymbolicContext):
    """Symbolic context that expands matrix products (keeps polynomials in α canonical)."""

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = super().matmul(a, b)
        flat = out.ravel()
        for i in range(flat.size):
            flat[i] = sympy.expand(flat[i])
        return out


def _columns(T: LinearMap) -> list[list[tuple[int, Any]]]:
    cols: list[list[tuple[int, Any]]] = [[] for _ in range(T.n_in)]
    for i, row in enumerate(T.rows):
        for j, c in row:
            cols[j].append((i, c))
    return cols


def _flint_ok(ctx: Context, *maps: LinearMap) -> bool:
    """Dense python-flint products are exact and fast: used for exact contexts with rational maps."""
    if ctx.name != "exact" or not getattr(ctx, "use_flint", False):
        return False
    return all(isinstance(c, Fraction) for m in maps for row in m.rows for _, c in row)


def _fmpq_mat(M: Any) -> Any:
    import flint

    if isinstance(M, LinearMap):
        out = flint.fmpq_mat(M.n_out, M.n_in)
        for i, row in enumerate(M.rows):
            for j, c in row:
                out[i, j] = flint.fmpq(c.numerator, c.denominator)
        return out
    r, c = M.shape
    return flint.fmpq_mat(r, c, [x if isinstance(x, flint.fmpq) else flint.fmpq(int(Fraction(x).numerator), int(Fraction(x).denominator)) for x in M.ravel()])


def _from_fmpq_mat(M: Any) -> np.ndarray:
    out = np.empty(M.nrows() * M.ncols(), dtype=object)
    out[:] = M.entries()
    return out.reshape(M.nrows(), M.ncols())


def sandwich(A: LinearMap, H: np.ndarray, B: LinearMap, ctx: Context) -> np.ndarray:
    """Aᵀ H B for sparse A, B and a dense H (entries of ``ctx``), in the context's arithmetic.

    >>> ctx = get_context("exact")
    >>> A = LinearMap(2, 1, (((0, Fraction(1)),), ((0, Fraction(1)),)))
    >>> [[str(x) for x in row] for row in sandwich(A, ctx.array([[1, 2], [2, 3]]), A, ctx)]
    [['8']]
    """
    if _flint_ok(ctx, A, B):
        return _from_fmpq_mat(_fmpq_mat(A).transpose() * _fmpq_mat(H) * _fmpq_mat(B))
    ca, cb = _columns(to_ctx_map(A, ctx)), _columns(to_ctx_map(B, ctx))
    out = ctx.zeros((A.n_in, B.n_in))
    for a, col_a in enumerate(ca):
        for b, col_b in enumerate(cb):
            acc = ctx.zero
            for i, c in col_a:
                Hi = H[i]
                for j, d in col_b:
                    acc = acc + c * d * Hi[j]
            out[a, b] = acc
    return out


def right_multiply(H: np.ndarray, T: LinearMap, ctx: Context) -> np.ndarray:
    """H T for a dense H and a sparse T.

    >>> ctx = get_context("exact")
    >>> T = LinearMap(2, 1, (((0, Fraction(1)),), ((0, Fraction(-1)),)))
    >>> [[str(x) for x in row] for row in right_multiply(ctx.array([[1, 2], [3, 4]]), T, ctx)]
    [['-1'], ['-1']]
    """
    if _flint_ok(ctx, T):
        return _from_fmpq_mat(_fmpq_mat(H) * _fmpq_mat(T))
    cols = _columns(to_ctx_map(T, ctx))
    out = ctx.zeros((H.shape[0], T.n_in))
    for b, col in enumerate(cols):
        for i in range(H.shape[0]):
            acc = ctx.zero
            for j, c in col:
                acc = acc + c * H[i, j]
            out[i, b] = acc
    return out


def left_multiply(S: LinearMap, H: np.ndarray, ctx: Context) -> np.ndarray:
    """S H for a sparse S and a dense H.

    >>> ctx = get_context("exact")
    >>> S = LinearMap(1, 2, (((0, Fraction(1)), (1, Fraction(1))),))
    >>> [[str(x) for x in row] for row in left_multiply(S, ctx.array([[1, 2], [3, 4]]), ctx)]
    [['4', '6']]
    """
    if _flint_ok(ctx, S):
        return _from_fmpq_mat(_fmpq_mat(S) * _fmpq_mat(H))
    S = to_ctx_map(S, ctx)
    out = ctx.zeros((S.n_out, H.shape[1]))
    for i, row in enumerate(S.rows):
        for b in range(H.shape[1]):
            acc = ctx.zero
            for j, c in row:
                acc = acc + c * H[j, b]
            out[i, b] = acc
    return out


def to_ctx_map(T: LinearMap, ctx: Context) -> LinearMap:
    """Coefficients converted into the context (for products with context scalars)."""
    if ctx.name == "symbolic":
        return T

    def conv(c: Any) -> Any:
        if isinstance(c, Fraction):
            return ctx.convert(c)
        if not isinstance(c, sympy.Basic):
            return c  # already a scalar of the context
        c = sympy.sympify(c)
        if isinstance(c, sympy.Rational):
            return ctx.convert(Fraction(int(c.p), int(c.q)))
        raise ArithmeticModeError(f"the coefficient {c} has free symbols: use a numeric ratio in {ctx.name} arithmetic")

    return LinearMap(T.n_out, T.n_in, tuple(tuple((j, conv(c)) for j, c in row) for row in T.rows))


def decide_zero(x: Any, ctx: Context) -> bool | None:
    """Is x zero, in the context's strength?  None when a ball contains 0 without being 0 (certified).

    symbolic: an identity (expand/cancel); exact: x == 0; mp: below the
    tolerance (numerical); certified: True only for an exact-zero ball, False
    when the ball excludes 0.

    >>> decide_zero(sympy.Symbol("a") * 2 - sympy.Symbol("a") * 2, get_context("symbolic"))
    True
    >>> ctx = get_context("certified", 20)
    >>> with ctx.active():
    ...     third = ctx.convert(1) / 3
    ...     decide_zero(third * 3 - 1, ctx)  # the ball contains 0 but is not 0: undecided
    """
    if ctx.name == "symbolic":
        return identically_zero(x)
    if ctx.name == "certified":
        if x.is_zero():
            return True
        if x > 0 or x < 0:
            return False
        return None
    return bool(ctx.is_zero(x))


def _all_zero(values: Any, ctx: Context) -> bool | None:
    """True / False / None (undecided) for 'every entry is zero'."""
    undecided = False
    for x in values:
        z = decide_zero(x, ctx)
        if z is False:
            return False
        if z is None:
            undecided = True
    return None if undecided else True


def compare_arrays(A: np.ndarray, B: np.ndarray, ctx: Context) -> tuple[bool | None, Any, tuple[int, ...] | None]:
    """(equal? — None when undecided, max |A − B| (mp) or None, first differing index)."""
    worst, where = None, None
    equal: bool | None = True
    for idx in np.ndindex(A.shape):
        d = A[idx] - B[idx]
        z = decide_zero(d, ctx)
        if ctx.name == "mp":
            if worst is None or abs(d) > worst:
                worst = abs(d)
        if z is None and equal is True:
            equal = None
        if z is False:
            where = idx
            equal = False
            if ctx.name != "mp":
                break
    return equal, worst, where


def _tri(ok: bool | None) -> str:
    return {True: "True", False: "False", None: "undecided"}[ok]


def _say(ok: bool | None, yes: str, no: str) -> str:
    return yes if ok else (no if ok is False else "undecided: an enclosure contains 0 (balls refute, they cannot prove equality)")


def inertia_in(H: np.ndarray, ctx: Context) -> tuple[int, int, int] | None:
    """Inertia in the context's strength (None: undecided by balls): :meth:`Context.inertia`."""
    return ctx.inertia(H)


def as_lift(lift: Any) -> WidthLift:
    if isinstance(lift, WidthLift):
        return lift
    if isinstance(lift, (list, tuple)):
        return compose(*lift) if len(lift) != 1 else lift[0]
    raise LiftError(f"expected a width lift (SplitNeuron, NullNeuron, Permute or a composition), got {lift!r}")


# ---------------------------------------------------------------------------
# a point and its lift, with the derivatives computed once
# ---------------------------------------------------------------------------


class EmbeddingPoint:
    """A case θ, a width lift T and their derivatives in one arithmetic (computed lazily, once).

    >>> from exactlift.lifts.width_examples import fa_minimum
    >>> p = EmbeddingPoint(fa_minimum("psd"), SplitNeuron(1, 0, 2))
    >>> p.wide_case.arch.widths, p.narrow_critical, p.wide_critical
    ((1, 2, 1), True, True)
    """

    def __init__(self, case: Case, lift: Any, arithmetic: str | Context = "exact", digits: int = 50) -> None:
        self.case = case
        self.lift = as_lift(lift)
        self.ctx = get_context(arithmetic, digits)
        if self.ctx.name == "symbolic":
            raise ArithmeticModeError("case-level checks run in exact or mp arithmetic (symbolic proofs: prove_*)")
        self.wide_case = self.lift.apply_case(case)
        self._cache: dict[str, Any] = {}

    def _derivs(self, which: str, order: int) -> Derivatives:
        key = f"{which}{order}"
        if key not in self._cache:
            have = self._cache.get(f"{which}2")
            if have is not None:
                return have
            case = self.case if which == "narrow" else self.wide_case
            with self.ctx.active():
                X, Y = case.arrays(self.ctx)
                self._cache[key] = derivatives(case.arch, case.params, X, Y, case.loss, self.ctx, order=order)
        return self._cache[key]

    def narrow(self, order: int = 2) -> Derivatives:
        return self._derivs("narrow", order)

    def wide(self, order: int = 2) -> Derivatives:
        return self._derivs("wide", order)

    @property
    def T(self) -> LinearMap:
        if "T" not in self._cache:
            self._cache["T"] = self.lift.linear_map(self.case.arch)
        return self._cache["T"]

    @property
    def S(self) -> LinearMap | None:
        if "S" not in self._cache:
            self._cache["S"] = self.lift.gradient_transfer(self.case.arch)
        return self._cache["S"]

    @property
    def narrow_critical(self) -> bool | None:
        """∇R(θ) = 0 in the context's strength (None: undecided by balls)."""
        with self.ctx.active():
            return _all_zero(self.narrow(1).gradient, self.ctx)

    @property
    def wide_critical(self) -> bool | None:
        with self.ctx.active():
            return _all_zero(self.wide(1).gradient, self.ctx)

    @property
    def inertia_narrow(self) -> tuple[int, int, int] | None:
        if "in" not in self._cache:
            with self.ctx.active():
                self._cache["in"] = inertia_in(self.narrow(2).hessian, self.ctx)
        return self._cache["in"]

    @property
    def inertia_wide(self) -> tuple[int, int, int] | None:
        if "iw" not in self._cache:
            with self.ctx.active():
                self._cache["iw"] = inertia_in(self.wide(2).hessian, self.ctx)
        return self._cache["iw"]


def embedding_point(case: Case | EmbeddingPoint, lift: Any, arithmetic: str | Context, digits: int = 50) -> EmbeddingPoint:
    if isinstance(case, EmbeddingPoint):
        return case
    return EmbeddingPoint(case, lift, arithmetic, digits)


# ---------------------------------------------------------------------------
# symbolic proofs (architecture level)
# ---------------------------------------------------------------------------


def symbolic_architecture(arch: Architecture | Sequence[int], activation: str = "sigma", bias: Any = True) -> Architecture:
    """``arch`` itself, or the architecture with these widths and the undefined activation.

    >>> symbolic_architecture([1, 2, 1]).describe()
    '1-2-1 net, activation(s) sigma, biases'
    """
    if isinstance(arch, Architecture):
        return arch
    return Architecture.build(list(arch), activation, bias)


def _symbolic_setup(arch: Architecture, n_samples: int, prefix: str = "t"):
    theta = sympy.symbols(f"{prefix}0:{arch.n_params}")
    params = Params.from_flat(arch, theta)
    X = np.empty((n_samples, arch.input_dim), dtype=object)
    for i in range(n_samples):
        for k in range(arch.input_dim):
            X[i, k] = sympy.Symbol(f"x{i}_{k}")
    return theta, params, X


def _free_lift(lift: WidthLift, free_alpha: bool) -> tuple[WidthLift, tuple]:
    if free_alpha:
        return lift.with_alpha_symbols()
    return lift, ()


def prove_output_preservation(
    arch: Architecture | Sequence[int], lift: Any, free_alpha: bool = True, activation: str = "sigma"
) -> CheckResult:
    """Prove f_{Tθ}(x) = f_θ(x) as an identity in θ, x (and α when ``free_alpha``).

    With the undefined activation ``sigma`` (the default for a widths list)
    the identity holds for every activation.

    >>> r = prove_output_preservation([1, 2, 1], SplitNeuron(1, 0, "1/3"))
    >>> r.holds, r.strength
    (True, 'symbolic')
    """
    t0 = time.perf_counter()
    arch = symbolic_architecture(arch, activation)
    lift, alphas = _free_lift(as_lift(lift), free_alpha)
    ctx = get_context("symbolic")
    _, params, X = _symbolic_setup(arch, 1)
    wide, wparams = lift.apply(arch, params)
    f_n = forward(arch, params, X, ctx).output
    f_w = forward(wide, wparams, X, ctx).output
    bad = [k for k in range(arch.output_dim) if not identically_zero(f_w[0, k] - f_n[0, k])]
    acts = ", ".join(sorted(set(arch.activation_specs())))
    return CheckResult(
        "output preservation",
        not bad,
        "symbolic",
        f"{arch.describe()}: every input x, every theta"
        + (", every activation" if acts == "sigma" else f", activation {acts}")
        + (f", every {', '.join(map(str, alphas))}" if alphas else ""),
        "f_wide(T theta, x) - f(theta, x) expands to 0" if not bad else f"output {bad[0]} differs",
        time.perf_counter() - t0,
        {"lift": str(lift), "n_params": arch.n_params, "n_params_wide": wide.n_params},
    )


def prove_gradient_transfer(
    arch: Architecture | Sequence[int],
    lift: Any,
    n_samples: int = 1,
    free_alpha: bool = True,
    activation: str = "sigma",
) -> CheckResult:
    """Prove ∇R_wide(Tθ) = S_T ∇R_narrow(θ) as an identity (every θ, data set, loss, σ, α).

    The per-sample loss derivatives ∂ℓ/∂f are free symbols (shared by both
    nets because the outputs agree, which is re-proved here), so the identity
    holds for every loss; one symbolic sample suffices since the risk gradient
    averages per-sample gradients of this form.

    >>> r = prove_gradient_transfer([1, 2, 1], NullNeuron(1))
    >>> r.holds, r.scope.split(":")[0]
    (True, '1-2-1 net, activation(s) sigma, biases')
    """
    t0 = time.perf_counter()
    arch = symbolic_architecture(arch, activation)
    lift, alphas = _free_lift(as_lift(lift), free_alpha)
    ctx = get_context("symbolic")
    _, params, X = _symbolic_setup(arch, n_samples)
    lam = np.empty((n_samples, arch.output_dim), dtype=object)
    for i in range(n_samples):
        for k in range(arch.output_dim):
            lam[i, k] = sympy.Symbol(f"dl{i}_{k}")
    wide, wparams = lift.apply(arch, params)
    acts = ", ".join(sorted(set(arch.activation_specs())))
    scope = (
        f"{arch.describe()}: every theta, every data set, every loss"
        + (", every activation" if acts == "sigma" else f", activation {acts}")
        + (f", every {', '.join(map(str, alphas))}" if alphas else "")
    )
    S = lift.gradient_transfer(arch)
    if S is None:
        return CheckResult(
            "gradient transfer", False, "symbolic", scope,
            "no linear gradient transfer: a null neuron with sigma(0) != 0 and no bias in the next layer "
            "(its outgoing gradient sigma(0) * sum_i delta_i is not determined by the narrow gradient)",
            time.perf_counter() - t0, {"lift": str(lift)},
        )
    f_n = forward(arch, params, X, ctx).output
    f_w = forward(wide, wparams, X, ctx).output
    same_out = all(identically_zero(f_w[i, k] - f_n[i, k]) for i in range(n_samples) for k in range(arch.output_dim))
    g_n = derivatives(arch, params, X, None, "mse", ctx, order=1, output_adjoints=lam).gradient
    g_w = derivatives(wide, wparams, X, None, "mse", ctx, order=1, output_adjoints=lam).gradient
    predicted = S(g_n)
    bad = [i for i, (a, b) in enumerate(zip(g_w, predicted)) if not identically_zero(a - b)]
    ok = same_out and not bad
    if not same_out:
        detail = "outputs differ, so the adjoints are not shared"
    elif bad:
        detail = f"entry {wide.param_name(bad[0])} differs"
    else:
        detail = f"all {wide.n_params} entries of grad R_wide(T theta) - S_T grad R(theta) expand to 0"
    return CheckResult(
        "gradient transfer", ok, "symbolic", scope, detail, time.perf_counter() - t0,
        {"lift": str(lift), "n_params": arch.n_params, "n_params_wide": wide.n_params, "n_samples": n_samples},
    )


def prove_hessian_relations(
    arch: Architecture | Sequence[int], lift: Any, free_alpha: bool = False, activation: str = "sigma"
) -> CheckResult:
    """Prove Tᵀ H_wide(Tθ) T = H_narrow(θ) and H_wide(Tθ) T = S_T H_narrow(θ) symbolically.

    Squared loss, one symbolic sample (x, y), symbolic θ, undefined σ.  (Both
    relations also follow from :func:`prove_gradient_transfer` by
    differentiating in θ; this is an independent check.)  Small architectures
    only (1-2-1: about a second).

    >>> prove_hessian_relations([1, 2, 1], SplitNeuron(1, 1, "2")).holds
    True
    """
    t0 = time.perf_counter()
    arch = symbolic_architecture(arch, activation)
    lift, alphas = _free_lift(as_lift(lift), free_alpha)
    ctx = get_context("symbolic")
    _, params, X = _symbolic_setup(arch, 1)
    Y = np.array([[sympy.Symbol(f"y0_{k}") for k in range(arch.output_dim)]], dtype=object)
    wide, wparams = lift.apply(arch, params)
    H_n = derivatives(arch, params, X, Y, "mse", ctx, order=2).hessian
    H_w = derivatives(wide, wparams, X, Y, "mse", ctx, order=2).hessian
    T, S = lift.linear_map(arch), lift.gradient_transfer(arch)
    ok1, _, w1 = compare_arrays(sandwich(T, H_w, T, ctx), H_n, ctx)
    ok2, w2 = None, None
    if S is not None:
        ok2, _, w2 = compare_arrays(right_multiply(H_w, T, ctx), left_multiply(S, H_n, ctx), ctx)
    holds = ok1 and (ok2 is not False)
    detail = f"T^T H_wide T = H: {ok1}; H_wide T = S_T H: {ok2 if S is not None else 'no S_T'}"
    return CheckResult(
        "Hessian relations", holds, "symbolic",
        f"{arch.describe()}: every theta, every sample (x, y), squared loss"
        + (", every activation" if set(arch.activation_specs()) == {"sigma"} else ""),
        detail, time.perf_counter() - t0, {"lift": str(lift), "first_difference": [w1, w2]},
    )


# ---------------------------------------------------------------------------
# case-level checks
# ---------------------------------------------------------------------------


def check_output_preservation(
    case: Case | EmbeddingPoint, lift: Any = None, arithmetic: str | Context = "exact",
    probes: int = 8, seed: int = 0,
) -> CheckResult:
    """f_{Tθ}(x) = f_θ(x) at the training inputs and ``probes`` random rational inputs.

    >>> from exactlift.demo import demo_case
    >>> check_output_preservation(demo_case(), NullNeuron(1)).holds
    True
    """
    from exactlift.nn.data import random_inputs

    t0 = time.perf_counter()
    p = embedding_point(case, lift, arithmetic)
    ctx = p.ctx
    Xs = [list(r) for r in p.case.X] + random_inputs(probes, p.case.arch.input_dim, seed=seed)
    with ctx.active():
        try:
            X = ctx.array(Xs, "x")
            f_n = forward(p.case.arch, p.case.params.convert(ctx), X, ctx).output
            f_w = forward(p.wide_case.arch, p.wide_case.params.convert(ctx), X, ctx).output
        except KinkError:  # a probe on a kink: use the training inputs only
            X = ctx.array(p.case.X, "x")
            Xs = p.case.X
            f_n = forward(p.case.arch, p.case.params.convert(ctx), X, ctx).output
            f_w = forward(p.wide_case.arch, p.wide_case.params.convert(ctx), X, ctx).output
        ok, worst, where = compare_arrays(f_w, f_n, ctx)
    n_train = p.case.n_samples
    return CheckResult(
        "output preservation", ok, ctx.strength,
        f"{n_train} training inputs and {len(Xs) - n_train} probe inputs",
        _say(ok, "outputs agree", f"output differs at input {where[0] if where else '?'}"),
        time.perf_counter() - t0, {"max_difference": worst} if worst is not None else {},
    )


def check_gradient_transfer(
    case: Case | EmbeddingPoint, lift: Any = None, arithmetic: str | Context = "exact"
) -> CheckResult:
    """∇R_wide(Tθ) = S_T ∇R(θ) at the case's θ (critical or not), computed on both nets.

    >>> from exactlift.demo import demo_case
    >>> check_gradient_transfer(demo_case(), SplitNeuron(1, 1, 2)).holds
    True
    """
    t0 = time.perf_counter()
    p = embedding_point(case, lift, arithmetic)
    ctx = p.ctx
    S = p.S
    scope = "at theta of the case (any theta, critical or not), this data set and loss"
    if S is None:
        return CheckResult(
            "gradient transfer", None, ctx.strength, scope,
            "no linear transfer map: a null neuron with sigma(0) != 0 and no bias in the next layer "
            "(see the null condition)", time.perf_counter() - t0,
        )
    with ctx.active():
        g_n = p.narrow(1).gradient
        g_w = p.wide(1).gradient
        pred = to_ctx_map(S, ctx)(g_n)
        a = np.array(g_w, dtype=object)[None, :]
        b = np.array(pred, dtype=object)[None, :]
        ok, worst, where = compare_arrays(a, b, ctx)
    detail = _say(ok, "grad R_wide(T theta) = S_T grad R(theta)",
                  f"differs at {p.wide_case.arch.param_name(where[1]) if where else '?'}")
    return CheckResult("gradient transfer", ok, ctx.strength, scope, detail, time.perf_counter() - t0,
                       {"max_difference": worst} if worst is not None else {})


def check_criticality(
    case: Case | EmbeddingPoint, lift: Any = None, arithmetic: str | Context = "exact"
) -> CheckResult:
    """At a critical point θ, is Tθ critical?  (``holds`` is None when θ is not critical.)

    >>> from exactlift.demo import demo_case
    >>> check_criticality(demo_case(), compose(SplitNeuron(1, 0, "1/3"), NullNeuron(1))).holds
    True
    """
    t0 = time.perf_counter()
    p = embedding_point(case, lift, arithmetic)
    with p.ctx.active():
        narrow, wide = p.narrow_critical, p.wide_critical
    if narrow is not True:
        why = "theta is not a critical point" if narrow is False else "criticality of theta is undecided (balls contain 0)"
        return CheckResult("criticality preserved", None, p.ctx.strength, "at theta of the case",
                           f"{why} (wide point critical: {wide})", time.perf_counter() - t0,
                           {"narrow_critical": narrow, "wide_critical": wide})
    return CheckResult(
        "criticality preserved", wide, p.ctx.strength, "at theta of the case",
        _say(wide, "grad R(theta) = 0 and grad R_wide(T theta) = 0", "theta is critical but T theta is NOT"),
        time.perf_counter() - t0, {"narrow_critical": narrow, "wide_critical": wide},
    )


def check_split_line(case: Case | EmbeddingPoint, lift: Any = None) -> CheckResult:
    """The whole family {T_α θ}: the wide gradient, with every split ratio a free symbol, is identically 0.

    Exact data and θ; the ratios α (one symbol per split step) are free, so
    this shows criticality at every point of the line (or affine family).
    Needs an activation with exact values (rational functions, piecewise
    linear).

    >>> from exactlift.demo import demo_case
    >>> r = check_split_line(demo_case(), SplitNeuron(1, 0, "1/3"))
    >>> r.holds, r.scope
    (True, 'every alpha, at theta of the case (exact data)')
    """
    t0 = time.perf_counter()
    if isinstance(case, EmbeddingPoint):
        lift, case = case.lift, case.case
    lift = as_lift(lift)
    free, alphas = lift.with_alpha_symbols()
    if not alphas:
        return CheckResult("criticality along the split line", None, "symbolic", "no split ratio",
                           "the lift has no split, so there is no line", time.perf_counter() - t0)
    scope = "every " + ", ".join(map(str, alphas)) + ", at theta of the case (exact data)"
    exact = get_context("exact")
    with exact.active():
        X, Y = case.arrays(exact)
        narrow_crit = all(g == 0 for g in derivatives(case.arch, case.params, X, Y, case.loss, exact, order=1).gradient)
    if not narrow_crit:
        return CheckResult("criticality along the split line", None, "symbolic", scope,
                           "theta is not a critical point", time.perf_counter() - t0)
    ctx = _ExpandingSymbolic()
    try:
        wide, wparams = free.apply(case.arch, case.params.convert(ctx))
        Xs, Ys = case.arrays(ctx)
        g = derivatives(wide, wparams, Xs, Ys, case.loss, ctx, order=1).gradient
    except ArithmeticModeError as exc:
        return CheckResult("criticality along the split line", None, "symbolic", scope,
                           f"not available: {exc}", time.perf_counter() - t0)
    bad = [i for i, e in enumerate(g) if not identically_zero(e)]
    return CheckResult(
        "criticality along the split line", not bad, "symbolic", scope,
        f"all {len(g)} wide gradient entries are identically 0 in " + ", ".join(map(str, alphas))
        if not bad else f"{wide.param_name(bad[0])} = {sympy.factor(g[bad[0]])} is not identically 0",
        time.perf_counter() - t0, {"symbols": [str(a) for a in alphas]},
    )


def check_hessian_relations(
    case: Case | EmbeddingPoint, lift: Any = None, arithmetic: str | Context = "exact"
) -> CheckResult:
    """Tᵀ H_wide(Tθ) T = H(θ) and H_wide(Tθ) T = S_T H(θ) at the case's θ (both Hessians computed directly).

    >>> from exactlift.demo import demo_case
    >>> check_hessian_relations(demo_case(), SplitNeuron(1, 0, "1/3")).holds
    True
    """
    t0 = time.perf_counter()
    p = embedding_point(case, lift, arithmetic)
    ctx = p.ctx
    with ctx.active():
        H_n, H_w = p.narrow(2).hessian, p.wide(2).hessian
        T = to_ctx_map(p.T, ctx)
        ok1, worst1, _ = compare_arrays(sandwich(T, H_w, T, ctx), H_n, ctx)
        ok2, worst2 = None, None
        if p.S is not None:
            S = to_ctx_map(p.S, ctx)
            ok2, worst2, _ = compare_arrays(right_multiply(H_w, T, ctx), left_multiply(S, H_n, ctx), ctx)
    parts = [ok1] + ([ok2] if p.S is not None else [])
    holds = False if False in parts else (None if None in parts else True)
    detail = f"T^T H_wide T = H: {_tri(ok1)}; H_wide T = S_T H: " + (
        "no S_T (null condition)" if p.S is None else _tri(ok2))
    data = {}
    if worst1 is not None:
        data = {"max_difference": [worst1, worst2]}
    return CheckResult("Hessian relations", holds, ctx.strength, "at theta of the case (any theta)", detail,
                       time.perf_counter() - t0, data)


def check_inertia_monotone(
    case: Case | EmbeddingPoint, lift: Any = None, arithmetic: str | Context = "exact"
) -> CheckResult:
    """n₋, n₀, n₊ of the wide Hessian at Tθ are each ≥ those of H(θ) (the conjecture ledger's check).

    In exact arithmetic it also checks that T maps an exact basis of
    ker H(θ) into ker H_wide(Tθ) (the mechanism behind n₀; needs S_T).

    >>> from exactlift.demo import demo_case
    >>> r = check_inertia_monotone(demo_case(), SplitNeuron(1, 0, "1/3"))
    >>> r.holds, sum(r.data["wide"]) - sum(r.data["narrow"])  # 3 more parameters
    (True, 3)
    """
    t0 = time.perf_counter()
    p = embedding_point(case, lift, arithmetic)
    ctx = p.ctx
    a, b = p.inertia_narrow, p.inertia_wide
    if a is None or b is None:
        return CheckResult("inertia never decreases", None, ctx.strength, "at theta of the case",
                           f"inertia undecided by balls (narrow {a}, wide {b}): exact zero eigenvalues defeat "
                           "ball arithmetic; use exact arithmetic", time.perf_counter() - t0, {"narrow": a, "wide": b})
    monotone = all(w >= n for w, n in zip(b, a))
    data: dict[str, Any] = {"narrow": a, "wide": b, "monotone": monotone}
    if ctx.name == "exact" and p.S is not None:
        with ctx.active():
            basis = kernel(p.narrow(2).hessian)
            inj = True
            if basis:
                HT = right_multiply(p.wide(2).hessian, p.T, ctx)  # P_wide × P_narrow
                B = np.empty((len(basis[0]), len(basis)), dtype=object)
                for k, v in enumerate(basis):
                    B[:, k] = [ctx.convert(x) for x in v]
                inj = all(x == 0 for x in ctx.matmul(HT, B).ravel())
        data["kernel_injection"] = inj
    detail = f"inertia (n-, n0, n+) {a} -> {b}"
    if "kernel_injection" in data:
        detail += f"; T maps ker H into ker H_wide: {data['kernel_injection']}"
    holds = monotone and data.get("kernel_injection", True)
    return CheckResult("inertia never decreases", holds, ctx.strength, "at theta of the case", detail,
                       time.perf_counter() - t0, data)


def check_null_condition(
    case: Case | EmbeddingPoint, lift: Any = None, arithmetic: str | Context = "exact"
) -> CheckResult:
    """For each null-neuron step: σ(0) = 0, or a bias in layer l+1, or σ(0)·Σ_i δ_i^[l+1] = 0 (checked).

    >>> from exactlift.demo import demo_case
    >>> check_null_condition(demo_case(), NullNeuron(1)).detail
    'null(layer=1): sigma(0) = 0, automatic'
    """
    t0 = time.perf_counter()
    p = embedding_point(case, lift, arithmetic)
    ctx = p.ctx
    steps = p.lift.steps()
    cur = p.case
    lines: list[str] = []
    holds: bool | None = True
    any_null = False
    strength = "symbolic"  # decided from the architecture alone unless a sum had to be computed
    for step in steps:
        if isinstance(step, NullNeuron):
            any_null = True
            l = step.layer
            act = cur.arch.activations[l - 1] if 1 <= l <= cur.arch.n_hidden else None
            if act is None:
                step.wide_architecture(cur.arch)  # raises the LiftError
            s0 = act.value_at_zero()
            if isinstance(s0, Fraction) and s0 == 0:
                lines.append(f"{step}: sigma(0) = 0, automatic")
            elif cur.arch.biases[l]:
                # Σ_i δ_i^[l+1] = n ∂R/∂b^[l+1]: zero at a critical point
                with ctx.active():
                    X, Y = cur.arrays(ctx)
                    d = derivatives(cur.arch, cur.params, X, Y, cur.loss, ctx, order=1)
                    crit = _all_zero(d.gradient, ctx)
                lines.append(
                    f"{step}: sigma(0) = {s0} != 0 but layer {l + 1} has a bias, so sum_i delta_i = n dR/db[{l + 1}]"
                    + (" = 0 here (critical point)" if crit else " (zero at every critical point; theta is not critical)")
                )
            else:
                with ctx.active():
                    X, Y = cur.arrays(ctx)
                    d = derivatives(cur.arch, cur.params, X, Y, cur.loss, ctx, order=1)
                    sums = d.deltas[l + 1].sum(axis=0)
                    value = [ctx.convert(s0) * s for s in sums]
                    zero = _all_zero(value, ctx)
                strength = ctx.strength
                holds = False if (holds is False or zero is False) else (None if zero is None else holds)
                lines.append(
                    f"{step}: sigma(0) = {s0} != 0, no bias in layer {l + 1}: sigma(0) * sum_i delta_i[{l + 1}] = "
                    f"({', '.join(ctx.to_output(v) for v in value)})" + {True: " = 0: criticality kept", False: " != 0: criticality is NOT kept",
                                                                        None: ": undecided (balls contain 0)"}[zero]
                )
        cur = step.apply_case(cur)
    if not any_null:
        return CheckResult("null-embedding condition", None, "symbolic", "no null neuron", "the lift has no null neuron",
                           time.perf_counter() - t0)
    return CheckResult("null-embedding condition", holds, strength,
                       "architecture" if strength == "symbolic" else "at theta of the case", "; ".join(lines),
                       time.perf_counter() - t0)
