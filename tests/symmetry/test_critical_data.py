"""The docs/mathematics.md critical data and the critical part of a replication subspace (symmetry/critical_data.py)."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

from exactlift.errors import InputError
from exactlift.symmetry.critical_data import critical_part, make_critical_data, residual_matrices
from exactlift.symmetry.subspaces import enumerate_subspaces
from exactlift.symmetry.twolayer import TwoLayerPoint, risk_and_gradient


@pytest.mark.parametrize("r, d, d_out", [(1, 1, 1), (2, 1, 1), (2, 2, 1), (2, 1, 2), (3, 2, 2)])
def test_make_critical_data_is_critical_with_positive_loss(r: int, d: int, d_out: int) -> None:
    cd = make_critical_data(r=r, d=d, d_out=d_out, seed=r)
    risk, grad = risk_and_gradient(TwoLayerPoint.from_teacher(cd.teacher), cd.X, cd.Y, cd.activation)
    assert risk == cd.risk > 0 and all(g == 0 for g in grad)
    assert len(set(cd.X)) == cd.n  # distinct inputs


def test_critical_data_is_critical_by_sympy_differentiation() -> None:
    """Independent of the core: the loss as one SymPy expression, differentiated at θ*."""
    cd = make_critical_data(r=2, d=1, d_out=2, seed=3)
    T = cd.teacher
    r, d, d_out = T.r, T.d, T.d_out
    z = sympy.Symbol("z")
    sig = sympy.Lambda(z, cd.activation.expr().subs(sympy.Symbol("z"), z))
    th = sympy.symbols(f"t0:{r * (d + d_out)}")
    R = 0
    for x, y in zip(cd.X, cd.Y):
        for c in range(d_out):
            f = sum(th[r * d + c * r + i] * sig(th[i] * sympy.Rational(x[0].numerator, x[0].denominator)) for i in range(r))
            R += (f - sympy.Rational(y[c].numerator, y[c].denominator)) ** 2
    R = R / cd.n
    subs = {t: sympy.Rational(v.numerator, v.denominator) for t, v in zip(th, TwoLayerPoint.from_teacher(T).theta())}
    assert all(sympy.simplify(sympy.diff(R, t).subs(subs)) == 0 for t in th)
    assert sympy.Rational(cd.risk.numerator, cd.risk.denominator) == sympy.simplify(R.subs(subs)) > 0
    e2 = sum((e * e for row in cd.residual for e in row), Fraction(0)) / cd.n
    assert e2 == cd.risk


def test_critical_data_needs_enough_inputs() -> None:
    with pytest.raises(InputError, match="trivial kernel"):
        make_critical_data(r=2, X=[[1], [2]])


def test_residual_matrices_by_their_definition() -> None:
    cd = make_critical_data(r=2, d=2, d_out=2, seed=5)
    T = cd.teacher
    s = cd.activation.expr()
    ds = sympy.diff(s, sympy.Symbol("z"))
    for i, M in enumerate(residual_matrices(cd)):
        for l in range(T.d):
            for c in range(T.d_out):
                expected = sum(
                    (Fraction(str(ds.subs(sympy.Symbol("z"), sympy.Rational(str(sum(w * xx for w, xx in zip(T.w[i], x)))))))
                     * x[l] * e[c] for x, e in zip(cd.X, cd.residual)),
                    Fraction(0),
                )
                assert M[l][c] == expected


def test_critical_part_is_the_whole_subspace_for_scalar_output() -> None:
    cd = make_critical_data(r=2, d=1, d_out=1, seed=4)
    for S in enumerate_subspaces("G", 2, 3):
        assert critical_part(S, cd).dimension() == S.equations(cd.teacher).dimension()
    S = next(iter(enumerate_subspaces("T_single", 2, 3)))
    with pytest.raises(InputError, match="replication"):
        critical_part(S, cd)
