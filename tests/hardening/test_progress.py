"""``--progress`` draws a bar on stderr and leaves stdout byte for byte as it was (issue 11).

Each command runs twice in-process: with ``--progress`` and with ``--no-progress``; stdout must be
identical (certify's wall-clock ``time:`` line aside) and only the first run writes the bar.
"""

from __future__ import annotations

import pytest

from exactlift.cli import main, build_parser


def run(capsys, argv):
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def cases(tmp_path, capsys):
    paths = {}
    for name in ("relu-saddle", "tanh-minimum"):
        paths[name] = str(tmp_path / f"{name}.json")
        assert main(["examples", name, "-o", paths[name]]) == 0
    capsys.readouterr()
    return paths


def without_times(text: str) -> str:
    """The output without its wall-clock lines (``time:``, a JSON ``"seconds"``), which differ run to run."""
    return "\n".join(line for line in text.splitlines()
                     if not line.startswith("time:") and '"seconds"' not in line)


@pytest.mark.parametrize("argv, unit", [
    (["analyze", "relu-saddle"], "stage"),
    (["analyze", "relu-saddle", "--json"], "stage"),
    (["certify", "tanh-minimum"], "stage"),
    (["count", "T_groups", "3", "4", "--enumerate"], "item"),
    (["subspaces", "T_groups", "2", "3"], "item"),
])
def test_progress_goes_to_stderr_only(capsys, cases, argv, unit):
    argv = [cases.get(a, a) for a in argv]
    s1, out1, err1 = run(capsys, argv + ["--progress"])
    s0, out0, err0 = run(capsys, argv + ["--no-progress"])
    assert s1 == s0 == 0, (err1, err0)
    assert without_times(out1) == without_times(out0) and out1.strip()
    assert f"{unit}/s" in err1 and "100%" in err1, err1
    assert err0 == ""


def test_no_bar_when_stderr_is_not_a_terminal(capsys, cases):
    _, _, err = run(capsys, ["analyze", cases["relu-saddle"]])
    assert err == ""


def test_progress_and_no_progress_exclude_each_other(capsys, cases):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["analyze", cases["relu-saddle"], "--progress", "--no-progress"])
    assert exc.value.code == 2
