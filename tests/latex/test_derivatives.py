"""Gradient and Hessian rendering (latex/derivatives.py)."""

from __future__ import annotations

import re
from fractions import Fraction

from exactlift.latex import case_document
from exactlift.latex.derivatives import INERTIA_HOW, hessian_tex, sparse_vector_tex
from exactlift.latex.network import FULL_MATRIX_LIMIT
from exactlift.nn.network import Architecture
from exactlift.theorems.cases import small_case


def test_large_hessian_is_summarized():
    case = small_case([2, 3, 3, 1], "relu", n=3, seed=1)
    assert case.arch.n_params > 2 * FULL_MATRIX_LIMIT
    tex = case_document(case).render()
    assert "too large to print in full" in tex
    assert not re.search(r"\\nabla\^2 R_S = \\begin\{pmatrix\}", tex)


def test_sparse_vector_lists_the_non_zero_components():
    arch = Architecture.build([1, 1, 1], "relu")
    assert sparse_vector_tex(arch, [0, 0, 0, 0]) == "v = 0"
    text = sparse_vector_tex(arch, [Fraction(1, 2), 0, 0, -1])
    assert text.startswith("v_{W^{[1]}_{0,0}} = \\frac{1}{2},\\ v_{b^{[2]}_{0}} = -1")


def test_the_inertia_says_how_it_was_obtained_per_strength():
    arch = Architecture.build([1, 1], [])
    H = [[Fraction(2), 0], [0, Fraction(1)]]
    for strength, how in INERTIA_HOW.items():
        assert how in hessian_tex(arch, H, (0, 0, 2), strength=strength)
    assert "undecided at this precision" in hessian_tex(arch, H, None, strength="certified")
    assert "undecided" not in hessian_tex(arch, H, None, strength="exact")
