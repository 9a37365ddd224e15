"""``exactlift latex FILE [--split …] [--null …] [--insert …] -o OUT.tex``.

Renders a standalone LaTeX derivation of a case file: the network, data and
loss, the exact gradient components, the Hessian (or its inertia and a
witness vector) and the verification steps.  With lift options (the same as
``exactlift lift``, applied in command-line order) it also renders each lift
and its parameter map, the lifted network's analysis, and what the lift
preserved.  ``--pdf`` also compiles it when a TeX engine is installed.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from exactlift.cli_options import add_arithmetic_options, add_case_options, resolve_arithmetic, with_example
from exactlift.errors import InputError
from exactlift.latex.document import compile_tex, find_tex_engine, first_error
from exactlift.latex.render import case_document
from exactlift.lifts.options import add_lift_options, lifts_from_args
from exactlift.nn.case import load_case


def _latex(args: argparse.Namespace) -> int:
    case = load_case(args.file, args.floats)
    lifts = lifts_from_args(args) if getattr(args, "lifts", None) else []
    doc = case_document(case, lifts, resolve_arithmetic(args, case), args.digits, title=args.title)
    out = Path(args.output)
    if out.suffix != ".tex":
        raise InputError(f"-o {out}: the output must be a .tex file")
    doc.write(out)
    msg = f"wrote {out}"
    if args.pdf:
        if find_tex_engine() is None:
            raise InputError("--pdf needs a TeX engine (pdflatex, latexmk or tectonic) on PATH")
        with tempfile.TemporaryDirectory(prefix="exactlift-tex-") as tmp:  # .aux and .log stay out of the way
            result = compile_tex(out.resolve(), tmp)
            if not result.ok:
                print(f"{msg}\nerror: {result.engine} failed: {first_error(result.log)}")
                return 1
            pdf = out.with_suffix(".pdf")
            shutil.copyfile(result.pdf, pdf)
        msg += f" and {pdf}"
    print(msg)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``latex``."""
    p = sub.add_parser("latex", help="write a standalone LaTeX derivation of a case (and of its lifts)",
                       **with_example("exactlift latex case.json -o case.tex --pdf",
                                      "exactlift latex case.json --split 1:0:1/3 -o split.tex",
                                      note="Layers of --split/--null/--permute count from 1, --insert counts the input "
                                           "as layer 0; neurons count from 0."))
    add_case_options(p)
    add_arithmetic_options(p)
    add_lift_options(p)
    p.add_argument("-o", "--output", required=True, help="where to write the .tex document")
    p.add_argument("--title", help="document title (default: from the case name)")
    p.add_argument("--pdf", action="store_true", help="also compile it with pdflatex/latexmk/tectonic")
    p.set_defaults(func=_latex)
