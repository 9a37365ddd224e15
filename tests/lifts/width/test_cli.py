"""Command line: ``lift --split/--null/--permute``, ``check-embedding``, ``split-line``, ``truly-bad``.

The wide case file written by ``lift`` is read back by ``analyze --json`` and
compared with a direct naive SymPy computation on the wide network built here
from the docs/width.md definition; every bad input exits with status 2 and one line.
"""

from __future__ import annotations

import json
from fractions import Fraction as F

import numpy as np
import pytest
import sympy

from exactlift.arith.linalg import inertia
from exactlift.calculus.naive import naive_derivatives
from exactlift.cli import main
from exactlift.nn.examples import demo_case
from exactlift.nn.examples import fa_minimum, random_critical_case
from exactlift.nn.case import load_case, save_case


@pytest.fixture
def demo_file(tmp_path):
    path = tmp_path / "demo.json"
    save_case(demo_case(), path)
    return path


def run(argv, capsys):
    status = main([str(a) for a in argv])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_lift_writes_a_wide_case_that_analyze_accepts(tmp_path, capsys):
    case = random_critical_case([1, 2, 1], "z + z**3/3", seed=1, n_samples=5)
    in_file, out_file = tmp_path / "narrow.json", tmp_path / "wide.json"
    save_case(case, in_file)
    status, out, _ = run(["lift", in_file, "--split", "1:0:1/3", "--null", "1", "-o", out_file], capsys)
    assert status == 0 and "1-4-1 net" in out
    status, out, _ = run(["analyze", out_file, "--json"], capsys)
    assert status == 0
    report = json.loads(out)
    # direct computation: the wide net from the definition (split neuron 0 with 1/3, then a null neuron)
    w1, w2 = case.params.W[0][:, 0], case.params.W[1][0]
    b1, b2 = case.params.b
    a = F(1, 3)
    theta = [w1[0], w1[1], w1[0], F(0),                 # W[1]: rows 0, 1, copy of 0, null
             b1[0], b1[1], b1[0], F(0),                 # b[1]
             a * w2[0], w2[1], (1 - a) * w2[0], F(0),   # W[2]
             b2[0]]
    wide = load_case(out_file)
    assert wide.arch.widths == (1, 4, 1) and wide.params.flatten() == theta
    assert wide.X == case.X and wide.Y == case.Y
    R, g, H = naive_derivatives(wide.arch, theta, case.X, case.Y, case.loss)
    assert report["critical"] is True and all(x == 0 for x in g)
    assert sympy.Rational(report["loss"]) == R
    assert tuple(report["inertia"]) == inertia(H)
    assert report["n_params"] == 13


def test_lift_permute_and_composition_order(demo_file, tmp_path, capsys):
    out_file = tmp_path / "wide.json"
    status, _, _ = run(["lift", demo_file, "--null", "1", "--permute", "1:2,0,1", "-o", out_file], capsys)
    assert status == 0
    wide = load_case(out_file)
    W1 = list(wide.params.W[0][:, 0])
    assert W1[0] == 0 and W1[1:] == list(demo_case().params.W[0][:, 0])  # null appended, then moved first


def test_check_embedding_reports_every_property(demo_file, capsys):
    status, out, _ = run(["check-embedding", demo_file, "--split", "1:0:1/3", "--null", "1", "--json"], capsys)
    assert status == 0
    report = json.loads(out)
    assert report["all_hold"] is True and report["n_params_wide"] == 13
    names = {(c["property"], c["strength"]) for c in report["checks"]}
    assert ("gradient transfer", "symbolic") in names and ("gradient transfer", "exact") in names
    assert ("criticality along the split line", "symbolic") in names
    assert ("Hessian relations", "exact") in names and ("inertia never decreases", "exact") in names
    assert ("null-embedding condition", "symbolic") in names


def test_check_embedding_text(demo_file, capsys):
    status, out, _ = run(["check-embedding", demo_file, "--split", "1:1:2"], capsys)
    assert status == 0 and "[symbolic ] holds" in out and "[exact    ] holds" in out and "verdict:" in out


def test_check_embedding_mp(demo_file, capsys):
    status, out, _ = run(["check-embedding", demo_file, "--split", "1:1:2", "--arithmetic", "mp", "--json",
                          "--symbolic", "no"], capsys)
    report = json.loads(out)
    assert status == 0 and {c["strength"] for c in report["checks"]} == {"numerical", "symbolic"}


def test_check_embedding_exit_1_when_a_property_fails(tmp_path, capsys):
    path = tmp_path / "nobias.json"
    save_case(random_critical_case([1, 2, 1], "1/(1 + z**2)", seed=9, bias=[True, False]), path)
    status, out, _ = run(["check-embedding", path, "--null", "1", "--json"], capsys)
    report = json.loads(out)
    assert status == 1 and report["all_hold"] is False
    failed = {c["property"] for c in report["checks"] if c["holds"] is False}
    assert "null-embedding condition" in failed and "criticality preserved" in failed


def test_split_line_and_truly_bad_commands(tmp_path, capsys):
    path = tmp_path / "psd.json"
    save_case(fa_minimum("psd"), path)
    status, out, _ = run(["split-line", path, "--neuron", "0", "--json"], capsys)
    report = json.loads(out)
    assert status == 0 and report["confirmed"] and report["rule"].startswith("alpha < 0 or alpha > 1")
    status, out, _ = run(["split-line", path, "--neuron", "0", "--alpha", "-3", "--alpha", "1/5"], capsys)
    assert status == 0 and "alpha = -3" in out and "confirmed" in out
    status, out, _ = run(["truly-bad", path, "--json"], capsys)
    report = json.loads(out)
    assert status == 0 and report["escape"] == "split(layer=1, neuron=0, alpha=2)"
    wide = load_case(path)
    from exactlift.lifts import SplitNeuron

    wide = SplitNeuron(1, 0, F(2)).apply_case(wide)
    H = naive_derivatives(wide.arch, wide.params.flatten(), wide.X, wide.Y, wide.loss)[2]
    w = sympy.Matrix([sympy.Rational(x) for x in report["witness"]])
    assert (w.T * H * w)[0] < 0


@pytest.mark.parametrize(
    "argv, message",
    [
        (["lift", "{f}", "--split", "3:0:1/3", "-o", "{o}"], "hidden layer 3 does not exist"),
        (["lift", "{f}", "--split", "2:0:1/3", "-o", "{o}"], "output layer"),
        (["lift", "{f}", "--split", "0:0:1/3", "-o", "{o}"], "input layer"),
        (["lift", "{f}", "--split", "1:7:1/3", "-o", "{o}"], "neuron 7 does not exist in hidden layer 1"),
        (["lift", "{f}", "--split", "1:0:abc", "-o", "{o}"], "not an exact rational"),
        (["lift", "{f}", "--split", "1:0", "-o", "{o}"], "LAYER:NEURON:ALPHA"),
        (["lift", "{f}", "--null", "x", "-o", "{o}"], "LAYER must be a non-negative integer"),
        (["lift", "{f}", "--permute", "1:0,0", "-o", "{o}"], "not a permutation"),
        (["lift", "{f}", "--permute", "1:0,1,2", "-o", "{o}"], "has 3 entries but hidden layer 1 has 2 neurons"),
        (["lift", "{f}", "-o", "{o}"], "no lift given"),
        (["check-embedding", "{f}", "--split", "4:0:1"], "hidden layer 4 does not exist"),
        (["check-embedding", "{f}"], "no width lift given"),
        (["check-embedding", "missing.json", "--split", "1:0:1"], "no such file"),
        (["split-line", "{f}", "--neuron", "5"], "neuron 5 does not exist"),
        (["split-line", "{f}", "--neuron", "0", "--layer", "2"], "hidden layer 2 does not exist"),
    ],
)
def test_bad_input_exits_2(argv, message, demo_file, tmp_path, capsys):
    argv = [a.format(f=demo_file, o=tmp_path / "o.json") for a in argv]
    status, out, err = run(argv, capsys)
    assert status == 2
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_odd_split_cli(tmp_path, capsys):
    even = tmp_path / "even.json"
    save_case(random_critical_case([1, 2, 1], "1/(1 + z**2)", seed=1), even)
    status, _, err = run(["check-embedding", even, "--odd-split", "1:0:1/2"], capsys)
    assert status == 2 and "needs an odd activation" in err
    odd = tmp_path / "odd.json"
    save_case(demo_case(), odd)  # z/(1 + z^2) is odd
    status, out, _ = run(["check-embedding", odd, "--odd-split", "1:0:1/2", "--json"], capsys)
    report = json.loads(out)
    assert status == 0 and report["all_hold"] and report["lift"] == "odd-split(layer=1, neuron=0, alpha=1/2)"


def test_relu_kink_in_wide_net_is_refused(tmp_path, capsys):
    """A null neuron with relu sits on the kink for every input: refused by name, exit 2."""
    case = random_critical_case([1, 2, 1], "z + z**2/2", seed=1, n_samples=4)
    d = case.to_dict()
    d["network"]["activation"] = "relu"
    path = tmp_path / "relu.json"
    path.write_text(json.dumps(d))
    status, _, err = run(["check-embedding", path, "--null", "1"], capsys)
    assert status == 2 and "kink" in err
    _ = np  # numpy imported for parity with the other CLI tests


def test_lift_odd_split_option_preserves_the_loss_of_a_tanh_case(tmp_path, capsys):
    """`exactlift lift --odd-split` (shared lift options): same loss and one more neuron, mp arithmetic."""
    from pathlib import Path

    cli_main = main
    doc = json.loads((Path(__file__).resolve().parents[3] / "examples" / "issue-example.json").read_text())
    doc["network"]["activation"] = "tanh"
    narrow = tmp_path / "tanh.json"
    narrow.write_text(json.dumps(doc))
    wide = tmp_path / "wide.json"
    assert cli_main(["lift", str(narrow), "--odd-split", "1:0:1/3", "-o", str(wide)]) == 0
    capsys.readouterr()
    reports = []
    for path in (narrow, wide):
        assert cli_main(["analyze", str(path), "--json", "--arithmetic", "mp", "--digits", "40"]) == 0
        reports.append(json.loads(capsys.readouterr().out))
    assert reports[1]["n_params"] == reports[0]["n_params"] + 3
    assert abs(float(reports[0]["loss"]) - float(reports[1]["loss"])) < 1e-30
