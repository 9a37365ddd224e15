"""The FLINT Hessian (JᵀΛJ + bilinear correction) against the layered one and against naive SymPy."""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest
import sympy

from exactlift.arith.contexts import ExactContext, get_context
from exactlift.arith.linalg.inertia import inertia_result
from exactlift.calculus.backprop import derivatives, forward
from exactlift.calculus.gram_hessian import layer_indices
from exactlift.errors import KinkError
from exactlift.calculus.naive import naive_derivatives
from exactlift.nn.examples import small_case
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture, Params

flint = pytest.importorskip("flint")


def rand(rng: random.Random) -> Fraction:
    return Fraction(rng.randint(-7, 7), rng.randint(1, 4))


def random_case(widths, act, bias, seed, n):
    """Random exact θ, inputs and targets, the first seed from ``seed`` on that avoids every kink."""
    arch = Architecture.build(widths, act, bias)
    ctx = get_context("exact")
    for attempt in range(100):
        rng = random.Random(seed + 1000 * attempt)
        theta = [rand(rng) for _ in range(arch.n_params)]
        X = [[rand(rng) for _ in range(widths[0])] for _ in range(n)]
        Y = [[rand(rng) for _ in range(widths[-1])] for _ in range(n)]
        try:
            forward(arch, Params.from_flat(arch, [ctx.convert(t) for t in theta]), ctx.array(X), ctx)
        except KinkError:
            continue
        return arch, theta, X, Y
    raise AssertionError("no kink-free case")


def both(arch, theta, X, Y, loss):
    ctx = ExactContext(use_flint=True)
    with ctx.active():
        p = Params.from_flat(arch, [ctx.convert(t) for t in theta])
        new = derivatives(arch, p, ctx.array(X), ctx.array(Y), loss, ctx)
        old = derivatives(arch, p, ctx.array(X), ctx.array(Y), loss, ctx, gram=False)
    return new, old


# widths, activation, biases, loss: gaps of 1, 2 and 3 layers between bilinear partners
PIECEWISE = [
    ([2, 3, 1], "relu", True, "mse"),
    ([2, 3, 2], "leaky_relu(1/3)", [True, False], "mse"),
    ([1, 3, 3, 1], "relu", True, "mse"),
    ([2, 2, 3, 2], "leaky_relu(1/3)", [True, False, True], "(f0 - y0)**2 + 3*(f1 - y1)**4"),
    ([1, 2, 2, 2, 1], "hard_tanh", True, "mse"),
    ([2, 3, 2, 2, 2], "relu", [False, True, True, False], "mse"),
    ([2, 2, 1], "identity", True, "(f - y)**4"),
]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("widths,act,bias,loss", PIECEWISE)
def test_flint_hessian_equals_layered_entry_by_entry(widths, act, bias, loss, seed) -> None:
    arch, theta, X, Y = random_case(widths, act, bias, seed, n=5)
    new, old = both(arch, theta, X, Y, parse_loss(loss, widths[-1]))
    assert new.gram is not None and old.gram is None
    assert new.hessian.shape == old.hessian.shape == (arch.n_params, arch.n_params)
    assert all(a == b for a, b in zip(new.hessian.ravel(), old.hessian.ravel()))
    assert new.gradient == old.gradient and new.loss == old.loss


@pytest.mark.parametrize("widths,act,bias,loss", [
    *PIECEWISE[:2], *(pytest.param(*c, marks=pytest.mark.slow) for c in PIECEWISE[2:4])])
def test_flint_hessian_equals_naive_sympy(widths, act, bias, loss) -> None:
    arch, theta, X, Y = random_case(widths, act, bias, 11, n=3)
    parsed = parse_loss(loss, widths[-1])
    new, _ = both(arch, theta, X, Y, parsed)
    _, _, H = naive_derivatives(arch, theta, X, Y, parsed)
    P = arch.n_params
    assert all(sympy.Rational(str(new.hessian[i, j])) == H[i, j] for i in range(P) for j in range(P))


def test_smooth_activations_keep_the_layered_hessian() -> None:
    arch, theta, X, Y = random_case([1, 2, 1], "z + z**3", True, 0, n=3)
    new, old = both(arch, theta, X, Y, parse_loss("mse", 1))
    assert new.gram is None and new.hessian_matrix is None
    assert all(a == b for a, b in zip(new.hessian.ravel(), old.hessian.ravel()))


def test_pure_python_context_keeps_the_layered_hessian() -> None:
    arch, theta, X, Y = random_case([2, 3, 1], "relu", True, 0, n=4)
    ctx = ExactContext(use_flint=False)
    d = derivatives(arch, Params.from_flat(arch, theta), ctx.array(X), ctx.array(Y), "mse", ctx)
    assert d.gram is None
    new, _ = both(arch, theta, X, Y, parse_loss("mse", 1))
    assert all(Fraction(str(a)) == b for a, b in zip(new.hessian.ravel(), d.hessian.ravel()))


@pytest.mark.parametrize("targets", ["teacher", "critical", "random"])
def test_hessian_inertia_agrees_with_the_matrix_pipeline(targets) -> None:
    case = small_case([2, 4, 3, 1], "relu", n=6, targets=targets, seed=2, size=5, denominators=3)
    ctx = get_context("exact")
    with ctx.active():
        X, Y = case.arrays(ctx)
        d = derivatives(case.arch, case.params, X, Y, case.loss, ctx)
    res = d.hessian_inertia_result()
    assert res.inertia == inertia_result(d.hessian, method="charpoly").inertia
    assert res.inertia == inertia_result(np.array(d.hessian), method="ldl").inertia
    if targets == "teacher":  # zero residual: n·H = JᵀΛJ exactly, decided from the factors
        assert d.gram.correction_zero and res.path == "gram"
    else:
        assert not d.gram.correction_zero and res.path != "gram"


def planted(widths, act, seed, neuron_params):
    """A random case with the listed parameters set: (flat index, value) pairs."""
    arch, theta, X, Y = random_case(widths, act, True, seed, n=5)
    for i, v in neuron_params(arch):
        theta[i] = Fraction(v)
    return arch, theta, X, Y


def dead_first_neuron(arch):
    """Neuron 0 of hidden layer 1 switched off on every input: zero weights, bias −1."""
    row = layer_indices(arch, 1)[0]
    return [(int(i), 0) for i in row[:-1]] + [(int(row[-1]), -1)]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("widths", [[2, 3, 1], [1, 3, 3, 1]])
def test_dead_neurons_leave_the_support(widths, seed) -> None:
    arch, theta, X, Y = planted(widths, "relu", seed, dead_first_neuron)
    new, old = both(arch, theta, X, Y, parse_loss("mse", 1))
    dead = {int(i) for i in layer_indices(arch, 1)[0]} | {int(i) for i in layer_indices(arch, 2)[:, 0]}
    assert dead.isdisjoint(new.gram.support) and new.gram.zeros >= len(dead)
    outside = sorted(set(range(arch.n_params)) - set(new.gram.support))
    assert all(old.hessian[i, j] == 0 for i in outside for j in range(arch.n_params))  # the layered H agrees
    assert all(a == b for a, b in zip(new.hessian.ravel(), old.hessian.ravel()))
    assert new.hessian_matrix.entries() == list(old.hessian.ravel())  # the assembled fmpq_mat too
    res = new.hessian_inertia_result()
    assert res.inertia == inertia_result(old.hessian, method="ldl").inertia
    assert res.inertia == inertia_result(old.hessian, method="charpoly").inertia
    assert res.rank == arch.n_params - res.inertia[1]


@pytest.mark.parametrize("seed", range(3))
def test_a_correction_entry_keeps_its_parameter_in_the_support(seed) -> None:
    # identity activation, neuron 0 silenced: h_0 = 0, so the outgoing weight's column of J is
    # zero, but its bilinear term with the incoming weight, Σ δ·x, is not
    def silent(arch):
        row = layer_indices(arch, 1)[0]
        return [(int(i), 0) for i in row]

    arch, theta, X, Y = planted([1, 2, 1], "identity", seed, silent)
    new, old = both(arch, theta, X, Y, parse_loss("mse", 1))
    v0 = int(layer_indices(arch, 2)[0, 0])
    assert old.hessian[v0, v0] == 0 and any(x != 0 for x in old.hessian[v0])
    assert v0 in new.gram.support
    assert all(a == b for a, b in zip(new.hessian.ravel(), old.hessian.ravel()))
    assert new.hessian_inertia_result().inertia == inertia_result(old.hessian, method="ldl").inertia
