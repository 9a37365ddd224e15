"""Card: the dimension of every symmetry-induced piece is (h − u)·d_out + u·d (docs/symmetry.md).

For each piece (replications and both readings of the global-minimum pieces)
the affine equations {w_j = w*_i, Σ a_j = a*_i, …} are built for a random
exact teacher and the dimension m(d + d_out) − rank A is computed by exact
linear algebra (the core's ``exactlift.arith.linalg.rank``, independent of the
symmetry module's own elimination), then compared with the formula.
"""

from exactlift.arith.linalg import rank
from exactlift.symmetry import default_teacher, enumerate_subspaces, subspace_dimension
from exactlift.theorems import step

TITLE = "Dimension of the symmetry-induced pieces: (h - u) d_out + u d"
STATEMENT = r"""For a teacher of width $r$ with distinct $w^*_i \in \mathbb{Q}^d$ and non-zero $a^*_i \in \mathbb{Q}^{d_{out}}$,
every piece of width $m = r + h$ with $u$ zero groups (zero-type neurons in the singleton reading)
is a non-empty affine subspace of dimension $(h - u)\,d_{out} + u\,d \ge h$."""
SOURCE = "exactlift formalization (docs/symmetry.md, from Simsek et al., arXiv 2105.12221)"
STRENGTH = "exact"

GRID = [(1, 3, 1, 1), (2, 3, 1, 1), (2, 4, 1, 1), (2, 3, 2, 1), (2, 3, 1, 2), (2, 4, 2, 3), (3, 4, 3, 2)]


def cases():
    for r, m, d, d_out in GRID:
        yield f"r={r} m={m} d={d} d_out={d_out}", (r, m, d, d_out)


def check(spec):
    r, m, d, d_out = spec
    teacher = default_teacher(r, d, d_out, seed=m)
    steps = []
    for kind in ("G", "T_single", "T_groups"):
        bad, n = [], 0
        for s in enumerate_subspaces(kind, r, m):
            n += 1
            eq = s.equations(teacher)
            dim = eq.n - rank([list(row) for row in eq.A]) if eq.A else eq.n
            want = subspace_dimension(m - r, s.u, d, d_out)
            if not eq.is_consistent() or dim != want or dim < m - r:
                bad.append(str(s))
        steps.append(step(f"{kind}: all {n} pieces non-empty with the formula's dimension", not bad,
                          "" if not bad else "first mismatch: " + bad[0]))
    return steps
