"""n₀ irreversibility as a conjecture: random exact trials (docs/width.md).

The papers (2111.15527) state that under a critical embedding the numbers of
negative, zero and positive Hessian eigenvalues never decrease.  For n₋ and n₊
this follows from Tᵀ H_wide T = H_narrow; for n₀ from H_wide T = S_T H_narrow
(T maps ker H_narrow injectively into ker H_wide).  exactlift proves both
relations case by case (:mod:`exactlift.lifts.width`) and keeps this
random search as a conjecture-ledger entry that would catch a counterexample:
:func:`inertia_monotone_trials` runs :func:`~exactlift.lifts.width.check_inertia_monotone`
on random exact cases (several activations, depths, bias patterns, random
compositions of splits, null neurons and permutations).

>>> inertia_monotone_trials(3, seed=1).holds
True
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from exactlift.arith.contexts import get_context
from exactlift.calculus.backprop import forward
from exactlift.errors import InputError, KinkError, validated
from exactlift.lifts.width.embeddings import NullNeuron, Permute, SplitNeuron, WidthLift, compose
from exactlift.certify import jsonable
from exactlift.lifts.width.point import EmbeddingPoint
from exactlift.lifts.width.second_order import check_inertia_monotone
from exactlift.nn.case import Case
from exactlift.nn.data import critical_targets, random_inputs, random_params, random_rational
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture

__all__ = ["TRIAL_ACTIVATIONS", "TRIAL_WIDTHS", "TrialsReport", "check_inertia_monotone", "inertia_monotone_trials",
           "random_trial_case", "random_width_lift"]

TRIAL_ACTIVATIONS = ("z/(1 + z**2)", "z + z**5/5", "relu", "leaky_relu(1/10)", "1/(1 + z**2)", "z + z**2/2")
TRIAL_WIDTHS = ([1, 2, 1], [2, 2, 1], [1, 3, 1], [1, 2, 2, 1], [1, 2, 2], [2, 1, 2, 1])


def random_width_lift(arch: Architecture, rng: random.Random, max_steps: int = 3, allow_null: bool = True) -> WidthLift:
    """A random compatible embedding: 1..max_steps splits, null neurons and permutations.

    >>> lift = random_width_lift(Architecture.build([1, 2, 2, 1]), random.Random(0))
    >>> lift.wide_architecture(Architecture.build([1, 2, 2, 1])).n_params > 13
    True
    """
    steps: list[WidthLift] = []
    cur = arch
    for _ in range(rng.randint(1, max_steps)):
        l = rng.randint(1, cur.n_hidden)
        kind = rng.choice(["split", "split", "null", "permute"] if allow_null else ["split", "split", "permute"])
        if kind == "split":
            step: WidthLift = SplitNeuron(l, rng.randrange(cur.widths[l]),
                                          rng.choice([Fraction(-1), Fraction(1, 3), Fraction(1, 2), Fraction(2), Fraction(3, 2), Fraction(0)]))
        elif kind == "null":
            step = NullNeuron(l)
        else:
            perm = list(range(cur.widths[l]))
            rng.shuffle(perm)
            step = Permute(l, tuple(perm))
        steps.append(step)
        cur = step.wide_architecture(cur)
    return steps[0] if len(steps) == 1 else compose(*steps)


@dataclass
class TrialsReport:
    """Outcome of :func:`inertia_monotone_trials` (counterexamples carry their case file content)."""

    statement: str
    n_cases: int
    n_critical: int
    n_skipped: int
    counterexamples: list[dict]
    by_activation: dict
    by_lift: dict
    seconds: float

    @property
    def holds(self) -> bool:
        return not self.counterexamples

    def to_json(self) -> dict:
        return jsonable(self.__dict__ | {"holds": self.holds})


def random_trial_case(rng: random.Random, critical: bool = True) -> Case:
    """A random small exact case: random widths, activation, bias pattern, θ, inputs; critical targets.

    Raises :class:`~exactlift.errors.KinkError` when a training input sits on
    a kink and :class:`~exactlift.errors.InputError` when no non-zero residual
    exists (the caller draws again).

    >>> random_trial_case(random.Random(5)).n_samples >= 3
    True
    """
    widths = list(rng.choice(TRIAL_WIDTHS))
    act = rng.choice(TRIAL_ACTIVATIONS)
    L = len(widths) - 1
    bias = [rng.random() < 0.8 for _ in range(L)]
    arch = Architecture.build(widths, act, bias)
    theta = random_params(arch, seed=rng.randrange(10**9), size=3, denominators=3)
    n = arch.n_params // arch.output_dim + 2
    X = random_inputs(n, arch.input_dim, seed=rng.randrange(10**9), size=3, denominators=4)
    if critical:
        Y = critical_targets(arch, theta, X, seed=rng.randrange(10**9))
    else:
        Y = [[random_rational(rng, 3, 3) for _ in range(arch.output_dim)] for _ in X]
    case = Case(arch, theta, X, Y, parse_loss("mse", arch.output_dim), name=f"random {arch.describe()}")
    ctx = get_context("exact")
    forward(arch, theta.convert(ctx), ctx.array(X), ctx)  # KinkError now rather than later
    return case


def _lift_kind(lift: WidthLift) -> str:
    steps = lift.steps()
    if len(steps) > 1:
        return "composition"
    return type(steps[0]).__name__


@validated
def inertia_monotone_trials(
    n_cases: int = 50,
    seed: int = 0,
    critical_fraction: float = 0.8,
    time_limit: float | None = None,
    make_lift: Callable[[Architecture, random.Random], WidthLift] | None = None,
) -> TrialsReport:
    """Conjecture (the papers' irreversibility, docs/width.md): n₋, n₀, n₊ never decrease under a critical embedding.

    Random exact cases (activations :data:`TRIAL_ACTIVATIONS`, widths
    :data:`TRIAL_WIDTHS`, biases on or off, random compositions of splits,
    null neurons and permutations from :func:`random_width_lift`, or
    ``make_lift``); mostly critical points, some arbitrary θ (the Hessian
    relations hold at every θ).  A case counts when the lifted point is a
    critical embedding there (S_T exists, or the null condition holds at a
    critical point); draws on a kink are skipped.  Every counterexample is
    returned with its case file content and lift.

    >>> r = inertia_monotone_trials(4, seed=2)
    >>> r.holds, r.n_cases
    (True, 4)
    """
    t0 = time.perf_counter()
    rng = random.Random(seed)
    make = make_lift or (lambda arch, r: random_width_lift(arch, r, allow_null=Fraction(0) not in arch.activations[0].kinks))
    counter: list[dict] = []
    n_done = n_crit = n_skip = 0
    by_act: dict[str, int] = {}
    by_lift: dict[str, int] = {}
    while n_done < n_cases:
        if time_limit is not None and time.perf_counter() - t0 > time_limit:
            break
        try:
            case = random_trial_case(rng, critical=rng.random() < critical_fraction)
        except (KinkError, InputError):
            n_skip += 1
            continue
        lift = make(case.arch, rng)
        p = EmbeddingPoint(case, lift)
        crit = p.narrow_critical
        if p.S is None and not (crit and p.wide_critical):
            n_skip += 1  # not a critical embedding at this point (null condition fails)
            continue
        r = check_inertia_monotone(p)
        n_done += 1
        n_crit += bool(crit)
        key = case.arch.activations[0].spec
        by_act[key] = by_act.get(key, 0) + 1
        by_lift[_lift_kind(lift)] = by_lift.get(_lift_kind(lift), 0) + 1
        if not r.holds:
            counter.append({"lift": str(lift), "case": case.to_dict(), "narrow": r.data["narrow"],
                            "wide": r.data["wide"], "critical": crit, "detail": r.detail})
    return TrialsReport(
        "n-, n0, n+ of the Hessian never decrease under a width embedding with gradient transfer "
        "(split, null, permutation, compositions), at critical points and at arbitrary theta",
        n_done, n_crit, n_skip, counter, by_act, by_lift, time.perf_counter() - t0,
    )
