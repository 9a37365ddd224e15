"""Sizes of the networks the symmetry commands generate, checked before anything is built.

``--d`` and ``--d-out`` count: a d-m-d_out student with d = 10**11 is refused by the
``max_parameters`` limit (:mod:`exactlift.limits`) instead of exhausting memory.

>>> check_two_layer_size(3, 2, 1, "the student")
(3, 2, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from exactlift.errors import InputError
from exactlift.limits import check as check_limit

__all__ = ["check_network_size", "check_two_layer_size", "positive_int"]


def positive_int(name: str, value: Any) -> int:
    """``value`` as an int ≥ 1, or an :class:`InputError` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{name} must be a positive integer, got {value!r}")
    if value < 1:
        raise InputError(f"{name} must be at least 1, got {name}={value}")
    return value


def check_network_size(widths: Sequence[int], what: str) -> None:
    """Refuse a bias-free network of these layer widths with more than ``max_parameters`` weights.

    Raises :class:`~exactlift.limits.LimitError` before anything of that size is built.

    >>> check_network_size([2, 3, 1], "the student")
    >>> check_network_size([10**11, 3, 1], "the student")
    Traceback (most recent call last):
    ...
    exactlift.limits.LimitError: the student 100000000000-3-1 has 300000000003 parameters, over the limit max_parameters = 2000 (raise it with the environment variable EXACTLIFT_LIMIT_MAX_PARAMETERS=N or exactlift.limits.LIMITS.max_parameters = N in Python)
    """
    weights = sum(a * b for a, b in zip(widths, widths[1:]))
    check_limit("max_parameters", weights, f"{what} {'-'.join(map(str, widths))}")


def check_two_layer_size(width: int, d: int, d_out: int, what: str) -> tuple[int, int, int]:
    """:func:`check_network_size` of the two-layer network d-``width``-d_out; returns (width, d, d_out) as ints.

    >>> check_two_layer_size(3, 2, 1, "the student")
    (3, 2, 1)
    """
    width, d, d_out = (positive_int(name, x) for name, x in (("width", width), ("d", d), ("d_out", d_out)))
    check_network_size([d, width, d_out], what)
    return width, d, d_out
