"""The depth commands: lift --insert/--insert-json, check-lift, prune; outputs re-analyzed, every bad input exits 2."""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest

from exactlift.analysis import analyze
from exactlift.calculus.naive import naive_derivatives
from exactlift.arith.linalg import inertia
from exactlift.cli import main
from exactlift.nn.case import Case, load_case, save_case
from exactlift.nn.data import critical_targets
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture, Params

SOURCE = "exactlift formalization of arXiv 2205.13283"

T4_CASE = {"name": "T4 worked example", "network": {"widths": [1, 1], "params": {"W": [[["1/2"]]], "b": [["1/3"]]},
        "data": {"x": [["-2"], ["-1"], ["0"], ["1"], ["2"], ["3"]],
                 "y": [["13/3"], ["-55/6"], ["7/3"], ["17/6"], ["7/3"], ["5/6"]]}}}


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def spec_file(tmp_path):
    p = tmp_path / "spec.json"
    p.write_text(json.dumps(T4_CASE))
    return p


@pytest.fixture
def relu_file(tmp_path):
    arch = Architecture.build([1, 2, 1], "relu")
    th = Params.from_flat(arch, [F(1), F(-1, 2), F(1, 3), F(1, 4), F(2), F(-3, 2), F(1, 5)])
    X = [[F(v)] for v in (-2, -1, F(-1, 5), F(1, 7), F(3, 5), 1, 2, 3)]
    p = tmp_path / "relu.json"
    save_case(Case(arch, th, X, critical_targets(arch, th, X, seed=1), parse_loss("mse", 1), name="relu"), p)
    return p


def lift_insert_then_analyze(capsys, tmp_path, relu_file):
    out = tmp_path / "deep.json"
    status, text, _ = run(capsys, "lift", relu_file, "--insert", "1", "-o", out)
    assert status == 0 and "1-2-2-1" in text
    status, text, _ = run(capsys, "analyze", out, "--json")
    assert status == 0
    rep = json.loads(text)
    deep = load_case(out)
    assert rep["critical"] is True
    assert rep["n_params"] == 13 and deep.extra["depth_lifts"][0]["source"] == SOURCE
    return rep, deep


def test_lift_insert_then_analyze(capsys, tmp_path, relu_file):
    lift_insert_then_analyze(capsys, tmp_path, relu_file)


@pytest.mark.slow
def test_lift_insert_then_analyze_agrees_with_naive(capsys, tmp_path, relu_file):
    rep, deep = lift_insert_then_analyze(capsys, tmp_path, relu_file)
    _, g, H = naive_derivatives(deep.arch, deep.params.flatten(), deep.X, deep.Y, deep.loss)
    assert rep["critical"] is True and all(v == 0 for v in g)
    assert tuple(rep["inertia"]) == inertia(H, method="ldl")


def test_lift_insert_json_spec_example(capsys, tmp_path, spec_file):
    spec = tmp_path / "ins.json"
    spec.write_text(json.dumps({"after_layer": 0, "A": [["1"], ["1"]], "c": ["5", "-1/2"], "null_neurons": [1]}))
    out = tmp_path / "deep.json"
    assert run(capsys, "lift", spec_file, "--insert-json", spec, "-o", out)[0] == 0
    status, text, _ = run(capsys, "analyze", out, "--json")
    rep = json.loads(text)
    assert rep["inertia"] == [1, 3, 3] and rep["critical"] and rep["loss"] == "58/3"
    a = analyze(load_case(out))
    assert a.inertia == (1, 3, 3)


def test_check_lift_json(capsys, relu_file):
    status, text, _ = run(capsys, "check-lift", relu_file, "--insert", "1:identity:2", "--json")
    assert status == 0
    rep = json.loads(text)
    assert rep["source"] == SOURCE and rep["all_hold"] is True
    checks = rep["lifts"][0]["checks"]
    assert {c["theorem"] for c in checks} == {"T1", "T2", "T3", "T4", "T7"}
    assert all(c["strength"] in ("symbolic", "exact", "numerical") and c["source"] == SOURCE for c in checks)
    t4 = next(c for c in checks if c["theorem"] == "T4")
    assert t4["holds"] is True and t4["data"]["vHv"].startswith("-")


def test_check_lift_text_and_two_lifts(capsys, spec_file):
    status, text, _ = run(capsys, "check-lift", spec_file, "--insert", "0", "--insert", "1", "--no-saddle")
    assert status == 0 and text.count("T2 gradient transfer: holds [exact]") == 2 and "all checks hold" in text


def test_prune_cli(capsys, tmp_path, relu_file):
    deep = tmp_path / "deep.json"
    back = tmp_path / "back.json"
    assert run(capsys, "lift", relu_file, "--insert", "1", "-o", deep)[0] == 0
    status, text, _ = run(capsys, "prune", deep, "-o", back, "--json")
    assert status == 0
    rep = json.loads(text)
    assert rep["pruned_layers"] == [2] and rep["outputs_equal"] and rep["critical"] == {"before": True, "after": True}
    assert load_case(back).params.flatten() == load_case(relu_file).params.flatten()
    status, text, _ = run(capsys, "analyze", back, "--json")
    assert json.loads(text)["critical"] is True


BAD = [
    (["lift", "{spec}", "--insert", "1", "-o", "{out}"], "AFTER_LAYER must be 0"),
    (["lift", "{spec}", "--insert", "0:relu", "-o", "{out}"], "--insert expects AFTER_LAYER"),
    (["lift", "{spec}", "--insert", "0:identity:-3", "-o", "{out}"], "kink"),
    (["lift", "{spec}", "--insert", "0:identity:1/2", "-o", "{out}"], "(L1) fails"),
    (["lift", "{spec}", "--insert", "0:identity:x", "-o", "{out}"], "not an exact rational"),
    (["lift", "{spec}", "--insert-json", "{missing}", "-o", "{out}"], "no such file"),
    (["lift", "{spec}", "--insert-json", "{tanh}", "-o", "{out}"], "no linear piece"),
    (["check-lift", "{spec}"], "no lift given"),
    (["check-lift", "{spec}", "--insert", "5"], "AFTER_LAYER"),
    (["check-lift", "{missing}", "--insert", "0"], "no such file"),
    (["check-lift", "{spec}", "--insert", "0", "--digits", "3"], "--digits"),
    (["prune", "{spec}", "-o", "{out}"], "nothing to prune"),
    (["prune", "{relu}", "-o", "{out}", "--layer", "4"], "hidden layer 4 does not exist"),
    (["prune", "{relu}", "-o", "{out}", "--layer", "1"], "not in one linear piece"),
    (["check-lift", "{spec}", "--insert", "0", "--arithmetic", "fast"], "invalid choice"),
]


@pytest.mark.parametrize("argv,message", BAD, ids=[f"{i}" for i in range(len(BAD))])
def test_bad_inputs_exit_2_with_one_line(capsys, tmp_path, spec_file, relu_file, argv, message):
    tanh = tmp_path / "tanh.json"
    tanh.write_text(json.dumps({"after_layer": 0, "A": [[1]], "c": [5], "activation": "tanh"}))
    subst = {"spec": spec_file, "relu": relu_file, "out": tmp_path / "o.json", "missing": tmp_path / "nope.json",
             "tanh": tanh}
    args = [a.format(**{k: str(v) for k, v in subst.items()}) for a in argv]
    try:
        status = main(args)
    except SystemExit as exc:  # argparse errors
        status = exc.code
    out, err = capsys.readouterr()
    assert status == 2
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
