"""pytest plugin: keep conjectures in your own test suite, recorded in the ledger.

Installing exactlift registers this plugin with pytest (the ``pytest11`` entry
point ``exactlift.conjectures.pytest_plugin``): a project needs no
``pytest_plugins = [...]`` line (an old one is harmless).  Disable it with
``pytest -p no:exactlift.conjectures.pytest_plugin``.  In a test file::

    from exactlift.conjectures import conjecture

    @conjecture(name="mine.square_nonnegative", grid={"q": [-2, 0, 3]})
    def square_nonnegative(q):
        assert q * q >= 0

    def test_square_nonnegative(conjecture_ledger):
        conjecture_ledger.check(square_nonnegative)      # runs the grid, records, asserts

``conjecture_ledger.check(c)`` runs every case of ``c`` (a decorated
function, a :class:`~exactlift.conjectures.registry.Conjecture` or a registered
name), appends one record per case to the ledger and fails the test with a
count summary, then each counterexample, error and regression once (no
traceback into exactlift).  ``conjecture_ledger.run(c)``
does the same without asserting and returns the
:class:`~exactlift.conjectures.runner.RunReport`.

The ledger is ``.exactlift/ledger.jsonl`` under pytest's root directory, or
the file given with ``--conjecture-ledger PATH``; ``--conjecture-jobs N``
runs cases in N processes.  ``exactlift conjecture diff --ledger PATH``
then shows what changed between test runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from exactlift.conjectures.ledger import DEFAULT_LEDGER, Ledger
from exactlift.conjectures.registry import Conjecture, get_conjecture
from exactlift.conjectures.runner import RunReport, run_conjectures


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("exactlift", "exactlift conjectures")
    group.addoption("--conjecture-ledger", default=None, metavar="PATH",
                    help=f"ledger file for conjecture_ledger (default: <rootdir>/{DEFAULT_LEDGER})")
    group.addoption("--conjecture-jobs", type=int, default=1, metavar="N",
                    help="worker processes for conjecture cases (default 1)")


def _resolve(c: Any) -> Conjecture:
    if isinstance(c, Conjecture):
        return c
    if isinstance(c, str):
        return get_conjecture(c)
    conj = getattr(c, "conjecture", None)
    if isinstance(conj, Conjecture):
        return conj
    raise TypeError(f"{c!r} is not a conjecture: decorate it with @conjecture(name=..., grid=...)")


class ConjectureLedger:
    """What the ``conjecture_ledger`` fixture returns."""

    def __init__(self, path: Path, jobs: int = 1) -> None:
        self.ledger = Ledger(path)
        self.jobs = jobs

    @property
    def path(self) -> Path:
        return self.ledger.path

    def run(self, c: Any, jobs: int | None = None) -> RunReport:
        """Run every case of the conjecture, record it, return the report (no assertion)."""
        conj = _resolve(c)
        return run_conjectures([conj], jobs=jobs or self.jobs, ledger=self.ledger, progress=False)

    def check(self, c: Any, jobs: int | None = None) -> RunReport:
        """Like :meth:`run`, then fail the test on any counterexample, error or regression (:func:`failure_message`)."""
        __tracebackhide__ = True  # the failure is the conjecture's, not a frame of exactlift
        report = self.run(c, jobs)
        message = failure_message(report, self.path)
        if message:
            raise AssertionError(message)
        return report


#: At most this many failing cases are listed in a test failure (the ledger has them all).
MAX_LISTED = 50


def failure_message(report: RunReport, ledger: Path | str | None = None) -> str:
    """The text a failing :meth:`ConjectureLedger.check` shows: a count summary, then each failing case once.

    A case that is also a regression (it held in the previous run) says so on its
    own line; nothing is listed twice.  Empty when every case holds.

    >>> def small(q):
    ...     assert q < 4, f"q = {q}"
    >>> report = run_conjectures([Conjecture("doc.small", small, {"q": [1, 5, 9]})], progress=False)
    >>> print(failure_message(report))
    doc.small: 2 of 3 cases do not hold (2 counterexamples)
      doc.small [q=5]: counterexample: q = 5
      doc.small [q=9]: counterexample: q = 9
    """
    regressions = {(ch.conjecture, ch.case): ch for ch in (report.diff.regressions if report.diff else [])}
    failing = report.failing
    if not failing and not regressions:
        return ""
    lines = []
    for name in dict.fromkeys(r.conjecture for r in report.results):
        counts = report.counts(name)
        n = sum(counts.values())
        bad = {k: v for k, v in counts.items() if k != "holds" and v}
        if bad:
            kinds = ", ".join(f"{v} {k}{'' if v == 1 or k == 'crashed' else 's'}" for k, v in bad.items())
            n_reg = sum(1 for key in regressions if key[0] == name)
            reg = f", {n_reg} regression{'s' if n_reg != 1 else ''}" if n_reg else ""
            lines.append(f"{name}: {n - counts.get('holds', 0)} of {n} cases do not hold ({kinds}){reg}")
    for r in failing[:MAX_LISTED]:
        detail = "; ".join(line.strip() for line in str(r.outcome.detail or "").splitlines() if line.strip())
        change = regressions.pop((r.conjecture, r.case), None)
        was = f" (regression: it was {change.before})" if change is not None else ""
        lines.append(f"  {r.conjecture} [{r.case}]: {r.outcome.result}: {detail}{was}")
    if len(failing) > MAX_LISTED:
        where = f" in {ledger}" if ledger else " in the ledger"
        lines.append(f"  ... and {len(failing) - MAX_LISTED} more (every case is recorded{where})")
    lines += [f"  regression: {ch.line()}" for key, ch in regressions.items()
              if all((r.conjecture, r.case) != key for r in failing)]
    return "\n".join(lines)


@pytest.fixture
def conjecture_ledger(request: Any) -> ConjectureLedger:
    """A :class:`ConjectureLedger` writing to the configured ledger file."""
    opt = request.config.getoption("--conjecture-ledger", default=None)
    path = Path(opt) if opt else Path(str(request.config.rootpath)) / DEFAULT_LEDGER
    jobs = request.config.getoption("--conjecture-jobs", default=1) or 1
    return ConjectureLedger(path, jobs)
