"""A card's strength is computed from its steps; the declared strength is a claim the runner verifies."""

from exactlift.certify import Certificate
from exactlift.strength import Strength
from exactlift.theorems.card import Card, Step, step
from exactlift.theorems.runner import run_card


def _card(check, strength="exact"):
    return Card(title="t", statement="$x$", source="exactlift formalization",
                cases=lambda: [("a", 1)], check=check, strength=strength)


def test_certificate_steps_compute_the_weakest_strength():
    check = lambda x: [Certificate("x = 1", True, strength="exact"),
                       Certificate("x > 0", True, strength="certified")]
    result = run_card(_card(check, strength="certified"))
    assert result.ok and result.result == "passed"
    assert result.strength == Strength.CERTIFIED
    assert result.certificate().strength == Strength.CERTIFIED
    assert result.to_json()["computed_strength"] == "certified"


def test_card_claiming_exact_but_computing_numerical_fails():
    check = lambda x: [step("x = 1", True, strength="exact"), step("x ~ 1", True, strength="numerical")]
    result = run_card(_card(check, strength="exact"))
    assert not result.ok
    assert result.result == "FAILED (claims exact, computed numerical)"


def test_plain_steps_take_the_claimed_strength():
    result = run_card(_card(lambda x: [step("x = 1", x == 1)], strength="symbolic"))
    assert result.ok and result.strength == Strength.SYMBOLIC


def test_step_from_certificate_keeps_strength_and_verdict():
    s = Step.from_certificate(Certificate("H = 0", None, strength="numerical"))
    assert s.strength == Strength.NUMERICAL and s.ok is False
