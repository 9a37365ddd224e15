"""Command-line sub-commands of the symmetry package (registered by :mod:`exactlift.cli`).

* ``count {T_single,T_groups,G} R M [--enumerate] [--json]``
* ``graph R M [--reading single|groups] [--d D] [--d-out K] [--method ...] [--json]``
* ``plot-counts -o FILE.png [--r R ...] [--h-max H] [--reading ...]``
* ``crossover [--r-max N] [--reading ...] [--json]``
* ``subspaces {G,T_single,T_groups} R M [--d D] [--d-out K] [--equations] [--check-dimensions] [--json]``
* ``subspace-criticality R M [--d D] [--d-out K] [--json]``
* ``multilayer-minima W1 [W2 ...] [--d D] [--d-out K] [--json]``

Each handler prints its result and returns the exit status (0: everything
checked holds, 1: a check failed); bad input raises an
:class:`~exactlift.errors.ExactliftError` (``error: …``, exit 2).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Any

from exactlift.progress import progress_bar
from exactlift.cli_options import add_progress_options, with_example

__all__ = ["register"]


@contextlib.contextmanager
def _big_ints() -> Iterator[None]:
    """Allow str()/JSON of integers beyond Python's default 4300-digit limit."""
    get = getattr(sys, "get_int_max_str_digits", None)
    if get is None:  # pragma: no cover - Python < 3.11
        yield
        return
    old = get()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(old)


def _int_arg(name: str, minimum: int = 1) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be an integer, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{name} must be at least {minimum}, got {value}")
        return value

    parse.__name__ = name
    return parse


def _check_limit(name: str, value: int, what: str, unit: str | None = None) -> None:
    from exactlift.limits import check

    check(name, value, what, unit)


def _progress(args: argparse.Namespace, total: int, label: str) -> Any:
    return progress_bar(args, total, label, unit="item")


def _dump(obj: Any) -> None:
    with _big_ints():
        print(json.dumps(obj, indent=1, sort_keys=False))


def _short(n: int) -> str:
    with _big_ints():
        s = str(n)
    if len(s) <= 60:
        return s
    return f"{s[:25]}...{s[-25:]} ({len(s)} digits)"


# --------------------------------------------------------------------------- count


_FORMULAS = {
    "G": "r!*S(m,r)",
    "T_single": "r!*S(m+1,r+1)",
    "T_groups": "sum_k S(m,k)*k!/(k-r)!",
}


def _family(args: argparse.Namespace, name: str) -> str:
    """The count's quantity: ``T`` with ``--reading single|groups`` (the grammar of ``graph``), or the
    spelled-out ``T_single``/``T_groups``/``G``; a spelled-out T must agree with an explicit ``--reading``."""
    from exactlift.errors import ExactliftError
    from exactlift.symmetry.subspaces import READINGS

    value = getattr(args, name)
    if value == "T":
        return READINGS[args.reading or "single"]
    if args.reading and value != "G" and value != READINGS[args.reading]:
        raise ExactliftError(f"{value} contradicts --reading {args.reading}: give T --reading {args.reading}, or {value}")
    return value


def _count(args: argparse.Namespace) -> int:
    from exactlift.symmetry.counts import check_width, count, is_paper_value
    from exactlift.symmetry.subspaces import enumerate_subspaces

    r, m = check_width(args.R, args.M)
    args.quantity = _family(args, "quantity")
    closed = count(args.quantity, r, m)
    out: dict[str, Any] = {
        "quantity": args.quantity,
        "r": r,
        "m": m,
        "h": m - r,
        "formula": _FORMULAS[args.quantity],
        "closed_form": closed,
        "paper_value": is_paper_value(args.quantity, r, m),
    }
    status = 0
    if args.enumerate:
        bar = _progress(args, closed, f"enumerating {args.quantity}({r},{m})")
        n = 0
        for _ in enumerate_subspaces(args.quantity, r, m, limit=args.limit):
            n += 1
            if n % 1000 == 0:
                bar.update(n)
        bar.update(n)
        bar.close()
        out["enumerated"] = n
        out["agree"] = n == closed
        out["strength"] = "exact"
        status = 0 if n == closed else 1
    if args.json:
        _dump(out)
    else:
        tag = "" if args.quantity == "G" else ("  (the paper's value: h <= 1)" if out["paper_value"] else
                                               f"  (reading-specific: h = {m - r} >= 2)")
        print(f"{args.quantity}({r}, {m}) = {_short(closed)}   [{out['formula']}]{tag}")
        if args.enumerate:
            verdict = "agrees with" if out["agree"] else "DIFFERS from"
            print(f"enumerated subspaces: {out['enumerated']} — {verdict} the closed form (exact)")
    return status


# --------------------------------------------------------------------------- graph


def _graph(args: argparse.Namespace) -> int:
    from exactlift.symmetry.counts import check_width, count
    from exactlift.symmetry.graph import (
        DEFAULT_MAX_EXACT_NODES,
        DEFAULT_MAX_NODES,
        connectivity_graph,
        graph_statistics,
    )
    from exactlift.symmetry.subspaces import READINGS

    r, m = check_width(args.R, args.M)
    total = count(READINGS[args.reading], r, m)
    _check_limit("max_graph_nodes", total, f"the graph T_{args.reading}({r}, {m})", "nodes")
    bar = _progress(args, total, f"graph T_{args.reading}({r},{m})")
    G = connectivity_graph(
        r,
        m,
        args.reading,
        method=args.method,
        d=args.d,
        d_out=args.d_out,
        max_nodes=args.max_nodes or DEFAULT_MAX_NODES,
        max_exact_nodes=args.max_nodes or DEFAULT_MAX_EXACT_NODES,
        progress=bar.update,
    )
    bar.close()
    stats = graph_statistics(G, diameter=args.diameter)
    expected_connected = m > r
    stats["expected"] = (
        f"{total} isolated points (h = 0)" if not expected_connected else "connected (h >= 1)"
    )
    ok = (stats["components"] == total and stats["edges"] == 0) if not expected_connected else stats["connected"]
    if "blue_green" in stats:
        ok = ok and stats["blue_green"]["contracted_is_star_cayley_graph"]
    stats["expectation_holds"] = ok
    if args.json:
        _dump(stats)
    else:
        print(f"connectivity graph of T_{args.reading}({r}, {m}), d={stats['d']}, d_out={stats['d_out']}, "
              f"edges by {stats['method']} test")
        print(f"  nodes {stats['nodes']}, edges {stats['edges']}, components {stats['components']}, "
              f"diameter {stats['diameter'] if stats['diameter'] is not None else 'infinite (disconnected)'}")
        print(f"  degree histogram {stats['degree_histogram']}")
        print(f"  subspace dimensions {stats['dimension_histogram']}")
        if "blue_green" in stats:
            bg = stats["blue_green"]
            print(f"  m = r+1: {bg['blue']} blue (one zero-type neuron), {bg['green']} green (two copies); "
                  f"blue-blue/green-green edges {bg['same_color_edges']}; every green node has "
                  f"{list(bg['green_blue_neighbor_histogram'])} blue neighbours")
            print(f"  contracting green nodes gives the Cayley graph of {bg['cayley_group']} with generators "
                  f"{', '.join(bg['cayley_generators'])}: {bg['contracted_is_star_cayley_graph']} "
                  f"(diameter {bg.get('contracted_diameter')}, star-graph formula {bg['star_graph_diameter']})")
        print(f"  expected: {stats['expected']} — {'holds' if ok else 'FAILS'} (exact)")
    return 0 if ok else 1


# --------------------------------------------------------------------------- plots, crossover


def _readings(value: str) -> tuple[str, ...]:
    return ("single", "groups") if value == "both" else (value,)


def _plot_counts(args: argparse.Namespace) -> int:
    from exactlift.symmetry.asymptotics import crossover_width, plot_counts

    if not args.output.lower().endswith(".png"):
        from exactlift.errors import InputError

        raise InputError(f"-o {args.output[:60]}: plot-counts writes a PNG file; name it FILE.png")
    _check_limit("max_sweep", args.r_max, "--r-max", "as r*")
    _check_limit("max_sweep", max(args.r), "--r", "as r*")
    _check_limit("max_plot_h", args.h_max, "--h-max", "as h")
    data = plot_counts(args.output, r_values=args.r, h_max=args.h_max, readings=_readings(args.reading), r_max=args.r_max)
    summary = {
        "path": data["path"],
        "crossovers": {rd: {str(k): v for k, v in cs.items()} for rd, cs in data["crossovers"].items()},
    }
    if args.json:
        _dump(summary)
    else:
        print(f"wrote {data['path']}")
        for rd in _readings(args.reading):
            picks = ", ".join(f"h*({r})={crossover_width(r, rd).h_star}" for r in args.r)
            print(f"  T_{rd}: {picks}")
    return 0


def _crossover(args: argparse.Namespace) -> int:
    from exactlift.symmetry.asymptotics import crossover_width

    _check_limit("max_sweep", args.r_max, "--r-max", "as r*")
    rows = []
    for r in range(2, args.r_max + 1):
        row: dict[str, Any] = {"r_star": r}
        for rd in _readings(args.reading):
            c = crossover_width(r, rd)
            row[rd] = c.to_dict()
        rows.append(row)
    if args.json:
        _dump({"strength": "exact", "definition": "least h with G(r*-1, r*+h') < T(r*, r*+h') for all h' >= h",
               "table": rows})
    else:
        rds = _readings(args.reading)
        print("r*  " + "  ".join(f"h*_{rd:<7}" for rd in rds) + "  (exact; least h from which G(r*-1,m) < T(r*,m))")
        for row in rows:
            print(f"{row['r_star']:<3} " + "  ".join(f"{row[rd]['h_star']:<9}" for rd in rds))
    return 0


# --------------------------------------------------------------------------- subspaces, criticality, multilayer


def _subspaces(args: argparse.Namespace) -> int:
    from exactlift.symmetry.counts import check_width, count
    from exactlift.symmetry.sizes import check_two_layer_size
    from exactlift.symmetry.subspaces import default_teacher, enumerate_subspaces

    r, m = check_width(args.R, args.M)
    if args.equations or args.check_dimensions:
        check_two_layer_size(m, args.d, args.d_out, "the student network")
    teacher = default_teacher(r, args.d, args.d_out, args.seed)
    args.kind = _family(args, "kind")
    total = count(args.kind, r, m)
    items = []
    mismatches = 0
    bar = _progress(args, total, f"{args.kind}({r},{m})")
    for k, S in enumerate(enumerate_subspaces(args.kind, r, m, limit=args.limit)):
        item: dict[str, Any] = S.to_dict()
        item["dimension_formula"] = S.dimension(args.d, args.d_out)
        if args.equations or args.check_dimensions:
            E = S.equations(teacher)
            if args.check_dimensions:
                item["dimension_rank"] = E.dimension()
                mismatches += item["dimension_rank"] != item["dimension_formula"]
            if args.equations:
                item["equations"] = E.pretty()
        items.append(item)
        bar.update(k + 1)
    bar.close()
    out: dict[str, Any] = {
        "kind": args.kind,
        "r": r,
        "m": m,
        "d": args.d,
        "d_out": args.d_out,
        "teacher": teacher.to_dict(),
        "closed_form": total,
        "enumerated": len(items),
        "subspaces": items,
    }
    if args.check_dimensions:
        out["dimension_mismatches"] = mismatches
        out["strength"] = "exact"
    if args.json:
        _dump(out)
    else:
        print(f"{args.kind}({r}, {m}): {len(items)} subspaces (closed form {total}); teacher w*={out['teacher']['w']}, "
              f"a*={out['teacher']['a']}")
        for it in items:
            line = f"  {it['labels']}  assignment={it['assignment']} zero={it['zero_groups']} dim={it['dimension_formula']}"
            if args.check_dimensions:
                line += f" rank-dim={it['dimension_rank']}"
            print(line)
            for eq in it.get("equations", []):
                print(f"      {eq}")
        if args.check_dimensions:
            print(f"dimension formula vs exact rank: {mismatches} mismatches")
    return 0 if (len(items) == total and mismatches == 0) else 1


def _criticality(args: argparse.Namespace) -> int:
    from exactlift.symmetry.counts import check_width
    from exactlift.symmetry.criticality import check_subspace_criticality

    r, m = check_width(args.R, args.M)
    from exactlift.symmetry.counts import QUANTITIES, count

    n_subspaces = sum(count(q, r, m) for q in QUANTITIES)
    _check_limit("max_criticality_subspaces", n_subspaces, f"subspace-criticality {r} {m}", "subspaces to check")
    rep = check_subspace_criticality(r, m, d=args.d, d_out=args.d_out, seed=args.seed)
    impl_ok = all(v["all_implement"] for v in rep["implements_teacher"].values())
    repl_ok = rep["replication"]["critical_part_all_critical"]
    zero_ok = all(v["noncritical_points"] == v["points"] for v in rep["zero_type"].values())
    rep["verdict"] = {"implements_teacher": impl_ok, "replications_critical": repl_ok, "zero_type_noncritical": zero_ok}
    if args.json:
        _dump(rep)
    else:
        print(f"teacher w*={rep['teacher']['w']} a*={rep['teacher']['a']}, sigma(z) = {rep['activation']}, "
              f"n = {rep['n']}, loss at theta* = {_short_frac(rep['risk'])} (non-zero, critical by construction)")
        for k, v in rep["implements_teacher"].items():
            print(f"  {k}({r},{m}): {v['subspaces']} subspaces implement the teacher function: {v['all_implement']} (symbolic)")
        rp = rep["replication"]
        print(f"  replication subspaces: {rp['critical_part_points']} random exact points of their critical parts, "
              f"all critical: {repl_ok} (exact); dimensions whole->critical {rp['dimensions_whole_to_critical']}")
        if rp["whole_subspace_points"]:
            print(f"  d_out >= 2: {rp['whole_subspace_noncritical_points']}/{rp['whole_subspace_points']} random points "
                  f"of the whole replication subspaces are NOT critical (only splits in ker M_i stay critical)")
        for rd, v in rep["zero_type"].items():
            print(f"  T_{rd} pieces with zero-type neurons: {v['noncritical_points']}/{v['points']} random exact points "
                  f"are not critical (exact)")
    return 0 if (impl_ok and repl_ok and zero_ok) else 1


def _short_frac(s: str) -> str:
    return s if len(s) <= 40 else f"{s[:18]}...{s[-18:]}"


def _multilayer(args: argparse.Namespace) -> int:
    from exactlift.symmetry.multilayer import check_multilayer_minima

    rep = check_multilayer_minima(args.widths, d=args.d, d_out=args.d_out, seed=args.seed)
    if args.json:
        _dump(rep)
    else:
        print(f"widths {rep['widths']}: product formula {rep['product_formula']}, enumerated {rep['enumerated']}, "
              f"distinct {rep['distinct_points']} (exact); all implement the teacher: {rep['all_implement_teacher']} "
              f"(symbolic)")
        print(f"  not checked: {rep['not_checked']}")
    return 0 if rep["agree"] and rep["all_implement_teacher"] else 1


# --------------------------------------------------------------------------- registration


def register(sub: argparse._SubParsersAction) -> None:
    """Add the symmetry sub-commands to the ``exactlift`` parser."""
    from exactlift.symmetry.counts import QUANTITIES

    p = sub.add_parser("count", help="T_single, T_groups or G: closed form (and enumeration)",
                       **with_example("exactlift count T 2 4 --reading groups --enumerate", "exactlift count G 3 6 --json"))
    p.add_argument("quantity", choices=("T", *QUANTITIES), help="which count (T with --reading, or T_single, T_groups, G)")
    p.add_argument("--reading", choices=("single", "groups"), default=None,
                   help="with T: which reading of T, as in graph (default single)")
    p.add_argument("R", type=_int_arg("R"), help="teacher width r (1 <= r <= m)")
    p.add_argument("M", type=_int_arg("M"), help="student width m")
    p.add_argument("--enumerate", action="store_true", help="also enumerate the subspaces one by one and compare")
    p.add_argument("--limit", type=_int_arg("--limit"), default=5_000_000,
                   help="refuse to enumerate more subspaces than this (default 5000000)")
    add_progress_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_count)

    p = sub.add_parser("graph", help="connectivity graph of the global-minimum pieces T(r, m)",
                       **with_example("exactlift graph 2 4", "exactlift graph 2 4 --reading groups --method exact"))
    p.add_argument("R", type=_int_arg("R"), help="teacher width r")
    p.add_argument("M", type=_int_arg("M"), help="student width m")
    p.add_argument("--reading", choices=("single", "groups"), default="single",
                   help="zero singletons (default) or zero groups")
    p.add_argument("--d", type=_int_arg("--d"), default=1, help="input dimension (default 1)")
    p.add_argument("--d-out", dest="d_out", type=_int_arg("--d-out"), default=1, help="output dimension (default 1)")
    p.add_argument("--method", choices=("combinatorial", "exact"), default="combinatorial",
                   help="edges from the combinatorial criterion (default) or pairwise exact linear algebra")
    p.add_argument("--diameter", choices=("orbits", "networkx", "none"), default="orbits",
                   help="diameter by one BFS per symmetry orbit (default), by networkx, or skip")
    p.add_argument("--max-nodes", dest="max_nodes", type=_int_arg("--max-nodes"), default=None,
                   help="refuse larger graphs (default 250000; 1500 for --method exact)")
    add_progress_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_graph)

    p = sub.add_parser("plot-counts", help="plot G(r*-1,m)/T(r*,m) and the crossover h*(r*) to a PNG file",
                       **with_example("exactlift plot-counts -o counts.png --r 2 3 5 --h-max 20"))
    p.add_argument("-o", "--output", required=True, help="output file (.png)")
    p.add_argument("--r", type=_int_arg("--r", 2), nargs="+", default=[2, 3, 5, 10, 20], help="values of r* (>= 2)")
    p.add_argument("--h-max", dest="h_max", type=_int_arg("--h-max", 0), default=8,
                   help="largest h of the ratio panel (default 8: the region where the ratio crosses 1)")
    p.add_argument("--r-max", dest="r_max", type=_int_arg("--r-max", 2), default=50,
                   help="crossover panel for r* = 2..R_MAX (default 50)")
    p.add_argument("--reading", choices=("single", "groups", "both"), default="both", help="which T (default both)")
    p.add_argument("--json", action="store_true", help="print the crossovers as JSON")
    p.set_defaults(func=_plot_counts)

    p = sub.add_parser("crossover", help="exact crossover width h*(r*) where T(r*,m) overtakes G(r*-1,m)",
                       **with_example("exactlift crossover --r-max 10", "exactlift crossover --reading single --json"))
    p.add_argument("--r-max", dest="r_max", type=_int_arg("--r-max", 2), default=50, help="r* = 2..R_MAX (default 50)")
    p.add_argument("--reading", choices=("single", "groups", "both"), default="both", help="which T (default both)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_crossover)

    p = sub.add_parser("subspaces", help="list the affine subspaces with their exact equations and dimensions",
                       **with_example("exactlift subspaces T_single 1 2 --equations",
                                      "exactlift subspaces G 1 3 --check-dimensions"))
    p.add_argument("kind", choices=("T", *QUANTITIES), help="which family (T with --reading, or T_single, T_groups, G)")
    p.add_argument("--reading", choices=("single", "groups"), default=None,
                   help="with T: which reading of T, as in graph (default single)")
    p.add_argument("R", type=_int_arg("R"), help="teacher width r")
    p.add_argument("M", type=_int_arg("M"), help="student width m")
    p.add_argument("--d", type=_int_arg("--d"), default=1, help="input dimension (default 1)")
    p.add_argument("--d-out", dest="d_out", type=_int_arg("--d-out"), default=1, help="output dimension (default 1)")
    p.add_argument("--seed", type=_int_arg("--seed", 0), default=0, help="seed of the generated teacher")
    p.add_argument("--equations", action="store_true", help="print the defining equations")
    p.add_argument("--check-dimensions", dest="check_dimensions", action="store_true",
                   help="compare the dimension formula with n - rank of the equations (exact)")
    p.add_argument("--limit", type=_int_arg("--limit"), default=20_000, help="refuse longer lists (default 20000)")
    add_progress_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_subspaces)

    p = sub.add_parser("subspace-criticality",
                       help="subspaces implement the teacher (symbolic); criticality at a non-global critical point (exact)",
                       **with_example("exactlift subspace-criticality 1 2", "exactlift subspace-criticality 2 3 --seed 1 --json"))
    p.add_argument("R", type=_int_arg("R"), help="width r of the critical point")
    p.add_argument("M", type=_int_arg("M"), help="student width m")
    p.add_argument("--d", type=_int_arg("--d"), default=1, help="input dimension (default 1)")
    p.add_argument("--d-out", dest="d_out", type=_int_arg("--d-out"), default=1, help="output dimension (default 1)")
    p.add_argument("--seed", type=_int_arg("--seed", 0), default=0, help="seed of the generated point and data")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_criticality)

    p = sub.add_parser("multilayer-minima", help="the prod r_l! permuted copies of a deep minimal-width teacher",
                       **with_example("exactlift multilayer-minima 2 2", "exactlift multilayer-minima 2 3 --d 2 --json"))
    p.add_argument("widths", type=_int_arg("width"), nargs="+", help="hidden widths r_1 ... r_{L-1}")
    p.add_argument("--d", type=_int_arg("--d"), default=1, help="input dimension (default 1)")
    p.add_argument("--d-out", dest="d_out", type=_int_arg("--d-out"), default=1, help="output dimension (default 1)")
    p.add_argument("--seed", type=_int_arg("--seed", 0), default=0, help="seed of the generated teacher")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_multilayer)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit("use the exactlift command: exactlift count|graph|plot-counts|crossover|subspaces ...")
