"""Fully connected networks: architecture, parameters, canonical flattening.

Layers are numbered as in the papers: layer ``l`` (1 ≤ l ≤ L) maps
``f^[l-1]`` to ``z^[l] = W^[l] f^[l-1] + b^[l]``; hidden layers 1..L-1 apply
their activation, the output layer L is linear.  In Python, ``params.W[l-1]``
is W^[l] (shape m_l × m_{l-1}) and ``params.b[l-1]`` is b^[l] (or ``None``
when that layer has no bias).

**Canonical flattening** (used by every gradient, Hessian and lift matrix):
layer by layer from 1 to L; inside a layer first W^[l] row-major (entry
(j, k) at offset j·m_{l-1} + k), then b^[l] if present.

>>> arch = Architecture.build([1, 2, 1], "relu")
>>> arch.n_params
7
>>> arch.param_name(4)
'W[2][0,0]'
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from exactlift.arith.contexts import Context
from exactlift.errors import InputError, check_fields, describe_value
from exactlift.nn.activations import Activation, parse_activation


def check_widths(widths: Any) -> tuple[int, ...]:
    """The widths as a tuple of positive integers, or an :class:`InputError` saying what is accepted.

    >>> check_widths([1, 2, 1])
    (1, 2, 1)
    """
    if isinstance(widths, (str, bytes)) or not isinstance(widths, (list, tuple)) and getattr(widths, "ndim", 0) != 1:
        raise InputError(f"widths must be a list of positive integers, got {describe_value(widths)}")
    out = []
    for i, w in enumerate(widths):
        if not isinstance(w, numbers.Integral) or isinstance(w, bool) or w < 1:
            raise InputError(f"widths[{i}] must be a positive integer, got {describe_value(w)}")
        out.append(int(w))
    return tuple(out)


@dataclass(frozen=True)
class Architecture:
    """Widths (m_0 = d, …, m_L = d_out), one activation per hidden layer, biases per layer."""

    widths: tuple[int, ...]
    activations: tuple[Activation, ...]
    biases: tuple[bool, ...]

    def __post_init__(self) -> None:
        check_fields(self)
        for what, items, kind in (("activations", self.activations, Activation), ("biases", self.biases, bool)):
            bad = next((i for i, a in enumerate(items) if not isinstance(a, kind)), None)
            if bad is not None:
                raise InputError(f"Architecture: {what}[{bad}] must be {kind.__name__}, got {type(items[bad]).__name__}")
        if len(self.widths) < 2:
            raise InputError(f"widths must list at least input and output sizes, got {list(self.widths)}")
        for i, w in enumerate(self.widths):
            if not isinstance(w, int) or isinstance(w, bool) or w < 1:
                raise InputError(f"widths[{i}] must be a positive integer, got {w!r}")
        if len(self.activations) != self.n_layers - 1:
            raise InputError(
                f"{self.n_layers - 1} hidden layer(s) need {self.n_layers - 1} activation(s), "
                f"got {len(self.activations)}"
            )
        if len(self.biases) != self.n_layers:
            raise InputError(f"{self.n_layers} layers need {self.n_layers} bias flags, got {len(self.biases)}")

    @classmethod
    def build(
        cls,
        widths: Sequence[int],
        activation: str | Activation | Sequence[str | Activation] = "relu",
        bias: bool | Sequence[bool] = True,
    ) -> "Architecture":
        """Architecture from widths, one activation (or one per hidden layer), biases."""
        widths = check_widths(widths)
        if not isinstance(activation, (str, Activation, list, tuple)):
            raise InputError(f"activation must be a name, an Activation or a list of them, got {describe_value(activation)}")
        widths = tuple(widths)
        n_hidden = len(widths) - 2
        if isinstance(activation, (str, Activation)):
            acts = tuple(parse_activation(activation) for _ in range(max(n_hidden, 0)))
        else:
            acts = tuple(parse_activation(a) for a in activation)
            if len(acts) != n_hidden:
                raise InputError(
                    f"the activation list has {len(acts)} entries but the network has {n_hidden} hidden layer(s)"
                )
        if isinstance(bias, bool):
            biases = (bias,) * (len(widths) - 1)
        else:
            biases = tuple(bool(b) for b in bias)
        return cls(widths, acts, biases)

    @property
    def n_layers(self) -> int:
        """L: the number of weight layers (hidden layers + output layer)."""
        return len(self.widths) - 1

    @property
    def n_hidden(self) -> int:
        return self.n_layers - 1

    @property
    def input_dim(self) -> int:
        return self.widths[0]

    @property
    def output_dim(self) -> int:
        return self.widths[-1]

    def layer_sizes(self, layer: int) -> tuple[int, int]:
        """Number of (weight, bias) parameters of layer ``layer`` (1-based)."""
        self.check_layer(layer)
        return self.widths[layer] * self.widths[layer - 1], self.widths[layer] if self.biases[layer - 1] else 0

    def layer_offset(self, layer: int) -> int:
        """Flat index of the first parameter of layer ``layer`` (1-based)."""
        self.check_layer(layer)
        return sum(sum(self.layer_sizes(k)) for k in range(1, layer))

    @property
    def n_params(self) -> int:
        return sum(sum(self.layer_sizes(k)) for k in range(1, self.n_layers + 1))

    def check_layer(self, layer: int, hidden: bool = False) -> None:
        """Refuse a layer index that does not exist (``hidden``: only 1..L-1)."""
        top = self.n_layers - 1 if hidden else self.n_layers
        if not isinstance(layer, int) or isinstance(layer, bool) or not 1 <= layer <= top:
            what = "hidden layer" if hidden else "layer"
            raise InputError(
                f"{what} {layer} does not exist: the network has {self.n_hidden} hidden layer(s)"
                + ("" if hidden else f" and {self.n_layers} layers with weights")
                + " (numbered from 1)"
            )

    def weight_index(self, layer: int, row: int, col: int) -> int:
        """Flat index of W^[layer][row, col]."""
        m_in = self.widths[layer - 1]
        return self.layer_offset(layer) + row * m_in + col

    def bias_index(self, layer: int, row: int) -> int:
        """Flat index of b^[layer][row] (the layer must have biases)."""
        if not self.biases[layer - 1]:
            raise InputError(f"layer {layer} has no bias")
        return self.layer_offset(layer) + self.layer_sizes(layer)[0] + row

    def param_name(self, index: int) -> str:
        """Human name of a flat parameter index, e.g. ``'W[2][0,1]'`` or ``'b[1][0]'``."""
        if not 0 <= index < self.n_params:
            raise InputError(f"parameter index {index} out of range 0..{self.n_params - 1}")
        for layer in range(1, self.n_layers + 1):
            off = self.layer_offset(layer)
            nw, nb = self.layer_sizes(layer)
            if index < off + nw:
                r, c = divmod(index - off, self.widths[layer - 1])
                return f"W[{layer}][{r},{c}]"
            if index < off + nw + nb:
                return f"b[{layer}][{index - off - nw}]"
        raise AssertionError("unreachable")  # pragma: no cover

    def describe(self) -> str:
        acts = ", ".join(a.spec for a in self.activations) or "none"
        bias = "biases" if all(self.biases) else ("no biases" if not any(self.biases) else f"biases {list(self.biases)}")
        return f"{'-'.join(map(str, self.widths))} net, activation(s) {acts}, {bias}"

    def activation_specs(self) -> list[str]:
        return [a.spec for a in self.activations]


@dataclass(frozen=True)
class Params:
    """Parameters θ = (W^[1], b^[1], …, W^[L], b^[L]) as object ndarrays.

    Entries are whatever scalars the caller uses (Fractions, SymPy
    expressions, mpmath numbers); :meth:`convert` maps them into a context.
    """

    W: tuple[np.ndarray, ...]
    b: tuple[np.ndarray | None, ...]

    @classmethod
    def from_lists(cls, arch: Architecture, W: Sequence[Any], b: Sequence[Any] | None, ctx: Context) -> "Params":
        """Build and shape-check parameters from nested lists, converting each entry with ``ctx``."""
        L = arch.n_layers
        if not isinstance(W, (list, tuple)) or len(W) != L:
            raise InputError(f"params.W must be a list of {L} matrices (one per layer), got {_describe(W)}")
        Ws = []
        for l in range(1, L + 1):
            shape = (arch.widths[l], arch.widths[l - 1])
            Ws.append(_matrix(W[l - 1], shape, f"params.W[{l}]", ctx))
        bs: list[np.ndarray | None] = []
        if b is None:
            b = [None] * L
        if not isinstance(b, (list, tuple)) or len(b) != L:
            raise InputError(f"params.b must be a list of {L} vectors (one per layer), got {_describe(b)}")
        for l in range(1, L + 1):
            has = arch.biases[l - 1]
            if not has:
                if b[l - 1] not in (None, []):
                    raise InputError(f"params.b[{l}] is given but layer {l} has no bias (bias is off)")
                bs.append(None)
                continue
            if b[l - 1] is None:
                raise InputError(f"params.b[{l}] is missing: layer {l} has a bias")
            vec = _matrix([b[l - 1]], (1, arch.widths[l]), f"params.b[{l}]", ctx)
            bs.append(vec[0])
        return cls(tuple(Ws), tuple(bs))

    @classmethod
    def from_flat(cls, arch: Architecture, flat: Sequence[Any]) -> "Params":
        """Inverse of :meth:`flatten` (canonical order)."""
        flat = list(flat)
        if len(flat) != arch.n_params:
            raise InputError(f"expected {arch.n_params} parameters for {arch.describe()}, got {len(flat)}")
        Ws, bs, pos = [], [], 0
        for l in range(1, arch.n_layers + 1):
            m_out, m_in = arch.widths[l], arch.widths[l - 1]
            w = np.empty((m_out, m_in), dtype=object)
            w.ravel()[:] = flat[pos : pos + m_out * m_in]
            Ws.append(w)
            pos += m_out * m_in
            if arch.biases[l - 1]:
                v = np.empty(m_out, dtype=object)
                v[:] = flat[pos : pos + m_out]
                bs.append(v)
                pos += m_out
            else:
                bs.append(None)
        return cls(tuple(Ws), tuple(bs))

    def flatten(self) -> list[Any]:
        """θ as a flat list in the canonical order (see the module docstring)."""
        out: list[Any] = []
        for w, b in zip(self.W, self.b):
            out.extend(w.ravel().tolist())
            if b is not None:
                out.extend(b.tolist())
        return out

    def convert(self, ctx: Context) -> "Params":
        """The same parameters with every entry converted into ``ctx``."""
        Ws = tuple(ctx.array(w, f"W[{l + 1}]") for l, w in enumerate(self.W))
        bs = tuple(None if b is None else ctx.array(b, f"b[{l + 1}]") for l, b in enumerate(self.b))
        return Params(Ws, bs)

    def to_lists(self) -> dict[str, list]:
        """Nested lists of strings (the JSON case-file layout)."""
        return {
            "W": [[[str(x) for x in row] for row in w.tolist()] for w in self.W],
            "b": [None if b is None else [str(x) for x in b.tolist()] for b in self.b],
        }


def _describe(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return f"a list of length {len(value)}"
    return f"{type(value).__name__} {value!r}"


def _matrix(value: Any, shape: tuple[int, int], where: str, ctx: Context) -> np.ndarray:
    """Check that ``value`` is a nested list of the given shape and convert its entries."""
    rows, cols = shape
    if not isinstance(value, (list, tuple)) or len(value) != rows:
        raise InputError(f"{where} must have {rows} row(s) of {cols} entries, got {_describe(value)}")
    out = np.empty(shape, dtype=object)
    for i, row in enumerate(value):
        if not isinstance(row, (list, tuple)) or len(row) != cols:
            raise InputError(f"{where} row {i} must have {cols} entries, got {_describe(row)}")
        for j, x in enumerate(row):
            out[i, j] = ctx.convert(x, f"{where}[{i}][{j}]" if rows > 1 or "W" in where else f"{where}[{j}]")
    return out
