"""Width embeddings as data: splitting, null neurons, permutations and their compositions.

docs/width.md (Zhang et al. 2021, 2022).  A width embedding is a linear injective
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

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Iterable

import numpy as np
import sympy

from exactlift.errors import LiftError, validated, check_fields, safe_repr
from exactlift.lifts.base import Lift
from exactlift.lifts.width.maps import ONE, ZERO, LinearMap, exact_ratio, is_zero_coefficient
from exactlift.nn.network import Architecture, Params

__all__ = [
    "WidthLift",
    "SplitNeuron",
    "OddSplitNeuron",
    "NullNeuron",
    "Permute",
    "CompatibleEmbedding",
    "compose",
    "activation_is_odd",
    "check_hidden_layer",
    "check_neuron",
    "as_lift",
]

# ---------------------------------------------------------------------------
# the lifts
# ---------------------------------------------------------------------------


def _check_int(value: Any, what: str, low: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise LiftError(f"{what} must be an integer, got {safe_repr(value)}")
    if value < low:
        raise LiftError(f"{what} must be >= {low}, got {safe_repr(value)}")


def _check_layer_arg(value: Any) -> None:
    """A layer given to a lift: an integer >= 1 (hidden layers are numbered from 1)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise LiftError(f"a hidden layer must be an integer (numbered from 1), got {safe_repr(value)}")
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


class WidthLift(Lift):
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
class NeuronMap(WidthLift):
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
                        rows[i] = () if old is None or is_zero_coefficient(c) else ((arch.weight_index(layer, old, col), c),)
                    if arch.biases[layer - 1]:
                        i = wide.bias_index(layer, j)
                        rows[i] = () if old is None or is_zero_coefficient(c) else ((arch.bias_index(layer, old), c),)
            else:  # layer l + 1: outgoing columns
                for r in range(m_out):
                    for j, (old, cin, cout) in enumerate(plan):
                        i = wide.weight_index(layer, r, j)
                        if old is None:
                            rows[i] = null_out(r) if null_out is not None else ()
                            continue
                        c = outgoing_coeff(cin, cout)
                        rows[i] = () if is_zero_coefficient(c) else ((arch.weight_index(layer, r, old), c),)
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
class SplitNeuron(NeuronMap):
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
        return f"split(layer={self.layer}, neuron={self.neuron}, alpha={str(self.alpha)})"

    def latex(self) -> str:
        a = sympy.latex(sympy.sympify(self.alpha))
        return rf"T^{{\mathrm{{split}}}}_{{{self.layer},{self.neuron}}}(\alpha={a})"


@dataclass(frozen=True)
class OddSplitNeuron(SplitNeuron):
    """Sign-flip split for an odd activation (docs/width.md): new neuron (−w, −b, −(1−α)a).

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
        return f"odd-split(layer={self.layer}, neuron={self.neuron}, alpha={str(self.alpha)})"

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
class NullNeuron(NeuronMap):
    """One-step null embedding: append a neuron with zero incoming row, bias and outgoing column.

    Its gradient transfer map exists when σ(0) = 0 (the null neuron's outgoing
    gradient vanishes) or when layer l+1 has a bias (it is then
    σ(0)·∂R/∂b^[l+1]); otherwise :meth:`gradient_transfer` returns ``None`` and
    criticality needs σ(0)·Σ_i δ_i^[l+1] = 0 (checked by
    :func:`exactlift.lifts.width.check_null_condition`).

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
class Permute(NeuronMap):
    """Permutation of the neurons of hidden layer ``layer``: wide neuron j is old neuron ``perm[j]``.

    >>> print(Permute(1, (1, 0)))
    permute(layer=1, perm=1,0)
    """

    layer: int
    perm: tuple[int, ...]

    def __post_init__(self) -> None:  # its own checks, which say what a permutation is (check_fields would say "tuple")
        _check_layer_arg(self.layer)
        if isinstance(self.perm, (str, bytes)) or not isinstance(self.perm, Iterable):
            raise LiftError(f"a permutation must be a sequence of neuron indices, got {safe_repr(self.perm)}")
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
        check_fields(self)
        flat: list[WidthLift] = []
        for lift in self.lifts:
            if not isinstance(lift, WidthLift):
                raise LiftError(f"a compatible embedding is made of width lifts, got {safe_repr(lift, 60)}")
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


@validated
def compose(*lifts: WidthLift) -> CompatibleEmbedding:
    """The compatible embedding applying ``lifts`` in the order given (first argument first).

    ``compose(a, b).matrix(arch)`` equals ``b.matrix(a.wide_architecture(arch)) @ a.matrix(arch)``.

    >>> print(compose(NullNeuron(1), Permute(1, (2, 0, 1))))
    compose(null(layer=1), permute(layer=1, perm=2,0,1))
    """
    if len(lifts) == 1 and not isinstance(lifts[0], WidthLift) and isinstance(lifts[0], (list, tuple)):
        lifts = tuple(lifts[0])
    return CompatibleEmbedding(tuple(lifts))


def as_lift(lift: Any) -> WidthLift:
    """A width lift from a lift or a sequence of lifts (composed in the order given).

    >>> print(as_lift([SplitNeuron(1, 0, 2)]))
    split(layer=1, neuron=0, alpha=2)

    Failure mode: :class:`~exactlift.errors.LiftError` for anything else.
    """
    if isinstance(lift, WidthLift):
        return lift
    if isinstance(lift, (list, tuple)):
        return compose(*lift) if len(lift) != 1 else lift[0]
    raise LiftError(f"expected a width lift (SplitNeuron, NullNeuron, Permute or a composition), got {lift!r}")
