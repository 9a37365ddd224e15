"""LaTeX of lifted cases: depth lifts (inserted layer, (L1), (L2)) and width lifts (parameter map)."""

from __future__ import annotations

import shutil
from fractions import Fraction

import pytest

from exactlift.cli import main
from exactlift.nn.examples import demo_case
from exactlift.latex import case_document, compile_tex
from exactlift.latex.document import first_error
from exactlift.latex.render import parameter_map_tex
from exactlift.nn.case import save_case
from exactlift.nn.network import Architecture

HAVE_TEX = shutil.which("pdflatex") is not None


class _Swap:
    """A tiny linear lift for the renderer: swaps the two hidden neurons of a 1-2-1 net (no width module needed)."""

    def matrix(self, arch):
        P = arch.n_params
        perm = [1, 0, 3, 2, 5, 4, 6]
        return [[1 if perm[i] == j else 0 for j in range(P)] for i in range(P)]

    def __str__(self) -> str:
        return "swap(layer=1)"


def test_parameter_map_of_a_linear_lift():
    arch = Architecture.build([1, 2, 1], "relu")
    tex = parameter_map_tex(_Swap(), arch, arch)
    assert "W'^{[1]}_{0,0} &= W^{[1]}_{1,0}" in tex
    assert "1 parameter(s) are copied unchanged" in tex  # b^[2]
    assert "T = \\begin{pmatrix}" in tex


def test_depth_lift_document(tmp_path):
    from exactlift.lifts.depth import IdentityLift

    case = demo_case()
    doc = case_document(case, [IdentityLift(1)]).render()
    assert "Insert after layer $q = 1$" in doc
    assert r"$B D A = W^{[2]}$ (exact)" in doc and r"$B(Dc + \gamma) + e = b^{[2]}$ (exact)" in doc
    assert r"$\nabla R_S(\theta) = 0 \Rightarrow \nabla R_S(\theta') = 0$" in doc
    # T3: inertia (1, 0, 6) -> (1, 6, 6) for a 2-wide identity insertion (P grows by 6)
    assert "inertia $(1, 0, 6) \\to (1, 6, 6)$: no count decreased" in doc
    if HAVE_TEX:
        r = compile_tex(doc, tmp_path)
        assert r.ok, first_error(r.log)


def test_latex_command_with_insert(tmp_path):
    path = tmp_path / "demo.json"
    save_case(demo_case(), path)
    out = tmp_path / "deep.tex"
    assert main(["latex", str(path), "--insert", "1", "-o", str(out)]) == 0
    assert "The lifted network" in out.read_text()


def test_width_split_document(tmp_path):
    from exactlift.lifts.width import SplitNeuron

    case = demo_case()
    lift = SplitNeuron(layer=1, neuron=0, alpha=Fraction(1, 3))
    doc = case_document(case, [lift]).render()
    # the split copies the incoming row and scales the outgoing column by alpha and 1 - alpha
    assert r"W'^{[2]}_{0,0} &= \frac{1}{3}\, W^{[2]}_{0,0}" in doc
    assert r"W'^{[2]}_{0,2} &= \frac{2}{3}\, W^{[2]}_{0,0}" in doc
    assert r"W'^{[1]}_{2,0} &= W^{[1]}_{0,0}" in doc
    assert "f_{\\theta'}(x_i) = f_\\theta(x_i)" in doc
    if HAVE_TEX:
        r = compile_tex(doc, tmp_path)
        assert r.ok, first_error(r.log)


def test_latex_command_with_split_and_null_in_order(tmp_path):
    path = tmp_path / "demo.json"
    save_case(demo_case(), path)
    out = tmp_path / "wide.tex"
    assert main(["latex", str(path), "--split", "1:0:1/3", "--null", "1", "-o", str(out)]) == 0
    tex = out.read_text()
    first, second = tex.index("split(layer=1, neuron=0, alpha=1/3)"), tex.index("null(layer=1)")
    assert first < second  # the lifts are rendered in command-line order
    assert "widths $(1, 2, 1)$" in tex and "widths $(1, 4, 1)$" in tex
    if HAVE_TEX:
        r = compile_tex(tex, tmp_path / "build")
        assert r.ok, first_error(r.log)
