"""Activations ask the context what it can represent (tests for nn/activations.py).

The refusals are the ones made before the contexts carried capabilities, with the
same error and message; the context is asked (``ctx.rational``, ``ctx.symbolic``),
so a context subclass keeps its parent's answers whatever its name.
"""

from __future__ import annotations

import mpmath
import pytest
import sympy

from exactlift.arith.contexts import ARITHMETICS, ExactContext, MPContext, get_context
from exactlift.errors import ArithmeticModeError, KinkError
from exactlift.nn.activations import parse_activation, undefined_derivative

CONTEXTS = [get_context(name, digits=30) for name in ARITHMETICS] + [ExactContext(use_flint=False)]
IDS = [c.describe() for c in CONTEXTS]

TANH_REFUSED = ("activation 'tanh' has no exact rational values: use --arithmetic mp "
                "(or a rational activation such as 'z/(1 + z**2)')")
SIGMA_REFUSED = "the undefined activation 'sigma' has no values: use it with symbolic arithmetic"


@pytest.mark.parametrize("ctx", CONTEXTS, ids=IDS)
def test_an_activation_that_is_not_exact_capable_is_refused_exactly_where_values_are_rational(ctx):
    act = parse_activation("tanh")
    assert not act.exact_capable
    with ctx.active():
        z = ctx.convert("1/2")
        if ctx.rational:
            with pytest.raises(ArithmeticModeError) as err:
                act.jet(ctx, z)
            assert str(err.value) == TANH_REFUSED
        else:
            value, d1, d2 = act.jet(ctx, z)
            if ctx.symbolic:
                assert value == sympy.tanh(sympy.Rational(1, 2))
            else:
                assert abs(ctx.display_value(value) - sympy.Float("0.462117157260", 12)) < 1e-11


@pytest.mark.parametrize("ctx", CONTEXTS, ids=IDS)
def test_a_rational_activation_is_evaluated_in_every_context(ctx):
    act = parse_activation("z/(1 + z**2)")
    assert act.exact_capable
    with ctx.active():
        value, d1, _ = act.jet(ctx, ctx.convert(2))
        if ctx.exact:
            assert value == ctx.convert("2/5") and d1 == ctx.convert("-3/25")
        else:
            assert ctx.display_value(value) == sympy.Float("0.4", 12)
            assert ctx.display_value(d1) == sympy.Float("-0.12", 12)


@pytest.mark.parametrize("ctx", CONTEXTS, ids=IDS)
def test_the_undefined_activation_needs_symbolic_scalars(ctx):
    act = parse_activation("sigma")
    with ctx.active():
        if ctx.symbolic:
            x = sympy.Symbol("x")
            assert act.jet(ctx, x) == tuple(undefined_derivative(k)(x) for k in range(3))
        else:
            with pytest.raises(ArithmeticModeError) as err:
                act.jet(ctx, ctx.convert(1))
            assert str(err.value) == SIGMA_REFUSED


@pytest.mark.parametrize("ctx", CONTEXTS, ids=IDS)
def test_a_piecewise_activation_at_a_number_in_every_context_and_never_at_a_symbol(ctx):
    act = parse_activation("leaky_relu(1/10)")
    with ctx.active():
        value, slope, curvature = act.jet(ctx, ctx.convert(-2))
        assert slope == ctx.convert("1/10") if ctx.exact else abs(slope - ctx.convert("1/10")) < 1e-20
        with pytest.raises(KinkError):
            act.jet(ctx, ctx.convert(0))
    if ctx.symbolic:
        with pytest.raises(ArithmeticModeError, match="is piecewise: it cannot be evaluated at the symbolic"):
            act.jet(ctx, sympy.Symbol("x"))


def test_the_context_is_asked_not_its_name():
    class Renamed(ExactContext):
        name = "renamed"

    class RoundedCopy(MPContext):
        name = "exact"

    act = parse_activation("tanh")
    with pytest.raises(ArithmeticModeError) as err:
        act.jet(Renamed(), Renamed().convert(1))
    assert str(err.value) == TANH_REFUSED
    ctx = RoundedCopy(digits=20)
    with ctx.active():
        assert abs(act.jet(ctx, ctx.convert(1))[0] - mpmath.tanh(1)) < 1e-15
