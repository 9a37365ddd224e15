r"""Standalone LaTeX documents that compile with pdflatex, and the text/number helpers.

Only packages of ``texlive-latex-base`` and ``texlive-latex-recommended`` are
used: ``amsmath``, ``amssymb``, ``amsthm``, ``geometry``, ``booktabs``, ``graphicx``; the
default OT1 encoding keeps to the Type 1 Computer Modern fonts of
``texlive-base`` (no bitmap fonts are generated at compile time).

Plain text (case names, claims) goes through :func:`escape_text`; LaTeX written
by people (a card's statement) through :func:`sanitize_latex`, which only maps
Unicode symbols (σ, θ, ≥, ᵀ, …) to macros so that pdflatex accepts them.

>>> escape_text("loss_1 = 50% & σ ≥ 0")
'loss\\_1 = 50\\% \\& \\ensuremath{\\sigma} \\ensuremath{\\geq} 0'
>>> tex_number(Fraction(-3, 4))
'- \\frac{3}{4}'
>>> doc = Document("A title")
>>> doc.section("Network"); doc.add(r"$x = 1$")
>>> doc.render().startswith(r"\documentclass")
True
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy

#: Packages every generated document uses (all in texlive-latex-base/recommended).
PACKAGES: tuple[str, ...] = ("amsmath", "amssymb", "amsthm", "booktabs", "graphicx")

PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[utf8]{inputenc}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb,amsthm}
\usepackage{booktabs}
\usepackage{graphicx}
\setcounter{MaxMatrixCols}{40}
\allowdisplaybreaks
\renewcommand{\labelitemi}{$\bullet$}  % a math bullet: no bitmap (TS1) font
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5ex}
\newtheorem{theorem}{Theorem}
\newtheorem{proposition}{Proposition}
\theoremstyle{remark}
\newtheorem*{remark}{Remark}
% shrink a box to the line width when (and only when) it is wider
\newsavebox{\exlbox}
\newcommand{\fitwidth}[1]{\sbox{\exlbox}{#1}%
  \ifdim\wd\exlbox>\linewidth\resizebox{\linewidth}{!}{\usebox{\exlbox}}\else\usebox{\exlbox}\fi}
"""

from exactlift.tex import escape_text, sanitize_latex  # noqa: F401  (re-exported)
from exactlift.errors import MissingToolError, validated



def tex_number(x: Any) -> str:
    """An exact number (Fraction, int, flint fmpq, SymPy) or an expression as LaTeX."""
    if isinstance(x, bool):
        return r"\text{%s}" % x
    if isinstance(x, (int, Fraction)):
        return sympy.latex(sympy.Rational(x.numerator, x.denominator) if isinstance(x, Fraction) else sympy.Integer(x))
    if hasattr(x, "p") and hasattr(x, "q") and not isinstance(x, sympy.Basic):  # flint fmpq
        return sympy.latex(sympy.Rational(int(x.p), int(x.q)))
    try:
        import mpmath

        if isinstance(x, mpmath.mpf):
            return sympy.latex(sympy.Float(mpmath.nstr(x, 12), 12))
    except ImportError:  # pragma: no cover
        pass
    return sympy.latex(sympy.sympify(x))


def tex_short(x: Any, max_digits: int = 30) -> str:
    """An exact rational in full when short; else ``\\approx`` a 6-digit decimal, saying so.

    >>> print(tex_short(Fraction(1, 3)))
    \\frac{1}{3}
    >>> print(tex_short(Fraction(10**40 + 1, 3)))
    \\approx 3.33333 \\cdot 10^{39}\\ (\\text{exactly a fraction of } 41 \\text{ over } 1 \\text{ digits})
    """
    frac = None
    if isinstance(x, (int, Fraction)):
        frac = Fraction(x)
    elif hasattr(x, "p") and hasattr(x, "q") and not isinstance(x, sympy.Basic):
        frac = Fraction(int(x.p), int(x.q))
    elif isinstance(x, sympy.Rational):
        frac = Fraction(int(x.p), int(x.q))
    if frac is None or number_width(frac) <= max_digits:
        return tex_number(x)
    if frac == 0:  # pragma: no cover
        return "0"
    approx = sympy.Float(sympy.Rational(frac.numerator, frac.denominator), 6)
    mant, _, exp = f"{float(approx):.5e}".partition("e")
    p, q = len(str(abs(frac.numerator))), len(str(frac.denominator))
    power = rf" \cdot 10^{{{int(exp)}}}" if int(exp) else ""
    return (rf"\approx {mant}{power}\ (\text{{exactly a fraction of }} {p} \text{{ over }} {q} \text{{ digits}})")


def tex_decimal(x: Any, significant: int = 4, exact_chars: int = 6) -> str:
    """An exact or mp number as a short decimal in LaTeX (``-1.881 \\cdot 10^{41}``); short exact
    rationals (up to ``exact_chars`` characters, such as ``19/3``) stay exact.

    >>> print(tex_decimal(Fraction(2, 30001)), tex_decimal(Fraction(-10**30, 7)), tex_decimal(Fraction(19, 3)))
    6.666 \\cdot 10^{-5} -1.429 \\cdot 10^{29} \\frac{19}{3}
    """
    from exactlift.display import decimal

    frac = _as_fraction(x)
    if frac is None:
        try:
            frac = Fraction(str(sympy.Rational(sympy.sympify(str(x)))))
        except (TypeError, ValueError, sympy.SympifyError):
            return tex_number(x)
    if len(str(frac)) <= exact_chars or frac.denominator == 1 and len(str(frac)) <= significant:
        return tex_number(frac)
    text = decimal(frac, significant)
    mant, _, exp = text.partition("e")
    return mant + (rf" \cdot 10^{{{int(exp)}}}" if exp else "")


def _as_fraction(x: Any) -> Fraction | None:
    if isinstance(x, bool):
        return None
    if isinstance(x, (int, Fraction)):
        return Fraction(x)
    if isinstance(x, sympy.Rational):
        return Fraction(int(x.p), int(x.q))
    if hasattr(x, "p") and hasattr(x, "q") and not isinstance(x, sympy.Basic):
        return Fraction(int(x.p), int(x.q))
    return None


def is_long(x: Any, max_chars: int = 12) -> bool:
    """True when an exact number prints with more than ``max_chars`` characters (then shown as a decimal)."""
    frac = _as_fraction(x)
    return len(str(frac if frac is not None else x)) > max_chars


def eq_short(x: Any, max_digits: int = 30) -> str:
    """``= value`` or ``\\approx value (…)`` (see :func:`tex_short`)."""
    t = tex_short(x, max_digits)
    return t if t.startswith("\\approx") else "= " + t


def number_width(x: Any) -> int:
    """A rough printed width (characters) of a number, to decide how to lay out a matrix."""
    if isinstance(x, Fraction) or (hasattr(x, "p") and hasattr(x, "q") and not isinstance(x, sympy.Basic)):
        p, q = (x.numerator, x.denominator) if isinstance(x, Fraction) else (int(x.p), int(x.q))
        return max(len(str(p)), len(str(q))) + 1
    return len(str(x))


def fit_width(math: str, chars: int = 0, limit: int = 60) -> str:
    """Display math; when it may be wider than a line (about ``chars`` characters), it is
    wrapped in ``\\fitwidth`` which shrinks it to the line width only if it really is wider."""
    if chars <= limit:
        return "\\[\n" + math + "\n\\]\n"
    return "\\[\n\\fitwidth{$\\displaystyle " + math + "$}\n\\]\n"


def tex_matrix(M: Any, env: str = "pmatrix") -> str:
    """A matrix (nested rows, numpy object array, SymPy Matrix) as an amsmath matrix."""
    rows = _rows(M)
    if not rows or not rows[0]:
        return r"\text{(empty)}"
    body = " \\\\\n".join(" & ".join(tex_number(v) for v in row) for row in rows)
    return f"\\begin{{{env}}}\n{body}\n\\end{{{env}}}"


def matrix_chars(M: Any) -> int:
    rows = _rows(M)
    if not rows or not rows[0]:
        return 0
    return sum(max(number_width(r[j]) for r in rows) + 2 for j in range(len(rows[0])))


def _rows(M: Any) -> list[list[Any]]:
    if isinstance(M, sympy.MatrixBase):
        return [list(M.row(i)) for i in range(M.rows)]
    if hasattr(M, "tolist"):
        M = M.tolist()
    rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in M]
    return rows


@dataclass
class Document:
    """A standalone article: title, abstract-like intro, sections of LaTeX body text."""

    title: str
    author: str = "generated by exactlift"
    parts: list[str] = field(default_factory=list)
    #: keys of the cited papers (:data:`exactlift.sources.PAPERS`): one bibliography entry each.
    cited: list[str] = field(default_factory=list)
    #: appendix parts (the exact values behind the rounded ones in the text).
    appendix: list[str] = field(default_factory=list)

    def section(self, title: str, level: str = "section") -> None:
        self.parts.append(f"\\{level}{{{escape_text(title)}}}\n")

    def add(self, tex: str) -> None:
        self.parts.append(tex if tex.endswith("\n") else tex + "\n")

    def paragraph(self, text: str) -> None:
        """Plain text (escaped) as a paragraph."""
        self.parts.append(escape_text(text) + "\n\n")

    def cite(self, *keys: str) -> None:
        """Record cited papers (each gets one bibliography entry)."""
        for k in keys:
            if k not in self.cited:
                self.cited.append(k)

    def add_appendix(self, tex: str) -> None:
        """A part of the appendix (rendered after the body, before the bibliography)."""
        self.appendix.append(tex if tex.endswith("\n") else tex + "\n")

    def render(self) -> str:
        from exactlift.sources import bibliography_tex

        head = PREAMBLE + f"\\title{{{escape_text(self.title)}}}\n\\author{{{escape_text(self.author)}}}\n\\date{{}}\n"
        tail = ""
        if self.appendix:
            tail += "\n\\appendix\n" + "\n".join(self.appendix)
        if self.cited:
            tail += "\n" + bibliography_tex(self.cited)
        return head + "\\begin{document}\n\\maketitle\n" + "\n".join(self.parts) + tail + "\n\\end{document}\n"

    def write(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.render(), encoding="utf-8")
        return path


# ---------------------------------------------------------------------------
# compiling
# ---------------------------------------------------------------------------

TEX_ENGINES: tuple[str, ...] = ("pdflatex", "latexmk", "tectonic")


def find_tex_engine() -> str | None:
    """The first TeX engine on PATH (pdflatex, latexmk, tectonic), or None."""
    for name in TEX_ENGINES:
        if shutil.which(name):
            return name
    return None


@dataclass
class CompileResult:
    ok: bool
    engine: str
    log: str
    pdf: Path | None


@validated
def compile_tex(tex: str | Path, outdir: str | Path | None = None, engine: str | None = None) -> CompileResult:
    """Compile a document (a path or the source text) to PDF; ``ok`` says whether it worked.

    Runs the engine with ``-halt-on-error`` so a broken document fails instead
    of hanging; pdflatex runs a second pass when references or citations are unresolved.
    Raises :class:`~exactlift.errors.MissingToolError` when no engine is installed
    (install TeX Live's pdflatex, latexmk or tectonic).
    """
    engine = engine or find_tex_engine()
    if engine is None:
        raise MissingToolError("no TeX engine (pdflatex, latexmk or tectonic) on PATH: install one to "
                               "compile the document, or write the .tex file without --pdf")
    outdir = Path(outdir) if outdir is not None else Path(tempfile.mkdtemp(prefix="exactlift-tex-"))
    outdir.mkdir(parents=True, exist_ok=True)
    if isinstance(tex, Path) or (isinstance(tex, str) and not tex.lstrip().startswith("\\") and Path(tex).is_file()):
        src = Path(tex).resolve()
    else:
        src = outdir / "document.tex"
        src.write_text(str(tex), encoding="utf-8")
    if engine == "pdflatex":
        cmd = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-output-directory", str(outdir), str(src)]
    elif engine == "latexmk":
        cmd = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", f"-outdir={outdir}", str(src)]
    else:
        cmd = ["tectonic", "--outdir", str(outdir), str(src)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=outdir, stdin=subprocess.DEVNULL)
    if engine == "pdflatex" and proc.returncode == 0 and ("Rerun" in proc.stdout or "undefined" in proc.stdout):
        # cross-references and citations (\\ref, \\cite) resolve on the second pass
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=outdir, stdin=subprocess.DEVNULL)
    pdf = outdir / (src.stem + ".pdf")
    ok = proc.returncode == 0 and pdf.exists()
    return CompileResult(ok, engine, proc.stdout + proc.stderr, pdf if pdf.exists() else None)


_ERROR_LINE = re.compile(r"^! .*$", re.M)


def first_error(log: str) -> str:
    """The first ``! …`` error line of a TeX log (with the line after it)."""
    m = _ERROR_LINE.search(log)
    if not m:
        return log[-500:]
    return log[m.start() : m.start() + 300]
