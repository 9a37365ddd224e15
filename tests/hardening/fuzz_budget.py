"""Example budgets of the hardening fuzz suite, tied to the Hypothesis profile in force.

The root ``conftest.py`` registers two profiles.  Under ``ci`` (the default) a fast test runs its
small budget, derandomized, so that a clean clone sees the same examples as CI; a slow test
(``-m slow``) runs its larger budget with random seeds.  Under ``fuzz``
(``--hypothesis-profile fuzz``) every test takes the profile's large budget and random seeds: the
exploratory run of docs/limits.md ("Fuzzing").
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

__all__ = ["budget"]


def budget(examples: int, slow: bool = False) -> settings:
    """Hypothesis settings for a fuzz test: ``examples`` under the ``ci`` profile, the profile's under ``fuzz``.

    >>> budget(7).max_examples if settings.get_current_profile_name() == "ci" else 7
    7
    """
    common = {"deadline": None, "suppress_health_check": list(HealthCheck)}
    if settings.get_current_profile_name() == "fuzz":
        return settings(**common)
    return settings(max_examples=examples, database=None, derandomize=not slow, **common)
