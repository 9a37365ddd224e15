r"""Standalone LaTeX documents of a case (optionally lifted) and of theorem cards.

Everything in :mod:`exactlift.latex` takes the objects the computations use (an
:class:`~exactlift.nn.case.Case`, the :class:`~exactlift.calculus.backprop.Derivatives`,
a lift, a :class:`~exactlift.theorems.runner.CardResult`) and returns LaTeX text;
this module assembles the standalone documents (:func:`case_document`,
:func:`card_document`; see :mod:`exactlift.latex.document`).  The parts live one
concept a module, and stay importable from here:

* :mod:`exactlift.latex.steps`: verification steps (:class:`Fact`, :func:`steps_list`);
* :mod:`exactlift.latex.network`: parameter names, network, parameters, data, loss;
* :mod:`exactlift.latex.derivatives`: back-propagation, gradient, Hessian and inertia;
* :mod:`exactlift.latex.analysis`: the analysis of one case (:func:`analysis_tex`);
* :mod:`exactlift.latex.lifts`: parameter maps, inserted layers, one lift.

Big objects stay readable: matrices up to :data:`FULL_MATRIX_LIMIT` rows and
columns are printed in full (shrunk to the line width when wide), larger ones
are summarized (size, non-zeros, inertia, a witness vector).

>>> from exactlift.nn.network import Architecture
>>> tex_param_name(Architecture.build([1, 2, 1], "relu"), 4)
'W^{[2]}_{0,0}'
"""

from __future__ import annotations

import re
from typing import Any, Sequence

import numpy as np
import sympy

from exactlift.arith.contexts import get_context
from exactlift.latex.analysis import analysis_tex, display_array, tex_radius
from exactlift.lifts.certified import certifiable
from exactlift.lifts.depth.certified import certified_check_lift
from exactlift.lifts.width.check import check_embedding
from exactlift.latex.derivatives import (
    FULL_ENTRY_DIGITS,
    INERTIA_HOW,
    backprop_tex,
    gradient_tex,
    hessian_tex,
    sparse_vector_tex,
)
from exactlift.latex.document import Document, eq_short, escape_text, sanitize_latex, tex_matrix, tex_number
from exactlift.tex import math_words
from exactlift.latex.lifts import FULL_MAP_LIMIT, certified_checks_tex, depth_lift_tex, lift_tex, parameter_map_tex
from exactlift.latex.network import (
    FULL_DATA_LIMIT,
    FULL_MATRIX_LIMIT,
    activation_tex,
    data_tex,
    loss_tex,
    matrix_block,
    network_tex,
    params_tex,
    tex_param_name,
)
from exactlift.latex.steps import Fact, abbreviate_numbers, steps_list
from exactlift.nn.case import Case
from exactlift.sources import CLAIMS, PAPERS
from exactlift.errors import InputError, validated

__all__ = [
    # documents (this module)
    "case_document",
    "card_document",
    "latex_of",
    # re-exported from the modules of the parts
    "Fact",
    "abbreviate_numbers",
    "steps_list",
    "FULL_MATRIX_LIMIT",
    "FULL_DATA_LIMIT",
    "tex_param_name",
    "activation_tex",
    "network_tex",
    "matrix_block",
    "params_tex",
    "loss_tex",
    "data_tex",
    "INERTIA_HOW",
    "FULL_ENTRY_DIGITS",
    "backprop_tex",
    "gradient_tex",
    "sparse_vector_tex",
    "hessian_tex",
    "analysis_tex",
    "display_array",
    "FULL_MAP_LIMIT",
    "parameter_map_tex",
    "depth_lift_tex",
    "lift_tex",
]


@validated
def case_document(case: Case, lifts: Sequence[Any] = (), arithmetic: str = "exact", digits: int = 50,
                  title: str | None = None) -> Document:
    """A standalone document: the analysis of ``case`` and, with lifts, of the lifted case.

    With lifts it renders each lift and its parameter map, the lifted
    network's analysis, and the comparison steps: training outputs agree,
    the loss agrees, criticality transfers, inertia counts before and after.

    >>> from exactlift.nn.examples import demo_case
    >>> doc = case_document(demo_case())
    >>> r"\\operatorname{In}" in doc.render()
    True
    """
    name = case.name or "case"
    doc = Document(title or (f"exactlift derivation: {name}" + (" and its lift" if lifts else "")))
    if case.description:
        doc.add(math_words(case.description) + "\n")
    body, narrow = analysis_tex(case, arithmetic, digits)
    strength = str(narrow["analysis"].strength)
    claim = CLAIMS["critical-point"]
    if lifts:
        depth = any(hasattr(l, "lift") and not hasattr(l, "matrix") for l in lifts)
        claim = CLAIMS["depth-lift" if depth else "width-embedding"]
    doc.cite(*claim.cited())
    doc.add(theorem_tex(claim))
    doc.add(proposition_tex(narrow, strength, "sec:case"))
    doc.section("The network " + ("before the lift" if lifts else "") if lifts else "The case")
    doc.add("\\label{sec:case}\n")
    doc.add(body)
    appendix = list(narrow["appendix"])
    if not lifts:
        _appendix(doc, appendix)
        return doc
    current = case
    doc.section("The lift" + ("s" if len(lifts) > 1 else ""))
    for lift in lifts:
        nxt = lift.apply_case(current)
        doc.add(lift_tex(lift, current, nxt))
        current = nxt
    doc.section("The lifted network")
    doc.add("\\label{sec:lifted}\n")
    body, wide = analysis_tex(current, arithmetic, digits, prime=True, title_prefix="Lifted: ",
                              data_of="sec:case", reference_outputs=narrow["outputs"])
    doc.add(body)
    appendix += wide["appendix"]
    doc.section("What the lift preserved")
    facts = []
    same_out = narrow["outputs"] == wide["outputs"]
    facts.append(Fact("outputs", same_out,
                      latex=rf"$f_{{\theta'}}(x_i) = f_\theta(x_i)$ for every training input ($n = {case.n_samples}$)"
                      if same_out else r"the outputs on the training inputs differ"))
    same_loss = get_context(arithmetic, digits).decide_zero(narrow["loss"] - wide["loss"])
    facts.append(Fact("loss", same_loss is not False,
                      latex=rf"$R_S(\theta') = R_S(\theta) {eq_short(narrow['loss'])}$" if same_loss else
                      r"the loss changed" if same_loss is False else
                      r"the enclosures of $R_S(\theta')$ and $R_S(\theta)$ overlap (a consistency check: balls cannot "
                      r"prove equality; the output preservation above proves it)"))
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
    doc.add(proposition_tex(wide, strength, "sec:lifted", prime=True))
    doc.add(steps_list(facts))
    if arithmetic == "certified" and len(lifts) == 1 and certifiable(case):
        doc.add("\\subsection{The theorems at the certified critical point}\n")
        doc.add(certified_checks_tex(certified_theorem_checks(case, lifts[0], digits)))
    _appendix(doc, appendix)
    return doc


def certified_theorem_checks(case: Case, lift: Any, digits: int) -> list[Any]:
    """The width checks (``check-embedding``) or depth checks (``check-lift``) at the certified critical
    point near ``case``'s parameters (docs/certified.md): each says its strength and its box radius."""
    if hasattr(lift, "matrix"):  # a width embedding
        return check_embedding(case, lift, "certified", digits, second_order=False)
    return certified_check_lift(case, lift, digits)


#: How a document's computations back its proposition, per strength (the wording matches the arithmetic).
PROOF_HOW = {
    "exact": "in exact rational arithmetic",
    "numerical": "in mp floating-point arithmetic: the result is numerical, not a proof",
    "certified": "in ball arithmetic (every ball contains the true value)",
    "symbolic": "symbolically",
}


def theorem_tex(claim: Any) -> str:
    r"""A claim of :data:`exactlift.sources.CLAIMS` as an amsthm ``theorem`` with its source."""
    return ("\\begin{theorem}[" + claim.source_tex() + "]\n" + claim.latex + "\n\\end{theorem}\n")


def proposition_tex(facts: dict[str, Any], strength: str, where: str, prime: bool = False) -> str:
    """What this document computed about θ (or θ'), as a proposition with a short proof."""
    th = r"\theta'" if prime else r"\theta"
    crit, inertia = facts["critical"], facts["inertia"]
    cert = facts.get("certificate")
    if strength == "certified" and cert is not None and getattr(cert, "critical", None) is True:
        # what ball arithmetic proved: a true critical point near the given parameters, not grad = 0 at them
        text = (rf"There is a critical point $\theta^*$ of $R_S$ with $\|\theta^* - {th}\|_\infty \le "
                rf"{tex_radius(cert.distance)}$ (the only one in a box of radius ${tex_radius(cert.radius)}$ around a refined centre, by the Krawczyk test)")
        inertia = getattr(cert, "inertia", None) or inertia
        if inertia:
            nm, n0, npl = inertia
            kind = ("a strict saddle" if nm else ("a strict local minimum" if n0 == 0 else
                    "a point where the second-order test is inconclusive"))
            text += (rf"; the Hessian $\nabla^2 R_S(\theta^*)$ has inertia $(n_-, n_0, n_+) = ({nm}, {n0}, {npl})$, "
                     rf"and $\theta^*$ is {kind}")
        text += "."
    elif crit is None:
        text = rf"Whether $\nabla R_S({th}) = 0$ is undecided at this precision (every gradient ball contains $0$)"
        if inertia:
            text += rf"; the Hessian has inertia $(n_-, n_0, n_+) = ({inertia[0]}, {inertia[1]}, {inertia[2]})$"
        text += "."
    elif not crit:
        text = rf"$\nabla R_S({th}) \neq 0$: ${th}$ is not a critical point."
    else:
        text = rf"$\nabla R_S({th}) = 0$: ${th}$ is a critical point"
        if inertia:
            nm, n0, npl = inertia
            kind = ("a strict saddle" if nm else ("a strict local minimum" if n0 == 0 else
                    "a point where the second-order test is inconclusive (positive semidefinite, singular Hessian)"))
            text += rf", the Hessian has inertia $(n_-, n_0, n_+) = ({nm}, {n0}, {npl})$, and ${th}$ is {kind}"
        text += "."
    if strength == "numerical":  # mp: nothing is exactly zero; say what was computed
        text = (text.replace(rf"$\nabla R_S({th}) = 0$:", rf"Numerically, $\nabla R_S({th}) = 0$ (every component below "
                             r"the tolerance of mp arithmetic):")
                .replace(" is a critical point", " is numerically a critical point"))
    how = PROOF_HOW.get(strength, "")
    return ("\\begin{proposition}\n" + text + "\n\\end{proposition}\n"
            f"\\begin{{proof}}[Computation]\nThe gradient and the Hessian of Section~\\ref{{{where}}} are computed {how}; "
            "each verification step is listed there.\n\\end{proof}\n")


def _appendix(doc: Document, parts: list[str]) -> None:
    if parts:
        doc.add_appendix("\\section{Exact values}\n\\label{app:exact}\n" + "\n".join(parts))


@validated
def card_document(results: Sequence[Any], title: str | None = None) -> Document:
    """A document for one or more theorem cards: statement, source, strength, cases and steps."""
    results = list(results)
    if not results or any(not hasattr(r, "card") for r in results):
        raise InputError("card_document(): results must be a non-empty list of card results (run_card(...))")
    if title is None:
        title = results[0].card.title if len(results) == 1 else "exactlift theorem cards"
    doc = Document(title)
    for r in results:
        card = r.card
        if len(results) > 1:
            doc.add(f"\\section{{{math_words(card.title)}}}\n")
        keys = cited_papers(card.source)
        doc.cite(*keys)
        cites = ("~" + "".join(rf"\cite{{{k}}}" for k in keys)) if keys else ""
        doc.add("\\begin{theorem}" + (f"[{escape_text(card.label)}{cites}]" if keys or card.label else "") + "\n"
                + sanitize_latex(card.statement) + "\n\\end{theorem}\n")
        label = card.label
        suffix = "" if label.lower() in card.source.lower() else f" ({escape_text(label)})"
        source = re.sub(r"^\s*papers?:\s*", "", card.source)  # the card's "paper: " tag is for the CLI
        doc.add(rf"\paragraph{{Source.}} {math_words(source)}{suffix}{cites}." + "\n")
        if card.notes:
            doc.add(r"\paragraph{Notes.} " + sanitize_latex(card.notes) + "\n")
        doc.add(rf"\paragraph{{Verified.}} {len(r.cases)} case(s), strength \textbf{{{escape_text(card.strength)}}}, "
                rf"result \textbf{{{escape_text(r.result)}}} in {r.seconds:.2f}~s." + "\n")
        rows = "\n".join(
            f"{math_words(c.name)} & {escape_text(c.result)} & {c.seconds:.3f} \\\\" for c in r.cases
        )
        doc.add("\\begin{center}\n\\begin{tabular}{@{}lll@{}}\n\\toprule\ncase & result & seconds \\\\\n\\midrule\n"
                + rows + "\n\\bottomrule\n\\end{tabular}\n\\end{center}\n")
        for c in r.cases:
            doc.add(f"\\subsection*{{Case {math_words(c.name)}}}\n")
            if isinstance(c.case, Case):
                doc.paragraph(f"{c.case.arch.describe()}, {c.case.n_samples} training points, loss {c.case.loss.spec}.")
            if c.steps:
                doc.add(steps_list(c.steps))
            if c.message:
                doc.paragraph(("Failure: " if c.result == "failed" else "Error: ") + abbreviate_numbers(c.message))
            if not c.steps and not c.message:
                doc.paragraph("The check passed.")
    return doc


def cited_papers(source: str) -> list[str]:
    """Keys of the papers of :data:`exactlift.sources.PAPERS` a source text names (by arXiv number,
    or Fukumizu & Amari by name).

    >>> cited_papers("paper: arXiv 2111.15527 (Zhang et al.) and arXiv 2105.14573")
    ['zhang2022', 'zhang2021']
    """
    found = []
    for m in re.finditer(r"\d{4}\.\d{4,5}", source):
        found += [k for k, p in PAPERS.items() if p.arxiv == m.group()]
    if "fukumizu" in source.lower():
        found.append("fukumizu2000")
    return list(dict.fromkeys(found))


def latex_of(obj: Any) -> str:
    """``sympy.latex`` for expressions and numbers; matrices as pmatrix (convenience for cards)."""
    if isinstance(obj, (np.ndarray, sympy.MatrixBase)) or (isinstance(obj, list) and obj and isinstance(obj[0], list)):
        return tex_matrix(obj)
    return tex_number(obj)
