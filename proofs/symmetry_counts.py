"""Card: closed-form counts of symmetry-induced subspaces = explicit enumeration (docs/symmetry.md).

G(r, m) = r!·S(m, r) counts the replication subspaces of a width-r teacher in
a width-m two-layer bias-free network; T_single(r, m) = r!·S(m+1, r+1) and
T_groups(r, m) = Σ_k S(m, k)·k!/(k−r)! count the global-minimum pieces in the
two readings of zero-type neurons.  Each case enumerates the subspaces as
objects (``exactlift.symmetry.enumerate_subspaces``, independent of the closed
forms) and compares, and also compares with the values printed in docs/symmetry.md.
"""

from exactlift.symmetry import count, enumerate_subspaces, is_paper_value
from exactlift.theorems import step

TITLE = "Symmetry-induced subspaces: closed forms G, T_single, T_groups = enumeration"
STATEMENT = r"""For a two-layer network without bias of width $m$ and a teacher of width $r \le m$,
the number of replication subspaces is $G(r, m) = r!\,S(m, r)$; the number of global-minimum pieces is
$T_{\mathrm{single}}(r, m) = \sum_k \binom{m}{k} r!\,S(k, r) = r!\,S(m+1, r+1)$ (zero-type neurons as singletons
with $a_j = 0$) and $T_{\mathrm{groups}}(r, m) = \sum_k S(m,k)\,\frac{k!}{(k-r)!}$ (zero-type neurons in groups
sharing an incoming vector, outgoing weights summing to $0$). The two readings agree for $h = m - r \le 1$:
$T(r,r) = r!$, $T(r, r+1) = (r+1)!\,(r+2)/2$."""
SOURCE = ("paper: Simsek et al., arXiv 2105.12221 (ICML 2021), counts of symmetry-induced subspaces; "
          "the two T readings and h >= 2 values are an exactlift formalization")
STRENGTH = "exact"

M_MAX = 6

#: docs/symmetry.md small values: (kind, r) -> values for m = r, r+1, ...
SPEC_VALUES = {
    ("G", 1): [1, 1, 1, 1], ("G", 2): [2, 6, 14, 30], ("G", 3): [6, 36, 150, 540],
    ("T_single", 1): [1, 3, 7, 15], ("T_single", 2): [2, 12, 50, 180], ("T_single", 3): [6, 60, 390, 2100],
    ("T_groups", 1): [1, 3, 10, 37], ("T_groups", 2): [2, 12, 62, 320], ("T_groups", 3): [6, 60, 450, 3120],
}


def cases():
    for kind in ("G", "T_single", "T_groups"):
        for r in range(1, 4):
            yield f"{kind} r={r} m<={M_MAX}", (kind, r)


def check(spec):
    kind, r = spec
    steps = []
    for m in range(r, M_MAX + 1):
        closed = count(kind, r, m)
        objects = list(enumerate_subspaces(kind, r, m))
        distinct = len({s.labels for s in objects})
        steps.append(step(f"{kind}({r},{m}) = {closed} = number of enumerated subspaces",
                          closed == len(objects) == distinct, f"enumerated {len(objects)}, distinct {distinct}"))
    spec_values = SPEC_VALUES[(kind, r)]
    got = [count(kind, r, r + k) for k in range(len(spec_values))]
    steps.append(step(f"closed form = published table {spec_values}", got == spec_values, f"got {got}"))
    if kind != "G":
        other = "T_groups" if kind == "T_single" else "T_single"
        agree = all(count(kind, r, m) == count(other, r, m) for m in (r, r + 1))
        steps.append(step("both readings agree for h <= 1 (the paper's values)",
                          agree and all(is_paper_value(kind, r, m) for m in (r, r + 1))))
    return steps
