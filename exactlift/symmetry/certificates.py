"""The symmetry checks as :class:`~exactlift.certify.Certificate` objects.

Each check compares two independent computations of the same quantity and
states the strength of the comparison: the closed-form counts against the
enumeration of the pieces, the dimension formula against the exact rank of the
piece's equations, and the combinatorial intersection test (the edge test of
the connectivity graph) against exact linear algebra.  All three are decided in
exact rational / integer arithmetic, hence ``exact``; a composite is as strong
as its weakest part.

>>> check_counts(2, 3).proved
True
"""

from __future__ import annotations

import itertools

from exactlift.certify import Certificate, Timer
from exactlift.strength import Strength
from exactlift.symmetry.counts import QUANTITIES, check_width, count
from exactlift.symmetry.subspaces import (
    default_teacher,
    enumerate_subspaces,
    intersects,
    intersects_exact,
    subspace_dimension,
)


def check_counts(r: int, m: int) -> Certificate:
    """Closed-form counts of G, T_single, T_groups equal the number of enumerated pieces (exact).

    >>> c = check_counts(2, 4); c.holds, c.strength, len(c.children)
    (True, 'exact', 3)
    """
    r, m = check_width(r, m)
    parts = []
    for kind in QUANTITIES:
        with Timer() as t:
            closed = count(kind, r, m)
            enumerated = sum(1 for _ in enumerate_subspaces(kind, r, m))
        parts.append(
            Certificate(
                f"#{kind}(r={r}, m={m}) by closed form equals enumeration",
                closed == enumerated,
                Strength.EXACT,
                scope=f"r={r}, m={m}",
                detail=f"closed form {closed}, enumerated {enumerated}",
                data={"quantity": kind, "closed_form": closed, "enumerated": enumerated},
                seconds=t.seconds,
            )
        )
    return Certificate.combine(f"subspace counts for r={r}, m={m}", parts, scope=f"r={r}, m={m}")


def check_dimensions(r: int, m: int, d: int = 1, d_out: int = 1, seed: int = 0) -> Certificate:
    """Every piece's dimension formula equals the exact rank dimension of its equations (exact).

    >>> check_dimensions(2, 3).holds
    True
    """
    r, m = check_width(r, m)
    T = default_teacher(r, d, d_out, seed=seed)
    parts = []
    for kind in QUANTITIES:
        with Timer() as t:
            bad = []
            n = 0
            for S in enumerate_subspaces(kind, r, m):
                n += 1
                dim = S.equations(T).dimension()
                if not (dim == S.dimension(d, d_out) == subspace_dimension(m - r, S.u, d, d_out)):
                    bad.append(S.labels)
        parts.append(
            Certificate(
                f"dimension formula = exact rank for every {kind} piece (r={r}, m={m}, d={d}, d_out={d_out})",
                not bad,
                Strength.EXACT,
                scope=f"r={r}, m={m}, d={d}, d_out={d_out}",
                detail=f"{n} pieces, {len(bad)} disagree",
                data={"quantity": kind, "pieces": n, "disagree": [list(b) for b in bad]},
                seconds=t.seconds,
            )
        )
    return Certificate.combine(f"subspace dimensions for r={r}, m={m}", parts)


def check_edges(r: int, m: int, reading: str = "T_single", d: int = 1, d_out: int = 1, seed: int = 0) -> Certificate:
    """The combinatorial intersection test agrees with exact linear algebra on every pair of pieces (exact).

    >>> check_edges(2, 3).holds
    True
    """
    r, m = check_width(r, m)
    T = default_teacher(r, d, d_out, seed=seed)
    with Timer() as t:
        pieces = list(enumerate_subspaces(reading, r, m))
        bad = [
            (P.labels, Q.labels)
            for P, Q in itertools.combinations(pieces, 2)
            if intersects(P, Q) != intersects_exact(P, Q, T)
        ]
    npairs = len(pieces) * (len(pieces) - 1) // 2
    return Certificate(
        f"edge test = exact linear algebra on all pairs of {reading} pieces (r={r}, m={m})",
        not bad,
        Strength.EXACT,
        scope=f"r={r}, m={m}, d={d}, d_out={d_out}",
        detail=f"{npairs} pairs, {len(bad)} disagree",
        data={"reading": reading, "pairs": npairs, "disagree": [[list(a), list(b)] for a, b in bad]},
        seconds=t.seconds,
    )
