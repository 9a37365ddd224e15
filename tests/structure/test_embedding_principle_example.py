"""examples/embedding_principle.py: a reduced run ends in a certified verdict, checked independently in mp."""

from __future__ import annotations

import importlib.util
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import pytest

from exactlift import Params, compose, derivatives, get_context

pytest.importorskip("scipy")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "embedding_principle.py"


def load_example():
    spec = importlib.util.spec_from_file_location("embedding_principle", EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_plateaus_are_the_flat_parts_of_the_loss_curve():
    ep = load_example()
    t = np.arange(1, 20001.0)
    # flat until 100, a power-law drop, flat again from 2000 to 5000, then a drop to the end
    L = np.where(t < 100, 1.0, np.where(t < 2000, (100 / t) ** 2, np.where(t < 5000, 0.0025, 0.0025 * (5000 / t) ** 2)))
    found = ep.plateau_steps(L, np.abs(np.gradient(L)) + 1e-12 * t, skip=5)  # smallest |grad| early in a plateau
    assert any(k < 100 for k in found) and any(2000 <= k < 5000 for k in found)
    assert all(not (200 <= k < 1900) for k in found)  # never inside the power-law drop


def test_orientation_identifies_sign_flipped_neurons():
    ep = load_example()
    w, b = np.array([1.0, -1.0, 2.0]), np.array([0.5, -0.5, -1.0])
    o = ep.orientation(w, b)
    assert o[0] == o[1] and abs(o[2] + o[0]) < 1e-15 and np.all(np.abs(o) <= np.pi / 2)


@pytest.mark.slow
def test_reduced_run_ends_certified_and_agrees_with_mp():
    """The width-1 plateau of a 5000-step run: exactlift's verdict against 100-digit mpmath at the exactly
    embedded point (gradient, and the inertia from the eigenvalues of the full 151 × 151 Hessian)."""
    ep = load_example()
    results = ep.main(m=50, steps=5000, lbfgs=20, figures=False)
    certified = [r for r in results if r["explanation"] is not None and r["explanation"].critical]
    assert certified, "the reduced run must end in at least one certified verdict"
    r = certified[0]
    e = r["explanation"]
    c = e.condensation
    assert e.strength == "certified" and e.inertia is not None
    centre = e.narrow_certificate.center_exact
    narrow = c.narrow.with_params(c.narrow.arch, Params.from_flat(c.narrow.arch, centre))
    wide = compose(*c.lifts).apply_case(narrow)  # T c, exactly
    given = r["case"].params.flatten()
    gap = max(abs(Fraction(a) - Fraction(b)) for a, b in zip(wide.params.flatten(), given))
    assert gap <= e.distance <= gap + Fraction(1, 10**20)  # the radius term is tiny
    ctx = get_context("mp", 100)
    X, Y = wide.arrays(ctx)
    d = derivatives(wide.arch, wide.params, X, Y, wide.loss, ctx)
    with mpmath.workdps(100):
        assert max(abs(g) for g in d.gradient) < mpmath.mpf(10) ** -30  # critical up to the 40-digit centre
        ev = mpmath.eigsy(mpmath.matrix(d.hessian.tolist()), eigvals_only=True)
        zero, big = mpmath.mpf(10) ** -25, mpmath.mpf(10) ** -10
        assert all(abs(v) < zero or abs(v) > big for v in ev)  # a clear gap
        expected = [sum(1 for v in ev if v < -big), sum(1 for v in ev if abs(v) < zero), sum(1 for v in ev if v > big)]
    assert e.inertia == expected
