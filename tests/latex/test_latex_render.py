"""LaTeX rendering: text escaping, numbers, documents built from exactlift objects, compilation."""

from __future__ import annotations

import re
import shutil
from fractions import Fraction

import pytest
import sympy

from exactlift.cli import main
from exactlift.demo import demo_case
from exactlift.latex import Document, case_document, compile_tex, escape_text, sanitize_latex, tex_matrix, tex_number
from exactlift.latex.document import first_error, tex_short
from exactlift.latex.render import FULL_MATRIX_LIMIT, card_document, tex_param_name
from exactlift.nn.case import Case, save_case
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture, Params
from exactlift.theorems import Card, run_card, step
from exactlift.theorems.cases import small_case

HAVE_TEX = shutil.which("pdflatex") is not None
needs_tex = pytest.mark.skipif(not HAVE_TEX, reason="pdflatex is not installed (CI installs texlive-latex-base "
                               "and texlive-latex-recommended so these always compile there)")


def _compiles(doc_or_text, tmp_path) -> None:
    text = doc_or_text.render() if isinstance(doc_or_text, Document) else doc_or_text
    r = compile_tex(text, tmp_path)
    assert r.ok, first_error(r.log)
    assert r.pdf is not None and r.pdf.stat().st_size > 1000


def test_escape_text_specials_and_unicode():
    assert escape_text("a_b & 50% #1 {x} ~ ^ $") == r"a\_b \& 50\% \#1 \{x\} \~{} \^{} \$"
    assert escape_text("a<b|c>d\\") == r"a\ensuremath{<}b\ensuremath{|}c\ensuremath{>}d\ensuremath{\backslash}"
    assert escape_text("Fukumizu–Amari, Şimşek, Gödel, Straße") == (
        r"Fukumizu--Amari, \c{S}im\c{s}ek, G\"{o}del, Stra\ss{}e")
    assert escape_text("σ ≥ 0, Jᵀe") == r"\ensuremath{\sigma} \ensuremath{\geq} 0, J\ensuremath{^{\top}}e"
    assert escape_text("n₀") == r"n\ensuremath{_{0}}"
    assert "[U+4E2D]" in escape_text("中")
    assert sanitize_latex(r"$\sum_i x_i ≤ θ$") == r"$\sum_i x_i \ensuremath{\leq} \ensuremath{\theta}$"


def test_numbers_use_sympy_latex():
    assert tex_number(Fraction(-3, 4)) == sympy.latex(sympy.Rational(-3, 4))
    assert tex_number(7) == "7"
    x = sympy.Symbol("alpha")
    assert tex_number(1 - x) == sympy.latex(1 - x)
    assert tex_short(Fraction(1, 3)) == r"\frac{1}{3}"
    assert tex_short(Fraction(10**40, 3)).startswith(r"\approx 3.33333 \cdot 10^{39}")
    assert tex_matrix([[1, Fraction(1, 2)], [0, -1]]) == "\\begin{pmatrix}\n1 & \\frac{1}{2} \\\\\n0 & -1\n\\end{pmatrix}"


def test_param_names():
    arch = Architecture.build([2, 2, 1], "relu")
    names = [tex_param_name(arch, i) for i in range(arch.n_params)]
    assert names[:3] == ["W^{[1]}_{0,0}", "W^{[1]}_{0,1}", "W^{[1]}_{1,0}"]
    assert names[4] == "b^{[1]}_{0}" and names[-1] == "b^{[2]}_{0}"
    assert tex_param_name(arch, 0, prime=True) == "W'^{[1]}_{0,0}"


def _linear_case() -> Case:
    """f(x) = w x + b on x = (0, 1, 2), y = (1, 0, 2): gradient and Hessian by hand."""
    arch = Architecture.build([1, 1], [])
    return Case(arch, Params.from_flat(arch, [Fraction(1), Fraction(0)]), [[0], [1], [2]], [[1], [0], [2]],
                parse_loss("mse", 1), name="linear")


def test_case_document_shows_independently_computed_values():
    # R = ((0-1)^2 + (1-0)^2 + (2-2)^2)/3 = 2/3; dR/dw = (2/3)(0*(-1) + 1*1 + 2*0) = 2/3,
    # dR/db = (2/3)(-1 + 1 + 0) = 0; H = (2/3)[[5, 3], [3, 3]] -> inertia (0, 0, 2)
    tex = case_document(_linear_case()).render()
    assert r"R_S(\theta) = \frac{2}{3}." in tex
    assert r"\frac{\partial R_S}{\partial W^{[1]}} = \begin{pmatrix}" + "\n" + r"\frac{2}{3}" in tex
    assert "\\nabla^2 R_S = \\begin{pmatrix}\n\\frac{10}{3} & 2 \\\\\n2 & 2\n\\end{pmatrix}" in tex
    assert "(n_-, n_0, n_+) = (0, 0, 2)" in tex
    assert "not a critical point" in tex


def test_case_document_critical_saddle_has_witness():
    case = demo_case()
    tex = case_document(case).render()
    assert r"$\nabla R_S(\theta) = 0$ exactly: a critical point" in tex
    assert "(n_-, n_0, n_+) = (1, 0, 6)" in tex
    assert r"v^\top \nabla^2 R_S\, v" in tex and "strict saddle" in tex


def test_large_hessian_is_summarized():
    case = small_case([2, 3, 3, 1], "relu", n=3, seed=1)
    assert case.arch.n_params > 2 * FULL_MATRIX_LIMIT
    tex = case_document(case).render()
    assert "too large to print in full" in tex
    assert not re.search(r"\\nabla\^2 R_S = \\begin\{pmatrix\}", tex)


def test_card_document_lists_cases_and_failures():
    card = Card(title="Odd & even", statement=r"$n \in 2\mathbb{Z}$", source="paper: arXiv 0000.00000, Theorem 2",
                cases=lambda: [("n_2", 2), ("n_3", 3)], check=lambda n: [step("n % 2 == 0", n % 2 == 0)])
    tex = card_document([run_card(card)]).render()
    assert r"\title{Odd \& even}" in tex
    assert r"n\_3 & failed" in tex and "(paper's claim)" in tex
    assert r"Failure: n \% 2 == 0 does not hold" in tex


@needs_tex
def test_documents_compile(tmp_path):
    _compiles(case_document(_linear_case()), tmp_path / "a")
    _compiles(case_document(demo_case()), tmp_path / "b")
    _compiles(case_document(small_case([2, 3, 3, 1], "relu", n=3, seed=1)), tmp_path / "c")
    nasty = Case(*_linear_case().__dict__.values())  # copy, then a name full of special characters
    nasty = nasty.with_params(nasty.arch, nasty.params, name="θ_1 & σ ≥ 0: 100% {weird} ~ # $ \\ 中 <|> Şimşek é",
                              description="Jᵀe = 0 — n₀ ≤ n₊")
    _compiles(case_document(nasty), tmp_path / "d")
    card = Card(title="Title with σ_1 & %", statement=r"$\sigma(z) ≥ 0$ for θ ∈ ℝ", source="exactlift formalization",
                cases=lambda: [("a_1", 1), ("b&2", 0)], check=lambda x: [step("x > 0 ∀ x", x > 0, "x = ½")])
    _compiles(card_document([run_card(card)]), tmp_path / "e")


@needs_tex
def test_broken_document_is_reported(tmp_path):
    r = compile_tex("\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}", tmp_path)
    assert not r.ok and "Undefined control sequence" in first_error(r.log)


def test_latex_command(tmp_path, capsys):
    path = tmp_path / "demo.json"
    save_case(demo_case(), path)
    out = tmp_path / "demo.tex"
    assert main(["latex", str(path), "-o", str(out)]) == 0
    assert out.read_text().startswith("\\documentclass")
    assert main(["latex", str(path), "-o", str(tmp_path / "demo.pdf")]) == 2
    assert "must be a .tex file" in capsys.readouterr().err


@needs_tex
def test_latex_command_pdf(tmp_path):
    path = tmp_path / "demo.json"
    save_case(demo_case(), path)
    assert main(["latex", str(path), "-o", str(tmp_path / "demo.tex"), "--pdf"]) == 0
    assert (tmp_path / "demo.pdf").exists()
