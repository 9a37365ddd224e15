"""Benchmark: exact inertia of Hessian-like symmetric rational matrices.

Run as ``python benchmarks/bench_linalg.py`` (under 2 minutes on a 2-core machine).

Matrices: H = Jᵀ J + D, J a random n×n matrix with entries p/q (|p| ≤ 9,
1 ≤ q ≤ 10), D a diagonal with entries of the same kind shifted negative so
that H is indefinite (like the Hessian of a least-squares loss at a saddle).

Compared:
* ``inertia(method="charpoly")``: python-flint ``fmpq_mat.charpoly`` + Descartes;
* ``inertia(method="ldl")``: the pure-Python fraction-free congruence elimination,
  only up to ``--ldl-max`` (default 200, about half a minute);
* the naive reference ``sympy.Matrix.charpoly`` on the 20×20 (and 100×100), run in
  a fresh interpreter with SymPy ground types ``flint`` and ``python``.
Both engines must agree wherever both run; the script exits non-zero otherwise.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from exactlift.arith.linalg import inertia, kernel, to_fmpq_mat  # noqa: E402


def hessian_like(n: int, seed: int) -> list[list[Fraction]]:
    """Jᵀ J + D with small-height rational entries (denominators up to 10), exactly."""
    import flint

    rng = random.Random(seed)
    J = flint.fmpq_mat(
        n, n, [flint.fmpq(rng.randint(-9, 9), rng.randint(1, 10)) for _ in range(n * n)]
    )
    H = J.transpose() * J
    for i in range(n):
        H[i, i] -= flint.fmpq(rng.randint(1, 30) * n // 4, rng.randint(1, 10))
    flat = H.entries()
    return [[Fraction(int(x.p), int(x.q)) for x in flat[i * n : (i + 1) * n]] for i in range(n)]


_SYMPY_CHILD = r"""
import json, sys, time
import sympy
n, entries = json.load(sys.stdin)
M = sympy.Matrix(n, n, [sympy.Rational(e) for e in entries])
t0 = time.perf_counter()
M.charpoly()
print(sympy.polys.domains.GROUND_TYPES, time.perf_counter() - t0)
"""


def sympy_charpoly_time(H: list[list[Fraction]], ground_types: str) -> tuple[str, float]:
    """Time ``sympy.Matrix.charpoly`` in a fresh interpreter with the given ground types."""
    import json
    import subprocess

    env = dict(os.environ, SYMPY_GROUND_TYPES=ground_types)
    payload = json.dumps([len(H), [str(x) for row in H for x in row]])
    out = subprocess.run(
        [sys.executable, "-c", _SYMPY_CHILD], input=payload, env=env,
        capture_output=True, text=True, check=True,
    ).stdout.split()
    return out[0], float(out[1])


def timed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """(result, wall-clock seconds) of one call."""
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[20, 100, 200, 337])
    ap.add_argument("--ldl-max", type=int, default=200, help="largest size run with ldl")
    ap.add_argument(
        "--sympy-sizes", type=int, nargs="*", default=[20, 100],
        help="sizes also timed with the naive sympy.Matrix.charpoly",
    )
    ap.add_argument("--kernel-shape", type=int, nargs=3, default=[80, 100, 60],
                    metavar=("ROWS", "COLS", "RANK"))
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()

    import flint
    import sympy

    print(
        f"python {platform.python_version()}, python-flint {flint.__version__}, "
        f"sympy {sympy.__version__} (ground types: {sympy.polys.domains.GROUND_TYPES}), "
        f"{os.cpu_count()} cpus"
    )
    ok = True
    for n in args.sizes:
        H = hessian_like(n, args.seed + n)
        Hq = to_fmpq_mat(H)  # conversion is not part of either engine's time
        row: dict[str, float] = {}
        ic, row["charpoly"] = timed(inertia, Hq, method="charpoly")
        line = f"n={n:4d}  inertia={ic}  charpoly(flint) {row['charpoly']:8.3f} s"
        if n <= args.ldl_max:
            il, row["ldl"] = timed(inertia, H, method="ldl")
            line += f"  ldl(pure) {row['ldl']:8.3f} s  ldl/charpoly = {row['ldl'] / row['charpoly']:7.1f}"
            if il != ic:
                ok = False
                line += f"  MISMATCH ldl={il}"
        else:
            line += "  ldl(pure) skipped (> --ldl-max)"
        if n in args.sympy_sizes:
            for gt in ("flint", "python"):
                used, t = sympy_charpoly_time(H, gt)
                line += (
                    f"\n        naive sympy.Matrix.charpoly (ground types {used:6s}) {t:8.3f} s"
                    f"  sympy/charpoly = {t / row['charpoly']:6.1f}"
                )
                if "ldl" in row:
                    line += f"  sympy/ldl = {t / row['ldl']:6.1f}"
        print(line, flush=True)
    # kernel of a rank-deficient rectangular matrix (rank r < rows < cols)
    rows, cols, r = args.kernel_shape
    rng = random.Random(args.seed)
    A = [[Fraction(rng.randint(-5, 5), rng.randint(1, 6)) for _ in range(r)] for _ in range(rows)]
    B = [[Fraction(rng.randint(-5, 5), rng.randint(1, 6)) for _ in range(cols)] for _ in range(r)]
    M = [[sum(A[i][k] * B[k][j] for k in range(r)) for j in range(cols)] for i in range(rows)]
    kf, tf = timed(kernel, M, method="flint")
    kp, tp = timed(kernel, M, method="pure")
    same = kf == kp
    ok = ok and same
    print(
        f"kernel {rows}x{cols} of rank {r}: dim {len(kf)}  flint {tf:8.3f} s  pure {tp:8.3f} s"
        f"  pure/flint = {tp / tf:6.1f}  {'identical bases' if same else 'MISMATCH'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
