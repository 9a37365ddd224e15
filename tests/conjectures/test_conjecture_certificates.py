"""Every conjecture outcome is a Certificate: verdicts, computed strengths, the ledger round trip."""

from __future__ import annotations

import json

from exactlift.conjectures import Ledger, conjecture, counterexample, get_conjecture, holds, run_conjectures
from exactlift.conjectures.claims import CRASHED, TIMEOUT, Outcome
from exactlift.conjectures.ledger import certificate_record, code_version, record_certificate
from exactlift.conjectures.registry import REGISTRY, load_builtin
from exactlift.strength import Strength


def test_a_planted_counterexample_gives_holds_false():
    @conjecture(name="t.cert.planted", grid={"n": [1, 2, 3]})
    def planted(n):
        assert n != 2, f"n = {n} is the planted counterexample"
        return holds(f"n = {n}")

    report = run_conjectures(["t.cert.planted"], progress=False)
    cert = report.certificates()["t.cert.planted"]
    assert cert.holds is False
    assert cert.theorem == "t.cert.planted" and cert.scope == "3 cases"
    assert [c.holds for c in cert.children] == [True, False, True]
    assert [c.scope for c in cert.children] == ["n=1", "n=2", "n=3"]
    assert cert.children[1].claim == "t.cert.planted [n=2]"
    assert "planted counterexample" in cert.children[1].detail
    assert cert.data["counts"]["counterexample"] == 1 and cert.data["counts"]["holds"] == 2
    whole = report.certificate()
    assert whole.holds is False and [c.theorem for c in whole.children] == ["t.cert.planted"]
    json.dumps(whole.to_json())  # a JSON view of the whole run


def test_all_cases_holding_give_holds_true():
    @conjecture(name="t.cert.fine", grid={"n": [1, 2]}, strength="symbolic")
    def fine(n):
        return n > 0

    cert = run_conjectures(["t.cert.fine"], progress=False).certificates()["t.cert.fine"]
    assert cert.holds is True and cert.strength == Strength.SYMBOLIC


def test_a_composite_has_the_weakest_strength_of_its_cases():
    @conjecture(name="t.cert.mixed", grid={"k": ["exact", "certified", "numerical"]}, strength="exact")
    def mixed(k):
        return holds(k, strength=None if k == "exact" else k)

    c = get_conjecture("t.cert.mixed")
    cert = c.certificate((key, c.run_case(p)) for key, p in c.cases())
    assert [ch.strength for ch in cert.children] == ["exact", "certified", "numerical"]
    assert cert.strength == Strength.NUMERICAL == min(ch.strength for ch in cert.children)
    assert cert.holds is True  # the verdict is all of theirs; the strength is the weakest
    two = c.certificate([(key, c.run_case(p)) for key, p in c.cases()][:2])
    assert two.strength == Strength.CERTIFIED


def test_undecided_outcomes_give_holds_none_with_the_reason():
    @conjecture(name="t.cert.errors", grid={"n": [1]})
    def errors(n):
        raise RuntimeError("cannot decide")

    c = get_conjecture("t.cert.errors")
    out = c.run_case({"n": 1})
    leaf = out.certificate("t.cert.errors [n=1]", c.strength)
    assert leaf.holds is None and leaf.data == {"result": "error", "reason": "RuntimeError: cannot decide"}
    for result in (TIMEOUT, CRASHED):
        cert = Outcome(result, "the reason", None, 2.0).certificate("slow", "exact")
        assert cert.holds is None and cert.data["result"] == result and cert.data["reason"] == "the reason"
        assert cert.strength == Strength.EXACT and cert.seconds == 2.0  # the conjecture's strength
    assert Outcome(TIMEOUT).certificate("slow").strength == Strength.NUMERICAL  # nothing to go by
    composite = c.certificate([("n=1", out), ("n=2", holds("ok", "exact"))])
    assert composite.holds is None  # an undecided case leaves the conjecture undecided
    planted = c.certificate([("n=1", out), ("n=2", counterexample("no"))])
    assert planted.holds is False  # but one counterexample refutes it


def test_the_ledger_record_round_trips(tmp_path):
    @conjecture(name="t.cert.ledger", grid={"n": [1, 2, 3]}, strength="certified")
    def ledgered(n):
        if n == 3:
            raise ValueError("three")
        return n < 2

    led = Ledger(tmp_path / "ledger.jsonl")
    report = run_conjectures(["t.cert.ledger"], ledger=led, progress=False)
    recs = led.records()
    assert recs == report.records  # the ledger format is unchanged by certificates
    for r, rec, cert in zip(report.results, recs, led.certificates()):
        live = r.certificate("certified")
        assert (cert.claim, cert.holds, cert.strength, cert.scope, cert.detail) == \
            (live.claim, live.holds, live.strength, live.scope, live.detail)
        assert cert.data["result"] == live.data["result"] == rec["result"]
        assert cert.data["run"] == report.run and cert.data["version"] == code_version()
        assert certificate_record(cert) == rec
        assert certificate_record(record_certificate(json.loads(json.dumps(rec)))) == rec
        assert Outcome.from_record(rec) == Outcome(r.outcome.result, r.outcome.detail, r.outcome.strength,
                                                   round(r.outcome.seconds, 6))
    assert [c.holds for c in led.certificates()] == [True, False, None]


def test_the_builtin_library_registers_every_family():
    """The library imports its modules by plain statements: nothing is skipped silently."""
    load_builtin()
    families = {name.split(".")[0] for name in REGISTRY}
    assert {"core", "symmetry", "width"} <= families
    assert {"width.n0_never_decreases", "width.n0_never_decreases_random",
            "symmetry.counts_equal_enumeration"} <= set(REGISTRY)


def test_the_ledger_reads_the_version_without_importing_the_package():
    import ast
    import inspect

    import exactlift
    import exactlift.conjectures.ledger as ledger
    from exactlift.version import __version__

    tree = ast.parse(inspect.getsource(ledger))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "exactlift" not in imported  # no cycle exactlift -> conjectures -> ledger -> exactlift
    assert code_version() == __version__ == exactlift.__version__


def test_run_json_adds_each_conjectures_verdict(tmp_path, capsys):
    from exactlift.cli import main

    claims = tmp_path / "planted.py"
    claims.write_text(
        "from exactlift.conjectures import conjecture\n\n"
        "@conjecture(name='t.cert.cli', grid={'n': [1, 2]}, strength='certified')\n"
        "def small(n):\n"
        "    assert n < 2, f'n = {n}'\n")
    code = main(["conjecture", "run", "t.cert.cli", "--file", str(claims), "--ledger", str(tmp_path / "l.jsonl"),
                 "--no-progress", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    assert {"run", "ok", "seconds", "records", "changes"} <= set(doc)  # the keys that were there stay
    assert doc["conjectures"] == [{"conjecture": "t.cert.cli", "holds": False, "strength": "certified",
                                   "detail": "1 holds, 1 counterexample"}]
