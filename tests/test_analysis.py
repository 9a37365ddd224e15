"""exactlift.analysis: the core analysis as a Certificate, checked against naive SymPy differentiation."""

from __future__ import annotations

import json
from pathlib import Path

import sympy

from exactlift.analysis import analyze
from exactlift.calculus.naive import naive_derivatives
from exactlift.nn.examples import demo_case
from exactlift.nn.case import case_from_dict

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "issue-example.json"


def naive_verdict(case):
    """(critical?, inertia) from sympy.diff of the whole loss and SymPy eigenvalues: no exactlift derivative code."""
    _, grad, H = naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss)
    critical = all(sympy.simplify(g) == 0 for g in grad)
    neg = zero = pos = 0
    for ev, mult in H.eigenvals().items():
        if ev.is_zero:
            zero += mult
        elif sympy.sign(sympy.N(ev, 50)) > 0:
            pos += mult
        else:
            neg += mult
    return critical, (neg, zero, pos)


def test_certificate_of_a_critical_point_agrees_with_naive_sympy():
    case = demo_case()
    cert = analyze(case).certificate()
    critical, inertia = naive_verdict(case)
    assert cert.holds is critical is True
    assert tuple(cert.children[0].data["inertia"]) == inertia
    assert cert.strength == "exact" and cert.proved


def test_certificate_of_a_non_critical_point_fails_with_its_strength():
    case = case_from_dict(json.loads(EXAMPLE.read_text()))
    cert = analyze(case).certificate()
    critical, inertia = naive_verdict(case)
    assert critical is False and cert.holds is False
    assert tuple(cert.children[0].data["inertia"]) == inertia


def test_mp_analysis_certifies_nothing():
    cert = analyze(demo_case(), "mp", 30).certificate()
    assert cert.strength == "numerical" and not cert.proved
    assert all(c.strength == "numerical" for c in cert.walk())
