"""Import of weight files: round trips per format, float rules, one-line errors for bad files."""

from __future__ import annotations

import json
import random
from fractions import Fraction

import numpy as np
import pytest

from exactlift import Architecture, Params, make_case
from exactlift.cli import main
from exactlift.io import WeightsError, export_weights, import_case
from exactlift.io.export import export_data

onnx = pytest.importorskip("onnx")
pytest.importorskip("safetensors")


def dyadic_case(widths=(2, 3, 2, 1), act="tanh", seed=0):
    """Parameters that are exact binary floats (k/8), so float64 holds them exactly."""
    rng = random.Random(seed)
    arch = Architecture.build(list(widths), act)
    theta = [Fraction(rng.randint(-40, 40), 8) for _ in range(arch.n_params)]
    X = [[Fraction(rng.randint(-8, 8), 4) for _ in range(widths[0])] for _ in range(5)]
    Y = [[Fraction(rng.randint(-8, 8), 2) for _ in range(widths[-1])] for _ in range(5)]
    return make_case(list(widths), act, Params.from_flat(arch, theta), X, Y)


@pytest.mark.parametrize("suffix", ["npz", "safetensors", "onnx"])
@pytest.mark.parametrize("names", ["sequential", "wb"])
@pytest.mark.parametrize("rule", ["binary", "decimal"])
def test_round_trip(tmp_path, suffix, names, rule):
    case = dyadic_case()
    export_weights(case, tmp_path / f"m.{suffix}", names)
    export_data(case, tmp_path / "d.npz")
    back = import_case(tmp_path / f"m.{suffix}", "tanh", tmp_path / "d.npz", rule)
    assert back.arch.widths == case.arch.widths
    assert back.params.flatten() == case.params.flatten()
    assert back.X == case.X and back.Y == case.Y
    assert back.extra["source"]["floats"] == rule and back.extra["source"]["format"] == suffix


def test_decimal_round_trip_of_short_decimals(tmp_path):
    arch = Architecture.build([1, 2, 1], "tanh")
    theta = ["0.1", "-0.3", "0.7", "1.1", "0.2", "-2.5", "0.05"]
    case = make_case([1, 2, 1], "tanh", Params.from_flat(arch, theta), [["0.1"]], [["0.3"]])
    export_weights(case, tmp_path / "m.npz", with_data=True)
    dec = import_case(tmp_path / "m.npz", "tanh", floats="decimal")
    assert dec.params.flatten() == [Fraction(t) for t in theta]
    binary = import_case(tmp_path / "m.npz", "tanh", floats="binary")
    assert binary.params.flatten() == [Fraction(float(t)) for t in theta]  # the exact dyadic values
    assert binary.params.flatten()[0] != Fraction(1, 10)


def test_float32_rules(tmp_path):
    w1 = np.array([[0.1], [0.25]], dtype=np.float32)
    np.savez(tmp_path / "m.npz", W1=w1, b1=np.zeros(2, np.float32), W2=np.ones((1, 2), np.float32),
             x=np.array([[1.0]]), y=np.array([[0.5]]))
    dec = import_case(tmp_path / "m.npz", "relu", floats="decimal")
    assert dec.params.W[0][0, 0] == Fraction(1, 10)
    binary = import_case(tmp_path / "m.npz", "relu", floats="binary")
    assert binary.params.W[0][0, 0] == Fraction(13421773, 2**27)  # float32(0.1) exactly
    assert binary.arch.biases == (True, False)


def test_sequential_prefix_and_gaps(tmp_path):
    np.savez(tmp_path / "m.npz", **{"net.0.weight": np.ones((3, 2)), "net.0.bias": np.zeros(3),
                                    "net.2.weight": np.ones((1, 3)), "net.2.bias": np.zeros(1)},
             x=np.zeros((2, 2)), y=np.zeros((2, 1)))
    assert import_case(tmp_path / "m.npz", "relu").arch.widths == (2, 3, 1)


def test_onnx_activation_from_graph_and_matmul_add(tmp_path):
    from onnx import TensorProto, helper, numpy_helper

    W1 = np.array([[1.0, -2.0]], dtype=np.float32)  # MatMul weight: in x out
    b1 = np.array([0.5, 0.25], dtype=np.float32)
    W2 = np.array([[3.0], [1.0]], dtype=np.float32)
    nodes = [helper.make_node("MatMul", ["x", "W1"], ["h"]), helper.make_node("Add", ["h", "b1"], ["z"]),
             helper.make_node("Sigmoid", ["z"], ["f"]), helper.make_node("MatMul", ["f", "W2"], ["y"])]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 1])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 1])],
                              [numpy_helper.from_array(a, n) for a, n in ((W1, "W1"), (b1, "b1"), (W2, "W2"))])
    onnx.save(helper.make_model(graph), str(tmp_path / "m.onnx"))
    np.savez(tmp_path / "d.npz", x=np.array([[1.0]]), y=np.array([[0.0]]))
    case = import_case(tmp_path / "m.onnx", None, tmp_path / "d.npz")
    assert case.arch.activation_specs() == ["sigmoid"] and case.arch.biases == (True, False)
    assert [str(v) for v in case.params.flatten()] == ["1", "-2", "1/2", "1/4", "3", "1"]
    with pytest.raises(WeightsError, match="ONNX graph uses sigmoid"):
        import_case(tmp_path / "m.onnx", "tanh", tmp_path / "d.npz")


def _bad_onnx(path):
    from onnx import TensorProto, helper, numpy_helper

    nodes = [helper.make_node("Conv", ["x", "W"], ["y"])]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 3, 3])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                              [numpy_helper.from_array(np.ones((1, 1, 2, 2), np.float32), "W")])
    onnx.save(helper.make_model(graph), str(path))


@pytest.mark.parametrize("make, message", [
    (lambda p: np.savez(p / "m.npz", W1=np.ones((2, 1)), W2=np.ones((1, 3))), "wrong shapes"),
    (lambda p: np.savez(p / "m.npz", W1=np.ones((2, 1)), W3=np.ones((1, 2))), "missing layer"),
    (lambda p: np.savez(p / "m.npz", W1=np.ones((2, 1)), b1=np.ones(3)), "bias of layer 1"),
    (lambda p: np.savez(p / "m.npz", W1=np.array([{"a": 1}], dtype=object)), "pickled"),
    (lambda p: np.savez(p / "m.npz", conv1=np.ones((2, 1))), "unexpected array name"),
    (lambda p: np.savez(p / "m.npz", W1=np.array([[np.nan]]), x=np.ones((1, 1)), y=np.ones((1, 1))), "not a finite"),
    (lambda p: np.savez(p / "m.npz", W1=np.ones((2, 1)), W2=np.ones((1, 2))), "needs training data"),
    (lambda p: _bad_onnx(p / "m.onnx"), "unsupported ONNX operator Conv"),
    (lambda p: (p / "m.safetensors").write_bytes(b"garbage"), "not a readable .safetensors"),
])
def test_bad_files_one_line(tmp_path, capsys, make, message):
    make(tmp_path)
    (path,) = [f for f in tmp_path.iterdir()]
    assert main(["import", str(path), "--activation", "tanh", "-o", str(tmp_path / "out.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_cli_import_writes_loadable_case(tmp_path, capsys):
    case = dyadic_case((1, 2, 1))
    export_weights(case, tmp_path / "m.safetensors")
    export_data(case, tmp_path / "d.npz")
    out = tmp_path / "c.json"
    assert main(["import", str(tmp_path / "m.safetensors"), "--activation", "tanh", "--data", str(tmp_path / "d.npz"),
                 "-o", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["source"] == {"weights": "m.safetensors", "format": "safetensors", "dtype": "float64",
                             "floats": "binary", "data": "d.npz"}
    from exactlift import load_case

    assert load_case(out).params.flatten() == case.params.flatten()


def test_torch_round_trip(tmp_path):
    torch = pytest.importorskip("torch")
    case = dyadic_case()
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2), torch.nn.Tanh(),
                              torch.nn.Linear(2, 1)).double()
    with torch.no_grad():
        for k, (w, b) in enumerate(zip(case.params.W, case.params.b)):
            net[2 * k].weight.copy_(torch.tensor([[float(v) for v in r] for r in w.tolist()]))
            net[2 * k].bias.copy_(torch.tensor([float(v) for v in b.tolist()]))
    torch.save(net.state_dict(), tmp_path / "m.pt")
    export_data(case, tmp_path / "d.npz")
    assert import_case(tmp_path / "m.pt", "tanh", tmp_path / "d.npz").params.flatten() == case.params.flatten()


def test_pt_without_torch_is_one_clear_error(tmp_path):
    try:
        import torch  # noqa: F401
        pytest.skip("torch is installed")
    except ImportError:
        pass
    (tmp_path / "m.pt").write_bytes(b"x")
    with pytest.raises(WeightsError, match=r"exactlift\[torch\]"):
        import_case(tmp_path / "m.pt", "tanh")
