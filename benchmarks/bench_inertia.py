"""Benchmark (issue 10): exact inertia at scale, the new pipeline against the old charpoly path.

Run:  python benchmarks/bench_inertia.py                 # the default cases
      python benchmarks/bench_inertia.py dense595 lowrank1975 --old-max 600
      python benchmarks/bench_inertia.py --list

Each case is an exact critical point of a ReLU MLP (:func:`exactlift.nn.examples.small_case`):
"dense" cases have many samples and non-zero loss (``targets="critical"``: a high-rank
Hessian with negative eigenvalues), "lowrank" cases 32 samples and teacher targets (with 32
points no non-zero residual is critical).  For each case, in the same run and each in its own subprocess (so that the
peak resident memory, ``ru_maxrss``, is that step's own, FLINT's C allocations
included):

* ``derivatives``: the exact gradient and Hessian (layered back-propagation);
* ``new``: :func:`exactlift.arith.linalg.inertia` (proved rank, non-singular block,
  ball LDLᵀ), with the path that decided and the precision used;
* ``old``: ``inertia(method="charpoly")`` (rank reduction + charpoly + Descartes), run
  only for cases with at most ``--old-max`` parameters (it takes minutes at 595).

The two inertias must agree when both ran.  ``mp337`` times the mp context's inertia on a
2-16-16-1 tanh Hessian (337 parameters, 50 digits): the ball LDLᵀ path against the old
mpmath Bunch–Kaufman.  The float anchor (PyTorch ``hessian`` + ``eigvalsh``) is optional
and skipped when torch is not installed.
"""

from __future__ import annotations

import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

#: name -> (widths, samples, denominators of the random inputs/parameters).  Dense cases are
#: critical points with non-zero loss (``targets="critical"``); with 32 points the Jacobian has
#: full row rank, so the low-rank cases are teacher targets (global minima, zero loss).
CASES: dict[str, tuple[list[int], int, int]] = {
    "lowrank337": ([2, 16, 16, 1], 32, 13),
    "dense337": ([2, 16, 16, 1], 320, 13),
    "dense595": ([2, 22, 22, 1], 570, 41),
    "dense987": ([2, 29, 29, 1], 945, 61),
    "lowrank1975": ([2, 42, 42, 1], 32, 13),
    "lowrank3901": ([2, 60, 60, 1], 32, 13),
}
DEFAULT = ["lowrank337", "dense337", "dense595", "lowrank1975"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_derivatives(name: str, out: str) -> dict[str, Any]:
    from exactlift.arith.contexts import get_context
    from exactlift.calculus.backprop import derivatives
    from exactlift.nn.examples import small_case

    widths, n, den = CASES[name]
    targets = "teacher" if name.startswith("lowrank") else "critical"
    case = small_case(widths, "relu", n=n, targets=targets, seed=0, size=9, denominators=den)
    ctx = get_context("exact")
    start = time.perf_counter()
    with ctx.active():
        X, Y = case.arrays(ctx)
        d = derivatives(case.arch, case.params, X, Y, case.loss, ctx, order=2)
    seconds = time.perf_counter() - start
    H = d.hessian
    with open(out, "wb") as fh:
        pickle.dump([[(int(x.p), int(x.q)) for x in row] for row in H.tolist()], fh)
    return {"params": case.arch.n_params, "seconds": seconds, "peak_mb": peak_mb()}


def load(path: str) -> Any:
    import flint
    import numpy as np

    with open(path, "rb") as fh:
        rows = pickle.load(fh)
    n = len(rows)
    arr = np.empty((n, n), dtype=object)  # the Hessian as the analysis holds it: fmpq objects
    for i, row in enumerate(rows):
        for j, (p, q) in enumerate(row):
            arr[i, j] = flint.fmpq(p, q)
    return arr


def step_inertia(path: str, method: str) -> dict[str, Any]:
    from exactlift.arith.linalg.inertia import inertia_result

    H = load(path)
    base = peak_mb()
    start = time.perf_counter()
    r = inertia_result(H, method=method)
    return {"inertia": list(r.inertia), "path": r.path, "rank": r.rank, "rank_proof": r.rank_proof,
            "prec": r.prec, "seconds": time.perf_counter() - start, "peak_mb": peak_mb(), "load_mb": base}


def step_mp(which: str) -> dict[str, Any]:
    from exactlift.arith.contexts import get_context
    from exactlift.arith.numerical import mp_inertia
    from exactlift.calculus.backprop import derivatives
    from exactlift.nn.examples import small_case

    case = small_case([2, 16, 16, 1], "tanh", n=32, targets="random", seed=0)
    ctx = get_context("mp", digits=50)
    with ctx.active():
        X, Y = case.arrays(ctx)
        d = derivatives(case.arch, case.params, X, Y, case.loss, ctx, order=2)
        start = time.perf_counter()
        if which == "new":
            r = ctx.inertia_result(d.hessian)
            inert, path = r.inertia, r.path
        else:
            inert, path = mp_inertia(d.hessian, ctx.tolerance), "bunch-kaufman"
    return {"inertia": list(inert), "path": path, "seconds": time.perf_counter() - start, "peak_mb": peak_mb()}


def child(args: list[str]) -> None:
    kind = args[0]
    if kind == "derivatives":
        res = step_derivatives(args[1], args[2])
    elif kind == "inertia":
        res = step_inertia(args[1], args[2])
    else:
        res = step_mp(args[1])
    print("RESULT " + json.dumps(res), flush=True)


def run(args: list[str], timeout: float) -> dict[str, Any] | None:
    try:
        out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    print(out.stderr[-2000:], file=sys.stderr)
    return None


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--child":
        child(argv[1:])
        return 0
    if "--list" in argv:
        for k, (w, n, _) in CASES.items():
            print(k, "-".join(map(str, w)), n, "points")
        return 0
    old_max = 400
    if "--old-max" in argv:
        k = argv.index("--old-max")
        old_max = int(argv[k + 1])
        del argv[k : k + 2]
    timeout = 3600.0
    names = [a for a in argv if a in CASES or a == "mp337"] or DEFAULT + ["mp337"]
    status = 0
    print("torch: not installed, the float anchor is skipped" if not has_torch() else "torch: installed (anchor not "
          "implemented in this script)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            if name == "mp337":
                new = run(["mp", "new"], timeout)
                old = run(["mp", "old"], timeout) if "--no-mp-old" not in argv else None
                line = f"[mp337] 2-16-16-1 tanh, 337 params, mp 50 digits: new {fmt(new)}"
                line += f"; old Bunch–Kaufman {fmt(old)}" if old else "; old skipped"
                if new and old:
                    line += f"; ratio old/new {old['seconds'] / new['seconds']:.1f}×"
                    line += f"; agree={new['inertia'] == old['inertia']}"
                print(line, flush=True)
                continue
            hpath = str(Path(tmp) / f"{name}.pkl")
            der = run(["derivatives", name, hpath], timeout)
            if der is None:
                print(f"[{name}] derivatives failed", flush=True)
                status = 1
                continue
            new = run(["inertia", hpath, "auto"], timeout)
            old = run(["inertia", hpath, "charpoly"], timeout) if der["params"] <= old_max else None
            widths, n, _ = CASES[name]
            line = (f"[{name}] {'-'.join(map(str, widths))}, {n} points, {der['params']} params: "
                    f"derivatives {der['seconds']:.2f} s ({der['peak_mb']:.0f} MB); new inertia {fmt(new)}")
            if new:
                line += f" rank {new['rank']} ({new['rank_proof']}), path {new['path']}@{new['prec']} bits"
                line += f"; analyze ≈ {der['seconds'] + new['seconds']:.2f} s"
            line += f"; old charpoly {fmt(old)}" if old else f"; old charpoly skipped (> {old_max} params)"
            if new and old:
                line += f"; ratio old/new {old['seconds'] / new['seconds']:.1f}×; agree={new['inertia'] == old['inertia']}"
                if new["inertia"] != old["inertia"]:
                    status = 1
            print(line, flush=True)
    return status


def fmt(r: dict[str, Any] | None) -> str:
    if r is None:
        return "failed/timeout"
    return f"{tuple(r['inertia'])} in {r['seconds']:.2f} s (peak {r['peak_mb']:.0f} MB)"


def has_torch() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
