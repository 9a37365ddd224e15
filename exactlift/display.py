"""How numbers and formulas read in human-readable output: short decimals, math as math.

Long exact rationals are printed as a 6-significant-digit decimal marked ``≈``
(the exact value stays in ``--json``, and ``--exact-digits N`` prints rationals
of up to N digits in full); Python syntax (``z**2``, ``2*z``) is shown as math
(``z²``, ``2z``).

>>> short_rational("11835741410854517117394030436481766174143/30592031685653177370866524286784316805289")
'≈ 0.38689'
>>> short_rational("3/4")
'3/4'
>>> math_text("z/(1 + z**2)")
'z/(1 + z²)'
>>> shorten_rationals("loss 123456789012345678901234567/3 and 1/2", 20)
'loss ≈ 4.11523e+25 and 1/2'
"""

from __future__ import annotations

import re
from fractions import Fraction

__all__ = ["DEFAULT_EXACT_DIGITS", "short_rational", "shorten_rationals", "math_text", "decimal", "present", "lift_words", "coprime_direction"]

#: Rationals with at most this many characters are printed in full.
DEFAULT_EXACT_DIGITS = 20

_RATIONAL = re.compile(r"(?<![\w.])-?\d+(?:/\d+)?(?![\w.])")
_SUPER = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def decimal(x: Fraction, significant: int = 6) -> str:
    """A rational as a decimal with ``significant`` digits (``%g`` style, exact rounding).

    >>> decimal(Fraction(2, 3))
    '0.666667'
    >>> decimal(Fraction(-10**30, 7))
    '-1.42857e+29'
    """
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    x = abs(x)
    exp = len(str(x.numerator)) - len(str(x.denominator))
    if Fraction(10) ** exp > x:
        exp -= 1
    mant = round(x / Fraction(10) ** (exp - significant + 1))
    if mant >= 10 ** significant:
        mant //= 10
        exp += 1
    digits = str(mant)
    if -4 <= exp < significant:
        if exp >= 0:
            text = digits[: exp + 1] + ("." + digits[exp + 1:] if digits[exp + 1:] else "")
        else:
            text = "0." + "0" * (-exp - 1) + digits
        return sign + _trim(text)
    return f"{sign}{_trim(digits[0] + '.' + digits[1:])}e{exp:+03d}"


def _trim(text: str) -> str:
    """Trailing zeros of a fractional part dropped (and the point when nothing is left)."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def short_rational(text: str, exact_digits: int = DEFAULT_EXACT_DIGITS) -> str:
    """``p/q`` (or an integer) in full when at most ``exact_digits`` characters, else ``≈ decimal``."""
    text = str(text).strip()
    if len(text.lstrip("-")) <= exact_digits:
        return text
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        return text
    return "≈ " + decimal(value)


_DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d+(?:e[+-]?\d+)?(?![\w.])")


def shorten_rationals(text: str, exact_digits: int = DEFAULT_EXACT_DIGITS) -> str:
    """Every long rational in a text replaced by its short decimal (see :func:`short_rational`);
    long (mp) decimals are cut to 6 significant digits the same way.

    >>> shorten_rationals("loss 0.38688968200844126224578245592393089880057970214519")
    'loss ≈ 0.38689'
    """
    text = _DECIMAL.sub(lambda m: m.group() if len(m.group()) <= exact_digits
                        else "≈ " + decimal(Fraction(m.group())), text)
    return _RATIONAL.sub(lambda m: short_rational(m.group(), exact_digits), text)


def math_text(expr: object) -> str:
    """A SymPy string as math: powers as superscripts, ``2*z`` as ``2z``, other products as ``·``.

    >>> math_text("2*z**3 - exp(-z)*z")
    '2z³ - exp(-z)·z'
    >>> math_text("a critical point θ* within radius 1e-40")
    'a critical point θ* within radius 1e-40'
    """
    s = str(expr)
    s = re.sub(r"\*\*(-?\d+)", lambda m: m.group(1).translate(_SUPER), s)
    s = re.sub(r"\*\*", "^", s)
    s = re.sub(r"(?<![\w.])(\d+)\*(?=[A-Za-z(])", r"\1", s)
    return re.sub(r"(?<=[\w)\]])\*(?=[\w(])", "·", s)  # a product; θ* (a starred name) stays


_WORDS = (("dR/dtheta", "∂R_S/∂θ"), ("(n-, n0, n+)", "(n₋, n₀, n₊)"), ("ker J^T", "ker Jᵀ"), ("w^T H", "wᵀ H"),
          ("T^T", "Tᵀ"), ("grad R", "∇R"), ("f_wide(T theta, x)", "f_wide(Tθ, x)"), (">= 0", "⪰ 0"),
          ("H_narrow", "H"), ("inf)", "∞)"))
_GREEK = re.compile(r"\b(theta|sigma)\b")  # alpha stays a word: "alpha = 2" is what users type
_GREEK_LETTERS = {"theta": "θ", "sigma": "σ"}

_LIFTS = (
    (re.compile(r"\bodd-split\(layer=(\d+), neuron=(\d+), alpha=([^)]+)\)"),
     r"sign-flip split of neuron \2 of hidden layer \1 (α = \3)"),
    (re.compile(r"\bsplit\(layer=(\d+), neuron=(\d+), alpha=([^)]+)\)"), r"split of neuron \2 of hidden layer \1 (α = \3)"),
    (re.compile(r"\bnull\(layer=(\d+)\)"), r"a null neuron added to hidden layer \1"),
    (re.compile(r"\bpermute\(layer=(\d+), perm=([\d,]+)\)"), r"permutation (\2) of hidden layer \1"),
    (re.compile(r"\binsert\(after_layer=(\d+), identity(?:, width=(\d+))?(?:, shift=([^,)]+))?, activation=([^,)]+(?:\([^)]*\))?)\)"),
     lambda m: f"a {m.group(4)} layer with A = I inserted after layer {m.group(1)}"
               + (f" (width {m.group(2)})" if m.group(2) else "") + (f", c = {m.group(3)}·1" if m.group(3) else "")),
    (re.compile(r"\binsert\(after_layer=(\d+), width=(\d+), activation=([^,)]+(?:\([^)]*\))?)(?:, null=\[([\d, ]*)\])?\)"),
     lambda m: f"a {m.group(2)}-neuron {m.group(3)} layer inserted after layer {m.group(1)}"
               + (f", null neuron(s) {m.group(4)}" if m.group(4) else "")),
)


def lift_words(text: str) -> str:
    """Lift descriptions (``split(layer=1, neuron=0, alpha=1/3)``) in words, the rest unchanged.

    >>> lift_words("split(layer=1, neuron=0, alpha=1/3)")
    'split of neuron 0 of hidden layer 1 (α = 1/3)'
    >>> lift_words("insert(after_layer=1, identity, activation=relu)")
    'a relu layer with A = I inserted after layer 1'
    >>> lift_words("compose(null(layer=1), permute(layer=1, perm=1,0))")
    'a null neuron added to hidden layer 1, then permutation (1,0) of hidden layer 1'
    """
    for pattern, repl in _LIFTS:
        text = pattern.sub(repl, text)
    while True:
        m = re.search(r"\bcompose\(", text)
        if not m:
            return text
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        inner = text[m.end(): i - 1]
        text = text[: m.start()] + _split_top(inner) + text[i:]


def _split_top(inner: str) -> str:
    """The lifts of a composition (already in words) joined by ``, then``."""
    return re.sub(r"(?<=\d|\))\s*,\s+(?=(split|sign-flip|a |permutation))", ", then ", inner.strip())


def present(text: str, exact_digits: int = DEFAULT_EXACT_DIGITS) -> str:
    """A report as a reader wants it: math as math (:func:`math_text`), long rationals short.

    >>> present("max |dR/dtheta| = 0; activation(s) z/(1 + z**2)")
    'max |∂R_S/∂θ| = 0; activation(s) z/(1 + z²)'
    """
    text = lift_words(math_text(text))
    for old, new in _WORDS:
        text = text.replace(old, new)
    text = _GREEK.sub(lambda m: _GREEK_LETTERS[m.group(1)], text)
    return shorten_rationals(text, exact_digits).replace("= ≈ ", "≈ ")


def coprime_direction(v: "list[object] | tuple[object, ...]") -> tuple[list[int], Fraction]:
    """A rational direction as coprime integers: ``(w, c)`` with ``w = c·v``, ``c > 0``, gcd(w) = 1.

    A direction of negative curvature stays one when scaled, and ``wᵀHw = c² vᵀHv``.

    >>> coprime_direction(["1/3", "-2/9", 0])
    ([3, -2, 0], Fraction(9, 1))
    """
    from math import gcd, lcm

    fr = [Fraction(str(x)) for x in v]
    den = lcm(*(x.denominator for x in fr)) if fr else 1
    ints = [int(x * den) for x in fr]
    g = gcd(*ints) if any(ints) else 1
    g = g or 1
    return [i // g for i in ints], Fraction(den, g)
