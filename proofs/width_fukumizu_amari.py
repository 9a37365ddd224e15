"""Card: exact inertia of one split and the Fukumizu–Amari classification of the split line (docs/width.md).

Our derivation: in the basis [T_α | D | E] the wide Hessian is
diag(H_narrow, K), K = [[α(1−α) M_s, G_sᵀ], [G_s, 0]], so
inertia(H_wide) = inertia(H_narrow) + inertia(K) at every θ.  With scalar
output in the last hidden layer G_s = 0 at a critical point, and the split
point is a strict saddle iff H_narrow has a negative eigenvalue or α(1−α)M_s
has one (Fukumizu & Amari 2000).  Each case recomputes the wide Hessian's
inertia with the core on the lifted case for several α and compares with the
prediction; the null-neuron formula (σ(0) = 0) is checked the same way.
"""

from fractions import Fraction

from exactlift.analysis import analyze
from exactlift.nn.examples import demo_case
from exactlift.lifts.width import NullNeuron, SplitNeuron
from exactlift.nn.examples import fa_minimum, vector_output_case
from exactlift.lifts.width import fukumizu_amari, null_block_inertia, split_block_inertia
from exactlift.theorems import step

TITLE = "Split inertia = inertia(H) + inertia(K); Fukumizu-Amari sign rule along the split line"
STATEMENT = r"""Splitting neuron $s$ of hidden layer $l$ with ratio $\alpha$, with
$M_s = \frac1n\sum_i \sigma''(z_s(x_i))\,(c_s^\top\delta_i^{[l+1]})\,\tilde h_i\tilde h_i^\top$ and
$G_s = \frac1n\sum_i \sigma'(z_s(x_i))\,\delta_i^{[l+1]}\tilde h_i^\top$:
$\operatorname{In}(H_{\mathrm{wide}}) = \operatorname{In}(H) + \operatorname{In}\begin{pmatrix}\alpha(1-\alpha)M_s & G_s^\top\\ G_s & 0\end{pmatrix}$.
At a critical point with scalar output and one hidden layer ($G_s = 0$): $M_s \succeq 0, \ne 0$ gives a strict saddle
exactly for $\alpha < 0$ or $\alpha > 1$; $M_s \preceq 0, \ne 0$ exactly for $0 < \alpha < 1$; $M_s$ indefinite for every
$\alpha \notin \{0, 1\}$. With $G_s \ne 0$ (vector output) every $\alpha$ gives a strict saddle. A null neuron with
$\sigma(0) = 0$ adds $(r, k + m_{l+1} - 2r, r)$, $r = \operatorname{rank} C$."""
SOURCE = ("paper: Fukumizu & Amari, Neural Networks 2000 (split line of a local minimum); the block formula is an "
          "exactlift formalization (docs/width.md)")
STRENGTH = "exact"

ALPHAS = (Fraction(-1), Fraction(1, 3), Fraction(1, 2), Fraction(2))


def cases():
    yield "block formula: demo, split(1,0,1/3)", ("block", demo_case(), 0, Fraction(1, 3))
    yield "block formula: demo, split(1,1,-2)", ("block", demo_case(), 1, Fraction(-2))
    yield "Fukumizu-Amari: M_s PSD minimum", ("fa", fa_minimum("psd"), "outside")
    yield "Fukumizu-Amari: M_s NSD minimum", ("fa", fa_minimum("nsd"), "inside")
    yield "vector output: G_s != 0, every alpha", ("fa", vector_output_case(), "every")
    yield "null neuron formula: demo", ("null", demo_case())


def _is_saddle_direct(case, alpha, neuron=0):
    return analyze(SplitNeuron(1, neuron, alpha).apply_case(case)).inertia[0] >= 1


def check(spec):
    kind = spec[0]
    if kind == "block":
        _, case, neuron, alpha = spec
        r = split_block_inertia(case, 1, neuron, alpha)
        direct = analyze(SplitNeuron(1, neuron, alpha).apply_case(case)).inertia
        return [
            step("B^T H_wide B = diag(H, K) exactly", r.block_diagonal is True),
            step(f"inertia(H) + inertia(K) = {r.predicted} = core inertia of the wide Hessian", r.predicted == direct,
                 f"direct {direct}"),
        ]
    if kind == "null":
        r = null_block_inertia(spec[1], 1)
        direct = analyze(NullNeuron(1).apply_case(spec[1])).inertia
        return [step(f"inertia(H) + (r, k + m - 2r, r) = {r['predicted']} with r = {r['rank_C']}",
                     r["predicted"] == direct, f"direct {direct}")]
    _, case, region = spec
    a = analyze(case)
    fa = fukumizu_amari(case, neuron=0, alphas=ALPHAS)
    expected = {
        "outside": lambda al: al < 0 or al > 1,
        "inside": lambda al: 0 < al < 1,
        "every": lambda al: True,
    }[region]
    direct = {al: _is_saddle_direct(case, al) for al in ALPHAS}
    return [
        step("a strict local minimum with non-zero loss", a.critical and a.inertia[0] == 0 and a.inertia[1] == 0
             and a.loss != "0", f"inertia {a.inertia}"),
        step(f"rule: {fa.rule}", all(fa.saddle(al) == expected(al) for al in ALPHAS)),
        step("the width module confirmed the rule at every sampled alpha", fa.confirmed),
        step("core inertia of each split point: strict saddle exactly where the rule says",
             all(direct[al] == expected(al) for al in ALPHAS),
             ", ".join(f"alpha={al}: {'saddle' if direct[al] else 'no'}" for al in ALPHAS)),
    ]
