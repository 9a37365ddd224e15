"""Every human-readable output states its claim and source, prints long rationals as short decimals and
math as math (issue 14, item 2); the claims registry and the display helpers."""

from __future__ import annotations

import math
import random
import re
from fractions import Fraction
from pathlib import Path

import pytest

from exactlift.cli import main
from exactlift.display import coprime_direction, decimal, lift_words, math_text, short_rational
from exactlift.gallery import get_example
from exactlift.sources import CLAIMS, PAPERS, bibliography_tex, claim_header

ROOT = Path(__file__).resolve().parents[1]
LONG_RATIONAL = re.compile(r"(?<![\w.])-?\d+/\d+(?![\w.])")


def test_decimal_agrees_with_float_formatting():
    rng = random.Random(14)
    for _ in range(300):
        x = Fraction(rng.randint(-10**12, 10**12), rng.randint(1, 10**rng.randint(0, 15)))
        # %g of the float, unless the float sits within rounding of a 6-digit tie
        shown = decimal(x)
        assert math.isclose(float(shown), float(x), rel_tol=5.1e-6, abs_tol=0)
        if x and abs(float(x) * 10 ** (5 - math.floor(math.log10(abs(float(x))))) % 1 - 0.5) > 1e-3:
            assert float(shown) == float("%g" % float(x)), (x, shown)


def test_short_rational_keeps_short_values_and_marks_long_ones():
    assert short_rational("19/162") == "19/162"
    long = "11835741410854517117394030436481766174143/30592031685653177370866524286784316805289"
    shown = short_rational(long)
    assert shown.startswith("≈ ") and math.isclose(float(shown[2:]), float(Fraction(long)), rel_tol=1e-5)
    assert short_rational(long, exact_digits=1000) == long


def test_math_text_and_lift_words():
    assert math_text("z/(1 + z**2)") == "z/(1 + z²)"
    assert math_text("3*z**2") == "3z²"
    assert "alpha=" not in lift_words("compose(split(layer=1, neuron=0, alpha=1/3), null(layer=2))")


def test_coprime_direction_is_a_positive_multiple():
    v = [Fraction(1, 3), Fraction(-2, 9), Fraction(0), Fraction(4, 15)]
    w, c = coprime_direction(v)
    assert c > 0 and math.gcd(*w) == 1 and all(Fraction(a) == c * b for a, b in zip(w, v))


def test_every_claim_has_a_source_that_exists():
    for claim in CLAIMS.values():
        src = claim.source()
        assert claim.papers or src.startswith("exactlift formalization")
        for key, _ in claim.papers:
            assert PAPERS[key].cite() in src
        page = claim.doc.split()[0]
        assert (ROOT / page).is_file(), page
        assert "SPEC" not in src and "SPEC" not in claim.text and "**" not in claim.text
    bib = bibliography_tex(["zhang2021", "zhang2022", "zhang2021"])
    assert bib.count("\\bibitem{zhang2021}") == 1 and bib.count("\\bibitem") == 2


@pytest.fixture(scope="module")
def cases() -> dict[str, str]:
    return {name: str(get_example(name).path)
            for name in ("smooth-saddle", "relu-minimum", "fa-split-line", "t4-linear", "tanh-minimum")}


COMMANDS = [
    (["analyze", "{smooth-saddle}"], "critical-point"),
    (["check-embedding", "{relu-minimum}", "--split", "1:0:1/3"], "width-embedding"),
    (["check-lift", "{t4-linear}", "--insert", "0"], "depth-lift"),
    (["split-line", "{fa-split-line}", "--neuron", "0"], "split-line"),
    (["truly-bad", "{fa-split-line}"], "truly-bad"),
    (["certify", "{tanh-minimum}"], "certified-critical"),
    (["explain", "{tanh-minimum}"], "explain"),
]


@pytest.mark.parametrize("argv,claim", COMMANDS, ids=[c[0][0] for c in COMMANDS])
def test_command_states_claim_and_source_in_math(capsys, cases, argv, claim):
    main([a.format(**cases) for a in argv])
    out = capsys.readouterr().out
    assert out.startswith(claim_header(claim) + "\n")
    assert "**" not in out
    assert not [r for r in LONG_RATIONAL.findall(out) if len(r.lstrip("-")) > 20], out


def test_exact_value_stays_available(capsys, cases):
    main(["analyze", cases["smooth-saddle"]])
    short = capsys.readouterr().out
    main(["analyze", cases["smooth-saddle"], "--exact-digits", "1000"])
    full = capsys.readouterr().out
    main(["analyze", cases["smooth-saddle"], "--json"])
    import json

    loss = json.loads(capsys.readouterr().out)["loss"]
    assert len(loss) > 20 and loss not in short and "≈" in short and f"loss:        {loss}" in full


@pytest.mark.slow
def test_demo_names_its_theorems(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "σ(z) = z/(1 + z²)" in out and "**" not in out
    assert CLAIMS["width-embedding"].source() in out and CLAIMS["critical-point"].source() in out
    assert not [r for r in LONG_RATIONAL.findall(out) if len(r) > 20]
