r"""The analysis of one case in LaTeX: network, data, loss, gradient, Hessian and verification.

:func:`analysis_tex` runs :func:`exactlift.analysis.analyze` and renders what it
computed.  Values are printed as the context displays them
(:meth:`~exactlift.arith.contexts.Context.display_value`: exact values as they are,
rounded ones as 12-digit numbers); the exact-only parts (the negative direction
checked over Q, the largest gradient component as a fraction) are shown when the
context's scalars are rationals (``ctx.rational``).

>>> from exactlift.nn.examples import demo_case
>>> body, facts = analysis_tex(demo_case())
>>> facts["inertia"], r"\subsection{Hessian}" in body
((1, 0, 6), True)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from exactlift.arith.contexts import Context, get_context, parse_rational
from exactlift.display import coprime_direction
from exactlift.errors import ExactliftError
from exactlift.latex.derivatives import backprop_tex, exact_matrix_appendix, gradient_tex, hessian_layout, hessian_tex
from exactlift.latex.document import eq_short, escape_text, fit_width, is_long, tex_decimal, tex_number, tex_short
from exactlift.latex.network import data_tex, loss_tex, network_tex, tex_param_name
from exactlift.latex.steps import Fact, steps_list
from exactlift.lifts.certified import certifiable
from exactlift.nn.case import Case
from exactlift.nn.network import Architecture


def display_array(M: Any, ctx: Context) -> np.ndarray:
    """An object array of what ``ctx`` displays for each entry of M (:meth:`Context.display_value`).

    >>> from exactlift.arith.contexts import MPContext
    >>> display_array([[MPContext().convert("2/3")]], MPContext()).tolist()
    [[0.666666666667]]
    """
    arr = np.asarray(M, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx in np.ndindex(arr.shape):
        out[idx] = ctx.display_value(arr[idx])
    return out


def _quadratic(H: Any, v: Sequence[Any]) -> Fraction:
    from exactlift.arith.linalg import to_fraction_matrix

    rows = to_fraction_matrix(H)
    return sum((v[i] * rows[i][j] * v[j] for i in range(len(v)) for j in range(len(v)) if v[i] and v[j]), Fraction(0))


def short_direction(H: Any, v: Sequence[Any], max_denominator: int = 10**6) -> list[Fraction]:
    """A direction of negative curvature with short entries: coprime integers ``w`` with ``wᵀHw < 0``.

    Negative curvature is an open condition, so the ratios ``v_i / v_max`` are replaced by the
    simplest rationals (:meth:`Fraction.limit_denominator`, denominators 1, 10, 100, …) for which
    ``wᵀHw < 0`` still holds exactly; ``v`` itself (scaled) when none is found.

    >>> short_direction([[-1, 0], [0, 2]], [Fraction(10**30 + 1, 10**30), Fraction(1, 10**30)])
    [Fraction(1, 1), Fraction(0, 1)]
    """
    v = [Fraction(str(x)) for x in v]
    big = max(v, key=abs)
    if big == 0:
        return v
    ratios = [x / big for x in v]
    den = 1
    while den <= max_denominator:
        w = [r.limit_denominator(den) for r in ratios]
        if _quadratic(H, w) < 0:
            return [Fraction(i) for i in coprime_direction(w)[0]]
        den *= 10
    return [Fraction(i) for i in coprime_direction(v)[0]]


def analysis_tex(case: Case, arithmetic: str = "exact", digits: int = 50, prime: bool = False,
                 title_prefix: str = "", data_of: str | None = None,
                 reference_outputs: Sequence[Sequence[Any]] | None = None) -> tuple[str, dict[str, Any]]:
    """Network, data, loss, gradient, Hessian and verification steps of one case.

    Returns the LaTeX body and a dict of the computed facts (``loss``,
    ``critical``, ``inertia``, ``outputs``, ``analysis``) for callers that compare cases.
    A lifted case on the same data passes ``data_of`` (the label of the section with the
    data table) and ``reference_outputs`` (the outputs listed there): when its own outputs
    are the same, the training data are not listed a second time; otherwise they are.
    """
    from exactlift.analysis import analyze
    from exactlift.arith.linalg import witness_negative_direction

    a = analyze(case, arithmetic, digits)
    d = a.derivatives
    ctx = get_context(arithmetic, digits)
    exact = ctx.rational  # exact rationals: the witness and the largest component are shown exactly
    outputs = display_array(d.forward.output, ctx).tolist()
    prefix = title_prefix
    out = [f"\\subsection{{{escape_text(prefix)}Network}}\n", network_tex(case.arch, case.params, prime)]
    out.append(f"\\subsection{{{escape_text(prefix)}Data and loss}}\n")
    appendix: list[str] = []
    th = r"\theta'" if prime else r"\theta"
    if data_of is not None and reference_outputs is not None and outputs == list(reference_outputs):
        out.append(rf"The training data $S$, the loss $\ell$ and the risk $R_S$ are those of Section~\ref{{{data_of}}}; "
                   rf"on the training inputs the outputs $f_{{{th}}}(x_i)$ are the ones listed there." + "\n\n")
    else:
        _data_and_loss(out, appendix, case, outputs, exact, prime)
    loss_value = d.loss if exact else ctx.display_value(d.loss)
    if exact and is_long(loss_value, 30):
        out.append("\\begin{equation}\n" + rf"R_S({th}) \approx {tex_decimal(loss_value, 6)}" + "\n\\end{equation}\n")
        appendix.append(fit_width(rf"R_S({th}) = {tex_number(loss_value)}", 150))
    else:
        shown_loss = tex_number(loss_value)
        out.append(fit_width(rf"R_S({th}) = {shown_loss}.", len(str(loss_value)) // 2))
    out.append(f"\\subsection{{{escape_text(prefix)}Gradient}}\n")
    out.append(backprop_tex(case.arch, a.strength))
    out.append(gradient_tex(case.arch, [ctx.display_value(g) for g in d.gradient], prime))
    out.append(f"\\subsection{{{escape_text(prefix)}Hessian}}\n")
    witness = value = None
    if exact and a.inertia and a.inertia[0] > 0:
        witness = witness_negative_direction(d.hessian)
        if witness is not None:  # a direction: made short, then scaled to coprime integers
            witness = short_direction(d.hessian, witness)
        value = _quadratic(d.hessian, witness) if witness is not None else None
    shown_H = display_array(d.hessian, ctx)
    out.append(hessian_tex(case.arch, shown_H, a.inertia, prime, witness, value, strength=a.strength))
    if exact and hessian_layout(case.arch, shown_H) == "blocks":
        appendix.append(exact_matrix_appendix(case.arch, shown_H, prime))
    k_max = _param_index(case.arch, a.max_gradient_parameter)
    where = tex_param_name(case.arch, k_max)
    biggest = tex_short(parse_rational(a.max_gradient)) if exact else tex_number(ctx.display_value(d.gradient[k_max]))
    zero_word = {"exact": "exactly", "numerical": "numerically (mp: below the tolerance, not a proof)",
                 "certified": "certainly (every ball is exactly 0)"}.get(a.strength, "")
    cert = a.krawczyk  # analyze's own Krawczyk verdict (certified, smooth), the one `exactlift certify` gives
    if cert is None and a.critical is not True:
        cert = certified_point_claim(case, ctx, digits)
    if a.critical is None:
        crit_tex = r"undecided: every gradient ball contains $0$ but not all are exactly $0$"
    elif a.critical and cert is not None and cert.critical is True:
        crit_tex = ""
    elif a.critical:
        crit_tex = rf"$\nabla R_S(\theta) = 0$ {zero_word}: a critical point"
    else:
        crit_tex = rf"$\nabla R_S(\theta) \neq 0$: the largest component is ${biggest}$ at ${where}$; not a critical point"
    if cert is not None and cert.critical is True:  # the file's theta is an approximate critical point
        crit_tex = (crit_tex.replace("; not a critical point", "") + r"; " if a.critical is False else "") + certified_claim_tex(cert)
    elif cert is not None and cert.reason:
        crit_tex += "; " + escape_text(f"Krawczyk test: {cert.reason}")
    facts = [Fact("criticality", True, latex=crit_tex)]
    if cert is not None and cert.critical is True and cert.inertia is not None:
        nm, n0, npl = cert.inertia
        facts.append(Fact(f"inertia ({nm}, {n0}, {npl})", True,
                          latex=rf"$\operatorname{{In}}(\nabla^2 R_S(\theta^*)) = ({nm}, {n0}, {npl})$ at the certified "
                          rf"critical point $\theta^*$ (ball $LDL^\top$ over the box of radius ${tex_radius(cert.radius)}$)"))
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
                          "analysis": a, "appendix": appendix, "certificate": cert}


def _data_and_loss(out: list[str], appendix: list[str], case: Case, outputs: list[Any], exact: bool,
                   prime: bool) -> None:
    """The data table (targets and outputs), the note on long entries, and the loss formulas."""
    out.append(data_tex(case, outputs))
    if exact and any(is_long(v) for row in list(case.Y) + outputs for v in row):
        out.append("Long rationals are shown to 4 significant digits; their exact values are in "
                   "Appendix~\\ref{app:exact}.\n\n")
        appendix.append(_exact_data_tex(case, outputs, prime))
    elif any(is_long(v) for row in case.Y for v in row):
        out.append("Long rational targets are shown to 4 significant digits; the case file has them exactly.\n\n")
    out.append(loss_tex(case))


def _exact_data_tex(case: Case, outputs: Sequence[Sequence[Any]], prime: bool) -> str:
    """The exact targets and outputs (for the appendix), one sample per line."""
    f = r"f_{\theta'}" if prime else r"f_\theta"
    lines = []
    for i in range(case.n_samples):
        ys = ", ".join(tex_number(v) for v in case.Y[i])
        fs = ", ".join(tex_number(v) for v in outputs[i])
        lines.append(rf"y_{{{i + 1}}} &= {ys}, & {f}(x_{{{i + 1}}}) &= {fs}")
    return ("The exact targets and network outputs:\n{\\small\n\\begin{align*}\n" + " \\\\\n".join(lines)
            + "\n\\end{align*}}\n")


def tex_radius(r: str | None) -> str:
    r"""A certificate's decimal bound (``"7.812259e-39"``) as LaTeX: ``7.812259 \cdot 10^{-39}``.

    >>> print(tex_radius("7.812259e-39"), tex_radius("0"))
    7.812259 \cdot 10^{-39} 0
    """
    if not r:
        return "?"
    if "e" not in r:
        return r
    m, e = r.split("e")
    return f"{m} \\cdot 10^{{{int(e)}}}"


def certified_claim_tex(cert: Any) -> str:
    r"""A certified criticality claim with its radius (a :class:`~exactlift.certify.critical.CriticalCertificate`).

    >>> from types import SimpleNamespace
    >>> c = SimpleNamespace(critical=True, radius="1e-30", distance="2e-20")
    >>> print(certified_claim_tex(c))
    certified: a unique critical point $\theta^*$ lies in the box of radius $1 \cdot 10^{-30}$ around the refined centre, with $\|\theta^* - \theta\|_\infty \le 2 \cdot 10^{-20}$ (Krawczyk test in ball arithmetic)
    """
    return (rf"certified: a unique critical point $\theta^*$ lies in the box of radius ${tex_radius(cert.radius)}$ "
            rf"around the refined centre, with $\|\theta^* - \theta\|_\infty \le {tex_radius(cert.distance)}$ "
            "(Krawczyk test in ball arithmetic)")


def certified_point_claim(case: Case, ctx: Context, digits: int) -> Any:
    """The Krawczyk certificate of the case's point when balls cannot decide it (smooth networks), else None."""
    if not ctx.enclosures or not certifiable(case):
        return None
    from exactlift.certify.critical import certify_critical_point

    try:
        return certify_critical_point(case, digits=digits)
    except ExactliftError:  # the engine refuses the case: the ball verdict stands
        return None


def _param_index(arch: Architecture, name: str) -> int:
    for i in range(arch.n_params):
        if arch.param_name(i) == name:
            return i
    return 0  # pragma: no cover
