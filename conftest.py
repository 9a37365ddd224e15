"""Test-session set-up shared by the whole suite.

SymPy picks its ground types (python, gmpy, flint) at import time; exactlift
does not depend on them for any decision, but we pin them so that timings and
printed forms are reproducible across machines (DESIGN: pin
SYMPY_GROUND_TYPES in CI).  A user may override by exporting the variable.
"""

import os

os.environ.setdefault("SYMPY_GROUND_TYPES", "python")

# Hypothesis profiles (issue 11).  "ci", loaded by default: derandomized (the same examples on every
# run and every clone), no example database, no deadline; each test keeps its small budget.  "fuzz",
# for exploration: random seeds and a larger budget for the fuzz suite in tests/hardening, e.g.
#   pytest tests/hardening -m "slow or not slow" --hypothesis-profile fuzz -p no:cacheprovider
# (docs/limits.md, "Fuzzing").  --hypothesis-profile and --hypothesis-seed override the default.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ci", derandomize=True, database=None, deadline=None,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("fuzz", derandomize=False, deadline=None,
                          max_examples=int(os.environ.get("EXACTLIFT_FUZZ_EXAMPLES", "2000")),
                          suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("EXACTLIFT_HYPOTHESIS_PROFILE", "ci"))
