"""Rich display (exactlift.display): the views IPython gets, checked against values computed another way."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest

from exactlift import analyze, display
from exactlift.certify import Certificate
from exactlift.conjectures.claims import Conjecture
from exactlift.conjectures.runner import run_conjectures
from exactlift.lifts.depth import IdentityLift
from exactlift.lifts.width import SplitNeuron
from exactlift.nn.examples import demo_case
from exactlift.theorems.card import Card, step
from exactlift.theorems.runner import run_card


def test_long_numbers_in_html_are_the_rounded_decimal_with_the_exact_value_on_hover():
    q = Fraction(11835741410854517117394030436481766174143, 30592031685653177370866524286784316805289)
    with mpmath.workdps(100):
        expected = mpmath.nstr(mpmath.mpf(q.numerator) / q.denominator, 6)
    assert display.number_html(str(q)) == f'<span title="{q}">≈ {expected}</span>'
    assert display.number_html("22/7") == "22/7"


def test_bundle_filters_like_ipython():
    b = display.bundle("p", "<b>h</b>", "$l$")
    assert b == {"text/plain": "p", "text/html": "<b>h</b>", "text/latex": "$l$"}
    assert set(display.bundle("p", "h", "l", include={"text/html"})) == {"text/html"}


def test_certificate_views():
    kids = [Certificate("a", True, "exact"), Certificate("b", False, "certified"), Certificate("c", None, "exact")]
    c = Certificate.combine("all three", kids)
    html = c._repr_html_()
    assert html.count("<li>") == 3
    assert html.count("✓") == 1 and html.count("✗") == 2 and html.count("?") == 1  # the composite fails too
    assert c._repr_latex_() == c.to_latex()
    assert c._repr_mimebundle_()["text/plain"] == c.line()


def test_analysis_views_state_the_inertia_of_the_mp_path():
    case = demo_case()
    a = analyze(case)
    mp = analyze(case, "mp", digits=60)
    latex = a._repr_latex_()
    assert latex.startswith("$") and latex.endswith("$")
    assert "({}, {}, {})".format(*mp.inertia) in latex
    loss = Fraction(a.loss)
    with mpmath.workdps(60):
        assert r"R(\theta) \approx " + mpmath.nstr(mpmath.mpf(loss.numerator) / loss.denominator, 6) in latex
    html = a._repr_html_()
    assert f'title="{a.loss}"' in html and "(n₋, n₀, n₊)" in html


def test_small_losses_are_fractions_in_latex():
    from exactlift.nn.case import case_from_dict

    case = case_from_dict({"network": {"widths": [1, 1], "params": {"W": [[["1"]]], "b": [["0"]]},
                                       "data": {"x": [["0"], ["1"]], "y": [["1"], ["1"]]}}})
    # R = ((0 - 1)^2 + (1 - 1)^2) / 2 = 1/2 by hand
    assert r"R(\theta) = \frac{1}{2}" in analyze(case)._repr_latex_()


@pytest.mark.parametrize("lift", [SplitNeuron(1, 0, "1/3"), IdentityLift(1)], ids=str)
def test_lift_views(lift):
    b = lift._repr_mimebundle_()
    assert b["text/latex"] == f"${lift.latex()}$" and b["text/plain"] == str(lift)
    assert type(lift).__name__ in lift._repr_html_()


def test_card_and_run_report_list_each_case_once():
    card = Card(title="x is positive", statement="$x > 0$", source="exactlift formalization",
                cases=lambda: [("one", 1), ("minus two", -2)], check=lambda x: [step("x > 0", x > 0)])
    html = run_card(card)._repr_html_()
    assert html.count("minus two") == 1 and html.count("✗") == 2  # the card and its failing case

    def below(q):
        assert q < 2, f"q = {q}"

    report = run_conjectures([Conjecture("disp.below", below, {"q": [0, 1, 2, 3]})], progress=False)
    html = report._repr_html_()
    assert html.count("[q=2]") == 1 and html.count("[q=3]") == 1 and "[q=1]" not in html
    assert "<td>4</td><td>2</td><td>2</td>" in html  # 4 cases: 2 hold, 2 counterexamples (q = 2, 3)


def test_ipython_uses_the_bundles():
    formatters = pytest.importorskip("IPython.core.formatters")
    data, _ = formatters.DisplayFormatter().format(analyze(demo_case()).certificate())
    assert {"text/plain", "text/html", "text/latex"} <= set(data)
