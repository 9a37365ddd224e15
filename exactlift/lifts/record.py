"""The lift record of a case file: how ``exactlift lift`` made the wide (or deep) point from a narrow one.

``exactlift lift`` writes, beside ``network``, a top-level ``lifts`` object (docs/case-files.md,
``exactlift/schemas/case.schema.json``)::

    "lifts": {"narrow": {"widths": [2, 2, 1], "activation": "tanh", "bias": true,
                         "params": {"W": [...], "b": [...]}},
              "steps": [{"kind": "split", "layer": 1, "neuron": 0, "alpha": "1/3", "widths": [2, 2, 1]},
                        {"kind": "null", "layer": 1, "widths": [2, 3, 1]}]}

``narrow`` is the network the first step applies to (data and loss are the file's own: lifts keep
them); each step names its ``kind`` (``split``, ``odd-split``, ``null``, ``permute``,
``depth-insert``), its parameters and the ``widths`` of the network it applies to.  A depth insert
records the resolved inserted layer (``A``, ``c``, ``activation``, ``null_neurons``; ``identity``
and ``shift`` say how it was asked for); B and e follow from the narrow point (L2).

:func:`replay` rebuilds the narrow case and the lift objects and checks that applying them to the
narrow parameters reproduces the file's network and parameters *exactly*; otherwise it raises one
:class:`~exactlift.errors.InputError` naming the first field that differs.

>>> from exactlift.nn.examples import demo_case
>>> from exactlift.lifts.width import SplitNeuron
>>> narrow = demo_case()
>>> wide = record_lifts(narrow, [SplitNeuron(1, 0, "1/3")])
>>> wide.extra["lifts"]["steps"][0]["kind"], wide.extra["lifts"]["steps"][0]["alpha"]
('split', '1/3')
>>> back, steps = replay(wide)
>>> back.arch.widths == narrow.arch.widths, [str(s) for s in steps]
(True, ['split(layer=1, neuron=0, alpha=1/3)'])
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from exactlift.errors import ExactliftError, InputError
from exactlift.lifts.depth.lifting import CriticalLift, IdentityLift
from exactlift.lifts.width.embeddings import NullNeuron, OddSplitNeuron, Permute, SplitNeuron
from exactlift.nn.case import Case, case_from_dict

__all__ = ["RECORD_KEY", "record_lifts", "replay", "step_record", "lift_from_step"]

#: The top-level key of the record in a case file.
RECORD_KEY = "lifts"


def _net_doc(case: Case) -> dict[str, Any]:
    net = case.to_dict()["network"]
    return {k: net[k] for k in ("widths", "activation", "bias", "params") if k in net}


def step_record(lift: Any, case: Case) -> list[dict[str, Any]]:
    """The record entries of one lift applied to ``case`` (a composition gives one entry per step).

    Failure mode: :class:`InputError` for a lift this format does not describe.
    """
    widths = list(case.arch.widths)
    if hasattr(lift, "steps") and not isinstance(lift, (SplitNeuron, NullNeuron, Permute)):
        out, cur = [], case
        for s in lift.steps():
            out.extend(step_record(s, cur))
            cur = s.apply_case(cur)
        return out
    if isinstance(lift, SplitNeuron):
        kind = "odd-split" if isinstance(lift, OddSplitNeuron) else "split"
        return [{"kind": kind, "layer": lift.layer, "neuron": lift.neuron, "alpha": str(Fraction(lift.alpha)),
                 "widths": widths}]
    if isinstance(lift, NullNeuron):
        return [{"kind": "null", "layer": lift.layer, "widths": widths}]
    if isinstance(lift, Permute):
        return [{"kind": "permute", "layer": lift.layer, "perm": list(lift.perm), "widths": widths}]
    if isinstance(lift, (IdentityLift, CriticalLift)):
        crit = lift.resolve(case) if isinstance(lift, IdentityLift) else lift
        entry: dict[str, Any] = {"kind": "depth-insert", "after_layer": crit.after_layer,
                                 "A": [[str(v) for v in row] for row in crit.A], "c": [str(v) for v in crit.c],
                                 "activation": crit.activation.spec, "null_neurons": list(crit.null_neurons),
                                 "identity": isinstance(lift, IdentityLift), "widths": widths}
        if isinstance(lift, IdentityLift):
            entry["shift"] = str(crit.c[0]) if crit.c else "0"
        return [entry]
    raise InputError(f"{lift}: this lift cannot be recorded in a case file (split, odd-split, null, permute, "
                     "depth-insert can)")


def record_lifts(case: Case, lifts: Sequence[Any]) -> Case:
    """Apply ``lifts`` to ``case`` and return the lifted case carrying the record (``extra["lifts"]``).

    A case that already carries a record keeps its narrow network: the new steps are appended
    (the record is first replayed, so a stale record is refused rather than extended).
    """
    if RECORD_KEY in case.extra:
        narrow, _ = replay(case)
        record = {"narrow": case.extra[RECORD_KEY]["narrow"], "steps": list(case.extra[RECORD_KEY]["steps"])}
    else:
        record = {"narrow": _net_doc(case), "steps": []}
    cur = case
    for lift in lifts:
        record["steps"].extend(step_record(lift, cur))
        cur = lift.apply_case(cur)
    return cur.with_params(cur.arch, cur.params, extra={**cur.extra, RECORD_KEY: record})


def lift_from_step(step: dict[str, Any], where: str) -> Any:
    """The lift object of one record entry (``where``: its path, for the error message)."""
    kind = step.get("kind")
    try:
        if kind in ("split", "odd-split"):
            cls = OddSplitNeuron if kind == "odd-split" else SplitNeuron
            return cls(step["layer"], step["neuron"], Fraction(step["alpha"]))
        if kind == "null":
            return NullNeuron(step["layer"])
        if kind == "permute":
            return Permute(step["layer"], tuple(step["perm"]))
        if kind == "depth-insert":
            return CriticalLift(step["after_layer"], step["A"], step["c"], step.get("activation", "relu"),
                                step.get("null_neurons", ()))
    except KeyError as exc:
        raise InputError(f"{where}: missing field {exc.args[0]!r}") from None
    except (ExactliftError, ValueError, TypeError, ZeroDivisionError) as exc:
        raise InputError(f"{where}: {exc}") from None
    raise InputError(f"{where}.kind: unknown lift kind {kind!r} (split, odd-split, null, permute, depth-insert)")


def _first_difference(a: Any, b: Any, path: str) -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            d = _first_difference(a.get(key), b.get(key), f"{path}.{key}")
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path} (length {len(a)} from the record, {len(b)} in the file)"
        for i, (x, y) in enumerate(zip(a, b)):
            d = _first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
        return None if a == b else f"{path} (record gives {a!r}, file has {b!r})"
    try:
        same = Fraction(str(a)) == Fraction(str(b))
    except (ValueError, ZeroDivisionError):
        same = a == b
    return None if same else f"{path} (the record gives {a}, the file has {b})"


def replay(case: Case) -> tuple[Case, list[Any]]:
    """(the narrow case, the lift objects) of a recorded case file, checked to reproduce it exactly.

    Failure modes (:class:`InputError`, one line naming the field): no record; a step of an
    unknown kind or with bad parameters; a step's ``widths`` that are not the network it applies
    to; a lifted network or parameter that differs from the file's (``network.params.W[0][1][0]``).
    """
    record = case.extra.get(RECORD_KEY)
    if not isinstance(record, dict) or not isinstance(record.get("narrow"), dict):
        raise InputError(f"{RECORD_KEY}: the case file carries no lift record (write it with `exactlift lift`)")
    file_doc = case.to_dict()["network"]
    doc = {"network": {**record["narrow"], "loss": file_doc["loss"], "data": file_doc["data"]}}
    try:
        narrow = case_from_dict(doc)
    except InputError as exc:
        raise InputError(f"{RECORD_KEY}.narrow: {exc}") from None
    steps, cur = [], narrow
    for i, step in enumerate(record.get("steps", [])):
        where = f"{RECORD_KEY}.steps[{i}]"
        if not isinstance(step, dict):
            raise InputError(f"{where}: expected an object with a kind")
        if list(step.get("widths", cur.arch.widths)) != list(cur.arch.widths):
            raise InputError(f"{where}.widths: the step applies to {step.get('widths')}, but the network before it "
                             f"has widths {list(cur.arch.widths)}")
        lift = lift_from_step(step, where)
        try:
            cur = lift.apply_case(cur)
        except ExactliftError as exc:
            raise InputError(f"{where}: {exc}") from None
        steps.append(lift)
    if not steps:
        raise InputError(f"{RECORD_KEY}.steps: the record lists no lift")
    got = cur.to_dict()["network"]
    for key in ("widths", "activation", "bias", "params"):
        diff = _first_difference(got.get(key), file_doc.get(key), f"network.{key}")
        if diff:
            raise InputError(f"{RECORD_KEY}: the record does not reproduce the file: {diff}")
    return narrow, steps
