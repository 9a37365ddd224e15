"""Width embeddings as data: splitting, null neurons, permutations and their compositions.

SPEC §1 (Zhang et al. 2021, 2022).  A width embedding is a linear injective
map T on the canonical flattened parameters (see :mod:`exactlift.nn.network`)
that appends or reorders neurons of hidden layers while preserving the output
function for every input:

* :class:`SplitNeuron` ``(layer, neuron, alpha)``: one-step splitting.  A new
  neuron is appended at the end of hidden layer ``layer``; its incoming row and
  bias copy neuron ``neuron`` = s; its outgoing column is (1−α)·W^[l+1]_{:,s}
  and neuron s keeps α·W^[l+1]_{:,s}.
* :class:`NullNeuron` ``(layer)``: one-step null embedding (new neuron with zero
  incoming row, zero bias and zero outgoing column).
* :class:`Permute` ``(layer, perm)``: wide neuron j is old neuron ``perm[j]``.
* :class:`OddSplitNeuron` ``(layer, neuron, alpha)``: the sign-flip split of an
  odd activation (tanh): the new neuron is (−w, −b, −(1−α)a).  Not in the
  compatible class; refused for activations that are not odd.
* :class:`CompatibleEmbedding`: a composition, built by :func:`compose`
  (arguments in the order they are applied, like the command line) or by
  ``lift2 @ lift1`` (matrix order: ``lift1`` first); its matrix is the product.

Every lift is an immutable object with ``wide_architecture(arch)``,
``apply(arch, params)``, ``apply_case(case)`` (same data and loss),
``matrix(arch)`` (T, P_wide × P_narrow, exact), ``linear_map(arch)`` (T as a
sparse :class:`LinearMap`) and ``gradient_transfer(arch)`` (the map S_T with
∇R_wide(Tθ) = S_T ∇R_narrow(θ) for every θ, data set and loss; ``None`` when no
such linear map exists, see :meth:`NullNeuron.gradient_transfer`).  Hidden
layers are numbered from 1, neurons from 0.

>>> from fractions import Fraction
>>> from exactlift.nn.network import Architecture, Params
>>> arch = Architecture.build([1, 2, 1], "relu")
>>> lift = SplitNeuron(layer=1, neuron=0, alpha=Fraction(1, 3))
>>> print(lift)
split(layer=1, neuron=0, alpha=1/3)
>>> wide, p = lift.apply(arch, Params.from_flat(arch, [1, 2, 3, 4, 6, 5, 7]))
>>> wide.widths, [str(x) for x in p.flatten()]
((1, 3, 1), ['1', '2', '1', '3', '4', '3', '2', '5', '4', '7'])
>>> lift.matrix(arch).shape
(10, 7)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Iterable, Sequence

import mpmath
import numpy as np
import sympy

from exactlift.arith.contexts import parse_rational
from exactlift.errors import FloatInExactError, InputError, LiftError
from exactlift.nn.network import Architecture, Params

__all__ = [
    "LinearMap",
    "WidthLift",
    "SplitNeuron",
    "OddSplitNeuron",
    "NullNeuron",
    "Permute",
    "CompatibleEmbedding",
    "compose",
    "split_from_option",
    "null_from_option",
    "permute_from_option",
    "odd_split_from_option",
]

ZERO = Fraction(0)
ONE = Fraction(1)


# ---------------------------------------------------------------------------
# exact scalars
# ---------------------------------------------------------------------------


def exact_ratio(value: Any, what: str = "alpha") -> Any:
    """An exact ratio: a Fraction, or a SymPy expression with free symbols (a free α).

    Floats (Python, NumPy, SymPy ``Float``, mpmath) are refused with
    :class:`~exactlift.errors.FloatInExactError`; strings are read as exact
    rationals (``"1/3"``, ``"0.25"``).

    >>> exact_ratio("1/3"), exact_ratio(2)
    (Fraction(1, 3), Fraction(2, 1))
    >>> exact_ratio(sympy.Symbol("alpha"))
    alpha
    """
    if isinstance(value, (float, np.floating, mpmath.mpf)) or (
        isinstance(value, sympy.Basic) and value.has(sympy.Float)
    ):
        hint = ""
        if isinstance(value, (float, np.floating)):
            hint = f"; write it as the exact rational \"{Fraction(repr(float(value)))}\""
        raise FloatInExactError(f"{what} = {value!r} is a float: a lift needs an exact ratio{hint}")
    if isinstance(value, sympy.Basic) and not isinstance(value, sympy.Rational):
        if not isinstance(value, sympy.Expr) or not value.free_symbols:
            raise LiftError(f"{what} = {value} is not a rational number or an expression in free symbols")
        return value
    try:
        return parse_rational(value, what)
    except FloatInExactError:
        raise
    except InputError as exc:
        raise LiftError(str(exc)) from None


def _fmt(value: Any) -> str:
    return str(value)


def scale(c: Any, x: Any) -> Any:
    """c·x where c is an exact coefficient and x a scalar of any context.

    Keeps exactness: a Fraction coefficient becomes a ``flint.fmpq`` for an
    ``fmpq`` scalar, an exact quotient of ``mpf`` for an mpmath scalar and of
    ``arb`` for a ball.

    >>> import flint
    >>> scale(Fraction(1, 3), flint.fmpq(3, 2)), scale(Fraction(2), sympy.Symbol("t"))
    (1/2, 2*t)
    """
    if isinstance(c, Fraction):
        if c == 1:
            return x
        if isinstance(x, mpmath.mpf):
            return x * c.numerator / c.denominator
        tname = type(x).__name__
        if tname == "fmpq":
            return type(x)(c.numerator, c.denominator) * x
        if tname == "arb":
            return x * c.numerator / c.denominator
        if isinstance(x, sympy.Basic):
            return sympy.Rational(c.numerator, c.denominator) * x
    return c * x


def _add(a: Any, b: Any) -> Any:
    if isinstance(a, Fraction) and a == 0:
        return b
    if isinstance(b, Fraction) and b == 0:
        return a
    return a + b


def _is_zero(c: Any) -> bool:
    if isinstance(c, Fraction):
        return c == 0
    return sympy.expand(c) == 0


# ---------------------------------------------------------------------------
# sparse exact linear maps
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LinearMap:
    """A sparse exact matrix of shape (n_out, n_in): ``rows[i]`` lists (column, coefficient).

    Coefficients are Fractions or SymPy expressions (a free α).  Used for the
    embedding T (P_wide × P_narrow) and the gradient transfer S_T.

    >>> A = LinearMap(2, 1, (((0, Fraction(1, 3)),), ((0, Fraction(2, 3)),)))
    >>> A([3])
    [Fraction(1, 1), Fraction(2, 1)]
    >>> (A.T @ A).dense().tolist()
    [[Fraction(5, 9)]]
    """

    n_out: int
    n_in: int
    rows: tuple[tuple[tuple[int, Any], ...], ...]

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n_out, self.n_in)

    def __call__(self, vec: Sequence[Any]) -> list[Any]:
        """The image of a vector (entries of any context; exactness is kept)."""
        if len(vec) != self.n_in:
            raise InputError(f"a linear map with {self.n_in} columns got a vector of length {len(vec)}")
        zero = vec[0] - vec[0] if len(vec) else ZERO  # a zero of the vector's own kind
        out = []
        for row in self.rows:
            acc: Any = zero
            for j, c in row:
                acc = _add(acc, scale(c, vec[j]))
            out.append(acc)
        return out

    def __matmul__(self, other: "LinearMap") -> "LinearMap":
        if not isinstance(other, LinearMap):
            return NotImplemented
        if self.n_in != other.n_out:
            raise InputError(f"cannot multiply a {self.shape} map by a {other.shape} map")
        rows = []
        for row in self.rows:
            acc: dict[int, Any] = {}
            for k, c in row:
                for j, d in other.rows[k]:
                    acc[j] = _add(acc.get(j, ZERO), _mul(c, d))
            rows.append(tuple((j, c) for j, c in sorted(acc.items()) if not _is_zero(c)))
        return LinearMap(self.n_out, other.n_in, tuple(rows))

    @property
    def T(self) -> "LinearMap":
        """The transpose."""
        cols: list[list[tuple[int, Any]]] = [[] for _ in range(self.n_in)]
        for i, row in enumerate(self.rows):
            for j, c in row:
                cols[j].append((i, c))
        return LinearMap(self.n_in, self.n_out, tuple(tuple(c) for c in cols))

    def dense(self) -> np.ndarray:
        """The matrix as an object ndarray (exact entries; zeros are ``Fraction(0)``)."""
        out = np.empty(self.shape, dtype=object)
        out.fill(ZERO)
        for i, row in enumerate(self.rows):
            for j, c in row:
                out[i, j] = c
        return out

    def subs(self, values: dict) -> "LinearMap":
        """Substitute values for free symbols in the coefficients (e.g. a number for α)."""
        def sub(c: Any) -> Any:
            if isinstance(c, sympy.Basic):
                v = sympy.sympify(c).xreplace({sympy.sympify(k): sympy.sympify(w) for k, w in values.items()})
                return Fraction(int(v.p), int(v.q)) if isinstance(v, sympy.Rational) else v
            return c
        return LinearMap(self.n_out, self.n_in, tuple(tuple((j, sub(c)) for j, c in row) for row in self.rows))

    @classmethod
    def identity(cls, n: int) -> "LinearMap":
        """The n × n identity.

        >>> LinearMap.identity(2).dense().tolist()
        [[Fraction(1, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 1)]]
        """
        return cls(n, n, tuple(((i, ONE),) for i in range(n)))


def _mul(a: Any, b: Any) -> Any:
    if isinstance(a, Fraction) and a == 1:
        return b
    if isinstance(b, Fraction) and b == 1:
        return a
    return a * b


# ---------------------------------------------------------------------------
# the lifts
# ---------------------------------------------------------------------------


def _check_int(value: Any, what: str, low: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise LiftError(f"{what} must be an integer, got {value!r}")
    if value < low:
        raise LiftError(f"{what} must be >= {low}, got {value}")


def _check_layer_arg(value: Any) -> None:
    """A layer given to a lift: an integer >= 1 (hidden layers are numbered from 1)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise LiftError(f"a hidden layer must be an integer (numbered from 1), got {value!r}")
    if value == 0:
        raise LiftError("layer 0 is the input layer: only hidden layers (numbered from 1) have neurons "
                        "to split, add or permute")
    if value < 0:
        raise LiftError(f"hidden layer {value} does not exist: hidden layers are numbered from 1")


def check_hidden_layer(arch: Architecture, layer: int) -> None:
    """Refuse a layer that is not a hidden layer of ``arch``, naming what it is instead.

    >>> check_hidden_layer(Architecture.build([1, 2, 1]), 2)
    Traceback (most recent call last):
    ...
    exactlift.errors.LiftError: hidden layer 2 does not exist: the network has 1 hidden layer (layer 2 is the output layer; only hidden layers (1..1) have neurons to split, add or permute)
    """
    H = arch.n_hidden
    hidden = f"hidden layers (1..{H})" if H else "hidden layers (the network has none)"
    if layer == 0:
        raise LiftError(f"layer 0 is the input layer: only {hidden} have neurons to split, add or permute")
    if not 1 <= layer <= H:
        where = (f"layer {layer} is the output layer; only {hidden} have neurons to split, add or permute"
                 if layer == arch.n_layers else "hidden layers are numbered from 1")
        raise LiftError(
            f"hidden layer {layer} does not exist: the network has {H} hidden layer{'s' if H != 1 else ''} ({where})"
        )


def check_neuron(arch: Architecture, layer: int, neuron: int) -> None:
    m = arch.widths[layer]
    if not 0 <= neuron < m:
        raise LiftError(
            f"neuron {neuron} does not exist in hidden layer {layer}: it has {m} neuron{'s' if m != 1 else ''}"
            f" (numbered 0..{m - 1})"
        )


class WidthLift:
    """Common interface of the width lifts (see the module docstring)."""

    def wide_architecture(self, arch: Architecture) -> Architecture:  # pragma: no cover - abstract
        raise NotImplementedError

    def linear_map(self, arch: Architecture) -> LinearMap:  # pragma: no cover - abstract
        """T as a sparse exact map (P_wide × P_narrow)."""
        raise NotImplementedError

    def gradient_transfer(self, arch: Architecture) -> LinearMap | None:  # pragma: no cover - abstract
        """S_T (P_wide × P_narrow) with ∇R_wide(Tθ) = S_T ∇R_narrow(θ), or None."""
        raise NotImplementedError

    def steps(self) -> tuple["WidthLift", ...]:
        """The one-step lifts this lift is made of, in the order they are applied."""
        return (self,)

    def matrix(self, arch: Architecture) -> np.ndarray:
        """T as a dense exact matrix (object ndarray, P_wide × P_narrow)."""
        return self.linear_map(arch).dense()

    def apply(self, arch: Architecture, params: Params) -> tuple[Architecture, Params]:
        """(wide architecture, Tθ).  Entries keep their context (Fraction, fmpq, mpf, SymPy)."""
        wide = self.wide_architecture(arch)
        flat = self.linear_map(arch)(params.flatten())
        return wide, Params.from_flat(wide, flat)

    def apply_case(self, case: Any) -> Any:
        """The lifted case: wide network at Tθ, the same data and loss."""
        wide, params = self.apply(case.arch, case.params)
        return case.with_params(wide, params)

    def __matmul__(self, other: "WidthLift") -> "CompatibleEmbedding":
        """``lift2 @ lift1``: apply ``lift1`` first (matrix order: T2 T1)."""
        if not isinstance(other, WidthLift):
            return NotImplemented
        return compose(other, self)

    def with_alpha_symbols(self, prefix: str = "alpha") -> tuple["WidthLift", tuple[sympy.Symbol, ...]]:
        """The same lift with every split ratio replaced by a free symbol (the line/family T_α θ)."""
        return self, ()


@dataclass(frozen=True)
class _NeuronMap(WidthLift):
    """Shared machinery: a lift that rebuilds one hidden layer neuron by neuron.

    ``neuron_plan(arch)`` returns, for each neuron j of the wide layer, a triple
    (old neuron or None, incoming coefficient, outgoing coefficient).
    """

    def _layer(self) -> int:
        return self.layer  # type: ignore[attr-defined]

    def neuron_plan(self, arch: Architecture) -> list[tuple[int | None, Any, Any]]:  # pragma: no cover
        raise NotImplementedError

    def wide_width(self, arch: Architecture) -> int:
        return len(self.neuron_plan(arch))

    def wide_architecture(self, arch: Architecture) -> Architecture:
        check_hidden_layer(arch, self._layer())
        widths = list(arch.widths)
        widths[self._layer()] = self.wide_width(arch)
        return Architecture(tuple(widths), arch.activations, arch.biases)

    def _build(self, arch: Architecture, incoming_coeff: Any, outgoing_coeff: Any, null_out: Any = None) -> LinearMap:
        """Shared by T and S_T: rows of the wide parameters in terms of the narrow ones.

        ``incoming_coeff(j, old, cin, cout)`` and ``outgoing_coeff(...)`` give the coefficient
        of wide neuron j's incoming / outgoing entries on the old neuron's entries.
        ``null_out(r)``: the row for the outgoing entry (r, j) of a null neuron j.
        """
        l = self._layer()
        plan = self.neuron_plan(arch)
        wide = self.wide_architecture(arch)
        rows: list[tuple[tuple[int, Any], ...]] = [()] * wide.n_params
        for layer in range(1, arch.n_layers + 1):
            m_out, m_in = arch.widths[layer], arch.widths[layer - 1]
            if layer not in (l, l + 1):
                off_n, off_w = arch.layer_offset(layer), wide.layer_offset(layer)
                for k in range(sum(arch.layer_sizes(layer))):
                    rows[off_w + k] = ((off_n + k, ONE),)
                continue
            if layer == l:
                for j, (old, cin, cout) in enumerate(plan):
                    c = incoming_coeff(cin, cout)
                    for col in range(m_in):
                        i = wide.weight_index(layer, j, col)
                        rows[i] = () if old is None or _is_zero(c) else ((arch.weight_index(layer, old, col), c),)
                    if arch.biases[layer - 1]:
                        i = wide.bias_index(layer, j)
                        rows[i] = () if old is None or _is_zero(c) else ((arch.bias_index(layer, old), c),)
            else:  # layer l + 1: outgoing columns
                for r in range(m_out):
                    for j, (old, cin, cout) in enumerate(plan):
                        i = wide.weight_index(layer, r, j)
                        if old is None:
                            rows[i] = null_out(r) if null_out is not None else ()
                            continue
                        c = outgoing_coeff(cin, cout)
                        rows[i] = () if _is_zero(c) else ((arch.weight_index(layer, r, old), c),)
                    if arch.biases[layer - 1]:
                        rows[wide.bias_index(layer, r)] = ((arch.bias_index(layer, r), ONE),)
        return LinearMap(wide.n_params, arch.n_params, tuple(rows))

    def linear_map(self, arch: Architecture) -> LinearMap:
        # T: incoming row scaled by cin, outgoing column by cout.
        return self._build(arch, lambda cin, cout: cin, lambda cin, cout: cout)

    def gradient_transfer(self, arch: Architecture) -> LinearMap | None:
        # wide δ_j = cout·δ_old (σ′ even for a sign flip), f_j = cin·f_old (σ odd for a sign flip)
        # ⇒ incoming gradient cout·g_in(old), outgoing gradient cin·g_out(old).
        null_out = self._null_outgoing(arch)
        if null_out is False:
            return None
        return self._build(arch, lambda cin, cout: cout, lambda cin, cout: cin, null_out)

    def _null_outgoing(self, arch: Architecture) -> Any:
        """Row builder for a null neuron's outgoing gradient σ(0)·g_b^[l+1], or False if none exists."""
        plan = self.neuron_plan(arch)
        if all(old is not None for old, _, _ in plan):
            return None
        l = self._layer()
        s0 = arch.activations[l - 1].value_at_zero()
        if isinstance(s0, Fraction) and s0 == 0:
            return None
        if not arch.biases[l]:
            return False
        return lambda r: ((arch.bias_index(l + 1, r), s0),)


@dataclass(frozen=True)
class SplitNeuron(_NeuronMap):
    """One-step splitting of neuron ``neuron`` of hidden layer ``layer`` with ratio ``alpha``.

    The new neuron is appended at the end of the layer.  ``alpha`` is exact (a
    Fraction, an int, a string like ``"1/3"``) or a SymPy expression in free
    symbols (the whole line {T_α θ}).

    >>> print(SplitNeuron(2, 1, "2/3"))
    split(layer=2, neuron=1, alpha=2/3)
    """

    layer: int
    neuron: int
    alpha: Any = Fraction(1, 2)

    def __post_init__(self) -> None:
        _check_layer_arg(self.layer)
        _check_int(self.neuron, "the neuron to split (numbered from 0)", 0)
        object.__setattr__(self, "alpha", exact_ratio(self.alpha, "the split ratio alpha"))

    def neuron_plan(self, arch: Architecture) -> list[tuple[int | None, Any, Any]]:
        check_hidden_layer(arch, self.layer)
        check_neuron(arch, self.layer, self.neuron)
        a = self.alpha
        plan: list[tuple[int | None, Any, Any]] = [(j, ONE, ONE) for j in range(arch.widths[self.layer])]
        plan[self.neuron] = (self.neuron, ONE, a)
        plan.append((self.neuron, ONE, ONE - a))
        return plan

    def with_alpha_symbols(self, prefix: str = "alpha") -> tuple["SplitNeuron", tuple[sympy.Symbol, ...]]:
        a = sympy.Symbol(prefix)
        return self.with_alpha(a), (a,)

    def with_alpha(self, alpha: Any) -> "SplitNeuron":
        """The same split (same class) with another ratio."""
        return replace(self, alpha=alpha)

    def __str__(self) -> str:
        return f"split(layer={self.layer}, neuron={self.neuron}, alpha={_fmt(self.alpha)})"

    def latex(self) -> str:
        a = sympy.latex(sympy.sympify(self.alpha))
        return rf"T^{{\mathrm{{split}}}}_{{{self.layer},{self.neuron}}}(\alpha={a})"


@dataclass(frozen=True)
class OddSplitNeuron(SplitNeuron):
    """Sign-flip split for an odd activation (SPEC §1): new neuron (−w, −b, −(1−α)a).

    Neuron s keeps (w, b, αa).  Preserves the output and criticality when
    σ(−z) = −σ(z) (tanh, identity, hard_tanh, odd polynomials); refused for
    any other activation.  Not a member of the compatible class.

    >>> print(OddSplitNeuron(1, 0, "1/3"))
    odd-split(layer=1, neuron=0, alpha=1/3)
    """

    def neuron_plan(self, arch: Architecture) -> list[tuple[int | None, Any, Any]]:
        plan = super().neuron_plan(arch)
        act = arch.activations[self.layer - 1]
        if not activation_is_odd(act):
            raise LiftError(
                f"the sign-flip split needs an odd activation (sigma(-z) = -sigma(z)); hidden layer "
                f"{self.layer} uses {act.spec}, which is not odd"
            )
        plan[-1] = (self.neuron, -ONE, -(ONE - self.alpha))
        return plan

    def __str__(self) -> str:
        return f"odd-split(layer={self.layer}, neuron={self.neuron}, alpha={_fmt(self.alpha)})"

    def latex(self) -> str:
        a = sympy.latex(sympy.sympify(self.alpha))
        return rf"T^{{\mathrm{{odd}}}}_{{{self.layer},{self.neuron}}}(\alpha={a})"


def activation_is_odd(act: Any) -> bool:
    """Whether σ(−z) = −σ(z) is an identity (decided symbolically; False for the undefined σ).

    >>> from exactlift.nn.activations import parse_activation
    >>> activation_is_odd(parse_activation("tanh")), activation_is_odd(parse_activation("relu"))
    (True, False)
    """
    if act.kind == "undefined":
        return False
    z = sympy.Symbol("z", real=True)
    f = act.sympy_function(z)
    diff = f.subs(z, -z) + f
    if act.kind == "piecewise":
        # compare on both sides of every kink and at sample points between them
        pts = sorted({sympy.Rational(k) for k in act.kinks} | {sympy.Integer(0)})
        probes = set()
        for p in pts:
            probes |= {p, p + sympy.Rational(1, 7), p - sympy.Rational(1, 7), p + 3, p - 3}
        return all(diff.subs(z, p) == 0 for p in probes)
    return sympy.simplify(sympy.expand(diff.rewrite(sympy.exp))) == 0


@dataclass(frozen=True)
class NullNeuron(_NeuronMap):
    """One-step null embedding: append a neuron with zero incoming row, bias and outgoing column.

    Its gradient transfer map exists when σ(0) = 0 (the null neuron's outgoing
    gradient vanishes) or when layer l+1 has a bias (it is then
    σ(0)·∂R/∂b^[l+1]); otherwise :meth:`gradient_transfer` returns ``None`` and
    criticality needs σ(0)·Σ_i δ_i^[l+1] = 0 (checked by
    :func:`exactlift.lifts.width_checks.check_null_condition`).

    >>> print(NullNeuron(1))
    null(layer=1)
    """

    layer: int

    def __post_init__(self) -> None:
        _check_layer_arg(self.layer)

    def neuron_plan(self, arch: Architecture) -> list[tuple[int | None, Any, Any]]:
        check_hidden_layer(arch, self.layer)
        plan: list[tuple[int | None, Any, Any]] = [(j, ONE, ONE) for j in range(arch.widths[self.layer])]
        plan.append((None, ZERO, ZERO))
        return plan

    def __str__(self) -> str:
        return f"null(layer={self.layer})"

    def latex(self) -> str:
        return rf"T^{{\mathrm{{null}}}}_{{{self.layer}}}"


@dataclass(frozen=True)
class Permute(_NeuronMap):
    """Permutation of the neurons of hidden layer ``layer``: wide neuron j is old neuron ``perm[j]``.

    >>> print(Permute(1, (1, 0)))
    permute(layer=1, perm=1,0)
    """

    layer: int
    perm: tuple[int, ...]

    def __post_init__(self) -> None:
        _check_layer_arg(self.layer)
        if isinstance(self.perm, (str, bytes)) or not isinstance(self.perm, Iterable):
            raise LiftError(f"a permutation must be a sequence of neuron indices, got {self.perm!r}")
        perm = tuple(self.perm)
        for p in perm:
            _check_int(p, "a permutation entry", 0)
        if sorted(perm) != list(range(len(perm))):
            raise LiftError(
                f"{','.join(map(str, perm))} is not a permutation of 0..{len(perm) - 1}: "
                "every neuron index must appear exactly once"
            )
        object.__setattr__(self, "perm", perm)

    def neuron_plan(self, arch: Architecture) -> list[tuple[int | None, Any, Any]]:
        check_hidden_layer(arch, self.layer)
        m = arch.widths[self.layer]
        if len(self.perm) != m:
            raise LiftError(
                f"the permutation {','.join(map(str, self.perm))} has {len(self.perm)} entries but hidden "
                f"layer {self.layer} has {m} neurons"
            )
        return [(p, ONE, ONE) for p in self.perm]

    def __str__(self) -> str:
        return f"permute(layer={self.layer}, perm={','.join(map(str, self.perm))})"

    def latex(self) -> str:
        return rf"P_{{{self.layer}}}({','.join(map(str, self.perm))})"


@dataclass(frozen=True)
class CompatibleEmbedding(WidthLift):
    """A composition of width lifts, ``steps`` in the order they are applied.

    Its T is the product T_k ⋯ T_1 (each factor taken on the architecture it
    meets) and so is S_T.

    >>> e = compose(SplitNeuron(1, 0, "1/3"), NullNeuron(1))
    >>> print(e)
    compose(split(layer=1, neuron=0, alpha=1/3), null(layer=1))
    >>> e.wide_architecture(Architecture.build([1, 2, 1])).widths
    (1, 4, 1)
    """

    lifts: tuple[WidthLift, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        flat: list[WidthLift] = []
        for lift in self.lifts:
            if not isinstance(lift, WidthLift):
                raise LiftError(f"a compatible embedding is made of width lifts, got {lift!r}")
            flat.extend(lift.steps())
        if not flat:
            raise LiftError("a compatible embedding needs at least one lift")
        object.__setattr__(self, "lifts", tuple(flat))

    def steps(self) -> tuple[WidthLift, ...]:
        return self.lifts

    def architectures(self, arch: Architecture) -> list[Architecture]:
        """The architecture before each step and after the last."""
        out = [arch]
        for lift in self.lifts:
            out.append(lift.wide_architecture(out[-1]))
        return out

    def wide_architecture(self, arch: Architecture) -> Architecture:
        return self.architectures(arch)[-1]

    def _product(self, arch: Architecture, which: str) -> LinearMap | None:
        archs = self.architectures(arch)
        total = LinearMap.identity(arch.n_params)
        for lift, a in zip(self.lifts, archs):
            m = lift.linear_map(a) if which == "T" else lift.gradient_transfer(a)
            if m is None:
                return None
            total = m @ total
        return total

    def linear_map(self, arch: Architecture) -> LinearMap:
        m = self._product(arch, "T")
        assert m is not None
        return m

    def gradient_transfer(self, arch: Architecture) -> LinearMap | None:
        return self._product(arch, "S")

    def with_alpha_symbols(self, prefix: str = "alpha") -> tuple["CompatibleEmbedding", tuple[sympy.Symbol, ...]]:
        n_split = sum(isinstance(l, SplitNeuron) for l in self.lifts)
        new, syms = [], []
        k = 0
        for lift in self.lifts:
            if isinstance(lift, SplitNeuron):
                k += 1
                lift, s = lift.with_alpha_symbols(prefix if n_split == 1 else f"{prefix}{k}")
                syms.extend(s)
            new.append(lift)
        return CompatibleEmbedding(tuple(new)), tuple(syms)

    def __str__(self) -> str:
        return "compose(" + ", ".join(str(l) for l in self.lifts) + ")"

    def latex(self) -> str:
        return r" \circ ".join(getattr(l, "latex")() for l in reversed(self.lifts))


def compose(*lifts: WidthLift) -> CompatibleEmbedding:
    """The compatible embedding applying ``lifts`` in the order given (first argument first).

    ``compose(a, b).matrix(arch)`` equals ``b.matrix(a.wide_architecture(arch)) @ a.matrix(arch)``.

    >>> print(compose(NullNeuron(1), Permute(1, (2, 0, 1))))
    compose(null(layer=1), permute(layer=1, perm=2,0,1))
    """
    if len(lifts) == 1 and not isinstance(lifts[0], WidthLift) and isinstance(lifts[0], (list, tuple)):
        lifts = tuple(lifts[0])
    return CompatibleEmbedding(tuple(lifts))


# ---------------------------------------------------------------------------
# command-line texts
# ---------------------------------------------------------------------------

_INT = re.compile(r"^\s*\d+\s*$")


def _int_field(text: str, what: str, option: str, example: str) -> int:
    if not _INT.match(text):
        raise LiftError(f"{option} {example}: {what} must be a non-negative integer, got {text!r}")
    return int(text)


def split_from_option(text: str) -> SplitNeuron:
    """``LAYER:NEURON:ALPHA`` (e.g. ``1:0:1/3``) → :class:`SplitNeuron`.

    >>> print(split_from_option("1:0:1/3"))
    split(layer=1, neuron=0, alpha=1/3)
    """
    parts = text.split(":")
    if len(parts) != 3:
        raise LiftError(f"--split expects LAYER:NEURON:ALPHA (e.g. 1:0:1/3), got {text!r}")
    layer = _int_field(parts[0], "LAYER", "--split", "LAYER:NEURON:ALPHA")
    neuron = _int_field(parts[1], "NEURON", "--split", "LAYER:NEURON:ALPHA")
    try:
        alpha = parse_rational(parts[2].strip(), "ALPHA")
    except InputError as exc:
        raise LiftError(f"--split {text}: {exc}") from None
    return SplitNeuron(layer, neuron, alpha)


def odd_split_from_option(text: str) -> OddSplitNeuron:
    """``LAYER:NEURON:ALPHA`` → :class:`OddSplitNeuron` (sign-flip split, odd activations).

    >>> print(odd_split_from_option("1:1:2"))
    odd-split(layer=1, neuron=1, alpha=2)
    """
    s = split_from_option(text)
    return OddSplitNeuron(s.layer, s.neuron, s.alpha)


def null_from_option(text: str) -> NullNeuron:
    """``LAYER`` → :class:`NullNeuron`.

    >>> print(null_from_option("2"))
    null(layer=2)
    """
    return NullNeuron(_int_field(text, "LAYER", "--null", "LAYER"))


def permute_from_option(text: str) -> Permute:
    """``LAYER:P0,P1,...`` → :class:`Permute`.

    >>> print(permute_from_option("1:2,0,1"))
    permute(layer=1, perm=2,0,1)
    """
    layer_text, sep, perm_text = text.partition(":")
    if not sep:
        raise LiftError(f"--permute expects LAYER:P0,P1,... (e.g. 1:1,0), got {text!r}")
    layer = _int_field(layer_text, "LAYER", "--permute", "LAYER:P0,P1,...")
    perm = tuple(_int_field(p, "each entry P", "--permute", "LAYER:P0,P1,...") for p in perm_text.split(","))
    return Permute(layer, perm)
