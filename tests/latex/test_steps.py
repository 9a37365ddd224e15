"""Verification steps (latex/steps.py)."""

from __future__ import annotations

from exactlift.latex.steps import Fact, abbreviate_numbers, steps_list


def test_steps_list_marks_each_step_and_prefers_its_latex():
    text = steps_list([Fact("a_b holds", True, detail="50%"), Fact("ignored", False, latex=r"$x \ne 0$")])
    assert r"\item $\checkmark$ a\_b holds (50\%)" in text
    assert r"\item \textbf{fails} $x \ne 0$" in text
    assert steps_list([]) == ""


def test_long_numbers_are_abbreviated_in_plain_text_only():
    assert abbreviate_numbers("1" * 24) == "1" * 24
    assert abbreviate_numbers("x = " + "9" * 30) == "x = 9999999999…(30 digits)"
    assert "(30 digits)" in steps_list([Fact("R = " + "3" * 30, True)])
    assert "3" * 30 in steps_list([Fact("R", True, latex="$" + "3" * 30 + "$")])
