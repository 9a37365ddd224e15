"""Symbolic proofs (undefined σ, symbolic θ, inputs, free adjoints and ratios) and their random instances.

The proofs are checked three ways: they hold for the docs/width.md lifts, they FAIL for
deliberately wrong lifts (so the test can fail), and random rational instances
of the identities hold when computed by naive SymPy differentiation of the full
loss of both networks (``exactlift.calculus.naive``), which shares no code with
the layered back-propagation the proofs use.
"""

from __future__ import annotations

import random
import time
import zlib
from fractions import Fraction as F

import numpy as np
import pytest
import sympy

from exactlift.arith.contexts import get_context
from exactlift.calculus.backprop import derivatives
from exactlift.calculus.naive import naive_derivatives
from exactlift.lifts import NullNeuron, OddSplitNeuron, Permute, SplitNeuron, compose
from exactlift.lifts.width import prove_gradient_transfer, prove_hessian_relations, prove_output_preservation
from exactlift.nn.data import random_inputs, random_params, random_rational
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture, Params

TIMINGS: list[str] = []

CASES = [
    ([1, 2, 1], SplitNeuron(1, 0, F(1, 3))),
    ([1, 2, 1], NullNeuron(1)),
    ([2, 2, 1], SplitNeuron(1, 1, F(1, 3))),
    ([2, 2, 1], compose(NullNeuron(1), SplitNeuron(1, 2, F(2)))),
    ([1, 2, 2, 1], SplitNeuron(1, 0, F(1, 3))),
    ([1, 2, 2, 1], SplitNeuron(2, 1, F(-1))),
    ([1, 2, 2, 1], compose(SplitNeuron(1, 0, F(1, 3)), NullNeuron(2), SplitNeuron(2, 1, F(2)), Permute(1, (2, 0, 1)))),
    ([1, 2, 2], SplitNeuron(1, 0, F(1, 3))),
    ([1, 2, 2], NullNeuron(1)),
]


@pytest.mark.parametrize("widths, lift", CASES, ids=lambda x: str(x))
def test_symbolic_proofs_hold(widths, lift):
    out = prove_output_preservation(widths, lift)
    grad = prove_gradient_transfer(widths, lift)
    assert out.holds is True and out.strength == "symbolic"
    assert grad.holds is True and grad.strength == "symbolic"
    assert "every activation" in grad.scope and "every loss" in grad.scope and "every data set" in grad.scope
    if any(isinstance(s, SplitNeuron) for s in lift.steps()):
        assert "every alpha" in grad.scope
    TIMINGS.append(f"{'-'.join(map(str, widths))} {lift}: output {out.seconds:.3f} s, gradient {grad.seconds:.3f} s")
    assert out.seconds < 30 and grad.seconds < 30


def test_report_timings(capsys):
    """Print the proof times (visible with pytest -s); the proofs above must have run."""
    if not TIMINGS:
        for widths, lift in CASES:
            t = time.perf_counter()
            prove_gradient_transfer(widths, lift)
            TIMINGS.append(f"{widths} {lift}: {time.perf_counter() - t:.3f} s")
    with capsys.disabled():
        print("\nsymbolic proof times:\n  " + "\n  ".join(TIMINGS))


def test_proof_with_several_samples():
    assert prove_gradient_transfer([2, 2, 1], SplitNeuron(1, 0, F(1, 2)), n_samples=2).holds


# ---------------------------------------------------------------------------
# the proofs can fail
# ---------------------------------------------------------------------------


class WrongTransfer(SplitNeuron):
    """Claims S_T = T (wrong: the incoming gradients are α·g and (1−α)·g, the outgoing ones g)."""

    def gradient_transfer(self, arch):
        return self.linear_map(arch)


class WrongOutgoing(SplitNeuron):
    """New neuron's outgoing column (2−α)·c instead of (1−α)·c: changes the function."""

    def neuron_plan(self, arch):
        plan = super().neuron_plan(arch)
        old, cin, cout = plan[-1]
        plan[-1] = (old, cin, cout + 1)
        return plan


@pytest.mark.parametrize("widths", [[1, 2, 1], [1, 2, 2, 1], [1, 2, 2]])
def test_wrong_lifts_are_caught(widths):
    assert prove_gradient_transfer(widths, WrongTransfer(1, 0, F(1, 3))).holds is False
    assert prove_output_preservation(widths, WrongOutgoing(1, 0, F(1, 3))).holds is False
    assert prove_gradient_transfer(widths, WrongOutgoing(1, 0, F(1, 3))).holds is False
    # a wrong ratio only at one α would hide behind a numeric α; the free α must expose it
    assert prove_hessian_relations([1, 2, 1], WrongTransfer(1, 0, F(1, 3))).holds is False


def test_null_without_bias_and_sigma0_nonzero_has_no_transfer():
    """σ undefined (σ(0) unknown), no bias in layer 2: the null neuron's outgoing gradient is
    σ(0)·Σ_i δ_i, which the narrow gradient does not determine; the proof must say so."""
    arch = Architecture.build([1, 2, 1], "sigma", [True, False])
    r = prove_gradient_transfer(arch, NullNeuron(1))
    assert r.holds is False and "sigma(0)" in r.detail
    # independent: the wide gradient entry really is σ(0)·∂ℓ/∂f (one sample, free adjoint)
    ctx = get_context("symbolic")
    theta = sympy.symbols("t0:6")
    wide, q = NullNeuron(1).apply(arch, Params.from_flat(arch, theta))
    x, lam = sympy.Symbol("x"), sympy.Symbol("lam")
    g = derivatives(wide, q, np.array([[x]], dtype=object), None, "mse", ctx, order=1,
                    output_adjoints=np.array([[lam]], dtype=object)).gradient
    entry = g[wide.weight_index(2, 0, 2)]
    assert entry != 0 and str(entry) == "lam*sigma(0)"


def test_hessian_relations_symbolic():
    for lift in (SplitNeuron(1, 0, F(1, 3)), NullNeuron(1), Permute(1, (1, 0))):
        r = prove_hessian_relations([1, 2, 1], lift)
        assert r.holds is True and r.strength == "symbolic"


def test_odd_split_proved_for_tanh():
    arch = Architecture.build([1, 2, 1], "tanh")
    lift = OddSplitNeuron(1, 1, F(1, 3))
    assert prove_output_preservation(arch, lift).holds
    assert prove_gradient_transfer(arch, lift).holds
    # for a non-odd activation the sign flip is not an embedding: the lift refuses
    from exactlift.errors import LiftError

    with pytest.raises(LiftError):
        prove_output_preservation(Architecture.build([1, 2, 1], "sigmoid"), lift)


# ---------------------------------------------------------------------------
# random rational instances, computed by naive SymPy differentiation
# ---------------------------------------------------------------------------

INSTANCE_CASES = [
    ([1, 2, 1], SplitNeuron(1, 0, F(1, 3))),
    ([2, 2, 1], compose(NullNeuron(1), SplitNeuron(1, 1, F(-2)))),
    ([1, 2, 2, 1], SplitNeuron(2, 0, F(3, 2))),
    ([1, 2, 2, 1], compose(SplitNeuron(1, 1, F(1, 2)), Permute(2, (1, 0)))),
    ([1, 2, 2], SplitNeuron(1, 1, F(1, 4))),
]


@pytest.mark.parametrize("widths, lift", INSTANCE_CASES, ids=lambda x: str(x))
@pytest.mark.parametrize("activation", ["z/(1 + z**2)", "1/(1 + z**2)", pytest.param("z + z**3/3", marks=pytest.mark.slow)])
def test_random_rational_instance_of_the_identities(widths, lift, activation):
    rng = random.Random(zlib.crc32(f"{widths}{lift}{activation}".encode()))
    arch = Architecture.build(widths, activation)
    theta = random_params(arch, seed=rng.randrange(1000), size=3, denominators=3)
    X = random_inputs(3, arch.input_dim, seed=rng.randrange(1000), size=3, denominators=3)
    Y = [[random_rational(rng, 3, 3) for _ in range(arch.output_dim)] for _ in X]
    loss = parse_loss("mse", arch.output_dim)
    wide, q = lift.apply(arch, theta)
    R_n, g_n, _ = naive_derivatives(arch, theta.flatten(), X, Y, loss, hessian=False)
    R_w, g_w, _ = naive_derivatives(wide, q.flatten(), X, Y, loss, hessian=False)
    assert sympy.simplify(R_w - R_n) == 0  # same outputs ⇒ same risk
    S = lift.gradient_transfer(arch)
    pred = S(g_n)
    assert all(sympy.simplify(a - b) == 0 for a, b in zip(g_w, pred))
