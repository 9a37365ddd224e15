"""The fuzz budget follows the profile in force, also when Hypothesis derives a verbose profile."""

from __future__ import annotations

from hypothesis import Verbosity, settings

from fuzz_budget import budget, in_fuzz_profile


def _with_profile(name: str) -> tuple[bool, int]:
    before = settings.get_current_profile_name()
    try:
        settings.load_profile(name)
        return in_fuzz_profile(), budget(7).max_examples
    finally:
        settings.load_profile(before)


def test_ci_profile_keeps_the_small_budget():
    assert _with_profile("ci") == (False, 7)


def test_fuzz_profile_takes_its_own_budget_even_when_made_verbose():
    fuzz = settings.get_profile("fuzz")
    # what `--hypothesis-verbosity verbose` does to a loaded profile (hypothesis' pytest plugin)
    settings.register_profile("fuzz-with-verbose-verbosity", parent=fuzz, verbosity=Verbosity.verbose)
    assert _with_profile("fuzz") == (True, fuzz.max_examples)
    assert _with_profile("fuzz-with-verbose-verbosity") == (True, fuzz.max_examples)
    assert fuzz.max_examples != 7
