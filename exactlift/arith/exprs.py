"""User expressions: a whitelist parser (no ``eval``) and a context evaluator.

Activations such as ``"z + z**5"`` and losses such as ``"(f - y)**4"`` are read
with Python's :mod:`ast` and translated node by node into SymPy; only the
arithmetic operators, exact number literals, the allowed variable names and
the functions in :data:`FUNCTIONS` are accepted.  Decimal literals are read
as exact decimals (``0.1`` is 1/10).

:func:`evaluate` then computes such an expression in any scalar context
(exact, mp, symbolic) by walking the SymPy tree, so no code is generated.

>>> e = parse_expression("z/(1 + z**2)", allowed_names={"z"})
>>> from exactlift.arith.contexts import get_context
>>> evaluate(e, {"z": 2}, get_context("exact"))
2/5
"""

from __future__ import annotations

import ast
from fractions import Fraction
from typing import Any, Iterable, Mapping

import sympy

from exactlift.arith.functions import ELEMENTARY_FUNCTIONS
from exactlift.errors import ArithmeticModeError, InputError, excerpt
from exactlift.limits import check as check_limit
from exactlift.limits import check_decimal_text, limit, shown_count

#: Functions a user expression may call, and their SymPy counterparts.
FUNCTIONS: dict[str, Any] = {name: getattr(sympy, name) for name in ELEMENTARY_FUNCTIONS}

_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}


def parse_expression(
    text: str, allowed_names: Iterable[str] | None, where: str = "expression"
) -> sympy.Expr:
    """Parse ``text`` into a SymPy expression using only whitelisted constructs.

    ``allowed_names`` lists the variables (e.g. ``{"z"}``); ``None`` allows any
    identifier as a symbol (used for symbolic parameters).
    """
    if not isinstance(text, str):
        raise InputError(f"{where}: expected a string, got {type(text).__name__}")
    check_limit("max_expression_chars", len(text), f"{where}: the expression", "characters")
    shown = text if len(text) <= 60 else text[:57] + "..."
    try:
        tree = ast.parse(text.strip().replace("^", "**"), mode="eval")
    except SyntaxError as exc:
        raise InputError(f"{where}: cannot parse {shown!r}: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise InputError(f"{where}: cannot parse {shown!r}: the expression is nested too deeply for the parser (limit max_expression_depth)") from None
    check_limit("max_expression_depth", _depth(tree), f"{where}: the expression", "levels of nesting")
    source, text = text, shown  # messages quote a short excerpt
    allowed = None if allowed_names is None else set(allowed_names)

    def build(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return build(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left, right = build(node.left), build(node.right)
            if isinstance(node.op, ast.Pow):
                _check_power(left, right, where)
            return _bounded(_BINOPS[type(node.op)](left, right), where)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            value = build(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.Constant) and not isinstance(node.value, bool):
            if isinstance(node.value, int):
                return sympy.Integer(node.value)
            if isinstance(node.value, float):
                literal = ast.get_source_segment(source.strip().replace("^", "**"), node) or repr(node.value)
                check_decimal_text(literal, where)
                return sympy.Rational(Fraction(literal))
        if isinstance(node, ast.Name):
            if node.id == "pi":
                return sympy.pi
            if node.id == "E":
                return sympy.E
            if allowed is not None and node.id not in allowed:
                names = ", ".join(sorted(allowed)) or "none"
                raise InputError(f"{where}: unknown name {excerpt(node.id)} in {excerpt(text)} (allowed: {names})")
            if node.id in FUNCTIONS:
                raise InputError(f"{where}: {excerpt(node.id)} is a function; call it as {node.id}(...)")
            return sympy.Symbol(node.id)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            if node.func.id not in FUNCTIONS:
                raise InputError(
                    f"{where}: unknown function {excerpt(node.func.id)} in {excerpt(text)} "
                    f"(allowed: {', '.join(sorted(FUNCTIONS))})"
                )
            if len(node.args) != 1:
                raise InputError(f"{where}: {node.func.id} takes one argument")
            return FUNCTIONS[node.func.id](build(node.args[0]))
        raise InputError(f"{where}: {ast.unparse(node)[:60]!r} is not allowed in {excerpt(text)}")

    result = sympy.sympify(build(tree))
    if result.has(sympy.zoo, sympy.nan, sympy.oo):
        raise InputError(f"{where}: {excerpt(text)} is undefined (division by zero)")
    return result


def _depth(tree: ast.AST) -> int:
    """The nesting depth of an AST, computed without recursion."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((child, d + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _bits(value: Any) -> int:
    if isinstance(value, sympy.Rational):
        return int(value.p).bit_length() + int(value.q).bit_length()
    return 0


def _bounded(value: Any, where: str) -> Any:
    """Refuse a folded constant larger than the limit ``max_power_bits`` (checked after each step)."""
    check_limit("max_power_bits", _bits(value), f"{where}: a constant of the expression", "bits")
    return value


def _check_power(base: Any, exponent: Any, where: str) -> None:
    """Refuse x**n before computing it when n, or the folded constant, would be too large."""
    if not isinstance(exponent, sympy.Rational):
        return
    size = max(abs(int(exponent.p)), int(exponent.q))
    if isinstance(base, sympy.Rational):
        if base in (0, 1, -1):
            return
        bound = limit("max_power_bits")
        estimate = _bits(base) * abs(int(exponent.p))
        if estimate > bound:
            power = f"{str(base)[:30]}**{exponent}" if size < 10**30 else f"{str(base)[:30]}**n, with n {shown_count(size)},"
            check_limit("max_power_bits", estimate, f"{where}: the constant power {power}", "bits")
        return
    if size > limit("max_power"):
        if exponent.q == 1:
            check_limit("max_power", size, f"{where}: a power", "as exponent")
        check_limit("max_power", size, f"{where}: a power with a fractional exponent",
                    "as the exponent's numerator or denominator")


def is_exact_rational_function(expr: sympy.Expr, variables: Iterable[sympy.Symbol]) -> bool:
    """True when ``expr`` is a rational function of ``variables`` with rational coefficients."""
    if expr.has(sympy.Float):
        return False
    if expr.free_symbols - set(variables):
        return False
    return bool(expr.is_rational_function(*variables)) and not expr.has(sympy.pi, sympy.E)


def evaluate(expr: sympy.Expr, env: Mapping[str, Any], ctx: Any) -> Any:
    """Evaluate a SymPy expression tree in a context, with variables from ``env``.

    ``ctx`` is any arithmetic context (duck-typed: ``symbolic``/``exact`` flags,
    ``convert``, ``power``, ``is_zero``, ``function``, ``one``).  In a symbolic
    context this is substitution; in the others it walks the tree with the
    context's arithmetic, so exact stays exact (an exact, non-symbolic context
    has no elementary functions and refuses them).
    """
    if ctx.symbolic:
        return expr.xreplace({sympy.Symbol(k): ctx.convert(v) for k, v in env.items()})
    return _walk(expr, env, ctx)


def _walk(node: sympy.Basic, env: Mapping[str, Any], ctx: Any) -> Any:
    if isinstance(node, sympy.Symbol):
        try:
            return env[node.name]
        except KeyError:
            raise InputError(f"no value for the variable {node.name!r}") from None
    if isinstance(node, sympy.Rational):
        return ctx.convert(Fraction(int(node.p), int(node.q)))
    if isinstance(node, sympy.Add):
        args = [_walk(a, env, ctx) for a in node.args]
        total = args[0]
        for a in args[1:]:
            total = total + a
        return total
    if isinstance(node, sympy.Mul):
        args = [_walk(a, env, ctx) for a in node.args]
        total = args[0]
        for a in args[1:]:
            total = total * a
        return total
    if isinstance(node, sympy.Pow):
        base = _walk(node.base, env, ctx)
        if not isinstance(node.exp, sympy.Rational):
            raise ArithmeticModeError(f"the power {node} needs a rational exponent")
        exponent = Fraction(int(node.exp.p), int(node.exp.q))
        if exponent < 0 and ctx.is_zero(base):
            raise ArithmeticModeError(f"division by zero evaluating {node}")
        return ctx.power(base, exponent)
    if node in (sympy.pi, sympy.E):
        if ctx.exact:
            raise ArithmeticModeError(f"{node} is irrational: use --arithmetic mp")
        return ctx.function("exp")(ctx.one) if node == sympy.E else ctx.function("atan")(ctx.one) * 4
    if isinstance(node, sympy.Function) and len(node.args) == 1:
        name = type(node).__name__
        if ctx.exact:
            raise ArithmeticModeError(
                f"{name} has no exact rational values: use --arithmetic mp (or a rational activation)"
            )
        return ctx.function(name)(_walk(node.args[0], env, ctx))
    raise ArithmeticModeError(f"cannot evaluate {node} in {ctx.name} arithmetic")
