"""Every shipped theorem card in proofs/ passes, and a broken variant of a card is caught."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exactlift.cli import main
from exactlift.theorems import load_card, run_card

PROOFS = Path(__file__).resolve().parents[2] / "proofs"
CARDS = sorted(p for p in PROOFS.glob("*.py") if not p.name.startswith("_"))


def test_there_are_cards_for_each_area():
    names = {p.stem for p in CARDS}
    assert {"core_exact_hessian", "core_critical_points", "core_backprop_symbolic"} <= names
    assert any(n.startswith("symmetry_") for n in names)
    assert any(n.startswith("depth_") for n in names)
    assert {"width_output_preservation", "width_gradient_transfer", "width_criticality",
            "width_inertia_irreversibility", "width_fukumizu_amari"} <= names


@pytest.mark.parametrize("path", CARDS, ids=[p.stem for p in CARDS])
def test_card_passes(path):
    card = load_card(path)
    assert card.title and card.statement and card.source
    assert card.label in ("paper's claim", "exactlift formalization",
                          "paper's claim, exactlift formalization of the checked form")
    result = run_card(card, path)
    assert result.ok, [(c.name, c.result, c.message) for c in result.failures] or result.setup_error
    assert result.n_cases >= 1
    for c in result.cases:
        assert c.steps, f"{c.name}: a shipped card should say what it verified"


def test_broken_hessian_card_is_caught(tmp_path, capsys):
    """Perturb the reference of the Hessian card: the comparison must fail and name the case."""
    text = (PROOFS / "core_exact_hessian.py").read_text()
    broken = text.replace("q(d.hessian[i, j]) != q(H[i, j])", "q(d.hessian[i, j]) != q(H[i, j]) + (i == j == 0)")
    assert broken != text
    p = tmp_path / "broken_hessian.py"
    p.write_text(broken)
    assert main(["prove", str(p)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "Hessian entries equal does not hold" in out


def test_broken_depth_inertia_prediction_is_caught(tmp_path):
    text = (PROOFS / "depth_t3_inertia.py").read_text()
    broken = text.replace("grow = deep.arch.n_params - case.arch.n_params", "grow = deep.arch.n_params - case.arch.n_params + 1")
    assert broken != text
    p = tmp_path / "broken_t3.py"
    p.write_text(broken)
    result = run_card(load_card(p))
    assert not result.ok and all(c.result == "failed" for c in result.cases)


def test_broken_split_gradient_formula_is_caught(tmp_path):
    """Swap alpha and 1 - alpha in the card's independent transfer formula: every exact case must fail."""
    text = (PROOFS / "width_gradient_transfer.py").read_text()
    broken = text.replace("W[l - 1][s] = row * alpha", "W[l - 1][s] = row * (1 - alpha)")
    assert broken != text
    p = tmp_path / "broken_transfer.py"
    p.write_text(broken)
    result = run_card(load_card(p))
    bad = {c.name for c in result.failures}
    assert bad == {c.name for c in result.cases if not c.name.startswith("symbolic")} and bad


@pytest.mark.slow  # 12 s; every card also runs alone in test_card_passes
def test_prove_all_on_shipped_cards_latex(tmp_path, capsys):
    """The default proofs/ directory from the repository root, with a LaTeX report."""
    out_tex = tmp_path / "cards.tex"
    cwd = Path.cwd()
    try:
        import os

        os.chdir(PROOFS.parent)
        status = main(["prove", "--all", "--latex", str(out_tex)])
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    assert status == 0, out
    for p in CARDS:
        assert p.stem in out
    assert out_tex.read_text().startswith("\\documentclass")
    if shutil.which("pdflatex"):
        from exactlift.latex.document import compile_tex, first_error

        r = compile_tex(out_tex, tmp_path)
        assert r.ok, first_error(r.log)
