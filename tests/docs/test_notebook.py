"""docs/notebook.ipynb runs (nbclient), shows rich displays, and its saved outputs match a fresh run."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "notebook.ipynb"
#: code cells whose output does not depend on timings or run ids: analysis, certificate, lift, wide analysis, tuple
DETERMINISTIC = range(5)


def _outputs(nb):
    return [c.outputs for c in nb.cells if c.cell_type == "code"]


@pytest.fixture(scope="module")
def executed():
    saved = nbformat.read(NOTEBOOK, as_version=4)
    fresh = copy.deepcopy(saved)
    nbclient.NotebookClient(fresh, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return saved, fresh


def test_notebook_runs_without_errors(executed):
    _, fresh = executed
    assert all(o.output_type != "error" for outs in _outputs(fresh) for o in outs)


def test_every_result_displays_richly(executed):
    _, fresh = executed
    outs = _outputs(fresh)
    rich = [i for i, cell in enumerate(outs) for o in cell
            if o.output_type == "execute_result" and {"text/html", "text/latex"} <= set(o.data)]
    # analysis, certificate, lift, wide analysis, card result, conjecture run (the tuple cell is plain)
    assert rich == [0, 1, 2, 3, 5, 6]


def test_saved_outputs_are_current(executed):
    saved, fresh = executed
    for i in DETERMINISTIC:
        old, new = _outputs(saved)[i], _outputs(fresh)[i]
        assert [o.get("data") for o in old] == [o.get("data") for o in new], f"code cell {i}: re-execute the notebook"


def test_notebook_inertia_agrees_with_the_mp_path(executed):
    """The notebook's exact inertia of the case and of its split equals the mp (mpmath eigenvalues) inertia."""
    from exactlift import analyze
    from exactlift.lifts.width import SplitNeuron
    from exactlift.nn.examples import random_critical_case

    _, fresh = executed
    shown = _outputs(fresh)[4][0].data["text/plain"]
    case = random_critical_case([1, 2, 1], seed=1)
    narrow = analyze(case, "mp", digits=60).inertia
    wide = analyze(SplitNeuron(1, 0, "1/3").apply_case(case), "mp", digits=60).inertia
    assert shown == f"(True, {narrow}, {wide})"
