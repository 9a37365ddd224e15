"""Sweeps (issue 15) and ledger faults (issue 11 item 5): executors, timeouts, crashes, search, report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exactlift.cli import main
from exactlift.conjectures import Ledger, diff_records, run_conjectures
from exactlift.conjectures.executors import SupervisedPool
from exactlift.conjectures.ledger_io import LedgerWriteError, LedgerWriter, read_records
from exactlift.conjectures.registry import REGISTRY, load_file

CLAIMS = str(Path(__file__).with_name("sweep_claims.py"))


@pytest.fixture(autouse=True, scope="module")
def _test_registry():
    """Register the planted conjectures for this module only (``run --all`` elsewhere must not see them)."""
    names = load_file(CLAIMS)
    yield
    for n in names:
        REGISTRY.pop(n, None)


def _verdicts(path):
    return sorted((r["conjecture"], r["case"], r["result"], r["detail"]) for r in Ledger(path).records())


def test_local_pool_matches_serial(tmp_path):
    run_conjectures(["sweep.square"], ledger=tmp_path / "a.jsonl", progress=False)
    with SupervisedPool(2) as pool:
        run_conjectures(["sweep.square"], ledger=tmp_path / "b.jsonl", progress=False, executor=pool, files=[CLAIMS])
    a = _verdicts(tmp_path / "a.jsonl")
    assert a == _verdicts(tmp_path / "b.jsonl") and len(a) == 24
    assert [x[1] for x in a if x[2] == "counterexample"] == ["n=7,q=-3"]


def test_dask_local_cluster_matches_local(tmp_path):
    pytest.importorskip("dask.distributed")
    from exactlift.conjectures.executors import DaskExecutor

    run_conjectures(["sweep.square"], ledger=tmp_path / "local.jsonl", progress=False, jobs=2, files=[CLAIMS])
    ex = DaskExecutor(None, jobs=2, processes=False)
    try:
        run_conjectures(["sweep.square"], ledger=tmp_path / "dask.jsonl", progress=False, executor=ex, files=[CLAIMS])
    finally:
        ex.shutdown()
    assert _verdicts(tmp_path / "local.jsonl") == _verdicts(tmp_path / "dask.jsonl")


@pytest.mark.slow
def test_dask_processes_timeout_replaces_worker_and_crash_is_recorded(tmp_path):
    """A real two-process LocalCluster: same verdicts as local; stuck cases time out and their
    workers are restarted (without that, two stuck cases would hold both workers for 120 s);
    a case that os._exit's its worker is recorded crashed; every sweep finishes."""
    pytest.importorskip("dask.distributed")
    from exactlift.conjectures.executors import DaskExecutor

    ex = DaskExecutor(None, jobs=2, processes=True)
    try:
        run_conjectures(["sweep.square"], ledger=tmp_path / "dask.jsonl", progress=False, executor=ex, files=[CLAIMS])
        run_conjectures(["sweep.square"], ledger=tmp_path / "local.jsonl", progress=False, jobs=2, files=[CLAIMS])
        assert _verdicts(tmp_path / "local.jsonl") == _verdicts(tmp_path / "dask.jsonl")
        start = time.monotonic()
        rep = run_conjectures(["sweep.stuck"], ledger=tmp_path / "s.jsonl", progress=False, executor=ex, files=[CLAIMS])
        assert time.monotonic() - start < 60
        assert {r.case: r.outcome.result for r in rep.results} == {
            f"n={n}": ("timeout" if n in (1, 2) else "holds") for n in range(6)}
        assert len(ex.restarted) == 2
        rep = run_conjectures(["sweep.crashy"], ledger=tmp_path / "c.jsonl", progress=False, executor=ex, files=[CLAIMS])
        assert {r.case: r.outcome.result for r in rep.results} == {"n=0": "holds", "n=1": "crashed", "n=2": "holds"}
        assert len(Ledger(tmp_path / "c.jsonl").records()) == 3
    finally:
        ex.shutdown(wait=False)


@pytest.mark.slow
def test_dask_threads_timeout_is_recorded_without_a_restart(tmp_path):
    """A LocalCluster of threads (no nanny): the stuck case is timeout, the sweep goes on, no worker removed."""
    pytest.importorskip("dask.distributed")
    from exactlift.conjectures.executors import DaskExecutor

    ex = DaskExecutor(None, jobs=2, processes=False)
    try:
        start = time.monotonic()
        rep = run_conjectures(["sweep.nap"], ledger=tmp_path / "l.jsonl", progress=False, executor=ex, files=[CLAIMS])
        assert time.monotonic() - start < 2.9  # finished before the nap did
        assert {r.case: r.outcome.result for r in rep.results} == {
            "n=0": "holds", "n=1": "timeout", "n=2": "holds", "n=3": "holds"}
        assert ex.restarted == [] and len(ex.client.nthreads()) == 2
    finally:
        ex.shutdown(wait=False)


@pytest.mark.slow
def test_cli_runs_shipped_and_stuck_cases_on_dask_with_one_flag(tmp_path, capsys):
    """``--executor dask`` (a new LocalCluster): a shipped conjecture holds, stuck cases time out, exit 1."""
    pytest.importorskip("dask.distributed")
    argv = ["conjecture", "run", "symmetry.counts_equal_enumeration", "sweep.stuck", "--file", CLAIMS,
            "--executor", "dask", "--jobs", "2", "--case-timeout", "5", "--ledger", str(tmp_path / "l.jsonl"),
            "--no-progress", "--json"]
    start = time.monotonic()
    assert main(argv) == 1
    assert time.monotonic() - start < 90
    recs = json.loads(capsys.readouterr().out)["records"]
    got = sorted((r["conjecture"], r["result"]) for r in recs)
    assert got.count(("symmetry.counts_equal_enumeration", "holds")) == 36
    assert got.count(("sweep.stuck", "timeout")) == 2 and got.count(("sweep.stuck", "holds")) == 4
    assert len(Ledger(tmp_path / "l.jsonl").records()) == 42


def test_timeout_is_recorded_and_sweep_finishes(tmp_path):
    start = time.monotonic()
    rep = run_conjectures(["sweep.sleepy"], ledger=tmp_path / "l.jsonl", progress=False, jobs=2, files=[CLAIMS])
    assert time.monotonic() - start < 30
    assert {r.case: r.outcome.result for r in rep.results} == {"n=0": "holds", "n=1": "timeout", "n=2": "holds"}
    # diff: holds -> timeout and timeout -> holds are their own kinds
    recs = [{"conjecture": "c", "case": "a", "result": "holds", "run": "1"},
            {"conjecture": "c", "case": "a", "result": "timeout", "run": "2"},
            {"conjecture": "c", "case": "b", "result": "timeout", "run": "1"},
            {"conjecture": "c", "case": "b", "result": "holds", "run": "2"}]
    assert sorted((c.case, c.kind) for c in diff_records(recs).changes) == [("a", "timed out"), ("b", "finishes")]


def test_crashed_worker_is_recorded_and_sweep_finishes(tmp_path):
    rep = run_conjectures(["sweep.crashy"], ledger=tmp_path / "l.jsonl", progress=False, jobs=2, files=[CLAIMS])
    assert {r.case: r.outcome.result for r in rep.results} == {"n=0": "holds", "n=1": "crashed", "n=2": "holds"}
    assert len(Ledger(tmp_path / "l.jsonl").records()) == 3


def test_search_shrinks_planted_counterexample(tmp_path):
    pytest.importorskip("hypothesis")
    from fractions import Fraction

    from exactlift.conjectures.search import search_conjecture

    res = search_conjecture("sweep.planted", budget=300, ledger=tmp_path / "l.jsonl")
    # the minimum, by hand: widths() draws a list of 2..4 integers in 1..3, shrinking to fewer and smaller,
    # so the shortest list with >= 3 entries is [1, 1, 1]; rationals() is p/q with p shrinking towards 0
    # first, so the least p with p/q >= 3/2 for some q >= 1 is p = 2 (with q = 1): the parameter q is 2
    assert res.found and res.params == {"q": Fraction(2), "widths": [1, 1, 1]}
    assert res.case_file.exists() and Ledger(tmp_path / "l.jsonl").records()[-1]["case_file"] == str(res.case_file)
    assert (tmp_path / "hypothesis").is_dir()  # the database next to the ledger keeps it
    again = search_conjecture("sweep.planted", budget=300, ledger=tmp_path / "l.jsonl")
    assert again.params == res.params and again.examples < res.examples  # replayed from the database first


def test_report_markdown_and_html(tmp_path, capsys):
    run_conjectures(["sweep.square"], ledger=tmp_path / "l.jsonl", progress=False)
    assert main(["conjecture", "report", str(tmp_path / "l.jsonl"), "--markdown"]) == 0
    out = capsys.readouterr().out
    assert "| sweep.square | 24 | 23 | 1 |" in out and "n=7,q=-3" in out
    assert main(["conjecture", "report", str(tmp_path / "l.jsonl"), "--html"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


# ------------------------------------------------------------------ ledger faults (issue 11, item 5)

def test_missing_final_newline_is_healed(tmp_path):
    p = tmp_path / "l.jsonl"
    p.write_text('{"conjecture": "x", "case": "a", "result": "holds"}')
    run_conjectures(["sweep.square"], ledger=p, progress=False, only_cases=["n=1,q=1/2"])
    recs = read_records(p)
    assert [r["case"] for r in recs] == ["a", "n=1,q=1/2"]


def test_dev_full_is_one_clear_error(capsys):
    assert main(["conjecture", "run", "sweep.square", "--ledger", "/dev/full", "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "regular file" in err[0]


def test_failed_write_goes_to_side_file(tmp_path, monkeypatch):
    p = tmp_path / "l.jsonl"
    p.write_text('{"conjecture": "x", "case": "a", "result": "holds"}\n')
    real_write = os.write
    calls = {"n": 0}

    def flaky(fd, data):
        if fd == ledger_fd[0]:
            calls["n"] += 1
            if calls["n"] >= 3:
                raise OSError(28, "No space left on device")
        return real_write(fd, data)

    ledger_fd = [None]
    orig_init = LedgerWriter.__init__

    def init(self, *a, **k):
        orig_init(self, *a, **k)
        ledger_fd[0] = self._fd

    monkeypatch.setattr(LedgerWriter, "__init__", init)
    monkeypatch.setattr(os, "write", flaky)
    with pytest.raises(LedgerWriteError, match="saved to") as exc:
        run_conjectures(["sweep.square"], ledger=p, progress=False)
    monkeypatch.undo()
    kept = read_records(p)
    side = Path(str(exc.value).split("saved to ")[1].split(" instead")[0])
    assert kept[0]["case"] == "a" and len(kept) == 3  # earlier record + 2 appended, nothing spoiled
    assert len(kept) - 1 + len(read_records(side)) == 24  # nothing lost


def test_bad_fields_and_utf8_are_one_line_errors(tmp_path, capsys):
    for i, raw in enumerate([b'{"conjecture": null, "case": "a", "result": "holds"}\n',
                             b'{"conjecture": "c", "case": 3, "result": "holds"}\n',
                             b'{"conjecture": "c", "case": "\xff", "result": "holds"}\n']):
        p = tmp_path / f"l{i}.jsonl"
        p.write_bytes(raw)
        for argv in (["conjecture", "diff", "--ledger", str(p)],
                     ["conjecture", "run", "sweep.square", "--ledger", str(p), "--no-progress"]):
            assert main(argv) == 2
            err = capsys.readouterr().err.strip().splitlines()
            assert len(err) == 1 and f"l{i}.jsonl:1" in err[0]


def test_concurrent_runs_keep_every_record(tmp_path):
    p = tmp_path / "l.jsonl"
    cmd = [sys.executable, "-m", "exactlift.cli", "conjecture", "run", "sweep.square", "--file", CLAIMS,
           "--ledger", str(p), "--no-progress"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(3)]
    assert all(q.wait(120) == 1 for q in procs)  # exit 1: the planted counterexample
    recs = read_records(p)
    assert len(recs) == 72 and len({r["run"] for r in recs}) == 3


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_mid_run_keeps_records_and_kills_workers(tmp_path):
    p = tmp_path / "l.jsonl"
    p.write_text('{"conjecture": "x", "case": "a", "result": "holds"}\n')
    cmd = [sys.executable, "-m", "exactlift.cli", "conjecture", "run", "sweep.sleepy", "sweep.square",
           "--file", CLAIMS, "--ledger", str(p), "--no-progress", "--jobs", "2", "--case-timeout", "30"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(p.read_text().splitlines()) < 3:
        time.sleep(0.2)
    out = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    kids = [int(x) for x in out]
    grandkids = [int(x) for k in kids for x in
                 subprocess.run(["pgrep", "-P", str(k)], capture_output=True, text=True).stdout.split()]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(3)
    assert not [k for k in kids + grandkids if _alive(k)]
    recs = read_records(p)
    assert recs[0]["case"] == "a" and len(recs) >= 3
