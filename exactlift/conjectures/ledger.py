"""The results ledger: one JSON line per decided case, and the diff between runs.

Each record::

    {"conjecture": "core.critical_targets", "case": "widths=1-2-1,act=relu,seed=0",
     "result": "holds", "strength": "exact", "seconds": 0.012, "detail": "",
     "run": "20260101T120000-ab12cd", "version": "0.1.0", "commit": "3c9b4c4",
     "timestamp": "2026-01-01T12:00:00+00:00"}

The default file is ``.exactlift/ledger.jsonl`` in the current directory.
:func:`diff_records` compares, for every (conjecture, case), its most recent
record with the one before it (from an earlier run): a case that held and now
fails is a **regression**; a case that fails for the first time (new, or
previously an error) is a **new counterexample**; one that failed and now
holds is **fixed**; one that ran past its time limit is **timed out** and a
timeout that now holds **finishes** (their own kinds: a timeout neither holds
nor fails).  A ``crashed`` case counts like an ``error``.

>>> recs = [{"conjecture": "c", "case": "n=1", "result": "holds", "run": "r1"},
...         {"conjecture": "c", "case": "n=1", "result": "counterexample", "run": "r2", "detail": "x"}]
>>> [(ch.kind, ch.case) for ch in diff_records(recs).changes]
[('regression', 'n=1')]
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import os
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from exactlift.conjectures.ledger_io import LedgerWriter, check_ledger, read_records
from exactlift.certify import Certificate
from exactlift.conjectures.claims import COUNTEREXAMPLE, CRASHED, ERROR, HOLDS, TIMEOUT, Outcome
from exactlift.errors import InputError, check_arguments
from exactlift.version import __version__

DEFAULT_LEDGER = Path(".exactlift") / "ledger.jsonl"


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """The version of exactlift that wrote a record (:data:`exactlift.version.__version__`).

    >>> code_version() == __version__
    True
    """
    return str(__version__)


@functools.lru_cache(maxsize=1)
def git_commit() -> str | None:
    """The git commit of the exactlift source tree (``+dirty`` when modified), or None."""
    here = Path(__file__).resolve().parent
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=here, capture_output=True,
                             text=True, timeout=10, stdin=subprocess.DEVNULL)
        if sha.returncode != 0:
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "."],
                               cwd=here.parent, capture_output=True, text=True, timeout=10,
                               stdin=subprocess.DEVNULL)
        return sha.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def new_run_id() -> str:
    """A unique, time-ordered id for one ``conjecture run`` invocation."""
    now = _dt.datetime.now(_dt.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S.%f") + "-" + uuid.uuid4().hex[:6]


def make_record(conjecture: str, case: str, result: str, strength: str | None, seconds: float,
                detail: str, run: str) -> dict[str, Any]:
    """One ledger record (see the module docstring)."""
    return {
        "conjecture": conjecture,
        "case": case,
        "result": result,
        "strength": strength,
        "seconds": round(seconds, 6),
        "detail": detail,
        "run": run,
        "version": code_version(),
        "commit": git_commit(),
        "timestamp": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }


#: The record keys that describe where a result came from (kept in a certificate's ``data``).
PROVENANCE = ("run", "version", "commit", "timestamp")


def record_certificate(record: dict[str, Any], strength: str | None = None) -> Certificate:
    """A ledger record as a leaf :class:`~exactlift.certify.Certificate` (the record itself is unchanged).

    The claim is ``"conjecture [case]"``, the scope the case key; ``holds`` is
    True, False or None (see :meth:`~exactlift.conjectures.claims.Outcome.certificate`);
    ``data`` also keeps the conjecture, the case and the record's run,
    version, commit and timestamp, so :func:`certificate_record` gives the
    record back.

    >>> rec = {"conjecture": "c", "case": "n=1", "result": "counterexample", "strength": "exact",
    ...        "seconds": 0.25, "detail": "n = 1", "run": "r1"}
    >>> cert = record_certificate(rec)
    >>> cert.claim, cert.holds, cert.strength
    ('c [n=1]', False, 'exact')
    >>> certificate_record(cert) == rec
    True
    """
    conj, case = str(record["conjecture"]), str(record["case"])
    cert = Outcome.from_record(record).certificate(f"{conj} [{case}]", strength, scope=case)
    cert.data.update({"conjecture": conj, "case": case, "strength": record.get("strength")})
    cert.data.update({k: record[k] for k in PROVENANCE if k in record})
    return cert


def certificate_record(cert: Certificate) -> dict[str, Any]:
    """The ledger record a certificate from :func:`record_certificate` was made of."""
    d = cert.data
    out: dict[str, Any] = {"conjecture": d["conjecture"], "case": d["case"], "result": d["result"],
                           "strength": d.get("strength"), "seconds": cert.seconds, "detail": cert.detail}
    out.update({k: d[k] for k in PROVENANCE if k in d})
    return out


class Ledger:
    """A JSON-lines file of records (created with its directory on first write)."""

    def __init__(self, path: str | Path | None = None) -> None:
        check_arguments("Ledger()", {"path": path}, {"path": str | os.PathLike | None})
        self.path = Path(path) if path is not None else DEFAULT_LEDGER

    def append(self, records: Iterable[dict[str, Any]]) -> None:
        """Append records atomically, one write each (see :mod:`exactlift.conjectures.ledger_io`)."""
        records = list(records)
        if not records:
            return
        with LedgerWriter(self.path) as w:
            for r in records:
                w.write(r)

    def records(self) -> list[dict[str, Any]]:
        """Every record in file order; a malformed line is an InputError naming it."""
        return read_records(self.path)

    def certificates(self) -> list[Certificate]:
        """Every record as a :class:`~exactlift.certify.Certificate` (:func:`record_certificate`), in file order."""
        return [record_certificate(r) for r in self.records()]

    def check(self) -> list[dict[str, Any]]:
        """Check (before work) that the ledger is readable, parseable and writable; return its records."""
        return check_ledger(self.path)

    def diff(self, conjectures: Iterable[str] | None = None) -> "Diff":
        recs = self.records()
        if conjectures is not None:
            wanted = set(conjectures)
            recs = [r for r in recs if r["conjecture"] in wanted]
        return diff_records(recs)


@dataclass
class Change:
    """A case whose result changed between its last two recorded runs."""

    kind: str  # regression | new counterexample | new error | timed out | changed | finishes | fixed
    conjecture: str
    case: str
    before: str | None
    after: str
    detail: str = ""
    run: str = ""
    commit: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "conjecture": self.conjecture, "case": self.case, "before": self.before,
                "after": self.after, "detail": self.detail, "run": self.run, "commit": self.commit}

    def line(self) -> str:
        was = self.before or "never recorded"
        text = f"{self.kind.upper():18s} {self.conjecture} [{self.case}]: {was} -> {self.after}"
        return text + (f": {self.detail}" if self.detail else "")


@dataclass
class Diff:
    changes: list[Change] = field(default_factory=list)
    n_cases: int = 0

    @property
    def regressions(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "regression"]

    @property
    def new_counterexamples(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "new counterexample"]


def _kind(before: str | None, after: str) -> str | None:
    if before == after:
        return None
    if before == HOLDS and after in (COUNTEREXAMPLE, ERROR, CRASHED):
        return "regression"
    if after == COUNTEREXAMPLE:
        return "new counterexample"
    if after == TIMEOUT:
        return "timed out"  # holds -> timeout (or a new case that times out): neither holds nor fails
    if before == TIMEOUT and after == HOLDS:
        return "finishes"  # timeout -> holds: decided now
    if after == HOLDS and before in (COUNTEREXAMPLE, ERROR, CRASHED):
        return "fixed"
    if before is None:
        return "new error" if after in (ERROR, CRASHED) else None  # a new case that holds is not a change
    return "changed"


def diff_records(records: Iterable[dict[str, Any]]) -> Diff:
    """Compare each case's latest record with its previous one (see the module docstring)."""
    history: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in records:
        history.setdefault((r["conjecture"], r["case"]), []).append(r)
    out = Diff(n_cases=len(history))
    for (conj, case), recs in history.items():
        last = recs[-1]
        prev = None
        for r in reversed(recs[:-1]):
            if r.get("run") != last.get("run"):
                prev = r
                break
        kind = _kind(prev["result"] if prev else None, last["result"])
        if kind:
            out.changes.append(Change(kind, conj, case, prev["result"] if prev else None, last["result"],
                                      str(last.get("detail") or ""), str(last.get("run") or ""), last.get("commit")))
    order = {"regression": 0, "new counterexample": 1, "new error": 2, "timed out": 3, "changed": 4,
             "finishes": 5, "fixed": 6}
    out.changes.sort(key=lambda c: (order[c.kind], c.conjecture, c.case))
    return out
