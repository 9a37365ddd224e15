"""Benchmark of exactlift.symmetry: closed forms, enumeration, connectivity graph.

Run:  python benchmarks/bench_symmetry.py  [--budget SECONDS]  (about 2-3 minutes)

Prints
* closed forms G, T_single, T_groups at m = 2000 (seconds per value), and the
  ratio against the naive pure-Python sum at m = 300;
* subspaces enumerated per second (objects with their labels);
* connectivity-graph build time for growing (r, m), per reading, skipping a case
  whose predicted build time (from a sample of node degrees) exceeds the budget
  (default 60 s); the largest case built is reported;
* the combinatorial edge test against pairwise exact linear algebra (ratio).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exactlift.symmetry.counts import (  # noqa: E402
    count,
    count_G,
    count_T_groups,
    count_T_groups_blocks,
    count_T_single,
    count_T_single_sum,
)
from exactlift.symmetry.graph import connectivity_graph, graph_statistics, subspace_neighbors  # noqa: E402
from exactlift.symmetry.subspaces import enumerate_subspaces  # noqa: E402


def timed(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t


def bench_closed_forms() -> None:
    print("== closed forms at m = 2000 (exact ints) ==")
    print(f"{'r':>6} {'G s':>9} {'T_single s':>11} {'T_groups s':>11} {'digits(T_groups)':>17}")
    m = 2000
    for r in (3, 10, 20, 50, 500, 1000, 1700, 1990):
        _, tg = timed(count_G, r, m)
        _, ts = timed(count_T_single, r, m)
        v, tt = timed(count_T_groups, r, m)
        print(f"{r:>6} {tg:>9.4f} {ts:>11.4f} {tt:>11.4f} {v.bit_length() * 0.30103:>17.0f}")
    print("-- against the naive pure-Python sums at m = 300 --")
    m = 300
    for r in (3, 150):
        fast, tf = timed(count_T_groups, r, m)
        slow, tn = timed(count_T_groups_blocks, r, m)
        assert fast == slow
        fs, tfs = timed(count_T_single, r, m)
        ss, tss = timed(count_T_single_sum, r, m)
        assert fs == ss
        print(f"  r={r:>3}: T_groups {tf:.4f}s vs naive {tn:.3f}s (x{tn / max(tf, 1e-9):.0f}); "
              f"T_single {tfs:.5f}s vs naive {tss:.3f}s (x{tss / max(tfs, 1e-9):.0f})")


def bench_enumeration() -> None:
    print("\n== enumeration of the subspaces as objects ==")
    for kind, r, m in (("G", 4, 9), ("T_single", 3, 8), ("T_groups", 3, 8)):
        total = count(kind, r, m)
        n, dt = timed(lambda: sum(1 for _ in enumerate_subspaces(kind, r, m)))
        assert n == total
        print(f"  {kind}({r},{m}) = {n}: {dt:.2f}s, {n / dt:,.0f} subspaces/s")


def predict_build_seconds(reading: str, r: int, m: int, sample: int = 300) -> tuple[float, float]:
    """(predicted seconds, predicted edges) from the degrees of a random sample of nodes."""
    kind = "T_" + reading
    nodes = list(enumerate_subspaces(kind, r, m))
    rng = random.Random(0)
    pick = rng.sample(nodes, min(sample, len(nodes)))
    t = time.perf_counter()
    deg = sum(sum(1 for _ in subspace_neighbors(S)) for S in pick)
    dt = time.perf_counter() - t
    scale = len(nodes) / len(pick)
    # the graph adds each edge once from each end, plus networkx insertion (~1.3x measured)
    return dt * scale * 1.3 + 0.2, deg * scale / 2


def bench_graphs(budget: float) -> None:
    print(f"\n== connectivity graph: build time, largest case within {budget:.0f} s per reading ==")
    cases = {
        "single": [(3, 5), (3, 6), (4, 6), (3, 7), (4, 7), (3, 8), (5, 8)],
        "groups": [(3, 5), (3, 6), (4, 6), (3, 7), (4, 7), (3, 8)],
    }
    for reading, lst in cases.items():
        largest = None
        for r, m in lst:
            pred, pred_edges = predict_build_seconds(reading, r, m)
            if pred > budget:
                print(f"  T_{reading}({r},{m}): skipped, predicted {pred:.0f}s for ~{pred_edges:,.0f} edges")
                continue
            G, dt = timed(connectivity_graph, r, m, reading)
            st, ds = timed(graph_statistics, G)
            n, e = st["nodes"], st["edges"]
            print(f"  T_{reading}({r},{m}): {n:,} nodes, {e:,} edges, build {dt:.1f}s "
                  f"({n / dt:,.0f} nodes/s, {e / dt:,.0f} edges/s); stats+diameter {ds:.1f}s; "
                  f"connected={st['connected']} diameter={st['diameter']}")
            if dt <= budget and (largest is None or e > largest[4]):
                largest = (r, m, dt, n, e)
            del G
        if largest:
            r, m, dt, n, e = largest
            print(f"  -> largest T_{reading} graph (most edges) built within budget: (r, m) = ({r}, {m}), "
                  f"{n:,} nodes, {e:,} edges, {dt:.1f}s")


def bench_exact_vs_combinatorial() -> None:
    print("\n== edges: combinatorial criterion vs pairwise exact linear algebra ==")
    for reading, r, m in (("groups", 2, 5), ("single", 3, 5)):
        Ge, te = timed(connectivity_graph, r, m, reading, method="exact", max_exact_nodes=None)
        Gc, tc = timed(connectivity_graph, r, m, reading)
        assert Ge.number_of_edges() == Gc.number_of_edges()
        print(f"  T_{reading}({r},{m}) ({Gc.number_of_nodes()} nodes): exact {te:.2f}s, combinatorial {tc:.3f}s "
              f"(x{te / tc:.0f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=float, default=60.0, help="seconds allowed per graph build (default 60)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    bench_closed_forms()
    bench_enumeration()
    bench_exact_vs_combinatorial()
    bench_graphs(args.budget)
    print(f"\ntotal {time.perf_counter() - t0:.0f}s")


if __name__ == "__main__":
    main()
