"""``exactlift demo``: a short end-to-end example that proves something exactly.

1. Take a 1-2-1 network with the rational activation σ(z) = z/(1 + z²) and
   rational parameters θ.
2. Make θ an exact critical point with non-zero loss (the residual lies in the
   kernel of Jᵀ, docs/mathematics.md).
3. Analyze it exactly: the gradient is exactly zero, the Hessian inertia is
   exact.
4. Cross-check the layered exact Hessian against ``sympy.hessian`` of the full
   loss expression (an independent computation).
5. Width embedding: split a hidden neuron, check that the split point is again
   critical, that the output function is unchanged, and that no inertia count
   decreased (Zhang et al. 2021/2022, arXiv 2105.14573 and 2111.15527).

Every step states its claim and source (:mod:`exactlift.sources`); long
rationals are printed as short decimals (``exact_digits``).

>>> run_demo(verbose=False)  # doctest: +SKIP
PROVED
0
"""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Any, Callable

import sympy

from exactlift.analysis import Analysis, analyze
from exactlift.calculus.naive import naive_derivatives
from exactlift.display import DEFAULT_EXACT_DIGITS, math_text, present, short_rational
from exactlift.lifts import SplitNeuron
from exactlift.nn.case import Case
from exactlift.nn.examples import demo_case
from exactlift.sources import CLAIMS


def _network(case: Case) -> str:
    acts = sorted({math_text(a.spec) for a in case.arch.activations})
    sigma = ", ".join(f"σ(z) = {a}" for a in acts)
    return f"{case.arch.describe().split(' net')[0]} network, {sigma}"


def run_demo(verbose: bool = True, exact_digits: int = DEFAULT_EXACT_DIGITS) -> int:
    """Run the demo; return 0 when every check passed, 1 otherwise."""
    say: Callable[..., Any] = print if verbose else (lambda *a, **k: None)
    ok = True
    t0 = time.perf_counter()
    case = demo_case()
    crit = CLAIMS["critical-point"]
    say(f"[1] a {_network(case)}, {case.n_samples} rational training points")
    say("[2] targets chosen so that θ is critical with non-zero loss (residual in ker Jᵀ)")
    a = analyze(case, "exact")
    say(f"[3] claim: {crit.text}")
    say(f"    source: {crit.source()}")
    say(f"    exact analysis ({a.context}):")
    for line in a.report().splitlines()[3:]:
        say("      " + present(line, exact_digits))
    ok &= bool(a.critical) and a.loss != "0"
    value, grad, H = naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss)
    same = (
        sympy.Rational(a.loss) == value
        and all(sympy.Rational(str(g)) == r for g, r in zip(a.derivatives.gradient, grad))
        and all(
            sympy.Rational(str(a.derivatives.hessian[i, j])) == H[i, j]
            for i in range(case.arch.n_params)
            for j in range(case.arch.n_params)
        )
    )
    ok &= same
    hess = CLAIMS["exact-hessian"]
    say(f"[4] claim: {hess.text}")
    say(f"    source: {hess.source()}")
    say(f"    {'proved' if same else 'FAILS'}: all {case.arch.n_params ** 2} entries agree" if same else "    FAILS")
    ok &= _demo_split(case, a, say, exact_digits)
    verdict = "PROVED" if ok else "FAILED"
    say(f"{verdict} (exact arithmetic, no rounding) in {time.perf_counter() - t0:.2f} s; "
        "exact values: exactlift examples smooth-saddle -o case.json && exactlift analyze case.json --json")
    if not verbose:
        print(verdict)
    return 0 if ok else 1


def _demo_split(case: Case, narrow: Analysis, say: Callable[..., Any], exact_digits: int) -> bool:
    lift = SplitNeuron(layer=1, neuron=0, alpha=Fraction(1, 3))
    wide = lift.apply_case(case)
    b = analyze(wide, "exact")
    monotone = all(w >= n for w, n in zip(b.inertia, narrow.inertia))
    emb = CLAIMS["width-embedding"]
    say(f"[5] claim: {emb.text}")
    say(f"    source: {emb.source()}")
    say(f"    split neuron 0 of hidden layer 1 with α = 1/3: the wide net is a {_network(wide)}")
    say(f"      critical: {b.critical}, loss {short_rational(b.loss, exact_digits)} "
        f"(narrow {short_rational(narrow.loss, exact_digits)}, equal: {b.loss == narrow.loss})")
    say(f"      inertia (n₋, n₀, n₊) {narrow.inertia} → {b.inertia}: no count decreased: {monotone}")
    return bool(b.critical) and b.loss == narrow.loss and monotone
