"""The symmetry sub-commands through the real ``exactlift`` entry point."""

from __future__ import annotations

import json
import math

import pytest

from exactlift.cli import main


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_count_json_with_enumeration(capsys) -> None:
    status, out, _ = _run(capsys, "count", "T_groups", "3", "6", "--enumerate", "--json")
    doc = json.loads(out)
    assert status == 0
    assert doc["closed_form"] == doc["enumerated"] == 3120 and doc["agree"] is True
    assert doc["paper_value"] is False


def test_count_big_int_is_a_json_int(capsys) -> None:
    status, out, _ = _run(capsys, "count", "T_single", "3", "2000", "--json")
    doc = json.loads(out)
    assert status == 0 and isinstance(doc["closed_form"], int)
    assert doc["closed_form"] == 6 * int(__import__("flint").fmpz.stirling_s2(2001, 4))
    # beyond Python's default 4300-digit limit for int <-> str conversion
    from exactlift.symmetry.cli import _big_ints
    from exactlift.symmetry.counts import bell

    status, out, _ = _run(capsys, "count", "T_groups", "1", "2000", "--json")
    with _big_ints():
        value = json.loads(out)["closed_form"]
        assert status == 0 and len(str(value)) > 4300
    assert value == bell(2001) - bell(2000)


def test_count_text_says_whether_it_is_the_papers_value(capsys) -> None:
    _, out, _ = _run(capsys, "count", "T_single", "3", "4")
    assert "= 60" in out and "the paper's value" in out
    _, out, _ = _run(capsys, "count", "T_single", "3", "5")
    assert "= 390" in out and "reading-specific" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["count", "G", "5", "3"], "need 1 <= r <= m, got r=5, m=3"),
        (["count", "G", "2.5", "3"], "R must be an integer"),
        (["graph", "2", "3", "--reading", "pairs"], "invalid choice"),
        (["count", "T_groups", "3", "12", "--enumerate", "--limit", "10"], "enumeration limit"),
    ],
)
def test_errors_exit_2_with_one_line(capsys, argv: list[str], message: str) -> None:
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse errors
        status = exc.code
    _, err = capsys.readouterr()
    assert status == 2
    assert err.startswith("error:") and message in err and "Traceback" not in err


def test_graph_json_m_equals_r_plus_1(capsys) -> None:
    status, out, _ = _run(capsys, "graph", "3", "4", "--json")
    doc = json.loads(out)
    assert status == 0
    assert (doc["nodes"], doc["edges"], doc["components"], doc["diameter"]) == (60, 72, 1, 8)
    assert doc["degree_histogram"] == {"2": 36, "3": 24}
    bg = doc["blue_green"]
    assert bg["blue"] == 24 and bg["green"] == 36 and bg["contracted_is_star_cayley_graph"]
    assert doc["expectation_holds"] is True


def test_graph_exact_method_and_isolated_points(capsys) -> None:
    status, out, _ = _run(capsys, "graph", "3", "3", "--json", "--method", "exact", "--d", "2", "--d-out", "2")
    doc = json.loads(out)
    assert status == 0 and doc["components"] == 6 and doc["edges"] == 0 and doc["diameter"] is None
    status, out, _ = _run(capsys, "graph", "2", "4", "--reading", "groups")
    assert status == 0 and "nodes 62" in out and "holds" in out


def test_graph_progress_bar_on_stderr(capsys) -> None:
    status, _, err = _run(capsys, "graph", "2", "4", "--progress")
    assert status == 0 and "[" in err and "50/50" in err


def test_plot_counts_writes_png(capsys, tmp_path) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "ratio.png"
    status, out, _ = _run(capsys, "plot-counts", "-o", str(path), "--r", "2", "4", "--h-max", "10", "--r-max", "8")
    assert status == 0 and path.read_bytes()[:4] == b"\x89PNG" and "wrote" in out


def test_crossover_subspaces_criticality_multilayer(capsys) -> None:
    status, out, _ = _run(capsys, "crossover", "--r-max", "12", "--json")
    doc = json.loads(out)
    assert status == 0 and doc["table"][-1]["r_star"] == 12
    status, out, _ = _run(capsys, "subspaces", "T_groups", "2", "3", "--check-dimensions", "--equations", "--json")
    doc = json.loads(out)
    assert status == 0 and doc["enumerated"] == 12 and doc["dimension_mismatches"] == 0
    status, out, _ = _run(capsys, "subspace-criticality", "2", "3")
    assert status == 0 and "implement the teacher function: True" in out
    status, out, _ = _run(capsys, "multilayer-minima", "2", "3", "--json")
    doc = json.loads(out)
    assert status == 0 and doc["product_formula"] == doc["distinct_points"] == math.factorial(2) * math.factorial(3)


@pytest.mark.parametrize("cmd", ["count", "subspaces"])
@pytest.mark.parametrize("reading", ["single", "groups"])
def test_T_with_reading_is_the_grammar_of_graph(capsys, cmd, reading):
    """`count T R M --reading X` (the option graph/plot-counts/crossover take) = the spelled-out T_X."""
    rc1, out1, _ = _run(capsys, cmd, "T", "2", "3", "--reading", reading, "--json")
    rc2, out2, _ = _run(capsys, cmd, f"T_{reading}", "2", "3", "--json")
    assert rc1 == rc2 == 0 and json.loads(out1) == json.loads(out2)


def test_T_groups_by_hand(capsys):
    # T_groups(2, 3) = S(3,2)·2!/0! + S(3,3)·3!/1! = 3·2 + 1·6 = 12
    rc, out, _ = _run(capsys, "count", "T", "2", "3", "--reading", "groups", "--json")
    assert rc == 0 and json.loads(out)["closed_form"] == 12


def test_a_spelled_out_T_contradicting_reading_is_refused(capsys):
    rc, out, err = _run(capsys, "count", "T_single", "2", "4", "--reading", "groups")
    assert rc == 2 and out == "" and len(err.strip().splitlines()) == 1 and "contradicts --reading groups" in err
