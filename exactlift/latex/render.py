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

from typing import Any, Sequence

import numpy as np
import sympy

from exactlift.latex.analysis import analysis_tex, display_array
from exactlift.latex.derivatives import (
    FULL_ENTRY_DIGITS,
    INERTIA_HOW,
    backprop_tex,
    gradient_tex,
    hessian_tex,
    sparse_vector_tex,
)
from exactlift.latex.document import Document, escape_text, sanitize_latex, tex_matrix, tex_number
from exactlift.latex.lifts import FULL_MAP_LIMIT, depth_lift_tex, lift_tex, parameter_map_tex
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
