"""Documents built from exactlift objects (latex/render.py): cases, lifted cases, cards, compilation, the command."""

from __future__ import annotations

import shutil
from fractions import Fraction

import pytest

from exactlift.cli import main
from exactlift.nn.examples import demo_case
from exactlift.latex import Document, case_document, compile_tex
from exactlift.latex.document import first_error
from exactlift.latex.render import card_document
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



def test_every_name_render_had_is_still_importable_from_it():
    import exactlift.latex as package
    from exactlift.latex import render

    former = ["FULL_MATRIX_LIMIT", "FULL_ENTRY_DIGITS", "FULL_DATA_LIMIT", "FULL_MAP_LIMIT", "INERTIA_HOW", "Fact",
              "tex_param_name", "abbreviate_numbers", "steps_list", "activation_tex", "network_tex", "params_tex",
              "loss_tex", "data_tex", "backprop_tex", "gradient_tex", "sparse_vector_tex", "hessian_tex",
              "analysis_tex", "parameter_map_tex", "depth_lift_tex", "lift_tex", "case_document", "card_document",
              "latex_of"]
    assert [n for n in former if not hasattr(render, n)] == []
    assert set(former) <= set(render.__all__)
    assert [n for n in package.__all__ if not hasattr(package, n)] == []
