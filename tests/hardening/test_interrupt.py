"""Ctrl-C during long legal work: one line ``error: interrupted``, exit 130, no traceback (issue 11).

Each command runs in a child process that announces when its imports are done; the test then
sends SIGINT while the work is under way (certify of a 341-parameter case spends minutes in
python-flint, where Python's own handler would not run until the C call returns).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from exactlift.nn.case import make_case, save_case
from exactlift.nn.data import random_inputs, random_params
from exactlift.nn.network import Architecture

CHILD = textwrap.dedent("""
    import sys
    import exactlift.cli
    print("ready", flush=True)
    sys.exit(exactlift.cli.main(sys.argv[1:]))
""")


def _big_case(tmp: Path) -> str:
    widths, act = [5, 20, 10, 1], "z**2/2 + z"
    arch = Architecture.build(widths, act, True)
    X = random_inputs(8, 5, seed=2)
    case = make_case(widths, act, random_params(arch, seed=1), X, [[1] for _ in X])
    path = tmp / "big.json"
    save_case(case, path)
    return str(path)


def _interrupt(argv: list[str], after: float = 1.5) -> tuple[int, str, float]:
    proc = subprocess.Popen([sys.executable, "-c", CHILD, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    time.sleep(after)
    assert proc.poll() is None, "the command finished before it could be interrupted"
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure this test is about
        proc.kill()
        pytest.fail(f"{argv}: still running 30 s after Ctrl-C")
    return proc.returncode, err, time.monotonic() - sent


@pytest.mark.parametrize("command", [["certify", "BIG"],
                                     pytest.param(["analyze", "BIG", "--arithmetic", "certified"], marks=pytest.mark.slow),
                                     pytest.param(["count", "T_groups", "60", "9000"], marks=pytest.mark.slow)])
def test_ctrl_c_gives_one_line_and_130(tmp_path, command):
    big = _big_case(tmp_path)
    status, err, seconds = _interrupt([big if a == "BIG" else a for a in command])
    assert status == 130, (command, status, err[-2000:])
    assert err.strip().splitlines() == ["error: interrupted"], (command, err[-2000:])
    assert seconds < 10, (command, seconds)
