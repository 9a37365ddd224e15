"""Fuzz the command line with hostile input (issue 11): exit 0/1/2 only, never a traceback.

Hypothesis drives :func:`exactlift.cli.main` with generated case files (random JSON, wrong types,
huge numbers, unicode, invalid encodings, deep nesting), expressions and arguments (huge
integers, exponents, missing files, directories, ``/dev/zero``).  The invariant: the status is
0, 1 or 2; no exception escapes; on status 2 stderr is exactly one line ``error: …``.

The default run uses a small example budget; ``pytest -m slow`` runs a larger one.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz_budget import budget

from exactlift.cli import main

BASE = {
    "network": {
        "widths": [1, 2, 1],
        "activation": "relu",
        "bias": True,
        "loss": "mse",
        "params": {"W": [[["1"], ["-1"]], [["2", "-1"]]], "b": [["1/2", "1/3"], ["1/4"]]},
        "data": {"x": [["-3"], ["1/5"]], "y": [["1"], ["2"]]},
    }
}

FAST = budget(15)  # derandomized: the same 15 examples a test on every run; -m slow runs 400 random ones
SLOW = budget(400, slow=True)

HOSTILE_NUMBERS = st.sampled_from([
    "1e999999999", "-1e-999999999", "1" * 5000, "1/" + "7" * 5000, "0.5e+99999", "1/0", "NaN", "inf",
    "٣", "½", "1_000", " 1 / 2 ", "0x10", "1e", "--1", "", "1/3", "-7", "0.25",
])
JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**40, max_value=10**60),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20), HOSTILE_NUMBERS,
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
EXPRESSIONS = st.one_of(
    st.sampled_from([
        "z**9**9**9", "(z+1)**100000", "z*2**100000000", "z**(10**100)", "sqrt(z)", "log(z)", "z**(1/3)",
        "1/z", "z/0", "exp(exp(exp(z)))", "z" + "+z" * 3000, "(" * 150 + "z" + ")" * 150, "-" * 3000 + "z",
        "z + 1e999999999", "__import__('os')", "z.real", "lambda: 1", "z if z else 1", "tanh", "leaky_relu(1)",
        "leaky_relu(1e99999)", "poly(1, 2)", "poly()", "log(f) + y", "(f - y)**4", "f**(1/2)", "sigma",
    ]),
    st.lists(st.sampled_from(["z", "f", "y", "1", "2", "0.5", "+", "-", "*", "/", "**", "(", ")", "tanh(",
                              "log(", "sqrt(", "9", "e9"]), max_size=12).map("".join),
)

#: Paths into the document where a hostile value replaces the legal one.
FIELDS = [
    ("network", "widths"), ("network", "activation"), ("network", "bias"), ("network", "loss"),
    ("network", "params"), ("network", "params", "W"), ("network", "params", "b"), ("network", "data"),
    ("network", "data", "x"), ("network", "data", "y"), ("network",), ("name",), ("network", "extra"),
]


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse
            status = exc.code if isinstance(exc.code, int) else 2
    return status, out.getvalue(), err.getvalue()


#: Seconds one generated command may take ("never more than a few seconds" with room for a loaded
#: machine); a command still running after HANG_SECONDS dumps every thread's stack and ends the
#: process, so a hang shows where it is instead of stalling the run.
SLOW_SECONDS, HANG_SECONDS = 60, 300


def _check(argv: list[str]) -> None:
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
    start = time.monotonic()
    try:
        status, _, err = _run(argv)
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert time.monotonic() - start < SLOW_SECONDS, (argv, "took", time.monotonic() - start)
    assert status in (0, 1, 2), (argv, status, err[-2000:])
    assert "Traceback" not in err, (argv, err[-2000:])
    if status == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:"), (argv, err[-2000:])
        assert len(lines[0]) <= 1000, (argv, len(lines[0]))


def _mutated(path: tuple[str, ...], value) -> dict:
    doc = json.loads(json.dumps(BASE))
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _write(workdir: Path, data: bytes) -> str:
    path = workdir / "case.json"
    path.write_bytes(data)
    return str(path)


ARITHMETIC = st.sampled_from([[], ["--arithmetic", "mp", "--digits", "20"], ["--arithmetic", "certified"],
                              ["--arithmetic", "mp", "--digits", "15"], ["--arithmetic", "symbolic"]])


def _case_file_property(workdir: Path, field, value, arithmetic) -> None:
    path = _write(workdir, json.dumps(_mutated(field, value)).encode())
    _check(["analyze", path, *arithmetic])


def _expression_property(workdir: Path, expr, where, arithmetic) -> None:
    path = _write(workdir, json.dumps(_mutated(("network", where), expr)).encode())
    _check(["analyze", path, *arithmetic])


@FAST
@given(field=st.sampled_from(FIELDS), value=JSON_VALUES, arithmetic=ARITHMETIC)
def test_hostile_case_fields(workdir, field, value, arithmetic):
    _case_file_property(workdir, field, value, arithmetic)


@FAST
@given(expr=EXPRESSIONS, where=st.sampled_from(["activation", "loss"]), arithmetic=ARITHMETIC)
def test_hostile_expressions(workdir, expr, where, arithmetic):
    _expression_property(workdir, expr, where, arithmetic)


RAW_FILES = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([
        b"[" * 100000, b"{\"a\":" * 50000, b"\xff\xfe{\x00}\x00", json.dumps(BASE).encode("utf-16"),
        json.dumps(BASE).encode("utf-32"), b"\xc3\x28", b"NaN", b"Infinity", b"1e999", b"1" * 5000,
        json.dumps(BASE).replace('"relu"', '"relu", "activation": "tanh"').encode(),
        json.dumps(BASE).replace('"1/4"', "NaN").encode(), json.dumps(BASE).replace('"1/4"', "1e999").encode(),
        json.dumps(BASE).replace('"1/4"', "1" * 5000).encode(), b"",
    ]),
    st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


@FAST
@given(data=RAW_FILES, arithmetic=ARITHMETIC)
def test_hostile_file_bytes(workdir, data, arithmetic):
    _check(["analyze", _write(workdir, data), *arithmetic])


NUMBERS_TEXT = st.one_of(
    st.integers(min_value=-3, max_value=12).map(str),
    st.sampled_from(["99999999999999999999", "1e999999999", "-1", "0", "1000000", "2.5", "x", "", "٣"]),
)


def _paths(workdir: Path) -> list[str]:
    good = workdir / "good.json"
    good.write_text(json.dumps(BASE))
    return [str(good), str(workdir), "/dev/zero", str(workdir / "missing.json"), str(workdir / "out.png")]


@FAST
@given(cmd=st.sampled_from(["count G", "count T_single", "count T_groups", "graph", "subspaces G",
                            "subspace-criticality", "multilayer-minima"]),
       nums=st.lists(NUMBERS_TEXT, min_size=0, max_size=3),
       extra=st.sampled_from([[], ["--json"], ["--d", "2"], ["--d-out", "99999999999"], ["--limit", "0"],
                              ["--d", "99999999999"], ["--d-out", "13"], ["--equations"], ["--check-dimensions"]]))
def test_hostile_count_arguments(cmd, nums, extra):
    _check([*cmd.split(), *nums, *extra])


@FAST
@given(cmd=st.sampled_from([["crossover", "--r-max"], ["plot-counts", "-o", "PATH", "--h-max"],
                            ["plot-counts", "-o", "PATH", "--r"], ["plot-counts", "-o", "PATH", "--r-max"]]),
       value=NUMBERS_TEXT)
def test_hostile_sweep_arguments(workdir, cmd, value):
    argv = [str(workdir / "p.png") if a == "PATH" else a for a in cmd]
    _check([*argv, value])


@FAST
@given(path=st.integers(min_value=0, max_value=4),
       options=st.sampled_from([[], ["--arithmetic", "mp", "--digits", "1000000000"], ["--digits", "-1"],
                                ["--arithmetic", "mp", "--digits", "11"], ["--floats", "binary"], ["--json"],
                                ["--arithmetic", "certified", "--digits", "99999999999"]]))
def test_hostile_paths_and_options(workdir, path, options):
    _check(["analyze", _paths(workdir)[path], *options])


COMMANDS = st.sampled_from([
    ["check-embedding", "FILE", "--split", "1:0:1/3"], ["lift", "FILE", "--null", "1", "-o", "OUT"],
    ["check-lift", "FILE", "--insert", "1"], ["latex", "FILE", "-o", "OUT.tex"], ["certify", "FILE"],
    ["split-line", "FILE"], ["prune", "FILE"], ["condense", "FILE"],
])


@FAST
@given(cmd=COMMANDS, field=st.sampled_from(FIELDS), value=JSON_VALUES)
def test_hostile_case_other_commands(workdir, cmd, field, value):
    path = _write(workdir, json.dumps(_mutated(field, value)).encode())
    out = str(workdir / "out")
    _check([path if a == "FILE" else a.replace("OUT", out) for a in cmd])


@pytest.mark.slow
@SLOW
@given(field=st.sampled_from(FIELDS), value=JSON_VALUES, arithmetic=ARITHMETIC)
def test_hostile_case_fields_large(workdir, field, value, arithmetic):
    _case_file_property(workdir, field, value, arithmetic)


@pytest.mark.slow
@SLOW
@given(expr=EXPRESSIONS, where=st.sampled_from(["activation", "loss"]), arithmetic=ARITHMETIC)
def test_hostile_expressions_large(workdir, expr, where, arithmetic):
    _expression_property(workdir, expr, where, arithmetic)


def test_no_dev_zero_hang():
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    status, _, err = _run(["analyze", "/dev/zero"])
    assert status == 2 and "max_case_bytes" in err
