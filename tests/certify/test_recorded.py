"""Round trip: certify a narrow tanh point, `exactlift lift` it (the file records the lifts), `exactlift
certify` the written file, and compare with the wide Hessian's eigenvalues at the exactly embedded
100-digit critical point (tests/certify/mpref.py: independent back-propagation, Newton to |grad| < 1e-90,
mpmath.eigsy).  n0 must be the forced kernel and (n-, n+) the signs of the mp eigenvalues."""

import json
import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from mpref import _unflatten, hessian_eigenvalues, reference  # noqa: E402
from test_embedded import counts  # noqa: E402
from trainer import make_candidate  # noqa: E402

from exactlift.cli import main  # noqa: E402
from exactlift.nn.case import case_from_dict  # noqa: E402


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def narrow_file(tmp_path_factory):
    """A certified narrow 2-2-1 tanh point (the refined centre `certify -o` writes) and its 100-digit reference."""
    d = tmp_path_factory.mktemp("rec")
    cand = d / "cand.json"
    cand.write_text(json.dumps(make_candidate([2, 2, 1], "tanh", 40, noise=0.05, scale=1.0, seed=0)))
    assert main(["certify", str(cand), "--digits", "40", "-o", str(d / "narrow.json")]) == 0
    case = case_from_dict(json.loads((d / "narrow.json").read_text()))
    x, _, ev = reference(case)
    assert counts(ev) == (0, 0, 9)  # an isolated minimum, from the 100-digit eigenvalues
    return d / "narrow.json", case, x


def width_reference(case, x, wide_widths, embed):
    """Eigenvalue counts of the wide Hessian at embed(narrow W, b lists) of the 100-digit point."""
    with mpmath.workdps(110):
        Ws, bs = _unflatten(list(case.arch.widths), x)
        Ws, bs = embed(Ws, bs)
        xw = [v for W, b in zip(Ws, bs) for v in [w for row in W for w in row] + list(b)]
        return counts(hessian_eigenvalues(wide_widths, "tanh", case, xw))


def split(alpha):
    """Neuron 0 of hidden layer 1 split with ratio alpha (written out by hand: the reference's own embedding)."""
    def embed(Ws, bs):
        a = mpmath.mpf(alpha.numerator) / alpha.denominator
        W1 = Ws[0] + [list(Ws[0][0])]
        b1 = bs[0] + [bs[0][0]]
        W2 = [[a * row[0]] + row[1:] + [(1 - a) * row[0]] for row in Ws[1]]
        return [W1, W2], [b1, bs[1]]
    return embed


def null(Ws, bs):
    W1 = Ws[0] + [[mpmath.mpf(0)] * len(Ws[0][0])]
    b1 = bs[0] + [mpmath.mpf(0)]
    W2 = [row + [mpmath.mpf(0)] for row in Ws[1]]
    return [W1, W2], [b1, bs[1]]


@pytest.mark.parametrize("flag,value,wide,embed", [
    ("--split", "1:0:1/3", [2, 3, 1], split(Fraction(1, 3))),
    ("--split", "1:0:2", [2, 3, 1], split(Fraction(2))),
    ("--null", "1", [2, 3, 1], null),
], ids=["split 1/3", "split 2", "null"])
def test_width_round_trip(narrow_file, tmp_path, capsys, flag, value, wide, embed):
    path, case, x = narrow_file
    out = tmp_path / "wide.json"
    assert run(capsys, "lift", str(path), flag, value, "-o", str(out))[0] == 0
    rec = json.loads(out.read_text())["lifts"]
    assert rec["narrow"]["widths"] == [2, 2, 1] and rec["steps"][0]["widths"] == [2, 2, 1]
    code, text, _ = run(capsys, "certify", str(out), "--json")
    j = json.loads(text)
    assert code == 0 and j["critical"] is True and j["from_record"] is True and j["strength"] == "certified"
    expected = width_reference(case, x, wide, embed)
    assert j["inertia"][1] == j["forced_kernel"] == expected[1]
    assert j["inertia"] == list(expected)


def test_identity_depth_round_trip(narrow_file, tmp_path, capsys):
    path, case, x = narrow_file
    out = tmp_path / "deep.json"
    assert run(capsys, "lift", str(path), "--insert", "0:identity", "-o", str(out))[0] == 0
    step = json.loads(out.read_text())["lifts"]["steps"][0]
    assert step["kind"] == "depth-insert" and step["identity"] is True and step["after_layer"] == 0
    j = json.loads(run(capsys, "certify", str(out), "--json")[1])
    beta = Fraction(step["shift"])
    with mpmath.workdps(110):  # A = I, c = beta 1, B = W^[1], e = b^[1] - W^[1] c, by hand
        Ws, bs = _unflatten([2, 2, 1], x)
        c = [mpmath.mpf(beta.numerator) / beta.denominator] * 2
        A = [[mpmath.mpf(int(i == k)) for k in range(2)] for i in range(2)]
        e = [bs[0][i] - mpmath.fsum(Ws[0][i][k] * c[k] for k in range(2)) for i in range(2)]
        layers = [(A, c), (Ws[0], e), (Ws[1], bs[1])]
        xd = [v for W, b in layers for v in [w for row in W for w in row] + list(b)]
        expected = counts(hessian_eigenvalues([2, 2, 2, 1], ["relu", "tanh"], case, xd))
    assert j["critical"] is True and j["inertia"][1] == j["forced_kernel"] == expected[1] == 6
    assert j["inertia"] == list(expected)


def test_refined_output_keeps_a_consistent_record(narrow_file, tmp_path, capsys):
    """certify -o on a recorded file writes the embedded certified centre with the certified narrow centre as its record."""
    path, _, _ = narrow_file
    wide, again = tmp_path / "w.json", tmp_path / "again.json"
    run(capsys, "lift", str(path), "--split", "1:1:2", "--permute", "1:2,0,1", "-o", str(wide))
    j = json.loads(run(capsys, "certify", str(wide), "--json", "-o", str(again))[1])
    assert [s["kind"] for s in json.loads(wide.read_text())["lifts"]["steps"]] == ["split", "permute"]
    j2 = json.loads(run(capsys, "certify", str(again), "--json")[1])
    assert j["inertia"] == j2["inertia"] and j2["critical"] is True


def without_record(src, dst, perturb=None):
    """Copy a lifted file without its record (and, with ``perturb``, W^[1][0][0] moved by that much)."""
    doc = json.loads(src.read_text())
    del doc["lifts"]
    if perturb:
        doc["network"]["params"]["W"][0][0][0] = str(Fraction(doc["network"]["params"]["W"][0][0][0]) + perturb)
    dst.write_text(json.dumps(doc))


def test_file_without_record_is_detected_exactly(narrow_file, tmp_path, capsys):
    """A lifted file with its record removed: the split is detected exactly (condense at tolerance 0) and
    certified the same way, against the 100-digit wide Hessian."""
    path, case, x = narrow_file
    out = tmp_path / "w.json"
    run(capsys, "lift", str(path), "--split", "1:0:2", "-o", str(out))
    without_record(out, out)
    code, text, _ = run(capsys, "certify", str(out), "--json")
    j = json.loads(text)
    assert code == 0 and j["lifts_from"] == "detected" and j["from_record"] is False and j["critical"] is True
    assert j["inertia"] == list(width_reference(case, x, [2, 3, 1], split(Fraction(2))))


def test_inexact_copy_without_record_takes_the_plain_path(narrow_file, tmp_path, capsys):
    """One incoming weight of a copy moved by 1e-30: no exact copy is detected, and the plain path never
    claims a critical point at the (numerically singular) wide point."""
    path, _, _ = narrow_file
    out = tmp_path / "w.json"
    run(capsys, "lift", str(path), "--split", "1:0:2", "-o", str(out))
    without_record(out, out, Fraction(1, 10**30))
    code, text, _ = run(capsys, "certify", str(out), "--json")
    j = json.loads(text)
    assert code == 0 and "lifts_from" not in j and j["critical"] is not True, j


@pytest.mark.parametrize("field,value,message", [
    (("steps", 0, "alpha"), "3", "network.params.W[1][0][0]"),
    (("narrow", "params", "b", 0, 1), "1/7", "network.params.b[0][1]"),
    (("steps", 0, "widths"), [2, 3, 1], "lifts.steps[0].widths"),
    (("steps", 0, "kind"), "merge", "lifts.steps[0]"),
    (("steps", 0, "layer"), "1", "lifts.steps[0]"),
], ids=["alpha", "narrow bias", "widths", "kind", "layer type"])
def test_tampered_record_is_refused(narrow_file, tmp_path, capsys, field, value, message):
    path, _, _ = narrow_file
    out = tmp_path / "w.json"
    run(capsys, "lift", str(path), "--split", "1:0:1/3", "-o", str(out))
    doc = json.loads(out.read_text())
    node = doc["lifts"]
    for key in field[:-1]:
        node = node[key]
    node[field[-1]] = value
    out.write_text(json.dumps(doc))
    code, text, err = run(capsys, "certify", str(out), "--json")
    assert code == 2 and text == "" and len(err.strip().splitlines()) == 1 and message in err
