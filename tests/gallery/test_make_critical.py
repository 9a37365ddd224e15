"""``exactlift make-critical``: the written case is critical (naive SymPy) with non-zero loss, or zero loss with --teacher."""

from __future__ import annotations

import pytest

from exactlift.calculus.naive import naive_derivatives
from exactlift.cli import main
from exactlift.nn.case import load_case


@pytest.mark.parametrize("teacher", [False, True])
def test_make_critical_relu_2_3_1(tmp_path, capsys, teacher):
    out = tmp_path / "case.json"
    argv = ["make-critical", "--widths", "2-3-1", "--activation", "relu", "--samples", "8", "--seed", "1",
            "-o", str(out)] + (["--teacher"] if teacher else [])
    assert main(argv) == 0
    assert "wrote" in capsys.readouterr().out
    case = load_case(out)
    assert list(case.arch.widths) == [2, 3, 1] and case.n_samples == 8
    assert all(a.spec == "relu" for a in case.arch.activations)
    R, grad, _ = naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss, hessian=False)
    assert all(g == 0 for g in grad)
    assert (R == 0) is teacher


def test_make_critical_smooth_default_samples(tmp_path, capsys):
    out = tmp_path / "case.json"
    assert main(["make-critical", "--widths", "1-2-1", "--activation", "z/(1 + z**2)", "--seed", "3", "-o", str(out)]) == 0
    case = load_case(out)
    R, grad, _ = naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss, hessian=False)
    assert all(g == 0 for g in grad) and R != 0


@pytest.mark.parametrize("widths", ["2", "2-x-1", "2-0-1"])
def test_make_critical_bad_widths(tmp_path, capsys, widths):
    assert main(["make-critical", "--widths", widths, "-o", str(tmp_path / "c.json")]) == 2
    assert "--widths" in capsys.readouterr().err


def test_make_critical_refuses_tanh(tmp_path, capsys):
    assert main(["make-critical", "--widths", "1-2-1", "--activation", "tanh", "-o", str(tmp_path / "c.json")]) == 2
    assert "exact activation values" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    from exactlift import __version__

    assert capsys.readouterr().out.strip() == f"exactlift {__version__}"
