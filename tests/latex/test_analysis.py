"""The analysis of one case in LaTeX (latex/analysis.py) asks the context how to print and what to show."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy

from exactlift.arith.contexts import get_context
from exactlift.nn.examples import demo_case
from exactlift.latex.analysis import analysis_tex, display_array


@pytest.mark.parametrize("arithmetic", ["exact", "mp", "certified"])
def test_display_array_is_the_context_display_value_entry_by_entry(arithmetic):
    ctx = get_context(arithmetic, digits=30)
    with ctx.active():
        M = np.array([[ctx.convert("1/3"), ctx.convert(2)], [ctx.convert("-5/7"), ctx.zero]], dtype=object)
        shown = display_array(M, ctx)
    assert shown.shape == (2, 2)
    assert all(shown[i, j] == ctx.display_value(M[i, j]) for i in range(2) for j in range(2))
    if ctx.exact:
        assert (shown == M).all()
    else:
        assert shown[0, 0] == sympy.Float("0.333333333333", 12) and isinstance(shown[1, 0], sympy.Float)


def test_exact_analysis_shows_fractions_and_the_witness():
    body, facts = analysis_tex(demo_case(), "exact")
    assert facts["inertia"] == (1, 0, 6) and facts["critical"] is True
    assert "A direction of negative curvature, checked exactly" in body
    assert "for the exact vector $v$ above" in body
    assert "strength \\textbf{exact}" in body


@pytest.mark.parametrize("arithmetic, label", [("mp", "numerical"), ("certified", "certified")])
def test_rounded_analysis_prints_twelve_digits_and_no_exact_witness(arithmetic, label):
    body, facts = analysis_tex(demo_case(), arithmetic, digits=30)
    ctx = get_context(arithmetic, digits=30)
    assert not ctx.rational
    assert "A direction of negative curvature" not in body
    assert rf"strength \textbf{{{label}}}" in body
    a = facts["analysis"]
    loss = ctx.display_value(a.derivatives.loss)
    assert isinstance(loss, sympy.Float) and abs(loss - mpmath.mpf(a.derivatives.loss.mid().str(20, radius=False)
                                                                   if ctx.enclosures else a.derivatives.loss)) < 1e-11
