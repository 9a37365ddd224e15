"""Run conjectures over their grids on any executor (local processes, Dask), with limits and progress.

>>> from exactlift.conjectures.registry import conjecture
>>> @conjecture(name="doc.runner", grid={"n": [1, 2, 3]})
... def positive(n):
...     assert n > 0
>>> report = run_conjectures(["doc.runner"], jobs=1, progress=False)
>>> report.counts()
{'holds': 3, 'counterexample': 0, 'error': 0, 'timeout': 0, 'crashed': 0}
>>> cert = report.certificates()["doc.runner"]
>>> cert.holds, cert.strength, len(cert.children)
(True, 'exact', 3)
"""

from __future__ import annotations

import os
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future, wait
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterable, Sequence

from exactlift import display
from exactlift.conjectures.executors import CaseTask, SupervisedPool, WorkerCrashed, executor_width, run_task
from exactlift.conjectures.ledger import Diff, Ledger, diff_records, make_record, new_run_id
from exactlift.conjectures.ledger_io import LedgerWriter
from exactlift.certify import Certificate
from exactlift.conjectures.registry import (
    COUNTEREXAMPLE,
    CRASHED,
    ERROR,
    HOLDS,
    TIMEOUT,
    Conjecture,
    Outcome,
    get_conjecture,
)
from exactlift.errors import InputError, validated
from exactlift.progress import Progress


@dataclass
class CaseRecord:
    """One decided case of a run: the conjecture's name, the case key and its :class:`Outcome`."""

    conjecture: str
    case: str
    outcome: Outcome

    def certificate(self, strength: str | None = None) -> Certificate:
        """This case as a leaf certificate (``strength``: the conjecture's, for an outcome without one)."""
        return self.outcome.certificate(f"{self.conjecture} [{self.case}]", strength, scope=self.case)


@display.rich_display(display.run_report_bundle)  # notebook views: _repr_mimebundle_, _repr_html_, _repr_latex_
@dataclass
class RunReport:
    """Everything one run decided, its ledger records, and the diff against earlier runs."""

    run: str
    results: list[CaseRecord]
    seconds: float
    records: list[dict[str, Any]] = field(default_factory=list)
    diff: Diff | None = None
    #: name -> the conjectures this run decided (for their certificates)
    conjectures: dict[str, Conjecture] = field(default_factory=dict)

    def certificates(self) -> dict[str, Certificate]:
        """One composite certificate per conjecture, over the cases this run decided (in grid order).

        A conjecture's verdict is False if a case is a counterexample, True if
        all hold, else None; its strength is the weakest of its cases'.
        """
        by_name: dict[str, list[CaseRecord]] = {}
        for r in self.results:
            by_name.setdefault(r.conjecture, []).append(r)
        out = {}
        for name, recs in by_name.items():
            conj = self.conjectures.get(name)
            if conj is not None:
                out[name] = conj.certificate((r.case, r.outcome) for r in recs)
            else:
                out[name] = Certificate.combine(name, [r.certificate() for r in recs], theorem=name)
        return out

    def certificate(self) -> Certificate:
        """The whole run as one certificate whose children are the conjectures (see :meth:`certificates`)."""
        kids = list(self.certificates().values())
        if not kids:
            return Certificate(f"run {self.run}", None, "numerical", detail="no cases were run")
        return Certificate.combine(f"run {self.run}", kids, seconds=self.seconds, data={"run": self.run})

    def counts(self, conjecture: str | None = None) -> dict[str, int]:
        rs = [r for r in self.results if conjecture is None or r.conjecture == conjecture]
        return {k: sum(1 for r in rs if r.outcome.result == k) for k in (HOLDS, COUNTEREXAMPLE, ERROR, TIMEOUT, CRASHED)}

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


def _as_conjectures(items: Iterable[Conjecture | str]) -> list[Conjecture]:
    out = []
    for it in items:
        if not isinstance(it, (Conjecture, str)):
            raise InputError(f"run_conjectures(): each conjecture must be a Conjecture or a name, got {type(it).__name__}")
        out.append(it if isinstance(it, Conjecture) else get_conjecture(it))
    return out


def _outcome_of(fut: Future, seconds: float) -> Outcome:
    """The case's Outcome from a finished future: a dead worker is ``crashed``, an exception ``error``."""
    if fut.cancelled():
        return Outcome(CRASHED, "the case was cancelled by the executor", None, seconds)
    exc = fut.exception()
    if exc is None:
        out = fut.result()
        if isinstance(out, Outcome):
            return out
        return Outcome(ERROR, f"the executor returned {type(out).__name__}, not an Outcome", None, seconds)
    name = type(exc).__name__
    if isinstance(exc, (WorkerCrashed, BrokenExecutor)) or name in ("KilledWorker", "TerminatedWorkerError"):
        return Outcome(CRASHED, f"{name}: {exc}"[:500], None, seconds)
    return Outcome(ERROR, f"{name}: {exc}"[:500], None, seconds)


def _drive(executor: Executor, tasks: list[tuple[str, str, int, float | None]], files: tuple[str, ...],
           width: int, done: Callable[[str, str, Outcome], None]) -> None:
    """Run ``tasks`` on ``executor`` at most ``width`` at a time; kill those past their limit."""
    pending = deque(tasks)
    inflight: dict[Future, tuple[tuple[str, str, int, float | None], float]] = {}
    kill = getattr(executor, "kill", None)
    while pending or inflight:
        while pending and len(inflight) < width:
            t = pending.popleft()
            inflight[executor.submit(run_task, CaseTask(t[0], t[2], files))] = (t, time.monotonic())
        now = time.monotonic()
        limits = [t0 + t[3] - now for t, t0 in inflight.values() if t[3]]
        wait_s = min([0.5] + limits) if limits else 0.5
        finished, _ = wait(list(inflight), timeout=max(0.005, wait_s), return_when=FIRST_COMPLETED)
        for fut in finished:
            (name, key, _, _), t0 = inflight.pop(fut)
            done(name, key, _outcome_of(fut, time.monotonic() - t0))
        now = time.monotonic()
        for fut, ((name, key, _, lim), t0) in list(inflight.items()):
            if lim and now - t0 > lim and not fut.done():
                del inflight[fut]
                if kill is not None:
                    kill(fut)
                else:
                    fut.cancel()
                done(name, key, Outcome(TIMEOUT, f"ran past its limit of {lim:g} s", None, now - t0))


@validated
def run_conjectures(
    conjectures: Sequence[Conjecture | str],
    jobs: int = 1,
    ledger: Ledger | str | None = None,
    files: Sequence[str] = (),
    progress: bool = True,
    stream: IO[str] | None = None,
    only_cases: Sequence[str] | None = None,
    executor: Executor | None = None,
    case_timeout: float | None = None,
) -> RunReport:
    """Decide every case of the given conjectures; append to ``ledger`` (if given) and diff.

    ``executor``: any :class:`concurrent.futures.Executor` (e.g. a
    :class:`~exactlift.conjectures.executors.SupervisedPool`, or Dask's
    ``Client.get_executor()``); it receives small
    :class:`~exactlift.conjectures.executors.CaseTask` descriptions (user
    conjectures are re-loaded from ``files`` in each worker) and is not shut
    down here.  Without one, ``jobs == 1`` runs the cases in this process and
    ``jobs > 1`` (or a time limit) in a supervised pool of ``jobs`` processes.
    ``case_timeout`` (seconds; else each conjecture's ``timeout``): a case past
    it is recorded ``timeout`` and its worker replaced; a case whose worker
    dies is ``crashed``; the sweep goes on.

    The ledger is checked before any case runs (an unusable ledger is an
    :class:`~exactlift.errors.InputError`); records are appended by this process
    alone, one atomic write each, in completion order; if the ledger fails
    mid-run the records go to a side file and
    :class:`~exactlift.conjectures.ledger_io.LedgerWriteError` names it at the end.
    ``report.results`` are in grid order.
    """
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {jobs}")
    if case_timeout is not None and not case_timeout > 0:
        raise InputError(f"--case-timeout must be a positive number of seconds, got {case_timeout}")
    conjs = _as_conjectures(conjectures)
    tasks: list[tuple[str, str, int, float | None]] = []
    for c in conjs:
        for i, (key, _params) in enumerate(c.cases()):
            if only_cases is None or key in only_cases:
                tasks.append((c.name, key, i, case_timeout or c.timeout))
    if only_cases is not None and not tasks:
        raise InputError(f"no case matches {', '.join(only_cases)}")
    run = new_run_id()
    led = None if ledger is None else (ledger if isinstance(ledger, Ledger) else Ledger(ledger))
    earlier = led.check() if led is not None else []  # before any work
    writer = LedgerWriter(led.path, side_name=f"unsaved-{run}") if led is not None else None
    bar = Progress(len(tasks), "cases", stream=stream, enabled=progress)
    start = time.perf_counter()
    results: dict[tuple[str, str], Outcome] = {}
    records: dict[tuple[str, str], dict[str, Any]] = {}
    abs_files = tuple(os.path.abspath(f) for f in files)

    def done(name: str, key: str, out: Outcome) -> None:
        results[(name, key)] = out
        rec = make_record(name, key, out.result, out.strength, out.seconds, out.detail, run)
        records[(name, key)] = rec
        if writer is not None:
            writer.write(rec)
        bar.advance(f"{name} [{key}]", out.result != HOLDS)

    own = None
    try:
        if executor is None and jobs == 1 and not any(t[3] for t in tasks):
            by_name = {c.name: c for c in conjs}
            cases = {c.name: c.cases() for c in conjs}
            for name, key, i, _ in tasks:
                done(name, key, by_name[name].run_case(cases[name][i][1]))
        else:
            if executor is None:
                own = executor = SupervisedPool(jobs)
            _drive(executor, tasks, abs_files, executor_width(executor, jobs), done)
    finally:
        bar.close()
        if own is not None:
            own.shutdown(wait=False)
        if writer is not None:
            writer.close()  # raises LedgerWriteError (naming the side file) if the ledger failed
    ordered = [CaseRecord(n, k, results[(n, k)]) for n, k, _, _ in tasks]
    report = RunReport(run, ordered, time.perf_counter() - start, conjectures={c.name: c for c in conjs})
    report.records = [records[(n, k)] for n, k, _, _ in tasks]
    touched = {(r["conjecture"], r["case"]) for r in report.records}
    report.diff = diff_records([r for r in earlier if (r["conjecture"], r["case"]) in touched] + report.records)
    return report
