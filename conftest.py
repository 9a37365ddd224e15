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

# The default run's budget (README: the test command's duration).  These parametrized tests compare
# every case against an independent heavy computation (naive SymPy, 100-digit mp, a whole card); the
# first case of each runs by default, every case under -m slow.  Measured: together they were 200 of
# the 630 CPU-seconds of the default run.
import pytest  # noqa: E402

HEAVY_PARAMETRIZED = frozenset({
    "tests/lifts/width/test_second_order.py::test_block_formula_vs_naive_inertia",
    "tests/lifts/width/test_second_order.py::test_null_block_formula_vs_naive",
    "tests/lifts/width/test_second_order.py::test_K_block_is_the_wide_hessian_on_D_E",
    "tests/lifts/width/test_second_order.py::test_gradient_transfer_and_hessian_relations_vs_naive",
    "tests/lifts/width/test_second_order.py::test_inertia_monotone_vs_naive",
    "tests/theorems/test_cards_proofs.py::test_card_passes",
    "tests/calculus/test_backprop_vs_naive.py::test_exact_derivatives_equal_naive_sympy",
    "tests/lifts/width/test_symbolic.py::test_random_rational_instance_of_the_identities",
    "tests/lifts/depth/test_theorems.py::test_T2_formulas_against_naive_sympy",
    "tests/certify/test_embedded.py::test_null_neuron_against_mp",
    "tests/symmetry/test_subspaces.py::test_dimension_formula_equals_exact_rank",
    "tests/certify/test_critical.py::test_against_mp_reference",
    "tests/lifts/width/test_fukumizu_amari.py::test_sign_rule_vs_naive_inertia",
    "tests/certify/test_smooth.py::test_smooth_split_against_mp",
})


@pytest.hookimpl(tryfirst=True)  # before pytest's own -m deselection
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    seen: set[str] = set()
    for item in items:
        base, bracket, _ = item.nodeid.partition("[")
        if bracket and base in HEAVY_PARAMETRIZED:
            if base in seen:
                item.add_marker(pytest.mark.slow)
            seen.add(base)
