"""Enumeration of the subspaces as objects: counts, labels, equations and dimensions."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest

from exactlift.errors import FloatInExactError, InputError
from exactlift.symmetry import exact
from exactlift.symmetry.counts import count
from exactlift.symmetry.subspaces import (
    Subspace,
    Teacher,
    default_teacher,
    enumerate_subspaces,
    set_partitions,
    subspace_dimension,
)

KINDS = ("G", "T_single", "T_groups")


@pytest.mark.parametrize("kind", KINDS)
def test_enumeration_equals_closed_form_for_every_m_up_to_7(kind: str) -> None:
    for m in range(1, 8):
        for r in range(1, m + 1):
            labels = [S.labels for S in enumerate_subspaces(kind, r, m)]
            assert len(labels) == len(set(labels)) == count(kind, r, m), (kind, r, m)


def test_enumerated_objects_have_the_declared_structure() -> None:
    for kind in KINDS:
        for S in enumerate_subspaces(kind, 3, 6):
            assert sorted(j for b in S.assignment + S.zero_groups for j in b) == list(range(6))
            assert all(S.assignment)
            if kind == "G":
                assert S.u == 0
            if kind == "T_single":
                assert all(len(g) == 1 for g in S.zero_groups)


def test_set_partitions_count_bell_and_stirling() -> None:
    from exactlift.symmetry.counts import bell, stirling2

    for n in range(0, 8):
        assert sum(1 for _ in set_partitions(n)) == bell(n)
        for k in range(0, n + 1):
            assert sum(1 for _ in set_partitions(n, k, k)) == stirling2(n, k)


def test_single_pieces_are_the_groups_pieces_with_singleton_zero_groups() -> None:
    for m in range(2, 7):
        for r in range(1, m + 1):
            single = {S.labels for S in enumerate_subspaces("T_single", r, m)}
            groups = {S.labels for S in enumerate_subspaces("T_groups", r, m) if all(len(g) == 1 for g in S.zero_groups)}
            assert single == groups


@pytest.mark.parametrize("d, d_out", [(1, 1), (2, 1), (1, 2), pytest.param(2, 3, marks=pytest.mark.slow),
                                        pytest.param(3, 2, marks=pytest.mark.slow)])
def test_dimension_formula_equals_exact_rank(d: int, d_out: int) -> None:
    for m in range(1, 5):
        for r in range(1, m + 1):
            T = default_teacher(r, d, d_out, seed=m)
            for kind in KINDS:
                for S in enumerate_subspaces(kind, r, m):
                    E = S.equations(T)
                    assert E.n == m * (d + d_out)
                    assert E.is_consistent()
                    dim = E.dimension()
                    assert dim == S.dimension(d, d_out) == subspace_dimension(m - r, S.u, d, d_out)
                    assert dim >= m - r
                    # a point of the subspace satisfies the equations; random points too
                    p = E.point()
                    assert p is not None and E.contains(p)


def test_fraction_backend_and_core_linalg_agree_with_flint() -> None:
    from exactlift.arith import linalg as core

    T = default_teacher(2, 2, 2, seed=3)
    for kind in KINDS:
        for S in enumerate_subspaces(kind, 2, 4):
            E = S.equations(T)
            rk = E.rank("flint")
            assert rk == E.rank("fraction") == core.rank([list(row) for row in E.A])
            assert E.dimension("fraction") == E.dimension("flint")


@pytest.mark.slow  # 16 s; the default run checks the labels on smaller cases
def test_distinct_labels_are_distinct_subspaces_and_none_contains_another() -> None:
    """Exact linear algebra: P ⊆ Q iff dim(P ∩ Q) = dim P (both non-empty)."""
    T = default_teacher(2, 1, 2, seed=5)
    for kind in ("T_single", "T_groups"):
        for m in (3, 4):
            subs = list(enumerate_subspaces(kind, 2, m))
            systems = [S.equations(T) for S in subs]
            dims = [E.dimension() for E in systems]
            for i, k in itertools.combinations(range(len(subs)), 2):
                inter = systems[i].intersect(systems[k]).dimension()
                if inter is not None:
                    assert inter < dims[i] and inter < dims[k], (subs[i], subs[k])


def test_equations_of_a_small_piece_read_as_expected() -> None:
    T = Teacher.from_lists(w=[[1], [2]], a=[[3], ["1/2"]])
    S = Subspace("T_groups", 2, (0, -1, 1, -1))
    assert S.assignment == ((0,), (2,)) and S.zero_groups == ((1, 3),)
    eqs = S.equations(T).pretty()
    assert "w[0,0] = 1" in eqs and "w[2,0] = 2" in eqs
    assert "-w[1,0] + w[3,0] = 0" in eqs
    assert "a[1,0] + a[3,0] = 0" in eqs and "a[2,0] = 1/2" in eqs
    assert S.dimension(1, 1) == 2


def test_subspace_validation_errors() -> None:
    with pytest.raises(InputError, match="canonical"):
        Subspace("T_single", 1, (0, -2, -1))
    with pytest.raises(InputError, match="no student neuron"):
        Subspace("G", 2, (0, 0))
    with pytest.raises(InputError, match="zero-type"):
        Subspace("G", 1, (0, -1))
    with pytest.raises(InputError, match="one neuron"):
        Subspace("T_single", 1, (0, -1, -1))
    with pytest.raises(InputError, match="unknown kind"):
        Subspace("T", 1, (0,))


def test_teacher_validation() -> None:
    with pytest.raises(FloatInExactError, match="float"):
        Teacher.from_lists(w=[[0.5]], a=[[1]])
    with pytest.raises(InputError, match="same incoming vector"):
        Teacher.from_lists(w=[[1], [1]], a=[[1], [2]])
    with pytest.raises(InputError, match="outgoing vector 0"):
        Teacher.from_lists(w=[[1], [2]], a=[[1], [0]])
    with pytest.raises(InputError, match="expected 2"):
        Teacher.from_lists(w=[[1, 2], [3]], a=[[1], [2]])
    assert Teacher.from_lists(w=[1, 2], a=["2/3", -1]).a[0] == (Fraction(2, 3),)


def test_enumeration_limit_refuses_before_starting() -> None:
    with pytest.raises(InputError, match="enumeration limit"):
        next(enumerate_subspaces("T_groups", 3, 9, limit=1000))


def test_exact_helpers_refuse_floats() -> None:
    with pytest.raises(FloatInExactError):
        exact.rank([[1.0, 2]], 2)
    with pytest.raises(InputError, match="backend"):
        exact.rank([[1, 2]], 2, backend="numpy")


def test_checks_as_certificates_are_exact_and_hold() -> None:
    from exactlift.symmetry.certificates import check_counts, check_dimensions, check_edges

    for c in (check_counts(2, 4), check_dimensions(2, 4, 2, 1), check_edges(2, 4)):
        assert c.holds is True and c.strength == "exact"
