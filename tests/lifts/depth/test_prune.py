"""T7 pruning on deep critical points built directly (not by a lift), checked with naive SymPy."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
import sympy

from exactlift.calculus.naive import naive_derivatives, naive_loss
from exactlift.errors import LiftError
from exactlift.lifts.depth.prune import check_prune
from exactlift.lifts.depth.prune import layer_linearization, linearized_layers, prune, prune_layer
from exactlift.nn.case import Case
from exactlift.nn.data import critical_targets
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture, Params


def naive_outputs(case: Case, X):
    """f(x) for each x from the naive SymPy network (loss with y = 0 on one sample is f^2; use the expression)."""
    out = []
    for x in X:
        R, syms = naive_loss(case.arch, [x], [[0] * case.arch.output_dim], parse_loss("(f0)", 1) if case.arch.output_dim == 1 else case.loss)
        out.append(R.xreplace({t: sympy.Rational(v.numerator, v.denominator) for t, v in zip(syms, case.params.flatten())}))
    return out


def deep_case() -> Case:
    """1-2-2-1 ReLU whose second hidden layer is positive on the data (neuron 1 has zero outgoing weight and a mixed pattern)."""
    arch = Architecture.build([1, 2, 2, 1], "relu")
    th = Params.from_flat(arch, [F(1), F(-1, 2), F(1, 3), F(1, 4),      # layer 1
                                 F(1, 2), F(1, 3), F(1), F(1, 7), F(1, 5), F(-2),  # layer 2: neuron 0 always > 0
                                 F(3, 2), F(0), F(-1, 3)])              # layer 3: neuron 1 is null
    X = [[F(v)] for v in (-2, -1, F(-1, 5), F(1, 7), F(3, 5), 1, 2, 3, F(5, 2))]
    return Case(arch, th, X, critical_targets(arch, th, X, seed=4), parse_loss("mse", 1))


def test_linearization_detected():
    case = deep_case()
    lin2 = layer_linearization(case, 2)
    assert lin2.linear and lin2.strength == "exact"
    assert lin2.neurons[0].piece == 1 and lin2.neurons[1].null and lin2.neurons[1].piece is None
    assert not layer_linearization(case, 1).linear
    assert linearized_layers(case) == [2]


def test_prune_preserves_outputs_and_criticality():
    case = deep_case()
    pruned = prune_layer(case, 2)
    assert pruned.arch.widths == (1, 2, 1)
    assert naive_outputs(pruned, case.X) == naive_outputs(case, case.X)
    _, g_deep, _ = naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss, hessian=False)
    _, g_pr, _ = naive_derivatives(pruned.arch, pruned.params.flatten(), pruned.X, pruned.Y, pruned.loss, hessian=False)
    assert all(v == 0 for v in g_deep) and all(v == 0 for v in g_pr)
    # W = B D A and b = B(Dc + gamma) + e by hand: only neuron 0 (slope 1) is kept
    assert list(pruned.params.W[1][0]) == [F(3, 2) * F(1, 2), F(3, 2) * F(1, 3)]
    assert pruned.params.b[1][0] == F(3, 2) * F(1, 5) + F(-1, 3)
    res = check_prune(case)
    assert res.holds is True and res.data["pruned_critical"] and res.data["holds"]


def test_rank_condition_matters():
    """Hidden width 1 between 2 inputs and 2 outputs: DA not injective, BD not surjective."""
    arch = Architecture.build([2, 1, 2], "relu")
    th = Params.from_flat(arch, [F(1), F(1, 2), F(5), F(2), F(-1), F(1, 3), F(1, 4)])
    X = [[F(a, 2), F(b, 3)] for a, b in ((1, 2), (-1, 1), (2, -2), (0, 3), (3, 1), (-2, -1), (1, -3), (2, 2))]
    case = Case(arch, th, X, critical_targets(arch, th, X, seed=0), parse_loss("mse", 2))
    res = check_prune(case, 1)
    assert res.data["deep_critical"] and not res.data["holds"]
    pruned = prune_layer(case, 1)
    _, g, _ = naive_derivatives(pruned.arch, pruned.params.flatten(), pruned.X, pruned.Y, pruned.loss, hessian=False)
    assert any(v != 0 for v in g) and res.data["pruned_critical"] is False
    assert res.holds is True  # the theorem promises nothing without the rank condition


def test_not_prunable():
    case = deep_case()
    with pytest.raises(LiftError, match="neuron 0 of hidden layer 1 is not in one linear piece"):
        prune_layer(case, 1)
    with pytest.raises(LiftError, match="hidden layer 3 does not exist"):
        prune_layer(case, 3)
    shallow = prune_layer(case, 2)
    with pytest.raises(LiftError, match="nothing to prune"):
        prune(shallow)


def test_prune_all():
    case = deep_case()
    pruned, done = prune(case)
    assert done == [2] and pruned.arch.widths == (1, 2, 1)
    assert pruned.extra["depth_prunes"][0]["dropped_null_neurons"] == [1]
