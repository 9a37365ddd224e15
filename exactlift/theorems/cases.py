"""Small exact cases for cards and conjectures: random, critical (Jᵀe = 0) or teacher data.

:func:`small_case` draws exact rational parameters and inputs from a seed and
retries (deterministically) until no training input sits on a kink of a
piecewise-linear activation, so cards never hit :class:`~exactlift.errors.KinkError`
by accident.

>>> case = small_case([1, 2, 1], "relu", n=4, seed=0, targets="critical")
>>> from exactlift.analysis import analyze
>>> a = analyze(case)
>>> a.critical, a.loss != "0"
(True, True)
"""

from __future__ import annotations

from typing import Any, Sequence

from exactlift.calculus.backprop import forward
from exactlift.errors import InputError, KinkError
from exactlift.nn.case import Case
from exactlift.nn.data import critical_targets, random_inputs, random_params, teacher_targets
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture, Params

TARGETS = ("random", "critical", "teacher")


def off_kinks(arch: Architecture, params: Params, X: Sequence[Sequence[Any]]) -> bool:
    """True when no pre-activation of a training input is on a kink."""
    from exactlift.arith.contexts import get_context

    ctx = get_context("exact")
    try:
        forward(arch, params.convert(ctx), ctx.array(X, "x"), ctx)
    except KinkError:
        return False
    return True


def small_case(
    widths: Sequence[int],
    activation: Any = "relu",
    n: int = 4,
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
    exact critical point with non-zero loss, SPEC §0) or ``"teacher"``
    (y = f_θ(x): a global minimum).  Seeds ``seed, seed+1000, …`` are tried
    until the inputs avoid every kink (and, for ``"critical"``, until Jᵀ has a
    non-trivial kernel).
    """
    if targets not in TARGETS:
        raise InputError(f"targets must be one of {', '.join(TARGETS)}, got {targets!r}")
    arch = Architecture.build(list(widths), activation, bias)
    last: Exception | None = None
    for attempt in range(tries):
        s = seed + 1000 * attempt
        params = random_params(arch, s, size=size, denominators=denominators)
        X = random_inputs(n, arch.input_dim, s + 1, size=size, denominators=denominators)
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
