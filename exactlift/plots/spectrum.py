"""The Hessian spectrum of a case: rigorous eigenvalue enclosures, the zero eigenvalues with their multiplicity.

Exact cases (rational activations and losses): the eigenvalues are the roots of
the exact characteristic polynomial of H, isolated by python-flint
(``fmpq_poly.complex_roots``) as balls with their multiplicities; a zero
eigenvalue is exactly 0.  Other cases (tanh, …): the Hessian in arb balls
(certified context) and the enclosures of ``acb_mat.eig``.  The inertia in the
title is the one :func:`~exactlift.analysis.analyze` proves in the same
arithmetic (exact congruence, or ball LDLᵀ; docs/inertia.md).

>>> from exactlift.gallery import load_example
>>> s = hessian_spectrum(load_example("relu-saddle"))
>>> s.inertia, s.strength, s.zero_multiplicity
((1, 7, 7), 'exact', 7)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import flint
import mpmath

from exactlift.analysis import Analysis, analyze
from exactlift.arith.linalg.convert import to_fmpq_mat
from exactlift.display import pyplot, save_figure
from exactlift.errors import ArithmeticModeError, InputError
from exactlift.nn.case import Case

__all__ = ["Spectrum", "hessian_spectrum", "plot_spectrum"]

#: Above this many parameters the spectrum is not computed (charpoly root isolation grows quickly).
MAX_SPECTRUM_PARAMS = 200


@dataclass
class Spectrum:
    """Eigenvalue enclosures of a case's Hessian: ``(midpoint, radius, multiplicity, zero)`` in ascending order.

    ``zero`` is True for an eigenvalue proved to be 0 (exact path) or, certified,
    for the n₀ enclosures nearest 0 when the certified inertia has n₀ zeros.
    """

    name: str
    strength: str
    inertia: tuple[int, int, int] | None
    method: str
    eigenvalues: list[tuple[float, float, int, bool]] = field(default_factory=list)
    #: |λ| at or below this is drawn as "0 up to rounding, not proved" (0 for exact enclosures)
    noise: float = 0.0

    @property
    def zero_multiplicity(self) -> int:
        return sum(m for _, _, m, z in self.eigenvalues if z)

    def to_json(self) -> dict[str, Any]:
        return {"case": self.name, "strength": self.strength, "inertia": list(self.inertia) if self.inertia else None,
                "method": self.method, "zero_multiplicity": self.zero_multiplicity,
                "eigenvalues": [{"midpoint": m, "radius": r, "multiplicity": k, "zero": z}
                                for m, r, k, z in self.eigenvalues]}


def _analysis(case: Case, arithmetic: str, digits: int) -> Analysis:
    if arithmetic not in ("auto", "exact", "certified"):
        raise InputError(f"the spectrum is exact or certified (auto, exact, certified), not {arithmetic!r}")
    if arithmetic == "auto":
        try:
            return analyze(case, "exact")
        except ArithmeticModeError:  # tanh, cross-entropy: no exact values, certified balls instead
            return analyze(case, "certified", digits)
    return analyze(case, arithmetic, digits)


def _exact_roots(H: Any) -> list[tuple[float, float, int, bool]]:
    roots = to_fmpq_mat(H).charpoly().complex_roots()
    out = []
    for z, mult in roots:
        re = z.real
        exact_zero = re.is_zero() and z.imag.is_zero()
        out.append((float(re.mid()), float(re.rad()), int(mult), bool(exact_zero)))
    return out


def _mpf(x: Any) -> Any:
    """The exact dyadic midpoint of an arb as an mpf."""
    if x.is_zero():
        return mpmath.mpf(0)
    man, exp = x.man_exp()
    return mpmath.ldexp(mpmath.mpf(int(man)), int(exp))


def _certified_roots(H: Any, digits: int, n_zero: int) -> tuple[list[tuple[float, float, int, bool]], str]:
    """Ball enclosures (acb_mat.eig); when a cluster cannot be isolated, mpmath positions of the midpoints."""
    n = H.shape[0]
    old = flint.ctx.prec
    flint.ctx.prec = max(53, int(digits * 3.33) + 10)
    try:
        M = flint.arb_mat([[H[i, j] for j in range(n)] for i in range(n)])
        try:
            eig = flint.acb_mat(M).eig(multiple=True)
            balls = [(float(e.real.mid()), float(e.real.rad())) for e in eig]
            method = f"arb ball enclosures at {digits} digits (acb_mat.eig)"
        except ValueError:  # e.g. a multiple zero eigenvalue of a ball matrix: positions only
            with mpmath.workdps(digits):
                A = mpmath.matrix([[_mpf(M[i, j].mid()) for j in range(n)] for i in range(n)])
                balls = [(float(x), float("nan")) for x in mpmath.eigsy(A, eigvals_only=True)]
            method = (f"positions: mpmath eigsy at {digits} digits (the ball enclosures could not isolate a "
                      "cluster); the inertia is the certified one")
    finally:
        flint.ctx.prec = old
    balls.sort(key=lambda b: abs(b[0]))
    return [(m, r, 1, k < n_zero) for k, (m, r) in enumerate(balls)], method


def hessian_spectrum(case: Case, arithmetic: str = "auto", digits: int = 50) -> Spectrum:
    """The eigenvalue enclosures and the proved inertia of the case's Hessian (see the module docstring)."""
    if case.arch.n_params > MAX_SPECTRUM_PARAMS:
        raise InputError(f"plot-spectrum handles at most {MAX_SPECTRUM_PARAMS} parameters, this case has "
                         f"{case.arch.n_params}")
    a = _analysis(case, arithmetic, digits)
    H = a.derivatives.hessian
    name = case.name or case.arch.describe()
    if a.strength in ("exact", "symbolic"):
        eig = _exact_roots(H)
        method = "roots of the exact characteristic polynomial (python-flint), with multiplicities"
        noise = 0.0
    else:
        n_zero = a.inertia[1] if a.inertia else 0
        eig, method = _certified_roots(H, digits, n_zero)
        scale = max((abs(m) for m, _, _, _ in eig), default=0.0)
        noise = scale * 10.0 ** (-(digits // 2))
    eig.sort(key=lambda e: e[0])
    return Spectrum(name, str(a.strength), a.inertia, method, eig, noise)


def plot_spectrum(case: Case | Spectrum, path: str, arithmetic: str = "auto", digits: int = 50) -> Spectrum:
    """Write a PNG of the spectrum: the eigenvalues in ascending order (symlog axis), 0 marked with its multiplicity."""
    s = case if isinstance(case, Spectrum) else hessian_spectrum(case, arithmetic, digits)
    plt = pyplot()
    from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator

    fig, ax = plt.subplots(figsize=(8, 4.8))
    index, k = [], 1
    for mid, rad, mult, zero in s.eigenvalues:
        index.append(list(range(k, k + mult)))
        k += mult
    tiny = [not z and abs(m) <= s.noise for m, _, _, z in s.eigenvalues]
    nonzero = [abs(m) for (m, _, _, z), t in zip(s.eigenvalues, tiny) if not z and not t and m != 0]
    # a power of ten below every non-zero eigenvalue: the linear band around 0 holds only the zeros
    linthresh = 10.0 ** math.floor(math.log10(min(nonzero))) if nonzero else 1.0
    colours = {-1: "C3", 0: "0.35", 1: "C0"}
    seen = set()
    if any(tiny):
        idx = [i for t, ix in zip(tiny, index) if t for i in ix]
        ax.plot(idx, [0.0] * len(idx), "D", mfc="none", mec="0.35", ms=6, label=f"|λ| ≤ {s.noise:.0e} (not proved 0)")
        ax.annotate(f"{len(idx)} × |λ| ≤ {s.noise:.0e}", xy=(sum(idx) / len(idx), 0.0), xytext=(0, 14),
                    textcoords="offset points", ha="center", fontsize=9, color="0.35")
    for (mid, rad, mult, zero), idx, t in zip(s.eigenvalues, index, tiny):
        if t:
            continue
        sign = 0 if zero else (1 if mid > 0 else -1)
        label = {-1: "negative (n₋)", 0: "zero (n₀)", 1: "positive (n₊)"}[sign]
        ax.errorbar(idx, [0.0 if zero else mid] * mult, yerr=[0.0 if rad != rad else rad] * mult, fmt="o" if sign else "D", ms=6,
                    color=colours[sign], capsize=3, label=None if label in seen else label)
        seen.add(label)
        if zero:
            ax.annotate(f"0 × {mult}" + (" (exactly 0)" if s.strength == "exact" else ""),
                        xy=(sum(idx) / mult, 0.0), xytext=(0, 14), textcoords="offset points", ha="center",
                        fontsize=9, color=colours[0])
        elif mult > 1:
            ax.annotate(f"× {mult}", xy=(idx[-1], mid), xytext=(6, 0), textcoords="offset points", fontsize=8)
    ax.axhline(0.0, color="k", lw=0.8)
    ax.set_yscale("symlog", linthresh=linthresh)
    lo = min([m for (m, _, _, z), t in zip(s.eigenvalues, tiny) if not z and not t] + [0.0])
    hi = max([m for (m, _, _, z), t in zip(s.eigenvalues, tiny) if not z and not t] + [0.0])
    decades = range(round(math.log10(linthresh)), math.ceil(math.log10(max(abs(lo), hi, linthresh))) + 1)
    ticks = [0.0] + [10.0 ** d for d in decades if hi > 0] + [-(10.0 ** d) for d in decades if lo < 0]
    ax.yaxis.set_major_locator(FixedLocator(sorted(ticks)))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_ylim(-linthresh if lo == 0 else 2 * lo, linthresh if hi == 0 else 2 * hi)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("eigenvalue number (ascending, with multiplicity)")
    ax.set_ylabel(f"eigenvalue of the Hessian\n(log scale; linear in |λ| < {linthresh:g})")
    inertia = "undecided" if s.inertia is None else "({}, {}, {})".format(*s.inertia)
    ax.set_title(f"Hessian spectrum of {s.name[:60]}\n(n₋, n₀, n₊) = {inertia} [{s.strength}]", fontsize=10)
    radii = [r for _, r, _, _ in s.eigenvalues if r == r]  # NaN: a position without enclosure
    extra = f"; largest radius {max(radii):.1e}" if len(radii) == len(s.eigenvalues) and radii else ""
    fig.text(0.01, 0.01, f"{s.method}{extra}", fontsize=7, color="0.3")
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    save_figure(fig, path)
    return s
