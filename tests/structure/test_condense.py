"""condense: finds exactly the lifts applied to a narrow network (after a 1e-9 perturbation)."""

from __future__ import annotations

import json
import random
from fractions import Fraction

import pytest

from exactlift import Architecture, NullNeuron, OddSplitNeuron, Params, Permute, SplitNeuron, compose, make_case, save_case
from exactlift.cli import main
from exactlift.errors import InputError
from exactlift.structure.condense import condense, simplest_rational


def narrow_case(widths=(2, 3, 2, 1), act="tanh", seed=1):
    rng = random.Random(seed)
    arch = Architecture.build(list(widths), act)
    theta = [Fraction(rng.choice([-1, 1]) * rng.randint(1, 9), 4) for _ in range(arch.n_params)]
    X = [[Fraction(rng.randint(-6, 6), 3) for _ in range(widths[0])] for _ in range(6)]
    Y = [[Fraction(rng.randint(-4, 4), 2)] for _ in range(6)]
    return make_case(list(widths), act, Params.from_flat(arch, theta), X, Y)


def perturbed(case, eps=Fraction(1, 10**9), seed=2):
    rng = random.Random(seed)
    flat = [v + rng.choice([-1, 1]) * eps for v in case.params.flatten()]
    return case.with_params(case.arch, Params.from_flat(case.arch, flat))


@pytest.mark.parametrize("lifts", [
    (SplitNeuron(1, 0, "1/3"),),
    (SplitNeuron(1, 0, "1/3"), NullNeuron(1)),
    (SplitNeuron(1, 2, "2"), SplitNeuron(1, 2, "1/4"), NullNeuron(1), SplitNeuron(2, 1, "-1/2")),
    (OddSplitNeuron(1, 1, "1/3"), SplitNeuron(2, 0, "3/5")),
])
def test_finds_exactly_the_lifts_applied(lifts):
    narrow = narrow_case()
    wide = perturbed(compose(*lifts).apply_case(narrow))
    c = condense(wide, 1e-6)
    assert c.narrow_widths == list(narrow.arch.widths)
    assert [str(l) for l in c.lifts] == [str(l) for l in lifts]
    assert c.distance <= Fraction(1, 10**8)
    # independent check: the narrow parameters are the original ones up to the perturbation
    assert max(abs(a - b) for a, b in zip(c.narrow.params.flatten(), narrow.params.flatten())) <= Fraction(3, 10**9)


def test_permuted_copies_are_found_with_a_permutation():
    narrow = narrow_case((1, 2, 1))
    lift = compose(SplitNeuron(1, 1, "1/3"), NullNeuron(1), Permute(1, (3, 1, 2, 0)))
    wide = perturbed(lift.apply_case(narrow))
    c = condense(wide)
    assert c.narrow_widths == [1, 2, 1] and c.distance <= Fraction(1, 10**8)
    wide_T = compose(*c.lifts).matrix(c.narrow.arch)
    # the same embedding as the one applied, up to relabelling the narrow neurons
    assert wide_T.shape == lift.matrix(narrow.arch).shape


def test_no_structure_condenses_to_itself():
    case = narrow_case()
    c = condense(case)
    assert c.lifts == () and c.narrow_widths == list(case.arch.widths) and c.distance == 0
    assert c.narrow.params.flatten() == case.params.flatten()


def test_odd_copies_only_for_odd_activations():
    narrow = narrow_case((1, 2, 1), "tanh")
    wide = OddSplitNeuron(1, 0, "1/3").apply_case(narrow)
    relu = wide.with_params(Architecture.build([1, 3, 1], "relu"), wide.params)
    assert condense(relu).narrow_widths == [1, 3, 1]  # w and -w are not copies for relu
    assert condense(wide).narrow_widths == [1, 2, 1]


def test_zero_type_group_is_marked_and_kept():
    arch = Architecture.build([1, 3, 1], "tanh")
    case = make_case([1, 3, 1], "tanh", Params.from_flat(arch, [1, 1, 2, "1/2", "1/2", 3, 2, -2, 1, 0]),
                     [[0], [1]], [[0], [1]])
    c = condense(case)
    assert c.marks[0]["zero_type"] == [{"members": [0, 1], "signs": [1, 1]}]
    assert c.narrow_widths == [1, 3, 1] and c.lifts == ()


def test_silent_and_zero_input_marks():
    arch = Architecture.build([1, 3, 1], "tanh")
    case = make_case([1, 3, 1], "tanh", Params.from_flat(arch, [1, 0, 2, "1/2", 0, 3, 0, 5, 1, 0]), [[0]], [[0]])
    m = condense(case).marks[0]
    assert m["silent"] == [0] and m["zero_input"] == [1] and m["null"] == []


def test_simplest_rational():
    assert simplest_rational(Fraction(-7, 20), Fraction(-1, 3)) == Fraction(-1, 3)
    assert simplest_rational(Fraction(5, 2), Fraction(5, 2)) == Fraction(5, 2)
    assert simplest_rational(Fraction(1, 10**9), Fraction(1, 2)) == Fraction(1, 2)


def test_bad_tol():
    with pytest.raises(InputError, match="tol"):
        condense(narrow_case(), "abc")


def test_cli_condense_json_and_narrow_file(tmp_path, capsys):
    narrow = narrow_case((1, 2, 1))
    save_case(perturbed(compose(SplitNeuron(1, 0, "1/3"), NullNeuron(1)).apply_case(narrow)), tmp_path / "w.json")
    assert main(["condense", str(tmp_path / "w.json"), "--json", "-o", str(tmp_path / "n.json")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["narrow_widths"] == [1, 2, 1] and out["lifts"] == ["split(layer=1, neuron=0, alpha=1/3)", "null(layer=1)"]
    assert float(out["distance"]) <= 1e-8 and out["layers"][0]["null"] == [3]
    from exactlift import load_case

    assert load_case(tmp_path / "n.json").arch.widths == (1, 2, 1)
    assert main(["condense", str(tmp_path / "w.json"), "--tol", "-1"]) == 2


def test_condense_a_file_written_by_exactlift_lift(tmp_path, capsys):
    from exactlift import load_case

    save_case(narrow_case((1, 3, 1)), tmp_path / "n.json")
    assert main(["lift", str(tmp_path / "n.json"), "--split", "1:1:1/3", "--null", "1", "-o", str(tmp_path / "w.json")]) == 0
    wide = perturbed(load_case(tmp_path / "w.json"))
    c = condense(wide, 1e-6)
    assert [str(l) for l in c.lifts] == ["split(layer=1, neuron=1, alpha=1/3)", "null(layer=1)"]
    assert c.narrow_widths == [1, 3, 1] and c.distance <= Fraction(1, 10**8)


def test_condense_reads_a_weight_file_directly(tmp_path, capsys):
    pytest.importorskip("onnx")
    from exactlift.io import export_weights

    narrow = narrow_case((1, 2, 1))
    wide = compose(SplitNeuron(1, 0, "1/4"), NullNeuron(1)).apply_case(narrow)  # k/16: exact in binary floats
    export_weights(wide, tmp_path / "w.onnx", with_data=False)
    np_data = tmp_path / "d.npz"
    from exactlift.io.export import export_data

    export_data(wide, np_data)
    assert main(["condense", str(tmp_path / "w.onnx"), "--data", str(np_data), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["lifts"] == ["split(layer=1, neuron=0, alpha=1/4)", "null(layer=1)"] and out["distance_exact"] == "0"


@pytest.mark.parametrize("lifts", [
    (SplitNeuron(1, 0, "1/3"),),
    (SplitNeuron(1, 0, "1/3"), NullNeuron(1)),
    (OddSplitNeuron(1, 1, "1/3"), SplitNeuron(2, 0, "3/5")),
])
def test_auto_tolerance_is_at_the_gap_and_finds_the_lifts(lifts):
    """--tol auto: the widest gap of the spectrum separates the 1e-9 perturbation from the weights (≥ 1/4)."""
    from exactlift.structure.condense import tolerance_candidates

    import dataclasses

    wide = perturbed(compose(*lifts).apply_case(narrow_case()))
    wide = dataclasses.replace(wide, X=[[Fraction(k, 7), Fraction(-k, 5)] for k in range(40)],
                               Y=[[Fraction(k % 3)] for k in range(40)])
    best = tolerance_candidates(wide)[0]
    assert best["below"] <= 3e-9 and best["above"] >= 0.2 and 3e-9 < best["tol"] < 0.2
    c = condense(wide, "auto")
    assert [str(l) for l in c.lifts] == [str(l) for l in lifts] and c.distance <= Fraction(1, 10**8)


def test_auto_tolerance_refuses_when_no_narrow_network_is_small_enough():
    wide = perturbed(SplitNeuron(1, 0, "1/3").apply_case(narrow_case()))  # 6 outputs < every narrow P
    with pytest.raises(InputError, match="auto"):
        condense(wide, "auto")


def test_a_group_no_split_reproduces_is_kept_as_zero_type(monkeypatch):
    """No split ratios for a group (its outgoing weights nearly cancel): marked zero-type, its neurons kept,
    no refusal; the narrow network is then the wide one (distance 0)."""
    import importlib

    cmod = importlib.import_module("exactlift.structure.condense")

    wide = perturbed(SplitNeuron(1, 0, "1/3").apply_case(narrow_case((1, 2, 1))))
    monkeypatch.setattr(cmod, "_split_plan", lambda *a, **k: None)
    c = condense(wide, 1e-6)
    assert c.marks[0]["zero_type"] == [{"members": [0, 2], "signs": [1, 1]}]
    assert c.narrow_widths == [1, 3, 1] and c.lifts == () and c.distance == 0
