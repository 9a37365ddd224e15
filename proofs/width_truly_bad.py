"""Card: escaping through width — a critical point that an embedding turns into a strict saddle (docs/width.md; 2111.15527).

For a critical point the width module either finds an embedding (a split or a
null neuron) whose image is a strict saddle, with an exact witness w
(wᵀ H_wide w < 0), or reports that the necessary conditions for a "truly bad"
critical point hold (H ⪰ 0; M_s = 0 and G_s = 0 for every hidden neuron;
C = 0 per layer when σ(0) = 0 ≠ σ′(0)).  This card recomputes, with the core,
the wide point's gradient and Hessian and the witness value, and checks the
expected outcome on known examples: Fukumizu–Amari minima (M_s ⪰ 0 or ⪯ 0)
and a vector-output minimum (G_s ≠ 0) escape; a zero-loss teacher point (a
global minimum) cannot.
"""

from fractions import Fraction

from exactlift.analysis import analyze
from exactlift.arith.linalg import to_fraction_matrix
from exactlift.nn.examples import fa_minimum, vector_output_case
from exactlift.lifts.width import truly_bad_check
from exactlift.theorems import step
from exactlift.theorems.cases import small_case

TITLE = "Width escapes: strict local minima that a critical embedding turns into strict saddles"
STATEMENT = r"""A critical point $\theta$ is truly bad if no critical embedding $T$ makes $T\theta$ a strict saddle.
Necessary conditions: $H(\theta) \succeq 0$; $M_s = 0$ and $G_s = 0$ for every hidden neuron $s$; $C = 0$ in every hidden layer
when $\sigma(0) = 0 \ne \sigma'(0)$. A strict local minimum with $M_s \ne 0$ (or $G_s \ne 0$) is not truly bad: a split of $s$
with a suitable $\alpha$ is a strict saddle, certified by an exact $w$ with $w^\top H_{\mathrm{wide}}\, w < 0$."""
SOURCE = ("paper: Zhang et al., arXiv 2111.15527 (J. Mach. Learn. 2022), truly-bad critical points; the necessary "
          "conditions are an exactlift formalization (docs/width.md)")
STRENGTH = "exact"


def cases():
    yield "Fukumizu-Amari minimum, M_s PSD", (fa_minimum("psd"), True)
    yield "Fukumizu-Amari minimum, M_s NSD", (fa_minimum("nsd"), True)
    yield "vector output minimum, G_s != 0", (vector_output_case(), True)
    yield "teacher point (zero loss)", (small_case([1, 2, 1], "z/(1 + z**2)", 5, 0, "teacher"), False)


def check(spec):
    case, escapes = spec
    a = analyze(case)
    r = truly_bad_check(case)
    if not escapes:
        return [
            step("a zero-loss critical point (a global minimum)", a.critical and a.loss == "0"),
            step("no escape, and every necessary condition of a truly bad point holds", r.truly_bad_candidate,
                 r.reason),
        ]
    wide = r.escape.apply_case(case) if r.escape is not None else None
    b = analyze(wide) if wide is not None else None
    value = None
    if b is not None and r.witness is not None:
        H = to_fraction_matrix(b.derivatives.hessian)
        w = r.witness
        value = sum((w[i] * H[i][j] * w[j] for i in range(len(w)) for j in range(len(w)) if w[i] and w[j]), Fraction(0))
    return [
        step("a strict local minimum with non-zero loss", a.critical and a.inertia[0] == 0 and a.loss != "0",
             f"inertia {a.inertia}"),
        step("an escaping embedding was found", r.escape is not None, str(r.escape)),
        step("the embedded point is critical (core gradient)", b is not None and b.critical),
        step("the witness has w^T H_wide w < 0 (core Hessian, recomputed)", value is not None and value < 0,
             f"w^T H w = {value}"),
        step("the embedded point is a strict saddle", b is not None and b.inertia[0] >= 1,
             f"inertia {None if b is None else b.inertia}"),
    ]
