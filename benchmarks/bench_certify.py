"""Benchmark of ``certify``: Krawczyk-certified tanh critical points, and certified inertia vs mp.

    python benchmarks/bench_certify.py                 # 8-10-1 (101 parameters) and growth to 300+
    python benchmarks/bench_certify.py --small         # 4-6-1 and 8-10-1 only (while developing)
    python benchmarks/bench_certify.py --inertia       # the 337-parameter (2-16-16-1) tanh Hessian at 50 digits:
                                                       # ball LDLᵀ (certified) vs mpmath Bunch–Kaufman (numerical)
    python benchmarks/bench_certify.py --mp-analysis   # also the mp-only analysis of each candidate
    python benchmarks/bench_certify.py --small --repeat 5   # each certify 5 times: min and median
    python benchmarks/bench_certify.py --stall         # the 24-12-1 fit that stalls (honest failure, ~200 s)

Candidates come from a float64 teacher–student fit (tests/certify/trainer.py, not timed); the time
reported is that of ``certify_critical_point`` only, split into refinement / Krawczyk / inertia.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "certify"))

from trainer import make_candidate  # noqa: E402

from exactlift.certify.critical import ball_derivatives, certify_critical_point  # noqa: E402
from exactlift.nn.case import case_from_dict  # noqa: E402

#: (widths, points, teacher scale, label noise).  Growth nets keep many inputs per hidden neuron and more
#: training outputs than parameters: 8-20-1 / 8-30-1 on 400 points and 4-40-1 / 4-60-1 on 800 points end
#: their float fits at |grad| 1e-7…1e-5 with Hessian eigenvalues of 1e-8…1e-7 (and negative ones): the mp
#: Newton iteration does not converge from there (8-20-1: 40 steps, |grad R| stays 1.8e-7), see docs/certified.md
NETS = [([8, 10, 1], 400, 1.0, 0.05), ([4, 20, 1], 800, 2.0, 0.01), ([18, 10, 1], 800, 1.0, 0.05),
        ([16, 18, 1], 1600, 1.0, 0.05)]
#: a fit that stalls (float |grad| 8.4e-7, lambda_min 6.8e-7): certify says no critical point within the
#: candidate's box and explains why (``--stall``; about 200 s, almost all in the non-converging mp Newton)
STALL = [([24, 12, 1], 1600, 1.0, 0.05)]
SMALL = [([4, 6, 1], 200, 1.0, 0.05), ([8, 10, 1], 400, 1.0, 0.05)]


def certify_growth(nets: list, mp_analysis: bool, repeat: int = 1) -> None:
    """certify on isolated tanh critical points of growing size (``repeat`` runs: min / median)."""
    for widths, n, scale, noise in nets:
        t = time.perf_counter()
        case = case_from_dict(make_candidate(widths, "tanh", n, noise=noise, scale=scale, seed=0))
        fit = time.perf_counter() - t
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            res = certify_critical_point(case, digits=40)
            runs.append((time.perf_counter() - t, res.times))
        walls = sorted(w for w, _ in runs)
        wall, tt = min(runs, key=lambda x: x[0])
        med = statistics.median(walls)
        line = (f"{'-'.join(map(str, widths))} tanh, {case.arch.n_params} params, {n} points "
                f"(float fit {fit:.1f} s, not timed): critical={res.critical} inertia={res.inertia} "
                f"radius={res.radius} distance={res.distance} |grad|<={res.gradient_norm}; fastest run: "
                f"refine {tt['refine']:.2f} s, Krawczyk {tt['krawczyk']:.2f} s, inertia {tt['inertia']:.2f} s, "
                f"total {wall:.2f} s; min {walls[0]:.2f} s, median {med:.2f} s of {repeat} "
                f"(load average {os.getloadavg()[0]:.1f}, {res.prec} bits)"
                + (f"; reason: {res.reason}" if res.reason else ""))
        if mp_analysis and case.arch.n_params <= 150:  # the mp Hessian of the larger nets takes minutes
            from exactlift.analysis import analyze

            t = time.perf_counter()
            a = analyze(case, "mp", digits=40)
            line += f"; mp-only analysis (numerical): critical={a.critical} inertia={a.inertia} in " \
                    f"{time.perf_counter() - t:.2f} s"
        print(line, flush=True)


def inertia_337() -> None:
    """The 337-parameter tanh Hessian at 50 digits: ball LDLᵀ vs mpmath Bunch–Kaufman, same run."""
    import mpmath
    import numpy as np

    from exactlift.arith.ball_ldl import ball_ldl_signs
    from exactlift.arith.numerical import mp_inertia

    case = case_from_dict(make_candidate([2, 16, 16, 1], "tanh", 400, noise=0.05, scale=1.0, seed=0))
    P = case.arch.n_params
    prec = 176  # ~50 digits
    theta = [x for x in case.params.flatten()]
    t = time.perf_counter()
    _, _, H = ball_derivatives(case, theta, prec)
    th = time.perf_counter() - t
    t = time.perf_counter()
    r = ball_ldl_signs(H, prec=prec)
    tb = time.perf_counter() - t
    print(f"2-16-16-1 tanh on 400 points ({P} parameters): ball Hessian at {prec} bits in {th:.1f} s; "
          f"ball LDLᵀ inertia {r.inertia} in {tb:.2f} s (certified, {r.prec} bits)", flush=True)
    with mpmath.workdps(50):
        Hm = np.array([[mpmath.mpf(H[i, j].mid()) for j in range(P)] for i in range(P)], dtype=object)
        t = time.perf_counter()
        mi = mp_inertia(Hm, mpmath.mpf(10) ** -40)
        tm = time.perf_counter() - t
    print(f"  mpmath Bunch–Kaufman (exactlift.arith.numerical.mp_inertia, 50 digits) {mi} in {tm:.1f} s "
          f"(numerical); ratio {tm / tb:.0f}x", flush=True)


def main(argv: list[str]) -> int:
    if "--inertia" in argv:
        inertia_337()
        return 0
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 1
    nets = SMALL if "--small" in argv else STALL if "--stall" in argv else NETS
    certify_growth(nets, "--mp-analysis" in argv, repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
