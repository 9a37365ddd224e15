"""Scalar contexts: one network/derivative code path, several arithmetics.

Modelled on mpmath's contexts: the algorithms in :mod:`exactlift.calculus` are
written once against a context object, which says how to convert inputs,
multiply matrices, compare with zero and evaluate elementary functions.

=============  ==========================================  ================
context        scalars                                      strength
=============  ==========================================  ================
``exact``      ``flint.fmpq`` (or ``fractions.Fraction``)   ``exact``
``mp``         ``mpmath.mpf`` at a chosen number of digits  ``numerical``
``certified``  ``flint.arb`` balls (enclosures)             ``certified``
``symbolic``   SymPy expressions (free symbols allowed)     ``symbolic``
=============  ==========================================  ================

The exact context uses python-flint when it is installed and the environment
variable ``EXACTLIFT_PURE`` is not ``1``; both paths are exact and tested.

Algorithms never branch on a context's ``name``; they ask it (see :class:`Context`):

=============  =====  ========  ========  ==========  ========  ==========================
context        exact  rational  rigorous  enclosures  symbolic  ``display_value(x)``
=============  =====  ========  ========  ==========  ========  ==========================
``exact``      yes    yes       yes       no          no        x itself
``mp``         no     no        no        no          no        12-digit SymPy Float
``certified``  no     no        yes       yes         no        the ball's midpoint, Float
``symbolic``   yes    no        yes       no          yes       x itself
=============  =====  ========  ========  ==========  ========  ==========================

>>> ctx = get_context("exact")
>>> ctx.convert("1/3") + ctx.convert(2)
7/3
"""

from __future__ import annotations

import contextlib
import os
from fractions import Fraction
from typing import Any, Callable, Iterator

import mpmath
import numpy as np
import sympy

from exactlift.arith import mp_rule
from exactlift.arith.ball_ldl import certified_inertia_result, mp_inertia_result
from exactlift.arith.linalg.inertia import InertiaResult, inertia_result
from exactlift.arith.mp_rule import MIN_MP_DIGITS
from exactlift.arith.rationals import DECIMAL_TEXT, RATIONAL_TEXT, parse_rational
from exactlift.arith.numerical import ball_sign
from exactlift.errors import ArithmeticModeError, FloatInExactError, InputError, UndecidedError, validated
from exactlift.arith.exprs import parse_expression
from exactlift.arith.functions import ELEMENTARY_FUNCTIONS
from exactlift.strength import Strength

try:  # python-flint: fast exact rationals and matrices
    import flint as _flint
except ImportError:  # pragma: no cover - exercised by EXACTLIFT_PURE in tests
    _flint = None


def flint_enabled() -> bool:
    """True when python-flint is importable and ``EXACTLIFT_PURE`` is not ``1``."""
    return _flint is not None and os.environ.get("EXACTLIFT_PURE", "") != "1"


class Context:
    """Base class of scalar contexts (see the module docstring).

    Algorithms ask a context what it can do instead of branching on its ``name``
    (which is for messages and reports only), the way mpmath's contexts carry their
    own capabilities:

    * capability flags (class attributes):

      - ``exact``: no rounding anywhere (the exact and symbolic contexts);
      - ``rational``: the scalars are exact rational numbers, elements of Q with no free
        symbols (the exact context only).  Only rational functions can be evaluated (an
        activation or loss that is not ``exact_capable``, such as ``tanh``, is refused), and
        the exact linear algebra over Q of :mod:`exactlift.arith.linalg` (rank, kernel,
        witnesses, the flint matrix fast paths) applies to the scalars directly;
      - ``rigorous``: every decision the context returns is a proof (exact, symbolic, certified);
      - ``symbolic``: scalars may be SymPy expressions with free symbols (the symbolic context);
      - ``enclosures``: scalars are balls certainly containing the true value (certified);
      - ``strength``: the :class:`~exactlift.strength.Strength` of what the context decides;

    * decisions: :meth:`decide_zero`, :meth:`decide_sign`, :meth:`all_zero`, :meth:`inertia`
      (None when undecided);
    * presentation: :meth:`to_output` (a string for reports and JSON) and
      :meth:`display_value` (the value a rendered derivation prints).

    >>> [(c.name, c.exact, c.rational, c.rigorous, c.enclosures, c.symbolic)
    ...  for c in (ExactContext(), MPContext(), SymbolicContext())]
    [('exact', True, True, True, False, False), ('mp', False, False, False, False, False), ('symbolic', True, False, True, False, True)]
    """

    name: str = "abstract"
    #: The strength of what this context decides (a ``str`` enum: compares equal to its name).
    strength: Strength = Strength.NUMERICAL
    #: Capability flags, asked by the algorithms instead of the context's name (see above).
    exact: bool = False
    rational: bool = False
    rigorous: bool = False
    symbolic: bool = False
    enclosures: bool = False
    #: Why :meth:`decide_zero` may answer None in this context (reports quote it for an undecided claim).
    undecided_zero: str = "the context cannot decide whether the value is 0"

    def convert(self, value: Any, where: str = "value") -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def zero(self) -> Any:
        return self.convert(0)

    @property
    def one(self) -> Any:
        return self.convert(1)

    def array(self, values: Any, where: str = "array") -> np.ndarray:
        """Convert a nested sequence to an object ndarray of this context's scalars."""
        arr = np.array(values, dtype=object)
        out = np.empty(arr.shape, dtype=object)
        for idx in np.ndindex(arr.shape):
            out[idx] = self.convert(arr[idx], f"{where}{list(idx)}")
        return out

    def zeros(self, shape: tuple[int, ...]) -> np.ndarray:
        out = np.empty(shape, dtype=object)
        out.fill(self.zero)
        return out

    def eye(self, n: int) -> np.ndarray:
        out = self.zeros((n, n))
        for i in range(n):
            out[i, i] = self.one
        return out

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Matrix product of two 2-d object arrays."""
        if a.shape[1] == 0:
            return self.zeros((a.shape[0], b.shape[1]))
        return np.dot(a, b)

    def is_zero(self, x: Any) -> bool:
        """Whether x counts as zero: exactly (exact, symbolic, certified) or within tolerance (mp)."""
        return x == 0

    def sign(self, x: Any) -> int:
        """-1, 0 or 1 (decided exactly in the exact context).

        The certified context raises :class:`UndecidedError` when an enclosure
        contains 0 without being exactly 0.
        """
        return (x > 0) - (x < 0)

    def magnitude(self, x: Any) -> Any:
        """A comparable size of x, used only to *choose* pivots or the entry to display."""
        return abs(x)

    # -- decisions: what the algorithms ask -------------------------------------------------
    def decide_zero(self, x: Any) -> bool | None:
        """Whether x = 0, as far as this context can decide: True, False, or None (undecided).

        exact: decided exactly; certified: True only for an exact zero ball, False when the
        ball excludes 0, else None; mp: within the context's :attr:`tolerance` (numerical: a
        finding, not a proof); symbolic: True for an identity, False for a non-zero number,
        None when simplification does not settle it.
        """
        return bool(self.is_zero(x))

    def decide_sign(self, x: Any) -> int | None:
        """-1, 0 or 1 when decided, None when not (a ball containing 0, an undetermined expression)."""
        try:
            return self.sign(x)
        except (UndecidedError, ArithmeticModeError):
            return None

    def all_zero(self, values: Any) -> bool | None:
        """Whether every value is zero: False as soon as one is decided non-zero, None if any is undecided.

        >>> get_context("exact").all_zero([0, 0]), get_context("exact").all_zero([0, 1])
        (True, False)
        """
        decided = [self.decide_zero(v) for v in values]
        return False if any(d is False for d in decided) else (True if all(d is True for d in decided) else None)

    def inertia(self, H: Any) -> tuple[int, int, int] | None:
        """(n₋, n₀, n₊) of a symmetric matrix in this context's strength, None when undecided."""
        return self.inertia_result(H).inertia

    def inertia_result(self, H: Any) -> InertiaResult:
        """The inertia (``.inertia``, None when undecided) and the ``.path`` that decided it."""
        raise ArithmeticModeError(f"the inertia of a matrix is not available in {self.name} arithmetic")

    def function(self, name: str) -> Callable[[Any], Any]:
        """The elementary function ``name`` (exp, log, tanh, ...) in this context."""
        raise ArithmeticModeError(f"{name} is not available in {self.name} arithmetic")

    def power(self, base: Any, exponent: Fraction) -> Any:
        if exponent.denominator == 1:
            return base ** int(exponent)
        raise ArithmeticModeError(
            f"the power with exponent {exponent} has no exact rational value: use --arithmetic mp"
        )

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        """Enter the context's precision for the duration of a computation."""
        yield

    def to_output(self, x: Any) -> str:
        """A string representation for reports (exact fractions stay exact)."""
        return str(x)

    def display_value(self, x: Any, digits: int = 12) -> Any:
        """The value a rendered derivation (LaTeX) prints for the scalar x of this context.

        Exact contexts (exact, symbolic) return x itself; rounded ones a SymPy ``Float``
        with ``digits`` significant digits (the certified context: the ball's midpoint).
        The text around it says which arithmetic produced it.

        >>> MPContext(digits=30).display_value(MPContext(digits=30).convert("1/3"))
        0.333333333333
        >>> ExactContext(use_flint=False).display_value(Fraction(1, 3))
        Fraction(1, 3)
        """
        if self.exact:
            return x
        if not isinstance(x, mpmath.mpf):
            x = mpmath.mpf(str(x))
        return sympy.Float(mpmath.nstr(x, digits), digits)

    def describe(self) -> str:
        return self.name


class ExactContext(Context):
    """Exact rational arithmetic (``flint.fmpq`` when available, else ``Fraction``)."""

    name = "exact"
    strength = Strength.EXACT
    exact = True
    rational = True
    rigorous = True

    def __init__(self, use_flint: bool | None = None) -> None:
        self.use_flint = flint_enabled() if use_flint is None else (use_flint and _flint is not None)
        self._type = _flint.fmpq if self.use_flint else Fraction

    def convert(self, value: Any, where: str = "value") -> Any:
        if isinstance(value, self._type):
            return value
        hot = type(value) is Fraction or (type(value) is int and value.bit_length() < 64)  # the hot path
        frac = value if hot else parse_rational(value, where)
        return _flint.fmpq(frac.numerator, frac.denominator) if self.use_flint else Fraction(frac)

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        r, k = a.shape
        c = b.shape[1]
        if k == 0:
            return self.zeros((r, c))
        if self.use_flint and r * k * c >= 512:
            A = _flint.fmpq_mat(r, k, list(a.ravel()))
            B = _flint.fmpq_mat(k, c, list(b.ravel()))
            out = np.empty(r * c, dtype=object)
            out[:] = (A * B).entries()
            return out.reshape(r, c)
        return np.dot(a, b)

    def to_fraction(self, x: Any) -> Fraction:
        return parse_rational(x)

    def inertia_result(self, H: Any) -> InertiaResult:
        """Exact inertia (:func:`exactlift.arith.linalg.inertia`): always decided."""
        return inertia_result(H)

    def describe(self) -> str:
        return "exact (" + ("python-flint fmpq" if self.use_flint else "fractions.Fraction") + ")"


class MPContext(Context):
    """mpmath multiprecision floating point at ``digits`` significant digits.

    Numerical, not a proof: results computed here are labelled ``numerical``.

    **Decision rule** (issue 11; :mod:`exactlift.arith.mp_rule`): at p = ``digits`` ≥ 15
    digits (at most the limit ``max_digits``), x is zero when |x| ≤ s·10^(min(10, p//3) − p),
    non-zero when |x| > s·10^(−p/2), undecided in between (:meth:`decide_zero` None,
    :meth:`sign` :class:`~exactlift.errors.UndecidedError`), with s = max(1, scale);
    :meth:`all_zero` takes s as the largest entry.  Complex or non-finite values are refused.

    >>> ctx = MPContext(digits=15)
    >>> with ctx.active():
    ...     [ctx.decide_zero(ctx.convert(v)) for v in ("1/50", "1e-12", "1e-9")]
    [False, True, None]
    """

    name = "mp"
    undecided_zero = 'a value lies in the undecided band of the mp zero rule (neither within the tolerance of 0 nor clearly non-zero, docs/limits.md); use more --digits, or exact/certified arithmetic'
    strength = Strength.NUMERICAL

    def __init__(self, digits: int = 50) -> None:
        if isinstance(digits, bool) or not isinstance(digits, int) or digits < MIN_MP_DIGITS:
            raise InputError(
                f"--digits must be an integer >= {MIN_MP_DIGITS} for mp arithmetic (fewer digits cannot "
                f"separate zero from rounding), got {digits!r}"
            )
        mp_rule.check_digits(digits)
        self.digits = digits

    def convert(self, value: Any, where: str = "value") -> Any:
        """An mpf rounded at this context's precision (whatever the caller's mpmath state)."""
        if isinstance(value, mpmath.mpf):
            return self.real(value, where)
        if isinstance(value, mpmath.mpc):
            return self.real(value, where)
        with mpmath.workdps(self.digits):
            if isinstance(value, (float, np.floating)):
                return self.real(mpmath.mpf(value), where)
            if isinstance(value, sympy.Float):
                return mpmath.mpf(str(value))
            frac = parse_rational(value, where)
            return mpmath.mpf(frac.numerator) / frac.denominator

    def real(self, x: Any, where: str = "value") -> Any:
        """x when it is a finite real number; complex or non-finite values are refused (:func:`mp_rule.real`)."""
        return mp_rule.real(x, where)

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        with mpmath.workdps(self.digits):
            yield

    def is_zero(self, x: Any) -> bool:
        """True only when x is decided zero (|x| ≤ :attr:`tolerance`); undecided counts as not zero."""
        return self.decide_zero(x) is True

    def decide_zero(self, x: Any, scale: Any = None) -> bool | None:
        """True, False or None by the decision rule of :mod:`exactlift.arith.mp_rule` (s = max(1, |scale|))."""
        return mp_rule.decide(x, self.digits, scale)

    def all_zero(self, values: Any) -> bool | None:
        """The rule with s = the largest |value| (a vector is judged against its own size)."""
        return mp_rule.decide_all(values, self.digits)

    def inertia_result(self, H: Any) -> InertiaResult:
        """Ball LDLᵀ on [h ± tolerance], else Bunch–Kaufman with pivots below :attr:`tolerance` as zero."""
        return mp_inertia_result(H, self.tolerance, self.digits)

    def sign(self, x: Any) -> int:
        """-1, 0 or 1 by the decision rule; :class:`UndecidedError` in the undecided band."""
        zero = self.decide_zero(x)
        if zero is None:
            raise UndecidedError(
                f"the sign of {mpmath.nstr(x, 5)} is not decided at {self.digits} digits (neither within "
                f"{mpmath.nstr(self.tolerance, 3)} of 0 nor above {mpmath.nstr(self.nonzero_threshold, 3)}); "
                "use more --digits, or exact/certified arithmetic"
            )
        if zero:
            return 0
        return 1 if x > 0 else -1

    def magnitude(self, x: Any) -> Any:
        return abs(x)

    @property
    def tolerance(self) -> Any:
        """The mp context's zero tolerance, a property of the context: ``10**(g - digits)``.

        Rule (:mod:`exactlift.arith.mp_rule`): at p = ``digits`` significant digits, with
        g = min(10, p // 3) guard digits, a value x with ``|x| <= 10**(g - p)`` (times the scale s = max(1, scale)
        of the values involved) counts as zero.  Used by :meth:`decide_zero` (and so
        :meth:`is_zero` / :meth:`all_zero`), :meth:`sign` and :meth:`inertia` (Bunch–Kaufman
        pivots within it, relative to max(1, max|H|), are counted as zero eigenvalues).  Values
        between it and :attr:`nonzero_threshold` are undecided.  It is never used to *prove*
        anything: every decision made with it is ``numerical``.

        >>> MPContext(digits=30).tolerance == mpmath.mpf(10) ** -20
        True
        >>> MPContext(digits=15).tolerance == mpmath.mpf(10) ** -10
        True
        """
        return mp_rule.zero_tolerance(self.digits)

    @property
    def nonzero_threshold(self) -> Any:
        """``10**(-digits/2)``: above it (times the scale) a value is decided non-zero."""
        return mp_rule.nonzero_threshold(self.digits)

    def function(self, name: str) -> Callable[[Any], Any]:
        if name not in ELEMENTARY_FUNCTIONS:
            raise ArithmeticModeError(f"{name} is not available in mp arithmetic")
        f = getattr(mpmath, name)

        def real_function(x: Any) -> Any:
            return self.real(f(self.real(x)), f"{name}({mpmath.nstr(x, 8)})")

        return real_function

    def power(self, base: Any, exponent: Fraction) -> Any:
        if exponent.denominator == 1:
            return self.real(base ** int(exponent), "a power")
        value = base ** (mpmath.mpf(exponent.numerator) / exponent.denominator)
        return self.real(value, f"({mpmath.nstr(base, 8)})**({exponent})")

    def to_output(self, x: Any) -> str:
        return mpmath.nstr(x, self.digits)

    def describe(self) -> str:
        return f"mp ({self.digits} digits, mpmath)"


class SymbolicContext(Context):
    """SymPy expressions: identities for all values of the free symbols."""

    name = "symbolic"
    undecided_zero = 'an expression does not simplify to 0 or to a constant known to be non-zero'
    strength = Strength.SYMBOLIC
    exact = True
    rigorous = True
    symbolic = True

    def convert(self, value: Any, where: str = "value") -> Any:
        if isinstance(value, sympy.Basic):
            if value.has(sympy.Float):
                raise FloatInExactError(f"{where}: the expression {value} contains a float")
            return value
        if isinstance(value, str) and not (RATIONAL_TEXT.match(value) or DECIMAL_TEXT.match(value)):
            return parse_expression(value, allowed_names=None, where=where)
        frac = parse_rational(value, where)
        return sympy.Rational(frac.numerator, frac.denominator)

    def is_zero(self, x: Any) -> bool:
        return sympy.expand(x) == 0

    def decide_zero(self, x: Any) -> bool | None:
        e = sympy.expand(x)
        if e == 0 or sympy.cancel(sympy.together(e)) == 0:
            return True
        if e.is_number and e.is_zero is False:
            return False
        return None

    def sign(self, x: Any) -> int:
        x = sympy.sympify(x)
        if x.is_zero:
            return 0
        if x.is_positive:
            return 1
        if x.is_negative:
            return -1
        raise ArithmeticModeError(f"the sign of {x} is not determined symbolically")

    def function(self, name: str) -> Callable[[Any], Any]:
        if name not in ELEMENTARY_FUNCTIONS:
            raise ArithmeticModeError(f"{name} is not available in symbolic arithmetic")
        return getattr(sympy, name)

    def power(self, base: Any, exponent: Fraction) -> Any:
        return base ** sympy.Rational(exponent.numerator, exponent.denominator)


class CertifiedContext(Context):
    """Ball arithmetic (python-flint ``arb``) at about ``digits`` digits: enclosures decide.

    Every number is a ball certainly containing the true value.  A sign is
    decided only when the ball excludes 0 (or is exactly 0); otherwise
    :class:`UndecidedError` is raised and the claim is left undecided, never
    guessed.  Results are labelled ``certified``.

    >>> ctx = get_context("certified", digits=30)
    >>> with ctx.active():
    ...     ctx.sign(ctx.function("tanh")(ctx.convert("1/2")) - ctx.convert("1/2"))
    -1
    """

    name = "certified"
    undecided_zero = 'an enclosure contains 0 (balls refute, they cannot prove equality)'
    strength = Strength.CERTIFIED
    rigorous = True
    enclosures = True

    def __init__(self, digits: int = 50) -> None:
        if _flint is None:  # pragma: no cover
            raise ArithmeticModeError("certified arithmetic needs python-flint (pip install python-flint)")
        if not isinstance(digits, int) or digits < 5:
            raise InputError(f"--digits must be an integer >= 5, got {digits!r}")
        mp_rule.check_digits(digits)  # the limit max_digits (exactlift.limits), before any work
        self.digits = digits
        self.prec = int(digits * 3.33) + 16

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        old = _flint.ctx.prec
        _flint.ctx.prec = self.prec
        try:
            yield
        finally:
            _flint.ctx.prec = old

    def convert(self, value: Any, where: str = "value") -> Any:
        if isinstance(value, _flint.arb):
            return value
        frac = parse_rational(value, where)
        with self.active():
            return _flint.arb(frac.numerator) / frac.denominator

    def is_zero(self, x: Any) -> bool:
        return bool(x.is_zero())

    def decide_zero(self, x: Any) -> bool | None:
        if x.is_zero():
            return True
        if x > 0 or x < 0:
            return False
        return None

    def sign(self, x: Any) -> int:
        return ball_sign(x, f"at {self.digits} digits")

    def inertia_result(self, H: Any) -> InertiaResult:
        """Inertia proved by ball pivots (each excluding 0), None when a pivot is undecided."""
        return certified_inertia_result(H, self.prec)

    def magnitude(self, x: Any) -> Any:
        return abs(x.mid())

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        r, k = a.shape
        c = b.shape[1]
        if k == 0:
            return self.zeros((r, c))
        if r * k * c >= 512:
            with self.active():
                A = _flint.arb_mat(r, k, list(a.ravel()))
                B = _flint.arb_mat(k, c, list(b.ravel()))
                out = np.empty(r * c, dtype=object)
                out[:] = (A * B).entries()
            return out.reshape(r, c)
        return np.dot(a, b)

    def function(self, name: str) -> Callable[[Any], Any]:
        if name not in ELEMENTARY_FUNCTIONS:
            raise ArithmeticModeError(f"{name} is not available in certified arithmetic")
        return lambda x: self.real(x, getattr(x, name)(), name)

    def power(self, base: Any, exponent: Fraction) -> Any:
        if exponent.denominator == 1:
            # arb ** int is exp(y log x), NaN for a ball containing 0: repeated multiplication stays finite
            k = int(exponent)
            out, sq, e = _flint.arb(1), base, abs(k)
            while e:
                if e & 1:
                    out = out * sq
                sq = sq * sq
                e >>= 1
            return out if k >= 0 else 1 / out
        return self.real(base, base ** (_flint.arb(exponent.numerator) / exponent.denominator), f"**({exponent})")

    def real(self, x: Any, y: Any, what: str) -> Any:
        """y = what(x); refused when x is certainly outside the real domain (a NaN ball stays undecided)."""
        if not y.is_finite() and x < 0:
            raise InputError(f"{what} of {x.mid().str(8, radius=False)} has no real value")
        return y

    def to_output(self, x: Any) -> str:
        return x.str(self.digits, radius=True) if not x.is_exact() else x.str(self.digits)

    def display_value(self, x: Any, digits: int = 12) -> Any:
        """The ball's midpoint as a SymPy ``Float`` of ``digits`` digits (the radius is not shown)."""
        if hasattr(x, "mid"):
            x = mpmath.mpf(x.mid().str(20, radius=False))
        return super().display_value(x, digits)

    def describe(self) -> str:
        return f"certified (arb balls, {self.prec} bits, python-flint)"


ARITHMETICS = ("exact", "mp", "certified", "symbolic")

@validated
def get_context(arithmetic: str | Context = "exact", digits: int = 50) -> Context:
    """The context for an arithmetic name (``exact``, ``mp`` or ``symbolic``).

    >>> get_context("mp", digits=30).describe()
    'mp (30 digits, mpmath)'
    """
    if isinstance(arithmetic, Context):
        return arithmetic
    if arithmetic == "exact":
        return ExactContext()
    if arithmetic == "mp":
        return MPContext(digits)
    if arithmetic == "symbolic":
        return SymbolicContext()
    if arithmetic == "certified":
        return CertifiedContext(digits)
    raise InputError(f"unknown arithmetic {arithmetic!r}: choose one of {', '.join(ARITHMETICS)}")
