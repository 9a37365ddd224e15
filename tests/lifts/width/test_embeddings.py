"""Width lifts as data: maps, matrices, composition, printing, and every refusal by name.

The reference for every map is a hand-written numpy construction of the docs/width.md
definitions (``hand_*`` below), not the lifts' own bookkeeping.
"""

from __future__ import annotations

import random
from dataclasses import FrozenInstanceError
from fractions import Fraction as F

import mpmath
import numpy as np
import pytest
import sympy

from exactlift.arith.linalg import rank
from exactlift.errors import FloatInExactError, InputError, LiftError
from exactlift.lifts import CompatibleEmbedding, NullNeuron, OddSplitNeuron, Permute, SplitNeuron, compose
from exactlift.lifts.width import activation_is_odd, null_from_option, permute_from_option, split_from_option
from exactlift.nn.activations import parse_activation
from exactlift.nn.data import random_params
from exactlift.nn.network import Architecture, Params

ARCHS = [
    Architecture.build([1, 2, 1], "relu"),
    Architecture.build([2, 3, 2], "tanh"),
    Architecture.build([1, 2, 2, 1], "z/(1 + z**2)"),
    Architecture.build([2, 2, 3, 1], "relu", [False, True, False]),
    Architecture.build([1, 3, 1], "relu", False),
]


# ---------------------------------------------------------------------------
# independent references: docs/width.md definitions in numpy
# ---------------------------------------------------------------------------


def copy_params(p: Params) -> tuple[list, list]:
    return [w.copy() for w in p.W], [None if b is None else b.copy() for b in p.b]


def hand_split(p: Params, l: int, s: int, a, sign: int = 1):
    W, b = copy_params(p)
    W[l - 1] = np.vstack([W[l - 1], sign * W[l - 1][s : s + 1, :]])
    if b[l - 1] is not None:
        b[l - 1] = np.concatenate([b[l - 1], np.array([sign * b[l - 1][s]], dtype=object)])
    col = W[l][:, s].copy()
    new = np.array([sign * (1 - a) * c for c in col], dtype=object)
    W[l] = np.hstack([W[l], new[:, None]])
    W[l][:, s] = np.array([a * c for c in col], dtype=object)
    return W, b


def hand_null(p: Params, l: int):
    W, b = copy_params(p)
    W[l - 1] = np.vstack([W[l - 1], np.array([[F(0)] * W[l - 1].shape[1]], dtype=object)])
    if b[l - 1] is not None:
        b[l - 1] = np.concatenate([b[l - 1], np.array([F(0)], dtype=object)])
    W[l] = np.hstack([W[l], np.array([[F(0)]] * W[l].shape[0], dtype=object)])
    return W, b


def hand_permute(p: Params, l: int, perm):
    W, b = copy_params(p)
    W[l - 1] = W[l - 1][list(perm), :]
    if b[l - 1] is not None:
        b[l - 1] = b[l - 1][list(perm)]
    W[l] = W[l][:, list(perm)]
    return W, b


def same(params: Params, W, b) -> bool:
    ok = all(w1.shape == w2.shape and all(x == y for x, y in zip(w1.ravel(), w2.ravel())) for w1, w2 in zip(params.W, W))
    for b1, b2 in zip(params.b, b):
        ok &= (b1 is None) == (b2 is None)
        if b1 is not None:
            ok &= list(b1) == list(b2)
    return ok


def dense_dot(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    return np.array(sympy.Matrix(A.tolist()) * sympy.Matrix(B.tolist()), dtype=object)


def random_lift_for(arch: Architecture, rng: random.Random):
    l = rng.randint(1, arch.n_hidden)
    kind = rng.choice(["split", "null", "permute"])
    if kind == "split":
        return SplitNeuron(l, rng.randrange(arch.widths[l]), rng.choice([F(1, 3), F(-1), F(2), F(0)]))
    if kind == "null":
        return NullNeuron(l)
    perm = list(range(arch.widths[l]))
    rng.shuffle(perm)
    return Permute(l, tuple(perm))


# ---------------------------------------------------------------------------
# maps against the definitions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("arch", ARCHS, ids=lambda a: a.describe())
def test_split_matches_definition(arch):
    p = random_params(arch, seed=3)
    for l in range(1, arch.n_hidden + 1):
        for s in range(arch.widths[l]):
            for a in (F(1, 3), F(-2), F(0)):
                wide, q = SplitNeuron(l, s, a).apply(arch, p)
                assert wide.widths[l] == arch.widths[l] + 1
                assert same(q, *hand_split(p, l, s, a))


@pytest.mark.parametrize("arch", ARCHS, ids=lambda a: a.describe())
def test_null_and_permute_match_definition(arch):
    p = random_params(arch, seed=4)
    for l in range(1, arch.n_hidden + 1):
        assert same(NullNeuron(l).apply(arch, p)[1], *hand_null(p, l))
        perm = tuple(reversed(range(arch.widths[l])))
        assert same(Permute(l, perm).apply(arch, p)[1], *hand_permute(p, l, perm))


def test_odd_split_matches_definition():
    arch = Architecture.build([2, 2, 1], "tanh")
    p = random_params(arch, seed=5)
    assert same(OddSplitNeuron(1, 1, F(1, 4)).apply(arch, p)[1], *hand_split(p, 1, 1, F(1, 4), sign=-1))


@pytest.mark.parametrize("arch", ARCHS, ids=lambda a: a.describe())
def test_matrix_is_the_map_and_injective(arch):
    rng = random.Random(7)
    p = random_params(arch, seed=6)
    theta = np.array(p.flatten(), dtype=object)
    for _ in range(6):
        lift = random_lift_for(arch, rng)
        T = lift.matrix(arch)
        wide, q = lift.apply(arch, p)
        assert T.shape == (wide.n_params, arch.n_params)
        assert list(T.dot(theta)) == q.flatten()
        assert rank(T) == arch.n_params  # injective


@pytest.mark.parametrize("arch", ARCHS, ids=lambda a: a.describe())
def test_transfer_is_a_left_inverse(arch):
    """Tᵀ S_T = I (docs/width.md), on dense matrices multiplied by SymPy."""
    rng = random.Random(8)
    for _ in range(6):
        lift = random_lift_for(arch, rng)
        S = lift.gradient_transfer(arch)
        if S is None:
            assert isinstance(lift, NullNeuron)
            continue
        assert dense_dot(lift.matrix(arch).T, S.dense()).tolist() == np.eye(arch.n_params, dtype=int).tolist()


def test_null_transfer_exists_exactly_when_it_should():
    with_bias = Architecture.build([1, 2, 1], "1/(1 + z**2)")           # σ(0) = 1, bias in layer 2
    no_bias = Architecture.build([1, 2, 1], "1/(1 + z**2)", [True, False])
    zero_at_0 = Architecture.build([1, 2, 1], "z/(1 + z**2)", [True, False])  # σ(0) = 0
    assert NullNeuron(1).gradient_transfer(with_bias) is not None
    assert NullNeuron(1).gradient_transfer(no_bias) is None
    assert NullNeuron(1).gradient_transfer(zero_at_0) is not None
    # σ(0) = 1 with a bias: the new outgoing weight's gradient is σ(0)·∂R/∂b^[2]
    S = NullNeuron(1).gradient_transfer(with_bias).dense()
    wide = NullNeuron(1).wide_architecture(with_bias)
    row = S[wide.weight_index(2, 0, 2)]
    assert [i for i, c in enumerate(row) if c != 0] == [with_bias.bias_index(2, 0)]
    assert row[with_bias.bias_index(2, 0)] == 1


def test_composition_matrix_is_the_product():
    arch = ARCHS[2]
    a, b, c = SplitNeuron(1, 0, F(1, 3)), NullNeuron(2), Permute(1, (2, 0, 1))
    e = compose(a, b, c)
    A1 = arch
    A2 = a.wide_architecture(A1)
    A3 = b.wide_architecture(A2)
    product = dense_dot(c.matrix(A3), dense_dot(b.matrix(A2), a.matrix(A1)))
    assert e.matrix(arch).tolist() == product.tolist()
    assert (c @ b @ a).matrix(arch).tolist() == product.tolist()
    assert str(c @ b @ a) == str(e)
    p = random_params(arch, seed=9)
    seq = c.apply(*b.apply(*a.apply(arch, p)))
    assert e.apply(arch, p)[1].flatten() == seq[1].flatten()
    assert e.wide_architecture(arch).widths == (1, 3, 3, 1)  # split in layer 1, null in layer 2


def test_permutation_and_inverse_compose_to_identity():
    arch = ARCHS[1]
    perm = (2, 0, 1)
    inv = tuple(perm.index(j) for j in range(3))
    M = compose(Permute(1, perm), Permute(1, inv)).matrix(arch)
    assert M.tolist() == np.eye(arch.n_params, dtype=int).tolist()


def test_split_line_with_a_free_symbol():
    arch = ARCHS[0]
    p = random_params(arch, seed=10)
    alpha = sympy.Symbol("alpha")
    _, q = SplitNeuron(1, 1, alpha).apply(arch, p)
    _, r = SplitNeuron(1, 1, F(2, 7)).apply(arch, p)
    assert [sympy.sympify(x).subs(alpha, sympy.Rational(2, 7)) for x in q.flatten()] == [sympy.Rational(x) for x in r.flatten()]


def test_apply_keeps_the_scalars_exact():
    import flint

    arch = ARCHS[0]
    p = Params.from_flat(arch, [flint.fmpq(k + 1, 3) for k in range(arch.n_params)])
    _, q = SplitNeuron(1, 0, F(1, 3)).apply(arch, p)
    assert all(isinstance(x, flint.fmpq) for x in q.flatten())
    with mpmath.workdps(40):
        pm = Params.from_flat(arch, [mpmath.mpf(k + 1) / 3 for k in range(arch.n_params)])
        _, qm = SplitNeuron(1, 0, F(1, 3)).apply(arch, pm)
        assert abs(qm.W[1][0, 0] - pm.W[1][0, 0] / 3) < mpmath.mpf(10) ** -38


def test_apply_case_keeps_data_and_loss():
    from exactlift.nn.examples import demo_case

    case = demo_case()
    wide = SplitNeuron(1, 0, F(1, 3)).apply_case(case)
    assert wide.X == case.X and wide.Y == case.Y and wide.loss == case.loss
    assert wide.arch.widths == (1, 3, 1)


# ---------------------------------------------------------------------------
# data: frozen, printable, comparable
# ---------------------------------------------------------------------------


def test_lifts_are_frozen_values():
    s = SplitNeuron(1, 0, "1/3")
    with pytest.raises(FrozenInstanceError):
        s.alpha = F(1, 2)
    assert s == SplitNeuron(layer=1, neuron=0, alpha=F(1, 3))
    assert hash(s) == hash(SplitNeuron(1, 0, F(2, 6)))
    assert s != OddSplitNeuron(1, 0, F(1, 3))
    assert {NullNeuron(1), NullNeuron(1), Permute(1, [1, 0])} == {NullNeuron(1), Permute(1, (1, 0))}
    with pytest.raises(FrozenInstanceError):
        compose(s, NullNeuron(1)).lifts = ()


def test_printing():
    assert str(SplitNeuron(layer=1, neuron=0, alpha=F(1, 3))) == "split(layer=1, neuron=0, alpha=1/3)"
    assert str(SplitNeuron(2, 1, -2)) == "split(layer=2, neuron=1, alpha=-2)"
    assert str(SplitNeuron(1, 0, sympy.Symbol("a"))) == "split(layer=1, neuron=0, alpha=a)"
    assert str(NullNeuron(2)) == "null(layer=2)"
    assert str(Permute(1, (1, 0, 2))) == "permute(layer=1, perm=1,0,2)"
    assert str(OddSplitNeuron(1, 0, "1/2")) == "odd-split(layer=1, neuron=0, alpha=1/2)"
    assert str(compose(NullNeuron(1), SplitNeuron(1, 2, 2))) == "compose(null(layer=1), split(layer=1, neuron=2, alpha=2))"
    assert "T^{" in SplitNeuron(1, 0, "1/3").latex()


def test_nested_compositions_flatten():
    e = compose(compose(NullNeuron(1), NullNeuron(1)), SplitNeuron(1, 0, 2))
    assert isinstance(e, CompatibleEmbedding) and len(e.lifts) == 3


def test_options_parse():
    assert split_from_option("1:0:1/3") == SplitNeuron(1, 0, F(1, 3))
    assert split_from_option(" 2 : 1 : -0.25 ") == SplitNeuron(2, 1, F(-1, 4))
    assert null_from_option("2") == NullNeuron(2)
    assert permute_from_option("1:2,0,1") == Permute(1, (2, 0, 1))


def test_odd_activation_detection():
    for spec, odd in [("tanh", True), ("identity", True), ("hard_tanh", True), ("z + z**3", True),
                      ("z/(1 + z**2)", True), ("relu", False), ("sigmoid", False), ("z + z**2", False),
                      ("leaky_relu(1/10)", False), ("sigma", False)]:
        assert activation_is_odd(parse_activation(spec)) is odd, spec


# ---------------------------------------------------------------------------
# refusals: LiftError (or FloatInExactError) naming what is wrong
# ---------------------------------------------------------------------------

TWO_HIDDEN = Architecture.build([1, 2, 2, 1], "tanh")
ONE_HIDDEN = Architecture.build([1, 2, 1], "relu")


@pytest.mark.parametrize(
    "make, arch, message",
    [
        (lambda: SplitNeuron(3, 0, F(1, 3)), TWO_HIDDEN, "hidden layer 3 does not exist: the network has 2 hidden layers"),
        (lambda: SplitNeuron(5, 0, F(1, 3)), ONE_HIDDEN, "hidden layer 5 does not exist: the network has 1 hidden layer"),
        (lambda: SplitNeuron(2, 0, F(1, 3)), ONE_HIDDEN, "layer 2 is the output layer"),
        (lambda: NullNeuron(3), TWO_HIDDEN, "layer 3 is the output layer"),
        (lambda: SplitNeuron(1, 2, F(1, 3)), ONE_HIDDEN, "neuron 2 does not exist in hidden layer 1: it has 2 neurons"),
        (lambda: Permute(1, (0, 1, 2)), ONE_HIDDEN, "has 3 entries but hidden layer 1 has 2 neurons"),
        (lambda: OddSplitNeuron(1, 0, F(1, 2)), ONE_HIDDEN, "needs an odd activation"),
        (lambda: compose(NullNeuron(1), SplitNeuron(1, 3, 2)), ONE_HIDDEN, "neuron 3 does not exist in hidden layer 1: it has 3 neurons"),
    ],
)
def test_refused_on_the_architecture(make, arch, message):
    with pytest.raises(LiftError, match=message):
        make().apply(arch, random_params(arch))
    with pytest.raises(LiftError, match=message):
        make().matrix(arch)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: SplitNeuron(0, 0, 1), "layer 0 is the input layer"),
        (lambda: NullNeuron(0), "layer 0 is the input layer"),
        (lambda: NullNeuron(-1), "hidden layer -1 does not exist"),
        (lambda: SplitNeuron(1.0, 0, 1), "must be an integer"),
        (lambda: NullNeuron(True), "must be an integer"),
        (lambda: SplitNeuron(1, -1, 1), "neuron to split"),
        (lambda: SplitNeuron(1, 0, "abc"), "not an exact rational"),
        (lambda: SplitNeuron(1, 0, "1/0"), "division by zero"),
        (lambda: SplitNeuron(1, 0, sympy.sqrt(2)), "not a rational number"),
        (lambda: Permute(1, (0, 0)), "not a permutation of 0..1"),
        (lambda: Permute(1, (1, 2)), "not a permutation of 0..1"),
        (lambda: Permute(1, (0, -1)), "permutation entry"),
        (lambda: Permute(1, "10"), "sequence of neuron indices"),
        (lambda: compose(), "at least one lift"),
        (lambda: compose(NullNeuron(1), "split"), "made of width lifts"),
    ],
)
def test_refused_at_construction(make, message):
    with pytest.raises(LiftError, match=message):
        make()


@pytest.mark.parametrize("alpha", [0.3, np.float64(0.5), sympy.Float(0.5), mpmath.mpf("0.5"), sympy.Symbol("a") * 0.5])
def test_float_ratio_refused(alpha):
    with pytest.raises(FloatInExactError, match="float"):
        SplitNeuron(1, 0, alpha)


def test_float_error_suggests_the_rational():
    with pytest.raises(FloatInExactError, match='"3/10"'):
        SplitNeuron(1, 0, 0.3)


@pytest.mark.parametrize(
    "parse, text, message",
    [
        (split_from_option, "1:0", "LAYER:NEURON:ALPHA"),
        (split_from_option, "1:0:1/3:4", "LAYER:NEURON:ALPHA"),
        (split_from_option, "a:0:1/3", "LAYER must be a non-negative integer"),
        (split_from_option, "1:-1:1/3", "NEURON must be a non-negative integer"),
        (split_from_option, "1:0:abc", "not an exact rational"),
        (split_from_option, "0:0:1/2", "layer 0 is the input layer"),
        (null_from_option, "x", "LAYER must be a non-negative integer"),
        (permute_from_option, "1", "LAYER:P0,P1"),
        (permute_from_option, "1:0,a", "each entry P"),
        (permute_from_option, "1:0,0", "not a permutation"),
    ],
)
def test_option_texts_refused(parse, text, message):
    with pytest.raises(LiftError, match=message):
        parse(text)


def test_errors_are_input_errors():
    assert issubclass(LiftError, InputError) and issubclass(FloatInExactError, InputError)
