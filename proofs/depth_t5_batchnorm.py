"""Card: T5 — batch normalization and critical lifting (docs/depth.md).

After normalization over a batch of n (not all equal), max ẑ ≥ 1/√(n−1) and
min ẑ ≤ −1/√(n−1) (equality for the batch (−(n−1), 1, …, 1)).  Hence a
ReLU+BN neuron relu(γẑ + β) is linear on the batch only if |β| > |γ|/√(n−1),
never with β = 0; with such a shift the BN-lifted point of a critical point
is critical (exact algebraic arithmetic).

Independent checks here: the bound is re-decided by SymPy with the exact
algebraic number 1/√(n−1); the linearity of relu(γẑ_i + β) is re-decided
by SymPy signs of γẑ_i + β (ẑ_i algebraic).
"""

import random
from fractions import Fraction

import sympy

from exactlift.lifts.depth.batchnorm import (
    check_bn_beta_zero,
    check_bn_bound,
    check_bn_lift,
    check_bn_linearization_needs_shift,
)
from exactlift.theorems import step
from exactlift.theorems.cases import small_case, step_from_check

TITLE = "Depth T5: a ReLU+BN neuron is linear on a batch only if |beta| > |gamma|/sqrt(n-1)"
STATEMENT = r"""For a batch $z_1, \dots, z_n$ (not all equal) and $\hat z_i = (z_i - \mu)/\sqrt{v}$:
$\max_i \hat z_i \ge 1/\sqrt{n-1}$ and $\min_i \hat z_i \le -1/\sqrt{n-1}$. So $\mathrm{relu}(\gamma \hat z_i + \beta)$ is affine on
the batch only if $|\beta| > |\gamma|/\sqrt{n-1}$ (never with $\beta = 0$), and with such a shift inserting a
ReLU+BN layer lifts a critical point to a critical point with the same outputs on the batch."""
SOURCE = "exactlift formalization of arXiv 2205.13283 (Bai, Luo, Xu, Zhang: Embedding Principle in Depth)"
STRENGTH = "exact"


def _batches():
    rng = random.Random(5)
    out = [[Fraction(-(n - 1))] + [Fraction(1)] * (n - 1) for n in range(2, 7)]  # equality cases
    for n in range(2, 9):
        for _ in range(3):
            b = [Fraction(rng.randint(-9, 9), rng.randint(1, 4)) for _ in range(n)]
            if len(set(b)) > 1:
                out.append(b)
    return out


def _zhat(b):
    n = len(b)
    mu = sum(b, Fraction(0)) / n
    v = sum(((x - mu) ** 2 for x in b), Fraction(0)) / n
    return [(sympy.Rational(x - mu)) / sympy.sqrt(sympy.Rational(v)) for x in b]


PAIRS = [(1, 0), (1, Fraction(1, 3)), (1, Fraction(1, 2)), (1, 1), (-1, 2), (2, Fraction(-3, 2)), (Fraction(1, 2), 3)]


def cases():
    yield f"bound on {len(_batches())} exact batches", ("bound",)
    yield "beta = 0 is never linear", ("beta0",)
    yield "linear only with the shift", ("shift",)
    yield "BN lift of 1-1 linear fit", ("lift", small_case([1, 1], [], 4, 0, "critical"), 0, [[1]])
    yield "BN lift of 1-1-1 z/(1+z^2)", ("lift", small_case([1, 1, 1], "z/(1 + z**2)", 6, 1, "critical"), 1, [[1]])


def check(spec):
    kind = spec[0]
    batches = _batches()
    if kind == "bound":
        indep, equal = True, 0
        for b in batches:
            z = _zhat(b)
            bound = 1 / sympy.sqrt(len(b) - 1)
            indep &= bool(sympy.simplify(max(z, key=lambda t: float(t)) - bound) >= 0)
            indep &= bool(sympy.simplify(min(z, key=lambda t: float(t)) + bound) <= 0)
            equal += sympy.simplify(max(z, key=lambda t: float(t)) - bound) == 0
        return [step_from_check(check_bn_bound(batches)),
                step("SymPy: max zhat >= 1/sqrt(n-1) >= -min zhat on every batch", indep),
                step("equality is attained by (-(n-1), 1, ..., 1)", equal >= 5, f"{equal} batches attain it")]
    if kind == "beta0":
        mixed = all(len({sympy.sign(g * t) for t in _zhat(b)} - {0}) == 2 for b in batches for g in (1, -1, 7))
        return [step_from_check(check_bn_beta_zero(batches)),
                step("SymPy: gamma*zhat_i takes both signs on every batch", mixed)]
    if kind == "shift":
        bad = []
        for b in batches:
            n = len(b)
            for g, be in PAIRS:
                signs = {sympy.sign(sympy.Rational(g) * t + sympy.Rational(be)) for t in _zhat(b)}
                if signs in ({1}, {-1}) and not Fraction(be) ** 2 * (n - 1) > Fraction(g) ** 2:
                    bad.append((b, g, be))
        return [step_from_check(check_bn_linearization_needs_shift(batches, PAIRS)),
                step("SymPy: every linear (gamma, beta) has beta^2 (n-1) > gamma^2", not bad, f"{len(bad)} violations")]
    _, case, q, A = spec
    return [step_from_check(c) for c in check_bn_lift(case, q, A, [1] * len(A), [5] * len(A))]
