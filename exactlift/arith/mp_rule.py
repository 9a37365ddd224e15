"""The decision rule of the ``mp`` context (issue 11): numerical results never say more than they know.

At p significant digits (p ≥ :data:`MIN_MP_DIGITS`), with g = min(10, p // 3) guard digits given
up to rounding and s = max(1, scale) the magnitude of the values involved:

* x is **zero** when |x| ≤ s·10^(g − p) (:func:`zero_tolerance`);
* x is **non-zero** when |x| > s·10^(−p/2) (:func:`nonzero_threshold`): at least half of the
  digits are significant;
* in between the rule does not guess: :func:`decide` returns None.

Complex and non-finite values are refused (:func:`real`), never compared.

>>> [decide(mpmath.mpf(v), 15) for v in ("0.02", "1e-12", "1e-9")]
[False, True, None]
"""

from __future__ import annotations

from typing import Any

import mpmath

from exactlift.errors import ArithmeticModeError
from exactlift.limits import check as check_limit

__all__ = ["MIN_MP_DIGITS", "guard_digits", "zero_tolerance", "nonzero_threshold", "decide", "decide_all", "real", "check_digits"]

#: The fewest significant digits the mp context accepts: below it rounding and zero overlap.
MIN_MP_DIGITS = 15


def guard_digits(digits: int) -> int:
    """g = min(10, digits // 3), the digits given up to rounding.

    >>> guard_digits(15), guard_digits(50)
    (5, 10)
    """
    return min(10, digits // 3)


def zero_tolerance(digits: int) -> Any:
    """10^(g − digits): at most this (times the scale) counts as zero."""
    return mpmath.mpf(10) ** (guard_digits(digits) - digits)


def nonzero_threshold(digits: int) -> Any:
    """10^(−digits/2): above this (times the scale) a value is decided non-zero."""
    with mpmath.workdps(digits):
        return mpmath.mpf(10) ** (-mpmath.mpf(digits) / 2)


def decide(x: Any, digits: int, scale: Any = None) -> bool | None:
    """Whether x = 0 by the rule: True, False, or None when undecided."""
    size = abs(real(x))
    s = mpmath.mpf(1) if scale is None else max(mpmath.mpf(1), abs(real(scale)))
    if size <= zero_tolerance(digits) * s:
        return True
    if size > nonzero_threshold(digits) * s:
        return False
    return None


def real(x: Any, where: str = "value") -> Any:
    """x when it is a finite real mpf; a complex or non-finite value raises ArithmeticModeError.

    >>> real(mpmath.log(-1))
    Traceback (most recent call last):
    ...
    exactlift.errors.ArithmeticModeError: value: the value (0.0 + 3.141592654j) is complex (e.g. log of a negative number, or a fractional power of a negative base): outside the real domain of the computation
    """
    if isinstance(x, mpmath.mpc):
        if x.imag != 0:
            raise ArithmeticModeError(
                f"{where}: the value {mpmath.nstr(x, 10)} is complex (e.g. log of a negative number, or a "
                "fractional power of a negative base): outside the real domain of the computation"
            )
        x = x.real
    if isinstance(x, mpmath.mpf) and not mpmath.isfinite(x):
        raise ArithmeticModeError(f"{where}: the value {x} is not finite (an overflow or a pole)")
    return x


def decide_all(values: Any, digits: int) -> bool | None:
    """Whether every value is zero, with the scale s = the largest |value|: True, False or None.

    >>> decide_all([mpmath.mpf("0.02"), mpmath.mpf(0)], 15), decide_all([mpmath.mpf(0)], 15)
    (False, True)
    """
    vals = [real(v) for v in values]
    scale = max((abs(v) for v in vals), default=mpmath.mpf(1))
    decided = [decide(v, digits, scale) for v in vals]
    if any(d is False for d in decided):
        return False
    if all(d is True for d in decided):
        return True
    return None


def check_digits(digits: int) -> None:
    """Refuse a working precision over the limit ``max_digits`` (:mod:`exactlift.limits`)."""
    check_limit("max_digits", digits, "--digits", "digits")
