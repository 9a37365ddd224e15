"""The benchmark script's command line: help, case list, and one error line with exit 2 for bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_inertia.py"


def bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60)


def test_help_prints_the_usage_and_runs_nothing() -> None:
    r = bench("--help")
    assert r.returncode == 0 and "--old-max" in r.stdout and "Run:" in r.stdout
    assert "torch:" not in r.stdout  # the benchmark itself did not start


def test_list_names_the_cases() -> None:
    r = bench("--list")
    assert r.returncode == 0 and "dense1975 2-42-42-1 640 points" in r.stdout.splitlines()


@pytest.mark.parametrize("args,needle", [
    (["dense59"], "unknown case 'dense59'"),
    (["--old-max", "x"], "--old-max: invalid float value: 'x'"),
    (["dense595", "--torch-python"], "--torch-python: expected one argument"),
    (["--bogus"], "unrecognized arguments: --bogus"),
])
def test_bad_arguments_are_one_error_line_and_exit_2(args, needle) -> None:
    r = bench(*args)
    errors = [line for line in r.stderr.splitlines() if "error:" in line]
    assert r.returncode == 2 and r.stdout == "" and len(errors) == 1 and needle in errors[0]
    assert "Traceback" not in r.stderr
