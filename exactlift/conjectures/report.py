"""A shareable report of a sweep from a ledger: Markdown or HTML.

Per conjecture: cases, holds, counterexamples, errors, timeouts, crashed; the
slowest cases; every counterexample, linked to its case file when it has one.
By default the report covers each case's latest record.

>>> recs = [{"conjecture": "c", "case": "n=1", "result": "holds", "seconds": 0.5},
...         {"conjecture": "c", "case": "n=2", "result": "timeout", "seconds": 9}]
>>> print(ledger_report(recs, "markdown").splitlines()[6])
| c | 2 | 1 | 0 | 0 | 1 | 0 |
"""

from __future__ import annotations

import html
from typing import Any, Iterable

from exactlift.conjectures.registry import RESULTS
from exactlift.errors import InputError


def _latest(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    last: dict[tuple[str, str], dict[str, Any]] = {}
    for r in records:
        last[(r["conjecture"], r["case"])] = r
    return list(last.values())


def ledger_report(records: Iterable[dict[str, Any]], fmt: str = "markdown", slowest: int = 10) -> str:
    """The report text (``fmt``: ``markdown`` or ``html``) of the latest record of each case."""
    if fmt not in ("markdown", "html"):
        raise InputError(f"report format must be markdown or html, got {fmt!r}")
    recs = _latest(records)
    names = sorted({r["conjecture"] for r in recs})
    head = ["conjecture", "cases"] + list(RESULTS)
    rows = [[n, str(sum(1 for r in recs if r["conjecture"] == n))]
            + [str(sum(1 for r in recs if r["conjecture"] == n and r["result"] == k)) for k in RESULTS] for n in names]
    slow = sorted(recs, key=lambda r: -(r.get("seconds") or 0))[:slowest]
    slow_rows = [[r["conjecture"], r["case"], r["result"], f"{r.get('seconds') or 0:.3f}"] for r in slow]
    cex = [r for r in recs if r["result"] == "counterexample"]
    if fmt == "markdown":
        def table(h: list[str], rs: list[list[str]]) -> list[str]:
            esc = [[c.replace("|", "\\|") for c in row] for row in rs]
            return ["| " + " | ".join(h) + " |", "|" + "---|" * len(h)] + ["| " + " | ".join(r) + " |" for r in esc]

        out = ["# Conjecture sweep report", "", f"{len(recs)} case(s), latest record of each.", ""]
        out += table(head, rows) + ["", "## Slowest cases", ""] + table(["conjecture", "case", "result", "seconds"],
                                                                         slow_rows)
        out += ["", "## Counterexamples", ""]
        for r in cex:
            link = f" ([case file]({r['case_file']}))" if r.get("case_file") else ""
            out.append(f"- {r['conjecture']} [{r['case']}]: {r.get('detail') or ''}{link}")
        if not cex:
            out.append("none")
        return "\n".join(out) + "\n"
    e = html.escape

    def htable(h: list[str], rs: list[list[str]]) -> str:
        return ("<table><tr>" + "".join(f"<th>{e(c)}</th>" for c in h) + "</tr>"
                + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rs) + "</table>")

    items = "".join(f"<li>{e(r['conjecture'])} [{e(r['case'])}]: {e(r.get('detail') or '')}"
                    + (f' (<a href="{e(r["case_file"])}">case file</a>)' if r.get("case_file") else "") + "</li>"
                    for r in cex) or "<li>none</li>"
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Conjecture sweep report</title></head><body>"
            f"<h1>Conjecture sweep report</h1><p>{len(recs)} case(s), latest record of each.</p>"
            + htable(head, rows) + "<h2>Slowest cases</h2>" + htable(["conjecture", "case", "result", "seconds"],
                                                                    slow_rows)
            + f"<h2>Counterexamples</h2><ul>{items}</ul></body></html>\n")


__all__ = ["ledger_report"]
