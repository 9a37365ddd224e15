"""Every document's wording matches its arithmetic: no claim of exactness in an mp or certified document.

The sentences that describe how the numbers were obtained are checked per arithmetic
(exact / mp / certified), for a plain case document and one with a width lift.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from exactlift.latex import case_document
from exactlift.latex.derivatives import BACKPROP_HOW
from exactlift.lifts.width import SplitNeuron
from exactlift.nn.examples import demo_case

#: phrases only an exact document may contain
EXACT_ONLY = ("no rounding", "exact back-propagation", "checked exactly", "exact $LDL", "strength \\textbf{exact}")
#: phrases an exact document must not contain
NOT_EXACT = ("numerical, not a proof", "rounded", "ball arithmetic", "strength \\textbf{numerical}",
             "strength \\textbf{certified}")

STRENGTH = {"exact": "exact", "mp": "numerical", "certified": "certified"}


@pytest.fixture(scope="module")
def documents() -> dict[tuple[str, bool], str]:
    case = demo_case()
    lift = SplitNeuron(layer=1, neuron=0, alpha=Fraction(1, 3))
    return {(a, lifted): case_document(case, [lift] if lifted else [], arithmetic=a, digits=30).render()
            for a in STRENGTH for lifted in (False, True)}


@pytest.mark.parametrize("arithmetic", list(STRENGTH))
@pytest.mark.parametrize("lifted", [False, True])
def test_wording_matches_arithmetic(documents, arithmetic, lifted):
    tex = documents[(arithmetic, lifted)]
    strength = STRENGTH[arithmetic]
    assert BACKPROP_HOW[strength] in tex
    assert f"strength \\textbf{{{strength}}}" in tex
    if strength == "exact":
        assert not [p for p in NOT_EXACT if p in tex]
    else:
        assert not [p for p in EXACT_ONLY if p in tex]
        assert "no rounding" not in tex


def test_mp_sentence_says_rounded_and_not_a_proof():
    assert "no rounding" not in BACKPROP_HOW["numerical"] and "not a proof" in BACKPROP_HOW["numerical"]
    assert "ball" in BACKPROP_HOW["certified"] and "no rounding" in BACKPROP_HOW["exact"]


def _proposition(tex: str) -> str:
    return tex.split("\\begin{proposition}", 1)[1].split("\\end{proposition}", 1)[0].strip()


def test_proposition_claims_only_what_the_arithmetic_proved(documents):
    exact, mp, cert = (_proposition(documents[(a, False)]) for a in ("exact", "mp", "certified"))
    assert exact.startswith("$\\nabla R_S(\\theta) = 0$: $\\theta$ is a critical point")
    # mp: the gradient is only below a tolerance
    assert mp.startswith("Numerically, ") and "numerically a critical point" in mp and "exact" not in mp
    # certified: a true critical point near theta, not grad R_S(theta) = 0 at the given (rounded) theta
    assert cert.startswith("There is a critical point $\\theta^*$") and "Krawczyk" in cert
    assert "$\\nabla R_S(\\theta) = 0$" not in cert


def test_block_hessian_dot_is_an_exact_zero_only_in_exact_documents(documents):
    assert "a dot is an exact $0$" in documents[("exact", False)]
    for a in ("mp", "certified"):
        assert "a dot is an exact $0$" not in documents[(a, False)]
