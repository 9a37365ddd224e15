"""Shared cases and independent references of the width tests (from test_width_second_order.py).

Nothing here calls the code under test to compute an expected value."""

from __future__ import annotations

import functools
import json
import random
from fractions import Fraction as F

import pytest
import sympy

from exactlift.arith.linalg import inertia
from exactlift.calculus.naive import naive_derivatives
from exactlift.nn.examples import demo_case
from exactlift.errors import LiftError
from exactlift.lifts import NullNeuron, SplitNeuron
from exactlift.nn.examples import fa_minimum, random_critical_case, vector_output_case
from exactlift.lifts.width import (
    fukumizu_amari,
    null_block_inertia,
    split_block_inertia,
    split_curvature,
    split_directions,
    truly_bad_check,
)
from exactlift.nn.activations import Z
from exactlift.nn.case import Case, case_from_dict
from exactlift.nn.data import critical_targets, random_inputs, random_params, teacher_targets
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture


def rat(M) -> sympy.Matrix:
    """Exact SymPy matrix from an object array of fmpq/Fraction (str keeps it exact)."""
    return sympy.Matrix([[sympy.Rational(str(x)) for x in row] for row in M.tolist()])


def naive_hessian(case: Case) -> sympy.Matrix:
    """sympy.hessian of the full loss (cached: several tests ask for the same wide case)."""
    return _naive_hessian(json.dumps(case.to_dict()))


@functools.lru_cache(maxsize=None)
def _naive_hessian(doc: str) -> sympy.Matrix:
    case = case_from_dict(json.loads(doc))
    return naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss)[2]


def indep_curvature(case: Case, s: int) -> tuple[sympy.Matrix, sympy.Matrix]:
    """M_s, G_s of a one-hidden-layer net with squared loss, from the definitions."""
    arch = case.arch
    assert arch.n_hidden == 1 and case.loss.spec == "mse"
    expr = arch.activations[0].expr
    d1, d2 = sympy.diff(expr, Z), sympy.diff(expr, Z, 2)
    W1 = sympy.Matrix(case.params.W[0].tolist())
    b1 = sympy.Matrix(list(case.params.b[0]))
    W2 = sympy.Matrix(case.params.W[1].tolist())
    b2 = sympy.Matrix(list(case.params.b[1]))
    n, k, m = len(case.X), arch.input_dim + 1, arch.output_dim
    M, G = sympy.zeros(k, k), sympy.zeros(m, k)
    for x, y in zip(case.X, case.Y):
        xv = sympy.Matrix(x)
        z = W1 * xv + b1
        f = W2 * z.applyfunc(lambda t: expr.subs(Z, t)) + b2
        delta = 2 * (f - sympy.Matrix(y))
        h = sympy.Matrix(list(x) + [1])
        zs = z[s]
        M += d2.subs(Z, zs) * (W2[:, s].T * delta)[0] * h * h.T / n
        G += d1.subs(Z, zs) * delta * h.T / n
    return M, G


def indep_C(case: Case) -> sympy.Matrix:
    """C = σ′(0)(1/n) Σ_i δ_i h̃_iᵀ of a one-hidden-layer net, from the definition."""
    expr = case.arch.activations[0].expr
    s1 = sympy.diff(expr, Z).subs(Z, 0)
    W1, b1 = sympy.Matrix(case.params.W[0].tolist()), sympy.Matrix(list(case.params.b[0]))
    W2, b2 = sympy.Matrix(case.params.W[1].tolist()), sympy.Matrix(list(case.params.b[1]))
    C = sympy.zeros(case.arch.output_dim, case.arch.input_dim + 1)
    for x, y in zip(case.X, case.Y):
        f = W2 * (W1 * sympy.Matrix(x) + b1).applyfunc(lambda t: expr.subs(Z, t)) + b2
        C += s1 * 2 * (f - sympy.Matrix(y)) * sympy.Matrix(list(x) + [1]).T / len(case.X)
    return C


def fa_indefinite_case() -> Case:
    arch = Architecture.build([1, 1, 1], "z/(1 + z**2)")
    theta = random_params(arch, seed=5, size=3, denominators=2)
    X = random_inputs(6, 1, seed=1005, size=3, denominators=2)
    return Case(arch, theta, X, critical_targets(arch, theta, X, seed=5), parse_loss("mse", 1))


CASES_1H = {
    "psd": lambda: fa_minimum("psd"),
    "nsd": lambda: fa_minimum("nsd"),
    "indefinite": fa_indefinite_case,
    "demo": demo_case,
    "vector": vector_output_case,
}


# ---------------------------------------------------------------------------
# M_s and G_s against their definitions; the K block against the naive Hessian
# ---------------------------------------------------------------------------


def small_deep_case(seed: int = 3) -> Case:
    """A 1-2-2-1 net at a non-critical θ with 2 samples (the block formula holds at every θ)."""
    arch = Architecture.build([1, 2, 2, 1], "z + z**3/3")
    theta = random_params(arch, seed=seed, size=2, denominators=2)
    X = random_inputs(2, 1, seed=seed + 1, size=2, denominators=2)
    Y = [[F(k, 3)] for k in range(2)]
    return Case(arch, theta, X, Y, parse_loss("mse", 1))


def check_K_deep(alpha: F) -> None:
    case = small_deep_case()
    sc = split_curvature(case, 1, 1)
    H = naive_hessian(SplitNeuron(1, 1, alpha).apply_case(case))
    DE = sympy.Matrix(split_directions(case.arch, 1, 1, alpha).dense().tolist())
    assert DE.T * H * DE == rat(sc.K(alpha))


ALPHAS = [F(-2), F(-1, 2), F(1, 4), F(1, 2), F(3, 4), F(3, 2), F(3)]


def naive_saddle(case: Case, alpha: F) -> bool:
    return inertia(naive_hessian(SplitNeuron(1, 0, alpha).apply_case(case)))[0] >= 1
