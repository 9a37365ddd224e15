"""Multi-layer: the Π r*_l! permuted copies of a minimal-width zero-loss point (docs/symmetry.md).

Deep bias-free network with widths (d, r_1, …, r_{L−1}, d_out), output
f(x) = W^[L] σ(W^[L−1] ⋯ σ(W^[1] x)).  Permuting the neurons of every hidden
layer l by π_l (rows of W^[l], columns of W^[l+1]) preserves the function; the
paper's statement is that with *minimal* widths these Π_l r_l! points are the
isolated zero-loss points, and one extra neuron per layer connects them.

What exactlift checks here, for small cases (:func:`check_multilayer_minima`):

* the permuted points, enumerated one tuple (π_1, …, π_{L−1}) at a time, are
  pairwise distinct (``exact``) and their number equals the product formula
  Π r_l! (``exact`` integer equality) — given a teacher whose incoming rows are
  distinct in every hidden layer;
* each implements the teacher function (``symbolic``: undefined σ, symbolic x).

Not checked (labelled "paper's claim" in docs/symmetry.md): that minimal widths
make these the *only* and *isolated* zero-loss points, and the connection by
one extra neuron per layer.

>>> count_multilayer_minima([2, 3])
12
>>> check_multilayer_minima([2, 2])["distinct_points"]
4
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any

import sympy

from exactlift.errors import InputError
from exactlift.limits import check as check_limit
from exactlift.symmetry.sizes import check_network_size, positive_int

__all__ = [
    "count_multilayer_minima",
    "default_deep_teacher",
    "enumerate_permuted_minima",
    "check_multilayer_minima",
]

Matrix = list[list[Fraction]]


def _hidden(widths: Sequence[int]) -> list[int]:
    if isinstance(widths, (str, bytes)) or not hasattr(widths, "__iter__"):
        raise InputError(f"hidden widths must be a list of positive integers, got {widths!r}")
    out = [positive_int(f"hidden width {k + 1}", w) for k, w in enumerate(widths)]
    if not out:
        raise InputError("give at least one hidden width")
    return out


def count_multilayer_minima(hidden_widths: Sequence[int]) -> int:
    """Π_l r_l!: the number of neuron permutations of the hidden layers.

    Refused before the work (:class:`~exactlift.limits.LimitError`) when a width is over
    ``max_count_width`` or the answer would have more than ``max_answer_digits`` digits
    (bounded by Σ_l log10(r_l!) ≤ Σ_l r_l·log10(r_l)).

    >>> count_multilayer_minima([2, 3])
    12
    """
    widths = _hidden(hidden_widths)
    for w in widths:
        check_limit("max_count_width", w, "multilayer-minima: a hidden width", "as width")
    digits = sum(int(w * math.log10(w)) + 1 for w in widths)
    check_limit("max_answer_digits", digits, "multilayer-minima: the answer", "digits (bound)")
    return math.prod(math.factorial(w) for w in widths)


def default_deep_teacher(hidden_widths: Sequence[int], d: int = 1, d_out: int = 1, seed: int = 0) -> list[Matrix]:
    """Weights W^[1..L] with small random rationals; hidden rows pairwise distinct and non-zero.

    Refused before the work (:class:`~exactlift.limits.LimitError`) when the teacher would have more
    than ``max_parameters`` weights (``--d`` and ``--d-out`` count too).

    >>> [len(W) for W in default_deep_teacher([2, 3], d=2)]
    [2, 3, 1]
    """
    widths = [positive_int("d", d), *_hidden(hidden_widths), positive_int("d_out", d_out)]
    check_network_size(widths, "the teacher network")
    rng = random.Random(seed)
    Ws: list[Matrix] = []
    for l in range(1, len(widths)):
        while True:
            W = [[Fraction(rng.randint(-7, 7), rng.randint(1, 3)) for _ in range(widths[l - 1])] for _ in range(widths[l])]
            rows = [tuple(r) for r in W]
            if l == len(widths) - 1 or (len(set(rows)) == len(rows) and all(any(r) for r in rows)):
                break
        Ws.append(W)
    # every hidden neuron must also be used: non-zero outgoing column
    for l in range(1, len(Ws)):
        W = Ws[l]
        for j in range(len(W[0])):
            if all(W[i][j] == 0 for i in range(len(W))):
                W[0][j] = Fraction(1)
    return Ws


def _permute(Ws: list[Matrix], perms: Sequence[Sequence[int]]) -> list[Matrix]:
    """New layer l neuron k is old neuron perms[l-1][k]."""
    out = []
    L = len(Ws)
    for l in range(L):
        W = Ws[l]
        rows = perms[l] if l < L - 1 else range(len(W))
        cols = perms[l - 1] if l > 0 else range(len(W[0]))
        out.append([[W[i][j] for j in cols] for i in rows])
    return out


def enumerate_permuted_minima(Ws: Sequence[Matrix]) -> Iterator[tuple[tuple[tuple[int, ...], ...], list[Matrix]]]:
    """Every tuple of hidden-layer permutations with the permuted weights."""
    Ws = [list(map(list, W)) for W in Ws]
    hidden = [len(W) for W in Ws[:-1]]
    for perms in itertools.product(*(list(itertools.permutations(range(w))) for w in hidden)):
        yield perms, _permute(Ws, perms)


def _output_exprs(Ws: Sequence[Matrix], xs: Sequence[sympy.Symbol], sigma: Any) -> list[sympy.Expr]:
    h: list[sympy.Expr] = list(xs)
    L = len(Ws)
    for l, W in enumerate(Ws):
        z = [sum((sympy.Rational(c.numerator, c.denominator) * v for c, v in zip(row, h)), sympy.S(0)) for row in W]
        h = [sigma(zz) for zz in z] if l < L - 1 else z
    return h


def check_multilayer_minima(
    hidden_widths: Sequence[int], d: int = 1, d_out: int = 1, seed: int = 0, symbolic: bool = True
) -> dict[str, Any]:
    """Enumerate the permuted copies of a deep teacher and compare with Π r_l!.

    Returns counts (``product_formula``, ``enumerated``, ``distinct_points``),
    ``all_implement_teacher`` (symbolic, undefined σ) and the strengths.
    """
    hidden = _hidden(hidden_widths)
    total = count_multilayer_minima(hidden)
    if total > 50_000:
        raise InputError(f"{total} permuted points is too many to enumerate here; use smaller widths")
    Ws = default_deep_teacher(hidden, d, d_out, seed)
    sigma = sympy.Function("sigma")
    xs = sympy.symbols(f"x0:{d}")
    target = _output_exprs(Ws, xs, sigma) if symbolic else None
    seen = set()
    enumerated = 0
    all_ok = True
    for _, P in enumerate_permuted_minima(Ws):
        enumerated += 1
        seen.add(tuple(x for W in P for row in W for x in row))
        if symbolic:
            assert target is not None
            out = _output_exprs(P, xs, sigma)
            if any(sympy.expand(a - b) != 0 for a, b in zip(out, target)):
                all_ok = False
    return {
        "widths": [d, *hidden, d_out],
        "product_formula": total,
        "enumerated": enumerated,
        "distinct_points": len(seen),
        "agree": total == enumerated == len(seen),
        "all_implement_teacher": all_ok if symbolic else None,
        "strength": {"count": "exact", "distinct": "exact", "implements_teacher": "symbolic" if symbolic else None},
        "not_checked": "isolation of these points and their connection by one extra neuron per layer (paper's claim)",
    }
