"""The inertia (n₋, n₀, n₊) of a split point as a function of the split ratio α (Fukumizu & Amari 2000).

At a critical point θ, splitting neuron s with ratio α gives
inertia(H_wide) = inertia(H_narrow) + inertia(K(α)), K(α) = [[α(1−α) M_s, G_sᵀ],
[G_s, 0]] (docs/width.md, :mod:`exactlift.lifts.width.second_order`).
:func:`split_line_inertia` evaluates it exactly on a grid of rational α (0 and
1 included: there the split block vanishes), and takes the rule and the
directly computed wide inertia at a few sample α from
:func:`~exactlift.lifts.width.fukumizu_amari.fukumizu_amari`.

>>> from exactlift.gallery import load_example
>>> s = split_line_inertia(load_example("fa-split-line"), neuron=0, alphas=["-1", "0", "1/2", "1", "2"])
>>> [s.at(a) for a in ("-1", "1/2", "2")]
[(1, 2, 4), (0, 2, 5), (1, 2, 4)]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

from exactlift.arith.contexts import get_context
from exactlift.display import pyplot, save_figure
from exactlift.errors import InputError
from exactlift.lifts.width.fukumizu_amari import fukumizu_amari
from exactlift.lifts.width.second_order import add_inertia, split_curvature
from exactlift.nn.case import Case

__all__ = ["SplitLineInertia", "split_line_inertia", "plot_split_line", "default_alphas"]


def default_alphas(lo: Fraction = Fraction(-1), hi: Fraction = Fraction(2), steps: int = 60) -> list[Fraction]:
    """``steps + 1`` equally spaced rationals from ``lo`` to ``hi`` (0 and 1 among them for the defaults).

    >>> a = default_alphas(); len(a), a[0], Fraction(0) in a, Fraction(1) in a
    (61, Fraction(-1, 1), True, True)
    """
    return [lo + (hi - lo) * Fraction(k, steps) for k in range(steps + 1)]


@dataclass
class SplitLineInertia:
    """(n₋, n₀, n₊) of the wide Hessian along the split line of one neuron, with the rule and direct checks."""

    name: str
    layer: int
    neuron: int
    strength: str
    rule: str
    inertia_narrow: tuple[int, int, int]
    alphas: list[Fraction]
    inertias: list[tuple[int, int, int]]
    direct: dict[Fraction, tuple[int, int, int]] = field(default_factory=dict)
    confirmed: bool = True

    def at(self, alpha: Any) -> tuple[int, int, int]:
        """The inertia at one of the grid's α."""
        return self.inertias[self.alphas.index(Fraction(alpha))]

    def to_json(self) -> dict[str, Any]:
        return {"case": self.name, "layer": self.layer, "neuron": self.neuron, "strength": self.strength,
                "rule": self.rule, "inertia_narrow": list(self.inertia_narrow), "confirmed": self.confirmed,
                "inertia": [{"alpha": str(a), "inertia": list(i)} for a, i in zip(self.alphas, self.inertias)],
                "direct": [{"alpha": str(a), "inertia": list(i)} for a, i in self.direct.items()]}


def split_line_inertia(case: Case, neuron: int, layer: int = 1, alphas: Sequence[Any] | None = None,
                       samples: Sequence[Any] = ("-1", "1/3", "1/2", "2"), arithmetic: str = "exact") -> SplitLineInertia:
    """inertia(H_narrow) + inertia(K(α)) for each α of ``alphas`` (default: −1 … 2 in steps of 1/20)."""
    grid = [Fraction(a) for a in (alphas if alphas is not None else default_alphas())]
    if not grid:
        raise InputError("give at least one split ratio alpha")
    fa = fukumizu_amari(case, neuron, layer, [Fraction(a) for a in samples], arithmetic)
    ctx = get_context(arithmetic)
    sc = split_curvature(case, layer, neuron, ctx)
    inertias = []
    with ctx.active():
        for a in grid:
            iK = ctx.inertia(sc.K(a))
            if iK is None or fa.inertia_narrow is None:
                raise InputError(f"the inertia at alpha = {a} is undecided in {ctx.name} arithmetic")
            inertias.append(add_inertia(fa.inertia_narrow, iK))
    direct = {Fraction(s["alpha"]): tuple(s["direct"]) for s in fa.samples}
    return SplitLineInertia(case.name or case.arch.describe(), layer, neuron, str(fa.strength), fa.rule,
                            tuple(fa.inertia_narrow), grid, inertias, direct, fa.confirmed)


def plot_split_line(case: Case | SplitLineInertia, path: str, neuron: int = 0, layer: int = 1,
                    alphas: Sequence[Any] | None = None) -> SplitLineInertia:
    """Write a PNG: n₋, n₀, n₊ of the split point against α (steps), the direct wide inertia at sample α marked."""
    s = case if isinstance(case, SplitLineInertia) else split_line_inertia(case, neuron, layer, alphas)
    plt = pyplot()
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(9.5, 4.8))
    xs = [float(a) for a in s.alphas]
    names = ("n₋ (negative)", "n₀ (zero)", "n₊ (positive)")
    colours = ("C3", "0.35", "C0")
    # the open intervals between the special ratios 0 and 1 (where the split block vanishes) as steps,
    # the special ratios themselves as isolated points
    special = [j for j, a in enumerate(s.alphas) if a in (0, 1)]
    bounds = [-1] + special + [len(xs)]
    for k in range(3):
        ys = [i[k] for i in s.inertias]
        for lo, hi in zip(bounds, bounds[1:]):
            seg = range(lo + 1, hi)
            if len(seg):
                ax.plot([xs[j] for j in seg], [ys[j] for j in seg], drawstyle="steps-mid", color=colours[k], lw=1.8,
                        label=names[k] if lo == -1 else None)
        ax.plot(xs, ys, "o", color=colours[k], ms=2.5)
        if special:
            ax.plot([xs[j] for j in special], [ys[j] for j in special], "D", color=colours[k], ms=6,
                    label="α = 0, 1 (no split)" if k == 2 else None)
        if s.direct:
            ax.plot([float(a) for a in s.direct], [i[k] for i in s.direct.values()], "o", mfc="none",
                    mec=colours[k], ms=10, mew=1.5, label="direct: wide Hessian" if k == 0 else None)
    for edge in (0, 1):
        ax.axvline(edge, color="k", lw=0.7, ls="--")
    top = max(max(i) for i in s.inertias)
    ax.text(0.5, top + 0.35, "0 < α < 1", ha="center", fontsize=8)
    ax.set_ylim(-0.5, top + 1.0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("split ratio α")
    ax.set_ylabel("count of eigenvalues of the wide Hessian")
    ax.set_title(f"Split line of neuron {s.neuron}, hidden layer {s.layer}: {s.name[:50]} [{s.strength}]\n"
                 f"strict saddle for {s.rule}", fontsize=9)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    save_figure(fig, path)
    return s
