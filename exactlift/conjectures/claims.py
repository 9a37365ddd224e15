"""Conjectures and their case outcomes: the ``@conjecture`` decorator, :class:`Conjecture`, :class:`Outcome`.

This module defines what a conjecture *is* and keeps the table of registered
ones (:data:`REGISTRY`); :mod:`exactlift.conjectures.registry` looks them up
and loads the shipped ones (:mod:`exactlift.conjectures.library`, which
registers itself through this module, so neither imports the other in a loop).

Every outcome is also a :class:`~exactlift.certify.Certificate`:
``holds`` -> ``holds=True``, ``counterexample`` -> ``False``, and
``error``/``timeout``/``crashed`` -> ``None`` (the reason is in ``detail`` and
``data["result"]``).  A conjecture's certificate over its cases has the
weakest strength of its cases, computed.

>>> c = Conjecture("doc.claims", lambda n: n > 1, {"n": [1, 2]})
>>> outs = [(k, c.run_case(p)) for k, p in c.cases()]
>>> [o.result for _, o in outs]
['counterexample', 'holds']
>>> cert = c.certificate(outs)
>>> cert.holds, cert.strength, [ch.holds for ch in cert.children]
(False, 'exact', [False, True])
"""

from __future__ import annotations

import itertools
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from exactlift.certify import Certificate
from exactlift.errors import InputError, validated


HOLDS, COUNTEREXAMPLE, ERROR = "holds", "counterexample", "error"
#: A case that ran past its time limit (neither holds nor fails) / whose worker died (see runner, executors).
TIMEOUT, CRASHED = "timeout", "crashed"
RESULTS = (HOLDS, COUNTEREXAMPLE, ERROR, TIMEOUT, CRASHED)
STRENGTHS = ("symbolic", "exact", "certified", "numerical")
#: The verdict of a certificate for each case result (undecided results give None).
VERDICTS: dict[str, bool | None] = {HOLDS: True, COUNTEREXAMPLE: False, ERROR: None, TIMEOUT: None, CRASHED: None}


@dataclass(frozen=True)
class Outcome:
    """The result of one case: ``holds``, ``counterexample`` or ``error``, with a detail."""

    result: str
    detail: str = ""
    strength: str | None = None
    seconds: float = 0.0

    @property
    def holds(self) -> bool:
        return self.result == HOLDS

    def certificate(self, claim: str = "", strength: str | None = None, scope: str = "") -> Certificate:
        """This outcome as a leaf :class:`~exactlift.certify.Certificate`.

        ``holds`` is True (holds), False (counterexample) or None (error,
        timeout, crashed: ``detail`` and ``data["reason"]`` say why).  Its
        strength is the outcome's own, else ``strength`` (the conjecture's),
        else ``numerical`` (nothing was decided).

        >>> counterexample("q = -1").certificate("q^2 > 0 [q=-1]", "exact").holds
        False
        >>> Outcome(TIMEOUT, "ran past 1 s").certificate("slow").data
        {'result': 'timeout', 'reason': 'ran past 1 s'}
        """
        verdict = VERDICTS.get(self.result)
        data: dict[str, Any] = {"result": self.result}
        if verdict is None:
            data["reason"] = self.detail
        return Certificate(claim or self.result, verdict, self.strength or strength or "numerical", scope=scope,
                           detail=self.detail, data=data, seconds=self.seconds)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "Outcome":
        """The outcome stored in a ledger record (see :mod:`exactlift.conjectures.ledger`).

        >>> Outcome.from_record({"result": "holds", "strength": "exact", "seconds": 0.5, "detail": "ok"})
        Outcome(result='holds', detail='ok', strength='exact', seconds=0.5)
        """
        return cls(str(record["result"]), str(record.get("detail") or ""), record.get("strength"),
                   float(record.get("seconds") or 0.0))


@validated
def holds(detail: str = "", strength: str | None = None) -> Outcome:
    """The claim holds for this case (``detail``: e.g. the values that were compared)."""
    return Outcome(HOLDS, str(detail), strength)


@validated
def counterexample(detail: str, strength: str | None = None) -> Outcome:
    """The claim fails for this case; ``detail`` says how (it is stored in the ledger)."""
    return Outcome(COUNTEREXAMPLE, str(detail), strength)


def _format_value(v: Any) -> str:
    if isinstance(v, (list, tuple)):
        return "[" + " ".join(_format_value(x) for x in v) + "]"
    return str(v)


def case_key(params: dict[str, Any]) -> str:
    """The stable name of a grid point: ``"a=1,b=relu"`` (in the grid's key order)."""
    return ",".join(f"{k}={_format_value(v)}" for k, v in params.items())


@dataclass
class Conjecture:
    """A registered claim: its function, grid, strength and description."""

    name: str
    func: Callable[..., Any]
    grid: Any
    strength: str = "exact"
    description: str = ""
    module: str = ""
    slow: bool = False
    #: default per-case time limit in seconds (``--case-timeout`` overrides), None = none
    timeout: float | None = None
    #: ``"hypothesis"``: ``exactlift conjecture search`` draws cases from ``strategies``
    search: str | None = None
    #: parameter name -> Hypothesis strategy (for ``search``), or a function returning that dict
    #: (built when a search starts, so hypothesis stays optional for a file that declares one)
    strategies: Any = None
    #: optional ``params -> Case``: the case file written for a counterexample found by search
    case_of: Callable[..., Any] | None = None

    def grid_points(self) -> list[dict[str, Any]]:
        grid = self.grid() if callable(self.grid) else self.grid
        if isinstance(grid, dict):
            keys = list(grid)
            for k in keys:
                if not isinstance(grid[k], (list, tuple, range)):
                    raise InputError(f"conjecture {self.name}: grid[{k!r}] must be a list of values")
            return [dict(zip(keys, combo)) for combo in itertools.product(*(list(grid[k]) for k in keys))]
        if isinstance(grid, (list, tuple)) and all(isinstance(p, dict) for p in grid):
            return [dict(p) for p in grid]
        raise InputError(f"conjecture {self.name}: grid must be a dict of lists or a list of dicts")

    def cases(self) -> list[tuple[str, dict[str, Any]]]:
        """``(case key, parameters)`` for every grid point (keys are unique)."""
        out, seen = [], set()
        for p in self.grid_points():
            key = case_key(p)
            if key in seen:
                raise InputError(f"conjecture {self.name}: the grid has the case {key} twice")
            seen.add(key)
            out.append((key, p))
        return out

    def run_case(self, params: dict[str, Any]) -> Outcome:
        """Decide the claim for one grid point, timing it."""
        start = time.perf_counter()
        try:
            value = self.func(**params)
            if value is None or value is True:
                out = Outcome(HOLDS)
            elif value is False:
                out = Outcome(COUNTEREXAMPLE, "the claim returned False")
            elif isinstance(value, Outcome):
                out = value
            else:
                out = Outcome(ERROR, f"the conjecture returned {type(value).__name__}; return None/True/False or "
                                     "holds(...)/counterexample(...)")
        except AssertionError as exc:
            out = Outcome(COUNTEREXAMPLE, str(exc) or _where(exc))
        except Exception as exc:
            out = Outcome(ERROR, f"{type(exc).__name__}: {exc}")
        return Outcome(out.result, out.detail, out.strength or self.strength, time.perf_counter() - start)

    def certificate(self, outcomes: Iterable[tuple[str, Outcome]]) -> Certificate:
        """The conjecture over the given ``(case key, outcome)`` pairs, as a composite certificate.

        Each case is a child (:meth:`Outcome.certificate`, scope = its case key);
        the verdict is False if any case is a counterexample, True if all hold,
        None otherwise; the strength is the weakest child's (computed).  With no
        cases the certificate is undecided at the conjecture's strength.
        """
        kids = [out.certificate(f"{self.name} [{key}]", self.strength, scope=key) for key, out in outcomes]
        claim = self.description or self.name
        if not kids:
            return Certificate(claim, None, self.strength, detail="no cases were run", theorem=self.name)
        counts = {r: sum(1 for k in kids if k.data["result"] == r) for r in RESULTS}
        detail = ", ".join(f"{n} {r}" for r, n in counts.items() if n)
        return Certificate.combine(claim, kids, theorem=self.name, scope=f"{len(kids)} cases", detail=detail,
                                   data={"counts": counts})


def _where(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    if tb:
        f = tb[-1]
        return f"assertion failed at {Path(f.filename).name}:{f.lineno}: {f.line}"
    return "assertion failed"  # pragma: no cover


#: name -> Conjecture
REGISTRY: dict[str, Conjecture] = {}


@validated
def conjecture(
    name: str | None = None,
    grid: Any = None,
    strength: str = "exact",
    description: str | None = None,
    slow: bool = False,
    timeout: float | None = None,
    search: str | None = None,
    strategies: Any = None,
    case_of: Callable[..., Any] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as a conjecture (see the module docstring).

    ``name`` defaults to the function's name; registering a name again
    replaces the earlier entry (so a reloaded file updates its claims).
    ``slow=True`` marks a conjecture that ``run --all`` skips unless ``--slow``.
    ``timeout`` is the default per-case limit in seconds (a case past it is
    recorded ``timeout``); ``search="hypothesis"`` with ``strategies`` (a dict
    parameter -> Hypothesis strategy, see :mod:`exactlift.testing.strategies`
    and :mod:`exactlift.conjectures.strategies`, or a function returning one)
    enables ``exactlift conjecture search``; ``case_of(**params)`` returns the
    :class:`~exactlift.nn.case.Case` saved for a counterexample found that way.
    The function itself is returned unchanged (it can still be called directly)
    and gets the attribute ``conjecture``.
    """
    if strength not in STRENGTHS:
        raise InputError(f"strength must be one of {', '.join(STRENGTHS)}, got {strength!r}")
    if timeout is not None and not (isinstance(timeout, (int, float)) and timeout > 0):
        raise InputError(f"timeout must be a positive number of seconds, got {timeout!r}")
    if search not in (None, "hypothesis"):
        raise InputError(f"search must be None or 'hypothesis', got {search!r}")

    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        cname = name or func.__name__
        if grid is None and not search:
            raise InputError(f"conjecture {cname}: a grid of cases is required (grid={{'n': [1, 2, 3]}})")
        doc = description if description is not None else (func.__doc__ or "").strip().split("\n\n")[0]
        if search and not (isinstance(strategies, dict) or callable(strategies)):
            raise InputError(f"conjecture {cname}: search='hypothesis' needs strategies={{'param': strategy}}")
        conj = Conjecture(cname, func, grid if grid is not None else [], strength, " ".join(doc.split()), func.__module__, slow,
                          timeout, search, strategies, case_of)
        REGISTRY[cname] = conj
        func.conjecture = conj  # type: ignore[attr-defined]
        return func

    return wrap


__all__ = [
    "Conjecture",
    "Outcome",
    "conjecture",
    "holds",
    "counterexample",
    "case_key",
    "REGISTRY",
    "RESULTS",
    "STRENGTHS",
    "VERDICTS",
    "HOLDS",
    "COUNTEREXAMPLE",
    "ERROR",
    "TIMEOUT",
    "CRASHED",
]
