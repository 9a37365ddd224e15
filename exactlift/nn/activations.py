"""Activation functions: a registry of expressions, derivatives and linear pieces.

Three kinds, one interface (:meth:`Activation.jet` returns σ, σ′, σ″ at a point
in any context):

* **piecewise linear** (``identity``, ``relu``, ``leaky_relu(a)``,
  ``hard_tanh``): exact everywhere except on a kink, where :class:`KinkError`
  is raised (the loss is not twice differentiable there);
* **smooth expressions** in ``z`` (``tanh``, ``sigmoid``, ``softplus``, and any
  user expression such as ``"z + z**5"`` or ``"z/(1 + z**2)"``); rational
  functions work in exact arithmetic, the others need ``mp``;
* the **undefined** activation ``sigma``: an undefined SymPy function whose
  derivatives are the undefined functions ``sigma_d1``, ``sigma_d2``, …, so an
  identity proved with it holds for every activation.

>>> act = parse_activation("leaky_relu(1/10)")
>>> from exactlift.arith.contexts import get_context
>>> act.jet(get_context("exact"), get_context("exact").convert(-2))
(-1/5, 1/10, 0)
>>> parse_activation("z + z**5").value_at_zero()
Fraction(0, 1)
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy

from exactlift.arith.contexts import Context, parse_rational
from exactlift.arith.exprs import evaluate, is_exact_rational_function, parse_expression
from exactlift.errors import ActivationError, ArithmeticModeError, KinkError, excerpt, validated
from exactlift.limits import check

Z = sympy.Symbol("z")


class _SigmaBase(sympy.Function):
    """An undefined activation; ``order`` counts derivatives taken."""

    order = 0
    nargs = 1

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return undefined_derivative(self.order + 1)(self.args[0])

    def _latex(self, printer: Any) -> str:
        return r"\sigma" + "'" * self.order + r"\left(" + printer._print(self.args[0]) + r"\right)"


_SIGMA_CLASSES: dict[int, type] = {}


def undefined_derivative(order: int) -> type:
    """The undefined function σ^(order): ``sigma``, ``sigma_d1``, ``sigma_d2``, …

    >>> x = sympy.Symbol("x")
    >>> sympy.diff(undefined_derivative(0)(2*x), x)
    2*sigma_d1(2*x)
    """
    if order not in _SIGMA_CLASSES:
        name = "sigma" if order == 0 else f"sigma_d{order}"
        _SIGMA_CLASSES[order] = type(name, (_SigmaBase,), {"order": order})
    return _SIGMA_CLASSES[order]


@dataclass(frozen=True)
class Piece:
    """σ(z) = slope·z + intercept on the open interval (lo, hi) (None = unbounded)."""

    lo: Fraction | None
    hi: Fraction | None
    slope: Fraction
    intercept: Fraction


@dataclass(frozen=True)
class Activation:
    """An activation function with what exactlift needs to know about it.

    ``kind`` is ``"piecewise"``, ``"expression"`` or ``"undefined"``;
    ``spec`` is the text that recreates it with :func:`parse_activation`.
    """

    spec: str
    kind: str
    expr: sympy.Expr | None = None
    pieces: tuple[Piece, ...] = ()
    derivatives: tuple[sympy.Expr, ...] = field(default=(), compare=False, repr=False)

    # ----------------------------------------------------------------- facts
    @property
    def kinks(self) -> tuple[Fraction, ...]:
        """Breakpoints of a piecewise-linear activation (empty otherwise)."""
        return tuple(p.hi for p in self.pieces[:-1]) if self.kind == "piecewise" else ()

    @functools.cached_property
    def exact_capable(self) -> bool:
        """Whether σ, σ′, σ″ have exact rational values at rational points (decided once per activation)."""
        if self.kind == "piecewise":
            return True
        if self.kind == "undefined":
            return False
        return is_exact_rational_function(self.expr, [Z])

    def value_at_zero(self) -> Any:
        """σ(0) exactly (a Fraction), or a SymPy expression for the undefined σ."""
        if self.kind == "undefined":
            return undefined_derivative(0)(sympy.Integer(0))
        if self.kind == "piecewise":  # continuous: at a kink either piece gives the value
            return self._piece_at(Fraction(0), strict=False).intercept
        value = self.expr.subs(Z, 0)
        return parse_rational(value) if value.is_Rational else value

    def linear_pieces(self) -> tuple[Piece, ...]:
        """The open intervals where σ is affine (for depth lifting).

        A polynomial of degree ≤ 1 counts as one piece on the whole line.
        """
        if self.kind == "piecewise":
            return self.pieces
        if self.kind == "expression" and self.expr.is_polynomial(Z) and sympy.degree(self.expr, Z) <= 1:
            poly = sympy.Poly(self.expr, Z)
            slope = poly.coeff_monomial(Z)
            return (Piece(None, None, parse_rational(slope), parse_rational(poly.coeff_monomial(1))),)
        return ()

    def sympy_function(self, arg: sympy.Expr) -> sympy.Expr:
        """σ(arg) as a SymPy expression (for the naive reference and for LaTeX)."""
        if self.kind == "undefined":
            return undefined_derivative(0)(arg)
        if self.kind == "expression":
            return self.expr.xreplace({Z: arg})
        args = []
        for p in self.pieces:
            value = sympy.Rational(p.slope) * arg + sympy.Rational(p.intercept)
            cond = sympy.true if p.hi is None else arg < sympy.Rational(p.hi)
            args.append((value, cond))
        return sympy.Piecewise(*args)

    # ------------------------------------------------------------ evaluation
    def _piece_at(self, z: Any, strict: bool = True, ctx: Context | None = None) -> Piece:
        """The piece containing z; on a kink, raise (strict) or take the left piece."""
        for p in self.pieces:
            if p.hi is None:
                return p
            sign = ctx.sign(z - ctx.convert(p.hi)) if ctx is not None else (z > p.hi) - (z < p.hi)
            if sign < 0:
                return p
            if sign == 0:
                if strict:
                    raise KinkError(f"{self.spec} has a kink at z = {p.hi}")
                return p
        raise AssertionError("unreachable")  # pragma: no cover

    def jet(self, ctx: Context, z: Any) -> tuple[Any, Any, Any]:
        """(σ(z), σ′(z), σ″(z)) in the context ``ctx``.

        Raises :class:`KinkError` on a kink of a piecewise-linear activation and
        :class:`ArithmeticModeError` when the arithmetic cannot represent it: the context
        is asked (``ctx.symbolic``: expressions with free symbols; ``ctx.rational``: only
        rational values, so an activation that is not :attr:`exact_capable` is refused).
        """
        if self.kind == "piecewise":
            if ctx.symbolic and not sympy.sympify(z).is_number:
                raise ArithmeticModeError(
                    f"{self.spec} is piecewise: it cannot be evaluated at the symbolic "
                    f"pre-activation {z}; use the undefined activation 'sigma' for symbolic proofs"
                )
            p = self._piece_at(z, ctx=ctx)
            slope = ctx.convert(p.slope)
            return slope * z + ctx.convert(p.intercept), slope, ctx.zero
        if self.kind == "undefined":
            if not ctx.symbolic:
                raise ArithmeticModeError(
                    "the undefined activation 'sigma' has no values: use it with symbolic arithmetic"
                )
            return tuple(undefined_derivative(k)(z) for k in range(3))  # type: ignore[return-value]
        if ctx.rational and not self.exact_capable:
            raise ArithmeticModeError(
                f"activation {self.spec!r} has no exact rational values: use --arithmetic mp "
                "(or a rational activation such as 'z/(1 + z**2)')"
            )
        env = {"z": z}
        return tuple(evaluate(d, env, ctx) for d in self.derivatives)  # type: ignore[return-value]

    def __str__(self) -> str:
        return self.spec


def _piecewise(spec: str, kinks: list[Fraction], slopes: list[Fraction], intercepts: list[Fraction]) -> Activation:
    bounds = [None, *kinks, None]
    pieces = tuple(Piece(bounds[i], bounds[i + 1], slopes[i], intercepts[i]) for i in range(len(slopes)))
    return Activation(spec=spec, kind="piecewise", pieces=pieces)


def _expression(spec: str, expr: sympy.Expr) -> Activation:
    derivs = (expr, sympy.diff(expr, Z), sympy.diff(expr, Z, 2))
    return Activation(spec=spec, kind="expression", expr=expr, derivatives=derivs)


_NAMED_EXPRESSIONS = {
    "tanh": "tanh(z)",
    "sigmoid": "1/(1 + exp(-z))",
    "softplus": "log(1 + exp(z))",
}

_CALL = re.compile(r"^\s*(\w+)\s*\(\s*([^()]*)\s*\)\s*$")

#: The names accepted besides expressions in ``z`` (shown in error messages).
ACTIVATION_NAMES = (
    "identity", "relu", "leaky_relu(SLOPE)", "hard_tanh", "tanh", "sigmoid", "softplus",
    "sigma (undefined)", "poly(c0, c1, ...)",
)


@validated
def parse_activation(spec: str | Activation) -> Activation:
    """Build an activation from its name or an expression in ``z``.

    >>> parse_activation("relu").kinks
    (Fraction(0, 1),)
    >>> parse_activation("poly(0, 1, 0, 1/3)").expr
    z**3/3 + z
    """
    if isinstance(spec, Activation):
        return spec
    if not isinstance(spec, str) or not spec.strip():
        raise ActivationError(f"an activation must be a non-empty string, got {excerpt(spec)}")
    text = spec.strip()
    name = text.lower()
    zero, one = Fraction(0), Fraction(1)
    if name in ("identity", "linear"):
        return _piecewise("identity", [], [one], [zero])
    if name == "relu":
        return _piecewise("relu", [zero], [zero, one], [zero, zero])
    if name in ("hard_tanh", "hardtanh"):
        return _piecewise("hard_tanh", [-one, one], [zero, one, zero], [-one, zero, one])
    if name == "sigma":
        return Activation(spec="sigma", kind="undefined")
    if name in _NAMED_EXPRESSIONS:
        return _expression(name, parse_expression(_NAMED_EXPRESSIONS[name], {"z"}))
    call = _CALL.match(text)
    if call and call.group(1).lower() in ("leaky_relu", "poly"):
        args = [a for a in call.group(2).split(",") if a.strip()]
        check("max_poly_terms", len(args), f"activation {excerpt(spec)}", "coefficients")
        coeffs = [parse_rational(a.strip(), f"activation {excerpt(spec)}") for a in args]
        if call.group(1).lower() == "leaky_relu":
            if len(coeffs) != 1:
                raise ActivationError(f"leaky_relu takes one slope, e.g. leaky_relu(1/10); got {excerpt(spec)}")
            return _piecewise(f"leaky_relu({coeffs[0]})", [zero], [coeffs[0], one], [zero, zero])
        if not coeffs:
            raise ActivationError(f"poly needs coefficients c0, c1, ...; got {excerpt(spec)}")
        expr = sum(sympy.Rational(c) * Z**k for k, c in enumerate(coeffs))
        return _expression(f"poly({', '.join(map(str, coeffs))})", sympy.sympify(expr))
    try:
        expr = parse_expression(text, {"z"}, where=f"activation {excerpt(spec)}")
    except ActivationError:
        raise
    except Exception as exc:
        raise ActivationError(
            f"unknown activation {excerpt(spec)}: use one of {', '.join(ACTIVATION_NAMES)} "
            f"or an expression in z ({exc})"
        ) from None
    if not expr.has(Z):
        raise ActivationError(f"activation {excerpt(spec)} does not depend on z")
    return _expression(text, expr)
