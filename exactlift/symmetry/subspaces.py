"""The symmetry-induced affine subspaces as objects with exact affine equations.

Network: two layers, no biases, f(x) = Σ_{j<m} a_j σ(w_j·x), w_j ∈ Q^d,
a_j ∈ Q^{d_out}.  A :class:`Teacher` (or any width-r point) has distinct incoming
vectors w*_i and non-zero outgoing vectors a*_i.

A :class:`Subspace` is a combinatorial label plus the kind of count it belongs to:

* ``"G"`` — a replication: a surjection π: [m] → [r]; equations
  w_j = w*_{π(j)} and Σ_{j∈π⁻¹(i)} a_j = a*_i.
* ``"T_single"`` — global-minimum piece, zero-singletons reading: an injective
  partial assignment of r non-empty neuron blocks to the teacher neurons (the
  assigned neurons as above), every other neuron a zero singleton with a_j = 0
  and w_j free.
* ``"T_groups"`` — global-minimum piece, zero-groups reading: a set partition of
  [m] in which r blocks carry distinct teacher labels (as above) and the other
  blocks are zero groups: all w_j of a group equal (one free vector) and
  Σ_{j∈group} a_j = 0.

Neurons and teacher neurons are numbered from 0.  ``labels[j]`` is the teacher
neuron of student neuron j (0 ≤ label < r) or, for a zero-type neuron, −g for
its zero group g = 1, 2, … numbered by first appearance.

Parameter order (the canonical flattening of the core for widths (d, m, d_out)
without biases): θ = (W1 row-major, W2 row-major), i.e. w_{j,k} at j·d + k and
a_{j,c} (row c of W2, column j) at m·d + c·m + j.

>>> S = Subspace("T_single", 2, (0, -1, 1))
>>> S.assignment, S.zero_groups, S.dimension(d=2, d_out=1)
(((0,), (2,)), ((1,),), 2)
>>> S.equations(default_teacher(2, d=2)).dimension()
2
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from networkx.utils import UnionFind

from exactlift.errors import InputError, validated
from exactlift.limits import shown_count
from exactlift.symmetry import exact
from exactlift.symmetry.counts import QUANTITIES, check_width, count
from exactlift.symmetry.sizes import check_two_layer_size, positive_int

__all__ = [
    "Teacher",
    "default_teacher",
    "AffineSystem",
    "Subspace",
    "enumerate_subspaces",
    "enumerate_replications",
    "set_partitions",
    "subspace_dimension",
    "intersects",
    "intersects_exact",
    "canonical_labels",
]

KINDS = QUANTITIES  # ("G", "T_single", "T_groups")
READINGS = {"single": "T_single", "groups": "T_groups"}


def _kind(kind: str) -> str:
    if kind in READINGS:
        return READINGS[kind]
    if kind not in KINDS:
        raise InputError(f"unknown kind of subspace {kind!r}; choose one of {', '.join(KINDS)} (or single/groups)")
    return kind


# --------------------------------------------------------------------------- teacher


def _vector(v: Any, length: int | None, where: str) -> tuple[Fraction, ...]:
    if isinstance(v, (str, bytes)) or not hasattr(v, "__len__"):
        v = [v]
    out = tuple(exact.as_fraction(x, f"{where}[{k}]") for k, x in enumerate(v))
    if length is not None and len(out) != length:
        raise InputError(f"{where} has {len(out)} entries, expected {length}")
    return out


@dataclass(frozen=True)
class Teacher:
    """A width-r point (w*_i, a*_i) of the two-layer bias-free network, exact rationals.

    Requirements checked on construction: r ≥ 1, all w*_i distinct, all a*_i ≠ 0.
    Scalars are accepted for d = 1 or d_out = 1.

    >>> t = Teacher.from_lists(w=[[1], [2]], a=[3, "-1/2"])
    >>> t.r, t.d, t.d_out, t.a[1]
    (2, 1, 1, (Fraction(-1, 2),))
    """

    w: tuple[tuple[Fraction, ...], ...]
    a: tuple[tuple[Fraction, ...], ...]

    @classmethod
    def from_lists(cls, w: Sequence[Any], a: Sequence[Any]) -> "Teacher":
        """Validate and convert (floats refused)."""
        if len(w) == 0:
            raise InputError("a teacher needs at least one neuron (r >= 1)")
        if len(w) != len(a):
            raise InputError(f"the teacher has {len(w)} incoming vectors but {len(a)} outgoing vectors")
        W = [_vector(v, None, f"w*[{i}]") for i, v in enumerate(w)]
        d = len(W[0])
        W = [_vector(v, d, f"w*[{i}]") for i, v in enumerate(W)]
        A = [_vector(v, None, f"a*[{i}]") for i, v in enumerate(a)]
        d_out = len(A[0])
        A = [_vector(v, d_out, f"a*[{i}]") for i, v in enumerate(A)]
        if d == 0 or d_out == 0:
            raise InputError("input and output dimensions must be at least 1")
        for i, j in itertools.combinations(range(len(W)), 2):
            if W[i] == W[j]:
                raise InputError(f"teacher neurons {i} and {j} have the same incoming vector; they must be distinct")
        for i, v in enumerate(A):
            if all(x == 0 for x in v):
                raise InputError(f"teacher neuron {i} has outgoing vector 0; it must be non-zero")
        return cls(tuple(W), tuple(A))

    @property
    def r(self) -> int:
        return len(self.w)

    @property
    def d(self) -> int:
        return len(self.w[0])

    @property
    def d_out(self) -> int:
        return len(self.a[0])

    def to_dict(self) -> dict[str, Any]:
        return {
            "w": [[str(x) for x in v] for v in self.w],
            "a": [[str(x) for x in v] for v in self.a],
        }


def default_teacher(r: int, d: int = 1, d_out: int = 1, seed: int = 0) -> Teacher:
    """A deterministic teacher with small random rationals (distinct w*, non-zero a*).

    Refused (:class:`~exactlift.limits.LimitError`) over ``max_parameters`` weights.

    >>> default_teacher(3, d=2, d_out=2).r
    3
    >>> len({tuple(v) for v in default_teacher(60).w})  # more rows than the 51 first values
    60
    """
    r, d, d_out = check_two_layer_size(positive_int("r", r), d, d_out, "the teacher network")
    rng = random.Random(seed)
    bound = 9  # numerators in [-bound, bound]; doubled after 100 failed draws (d = 1 has 51 values)

    def q() -> Fraction:
        return Fraction(rng.randint(-bound, bound), rng.randint(1, 4))

    for attempt in itertools.count(1):
        w = [[q() for _ in range(d)] for _ in range(r)]
        a = [[q() for _ in range(d_out)] for _ in range(r)]
        if len(set(map(tuple, w))) == r and all(any(x != 0 for x in v) for v in a):
            return Teacher.from_lists(w, a)
        if attempt % 100 == 0:
            bound *= 2
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------- affine systems


@dataclass(frozen=True)
class AffineSystem:
    """The affine subspace {θ ∈ Q^n : A θ = b}, equations over exact rationals.

    ``names`` labels the n coordinates (``w[j,k]``, ``a[j,c]``).
    """

    A: tuple[tuple[Fraction, ...], ...]
    b: tuple[Fraction, ...]
    names: tuple[str, ...]

    @property
    def n(self) -> int:
        return len(self.names)

    def rank(self, backend: str = "flint") -> int:
        """Exact rank of A."""
        return exact.rank(self.A, self.n, backend)

    def is_consistent(self, backend: str = "flint") -> bool:
        """Whether the subspace is non-empty (exact rank test)."""
        return exact.is_consistent(self.A, self.b, self.n, backend)

    def dimension(self, backend: str = "flint") -> int | None:
        """n − rank A if the system is consistent, else ``None`` (empty set)."""
        if not self.is_consistent(backend):
            return None
        return self.n - self.rank(backend)

    def intersect(self, other: "AffineSystem") -> "AffineSystem":
        """The system of both sets of equations (the intersection of the two subspaces)."""
        if self.names != other.names:
            raise InputError("the two subspaces live in different parameter spaces")
        return AffineSystem(self.A + other.A, self.b + other.b, self.names)

    def point(self, backend: str = "flint") -> list[Fraction] | None:
        """One exact point of the subspace (free coordinates 0), ``None`` if empty."""
        return exact.particular_solution(self.A, self.b, self.n, backend)

    def directions(self, backend: str = "flint") -> list[list[Fraction]]:
        """A basis of the direction space {θ : A θ = 0}."""
        return exact.nullspace(self.A, self.n, backend)

    def contains(self, theta: Sequence[Any]) -> bool:
        """Whether the exact point θ satisfies every equation."""
        if len(theta) != self.n:
            raise InputError(f"the point has {len(theta)} coordinates, the space has {self.n}")
        t = [exact.as_fraction(x, f"theta[{k}]") for k, x in enumerate(theta)]
        return all(sum(c * x for c, x in zip(row, t) if c) == bi for row, bi in zip(self.A, self.b))

    def random_point(self, rng: random.Random, size: int = 5, backend: str = "flint") -> list[Fraction]:
        """A point p + Σ t_k v_k with small random non-zero rational t_k (exact)."""
        p = self.point(backend)
        if p is None:
            raise InputError("the affine subspace is empty")
        for v in self.directions(backend):
            t = Fraction(rng.choice([-1, 1]) * rng.randint(1, size), rng.randint(1, 3))
            p = [x + t * y for x, y in zip(p, v)]
        return p

    def pretty(self) -> list[str]:
        """The equations as readable strings, e.g. ``'a[0,0] + a[2,0] = 3/2'``."""
        out = []
        for row, bi in zip(self.A, self.b):
            terms = []
            for c, nm in zip(row, self.names):
                if c == 0:
                    continue
                coef = "" if c == 1 else "-" if c == -1 else f"{c}*"
                terms.append(f"{coef}{nm}")
            out.append(" + ".join(terms).replace("+ -", "- ") + f" = {bi}")
        return out


def parameter_names(m: int, d: int, d_out: int) -> tuple[str, ...]:
    """Names of the coordinates of θ in the canonical order."""
    names = [f"w[{j},{k}]" for j in range(m) for k in range(d)]
    names += [f"a[{j},{c}]" for c in range(d_out) for j in range(m)]
    return tuple(names)


# --------------------------------------------------------------------------- subspaces


def canonical_labels(labels: Sequence[int]) -> tuple[int, ...]:
    """Renumber zero groups −1, −2, … by first appearance (teacher labels unchanged)."""
    ren: dict[int, int] = {}
    out = []
    for x in labels:
        if x < 0:
            if x not in ren:
                ren[x] = -(len(ren) + 1)
            out.append(ren[x])
        else:
            out.append(x)
    return tuple(out)


def subspace_dimension(h: int, u: int, d: int, d_out: int) -> int:
    """(h − u)·d_out + u·d: dimension of a piece with u zero groups (docs/symmetry.md).

    For a replication u = 0 and the dimension is h·d_out.  For the zero-singletons
    reading u is the number of zero-type neurons.
    """
    return (h - u) * d_out + u * d


@dataclass(frozen=True, order=True)
class Subspace:
    """One symmetry-induced affine subspace, by its combinatorial label.

    ``kind`` is ``"G"``, ``"T_single"`` or ``"T_groups"``; ``r`` the teacher
    width; ``labels`` as in the module docstring (canonical zero-group numbers).
    """

    kind: str
    r: int
    labels: tuple[int, ...]
    _blocks: Any = field(default=None, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        kind = _kind(self.kind)
        object.__setattr__(self, "kind", kind)
        labels = tuple(self.labels)
        if tuple(canonical_labels(labels)) != labels:
            raise InputError(f"labels {labels} are not canonical (zero groups must be numbered -1, -2, ... in order)")
        assigned: list[list[int]] = [[] for _ in range(self.r)]
        zero: dict[int, list[int]] = {}
        for j, x in enumerate(labels):
            if x >= self.r:
                raise InputError(f"neuron {j} is assigned to teacher neuron {x}, but r = {self.r}")
            if x >= 0:
                assigned[x].append(j)
            else:
                zero.setdefault(x, []).append(j)
        if any(not blk for blk in assigned):
            missing = [i for i, blk in enumerate(assigned) if not blk]
            raise InputError(f"teacher neuron(s) {missing} have no student neuron assigned")
        groups = tuple(tuple(zero[g]) for g in sorted(zero, reverse=True))
        if kind == "G" and groups:
            raise InputError("a replication (G) has no zero-type neurons")
        if kind == "T_single" and any(len(g) > 1 for g in groups):
            raise InputError("in the zero-singletons reading every zero group has one neuron")
        object.__setattr__(self, "_blocks", (tuple(tuple(b) for b in assigned), groups))

    # -- combinatorics
    @property
    def m(self) -> int:
        return len(self.labels)

    @property
    def h(self) -> int:
        return self.m - self.r

    @property
    def assignment(self) -> tuple[tuple[int, ...], ...]:
        """For each teacher neuron i, the student neurons replicating it."""
        return self._blocks[0]

    @property
    def zero_groups(self) -> tuple[tuple[int, ...], ...]:
        """The zero groups (singletons in the T_single reading)."""
        return self._blocks[1]

    @property
    def zero_neurons(self) -> tuple[int, ...]:
        return tuple(j for j, x in enumerate(self.labels) if x < 0)

    @property
    def u(self) -> int:
        """Number of zero groups."""
        return len(self.zero_groups)

    @property
    def shape(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Orbit invariant under neuron permutations and teacher relabelling."""
        return (
            tuple(sorted((len(b) for b in self.assignment), reverse=True)),
            tuple(sorted((len(g) for g in self.zero_groups), reverse=True)),
        )

    @property
    def color(self) -> str | None:
        """For h = 1: ``"blue"`` (one zero-type neuron) or ``"green"`` (two copies)."""
        if self.h != 1:
            return None
        return "blue" if self.zero_groups else "green"

    def dimension(self, d: int = 1, d_out: int = 1) -> int:
        """The formula (h − u)·d_out + u·d."""
        return subspace_dimension(self.h, self.u, d, d_out)

    # -- equations
    def equations(self, teacher: Teacher) -> AffineSystem:
        """The defining affine equations over exact rationals, for this teacher."""
        if teacher.r != self.r:
            raise InputError(f"the subspace is for a teacher of width {self.r}, the teacher has width {teacher.r}")
        m, d, d_out = self.m, teacher.d, teacher.d_out
        n = m * (d + d_out)
        zero, one = Fraction(0), Fraction(1)
        rows: list[tuple[Fraction, ...]] = []
        rhs: list[Fraction] = []

        def wi(j: int, k: int) -> int:
            return j * d + k

        def ai(j: int, c: int) -> int:
            return m * d + c * m + j

        def row(entries: dict[int, Fraction]) -> tuple[Fraction, ...]:
            v = [zero] * n
            for k, x in entries.items():
                v[k] = x
            return tuple(v)

        for i, block in enumerate(self.assignment):
            for j in block:
                for k in range(d):
                    rows.append(row({wi(j, k): one}))
                    rhs.append(teacher.w[i][k])
            for c in range(d_out):
                rows.append(row({ai(j, c): one for j in block}))
                rhs.append(teacher.a[i][c])
        for g in self.zero_groups:
            for j in g[1:]:
                for k in range(d):
                    rows.append(row({wi(j, k): one, wi(g[0], k): -one}))
                    rhs.append(zero)
            for c in range(d_out):
                rows.append(row({ai(j, c): one for j in g}))
                rhs.append(zero)
        return AffineSystem(tuple(rows), tuple(rhs), parameter_names(m, d, d_out))

    # -- display
    def describe(self) -> str:
        """E.g. ``T_groups r=2 m=5: t0<-{0,3} t1<-{1} | zero {2,4}``."""
        parts = [f"t{i}<-{{{','.join(map(str, b))}}}" for i, b in enumerate(self.assignment)]
        s = f"{self.kind} r={self.r} m={self.m}: " + " ".join(parts)
        if self.zero_groups:
            s += " | zero " + " ".join("{" + ",".join(map(str, g)) + "}" for g in self.zero_groups)
        return s

    def __str__(self) -> str:
        return self.describe()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "r": self.r,
            "m": self.m,
            "labels": list(self.labels),
            "assignment": [list(b) for b in self.assignment],
            "zero_groups": [list(g) for g in self.zero_groups],
        }


# --------------------------------------------------------------------------- enumeration


def set_partitions(n: int, kmin: int = 0, kmax: int | None = None) -> Iterator[tuple[tuple[int, ...], int]]:
    """Set partitions of {0..n−1} as restricted growth strings, with their block count.

    >>> sum(1 for _ in set_partitions(4))
    15
    >>> [p for p, k in set_partitions(3, 2, 2)]
    [(0, 0, 1), (0, 1, 0), (0, 1, 1)]
    """
    if kmax is None:
        kmax = n
    if n == 0:
        if kmin <= 0 <= kmax:
            yield (), 0
        return
    if kmax < 1 or kmin > n:
        return
    rgs = [0] * n

    def rec(i: int, k: int) -> Iterator[tuple[tuple[int, ...], int]]:
        if i == n:
            if k >= kmin:
                yield tuple(rgs), k
            return
        # prune: even opening a new block for every remaining element cannot reach kmin
        if k + (n - i) < kmin:
            return
        for b in range(k):
            rgs[i] = b
            yield from rec(i + 1, k)
        if k < kmax:
            rgs[i] = k
            yield from rec(i + 1, k + 1)

    rgs[0] = 0
    yield from rec(1, 1)


def _enumerate_labels(kind: str, r: int, m: int) -> Iterator[tuple[int, ...]]:
    if kind == "G":
        for rgs, _ in set_partitions(m, r, r):
            for perm in itertools.permutations(range(r)):
                yield tuple(perm[b] for b in rgs)
    elif kind == "T_groups":
        for rgs, k in set_partitions(m, r, m):
            for chosen in itertools.permutations(range(k), r):
                lab = {blk: i for i, blk in enumerate(chosen)}
                yield canonical_labels([lab.get(b, -1 - b) for b in rgs])
    elif kind == "T_single":
        for size in range(r, m + 1):
            for A in itertools.combinations(range(m), size):
                for rgs, _ in set_partitions(size, r, r):
                    for perm in itertools.permutations(range(r)):
                        lab = [-1] * m
                        for j, b in zip(A, rgs):
                            lab[j] = perm[b]
                        z = 0
                        for j in range(m):
                            if lab[j] < 0:
                                z += 1
                                lab[j] = -z
                        yield tuple(lab)
    else:  # pragma: no cover - _kind() guards
        raise InputError(kind)


@validated
def enumerate_subspaces(kind: str, r: int, m: int, limit: int | None = None) -> Iterator[Subspace]:
    """Every subspace of the given kind (``"G"``, ``"T_single"``, ``"T_groups"``) as an object.

    The enumeration is independent of the closed forms (it builds the objects one
    by one); ``limit`` refuses a count above it *before* starting (the closed
    form is used only for that guard).

    >>> [s.labels for s in enumerate_subspaces("G", 2, 3)]
    [(0, 0, 1), (1, 1, 0), (0, 1, 0), (1, 0, 1), (0, 1, 1), (1, 0, 0)]
    >>> sum(1 for _ in enumerate_subspaces("T_groups", 2, 4))
    62
    """
    kind = _kind(kind)
    r, m = check_width(r, m)
    if limit is not None:
        total = count(kind, r, m)
        if total > limit:
            raise InputError(
                f"{kind}({r}, {m}) has {shown_count(total)} subspaces, over the enumeration limit {limit} "
                f"(raise it with --limit N, or limit=N in Python)"
            )
    for lab in _enumerate_labels(kind, r, m):
        yield Subspace(kind, r, lab)


def enumerate_replications(r: int, m: int) -> Iterator[Subspace]:
    """The G(r, m) replication subspaces (same as ``enumerate_subspaces("G", r, m)``)."""
    return enumerate_subspaces("G", r, m)


# --------------------------------------------------------------------------- intersections


def intersects(P: Subspace, Q: Subspace) -> bool:
    """Combinatorial intersection test for two pieces of the same (r, m).

    Criterion (derived in docs/symmetry.md, valid for every teacher with distinct
    w*_i, non-zero a*_i and any d, d_out ≥ 1): join the two partitions of the
    neurons into blocks (assigned blocks and zero groups of both); the pieces
    intersect iff every block of the join contains at most one teacher label and,
    if it contains label i, it contains both P's and Q's block of label i.

    >>> P = Subspace("T_single", 1, (0, -1)); Q = Subspace("T_single", 1, (-1, 0))
    >>> intersects(P, Q), intersects(P, Subspace("T_single", 1, (0, 0)))
    (False, True)
    """
    if (P.r, P.m) != (Q.r, Q.m):
        raise InputError("the two subspaces belong to different (r, m)")
    m = P.m
    uf = UnionFind(range(m))
    for S in (P, Q):
        for blk in S.assignment + S.zero_groups:
            for j in blk[1:]:
                uf.union(blk[0], j)
    seen: dict[int, tuple[int, int]] = {}  # root -> (label, how many of P/Q blocks with it)
    for S in (P, Q):
        for i, blk in enumerate(S.assignment):
            root = uf[blk[0]]
            if root in seen:
                lab, cnt = seen[root]
                if lab != i:
                    return False
                seen[root] = (lab, cnt + 1)
            else:
                seen[root] = (i, 1)
    return all(cnt == 2 for _, cnt in seen.values())


def intersects_exact(P: Subspace, Q: Subspace, teacher: Teacher, backend: str = "flint") -> bool:
    """Intersection decided by exact linear algebra: the union of the equations is consistent."""
    return P.equations(teacher).intersect(Q.equations(teacher)).is_consistent(backend)
