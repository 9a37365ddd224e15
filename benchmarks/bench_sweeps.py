"""Sweep benchmarks (issue 15): one 400-case sweep on each executor, against a plain loop.

Run:  python benchmarks/bench_sweeps.py

The sweep: a conjecture over 400 exact cases (a 1-2-1 tanh-free polynomial
claim on rationals, ~ a millisecond each, so the figures show the executor's
overhead).  Reported: wall time, cases/s, overhead per case = (wall - loop) / 400
for the plain loop, the local supervised pool with 1 and 2 workers, and a
two-worker Dask LocalCluster (processes; its start is timed apart, and the
sweep is run twice on it: cold workers, then warm).
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from exactlift.conjectures.registry import get_conjecture, load_file
from exactlift.conjectures.runner import run_conjectures

CLAIM = '''
from fractions import Fraction
from exactlift.conjectures import conjecture

@conjecture(name="bench.sweep", grid={"p": list(range(-10, 10)), "q": list(range(1, 21))})
def bench_sweep(p, q):
    x = Fraction(p, q)
    s = sum(x ** k for k in range(40))
    assert (1 - x) * s == 1 - x ** 40
'''


def main() -> int:
    folder = Path(tempfile.mkdtemp())
    claim = folder / "claim.py"
    claim.write_text(textwrap.dedent(CLAIM))
    load_file(claim)
    conj = get_conjecture("bench.sweep")
    cases = conj.cases()
    assert len(cases) == 400
    print(f"python {platform.python_version()}, {os.cpu_count()} cpu(s); 400 cases")
    t = time.perf_counter()
    for _, p in cases:
        conj.run_case(p)
    loop = time.perf_counter() - t
    rows = [("plain loop", loop)]

    def timed(label: str, **kw: object) -> None:
        t0 = time.perf_counter()
        rep = run_conjectures(["bench.sweep"], ledger=folder / f"{label.replace(' ', '_')}.jsonl", progress=False,
                              files=[str(claim)], **kw)
        assert rep.ok, rep.failing[:1]
        rows.append((label, time.perf_counter() - t0))

    timed("in-process (jobs=1)")
    from exactlift.conjectures.executors import SupervisedPool

    for n in (1, 2):
        pool = SupervisedPool(n)
        try:
            timed(f"local pool {n} worker(s)", executor=pool)
        finally:
            pool.shutdown()
    try:
        from exactlift.conjectures.executors import DaskExecutor

        t0 = time.perf_counter()
        ex = DaskExecutor(None, jobs=2, processes=True)
        print(f"dask LocalCluster start: {time.perf_counter() - t0:.2f} s (not in the figures below)")
        try:
            timed("dask LocalCluster 2 workers", executor=ex)  # workers import exactlift on their first case
            timed("dask, same cluster again", executor=ex)
        finally:
            ex.shutdown()
    except Exception as exc:  # noqa: BLE001 - dask optional
        print(f"dask: skipped ({type(exc).__name__}: {exc})")
    print(f"{'executor':30s} {'wall s':>8s} {'cases/s':>9s} {'overhead/case ms':>17s}")
    for label, secs in rows:
        print(f"{label:30s} {secs:8.2f} {400 / secs:9.0f} {1000 * (secs - loop) / 400:17.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
