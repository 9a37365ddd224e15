"""Test-only conjectures for test_sweeps.py (loaded with load_file; never shipped)."""

import os
import time
from fractions import Fraction

from exactlift.conjectures import conjecture
from exactlift.testing.strategies import rationals, widths


@conjecture(name="sweep.square", grid={"n": list(range(12)), "q": ["1/2", "-3"]})
def square(n, q):
    v = Fraction(q) * n
    assert v * v >= 0 and (n != 7 or q != "-3"), f"planted failure at n={n}"


@conjecture(name="sweep.sleepy", grid={"n": [0, 1, 2]}, timeout=1.5)
def sleepy(n):
    if n == 1:
        time.sleep(60)


@conjecture(name="sweep.crashy", grid={"n": [0, 1, 2]})
def crashy(n):
    if n == 1:
        os._exit(7)


@conjecture(name="sweep.planted", search="hypothesis",
            strategies={"q": rationals(), "widths": widths()})
def planted(q, widths):
    """Planted: fails iff q >= 3/2 and the network has >= 3 layers of widths; minimal: q=2, [1, 1, 1]."""
    assert not (q >= Fraction(3, 2) and len(widths) >= 3), f"q={q}, widths={widths}"


@conjecture(name="sweep.stuck", grid={"n": list(range(6))}, timeout=5)
def stuck(n):
    """Two cases that would run for two minutes: on two workers they stall the sweep unless replaced."""
    if n in (1, 2):
        time.sleep(120)


def _planted_lift_strategies():
    from exactlift.conjectures.strategies import lift_problems

    return {"problem": lift_problems()}


@conjecture(name="sweep.planted_lift", search="hypothesis", strategies=_planted_lift_strategies,
            case_of=lambda problem: problem.case())
def planted_lift(problem):
    """Planted: fails iff the lift has a split step with ratio alpha >= 2."""
    from exactlift.lifts.width.embeddings import SplitNeuron

    bad = [s for s in problem.lift.steps() if isinstance(s, SplitNeuron) and s.alpha >= 2]
    assert not bad, f"{problem}"


@conjecture(name="sweep.nap", grid={"n": [0, 1, 2, 3]}, timeout=1)
def nap(n):
    """One case naps 3 s past a 1 s limit (short enough for a thread that cannot be killed)."""
    if n == 1:
        time.sleep(3)
