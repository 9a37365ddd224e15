"""The arb_mat fast path (exactlift.certify.ball_hessian) against the context-generic back-propagation.

The generic code (exactlift.calculus.backprop over the certified context) is an independent
implementation of the same derivatives: every ball of the fast path must overlap the generic one,
at a point and over a box, for each activation and for vector outputs.
"""

from __future__ import annotations

import flint
import pytest
from trainer import make_candidate

from exactlift.arith.contexts import CertifiedContext
from exactlift.calculus.backprop import derivatives
from exactlift.certify.ball_hessian import applies, fast_derivatives
from exactlift.nn.case import case_from_dict
from exactlift.nn.network import Params


def _generic(case, vals, prec):
    ctx = CertifiedContext(max(5, int((prec - 16) / 3.33)))
    ctx.prec = prec
    with ctx.active():
        X, Y = case.arrays(ctx)
        d = derivatives(case.arch, Params.from_flat(case.arch, vals), X, Y, case.loss, ctx, order=2)
        return d.loss, list(d.gradient), list(d.hessian.ravel())


@pytest.mark.parametrize("widths,act", [([3, 4, 2], "tanh"), ([2, 3, 1], "sigmoid"), ([2, 3, 1], "softplus")])
@pytest.mark.parametrize("box", [0.0, 1e-10])
def test_fast_path_overlaps_generic(widths, act, box):
    case = case_from_dict(make_candidate(widths, act, 12, noise=0.05, scale=1.0, seed=1))
    assert applies(case)
    old = flint.ctx.prec
    flint.ctx.prec = 200
    try:
        vals = [flint.arb(t.numerator) / t.denominator + flint.arb(0, box) for t in case.params.flatten()]
        l1, g1, H1 = _generic(case, vals, 200)
        l2, g2, H2 = fast_derivatives(case, vals, 200)
    finally:
        flint.ctx.prec = old
    assert l1.overlaps(l2)
    assert all(a.overlaps(b) for a, b in zip(g1, g2)) and len(g1) == len(g2)
    assert all(a.overlaps(b) for a, b in zip(H1, H2.entries()))
    tight = 1e-50 if box == 0 else 1e-6
    assert max(float(x.rad()) for x in H2.entries()) < tight


def test_deeper_nets_take_the_generic_path():
    case = case_from_dict(make_candidate([2, 3, 3, 1], "tanh", 8, noise=0.05, scale=1.0, seed=1))
    assert not applies(case) and fast_derivatives(case, list(case.params.flatten()), 128) is None
