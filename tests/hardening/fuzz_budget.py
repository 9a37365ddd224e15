"""Example budgets of the hardening fuzz suite, tied to the Hypothesis profile in force.

The root ``conftest.py`` registers two profiles.  Under ``ci`` (the default) a fast test runs its
small budget, derandomized, so that a clean clone sees the same examples as CI; a slow test
(``-m slow``) runs its larger budget with random seeds.  Under ``fuzz``
(``--hypothesis-profile fuzz``) every test takes the profile's large budget and random seeds: the
exploratory run of docs/limits.md ("Fuzzing").
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

__all__ = ["budget", "in_fuzz_profile"]


def in_fuzz_profile() -> bool:
    """Whether the ``fuzz`` profile is in force.

    Hypothesis' pytest plugin derives a profile ``<name>-with-<v>-verbosity`` from the loaded one
    when ``--hypothesis-verbosity`` is given, so the name is matched up to that suffix (without it
    a verbose fuzz run silently fell back to the small budget).

    >>> isinstance(in_fuzz_profile(), bool)
    True
    """
    return settings.get_current_profile_name().split("-with-")[0] == "fuzz"


def budget(examples: int, slow: bool = False) -> settings:
    """Hypothesis settings for a fuzz test: ``examples`` under the ``ci`` profile, the profile's under ``fuzz``.

    >>> budget(7).max_examples if settings.get_current_profile_name() == "ci" else 7
    7
    """
    common = {"deadline": None, "suppress_health_check": list(HealthCheck)}
    if in_fuzz_profile():
        return settings(**common)
    return settings(max_examples=examples, database=None, derandomize=not slow, **common)
