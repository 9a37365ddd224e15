"""The two-layer bias-free network of the symmetry package, as a view of the core network.

f(x) = Σ_{j<m} a_j σ(w_j·x), w_j ∈ Q^d, a_j ∈ Q^{d_out}, with the squared loss
R(θ) = (1/n) Σ_k ‖f(x_k) − y_k‖².  Nothing here computes a network value or a
derivative itself: a :class:`TwoLayerPoint` is mapped to the core
:class:`~exactlift.nn.network.Params` of the bias-free architecture
(d, m, d_out) (:func:`two_layer_architecture`), and the values come from the
core forward pass and back-propagation (:mod:`exactlift.calculus.backprop`)
in the exact context, with the core ``mse`` loss
(:mod:`exactlift.nn.losses`: ℓ = ‖f − y‖², no ½, averaged over the n samples,
exactly the R above).  The parameter order is the core's canonical flattening,
which for this network is w_{j,l} at j·d + l and a_{j,c} (row c of W2,
column j) at m·d + c·m + j — the order of
:mod:`exactlift.symmetry.subspaces`.

A :class:`RationalActivation` σ = P/Q keeps its polynomial coefficients (so a
non-rational σ is refused when it is read), and is evaluated as the core
activation parsed from its expression (:func:`exactlift.nn.activations.parse_activation`).

>>> point = TwoLayerPoint(((Fraction(1),), (Fraction(2),)), ((Fraction(1),), (Fraction(-1),)))
>>> network_outputs(point, [[1]], RationalActivation.parse("z**2"))
[[Fraction(-3, 1)]]
>>> risk_and_gradient(point, [[1]], [[0]], RationalActivation.parse("z**2"))
(Fraction(9, 1), [Fraction(-12, 1), Fraction(24, 1), Fraction(-6, 1), Fraction(-24, 1)])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache
from typing import Any, TypeVar

import numpy as np
import sympy

from exactlift.arith.contexts import Context, get_context
from exactlift.calculus.backprop import derivatives, forward, output_jacobian
from exactlift.errors import ActivationError, ArithmeticModeError, InputError
from exactlift.nn.activations import Activation, parse_activation
from exactlift.nn.losses import Loss, parse_loss
from exactlift.nn.network import Architecture, Params
from exactlift.symmetry import exact
from exactlift.symmetry.subspaces import Teacher

__all__ = [
    "RationalActivation",
    "DEFAULT_ACTIVATION",
    "TwoLayerPoint",
    "two_layer_architecture",
    "network_outputs",
    "risk_and_gradient",
    "output_jacobian_rows",
    "hidden_derivatives",
]

_Z = sympy.Symbol("z")
_T = TypeVar("_T")
_AT_PREACTIVATION = " at a pre-activation w_j·x_k"


def _poly_coeffs(expr: sympy.Expr, spec: Any) -> tuple[Fraction, ...]:
    try:
        poly = sympy.Poly(expr, _Z)
    except sympy.PolynomialError:
        raise ActivationError(f"exact checks need a rational function of z as activation, got {spec!r}") from None
    out = []
    for c in reversed(poly.all_coeffs()):
        if not c.is_Rational:
            raise ActivationError(f"the activation {spec!r} has a non-rational coefficient {c}")
        out.append(Fraction(int(c.p), int(c.q)))
    while len(out) > 1 and out[-1] == 0:
        out.pop()
    return tuple(out) if out else (Fraction(0),)


@dataclass(frozen=True)
class RationalActivation:
    """σ(z) = P(z)/Q(z), P and Q polynomials with rational coefficients (exact values).

    Values and derivatives are those of the core activation :attr:`core` in
    the exact context.  A pole hit at an evaluation point raises :class:`InputError`.

    >>> s = RationalActivation.parse("(z + z**2)/(1 + z**2)")
    >>> s.value(Fraction(1)), s.derivative(Fraction(1))
    (Fraction(1, 1), Fraction(1, 2))
    >>> RationalActivation.parse([0, 1, "1/2"]).value(Fraction(2))
    Fraction(4, 1)
    >>> RationalActivation.parse("z/(1 + z**2)").core.kind
    'expression'
    """

    num: tuple[Fraction, ...]
    den: tuple[Fraction, ...] = (Fraction(1),)

    @classmethod
    def parse(cls, spec: "str | sympy.Expr | Sequence[Any] | RationalActivation") -> "RationalActivation":
        """From an expression in ``z`` (string or SymPy) or polynomial coefficients c0, c1, …"""
        if isinstance(spec, RationalActivation):
            return spec
        if isinstance(spec, (list, tuple)):
            coeffs = [exact.as_fraction(c, f"activation coefficient {k}") for k, c in enumerate(spec)]
            return cls(tuple(coeffs) or (Fraction(0),))
        try:
            expr = sympy.sympify(spec, locals={"z": _Z}) if isinstance(spec, str) else sympy.sympify(spec)
        except (sympy.SympifyError, SyntaxError, TypeError):
            raise ActivationError(f"cannot read the activation {spec!r} as an expression in z") from None
        if expr.atoms(sympy.Float):
            raise ActivationError(f"the activation {spec!r} has a float coefficient; write it as a fraction")
        if not expr.free_symbols <= {_Z}:
            raise ActivationError(f"the activation {spec!r} must be an expression in z only")
        numer, denom = sympy.fraction(sympy.together(expr))
        return cls(_poly_coeffs(numer, spec), _poly_coeffs(denom, spec))

    @cached_property
    def core(self) -> Activation:
        """The core activation (:mod:`exactlift.nn.activations`) of the expression P/Q."""
        return parse_activation(str(self.expr()))

    def jet(self, z: Any) -> tuple[Fraction, Fraction, Fraction]:
        """(σ(z), σ′(z), σ″(z)) exactly, by the core activation."""
        ctx = get_context("exact")
        values = _at_pole_say(self, lambda: self.core.jet(ctx, ctx.convert(z, "z")), f" at z = {z}")
        return tuple(ctx.to_fraction(v) for v in values)  # type: ignore[return-value]

    def value(self, z: Fraction) -> Fraction:
        return self.jet(z)[0]

    def derivative(self, z: Fraction) -> Fraction:
        return self.jet(z)[1]

    def expr(self) -> sympy.Expr:
        def poly(cs: Sequence[Fraction]) -> sympy.Expr:
            return sum((sympy.Rational(c.numerator, c.denominator) * _Z**k for k, c in enumerate(cs)), sympy.S(0))

        return poly(self.num) / poly(self.den)

    def __str__(self) -> str:
        return str(self.expr())


def _at_pole_say(act: RationalActivation, compute: Callable[[], _T], where: str) -> _T:
    """Run a core computation; a division by zero there is a pole of σ (an :class:`InputError`)."""
    try:
        return compute()
    except ArithmeticModeError as exc:
        if "division by zero" not in str(exc):
            raise
        raise InputError(f"the activation {act} has a pole{where}") from None


#: σ(z) = (z + z²)/(1 + z²): σ(0) = 0, neither odd nor even, and neuron functions
#: σ(w·x) for distinct w are linearly independent (different poles), unlike a
#: polynomial, whose neuron functions span a finite-dimensional space and can make
#: every zero-type neuron critical.
DEFAULT_ACTIVATION = RationalActivation(
    (Fraction(0), Fraction(1), Fraction(1)), (Fraction(1), Fraction(0), Fraction(1))
)


@lru_cache(maxsize=64)
def _architecture(d: int, m: int, d_out: int, activation: Activation | str) -> Architecture:
    return Architecture.build([d, m, d_out], activation, bias=False)


def two_layer_architecture(d: int, m: int, d_out: int, activation: Any = DEFAULT_ACTIVATION) -> Architecture:
    """The core architecture (d, m, d_out) without biases, hidden activation σ.

    ``activation`` is a :class:`RationalActivation` (or what
    :meth:`RationalActivation.parse` reads) or a core
    :class:`~exactlift.nn.activations.Activation` such as
    ``parse_activation("sigma")`` (the undefined σ of symbolic proofs).

    >>> two_layer_architecture(2, 3, 1).describe()
    '2-3-1 net, activation(s) (z**2 + z)/(z**2 + 1), no biases'
    """
    core = activation if isinstance(activation, Activation) else RationalActivation.parse(activation).core
    return _architecture(d, m, d_out, core)


@lru_cache(maxsize=16)
def _mse(d_out: int) -> Loss:
    return parse_loss("mse", d_out)


@dataclass(frozen=True)
class TwoLayerPoint:
    """Parameters (w_j ∈ Q^d, a_j ∈ Q^{d_out}) of the width-m bias-free network.

    :meth:`to_params` / :meth:`from_params` map it to and from the core
    :class:`~exactlift.nn.network.Params` (W1 has rows w_j, W2 has columns a_j);
    :meth:`theta` is the core's canonical flattening.

    >>> p = TwoLayerPoint.from_theta([1, 2, 3, 4, 5, 6], m=2, d=1, d_out=2)
    >>> p.a, p.to_params().W[1].tolist()
    (((Fraction(3, 1), Fraction(5, 1)), (Fraction(4, 1), Fraction(6, 1))), [[Fraction(3, 1), Fraction(4, 1)], [Fraction(5, 1), Fraction(6, 1)]])
    >>> TwoLayerPoint.from_params(p.to_params()) == p, p.to_params().flatten() == p.theta()
    (True, True)
    """

    w: tuple[tuple[Fraction, ...], ...]
    a: tuple[tuple[Fraction, ...], ...]

    @property
    def m(self) -> int:
        return len(self.w)

    @property
    def d(self) -> int:
        return len(self.w[0])

    @property
    def d_out(self) -> int:
        return len(self.a[0])

    @classmethod
    def from_teacher(cls, teacher: Teacher) -> "TwoLayerPoint":
        return cls(teacher.w, teacher.a)

    @classmethod
    def from_theta(cls, theta: Sequence[Any], m: int, d: int, d_out: int) -> "TwoLayerPoint":
        """From the canonical flat order (w row-major, then a as rows of W2)."""
        if len(theta) != m * (d + d_out):
            raise InputError(f"theta has {len(theta)} entries, expected m*(d+d_out) = {m * (d + d_out)}")
        t = [exact.as_fraction(x, f"theta[{k}]") for k, x in enumerate(theta)]
        w = tuple(tuple(t[j * d + k] for k in range(d)) for j in range(m))
        a = tuple(tuple(t[m * d + c * m + j] for c in range(d_out)) for j in range(m))
        return cls(w, a)

    @classmethod
    def from_params(cls, params: Params) -> "TwoLayerPoint":
        """From core parameters of a bias-free (d, m, d_out) network."""
        if len(params.W) != 2 or any(b is not None for b in params.b):
            raise InputError("a two-layer point needs the parameters of a bias-free network with one hidden layer")
        W1, W2 = params.W
        w = tuple(tuple(exact.as_fraction(x, "W[1]") for x in row) for row in W1.tolist())
        a = tuple(tuple(exact.as_fraction(x, "W[2]") for x in col) for col in W2.T.tolist())
        return cls(w, a)

    def to_params(self) -> Params:
        """The core parameters: W^[1] = (w_j) as rows (m × d), W^[2] = (a_j) as columns (d_out × m), no biases."""
        W1 = np.empty((self.m, self.d), dtype=object)
        W1[:, :] = [list(v) for v in self.w]
        W2 = np.empty((self.d_out, self.m), dtype=object)
        W2[:, :] = [[self.a[j][c] for j in range(self.m)] for c in range(self.d_out)]
        return Params((W1, W2), (None, None))

    def architecture(self, activation: Any = DEFAULT_ACTIVATION) -> Architecture:
        """The core architecture of this point's widths (see :func:`two_layer_architecture`)."""
        return two_layer_architecture(self.d, self.m, self.d_out, activation)

    def theta(self) -> list[Fraction]:
        """The canonical flat order."""
        out = [x for v in self.w for x in v]
        out += [self.a[j][c] for c in range(self.d_out) for j in range(self.m)]
        return out


def _exact_inputs(ctx: Context, rows: Sequence[Sequence[Any]], where: str) -> np.ndarray:
    return ctx.array([list(r) for r in rows], where)


def _core_forward(point: TwoLayerPoint, X: Sequence[Sequence[Any]], act: Any) -> tuple[Context, Any]:
    """(exact context, the core forward pass at the point), a pole reported as the symmetry module says it."""
    act = RationalActivation.parse(act)
    ctx = get_context("exact")
    arch = point.architecture(act)
    Xc = _exact_inputs(ctx, X, "X")
    with ctx.active():
        params = point.to_params().convert(ctx)
        fp = _at_pole_say(act, lambda: forward(arch, params, Xc, ctx), _AT_PREACTIVATION)
    return ctx, fp


def network_outputs(point: TwoLayerPoint, X: Sequence[Sequence[Fraction]], act: RationalActivation) -> list[list[Fraction]]:
    """f(x_k) for every row x_k of X (exact), by the core forward pass."""
    ctx, fp = _core_forward(point, X, act)
    return [[ctx.to_fraction(v) for v in row] for row in fp.output.tolist()]


def risk_and_gradient(
    point: TwoLayerPoint,
    X: Sequence[Sequence[Fraction]],
    Y: Sequence[Sequence[Fraction]],
    act: RationalActivation,
) -> tuple[Fraction, list[Fraction]]:
    """R(θ) and ∇R(θ) (canonical flat order), exact, by the core back-propagation.

    The core ``mse`` risk is R = (1/n) Σ_k ‖f(x_k) − y_k‖², so
    ∂R/∂a_{j,c} = (2/n) Σ_k e_{k,c} σ(w_j·x_k) and
    ∂R/∂w_{j,l} = (2/n) Σ_k (a_j·e_k) σ′(w_j·x_k) x_{k,l} with e_k = f(x_k) − y_k.
    """
    n = len(X)
    if n == 0 or len(Y) != n:
        raise InputError(f"need the same positive number of inputs and targets, got {len(X)} and {len(Y)}")
    act = RationalActivation.parse(act)
    ctx = get_context("exact")
    arch = point.architecture(act)
    Xc, Yc = _exact_inputs(ctx, X, "X"), _exact_inputs(ctx, Y, "Y")
    D = _at_pole_say(
        act,
        lambda: derivatives(arch, point.to_params(), Xc, Yc, _mse(point.d_out), ctx, order=1),
        _AT_PREACTIVATION,
    )
    return ctx.to_fraction(D.loss), [ctx.to_fraction(g) for g in D.gradient]


def output_jacobian_rows(
    point: TwoLayerPoint, X: Sequence[Sequence[Fraction]], act: RationalActivation
) -> list[list[Fraction]]:
    """J = ∂f(X)/∂θ by the core: rows k·d_out + c (sample k, output c), columns the canonical θ order.

    >>> t = TwoLayerPoint(((Fraction(1),),), ((Fraction(2),),))
    >>> output_jacobian_rows(t, [[3]], RationalActivation.parse("z**2"))
    [[Fraction(36, 1), Fraction(9, 1)]]
    """
    act = RationalActivation.parse(act)
    ctx = get_context("exact")
    arch = point.architecture(act)
    Xc = _exact_inputs(ctx, X, "X")
    J = _at_pole_say(act, lambda: output_jacobian(arch, point.to_params(), Xc, ctx), _AT_PREACTIVATION)
    return [[ctx.to_fraction(v) for v in row] for row in J.tolist()]


def hidden_derivatives(
    point: TwoLayerPoint, X: Sequence[Sequence[Fraction]], act: RationalActivation
) -> list[list[Fraction]]:
    """σ′(w_j·x_k) for every sample k (rows) and hidden neuron j (columns), from the core forward pass.

    >>> t = TwoLayerPoint(((Fraction(1),), (Fraction(2),)), ((Fraction(1),), (Fraction(1),)))
    >>> hidden_derivatives(t, [[3]], RationalActivation.parse("z**2"))
    [[Fraction(6, 1), Fraction(12, 1)]]
    """
    ctx, fp = _core_forward(point, X, act)
    return [[ctx.to_fraction(v) for v in row] for row in fp.S1[1].tolist()]
