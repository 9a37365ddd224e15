r"""The case's objects in LaTeX: parameter names, network, parameters, data and loss.

Matrices up to :data:`FULL_MATRIX_LIMIT` rows and columns are printed in full
(shrunk to the line width when wide, see :func:`matrix_block`), larger ones as
their size and number of non-zero entries; data sets up to
:data:`FULL_DATA_LIMIT` points are listed in full.

>>> from exactlift.nn.network import Architecture
>>> tex_param_name(Architecture.build([1, 2, 1], "relu"), 4)
'W^{[2]}_{0,0}'
>>> print(matrix_block("b", [[1], [2]]), end="")
\[
b = \begin{pmatrix}
1 \\
2
\end{pmatrix}
\]
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, Sequence

import sympy

from exactlift.latex.document import escape_text, fit_width, is_long, matrix_chars, tex_decimal, tex_matrix, tex_number
from exactlift.nn.case import Case
from exactlift.nn.network import Architecture

#: Matrices with at most this many rows and columns are shown in full.
FULL_MATRIX_LIMIT = 12
#: Data sets with at most this many points are listed in full.
FULL_DATA_LIMIT = 24

_NAME = re.compile(r"^([Wb])\[(\d+)\]\[(\d+)(?:,(\d+))?\]$")


def tex_param_name(arch: Architecture, index: int, prime: bool = False) -> str:
    """LaTeX name of a flat parameter: ``W^{[l]}_{j,k}`` or ``b^{[l]}_{j}`` (``prime``: W')."""
    m = _NAME.match(arch.param_name(index))
    assert m is not None
    kind, layer, row, col = m.groups()
    head = kind + ("'" if prime else "")
    sub = f"{row},{col}" if col is not None else row
    return f"{head}^{{[{layer}]}}_{{{sub}}}"


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


def matrix_block(name: str, M: Any) -> str:
    """``name = (matrix)`` as a display, or its size and non-zero count beyond :data:`FULL_MATRIX_LIMIT`."""
    rows = M.tolist() if hasattr(M, "tolist") else M
    r = len(rows)
    c = len(rows[0]) if r and isinstance(rows[0], list) else 1
    if max(r, c) > FULL_MATRIX_LIMIT:
        flat = [v for row in rows for v in (row if isinstance(row, list) else [row])]
        nz = sum(1 for v in flat if v != 0)
        return f"\\[ {name} \\in \\mathbb{{R}}^{{{r} \\times {c}}}: \\text{{ {nz} non-zero entries (too large to print)}} \\]\n"
    return fit_width(f"{name} = {tex_matrix(rows)}", matrix_chars(rows) + len(name))


def params_tex(arch: Architecture, params: Any, prime: bool = False) -> str:
    """θ layer by layer: W^[l] as matrices, b^[l] as column vectors."""
    p = "'" if prime else ""
    out = []
    for l in range(1, arch.n_layers + 1):
        out.append(matrix_block(f"W{p}^{{[{l}]}}", params.W[l - 1]))
        b = params.b[l - 1]
        if b is not None:
            out.append(matrix_block(f"b{p}^{{[{l}]}}", [[v] for v in b.tolist()]))
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


def _entry(v: Any) -> str:
    """An exact rational in full when short, else as a 4-digit decimal (the appendix has it exactly)."""
    return tex_decimal(v, 4) if (isinstance(v, Fraction) or _is_rational(v)) and is_long(v) else tex_number(v)


def _is_rational(v: Any) -> bool:
    return (hasattr(v, "p") and hasattr(v, "q") and not isinstance(v, sympy.Float)) or isinstance(v, int)


def _vec(row: Sequence[Any]) -> str:
    if len(row) == 1:
        return _entry(row[0])
    return r"\left(" + ", ".join(_entry(v) for v in row) + r"\right)"


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

