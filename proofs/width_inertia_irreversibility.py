"""Card: irreversibility — n₋, n₀, n₊ never decrease under width embeddings (docs/width.md; 2111.15527).

Both Hessians are computed by the core on the narrow and the wide case, and
their exact inertias compared.  The two relations behind it are checked
exactly here from the lift's matrix T: Tᵀ H_wide(Tθ) T = H(θ) (computed here
with exact rationals) — which gives n₋, n₊ — and, through the width module,
H_wide T = S_T H, which maps ker H injectively into ker H_wide (n₀).  A
symbolic case proves both relations for every θ and σ on a 1-2-1 network.
"""

from exactlift.analysis import analyze
from exactlift.arith.linalg import to_fraction_matrix
from exactlift.lifts.width import SplitNeuron
from exactlift.lifts.width import check_hessian_relations, check_inertia_monotone, prove_hessian_relations
from exactlift.theorems import step
from exactlift.theorems.cases import step_from_check, width_cases

TITLE = "Irreversibility: width embeddings never decrease n-, n0, n+"
STATEMENT = r"""For a critical embedding $T$ and every $\theta$: $T^\top H_{\mathrm{wide}}(T\theta)\,T = H(\theta)$ and
$H_{\mathrm{wide}}(T\theta)\,T = S_T H(\theta)$. With $T$ injective the first gives that $n_-$ and $n_+$ never decrease; the
second maps $\ker H(\theta)$ injectively into $\ker H_{\mathrm{wide}}(T\theta)$, so $n_0$ never decreases either."""
SOURCE = "paper: Zhang et al., arXiv 2111.15527 (J. Mach. Learn. 2022), irreversibility of embeddings"
STRENGTH = "exact"


def cases():
    yield "symbolic 1-2-1 split(1,0,1/3), every theta and sigma", ("symbolic",)
    for name, case, lift in width_cases():
        yield name, ("exact", case, lift)


def _TtHT(T, H):
    P, Q = len(T), len(T[0])
    HT = [[sum(H[i][k] * T[k][j] for k in range(P) if T[k][j]) for j in range(Q)] for i in range(P)]
    return [[sum(T[k][i] * HT[k][j] for k in range(P) if T[k][i]) for j in range(Q)] for i in range(Q)]


def check(spec):
    if spec[0] == "symbolic":
        return [step_from_check(prove_hessian_relations([1, 2, 1], SplitNeuron(1, 0, "1/3")))]
    _, case, lift = spec
    a, b = analyze(case), analyze(lift.apply_case(case))
    T = to_fraction_matrix(lift.matrix(case.arch))
    same = _TtHT(T, to_fraction_matrix(b.derivatives.hessian)) == to_fraction_matrix(a.derivatives.hessian)
    return [
        step(f"inertia {a.inertia} -> {b.inertia}: no count decreased",
             all(y >= x for x, y in zip(a.inertia, b.inertia))),
        step("T^T H_wide(T theta) T = H(theta), exactly (computed here from T)", same),
        step_from_check(check_hessian_relations(case, lift)),
        step_from_check(check_inertia_monotone(case, lift)),
    ]
