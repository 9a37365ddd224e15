"""pytest plugin: keep conjectures in your own test suite, recorded in the ledger.

In your ``conftest.py``::

    pytest_plugins = ["exactlift.conjectures.pytest_plugin"]

and in a test file::

    from exactlift.conjectures import conjecture

    @conjecture(name="mine.square_nonnegative", grid={"q": [-2, 0, 3]})
    def square_nonnegative(q):
        assert q * q >= 0

    def test_square_nonnegative(conjecture_ledger):
        conjecture_ledger.check(square_nonnegative)      # runs the grid, records, asserts

``conjecture_ledger.check(c)`` runs every case of ``c`` (a decorated
function, a :class:`~exactlift.conjectures.registry.Conjecture` or a registered
name), appends one record per case to the ledger and fails the test listing
every counterexample, error and regression.  ``conjecture_ledger.run(c)``
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
        """Like :meth:`run`, then fail the test on any counterexample, error or regression."""
        report = self.run(c, jobs)
        report.assert_holds()
        return report


@pytest.fixture
def conjecture_ledger(request: Any) -> ConjectureLedger:
    """A :class:`ConjectureLedger` writing to the configured ledger file."""
    opt = request.config.getoption("--conjecture-ledger", default=None)
    path = Path(opt) if opt else Path(str(request.config.rootpath)) / DEFAULT_LEDGER
    jobs = request.config.getoption("--conjecture-jobs", default=1) or 1
    return ConjectureLedger(path, jobs)
