"""Parameter names and matrix blocks of the case's objects (latex/network.py)."""

from __future__ import annotations

from exactlift.latex.network import FULL_MATRIX_LIMIT, matrix_block, tex_param_name
from exactlift.nn.network import Architecture


def test_param_names():
    arch = Architecture.build([2, 2, 1], "relu")
    names = [tex_param_name(arch, i) for i in range(arch.n_params)]
    assert names[:3] == ["W^{[1]}_{0,0}", "W^{[1]}_{0,1}", "W^{[1]}_{1,0}"]
    assert names[4] == "b^{[1]}_{0}" and names[-1] == "b^{[2]}_{0}"
    assert tex_param_name(arch, 0, prime=True) == "W'^{[1]}_{0,0}"


def test_matrix_block_prints_small_matrices_and_summarizes_large_ones():
    assert matrix_block("b", [[1], [0]]).count("\\begin{pmatrix}") == 1
    n = FULL_MATRIX_LIMIT + 1
    big = matrix_block("W", [[1 if i == j else 0 for j in range(n)] for i in range(n)])
    assert "pmatrix" not in big and f"{n} non-zero entries (too large to print)" in big
    assert f"\\mathbb{{R}}^{{{n} \\times {n}}}" in big
