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

from typing import Any, Sequence

from exactlift.latex.document import eq_short, fit_width, matrix_chars, number_width, tex_matrix
from exactlift.latex.network import FULL_MATRIX_LIMIT, matrix_block, tex_param_name
from exactlift.nn.network import Architecture

#: How the inertia was obtained, per strength (printed under it).
INERTIA_HOW = {
    "exact": "(exact: characteristic polynomial and Descartes' rule of signs, or an exact $LDL^\\top$ congruence; "
             "no eigenvalue is computed).",
    "numerical": "(numerical: pivoted elimination in mpmath with a zero tolerance; finds, does not prove).",
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
