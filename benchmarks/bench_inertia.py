"""Benchmark (issue 10): the exact analysis at scale, new against old, with a float and a symbolic anchor.

Run:  python benchmarks/bench_inertia.py                 # the default cases
      python benchmarks/bench_inertia.py dense595 dense987 dense1975 lowrank3901 --old-max 600
      python benchmarks/bench_inertia.py --torch-python /usr/bin/python3   # torch from elsewhere
      python benchmarks/bench_inertia.py --list

Each case is an exact critical point of a ReLU MLP (:func:`exactlift.nn.examples.small_case`):
"dense" cases have many samples and non-zero loss (``targets="critical"``: a high-rank
Hessian with negative eigenvalues), "lowrank" cases 32 samples and teacher targets (with 32
points no non-zero residual is critical).  For each case, in the same run and each step in its
own subprocess (so that the peak resident memory, ``ru_maxrss``, is that step's own, FLINT's C
allocations included):

* ``new``: the exact analysis as :func:`exactlift.analysis.analyze` runs it: the FLINT Hessian
  (:mod:`exactlift.calculus.gram_hessian`) and ``Derivatives.hessian_inertia_result`` (the Gram
  path or the proved-rank + ball LDLᵀ pipeline), with the path, rank proof and precision;
* ``old``: the layered object-array Hessian (``derivatives(..., gram=False)``, up to
  ``--layered-max`` parameters) and, up to ``--old-max`` parameters, its inertia by the old
  charpoly path (``inertia(method="charpoly")``); the inertias must agree;
* ``torch`` (optional, when torch is installed, in this interpreter or the one named by
  ``--torch-python``): the float anchor, float64
  ``torch.autograd.functional.hessian`` + ``torch.linalg.eigvalsh`` on one thread, its time
  ratio and the relative tolerances τ (|λ| ≤ τ·max|λ| counts as zero) at which its count is right;
* ``symengine`` (optional, up to ``--symengine-max`` parameters): the Hessian of the risk
  written as one symengine expression, the honest symbolic reference.

``mp337`` times the mp context's inertia on a 2-16-16-1 tanh Hessian (337 parameters, 50
digits): the ball LDLᵀ path against the old mpmath Bunch–Kaufman.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
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
    "dense1975": ([2, 42, 42, 1], 640, 61),
    "lowrank1975": ([2, 42, 42, 1], 32, 13),
    "lowrank3901": ([2, 60, 60, 1], 32, 13),
}
DEFAULT = ["lowrank337", "dense337", "dense595", "lowrank1975"]
#: Relative tolerances tried for the float anchor's zero count: |λ| ≤ τ·max|λ| counts as zero.
TOLERANCES = [10.0 ** -k for k in range(1, 18)]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_case(name: str, cache: str | None = None) -> Any:
    """The case (built once per run and pickled: building dense critical targets takes a while)."""
    from exactlift.nn.examples import small_case

    if cache and Path(cache).exists():
        with open(cache, "rb") as fh:
            return pickle.load(fh)
    widths, n, den = CASES[name]
    targets = "teacher" if name.startswith("lowrank") else "critical"
    case = small_case(widths, "relu", n=n, targets=targets, seed=0, size=9, denominators=den)
    if cache:
        with open(cache, "wb") as fh:
            pickle.dump(case, fh)
    return case


def step_new(name: str, cache: str) -> dict[str, Any]:
    """The exact analysis today: FLINT Hessian (JᵀΛJ + correction), then its inertia."""
    from exactlift.arith.contexts import get_context
    from exactlift.calculus.backprop import derivatives

    case = make_case(name, cache)
    ctx = get_context("exact")
    with ctx.active():
        X, Y = case.arrays(ctx)
        start = time.perf_counter()
        d = derivatives(case.arch, case.params, X, Y, case.loss, ctx, order=2)
        mid = time.perf_counter()
        r = d.hessian_inertia_result()
        end = time.perf_counter()
    return {"params": case.arch.n_params, "derivatives": mid - start, "inertia_s": end - mid, "seconds": end - start,
            "inertia": list(r.inertia), "path": r.path, "rank": r.rank, "rank_proof": r.rank_proof, "prec": r.prec,
            "peak_mb": peak_mb()}


def step_old(name: str, cache: str, method: str) -> dict[str, Any]:
    """The previous path: layered object-array Hessian, then ``inertia_result(H, method)``."""
    from exactlift.arith.contexts import get_context
    from exactlift.arith.linalg.inertia import inertia_result
    from exactlift.calculus.backprop import derivatives

    case = make_case(name, cache)
    ctx = get_context("exact")
    with ctx.active():
        X, Y = case.arrays(ctx)
        start = time.perf_counter()
        d = derivatives(case.arch, case.params, X, Y, case.loss, ctx, order=2, gram=False)
        mid = time.perf_counter()
        out: dict[str, Any] = {"derivatives": mid - start, "peak_mb": peak_mb()}
        if method != "none":
            r = inertia_result(d.hessian, method=method)
            out.update(inertia=list(r.inertia), inertia_s=time.perf_counter() - mid, path=r.path, peak_mb=peak_mb())
    return out


def step_export(name: str, cache: str) -> dict[str, Any]:
    """The case as float64 JSON (``cache`` + ".json") for the float anchor, which needs torch, not exactlift."""
    case = make_case(name, cache)
    arch = case.arch
    data = {"widths": list(arch.widths), "biases": list(arch.biases),
            "theta": [float(v) for v in case.params.flatten()],
            "X": [[float(v) for v in row] for row in case.X], "Y": [[float(v) for v in row] for row in case.Y]}
    with open(cache + ".json", "w") as fh:
        json.dump(data, fh)
    return {}


def step_torch(path: str) -> dict[str, Any]:
    """The float anchor: float64 PyTorch ``hessian`` of the risk + ``eigvalsh``, eigenvalues returned.

    Reads the JSON of :func:`step_export`; imports only torch, so ``--torch-python`` may name any
    interpreter that has torch (e.g. Debian's ``python3-torch``), with or without exactlift.
    """
    import torch

    with open(path) as fh:
        data = json.load(fh)
    widths, biases = data["widths"], data["biases"]
    theta0 = torch.tensor(data["theta"], dtype=torch.float64)
    X = torch.tensor(data["X"], dtype=torch.float64)
    Y = torch.tensor(data["Y"], dtype=torch.float64)
    layers = len(widths) - 1

    def risk(theta: Any) -> Any:
        h, k = X, 0
        for l in range(1, layers + 1):
            m_out, m_in = widths[l], widths[l - 1]
            W = theta[k : k + m_out * m_in].reshape(m_out, m_in)
            k += m_out * m_in
            h = h @ W.T
            if biases[l - 1]:
                h = h + theta[k : k + m_out]
                k += m_out
            if l < layers:
                h = torch.relu(h)
        return ((h - Y) ** 2).sum() / X.shape[0]

    torch.set_num_threads(1)
    start = time.perf_counter()
    H = torch.autograd.functional.hessian(risk, theta0)
    ev = torch.linalg.eigvalsh(H)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "eigenvalues": ev.tolist(), "peak_mb": peak_mb(), "torch": torch.__version__}


def step_symengine(name: str, cache: str) -> dict[str, Any]:
    """symengine: the risk as one expression, ``diff`` twice, evaluated at θ (the symbolic reference).

    ReLU is written as z·[z > 0] with the activation pattern of the exact forward pass at θ:
    off the kinks the risk equals that polynomial near θ, so the derivatives at θ agree.
    """
    import symengine as se

    from exactlift.arith.contexts import get_context
    from exactlift.calculus.backprop import forward

    case = make_case(name, cache)
    arch = case.arch
    ctx = get_context("exact")
    with ctx.active():
        fp = forward(arch, case.params, case.arrays(ctx)[0], ctx)
    def q(v: Any) -> Any:
        f = Fraction(str(v))
        return se.Integer(f.numerator) / se.Integer(f.denominator)

    start = time.perf_counter()
    syms = [se.Symbol(f"t{k}") for k in range(arch.n_params)]
    R = se.Integer(0)
    for i, (x, y) in enumerate(zip(case.X, case.Y)):
        h, k = [q(v) for v in x], 0
        for l in range(1, arch.n_layers + 1):
            m_out, m_in = arch.widths[l], arch.widths[l - 1]
            z = [sum((syms[k + j * m_in + a] * h[a] for a in range(m_in)), se.Integer(0)) for j in range(m_out)]
            k += m_out * m_in
            if arch.biases[l - 1]:
                z = [z[j] + syms[k + j] for j in range(m_out)]
                k += m_out
            h = z if l == arch.n_layers else [z[j] * (1 if fp.S1[l][i][j] != 0 else 0) for j in range(m_out)]
        R += sum((h[o] - q(y[o])) ** 2 for o in range(arch.output_dim))
    R = R / len(case.X)
    sub = {s: q(v) for s, v in zip(syms, case.params.flatten())}
    grad = [R.diff(s) for s in syms]
    H = [[grad[a].diff(syms[b]).subs(sub) for b in range(len(syms))] for a in range(len(syms))]
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "entries": len(H) ** 2, "peak_mb": peak_mb()}


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


def float_counts(ev: list[float], exact: list[int]) -> tuple[list[float], tuple[int, int, int]]:
    """The tolerances τ at which the float count is the exact one, and the count at τ = 1e-10."""
    top = max(abs(v) for v in ev) or 1.0

    def count(t: float) -> tuple[int, int, int]:
        neg = sum(1 for v in ev if v < -t * top)
        pos = sum(1 for v in ev if v > t * top)
        return neg, len(ev) - neg - pos, pos

    return [t for t in TOLERANCES if list(count(t)) == exact], count(1e-10)


def child(args: list[str]) -> None:
    kind = args[0]
    if kind == "build":
        make_case(args[1], args[2])
        res: dict[str, Any] = {}
    elif kind == "new":
        res = step_new(args[1], args[2])
    elif kind == "old":
        res = step_old(args[1], args[2], args[3])
    elif kind == "export":
        res = step_export(args[1], args[2])
    elif kind == "torch":
        res = step_torch(args[1])
    elif kind == "symengine":
        res = step_symengine(args[1], args[2])
    else:
        res = step_mp(args[1])
    print("RESULT " + json.dumps(res), flush=True)


def run(args: list[str], timeout: float, python: str = sys.executable) -> dict[str, Any] | None:
    try:
        out = subprocess.run([python, __file__, "--child", *args], capture_output=True, text=True,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    print(out.stderr[-2000:], file=sys.stderr)
    return None


def times(ratio: float) -> str:
    """A ratio with two significant digits below 1 (0.04×, not 0.0×), one decimal above."""
    return f"{ratio:.2g}×" if ratio < 1 else f"{ratio:.1f}×"


def parse(argv: list[str]) -> argparse.Namespace:
    """The command line; a bad argument is argparse's usage line and one error line, exit 2."""
    p = argparse.ArgumentParser(prog="bench_inertia.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cases", nargs="*", metavar="CASE",
                   help=f"cases to run (default: {' '.join(DEFAULT)} mp337); --list names them")
    p.add_argument("--list", action="store_true", help="list the cases and stop")
    p.add_argument("--old-max", type=float, default=400, help="the old charpoly inertia only up to this many parameters")
    p.add_argument("--layered-max", type=float, default=1000, help="the layered derivatives only up to this")
    p.add_argument("--symengine-max", type=float, default=337, help="the symengine reference only up to this")
    p.add_argument("--timeout", type=float, default=3600.0, help="seconds for each step's subprocess")
    p.add_argument("--torch-python", default=sys.executable, metavar="PYTHON",
                   help="an interpreter with torch, for the float anchor only")
    p.add_argument("--no-mp-old", action="store_true", help="skip mpmath's Bunch–Kaufman in mp337")
    args = p.parse_args(argv)
    bad = [c for c in args.cases if c not in CASES and c != "mp337"]
    if bad:
        p.error(f"unknown case {bad[0]!r} (cases: {', '.join(CASES)}, mp337)")
    return args


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--child":
        child(argv[1:])
        return 0
    args = parse(argv)
    if args.list:
        for k, (w, n, _) in CASES.items():
            print(k, "-".join(map(str, w)), n, "points")
        return 0
    old_max, layered_max, symengine_max = args.old_max, args.layered_max, args.symengine_max
    timeout, torch_python = args.timeout, args.torch_python
    names = args.cases or DEFAULT + ["mp337"]
    status = 0
    try:
        torch_ok = subprocess.run([torch_python, "-c", "import torch"], capture_output=True).returncode == 0
    except OSError:  # --torch-python names no interpreter
        torch_ok = False
    print(f"torch: {'in ' + torch_python if torch_ok else 'not installed, the float anchor is skipped'}; "
          f"symengine: {'installed' if has_module('symengine') else 'not installed, skipped'}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            if name == "mp337":
                new = run(["mp", "new"], timeout)
                old = run(["mp", "old"], timeout) if not args.no_mp_old else None
                line = f"[mp337] 2-16-16-1 tanh, 337 params, mp 50 digits: new {fmt(new)}"
                line += f"; old Bunch–Kaufman {fmt(old)}" if old else "; old skipped"
                if ok(new) and ok(old):
                    line += f"; ratio old/new {old['seconds'] / new['seconds']:.1f}×"
                    line += f"; agree={new['inertia'] == old['inertia']}"
                print(line, flush=True)
                continue
            cache = str(Path(tmp) / f"{name}.case")
            start = time.perf_counter()
            run(["build", name, cache], timeout)  # in a child: the parent stays small, and a forked
            build = time.perf_counter() - start  # child's ru_maxrss starts from its parent's
            new = run(["new", name, cache], timeout)
            widths, n, _ = CASES[name]
            if not ok(new):
                print(f"[{name}] new analysis failed: {new}", flush=True)
                status = 1
                continue
            P = new["params"]
            method = "charpoly" if P <= old_max else "none"
            old = run(["old", name, cache, method], timeout) if P <= layered_max else None
            anchor = None
            if torch_ok and run(["export", name, cache], timeout) is not None:
                anchor = run(["torch", cache + ".json"], timeout, torch_python)
            sym = run(["symengine", name, cache], timeout) if P <= symengine_max and has_module("symengine") else None
            print(f"[{name}] {'-'.join(map(str, widths))}, {n} points, {P} params (case built in {build:.1f} s): "
                  f"exact analysis {new['seconds']:.2f} s = derivatives {new['derivatives']:.2f} s + inertia "
                  f"{new['inertia_s']:.2f} s, peak {new['peak_mb']:.0f} MB; inertia {tuple(new['inertia'])} "
                  f"rank {new['rank']} ({new['rank_proof']}), path {new['path']}@{new['prec']} bits", flush=True)
            if ok(old):
                line = f"    old layered derivatives {old['derivatives']:.2f} s (×{old['derivatives'] / new['derivatives']:.1f})"
                if "inertia" in old:
                    line += (f"; old charpoly inertia {old['inertia_s']:.2f} s, peak {old['peak_mb']:.0f} MB; "
                             f"old analysis / new {(old['derivatives'] + old['inertia_s']) / new['seconds']:.1f}×; "
                             f"agree={old['inertia'] == new['inertia']}")
                    status |= old["inertia"] != new["inertia"]
                print(line, flush=True)
            elif old is not None:
                print(f"    old: {old}", flush=True)
            if ok(anchor):
                right, at10 = float_counts(anchor["eigenvalues"], new["inertia"])
                span = f"{max(right):.0e} … {min(right):.0e}" if right else "none"
                print(f"    float anchor (torch float64 hessian + eigvalsh) {anchor['seconds']:.2f} s; exact/float "
                      f"{times(new['seconds'] / anchor['seconds'])}; float count at 1e-10: {at10}; tolerances giving "
                      f"the exact count: {span} ({len(right)} of {len(TOLERANCES)})", flush=True)
            if ok(sym):
                print(f"    symengine Hessian ({sym['entries']} entries) {sym['seconds']:.1f} s; symengine / exactlift "
                      f"derivatives {sym['seconds'] / new['derivatives']:.0f}×", flush=True)
            elif sym is not None:
                print(f"    symengine: {sym}", flush=True)
    return int(status)


def ok(r: dict[str, Any] | None) -> bool:
    return r is not None and "timeout" not in r


def fmt(r: dict[str, Any] | None) -> str:
    if not ok(r):
        return "failed/timeout"
    return f"{tuple(r['inertia'])} in {r['seconds']:.2f} s (peak {r['peak_mb']:.0f} MB)"


def has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
