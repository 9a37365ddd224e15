"""Counterexample search that shrinks: Hypothesis draws cases, and a failure comes back minimal.

A conjecture declared with ``search="hypothesis"`` and ``strategies={"param":
strategy}`` (see :mod:`exactlift.testing.strategies`) can be searched:
:func:`search_conjecture` runs ``hypothesis.find`` for a case whose result is a
counterexample; Hypothesis shrinks it to a minimal one, saves it in its
database (a directory next to the ledger, so a later search replays it first),
and the counterexample is written as a file (a case file readable by
``exactlift analyze`` when a parameter is a Case or the conjecture has
``case_of``; else a JSON file of the parameters) and recorded in the ledger.

Failure modes: :class:`~exactlift.errors.InputError` for a conjecture without
``search``, or when hypothesis is not installed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exactlift.certify import Certificate
from exactlift.conjectures.ledger import Ledger, make_record, new_run_id
from exactlift.conjectures.ledger_io import LedgerWriter
from exactlift.conjectures.registry import COUNTEREXAMPLE, HOLDS, Conjecture, Outcome, case_key, get_conjecture
from exactlift.errors import InputError
from exactlift.certify.certificate import jsonable


@dataclass
class SearchResult:
    conjecture: str
    found: bool
    examples: int
    params: dict[str, Any] | None = None
    outcome: Outcome | None = None
    case_file: Path | None = None
    record: dict[str, Any] | None = None

    def certificate(self) -> Certificate:
        """The search as a leaf certificate: False with the shrunk counterexample, else None.

        A search that finds nothing decides nothing (``numerical``: it only
        looked at ``examples`` cases).

        >>> SearchResult("c", False, 20).certificate().line()
        'c: n/a [numerical; 20 examples] no counterexample in 20 examples'
        """
        if self.found and self.outcome is not None:
            key = str(self.record["case"]) if self.record else "search"
            cert = self.outcome.certificate(f"{self.conjecture} [{key}]", scope=key)
            cert.data["examples"] = self.examples
            cert.data["case_file"] = None if self.case_file is None else str(self.case_file)
            return cert
        return Certificate(self.conjecture, None, "numerical", scope=f"{self.examples} examples",
                           detail=f"no counterexample in {self.examples} examples", data={"examples": self.examples})


def _write_case_file(conj: Conjecture, params: dict[str, Any], folder: Path, run: str) -> Path:
    from exactlift.nn.case import Case, save_case

    folder.mkdir(parents=True, exist_ok=True)
    stem = conj.name.replace("/", "_") + "-" + run.split("-")[-1]
    case = next((v for v in params.values() if isinstance(v, Case)), None)
    if case is None and conj.case_of is not None:
        case = conj.case_of(**params)
    if case is not None:
        path = folder / f"{stem}.json"
        save_case(case, path)
        return path
    path = folder / f"{stem}.params.json"
    path.write_text(json.dumps({"conjecture": conj.name, "params": jsonable(params)}, indent=1) + "\n")
    return path


def search_conjecture(name: str | Conjecture, budget: int = 200, ledger: Ledger | str | None = None,
                      database: str | Path | None = None, out_dir: str | Path | None = None,
                      seed: int | None = None) -> SearchResult:
    """Search ``budget`` Hypothesis examples for a counterexample of ``name``; shrink and record it."""
    try:
        from hypothesis import HealthCheck, Phase, find, settings
        from hypothesis import strategies as st
        from hypothesis.database import DirectoryBasedExampleDatabase
        from hypothesis.errors import NoSuchExample
    except ImportError:
        raise InputError("conjecture search needs hypothesis: pip install 'exactlift[dev]'") from None
    conj = name if isinstance(name, Conjecture) else get_conjecture(name)
    if conj.search != "hypothesis" or not conj.strategies:
        raise InputError(f"conjecture {conj.name} has no search strategies (declare search='hypothesis', "
                         "strategies={...})")
    if budget < 1:
        raise InputError(f"--budget must be at least 1, got {budget}")
    led = None if ledger is None else (ledger if isinstance(ledger, Ledger) else Ledger(ledger))
    if led is not None:
        led.check()
    base = led.path.parent if led is not None else Path(".exactlift")
    db = DirectoryBasedExampleDatabase(str(database or base / "hypothesis"))
    count = [0]

    def fails(params: dict[str, Any]) -> bool:
        count[0] += 1
        return conj.run_case(params).result == COUNTEREXAMPLE

    strategies = conj.strategies() if callable(conj.strategies) else conj.strategies
    cfg = settings(max_examples=budget, database=None if seed is not None else db, deadline=None,
                   derandomize=seed is not None,
                   suppress_health_check=list(HealthCheck),
                   phases=[Phase.reuse, Phase.generate, Phase.shrink])
    run = new_run_id()
    try:
        params = find(st.fixed_dictionaries(strategies), fails, settings=cfg,
                      database_key=("exactlift-search:" + conj.name).encode())
    except NoSuchExample:
        return SearchResult(conj.name, False, count[0])
    out = conj.run_case(params)
    path = _write_case_file(conj, params, Path(out_dir) if out_dir else base / "counterexamples", run)
    rec = make_record(conj.name, "search:" + case_key({k: jsonable(v) for k, v in params.items()
                                                       if not hasattr(v, "arch")}),
                      out.result, out.strength, out.seconds, out.detail, run)
    rec["case_file"] = str(path)
    if led is not None:
        with LedgerWriter(led.path, side_name=f"unsaved-{run}") as w:
            w.write(rec)
    return SearchResult(conj.name, True, count[0], params, out, path, rec)


__all__ = ["search_conjecture", "SearchResult", "HOLDS"]
