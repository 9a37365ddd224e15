r"""LaTeX derivations rendered from exactlift's own objects.

Everything here takes the objects the computations use (an
:class:`~exactlift.nn.case.Case`, the :class:`~exactlift.calculus.backprop.Derivatives`,
a lift, a :class:`~exactlift.theorems.runner.CardResult`) and returns LaTeX
text; :func:`case_document` and :func:`card_document` assemble standalone
documents (see :mod:`exactlift.latex.document`).

Big objects stay readable: matrices up to :data:`FULL_MATRIX_LIMIT` rows and
columns are printed in full (shrunk to the line width when wide), larger ones
are summarized (size, non-zeros, inertia, a witness vector).

>>> from exactlift.nn.network import Architecture
>>> tex_param_name(Architecture.build([1, 2, 1], "relu"), 4)
'W^{[2]}_{0,0}'
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, Sequence

import numpy as np
import sympy

from exactlift.arith.contexts import get_context, parse_rational
from exactlift.latex.document import (
    Document,
    escape_text,
    fit_width,
    matrix_chars,
    sanitize_latex,
    tex_matrix,
    number_width,
    tex_number,
    tex_short,
    eq_short,
)
from exactlift.nn.case import Case
from exactlift.nn.network import Architecture

#: How the inertia was obtained, per strength (printed under it).
INERTIA_HOW = {
    "exact": "(exact: characteristic polynomial and Descartes' rule of signs, or an exact $LDL^\\top$ congruence; "
             "no eigenvalue is computed).",
    "numerical": "(numerical: pivoted elimination in mpmath with a zero tolerance; finds, does not prove).",
    "certified": "(certified: pivoted congruence in ball arithmetic, every pivot ball excludes $0$).",
}

#: Matrices with at most this many rows and columns are shown in full.
FULL_MATRIX_LIMIT = 12
#: Entries longer than this many characters make a matrix print as its sign pattern.
FULL_ENTRY_DIGITS = 14
#: Data sets with at most this many points are listed in full.
FULL_DATA_LIMIT = 24
#: Parameter maps with at most this many non-copy equations are listed in full.
FULL_MAP_LIMIT = 40

_NAME = re.compile(r"^([Wb])\[(\d+)\]\[(\d+)(?:,(\d+))?\]$")


def tex_param_name(arch: Architecture, index: int, prime: bool = False) -> str:
    """LaTeX name of a flat parameter: ``W^{[l]}_{j,k}`` or ``b^{[l]}_{j}`` (``prime``: W')."""
    m = _NAME.match(arch.param_name(index))
    assert m is not None
    kind, layer, row, col = m.groups()
    head = kind + ("'" if prime else "")
    sub = f"{row},{col}" if col is not None else row
    return f"{head}^{{[{layer}]}}_{{{sub}}}"


def _stat_table(rows: Sequence[tuple[str, str]]) -> str:
    body = "\n".join(f"{a} & {b} \\\\" for a, b in rows)
    return "\\begin{tabular}{@{}ll@{}}\n" + body + "\n\\end{tabular}\n"


def _checkmark(ok: bool) -> str:
    return r"$\checkmark$" if ok else r"\textbf{fails}"


_LONG_DIGITS = re.compile(r"\d{25,}")


def abbreviate_numbers(text: str) -> str:
    """Digit runs of 25 or more shortened to ``1234567890…(41 digits)`` (plain text; JSON keeps them).

    >>> abbreviate_numbers("R = " + "7" * 40 + "/3")
    'R = 7777777777…(40 digits)/3'
    """
    return _LONG_DIGITS.sub(lambda m: f"{m.group()[:10]}…({len(m.group())} digits)", text)


def steps_list(steps: Sequence[Any]) -> str:
    """Verification steps (anything with ``claim``, ``ok``, ``detail``, ``latex``) as an itemize."""
    if not steps:
        return ""
    items = []
    for s in steps:
        claim = s.latex if getattr(s, "latex", "") else escape_text(abbreviate_numbers(s.claim))
        detail = f" ({escape_text(abbreviate_numbers(s.detail))})" if getattr(s, "detail", "") else ""
        items.append(f"\\item {_checkmark(s.ok)} {claim}{detail}")
    return "\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}\n"


class Fact:
    """A verification step of a rendered derivation (same fields as a card's Step)."""

    def __init__(self, claim: str, ok: bool, detail: str = "", latex: str = "") -> None:
        self.claim, self.ok, self.detail, self.latex = claim, bool(ok), detail, latex


# ---------------------------------------------------------------------------
# network, data, loss
# ---------------------------------------------------------------------------


def activation_tex(act: Any, l: int) -> str:
    """``\\sigma_l(z) = …`` for one hidden layer's activation."""
    z = sympy.Symbol("z")
    if act.kind == "undefined":
        return rf"\sigma_{{{l}}} = \sigma \text{{ (an undefined function: every activation)}}"
    return rf"\sigma_{{{l}}}(z) = " + sympy.latex(act.sympy_function(z))


def network_tex(arch: Architecture, params: Any = None, prime: bool = False) -> str:
    """The network's definition: widths, layer equations, activations and (optionally) θ."""
    L = arch.n_layers
    p = "'" if prime else ""
    widths = ", ".join(f"m_{{{k}}} = {w}" for k, w in enumerate(arch.widths))
    out = [f"Widths ${widths}$ ($L = {L}$ layers with weights, {arch.n_params} parameters; "
           f"biases: {escape_text(', '.join('yes' if b else 'no' for b in arch.biases))}).\n"]
    eqs = [r"f^{[0]}(x) &= x,", rf"z^{{[l]}} &= W{p}^{{[l]}} f^{{[l-1]}} + b{p}^{{[l]}} \quad (1 \le l \le L),"]
    if arch.n_hidden:
        eqs.append(rf"f^{{[l]}} &= \sigma_l\bigl(z^{{[l]}}\bigr) \quad (1 \le l \le {L - 1}),")
    eqs.append(rf"f_{{\theta{p}}}(x) &= z^{{[{L}]}}.")
    out.append("\\begin{align*}\n" + "\n\\\\\n".join(eqs) + "\n\\end{align*}\n")
    if arch.n_hidden:
        acts = [activation_tex(a, l + 1) for l, a in enumerate(arch.activations)]
        out.append("\\begin{align*}\n" + " \\\\\n".join(acts) + "\n\\end{align*}\n")
    if params is not None:
        out.append(params_tex(arch, params, prime))
    return "".join(out)


def _block(name: str, M: Any) -> str:
    rows = M.tolist() if hasattr(M, "tolist") else M
    r = len(rows)
    c = len(rows[0]) if r and isinstance(rows[0], list) else 1
    if max(r, c) > FULL_MATRIX_LIMIT:
        flat = [v for row in rows for v in (row if isinstance(row, list) else [row])]
        nz = sum(1 for v in flat if v != 0)
        return f"\\[ {name} \\in \\R^{{{r} \\times {c}}}: \\text{{ {nz} non-zero entries (too large to print)}} \\]\n"
    return fit_width(f"{name} = {tex_matrix(rows)}", matrix_chars(rows) + len(name))


def params_tex(arch: Architecture, params: Any, prime: bool = False) -> str:
    """θ layer by layer: W^[l] as matrices, b^[l] as column vectors."""
    p = "'" if prime else ""
    out = []
    for l in range(1, arch.n_layers + 1):
        out.append(_block(f"W{p}^{{[{l}]}}", params.W[l - 1]))
        b = params.b[l - 1]
        if b is not None:
            out.append(_block(f"b{p}^{{[{l}]}}", [[v] for v in b.tolist()]))
    return "".join(out)


def loss_tex(case: Case) -> str:
    """ℓ and the empirical risk R_S."""
    f, y = sympy.Symbol("f"), sympy.Symbol("y")
    expr = case.loss.expr
    if case.arch.output_dim == 1:
        expr = expr.xreplace({sympy.Symbol("f0"): f, sympy.Symbol("y0"): y})
    lhs = r"\ell(f, y)"
    return (
        "\\begin{align*}\n"
        + lhs + " &= " + sympy.latex(expr) + r", \\" + "\n"
        + rf"R_S(\theta) &= \frac{{1}}{{n}} \sum_{{i=1}}^{{n}} \ell\bigl(f_\theta(x_i), y_i\bigr), \qquad n = {case.n_samples}."
        + "\n\\end{align*}\n"
    )


def _vec(row: Sequence[Any]) -> str:
    if len(row) == 1:
        return tex_number(row[0])
    return r"\left(" + ", ".join(tex_number(v) for v in row) + r"\right)"


def data_tex(case: Case, outputs: Sequence[Sequence[Any]] | None = None) -> str:
    """The training set (and the network outputs f_θ(x_i) when given) as a table."""
    n = case.n_samples
    shown = list(range(n)) if n <= FULL_DATA_LIMIT else list(range(10)) + list(range(n - 3, n))
    head = r"$i$ & $x_i$ & $y_i$" + (r" & $f_\theta(x_i)$" if outputs is not None else "") + r" \\"
    lines = []
    for k, i in enumerate(shown):
        if k and shown[k - 1] != i - 1:
            lines.append(r"\multicolumn{%d}{c}{$\vdots$} \\" % (4 if outputs is not None else 3))
        cells = [str(i + 1), f"${_vec(case.X[i])}$", f"${_vec(case.Y[i])}$"]
        if outputs is not None:
            cells.append(f"${_vec(outputs[i])}$")
        lines.append(" & ".join(cells) + r" \\")
    cols = "r" + "c" * (3 if outputs is not None else 2)
    table = "\\begin{tabular}{" + cols + "}\n\\toprule\n" + head + "\n\\midrule\n" + "\n".join(lines) + "\n\\bottomrule\n\\end{tabular}"
    return "\\begin{center}\n{\\renewcommand{\\arraystretch}{1.5}\\fitwidth{" + table + "}}\n\\end{center}\n"


# ---------------------------------------------------------------------------
# gradient and Hessian
# ---------------------------------------------------------------------------


def backprop_tex(arch: Architecture) -> str:
    """The back-propagation formulas the exact gradient and Hessian implement (SPEC §0)."""
    L = arch.n_layers
    return (
        "The gradient is computed by exact back-propagation (no rounding):\n"
        "\\begin{align*}\n"
        rf"\delta_i^{{[{L}]}} &= \frac{{\partial \ell}}{{\partial f}}\bigl(f_\theta(x_i), y_i\bigr), &"
        rf"\delta_i^{{[l]}} &= \sigma_l'\bigl(z^{{[l]}}(x_i)\bigr) \odot W^{{[l+1]\top}} \delta_i^{{[l+1]}}, \\"
        "\n"
        rf"\frac{{\partial R_S}}{{\partial W^{{[l]}}}} &= \frac{{1}}{{n}}\sum_{{i=1}}^n \delta_i^{{[l]}} f^{{[l-1]}}(x_i)^\top, &"
        rf"\frac{{\partial R_S}}{{\partial b^{{[l]}}}} &= \frac{{1}}{{n}}\sum_{{i=1}}^n \delta_i^{{[l]}}."
        "\n\\end{align*}\n"
    )


def gradient_tex(arch: Architecture, gradient: Sequence[Any], prime: bool = False) -> str:
    """The gradient components, layer by layer, as matrices."""
    from exactlift.nn.network import Params

    g = Params.from_flat(arch, list(gradient))
    p = "'" if prime else ""
    out = []
    for l in range(1, arch.n_layers + 1):
        out.append(_block(rf"\frac{{\partial R_S}}{{\partial W{p}^{{[{l}]}}}}", g.W[l - 1]))
        if g.b[l - 1] is not None:
            out.append(_block(rf"\frac{{\partial R_S}}{{\partial b{p}^{{[{l}]}}}}", [[v] for v in g.b[l - 1].tolist()]))
    return "".join(out)


def sparse_vector_tex(arch: Architecture, v: Sequence[Any], prime: bool = False, limit: int = 30) -> str:
    """A parameter-space vector by its non-zero components: ``v_{W^{[1]}_{0,0}} = 2, …``."""
    items = [(i, x) for i, x in enumerate(v) if x != 0]
    parts = [f"v_{{{tex_param_name(arch, i, prime)}}} {eq_short(x)}" for i, x in items[:limit]]
    if len(items) > limit:
        parts.append(rf"\dots\ (\text{{{len(items) - limit} more}})")
    if not parts:
        return r"v = 0"
    return ",\\ ".join(parts) + r",\ \text{other components } 0"


def hessian_tex(arch: Architecture, H: Any, inertia: tuple[int, int, int] | None, prime: bool = False,
                witness: Sequence[Any] | None = None, witness_value: Any = None, strength: str = "exact") -> str:
    """The Hessian in full when small, else summarized; its exact inertia; a negative direction."""
    P = arch.n_params
    out = []
    rows = H.tolist() if hasattr(H, "tolist") else [list(r) for r in H]
    widest = max((number_width(v) for row in rows for v in row), default=0)
    names = ", ".join(tex_param_name(arch, i, prime) for i in range(P))
    if P <= FULL_MATRIX_LIMIT and widest <= FULL_ENTRY_DIGITS:
        out.append(f"Parameters in the canonical order $({names})$.\n")
        out.append(fit_width(r"\nabla^2 R_S = " + tex_matrix(H), matrix_chars(H) + 12))
    elif P <= 2 * FULL_MATRIX_LIMIT:
        out.append(f"Parameters in the canonical order $({names})$. The entries are long "
                   f"(up to {widest} characters); their signs are\n")
        signs = [["+" if v > 0 else ("-" if v < 0 else "0") for v in row] for row in rows]
        body = " \\\\\n".join(" & ".join(r"\scriptstyle " + (c if c != "0" else r"\cdot") for c in row) for row in signs)
        out.append(fit_width(r"\operatorname{sign} \nabla^2 R_S = \begin{pmatrix}" + body + r"\end{pmatrix}", 3 * P))
    else:
        nz = sum(1 for row in rows for v in row if v != 0)
        out.append(
            f"The Hessian is ${P} \\times {P}$ with {nz} non-zero entries; too large to print in full, "
            "it is summarized by its inertia"
            + (" and an exact negative direction." if witness is not None else ".")
            + "\n"
        )
    if inertia is not None:
        nm, n0, npl = inertia
        out.append(
            rf"\[ \operatorname{{In}}\bigl(\nabla^2 R_S\bigr) = (n_-, n_0, n_+) = ({nm}, {n0}, {npl}) \]" + "\n"
            + INERTIA_HOW.get(strength, "") + "\n\n"
        )
    elif strength != "exact":
        out.append("The inertia is undecided at this precision (a pivot ball contains $0$).\n\n")
    if witness is not None:
        out.append(
            "A direction of negative curvature, checked exactly:\n"
            + fit_width(sparse_vector_tex(arch, witness, prime), 100)
            + (fit_width(rf"v^\top \nabla^2 R_S\, v {eq_short(witness_value)} < 0.", 100) if witness_value is not None else "")
        )
    return "".join(out)


# ---------------------------------------------------------------------------
# analysis of a case
# ---------------------------------------------------------------------------


def _display(x: Any, ctx: Any) -> Any:
    """What to print for a value of ``ctx``: exact values as they are, mp numbers and ball
    midpoints as 12-digit SymPy Floats (the text says which arithmetic produced them)."""
    if ctx.name == "exact":
        return x
    import mpmath

    if ctx.name == "certified" and hasattr(x, "mid"):
        x = mpmath.mpf(x.mid().str(20, radius=False))
    elif not isinstance(x, mpmath.mpf):
        x = mpmath.mpf(str(x))
    return sympy.Float(mpmath.nstr(x, 12), 12)


def _display_array(M: Any, ctx: Any) -> Any:
    if ctx.name == "exact":
        return M
    arr = np.asarray(M, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx in np.ndindex(arr.shape):
        out[idx] = _display(arr[idx], ctx)
    return out


def _quadratic(H: Any, v: Sequence[Any]) -> Fraction:
    from exactlift.arith.linalg import to_fraction_matrix

    rows = to_fraction_matrix(H)
    return sum((v[i] * rows[i][j] * v[j] for i in range(len(v)) for j in range(len(v)) if v[i] and v[j]), Fraction(0))


def analysis_tex(case: Case, arithmetic: str = "exact", digits: int = 50, prime: bool = False,
                 title_prefix: str = "") -> tuple[str, dict[str, Any]]:
    """Network, data, loss, gradient, Hessian and verification steps of one case.

    Returns the LaTeX body and a dict of the computed facts (``loss``,
    ``critical``, ``inertia``, ``outputs``, ``analysis``) for callers that compare cases.
    """
    from exactlift.analysis import analyze
    from exactlift.arith.linalg import witness_negative_direction

    a = analyze(case, arithmetic, digits)
    d = a.derivatives
    ctx = get_context(arithmetic, digits)
    exact = a.arithmetic == "exact"
    outputs = _display_array(d.forward.output, ctx).tolist()
    prefix = title_prefix
    out = [f"\\subsection{{{escape_text(prefix)}Network}}\n", network_tex(case.arch, case.params, prime)]
    out.append(f"\\subsection{{{escape_text(prefix)}Data and loss}}\n")
    out.append(data_tex(case, outputs))
    out.append(loss_tex(case))
    loss_value = d.loss if exact else _display(d.loss, ctx)
    th = r"\theta'" if prime else r"\theta"
    shown_loss = tex_number(loss_value)
    out.append(fit_width(rf"R_S({th}) = {shown_loss}.", len(str(loss_value)) // 2))
    out.append(f"\\subsection{{{escape_text(prefix)}Gradient}}\n")
    out.append(backprop_tex(case.arch))
    out.append(gradient_tex(case.arch, [_display(g, ctx) for g in d.gradient], prime))
    out.append(f"\\subsection{{{escape_text(prefix)}Hessian}}\n")
    witness = value = None
    if exact and a.inertia and a.inertia[0] > 0:
        witness = witness_negative_direction(d.hessian)
        value = _quadratic(d.hessian, witness) if witness is not None else None
    out.append(hessian_tex(case.arch, _display_array(d.hessian, ctx), a.inertia, prime, witness, value,
                           strength=a.strength))
    k_max = _param_index(case.arch, a.max_gradient_parameter)
    where = tex_param_name(case.arch, k_max)
    biggest = tex_short(parse_rational(a.max_gradient)) if exact else tex_number(_display(d.gradient[k_max], ctx))
    zero_word = {"exact": "exactly", "numerical": "numerically (mp: below the tolerance, not a proof)",
                 "certified": "certainly (every ball is exactly 0)"}.get(a.strength, "")
    if a.critical is None:
        crit_tex = r"undecided: every gradient ball contains $0$ but not all are exactly $0$"
    elif a.critical:
        crit_tex = rf"$\nabla R_S(\theta) = 0$ {zero_word}: a critical point"
    else:
        crit_tex = rf"$\nabla R_S(\theta) \neq 0$: the largest component is ${biggest}$ at ${where}$; not a critical point"
    facts = [Fact("criticality", True, latex=crit_tex)]
    if a.inertia is not None:
        nm, n0, npl = a.inertia
        kind = ("a strict saddle ($n_- \\ge 1$)" if nm else
                ("a strict local minimum (Hessian positive definite)" if n0 == 0 else
                 "positive semidefinite and singular: second order is inconclusive"))
        facts.append(Fact(f"inertia ({nm}, {n0}, {npl})", True,
                          latex=rf"$\operatorname{{In}}(\nabla^2 R_S) = ({nm}, {n0}, {npl})$" + (f": {kind}" if a.critical else "")))
    if witness is not None:
        facts.append(Fact("witness", value is not None and value < 0,
                          latex=rf"$v^\top \nabla^2 R_S\, v {eq_short(value)} < 0$ for the exact vector $v$ above"))
    out.append(f"\\subsection{{{escape_text(prefix)}Verification}}\n")
    out.append(f"Arithmetic: {escape_text(a.context)}; strength \\textbf{{{escape_text(a.strength)}}}.\n")
    out.append(steps_list(facts))
    return "".join(out), {"loss": d.loss, "critical": a.critical, "inertia": a.inertia, "outputs": outputs,
                          "analysis": a}


def _param_index(arch: Architecture, name: str) -> int:
    for i in range(arch.n_params):
        if arch.param_name(i) == name:
            return i
    return 0  # pragma: no cover


# ---------------------------------------------------------------------------
# lifts
# ---------------------------------------------------------------------------


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
    text = (f"The parameter map is linear, $\\theta' = T\\theta$ with $T \\in \\R^{{{wide.n_params} \\times {narrow.n_params}}}$. "
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
        out.append(_block(name, [list(r) for r in M]))
    items = []
    for p in result.patterns:
        if p.null:
            items.append(f"\\item neuron {p.index}: a null neuron ($B_{{:,{p.index}}} = 0$), pattern on the data: "
                         f"{escape_text(p.interval)}")
        else:
            items.append(f"\\item neuron {p.index}: every $t_{{{p.index},i}}$ lies in {escape_text(p.interval)}, where "
                         f"$\\sigma(t) = {sympy.latex(sympy.Rational(str(p.slope)) * z + sympy.Rational(str(p.intercept)))}$")
    out.append("(L1) on the training data (" + escape_text(getattr(result, "l1_method", "")) + "):\n"
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


def lift_tex(lift: Any, narrow: Case, wide: Case) -> str:
    """One lift: its description, its parameter map (or inserted layer), the network it produces."""
    out = [f"\\textbf{{Lift:}} {escape_text(str(lift))}"]
    tex = getattr(lift, "latex", None)
    if callable(tex):
        try:
            out.append(f" \\quad ${sanitize_latex(tex())}$")
        except Exception:  # a lift's own rendering is optional
            pass
    out.append(".\n\n")
    out.append(f"Narrow network: {escape_text(narrow.arch.describe())}; wide network: {escape_text(wide.arch.describe())}.\n\n")
    if hasattr(lift, "lift") and not hasattr(lift, "matrix"):
        try:
            out.append(depth_lift_tex(lift.lift(narrow)))
            return "".join(out)
        except Exception as exc:  # fall back to the generic text
            out.append(escape_text(f"(inserted layer not rendered: {exc})") + "\n\n")
    out.append(parameter_map_tex(lift, narrow.arch, wide.arch))
    return "".join(out)


# ---------------------------------------------------------------------------
# documents
# ---------------------------------------------------------------------------


def case_document(case: Case, lifts: Sequence[Any] = (), arithmetic: str = "exact", digits: int = 50,
                  title: str | None = None) -> Document:
    """A standalone document: the analysis of ``case`` and, with lifts, of the lifted case.

    With lifts it renders each lift and its parameter map, the lifted
    network's analysis, and the comparison steps: training outputs agree,
    the loss agrees, criticality transfers, inertia counts before and after.

    >>> from exactlift.demo import demo_case
    >>> doc = case_document(demo_case())
    >>> r"\\operatorname{In}" in doc.render()
    True
    """
    name = case.name or "case"
    doc = Document(title or (f"exactlift derivation: {name}" + (" and its lift" if lifts else "")))
    if case.description:
        doc.paragraph(case.description)
    body, narrow = analysis_tex(case, arithmetic, digits)
    doc.section("The network " + ("before the lift" if lifts else "") if lifts else "The case")
    doc.add(body)
    if not lifts:
        return doc
    current = case
    doc.section("The lift" + ("s" if len(lifts) > 1 else ""))
    for lift in lifts:
        nxt = lift.apply_case(current)
        doc.add(lift_tex(lift, current, nxt))
        current = nxt
    doc.section("The lifted network")
    body, wide = analysis_tex(current, arithmetic, digits, prime=True, title_prefix="Lifted: ")
    doc.add(body)
    doc.section("What the lift preserved")
    facts = []
    same_out = narrow["outputs"] == wide["outputs"]
    facts.append(Fact("outputs", same_out,
                      latex=rf"$f_{{\theta'}}(x_i) = f_\theta(x_i)$ for every training input ($n = {case.n_samples}$)"
                      if same_out else r"the outputs on the training inputs differ"))
    same_loss = narrow["loss"] == wide["loss"]
    facts.append(Fact("loss", same_loss, latex=rf"$R_S(\theta') = R_S(\theta) = {tex_number(narrow['loss'])}$"
                      if same_loss else r"the loss changed"))
    if narrow["critical"]:
        facts.append(Fact("criticality", wide["critical"],
                          latex=r"$\nabla R_S(\theta) = 0 \Rightarrow \nabla R_S(\theta') = 0$" if wide["critical"]
                          else r"$\theta$ is critical but $\theta'$ is not"))
    if narrow["inertia"] and wide["inertia"]:
        a, b = narrow["inertia"], wide["inertia"]
        mono = all(y >= x for x, y in zip(a, b))
        facts.append(Fact("inertia", mono,
                          latex=rf"inertia $({a[0]}, {a[1]}, {a[2]}) \to ({b[0]}, {b[1]}, {b[2]})$: "
                          + ("no count decreased" if mono else "a count decreased")))
        if narrow["critical"] and wide["critical"] and a[0] == 0 and b[0] > 0:
            facts.append(Fact("saddle", True, latex=r"the lifted critical point is a strict saddle although $\theta$ has $n_- = 0$"))
    doc.add(steps_list(facts))
    return doc


def card_document(results: Sequence[Any], title: str | None = None) -> Document:
    """A document for one or more theorem cards: statement, source, strength, cases and steps."""
    results = list(results)
    if title is None:
        title = results[0].card.title if len(results) == 1 else "exactlift theorem cards"
    doc = Document(title)
    for r in results:
        card = r.card
        if len(results) > 1:
            doc.section(card.title)
        doc.add(r"\paragraph{Theorem.} " + sanitize_latex(card.statement) + "\n")
        label = card.label
        suffix = "" if label.lower() in card.source.lower() else f" ({escape_text(label)})"
        doc.add(rf"\paragraph{{Source.}} {escape_text(card.source)}{suffix}." + "\n")
        if card.notes:
            doc.add(r"\paragraph{Notes.} " + sanitize_latex(card.notes) + "\n")
        doc.add(rf"\paragraph{{Verified.}} {len(r.cases)} case(s), strength \textbf{{{escape_text(card.strength)}}}, "
                rf"result \textbf{{{escape_text(r.result)}}} in {r.seconds:.2f}~s." + "\n")
        rows = "\n".join(
            f"{escape_text(c.name)} & {escape_text(c.result)} & {c.seconds:.3f} \\\\" for c in r.cases
        )
        doc.add("\\begin{center}\n\\begin{tabular}{@{}lll@{}}\n\\toprule\ncase & result & seconds \\\\\n\\midrule\n"
                + rows + "\n\\bottomrule\n\\end{tabular}\n\\end{center}\n")
        for c in r.cases:
            doc.add(f"\\subsection*{{Case {escape_text(c.name)}}}\n")
            if isinstance(c.case, Case):
                doc.paragraph(f"{c.case.arch.describe()}, {c.case.n_samples} training points, loss {c.case.loss.spec}.")
            if c.steps:
                doc.add(steps_list(c.steps))
            if c.message:
                doc.paragraph(("Failure: " if c.result == "failed" else "Error: ") + abbreviate_numbers(c.message))
            if not c.steps and not c.message:
                doc.paragraph("The check passed.")
    return doc


def latex_of(obj: Any) -> str:
    """``sympy.latex`` for expressions and numbers; matrices as pmatrix (convenience for cards)."""
    if isinstance(obj, (np.ndarray, sympy.MatrixBase)) or (isinstance(obj, list) and obj and isinstance(obj[0], list)):
        return tex_matrix(obj)
    return tex_number(obj)
