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
``max_expression_depth``   200         nesting depth of an expression
``max_power``              1000        |n| of an integer power ``x**n`` in an expression
``max_poly_terms``         200         coefficients of a ``poly(c0, c1, ...)`` activation (σ, σ′, σ″ cost grows with the degree)
``max_power_bits``         100000      bits of a constant folded in an expression
``max_case_bytes``         16000000    size of a case file
``max_parameters``         2000        parameters of a network in a case file
``max_answer_digits``      100000      decimal digits (a bound) of a count's answer (``count``, ``graph``, …)
``max_count_width``        1000000     m of a count G / T_single / T_groups
``max_groups_width``       10000       m of a T_groups count (its cost grows as m²)
``max_graph_nodes``        1000000     nodes of a ``graph`` (its count, before building it)
``max_sweep``              100         ``--r-max`` and each ``--r`` of ``crossover`` / ``plot-counts``
``max_plot_h``             1000        ``--h-max`` of ``plot-counts``
``max_criticality_subspaces`` 5000     subspaces checked by ``subspace-criticality`` (G + T_single + T_groups)
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
import re
from dataclasses import dataclass, fields
from typing import Iterator

from exactlift.errors import InputError

__all__ = ["Limits", "LIMITS", "LimitError", "check", "check_decimal_text", "limit", "raised", "how_to_raise", "shown_count"]


class LimitError(InputError):
    """An input whose cost is over one of the documented limits (see :mod:`exactlift.limits`)."""


@dataclass
class Limits:
    """The current limits (one mutable instance, :data:`LIMITS`); see the module docstring."""

    max_exponent: int = 10_000
    max_number_digits: int = 4000
    max_digits: int = 100_000
    max_expression_chars: int = 10_000
    max_expression_depth: int = 200
    max_power: int = 1000
    max_poly_terms: int = 200
    max_power_bits: int = 100_000
    max_case_bytes: int = 16_000_000
    max_parameters: int = 2000
    max_answer_digits: int = 100_000
    max_count_width: int = 1_000_000
    max_groups_width: int = 10_000
    max_graph_nodes: int = 1_000_000
    max_sweep: int = 100
    max_plot_h: int = 1000
    max_criticality_subspaces: int = 5000


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
        shown = shown_count(value)
        raise LimitError(f"{what} has {shown} {unit}, over the limit {name} = {bound} ({advice})")


def shown_count(value: int) -> str:
    """``value`` in digits, or ``more than 10**k`` from 10**30 on (a refusal's message stays one short line).

    k is a lower bound of log10(value) from its bit length, so the phrase is always true.

    >>> shown_count(12), shown_count(8 * 10**81)
    ('12', 'more than 10**81')
    """
    return str(value) if value < 10**30 else f"more than 10**{_log10_floor(value)}"


def _log10_floor(value: int) -> int:
    return int(value.bit_length() * 0.30102999566398120) - 1


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


_EXPONENT = re.compile(r"[eE]\s*([+-]?\d+)\s*$")
_DIGITS = re.compile(r"\d+")


def check_decimal_text(text: str, where: str = "value") -> None:
    """Refuse the text of a number whose exponent or digit count is over the limits.

    Reading ``"1e999999999"`` exactly would build an integer of a billion digits; the
    check runs on the text, before any number is built.

    >>> check_decimal_text("2.5e-3")
    >>> check_decimal_text("1e999999999", "data.x[0][0]")
    Traceback (most recent call last):
    ...
    exactlift.limits.LimitError: data.x[0][0]: the number has 999999999 as decimal exponent, over the limit max_exponent = 10000 (raise it with the environment variable EXACTLIFT_LIMIT_MAX_EXPONENT=N or exactlift.limits.LIMITS.max_exponent = N in Python)
    """
    match = _EXPONENT.search(text)
    body = text
    if match:
        exponent_text = match.group(1).lstrip("+-")
        if len(exponent_text) > 20:
            check("max_exponent", 10**20, f"{where}: the number", "or more as decimal exponent")
        check("max_exponent", abs(int(match.group(1))), f"{where}: the number", "as decimal exponent")
        body = text[: match.start()]
    digits = sum(len(m) for m in _DIGITS.findall(body))
    check("max_number_digits", digits, f"{where}: the number", "digits")
