"""Benchmark of ``certify``: Krawczyk-certified tanh critical points, and certified inertia vs mp.

    python benchmarks/bench_certify.py            # 8-10-1 (101 parameters) and growth to 300+
    python benchmarks/bench_certify.py --compare-mp   # also mpmath Bunch–Kaufman on the largest Hessian (slow)

Candidates come from a float64 teacher–student fit (tests/certify/trainer.py); the time
reported is that of ``certify_critical_point`` only (refine / Krawczyk / inertia).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "certify"))

from trainer import make_candidate  # noqa: E402

from exactlift.certify.critical import ball_derivatives, certify_critical_point  # noqa: E402
from exactlift.nn.case import case_from_dict  # noqa: E402

NETS = [([8, 10, 1], 400), ([8, 20, 1], 400), ([8, 34, 1], 400)]


def main(argv: list[str]) -> int:
    last = None
    for widths, n in NETS:
        t = time.perf_counter()
        case = case_from_dict(make_candidate(widths, "tanh", n, noise=0.05, scale=1.0, seed=0))
        fit = time.perf_counter() - t
        res = certify_critical_point(case, digits=40)
        tt = res.times
        print(f"{'-'.join(map(str, widths))} tanh, {case.arch.n_params} params, {n} points "
              f"(float fit {fit:.1f} s): critical={res.critical} inertia={res.inertia} radius={res.radius} "
              f"distance={res.distance}; refine {tt['refine']:.2f} s, Krawczyk {tt['krawczyk']:.2f} s, "
              f"inertia {tt['inertia']:.2f} s, total {sum(tt.values()):.2f} s"
              + (f"; reason: {res.reason}" if res.reason else ""), flush=True)
        last = (case, res)
    if "--compare-mp" in argv and last is not None:
        import mpmath
        import numpy as np

        from exactlift.arith.ball_ldl import ball_ldl_inertia
        from exactlift.arith.numerical import mp_inertia

        case, res = last
        prec = 176  # ~50 digits
        _, _, H = ball_derivatives(case, res.center_exact, prec)
        t = time.perf_counter()
        r = ball_ldl_inertia(H)
        tb = time.perf_counter() - t
        with mpmath.workdps(50):
            Hm = np.array([[mpmath.mpf(H[i, j].mid()) for j in range(H.ncols())] for i in range(H.nrows())],
                          dtype=object)
            t = time.perf_counter()
            mi = mp_inertia(Hm, mpmath.mpf(10) ** -40)
            tm = time.perf_counter() - t
        print(f"inertia of the {H.nrows()}-parameter Hessian at 50 digits: ball congruence {r.inertia} "
              f"in {tb:.2f} s (certified); mpmath Bunch–Kaufman {mi} in {tm:.1f} s (numerical)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
