"""CriticalLift / IdentityLift: (L1)-(L3) on the data, (L2) solved exactly, every refusal by name.

Deep outputs are compared with the naive SymPy forward pass of the deep network
(exactlift.calculus.naive), not with the lift's own bookkeeping.
"""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from fractions import Fraction as F

import pytest
import sympy

from exactlift.errors import ArithmeticModeError, LiftError
from exactlift.lifts.depth import (
    SOURCE,
    CriticalLift,
    IdentityLift,
    activation_range,
    insert_from_option,
    insert_json_from_option,
    pseudo_inverse,
)
from exactlift.nn.case import Case, case_from_dict
from exactlift.nn.data import critical_targets
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture, Params

XS = [-2, -1, 0, 1, 2, 3]
YS = ["13/3", "-55/6", "7/3", "17/6", "7/3", "5/6"]


def spec_case() -> Case:
    """docs/depth.md T4: the linear fit w = 1/2, b = 1/3."""
    return case_from_dict({"network": {"widths": [1, 1], "params": {"W": [[["1/2"]]], "b": [["1/3"]]},
                                       "data": {"x": [[str(x)] for x in XS], "y": [[y] for y in YS]}}})


def relu_case() -> Case:
    arch = Architecture.build([1, 2, 1], "relu")
    th = Params.from_flat(arch, [F(1), F(-1, 2), F(1, 3), F(1, 4), F(2), F(-3, 2), F(1, 5)])
    X = [[F(v)] for v in (-2, -1, F(-1, 5), F(1, 7), F(3, 5), 1, 2, 3)]
    return Case(arch, th, X, critical_targets(arch, th, X, seed=1), parse_loss("mse", 1))


def naive_outputs(case: Case) -> list[list[sympy.Expr]]:
    """Outputs from the naive SymPy network (independent of backprop and of the lift code)."""
    outs = []
    theta = [sympy.Rational(x.numerator, x.denominator) for x in case.params.flatten()]
    arch = case.arch
    for x in case.X:
        # the residual trick: naive loss with y = 0 and a single sample is ||f(x)||^2; take f from Piecewise forward
        h = sympy.Matrix([sympy.Rational(v.numerator, v.denominator) for v in x])
        pos = 0
        for l in range(1, arch.n_layers + 1):
            mo, mi = arch.widths[l], arch.widths[l - 1]
            W = sympy.Matrix(mo, mi, theta[pos:pos + mo * mi]); pos += mo * mi
            b = sympy.zeros(mo, 1)
            if arch.biases[l - 1]:
                b = sympy.Matrix(theta[pos:pos + mo]); pos += mo
            z = W * h + b
            h = z.applyfunc(arch.activations[l - 1].sympy_function) if l < arch.n_layers else z
        outs.append(list(h))
    return outs


def test_spec_example_lift_values():
    r = CriticalLift(0, [[1]], [5]).lift(spec_case())
    # (L2) by hand: B * 1 * 1 = 1/2, e = 1/3 - B * 5
    assert r.B == ((F(1, 2),),) and r.e == (F(-13, 6),)
    assert r.D == (F(1),) and r.gamma == (F(0),)
    assert r.deep.arch.widths == (1, 1, 1)
    assert naive_outputs(r.deep) == naive_outputs(spec_case())
    assert r.source == SOURCE == "exactlift formalization of arXiv 2205.13283"


def test_general_lift_preserves_outputs_and_solves_L2():
    case = relu_case()
    lift = CriticalLift(1, [[1, 2], [F(1, 2), 0], [3, F(1, 3)]], [1, 2, F(1, 7)], "relu")
    r = lift.lift(case)
    assert r.deep.arch.widths == (1, 2, 3, 1)
    assert naive_outputs(r.deep) == naive_outputs(case)
    # B D A = W exactly, recomputed here
    W = [[case.params.W[1][0, 0], case.params.W[1][0, 1]]]
    BDA = [[sum(r.B[0][k] * r.D[k] * r.A[k][l] for k in range(3)) for l in range(2)]]
    assert BDA == W
    # minimum-norm B: orthogonal to the kernel of (DA)^T, i.e. B = B (DA)(DA)^+
    assert r.deep.extra["depth_lifts"][-1]["source"] == SOURCE


def test_leaky_relu_negative_piece_and_hard_tanh():
    case = relu_case()
    r = CriticalLift(1, [[-1, 0], [0, -1]], [-1, -1], "leaky_relu(1/10)").lift(case)
    assert r.D == (F(1, 10), F(1, 10))
    assert naive_outputs(r.deep) == naive_outputs(case)
    r2 = CriticalLift(0, [[F(1, 10)]], [0], "hard_tanh").lift(spec_case())
    assert r2.D == (F(1),) and naive_outputs(r2.deep) == naive_outputs(spec_case())


def test_identity_lift_auto_shift():
    case = spec_case()
    r = IdentityLift(0).lift(case)
    # min x = -2: the smallest integer shift with x + shift > 0 is 3
    assert r.c == (F(3),) and r.A == ((F(1),),)
    assert naive_outputs(r.deep) == naive_outputs(case)
    assert IdentityLift(1).lift(relu_case()).c == (F(1), F(1))  # relu outputs >= 0
    with pytest.raises(LiftError, match="width m_q = 2"):
        IdentityLift(1, width=3).lift(relu_case())


def test_dead_neuron_in_negative_piece_is_allowed():
    # neuron 1 is always in relu's flat piece: D = 0 there, B's column becomes 0 (minimum norm)
    r = CriticalLift(0, [[1], [1]], [5, -10]).lift(spec_case())
    assert r.D == (F(1), F(0))
    assert r.B[0][1] == 0 and naive_outputs(r.deep) == naive_outputs(spec_case())


@pytest.mark.parametrize("act", ["tanh", "sigmoid", "softplus", "z + z**3"])
def test_activation_without_linear_piece_is_refused(act):
    with pytest.raises(LiftError, match="no linear piece, so no exact critical lift"):
        CriticalLift(0, [[1]], [5], act)


def test_undefined_sigma_refused():
    with pytest.raises(LiftError, match="undefined activation"):
        CriticalLift(0, [[1]], [5], "sigma")


def test_mixed_pattern_refused_with_samples_named():
    with pytest.raises(LiftError, match=r"\(L1\) fails: inserted neuron 0 is not in one linear piece"):
        CriticalLift(0, [[1]], [F(1, 2)]).lift(spec_case())


def test_kink_refused():
    with pytest.raises(LiftError, match="kink"):
        CriticalLift(0, [[1]], [2]).lift(spec_case())


def test_after_layer_out_of_range():
    with pytest.raises(LiftError, match="AFTER_LAYER must be 0"):
        CriticalLift(1, [[1]], [5]).lift(spec_case())
    with pytest.raises(LiftError, match=r"0 \(right after the input\) \.\. 1"):
        IdentityLift(2).lift(relu_case())
    with pytest.raises(LiftError, match=">= 0"):
        CriticalLift(-1, [[1]], [5])


def test_shape_errors():
    with pytest.raises(LiftError, match="m_q = 2 column"):
        CriticalLift(1, [[1]], [5]).lift(relu_case())
    with pytest.raises(LiftError, match="c has 2 entries"):
        CriticalLift(0, [[1]], [5, 6])
    with pytest.raises(LiftError, match="null neuron 3 does not exist"):
        CriticalLift(0, [[1]], [5], null_neurons=[3])
    with pytest.raises(LiftError, match="every inserted neuron is a null neuron"):
        CriticalLift(0, [[1]], [5], null_neurons=[0])


def test_L2_without_solution():
    # 2-d input, A of rank 1: W's rows are not in the row space of DA
    arch = Architecture.build([2, 1], [])
    th = Params.from_flat(arch, [F(1), F(2), F(0)])
    case = Case(arch, th, [[F(1), F(1)], [F(2), F(-1)]], [[F(0)], [F(1)]], parse_loss("mse", 1))
    with pytest.raises(LiftError, match=r"\(L2\) has no solution"):
        CriticalLift(0, [[1, 1], [2, 2]], [10, 10]).lift(case)


def test_given_B_is_checked():
    with pytest.raises(LiftError, match=r"\(L2\) fails"):
        CriticalLift(0, [[1]], [5], B=[[1]]).lift(spec_case())
    r = CriticalLift(0, [[1]], [5], B=[["1/2"]], e=["-13/6"]).lift(spec_case())
    assert r.e == (F(-13, 6),)


def test_null_neuron_L3_checked_exactly():
    case = spec_case()
    # relu(x - 1/2) satisfies (L3): residuals -2, -1, 1 at t = 1/2, 3/2, 5/2 -> sum r t = 0
    r = CriticalLift(0, [[1], [1]], [5, F(-1, 2)], null_neurons=[1]).lift(case)
    assert r.null_neurons == (1,) and r.l3_sums[1] == (F(0),)
    # relu(x - 3/2) does not: residuals -1, 1 at t = 1/2, 3/2 -> 2*(1/2*(-1) + 3/2) / ... != 0
    with pytest.raises(LiftError, match=r"\(L3\) fails for null neuron 1"):
        CriticalLift(0, [[1], [1]], [5, F(-3, 2)], null_neurons=[1]).lift(case)
    r2 = CriticalLift(0, [[1], [1]], [5, F(-3, 2)], null_neurons=[1], check_l3=False).lift(case)
    assert r2.l3_sums[1] != (F(0),)
    assert naive_outputs(r2.deep) == naive_outputs(case)  # B column 0: outputs kept anyway


def test_no_bias_network():
    arch = Architecture.build([1, 2, 1], "relu", bias=False)
    th = Params.from_flat(arch, [F(1), F(2), F(2), F(3)])
    case = Case(arch, th, [[F(1)], [F(2)], [F(3)]], [[F(0)], [F(1)], [F(1)]], parse_loss("mse", 1))
    r = CriticalLift(1, [[1, 0], [0, 1]], None).lift(case)
    assert r.deep.arch.biases == (False, False, False)
    assert naive_outputs(r.deep) == naive_outputs(case)
    with pytest.raises(LiftError, match="no bias"):
        CriticalLift(1, [[1, 0], [0, 1]], [1, 1]).lift(case)
    with pytest.raises(LiftError, match="kink"):
        CriticalLift(0, [[1]], None).lift(case.with_params(case.arch, case.params, X=[[F(0)], [F(1)], [F(2)]]))


def test_lift_is_immutable_and_prints():
    lift = CriticalLift(0, [[1]], [5])
    with pytest.raises(FrozenInstanceError):
        lift.after_layer = 1  # type: ignore[misc]
    assert str(lift) == "insert(after_layer=0, width=1, activation=relu)"
    assert str(IdentityLift(1, shift=2)) == "insert(after_layer=1, identity, shift=2, activation=relu)"
    assert lift.apply(spec_case()) == lift.apply_case(spec_case())


def test_pseudo_inverse_properties():
    M = [[F(1), F(2)], [F(2), F(4)], [F(0), F(1)]]
    P = pseudo_inverse(M)
    Ms, Ps = sympy.Matrix(M), sympy.Matrix(P)
    assert Ms * Ps * Ms == Ms and Ps * Ms * Ps == Ps
    assert (Ms * Ps).T == Ms * Ps and (Ps * Ms).T == Ps * Ms
    assert Ps == Ms.pinv()


def test_activation_ranges():
    assert activation_range("tanh") == (F(-1), F(1))
    assert activation_range("leaky_relu(1/10)") == (None, None)


def test_insert_option_parsing():
    assert insert_from_option("1") == IdentityLift(1)
    assert insert_from_option(" 0:identity ") == IdentityLift(0)
    assert insert_from_option("2:identity:5/2").shift == F(5, 2)
    for bad in ["x", "1:relu", "1:identity:", "-1", "1:identity:1.5.2", ""]:
        with pytest.raises(LiftError):
            insert_from_option(bad)


def test_insert_json(tmp_path):
    p = tmp_path / "ins.json"
    p.write_text(json.dumps({"after_layer": 0, "A": [["1"], [1]], "c": ["5", "-1/2"], "null_neurons": [1],
                             "activation": "relu"}))
    lift = insert_json_from_option(str(p))
    assert lift.null_neurons == (1,) and lift.c == (F(5), F(-1, 2))
    cases = {
        "missing.json": None,
        "bad.json": "{not json",
        "list.json": "[1, 2]",
        "unknown.json": json.dumps({"after_layer": 0, "A": [[1]], "c": [1], "W": 3}),
        "noA.json": json.dumps({"after_layer": 0}),
        "float.json": json.dumps({"after_layer": 0, "A": [[0.5]], "c": [1]}),
        "q.json": json.dumps({"after_layer": "0", "A": [[1]], "c": [1]}),
        "nulls.json": json.dumps({"after_layer": 0, "A": [[1]], "c": [1], "null_neurons": "0"}),
        "tanh.json": json.dumps({"after_layer": 0, "A": [[1]], "c": [1], "activation": "tanh"}),
    }
    for name, text in cases.items():
        f = tmp_path / name
        if text is not None:
            f.write_text(text)
        with pytest.raises(LiftError, match="--insert-json"):
            insert_json_from_option(str(f))


def test_exact_arithmetic_refused_below_tanh():
    arch = Architecture.build([1, 2, 1], "tanh")
    th = Params.from_flat(arch, [F(1), F(-1), F(0), F(1), F(1), F(2), F(0)])
    case = Case(arch, th, [[F(1)], [F(2)]], [[F(0)], [F(1)]], parse_loss("mse", 1))
    with pytest.raises(ArithmeticModeError, match="no exact rational values"):
        CriticalLift(1, [[1, 0], [0, 1]], [2, 2], arithmetic="exact").lift(case)
    r = CriticalLift(1, [[1, 0], [0, 1]], [2, 2]).lift(case)
    assert r.l1_strength == "exact" and r.l1_method.startswith("range bound")
    r = CriticalLift(1, [[1, 0], [0, 1]], [F(9, 10), F(9, 10)]).lift(case)  # range bound undecided: mp
    assert r.l1_strength == "numerical"
