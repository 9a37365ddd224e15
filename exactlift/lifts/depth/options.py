"""Command-line options of the depth lift: ``--insert`` and ``--insert-json``
(registered in :mod:`exactlift.lifts.options`).

>>> print(insert_from_option("0"))
insert(after_layer=0, identity, activation=relu)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from exactlift.errors import InputError, LiftError
from exactlift.lifts.depth.insertion import to_fraction
from exactlift.lifts.depth.lifting import CriticalLift, IdentityLift

__all__ = ["insert_from_option", "insert_json_from_option"]


_INSERT = re.compile(r"^\s*(\d+)\s*(?::\s*identity\s*(?::\s*([^:]+?)\s*)?)?$")


def insert_from_option(text: str) -> IdentityLift:
    """``--insert Q[:identity[:SHIFT]]``: the identity lift after layer Q (shift chosen if omitted).

    >>> print(insert_from_option("1:identity:3/2"))
    insert(after_layer=1, identity, shift=3/2, activation=relu)
    """
    m = _INSERT.match(text or "")
    if not m:
        raise LiftError(
            f"--insert expects AFTER_LAYER[:identity[:SHIFT]] (e.g. 1, 1:identity or 0:identity:5/2), got {text!r}; "
            "use --insert-json FILE for a general A and c"
        )
    shift = None if m.group(2) is None else to_fraction(m.group(2), "--insert SHIFT")
    return IdentityLift(int(m.group(1)), shift=shift)


_JSON_KEYS = {"after_layer", "A", "c", "activation", "null_neurons", "B", "e"}


def insert_json_from_option(path: str) -> CriticalLift:
    """``--insert-json FILE``: a :class:`CriticalLift` from a small JSON file.

    Keys: ``after_layer`` (int), ``A`` (rows of exact numbers as strings or
    integers), ``c``, optional ``activation`` (default ``relu``),
    ``null_neurons`` (indices of rows of A), ``B`` and ``e`` (then (L2) is
    checked instead of solved).
    """
    p = Path(path)
    try:
        doc = json.loads(p.read_text())
    except FileNotFoundError:
        raise LiftError(f"--insert-json {path}: no such file") from None
    except OSError as exc:
        raise LiftError(f"--insert-json {path}: cannot read ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise LiftError(f"--insert-json {path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(doc, dict):
        raise LiftError(f"--insert-json {path}: expected a JSON object with after_layer, A, c")
    unknown = set(doc) - _JSON_KEYS
    if unknown:
        raise LiftError(f"--insert-json {path}: unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(_JSON_KEYS))})")
    for key in ("after_layer", "A"):
        if key not in doc:
            raise LiftError(f"--insert-json {path}: missing key {key!r}")
    q = doc["after_layer"]
    if not isinstance(q, int) or isinstance(q, bool):
        raise LiftError(f"--insert-json {path}: after_layer must be an integer, got {q!r}")
    nulls = doc.get("null_neurons", [])
    if not isinstance(nulls, list) or not all(isinstance(k, int) and not isinstance(k, bool) for k in nulls):
        raise LiftError(f"--insert-json {path}: null_neurons must be a list of integers, got {nulls!r}")
    try:
        return CriticalLift(q, doc["A"], doc.get("c"), doc.get("activation", "relu"), nulls, doc.get("B"), doc.get("e"))
    except InputError as exc:
        raise LiftError(f"--insert-json {path}: {exc}") from None

