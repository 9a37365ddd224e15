"""Read trained weights (``.npz``, ``.safetensors``, ``.onnx``, PyTorch ``.pt``) into an exact case.

Two naming conventions are understood for the array formats (npz, safetensors, pt):

* PyTorch ``nn.Sequential``: ``0.weight``, ``0.bias``, ``2.weight``, … (optionally under one
  common prefix such as ``net.``), Linear layers in the order of their index, weight out × in;
* ``W1, b1, W2, b2, …`` (also weight out × in, layers numbered from 1).

ONNX graphs are read node by node: ``Gemm`` (any ``transB``, ``alpha = beta = 1``) or
``MatMul`` followed by ``Add`` of an initializer, and the activation nodes ``Tanh``, ``Relu``,
``Sigmoid``, ``Softplus``, ``LeakyRelu``, ``Identity`` between them; any other operator is refused.

The architecture is inferred from the shapes and checked (each weight's input size is the
previous weight's output size, each bias has the output size).  Floats become exact values
by the rule the user picks (:data:`FLOAT_RULES`):

* ``binary``: the exact dyadic value of the stored float (float32 or float64), so the case
  describes exactly the network in the file;
* ``decimal``: the shortest decimal that rounds back to the stored float (what it prints as).

The case file records the rule and the source under the top-level key ``"source"``.

>>> import numpy as np
>>> exact_from_float(np.float32(0.1), "binary")
Fraction(13421773, 134217728)
>>> exact_from_float(np.float32(0.1), "decimal")
Fraction(1, 10)

Failure modes: every bad file is a :class:`WeightsError` (an ``InputError``) with one line:
unreadable or pickled files, unknown array names, missing layers, wrong shapes, unsupported
ONNX operators, non-finite values, a ``.pt`` file without the ``[torch]`` extra installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from exactlift.errors import InputError
from exactlift.nn.case import Case, make_case
from exactlift.nn.network import Architecture, Params

#: Weight formats, by file suffix.
WEIGHT_FORMATS = ("npz", "safetensors", "onnx", "pt")
#: How floats become exact numbers.
FLOAT_RULES = ("binary", "decimal")

_SUFFIXES = {".npz": "npz", ".safetensors": "safetensors", ".onnx": "onnx", ".pt": "pt", ".pth": "pt"}
_ONNX_ACTIVATIONS = {"Tanh": "tanh", "Relu": "relu", "Sigmoid": "sigmoid", "Softplus": "softplus", "Identity": "identity"}


class WeightsError(InputError):
    """A weight or data file that cannot be read as a fully connected network (one clear line)."""


@dataclass(frozen=True)
class LayerStack:
    """The float layers read from a file: weights (out × in), biases (or None), activations found."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray | None, ...]
    activations: tuple[str, ...] | None  # one per hidden layer when the file says (ONNX), else None
    fmt: str
    dtype: str

    @property
    def widths(self) -> list[int]:
        return [int(self.weights[0].shape[1])] + [int(w.shape[0]) for w in self.weights]


def weight_format(path: str | Path) -> str:
    """The format of a weight file from its suffix.

    >>> weight_format("model.safetensors")
    'safetensors'
    """
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise WeightsError(f"{path}: unknown weight format {suffix or '(no suffix)'!r}: use .npz, .safetensors, .onnx or .pt")
    return _SUFFIXES[suffix]


def exact_from_float(value: Any, rule: str, where: str = "value") -> Fraction:
    """An exact rational from a stored number, by ``rule`` (``binary`` or ``decimal``).

    Raises :class:`WeightsError` for NaN/inf and for an unknown rule.
    """
    if rule not in FLOAT_RULES:
        raise WeightsError(f"unknown float rule {rule!r}: use binary or decimal")
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return Fraction(int(value))
    x = np.asarray(value)
    if x.dtype.kind not in "fiu":
        raise WeightsError(f"{where}: not a number ({x.dtype})")
    if x.dtype.kind in "iu":
        return Fraction(int(x))
    if not np.isfinite(x):
        raise WeightsError(f"{where}: {float(x)} is not a finite number")
    if rule == "binary":
        return Fraction(float(x))  # float16/32 -> float64 is exact
    return Fraction(np.format_float_scientific(x[()], unique=True, trim="-"))


# --------------------------------------------------------------------------- named arrays
_SEQ = re.compile(r"^(.*?)(\d+)\.(weight|bias)$")
_WB = re.compile(r"^([Wb])(\d+)$")


def layers_from_names(arrays: dict[str, np.ndarray], where: str) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
    """Order named arrays into layers (``0.weight``/``0.bias``… or ``W1``/``b1``…)."""
    names = [k for k in arrays if k not in ("x", "y")]
    if not names:
        raise WeightsError(f"{where}: no weight arrays found (expected 0.weight, 0.bias, … or W1, b1, …)")
    if all(_WB.match(k) for k in names):
        idx = {}
        for k in names:
            kind, n = _WB.match(k).groups()
            idx[(int(n), kind)] = arrays[k]
        layers = sorted({n for n, _ in idx})
        if layers != list(range(1, len(layers) + 1)):
            missing = sorted(set(range(1, max(layers) + 1)) - set(layers))
            raise WeightsError(f"{where}: missing layer(s) {', '.join(f'W{m}' for m in missing)} (layers are numbered from 1)")
        for n in layers:
            if (n, "W") not in idx:
                raise WeightsError(f"{where}: b{n} is given but W{n} is missing")
        return [idx[(n, "W")] for n in layers], [idx.get((n, "b")) for n in layers]
    matches = {k: _SEQ.match(k) for k in names}
    bad = [k for k, m in matches.items() if m is None]
    if bad:
        raise WeightsError(
            f"{where}: unexpected array name(s) {', '.join(sorted(bad)[:5])}: expected the nn.Sequential names "
            "0.weight, 0.bias, 2.weight, … or W1, b1, W2, b2, … (only Linear layers are supported)"
        )
    prefixes = {m.group(1) for m in matches.values()}
    if len(prefixes) > 1:
        raise WeightsError(f"{where}: arrays under several prefixes ({', '.join(sorted(prefixes))}): one network per file")
    seq: dict[int, dict[str, np.ndarray]] = {}
    for k, m in matches.items():
        seq.setdefault(int(m.group(2)), {})[m.group(3)] = arrays[k]
    Ws, bs = [], []
    for n in sorted(seq):
        if "weight" not in seq[n]:
            raise WeightsError(f"{where}: {next(iter(prefixes))}{n}.bias is given but {next(iter(prefixes))}{n}.weight is missing")
        Ws.append(seq[n]["weight"])
        bs.append(seq[n].get("bias"))
    return Ws, bs


def check_layers(Ws: list[np.ndarray], bs: list[np.ndarray | None], where: str) -> None:
    """Shapes: 2-d weights chaining out × in, 1-d biases of the output size, finite float/int values."""
    for l, (w, b) in enumerate(zip(Ws, bs), start=1):
        if w.ndim != 2:
            raise WeightsError(f"{where}: the weight of layer {l} has shape {tuple(w.shape)}, expected a matrix (out × in)")
        if l > 1 and w.shape[1] != Ws[l - 2].shape[0]:
            raise WeightsError(
                f"{where}: wrong shapes: layer {l}'s weight is {w.shape[0]}×{w.shape[1]} but layer {l - 1} has "
                f"{Ws[l - 2].shape[0]} outputs (weights are out × in)"
            )
        if b is not None and (b.ndim != 1 or b.shape[0] != w.shape[0]):
            raise WeightsError(f"{where}: the bias of layer {l} has shape {tuple(b.shape)}, expected ({w.shape[0]},)")
        for arr in (w, b):
            if arr is not None and arr.dtype.kind not in "fiu":
                raise WeightsError(f"{where}: layer {l} holds {arr.dtype} values, expected numbers")


# --------------------------------------------------------------------------- formats
def _read_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: np.asarray(z[k]) for k in z.files}
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise WeightsError(f"{path}: holds pickled (object) arrays, which are never loaded: save plain numeric arrays") from None
        raise WeightsError(f"{path}: not a readable .npz file ({exc})") from None
    except (OSError, EOFError) as exc:
        raise WeightsError(f"{path}: not a readable .npz file ({exc})") from None


def _read_safetensors(path: Path) -> dict[str, np.ndarray]:
    try:
        from safetensors.numpy import load_file
    except ImportError:
        raise WeightsError(f"{path}: reading .safetensors needs the safetensors package: pip install 'exactlift[import]'") from None
    try:
        return dict(load_file(str(path)))
    except Exception as exc:  # the library raises its own SafetensorError / OSError
        raise WeightsError(f"{path}: not a readable .safetensors file ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from None


def _read_pt(path: Path) -> dict[str, np.ndarray]:
    try:
        import torch
    except ImportError:
        raise WeightsError(f"{path}: reading PyTorch files needs torch: pip install 'exactlift[torch]'") from None
    try:
        state = torch.load(str(path), map_location="cpu", weights_only=True)
    except Exception as exc:
        raise WeightsError(f"{path}: not a PyTorch state dict loadable with weights_only=True ({str(exc).splitlines()[0]})") from None
    if not isinstance(state, dict) or not all(hasattr(v, "detach") for v in state.values()):
        raise WeightsError(f"{path}: expected a state dict (name -> tensor), e.g. torch.save(model.state_dict(), path)")
    return {k: v.detach().cpu().numpy() for k, v in state.items()}


def _read_onnx(path: Path) -> LayerStack:
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError:
        raise WeightsError(f"{path}: reading .onnx needs the onnx package: pip install 'exactlift[import]'") from None
    try:
        model = onnx.load(str(path))
    except Exception as exc:
        raise WeightsError(f"{path}: not a readable ONNX model ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from None
    graph = model.graph
    init = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    for node in graph.node:  # constants given as nodes
        if node.op_type == "Constant":
            init[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    Ws: list[np.ndarray] = []
    bs: list[np.ndarray | None] = []
    acts: list[str] = []
    pending: str | None = None  # the activation after the last linear layer
    for node in graph.node:
        op = node.op_type
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        if op == "Constant":
            continue
        if op in ("Gemm", "MatMul"):
            if Ws:
                acts.append(pending or "identity")
            pending = None
            if op == "Gemm":
                if attrs.get("transA", 0) or attrs.get("alpha", 1.0) != 1.0 or attrs.get("beta", 1.0) != 1.0:
                    raise WeightsError(f"{path}: unsupported Gemm attributes (need transA=0, alpha=beta=1) in node {node.name!r}")
                if node.input[1] not in init:
                    raise WeightsError(f"{path}: Gemm node {node.name!r} has a weight that is not an initializer")
                B = init[node.input[1]]
                Ws.append(B if attrs.get("transB", 0) else B.T)
                bs.append(init[node.input[2]].reshape(-1) if len(node.input) > 2 and node.input[2] else None)
            else:
                if node.input[1] not in init:
                    raise WeightsError(f"{path}: MatMul node {node.name!r} has a weight that is not an initializer")
                Ws.append(init[node.input[1]].T)
                bs.append(None)
        elif op == "Add":
            const = [i for i in node.input if i in init]
            if not Ws or len(const) != 1 or bs[-1] is not None or pending is not None:
                raise WeightsError(f"{path}: an Add node ({node.name!r}) that is not the bias of a MatMul is not supported")
            bs[-1] = init[const[0]].reshape(-1)
        elif op in _ONNX_ACTIVATIONS or op == "LeakyRelu":
            if not Ws or pending is not None:
                raise WeightsError(f"{path}: activation node {node.name!r} ({op}) not between two linear layers")
            if op == "LeakyRelu":
                slope = exact_from_float(np.float32(attrs.get("alpha", 0.01)), "decimal")
                pending = f"leaky_relu({slope})"
            else:
                pending = _ONNX_ACTIVATIONS[op]
        else:
            raise WeightsError(
                f"{path}: unsupported ONNX operator {op} (node {node.name!r}): supported are Gemm, MatMul, Add, "
                + ", ".join(sorted(_ONNX_ACTIVATIONS)) + ", LeakyRelu"
            )
    if not Ws:
        raise WeightsError(f"{path}: no Gemm or MatMul layer found")
    if pending is not None:
        raise WeightsError(f"{path}: the graph ends in an activation ({pending}); the output layer must be linear")
    check_layers(Ws, bs, str(path))
    return LayerStack(tuple(Ws), tuple(bs), tuple(acts), "onnx", str(Ws[0].dtype))


def read_weights(path: str | Path) -> LayerStack:
    """The float layers of a weight file (format from the suffix); :class:`WeightsError` on any problem."""
    path = Path(path)
    fmt = weight_format(path)
    if not path.exists():
        raise WeightsError(f"{path}: no such file")
    if fmt == "onnx":
        return _read_onnx(path)
    arrays = {"npz": _read_npz, "safetensors": _read_safetensors, "pt": _read_pt}[fmt](path)
    Ws, bs = layers_from_names(arrays, str(path))
    check_layers(Ws, bs, str(path))
    dtypes = sorted({str(a.dtype) for a in Ws + [b for b in bs if b is not None]})
    return LayerStack(tuple(Ws), tuple(bs), None, fmt, ",".join(dtypes))


def read_data(path: str | Path, d_in: int, d_out: int) -> tuple[np.ndarray, np.ndarray]:
    """Arrays ``x`` (n × d) and ``y`` (n × d_out) from an ``.npz`` (1-d arrays count as one column)."""
    path = Path(path)
    if not path.exists():
        raise WeightsError(f"{path}: no such file")
    arrays = _read_npz(path) if path.suffix.lower() == ".npz" else None
    if arrays is None:
        raise WeightsError(f"{path}: data must be an .npz file with arrays x and y")
    return data_arrays(arrays, str(path), d_in, d_out)


def data_arrays(arrays: dict[str, np.ndarray], where: str, d_in: int, d_out: int) -> tuple[np.ndarray, np.ndarray]:
    """Check and shape the data arrays ``x``, ``y``."""
    if "x" not in arrays or "y" not in arrays:
        raise WeightsError(f"{where}: data needs arrays x (n × {d_in}) and y (n × {d_out})")
    x, y = np.asarray(arrays["x"]), np.asarray(arrays["y"])
    x = x.reshape(-1, 1) if x.ndim == 1 else x
    y = y.reshape(-1, 1) if y.ndim == 1 else y
    if x.ndim != 2 or x.shape[1] != d_in:
        raise WeightsError(f"{where}: x has shape {tuple(x.shape)} but the network takes {d_in} input(s): expected (n, {d_in})")
    if y.ndim != 2 or y.shape[1] != d_out:
        raise WeightsError(f"{where}: y has shape {tuple(y.shape)} but the network has {d_out} output(s): expected (n, {d_out})")
    if x.shape[0] != y.shape[0] or x.shape[0] == 0:
        raise WeightsError(f"{where}: x has {x.shape[0]} rows and y has {y.shape[0]}: need the same, at least one")
    return x, y


def _exact_matrix(a: np.ndarray, rule: str, where: str) -> np.ndarray:
    out = np.empty(a.shape, dtype=object)
    for idx in np.ndindex(a.shape):
        out[idx] = exact_from_float(a[idx], rule, f"{where}{list(idx)}")
    return out


def import_case(
    weights: str | Path,
    activation: str | None = None,
    data: str | Path | None = None,
    floats: str = "binary",
    loss: str = "mse",
    name: str = "",
) -> Case:
    """An exact case from a weight file (and data from ``data``, or arrays ``x``/``y`` in the npz itself).

    ``activation`` is required except for ONNX graphs, whose activation nodes say it; when both
    are given they must agree.  Raises :class:`WeightsError` on any bad file.
    """
    stack = read_weights(weights)
    n_hidden = len(stack.weights) - 1
    if stack.activations is not None:
        if activation is not None and n_hidden and any(a != activation for a in stack.activations):
            from exactlift.nn.activations import parse_activation

            if any(parse_activation(a) != parse_activation(activation) for a in stack.activations):
                raise WeightsError(f"{weights}: --activation {activation} but the ONNX graph uses {', '.join(stack.activations)}")
        acts: Any = list(stack.activations) if n_hidden else []
    elif activation is None:
        if n_hidden:
            raise WeightsError(f"{weights}: {stack.fmt} files do not say the activation: pass --activation NAME (e.g. tanh)")
        acts = []
    else:
        acts = activation if n_hidden else []
    widths = stack.widths
    if data is not None:
        x, y = read_data(data, widths[0], widths[-1])
    elif stack.fmt == "npz" and Path(weights).exists():
        arrays = _read_npz(Path(weights))
        if "x" not in arrays:
            raise WeightsError(f"{weights}: a case needs training data: pass --data DATA.npz with arrays x (n × {widths[0]}) and y (n × {widths[-1]})")
        x, y = data_arrays(arrays, str(weights), widths[0], widths[-1])
    else:
        raise WeightsError(f"{weights}: a case needs training data: pass --data DATA.npz with arrays x (n × {widths[0]}) and y (n × {widths[-1]})")
    Ws = tuple(_exact_matrix(w, floats, f"W[{l}]") for l, w in enumerate(stack.weights, start=1))
    bs = tuple(None if b is None else _exact_matrix(b, floats, f"b[{l}]") for l, b in enumerate(stack.biases, start=1))
    bias_flags = [b is not None for b in stack.biases]
    arch = Architecture.build(widths, acts, bias_flags)
    params = Params(Ws, bs)
    X = _exact_matrix(x, floats, "x").tolist()
    Y = _exact_matrix(y, floats, "y").tolist()
    case = make_case(widths, arch.activations if n_hidden else [], params, X, Y, loss, bias_flags, name or Path(weights).stem)
    source = {"weights": Path(weights).name, "format": stack.fmt, "dtype": stack.dtype, "floats": floats}
    if data is not None:
        source["data"] = Path(data).name
    return replace(case, extra={**case.extra, "source": source})
