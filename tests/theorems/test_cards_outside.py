"""The shipped cards work outside the checkout: installed as ``exactlift.proofs``, found from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exactlift.cli import main
from exactlift.theorems.runner import CARD_PATH_ENV, card_directories, find_card, shipped_cards_dir

REPO = Path(__file__).resolve().parents[2]
REPO_CARDS = sorted(p.name for p in (REPO / "proofs").glob("*.py") if not p.name.startswith("_"))

CARD = '''
from exactlift.theorems import step
TITLE = "one is positive"
STATEMENT = r"$1 > 0$"
SOURCE = "exactlift formalization"
def cases():
    return [("one", 1)]
def check(x):
    return [step("x > 0", x > 0)]
'''


def _exactlift(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The console script, run in ``cwd`` (outside the repository), as a user would."""
    code = "import sys; from exactlift.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, stdin=subprocess.DEVNULL, env=env)


def test_the_shipped_cards_are_the_repository_cards():
    assert sorted(p.name for p in shipped_cards_dir().glob("*.py") if not p.name.startswith("_")) == REPO_CARDS
    assert find_card("depth_t3_inertia").samefile(REPO / "proofs" / "depth_t3_inertia.py")
    assert find_card("no_such_card") == Path("no_such_card")  # left to load_card's error


def test_list_and_one_card_from_another_directory(tmp_path):
    assert not str(tmp_path.resolve()).startswith(str(REPO))
    r = _exactlift(tmp_path, "prove", "--list")
    assert r.returncode == 0, r.stderr
    assert sorted(line.split()[0] + ".py" for line in r.stdout.splitlines()) == REPO_CARDS
    r = _exactlift(tmp_path, "prove", "core_critical_points", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ok"] is True


def test_own_directories_by_option_and_environment(tmp_path, capsys):
    mine, more = tmp_path / "mine", tmp_path / "more"
    mine.mkdir(), more.mkdir()
    (mine / "one_positive.py").write_text(CARD)
    (more / "one_positive_again.py").write_text(CARD)
    assert main(["prove", "--all", "--dir", str(mine), "--add-dir", str(more), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [c["card"] for c in doc["cards"]] == ["one_positive", "one_positive_again"]
    dirs = card_directories(environ={CARD_PATH_ENV: f"{mine}{os.pathsep}{more}"})
    assert dirs == [shipped_cards_dir(), mine, more]
    assert card_directories([mine], add=[more, mine]) == [mine, more]


@pytest.mark.slow
def test_prove_all_from_another_directory(tmp_path):
    """The issue's finding: ``exactlift prove --all`` outside the checkout ran no card ("proofs: no such directory")."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "one_positive.py").write_text(CARD)
    env = {**os.environ, CARD_PATH_ENV: str(mine)}
    r = _exactlift(tmp_path, "prove", "--all", "--json", env=env)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    doc = json.loads(r.stdout)
    assert sorted(c["card"] + ".py" for c in doc["cards"]) == sorted(REPO_CARDS + ["one_positive.py"])
    assert all(c["ok"] for c in doc["cards"])
