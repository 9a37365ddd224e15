"""Case-level width checks against naive SymPy on the wide net itself.

Every verdict of :mod:`exactlift.lifts.width_checks` is compared with a
computation that shares no code with it: ``sympy.diff``/``sympy.hessian`` of
the full loss of the narrow and of the wide network (``naive_derivatives``),
with dense SymPy matrix products for the relations.
"""

from __future__ import annotations

import functools
import json
from fractions import Fraction as F

import mpmath
import pytest
import sympy

from exactlift.arith.contexts import get_context
from exactlift.arith.linalg import inertia
from exactlift.calculus.backprop import forward
from exactlift.calculus.naive import naive_derivatives
from exactlift.demo import demo_case
from exactlift.lifts import NullNeuron, OddSplitNeuron, Permute, SplitNeuron, compose
from exactlift.lifts.width_embedding import check_block_formulas, check_embedding
from exactlift.lifts.width_checks import (
    EmbeddingPoint,
    check_criticality,
    check_gradient_transfer,
    check_hessian_relations,
    check_inertia_monotone,
    check_null_condition,
    check_output_preservation,
    check_split_line,
)
from exactlift.lifts.width_examples import random_critical_case
from exactlift.nn.case import Case, case_from_dict
from exactlift.nn.data import random_inputs, random_params, random_rational
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture


def naive(case: Case, hessian: bool = True):
    return _naive(json.dumps(case.to_dict()), hessian)


@functools.lru_cache(maxsize=None)
def _naive(doc: str, hessian: bool):
    case = case_from_dict(json.loads(doc))
    return naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss, hessian=hessian)


def random_case(widths, activation="z/(1 + z**2)", seed=0, n=3, bias=True) -> Case:
    """A random, generally non-critical, case."""
    import random

    rng = random.Random(seed)
    arch = Architecture.build(widths, activation, bias)
    theta = random_params(arch, seed=seed, size=3, denominators=3)
    X = random_inputs(n, arch.input_dim, seed=seed + 1, size=3, denominators=3)
    Y = [[random_rational(rng, 3, 3) for _ in range(arch.output_dim)] for _ in X]
    return Case(arch, theta, X, Y, parse_loss("mse", arch.output_dim))


def poly_case() -> Case:
    """A cheap exact critical point: 1-2-1, σ = z + z³/3 (cubic outputs: rank J <= 4, so 5 samples suffice)."""
    return random_critical_case([1, 2, 1], "z + z**3/3", seed=1, n_samples=5)


LIFTS_1H = [SplitNeuron(1, 0, F(1, 3)), SplitNeuron(1, 1, F(-2)), NullNeuron(1), Permute(1, (1, 0)),
            compose(SplitNeuron(1, 0, F(1, 2)), NullNeuron(1), SplitNeuron(1, 2, F(3)))]
LIFTS_2H = [SplitNeuron(2, 1, F(2, 5)), compose(NullNeuron(2), SplitNeuron(1, 0, F(-1)))]


# ---------------------------------------------------------------------------
# criticality and the whole split line, vs the naive gradient of the wide net
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lift", LIFTS_1H, ids=str)
def test_criticality_preserved_vs_naive(lift):
    case = demo_case() if isinstance(lift, SplitNeuron) else poly_case()
    r = check_criticality(case, lift)
    _, g_wide, _ = naive(lift.apply_case(case), hessian=False)
    assert r.strength == "exact"
    assert r.holds is True and all(g == 0 for g in g_wide)


@pytest.mark.parametrize("lift", LIFTS_2H, ids=str)
def test_criticality_two_hidden_layers_vs_naive(lift):
    # a degree-4 polynomial output in x: the output Jacobian has rank <= 5, so 6 samples allow e != 0
    case = random_critical_case([1, 2, 2, 1], "z + z**2/2", seed=2, n_samples=6)
    assert all(g == 0 for g in naive(case, hessian=False)[1])
    assert check_criticality(case, lift).holds is True
    assert all(g == 0 for g in naive(lift.apply_case(case), hessian=False)[1])


def test_criticality_not_applicable_off_critical_points():
    r = check_criticality(random_case([1, 2, 1], seed=3), SplitNeuron(1, 0, F(1, 3)))
    assert r.holds is None and "not a critical point" in r.detail


@pytest.mark.parametrize("lift", [SplitNeuron(1, 1, F(1, 3)), compose(SplitNeuron(1, 0, F(2)), SplitNeuron(1, 1, F(-1)))], ids=str)
def test_split_line_identically_critical(lift):
    case = demo_case()
    r = check_split_line(case, lift)
    assert r.holds is True and r.strength == "symbolic"
    # independent instances of the line: other α values, naive gradient of the wide net
    for alphas in ([F(5, 7), F(-3)], [F(11, 2), F(1, 9)]):
        steps = [s.with_alpha(a) for s, a in zip(lift.steps(), alphas)]
        inst = steps[0] if len(steps) == 1 else compose(*steps)
        assert all(g == 0 for g in naive(inst.apply_case(case), hessian=False)[1])


def test_split_line_catches_a_wrong_lift():
    class WrongOutgoing(SplitNeuron):
        def neuron_plan(self, arch):
            plan = super().neuron_plan(arch)
            plan[-1] = (plan[-1][0], plan[-1][1], 2 * plan[-1][2])
            return plan

    r = check_split_line(demo_case(), WrongOutgoing(1, 0, F(1, 3)))
    assert r.holds is False and "not identically 0" in r.detail


def test_split_line_two_layers_relu():
    case = random_critical_case([2, 3, 2, 1], "leaky_relu(1/10)", seed=4)
    r = check_split_line(case, compose(SplitNeuron(1, 2, F(1, 3)), SplitNeuron(2, 0, F(2))))
    assert r.holds is True and "alpha1, alpha2" in r.scope


# ---------------------------------------------------------------------------
# gradient transfer and Hessian relations at arbitrary θ, vs naive
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lift", LIFTS_1H, ids=str)
def test_gradient_transfer_and_hessian_relations_vs_naive(lift):
    case = random_case([1, 2, 1], seed=5)
    _, g_n, H_n = naive(case)
    wide_case = lift.apply_case(case)
    _, g_w, H_w = naive(wide_case)
    T = sympy.Matrix(lift.matrix(case.arch).tolist())
    S = sympy.Matrix(lift.gradient_transfer(case.arch).dense().tolist())
    assert g_w == list(S * sympy.Matrix(g_n))                 # ∇R_wide(Tθ) = S_T ∇R(θ)
    assert T.T * H_w * T == H_n                               # Tᵀ H_wide T = H
    assert H_w * T == S * H_n                                 # H_wide T = S_T H
    assert check_gradient_transfer(case, lift).holds is True
    assert check_hessian_relations(case, lift).holds is True
    assert check_output_preservation(case, lift).holds is True


def test_relations_two_hidden_layers_vs_naive():
    case = random_case([1, 2, 2, 1], "z + z**2/2", seed=6, n=1)
    lift = compose(SplitNeuron(2, 0, F(1, 4)), NullNeuron(1))
    _, g_n, H_n = naive(case)
    _, g_w, H_w = naive(lift.apply_case(case))
    T = sympy.Matrix(lift.matrix(case.arch).tolist())
    S = sympy.Matrix(lift.gradient_transfer(case.arch).dense().tolist())
    assert g_w == list(S * sympy.Matrix(g_n)) and T.T * H_w * T == H_n and H_w * T == S * H_n
    assert check_hessian_relations(case, lift).holds is True


def test_checks_catch_a_wrong_transfer():
    class WrongTransfer(SplitNeuron):
        def gradient_transfer(self, arch):
            return self.linear_map(arch)

    case = random_case([1, 2, 1], seed=7)
    assert check_gradient_transfer(case, WrongTransfer(1, 0, F(1, 3))).holds is False
    assert check_hessian_relations(case, WrongTransfer(1, 0, F(1, 3))).holds is False


def test_output_preservation_catches_a_wrong_lift():
    class WrongOutgoing(SplitNeuron):
        def neuron_plan(self, arch):
            plan = super().neuron_plan(arch)
            plan[-1] = (plan[-1][0], plan[-1][1], plan[-1][2] + 1)
            return plan

    r = check_output_preservation(demo_case(), WrongOutgoing(1, 0, F(1, 3)))
    assert r.holds is False


# ---------------------------------------------------------------------------
# inertia: never decreases; counts agree with the naive Hessian's exact inertia
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lift", LIFTS_1H, ids=str)
def test_inertia_monotone_vs_naive(lift):
    case = poly_case()
    r = check_inertia_monotone(case, lift)
    narrow = inertia(naive(case)[2])
    wide = inertia(naive(lift.apply_case(case))[2])
    assert r.data["narrow"] == narrow and r.data["wide"] == wide
    assert r.holds is True and all(w >= n for w, n in zip(wide, narrow))
    assert r.data["kernel_injection"] is True


def test_inertia_check_reports_a_decrease():
    """A fake 'embedding' that moves the wide point: n₀ drops and the check must say so."""

    class Moved(SplitNeuron):
        def apply(self, arch, params):
            wide, q = super().apply(arch, params)
            flat = q.flatten()
            flat[wide.weight_index(1, wide.widths[1] - 1, 0)] += F(1, 7)
            return wide, type(q).from_flat(wide, flat)

    arch = Architecture.build([1, 1, 1], "z/(1 + z**2)")
    theta = random_params(arch, seed=1, size=3, denominators=2)
    X = [[F(-1)], [F(1, 2)], [F(2)]]
    from exactlift.nn.data import teacher_targets

    case = Case(arch, theta, X, teacher_targets(arch, theta, X), parse_loss("mse", 1))
    narrow = inertia(naive(case)[2])
    wide = inertia(naive(Moved(1, 0, F(1, 3)).apply_case(case))[2])
    assert narrow[1] >= 1 and wide[1] < narrow[1]   # the premise, computed independently
    r = check_inertia_monotone(case, Moved(1, 0, F(1, 3)))
    assert r.holds is False and r.data["monotone"] is False


# ---------------------------------------------------------------------------
# the null-embedding condition, vs the naive gradient of the wide net
# ---------------------------------------------------------------------------


def test_null_condition_sigma0_zero_is_automatic():
    r = check_null_condition(demo_case(), NullNeuron(1))
    assert r.holds is True and "automatic" in r.detail


def test_null_condition_with_bias():
    case = random_critical_case([1, 2, 1], "1/(1 + z**2)", seed=8)  # σ(0) = 1, bias in layer 2
    r = check_null_condition(case, NullNeuron(1))
    assert r.holds is True and "has a bias" in r.detail
    assert all(g == 0 for g in naive(NullNeuron(1).apply_case(case), hessian=False)[1])


def test_null_condition_fails_without_bias():
    case = random_critical_case([1, 2, 1], "1/(1 + z**2)", seed=9, bias=[True, False])
    assert all(g == 0 for g in naive(case, hessian=False)[1])
    wide = NullNeuron(1).apply_case(case)
    g_wide = naive(wide, hessian=False)[1]
    r = check_null_condition(case, NullNeuron(1))
    crit = check_criticality(case, NullNeuron(1))
    assert any(g != 0 for g in g_wide)   # independent: criticality is really lost
    assert r.holds is False and "NOT kept" in r.detail and r.strength == "exact"
    assert crit.holds is False
    assert check_gradient_transfer(case, NullNeuron(1)).holds is None  # no S_T exists


def test_null_condition_can_hold_without_bias():
    """σ(0)·Σδ = 0 by accident: teacher data (δ = 0)."""
    from exactlift.nn.data import teacher_targets

    arch = Architecture.build([1, 2, 1], "1/(1 + z**2)", [True, False])
    theta = random_params(arch, seed=9)
    X = [[F(1)], [F(-2)]]
    case = Case(arch, theta, X, teacher_targets(arch, theta, X), parse_loss("mse", 1))
    assert check_null_condition(case, NullNeuron(1)).holds is True
    assert all(g == 0 for g in naive(NullNeuron(1).apply_case(case), hessian=False)[1])


def test_null_condition_not_applicable_without_null():
    assert check_null_condition(demo_case(), SplitNeuron(1, 0, F(1, 2))).holds is None


# ---------------------------------------------------------------------------
# mp and certified arithmetic; odd split for tanh (mp)
# ---------------------------------------------------------------------------


def tanh_teacher_case() -> Case:
    """Teacher data for a tanh net: targets rounded from 60-digit outputs (a global minimum up to 1e-55)."""
    arch = Architecture.build([1, 2, 1], "tanh")
    theta = random_params(arch, seed=11, size=2, denominators=3)
    X = [[F(x)] for x in ("-2", "-1/2", "1/3", "1", "3/2")]
    ctx = get_context("mp", 60)
    with ctx.active():
        out = forward(arch, theta.convert(ctx), ctx.array(X), ctx).output
        Y = [[F(mpmath.nstr(v, 60, strip_zeros=False))] for v in out[:, 0]]
    return Case(arch, theta, X, Y, parse_loss("mse", 1))


@pytest.mark.parametrize("lift", [OddSplitNeuron(1, 0, F(1, 3)), OddSplitNeuron(1, 1, F(-1)), SplitNeuron(1, 0, F(1, 3))], ids=str)
def test_mp_checks_for_tanh(lift):
    case = tanh_teacher_case()
    results = check_embedding(case, lift, "mp", 50)
    by_name = {r.name: r for r in results if r.strength == "numerical"}
    assert by_name["criticality preserved"].holds is True
    assert by_name["gradient transfer"].holds is True
    assert by_name["Hessian relations"].holds is True
    assert by_name["inertia never decreases"].holds is True
    assert by_name["output preservation"].holds is True
    symbolic = [r for r in results if r.strength == "symbolic" and r.name in ("output preservation", "gradient transfer")]
    assert symbolic and all(r.holds for r in symbolic)


def test_mp_odd_split_vs_mp_naive_outputs():
    """Independent: outputs of the odd-split wide net at new inputs, evaluated by SymPy at 50 digits."""
    case = tanh_teacher_case()
    wide = OddSplitNeuron(1, 1, F(2, 3)).apply_case(case)
    x = sympy.Rational(7, 5)

    def f(arch, params):
        h = sympy.Matrix([x])
        for l in range(1, arch.n_layers + 1):
            z = sympy.Matrix(params.W[l - 1].tolist()) * h + sympy.Matrix(list(params.b[l - 1]))
            h = z.applyfunc(sympy.tanh) if l < arch.n_layers else z
        return h[0]

    assert abs(sympy.N(f(wide.arch, wide.params) - f(case.arch, case.params), 50)) < sympy.Float(10) ** -45


def test_certified_never_claims_what_balls_cannot_prove():
    results = check_embedding(demo_case(), SplitNeuron(1, 0, F(1, 3)), "certified", 40, symbolic=False)
    assert all(r.holds is not False for r in results)
    assert {r.strength for r in results} <= {"certified", "symbolic"}


def test_certified_refutes_a_wrong_transfer():
    class WrongTransfer(SplitNeuron):
        def gradient_transfer(self, arch):
            return self.linear_map(arch)

    r = check_gradient_transfer(random_case([1, 2, 1], seed=12), WrongTransfer(1, 0, F(1, 3)), "certified")
    assert r.holds is False and r.strength == "certified"


# ---------------------------------------------------------------------------
# everything at once
# ---------------------------------------------------------------------------


def test_check_embedding_all_hold_on_demo():
    results = check_embedding(demo_case(), compose(SplitNeuron(1, 0, F(1, 3)), NullNeuron(1)))
    names = [r.name for r in results]
    assert names.count("output preservation") == 2 and names.count("gradient transfer") == 2
    assert all(r.holds is True for r in results)
    assert {r.strength for r in results} == {"symbolic", "exact"}
    for r in results:
        assert set(r.to_json()) >= {"property", "holds", "strength", "scope", "detail", "seconds"}


def test_block_formulas_along_a_composition_vs_naive():
    case = poly_case()
    lift = compose(SplitNeuron(1, 0, F(1, 3)), NullNeuron(1), SplitNeuron(1, 2, F(2)))
    r = check_block_formulas(case, lift)
    assert r.holds is True and r.detail.count("direct") == 3
    final = r.detail.rsplit("direct ", 1)[1]
    assert final == str(inertia(naive(lift.apply_case(case))[2]))


def test_block_formulas_not_applicable_to_permutations():
    assert check_block_formulas(poly_case(), Permute(1, (1, 0))).holds is None


def test_embedding_point_computes_once():
    p = EmbeddingPoint(demo_case(), SplitNeuron(1, 0, F(1, 3)))
    assert p.narrow(2) is p.narrow(1) and p.wide(2) is p.wide(2)
