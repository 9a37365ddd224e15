"""Messages quote a short excerpt of the input, name the file, and never lose the user's files (issue 11, item 6)."""

from __future__ import annotations

import json

from exactlift.cli import main
from exactlift.errors import excerpt
import shutil

from exactlift.gallery import example_path


def run(capsys, *argv):
    status = main(list(argv))
    err = capsys.readouterr().err
    return status, err


def test_excerpt_keeps_short_inputs_and_shortens_long_ones():
    assert excerpt("tanh") == repr("tanh")
    long = excerpt("z" * 3000)
    assert len(long) < 80 and "3000 characters" in long


def test_a_huge_activation_gives_a_short_line_naming_the_file(tmp_path, capsys):
    shutil.copy(example_path("relu-minimum"), tmp_path / "c.json")
    doc = json.loads((tmp_path / "c.json").read_text())
    doc["network"]["activation"] = "z" * 100_000
    (tmp_path / "big.json").write_text(json.dumps(doc))
    status, err = run(capsys, "analyze", str(tmp_path / "big.json"))
    assert status == 2 and err.count("\n") == 1 and len(err) < 700
    assert str(tmp_path / "big.json") in err and "100000 characters" in err


def test_a_poly_over_the_term_limit_is_refused_before_work(tmp_path, capsys):
    shutil.copy(example_path("relu-minimum"), tmp_path / "c.json")
    doc = json.loads((tmp_path / "c.json").read_text())
    doc["network"]["activation"] = "poly(" + ",".join(["1"] * 201) + ")"
    (tmp_path / "p.json").write_text(json.dumps(doc))
    status, err = run(capsys, "analyze", str(tmp_path / "p.json"))
    assert status == 2 and "max_poly_terms" in err and "201 coefficients" in err


def test_lift_never_overwrites_its_input(tmp_path, capsys):
    shutil.copy(example_path("relu-minimum"), tmp_path / "c.json")
    before = (tmp_path / "c.json").read_bytes()
    status, err = run(capsys, "lift", str(tmp_path / "c.json"), "--split", "1:0:1/3", "-o",
                      str(tmp_path / "." / "c.json"))
    assert status == 2 and "is the input file" in err
    assert (tmp_path / "c.json").read_bytes() == before


def test_errors_found_after_reading_name_the_file(tmp_path, capsys):
    """A kink (found by the forward pass) and an exact-mode refusal (found by the context) name the file."""
    shutil.copy(example_path("relu-minimum"), tmp_path / "c.json")
    doc = json.loads((tmp_path / "c.json").read_text())
    (w1, _), (b1, _) = doc["network"]["params"]["W"][0], doc["network"]["params"]["b"][0]
    # put training input 0 on neuron 0's kink: w x + b = 0  =>  x = -b / w (exact rationals)
    from fractions import Fraction
    doc["network"]["data"]["x"][0] = [str(-Fraction(b1) / Fraction(w1[0]))]
    (tmp_path / "kink.json").write_text(json.dumps(doc))
    status, err = run(capsys, "analyze", str(tmp_path / "kink.json"))
    assert status == 2 and err.startswith(f"error: {tmp_path / 'kink.json'}: ") and "kink" in err
    doc = json.loads((tmp_path / "c.json").read_text())
    doc["network"]["activation"] = "tanh"
    (tmp_path / "tanh.json").write_text(json.dumps(doc))
    status, err = run(capsys, "analyze", str(tmp_path / "tanh.json"), "--arithmetic", "exact")
    assert status == 2 and err.startswith(f"error: {tmp_path / 'tanh.json'}: ") and "--arithmetic certified" in err
    assert run(capsys, "analyze", str(tmp_path / "tanh.json"))[0] == 0  # auto: certified


def test_certified_arithmetic_refuses_values_outside_the_real_domain(tmp_path, capsys):
    """sqrt of a negative pre-activation is refused in balls as in mp (it was a ValueError deep in the LDLᵀ)."""
    shutil.copy(example_path("relu-minimum"), tmp_path / "c.json")
    doc = json.loads((tmp_path / "c.json").read_text())
    doc["network"]["activation"] = "sqrt(z)"
    (tmp_path / "s.json").write_text(json.dumps(doc))
    for arithmetic in (["--arithmetic", "certified"], ["--arithmetic", "mp", "--digits", "20"]):
        status, err = run(capsys, "analyze", str(tmp_path / "s.json"), *arithmetic)
        assert status == 2 and err.count("\n") == 1, err


def test_certified_division_by_a_ball_containing_zero_is_named(tmp_path):
    """1/z at z = (1/3)·3 − 1: exactly 0, a ball around 0 in certified arithmetic; never 'loss nan'."""
    import json

    from exactlift.cli import main

    doc = {"network": {"widths": [1, 1, 1], "activation": "1/z", "bias": True, "loss": "mse",
                       "params": {"W": [[["1/3"]], [["1"]]], "b": [["-1"], ["0"]]},
                       "data": {"x": [["3"], ["1/5"]], "y": [["1"], ["2"]]}}}
    path = tmp_path / "pole.json"
    path.write_text(json.dumps(doc))
    import contextlib
    import io
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        status = main(["analyze", str(path), "--arithmetic", "certified"])
    assert status == 2 and "nan" not in out.getvalue() + err.getvalue()
    assert "not finite" in err.getvalue() and "division" in err.getvalue()


def test_undecided_reasons_are_the_arithmetics_own(capsys):
    """An undecided claim says why in the words of its arithmetic: mp has no balls, balls have no mp band
    (the mp check-embedding once said "balls contain 0")."""
    path = str(example_path("tanh-minimum"))
    status = main(["check-embedding", path, "--split", "1:0:1/3", "--arithmetic", "mp"])  # 50 digits
    out = capsys.readouterr().out
    mp_lines = [l for l in out.splitlines() if l.startswith("[numerical]") and "undecided" in l]
    assert status == 0 and mp_lines  # |grad| ~ 7.5e-40 at 50 digits: in the band (1e-40, 1e-25]
    assert all("ball" not in l and "enclosure" not in l and "mp zero rule" in l for l in mp_lines)
    main(["check-embedding", path, "--split", "1:0:1/3", "--arithmetic", "certified"])
    out = capsys.readouterr().out
    ball_lines = [l for l in out.splitlines() if l.startswith("[certified]") and "undecided" in l]
    assert ball_lines and all("enclosure contains 0" in l and "mp zero rule" not in l for l in ball_lines)
