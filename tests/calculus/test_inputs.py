"""The derivative code's public functions validate what they are given (issue 11, item 4)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from exactlift.arith.contexts import get_context
from exactlift.calculus.backprop import as_params, derivatives, forward
from exactlift.errors import FloatInExactError, InputError
from exactlift.nn.examples import demo_case


def test_floats_and_numpy_floats_are_refused_in_exact_arithmetic():
    c, ctx = demo_case(), get_context("exact")
    _, Y = c.arrays(ctx)
    for X in ([[0.5]] * 8, np.full((8, 1), 0.5)):
        with pytest.raises(FloatInExactError, match="float"):
            derivatives(c.arch, c.params, X, Y, c.loss, ctx)


def test_plain_rationals_and_flat_parameters_give_the_same_answer():
    c, ctx = demo_case(), get_context("exact")
    X, Y = c.arrays(ctx)
    ref = derivatives(c.arch, c.params, X, Y, c.loss, ctx)
    plain = derivatives(c.arch, c.params.flatten(), [list(x) for x in c.X], [list(y) for y in c.Y], c.loss, ctx)
    assert plain.loss == ref.loss and list(plain.gradient) == list(ref.gradient)
    # forward on one plain input equals the output the case's own arrays give
    out = forward(c.arch, c.params, [[Fraction(1)]], ctx).output[0, 0]
    w = [Fraction(x) for x in c.params.flatten()]  # 1-2-1: W1 (2), b1 (2), W2 (2), b2 (1)
    sig = lambda z: z / (1 + z * z)  # noqa: E731  (the demo's activation, written out)
    by_hand = w[4] * sig(w[0] + w[2]) + w[5] * sig(w[1] + w[3]) + w[6]
    assert Fraction(str(out)) == by_hand


def test_wrong_parameters_are_named():
    c = demo_case()
    with pytest.raises(InputError, match="has 7 parameters, got a sequence of 3"):
        as_params(c.arch, [1, 2, 3])
    with pytest.raises(InputError, match="Params object or a flat sequence"):
        forward(c.arch, "theta", [[1]], get_context("exact"))
