"""Shared cases and independent references of the width tests (from test_width_checks.py).

Nothing here calls the code under test to compute an expected value."""

from __future__ import annotations

import functools
import json
from fractions import Fraction as F

import mpmath
import pytest
import sympy

from exactlift.arith.contexts import get_context
from exactlift.arith.linalg import inertia
from exactlift.calculus.backprop import forward
from exactlift.calculus.naive import naive_derivatives
from exactlift.nn.examples import demo_case
from exactlift.lifts import NullNeuron, OddSplitNeuron, Permute, SplitNeuron, compose
from exactlift.lifts.width import check_block_formulas, check_embedding
from exactlift.lifts.width import (
    EmbeddingPoint,
    check_criticality,
    check_gradient_transfer,
    check_hessian_relations,
    check_inertia_monotone,
    check_null_condition,
    check_output_preservation,
    check_split_line,
)
from exactlift.nn.examples import random_critical_case
from exactlift.nn.case import Case, case_from_dict
from exactlift.nn.data import random_inputs, random_params, random_rational
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture


def naive(case: Case, hessian: bool = True):
    return _naive(json.dumps(case.to_dict()), hessian)


@functools.lru_cache(maxsize=None)
def _naive(doc: str, hessian: bool):
    case = case_from_dict(json.loads(doc))
    return naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss, hessian=hessian)


def random_case(widths, activation="z/(1 + z**2)", seed=0, n=3, bias=True) -> Case:
    """A random, generally non-critical, case."""
    import random

    rng = random.Random(seed)
    arch = Architecture.build(widths, activation, bias)
    theta = random_params(arch, seed=seed, size=3, denominators=3)
    X = random_inputs(n, arch.input_dim, seed=seed + 1, size=3, denominators=3)
    Y = [[random_rational(rng, 3, 3) for _ in range(arch.output_dim)] for _ in X]
    return Case(arch, theta, X, Y, parse_loss("mse", arch.output_dim))


def poly_case() -> Case:
    """A cheap exact critical point: 1-2-1, σ = z + z³/3 (cubic outputs: rank J <= 4, so 5 samples suffice)."""
    return random_critical_case([1, 2, 1], "z + z**3/3", seed=1, n_samples=5)


LIFTS_1H = [SplitNeuron(1, 0, F(1, 3)), SplitNeuron(1, 1, F(-2)), NullNeuron(1), Permute(1, (1, 0)),
            compose(SplitNeuron(1, 0, F(1, 2)), NullNeuron(1), SplitNeuron(1, 2, F(3)))]


LIFTS_2H = [SplitNeuron(2, 1, F(2, 5)), compose(NullNeuron(2), SplitNeuron(1, 0, F(-1)))]


# ---------------------------------------------------------------------------
# criticality and the whole split line, vs the naive gradient of the wide net
# ---------------------------------------------------------------------------


def tanh_teacher_case() -> Case:
    """Teacher data for a tanh net: targets rounded from 60-digit outputs (a global minimum up to 1e-55)."""
    arch = Architecture.build([1, 2, 1], "tanh")
    theta = random_params(arch, seed=11, size=2, denominators=3)
    X = [[F(x)] for x in ("-2", "-1/2", "1/3", "1", "3/2")]
    ctx = get_context("mp", 60)
    with ctx.active():
        out = forward(arch, theta.convert(ctx), ctx.array(X), ctx).output
        Y = [[F(mpmath.nstr(v, 60, strip_zeros=False))] for v in out[:, 0]]
    return Case(arch, theta, X, Y, parse_loss("mse", 1))
