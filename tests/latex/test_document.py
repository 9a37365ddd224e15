"""Text escaping, numbers and compilation (latex/document.py)."""

from __future__ import annotations

import shutil
from fractions import Fraction

import pytest
import sympy

from exactlift.latex import compile_tex, escape_text, sanitize_latex, tex_matrix, tex_number
from exactlift.latex.document import first_error, tex_short

HAVE_TEX = shutil.which("pdflatex") is not None
needs_tex = pytest.mark.skipif(not HAVE_TEX, reason="pdflatex is not installed (CI installs texlive-latex-base "
                               "and texlive-latex-recommended so these always compile there)")


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


@needs_tex
def test_broken_document_is_reported(tmp_path):
    r = compile_tex("\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}", tmp_path)
    assert not r.ok and "Undefined control sequence" in first_error(r.log)
