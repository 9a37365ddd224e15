"""Every macro a generated document uses is defined: by LaTeX, by the packages its preamble loads, or
by the preamble itself (issue 14: a body pasted into a paper must not depend on an undefined ``\\R``).

Two independent checks: a grep of every control sequence against a hand-written list of what LaTeX
and amsmath/amssymb/amsthm/booktabs/graphicx define (plus the preamble's own ``\\newcommand``s), and,
when pdflatex is installed, a compilation whose log must not report an undefined control sequence.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from fractions import Fraction

import pytest

from exactlift.latex import case_document
from exactlift.latex.network import FULL_MATRIX_LIMIT, matrix_block
from exactlift.latex.render import card_document
from exactlift.lifts.depth import IdentityLift
from exactlift.lifts.width import SplitNeuron
from exactlift.nn.examples import demo_case, spec_t4_example
from exactlift.theorems import Card, run_card, step

#: Control sequences of the LaTeX kernel and of the packages every document loads
#: (amsmath, amssymb, amsthm, booktabs, graphicx, geometry, inputenc), written out by hand.
KNOWN = set("""
documentclass usepackage begin end title author date maketitle section subsection paragraph appendix
label ref cite bibitem emph textbf texttt text small item setcounter setlength newcommand renewcommand
newtheorem theoremstyle newsavebox sbox usebox resizebox linewidth wd ifdim else fi parindent parskip
labelitemi arraystretch allowdisplaybreaks ensuremath quad qquad hline toprule midrule bottomrule
frac dfrac tfrac sqrt sum prod left right bigl bigr Bigl Bigr bigg Bigg cdot cdots ldots dots vdots ddots times
le leq ge geq ne neq approx to in notin mapsto Rightarrow Leftarrow iff implies subset subseteq
succeq preceq succ prec infty partial nabla top odot otimes oplus mid setminus cup cap emptyset
mathbb mathrm mathbf mathcal operatorname tilde hat bar vec dot ddot prime displaystyle textstyle
checkmark bullet ast star circ pm mp colon lfloor rfloor lceil rceil langle rangle vert Vert
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi rho
sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega
exp log ln sin cos tan tanh sinh cosh arctan min max sup inf det ell
""".split())

#: Characters escaped by a backslash (``\\%``, ``\\_``, ``\\,``, ``\\\\`` …) are not macros.
CONTROL = re.compile(r"\\([A-Za-z]+)")


def defined_in_preamble(tex: str) -> set[str]:
    """The names the document defines itself (``\\newcommand``, ``\\newsavebox``, ``\\DeclareMathOperator``)."""
    return set(re.findall(r"\\(?:newcommand|newsavebox|DeclareMathOperator)\*?\{\\([A-Za-z]+)\}", tex))


def uncommented(tex: str) -> str:
    """The text without comments and without line breaks ``\\\\`` (so ``\\\\t`` is not read as ``\\t``)."""
    return "\n".join(re.sub(r"(?<!\\)%.*", "", line).replace("\\\\", " ") for line in tex.splitlines())


def documents() -> dict[str, str]:
    card = Card(title="Split line", statement=r"$G_s \ne 0$", source="paper: arXiv 2111.15527, truly-bad points",
                cases=lambda: [("vector output: G_s != 0, every alpha", 1)], check=lambda n: [step("M_s = 0", True)])
    big = FULL_MATRIX_LIMIT + 1
    summary = matrix_block("W", [[1 if i == j else 0 for j in range(big)] for i in range(big)])
    analysis = case_document(demo_case()).render()
    return {
        "analysis exact": analysis,
        "analysis mp": case_document(demo_case(), arithmetic="mp").render(),
        "width lift": case_document(demo_case(), [SplitNeuron(layer=1, neuron=0, alpha=Fraction(1, 3))]).render(),
        "depth lift": case_document(spec_t4_example(), [IdentityLift(0)]).render(),
        "card": card_document([run_card(card)]).render(),
        # the summary of a matrix too large to print, inside a document's preamble
        "summary": analysis.replace("\\end{document}", summary + "\\end{document}"),
    }


@pytest.fixture(scope="module")
def docs() -> dict[str, str]:
    return documents()


def test_every_macro_used_is_known_or_defined_in_the_preamble(docs):
    for name, tex in docs.items():
        used = set(CONTROL.findall(uncommented(tex)))
        unknown = used - KNOWN - defined_in_preamble(tex)
        assert not unknown, f"{name}: undefined macros {sorted(unknown)}"


def test_the_reals_are_written_out():
    # a pasted body must not rely on a private \R (papers define it differently or not at all)
    for name, tex in documents().items():
        assert not re.search(r"\\R(?![A-Za-z])", tex), name
    assert "\\mathbb{R}^{" in matrix_block("W", [[0] * (FULL_MATRIX_LIMIT + 1)] * (FULL_MATRIX_LIMIT + 1))


def test_the_grep_check_catches_an_undefined_macro():
    tex = documents()["card"].replace("\\end{document}", "$x \\in \\R$\\end{document}")
    assert "R" in set(CONTROL.findall(uncommented(tex))) - KNOWN - defined_in_preamble(tex)


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_documents_compile_without_undefined_control_sequences(docs, tmp_path):
    for name, tex in docs.items():
        if name != "summary" and name != "width lift":
            continue  # one analysis-style and one lift document compile here (each takes about a second)
        path = tmp_path / "doc.tex"
        path.write_text(tex)
        run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120)
        log = (tmp_path / "doc.log").read_text(errors="replace")
        assert "Undefined control sequence" not in log, f"{name}: {log[-2000:]}"
        assert run.returncode == 0, f"{name}: {run.stdout[-2000:]}"


def test_lifted_document_lists_the_training_data_once(docs):
    # the data table's header row appears once; the lifted section refers back to it
    for name in ("width lift", "depth lift"):
        tex = docs[name]
        assert tex.count("$i$ & $x_i$") == 1, name
        assert "are those of Section~\\ref{sec:case}" in tex, name
    assert docs["analysis exact"].count("$i$ & $x_i$") == 1


def test_card_source_paragraph_drops_the_cli_tag(docs):
    assert "\\paragraph{Source.} paper:" not in docs["card"]
    assert "\\paragraph{Source.} arXiv 2111.15527, truly-bad points" in docs["card"]


def test_card_steps_typeset_split_ratios_and_inertia_counts_as_math():
    card = Card(title="Rule", statement="$x$", source="exactlift formalization",
                cases=lambda: [("demo", 1)], check=lambda n: [step("saddle where the rule says (α=-1: no, alpha=1/3: "
                                                                  "saddle); n-(K) >= 1", True)])
    tex = card_document([run_card(card)]).render()
    assert "$\\alpha = -1$: no, $\\alpha = \\frac{1}{3}$: saddle" in tex and "$n_{-}(K)$" in tex
    assert "=-1" not in tex and "n-(K)" not in tex
