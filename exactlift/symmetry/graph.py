"""The connectivity graph of the global-minimum pieces (docs/symmetry.md, Şimşek et al. 2021).

Nodes are the T(r, m) affine subspaces of one reading (``"single"`` or
``"groups"``); an edge joins two subspaces that intersect.  Two ways to decide
an edge:

* ``method="combinatorial"`` (default): the neighbours of each piece are
  generated directly from the intersection criterion of
  :func:`~exactlift.symmetry.subspaces.intersects` (join of the two block
  partitions; see docs/symmetry.md for the derivation).  Linear in the number of
  edges, so it scales to tens of thousands of nodes.
* ``method="exact"``: every pair is tested by exact linear algebra on the
  defining equations for a concrete teacher (rank A = rank [A | b]).  Quadratic
  in the number of nodes; the tests compare it with the combinatorial graph.

Nodes are the integers 0..N−1 in enumeration order; node attributes:
``subspace`` (the :class:`~exactlift.symmetry.subspaces.Subspace`), ``label``
(its description), ``shape``, ``u`` (zero groups), ``dimension`` (for the graph's
d, d_out) and, when m = r + 1, ``color`` (``"blue"``: one zero-type neuron,
``"green"``: two copies of one teacher neuron).

>>> G = connectivity_graph(2, 3)
>>> G.number_of_nodes(), G.number_of_edges(), graph_statistics(G)["diameter"]
(12, 12, 6)
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx
from networkx.utils import UnionFind

from exactlift.errors import InputError, validated
from exactlift.symmetry.counts import check_width, count
from exactlift.symmetry.subspaces import (
    READINGS,
    Subspace,
    Teacher,
    canonical_labels,
    default_teacher,
    enumerate_subspaces,
    set_partitions,
)
from exactlift.symmetry.sizes import positive_int

__all__ = [
    "connectivity_graph",
    "subspace_neighbors",
    "graph_statistics",
    "diameter_by_orbits",
    "blue_green_structure",
    "star_cayley_graph",
    "star_graph_diameter",
    "DEFAULT_MAX_NODES",
    "DEFAULT_MAX_EXACT_NODES",
]

#: Refuse larger graphs unless the caller raises ``max_nodes``.
DEFAULT_MAX_NODES = 250_000
#: Refuse the quadratic exact method above this many nodes unless raised.
DEFAULT_MAX_EXACT_NODES = 1_500


def _reading(reading: str) -> str:
    if reading not in READINGS:
        raise InputError(f"unknown reading {reading!r}; choose 'single' or 'groups'")
    return READINGS[reading]


# --------------------------------------------------------------------------- neighbours

_LOCAL_CACHE: dict[tuple[tuple[int, ...], bool, bool], list[tuple[int, ...]]] = {}


def _local_structures(sizes: tuple[int, ...], labelled: bool, single: bool) -> list[tuple[int, ...]]:
    """Partitions Q|K of one block K of the join, in local coordinates.

    K's neurons are laid out block after block (``sizes`` are the sizes of P's
    blocks inside K; if ``labelled`` the first one is P's assigned block).  Each
    result gives, per local neuron, 0 for Q's labelled block or −(b+1) for Q's
    zero group b.  Kept: exactly one labelled Q-block if K is labelled, none
    otherwise; singletons only as zero groups if ``single``; and P|K ∨ Q|K = {K}.
    """
    key = (sizes, labelled, single)
    if key in _LOCAL_CACHE:
        return _LOCAL_CACHE[key]
    n = sum(sizes)
    starts = list(itertools.accumulate((0,) + sizes[:-1]))
    out: list[tuple[int, ...]] = []
    for rgs, k in set_partitions(n):
        block_sizes = Counter(rgs)
        for lab in range(k) if labelled else [None]:
            if single and any(c > 1 for b, c in block_sizes.items() if b != lab):
                continue
            uf = UnionFind(range(n))
            for s, size in zip(starts, sizes):
                for t in range(s + 1, s + size):
                    uf.union(s, t)
            first: dict[int, int] = {}
            for t, b in enumerate(rgs):
                if b in first:
                    uf.union(first[b], t)
                else:
                    first[b] = t
            root = uf[0]
            if any(uf[t] != root for t in range(n)):
                continue
            out.append(tuple(0 if b == lab else -(b + 1) for b in rgs))
    _LOCAL_CACHE[key] = out
    return out


def _superblock_configs(r: int, nzero: int, single: bool) -> Iterable[list[tuple[int, ...]]]:
    """Ways to place P's zero groups into blocks of the join.

    Yields, for each configuration, the list of the join's blocks as tuples of
    zero-group indices: first the r labelled blocks (one per teacher neuron, the
    zero groups joining P_i), then the unlabelled ones.
    """
    choice = [0] * nzero  # 0..r-1: labelled block; r + u: unlabelled block u

    def rec(z: int, nunl: int) -> Iterable[list[tuple[int, ...]]]:
        if z == nzero:
            blocks: list[list[int]] = [[] for _ in range(r + nunl)]
            for zi, c in enumerate(choice):
                blocks[c].append(zi)
            yield [tuple(b) for b in blocks]
            return
        for c in range(r):
            choice[z] = c
            yield from rec(z + 1, nunl)
        if not single:
            for c in range(r, r + nunl):
                choice[z] = c
                yield from rec(z + 1, nunl)
        choice[z] = r + nunl
        yield from rec(z + 1, nunl + 1)

    return rec(0, 0)


def subspace_neighbors(P: Subspace) -> Iterable[tuple[int, ...]]:
    """Canonical labels of every piece of P's reading that intersects P (P excluded).

    Each neighbour Q is produced exactly once, from the join P ∨ Q: the join's
    blocks are unions of P's blocks with at most one assigned block each; inside
    each join block K, Q restricted to K has one labelled block (label i) iff K
    contains P_i, and joins with P|K to the single block K.

    >>> sorted(subspace_neighbors(Subspace("T_single", 1, (0, -1))))
    [(0, 0)]
    """
    if P.kind == "G":
        raise InputError("the connectivity graph is built on the global-minimum pieces (T_single or T_groups)")
    single = P.kind == "T_single"
    r, m = P.r, P.m
    assigned, zeros = P.assignment, P.zero_groups
    for config in _superblock_configs(r, len(zeros), single):
        per_block: list[tuple[list[int], int, list[tuple[int, ...]]]] = []
        ok = True
        for bi, zlist in enumerate(config):
            labelled = bi < r
            pblocks = ([assigned[bi]] if labelled else []) + [zeros[z] for z in zlist]
            sizes = tuple(len(b) for b in pblocks)
            structs = _local_structures(sizes, labelled, single)
            if not structs:
                ok = False
                break
            neurons = [j for b in pblocks for j in b]
            per_block.append((neurons, bi if labelled else -1, structs))
        if not ok:
            continue
        lab = [0] * m
        for combo in itertools.product(*(pb[2] for pb in per_block)):
            offset = 0
            for (neurons, label, _), st in zip(per_block, combo):
                for j, x in zip(neurons, st):
                    lab[j] = label if x == 0 else x - offset
                offset += len(neurons)
            key = canonical_labels(lab)
            if key != P.labels:
                yield key


# --------------------------------------------------------------------------- the graph


@validated
def connectivity_graph(
    r: int,
    m: int,
    reading: str = "single",
    *,
    method: str = "combinatorial",
    teacher: Teacher | None = None,
    d: int = 1,
    d_out: int = 1,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    max_exact_nodes: int | None = DEFAULT_MAX_EXACT_NODES,
    progress: Callable[[int, int], None] | None = None,
) -> nx.Graph:
    """The networkx graph of the T(r, m) pieces of one reading, edges = intersections.

    ``reading``: ``"single"`` (zero singletons) or ``"groups"`` (zero groups).
    ``method``: ``"combinatorial"`` or ``"exact"`` (pairwise exact linear algebra
    for ``teacher``, default :func:`default_teacher(r, d, d_out)`).
    ``max_nodes`` / ``max_exact_nodes`` refuse larger graphs (``None``: no limit).
    ``progress(done, total)`` is called while building.

    >>> G = connectivity_graph(2, 2)
    >>> G.number_of_nodes(), G.number_of_edges()
    (2, 0)
    """
    kind = _reading(reading)
    r, m = check_width(r, m)
    d, d_out = positive_int("d", d), positive_int("d_out", d_out)
    if method not in ("combinatorial", "exact"):
        raise InputError(f"unknown method {method!r}; choose 'combinatorial' or 'exact'")
    total = count(kind, r, m)
    if max_nodes is not None and total > max_nodes:
        raise InputError(
            f"{kind}({r}, {m}) = {total} nodes is more than the limit {max_nodes}; raise the limit to build it anyway"
        )
    if method == "exact":
        if teacher is None:
            teacher = default_teacher(r, d, d_out)
        if teacher.r != r:
            raise InputError(f"the teacher has width {teacher.r}, expected r={r}")
        d, d_out = teacher.d, teacher.d_out
        if max_exact_nodes is not None and total > max_exact_nodes:
            raise InputError(
                f"the exact method tests every pair: {total} nodes is more than {max_exact_nodes}; "
                f"use the combinatorial method or raise max_exact_nodes"
            )
    G = nx.Graph(r=r, m=m, h=m - r, reading=reading, kind=kind, d=d, d_out=d_out, method=method)
    nodes = list(enumerate_subspaces(kind, r, m))
    index = {S.labels: i for i, S in enumerate(nodes)}
    for i, S in enumerate(nodes):
        attrs: dict[str, Any] = {
            "subspace": S,
            "label": S.describe(),
            "shape": S.shape,
            "u": S.u,
            "dimension": S.dimension(d, d_out),
        }
        if S.color is not None:
            attrs["color"] = S.color
        G.add_node(i, **attrs)
    step = max(1, total // 200)
    if method == "combinatorial":
        for i, S in enumerate(nodes):
            G.add_edges_from((i, k) for k in (index[q] for q in subspace_neighbors(S)) if k > i)
            if progress is not None and (i % step == 0 or i == total - 1):
                progress(i + 1, total)
    else:
        assert teacher is not None
        systems = [S.equations(teacher) for S in nodes]
        consistent = _pair_consistency(systems)
        for i in range(total):
            for k in range(i + 1, total):
                if consistent(i, k):
                    G.add_edge(i, k)
            if progress is not None and (i % step == 0 or i == total - 1):
                progress(i + 1, total)
    return G


def _pair_consistency(systems: list[Any]) -> Callable[[int, int], bool]:
    """``consistent(i, k)``: rank [A_i; A_k] == rank [A_i b_i; A_k b_k] (exact).

    With python-flint the rows are converted to ``fmpq`` once; otherwise the
    Fraction engine of :mod:`exactlift.symmetry.exact` decides.
    """
    try:
        import flint
    except ImportError:  # pragma: no cover
        return lambda i, k: systems[i].intersect(systems[k]).is_consistent("fraction")
    n = systems[0].n
    rows_A = []
    rows_Ab = []
    for E in systems:
        A = [[flint.fmpq(x.numerator, x.denominator) for x in row] for row in E.A]
        rows_A.append([x for row in A for x in row])
        rows_Ab.append([x for row, b in zip(A, E.b) for x in row + [flint.fmpq(b.numerator, b.denominator)]])
    nrows = [len(E.A) for E in systems]

    def consistent(i: int, k: int) -> bool:
        rk = nrows[i] + nrows[k]
        a = flint.fmpq_mat(rk, n, rows_A[i] + rows_A[k]).rank()
        return a == flint.fmpq_mat(rk, n + 1, rows_Ab[i] + rows_Ab[k]).rank()

    return consistent


# --------------------------------------------------------------------------- statistics


def diameter_by_orbits(G: nx.Graph) -> int:
    """The largest eccentricity inside a component (the diameter when connected).

    Neuron permutations and teacher relabellings act on the pieces by graph
    automorphisms (the intersection criterion is invariant), and two pieces with
    the same ``shape`` (sizes of assigned blocks, sizes of zero groups) lie in one
    orbit; so one breadth-first search per shape suffices.
    """
    reps: dict[Any, Any] = {}
    for v, sh in G.nodes(data="shape"):
        reps.setdefault(sh, v)
    best = 0
    for v in reps.values():
        dist = nx.single_source_shortest_path_length(G, v)
        best = max(best, max(dist.values()))
    return best


@validated
def graph_statistics(G: nx.Graph, diameter: str = "orbits") -> dict[str, Any]:
    """Nodes, edges, connected components, diameter, degree and dimension histograms.

    ``diameter``: ``"orbits"`` (one BFS per orbit shape; see
    :func:`diameter_by_orbits`), ``"networkx"`` (``nx.diameter`` per component,
    all-pairs) or ``"none"``.  ``diameter`` is ``None`` when the graph is
    disconnected (infinite); ``max_component_diameter`` is always given.
    """
    if diameter not in ("orbits", "networkx", "none"):
        raise InputError(f"unknown diameter method {diameter!r}")
    comps = list(nx.connected_components(G))
    degs = Counter(dict(G.degree()).values())
    stats: dict[str, Any] = {
        "r": G.graph.get("r"),
        "m": G.graph.get("m"),
        "h": G.graph.get("h"),
        "reading": G.graph.get("reading"),
        "d": G.graph.get("d"),
        "d_out": G.graph.get("d_out"),
        "method": G.graph.get("method"),
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "components": len(comps),
        "component_sizes": {int(k): v for k, v in sorted(Counter(len(c) for c in comps).items())},
        "connected": len(comps) == 1,
        "degree_histogram": {int(k): v for k, v in sorted(degs.items())},
        "min_degree": min(degs) if degs else 0,
        "max_degree": max(degs) if degs else 0,
        "dimension_histogram": {
            int(k): v for k, v in sorted(Counter(dict(G.nodes(data="dimension")).values()).items())
        },
        "strength": "exact",
    }
    if diameter == "none":
        stats["diameter"] = None
        stats["max_component_diameter"] = None
    else:
        if diameter == "orbits":
            dmax = diameter_by_orbits(G)
        else:
            dmax = max((nx.diameter(G.subgraph(c)) for c in comps), default=0)
        stats["max_component_diameter"] = dmax
        stats["diameter"] = dmax if len(comps) == 1 else None
        stats["diameter_method"] = diameter
    if G.graph.get("h") == 1:
        stats["blue_green"] = blue_green_structure(G)
    return stats


# --------------------------------------------------------------------------- m = r + 1


def star_cayley_graph(n: int) -> nx.Graph:
    """Cayley graph of S_n for the star transpositions (0 c), c = 1..n−1 (the "star graph").

    Nodes are permutations p of (0..n−1) as tuples; p ~ q when q is p with the
    values 0 and c exchanged (q = (0 c)∘p).

    >>> G = star_cayley_graph(3); G.number_of_nodes(), G.number_of_edges(), nx.diameter(G)
    (6, 6, 3)
    """
    n = positive_int("n", n)
    G = nx.Graph()
    for p in itertools.permutations(range(n)):
        G.add_node(p)
        for c in range(1, n):
            q = tuple(c if x == 0 else 0 if x == c else x for x in p)
            G.add_edge(p, q)
    return G


def star_graph_diameter(n: int) -> int:
    """⌊3(n−1)/2⌋, the diameter of the star graph on S_n (Akers–Harel–Krishnamurthy 1987)."""
    return (3 * (n - 1)) // 2


def blue_green_structure(G: nx.Graph) -> dict[str, Any]:
    """The m = r + 1 structure: blue/green counts and degrees, and the contraction.

    Every green node (two copies of one teacher neuron) has exactly two blue
    neighbours (one zero-type neuron) and there are no blue–blue or green–green
    edges; contracting each green node to an edge between its two blue
    neighbours gives a graph on the (r+1)! blue nodes.  Writing a blue node as
    the bijection p: neurons → {0, 1..r} (0 for the zero-type neuron, i+1 for
    teacher neuron i), that graph is checked edge by edge to be the Cayley graph
    of S_{r+1} for the star transpositions (0 c) (:func:`star_cayley_graph`).
    """
    if G.graph.get("h") != 1:
        raise InputError("the blue/green structure is defined for m = r + 1")
    r, m = G.graph["r"], G.graph["m"]
    blue = [v for v, c in G.nodes(data="color") if c == "blue"]
    green = [v for v, c in G.nodes(data="color") if c == "green"]
    blue_set = set(blue)
    same_color_edges = sum(1 for u, v in G.edges() if (u in blue_set) == (v in blue_set))
    green_blue_degrees = Counter(sum(1 for w in G[v] if w in blue_set) for v in green)
    blue_degrees = Counter(G.degree(v) for v in blue)

    def perm_of(v: Any) -> tuple[int, ...]:
        lab = G.nodes[v]["subspace"].labels
        return tuple(0 if x < 0 else x + 1 for x in lab)

    contracted = nx.Graph()
    contracted.add_nodes_from(perm_of(v) for v in blue)
    contraction_ok = True
    for v in green:
        nb = [w for w in G[v] if w in blue_set]
        if len(nb) != 2:
            contraction_ok = False
            continue
        contracted.add_edge(perm_of(nb[0]), perm_of(nb[1]))
    cay = star_cayley_graph(m)
    is_cayley = (
        contraction_ok
        and set(contracted.nodes()) == set(cay.nodes())
        and {frozenset(e) for e in contracted.edges()} == {frozenset(e) for e in cay.edges()}
    )
    out: dict[str, Any] = {
        "blue": len(blue),
        "green": len(green),
        "blue_expected": math.factorial(m),
        "green_expected": math.factorial(m) * r // 2,
        "same_color_edges": same_color_edges,
        "blue_degree_histogram": {int(k): c for k, c in sorted(blue_degrees.items())},
        "green_blue_neighbor_histogram": {int(k): c for k, c in sorted(green_blue_degrees.items())},
        "contracted_nodes": contracted.number_of_nodes(),
        "contracted_edges": contracted.number_of_edges(),
        "contracted_is_star_cayley_graph": is_cayley,
        "cayley_group": f"S_{m}",
        "cayley_generators": [f"(0 {c})" for c in range(1, m)],
        "star_graph_diameter": star_graph_diameter(m),
    }
    if contracted.number_of_nodes() and nx.is_connected(contracted):
        # vertex-transitive: one eccentricity is the diameter
        v0 = next(iter(contracted.nodes()))
        out["contracted_diameter"] = max(nx.single_source_shortest_path_length(contracted, v0).values())
    return out
