r"""Lifts in LaTeX: a lift's parameter map θ' = Tθ, a depth lift's inserted layer, one lift.

Lifts are duck-typed (anything with ``matrix``, ``latex``, ``lift``): this
module renders them without importing :mod:`exactlift.lifts`.  Parameter maps
with at most :data:`FULL_MAP_LIMIT` non-copy equations are listed in full.

>>> from exactlift.nn.network import Architecture
>>> class Double:
...     def matrix(self, arch):
...         return [[2 if i == j else 0 for j in range(arch.n_params)] for i in range(arch.n_params)]
>>> arch = Architecture.build([1, 1], "identity")
>>> "W'^{[1]}_{0,0} &= 2\\, W^{[1]}_{0,0}" in parameter_map_tex(Double(), arch, arch)
True
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import sympy

from exactlift.latex.document import escape_text, fit_width, matrix_chars, sanitize_latex, tex_matrix, tex_number
from exactlift.latex.network import FULL_MATRIX_LIMIT, matrix_block, tex_param_name
from exactlift.display import lift_words
from exactlift.latex.steps import Fact, steps_list
from exactlift.tex import math_words
from exactlift.nn.case import Case
from exactlift.nn.network import Architecture

#: Parameter maps with at most this many non-copy equations are listed in full.
FULL_MAP_LIMIT = 40


def _lift_matrix(lift: Any, arch: Architecture) -> list[list[Any]] | None:
    make = getattr(lift, "matrix", None)
    if make is None:
        return None
    try:
        T = make(arch)
    except Exception:
        return None
    if isinstance(T, sympy.MatrixBase):
        return [list(T.row(i)) for i in range(T.rows)]
    if hasattr(T, "tolist"):
        return T.tolist()
    return [list(r) for r in T]


def parameter_map_tex(lift: Any, narrow: Architecture, wide: Architecture) -> str:
    """The lift's parameter map θ' = Tθ as one equation per changed parameter."""
    T = _lift_matrix(lift, narrow)
    if T is None:
        return "The lift is not a linear map with a matrix (e.g. an affine depth lift); its effect is shown by the parameters below.\n"
    if len(T) != wide.n_params or (T and len(T[0]) != narrow.n_params):
        return escape_text(f"The lift's matrix has shape {len(T)} x {len(T[0]) if T else 0}.") + "\n"
    eqs, copies = [], 0
    for j, row in enumerate(T):
        terms = [(k, c) for k, c in enumerate(row) if c != 0]
        lhs = tex_param_name(wide, j, prime=True)
        if len(terms) == 1 and terms[0][1] == 1 and wide.param_name(j) == narrow.param_name(terms[0][0]):
            copies += 1
            continue
        rhs = " + ".join(
            (tex_param_name(narrow, k) if c == 1 else
             (f"-{tex_param_name(narrow, k)}" if c == -1 else f"{_coef(c)}\\, {tex_param_name(narrow, k)}"))
            for k, c in terms
        ).replace("+ -", "- ") or "0"
        eqs.append(f"{lhs} &= {rhs}")
    text = (f"The parameter map is linear, $\\theta' = T\\theta$ with $T \\in \\mathbb{{R}}^{{{wide.n_params} \\times {narrow.n_params}}}$. "
            f"{copies} parameter(s) are copied unchanged; the others are\n")
    if not eqs:
        return text.replace("the others are\n", "there are no others.\n")
    shown = eqs if len(eqs) <= FULL_MAP_LIMIT else eqs[:FULL_MAP_LIMIT]
    text += "\\begin{align*}\n" + " \\\\\n".join(shown) + "\n\\end{align*}\n"
    if len(eqs) > len(shown):
        text += f"and {len(eqs) - len(shown)} more equations of the same kind.\n"
    if len(T) <= FULL_MATRIX_LIMIT and narrow.n_params <= FULL_MATRIX_LIMIT:
        text += fit_width("T = " + tex_matrix(T), matrix_chars(T) + 4)
    return text


def _coef(c: Any) -> str:
    s = tex_number(c)
    if isinstance(c, sympy.Basic) and c.is_Add:
        return rf"\left({s}\right)"
    return s


def depth_lift_tex(result: Any) -> str:
    """A depth lift's inserted layer (A, c, B, e), its linear pieces on the data and the (L2) checks.

    ``result`` is the depth module's ``DepthLift`` (anything with ``after_layer``,
    ``A``, ``c``, ``B``, ``e``, ``patterns``, ``shallow``, ``activation``).
    """
    q = result.after_layer
    act = result.activation
    z = sympy.Symbol("t")
    out = [
        f"Insert after layer $q = {q}$ a layer of width $m' = {len(result.A)}$ with activation "
        f"${sympy.latex(act.sympy_function(z)) if act.kind != 'piecewise' or len(act.pieces) > 1 else escape_text(act.spec)}$"
        f" (in $t$), and replace layer ${q + 1}$ by $z = B u + e$:\n",
        "\\[ u = \\sigma\\bigl(A f^{[" + str(q) + "]} + c\\bigr), \\qquad z = B u + e. \\]\n",
    ]
    for name, M in (("A", result.A), ("c", [[v] for v in result.c]), ("B", result.B), ("e", [[v] for v in result.e])):
        out.append(matrix_block(name, [list(r) for r in M]))
    items = []
    for p in result.patterns:
        if p.null:
            items.append(f"\\item neuron {p.index}: a null neuron ($B_{{:,{p.index}}} = 0$), pattern on the data: "
                         f"{interval_tex(p.interval)}")
        else:
            items.append(f"\\item neuron {p.index}: every $t_{{{p.index},i}}$ lies in {interval_tex(p.interval)}, where "
                         f"$\\sigma(t) = {sympy.latex(sympy.Rational(str(p.slope)) * z + sympy.Rational(str(p.intercept)))}$")
    method = str(getattr(result, "l1_method", "")).removeprefix("training data").strip(" ()") or "exact"
    out.append("(L1), every inserted neuron on one linear piece over the training data (decided: "
               + math_words(method) + "):\n"
               "\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}\n")
    # (L2), recomputed here exactly
    shallow = result.shallow
    W = shallow.params.W[q].tolist()
    b = shallow.params.b[q].tolist() if shallow.params.b[q] is not None else None
    slopes = {p.index: (p.slope, p.intercept) for p in result.patterns if not p.null}
    m_out, m_new, m_in = len(result.B), len(result.A), len(result.A[0])
    BDA = [[sum((Fraction(result.B[i][k]) * slopes[k][0] * Fraction(result.A[k][j]) for k in slopes), Fraction(0))
             for j in range(m_in)] for i in range(m_out)]
    ok_w = all(BDA[i][j] == Fraction(str(W[i][j])) for i in range(m_out) for j in range(m_in))
    facts = [Fact("L2 W", ok_w, latex=rf"$B D A = W^{{[{q + 1}]}}$ (exact)" if ok_w else rf"$B D A \ne W^{{[{q + 1}]}}$")]
    if b is not None:
        inner = [slopes[k][0] * Fraction(result.c[k]) + slopes[k][1] if k in slopes else None for k in range(m_new)]
        rhs = [sum((Fraction(result.B[i][k]) * inner[k] for k in slopes), Fraction(0)) + Fraction(result.e[i])
               for i in range(m_out)]
        ok_b = all(rhs[i] == Fraction(str(b[i])) for i in range(m_out))
        facts.append(Fact("L2 b", ok_b, latex=rf"$B(Dc + \gamma) + e = b^{{[{q + 1}]}}$ (exact)" if ok_b
                          else rf"$B(Dc + \gamma) + e \ne b^{{[{q + 1}]}}$"))
    out.append("(L2), recomputed exactly:\n" + steps_list(facts))
    return "".join(out)


def interval_tex(text: str) -> str:
    r"""An interval written as text (``(0, inf)``, ``[-1, 1]``) as math: ``$(0, \infty)$``.

    >>> print(interval_tex("(0, inf)"), interval_tex("(-inf, -1/2]"))
    $(0, \infty)$ $(-\infty, - \frac{1}{2}]$
    """
    m = re.fullmatch(r"\s*([(\[])\s*([^,]+?)\s*,\s*([^,]+?)\s*([)\]])\s*", str(text))
    if not m:
        return math_words(text)

    def end(v: str) -> str:
        v = v.strip()
        if v in ("inf", "+inf", "oo"):
            return r"\infty"
        if v in ("-inf", "-oo"):
            return r"-\infty"
        try:
            return tex_number(Fraction(v))
        except (ValueError, ZeroDivisionError):
            return escape_text(v)

    return f"${m.group(1)}{end(m.group(2))}, {end(m.group(3))}{m.group(4)}$"


def lift_tex(lift: Any, narrow: Case, wide: Case) -> str:
    """One lift: its description, its parameter map (or inserted layer), the network it produces."""
    words = escape_text(lift_words(str(lift))).replace("A = I", "$A = I$")
    out = [f"\\textbf{{Lift:}} {words}"]
    tex = getattr(lift, "latex", None)
    if callable(tex) and hasattr(lift, "matrix"):
        try:
            out.append(f" \\quad ${sanitize_latex(tex())}$")
        except Exception:  # a lift's own rendering is optional
            pass
    out.append(".\n\n")
    # the lift as exactlift writes it stays in the source as a comment (not in the typeset text)
    out.append(f"% exactlift lift: {' '.join(str(lift).split())}\n")
    out.append(f"Narrow network: widths ${_widths_tex(narrow.arch)}$ ({narrow.arch.n_params} parameters); "
               f"wide network: widths ${_widths_tex(wide.arch)}$ ({wide.arch.n_params} parameters).\n\n")
    if hasattr(lift, "lift") and not hasattr(lift, "matrix"):
        try:
            out.append(depth_lift_tex(lift.lift(narrow)))
            return "".join(out)
        except Exception as exc:  # fall back to the generic text
            out.append(escape_text(f"(inserted layer not rendered: {exc})") + "\n\n")
    out.append(parameter_map_tex(lift, narrow.arch, wide.arch))
    return "".join(out)


def _widths_tex(arch: Architecture) -> str:
    """The widths as math: ``(1, 2, 1)``."""
    return "(" + ", ".join(str(w) for w in arch.widths) + ")"


def certified_checks_tex(checks: Any) -> str:
    r"""Theorem checks (certificates) as a list; a certified one shows the radius of its box.

    Each item is the check's :meth:`~exactlift.certify.Certificate.to_latex`; when its ``data`` has a
    ``radius`` (a check run at a certified critical point, docs/certified.md) the item ends with
    "box radius $r$".

    >>> from exactlift.certify import Certificate
    >>> c = Certificate("T2 criticality", True, "certified", data={"radius": "7.8e-39"})
    >>> "box radius $7.8 \\cdot 10^{-39}$" in certified_checks_tex([c])
    True
    """
    items = []
    for c in checks:
        text = c.to_latex()
        r = (getattr(c, "data", None) or {}).get("radius")
        if r and str(getattr(c, "strength", "")) == "certified":
            m, _, e = str(r).partition("e")
            text += f" (box radius ${m}" + (f" \\cdot 10^{{{int(e)}}}" if e else "") + "$)"
        items.append(r"  \item " + text)
    return "\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}\n" if items else ""
