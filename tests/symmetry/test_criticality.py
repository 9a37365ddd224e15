"""The checks of item 4 (symmetry/criticality.py): subspaces implement the teacher, criticality at θ*.

The network and its gradient are tested in test_twolayer.py, the critical data in test_critical_data.py.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from exactlift.certify import Certificate
from exactlift.errors import InputError
from exactlift.symmetry.criticality import (
    CriticalityReport,
    TwoLayerPoint,
    check_implements_teacher,
    check_replication_criticality,
    check_zero_type_noncritical,
    critical_part,
    check_subspace_criticality,
    make_critical_data,
    risk_and_gradient,
)
from exactlift.symmetry.subspaces import Subspace, Teacher, default_teacher, enumerate_subspaces


@pytest.mark.parametrize("kind", ["G", "T_single", "T_groups"])
def test_every_subspace_implements_the_teacher_symbolically(kind: str) -> None:
    for m in range(1, 5):
        for r in range(1, m + 1):
            rep = check_implements_teacher(kind, r, m, default_teacher(r, 2, 1, seed=1))
            assert rep["all_implement"] and rep["strength"] == "symbolic", (kind, r, m, rep["failures"])
            assert rep["parametrisation_dimensions_match_formula"]
    rep = check_implements_teacher(kind, 2, 3, default_teacher(2, 1, 2, seed=2))
    assert rep["all_implement"]


def test_symbolic_check_fails_for_a_different_target() -> None:
    T = Teacher.from_lists(w=[[1], [2]], a=[[3], [5]])
    other = Teacher.from_lists(w=[[1], [2]], a=[[3], [4]])
    rep = check_implements_teacher("T_single", 2, 3, T, target=other)
    assert not rep["all_implement"] and len(rep["failures"]) == rep["subspaces"] == 12


@pytest.mark.parametrize("d, d_out", [(1, 1), (2, 1)])
def test_replication_points_are_critical_and_zero_type_points_are_not(d: int, d_out: int) -> None:
    cd = make_critical_data(r=2, d=d, d_out=d_out, seed=4)
    rep = check_replication_criticality(cd, 4)
    assert rep["subspaces"] == 14 and rep["critical_part_all_critical"]
    assert rep["critical_part_is_whole_subspace"] == 14  # d_out = 1: the whole subspace is critical
    for reading in ("single", "groups"):
        z = check_zero_type_noncritical(cd, 4, reading)
        assert z["points"] > 0 and z["noncritical_points"] == z["points"], z["critical_examples"]


def test_zero_type_neuron_on_a_teacher_vector_is_critical() -> None:
    """Negative control: the non-criticality is generic, not universal."""
    cd = make_critical_data(r=2, d=1, d_out=1, seed=4)
    T = cd.teacher
    # neuron 2 zero-type with w_2 = w*_0, a_2 = 0: lies on a replication subspace too
    theta = TwoLayerPoint((T.w[0], T.w[1], T.w[0]), (T.a[0], T.a[1], (Fraction(0),))).theta()
    _, g = risk_and_gradient(TwoLayerPoint.from_theta(theta, 3, 1, 1), cd.X, cd.Y, cd.activation)
    assert all(x == 0 for x in g)
    assert Subspace("T_single", 2, (0, 1, -1)).equations(T).contains(theta)


@pytest.mark.parametrize("d, d_out, crit_dim", [(1, 2, 2), (2, 2, 2), (1, 3, 4)])
def test_vector_outputs_only_splits_in_ker_M_stay_critical(d: int, d_out: int, crit_dim: int) -> None:
    cd = make_critical_data(r=2, d=d, d_out=d_out, seed=5)
    rep = check_replication_criticality(cd, 4)
    assert rep["critical_part_all_critical"]
    assert rep["whole_subspace_points"] > 0
    assert rep["whole_subspace_noncritical_points"] == rep["whole_subspace_points"]
    # h = 2: whole dimension 2*d_out; critical part h*dim ker M_i (d_out - min(d, d_out - 1) generically)
    assert rep["dimensions_whole_to_critical"] == {f"{2 * d_out}->{crit_dim}": 14}
    # the parallel splits a_j = alpha_j a*_i are always in the critical part
    S = next(iter(enumerate_subspaces("G", 2, 4)))
    crit = critical_part(S, cd)
    T = cd.teacher
    alphas = {}
    for i, block in enumerate(S.assignment):
        for k, j in enumerate(block):
            alphas[j] = (i, Fraction(1, len(block)))
    w = tuple(T.w[alphas[j][0]] for j in range(4))
    a = tuple(tuple(alphas[j][1] * x for x in T.a[alphas[j][0]]) for j in range(4))
    assert crit.contains(TwoLayerPoint(w, a).theta())


def test_reports_carry_certificates_with_computed_strength() -> None:
    rep = check_subspace_criticality(2, 3, d_out=2, seed=1)
    cert = rep.certificate()
    assert isinstance(rep, CriticalityReport) and isinstance(cert, Certificate)
    assert cert.holds is True and cert.strength == "exact" == rep["strength"]
    assert [c.strength for c in cert.children] == ["symbolic"] * 3 + ["exact"] * 3
    assert rep["implements_teacher"]["G"].certificate().strength == "symbolic" == rep["implements_teacher"]["G"]["strength"]
    repl = rep["replication"].certificate()
    assert repl.holds is rep["replication"]["critical_part_all_critical"] is True
    assert len(repl.children) == 2  # d_out = 2: the whole subspaces are tried too
    assert json.loads(json.dumps(rep))["replication"]["subspaces"] == rep["replication"]["subspaces"]
    assert json.dumps(cert.to_json())


def test_a_failing_check_gives_a_failing_certificate() -> None:
    T = Teacher.from_lists(w=[[1], [2]], a=[[3], [5]])
    other = Teacher.from_lists(w=[[1], [2]], a=[[3], [4]])
    cert = check_implements_teacher("G", 2, 3, T, target=other).certificate()
    assert cert.holds is False and cert.strength == "symbolic" and not cert.proved


def test_the_old_import_path_still_works() -> None:
    from exactlift import symmetry
    from exactlift.symmetry import critical_data, twolayer

    assert symmetry.RationalActivation is twolayer.RationalActivation
    assert symmetry.make_critical_data is critical_data.make_critical_data
    with pytest.raises(InputError, match="reading"):
        check_zero_type_noncritical(make_critical_data(r=1), 2, "pairs")
