"""Conjectures: registry, ledger diff, the conjecture command (a broken claim is caught), progress bar."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import pytest

from exactlift.cli import main
from exactlift.conjectures import (
    conjecture,
    Ledger,
    counterexample,
    diff_records,
    get_conjecture,
    holds,
    run_conjectures,
)
from exactlift.conjectures.ledger import code_version, git_commit
from exactlift.conjectures.registry import REGISTRY, Conjecture
from exactlift.errors import InputError
from exactlift.progress import Progress

CLAIM = '''
from exactlift.conjectures import conjecture, holds

@conjecture(name="test.below_limit", grid={{"n": [1, 2, 3, 4], "k": [1, 2]}})
def below_limit(n, k):
    """n * k stays below a limit."""
    assert n * k <= {limit}, f"n*k = {{n * k}} > {limit}"
    return holds(f"n*k = {{n * k}}")
'''


@pytest.fixture(autouse=True)
def _clean_registry():
    from exactlift.conjectures.registry import load_builtin

    load_builtin()
    before = dict(REGISTRY)
    yield
    REGISTRY.clear()
    REGISTRY.update(before)


def test_grid_forms_and_case_keys():
    @conjecture(name="t.product", grid={"a": [1, 2], "b": ["x", "y"]})
    def product(a, b):
        return True

    @conjecture(name="t.listed", grid=[{"n": 1}, {"n": 5}])
    def listed(n):
        return n < 3

    @conjecture(name="t.lazy", grid=lambda: {"w": [[1, 2], [3]]})
    def lazy(w):
        return None

    assert [k for k, _ in get_conjecture("t.product").cases()] == ["a=1,b=x", "a=1,b=y", "a=2,b=x", "a=2,b=y"]
    assert [k for k, _ in get_conjecture("t.lazy").cases()] == ["w=[1 2]", "w=[3]"]
    c = get_conjecture("t.listed")
    assert [c.run_case(p).result for _, p in c.cases()] == ["holds", "counterexample"]
    assert listed(1) is True  # the function stays callable
    assert isinstance(listed.conjecture, Conjecture)


def test_outcomes():
    @conjecture(name="t.outcomes", grid={"x": [0, 1, 2, 3, 4]}, strength="symbolic")
    def outcomes(x):
        if x == 0:
            return holds("fine")
        if x == 1:
            return counterexample("x = 1 breaks it")
        if x == 2:
            assert x < 2, "two"
        if x == 3:
            raise RuntimeError("cannot decide")
        return "not an outcome"

    c = get_conjecture("t.outcomes")
    outs = [c.run_case(p) for _, p in c.cases()]
    # (under pytest the assertion message also carries pytest's explanation, hence only the first line)
    assert [(o.result, o.detail.splitlines()[0]) for o in outs[:4]] == [
        ("holds", "fine"), ("counterexample", "x = 1 breaks it"), ("counterexample", "two"),
        ("error", "RuntimeError: cannot decide")]
    assert outs[4].result == "error" and "returned str" in outs[4].detail
    assert all(o.strength == "symbolic" and o.seconds >= 0 for o in outs)


def test_registry_errors():
    with pytest.raises(InputError, match="grid of cases is required"):
        conjecture(name="t.nogrid")(lambda: None)
    with pytest.raises(InputError, match="strength"):
        conjecture(name="t.s", grid={"a": [1]}, strength="sure")
    with pytest.raises(InputError, match="no conjecture named"):
        get_conjecture("t.does_not_exist")
    c = Conjecture("t.dup", lambda a: True, [{"a": 1}, {"a": 1}])
    with pytest.raises(InputError, match="twice"):
        c.cases()


def test_diff_kinds():
    def rec(case, result, run):
        return {"conjecture": "c", "case": case, "result": result, "run": run}

    recs = [rec("a", "holds", "r1"), rec("b", "counterexample", "r1"), rec("c", "holds", "r1"), rec("d", "error", "r1"),
            rec("a", "counterexample", "r2"), rec("b", "holds", "r2"), rec("c", "holds", "r2"),
            rec("d", "counterexample", "r2"), rec("e", "counterexample", "r2"), rec("f", "holds", "r2")]
    d = diff_records(recs)
    assert [(c.kind, c.case) for c in d.changes] == [
        ("regression", "a"), ("new counterexample", "d"), ("new counterexample", "e"), ("fixed", "b")]
    assert [c.case for c in d.regressions] == ["a"] and d.n_cases == 6
    # records of the same run are not compared with each other
    assert diff_records([rec("a", "holds", "r1"), rec("a", "counterexample", "r1")]).changes[0].before is None


def test_ledger_records_and_metadata(tmp_path):
    @conjecture(name="t.small", grid={"n": [1, 2]})
    def small(n):
        return n < 2

    led = Ledger(tmp_path / "sub" / "ledger.jsonl")
    report = run_conjectures(["t.small"], ledger=led, progress=False)
    assert report.counts() == {"holds": 1, "counterexample": 1, "error": 0, "timeout": 0, "crashed": 0}
    recs = led.records()
    assert [(r["case"], r["result"]) for r in recs] == [("n=1", "holds"), ("n=2", "counterexample")]
    for r in recs:
        assert set(r) >= {"conjecture", "case", "result", "strength", "seconds", "version", "commit", "timestamp", "run"}
        assert r["version"] == code_version() and r["run"] == report.run
    import exactlift

    assert code_version() == exactlift.__version__
    assert git_commit() is None or len(git_commit().split("+")[0]) >= 7
    (tmp_path / "bad.jsonl").write_text('{"conjecture": "x"}\n')
    with pytest.raises(InputError, match="bad.jsonl:1"):
        Ledger(tmp_path / "bad.jsonl").records()


def test_progress_display():
    """tqdm draws when forced (a log), counts failures, and is silent when the stream is not a TTY."""
    buf = io.StringIO()
    bar = Progress(20, "cases", stream=buf, force=True)
    for i in range(20):
        bar.advance(f"case {i}", failed=(i == 3))
    bar.close()
    assert (bar.done, bar.failures) == (20, 1)
    assert "20/20" in buf.getvalue() and "1 failing" in buf.getvalue()
    quiet = io.StringIO()
    p = Progress(3, stream=quiet)
    p.advance()
    p.close()
    assert quiet.getvalue() == "" and not p.enabled


def test_broken_conjecture_is_caught_by_diff(tmp_path, capsys):
    """Run, change the claim so one case fails, run again: diff exits 1 and names the case."""
    claim = tmp_path / "claims.py"
    ledger = tmp_path / "ledger.jsonl"
    claim.write_text(textwrap.dedent(CLAIM.format(limit=8)))
    args = ["conjecture", "run", "test.below_limit", "--file", str(claim), "--ledger", str(ledger), "--no-progress"]
    assert main(args) == 0
    assert main(["conjecture", "diff", "--ledger", str(ledger)]) == 0
    assert "no case changed" in capsys.readouterr().out

    claim.write_text(textwrap.dedent(CLAIM.format(limit=7)))  # now n=4, k=2 fails
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "COUNTEREXAMPLE: test.below_limit [n=4,k=2]: n*k = 8 > 7" in out
    assert main(["conjecture", "diff", "--ledger", str(ledger)]) == 1
    captured = capsys.readouterr()
    assert "REGRESSION" in captured.out and "test.below_limit [n=4,k=2]: holds -> counterexample" in captured.out
    assert "1 regression(s)" in captured.err
    assert main(["conjecture", "diff", "--ledger", str(ledger), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["regressions"] == 1 and doc["changes"][0]["case"] == "n=4,k=2"

    claim.write_text(textwrap.dedent(CLAIM.format(limit=8)))  # fixed again
    assert main(args) == 0
    assert main(["conjecture", "diff", "--ledger", str(ledger)]) == 0
    assert "FIXED" in capsys.readouterr().out


def test_new_counterexample_is_shown_without_failing_diff(tmp_path, capsys):
    claim = tmp_path / "claims.py"
    ledger = tmp_path / "ledger.jsonl"
    claim.write_text(textwrap.dedent(CLAIM.format(limit=5)))
    assert main(["conjecture", "run", "test.below_limit", "--file", str(claim), "--ledger", str(ledger),
                 "--no-progress"]) == 1
    capsys.readouterr()
    assert main(["conjecture", "diff", "--ledger", str(ledger)]) == 0
    out = capsys.readouterr().out
    assert out.count("NEW COUNTEREXAMPLE") == 2  # n=3,k=2 and n=4,k=2, never recorded before


def test_parallel_run_matches_serial(tmp_path, capsys):
    claim = tmp_path / "claims.py"
    claim.write_text(textwrap.dedent(CLAIM.format(limit=6)))
    for jobs, name in ((1, "serial"), (2, "parallel")):
        ledger = tmp_path / f"{name}.jsonl"
        status = main(["conjecture", "run", "test.below_limit", "--file", str(claim), "--ledger", str(ledger),
                       "--jobs", str(jobs), "--no-progress"])
        assert status == 1
    capsys.readouterr()
    serial = [(r["case"], r["result"], r["detail"]) for r in Ledger(tmp_path / "serial.jsonl").records()]
    parallel = [(r["case"], r["result"], r["detail"]) for r in Ledger(tmp_path / "parallel.jsonl").records()]
    assert sorted(serial) == sorted(parallel) and len(serial) == 8


def test_list_and_usage_errors(tmp_path, capsys):
    claim = tmp_path / "claims.py"
    claim.write_text(textwrap.dedent(CLAIM.format(limit=8)))
    assert main(["conjecture", "list", "--file", str(claim)]) == 0
    out = capsys.readouterr().out
    assert "test.below_limit" in out and "n * k stays below a limit." in out
    assert "core.critical_targets_critical" in out
    assert main(["conjecture", "run", "--ledger", str(tmp_path / "l.jsonl")]) == 2
    assert main(["conjecture", "diff", "--ledger", str(tmp_path / "none.jsonl")]) == 2
    assert main(["conjecture", "run", "nope.nothing", "--ledger", str(tmp_path / "l.jsonl")]) == 2
    assert main(["conjecture", "run", "--all", "--jobs", "0", "--ledger", str(tmp_path / "l.jsonl")]) == 2
    assert capsys.readouterr().err.count("error:") == 4


def test_default_ledger_in_current_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    claim = tmp_path / "claims.py"
    claim.write_text(textwrap.dedent(CLAIM.format(limit=8)))
    assert main(["conjecture", "run", "test.below_limit", "--file", "claims.py", "--no-progress", "--case", "n=1,k=1"]) == 0
    assert Path(".exactlift/ledger.jsonl").exists()
    assert len(Ledger().records()) == 1
