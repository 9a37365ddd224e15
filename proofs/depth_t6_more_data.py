"""Card: T6 — more data shrinks the set of critical lifts (docs/depth.md).

For one inserted neuron u = σ(a·h + c), (L1) asks every t_i = a·h_i + c to lie
in one open linear piece; the region of (a, c) is a union of open polyhedra.
If S ⊆ S′ every inequality for S is one for S′, so the region (and the lifted
set, for a fixed shallow θ) for S′ is contained in the one for S.

Measured exactly by the depth module (exact polygon areas in [−1, 1]² for
1-d representations; exact grid counts otherwise) and, independently here, by
counting the grid cell centres (a, c) whose pre-activations all share one
ReLU piece, directly from the definition.
"""

import itertools
from fractions import Fraction

from exactlift.lifts.depth.region import check_more_data, grid_fraction, l1_region
from exactlift.theorems import step
from exactlift.theorems.cases import step_from_check

TITLE = "Depth T6: more data shrinks the (L1) region of critical lifts"
STATEMENT = r"""For training representations $S \subseteq S'$, the set of $(a, c)$ for which the inserted neuron
$\sigma(a \cdot h + c)$ is affine on all of $S'$ is contained in the set for $S$; hence the lifted set of a critical point
for $S'$ is contained in the lifted set for $S$, and its exact measure in any bounded box does not increase with $n$."""
SOURCE = "exactlift formalization of arXiv 2205.13283 (Bai, Luo, Xu, Zhang: Embedding Principle in Depth)"
STRENGTH = "exact"

F = Fraction
ONE_D = [[F(0)], [F(1)], [F(-1, 2)], [F(3)], [F(-2)], [F(1, 3)]]
TWO_D = [[F(0), F(1)], [F(1), F(0)], [F(-1), F(1, 2)], [F(1, 2), F(-2)], [F(2), F(2)]]
STEPS = 12


def cases():
    yield "1-d inputs, n = 1..6, exact areas", (ONE_D, "area")
    yield "2-d inputs, n = 2..5, exact grid counts", (TWO_D, "grid")


def _direct_count(H, steps):
    """Grid cell centres of [-1, 1]^(d+1) where every a.h_i + c > 0, or every one < 0 (ReLU pieces)."""
    coords = [F(-1) + F(2 * j + 1, steps) for j in range(steps)]
    inside = 0
    for w in itertools.product(coords, repeat=len(H[0]) + 1):
        t = [sum((x * y for x, y in zip(h, w[:-1])), F(0)) + w[-1] for h in H]
        inside += all(v > 0 for v in t) or all(v < 0 for v in t)
    return F(inside, steps ** (len(H[0]) + 1))


def check(spec):
    H, method = spec
    start = 1 if method == "area" else 2
    sets = [H[:k] for k in range(start, len(H) + 1)]
    own = [_direct_count(S, STEPS) for S in sets]
    theirs = [grid_fraction(l1_region(S), 1, STEPS) for S in sets]
    return [
        step_from_check(check_more_data(sets, method=method, steps=STEPS)),
        step("direct count of (a, c) grid centres with one ReLU piece = depth module's grid fraction", own == theirs,
             f"{[str(x) for x in own]}"),
        step("the measured fraction never increases with n", all(a >= b for a, b in zip(own, own[1:]))),
        step("a strict decrease occurs as points are added", own[-1] < own[0]),
    ]
