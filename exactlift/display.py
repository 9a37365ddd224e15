"""Rich display: how exactlift's results show themselves in Jupyter, and the figures' matplotlib.

IPython asks an object for ``_repr_mimebundle_`` (or ``_repr_html_``,
``_repr_latex_``); :class:`~exactlift.certify.Certificate`,
:class:`~exactlift.analysis.Analysis`, the lifts
(:class:`~exactlift.lifts.base.Lift`), the cards' results
(:class:`~exactlift.theorems.runner.CardResult`) and the conjecture run
reports (:class:`~exactlift.conjectures.runner.RunReport`) answer by calling
the functions of this module, so that every view is rendered in one place:

* ``text/plain``: the object's own one-line or report text;
* ``text/html``: what a notebook shows (a verdict mark, the strength, tables;
  long exact numbers shortened to a decimal, the exact value in the tooltip);
* ``text/latex``: a paste-ready fragment (``nbconvert --to latex`` uses it):
  math in ``$…$`` where the object is a formula, the certificate's
  ``to_latex()`` text where it is a statement.

This module works on the objects' public attributes only (it sits below the
layers whose classes it renders, see docs/architecture.md) and imports
matplotlib only inside :func:`pyplot`.

>>> short_number("11835741410854517117394030436481766174143/30592031685653177370866524286784316805289")
'0.386890'
>>> short_number("1/4"), short_number("(1, 0, 6)")
('1/4', '(1, 0, 6)')
>>> print(table_html(["a", "b"], [["1", "<2>"]]))
<table class="exactlift"><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>&lt;2&gt;</td></tr></tbody></table>
"""

from __future__ import annotations

import html
import re
from decimal import Context as DecimalContext
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterable, Mapping, Sequence

from exactlift.errors import ExactliftError

__all__ = [
    "analysis_bundle",
    "bundle",
    "card_result_bundle",
    "certificate_bundle",
    "certificate_html",
    "lift_bundle",
    "number_html",
    "pyplot",
    "report_html",
    "run_report_bundle",
    "short_number",
    "table_html",
]

#: Exact numbers with more characters than this are shown as a short decimal (the exact value on hover).
LONG_NUMBER = 16

_RATIONAL = re.compile(r"^-?\d+(/\d+)?$")

#: verdict -> (mark, colour) of the HTML views
_MARKS = {True: ("✓", "#1a7f37"), False: ("✗", "#cf222e"), None: ("?", "#6e7781")}


def short_number(text: str, digits: int = 6) -> str:
    """A long exact rational (``p/q`` or an integer) as a decimal with ``digits`` significant digits; else ``text``."""
    text = str(text).strip()
    if len(text) <= LONG_NUMBER or not _RATIONAL.match(text):
        return text
    q = Fraction(text)
    return str(DecimalContext(prec=digits).divide(Decimal(q.numerator), Decimal(q.denominator)))


def number_html(text: str) -> str:
    """An exact number for HTML: short, with the exact value as the tooltip when it was shortened."""
    short = short_number(text)
    if short == str(text).strip():
        return html.escape(short)
    return f'<span title="{html.escape(str(text))}">≈ {html.escape(short)}</span>'


def table_html(header: Sequence[str] | None, rows: Iterable[Sequence[str]], raw: bool = False) -> str:
    """An HTML table; cells are escaped unless ``raw`` (cells already HTML)."""
    cell = (lambda c: str(c)) if raw else (lambda c: html.escape(str(c)))
    head = ""
    if header:
        head = "<thead><tr>" + "".join(f"<th>{cell(h)}</th>" for h in header) + "</tr></thead>"
    body = "".join("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="exactlift">{head}<tbody>{body}</tbody></table>'


def _mark(holds: bool | None) -> str:
    mark, colour = _MARKS[holds]
    return f'<b style="color:{colour}">{mark}</b>'


def bundle(plain: str, html_text: str | None = None, latex: str | None = None,
           include: Any = None, exclude: Any = None) -> dict[str, str]:
    """The ``_repr_mimebundle_`` answer: the given views, filtered by IPython's ``include``/``exclude``.

    >>> sorted(bundle("x", "<b>x</b>", "$x$", exclude={"text/latex"}))
    ['text/html', 'text/plain']
    """
    out = {"text/plain": plain}
    if html_text is not None:
        out["text/html"] = html_text
    if latex is not None:
        out["text/latex"] = latex
    if include:
        out = {k: v for k, v in out.items() if k in include}
    if exclude:
        out = {k: v for k, v in out.items() if k not in exclude}
    return out


# -- certificates ---------------------------------------------------------------------------------

def certificate_html(cert: Any, depth: int = 0) -> str:
    """A certificate as nested HTML: mark, claim, verdict, strength, scope, detail; its parts below.

    >>> from exactlift.certify import Certificate
    >>> c = Certificate.combine("both", [Certificate("a", True, "exact"), Certificate("b", None, "certified")])
    >>> "<li>" in certificate_html(c), "certified" in certificate_html(c)
    (True, True)
    """
    head = f"{cert.theorem} {cert.claim}" if getattr(cert, "theorem", "") else cert.claim
    parts = [_mark(cert.holds), f"<b>{html.escape(head)}</b>:", html.escape(cert.verdict),
             f"<i>[{html.escape(str(cert.strength))}]</i>"]
    if cert.scope:
        parts.append(f'<span style="color:#6e7781">{html.escape(cert.scope)}</span>')
    if cert.detail:
        parts.append("— " + html.escape(cert.detail))
    text = " ".join(parts)
    if cert.children:
        text += "<ul>" + "".join(f"<li>{certificate_html(c, depth + 1)}</li>" for c in cert.children) + "</ul>"
    return f'<div class="exactlift-certificate">{text}</div>' if depth == 0 else text


def certificate_bundle(cert: Any, include: Any = None, exclude: Any = None) -> dict[str, str]:
    """:class:`~exactlift.certify.Certificate`: its line, the nested HTML, its ``to_latex()`` fragment."""
    return bundle(cert.line(), certificate_html(cert), cert.to_latex(), include, exclude)


# -- reports --------------------------------------------------------------------------------------

def report_html(title: str, lines: Iterable[str], holds: bool | None = None) -> str:
    """A ``key: value`` text report as a two-column table (values that are exact numbers shortened)."""
    rows = []
    for line in lines:
        key, sep, value = line.partition(":")
        if not sep:
            rows.append(["", html.escape(line)])
            continue
        value = value.strip()
        rows.append([html.escape(key.strip()), number_html(value) if _RATIONAL.match(value) else html.escape(value)])
    mark = _mark(holds) + " " if holds is not None or title else ""
    return f"<div><p>{mark}<b>{html.escape(title)}</b></p>{table_html(None, rows, raw=True)}</div>"


def _latex_equals(text: str) -> str:
    """``= value`` in math (``\\approx`` and a short decimal for a long exact number)."""
    text = str(text)
    if not _RATIONAL.match(text):
        return r"= \text{" + text.replace("_", r"\_") + "}"
    if len(text) > LONG_NUMBER:
        return r"\approx " + short_number(text)
    if "/" in text:
        num, den = text.split("/")
        sign = "-" if num.startswith("-") else ""
        return rf"= {sign}\frac{{{num.lstrip('-')}}}{{{den}}}"
    return "= " + text


def analysis_bundle(a: Any, include: Any = None, exclude: Any = None) -> dict[str, str]:
    """:class:`~exactlift.analysis.Analysis`: its report as a table; the loss, criticality and inertia as math."""
    title = a.case.name or a.case.arch.describe()
    html_text = report_html(title, a.report().splitlines(), a.critical)
    crit = {True: r"\nabla R(\theta) = 0", False: r"\nabla R(\theta) \neq 0", None: r"\nabla R(\theta) \overset{?}{=} 0"}
    inertia = r"\text{not decided}" if a.inertia is None else "({}, {}, {})".format(*a.inertia)
    latex = (rf"$R(\theta) {_latex_equals(a.loss)},\quad {crit[a.critical]},\quad "
             rf"(n_-, n_0, n_+) = {inertia}\quad \text{{[{a.strength}]}}$")
    return bundle(a.report(), html_text, latex, include, exclude)


def lift_bundle(lift: Any, include: Any = None, exclude: Any = None) -> dict[str, str]:
    """A lift (:class:`~exactlift.lifts.base.Lift`): its text form, its kind, and ``latex()`` in math mode."""
    html_text = f"<code>{html.escape(str(lift))}</code> <i>({html.escape(type(lift).__name__)})</i>"
    return bundle(str(lift), html_text, f"${lift.latex()}$", include, exclude)


def card_result_bundle(result: Any, include: Any = None, exclude: Any = None) -> dict[str, str]:
    """A card's run (:class:`~exactlift.theorems.runner.CardResult`): the theorem, its source, a row per case."""
    card = result.card
    rows = [[c.name, _mark(c.ok) + " " + html.escape(c.result), html.escape(str(c.strength)), f"{c.seconds:.2f} s",
             html.escape(c.message)] for c in result.cases]
    head = (f"<p>{_mark(result.ok)} <b>{html.escape(card.title)}</b> "
            f"<i>[{html.escape(str(result.strength))}; {html.escape(card.source)}]</i></p>"
            f"<p>{html.escape(card.statement)}</p>")
    if result.setup_error:
        head += f"<p>cannot build the cases: {html.escape(result.setup_error)}</p>"
    weak = f"; claims {result.claimed_strength}, computed {result.strength}" if result.too_weak else ""
    foot = f"<p>{sum(c.ok for c in result.cases)}/{result.n_cases} case(s) passed in {result.seconds:.2f} s{weak}</p>"
    html_text = "<div>" + head + table_html(["case", "result", "strength", "time", "message"], rows, raw=True) + foot + "</div>"
    plain = f"{card.name}: {result.result} ({result.n_cases} cases, {result.strength}, {result.seconds:.2f} s)"
    return bundle(plain, html_text, result.certificate().to_latex(), include, exclude)


def run_report_bundle(report: Any, include: Any = None, exclude: Any = None) -> dict[str, str]:
    """A conjecture run (:class:`~exactlift.conjectures.runner.RunReport`): counts per conjecture, then each failing case."""
    names = list(dict.fromkeys(r.conjecture for r in report.results))
    kinds = ("holds", "counterexample", "error", "timeout", "crashed")
    rows = []
    for name in names:
        counts: Mapping[str, int] = report.counts(name)
        bad = sum(v for k, v in counts.items() if k != "holds")
        rows.append([_mark(bad == 0), html.escape(name), str(sum(counts.values()))] + [str(counts.get(k, 0)) for k in kinds])
    failing = report.failing
    items = "".join(f"<li>{html.escape(r.conjecture)} [{html.escape(r.case)}]: {html.escape(r.outcome.result)}: "
                    f"{html.escape(str(r.outcome.detail or ''))}</li>" for r in failing[:50])
    more = f"<p>… and {len(failing) - 50} more in the ledger</p>" if len(failing) > 50 else ""
    html_text = (f"<div><p><b>conjecture run {html.escape(report.run)}</b>: {len(report.results)} case(s) in "
                 f"{report.seconds:.2f} s</p>" + table_html(["", "conjecture", "cases", *kinds], rows, raw=True)
                 + (f"<p>failing cases:</p><ul>{items}</ul>{more}" if failing else "") + "</div>")
    plain = f"conjecture run {report.run}: {len(report.results)} case(s), {len(failing)} not holding"
    return bundle(plain, html_text, report.certificate().to_latex(), include, exclude)


# -- figures --------------------------------------------------------------------------------------

def pyplot() -> Any:
    """matplotlib's ``pyplot`` with the file backend (Agg), imported only when a figure is drawn.

    Raises :class:`~exactlift.errors.ExactliftError` naming the ``[plots]`` extra when matplotlib is missing.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ExactliftError("plotting needs matplotlib; install it with: pip install 'exactlift[plots]'") from None
    return plt
