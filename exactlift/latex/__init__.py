"""LaTeX derivations and certificates rendered from exactlift's objects.

:func:`case_document` (a case, optionally lifted) and :func:`card_document`
(theorem-card results) build standalone documents that compile with pdflatex
using only amsmath/amssymb/geometry/booktabs/graphicx; see ``docs/latex.md``.
"""

from exactlift.latex.document import Document, compile_tex, escape_text, find_tex_engine, sanitize_latex, tex_matrix, tex_number
from exactlift.latex.render import card_document, case_document, hessian_tex, latex_of, network_tex, parameter_map_tex

__all__ = [
    "Document",
    "case_document",
    "card_document",
    "compile_tex",
    "find_tex_engine",
    "escape_text",
    "sanitize_latex",
    "tex_number",
    "tex_matrix",
    "latex_of",
    "network_tex",
    "hessian_tex",
    "parameter_map_tex",
]
