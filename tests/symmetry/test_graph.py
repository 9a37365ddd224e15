"""The connectivity graph against independent computations."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest

from exactlift.errors import InputError
from exactlift.symmetry.counts import count
from exactlift.symmetry.graph import (
    blue_green_structure,
    connectivity_graph,
    diameter_by_orbits,
    graph_statistics,
    star_cayley_graph,
    star_graph_diameter,
)
from exactlift.symmetry.subspaces import Teacher, default_teacher, intersects

READINGS = ("single", "groups")


def _edge_set(G: nx.Graph) -> set[frozenset]:
    return {frozenset((G.nodes[u]["subspace"].labels, G.nodes[v]["subspace"].labels)) for u, v in G.edges()}


TEACHERS = {
    # generic random teachers
    "d1": lambda r: default_teacher(r, 1, 1, seed=11),
    "d2o2": lambda r: default_teacher(r, 2, 2, seed=12),
    # non-generic but admissible: equal outgoing weights, a1 + a2 = a3, collinear w*
    "special": lambda r: Teacher.from_lists(w=[[1, 0], [2, 0], [-1, 0]][:r], a=[[1], [1], [2]][:r]),
}


@pytest.mark.parametrize("teacher_name", list(TEACHERS))
@pytest.mark.parametrize("reading", READINGS)
def test_combinatorial_edges_equal_exact_linear_algebra(reading: str, teacher_name: str) -> None:
    for m in range(1, 5):
        for r in range(1, min(m, 3) + 1):
            T = TEACHERS[teacher_name](r)
            exact_graph = connectivity_graph(r, m, reading, method="exact", teacher=T)
            comb_graph = connectivity_graph(r, m, reading, d=T.d, d_out=T.d_out)
            assert _edge_set(exact_graph) == _edge_set(comb_graph), (reading, r, m, teacher_name)


@pytest.mark.slow
@pytest.mark.parametrize("reading", READINGS)
def test_combinatorial_edges_equal_exact_linear_algebra_m5(reading: str) -> None:
    for r in range(1, 6):
        T = default_teacher(r, 2, 1, seed=13)
        exact_graph = connectivity_graph(r, 5, reading, method="exact", teacher=T, max_exact_nodes=None)
        assert _edge_set(exact_graph) == _edge_set(connectivity_graph(r, 5, reading, d=2))


def _check_neighbours_against_pairwise(reading: str, ms: range) -> None:
    for m in ms:
        for r in range(1, m + 1):
            G = connectivity_graph(r, m, reading)
            subs = [G.nodes[v]["subspace"] for v in G]
            pairwise = {
                frozenset((P.labels, Q.labels)) for P, Q in itertools.combinations(subs, 2) if intersects(P, Q)
            }
            assert pairwise == _edge_set(G), (reading, r, m)


@pytest.mark.parametrize("reading", READINGS)
def test_neighbour_generation_equals_pairwise_test(reading: str) -> None:
    _check_neighbours_against_pairwise(reading, range(1, 6))


@pytest.mark.slow
@pytest.mark.parametrize("reading", READINGS)
def test_neighbour_generation_equals_pairwise_test_m6(reading: str) -> None:
    _check_neighbours_against_pairwise(reading, range(6, 7))


@pytest.mark.parametrize("reading", READINGS)
def test_h0_isolated_points_and_h_positive_connected(reading: str) -> None:
    for m in range(1, 7):
        for r in range(1, m + 1):
            if reading == "groups" and m == 6 and 2 <= r <= 4:
                continue  # the largest graphs: in test_connected_m6_groups (slow)
            st = graph_statistics(connectivity_graph(r, m, reading), diameter="none")
            assert st["nodes"] == count("T_" + reading, r, m)
            if m == r:
                assert st["nodes"] == st["components"] == math.factorial(r) and st["edges"] == 0
            else:
                assert st["connected"], (reading, r, m)


@pytest.mark.slow
def test_connected_m6_groups() -> None:
    for r in (2, 3, 4):
        assert nx.is_connected(connectivity_graph(r, 6, "groups"))


@pytest.mark.slow
@pytest.mark.parametrize("reading", READINGS)
def test_connected_m7(reading: str) -> None:
    for r in range(1, 7):
        assert nx.is_connected(connectivity_graph(r, 7, reading))


def test_orbit_diameter_equals_networkx_diameter() -> None:
    for reading in READINGS:
        for m in range(1, 6):
            for r in range(1, m + 1):
                G = connectivity_graph(r, m, reading)
                if G.number_of_nodes() > 200:
                    continue
                expected = max(nx.diameter(G.subgraph(c)) for c in nx.connected_components(G))
                assert diameter_by_orbits(G) == expected
                st = graph_statistics(G, diameter="networkx")
                assert st["max_component_diameter"] == expected
                assert st["diameter"] == (expected if nx.is_connected(G) else None)


def _right_cayley_graph(n: int) -> nx.Graph:
    """Cayley graph of S_n, generators the transpositions (0 c), acting on positions (p ∘ g)."""
    G = nx.Graph()
    for p in itertools.permutations(range(n)):
        for c in range(1, n):
            q = list(p)
            q[0], q[c] = q[c], q[0]
            G.add_edge(p, tuple(q))
    return G


@pytest.mark.parametrize("r", [1, 2, 3, 4])
def test_m_equals_r_plus_1_blue_green_and_cayley_graph(r: int) -> None:
    G = connectivity_graph(r, r + 1, "single")
    blue = [v for v, c in G.nodes(data="color") if c == "blue"]
    green = [v for v, c in G.nodes(data="color") if c == "green"]
    assert len(blue) == math.factorial(r + 1) and len(green) == math.factorial(r + 1) * r // 2
    assert all(G.nodes[v]["subspace"].u == 1 for v in blue)
    bs = set(blue)
    assert all((u in bs) != (v in bs) for u, v in G.edges())  # bipartite blue-green
    assert all(G.degree(v) == 2 for v in green) and all(G.degree(v) == r for v in blue)
    # contraction built here, compared with an independently built Cayley graph of S_{r+1}
    H = nx.Graph()
    H.add_nodes_from(blue)
    for v in green:
        a, b = list(G[v])
        H.add_edge(a, b)
    assert H.number_of_edges() == len(green)  # no two green nodes share both blue neighbours
    cay = _right_cayley_graph(r + 1)
    if r <= 3:
        assert nx.is_isomorphic(H, cay)
    else:
        assert nx.faster_could_be_isomorphic(H, cay)
    assert nx.diameter(H) == nx.diameter(cay) == star_graph_diameter(r + 1)
    # the library's own explicit map agrees
    bg = blue_green_structure(G)
    assert bg["contracted_is_star_cayley_graph"] and bg["same_color_edges"] == 0
    # the subdivided graph has twice the diameter of the star graph
    assert nx.diameter(G) == 2 * star_graph_diameter(r + 1)
    # the groups reading gives the same graph for h = 1
    assert _edge_set(G) == _edge_set(connectivity_graph(r, r + 1, "groups"))


def test_star_cayley_graph_library_builder_matches_right_action() -> None:
    for n in range(1, 5):
        assert nx.is_isomorphic(star_cayley_graph(n), _right_cayley_graph(n)) if n > 1 else True


def test_graph_statistics_keys_and_histograms() -> None:
    G = connectivity_graph(2, 4, "groups", d=3, d_out=2)
    st = graph_statistics(G)
    for key in ("nodes", "edges", "components", "diameter", "degree_histogram", "dimension_histogram"):
        assert key in st
    assert sum(st["degree_histogram"].values()) == st["nodes"] == 62
    assert sum(k * v for k, v in st["degree_histogram"].items()) == 2 * st["edges"]
    # dimensions (h - u) d_out + u d with h = 2: u = 0 -> 4, u = 1 -> 5, u = 2 -> 6
    assert set(st["dimension_histogram"]) <= {4, 5, 6}


def test_graph_errors() -> None:
    with pytest.raises(InputError, match="reading"):
        connectivity_graph(2, 3, "pairs")
    with pytest.raises(InputError, match="limit"):
        connectivity_graph(3, 9, "groups", max_nodes=1000)
    with pytest.raises(InputError, match="every pair"):
        connectivity_graph(3, 6, "groups", method="exact")
    with pytest.raises(InputError, match="need 1 <= r <= m"):
        connectivity_graph(4, 3)
    with pytest.raises(InputError, match="m = r \\+ 1"):
        blue_green_structure(connectivity_graph(1, 3))
