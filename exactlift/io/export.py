"""Write a case's network as a weight file (the inverse of :mod:`exactlift.io.weights`).

Used by the round-trip tests and by users who want a case's network in another tool.  Exact
parameters are rounded to the nearest float of ``dtype`` (a dyadic parameter that fits is
written exactly, so ``--floats binary`` reads it back unchanged).

>>> from exactlift.io.export import float_arrays
>>> from exactlift import make_case, Params, Architecture
>>> arch = Architecture.build([1, 2, 1], "tanh")
>>> case = make_case([1, 2, 1], "tanh", Params.from_flat(arch, [1, "1/2", 0, 0, 2, 3, "-1/4"]), [[0]], [[1]])
>>> sorted(float_arrays(case, "wb"))
['W1', 'W2', 'b1', 'b2']

Failure modes: :class:`~exactlift.io.weights.WeightsError` for an unknown suffix or naming,
an activation ONNX has no operator for, a ``.pt`` file without torch.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from exactlift.io.weights import WeightsError, weight_format
from exactlift.nn.case import Case

_ONNX_OPS = {"tanh": "Tanh", "relu": "Relu", "sigmoid": "Sigmoid", "softplus": "Softplus", "identity": "Identity"}


def float_arrays(case: Case, names: str = "sequential", dtype: str = "float64") -> dict[str, np.ndarray]:
    """The case's layers as named float arrays (``sequential``: 0.weight, 2.weight, …; ``wb``: W1, b1, …)."""
    if names not in ("sequential", "wb"):
        raise WeightsError(f"unknown naming {names!r}: use sequential or wb")
    out: dict[str, np.ndarray] = {}
    for l, (w, b) in enumerate(zip(case.params.W, case.params.b), start=1):
        wf = np.array([[float(v) for v in row] for row in w.tolist()], dtype=dtype)
        key_w, key_b = (f"{2 * (l - 1)}.weight", f"{2 * (l - 1)}.bias") if names == "sequential" else (f"W{l}", f"b{l}")
        out[key_w] = wf
        if b is not None:
            out[key_b] = np.array([float(v) for v in b.tolist()], dtype=dtype)
    return out


def data_arrays_of(case: Case, dtype: str = "float64") -> dict[str, np.ndarray]:
    """``x`` and ``y`` of the case as float arrays."""
    return {
        "x": np.array([[float(v) for v in r] for r in case.X], dtype=dtype),
        "y": np.array([[float(v) for v in r] for r in case.Y], dtype=dtype),
    }


def export_data(case: Case, path: str | Path) -> None:
    """Write the training data as an ``.npz`` with arrays x and y."""
    np.savez(path, **data_arrays_of(case))


def _onnx_model(case: Case, dtype: str):
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    elem = TensorProto.FLOAT if dtype == "float32" else TensorProto.DOUBLE
    nodes, inits = [], []
    current = "x"
    L = case.arch.n_layers
    for l, (w, b) in enumerate(zip(case.params.W, case.params.b), start=1):
        wf = np.array([[float(v) for v in row] for row in w.tolist()], dtype=dtype)
        inits.append(numpy_helper.from_array(wf, f"W{l}"))
        inputs = [current, f"W{l}"]
        if b is not None:
            inits.append(numpy_helper.from_array(np.array([float(v) for v in b.tolist()], dtype=dtype), f"b{l}"))
            inputs.append(f"b{l}")
        out = f"z{l}" if l < L else "y"
        nodes.append(helper.make_node("Gemm", inputs, [out], name=f"linear{l}", transB=1))
        current = out
        if l < L:
            spec = case.arch.activations[l - 1].spec
            if spec.startswith("leaky_relu("):
                from fractions import Fraction

                slope = float(Fraction(spec[len("leaky_relu("):-1]))
                nodes.append(helper.make_node("LeakyRelu", [current], [f"f{l}"], name=f"act{l}", alpha=slope))
            elif spec in _ONNX_OPS:
                nodes.append(helper.make_node(_ONNX_OPS[spec], [current], [f"f{l}"], name=f"act{l}"))
            else:
                raise WeightsError(f"activation {spec} has no ONNX operator")
            current = f"f{l}"
    graph = helper.make_graph(
        nodes, case.name or "exactlift",
        [helper.make_tensor_value_info("x", elem, [None, case.arch.input_dim])],
        [helper.make_tensor_value_info("y", elem, [None, case.arch.output_dim])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    return model


def export_weights(case: Case, path: str | Path, names: str = "sequential", dtype: str = "float64", with_data: bool = False) -> None:
    """Write ``case``'s network to ``path`` (format from the suffix; ``with_data``: x, y inside an npz)."""
    fmt = weight_format(path)
    if fmt == "onnx":
        import onnx

        onnx.save(_onnx_model(case, dtype), str(path))
        return
    arrays = float_arrays(case, names, dtype)
    if fmt == "npz":
        np.savez(path, **arrays, **(data_arrays_of(case, dtype) if with_data else {}))
    elif fmt == "safetensors":
        from safetensors.numpy import save_file

        save_file(arrays, str(path))
    else:
        try:
            import torch
        except ImportError:
            raise WeightsError(f"{path}: writing PyTorch files needs torch: pip install 'exactlift[torch]'") from None
        torch.save({k: torch.from_numpy(v) for k, v in arrays.items()}, str(path))
