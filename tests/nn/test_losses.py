"""Losses ask the context whether its values are rationals (tests for nn/losses.py)."""

from __future__ import annotations

import numpy as np
import pytest

from exactlift.arith.contexts import ARITHMETICS, ExactContext, MPContext, get_context
from exactlift.errors import ArithmeticModeError
from exactlift.nn.losses import parse_loss

CONTEXTS = [get_context(name, digits=30) for name in ARITHMETICS] + [ExactContext(use_flint=False)]
IDS = [c.describe() for c in CONTEXTS]

CE_REFUSED = "the loss 'cross_entropy' has no exact rational values: use --arithmetic mp"


def _one(ctx, text):
    out = np.empty(1, dtype=object)
    out[0] = ctx.convert(text)
    return out


@pytest.mark.parametrize("ctx", CONTEXTS, ids=IDS)
def test_cross_entropy_is_refused_exactly_where_values_are_rational(ctx):
    loss = parse_loss("cross_entropy", 1)
    assert not loss.exact_capable
    with ctx.active():
        f, y = _one(ctx, "1/2"), _one(ctx, "1")
        if ctx.rational:
            with pytest.raises(ArithmeticModeError) as err:
                loss.jet(ctx, f, y)
            assert str(err.value) == CE_REFUSED
        else:
            value, g, h = loss.jet(ctx, f, y)
            assert g.shape == (1,) and h.shape == (1, 1)


@pytest.mark.parametrize("ctx", CONTEXTS, ids=IDS)
def test_mse_is_evaluated_in_every_context(ctx):
    loss = parse_loss("mse", 1)
    assert loss.exact_capable
    with ctx.active():
        value, g, h = loss.jet(ctx, _one(ctx, "1/2"), _one(ctx, "1"))
        if ctx.exact:
            assert (value, g[0], h[0, 0]) == (ctx.convert("1/4"), ctx.convert(-1), ctx.convert(2))


def test_the_context_is_asked_not_its_name():
    class Renamed(ExactContext):
        name = "renamed"

    class RoundedCopy(MPContext):
        name = "exact"

    loss = parse_loss("cross_entropy", 1)
    ctx = Renamed()
    with pytest.raises(ArithmeticModeError) as err:
        loss.jet(ctx, _one(ctx, "1/2"), _one(ctx, "1"))
    assert str(err.value) == CE_REFUSED
    ctx = RoundedCopy(digits=20)
    with ctx.active():
        loss.jet(ctx, _one(ctx, "1/2"), _one(ctx, "1"))
