"""``--arithmetic certified`` on the command line: split-line, truly-bad, check-embedding, check-lift.

The verdicts are compared with the exact path where both apply (rational activations) and with
the JSON contract (strength "certified", the radius); a ReLU network is refused by the certified
theorem checks (it has the exact path) but check-embedding's ball path agrees with the exact one.
"""

from __future__ import annotations

import json

import pytest

from exactlift.cli import main
from exactlift.gallery import example_path
from exactlift.lifts.width.check import check_embedding
from exactlift.lifts.width.embeddings import SplitNeuron
from exactlift.nn.case import load_case


def run(argv, capsys):
    status = main([str(a) for a in argv])
    out = capsys.readouterr()
    return status, out.out, out.err


TANH = example_path("tanh-minimum")


def test_split_line_certified_json(capsys):
    status, out, _ = run(["split-line", TANH, "--neuron", "0", "--arithmetic", "certified", "--digits", "40", "--json"], capsys)
    data = json.loads(out)
    assert status == 0 and data["strength"] == "certified" and data["confirmed"] is True
    assert all(s["witness_certified"] and float(s["radius"]) < 1e-30 for s in data["samples"])


def test_split_line_certified_text_and_exact_agree_on_a_rational_net(capsys):
    f = example_path("smooth-saddle")
    status, out, _ = run(["split-line", f, "--neuron", "1", "--arithmetic", "certified", "--digits", "30"], capsys)
    assert status == 0 and "(certified)" in out and "confirmed (certified)" in out
    status_e, out_e, _ = run(["split-line", f, "--neuron", "1", "--json"], capsys)
    _, out_c, _ = run(["split-line", f, "--neuron", "1", "--arithmetic", "certified", "--digits", "30", "--json"], capsys)
    e, c = json.loads(out_e), json.loads(out_c)
    assert (e["rule"], e["inertia_narrow"]) == (c["rule"], c["inertia_narrow"])
    assert [s["direct"] for s in e["samples"]] == [s["direct"] for s in c["samples"]]


def test_truly_bad_and_check_lift_certified(capsys):
    status, out, _ = run(["truly-bad", TANH, "--arithmetic", "certified", "--digits", "40", "--json"], capsys)
    data = json.loads(out)
    assert status == 0 and data["strength"] == "certified" and data["escape"].startswith("split(")
    status, out, _ = run(["check-lift", TANH, "--insert", "1:identity:2", "--arithmetic", "certified", "--digits", "40",
                          "--json"], capsys)
    checks = json.loads(out)["lifts"][0]["checks"]
    assert status == 0 and [(c["theorem"], c["holds"], c["strength"]) for c in checks] == [
        ("T1", True, "certified"), ("T2", True, "certified"), ("T3", True, "certified")]
    assert all(float(c["data"]["radius"]) < 1e-30 for c in checks)


def test_check_embedding_certified_says_certified(capsys):
    status, out, _ = run(["check-embedding", TANH, "--split", "1:0:1/3", "--arithmetic", "certified", "--digits", "40",
                          "--json"], capsys)
    res = {c["property"]: c for c in json.loads(out)["checks"] if c["strength"] == "certified"}
    assert status == 0
    assert res["criticality preserved"]["holds"] is True and res["inertia never decreases"]["holds"] is True


def test_a_non_critical_file_is_undecided_not_certified(tmp_path, capsys):
    data = json.loads(open(TANH).read())
    data["network"]["params"]["b"][0][0] = "1/7"  # far from the critical point
    f = tmp_path / "far.json"
    f.write_text(json.dumps(data))
    status, out, _ = run(["split-line", f, "--neuron", "0", "--arithmetic", "certified", "--digits", "30"], capsys)
    assert status == 0 and "undecided" in out and "confirmed" not in out
    status, out, _ = run(["check-lift", f, "--insert", "1:identity:2", "--arithmetic", "certified", "--digits", "30"], capsys)
    assert "[certified]" in out and "holds" not in out and "undecided" in out


def test_relu_keeps_the_exact_path(capsys):
    f = example_path("relu-minimum")
    status, _, err = run(["split-line", f, "--neuron", "0", "--arithmetic", "certified"], capsys)
    assert status == 2 and "--arithmetic exact" in err
    case = load_case(f)
    exact = {r.name: r.holds for r in check_embedding(case, SplitNeuron(1, 0, "1/3"), "exact", symbolic=False)}
    balls = {r.name: r.holds for r in check_embedding(case, SplitNeuron(1, 0, "1/3"), "certified", 30, symbolic=False)}
    assert all(v is None or v == exact[k] for k, v in balls.items())  # decided by balls: the exact verdict
