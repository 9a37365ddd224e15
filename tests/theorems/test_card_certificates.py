"""A theorem card's run is a Certificate: its cases are the children, its strength the weakest of theirs."""

from __future__ import annotations

import json

from exactlift.certify import FORMALIZATION, PAPERS_CLAIM, Certificate
from exactlift.strength import Strength
from exactlift.theorems.card import Card, step
from exactlift.theorems.runner import run_card


def _card(check, strength="exact", cases=lambda: [("a", 1), ("b", 2)], source="exactlift formalization"):
    return Card(title="t", statement="$x$", source=source, cases=cases, check=check, strength=strength, name="t")


def test_a_failing_case_gives_holds_false():
    cert = run_card(_card(lambda x: [step("x < 2", x < 2)])).certificate()
    assert cert.holds is False
    assert [c.holds for c in cert.children] == [True, False]
    assert [c.scope for c in cert.children] == ["a", "b"]
    assert cert.children[1].data["result"] == "failed"
    assert cert.theorem == "t" and cert.source == FORMALIZATION and cert.scope == "2 cases"
    json.dumps(cert.to_json())


def test_an_assertion_without_steps_is_a_false_leaf_and_an_error_is_undecided():
    def check(x):
        if x == 1:
            assert x > 1, "x is one"
        raise RuntimeError("boom")

    cert = run_card(_card(check)).certificate()
    failed, error = cert.children
    assert failed.holds is False and failed.children == () and "x is one" in failed.detail
    assert error.holds is None and error.data == {"result": "error", "message": "RuntimeError: boom"}
    assert cert.holds is False


def test_the_card_strength_is_the_weakest_of_its_cases():
    def check(x):
        return [Certificate("x = x", True, strength="symbolic"),
                step("x > 0", x > 0, strength="certified" if x == 2 else None)]

    result = run_card(_card(check, strength="exact"))
    cert = result.certificate()
    assert [c.strength for c in cert.children] == ["exact", "certified"]
    assert cert.strength == Strength.CERTIFIED == result.strength == min(c.strength for c in cert.walk())
    assert cert.holds is True and cert.data["too_weak"] is True and "claims exact" in cert.detail
    assert not result.ok  # the card fails (it claims more than it computed); the claim itself held


def test_a_card_whose_cases_cannot_be_built_is_undecided():
    def cases():
        raise ValueError("no data")

    result = run_card(_card(lambda x: True, cases=cases, source="paper's claim (Lemma 3)"))
    cert = result.certificate()
    assert cert.holds is None and cert.strength == Strength.EXACT and "no data" in cert.detail
    assert cert.source == PAPERS_CLAIM
    assert run_card(_card(lambda x: True, cases=lambda: [])).certificate().holds is None


def test_the_json_report_keeps_its_keys():
    result = run_card(_card(lambda x: [step("x > 0", True)]))
    assert set(result.to_json()) == {"card", "path", "title", "statement", "source", "strength",
                                     "computed_strength", "ok", "result", "seconds", "setup_error", "cases"}
    assert result.certificate().holds is True
