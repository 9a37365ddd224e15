"""Explicit limits on the cost of an input, checked *before* the work starts.

exactlift computes exactly, so an innocent-looking input can ask for unbounded work
(``"1e999999999"`` has a billion digits, ``z**9**9**9`` more than the atoms in the
universe).  Every input gets a cost check against one of the limits below; a refused
input raises :class:`LimitError` (an :class:`~exactlift.errors.InputError`: the CLI
prints one line and exits 2) naming the limit and how to raise it.

=========================  ==========  ==================================================
limit                      default     what it bounds
=========================  ==========  ==================================================
``max_exponent``           10000       |e| of a decimal exponent (``"1e5"``) in a number
``max_number_digits``      4000        digits of one integer (numerator or denominator)
``max_digits``             100000      ``--digits`` of mp/certified arithmetic
``max_expression_chars``   10000       length of an activation/loss expression
``max_expression_depth``   100         nesting depth of an expression
``max_power``              1000        |n| of an integer power ``x**n`` in an expression
``max_power_bits``         100000      bits of a constant folded in an expression
``max_case_bytes``         16000000    size of a case file
``max_parameters``         20000       parameters of a network in a case file
``max_answer_digits``      100000      decimal digits of a count's answer (``count``, …)
``max_graph_nodes``        1000000     nodes of a ``graph`` / ``subspaces`` enumeration
``max_sweep``              2000        ``--r-max`` / ``--h-max`` of ``crossover`` / ``plot-counts``
``max_symmetry_params``    2000        parameters of a generated ``subspace-criticality`` case
=========================  ==========  ==================================================

Raise a limit from Python (``exactlift.limits.LIMITS.max_parameters = 10**6``, or
``with raised(max_parameters=10**6): ...``) or, for the command line, with the
environment variable ``EXACTLIFT_LIMIT_<NAME>`` (e.g. ``EXACTLIFT_LIMIT_MAX_PARAMETERS=1000000``).

>>> check("max_parameters", 10, "the network")
>>> try:
...     check("max_parameters", 10**9, "the network")
... except LimitError as exc:
...     print(str(exc)[:60])
the network has 1000000000 parameters, over the limit max_pa
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, fields
from typing import Iterator

from exactlift.errors import InputError

__all__ = ["Limits", "LIMITS", "LimitError", "check", "limit", "raised", "how_to_raise"]


class LimitError(InputError):
    """An input whose cost is over one of the documented limits (see :mod:`exactlift.limits`)."""


@dataclass
class Limits:
    """The current limits (one mutable instance, :data:`LIMITS`); see the module docstring."""

    max_exponent: int = 10_000
    max_number_digits: int = 4000
    max_digits: int = 100_000
    max_expression_chars: int = 10_000
    max_expression_depth: int = 100
    max_power: int = 1000
    max_power_bits: int = 100_000
    max_case_bytes: int = 16_000_000
    max_parameters: int = 20_000
    max_answer_digits: int = 100_000
    max_graph_nodes: int = 1_000_000
    max_sweep: int = 2000
    max_symmetry_params: int = 2000


#: The limits in force (edit its attributes, or use :func:`raised`, to raise one).
LIMITS = Limits()

_NAMES = {f.name for f in fields(Limits)}


def limit(name: str) -> int:
    """The value of the limit ``name``: ``EXACTLIFT_LIMIT_<NAME>`` if set, else :data:`LIMITS`.

    >>> limit("max_power")
    1000
    """
    if name not in _NAMES:
        raise KeyError(name)
    env = os.environ.get(f"EXACTLIFT_LIMIT_{name.upper()}")
    if env is not None:
        try:
            return int(env)
        except ValueError:
            raise InputError(f"EXACTLIFT_LIMIT_{name.upper()} must be an integer, got {env[:40]!r}") from None
    return int(getattr(LIMITS, name))


def how_to_raise(name: str) -> str:
    """The sentence telling how to raise the limit ``name``."""
    return (
        f"raise it with the environment variable EXACTLIFT_LIMIT_{name.upper()}=N "
        f"or exactlift.limits.LIMITS.{name} = N in Python"
    )


def check(name: str, value: int, what: str, unit: str | None = None, hint: str = "") -> None:
    """Refuse ``value`` over the limit ``name`` with a :class:`LimitError` naming it and the way to raise it.

    ``what`` is the subject of the message (``"the network"``), ``unit`` what is counted
    (default: the limit's name without ``max_``); ``hint`` replaces the default advice.
    """
    bound = limit(name)
    if value > bound:
        unit = unit or name.removeprefix("max_").replace("_", " ")
        advice = hint or how_to_raise(name)
        raise LimitError(f"{what} has {value} {unit}, over the limit {name} = {bound} ({advice})")


@contextlib.contextmanager
def raised(**changes: int) -> Iterator[Limits]:
    """Temporarily change some limits (Python API).

    >>> with raised(max_power=10**6):
    ...     limit("max_power")
    1000000
    >>> limit("max_power")
    1000
    """
    unknown = set(changes) - _NAMES
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    old = {k: getattr(LIMITS, k) for k in changes}
    for k, v in changes.items():
        setattr(LIMITS, k, v)
    try:
        yield LIMITS
    finally:
        for k, v in old.items():
            setattr(LIMITS, k, v)
