"""Certified claims in LaTeX carry their radius (issue 12, item 4): checked against a 100-digit mp Newton point."""

from __future__ import annotations

import re
from fractions import Fraction as F

import mpmath

from exactlift.arith.contexts import get_context
from exactlift.calculus.backprop import derivatives
from exactlift.gallery import example_path
from exactlift.latex.analysis import analysis_tex, tex_radius
from exactlift.nn.case import load_case
from exactlift.nn.examples import demo_case
from exactlift.nn.network import Params


def newton_100(case):
    ctx = get_context("mp", 100)
    theta = [F(x) for x in case.params.flatten()]
    with ctx.active():
        for _ in range(8):
            c = case.with_params(case.arch, Params.from_flat(case.arch, theta))
            X, Y = c.arrays(ctx)
            d = derivatives(c.arch, c.params, X, Y, c.loss, ctx, order=2)
            step = mpmath.lu_solve(mpmath.matrix(d.hessian.tolist()), mpmath.matrix([[g] for g in d.gradient]))
            theta = [t - F(mpmath.nstr(s, 105, strip_zeros=False)) for t, s in zip(theta, step)]
    return theta


def bound(body, what):
    m = re.search(what + r" \$?([0-9.]+) \\cdot 10\^\{(-?\d+)\}", body)
    assert m, body
    return mpmath.mpf(m.group(1)) * mpmath.mpf(10) ** int(m.group(2))


def test_a_tanh_analysis_renders_the_certified_point_with_radius_and_distance():
    case = load_case(example_path("tanh-minimum"))
    body, facts = analysis_tex(case, "certified", 40)
    assert "certified: a unique critical point $\\theta^*$ lies in the box of radius $" in body
    assert facts["certificate"].critical is True
    dist = bound(body, r"\\\|\\theta\^\* - \\theta\\\|_\\infty \\le")
    ref = newton_100(case)  # the true critical point, computed another way
    with mpmath.workdps(100):
        gap = max(abs(mpmath.mpf(a.numerator) / a.denominator - mpmath.mpf(b.numerator) / b.denominator)
                  for a, b in zip(ref, [F(x) for x in case.params.flatten()]))
    assert gap <= dist
    assert "ball $LDL^\\top$ over the box of radius" in body and "(0, 0, 4)" in body


def test_an_exact_critical_point_in_balls_is_certified_with_its_radius():
    body, facts = analysis_tex(demo_case(), "certified", 30)  # balls alone leave it undecided; Krawczyk decides
    assert facts["critical"] is True and facts["certificate"].critical is True
    assert "certified: a unique critical point" in body and "undecided: every gradient ball" not in body
    assert bound(body, "box of radius") < 1e-20


def test_tex_radius_formats_scientific_bounds():
    assert tex_radius("1.5e-07") == "1.5 \\cdot 10^{-7}" and tex_radius("0") == "0" and tex_radius(None) == "?"


def test_certified_depth_checks_render_with_the_box_radius():
    from exactlift.latex.lifts import certified_checks_tex
    from exactlift.lifts.depth.certified import certified_check_lift
    from exactlift.lifts.depth.lifting import IdentityLift

    checks = certified_check_lift(load_case(example_path("tanh-minimum")), IdentityLift(1, shift="2"), digits=40)
    tex = certified_checks_tex(checks)
    assert tex.count("box radius $") == 3 and tex.count(r"\emph{certified}") == 3
    radius = bound(tex, "box radius")
    assert 0 < radius < 1e-30


def test_a_certified_lifted_document_lists_the_theorems_with_the_box_radius():
    """`latex --split ... --arithmetic certified` on a tanh point: the checks at the certified point, each
    certified one with the radius of the Krawczyk box that certify finds independently."""
    from exactlift.certify.critical import certify_critical_point
    from exactlift.gallery import get_example
    from exactlift.nn.case import load_case
    from exactlift.latex import case_document
    from exactlift.latex.analysis import tex_radius
    from exactlift.lifts.width import SplitNeuron

    case = load_case(get_example("tanh-minimum").path)
    tex = case_document(case, [SplitNeuron(1, 0, "1/3")], arithmetic="certified", digits=50).render()
    radius = certify_critical_point(case, digits=50).radius
    assert "The theorems at the certified critical point" in tex
    assert f"(box radius ${tex_radius(radius)}$)" in tex
    assert "criticality preserved}: holds (\\emph{certified})" in tex
    assert "the loss changed" not in tex
