"""Theorem cards: loading (both styles), running, classification, the prove command."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from exactlift.cli import main
from exactlift.errors import InputError
from exactlift.theorems import Card, load_card, run_card, step
from exactlift.theorems.runner import discover_cards

MODULE_CARD = '''
from exactlift.theorems import step
TITLE = "Squares"
STATEMENT = r"$q^2 \\ge 0$"
SOURCE = "exactlift formalization"
STRENGTH = "exact"
def cases():
    for q in (-2, 0, 3):
        yield f"q={q}", q
def check(q):
    return [step("q^2 >= 0", q * q >= 0, f"q^2 = {q * q}")]
'''

OBJECT_CARD = '''
from exactlift.theorems import Card
def _check(n):
    assert n % 2 == 0, f"{n} is odd"
CARD = Card(title="Evens", statement="$n$ even", source="paper: arXiv 0000.00000, Theorem 1",
            cases=lambda: [("two", 2), ("three", 3), ("four", 4)], check=_check)
'''

ERROR_CARD = '''
TITLE = "Errors"
STATEMENT = "x"
SOURCE = "exactlift formalization"
def cases():
    return [("fine", 1), ("boom", 0)]
def check(x):
    return 1 / x > 0
'''


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


def test_module_level_card_passes(tmp_path):
    card = load_card(_write(tmp_path, "squares.py", MODULE_CARD))
    assert card.name == "squares" and card.strength == "exact" and card.label == "exactlift formalization"
    r = run_card(card)
    assert r.ok and r.n_cases == 3 and r.result == "passed"
    assert [c.name for c in r.cases] == ["q=-2", "q=0", "q=3"]
    assert all(c.steps[0].ok for c in r.cases)


def test_card_object_assert_failure_names_the_case(tmp_path):
    card = load_card(_write(tmp_path, "evens.py", OBJECT_CARD))
    assert card.label == "paper's claim"
    r = run_card(card)
    assert not r.ok
    assert [c.result for c in r.cases] == ["passed", "failed", "passed"]
    assert r.cases[1].message == "3 is odd"
    assert r.result == "FAILED (three)"


def test_exception_is_an_error_not_a_failure(tmp_path):
    r = run_card(load_card(_write(tmp_path, "errs.py", ERROR_CARD)))
    assert [c.result for c in r.cases] == ["passed", "error"]
    assert "ZeroDivisionError" in r.cases[1].message
    assert r.result.startswith("ERROR")


def test_false_step_fails_and_reports_detail():
    card = Card(title="t", statement="s", source="exactlift formalization",
                cases=lambda: [("a", 1)], check=lambda x: [step("one", True), step("two", False, "x = 1")])
    r = run_card(card)
    assert r.cases[0].result == "failed" and "two does not hold (x = 1)" in r.cases[0].message


def test_bad_cards_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="not a theorem card"):
        load_card(_write(tmp_path, "empty.py", "X = 1\n"))
    with pytest.raises(InputError, match="strength"):
        load_card(_write(tmp_path, "bad.py", MODULE_CARD.replace('STRENGTH = "exact"', 'STRENGTH = "strong"')))
    with pytest.raises(InputError, match="no such card"):
        load_card(tmp_path / "missing.py")
    with pytest.raises(InputError, match="importing the card failed"):
        load_card(_write(tmp_path, "broken.py", "import nonexistent_module_xyz\n"))
    with pytest.raises(InputError, match="two cases are named"):
        Card(title="t", statement="s", source="x", cases=lambda: [("a", 1), ("a", 2)], check=bool).case_list()


def test_cases_setup_error_is_reported():
    card = Card(title="t", statement="s", source="x", cases=lambda: 1 / 0, check=bool)
    r = run_card(card)
    assert not r.ok and "ZeroDivisionError" in r.setup_error


def test_prove_one_card_json(tmp_path, capsys):
    p = _write(tmp_path, "squares.py", MODULE_CARD)
    assert main(["prove", str(p), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] and doc["strength"] == "exact" and len(doc["cases"]) == 3
    assert doc["cases"][0]["steps"][0] == {"claim": "q^2 >= 0", "ok": True, "detail": "q^2 = 4"}


def test_prove_case_selection(tmp_path, capsys):
    p = _write(tmp_path, "evens.py", OBJECT_CARD)
    assert main(["prove", str(p), "--case", "two"]) == 0
    assert main(["prove", str(p), "--case", "three"]) == 1
    assert main(["prove", str(p), "--case", "five"]) == 2
    assert "no case named 'five'" in capsys.readouterr().err


def test_prove_all_table_and_exit_status(tmp_path, capsys):
    _write(tmp_path, "a_squares.py", MODULE_CARD)
    _write(tmp_path, "b_evens.py", OBJECT_CARD)
    _write(tmp_path, "_helper.py", "X = 1\n")  # skipped: starts with _
    assert [p.name for p in discover_cards(tmp_path)] == ["a_squares.py", "b_evens.py"]
    assert main(["prove", "--all", "--dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["card", "cases", "strength", "result", "time"]
    assert any(l.startswith("a_squares") and "passed" in l for l in lines)
    assert any(l.startswith("b_evens") and "FAILED (three)" in l for l in lines)
    assert "FAILED: b_evens / three: failed: 3 is odd" in out
    assert "1/2 cards proved (6 cases)" in out


def test_prove_usage_errors(tmp_path, capsys):
    assert main(["prove"]) == 2
    assert main(["prove", "--all", "--dir", str(tmp_path)]) == 2  # no cards
    assert main(["prove", str(tmp_path / "x.txt")]) == 2
    err = capsys.readouterr().err
    assert err.count("error:") == 3
