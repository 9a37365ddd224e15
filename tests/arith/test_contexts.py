"""The capabilities each context declares agree with what it does (tests for arith/contexts.py).

Algorithms ask ``ctx.exact``, ``ctx.rational``, ``ctx.rigorous``, ``ctx.symbolic``,
``ctx.enclosures`` and ``ctx.display_value`` instead of the context's name, so each
answer is checked here against the context's behaviour, not against its name.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy

from exactlift.arith.contexts import (
    ARITHMETICS,
    CertifiedContext,
    Context,
    ExactContext,
    MPContext,
    SymbolicContext,
    get_context,
    parse_rational,
)
from exactlift.errors import ArithmeticModeError, InputError
from exactlift.strength import Strength

#: name -> (exact, rational, rigorous, enclosures, symbolic, strength)
EXPECTED = {
    "exact": (True, True, True, False, False, Strength.EXACT),
    "mp": (False, False, False, False, False, Strength.NUMERICAL),
    "certified": (False, False, True, True, False, Strength.CERTIFIED),
    "symbolic": (True, False, True, False, True, Strength.SYMBOLIC),
}

CONTEXTS = [get_context(name, digits=30) for name in ARITHMETICS] + [ExactContext(use_flint=False)]
IDS = [c.describe() for c in CONTEXTS]


def test_every_arithmetic_has_its_expected_answers():
    assert set(EXPECTED) == set(ARITHMETICS)
    for ctx in CONTEXTS:
        got = (ctx.exact, ctx.rational, ctx.rigorous, ctx.enclosures, ctx.symbolic, ctx.strength)
        assert got == EXPECTED[ctx.name], ctx.describe()


def test_the_base_class_declares_every_capability_conservatively():
    """A new context that declares nothing is asked as an inexact, non-rigorous one."""
    assert (Context.exact, Context.rational, Context.rigorous, Context.enclosures, Context.symbolic) == (
        False, False, False, False, False)
    for flag in ("exact", "rational", "rigorous", "enclosures", "symbolic"):
        assert flag in Context.__doc__


@pytest.mark.parametrize("ctx", CONTEXTS, ids=IDS)
def test_exact_means_no_rounding(ctx):
    with ctx.active():
        third = ctx.convert("1/3")
        tiny = ctx.convert(Fraction(1, 10**60))  # below the precision of the rounded contexts
        assert ctx.decide_zero(third * 3 - 1) in ((True,) if ctx.exact else (True, False, None))
        decided = ctx.decide_zero((1 + tiny) - 1)
        if ctx.exact:
            assert decided is False  # nothing was rounded away
        elif ctx.enclosures:
            assert decided is None  # rounded, but the ball says so: undecided, never a false zero
        else:
            assert decided is True  # rounded away


@pytest.mark.parametrize("ctx", CONTEXTS, ids=IDS)
def test_rational_means_exact_rationals_without_elementary_functions(ctx):
    with ctx.active():
        x = ctx.convert("2/7")
        if ctx.rational:
            assert parse_rational(x) == Fraction(2, 7) and parse_rational(x * x + 1) == Fraction(53, 49)
            with pytest.raises(ArithmeticModeError):
                ctx.function("tanh")
        else:
            ctx.function("tanh")(x)  # rounded, enclosed or symbolic: available


@pytest.mark.parametrize("ctx", CONTEXTS, ids=IDS)
def test_symbolic_means_free_symbols_are_scalars(ctx):
    if ctx.symbolic:
        x = ctx.convert("alpha")
        assert x.free_symbols == {sympy.Symbol("alpha")}
        assert ctx.decide_zero(x - x) is True and ctx.decide_zero(x) is None
    else:
        with pytest.raises(InputError):
            ctx.convert("alpha")


@pytest.mark.parametrize("ctx", CONTEXTS, ids=IDS)
def test_enclosures_mean_balls_that_may_leave_a_decision_open(ctx):
    with ctx.active():
        around_zero = ctx.convert("1/3") - ctx.convert("1/3")
        if ctx.enclosures:
            assert hasattr(around_zero, "rad") and around_zero.contains(0)
            assert ctx.decide_zero(around_zero) is None and ctx.decide_sign(around_zero) is None
            assert ctx.all_zero([around_zero, ctx.zero]) is None
        else:
            assert ctx.decide_zero(around_zero) is True and ctx.decide_sign(around_zero) == 0


@pytest.mark.parametrize("ctx", CONTEXTS, ids=IDS)
def test_rigorous_means_decisions_are_proofs(ctx):
    """A non-rigorous context calls a value zero that is not; a rigorous one never does."""
    with ctx.active():
        small = ctx.convert(Fraction(1, 10**25))  # above mp's rounding, below its tolerance at 30 digits
        assert (ctx.decide_zero(small) is True) == (not ctx.rigorous)
        assert ctx.strength.value in ("symbolic", "exact", "certified") if ctx.rigorous else ctx.strength == "numerical"


def _former_display(x, name):
    """The rule latex/render.py applied by the context's name before display_value existed."""
    if name == "exact":
        return x
    if name == "certified" and hasattr(x, "mid"):
        x = mpmath.mpf(x.mid().str(20, radius=False))
    elif not isinstance(x, mpmath.mpf):
        x = mpmath.mpf(str(x))
    return sympy.Float(mpmath.nstr(x, 12), 12)


@pytest.mark.parametrize("ctx", [c for c in CONTEXTS if not c.symbolic], ids=[c.describe() for c in CONTEXTS if not c.symbolic])
@pytest.mark.parametrize("text", ["0", "1/3", "-22/7", "123456789/1000", "1/1000000007"])
def test_display_value_is_the_former_rule(ctx, text):
    with ctx.active():
        x = ctx.convert(text) * ctx.convert("3/2")
        shown = ctx.display_value(x)
        assert shown == _former_display(x, ctx.name)
        assert (shown is x) == ctx.exact
        if not ctx.exact:
            assert isinstance(shown, sympy.Float) and abs(shown - sympy.Rational(text) * sympy.Rational(3, 2)) < 1e-9


def test_display_value_of_exact_contexts_is_the_value_itself():
    s = SymbolicContext()
    x = s.convert("alpha") / 3
    assert s.display_value(x) is x
    q = ExactContext(use_flint=False)
    assert q.display_value(Fraction(1, 3)) == Fraction(1, 3)


def test_display_value_of_a_ball_is_its_midpoint():
    ctx = CertifiedContext(digits=30)
    with ctx.active():
        x = ctx.function("exp")(ctx.one)
    assert ctx.display_value(x) == sympy.Float("2.71828182846", 12)
    assert ctx.display_value(x, digits=5) == sympy.Float("2.7183", 5)


def test_a_subclass_inherits_its_answers_not_its_name():
    """What is asked is the capability: a renamed exact context still refuses tanh."""

    class Renamed(ExactContext):
        name = "renamed"

    class RoundedCopy(MPContext):
        name = "exact"  # a misleading name does not make it exact

    assert Renamed().rational and not RoundedCopy().rational
    with pytest.raises(ArithmeticModeError):
        Renamed().function("tanh")
    assert RoundedCopy(digits=20).function("tanh")(mpmath.mpf(0)) == 0
