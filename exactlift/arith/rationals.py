"""Reading exact rationals from user input (ints, Fractions, strings such as ``"-1/5"`` or ``"0.25"``).

Re-exported by :mod:`exactlift.arith.contexts`, where the contexts use it to convert inputs.
A number's text is checked against the limits of :mod:`exactlift.limits` (exponent, digits)
before any number is built.
"""

from __future__ import annotations

import re
from fractions import Fraction
from numbers import Integral
from typing import Any

import mpmath
import numpy as np
import sympy

from exactlift.errors import FloatInExactError, InputError, validated
from exactlift.limits import check_decimal_text

try:  # python-flint: fast exact rationals
    import flint as _flint
except ImportError:  # pragma: no cover
    _flint = None

__all__ = ["RATIONAL_TEXT", "DECIMAL_TEXT", "parse_rational"]

#: An integer or a quotient of integers, as text.
RATIONAL_TEXT = re.compile(r"^\s*[+-]?\d+(\s*/\s*[+-]?\d+)?\s*$")
#: An exact decimal, as text.
DECIMAL_TEXT = re.compile(r"^\s*[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?\s*$")


@validated
def parse_rational(value: Any, where: str = "value", floats: str = "refuse") -> Fraction:
    """Read an exact rational from an int, a Fraction-like object or a string.

    Strings may be integers (``"-3"``), quotients (``"1/5"``) or decimals
    (``"0.25"``, read as the exact decimal 1/4).  Python floats are refused
    unless ``floats`` is ``"binary"`` (their exact binary value) or
    ``"decimal"`` (the shortest decimal that prints as that float).

    >>> parse_rational("-2/6")
    Fraction(-1, 3)
    >>> parse_rational("0.125")
    Fraction(1, 8)
    """
    if isinstance(value, bool):
        raise InputError(f"{where}: expected a number, got the boolean {value}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Integral):
        return Fraction(int(value))
    if isinstance(value, str):
        text = value.strip()
        check_decimal_text(text, where)  # before building a number (exactlift.limits)
        if RATIONAL_TEXT.match(text):
            num, _, den = text.replace(" ", "").partition("/")
            if den and int(den) == 0:
                raise InputError(f"{where}: division by zero in {value!r}")
            return Fraction(int(num), int(den) if den else 1)
        if DECIMAL_TEXT.match(text):
            return Fraction(text)
        raise InputError(f"{where}: {value!r} is not an exact rational (write e.g. '3', '-1/5', '0.25')")
    if isinstance(value, float) or isinstance(value, np.floating):
        if not np.isfinite(value):  # NaN and ±inf have no exact value in any float mode
            raise FloatInExactError(f"{where}: the float {value!r} is not a finite number")
        if floats == "binary":
            return Fraction(float(value))
        if floats == "decimal":
            return Fraction(repr(float(value)))
        raise FloatInExactError(
            f"{where}: the float {value!r} is not allowed in exact arithmetic; "
            f"write it as a string such as \"{Fraction(repr(float(value)))}\" "
            "(or ask for conversion with --floats decimal|binary)"
        )
    if _flint is not None and isinstance(value, _flint.fmpq):
        return Fraction(int(value.p), int(value.q))
    if _flint is not None and isinstance(value, _flint.fmpz):
        return Fraction(int(value))
    if isinstance(value, sympy.Basic):
        if isinstance(value, sympy.Rational):
            return Fraction(int(value.p), int(value.q))
        if isinstance(value, sympy.Float):
            raise FloatInExactError(f"{where}: the SymPy Float {value} is not allowed in exact arithmetic")
        raise InputError(f"{where}: {value} is not a rational number")
    if isinstance(value, (mpmath.mpf,)):
        raise FloatInExactError(f"{where}: the mpmath number {value} is not allowed in exact arithmetic")
    raise InputError(f"{where}: cannot read {value!r} (type {type(value).__name__}) as an exact rational")
