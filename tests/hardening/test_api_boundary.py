"""Every callable exported by ``exactlift`` meets hostile arguments with a result or an ExactliftError (issue 11).

The walk takes every public function and class in ``exactlift.__all__`` and calls it (a) with the
same hostile value in every required position, and (b) with legal arguments (a small exact case)
where one argument at a time is replaced by a hostile value: floats where exact values are wanted,
``None``, NumPy float arrays, wrong shapes, strings, huge integers, NaN.  The only acceptable
outcomes are a return value or an :class:`~exactlift.errors.ExactliftError` subclass; a TypeError,
AttributeError, SystemError, RecursionError... escaping is a failure (the CLI would print a
traceback).  Each call is bounded by a 3-second alarm; a call still running then counts as a hang
only in the slow walk, since legal work may take longer on a loaded machine.
"""

from __future__ import annotations

import inspect
import signal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import exactlift
from exactlift.errors import ExactliftError
from exactlift.nn.examples import demo_case

HOSTILE: dict[str, Any] = {
    "None": None, "float": 0.5, "nan": float("nan"), "inf": float("inf"), "complex": 1j,
    "numpy floats": np.array([0.5, 1.0]), "numpy 2x2": np.zeros((2, 2)), "numpy 0-d": np.float64(0.25),
    "string": "x", "empty string": "", "huge int": 10**5000, "negative": -1, "zero": 0, "big int": 10**30,
    "empty list": [], "empty dict": {}, "float matrix": [[1.5]], "None matrix": [[None]], "ragged": [[1], [1, 2]],
    "object": object(), "bool": True, "bytes": b"b", "fraction": Fraction(1, 3), "tuple": (1, 2),
}


class _Alarm(Exception):
    pass


def _on_alarm(*_: Any) -> None:
    raise _Alarm()


def _public_callables() -> list[tuple[str, Any]]:
    out = []
    for name in exactlift.__all__:
        obj = getattr(exactlift, name)
        if callable(obj) and not (isinstance(obj, type) and issubclass(obj, BaseException)):
            out.append((name, obj))
    return out


def _required(obj: Any) -> list[inspect.Parameter]:
    try:
        params = inspect.signature(obj).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p for p in params if p.default is p.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def _legal(tmp: Path) -> dict[str, Any]:
    case = demo_case()
    path = tmp / "case.json"
    exactlift.save_case(case, path)
    return {"case": case, "arch": case.arch, "params": case.params, "X": case.X, "Y": case.Y,
            "ctx": exactlift.get_context("exact"), "loss": "mse", "spec": "relu", "output_dim": 1,
            "r": 2, "m": 3, "r_star": 2, "kind": "G", "n": 2, "dim": 1, "path": str(path), "value": "1/3",
            "H": [[Fraction(1), Fraction(0)], [Fraction(0), Fraction(-1)]], "M": [[Fraction(1), Fraction(2)]],
            "widths": [1, 2, 1], "activation": "relu", "doc": case.to_dict(), "detail": "d", "claim": "c",
            "ok": True, "layer": 1, "neuron": 0}


def _call(obj: Any, args: list[Any], kwargs: dict[str, Any] | None = None, seconds: int = 3) -> str | None:
    """None if the call returned or raised an ExactliftError; else the name of what escaped."""
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(seconds)
    try:
        obj(*args, **(kwargs or {}))
    except ExactliftError:
        return None
    except _Alarm:
        return "hang"
    except BaseException as exc:  # noqa: BLE001 - exactly what the test is about
        return f"{type(exc).__name__}: {str(exc)[:120]}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return None


def _walk(tmp: Path, hostile: dict[str, Any]) -> tuple[int, list[str]]:
    legal = _legal(tmp)
    probes, escaped = 0, []
    for name, obj in _public_callables():
        required = _required(obj)
        for label, value in hostile.items():  # (a) the hostile value everywhere
            probes += 1
            why = _call(obj, [value] * max(len(required), 1))
            if why is not None and why != "hang":
                escaped.append(f"{name}({label}, ...): {why}")
        if not required or any(p.name not in legal for p in required):
            continue
        args = [legal[p.name] for p in required]
        for i, p in enumerate(required):  # (b) legal arguments, one replaced
            for label, value in hostile.items():
                probes += 1
                why = _call(obj, args[:i] + [value] + args[i + 1:])
                if why is not None and why != "hang":
                    escaped.append(f"{name}: {p.name}={label}: {why}")
    return probes, escaped


FAST_HOSTILE = {k: HOSTILE[k] for k in ("None", "float", "numpy floats", "string", "huge int", "float matrix")}


def test_public_api_refuses_hostile_arguments_cleanly(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # hostile strings become file names (save_case(case, "x"))
    probes, escaped = _walk(tmp_path, FAST_HOSTILE)
    assert probes > 300
    assert not escaped, "\n".join(escaped[:40])


@pytest.mark.slow
def test_public_api_refuses_every_hostile_argument_cleanly(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    probes, escaped = _walk(tmp_path, HOSTILE)
    assert probes > 1000
    assert not escaped, "\n".join(escaped[:80])


def test_float_refusal_reaches_derivatives():
    """Floats and NumPy float arrays given to ``derivatives`` get the float refusal, not a TypeError."""
    case = demo_case()
    ctx = exactlift.get_context("exact")
    for X in (np.array([[0.5]] * case.n_samples), [[0.5]] * case.n_samples):
        with pytest.raises(exactlift.FloatInExactError):
            exactlift.derivatives(case.arch, case.params, X, case.Y, "mse", ctx)


def test_wrong_types_name_the_argument():
    with pytest.raises(exactlift.InputError, match=r"analyze\(\): case must be Case, got None"):
        exactlift.analyze(None)
    with pytest.raises(exactlift.InputError, match=r"count_G\(\): m must be int, got float"):
        exactlift.count_G(2, 2.5)
    with pytest.raises(exactlift.InputError, match="about 5001 digits"):
        exactlift.count_G(2, 10**5000)
