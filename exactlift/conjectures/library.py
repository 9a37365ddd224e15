"""The conjectures shipped with exactlift (``exactlift conjecture list``).

Each is a claim over a grid of small exact cases; most are theorems whose
*implementation* the ledger regression-tests (a counterexample would be a bug
in exactlift or a gap in the mathematics), some are genuine conjectures.

==========================================  ==========================================================
name                                        claim
==========================================  ==========================================================
``core.exact_hessian_equals_naive``         layered exact Hessian = ``sympy.hessian`` of the risk
``core.critical_targets_critical``          the Jᵀe = 0 recipe gives a critical point with R > 0
``core.teacher_hessian_psd``                teacher data: H = (2/n) JᵀJ ⪰ 0, n₊ = rank J
``core.inertia_methods_agree``              charpoly/Descartes inertia = LDLᵀ inertia; witness vᵀHv < 0
``symmetry.saddles_dominate_before_h_star`` G(r*−1, m) ≥ T(r*, m) iff h < h*(r*) (equality only r* = 3, h = 0)
``symmetry.counts_equal_enumeration``       closed forms G, T_single, T_groups = explicit enumeration
``width.n0_never_decreases``                n₀ (and n₋, n₊) never decrease under width embeddings
``width.n0_never_decreases_random``         the same on random cases and random compositions
``width.n0_never_decreases_search``         the same, searchable: ``conjecture search`` draws critical cases
                                            and compositions of null/split/permute steps with Hypothesis
==========================================  ==========================================================

Every module this file uses is imported by a plain statement at the top, so
a renamed module fails loudly when the library loads instead of leaving its
conjectures silently unregistered.
"""

from __future__ import annotations

from fractions import Fraction

from exactlift.analysis import analyze
from exactlift.arith.contexts import get_context, parse_rational
from exactlift.arith.linalg import flint_available, inertia, rank, to_fraction_matrix, witness_negative_direction
from exactlift.calculus.backprop import output_jacobian
from exactlift.calculus.naive import naive_derivatives
from exactlift.conjectures.claims import conjecture, counterexample, holds
from exactlift.lifts.width.embeddings import NullNeuron, Permute, SplitNeuron, compose
from exactlift.lifts.width.second_order import check_inertia_monotone
from exactlift.lifts.width.trials import inertia_monotone_trials
from exactlift.symmetry import count, count_G, count_T_groups, count_T_single, crossover_width, enumerate_subspaces
from exactlift.nn.examples import small_case

ACTS = ["relu", "z/(1 + z**2)", "z + z**5", "leaky_relu(1/10)"]
SHAPES = ["1-2-1", "2-2-1", "1-2-2", "1-1-2-1"]


def _widths(shape: str) -> list[int]:
    return [int(w) for w in shape.split("-")]


# ---------------------------------------------------------------------------
# core
# ---------------------------------------------------------------------------


@conjecture(name="core.exact_hessian_equals_naive",
            grid={"shape": ["1-2-1", "2-1-1"], "act": ["relu", "z/(1 + z**2)", "z + z**5"], "seed": [0, 1]})
def exact_hessian_equals_naive(shape: str, act: str, seed: int):
    """The exact Hessian of a random rational case equals the naive sympy Hessian of the whole risk."""
    case = small_case(_widths(shape), act, n=3, seed=seed, size=2, denominators=2)
    d = analyze(case).derivatives
    value, grad, H = naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss)
    P = case.arch.n_params
    bad = [(i, j) for i in range(P) for j in range(P) if parse_rational(d.hessian[i, j]) != parse_rational(H[i, j])]
    assert parse_rational(d.loss) == parse_rational(value), f"loss {d.loss} != {value}"
    assert all(parse_rational(d.gradient[i]) == parse_rational(grad[i]) for i in range(P)), "gradients differ"
    assert not bad, f"Hessian entries differ at {bad[:3]}"
    return holds(f"{P}x{P} Hessian")


@conjecture(name="core.critical_targets_critical",
            grid={"shape": SHAPES, "act": ACTS, "seed": [0, 1, 2]})
def critical_targets_critical(shape: str, act: str, seed: int):
    """critical_targets always yields an exact critical point with positive loss."""
    case = small_case(_widths(shape), act, n=None, seed=seed, targets="critical")  # P/d_out + 2 distinct points
    a = analyze(case, hessian=False)
    assert a.critical, f"gradient not zero: max {a.max_gradient} at {a.max_gradient_parameter}"
    assert parse_rational(a.loss) > 0, "zero loss"
    return holds(f"R = {a.loss}")


@conjecture(name="core.teacher_hessian_psd",
            grid={"shape": SHAPES, "act": ACTS, "seed": [0, 1]})
def teacher_hessian_psd(shape: str, act: str, seed: int):
    """With teacher data the Hessian (2/n) JᵀJ is positive semi-definite with n₊ = rank J."""
    case = small_case(_widths(shape), act, n=4, seed=seed, targets="teacher")
    a = analyze(case)
    ctx = get_context("exact")
    rJ = rank(output_jacobian(case.arch, case.params, ctx.array(case.X), ctx))
    assert a.loss == "0" and a.critical, "teacher point is not a zero-loss critical point"
    assert a.inertia[0] == 0 and a.inertia[2] == rJ, f"inertia {a.inertia}, rank J = {rJ}"
    return holds(f"inertia {a.inertia}")


@conjecture(name="core.inertia_methods_agree",
            grid={"shape": SHAPES, "act": ACTS, "seed": [0, 1]})
def inertia_methods_agree(shape: str, act: str, seed: int):
    """Exact inertia by charpoly + Descartes equals inertia by LDLᵀ congruence; witnesses are negative."""
    case = small_case_random(shape, act, seed)
    H = analyze(case, hessian=True).derivatives.hessian
    ldl = inertia(H, method="ldl")
    if flint_available():
        cp = inertia(H, method="charpoly")
        assert cp == ldl, f"charpoly {cp} != ldl {ldl}"
    v = witness_negative_direction(H)
    if ldl[0] == 0:
        assert v is None, "a witness for a PSD matrix"
    else:
        rows = to_fraction_matrix(H)
        val = sum((v[i] * rows[i][j] * v[j] for i in range(len(v)) for j in range(len(v))), Fraction(0))
        assert val < 0, f"witness has v^T H v = {val}"
    return holds(f"inertia {ldl}")


def small_case_random(shape: str, act: str, seed: int):
    return small_case(_widths(shape), act, n=3, seed=seed)


# ---------------------------------------------------------------------------
# symmetry (docs/symmetry.md)
# ---------------------------------------------------------------------------


def _crossover_grid() -> list[dict]:
    out = []
    for reading in ("single", "groups"):
        for r in range(2, 13):
            h_star = crossover_width(r, reading).h_star
            for h in range(0, h_star + 3):
                out.append({"reading": reading, "r_star": r, "h": h})
    return out


@conjecture(name="symmetry.saddles_dominate_before_h_star", grid=_crossover_grid)
def saddles_dominate_before_h_star(reading: str, r_star: int, h: int):
    """G(r*-1, m) > T(r*, m) exactly when h < h*(r*), except G = T at r* = 3, h = 0 (m = r* + h)."""
    m = r_star + h
    G = count_G(r_star - 1, m)
    T = (count_T_single if reading == "single" else count_T_groups)(r_star, m)
    h_star = crossover_width(r_star, reading).h_star
    detail = f"G({r_star - 1},{m}) = {G}, T_{reading}({r_star},{m}) = {T}, h* = {h_star}"
    if h < h_star:
        if G > T or (G == T and (r_star, h) == (3, 0)):
            return holds(detail)
        return counterexample(detail + ": h < h* but G <= T" + ("" if G < T else " (equality)"))
    if G < T:
        return holds(detail)
    return counterexample(detail + ": h >= h* but G >= T")


@conjecture(name="symmetry.counts_equal_enumeration",
            grid={"kind": ["G", "T_single", "T_groups"], "r": [1, 2, 3], "h": [0, 1, 2, 3]})
def counts_equal_enumeration(kind: str, r: int, h: int):
    """Closed-form counts equal the number of explicitly enumerated subspaces (m = r + h ≤ 6)."""
    m = r + h
    closed = count(kind, r, m)
    enumerated = sum(1 for _ in enumerate_subspaces(kind, r, m))
    assert closed == enumerated, f"closed form {closed} != enumeration {enumerated}"
    return holds(f"{kind}({r},{m}) = {closed}")


# ---------------------------------------------------------------------------
# width (docs/width.md)
# ---------------------------------------------------------------------------


_WIDTH_LIFTS = ["split(1,0,1/3)", "split(1,1,2)", "split(1,0,-1)", "null(1)", "split+null+permute"]


def _width_lift(text: str):
    return {
        "split(1,0,1/3)": lambda: SplitNeuron(1, 0, Fraction(1, 3)),
        "split(1,1,2)": lambda: SplitNeuron(1, 1, Fraction(2)),
        "split(1,0,-1)": lambda: SplitNeuron(1, 0, Fraction(-1)),
        "null(1)": lambda: NullNeuron(1),
        "split+null+permute": lambda: compose(SplitNeuron(1, 0, Fraction(1, 2)), NullNeuron(1),
                                              Permute(1, (3, 0, 2, 1))),
    }[text]()


def _width_grid() -> list[dict]:
    # a null neuron has pre-activation 0: on a kink of leaky ReLU, so those pairs are left out
    return [{"shape": sh, "act": act, "lift": lift, "seed": seed}
            for sh in ("1-2-1", "2-2-1", "1-2-2")
            for act in ("z/(1 + z**2)", "leaky_relu(1/10)", "z + z**5/5")
            for lift in _WIDTH_LIFTS if not (act.startswith("leaky") and "null" in lift)
            for seed in (0, 1)]


@conjecture(name="width.n0_never_decreases", grid=_width_grid)
def n0_never_decreases(shape: str, act: str, lift: str, seed: int):
    """n0 (and n-, n+) of the Hessian never decrease under width embeddings of exact critical points."""
    case = small_case(_widths(shape), act, n=None, seed=seed, targets="critical")
    T = _width_lift(lift)
    narrow, wide = analyze(case).inertia, analyze(T.apply_case(case)).inertia  # core, independently
    if any(w < n for w, n in zip(wide, narrow)):
        return counterexample(f"inertia {narrow} -> {wide}")
    r = check_inertia_monotone(case, T)
    if r.holds is False:
        return counterexample(f"width module: {r.detail}")
    return holds(f"inertia {narrow} -> {wide}")


@conjecture(name="width.n0_never_decreases_random", grid={"seed": list(range(8))})
def n0_never_decreases_random(seed: int):
    """Random exact cases and random compositions of splits, null neurons, permutations: no count decreases."""
    report = inertia_monotone_trials(4, seed=seed)
    if report.holds:
        return holds(f"{report.n_cases} trials, {report.n_critical} critical")
    return counterexample(str(report.counterexamples[0]))


def _lift_problem_strategies() -> dict:
    # built when a search starts: hypothesis is an optional extra ([search]), so it is imported here
    from exactlift.conjectures.strategies import lift_problems

    return {"problem": lift_problems()}


def _lift_problem_grid() -> list[dict]:
    from exactlift.conjectures.strategies import LiftProblem

    return [{"problem": LiftProblem("1-2-1", "z/(1 + z**2)", 0, compose(NullNeuron(1), SplitNeuron(1, 2, Fraction(2))))},
            {"problem": LiftProblem("2-2-1", "z + z**5/5", 1, compose(SplitNeuron(1, 1, Fraction(-1, 2)),
                                                                        Permute(1, (2, 0, 1))))}]


@conjecture(name="width.n0_never_decreases_search", grid=_lift_problem_grid, search="hypothesis",
            strategies=_lift_problem_strategies, case_of=lambda problem: problem.case())
def n0_never_decreases_search(problem):
    """n0, n-, n+ never decrease under a width lift of an exact critical point; searchable with Hypothesis."""
    case = problem.case()
    narrow, wide = analyze(case).inertia, analyze(problem.lifted()).inertia
    if any(w < n for w, n in zip(wide, narrow)):
        return counterexample(f"{problem.lift}: inertia {narrow} -> {wide}")
    r = check_inertia_monotone(case, problem.lift)
    if r.holds is False:
        return counterexample(f"width module: {r.detail}")
    return holds(f"inertia {narrow} -> {wide}")
