"""The pytest plugin (a user's own suite, run in a subprocess) and the shipped conjectures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from exactlift.cli import main
from exactlift.conjectures import Ledger

USER_TESTS = '''
from exactlift.conjectures import conjecture

@conjecture(name="user.square", grid={"q": [-2, 0, 3]})
def square(q):
    assert q * q >= 0

@conjecture(name="user.small", grid={"q": [1, 2, 3]})
def small(q):
    assert q < LIMIT, f"q = {q}"

LIMIT = 10

def test_square(conjecture_ledger):
    report = conjecture_ledger.check(square)
    assert report.counts()["holds"] == 3

def test_small(conjecture_ledger):
    conjecture_ledger.check("user.small")
'''


def _pytest(cwd, *args):
    # pytest prints the whole failure message again in the short summary when CI or BUILD_NUMBER is set
    # (it only truncates it on a developer's terminal): the user's run sees the environment of a terminal
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "BUILD_NUMBER")}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)


@pytest.mark.slow  # 9 s; test_plugin_registers_itself_and_reports_each_counterexample_once covers a failing conjecture in the default run
def test_plugin_records_and_fails_on_counterexample(tmp_path):
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["exactlift.conjectures.pytest_plugin"]\n')
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # keep the user's suite independent of ours
    test_file = tmp_path / "test_user.py"
    test_file.write_text(textwrap.dedent(USER_TESTS))
    r = _pytest(tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    ledger = Ledger(tmp_path / ".exactlift" / "ledger.jsonl")
    assert len(ledger.records()) == 6

    test_file.write_text(textwrap.dedent(USER_TESTS).replace("LIMIT = 10", "LIMIT = 3"))
    r = _pytest(tmp_path)
    assert r.returncode == 1
    assert "user.small [q=3]: counterexample: q = 3" in r.stdout
    assert "regression" in r.stdout
    assert main(["conjecture", "diff", "--ledger", str(ledger.path)]) == 1

    other = tmp_path / "elsewhere.jsonl"
    test_file.write_text(textwrap.dedent(USER_TESTS))
    r = _pytest(tmp_path, "--conjecture-ledger", str(other))
    assert r.returncode == 0 and len(Ledger(other).records()) == 6


@pytest.mark.slow  # 12 s; the plugin's behaviour is tested on a small project
def test_shipped_conjectures_hold(tmp_path, capsys):
    ledger = tmp_path / "ledger.jsonl"
    assert main(["conjecture", "run", "--all", "--jobs", "2", "--ledger", str(ledger), "--no-progress", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    names = {r["conjecture"] for r in doc["records"]}
    assert {"core.exact_hessian_equals_naive", "core.critical_targets_critical", "core.teacher_hessian_psd",
            "core.inertia_methods_agree"} <= names
    assert all(r["result"] == "holds" for r in doc["records"]), [r for r in doc["records"] if r["result"] != "holds"]


def test_crossover_conjecture_sees_the_equality_case():
    pytest.importorskip("exactlift.symmetry.asymptotics")
    from exactlift.conjectures import get_conjecture
    from exactlift.symmetry import count_G, count_T_single

    c = get_conjecture("symmetry.saddles_dominate_before_h_star")
    keys = dict(c.cases())
    assert count_G(2, 3) == count_T_single(3, 3) == 6  # the one case where G = T before the crossover
    assert c.run_case(keys["reading=single,r_star=3,h=0"]).result == "holds"
    assert all(c.run_case(p).result == "holds" for p in keys.values())


FAILING_TESTS = '''
from exactlift.conjectures import conjecture

@conjecture(name="user.below_ten", grid={"q": list(range(40))})
def below_ten(q):
    assert q < 10, f"q = {q}"

def test_below_ten(conjecture_ledger):
    conjecture_ledger.check(below_ten)
'''


def test_plugin_registers_itself_and_reports_each_counterexample_once(tmp_path):
    """A project outside the repository, with no conftest.py: the pytest11 entry point loads the plugin."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_user.py").write_text(textwrap.dedent(FAILING_TESTS))
    r = _pytest(tmp_path, "-ra")
    out = r.stdout
    assert r.returncode == 1, out + r.stderr
    assert "fixture 'conjecture_ledger' not found" not in out
    # the summary counts the cases computed another way: q = 10..39 fail
    assert "user.below_ten: 30 of 40 cases do not hold (30 counterexamples)" in out
    for q in range(40):
        line = f"user.below_ten [q={q}]: counterexample: q = {q}; assert {q} < 10"
        assert out.count(line) == (1 if q >= 10 else 0), (q, out)
    # no frame of the library in the failure: only the user's test line
    assert "exactlift/conjectures" not in out and "assert_holds" not in out, out
    assert len(Ledger(tmp_path / ".exactlift" / "ledger.jsonl").records()) == 40


def test_plugin_can_be_disabled(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_user.py").write_text("def test_x(conjecture_ledger):\n    pass\n")
    r = _pytest(tmp_path, "-p", "no:exactlift.conjectures.pytest_plugin")
    assert r.returncode == 1 and "fixture 'conjecture_ledger' not found" in r.stdout
