"""``exactlift demo``: a short end-to-end example that proves something exactly.

1. Take a 1-2-1 network with the rational activation σ(z) = z/(1 + z²) and
   random rational parameters θ.
2. Make θ an exact critical point with non-zero loss (docs/mathematics.md: residual in
   the kernel of Jᵀ).
3. Analyze it exactly: the gradient is exactly zero, the Hessian inertia is
   exact.
4. Cross-check the layered exact Hessian against ``sympy.hessian`` of the full
   loss expression (an independent computation).
5. Width embedding (when available): split a hidden neuron, check that the
   split point is again critical, that the output function is unchanged, and
   that no inertia count decreased.
"""

from __future__ import annotations

import time
from fractions import Fraction

import sympy

from exactlift.analysis import analyze
from exactlift.calculus.naive import naive_derivatives
from exactlift.nn.case import Case
from exactlift.nn.examples import demo_case  # noqa: F401 (the demo's case lives with the other examples)


def run_demo(verbose: bool = True) -> int:
    """Run the demo; return 0 when every check passed, 1 otherwise."""
    say = print if verbose else (lambda *a, **k: None)
    ok = True
    t0 = time.perf_counter()
    case = demo_case()
    say(f"[1] {case.arch.describe()}, {case.n_samples} rational training points")
    say("[2] targets chosen so that theta is critical with non-zero loss (residual in ker J^T)")
    a = analyze(case, "exact")
    say(f"[3] exact analysis ({a.context}):")
    for line in a.report().splitlines()[3:]:
        say("      " + line)
    ok &= a.critical and a.loss != "0"
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
    say(f"[4] layered exact Hessian == sympy.hessian of the full loss expression: {same}")
    try:
        from exactlift.lifts import SplitNeuron  # noqa: F401  (width module; see issue 3)
    except ImportError:
        SplitNeuron = None
    if SplitNeuron is not None:
        ok &= _demo_split(case, a, say)
    verdict = "PROVED" if ok else "FAILED"
    say(f"{verdict} (exact arithmetic, no rounding) in {time.perf_counter() - t0:.2f} s")
    if not verbose:
        print(verdict)
    return 0 if ok else 1


def _demo_split(case: Case, narrow, say) -> bool:
    from exactlift.lifts import SplitNeuron

    lift = SplitNeuron(layer=1, neuron=0, alpha=Fraction(1, 3))
    wide = lift.apply_case(case)
    b = analyze(wide, "exact")
    monotone = all(w >= n for w, n in zip(b.inertia, narrow.inertia))
    say(f"[5] width embedding {lift}: wide net {wide.arch.describe()}")
    say(f"      critical: {b.critical}, loss {b.loss} (narrow {narrow.loss})")
    say(f"      inertia {narrow.inertia} -> {b.inertia}: no count decreased: {monotone}")
    return b.critical and b.loss == narrow.loss and monotone
