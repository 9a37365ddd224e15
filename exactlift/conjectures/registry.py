"""A registry of conjectures: parameterized claims checked over a grid of small cases.

::

    from exactlift.conjectures import conjecture, counterexample

    @conjecture(name="mine.square_nonnegative", grid={"q": [-2, 0, 3]})
    def square_nonnegative(q):
        assert q * q >= 0, f"q^2 = {q * q}"

A conjecture function receives one grid point as keyword arguments and
returns ``None``/``True`` (the claim *holds* for that case), ``False`` or a
:func:`counterexample` (it does not), or raises ``AssertionError`` (a
counterexample with the assertion's message).  Any other exception is an
*error* of that case (the claim could not be decided).

``grid`` is a dict of lists (their Cartesian product, in order), a list of
dicts, or a function returning either (evaluated when the cases are needed).
Each case is named by its **case key**, e.g. ``"q=-2"`` or ``"r=2,h=1"``.

>>> @conjecture(name="doc.example", grid={"a": [1, 2], "b": ["x"]})
... def example(a, b):
...     return a > 0
>>> [k for k, _ in get_conjecture("doc.example").cases()]
['a=1,b=x', 'a=2,b=x']
>>> get_conjecture("doc.example").run_case({"a": 1, "b": "x"}).result
'holds'
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import itertools
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from exactlift.errors import InputError

HOLDS, COUNTEREXAMPLE, ERROR = "holds", "counterexample", "error"
#: A case that ran past its time limit (neither holds nor fails) / whose worker died (see runner, executors).
TIMEOUT, CRASHED = "timeout", "crashed"
RESULTS = (HOLDS, COUNTEREXAMPLE, ERROR, TIMEOUT, CRASHED)
STRENGTHS = ("symbolic", "exact", "certified", "numerical")

#: Modules whose conjectures ``--all`` runs (loaded on demand).
BUILTIN_MODULES: tuple[str, ...] = ("exactlift.conjectures.library",)


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


def holds(detail: str = "", strength: str | None = None) -> Outcome:
    """The claim holds for this case (``detail``: e.g. the values that were compared)."""
    return Outcome(HOLDS, str(detail), strength)


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
    #: parameter name -> Hypothesis strategy (for ``search``)
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


def _where(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    if tb:
        f = tb[-1]
        return f"assertion failed at {Path(f.filename).name}:{f.lineno}: {f.line}"
    return "assertion failed"  # pragma: no cover


#: name -> Conjecture
REGISTRY: dict[str, Conjecture] = {}


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
    parameter -> Hypothesis strategy, see :mod:`exactlift.testing.strategies`)
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
        if search and not isinstance(strategies, dict):
            raise InputError(f"conjecture {cname}: search='hypothesis' needs strategies={{'param': strategy}}")
        conj = Conjecture(cname, func, grid if grid is not None else [], strength, " ".join(doc.split()), func.__module__, slow,
                          timeout, search, strategies, case_of)
        REGISTRY[cname] = conj
        func.conjecture = conj  # type: ignore[attr-defined]
        return func

    return wrap


def load_builtin() -> None:
    """Import the conjectures shipped with exactlift."""
    for mod in BUILTIN_MODULES:
        importlib.import_module(mod)


_LOADED_FILES: dict[str, str] = {}


def load_file(path: str | Path) -> list[str]:
    """Import a Python file that registers conjectures; return the names it registered.

    Loading the same file again re-executes it (its conjectures are replaced).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such conjecture file")
    resolved = str(path.resolve())
    mod_name = "exactlift_conjectures_" + path.stem + "_" + hashlib.sha1(resolved.encode()).hexdigest()[:10]
    before = {k: id(v) for k, v in REGISTRY.items()}
    spec = importlib.util.spec_from_file_location(mod_name, path)
    if spec is None or spec.loader is None:  # pragma: no cover
        raise InputError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    try:
        spec.loader.exec_module(module)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path}: importing the conjectures failed: {type(exc).__name__}: {exc}") from exc
    _LOADED_FILES[resolved] = mod_name
    return [k for k, v in REGISTRY.items() if before.get(k) != id(v)]


def get_conjecture(name: str) -> Conjecture:
    """The registered conjecture ``name`` (builtin conjectures are loaded first)."""
    if name not in REGISTRY:
        load_builtin()
    if name not in REGISTRY:
        known = ", ".join(sorted(REGISTRY)) or "none"
        raise InputError(f"no conjecture named {name!r} (known: {known}); load user conjectures with --file")
    return REGISTRY[name]


def all_conjectures(include_slow: bool = True) -> list[Conjecture]:
    """Every registered conjecture, sorted by name (builtin ones loaded first)."""
    load_builtin()
    return [REGISTRY[k] for k in sorted(REGISTRY) if include_slow or not REGISTRY[k].slow]


def select(names: Iterable[str]) -> list[Conjecture]:
    return [get_conjecture(n) for n in names]


__all__ = [
    "Conjecture",
    "Outcome",
    "conjecture",
    "holds",
    "counterexample",
    "case_key",
    "get_conjecture",
    "all_conjectures",
    "load_file",
    "load_builtin",
    "REGISTRY",
    "HOLDS",
    "COUNTEREXAMPLE",
    "ERROR",
    "TIMEOUT",
    "CRASHED",
]
