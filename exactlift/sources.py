r"""The claims exactlift proves, each with its source: one registry for the command line and the LaTeX.

Every human-readable output (``exactlift demo``, ``analyze``, ``check-embedding``,
``check-lift``, ``split-line``, ``truly-bad``, ``certify``, ``explain``) and every
LaTeX document states what it proved in a sentence taken from :data:`CLAIMS`,
with the paper (authors, year, arXiv number, the named result) or "exactlift
formalization" and the docs page where the statement is written out.  The
documents cite the papers through :func:`Paper.bibitem` (one bibliography entry
per cited paper).

Results are **named, not numbered**: each is cited by what the paper calls it
("embedding principle", "irreversibility", "critical lifting", "the split line of a
hidden unit").  A theorem, lemma or proposition number is written only once it has been
checked against the paper's text; none has been so far (the full texts were not at
hand), so none is given.  docs/mathematics.md ("Sources") says the same to users.

>>> print(CLAIMS["width-embedding"].source())
Zhang et al. 2021 (arXiv 2105.14573), embedding principle; Zhang et al. 2022 (arXiv 2111.15527), critical embeddings; statement: docs/width.md
>>> print(claim_lines("critical-point")[1])
source: exactlift formalization (statement: docs/mathematics.md)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Paper", "Claim", "PAPERS", "CLAIMS", "claim_lines", "claim_header", "bibliography_tex"]


@dataclass(frozen=True)
class Paper:
    """A cited paper: ``cite()`` for text, ``bibitem()`` for LaTeX.

    >>> PAPERS["zhang2021"].cite()
    'Zhang et al. 2021 (arXiv 2105.14573)'
    """

    key: str
    authors: str
    short: str
    year: int
    title: str
    venue: str
    arxiv: str = ""

    def cite(self) -> str:
        """``Author et al. YEAR (arXiv NNNN.NNNNN)``."""
        return f"{self.short} {self.year}" + (f" (arXiv {self.arxiv})" if self.arxiv else "")

    def bibitem(self) -> str:
        """The ``\\bibitem`` of a ``thebibliography`` environment (plain LaTeX, no BibTeX run needed)."""
        arxiv = f" arXiv:{self.arxiv}." if self.arxiv else ""
        return rf"\bibitem{{{self.key}}} {self.authors}. \emph{{{self.title}}}. {self.venue}, {self.year}.{arxiv}"


#: The papers exactlift's claims come from.
PAPERS: dict[str, Paper] = {p.key: p for p in (
    Paper("zhang2021", "Y. Zhang, Z. Zhang, T. Luo, Z.-Q. J. Xu", "Zhang et al.", 2021,
          "Embedding principle of loss landscape of deep neural networks", "NeurIPS", "2105.14573"),
    Paper("zhang2022", "Y. Zhang, Y. Li, Z. Zhang, T. Luo, Z.-Q. J. Xu", "Zhang et al.", 2022,
          "Embedding principle: a hierarchical structure of loss landscape of deep neural networks",
          "Journal of Machine Learning 1(1)", "2111.15527"),
    Paper("bai2022", "Z. Bai, T. Luo, Z.-Q. J. Xu, Y. Zhang", "Bai et al.", 2022,
          "Embedding principle in depth for the loss landscape analysis of deep neural networks",
          "CSIAM Trans. Appl. Math. (2024)", "2205.13283"),
    Paper("simsek2021", "B. \\c{S}im\\c{s}ek, F. Ged, A. Jacot, F. Spadaro, C. Hongler, W. Gerstner, J. Brea",
          "Şimşek et al.", 2021, "Geometry of the loss landscape in overparameterized neural networks: "
          "symmetries and invariances", "ICML", "2105.12221"),
    Paper("fukumizu2000", "K. Fukumizu, S. Amari", "Fukumizu and Amari", 2000,
          "Local minima and plateaus in hierarchical structures of multilayer perceptrons",
          "Neural Networks 13(3)"),
)}


@dataclass(frozen=True)
class Claim:
    """One statement exactlift checks: the sentence, its LaTeX form, where it comes from.

    ``papers`` pairs each cited paper key with the result it is named by there;
    no papers means the statement is exactlift's own formalization (``doc`` says where).
    """

    key: str
    text: str
    latex: str
    papers: tuple[tuple[str, str], ...] = ()
    doc: str = "docs/mathematics.md"

    def source(self) -> str:
        """The papers and named results, or "exactlift formalization", and the docs page."""
        if not self.papers:
            return f"exactlift formalization (statement: {self.doc})"
        cited = "; ".join(f"{PAPERS[k].cite()}, {result}" for k, result in self.papers)
        return f"{cited}; statement: {self.doc}"

    def source_tex(self) -> str:
        r"""The source in LaTeX, with ``\cite`` keys (see :func:`bibliography_tex`)."""
        from exactlift.tex import escape_text

        if not self.papers:
            return rf"exactlift formalization (statement: \texttt{{{escape_text(self.doc)}}})"
        cited = "; ".join(rf"{escape_text(PAPERS[k].cite())}~\cite{{{k}}}, {escape_text(r)}" for k, r in self.papers)
        return cited + rf"; exactlift's statement: \texttt{{{escape_text(self.doc)}}}"

    def cited(self) -> tuple[str, ...]:
        """The keys of the cited papers."""
        return tuple(k for k, _ in self.papers)


_THETA_CRIT = (r"$\theta$ is a critical point of the empirical risk $R_S$ when $\nabla R_S(\theta) = 0$; "
               r"the inertia $(n_-, n_0, n_+)$ of the Hessian $\nabla^2 R_S(\theta)$ then classifies it "
               r"(a strict saddle if $n_- \geq 1$, a strict local minimum if $n_- = n_0 = 0$).")

#: Every claim a command or a document states, by key.
CLAIMS: dict[str, Claim] = {c.key: c for c in (
    Claim("critical-point",
          "θ is a critical point of the empirical risk R_S when ∇R_S(θ) = 0; the Hessian inertia (n₋, n₀, n₊) "
          "classifies it (strict saddle if n₋ ≥ 1, strict local minimum if n₋ = n₀ = 0).",
          _THETA_CRIT),
    Claim("width-embedding",
          "A critical embedding T of a narrow network into a wider one keeps the output function, maps "
          "critical points to critical points, and never lowers n₋, n₀ or n₊ of the Hessian.",
          r"A critical embedding $T$ into a wider network keeps the output function "
          r"($f_{T\theta} = f_\theta$), maps critical points to critical points "
          r"($\nabla R_S(\theta) = 0 \Rightarrow \nabla R_S(T\theta) = 0$), and none of "
          r"$n_-, n_0, n_+$ of the Hessian decreases.",
          (("zhang2021", "embedding principle"), ("zhang2022", "critical embeddings")), "docs/width.md"),
    Claim("irreversibility",
          "Along a critical embedding the numbers n₋, n₀, n₊ of negative, zero and positive Hessian "
          "eigenvalues never decrease.",
          r"Along a critical embedding none of $n_-, n_0, n_+$ decreases.",
          (("zhang2022", "irreversibility"),), "docs/width.md"),
    Claim("split-line",
          "Splitting hidden neuron s with ratio α gives a line of critical points; at a critical point the "
          "split point is a strict saddle iff H has n₋ ≥ 1 or α(1−α)M_s has a negative eigenvalue, and "
          "G_s ≠ 0 makes every α a strict saddle.",
          r"Splitting hidden neuron $s$ with ratio $\alpha$ gives a line of critical points; the split point "
          r"is a strict saddle iff $n_-(H) \geq 1$ or $\alpha(1-\alpha) M_s$ has a negative eigenvalue, "
          r"and $G_s \neq 0$ makes every $\alpha$ a strict saddle.",
          (("fukumizu2000", "the split line of a hidden unit"),), "docs/width.md (W7, W8)"),
    Claim("truly-bad",
          "A truly-bad critical point is one that no critical embedding turns into a strict saddle; it needs "
          "H ⪰ 0 and M_s = 0, G_s = 0 for every hidden neuron.",
          r"A critical point is \emph{truly bad} when no critical embedding turns it into a strict saddle; "
          r"this needs $\nabla^2 R_S \succeq 0$ and $M_s = 0$, $G_s = 0$ for every hidden neuron $s$.",
          (("zhang2022", "truly-bad critical points"),), "docs/width.md (W10)"),
    Claim("depth-lift",
          "Inserting a layer that is linear on the training data (a critical lifting) keeps the outputs, "
          "maps critical points to critical points, keeps n₋ and n₊ and raises n₀ by the dimension of the "
          "lifted set; a null neuron with a mixed pattern makes it a strict saddle.",
          r"Inserting a layer that is linear on the training data (a critical lifting) keeps the training "
          r"outputs, maps critical points to critical points, keeps $n_-$ and $n_+$ and raises $n_0$ by the "
          r"dimension of the lifted set; a null neuron with a mixed pattern makes the lifted point a strict saddle.",
          (("bai2022", "critical lifting, embedding principle in depth"),), "docs/depth.md"),
    Claim("certified-critical",
          "There is a true critical point θ* inside the stated box around the file's parameters, and every "
          "point of the box has the stated Hessian inertia (ball arithmetic, interval Newton).",
          r"There is a critical point $\theta^\ast$ of $R_S$ in the stated box around the given parameters, "
          r"and the Hessian has the stated inertia on the whole box.",
          (), "docs/certified.md"),
    Claim("explain",
          "The network condenses (copies merged, null neurons dropped) to a narrower one; a certified critical "
          "point of the narrow network embeds, by a critical embedding, into the given width.",
          r"The network condenses to a narrower one whose certified critical point embeds into the given width.",
          (("zhang2022", "critical embeddings"),), "docs/width.md"),
    Claim("exact-hessian",
          "The layered back-propagation Hessian equals sympy.hessian of the whole loss expression, entry by "
          "entry, in exact rational arithmetic.",
          r"The layered back-propagation Hessian equals the Hessian of the whole loss expression, entry by entry.",
          (), "docs/mathematics.md"),
)}


def claim_lines(key: str) -> tuple[str, str]:
    """The two header lines of a command's human-readable output: ``claim: …`` and ``source: …``."""
    c = CLAIMS[key]
    return f"claim:  {c.text}", f"source: {c.source()}"


def claim_header(*keys: str) -> str:
    """The header lines of one or more claims, joined by newlines.

    >>> claim_header("irreversibility").splitlines()[1]
    'source: Zhang et al. 2022 (arXiv 2111.15527), irreversibility; statement: docs/width.md'
    """
    return "\n".join(line for k in keys for line in claim_lines(k))


def bibliography_tex(keys: list[str] | tuple[str, ...]) -> str:
    """A ``thebibliography`` environment with one entry per cited paper (in order, no duplicates)."""
    seen = list(dict.fromkeys(keys))
    if not seen:
        return ""
    items = "\n".join(PAPERS[k].bibitem() for k in seen)
    return "\\begin{thebibliography}{9}\n" + items + "\n\\end{thebibliography}\n"
