"""Core benchmarks (issue 2): exact analysis speed, ratio against naive SymPy, mp path.

Run:  python benchmarks/bench_core.py

1. exact gradient + Hessian + inertia of a 2-16-16-1 ReLU net (337 parameters)
   on 32 rational points (teacher data: a global minimum);
2. the same analysis of a 1-4-4-1 polynomial net on 10 points, against the
   naive way (``sympy.hessian`` of the full loss expression + ``Matrix.charpoly``
   and Descartes' rule), with the ratio;
3. the mp path at 50 digits on a 2-16-16-1 tanh net (337 parameters).
"""

from __future__ import annotations

import os
import platform
import sys
import time

os.environ.setdefault("SYMPY_GROUND_TYPES", "python")

import sympy  # noqa: E402

from exactlift.analysis import analyze  # noqa: E402
from exactlift.arith.contexts import flint_enabled  # noqa: E402
from exactlift.calculus.naive import naive_loss  # noqa: E402
from exactlift.errors import KinkError  # noqa: E402
from exactlift.nn.case import Case  # noqa: E402
from exactlift.nn.data import random_inputs, random_params, teacher_targets  # noqa: E402
from exactlift.nn.losses import parse_loss  # noqa: E402
from exactlift.nn.network import Architecture  # noqa: E402


def _case(widths, act, n, teacher=True):
    """A random rational case; the first seed whose ReLU pre-activations avoid every kink."""
    arch = Architecture.build(widths, act)
    for seed in range(1, 100):
        params = random_params(arch, seed=seed, size=9, denominators=13)
        X = random_inputs(n, widths[0], seed=seed + 1, size=5, denominators=11)
        try:
            Y = teacher_targets(arch, params, X) if teacher else random_inputs(n, widths[-1], seed=seed + 2)
        except KinkError:
            continue
        return Case(arch, params, X, Y, parse_loss("mse", widths[-1]))
    raise RuntimeError("no kink-free random case found")


def _naive_inertia(case: Case) -> tuple[tuple[int, int, int], float]:
    start = time.perf_counter()
    R, syms = naive_loss(case.arch, case.X, case.Y, case.loss)
    H = sympy.hessian(R, syms).xreplace(dict(zip(syms, [sympy.Rational(str(v)) for v in case.params.flatten()])))
    x = sympy.Symbol("x")
    coeffs = H.charpoly(x).all_coeffs()
    n = len(coeffs) - 1
    while coeffs and coeffs[-1] == 0:
        coeffs.pop()
    n_zero = n - (len(coeffs) - 1)

    def changes(seq):
        signs = [c > 0 for c in seq if c != 0]
        return sum(a != b for a, b in zip(signs, signs[1:]))

    n_plus = changes(coeffs)
    deg = len(coeffs) - 1
    n_minus = changes([c * (-1) ** (deg - k) for k, c in enumerate(coeffs)])
    return (n_minus, n_zero, n_plus), time.perf_counter() - start


def main() -> None:
    print(f"python {platform.python_version()}, sympy {sympy.__version__}, flint fast path: {flint_enabled()}, "
          f"SYMPY_GROUND_TYPES={os.environ.get('SYMPY_GROUND_TYPES')}", flush=True)
    case = _case([2, 16, 16, 1], "relu", 32)
    a = analyze(case, "exact")
    print(f"[1] exact analysis 2-16-16-1 relu, {case.arch.n_params} params, 32 points: {a.seconds:.2f} s "
          f"(target < 20 s); critical={a.critical}, inertia={a.inertia}", flush=True)

    small = _case([1, 4, 4, 1], "poly(0, 1, 0, 1/3)", 10, teacher=False)
    b = analyze(small, "exact")
    naive_inert, naive_s = _naive_inertia(small)
    assert naive_inert == b.inertia, (naive_inert, b.inertia)
    print(f"[2] 1-4-4-1 poly, {small.arch.n_params} params, 10 points: exactlift {b.seconds:.3f} s, "
          f"naive sympy.hessian + charpoly {naive_s:.1f} s, ratio {naive_s / b.seconds:.0f}x (target >= 100x); "
          f"inertia agrees: {b.inertia}")

    tanh = _case([2, 16, 16, 1], "tanh", 32, teacher=False)
    c = analyze(tanh, "mp", digits=50)
    print(f"[3] mp (50 digits) analysis 2-16-16-1 tanh, {tanh.arch.n_params} params, 32 points: {c.seconds:.2f} s; "
          f"inertia (numerical) {c.inertia}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
