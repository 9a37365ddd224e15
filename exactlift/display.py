"""How numbers and formulas read in human-readable output: short decimals, math as math.

Long exact rationals are printed as a 6-significant-digit decimal marked ``≈``
(the exact value stays in ``--json``, and ``--exact-digits N`` prints rationals
of up to N digits in full); Python syntax (``z**2``, ``2*z``) is shown as math
(``z²``, ``2z``).

The same module renders every result for Jupyter: IPython asks an object for
``_repr_mimebundle_`` (or ``_repr_html_``, ``_repr_latex_``);
:class:`~exactlift.certify.Certificate`, :class:`~exactlift.analysis.Analysis`,
the lifts (:class:`~exactlift.lifts.base.Lift`), the cards' results
(:class:`~exactlift.theorems.runner.CardResult`) and the conjecture run reports
(:class:`~exactlift.conjectures.runner.RunReport`) answer with the ``*_bundle``
functions below: ``text/plain`` (the object's own text), ``text/html`` (what a
notebook shows: a verdict mark, the strength, tables, long exact numbers short
with the exact value on hover) and ``text/latex`` (a paste-ready fragment, used
by ``nbconvert --to latex``).  These work on the objects' public attributes
only (this module sits below the layers whose classes it renders), and
:func:`pyplot` imports matplotlib only when a figure is drawn.

>>> short_rational("11835741410854517117394030436481766174143/30592031685653177370866524286784316805289")
'≈ 0.38689'
>>> short_rational("3/4")
'3/4'
>>> math_text("z/(1 + z**2)")
'z/(1 + z²)'
>>> shorten_rationals("loss 123456789012345678901234567/3 and 1/2", 20)
'loss ≈ 4.11523e+25 and 1/2'
"""

from __future__ import annotations

import html
import re
from fractions import Fraction
from typing import Any, Iterable, Mapping, Sequence

from exactlift.errors import ExactliftError, OutputError

__all__ = ["DEFAULT_EXACT_DIGITS", "short_rational", "shorten_rationals", "math_text", "decimal", "present", "lift_words", "coprime_direction",
           "analysis_bundle", "bundle", "card_result_bundle", "certificate_bundle", "certificate_html", "lift_bundle",
           "number_html", "pyplot", "report_html", "run_report_bundle", "table_html"]

#: Rationals with at most this many characters are printed in full.
DEFAULT_EXACT_DIGITS = 20

_RATIONAL = re.compile(r"(?<![\w.])-?\d+(?:/\d+)?(?![\w.])")
_SUPER = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def decimal(x: Fraction, significant: int = 6) -> str:
    """A rational as a decimal with ``significant`` digits (``%g`` style, exact rounding).

    >>> decimal(Fraction(2, 3))
    '0.666667'
    >>> decimal(Fraction(-10**30, 7))
    '-1.42857e+29'
    """
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    x = abs(x)
    exp = len(str(x.numerator)) - len(str(x.denominator))
    if Fraction(10) ** exp > x:
        exp -= 1
    mant = round(x / Fraction(10) ** (exp - significant + 1))
    if mant >= 10 ** significant:
        mant //= 10
        exp += 1
    digits = str(mant)
    if -4 <= exp < significant:
        if exp >= 0:
            text = digits[: exp + 1] + ("." + digits[exp + 1:] if digits[exp + 1:] else "")
        else:
            text = "0." + "0" * (-exp - 1) + digits
        return sign + _trim(text)
    return f"{sign}{_trim(digits[0] + '.' + digits[1:])}e{exp:+03d}"


def _trim(text: str) -> str:
    """Trailing zeros of a fractional part dropped (and the point when nothing is left)."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def short_rational(text: str, exact_digits: int = DEFAULT_EXACT_DIGITS) -> str:
    """``p/q`` (or an integer) in full when at most ``exact_digits`` characters, else ``≈ decimal``."""
    text = str(text).strip()
    if len(text.lstrip("-")) <= exact_digits:
        return text
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        return text
    return "≈ " + decimal(value)


_DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d+(?:e[+-]?\d+)?(?![\w.])")


def shorten_rationals(text: str, exact_digits: int = DEFAULT_EXACT_DIGITS) -> str:
    """Every long rational in a text replaced by its short decimal (see :func:`short_rational`);
    long (mp) decimals are cut to 6 significant digits the same way.

    >>> shorten_rationals("loss 0.38688968200844126224578245592393089880057970214519")
    'loss ≈ 0.38689'
    """
    text = _DECIMAL.sub(lambda m: m.group() if len(m.group()) <= exact_digits
                        else "≈ " + decimal(Fraction(m.group())), text)
    return _RATIONAL.sub(lambda m: short_rational(m.group(), exact_digits), text)


def math_text(expr: object) -> str:
    """A SymPy string as math: powers as superscripts, ``2*z`` as ``2z``, other products as ``·``.

    >>> math_text("2*z**3 - exp(-z)*z")
    '2z³ - exp(-z)·z'
    >>> math_text("a critical point θ* within radius 1e-40")
    'a critical point θ* within radius 1e-40'
    """
    s = str(expr)
    s = re.sub(r"\*\*(-?\d+)", lambda m: m.group(1).translate(_SUPER), s)
    s = re.sub(r"\*\*", "^", s)
    s = re.sub(r"(?<![\w.])(\d+)\*(?=[A-Za-z(])", r"\1", s)
    return re.sub(r"(?<=[\w)\]])\*(?=[\w(])", "·", s)  # a product; θ* (a starred name) stays


_WORDS = (("dR/dtheta", "∂R_S/∂θ"), ("(n-, n0, n+)", "(n₋, n₀, n₊)"), ("ker J^T", "ker Jᵀ"), ("w^T H", "wᵀ H"),
          ("T^T", "Tᵀ"), ("grad R", "∇R"), ("f_wide(T theta, x)", "f_wide(Tθ, x)"), (">= 0", "⪰ 0"),
          ("H_narrow", "H"), ("inf)", "∞)"))
_GREEK = re.compile(r"\b(theta|sigma)\b")  # alpha stays a word: "alpha = 2" is what users type
_GREEK_LETTERS = {"theta": "θ", "sigma": "σ"}

_LIFTS = (
    (re.compile(r"\bodd-split\(layer=(\d+), neuron=(\d+), alpha=([^)]+)\)"),
     r"sign-flip split of neuron \2 of hidden layer \1 (α = \3)"),
    (re.compile(r"\bsplit\(layer=(\d+), neuron=(\d+), alpha=([^)]+)\)"), r"split of neuron \2 of hidden layer \1 (α = \3)"),
    (re.compile(r"\bnull\(layer=(\d+)\)"), r"a null neuron added to hidden layer \1"),
    (re.compile(r"\bpermute\(layer=(\d+), perm=([\d,]+)\)"), r"permutation (\2) of hidden layer \1"),
    (re.compile(r"\binsert\(after_layer=(\d+), identity(?:, width=(\d+))?(?:, shift=([^,)]+))?, activation=([^,)]+(?:\([^)]*\))?)\)"),
     lambda m: f"a {m.group(4)} layer with A = I inserted after layer {m.group(1)}"
               + (f" (width {m.group(2)})" if m.group(2) else "") + (f", c = {m.group(3)}·1" if m.group(3) else "")),
    (re.compile(r"\binsert\(after_layer=(\d+), width=(\d+), activation=([^,)]+(?:\([^)]*\))?)(?:, null=\[([\d, ]*)\])?\)"),
     lambda m: f"a {m.group(2)}-neuron {m.group(3)} layer inserted after layer {m.group(1)}"
               + (f", null neuron(s) {m.group(4)}" if m.group(4) else "")),
)


def lift_words(text: str) -> str:
    """Lift descriptions (``split(layer=1, neuron=0, alpha=1/3)``) in words, the rest unchanged.

    >>> lift_words("split(layer=1, neuron=0, alpha=1/3)")
    'split of neuron 0 of hidden layer 1 (α = 1/3)'
    >>> lift_words("insert(after_layer=1, identity, activation=relu)")
    'a relu layer with A = I inserted after layer 1'
    >>> lift_words("compose(null(layer=1), permute(layer=1, perm=1,0))")
    'a null neuron added to hidden layer 1, then permutation (1,0) of hidden layer 1'
    """
    for pattern, repl in _LIFTS:
        text = pattern.sub(repl, text)
    while True:
        m = re.search(r"\bcompose\(", text)
        if not m:
            return text
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        inner = text[m.end(): i - 1]
        text = text[: m.start()] + _split_top(inner) + text[i:]


def _split_top(inner: str) -> str:
    """The lifts of a composition (already in words) joined by ``, then``."""
    return re.sub(r"(?<=\d|\))\s*,\s+(?=(split|sign-flip|a |permutation))", ", then ", inner.strip())


def present(text: str, exact_digits: int = DEFAULT_EXACT_DIGITS) -> str:
    """A report as a reader wants it: math as math (:func:`math_text`), long rationals short.

    >>> present("max |dR/dtheta| = 0; activation(s) z/(1 + z**2)")
    'max |∂R_S/∂θ| = 0; activation(s) z/(1 + z²)'
    """
    text = lift_words(math_text(text))
    for old, new in _WORDS:
        text = text.replace(old, new)
    text = _GREEK.sub(lambda m: _GREEK_LETTERS[m.group(1)], text)
    return shorten_rationals(text, exact_digits).replace("= ≈ ", "≈ ")


def coprime_direction(v: "list[object] | tuple[object, ...]") -> tuple[list[int], Fraction]:
    """A rational direction as coprime integers: ``(w, c)`` with ``w = c·v``, ``c > 0``, gcd(w) = 1.

    A direction of negative curvature stays one when scaled, and ``wᵀHw = c² vᵀHv``.

    >>> coprime_direction(["1/3", "-2/9", 0])
    ([3, -2, 0], Fraction(9, 1))
    """
    from math import gcd, lcm

    fr = [Fraction(str(x)) for x in v]
    den = lcm(*(x.denominator for x in fr)) if fr else 1
    ints = [int(x * den) for x in fr]
    g = gcd(*ints) if any(ints) else 1
    g = g or 1
    return [i // g for i in ints], Fraction(den, g)


# -- notebook views ---------------------------------------------------------------------------------

#: Exact numbers with more characters than this are shown as a short decimal (the exact value on hover).
LONG_NUMBER = 16

_EXACT_NUMBER = re.compile(r"^-?\d+(/\d+)?$")

#: verdict -> (mark, colour) of the HTML views
_MARKS = {True: ("✓", "#1a7f37"), False: ("✗", "#cf222e"), None: ("?", "#6e7781")}


def number_html(text: str) -> str:
    """An exact number for HTML: short, with the exact value as the tooltip when it was shortened."""
    short = short_rational(text, LONG_NUMBER)
    if short == str(text).strip():
        return html.escape(short)
    return f'<span title="{html.escape(str(text))}">{html.escape(short)}</span>'


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
    """A ``key: value`` text report as a two-column table (exact numbers shortened, the rest :func:`present`-ed)."""
    rows = []
    for line in lines:
        key, sep, value = line.partition(":")
        if not sep:
            rows.append(["", html.escape(line)])
            continue
        value = value.strip()
        rows.append([html.escape(key.strip()),
                     number_html(value) if _EXACT_NUMBER.match(value) else html.escape(present(value))])
    mark = _mark(holds) + " " if holds is not None or title else ""
    return f"<div><p>{mark}<b>{html.escape(title)}</b></p>{table_html(None, rows, raw=True)}</div>"


def _latex_equals(text: str) -> str:
    """``= value`` in math (``\\approx`` and a short decimal for a long exact number)."""
    text = str(text)
    if not _EXACT_NUMBER.match(text):
        return r"= \text{" + text.replace("_", r"\_") + "}"
    if len(text) > LONG_NUMBER:
        return r"\approx " + decimal(Fraction(text))
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

def rich_display(render: Any) -> Any:
    """Class decorator: Jupyter views of the class's objects from ``render(obj, include, exclude)``, a
    function of this module returning a MIME bundle (``text/plain``, ``text/html``, ``text/latex``).

    >>> @rich_display(lambda obj, include=None, exclude=None: bundle("x", "<b>x</b>", "$x$"))
    ... class X: pass
    >>> X()._repr_latex_(), "text/html" in X()._repr_mimebundle_()
    ('$x$', True)
    """
    def decorate(cls: Any) -> Any:
        cls._repr_mimebundle_ = lambda self, include=None, exclude=None: render(self, include, exclude)
        cls._repr_html_ = lambda self: render(self)["text/html"]
        cls._repr_latex_ = lambda self: render(self)["text/latex"]
        return cls

    return decorate


def save_figure(fig: Any, path: Any) -> None:
    """Write a matplotlib figure (dpi 110) and close it; an unwritable path is an :class:`OutputError`."""
    plt = pyplot()
    try:
        fig.savefig(path, dpi=110)
    except OSError as exc:
        raise OutputError(f"cannot write the plot to {path}: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)


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
