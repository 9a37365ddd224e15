r"""Gradient and Hessian in LaTeX: back-propagation, the gradient by layer, the Hessian and its inertia.

The Hessian is printed in full when it has at most
:data:`~exactlift.latex.network.FULL_MATRIX_LIMIT` parameters and short entries, as its
sign pattern when the entries are long, else summarized; its inertia is printed
with how it was obtained (:data:`INERTIA_HOW`, per strength).

>>> from exactlift.nn.network import Architecture
>>> sparse_vector_tex(Architecture.build([1, 1, 1], "relu"), [0, 2, 0, 0])
'v_{b^{[1]}_{0}} = 2,\\ \\text{other components } 0'
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from exactlift.latex.document import eq_short, fit_width, matrix_chars, number_width, tex_matrix
from exactlift.latex.network import FULL_MATRIX_LIMIT, matrix_block, tex_param_name
from exactlift.nn.network import Architecture

#: How the inertia was obtained, per strength (printed under it).
INERTIA_HOW = {
    "exact": "(exact: characteristic polynomial and Descartes' rule of signs, or an exact $LDL^\\top$ congruence; "
             "no eigenvalue is computed).",
    "numerical": "(numerical: pivoted elimination in mpmath, pivots below a tolerance counted as zero; "
                 "numerical, not a proof).",
    "certified": "(certified: pivoted congruence in ball arithmetic, every pivot ball excludes $0$).",
}

#: How the gradient and the Hessian were computed, per strength (the sentence before the formulas).
BACKPROP_HOW = {
    "exact": "The gradient is computed by exact back-propagation (no rounding):",
    "numerical": "The gradient is computed by back-propagation in mpmath floating-point arithmetic "
                 "(every operation is rounded: the values are numerical, not a proof):",
    "certified": "The gradient is computed by back-propagation in ball arithmetic (arb): every value is "
                 "a ball certain to contain the exact one:",
}

#: What a dot in a Hessian shown in blocks stands for, per strength.
ZERO_DOT = {"exact": "an exact $0$", "numerical": "an entry computed as $0$",
            "certified": "a ball that is exactly $0$"}

#: Entries longer than this many characters make a matrix print as its sign pattern.
FULL_ENTRY_DIGITS = 14


def backprop_tex(arch: Architecture, strength: str = "exact") -> str:
    """The back-propagation formulas the gradient and Hessian implement (docs/mathematics.md), with how they were
    computed in the arithmetic of ``strength`` (:data:`BACKPROP_HOW`).

    >>> "rounded" in backprop_tex(Architecture.build([1, 1], []), "numerical")
    True
    """
    L = arch.n_layers
    return (
        BACKPROP_HOW[str(strength)] + "\n"
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
        out.append(matrix_block(rf"\frac{{\partial R_S}}{{\partial W{p}^{{[{l}]}}}}", g.W[l - 1]))
        if g.b[l - 1] is not None:
            out.append(matrix_block(rf"\frac{{\partial R_S}}{{\partial b{p}^{{[{l}]}}}}", [[v] for v in g.b[l - 1].tolist()]))
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


#: Significant digits of the decimal entries of a matrix with long entries.
DECIMAL_DIGITS = 3


def parameter_groups(arch: Architecture) -> list[int]:
    """Sizes of the consecutive parameter blocks W^[1], b^[1], W^[2], … in the canonical order.

    >>> parameter_groups(Architecture.build([1, 2, 1], "relu"))
    [2, 2, 2, 1]
    """
    sizes: list[int] = []
    last = None
    for i in range(arch.n_params):
        name = arch.param_name(i)
        key = name.split("]")[0]
        if key != last:
            sizes.append(0)
            last = key
        sizes[-1] += 1
    return sizes


def block_matrix_tex(rows: Sequence[Sequence[Any]], groups: Sequence[int], significant: int = DECIMAL_DIGITS) -> str:
    r"""A square matrix as a bracketed array with rules between the blocks of ``groups``; entries as
    short decimals (:func:`~exactlift.latex.document.tex_decimal`), exact zeros as dots.

    >>> print(block_matrix_tex([[1, 0], [0, Fraction(1, 3)]], [1, 1]))
    \left[\begin{array}{c|c}
    1 & \cdot \\ \hline
    \cdot & 0.333
    \end{array}\right]
    """
    return _bracket([[r"\cdot" if v == 0 else _short_entry(v, significant) for v in row] for row in rows], groups)


def _bracket(cells: Sequence[Sequence[str]], groups: Sequence[int]) -> str:
    """Typeset cells as ``\\left[\\begin{array}…\\right]`` with rules between the blocks."""
    cuts = set()
    total = 0
    for g in groups[:-1]:
        total += g
        cuts.add(total)
    spec = "".join(("|" if j in cuts else "") + "c" for j in range(len(cells)))
    lines = []
    for i, row in enumerate(cells):
        end = r" \\ \hline" if (i + 1) in cuts else (r" \\" if i + 1 < len(cells) else "")
        lines.append(" & ".join(row) + end)
    return r"\left[\begin{array}{" + spec + "}\n" + "\n".join(lines) + "\n\\end{array}\\right]"


def _short_entry(v: Any, significant: int) -> str:
    from exactlift.latex.document import tex_decimal

    frac = v if isinstance(v, Fraction) else None
    if frac is not None and frac.denominator == 1 and abs(frac.numerator) < 1000:
        return str(frac.numerator)
    return tex_decimal(v, significant, exact_chars=0)


def exact_matrix_appendix(arch: Architecture, H: Any, prime: bool = False, limit: int = 400) -> str:
    """The exact non-zero entries of a symmetric matrix (upper triangle), one per line, for the appendix."""
    from exactlift.latex.document import tex_number

    rows = H.tolist() if hasattr(H, "tolist") else [list(r) for r in H]
    widest = max((number_width(v) for row in rows for v in row), default=0)
    items = [(i, j, rows[i][j]) for i in range(len(rows)) for j in range(i, len(rows)) if rows[i][j] != 0]
    per_row = 3 if widest <= 8 else (2 if widest <= 20 else 1)
    cells = [rf"(\nabla^2 R_S)_{{{tex_param_name(arch, i, prime)},\,{tex_param_name(arch, j, prime)}}} &= {tex_number(v)}"
             for i, j, v in items[:limit]]
    lines = [" & ".join(cells[k:k + per_row]) for k in range(0, len(cells), per_row)]
    more = f"and {len(items) - limit} more entries.\n" if len(items) > limit else ""
    return (f"The exact non-zero entries $H_{{ij}}$, $i \\le j$, of the Hessian ({len(items)} entries; "
            "the matrix is symmetric):\n{\\small\n\\begin{align*}\n" + " \\\\\n".join(lines)
            + "\n\\end{align*}}\n" + more)


def hessian_layout(arch: Architecture, H: Any) -> str:
    """How :func:`hessian_tex` prints a Hessian: ``full`` (exact entries), ``blocks`` (short decimals
    in layer blocks, the exact entries in the appendix) or ``summary`` (too large to print).

    >>> hessian_layout(Architecture.build([1, 1], []), [[1, 0], [0, 1]])
    'full'
    """
    rows = H.tolist() if hasattr(H, "tolist") else [list(r) for r in H]
    widest = max((number_width(v) for row in rows for v in row), default=0)
    P = arch.n_params
    if P <= FULL_MATRIX_LIMIT and widest <= FULL_ENTRY_DIGITS:
        return "full"
    return "blocks" if P <= 2 * FULL_MATRIX_LIMIT else "summary"


def hessian_tex(arch: Architecture, H: Any, inertia: tuple[int, int, int] | None, prime: bool = False,
                witness: Sequence[Any] | None = None, witness_value: Any = None, strength: str = "exact") -> str:
    """The Hessian in full when small, else summarized; its exact inertia; a negative direction."""
    P = arch.n_params
    out = []
    rows = H.tolist() if hasattr(H, "tolist") else [list(r) for r in H]
    widest = max((number_width(v) for row in rows for v in row), default=0)
    names = ", ".join(tex_param_name(arch, i, prime) for i in range(P))
    if hessian_layout(arch, rows) == "full":
        out.append(f"Parameters in the canonical order $({names})$.\n")
        out.append(fit_width(r"\nabla^2 R_S = " + tex_matrix(H), matrix_chars(H) + 12))
    elif hessian_layout(arch, rows) == "blocks":
        where = (" The exact entries are listed in Appendix~\\ref{app:exact}." if strength == "exact" else "")
        out.append(f"Parameters in the canonical order $({names})$, in blocks by layer. Entries shown to "
                   f"{DECIMAL_DIGITS} significant digits (a dot is {ZERO_DOT.get(str(strength), 'a zero entry')}).{where}\n")
        out.append("\\begin{equation}\n\\fitwidth{$\\displaystyle \\nabla^2 R_S" + ("'" if prime else "") + " = "
                   + block_matrix_tex(rows, parameter_groups(arch)) + "$}\n\\end{equation}\n")
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
