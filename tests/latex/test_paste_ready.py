"""Paste-ready LaTeX (issue 14, item 3): amsthm theorem with its cited source, a bibliography entry per
cited paper, Hessians with long entries as short decimals in blocks with the exact entries in an appendix
(checked against naive SymPy), short witness directions (checked with the naive Hessian), no code strings
in the typeset text, wording per arithmetic, and ``--pdf`` leaving no .aux/.log behind."""

from __future__ import annotations

import math
import re
import shutil
from fractions import Fraction

import pytest
import sympy

from exactlift.calculus.naive import naive_derivatives
from exactlift.cli import main
from exactlift.latex import case_document
from exactlift.latex.network import tex_param_name
from exactlift.latex.render import PROOF_HOW, card_document
from exactlift.lifts.depth import IdentityLift
from exactlift.lifts.width import SplitNeuron
from exactlift.nn.case import save_case
from exactlift.nn.examples import demo_case, spec_t4_example
from exactlift.sources import PAPERS
from exactlift.theorems import Card, run_card, step

HAVE_TEX = shutil.which("pdflatex") is not None
needs_tex = pytest.mark.skipif(not HAVE_TEX, reason="pdflatex is not installed")


def _typeset(tex: str) -> str:
    """The document without its LaTeX comments (what a reader sees)."""
    return "\n".join(line for line in tex.splitlines() if not line.lstrip().startswith("%"))


@pytest.fixture(scope="module")
def demo_tex() -> str:
    return case_document(demo_case()).render()


def test_theorem_environment_and_one_bibitem_per_cited_paper():
    tex = case_document(demo_case(), [SplitNeuron(layer=1, neuron=0, alpha=Fraction(1, 3))]).render()
    assert "\\usepackage{amsmath,amssymb,amsthm}" in tex
    assert "\\begin{theorem}[" in tex and "\\begin{proposition}" in tex and "\\begin{proof}" in tex
    for key in ("zhang2021", "zhang2022"):
        assert tex.count(f"\\bibitem{{{key}}}") == 1 and f"\\cite{{{key}}}" in tex
        assert f"arXiv:{PAPERS[key].arxiv}" in tex
    assert "\\begin{equation}" in tex  # numbered equations


def test_depth_document_cites_the_depth_paper_in_words():
    tex = _typeset(case_document(spec_t4_example(), [IdentityLift(0)]).render())
    assert tex.count("\\bibitem{bai2022}") == 1
    assert not re.search(r"\b(insert|split|null|permute)\([a-z_]+=", tex)  # no code strings
    assert "inf)" not in tex and "(training data (" not in tex
    assert "$(0, \\infty)$" in tex or "$(" in tex


def test_long_hessian_in_blocks_with_exact_appendix(demo_tex):
    case = demo_case()
    assert "\\left[\\begin{array}{cc|cc|cc|c}" in demo_tex  # W1 | b1 | W2 | b2
    assert "\\label{app:exact}" in demo_tex
    appendix = demo_tex[demo_tex.index("\\appendix"):]
    _, _, H = naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss)
    for i in range(case.arch.n_params):
        for j in range(i, case.arch.n_params):
            if H[i, j] != 0:
                lhs = rf"(\nabla^2 R_S)_{{{tex_param_name(case.arch, i)},\,{tex_param_name(case.arch, j)}}} &= "
                assert lhs + sympy.latex(H[i, j]) in appendix


def test_witness_is_a_short_integer_direction_of_negative_curvature(demo_tex):
    case = demo_case()
    _, _, H = naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss)
    v = []
    for i in range(case.arch.n_params):
        m = re.search(r"v_\{" + re.escape(tex_param_name(case.arch, i)) + r"\} = (-?\d+)", demo_tex)
        v.append(int(m.group(1)) if m else 0)
    assert any(v) and math.gcd(*v) == 1 and max(abs(x) for x in v) < 10**6
    assert (sympy.Matrix([v]) * H * sympy.Matrix(v))[0, 0] < 0


@pytest.mark.parametrize("arithmetic", ["exact", "mp", "certified"])
def test_proposition_wording_matches_the_arithmetic(arithmetic):
    tex = case_document(demo_case(), arithmetic=arithmetic, digits=30).render()
    strength = {"exact": "exact", "mp": "numerical", "certified": "certified"}[arithmetic]
    assert PROOF_HOW[strength] in tex
    assert not [w for s, w in PROOF_HOW.items() if s != strength and w in tex]
    if arithmetic != "exact":
        assert "\\label{app:exact}" not in tex  # rounded values have no exact appendix


def test_card_document_prints_math_in_case_names_and_cites():
    card = Card(title="Split line", statement=r"$G_s \ne 0$", source="paper: arXiv 2111.15527, truly-bad points",
                cases=lambda: [("vector output: G_s != 0, every alpha", 1)], check=lambda n: [step("M_s = 0", True)])
    tex = card_document([run_card(card)]).render()
    assert "G\\_s" not in tex and "M\\_s" not in tex and "!=" not in tex
    assert "$G_{s} \\neq  0$" in tex and "$M_{s} = 0$" in tex
    assert tex.count("\\bibitem{zhang2022}") == 1 and "\\begin{theorem}" in tex


@needs_tex
def test_pdf_leaves_no_aux_or_log(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    save_case(demo_case(), tmp_path / "demo.json")
    assert main(["latex", "demo.json", "-o", "demo.tex", "--pdf"]) == 0
    assert (tmp_path / "demo.pdf").stat().st_size > 1000
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["demo.json", "demo.pdf", "demo.tex"], left
    log = shutil.which("pdftotext")
    if log:  # the compiled text resolves every reference and citation
        import subprocess

        text = subprocess.run([log, "demo.pdf", "-"], capture_output=True, text=True).stdout
        assert "??" not in text and "Appendix A" in text


def test_card_steps_describe_lifts_in_words():
    card = Card(title="Escape", statement="$x$", source="exactlift formalization",
                cases=lambda: [("m", 1)],
                check=lambda n: [step("an escaping embedding was found", True, "split(layer=1, neuron=0, alpha=2)")])
    tex = card_document([run_card(card)]).render()
    assert "split(layer=" not in tex and "split of neuron 0 of hidden layer 1" in tex
