"""Conjectures: parameterized claims over grids of small cases, a results ledger, regressions.

See :mod:`exactlift.conjectures.claims` (``@conjecture``, ``Conjecture``, ``Outcome``; each outcome
is also a :class:`~exactlift.certify.Certificate`),
:mod:`exactlift.conjectures.registry` (look-up, the shipped library, user files),
:mod:`exactlift.conjectures.ledger` (JSON lines, diff),
:mod:`exactlift.conjectures.runner` (parallel runs, progress bar) and
:mod:`exactlift.conjectures.pytest_plugin` (the ``conjecture_ledger`` fixture);
``docs/conjectures.md`` is the user guide.
"""

from exactlift.conjectures.ledger import DEFAULT_LEDGER, Ledger, certificate_record, diff_records, record_certificate
from exactlift.conjectures.registry import (
    COUNTEREXAMPLE,
    ERROR,
    HOLDS,
    Conjecture,
    Outcome,
    all_conjectures,
    conjecture,
    counterexample,
    get_conjecture,
    holds,
    load_file,
)
from exactlift.conjectures.runner import RunReport, run_conjectures
from exactlift.progress import Progress

__all__ = [
    "conjecture",
    "holds",
    "counterexample",
    "Conjecture",
    "Outcome",
    "get_conjecture",
    "all_conjectures",
    "load_file",
    "run_conjectures",
    "RunReport",
    "Progress",
    "Ledger",
    "DEFAULT_LEDGER",
    "diff_records",
    "record_certificate",
    "certificate_record",
    "HOLDS",
    "COUNTEREXAMPLE",
    "ERROR",
]
