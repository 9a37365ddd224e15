"""Card: T3 — inertia under a critical lift without null neurons (docs/depth.md).

Both Hessians are computed by the core (exact) and their inertia by exact
congruence/characteristic polynomial; the prediction — n₋ and n₊ unchanged,
n₀ grows by exactly P_deep − P_shallow — is compared with what was computed.
A lift built only of linear-piece neurons therefore turns a local minimum into
a degenerate local minimum, never into a strict saddle.
"""

from exactlift.analysis import analyze
from exactlift.lifts.depth.theorems import check_inertia
from exactlift.theorems import step
from exactlift.theorems.cases import depth_cases, step_from_check

TITLE = "Depth T3: critical lifts keep n- and n+ and add P_deep - P_shallow zero eigenvalues"
STATEMENT = r"""At a critical point, for a critical lift without null neurons with $DA$ injective (or $BD$ surjective),
$n_-$ and $n_+$ of the Hessian are preserved exactly and $n_0$ grows by exactly $P_{\mathrm{deep}} - P_{\mathrm{shallow}}$."""
SOURCE = "exactlift formalization of arXiv 2205.13283 (Bai, Luo, Xu, Zhang: Embedding Principle in Depth)"
STRENGTH = "exact"


def cases():
    for name, case, lift in depth_cases():
        yield name, (case, lift)


def check(spec):
    case, lift = spec
    deep = lift.apply_case(case)
    a, b = analyze(case), analyze(deep)
    grow = deep.arch.n_params - case.arch.n_params
    want = (a.inertia[0], a.inertia[1] + grow, a.inertia[2])
    return [
        step("both points are critical", a.critical and b.critical),
        step(f"inertia {a.inertia} -> {b.inertia} = (n-, n0 + {grow}, n+)", b.inertia == want, f"expected {want}"),
        step_from_check(check_inertia(case, lift)),
    ]
