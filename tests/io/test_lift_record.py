"""The lift record `exactlift lift` writes: valid against the shipped schema (checked with jsonschema
directly), parameters as written, appended on a second lift, and replayed exactly for every kind."""

import json
from fractions import Fraction

import jsonschema
import pytest

from exactlift.cli import main
from exactlift.errors import InputError
from exactlift.gallery import example_path
from exactlift.lifts.record import replay
from exactlift.nn.case import load_case
from exactlift.schemas import case_schema


def lift(tmp_path, src, *opts, name="out.json"):
    out = tmp_path / name
    assert main(["lift", str(src), *opts, "-o", str(out)]) == 0
    return out, json.loads(out.read_text())


@pytest.mark.parametrize("opts,kinds", [
    (("--split", "1:0:1/3"), ["split"]),
    (("--odd-split", "1:0:2"), ["odd-split"]),
    (("--null", "1"), ["null"]),
    (("--split", "1:0:-1", "--permute", "1:1,0"), ["split", "permute"]),
    (("--insert", "1:identity:5/2"), ["depth-insert"]),
], ids=["split", "odd-split", "null", "split+permute", "insert"])
def test_record_is_valid_and_replays(tmp_path, capsys, opts, kinds):
    out, doc = lift(tmp_path, example_path("tanh-minimum"), *opts)
    jsonschema.validate(doc, case_schema())
    rec = doc["lifts"]
    assert [s["kind"] for s in rec["steps"]] == kinds
    narrow_doc = json.loads(open(example_path("tanh-minimum")).read())
    assert rec["narrow"]["widths"] == narrow_doc["network"]["widths"] == rec["steps"][0]["widths"]
    want = narrow_doc["network"]["params"]["W"][0][0][0]
    assert Fraction(rec["narrow"]["params"]["W"][0][0][0]) == Fraction(want)
    narrow, steps = replay(load_case(out))
    assert len(steps) == len(kinds) and list(narrow.arch.widths) == narrow_doc["network"]["widths"]


def test_parameters_are_recorded_as_given(tmp_path, capsys):
    _, doc = lift(tmp_path, example_path("tanh-minimum"), "--split", "1:0:-3/7", "--insert", "0:identity:4")
    split, insert = doc["lifts"]["steps"]
    assert (split["layer"], split["neuron"], Fraction(split["alpha"])) == (1, 0, Fraction(-3, 7))
    assert insert["after_layer"] == 0 and insert["identity"] is True and Fraction(insert["shift"]) == 4
    assert insert["A"] == [["1"]] and [Fraction(c) for c in insert["c"]] == [4]
    assert split["widths"] == [1, 1, 1] and insert["widths"] == [1, 2, 1]


def test_second_lift_appends_to_the_record(tmp_path, capsys):
    first, _ = lift(tmp_path, example_path("tanh-minimum"), "--split", "1:0:1/3", name="a.json")
    _, doc = lift(tmp_path, first, "--null", "1", name="b.json")
    assert [s["kind"] for s in doc["lifts"]["steps"]] == ["split", "null"]
    assert doc["lifts"]["narrow"]["widths"] == [1, 1, 1] and doc["lifts"]["steps"][1]["widths"] == [1, 2, 1]


def test_second_lift_of_a_tampered_file_is_refused(tmp_path, capsys):
    first, doc = lift(tmp_path, example_path("tanh-minimum"), "--split", "1:0:1/3", name="a.json")
    doc["network"]["params"]["b"][0][1] = "1/9"
    first.write_text(json.dumps(doc))
    assert main(["lift", str(first), "--null", "1", "-o", str(tmp_path / "b.json")]) == 2
    assert "network.params.b[0][1]" in capsys.readouterr().err


def test_replay_without_record_is_refused():
    with pytest.raises(InputError, match="no lift record"):
        replay(load_case(example_path("tanh-minimum")))
