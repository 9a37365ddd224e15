"""Benchmark: lift a critical 2-16-16-1 ReLU point by a width-16 layer and fully re-verify it, exactly.

Run as ``python benchmarks/bench_depth.py`` (target: re-verification under 60 s on a 2-core machine).

1. θ: a 2-16-16-1 ReLU network (337 parameters) with non-zero rational weights; 320 rational
   inputs; targets from :func:`exactlift.nn.data.critical_targets` make θ an exact critical point
   with non-zero loss (320 > rank of the output Jacobian).
2. Lift: :class:`~exactlift.lifts.depth.IdentityLift` after hidden layer 1 (A = I, c = 1; ReLU
   outputs are ≥ 0), giving a 2-16-16-16-1 network with 609 parameters (exactlift formalization of
   arXiv 2205.13283).
3. Full re-verification of the deep point from scratch: exact gradient and Hessian by the core
   (layered back-propagation over flint rationals), criticality (every gradient entry exactly 0),
   exact inertia (:func:`exactlift.arith.linalg.inertia`: modular pivot proposal,
   exact Schur-complement proof of the rank, integer charpoly + Descartes on the non-singular
   block), and T3 against the shallow inertia.

``--compare-full`` also runs the flint charpoly of the whole 609 × 609 matrix (no reduction)
for the ratio — slow (minutes).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from exactlift.arith.contexts import get_context  # noqa: E402
from exactlift.calculus.backprop import derivatives  # noqa: E402
from exactlift.lifts.depth import IdentityLift  # noqa: E402
from exactlift.arith.linalg import inertia  # noqa: E402
from exactlift.nn.case import Case  # noqa: E402
from exactlift.nn.data import critical_targets  # noqa: E402
from exactlift.nn.losses import parse_loss  # noqa: E402
from exactlift.nn.network import Architecture, Params  # noqa: E402


def shallow_case(samples: int, seed: int) -> Case:
    arch = Architecture.build([2, 16, 16, 1], "relu")
    rng = random.Random(seed)

    def nonzero() -> Fraction:
        while True:
            v = Fraction(rng.randint(-9, 9), rng.choice([2, 3, 5, 7]))
            if v:
                return v

    theta = Params.from_flat(arch, [nonzero() for _ in range(arch.n_params)])
    X = [[Fraction(rng.randint(-30, 30), rng.choice([11, 13, 17, 19])) for _ in range(2)] for _ in range(samples)]
    Y = critical_targets(arch, theta, X, seed=seed + 2)
    return Case(arch, theta, X, Y, parse_loss("mse", 1), name="bench 2-16-16-1")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=320)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--after-layer", type=int, default=1)
    ap.add_argument("--compare-full", action="store_true", help="also time the charpoly of the whole deep Hessian (no reduction)")
    args = ap.parse_args()
    ctx = get_context("exact")
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cpu(s), {ctx.describe()}")

    t = time.perf_counter()
    case = shallow_case(args.samples, args.seed)
    t_data = time.perf_counter() - t
    print(f"shallow: {case.arch.describe()}, {case.arch.n_params} parameters, {case.n_samples} samples "
          f"(critical targets in {t_data:.2f} s)")

    t = time.perf_counter()
    X, Y = case.arrays(ctx)
    ds = derivatives(case.arch, case.params, X, Y, case.loss, ctx, order=2)
    shallow_critical = all(g == 0 for g in ds.gradient)
    t_sh_h = time.perf_counter() - t
    t = time.perf_counter()
    s_in = inertia(ds.hessian)
    t_sh_i = time.perf_counter() - t
    print(f"shallow: critical {shallow_critical}, inertia {s_in} (Hessian {t_sh_h:.2f} s, inertia {t_sh_i:.2f} s)")

    t_total = time.perf_counter()
    t = time.perf_counter()
    result = IdentityLift(args.after_layer).lift(case)
    deep = result.deep
    t_lift = time.perf_counter() - t
    t = time.perf_counter()
    Xd, Yd = deep.arrays(ctx)
    dd = derivatives(deep.arch, deep.params, Xd, Yd, deep.loss, ctx, order=2)
    t_hess = time.perf_counter() - t
    t = time.perf_counter()
    critical = all(g == 0 for g in dd.gradient)
    t_crit = time.perf_counter() - t
    t = time.perf_counter()
    d_in = inertia(dd.hessian)
    t_in = time.perf_counter() - t
    total = time.perf_counter() - t_total
    diff = deep.arch.n_params - case.arch.n_params
    t3 = d_in == (s_in[0], s_in[1] + diff, s_in[2])
    print(f"deep:    {deep.arch.describe()}, {deep.arch.n_params} parameters ({result.l1_method})")
    print(f"  lift ((L1) check, B and e exact)      {t_lift:7.2f} s")
    print(f"  exact gradient + Hessian (609 x 609)  {t_hess:7.2f} s")
    print(f"  criticality (609 entries exactly 0)   {t_crit:7.2f} s  -> {critical}")
    print(f"  exact inertia (reduced)               {t_in:7.2f} s  -> {d_in}")
    print(f"  T3: n-, n+ kept, n0 + {diff}: {t3}")
    print(f"lift + full re-verification: {total:.2f} s (target < 60 s)")
    ok = shallow_critical and critical and t3
    if args.compare_full:
        from exactlift.arith.linalg import _descartes_inertia, to_fmpq_mat

        t = time.perf_counter()
        full = _descartes_inertia(to_fmpq_mat(dd.hessian))  # the charpoly of the whole matrix, no reduction
        t_full = time.perf_counter() - t
        print(f"core inertia of the full 609 x 609 Hessian (flint charpoly): {t_full:.1f} s -> {full}; "
              f"ratio {t_full / t_in:.1f}x")
        ok = ok and full == d_in
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
