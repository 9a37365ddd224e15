"""Criticality of the symmetry-induced subspaces, decided exactly or symbolically.

Self-contained for the two-layer bias-free network f(x) = Σ_j a_j σ(w_j·x) with
the squared loss R(θ) = (1/n) Σ_k ‖f(x_k) − y_k‖² and a rational activation
σ = P/Q (polynomials with rational coefficients), so every value is an exact
rational.  The gradient
is written out directly (e_k = f(x_k) − y_k):

    ∂R/∂a_{j,c} = (2/n) Σ_k e_{k,c} σ(w_j·x_k),
    ∂R/∂w_{j,l} = (2/n) Σ_k (a_j·e_k) σ′(w_j·x_k) x_{k,l};

the tests compare it with the core's back-propagation (``exactlift.calculus``)
and with SymPy differentiation; it can later be rerouted through the core.

What is checked (SPEC §3):

* :func:`check_implements_teacher` — every enumerated subspace implements the
  teacher function: with σ an undefined SymPy function, symbolic inputs x and the
  subspace parametrised by free symbols (a particular solution plus a basis of
  directions, both exact), f_θ(x) − f_{θ*}(x) expands to 0.  Strength
  ``symbolic`` (all points of the subspace, all x, all σ).
* :func:`make_critical_data` — SPEC §0: a non-global critical point θ* of width
  r: data X, residual e ≠ 0 with Jᵀe = 0 exactly, y = f_{θ*}(X) − e.
* :func:`check_replication_criticality` — random exact points of the G(r, m)
  replication subspaces of θ* have gradient exactly 0 (``exact``).  With
  d_out ≥ 2 only the part of the subspace where every a_j lies in the kernel
  of M_i = Σ_k σ′(w*_i·x_k) x_k e_kᵀ (containing the splits a_j ∥ a*_i) is
  critical: :func:`critical_part` gives it as an exact affine system and both
  halves are checked.
* :func:`check_zero_type_noncritical` — random exact points of the T pieces with
  zero-type neurons, built on θ*, have gradient ≠ 0 (``exact``, for the points
  drawn: such points are critical only on a lower-dimensional set, e.g. a zero
  neuron's free w_j equal to some w*_i).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from exactlift.errors import ActivationError, InputError
from exactlift.symmetry import exact
from exactlift.symmetry.counts import check_width
from exactlift.symmetry.subspaces import (
    AffineSystem,
    Subspace,
    Teacher,
    default_teacher,
    enumerate_subspaces,
    positive_int,
)

__all__ = [
    "RationalActivation",
    "DEFAULT_ACTIVATION",
    "TwoLayerPoint",
    "network_outputs",
    "risk_and_gradient",
    "CriticalData",
    "make_critical_data",
    "critical_part",
    "check_implements_teacher",
    "check_replication_criticality",
    "check_zero_type_noncritical",
    "check_subspace_criticality",
]

_Z = sympy.Symbol("z")


def _poly_coeffs(expr: sympy.Expr, spec: Any) -> tuple[Fraction, ...]:
    try:
        poly = sympy.Poly(expr, _Z)
    except sympy.PolynomialError:
        raise ActivationError(f"exact checks need a rational function of z as activation, got {spec!r}") from None
    out = []
    for c in reversed(poly.all_coeffs()):
        if not c.is_Rational:
            raise ActivationError(f"the activation {spec!r} has a non-rational coefficient {c}")
        out.append(Fraction(int(c.p), int(c.q)))
    while len(out) > 1 and out[-1] == 0:
        out.pop()
    return tuple(out) if out else (Fraction(0),)


def _horner(coeffs: Sequence[Fraction], z: Fraction) -> Fraction:
    acc = Fraction(0)
    for c in reversed(coeffs):
        acc = acc * z + c
    return acc


def _dpoly(coeffs: Sequence[Fraction]) -> tuple[Fraction, ...]:
    return tuple(k * c for k, c in enumerate(coeffs))[1:] or (Fraction(0),)


@dataclass(frozen=True)
class RationalActivation:
    """σ(z) = P(z)/Q(z), P and Q polynomials with rational coefficients (exact values).

    A pole hit at an evaluation point raises :class:`InputError`.

    >>> s = RationalActivation.parse("(z + z**2)/(1 + z**2)")
    >>> s.value(Fraction(1)), s.derivative(Fraction(1))
    (Fraction(1, 1), Fraction(1, 2))
    >>> RationalActivation.parse([0, 1, "1/2"]).value(Fraction(2))
    Fraction(4, 1)
    """

    num: tuple[Fraction, ...]
    den: tuple[Fraction, ...] = (Fraction(1),)

    @classmethod
    def parse(cls, spec: "str | sympy.Expr | Sequence[Any] | RationalActivation") -> "RationalActivation":
        """From an expression in ``z`` (string or SymPy) or polynomial coefficients c0, c1, …"""
        if isinstance(spec, RationalActivation):
            return spec
        if isinstance(spec, (list, tuple)):
            coeffs = [exact.as_fraction(c, f"activation coefficient {k}") for k, c in enumerate(spec)]
            return cls(tuple(coeffs) or (Fraction(0),))
        try:
            expr = sympy.sympify(spec, locals={"z": _Z}) if isinstance(spec, str) else sympy.sympify(spec)
        except (sympy.SympifyError, SyntaxError, TypeError):
            raise ActivationError(f"cannot read the activation {spec!r} as an expression in z") from None
        if expr.atoms(sympy.Float):
            raise ActivationError(f"the activation {spec!r} has a float coefficient; write it as a fraction")
        if not expr.free_symbols <= {_Z}:
            raise ActivationError(f"the activation {spec!r} must be an expression in z only")
        numer, denom = sympy.fraction(sympy.together(expr))
        return cls(_poly_coeffs(numer, spec), _poly_coeffs(denom, spec))

    def _den(self, z: Fraction) -> Fraction:
        q = _horner(self.den, z)
        if q == 0:
            raise InputError(f"the activation {self} has a pole at z = {z}")
        return q

    def value(self, z: Fraction) -> Fraction:
        return _horner(self.num, z) / self._den(z)

    def derivative(self, z: Fraction) -> Fraction:
        q = self._den(z)
        p = _horner(self.num, z)
        return (_horner(_dpoly(self.num), z) * q - p * _horner(_dpoly(self.den), z)) / (q * q)

    def expr(self) -> sympy.Expr:
        def poly(cs: Sequence[Fraction]) -> sympy.Expr:
            return sum((sympy.Rational(c.numerator, c.denominator) * _Z**k for k, c in enumerate(cs)), sympy.S(0))

        return poly(self.num) / poly(self.den)

    def __str__(self) -> str:
        return str(self.expr())


#: σ(z) = (z + z²)/(1 + z²): σ(0) = 0, neither odd nor even, and neuron functions
#: σ(w·x) for distinct w are linearly independent (different poles), unlike a
#: polynomial, whose neuron functions span a finite-dimensional space and can make
#: every zero-type neuron critical.
DEFAULT_ACTIVATION = RationalActivation(
    (Fraction(0), Fraction(1), Fraction(1)), (Fraction(1), Fraction(0), Fraction(1))
)


@dataclass(frozen=True)
class TwoLayerPoint:
    """Parameters (w_j ∈ Q^d, a_j ∈ Q^{d_out}) of the width-m bias-free network."""

    w: tuple[tuple[Fraction, ...], ...]
    a: tuple[tuple[Fraction, ...], ...]

    @property
    def m(self) -> int:
        return len(self.w)

    @property
    def d(self) -> int:
        return len(self.w[0])

    @property
    def d_out(self) -> int:
        return len(self.a[0])

    @classmethod
    def from_teacher(cls, teacher: Teacher) -> "TwoLayerPoint":
        return cls(teacher.w, teacher.a)

    @classmethod
    def from_theta(cls, theta: Sequence[Any], m: int, d: int, d_out: int) -> "TwoLayerPoint":
        """From the canonical flat order (w row-major, then a as rows of W2)."""
        if len(theta) != m * (d + d_out):
            raise InputError(f"theta has {len(theta)} entries, expected m*(d+d_out) = {m * (d + d_out)}")
        t = [exact.as_fraction(x, f"theta[{k}]") for k, x in enumerate(theta)]
        w = tuple(tuple(t[j * d + k] for k in range(d)) for j in range(m))
        a = tuple(tuple(t[m * d + c * m + j] for c in range(d_out)) for j in range(m))
        return cls(w, a)

    def theta(self) -> list[Fraction]:
        """The canonical flat order."""
        out = [x for v in self.w for x in v]
        out += [self.a[j][c] for c in range(self.d_out) for j in range(self.m)]
        return out


def _dot(u: Sequence[Fraction], v: Sequence[Fraction]) -> Fraction:
    return sum((x * y for x, y in zip(u, v)), Fraction(0))


def network_outputs(point: TwoLayerPoint, X: Sequence[Sequence[Fraction]], act: RationalActivation) -> list[list[Fraction]]:
    """f(x_k) for every row x_k of X (exact)."""
    out = []
    for x in X:
        f = [Fraction(0)] * point.d_out
        for wj, aj in zip(point.w, point.a):
            s = act.value(_dot(wj, x))
            for c in range(point.d_out):
                f[c] += aj[c] * s
        out.append(f)
    return out


def risk_and_gradient(
    point: TwoLayerPoint,
    X: Sequence[Sequence[Fraction]],
    Y: Sequence[Sequence[Fraction]],
    act: RationalActivation,
) -> tuple[Fraction, list[Fraction]]:
    """R(θ) and ∇R(θ) (canonical flat order), exact, by the formulas of the module docstring."""
    n = len(X)
    if n == 0 or len(Y) != n:
        raise InputError(f"need the same positive number of inputs and targets, got {len(X)} and {len(Y)}")
    F = network_outputs(point, X, act)
    E = [[fk[c] - Fraction(yk[c]) for c in range(point.d_out)] for fk, yk in zip(F, Y)]
    risk = sum((e * e for ek in E for e in ek), Fraction(0)) / n
    scale = Fraction(2, n)
    m, d, d_out = point.m, point.d, point.d_out
    gw = [[Fraction(0)] * d for _ in range(m)]
    ga = [[Fraction(0)] * d_out for _ in range(m)]
    for x, ek in zip(X, E):
        for j in range(m):
            z = _dot(point.w[j], x)
            s, ds = act.value(z), act.derivative(z)
            for c in range(d_out):
                ga[j][c] += ek[c] * s
            coef = _dot(point.a[j], ek) * ds
            if coef:
                for l in range(d):
                    gw[j][l] += coef * x[l]
    grad = [scale * g for v in gw for g in v]
    grad += [scale * ga[j][c] for c in range(d_out) for j in range(m)]
    return risk, grad


# --------------------------------------------------------------------------- critical data


@dataclass(frozen=True)
class CriticalData:
    """A width-r point θ* that is critical for the data (X, Y) with non-zero loss."""

    teacher: Teacher
    X: tuple[tuple[Fraction, ...], ...]
    Y: tuple[tuple[Fraction, ...], ...]
    residual: tuple[tuple[Fraction, ...], ...]
    activation: RationalActivation
    risk: Fraction

    @property
    def n(self) -> int:
        return len(self.X)


def _jacobian(teacher: Teacher, X: Sequence[Sequence[Fraction]], act: RationalActivation) -> list[list[Fraction]]:
    """Rows k·d_out + c, columns the canonical θ order of the width-r point."""
    r, d, d_out = teacher.r, teacher.d, teacher.d_out
    ncols = r * (d + d_out)
    J = []
    for x in X:
        zs = [_dot(teacher.w[i], x) for i in range(r)]
        for c in range(d_out):
            row = [Fraction(0)] * ncols
            for i in range(r):
                ds = act.derivative(zs[i])
                for l in range(d):
                    row[i * d + l] = teacher.a[i][c] * ds * x[l]
                row[r * d + c * r + i] = act.value(zs[i])
            J.append(row)
    return J


def make_critical_data(
    teacher: Teacher | None = None,
    X: Sequence[Sequence[Any]] | None = None,
    *,
    r: int = 2,
    d: int = 1,
    d_out: int = 1,
    n: int | None = None,
    activation: Any = DEFAULT_ACTIVATION,
    seed: int = 0,
) -> CriticalData:
    """SPEC §0 recipe: J = ∂f(X)/∂θ at θ*, a residual e ≠ 0 with Jᵀe = 0, y = f_{θ*}(X) − e.

    Without ``teacher``, :func:`default_teacher(r, d, d_out, seed)`; without X,
    n random rational inputs (n defaults to r·(d + d_out) + 2, enough for Jᵀ to
    have a kernel).  The result is checked: gradient 0 exactly, risk > 0.

    >>> cd = make_critical_data(r=2)
    >>> cd.risk > 0, all(g == 0 for g in risk_and_gradient(TwoLayerPoint.from_teacher(cd.teacher), cd.X, cd.Y, cd.activation)[1])
    (True, True)
    """
    act = RationalActivation.parse(activation)
    rng = random.Random(seed)
    if teacher is None:
        teacher = default_teacher(positive_int("r", r), positive_int("d", d), positive_int("d_out", d_out), seed)
    if X is None:
        if n is None:
            n = teacher.r * (teacher.d + teacher.d_out) + 2
        n = positive_int("n", n)
        # distinct, non-zero inputs: a repeated input would let e cancel on it and
        # make every function of x orthogonal to e (a degenerate critical point)
        rows: list[tuple[Fraction, ...]] = []
        while len(rows) < n:
            x = tuple(Fraction(rng.randint(-6, 6), rng.randint(1, 3)) for _ in range(teacher.d))
            if any(x) and x not in rows:
                rows.append(x)
        Xf = [list(x) for x in rows]
    else:
        Xf = [[exact.as_fraction(v, f"X[{k}][{l}]") for l, v in enumerate(row)] for k, row in enumerate(X)]
        if any(len(row) != teacher.d for row in Xf):
            raise InputError(f"every input must have d = {teacher.d} entries")
    J = _jacobian(teacher, Xf, act)
    JT = [list(col) for col in zip(*J)]
    basis = exact.nullspace(JT, len(J))
    if not basis:
        raise InputError(
            f"Jᵀ has a trivial kernel for these {len(Xf)} inputs: no non-zero residual keeps θ* critical; "
            f"use more inputs"
        )
    while True:
        e = [Fraction(0)] * len(J)
        for v in basis:
            t = Fraction(rng.randint(-3, 3), rng.randint(1, 2))
            e = [x + t * y for x, y in zip(e, v)]
        if any(e):
            break
    point = TwoLayerPoint.from_teacher(teacher)
    F = network_outputs(point, Xf, act)
    dout = teacher.d_out
    E = [tuple(e[k * dout + c] for c in range(dout)) for k in range(len(Xf))]
    Y = tuple(tuple(F[k][c] - E[k][c] for c in range(dout)) for k in range(len(Xf)))
    risk, grad = risk_and_gradient(point, Xf, Y, act)
    assert all(g == 0 for g in grad) and risk > 0  # by construction (Jᵀe = 0, e ≠ 0)
    return CriticalData(teacher, tuple(map(tuple, Xf)), Y, tuple(E), act, risk)


def critical_part(S: Subspace, data: CriticalData) -> AffineSystem:
    """The exact affine system of the critical points inside a replication subspace S.

    On S the function, hence the residual e, is that of θ*; ∂R/∂a_j = 0
    automatically and ∂R/∂w_j = (2/n) M_{π(j)} a_j with
    M_i = Σ_k σ′(w*_i·x_k) x_k e_kᵀ (d × d_out).  So the critical points of S are
    S ∩ {M_{π(j)} a_j = 0 for all j}.  For d_out = 1 this is S itself (M_i a*_i = 0
    and M_i is a column); for d_out ≥ 2 it is in general smaller.
    """
    if S.kind != "G":
        raise InputError("critical_part is defined for replication subspaces (kind G)")
    T = data.teacher
    base = S.equations(T)
    m, d, d_out = S.m, T.d, T.d_out
    act = data.activation
    Ms = []
    for i in range(T.r):
        M = [[Fraction(0)] * d_out for _ in range(d)]
        for x, e in zip(data.X, data.residual):
            ds = act.derivative(_dot(T.w[i], x))
            for l in range(d):
                for c in range(d_out):
                    M[l][c] += ds * x[l] * e[c]
        Ms.append(M)
    rows = list(base.A)
    rhs = list(base.b)
    n = base.n
    for i, block in enumerate(S.assignment):
        for j in block:
            for l in range(d):
                row = [Fraction(0)] * n
                for c in range(d_out):
                    row[m * d + c * m + j] = Ms[i][l][c]
                if any(row):
                    rows.append(tuple(row))
                    rhs.append(Fraction(0))
    return AffineSystem(tuple(rows), tuple(rhs), base.names)


# --------------------------------------------------------------------------- checks


def check_implements_teacher(
    kind: str,
    r: int,
    m: int,
    teacher: Teacher | None = None,
    *,
    d: int = 1,
    d_out: int = 1,
    target: Teacher | None = None,
) -> dict[str, Any]:
    """Symbolic check that every subspace of ``kind`` implements the teacher function.

    ``target`` (default: the teacher) is the function compared with; a different
    target serves as a negative control.

    σ = ``sympy.Function('sigma')`` (undefined), x = (x0, …) symbols, the subspace
    parametrised as p + Σ t_k v_k with exact p, an exact basis v_k of directions
    and free symbols t_k; then f_θ(x) − f_{θ*}(x) must expand to 0 for every
    output.  Returns a report with ``all_implement``, counts and strength.

    >>> check_implements_teacher("T_groups", 1, 3)["all_implement"]
    True
    """
    r, m = check_width(r, m)
    if teacher is None:
        teacher = default_teacher(r, d, d_out)
    sigma = sympy.Function("sigma")
    xs = sympy.symbols(f"x0:{teacher.d}")
    Rat = sympy.Rational

    def fexpr(W: Sequence[Sequence[Any]], A: Sequence[Sequence[Any]], c: int) -> sympy.Expr:
        return sum((A[j][c] * sigma(sum((W[j][l] * xs[l] for l in range(len(xs))), sympy.S(0))) for j in range(len(W))), sympy.S(0))

    goal = teacher if target is None else target
    if (goal.d, goal.d_out) != (teacher.d, teacher.d_out):
        raise InputError("the target network must have the teacher's input and output dimensions")
    tw = [[Rat(v.numerator, v.denominator) for v in row] for row in goal.w]
    ta = [[Rat(v.numerator, v.denominator) for v in row] for row in goal.a]
    target_f = [fexpr(tw, ta, c) for c in range(teacher.d_out)]
    checked, failures = 0, []
    dims_ok = True
    for S in enumerate_subspaces(kind, r, m):
        E = S.equations(teacher)
        p = E.point()
        V = E.directions()
        if p is None:
            failures.append(S.describe())
            continue
        if len(V) != S.dimension(teacher.d, teacher.d_out):
            dims_ok = False
        ts = sympy.symbols(f"t0:{len(V)}") if V else ()
        theta = [Rat(pk.numerator, pk.denominator) + sum((Rat(v[k].numerator, v[k].denominator) * t for v, t in zip(V, ts)), sympy.S(0)) for k, pk in enumerate(p)]
        d_, do = teacher.d, teacher.d_out
        W = [[theta[j * d_ + l] for l in range(d_)] for j in range(m)]
        A = [[theta[m * d_ + c * m + j] for c in range(do)] for j in range(m)]
        ok = all(sympy.expand(fexpr(W, A, c) - target_f[c]) == 0 for c in range(do))
        checked += 1
        if not ok:
            failures.append(S.describe())
    return {
        "kind": kind,
        "r": r,
        "m": m,
        "d": teacher.d,
        "d_out": teacher.d_out,
        "subspaces": checked,
        "all_implement": not failures,
        "failures": failures,
        "parametrisation_dimensions_match_formula": dims_ok,
        "strength": "symbolic",
    }


def _is_zero(grad: Sequence[Fraction]) -> bool:
    return all(g == 0 for g in grad)


def check_replication_criticality(
    data: CriticalData, m: int, *, points_per_subspace: int = 2, seed: int = 1, max_subspaces: int | None = None
) -> dict[str, Any]:
    """Random exact points of the G(r, m) replication subspaces of a non-global critical point.

    For each subspace: points of its critical part (:func:`critical_part`, the
    whole subspace when d_out = 1) must have gradient exactly 0; for d_out ≥ 2,
    random points of the whole subspace are also tried and the non-critical ones
    counted (expected: they exist unless every split is parallel to a*).
    """
    r = data.teacher.r
    r, m = check_width(r, m)
    rng = random.Random(seed)
    T = data.teacher
    res = {
        "r": r,
        "m": m,
        "d": T.d,
        "d_out": T.d_out,
        "risk": str(data.risk),
        "subspaces": 0,
        "critical_part_points": 0,
        "critical_part_all_critical": True,
        "whole_subspace_points": 0,
        "whole_subspace_noncritical_points": 0,
        "critical_part_is_whole_subspace": 0,
        "dimensions_whole_to_critical": {},
        "strength": "exact",
    }
    for idx, S in enumerate(enumerate_subspaces("G", r, m)):
        if max_subspaces is not None and idx >= max_subspaces:
            break
        res["subspaces"] += 1
        whole = S.equations(T)
        crit = critical_part(S, data)
        dims = (whole.dimension(), crit.dimension())
        key = f"{dims[0]}->{dims[1]}"
        res["dimensions_whole_to_critical"][key] = res["dimensions_whole_to_critical"].get(key, 0) + 1
        if dims[0] == dims[1]:
            res["critical_part_is_whole_subspace"] += 1
        for _ in range(points_per_subspace):
            theta = crit.random_point(rng)
            _, g = risk_and_gradient(TwoLayerPoint.from_theta(theta, m, T.d, T.d_out), data.X, data.Y, data.activation)
            res["critical_part_points"] += 1
            if not _is_zero(g):
                res["critical_part_all_critical"] = False
            if T.d_out >= 2:
                theta = whole.random_point(rng)
                _, g = risk_and_gradient(TwoLayerPoint.from_theta(theta, m, T.d, T.d_out), data.X, data.Y, data.activation)
                res["whole_subspace_points"] += 1
                if not _is_zero(g):
                    res["whole_subspace_noncritical_points"] += 1
    return res


def _on_known_critical_locus(S: Subspace, pt: TwoLayerPoint, T: Teacher) -> bool:
    """A zero group whose shared incoming vector is 0 or some w*_i (known critical loci)."""
    special = set(T.w) | {tuple(Fraction(0) for _ in range(T.d))}
    return any(pt.w[g[0]] in special for g in S.zero_groups)


def check_zero_type_noncritical(
    data: CriticalData,
    m: int,
    reading: str = "single",
    *,
    points_per_subspace: int = 2,
    seed: int = 2,
    max_subspaces: int | None = None,
) -> dict[str, Any]:
    """Random exact points of T pieces *with zero-type neurons*, built on a non-global θ*.

    Counts the points drawn and those with gradient ≠ 0 (expected: all).  Points
    where a zero group's shared incoming vector is 0 or equals some w*_i lie on
    known critical loci (there the piece meets a replication subspace, or σ(0) = 0
    kills the neuron); they are redrawn and counted in
    ``redrawn_on_known_locus``.  A drawn point that is nevertheless critical is
    reported in ``critical_examples``.
    """
    r = data.teacher.r
    r, m = check_width(r, m)
    kind = {"single": "T_single", "groups": "T_groups"}.get(reading)
    if kind is None:
        raise InputError(f"unknown reading {reading!r}; choose 'single' or 'groups'")
    rng = random.Random(seed)
    T = data.teacher
    res: dict[str, Any] = {
        "r": r,
        "m": m,
        "reading": reading,
        "subspaces_with_zero_type": 0,
        "points": 0,
        "noncritical_points": 0,
        "critical_examples": [],
        "redrawn_on_known_locus": 0,
        "strength": "exact",
    }
    idx = 0
    for S in enumerate_subspaces(kind, r, m):
        if not S.zero_groups:
            continue
        if max_subspaces is not None and idx >= max_subspaces:
            break
        idx += 1
        res["subspaces_with_zero_type"] += 1
        E = S.equations(T)
        for _ in range(points_per_subspace):
            for _attempt in range(50):
                theta = E.random_point(rng, size=25)
                pt = TwoLayerPoint.from_theta(theta, m, T.d, T.d_out)
                if not _on_known_critical_locus(S, pt, T):
                    break
                res["redrawn_on_known_locus"] += 1
            _, g = risk_and_gradient(pt, data.X, data.Y, data.activation)
            res["points"] += 1
            if _is_zero(g):
                res["critical_examples"].append({"subspace": S.describe(), "theta": [str(x) for x in theta]})
            else:
                res["noncritical_points"] += 1
    return res


def check_subspace_criticality(
    r: int = 2, m: int = 3, *, d: int = 1, d_out: int = 1, seed: int = 0, activation: Any = DEFAULT_ACTIVATION
) -> dict[str, Any]:
    """All checks of item 4 in one report (symbolic + exact), for a generated θ*."""
    data = make_critical_data(r=r, d=d, d_out=d_out, seed=seed, activation=activation)
    return {
        "teacher": data.teacher.to_dict(),
        "activation": str(data.activation),
        "n": data.n,
        "risk": str(data.risk),
        "implements_teacher": {
            k: check_implements_teacher(k, r, m, data.teacher) for k in ("G", "T_single", "T_groups")
        },
        "replication": check_replication_criticality(data, m),
        "zero_type": {rd: check_zero_type_noncritical(data, m, rd) for rd in ("single", "groups")},
    }
