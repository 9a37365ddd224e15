"""Documents in mp and certified arithmetic (labelled as such), and the certified integer-power fix."""

from __future__ import annotations

import shutil

import pytest

from exactlift.arith.contexts import get_context
from exactlift.nn.examples import demo_case
from exactlift.latex import case_document, compile_tex
from exactlift.latex.document import first_error
from exactlift.theorems.cases import small_case

HAVE_TEX = shutil.which("pdflatex") is not None


def test_certified_integer_power_of_a_ball_containing_zero():
    """z = 1/3 - 1/3 is a ball around 0; z**2 must be a small ball, not NaN (arb's x**y is exp(y log x))."""
    ctx = get_context("certified")
    with ctx.active():
        z = ctx.convert("1/3") - ctx.convert("1/3")
        sq = ctx.power(z, 2)
        assert sq.is_finite() and sq.contains(0) and abs(sq.mid()) < 1e-100
        assert ctx.power(ctx.convert(3), 3) == 27 and ctx.power(ctx.convert(2), -2).contains(ctx.convert("1/4"))


def test_certified_analysis_of_the_demo_is_finite():
    from exactlift.analysis import analyze

    a = analyze(demo_case(), "certified")
    exact = analyze(demo_case(), "exact")
    assert "nan" not in a.loss and a.inertia == exact.inertia == (1, 0, 6)


@pytest.mark.parametrize("arithmetic, label", [("mp", "numerical"), ("certified", "certified")])
def test_non_exact_documents_say_their_strength(tmp_path, arithmetic, label):
    case = small_case([1, 2, 1], "tanh", n=4, seed=0)
    tex = case_document(case, arithmetic=arithmetic).render()
    assert rf"strength \textbf{{{label}}}" in tex
    assert "(exact:" not in tex and "nan" not in tex
    if HAVE_TEX:
        r = compile_tex(tex, tmp_path)
        assert r.ok, first_error(r.log)
