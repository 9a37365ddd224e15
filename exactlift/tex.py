r"""LaTeX text escaping: plain text and Unicode symbols to pdflatex-safe LaTeX.

A bottom module (beside :mod:`exactlift.errors`), so that every layer that
renders LaTeX, from :class:`~exactlift.certify.certificate.Certificate` up to
the documents of :mod:`exactlift.latex`, uses the same rules.

>>> print(escape_text("loss_1 = 50% & σ ≥ 0"))
loss\_1 = 50\% \& \ensuremath{\sigma} \ensuremath{\geq} 0
>>> print(sanitize_latex(r"$\theta ≥ 0$"))
$\theta \ensuremath{\geq} 0$
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

__all__ = ["escape_text", "sanitize_latex", "unicode_symbol", "math_words"]

_UNICODE = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
    "θ": r"\theta", "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "π": r"\pi", "σ": r"\sigma",
    "τ": r"\tau", "φ": r"\varphi", "ω": r"\omega", "Δ": r"\Delta", "Θ": r"\Theta",
    "Σ": r"\Sigma", "Ω": r"\Omega", "ℓ": r"\ell", "∇": r"\nabla", "∂": r"\partial",
    "≥": r"\geq", "≤": r"\leq", "≠": r"\neq", "≈": r"\approx", "→": r"\to", "↦": r"\mapsto",
    "⇒": r"\Rightarrow", "⇔": r"\Leftrightarrow", "∈": r"\in", "∉": r"\notin", "⊆": r"\subseteq",
    "⊂": r"\subset", "∪": r"\cup", "∩": r"\cap", "×": r"\times", "·": r"\cdot", "∘": r"\circ",
    "⊗": r"\otimes", "⊙": r"\odot", "∞": r"\infty", "∑": r"\sum", "∏": r"\prod", "√": r"\surd",
    "−": "-", "±": r"\pm", "⪰": r"\succeq", "⪯": r"\preceq", "≻": r"\succ", "≺": r"\prec",
    "ᵀ": r"^{\top}", "⁻": r"^{-}", "⁺": r"^{+}", "′": r"'", "″": r"''", "∀": r"\forall",
    "∃": r"\exists", "¬": r"\neg", "∧": r"\wedge", "∨": r"\vee", "‖": r"\|", "⟨": r"\langle",
    "⟩": r"\rangle", "…": r"\dots", "⋯": r"\cdots", "ℝ": r"\mathbb{R}", "ℕ": r"\mathbb{N}",
    "ℚ": r"\mathbb{Q}", "ℤ": r"\mathbb{Z}", "♯": r"\sharp", "✓": r"\checkmark",
}
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₋₊ᵢⱼₖₗₘₙ", "0123456789-+ijklmn"))
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹ⁿ", "0123456789n"))
_TEXT_PLAIN = {"–": "--", "—": "---", "“": "``", "”": "''", "‘": "`", "’": "'", "\u00a0": "~"}

_TEXT_SPECIAL = {
    "\\": r"\ensuremath{\backslash}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\~{}", "^": r"\^{}",
    "<": r"\ensuremath{<}", ">": r"\ensuremath{>}", "|": r"\ensuremath{|}",
}


def unicode_symbol(ch: str) -> str | None:
    """The LaTeX for one Unicode symbol (σ, ≥, ₁, ᵀ, …), or None when it has no macro here."""
    if ch in _UNICODE:
        return r"\ensuremath{" + _UNICODE[ch] + "}"
    if ch in _SUBSCRIPTS:
        return r"\ensuremath{_{" + _SUBSCRIPTS[ch] + "}}"
    if ch in _SUPERSCRIPTS:
        return r"\ensuremath{^{" + _SUPERSCRIPTS[ch] + "}}"
    if ch in _TEXT_PLAIN:
        return _TEXT_PLAIN[ch]
    return None


_ACCENTS = {0x301: "\\'", 0x300: "\\`", 0x302: "\\^", 0x308: '\\"', 0x303: "\\~", 0x327: "\\c", 0x30A: "\\r",
            0x304: "\\=", 0x306: "\\u", 0x30C: "\\v", 0x30B: "\\H", 0x307: "\\."}
_LETTERS = {"ß": r"\ss{}", "ø": r"\o{}", "Ø": r"\O{}", "æ": r"\ae{}", "Æ": r"\AE{}", "œ": r"\oe{}", "Œ": r"\OE{}",
            "å": r"\aa{}", "Å": r"\AA{}", "ł": r"\l{}", "Ł": r"\L{}", "ı": r"\i{}"}


def _fallback(ch: str) -> str:
    """Accented Latin letters as accent macros (OT1 has them); anything else as a visible code."""
    if ch in _LETTERS:
        return _LETTERS[ch]
    parts = unicodedata.decomposition(ch).split()
    if len(parts) == 2 and not parts[0].startswith("<"):
        base, mark = chr(int(parts[0], 16)), int(parts[1], 16)
        if base.isascii() and base.isalpha() and mark in _ACCENTS:
            return _ACCENTS[mark] + "{" + base + "}"
    return r"\texttt{[U+%04X]}" % ord(ch)


def escape_text(text: Any) -> str:
    """Plain text → LaTeX text (special characters escaped, Unicode symbols as macros)."""
    return "".join(_TEXT_SPECIAL.get(ch) or _symbol_or_fallback(ch) for ch in str(text))


def sanitize_latex(tex: str) -> str:
    """LaTeX written by a person, with Unicode symbols replaced so pdflatex accepts it."""
    return "".join(_symbol_or_fallback(ch) for ch in tex)


def _symbol_or_fallback(ch: str) -> str:
    """ASCII as it is; a Unicode symbol as its macro, else an accent macro or a visible code."""
    if ord(ch) < 128:
        return ch
    rep = unicode_symbol(ch)
    return rep if rep is not None else _fallback(ch)


_MATHY = re.compile(
    r"(?P<formula>\b(?:sigma|σ)\(z\)\s*=\s*[A-Za-z0-9+\-*/^(). ]*[A-Za-z0-9)])"
    r"|(?P<ratio>(?:α|\balpha)\s*=\s*-?\d+(?:/\d+)?)"
    r"|(?P<count>\bn[-0+]\([A-Za-z]\w*\))"
    r"|(?P<term>(?:\b[A-Z]_\{?[A-Za-z0-9,+-]+\}?(?:\^T)?|\b[A-Za-z]\^T|\b[A-Za-z]\^\d+)"
    r"(?:\s*(?:!=|>=|<=|=|<|>)\s*-?[\w./]+)?)"
    r"|(?P<op>!=|>=|<=)"
    r"|(?P<word>\b(?:alpha|sigma|theta|inf)\b)"
)
_OPS = {"!=": r"\neq", ">=": r"\geq", "<=": r"\leq"}
_WORDS = {"alpha": r"\alpha", "sigma": r"\sigma", "theta": r"\theta", "inf": r"\infty"}


def _formula(text: str) -> str:
    """An activation formula ``sigma(z) = z/(1+z^2)`` as math (``**`` as ``^``, exponents braced)."""
    text = text.replace("σ", "sigma").replace("**", "^").replace("*", r" \cdot ")
    text = re.sub(r"\^(\d+)", r"^{\1}", text)
    return re.sub(r"\bsigma\b", r"\\sigma", text)


def _math_term(term: str) -> str:
    term = re.sub(r"_\{?([A-Za-z0-9,+-]+)\}?", r"_{\1}", term)
    term = term.replace("^T", r"^{\top}")
    for op, mac in _OPS.items():
        term = term.replace(op, mac + " ")
    return re.sub(r"\b(alpha|sigma|theta|inf)\b", lambda m: _WORDS[m.group(1)] + " ", term)


def math_words(text: Any) -> str:
    r"""Plain text with code-like math (``G_s != 0``, ``M_s``, ``T^T``, ``(0, inf)``) as LaTeX text with math.

    Only a capital letter with a subscript (``M_s``, ``H_wide``) is read as math; ``a_b`` stays text.

    >>> print(math_words("G_s != 0 for neuron 1; t in (0, inf)"))
    $G_{s} \neq  0$ for neuron 1; t in (0, $\infty$)
    >>> print(math_words("100% of M_s"))
    100\% of $M_{s}$
    >>> print(math_words("a 1-2-1 net, sigma(z) = z/(1+z^2), at a saddle"))
    a 1-2-1 net, $\sigma(z) = z/(1+z^{2})$, at a saddle
    >>> print(math_words("α=-1: no, alpha=1/3: saddle; so n-(K) >= 1"))
    $\alpha = -1$: no, $\alpha = \frac{1}{3}$: saddle; so $n_{-}(K)$ $\geq$ 1
    """
    out, pos = [], 0
    text = str(text)
    for m in _MATHY.finditer(text):
        out.append(escape_text(text[pos:m.start()]))
        if m.group("formula"):
            out.append("$" + _formula(m.group("formula")) + "$")
        elif m.group("ratio"):
            value = m.group("ratio").split("=", 1)[1].strip()
            num, _, den = value.partition("/")
            out.append(r"$\alpha = " + (rf"{'-' if num.startswith('-') else ''}\frac{{{num.lstrip('-')}}}{{{den}}}"
                                          if den else num) + "$")
        elif m.group("count"):
            sign, arg = m.group("count")[1], m.group("count")[3:-1]
            out.append(f"$n_{{{sign}}}({arg})$")
        elif m.group("term"):
            out.append("$" + _math_term(m.group("term")) + "$")
        elif m.group("op"):
            out.append("$" + _OPS[m.group("op")] + "$")
        else:
            out.append("$" + _WORDS[m.group("word")] + "$")
        pos = m.end()
    out.append(escape_text(text[pos:]))
    return "".join(out)
