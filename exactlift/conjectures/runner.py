"""Run conjectures over their grids, in parallel local processes, with a progress bar.

>>> from exactlift.conjectures.registry import conjecture
>>> @conjecture(name="doc.runner", grid={"n": [1, 2, 3]})
... def positive(n):
...     assert n > 0
>>> report = run_conjectures(["doc.runner"], jobs=1, progress=False)
>>> report.counts()
{'holds': 3, 'counterexample': 0, 'error': 0}
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import IO, Any, Iterable, Sequence

from exactlift.conjectures.ledger import Diff, Ledger, diff_records, make_record, new_run_id
from exactlift.conjectures.registry import (
    COUNTEREXAMPLE,
    ERROR,
    HOLDS,
    Conjecture,
    Outcome,
    get_conjecture,
    load_builtin,
    load_file,
)
from exactlift.errors import InputError


class ProgressBar:
    """A tiny progress bar on stderr: redrawn in place on a terminal, a few lines otherwise.

    >>> import io
    >>> buf = io.StringIO()
    >>> bar = ProgressBar(4, stream=buf, width=8)
    >>> for _ in range(4): bar.advance("x")
    >>> bar.close()
    >>> buf.getvalue().splitlines()[-1].startswith("[########] 4/4")
    True
    """

    def __init__(self, total: int, stream: IO[str] | None = None, width: int = 30, enabled: bool = True) -> None:
        self.total, self.done, self.width, self.enabled = total, 0, width, enabled
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.perf_counter()
        self._last_decile = -1
        self.failures = 0

    def _line(self, label: str) -> str:
        frac = self.done / self.total if self.total else 1.0
        filled = int(round(frac * self.width))
        bar = "#" * filled + "-" * (self.width - filled)
        extra = f"  {self.failures} failing" if self.failures else ""
        return f"[{bar}] {self.done}/{self.total} {time.perf_counter() - self.start:.1f}s{extra} {label}"

    def advance(self, label: str = "", failed: bool = False) -> None:
        self.done += 1
        self.failures += int(failed)
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r\033[K" + self._line(label)[:160])
            self.stream.flush()
        else:
            decile = int(10 * self.done / self.total) if self.total else 10
            if decile != self._last_decile and self.done < self.total:
                self._last_decile = decile
                self.stream.write(self._line(label) + "\n")

    def close(self) -> None:
        if not self.enabled:
            return
        self.stream.write(("\r\033[K" if self.tty else "") + self._line("done") + "\n")
        self.stream.flush()


@dataclass
class CaseRecord:
    conjecture: str
    case: str
    outcome: Outcome


@dataclass
class RunReport:
    """Everything one run decided, its ledger records, and the diff against earlier runs."""

    run: str
    results: list[CaseRecord]
    seconds: float
    records: list[dict[str, Any]] = field(default_factory=list)
    diff: Diff | None = None

    def counts(self, conjecture: str | None = None) -> dict[str, int]:
        rs = [r for r in self.results if conjecture is None or r.conjecture == conjecture]
        return {k: sum(1 for r in rs if r.outcome.result == k) for k in (HOLDS, COUNTEREXAMPLE, ERROR)}

    @property
    def failing(self) -> list[CaseRecord]:
        return [r for r in self.results if r.outcome.result != HOLDS]

    @property
    def ok(self) -> bool:
        return not self.failing

    def assert_holds(self) -> None:
        """Raise ``AssertionError`` listing counterexamples, errors and regressions (for pytest)."""
        lines = [f"{r.conjecture} [{r.case}]: {r.outcome.result}: {r.outcome.detail}" for r in self.failing]
        if self.diff:
            lines += ["regression: " + c.line() for c in self.diff.regressions]
        if lines:
            raise AssertionError("conjecture cases that do not hold:\n  " + "\n  ".join(lines))


_WORKER_FILES: set[str] = set()


def _worker(name: str, key: str, params: dict[str, Any], files: tuple[str, ...]) -> tuple[str, str, Outcome]:
    """Run one case in a worker process (loading the user files it needs once per process)."""
    for f in files:
        if f not in _WORKER_FILES:
            load_file(f)
            _WORKER_FILES.add(f)
    load_builtin()
    return name, key, get_conjecture(name).run_case(params)


def _as_conjectures(items: Iterable[Conjecture | str]) -> list[Conjecture]:
    out = []
    for it in items:
        out.append(it if isinstance(it, Conjecture) else get_conjecture(it))
    return out


def run_conjectures(
    conjectures: Sequence[Conjecture | str],
    jobs: int = 1,
    ledger: Ledger | str | None = None,
    files: Sequence[str] = (),
    progress: bool = True,
    stream: IO[str] | None = None,
    only_cases: Sequence[str] | None = None,
) -> RunReport:
    """Decide every case of the given conjectures; append to ``ledger`` (if given) and diff.

    ``jobs > 1`` runs the cases in a :class:`~concurrent.futures.ProcessPoolExecutor`
    (conjectures from user files are re-loaded from ``files`` in each
    worker).  Results come back in grid order whatever the completion order.
    """
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {jobs}")
    conjs = _as_conjectures(conjectures)
    tasks: list[tuple[str, str, dict[str, Any]]] = []
    for c in conjs:
        for key, params in c.cases():
            if only_cases is None or key in only_cases:
                tasks.append((c.name, key, params))
    if only_cases is not None and not tasks:
        raise InputError(f"no case matches {', '.join(only_cases)}")
    run = new_run_id()
    bar = ProgressBar(len(tasks), stream=stream, enabled=progress)
    start = time.perf_counter()
    results: dict[tuple[str, str], Outcome] = {}
    abs_files = tuple(os.path.abspath(f) for f in files)
    if jobs == 1 or len(tasks) <= 1:
        for name, key, params in tasks:
            out = get_conjecture(name).run_case(params)
            results[(name, key)] = out
            bar.advance(f"{name} [{key}]", out.result != HOLDS)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_worker, name, key, params, abs_files) for name, key, params in tasks]
            for fut in as_completed(futures):
                name, key, out = fut.result()
                results[(name, key)] = out
                bar.advance(f"{name} [{key}]", out.result != HOLDS)
    bar.close()
    ordered = [CaseRecord(n, k, results[(n, k)]) for n, k, _ in tasks]
    report = RunReport(run, ordered, time.perf_counter() - start)
    report.records = [make_record(r.conjecture, r.case, r.outcome.result, r.outcome.strength, r.outcome.seconds,
                                  r.outcome.detail, run) for r in ordered]
    if ledger is not None:
        led = ledger if isinstance(ledger, Ledger) else Ledger(ledger)
        earlier = led.records()
        led.append(report.records)
        touched = {(r["conjecture"], r["case"]) for r in report.records}
        report.diff = diff_records([r for r in earlier if (r["conjecture"], r["case"]) in touched] + report.records)
    else:
        report.diff = diff_records(report.records)
    return report
