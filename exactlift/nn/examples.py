"""Small exact example cases, in one place: the demo, the cards, the doctests, the conjectures and the tests share them.

The fixed cases are exact critical points with non-zero loss built by the
§0 recipe (:func:`exactlift.nn.data.critical_targets`): θ and the inputs are
written out here, the targets are computed.

* :func:`demo_case`: the demo's 1-2-1 net with σ(z) = z/(1 + z²).
* :func:`spec_t4_example`: the docs/depth.md T4 data with its linear least-squares fit.
* :func:`small_case`: random exact parameters and inputs from a seed, with
  random, critical (Jᵀe = 0) or teacher targets, retried off the kinks of
  piecewise-linear activations (the cards' and conjectures' cases).

* :func:`fa_minimum`: a 1-1-1 net with σ(z) = z + z⁵/5 at a strict local
  minimum (positive definite Hessian) whose one neuron has a semidefinite,
  non-zero Fukumizu–Amari matrix M_s: ``"psd"`` (splitting helps for α < 0 or
  α > 1) or ``"nsd"`` (for 0 < α < 1).  Degree 5 because low-degree
  polynomials can force M_s = 0 (docs/width.md).
* :func:`vector_output_case`: a strict local minimum of a 1-1-2 net (vector
  output), where G_s ≠ 0 makes every split ratio a strict saddle.
* :func:`random_critical_case`: random θ and inputs for any widths.

>>> fa_minimum("psd").arch.describe()
'1-1-1 net, activation(s) z + z**5/5, biases'
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from exactlift.calculus.backprop import forward
from exactlift.errors import InputError, KinkError
from exactlift.nn.case import Case
from exactlift.nn.data import critical_targets, random_inputs, random_params, teacher_targets
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture, Params

FA_POINTS = {
    # θ = (w, b, a, c), inputs x_i, seed of the residual
    "psd": (["1", "3/2", "-1", "1/2"], ["-2", "1", "-3/2", "-1", "-1", "-1/2"], 4),
    "nsd": (["1", "-1", "2", "-1"], ["-1/2", "1", "-3", "-2", "-1", "3"], 9),
}


def fa_minimum(kind: str = "psd") -> Case:
    """A strict local minimum of a 1-1-1 net whose neuron has M_s ⪰ 0 (``"psd"``) or ⪯ 0 (``"nsd"``).

    >>> from exactlift.analysis import analyze
    >>> a = analyze(fa_minimum("nsd"))
    >>> a.critical, a.inertia[0] == 0 and a.inertia[1] == 0, a.loss != "0"
    (True, True, True)
    """
    if kind not in FA_POINTS:
        raise InputError(f"fa_minimum: kind must be 'psd' or 'nsd', got {kind!r}")
    theta, xs, seed = FA_POINTS[kind]
    arch = Architecture.build([1, 1, 1], "z + z**5/5")
    params = Params.from_flat(arch, [Fraction(t) for t in theta])
    X = [[Fraction(x)] for x in xs]
    Y = critical_targets(arch, params, X, seed=seed)
    return Case(arch, params, X, Y, parse_loss("mse", 1), name=f"Fukumizu-Amari example ({kind})")


def vector_output_case() -> Case:
    """A strict local minimum of a 1-1-2 net (σ = z/(1+z²)) where G_s ≠ 0 (vector output).

    >>> from exactlift.analysis import analyze
    >>> a = analyze(vector_output_case())
    >>> a.critical, a.inertia[0] == 0 and a.inertia[1] == 0
    (True, True)
    """
    arch = Architecture.build([1, 1, 2], "z/(1 + z**2)")
    params = Params.from_flat(arch, [Fraction(t) for t in ("1", "2", "-1", "3", "-3", "1")])
    X = [[Fraction(x)] for x in ("1", "-3", "2", "1", "-3/2")]
    Y = critical_targets(arch, params, X, seed=16)
    return Case(arch, params, X, Y, parse_loss("mse", 2), name="vector output example")


def random_critical_case(
    widths: Sequence[int], activation: str = "z/(1 + z**2)", seed: int = 0, n_samples: int | None = None,
    bias: bool | Sequence[bool] = True, teacher: bool = False,
) -> Case:
    """Random exact θ and inputs, targets making θ critical (non-zero loss; ``teacher``: zero loss).

    ``n_samples`` defaults to P/d_out + 2, enough for a residual in ker Jᵀ.

    >>> random_critical_case([1, 2, 1], seed=1).n_samples  # P = 7 parameters, 7 + 2 samples
    9
    """
    arch = Architecture.build(list(widths), activation, bias)
    theta = random_params(arch, seed=seed, size=3, denominators=3)
    n = n_samples if n_samples is not None else arch.n_params // arch.output_dim + 2
    X = random_inputs(n, arch.input_dim, seed=seed + 7919, size=3, denominators=4)
    Y = teacher_targets(arch, theta, X) if teacher else critical_targets(arch, theta, X, seed=seed)
    return Case(arch, theta, X, Y, parse_loss("mse", arch.output_dim),
                name=f"random {'teacher' if teacher else 'critical'} case, seed {seed}")


def demo_case() -> Case:
    """The demo's exact critical point (deterministic)."""
    arch = Architecture.build([1, 2, 1], "z/(1 + z**2)")
    theta = Params.from_flat(
        arch, [Fraction(1), Fraction(-1, 2), Fraction(1, 3), Fraction(1, 4), Fraction(2), Fraction(-3, 2), Fraction(1, 5)]
    )
    X = [[Fraction(v)] for v in (-2, -1, Fraction(-1, 3), 0, Fraction(1, 2), 1, 2, 3)]
    Y = critical_targets(arch, theta, X, seed=1)
    return Case(arch, theta, X, Y, parse_loss("mse", 1), name="demo: exact critical point, 1-2-1, z/(1+z^2)")


def spec_t4_example() -> Case:
    """docs/depth.md T4 worked example: x = (−2..3), the linear least-squares fit w = 1/2, b = 1/3."""
    from fractions import Fraction as Fr

    arch = Architecture.build([1, 1], [])
    X = [[Fr(v)] for v in (-2, -1, 0, 1, 2, 3)]
    Y = [[Fr(13, 3)], [Fr(-55, 6)], [Fr(7, 3)], [Fr(17, 6)], [Fr(7, 3)], [Fr(5, 6)]]
    params = Params.from_flat(arch, [Fr(1, 2), Fr(1, 3)])
    return Case(arch, params, X, Y, parse_loss("mse", 1), name="T4 worked-example data, linear fit w=1/2, b=1/3")


# ---------------------------------------------------------------------------
# random small cases for cards and conjectures (random, critical or teacher data)
# ---------------------------------------------------------------------------

TARGETS = ("random", "critical", "teacher")


def off_kinks(arch: Architecture, params: Params, X: Sequence[Sequence[Any]]) -> bool:
    """True when no pre-activation of a training input is on a kink."""
    from exactlift.arith.contexts import get_context

    if not any(a.kind == "piecewise" for a in arch.activations):
        return True  # smooth activations have no kinks (and may have no exact values)
    ctx = get_context("exact")
    try:
        forward(arch, params.convert(ctx), ctx.array(X, "x"), ctx)
    except KinkError:
        return False
    return True


def distinct_inputs(n: int, dim: int, seed: int = 0, size: int = 3, denominators: int = 3) -> list[list[Fraction]]:
    """n *distinct* random rational input rows (a repeated input lets a residual cancel on it,
    which makes degenerate critical points); the range grows when the small one runs out.

    >>> X = distinct_inputs(30, 1, seed=2)
    >>> len({tuple(x) for x in X})
    30
    """
    import random

    from exactlift.nn.data import random_rational

    rng = random.Random(seed)
    rows: list[list[Fraction]] = []
    seen: set[tuple[Fraction, ...]] = set()
    tries = 0
    while len(rows) < n:
        tries += 1
        if tries % (20 * n) == 0:
            size, denominators = size + 2, denominators + 1
        row = [random_rational(rng, size, denominators) for _ in range(dim)]
        if tuple(row) not in seen:
            seen.add(tuple(row))
            rows.append(row)
    return rows


def small_case(
    widths: Sequence[int],
    activation: Any = "relu",
    n: int | None = 4,
    seed: int = 0,
    targets: str = "random",
    loss: str = "mse",
    bias: Any = True,
    size: int = 3,
    denominators: int = 3,
    tries: int = 50,
    name: str | None = None,
) -> Case:
    """A reproducible small exact case.

    ``targets``: ``"random"`` (random rational y), ``"critical"`` (θ is an
    exact critical point with non-zero loss, docs/mathematics.md) or ``"teacher"``
    (y = f_θ(x): a global minimum).  ``n=None`` takes P/d_out + 2 points,
    enough for Jᵀ to have a kernel.  Seeds ``seed, seed+1000, …`` are tried
    until the inputs avoid every kink (and, for ``"critical"``, until Jᵀ has a
    non-trivial kernel).
    """
    if targets not in TARGETS:
        raise InputError(f"targets must be one of {', '.join(TARGETS)}, got {targets!r}")
    arch = Architecture.build(list(widths), activation, bias)
    if n is None:  # enough points for a residual in ker J^T (critical targets)
        n = arch.n_params // arch.output_dim + 2
    if targets != "random" and not all(a.exact_capable for a in arch.activations):
        raise InputError(f"targets={targets!r} needs exact activation values; {activation} has none "
                         "(use targets='random' and mp arithmetic)")
    last: Exception | None = None
    for attempt in range(tries):
        s = seed + 1000 * attempt
        params = random_params(arch, s, size=size, denominators=denominators)
        X = distinct_inputs(n, arch.input_dim, s + 1, size=size, denominators=denominators)
        if not off_kinks(arch, params, X):
            continue
        try:
            if targets == "critical":
                Y = critical_targets(arch, params, X, seed=s)
            elif targets == "teacher":
                Y = teacher_targets(arch, params, X)
            else:
                Y = random_inputs(n, arch.output_dim, s + 2, size=size, denominators=denominators)
        except InputError as exc:
            last = exc
            continue
        label = name if name is not None else (
            f"{'-'.join(map(str, widths))} {arch.activations[0].spec if arch.activations else 'linear'}"
            f" n={n} seed={seed} {targets}"
        )
        return Case(arch, params, X, Y, parse_loss(loss, arch.output_dim), name=label)
    raise InputError(
        f"no small case found for {list(widths)} {activation} with {n} points after {tries} seeds"
        + (f" ({last})" if last else "")
    )


# ---------------------------------------------------------------------------
# helpers for cards built on the lift modules
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# gallery cases (exactlift.gallery ships them as case files)
# ---------------------------------------------------------------------------


def scaled_residual_case(case: Case, scale: Any, name: str | None = None) -> Case:
    """The same θ and inputs with the residual e = f_θ(x) − y multiplied by ``scale``.

    Jᵀe = 0 is linear in e, so a critical θ stays critical; the residual part of
    the Hessian, Σᵢ eᵢ ∇²fᵢ, is multiplied by ``scale`` (a larger residual can
    turn a minimum into a saddle).

    >>> c = scaled_residual_case(demo_case(), 2)
    >>> from exactlift.analysis import analyze
    >>> analyze(c).critical
    True
    """
    from exactlift.nn.data import network_outputs

    s = Fraction(scale)
    f = network_outputs(case.arch, case.params, case.X)
    Y = [[fk - s * (fk - Fraction(yk)) for fk, yk in zip(fi, yi)] for fi, yi in zip(f, case.Y)]
    return Case(case.arch, case.params, case.X, Y, case.loss, name=case.name if name is None else name)


def relu_minimum_case() -> Case:
    """A 1-2-1 ReLU critical point with non-zero loss whose Hessian is positive semidefinite
    with kernel exactly the two rescaling directions (w_j, b_j, −a_j) of its hidden neurons.

    >>> from exactlift.analysis import analyze
    >>> a = analyze(relu_minimum_case())
    >>> a.critical, a.inertia
    (True, (0, 2, 5))
    """
    return small_case([1, 2, 1], "relu", None, 4, "critical", name="relu minimum: 1-2-1 ReLU critical point")


def relu_saddle_case() -> Case:
    """A 2-2-2-1 ReLU critical point with non-zero loss and a negative Hessian eigenvalue (strict saddle).

    >>> from exactlift.analysis import analyze
    >>> a = analyze(relu_saddle_case())
    >>> a.critical, a.inertia[0]
    (True, 1)
    """
    return scaled_residual_case(small_case([2, 2, 2, 1], "relu", None, 3, "critical"), 10,
                                name="relu saddle: 2-2-2-1 ReLU critical point")


TANH_START = {
    # a 1-1-1 tanh net: starting θ = (w, b, a, c) and data near a tanh teacher (rounded, plus noise)
    "theta": ["1", "1/2", "2", "-1/2"],
    "x": ["-2", "-1", "-1/2", "0", "1/2", "1", "2"],
    "y": ["-211/100", "-81/50", "-2/5", "21/100", "61/50", "131/100", "137/100"],
}


def tanh_start_case() -> Case:
    """A 1-1-1 tanh case near (not at) a strict local minimum; refine it with
    :func:`exactlift.certify.critical.certify_critical_point`.

    >>> tanh_start_case().arch.describe()
    '1-1-1 net, activation(s) tanh, biases'
    """
    arch = Architecture.build([1, 1, 1], "tanh")
    params = Params.from_flat(arch, [Fraction(t) for t in TANH_START["theta"]])
    X = [[Fraction(x)] for x in TANH_START["x"]]
    Y = [[Fraction(y)] for y in TANH_START["y"]]
    return Case(arch, params, X, Y, parse_loss("mse", 1), name="tanh minimum: 1-1-1 tanh net")
