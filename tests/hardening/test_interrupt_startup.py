"""Ctrl-C at any moment of the real console script: one line ``error: interrupted``, exit 130.

The ``exactlift`` script (``exactlift_launch:main``) is started as a user starts it, and SIGINT is
sent after a fixed delay: while the package imports (SymPy, NumPy, python-flint: the first second
or two), during the work, or after the answer (then the status is the command's own, 0).  The
only moments nothing of exactlift can answer are the interpreter's own start, before the
launcher's first line runs (a few tens of milliseconds; about 0.1 s on a loaded machine): the
process then ends by the signal's default action, silently (``returncode == -SIGINT``, which a
shell shows as 130 too), or, inside Python's ``site`` start-up, with Python's own message.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = shutil.which("exactlift") or str(Path(sys.executable).with_name("exactlift"))
LONG = ["count", "T_groups", "60", "9000"]  # several seconds of work after the imports


def interrupt_after(delay: float, argv: list[str] = LONG) -> tuple[int, str, str]:
    """Start the console script, send SIGINT after ``delay`` seconds, return (status, stdout, stderr)."""
    proc = subprocess.Popen([SCRIPT, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure this test is about
        proc.kill()
        pytest.fail(f"still running 30 s after Ctrl-C at {delay} s")
    return proc.returncode, out, err


def check(delay: float, status: int, err: str, finished_ok: bool = False, early: bool = False) -> None:
    if early and "Traceback" in err:  # inside the interpreter's own start (site, the script's first line)
        assert f"exactlift{os.sep}" not in err and "exactlift_launch.py" not in err, (delay, err[-2000:])
        return
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, (delay, err[-2000:])
    if status == -signal.SIGINT:  # before the interpreter ran any code: the default action, no output
        assert err == "", (delay, err[-2000:])
    elif status == 0 and finished_ok:
        assert "error" not in err, (delay, err[-2000:])
    else:
        assert status == 130, (delay, status, err[-2000:])
        assert err.splitlines() == ["error: interrupted"], (delay, err[-2000:])


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the console script is not installed")
@pytest.mark.parametrize("delay", [0.3, pytest.param(0.2, marks=pytest.mark.slow),
                                   pytest.param(0.6, marks=pytest.mark.slow),
                                   pytest.param(1.2, marks=pytest.mark.slow),
                                   pytest.param(4.0, marks=pytest.mark.slow)])
def test_ctrl_c_at_any_moment_of_start_up_and_work(delay):
    status, _, err = interrupt_after(delay)
    check(delay, status, err)


@pytest.mark.slow
@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the console script is not installed")
@pytest.mark.parametrize("delay", [0.0, 0.02, 0.05, 0.1])
def test_ctrl_c_in_the_interpreters_own_start(delay):
    """Before the launcher's first line only Python itself runs: never a frame of exactlift's code."""
    status, _, err = interrupt_after(delay)
    check(delay, status, err, early=True)


@pytest.mark.slow
@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the console script is not installed")
def test_ctrl_c_sweep_over_the_import_window():
    """Every 50 ms from 0.3 s to 1.75 s (the imports of the package): never a traceback."""
    for step in range(30):
        delay = 0.3 + 0.05 * step
        status, _, err = interrupt_after(delay)
        check(delay, status, err)


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the console script is not installed")
def test_ctrl_c_after_the_answer_keeps_the_answer():
    """A quick command interrupted after it has finished: its status (0) and its whole output."""
    proc = subprocess.run([SCRIPT, "count", "T_groups", "3", "4"], capture_output=True, text=True, timeout=60)
    status, out, err = interrupt_after(8.0, ["count", "T_groups", "3", "4"])
    check(8.0, status, err, finished_ok=True)
    assert (status, out) == (proc.returncode, proc.stdout)


def test_python_dash_m_runs_the_same_entry():
    proc = subprocess.run([sys.executable, "-m", "exactlift", "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("exactlift "), proc


@pytest.mark.slow
@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the console script is not installed")
def test_ctrl_c_during_a_sweep_keeps_every_finished_record(tmp_path):
    """``conjecture run --all`` interrupted once records are in: 130, one line, every ledger line whole."""
    import json

    ledger = tmp_path / "ledger.jsonl"
    proc = subprocess.Popen([SCRIPT, "conjecture", "run", "--all", "--ledger", str(ledger)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not (ledger.exists() and ledger.stat().st_size):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    check(-1.0, proc.returncode, err, finished_ok=True)
    lines = ledger.read_text().splitlines()
    assert lines and all(isinstance(json.loads(line), dict) for line in lines)
