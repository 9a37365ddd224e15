"""Which dominates: symmetry-induced saddles G(r*−1, m) or global-minimum pieces T(r*, m)?

For a teacher of width r* ≥ 2 and student width m = r* + h the ratio

    ρ(h) = G(r*−1, m) / T(r*, m)

is computed exactly as a :class:`~fractions.Fraction`.  The crossover width
h*(r*) is the least h ≥ 0 such that ρ(h') < 1 for **every** h' ≥ h (global-minimum
pieces strictly outnumber the saddle subspaces from then on).

Exactness of "for every h' ≥ h" (an infinite statement) comes from a proved
tail bound: G(r−1, m) ≤ (r−1)^m (maps [m] → [r−1]) and, by the first Bonferroni
inequality for surjections, T_groups(r, m) ≥ T_single(r, m) = Surj(m+1, r+1)/(r+1)
≥ (r+1)^m − r^{m+1}.  So ρ < 1 as soon as B(m): (r−1)^m + r^{m+1} < (r+1)^m, and
B(m) ⇒ B(m+1) (multiply by r+1 ≥ r, r−1).  exactlift finds the first m₀ with
B(m₀) and checks every m < m₀ exactly.

>>> count_ratio(3, 0)
Fraction(1, 1)
>>> crossover_width(5).h_star, crossover_width(23).h_star, crossover_width(23, "groups").h_star
(1, 6, 5)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

from exactlift.errors import ExactliftError, InputError, validated
from exactlift.symmetry.counts import count_G, count_T_groups, count_T_single
from exactlift.symmetry.subspaces import READINGS

__all__ = [
    "count_ratio",
    "ratio_series",
    "Crossover",
    "crossover_width",
    "crossover_table",
    "plot_counts",
]


def _r_star(r_star: Any) -> int:
    if isinstance(r_star, bool) or not isinstance(r_star, int):
        raise InputError(f"r* must be an integer, got {r_star!r}")
    if r_star < 2:
        raise InputError(f"the ratio G(r*-1, m)/T(r*, m) needs r* >= 2 (G(0, m) is not defined), got r*={r_star}")
    return r_star


def _h(h: Any) -> int:
    if isinstance(h, bool) or not isinstance(h, int):
        raise InputError(f"h must be an integer, got {h!r}")
    if h < 0:
        raise InputError(f"h = m - r* must be >= 0, got h={h}")
    return h


def _T(reading: str, r: int, m: int) -> int:
    if reading not in READINGS:
        raise InputError(f"unknown reading {reading!r}; choose 'single' or 'groups'")
    return count_T_single(r, m) if reading == "single" else count_T_groups(r, m)


def count_ratio(r_star: int, h: int, reading: str = "single") -> Fraction:
    """Exact ρ(h) = G(r*−1, r*+h) / T(r*, r*+h) for the chosen reading of T.

    >>> count_ratio(4, 0), count_ratio(4, 2, "single"), count_ratio(4, 2, "groups")
    (Fraction(3, 2), Fraction(9, 56), Fraction(9, 62))
    """
    r, h = _r_star(r_star), _h(h)
    m = r + h
    return Fraction(count_G(r - 1, m), _T(reading, r, m))


def ratio_series(r_star: int, h_max: int, reading: str = "single") -> list[Fraction]:
    """[ρ(0), …, ρ(h_max)]."""
    return [count_ratio(r_star, h, reading) for h in range(_h(h_max) + 1)]


def _tail_start(r: int) -> int:
    """Least m ≥ r with (r−1)^m + r^(m+1) < (r+1)^m (from there on ρ < 1, proved)."""
    m = r
    while (r - 1) ** m + r ** (m + 1) >= (r + 1) ** m:
        m += 1
    return m


@dataclass(frozen=True)
class Crossover:
    """The exact crossover of one r* and reading.

    ``h_star``: least h with ρ(h') < 1 for all h' ≥ h.  ``first_below``: least h
    with ρ(h) < 1 (the same unless ρ dips below 1 and comes back).
    ``ratio_at_h_star`` and ``ratio_before`` (ρ(h*−1), ``None`` if h* = 0) as
    strings of exact fractions.  ``tail_m0``: from m₀ = r* + h on, ρ < 1 follows
    from the proved bound; every smaller m was checked exactly.
    """

    r_star: int
    reading: str
    h_star: int
    first_below: int
    ratio_at_h_star: str
    ratio_before: str | None
    tail_m0: int
    strength: str = "exact"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@validated
def crossover_width(r_star: int, reading: str = "single") -> Crossover:
    """Exact crossover h*(r*) for one reading of T (see module docstring).

    >>> c = crossover_width(10); c.h_star, c.first_below, c.ratio_before, c.ratio_at_h_star
    (2, 2, '7/4', '405/442')
    """
    r = _r_star(r_star)
    if reading not in READINGS:
        raise InputError(f"unknown reading {reading!r}; choose 'single' or 'groups'")
    m0 = _tail_start(r)
    last_not_below = -1
    first_below = None
    ratios: dict[int, Fraction] = {}
    for h in range(0, max(m0 - r, 0) + 1):
        rho = count_ratio(r, h, reading)
        ratios[h] = rho
        if rho >= 1:
            last_not_below = h
        elif first_below is None:
            first_below = h
    h_star = last_not_below + 1
    if first_below is None:  # pragma: no cover - impossible: rho(m0 - r) < 1 by the bound
        raise ExactliftError(f"no crossover found for r*={r} below the proved tail m0={m0}")
    rho_star = ratios.get(h_star, count_ratio(r, h_star, reading))
    return Crossover(
        r_star=r,
        reading=reading,
        h_star=h_star,
        first_below=first_below,
        ratio_at_h_star=str(rho_star),
        ratio_before=str(ratios[h_star - 1]) if h_star > 0 else None,
        tail_m0=m0,
    )


def crossover_table(r_max: int = 50, readings: Sequence[str] = ("single", "groups")) -> list[dict[str, Any]]:
    """h*(r*) for r* = 2..r_max and each reading, as dictionaries."""
    if isinstance(r_max, bool) or not isinstance(r_max, int) or r_max < 2:
        raise InputError(f"r_max must be an integer >= 2, got {r_max!r}")
    rows = []
    for r in range(2, r_max + 1):
        row: dict[str, Any] = {"r_star": r}
        for reading in readings:
            c = crossover_width(r, reading)
            row[f"h_star_{reading}"] = c.h_star
            row[f"first_below_{reading}"] = c.first_below
        rows.append(row)
    return rows


def _log10(q: Fraction) -> float:
    return math.log10(q.numerator) - math.log10(q.denominator)


#: The ratio panel's y-range is clipped to [10^-FLOOR, ...]: the region that matters is ρ near 1.
RATIO_FLOOR = 3


def plot_counts(
    path: str,
    r_values: Sequence[int] = (2, 3, 5, 10, 20),
    h_max: int = 8,
    readings: Sequence[str] = ("single", "groups"),
    r_max: int = 50,
) -> dict[str, Any]:
    """Write a PNG: ρ(h) at each integer h ≤ h_max for several r* (left), the crossover h*(r*) as steps (right).

    Left: ρ = G(r*−1, m)/T(r*, m) on a log axis clipped near 1 (10^-3 up to the
    largest ratio; smaller ratios sit on the bottom edge), one marker per integer
    h, ρ = 1 drawn, each h*(r*) marked on the h axis.  Right: h*(r*) is an
    integer, so it is drawn as steps with integer ticks.  Needs matplotlib (extra
    ``[plots]``; imported here only).  Returns the plotted data (exact ratios as
    strings, crossovers).
    """
    from exactlift.display import pyplot, save_figure

    plt = pyplot()
    from matplotlib.ticker import FixedLocator, MaxNLocator

    for reading in readings:
        if reading not in READINGS:
            raise InputError(f"unknown reading {reading!r}; choose 'single' or 'groups'")
    rs = [_r_star(r) for r in r_values]
    h_max = _h(h_max)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 5.6))
    styles = {"single": ("-", "o"), "groups": (":", "s")}
    data: dict[str, Any] = {"ratios": {}, "crossovers": {}}
    hs = list(range(h_max + 1))
    top = 0.0
    for k, r in enumerate(rs):
        color = f"C{k % 10}"
        for reading in readings:
            series = ratio_series(r, h_max, reading)
            data["ratios"][f"{r}/{reading}"] = [str(q) for q in series]
            logs = [max(_log10(q), -RATIO_FLOOR) for q in series]
            top = max(top, max(logs))
            line, marker = styles.get(reading, ("-", "o"))
            h_star = crossover_width(r, reading).h_star
            ax1.plot(hs, logs, line, marker=marker, ms=4, lw=1, color=color,
                     label=f"r*={r}, T_{reading} (h*={h_star})")
        h_star = crossover_width(r, readings[0]).h_star
        if h_star <= h_max:  # offset a little so that equal h* of several r* stay visible
            ax1.plot([h_star + 0.12 * (k - (len(rs) - 1) / 2)], [-RATIO_FLOOR], marker="^", ms=8, color=color,
                     clip_on=False, zorder=5)
    ax1.axhline(0.0, color="k", lw=1)
    ax1.axhspan(0.0, top + 0.3, color="C3", alpha=0.06)
    ax1.text(h_max + 0.2, top + 0.2, "shaded: ρ > 1, more saddle subspaces", ha="right", va="top", fontsize=8)
    ax1.set_ylim(-RATIO_FLOOR, top + 0.3)
    ticks = list(range(-RATIO_FLOOR, int(math.floor(top + 0.3)) + 1))
    ax1.yaxis.set_major_locator(FixedLocator(ticks))
    ax1.set_yticklabels([f"{10.0 ** t:g}" for t in ticks])
    ax1.set_xlim(-0.3, h_max + 0.3)
    ax1.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax1.set_xlabel("h = m − r*  (▲: h*(r*), " + readings[0] + " reading)")
    ax1.set_ylabel("ρ(h) = G(r*−1, m) / T(r*, m)   (log scale)")
    ax1.set_title(f"saddle subspaces vs global-minimum pieces, h ≤ {h_max} (exact)")
    handles, labels = ax1.get_legend_handles_labels()
    r_axis = list(range(2, r_max + 1))
    for reading in readings:
        h_stars = [crossover_width(r, reading).h_star for r in r_axis]
        data["crossovers"][reading] = dict(zip(r_axis, h_stars))
        line, _ = styles.get(reading, ("-", "o"))
        ax2.step(r_axis, h_stars, line, where="mid", lw=1.5, label=f"h*(r*), T_{reading}")
    ax2.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax2.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax2.grid(True, axis="y", alpha=0.3)
    ax2.set_xlabel("teacher width r*")
    ax2.set_ylabel("crossover width h* (an integer)")
    ax2.set_title("least h with G < T from then on (exact)")
    ax2.legend(fontsize=8, loc="upper left")
    fig.legend(handles, labels, fontsize=7, ncol=len(rs), loc="lower center", frameon=False)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.93, bottom=0.21, wspace=0.22)
    save_figure(fig, path)
    data["path"] = str(path)
    return data
