"""plot-spectrum and plot-split-line: the plotted numbers against other computations; the files are PNGs."""

from __future__ import annotations

import json
import sys
from fractions import Fraction

import mpmath
import pytest

from exactlift import analyze
from exactlift.cli import main
from exactlift.errors import ExactliftError
from exactlift.gallery import example_path, load_example
from exactlift.lifts.width import SplitNeuron
from exactlift.plots import hessian_spectrum, plot_spectrum, plot_split_line, split_line_inertia

PNG = b"\x89PNG\r\n\x1a\n"


def _mp_eigenvalues(case, digits=60):
    """mpmath's symmetric eigenvalues of the Hessian of the mp analysis (another arithmetic, another algorithm)."""
    H = analyze(case, "mp", digits=digits).derivatives.hessian
    n = H.shape[0]
    with mpmath.workdps(digits):
        return sorted(mpmath.eigsy(mpmath.matrix([[H[i, j] for j in range(n)] for i in range(n)]), eigvals_only=True))


def test_exact_spectrum_matches_mpmath_and_marks_the_zeros():
    case = load_example("relu-saddle")
    s = hessian_spectrum(case)
    flat = sorted(m for m, _, k, _ in s.eigenvalues for _ in range(k))
    mp = _mp_eigenvalues(case)
    assert len(flat) == case.arch.n_params
    assert all(abs(a - float(b)) <= 1e-9 * max(1.0, abs(float(b))) for a, b in zip(flat, mp))
    n_small = sum(1 for b in mp if abs(b) < mpmath.mpf(10) ** -20)  # mp sees the zeros as rounding noise
    assert s.zero_multiplicity == n_small == s.inertia[1]
    assert all(r < 1e-10 for _, r, _, _ in s.eigenvalues)


def test_certified_spectrum_encloses_the_mp_eigenvalues():
    case = load_example("tanh-minimum")
    s = hessian_spectrum(case)  # tanh: no exact values, certified balls
    assert s.strength == "certified" and s.inertia == (0, 0, 4)
    for (mid, rad, _, _), b in zip(s.eigenvalues, _mp_eigenvalues(case)):
        assert abs(mid - float(b)) <= rad + 1e-12 * abs(float(b))


def test_split_line_inertia_is_the_wide_hessians():
    case = load_example("fa-split-line")
    alphas = [Fraction(-1, 2), Fraction(1, 4), Fraction(3, 2)]
    s = split_line_inertia(case, 0, alphas=alphas)
    for a in alphas:
        assert s.at(a) == analyze(SplitNeuron(1, 0, a).apply_case(case)).inertia
    assert s.confirmed and s.at(Fraction(-1, 2))[0] == 1 and s.at(Fraction(1, 4))[0] == 0


def test_pngs_are_written(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "spec.png"
    plot_spectrum(load_example("relu-saddle"), str(out))
    assert out.read_bytes()[:8] == PNG
    out = tmp_path / "split.png"
    plot_split_line(load_example("fa-split-line"), str(out), neuron=0, alphas=[-1, 0, Fraction(1, 2), 1, 2])
    assert out.read_bytes()[:8] == PNG


def test_without_matplotlib_the_error_names_the_extra(monkeypatch, tmp_path):
    s = hessian_spectrum(load_example("fa-split-line"))
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ExactliftError, match=r"exactlift\[plots\]"):
        plot_spectrum(s, str(tmp_path / "x.png"))


def test_cli(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out = tmp_path / "spec.png"
    assert main(["plot-spectrum", str(example_path("relu-saddle")), "-o", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["inertia"] == [1, 7, 7] and doc["zero_multiplicity"] == 7 and out.read_bytes()[:8] == PNG
    out = tmp_path / "split.png"
    assert main(["plot-split-line", str(example_path("fa-split-line")), "--neuron", "0", "-o", str(out),
                 "--steps", "6", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"0", "1"} <= {p["alpha"] for p in doc["inertia"]} and out.read_bytes()[:8] == PNG
    assert main(["plot-spectrum", str(example_path("relu-saddle")), "-o", str(tmp_path / "x.pdf")]) == 2
    capsys.readouterr()
    # mp proves nothing: parsed like every command's --arithmetic, refused in one line saying why
    assert main(["plot-spectrum", str(example_path("relu-saddle")), "-o", str(out), "--arithmetic", "mp"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "mp is not offered" in err and "proves nothing" in err
