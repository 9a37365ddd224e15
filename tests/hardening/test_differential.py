"""Differential property (issue 11): on random exact cases, exact, pure-Fraction, mp at 40 digits
and certified arithmetic agree wherever each decides (a numerical context may stay undecided,
never disagree).  Half of the cases are exact critical points (targets from
:func:`exactlift.nn.data.critical_targets`), so both answers of the criticality question occur.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz_budget import budget

from exactlift.analysis import analyze
from exactlift.arith.contexts import ExactContext
from exactlift.errors import ExactliftError, KinkError
from exactlift.nn.case import make_case
from exactlift.nn.data import critical_targets
from exactlift.testing.strategies import cases

FAST = budget(10)
SLOW = budget(150, slow=True)


def _agree(case) -> None:
    try:
        exact = analyze(case, "exact")
    except KinkError:
        return
    pure = analyze(case, ExactContext(use_flint=False))
    assert (pure.critical, tuple(pure.inertia), pure.loss) == (exact.critical, tuple(exact.inertia), exact.loss)
    for arithmetic in ("mp", "certified"):
        try:
            other = analyze(case, arithmetic, 40)
        except ExactliftError:  # undecided or refused (e.g. a sign the balls cannot settle): no claim made
            continue
        if other.critical is not None:
            assert other.critical == exact.critical, (arithmetic, other.critical, exact.critical)
        if other.inertia is not None and other.critical is not None:
            assert tuple(other.inertia) == tuple(exact.inertia), (arithmetic, other.inertia, exact.inertia)


def _case(case, critical: bool):
    if not critical:
        return case
    try:
        Y = critical_targets(case.arch, case.params, case.X)
    except ExactliftError:
        return case
    acts = case.arch.activation_specs()
    return make_case(list(case.arch.widths), acts[0] if acts else [], case.params, case.X, Y, bias=list(case.arch.biases))


@FAST
@given(case=cases(max_layers=2, max_width=2, max_samples=3, activation_names=("identity", "relu")), critical=st.booleans())
def test_contexts_agree_where_they_decide(case, critical):
    _agree(_case(case, critical))


@pytest.mark.slow
@SLOW
@given(case=cases(max_layers=2, max_width=3, max_samples=4, activation_names=("identity", "relu")), critical=st.booleans())
def test_contexts_agree_where_they_decide_large(case, critical):
    _agree(_case(case, critical))
