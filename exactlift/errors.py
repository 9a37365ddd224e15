"""Exceptions of exactlift.

Every error a user can provoke with bad input is an :class:`ExactliftError`;
its message names what is wrong in the user's terms (layer, neuron, sample,
field of a file).  The command line prints ``error: <message>`` and exits 2.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import numbers
import os
import types
import typing
from typing import Any, Callable, TypeVar


class ExactliftError(Exception):
    """Base class: bad input or a refused computation, with a readable message."""


class InputError(ExactliftError, ValueError):
    """Malformed input: wrong shapes, unknown names, malformed files."""


class OutputError(InputError):
    """A file exactlift was asked to write cannot be written; the message names that file (and no other)."""


class FloatInExactError(InputError):
    """A float reached an exact computation (exactlift never rounds silently)."""


class ActivationError(InputError):
    """An unknown activation, or one lacking a property the computation needs."""


class KinkError(ExactliftError):
    """A training input puts a pre-activation exactly on a kink of a piecewise-linear activation."""


class ArithmeticModeError(ExactliftError):
    """The requested arithmetic cannot represent the computation (e.g. tanh in exact mode)."""


class LiftError(InputError):
    """A lift (embedding, depth lifting, permutation) that does not apply to the network."""


class UndecidedError(ArithmeticModeError):
    """A ball enclosure contains 0 (and is not exactly 0): the sign is not decided."""


class MissingToolError(ExactliftError):
    """An outside program this output needs (a TeX engine for a PDF) is not installed; the message names it."""


def excerpt(text: object, limit: int = 60) -> str:
    """``repr(text)``, shortened to about ``limit`` characters: what an error message quotes of an input.

    >>> excerpt("z" * 3000)
    "'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz…zzzzzzzzzz' (3000 characters)"
    >>> excerpt("tanh")
    "'tanh'"
    """
    s = text if isinstance(text, str) else safe_repr(text)
    if len(s) <= limit:
        return repr(text) if isinstance(text, str) else s
    head, tail = s[: limit // 2], s[-(limit // 6):]
    return f"'{head}…{tail}' ({len(s)} characters)"


def safe_repr(value: object, limit: int = 200) -> str:
    """``repr(value)`` that never raises and stays short (huge integers are described, not printed).

    >>> safe_repr(10**5000)
    'an integer of about 5001 digits'
    >>> safe_repr([1, 2])
    '[1, 2]'
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3000:
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a repr that fails (huge ints inside containers, broken objects)
        return f"a {type(value).__name__}"
    return text if len(text) <= limit else f"{text[: limit // 2]}…{text[-limit // 6:]}"


def describe_value(value: object) -> str:
    """What an error message says a wrong argument was: its type and a short excerpt.

    >>> describe_value(0.5)
    'float 0.5'
    >>> describe_value(None)
    'None'
    """
    if value is None:
        return "None"
    kind = type(value).__name__
    shape = getattr(value, "shape", None)
    if shape is not None and not isinstance(value, (str, bytes)):
        return f"{kind} of shape {tuple(shape)} and dtype {getattr(value, 'dtype', '?')}"
    return f"{kind} {safe_repr(value, 60)}"


_F = TypeVar("_F", bound=Callable[..., Any])

#: The largest integer an argument may be (Python refuses to print integers over 4300 digits).
MAX_INT_BITS = 13_300


def _hint_names(tp: Any) -> str:
    if tp is type(None) or tp is None:
        return "None"
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_hint_names(a) for a in typing.get_args(tp))
    if origin is typing.Literal:
        return " or ".join(repr(a) for a in typing.get_args(tp))
    if origin is not None:
        return _hint_names(origin)
    return getattr(tp, "__name__", str(tp))


def matches_hint(value: object, tp: Any) -> bool:
    """Does ``value`` fit the type hint ``tp``?  Only the outer type is checked (entries are the function's job).

    Lenient where Python is: an ``int`` hint takes any integral number (NumPy integers too) but not a
    bool, a ``float`` hint any real number; Protocols, type variables and strings that do not resolve
    match everything.

    >>> matches_hint(3, int | None), matches_hint(None, int), matches_hint(0.5, int), matches_hint(True, int)
    (True, False, False, False)
    """
    if tp is Any or tp is object or isinstance(tp, (TypeVar, str, typing.ForwardRef)):
        return True
    if tp is None or tp is type(None):
        return value is None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return any(matches_hint(value, a) for a in typing.get_args(tp))
    if origin is typing.Literal:
        return value in typing.get_args(tp)
    if origin is not None:
        tp = origin
    if not isinstance(tp, type):
        return True
    if tp is int:
        return isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if tp in (list, tuple):
        return isinstance(value, (list, tuple)) or _is_array(value)
    if tp.__name__ == "ndarray":  # array-likes: lists and tuples are read as arrays
        return isinstance(value, (list, tuple, tp)) or _is_array(value)
    if tp is float:
        return isinstance(value, numbers.Real) and not isinstance(value, bool)
    if tp is str and isinstance(value, os.PathLike):  # a path where a file name is wanted
        return True
    if tp is bool:
        return isinstance(value, bool) or type(value).__name__ == "bool_"
    if getattr(tp, "_is_protocol", False) or tp.__module__ == "collections.abc" and tp.__name__ == "Callable":
        return callable(value) if tp.__name__ == "Callable" else True
    if tp.__module__ == "collections.abc" and _is_array(value):
        return True
    try:
        return isinstance(value, tp)
    except TypeError:  # a class that refuses isinstance (subscripted generics, some Protocols)
        return True


def _is_array(value: object) -> bool:
    """A NumPy-style array of at least one dimension (a 0-d array is a scalar)."""
    return hasattr(value, "__array__") and getattr(value, "ndim", 1) >= 1


def _resolved_hints(obj: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(obj)
    except Exception:  # noqa: BLE001 - an annotation that does not resolve: check the others one by one
        out: dict[str, Any] = {}
        namespace = getattr(obj, "__globals__", None) or vars(inspect.getmodule(obj) or object)
        for name, text in getattr(obj, "__annotations__", {}).items():
            try:
                out[name] = eval(text, dict(namespace)) if isinstance(text, str) else text  # noqa: S307 - our own annotations
            except Exception:  # noqa: BLE001
                continue
        return out


def check_arguments(where: str, values: dict[str, Any], hints: dict[str, Any]) -> None:
    """Refuse, with an :class:`InputError` naming the argument and what is accepted, a value that misfits its hint.

    >>> check_arguments("f()", {"n": "3"}, {"n": int})
    Traceback (most recent call last):
    ...
    exactlift.errors.InputError: f(): n must be int, got str '3'
    """
    for name, value in values.items():
        expected = hints.get(name)
        if expected is not None and not matches_hint(value, expected):
            raise InputError(f"{where}: {name} must be {_hint_names(expected)}, got {describe_value(value)}")
        if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            raise InputError(f"{where}: {name} is {safe_repr(value)}, more than an argument can be "
                             f"(at most {MAX_INT_BITS} bits, about 4000 digits)")


def validated(func: _F) -> _F:
    """Check a public function's arguments against its type hints at the entry (one shared boundary check).

    A missing or unexpected argument, or one of the wrong type (``None``, a float where an exact value is
    wanted, a NumPy array where a case is wanted), raises :class:`InputError` instead of a TypeError or
    AttributeError from deep inside.

    >>> @validated
    ... def twice(n: int) -> int:
    ...     return 2 * n
    >>> twice(None)
    Traceback (most recent call last):
    ...
    exactlift.errors.InputError: twice(): n must be int, got None
    """
    signature = inspect.signature(func)
    hints: dict[str, Any] | None = None
    where = f"{func.__name__}()"
    # positional calls (the hot path: scalar conversions in loops) are matched without
    # ``signature.bind``; anything else (keywords, *args, too few or too many) binds
    params = list(signature.parameters.values())
    plain = all(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)
    names = [p.name for p in params]
    required = sum(p.default is p.empty for p in params)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal hints
        if hints is None:  # resolved at the first call, when every module is imported
            hints = _resolved_hints(func)
        if plain and not kwargs and required <= len(args) <= len(names):
            check_arguments(where, dict(zip(names, args)), hints)
            return func(*args)
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise InputError(f"{where}: {exc}") from None
        check_arguments(where, {k: v for k, v in bound.arguments.items()
                                if signature.parameters[k].kind not in (inspect.Parameter.VAR_POSITIONAL,
                                                                        inspect.Parameter.VAR_KEYWORD)}, hints)
        return func(*args, **kwargs)

    return typing.cast(_F, wrapper)


_FIELD_HINTS: dict[type, dict[str, Any]] = {}


def check_fields(instance: Any) -> None:
    """Check a dataclass instance's fields against their type hints (call it first in ``__post_init__``).

    >>> @dataclasses.dataclass
    ... class Pair:
    ...     a: int
    ...     def __post_init__(self) -> None:
    ...         check_fields(self)
    >>> Pair("1")
    Traceback (most recent call last):
    ...
    exactlift.errors.InputError: Pair: a must be int, got str '1'
    """
    cls = type(instance)
    hints = _FIELD_HINTS.get(cls)
    if hints is None:  # resolved once a class: get_type_hints is slow, and certificates are made in loops
        hints = _FIELD_HINTS[cls] = _resolved_hints(cls)
    values = {f.name: getattr(instance, f.name) for f in dataclasses.fields(instance) if f.init}
    check_arguments(cls.__name__, values, hints)
