"""First-order checks of the width principle at a case: output, gradient transfer, criticality, split lines.

Case-level checks (a case = network, exact θ, data, loss), each returning a
:class:`~exactlift.lifts.width.result.CheckResult` in the arithmetic's strength:
:func:`check_output_preservation`, :func:`check_gradient_transfer`,
:func:`check_criticality`, :func:`check_split_line` (criticality of the whole
line {T_α θ} with α a free symbol).  Second order is in
:mod:`exactlift.lifts.width.second_order`; everything at once in
:func:`exactlift.lifts.width.check.check_embedding`.

>>> from exactlift.nn.examples import demo_case
>>> from exactlift.lifts.width.embeddings import SplitNeuron
>>> r = check_criticality(demo_case(), SplitNeuron(1, 0, "1/3"))
>>> r.holds, r.strength
(True, 'exact')
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import sympy

from exactlift.arith.contexts import Context, get_context
from exactlift.calculus.backprop import derivatives, forward
from exactlift.errors import ArithmeticModeError, KinkError
from exactlift.lifts.width.embeddings import NullNeuron, SplitNeuron, as_lift, compose  # noqa: F401 (doctests)
from exactlift.lifts.width.decide import ExpandingSymbolic, compare_arrays, identically_zero
from exactlift.lifts.width.point import EmbeddingPoint, embedding_point
from exactlift.lifts.width.products import to_ctx_map
from exactlift.lifts.width.result import CheckResult, verdict_sentence
from exactlift.nn.case import Case

__all__ = ["check_output_preservation", "check_gradient_transfer", "check_criticality", "check_split_line"]


def check_output_preservation(
    case: Case | EmbeddingPoint, lift: Any = None, arithmetic: str | Context = "exact",
    probes: int = 8, seed: int = 0,
) -> CheckResult:
    """f_{Tθ}(x) = f_θ(x) at the training inputs and ``probes`` random rational inputs.

    >>> from exactlift.nn.examples import demo_case
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
        verdict_sentence(ok, "outputs agree", f"output differs at input {where[0] if where else '?'}", ctx.undecided_zero),
        time.perf_counter() - t0, {"max_difference": worst} if worst is not None else {},
    )


def check_gradient_transfer(
    case: Case | EmbeddingPoint, lift: Any = None, arithmetic: str | Context = "exact"
) -> CheckResult:
    """∇R_wide(Tθ) = S_T ∇R(θ) at the case's θ (critical or not), computed on both nets.

    >>> from exactlift.nn.examples import demo_case
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
    detail = verdict_sentence(ok, "grad R_wide(T theta) = S_T grad R(theta)",
                  f"differs at {p.wide_case.arch.param_name(where[1]) if where else '?'}", ctx.undecided_zero)
    return CheckResult("gradient transfer", ok, ctx.strength, scope, detail, time.perf_counter() - t0,
                       {"max_difference": worst} if worst is not None else {})


def check_criticality(
    case: Case | EmbeddingPoint, lift: Any = None, arithmetic: str | Context = "exact"
) -> CheckResult:
    """At a critical point θ, is Tθ critical?  (``holds`` is None when θ is not critical.)

    >>> from exactlift.nn.examples import demo_case
    >>> check_criticality(demo_case(), compose(SplitNeuron(1, 0, "1/3"), NullNeuron(1))).holds
    True
    """
    t0 = time.perf_counter()
    p = embedding_point(case, lift, arithmetic)
    with p.ctx.active():
        narrow, wide = p.narrow_critical, p.wide_critical
    if narrow is not True:
        why = "theta is not a critical point" if narrow is False else f"criticality of theta is undecided ({p.ctx.undecided_zero})"
        return CheckResult("criticality preserved", None, p.ctx.strength, "at theta of the case",
                           f"{why} (wide point critical: {wide})", time.perf_counter() - t0,
                           {"narrow_critical": narrow, "wide_critical": wide})
    return CheckResult(
        "criticality preserved", wide, p.ctx.strength, "at theta of the case",
        verdict_sentence(wide, "grad R(theta) = 0 and grad R_wide(T theta) = 0", "theta is critical but T theta is NOT",
                         p.ctx.undecided_zero),
        time.perf_counter() - t0, {"narrow_critical": narrow, "wide_critical": wide},
    )


def check_split_line(case: Case | EmbeddingPoint, lift: Any = None) -> CheckResult:
    """The whole family {T_α θ}: the wide gradient, with every split ratio a free symbol, is identically 0.

    Exact data and θ; the ratios α (one symbol per split step) are free, so
    this shows criticality at every point of the line (or affine family).
    Needs an activation with exact values (rational functions, piecewise
    linear).

    >>> from exactlift.nn.examples import demo_case
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
    ctx = ExpandingSymbolic()
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
