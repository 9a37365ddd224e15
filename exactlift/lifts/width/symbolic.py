"""Architecture-level proofs of the width principle: identities for every θ, input, σ and data set.

With an undefined activation ``sigma``, symbolic θ, inputs and free output
adjoints ∂ℓ/∂f, and free split ratios (docs/width.md; strength ``symbolic``):

* :func:`prove_output_preservation`: f_{Tθ}(x) = f_θ(x) for every x, θ, σ;
* :func:`prove_gradient_transfer`: ∇R_wide(Tθ) = S_T ∇R_narrow(θ) for every θ,
  σ, data set and loss (one symbolic sample with free adjoints suffices: the
  gradient of the risk is the sample average of such per-sample gradients);
* :func:`prove_hessian_relations`: Tᵀ H_wide T = H_narrow and
  H_wide T = S_T H_narrow (squared loss, symbolic data).

>>> from exactlift.lifts.width.embeddings import SplitNeuron
>>> prove_output_preservation([1, 1, 1], SplitNeuron(1, 0, "1/3")).holds
True
"""

from __future__ import annotations

import time
from typing import Any, Sequence

import numpy as np
import sympy

from exactlift.arith.contexts import get_context
from exactlift.calculus.backprop import derivatives, forward
from exactlift.lifts.width.embeddings import NullNeuron, SplitNeuron, WidthLift, as_lift  # noqa: F401 (doctests)
from exactlift.lifts.width.decide import compare_arrays, identically_zero
from exactlift.lifts.width.products import left_multiply, right_multiply, sandwich
from exactlift.lifts.width.result import CheckResult
from exactlift.nn.network import Architecture, Params
from exactlift.errors import validated

__all__ = ["symbolic_architecture", "symbolic_setup", "free_lift",
           "prove_output_preservation", "prove_gradient_transfer", "prove_hessian_relations"]


def symbolic_architecture(arch: Architecture | Sequence[int], activation: str = "sigma", bias: Any = True) -> Architecture:
    """``arch`` itself, or the architecture with these widths and the undefined activation.

    >>> symbolic_architecture([1, 2, 1]).describe()
    '1-2-1 net, activation(s) sigma, biases'
    """
    if isinstance(arch, Architecture):
        return arch
    return Architecture.build(list(arch), activation, bias)


def symbolic_setup(arch: Architecture, n_samples: int, prefix: str = "t"):
    theta = sympy.symbols(f"{prefix}0:{arch.n_params}")
    params = Params.from_flat(arch, theta)
    X = np.empty((n_samples, arch.input_dim), dtype=object)
    for i in range(n_samples):
        for k in range(arch.input_dim):
            X[i, k] = sympy.Symbol(f"x{i}_{k}")
    return theta, params, X


def free_lift(lift: WidthLift, free_alpha: bool) -> tuple[WidthLift, tuple]:
    if free_alpha:
        return lift.with_alpha_symbols()
    return lift, ()


@validated
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
    lift, alphas = free_lift(as_lift(lift), free_alpha)
    ctx = get_context("symbolic")
    _, params, X = symbolic_setup(arch, 1)
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


@validated
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
    lift, alphas = free_lift(as_lift(lift), free_alpha)
    ctx = get_context("symbolic")
    _, params, X = symbolic_setup(arch, n_samples)
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
    lift, alphas = free_lift(as_lift(lift), free_alpha)
    ctx = get_context("symbolic")
    _, params, X = symbolic_setup(arch, 1)
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
