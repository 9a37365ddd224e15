"""Case files and ``exactlift analyze``: answers vs naive SymPy, and every bad input's one-line error."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

from exactlift.arith.linalg import inertia
from exactlift.calculus.naive import naive_derivatives
from exactlift.cli import main
from exactlift.nn.case import case_from_dict, load_case, save_case
from exactlift.nn.data import critical_targets, random_inputs, random_params
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture
from exactlift.nn.case import Case

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "issue-example.json"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _naive_report(case: Case):
    return naive_derivatives(case.arch, case.params.flatten(), case.X, case.Y, case.loss)


def _sympy_inertia(H: sympy.Matrix) -> tuple[int, int, int]:
    """Inertia from SymPy's exact eigenvalues (small matrices only)."""
    neg = zero = pos = 0
    for ev, mult in H.eigenvals().items():
        s = sympy.sign(sympy.N(ev, 50)) if not ev.is_zero else 0
        if ev.is_zero:
            zero += mult
        elif s > 0:
            pos += mult
        else:
            neg += mult
    return neg, zero, pos


def test_issue_example_analyze_json_agrees_with_naive(capsys):
    status, out, err = _run(capsys, "analyze", str(EXAMPLE), "--json")
    assert status == 0, err
    report = json.loads(out)
    case = load_case(EXAMPLE)
    value, grad, H = _naive_report(case)
    assert sympy.Rational(report["loss"]) == value
    assert report["critical"] == all(g == 0 for g in grad)
    assert tuple(report["inertia"]) == _sympy_inertia(H)
    assert report["n_params"] == 7 and report["arithmetic"] == "exact" and report["strength"] == "exact"


CASES = [  # (widths, activation, biases, seed of parameters with no pre-activation on a kink)
    ([1, 3, 1], "z + z**5", True, 3),
    pytest.param([2, 2, 2], "z/(1 + z**2)", True, 3, marks=pytest.mark.slow),
    pytest.param([1, 2, 2, 1], "leaky_relu(1/10)", [True, False, True], 5, marks=pytest.mark.slow),
]


@pytest.mark.parametrize("widths,act,bias,seed", CASES)
def test_exact_critical_points_from_files(tmp_path, capsys, widths, act, bias, seed):
    """critical_targets makes θ critical with loss > 0; analyze confirms, naive SymPy agrees."""
    arch = Architecture.build(widths, act, bias)
    params = random_params(arch, seed=seed)
    X = random_inputs(arch.n_params + 2, widths[0], seed=4)
    Y = critical_targets(arch, params, X, seed=5)
    case = Case(arch, params, X, Y, parse_loss("mse", widths[-1]), name="t")
    path = tmp_path / "case.json"
    save_case(case, path)
    status, out, err = _run(capsys, "analyze", str(path), "--json")
    assert status == 0, err
    report = json.loads(out)
    value, grad, H = _naive_report(load_case(path))
    assert all(g == 0 for g in grad)  # independently: SymPy's gradient vanishes
    assert report["critical"] is True and sympy.Rational(report["loss"]) == value and value > 0
    assert tuple(report["inertia"]) == inertia(H, method="ldl")


def test_mp_arithmetic_reports_numerical_strength(capsys):
    status, out, _ = _run(capsys, "analyze", str(EXAMPLE), "--json", "--arithmetic", "mp", "--digits", "30")
    report = json.loads(out)
    assert status == 0 and report["strength"] == "numerical" and report["arithmetic"] == "mp"
    exact = json.loads(_run(capsys, "analyze", str(EXAMPLE), "--json")[1])
    assert report["inertia"] == exact["inertia"]
    assert abs(float(report["loss"]) - float(Fraction(exact["loss"]))) < 1e-25


def test_round_trip_preserves_case(tmp_path):
    case = load_case(EXAMPLE)
    path = tmp_path / "again.json"
    save_case(case, path)
    again = load_case(path)
    assert again.params.flatten() == case.params.flatten() and again.X == case.X and again.Y == case.Y
    assert again.arch == case.arch


def _doc() -> dict:
    return json.loads(EXAMPLE.read_text())


def _mutate(path_parts, value):
    doc = _doc()
    node = doc
    for key in path_parts[:-1]:
        node = node[key]
    node[path_parts[-1]] = value
    return doc


BAD = [
    ("not json", "{not json", "not valid JSON"),
    ("no network", json.dumps({"params": {}}), "needs a \"network\" object"),
    ("widths", json.dumps(_mutate(["network", "widths"], [1, "two", 1])), "network.widths"),
    ("unknown activation", json.dumps(_mutate(["network", "activation"], "swish")), "unknown name 'swish'"),
    ("activation eval attempt", json.dumps(_mutate(["network", "activation"], "__import__('os').system('true')")), "not allowed"),
    ("float", json.dumps(_mutate(["network", "params", "b"], [[0.5, "1/3"], ["1/4"]])), "float 0.5"),
    ("W shape", json.dumps(_mutate(["network", "params", "W"], [[["1"], ["-1"], ["3"]], [["2", "-1"]]])), "params.W[1] must have 2 row(s)"),
    ("b shape", json.dumps(_mutate(["network", "params", "b"], [["1/2"], ["1/4"]])), "params.b[1]"),
    ("x shape", json.dumps(_mutate(["network", "data", "x"], [["1", "2"], ["1/5", "0"]])), "data.x rows must have 1"),
    ("y rows", json.dumps(_mutate(["network", "data", "y"], [["1"]])), "data.y has 1 rows"),
    ("bad number", json.dumps(_mutate(["network", "data", "y"], [["1"], ["two"]])), "'two' is not an exact rational"),
    ("zero denominator", json.dumps(_mutate(["network", "data", "y"], [["1"], ["1/0"]])), "division by zero"),
    ("activation list", json.dumps(_mutate(["network", "activation"], ["relu", "relu"])), "2 entries but the network has 1"),
    ("kink", json.dumps(_mutate(["network", "data", "x"], [["-3"], ["-1/2"]])), "on a kink of relu"),
    ("unknown field", json.dumps(_mutate(["network", "widht"], [1])), "unknown field(s) widht"),
    ("unknown loss", json.dumps(_mutate(["network", "loss"], "hinge")), "unknown name 'hinge'"),
]


@pytest.mark.parametrize("label,text,message", BAD, ids=[b[0] for b in BAD])
def test_bad_input_one_line_exit_2(tmp_path, capsys, label, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    status, out, err = _run(capsys, "analyze", str(path))
    assert status == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert message in lines[0], lines[0]


def test_tanh_exact_refused_and_auto_certified(tmp_path, capsys):
    """--arithmetic exact on tanh: one line naming the alternative; the default (auto) runs certified."""
    path = tmp_path / "tanh.json"
    path.write_text(json.dumps(_mutate(["network", "activation"], "tanh")))
    status, out, err = _run(capsys, "analyze", str(path), "--arithmetic", "exact")
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "no exact values" in err and "--arithmetic certified" in err
    status, out, err = _run(capsys, "analyze", str(path), "--json")
    assert status == 0 and json.loads(out)["strength"] == "certified"


def test_missing_file_and_bad_options(tmp_path, capsys):
    status, _, err = _run(capsys, "analyze", str(tmp_path / "nope.json"))
    assert status == 2 and "no such file" in err
    with pytest.raises(SystemExit) as exc:
        main(["analyze", str(EXAMPLE), "--arithmetic", "float"])
    assert exc.value.code == 2
    assert capsys.readouterr().err.startswith("error: ")
    status, _, err = _run(capsys, "analyze", str(EXAMPLE), "--arithmetic", "mp", "--digits", "2")
    assert status == 2 and "--digits" in err


def test_floats_converted_only_when_asked(tmp_path, capsys):
    doc = _mutate(["network", "params", "b"], [[0.5, "1/3"], ["1/4"]])
    path = tmp_path / "floats.json"
    path.write_text(json.dumps(doc))
    status, out, _ = _run(capsys, "analyze", str(path), "--json", "--floats", "decimal")
    reference = json.loads(_run(capsys, "analyze", str(EXAMPLE), "--json")[1])
    assert status == 0 and json.loads(out)["loss"] == reference["loss"]


def test_case_from_dict_defaults():
    case = case_from_dict({"network": {"widths": [2, 1], "bias": False, "params": {"W": [[["1", "2"]]]},
                                       "data": {"x": [["1", "1"]], "y": [["3"]]}}})
    assert case.arch.n_params == 2 and case.loss.spec == "mse"


def test_unwritable_output_is_one_line_exit_2(tmp_path, capsys):
    target = tmp_path / "missing-folder" / "wide.json"
    status, out, err = _run(capsys, "lift", str(EXAMPLE), "--split", "1:0:1/2", "-o", str(target))
    assert status == 2 and out == ""
    assert err.strip().splitlines() == [f"error: {target}: No such file or directory"]
