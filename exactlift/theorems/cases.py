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

from fractions import Fraction
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
    exact critical point with non-zero loss, SPEC §0) or ``"teacher"``
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


def step_from_check(check: Any, allow_not_applicable: bool = False) -> Any:
    """A card :class:`~exactlift.theorems.card.Step` from a lift module's check result.

    Works with any object with ``holds`` (True/False/None), ``name`` or
    ``theorem``, ``detail`` and ``strength`` (e.g. the depth module's
    ``TheoremCheck`` and the width module's ``CheckResult``).  ``holds is None``
    (the hypothesis does not apply) is a failure unless ``allow_not_applicable``.
    """
    from exactlift.theorems.card import Step

    holds = getattr(check, "holds", None)
    theorem = getattr(check, "theorem", "")
    name = getattr(check, "name", "") or getattr(check, "statement", "") or type(check).__name__
    label = f"{theorem} {name}".strip()
    strength = getattr(check, "strength", "")
    detail = str(getattr(check, "detail", "") or "")
    if strength:
        detail = f"[{strength}] {detail}".strip()
    if holds is None:
        return Step(label + " (not applicable)", allow_not_applicable, detail)
    return Step(label, bool(holds), detail)


def spec_t4_example() -> Case:
    """SPEC §2 T4 worked example: x = (−2..3), the linear least-squares fit w = 1/2, b = 1/3."""
    from fractions import Fraction as Fr

    arch = Architecture.build([1, 1], [])
    X = [[Fr(v)] for v in (-2, -1, 0, 1, 2, 3)]
    Y = [[Fr(13, 3)], [Fr(-55, 6)], [Fr(7, 3)], [Fr(17, 6)], [Fr(7, 3)], [Fr(5, 6)]]
    params = Params.from_flat(arch, [Fr(1, 2), Fr(1, 3)])
    return Case(arch, params, X, Y, parse_loss("mse", 1), name="SPEC T4 data, linear fit w=1/2, b=1/3")


def depth_cases() -> list[tuple[str, Case, Any]]:
    """Small (shallow critical case, depth lift) pairs used by the depth cards (SPEC §2).

    Needs :mod:`exactlift.lifts.depth`.
    """
    from exactlift.lifts.depth import CriticalLift, IdentityLift

    relu = small_case([1, 2, 1], "relu", None, 0, "critical")
    return [
        ("1-1 linear fit, insert relu after 0", spec_t4_example(), IdentityLift(0)),
        ("1-2-1 relu, insert after 0", relu, IdentityLift(0)),
        ("1-2-1 relu, insert after 1", relu, IdentityLift(1)),
        ("1-2-1 relu, insert width 3 after 1", relu, CriticalLift(1, A=[[1, 0], [0, 1], [1, 1]], c=[10, 10, 10])),
        ("1-2-1 z/(1+z^2), insert relu after 1", small_case([1, 2, 1], "z/(1 + z**2)", None, 1, "critical"),
         IdentityLift(1)),
        ("2-2-1 leaky_relu, insert leaky_relu after 1", small_case([2, 2, 1], "leaky_relu(1/10)", None, 2, "critical"),
         IdentityLift(1, activation="leaky_relu(1/10)")),
        ("1-2-2 relu, insert hard_tanh after 1", small_case([1, 2, 2], "relu", None, 3, "critical"),
         CriticalLift(1, A=[["1/100", 0], [0, "1/100"]], c=["-1/2", "-1/2"], activation="hard_tanh")),
    ]


def width_cases() -> list[tuple[str, Case, Any]]:
    """Small (critical case, width embedding) pairs used by the width cards (SPEC §1).

    Needs :mod:`exactlift.lifts.width`.
    """
    from fractions import Fraction as Fr

    from exactlift.demo import demo_case
    from exactlift.lifts.width import NullNeuron, Permute, SplitNeuron, compose

    demo = demo_case()
    two = small_case([1, 2, 2, 1], "z + z**5/5", None, 1, "critical")
    vec = small_case([2, 2, 2], "leaky_relu(1/10)", None, 2, "critical")
    sig = small_case([1, 2, 1], "1/(1 + z**2)", None, 3, "critical")  # sigma(0) = 1 != 0
    return [
        ("1-2-1 z/(1+z^2): split(1,0,1/3)", demo, SplitNeuron(1, 0, Fr(1, 3))),
        ("1-2-1 z/(1+z^2): split(1,1,2)", demo, SplitNeuron(1, 1, Fr(2))),
        ("1-2-1 z/(1+z^2): null(1)", demo, NullNeuron(1)),
        ("1-2-1 z/(1+z^2): split, null, permute", demo,
         compose(SplitNeuron(1, 0, Fr(1, 3)), NullNeuron(1), Permute(1, (2, 0, 3, 1)))),
        ("1-2-2-1 z+z^5/5: split in layers 1 and 2", two,
         compose(SplitNeuron(1, 1, Fr(-1)), SplitNeuron(2, 0, Fr(1, 2)))),
        ("2-2-2 leaky_relu: split(1,0,3/2)", vec, SplitNeuron(1, 0, Fr(3, 2))),
        ("1-2-1 1/(1+z^2) (sigma(0)=1): null(1) with bias", sig, NullNeuron(1)),
    ]
