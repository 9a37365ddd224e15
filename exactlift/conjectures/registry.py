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

The types live in :mod:`exactlift.conjectures.claims` (re-exported here);
this module looks conjectures up and loads the shipped ones
(:mod:`exactlift.conjectures.library`) and user files.

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
import importlib.util
import sys
from pathlib import Path
from typing import Iterable

from exactlift.conjectures.claims import (
    COUNTEREXAMPLE,
    CRASHED,
    ERROR,
    HOLDS,
    REGISTRY,
    RESULTS,
    STRENGTHS,
    TIMEOUT,
    VERDICTS,
    Conjecture,
    Outcome,
    case_key,
    conjecture,
    counterexample,
    holds,
)
from exactlift.errors import InputError


def load_builtin() -> None:
    """Import the conjectures shipped with exactlift (:mod:`exactlift.conjectures.library`).

    The import is a plain statement, so a renamed module fails here loudly.
    It runs on demand (not when this module is imported) so that the
    library's imports load only when a conjecture is looked up.
    """
    from exactlift.conjectures import library

    del library  # importing it registers its conjectures


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
    "RESULTS",
    "STRENGTHS",
    "VERDICTS",
    "HOLDS",
    "COUNTEREXAMPLE",
    "ERROR",
    "TIMEOUT",
    "CRASHED",
]
