"""Each test sees the conjecture registry as it was before it: a conjecture a test registers
(a planted counterexample, say) must not leak into another test's ``run --all``."""

import pytest

from exactlift.conjectures.registry import REGISTRY, load_builtin


@pytest.fixture(autouse=True)
def _isolated_registry():
    load_builtin()  # the shipped conjectures belong to every test's view
    saved = dict(REGISTRY)
    yield
    REGISTRY.clear()
    REGISTRY.update(saved)

# sweep_claims.py registers planted conjectures when imported; only test_sweeps loads it (with
# load_file), so --doctest-modules must not import it at collection time.
collect_ignore = ["sweep_claims.py"]
