"""Criticality of the symmetry-induced subspaces, decided exactly or symbolically.

The network is the two-layer bias-free f(x) = Σ_j a_j σ(w_j·x) with the squared
loss R(θ) = (1/n) Σ_k ‖f(x_k) − y_k‖², a *core* network: every value, gradient
and Jacobian comes from :mod:`exactlift.calculus.backprop` (exact context, core
``mse`` loss), reached through :mod:`exactlift.symmetry.twolayer`
(:class:`TwoLayerPoint` ↔ core :class:`~exactlift.nn.network.Params`).  The
critical data θ* and the critical part of a replication subspace are built in
:mod:`exactlift.symmetry.critical_data`; this module holds the checks.  The
tests compare the core's gradient here with SymPy differentiation of the loss
and with the closed-form formulas

    ∂R/∂a_{j,c} = (2/n) Σ_k e_{k,c} σ(w_j·x_k),
    ∂R/∂w_{j,l} = (2/n) Σ_k (a_j·e_k) σ′(w_j·x_k) x_{k,l}     (e_k = f(x_k) − y_k).

What is checked (docs/symmetry.md):

* :func:`check_implements_teacher` — every enumerated subspace implements the
  teacher function: with the core's undefined activation ``sigma``, symbolic
  inputs x and the subspace parametrised by free symbols (a particular solution
  plus a basis of directions, both exact), the core forward pass in the
  symbolic context gives f_θ(x) − f_{θ*}(x), which expands to 0.  Strength
  ``symbolic`` (all points of the subspace, all x, all σ).
* :func:`~exactlift.symmetry.critical_data.make_critical_data` — docs/mathematics.md: a
  non-global critical point θ* of width r: data X, residual e ≠ 0 with Jᵀe = 0
  exactly, y = f_{θ*}(X) − e.
* :func:`check_replication_criticality` — random exact points of the G(r, m)
  replication subspaces of θ* have gradient exactly 0 (``exact``).  With
  d_out ≥ 2 only the part of the subspace where every a_j lies in the kernel
  of M_i = Σ_k σ′(w*_i·x_k) x_k e_kᵀ (containing the splits a_j ∥ a*_i) is
  critical: :func:`~exactlift.symmetry.critical_data.critical_part` gives it as
  an exact affine system and both halves are checked.
* :func:`check_zero_type_noncritical` — random exact points of the T pieces with
  zero-type neurons, built on θ*, have gradient ≠ 0 (``exact``, for the points
  drawn: such points are critical only on a lower-dimensional set, e.g. a zero
  neuron's free w_j equal to some w*_i).

Every check returns a :class:`CriticalityReport`: the dict of its JSON keys
(unchanged) that also carries its :class:`~exactlift.certify.Certificate`
(:meth:`CriticalityReport.certificate`); a leaf's strength is the strength of
the context that decided it, a composite's the weakest of its parts.

>>> rep = check_subspace_criticality(2, 3)
>>> rep["replication"]["critical_part_all_critical"], rep.certificate().holds, rep.certificate().strength
(True, True, 'exact')
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import sympy

from exactlift.arith.contexts import get_context
from exactlift.calculus.backprop import forward
from exactlift.certify import Certificate, Timer
from exactlift.errors import InputError
from exactlift.nn.activations import parse_activation
from exactlift.nn.network import Params
from exactlift.symmetry.counts import check_width
from exactlift.symmetry.critical_data import CriticalData, critical_part, make_critical_data, residual_matrices
from exactlift.symmetry.sizes import check_two_layer_size
from exactlift.symmetry.subspaces import Subspace, Teacher, default_teacher, enumerate_subspaces
from exactlift.symmetry.twolayer import (
    DEFAULT_ACTIVATION,
    RationalActivation,
    TwoLayerPoint,
    network_outputs,
    output_jacobian_rows,
    risk_and_gradient,
    two_layer_architecture,
)

__all__ = [
    # the network (exactlift.symmetry.twolayer) and the critical data (exactlift.symmetry.critical_data),
    # importable from here as before
    "RationalActivation",
    "DEFAULT_ACTIVATION",
    "TwoLayerPoint",
    "network_outputs",
    "risk_and_gradient",
    "output_jacobian_rows",
    "CriticalData",
    "make_critical_data",
    "critical_part",
    "residual_matrices",
    # the checks
    "CriticalityReport",
    "check_implements_teacher",
    "check_replication_criticality",
    "check_zero_type_noncritical",
    "check_subspace_criticality",
]


class CriticalityReport(dict):
    """A check's report: the dict of its JSON keys, plus the :class:`Certificate` it stands for.

    It is a plain ``dict`` for every existing use (keys, ``json.dumps``);
    :meth:`certificate` gives the result type every check of exactlift returns.

    >>> rep = check_implements_teacher("G", 1, 2)
    >>> rep["all_implement"], rep["strength"], rep.certificate().line()
    (True, 'symbolic', 'every G(1, 2) subspace implements the teacher function: holds [symbolic; r=1, m=2, d=1, d_out=1] 1 subspaces, 0 failures')
    """

    def __init__(self, fields: dict[str, Any], certificate: Certificate) -> None:
        super().__init__(fields)
        self._certificate = certificate

    def certificate(self) -> Certificate:
        """The certificate of this check (its strength computed from its parts)."""
        return self._certificate


def _symbolic_outputs(W: Sequence[Sequence[Any]], A: Sequence[Sequence[Any]], xs: Sequence[sympy.Symbol]) -> list[sympy.Expr]:
    """f(x) of the width-len(W) network with the undefined σ, by the core forward pass (symbolic context)."""
    ctx = get_context("symbolic")
    m, d, d_out = len(W), len(xs), len(A[0])
    arch = two_layer_architecture(d, m, d_out, parse_activation("sigma"))
    flat = [W[j][l] for j in range(m) for l in range(d)] + [A[j][c] for c in range(d_out) for j in range(m)]
    params = Params.from_flat(arch, flat).convert(ctx)
    return list(forward(arch, params, ctx.array([list(xs)], "x"), ctx).output[0])


def _rational(v: Fraction) -> sympy.Rational:
    return sympy.Rational(v.numerator, v.denominator)


def check_implements_teacher(
    kind: str,
    r: int,
    m: int,
    teacher: Teacher | None = None,
    *,
    d: int = 1,
    d_out: int = 1,
    target: Teacher | None = None,
) -> CriticalityReport:
    """Symbolic check that every subspace of ``kind`` implements the teacher function.

    ``target`` (default: the teacher) is the function compared with; a different
    target serves as a negative control.

    σ = the core's undefined activation ``sigma``, x = (x0, …) symbols, the
    subspace parametrised as p + Σ t_k v_k with exact p, an exact basis v_k of
    directions and free symbols t_k; the core forward pass (symbolic context)
    gives f_θ(x), and f_θ(x) − f_{θ*}(x) must expand to 0 for every output.
    Returns a report with ``all_implement``, counts and strength.

    >>> check_implements_teacher("T_groups", 1, 3)["all_implement"]
    True
    """
    r, m = check_width(r, m)
    if teacher is None:
        teacher = default_teacher(r, d, d_out)
    goal = teacher if target is None else target
    if (goal.d, goal.d_out) != (teacher.d, teacher.d_out):
        raise InputError("the target network must have the teacher's input and output dimensions")
    ctx = get_context("symbolic")
    xs = sympy.symbols(f"x0:{teacher.d}")
    dd, do = teacher.d, teacher.d_out
    with Timer() as timer:
        tw = [[_rational(v) for v in row] for row in goal.w]
        ta = [[_rational(v) for v in row] for row in goal.a]
        target_f = _symbolic_outputs(tw, ta, xs)
        checked, failures = 0, []
        dims_ok = True
        for S in enumerate_subspaces(kind, r, m):
            E = S.equations(teacher)
            p = E.point()
            V = E.directions()
            if p is None:
                failures.append(S.describe())
                continue
            if len(V) != S.dimension(dd, do):
                dims_ok = False
            ts = sympy.symbols(f"t0:{len(V)}") if V else ()
            theta = [_rational(pk) + sum((_rational(v[k]) * t for v, t in zip(V, ts)), sympy.S(0)) for k, pk in enumerate(p)]
            W = [[theta[j * dd + l] for l in range(dd)] for j in range(m)]
            A = [[theta[m * dd + c * m + j] for c in range(do)] for j in range(m)]
            f = _symbolic_outputs(W, A, xs)
            ok = ctx.all_zero([sympy.expand(f[c] - target_f[c]) for c in range(do)])
            checked += 1
            if not ok:
                failures.append(S.describe())
    scope = f"r={r}, m={m}, d={dd}, d_out={do}"
    cert = Certificate(
        f"every {kind}({r}, {m}) subspace implements the {'teacher' if target is None else 'target'} function",
        not failures,
        ctx.strength,
        scope=scope,
        detail=f"{checked} subspaces, {len(failures)} failures",
        data={"kind": kind, "teacher": teacher.to_dict(), "target": goal.to_dict(), "failures": failures,
              "parametrisation_dimensions_match_formula": dims_ok},
        seconds=timer.seconds,
    )
    return CriticalityReport(
        {
            "kind": kind,
            "r": r,
            "m": m,
            "d": dd,
            "d_out": do,
            "subspaces": checked,
            "all_implement": not failures,
            "failures": failures,
            "parametrisation_dimensions_match_formula": dims_ok,
            "strength": str(cert.strength),
        },
        cert,
    )


def _is_critical(point: TwoLayerPoint, data: CriticalData) -> bool | None:
    """Whether ∇R = 0 at ``point`` for the data, decided by the exact context."""
    _, g = risk_and_gradient(point, data.X, data.Y, data.activation)
    return get_context("exact").all_zero(g)


def check_replication_criticality(
    data: CriticalData, m: int, *, points_per_subspace: int = 2, seed: int = 1, max_subspaces: int | None = None
) -> CriticalityReport:
    """Random exact points of the G(r, m) replication subspaces of a non-global critical point.

    For each subspace: points of its critical part (:func:`critical_part`, the
    whole subspace when d_out = 1) must have gradient exactly 0; for d_out ≥ 2,
    random points of the whole subspace are also tried and the non-critical ones
    counted (expected: they exist unless every split is parallel to a*).  The
    certificate's verdict is that of the critical parts.

    >>> rep = check_replication_criticality(make_critical_data(r=1), 2)
    >>> rep["critical_part_all_critical"], rep.certificate().strength
    (True, 'exact')
    """
    r = data.teacher.r
    r, m = check_width(r, m)
    rng = random.Random(seed)
    T = data.teacher
    ctx = get_context("exact")
    res: dict[str, Any] = {
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
        "strength": str(ctx.strength),
    }
    with Timer() as timer:
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
                res["critical_part_points"] += 1
                if not _is_critical(TwoLayerPoint.from_theta(theta, m, T.d, T.d_out), data):
                    res["critical_part_all_critical"] = False
                if T.d_out >= 2:
                    theta = whole.random_point(rng)
                    res["whole_subspace_points"] += 1
                    if not _is_critical(TwoLayerPoint.from_theta(theta, m, T.d, T.d_out), data):
                        res["whole_subspace_noncritical_points"] += 1
    scope = f"r={r}, m={m}, d={T.d}, d_out={T.d_out}, {points_per_subspace} random exact points per subspace (seed {seed})"
    parts = [
        Certificate(
            f"random points of the critical parts of the G({r}, {m}) replication subspaces are critical",
            res["critical_part_all_critical"],
            ctx.strength,
            scope=scope,
            detail=f"{res['critical_part_points']} points of {res['subspaces']} subspaces; "
            f"dimensions whole->critical {res['dimensions_whole_to_critical']}",
            data={"points": res["critical_part_points"], "subspaces": res["subspaces"],
                  "dimensions_whole_to_critical": dict(res["dimensions_whole_to_critical"])},
        )
    ]
    if res["whole_subspace_points"]:
        parts.append(
            Certificate(
                "random points of the whole replication subspaces are not critical (d_out >= 2: only splits in ker M_i are)",
                res["whole_subspace_noncritical_points"] == res["whole_subspace_points"],
                ctx.strength,
                scope=scope,
                detail=f"{res['whole_subspace_noncritical_points']}/{res['whole_subspace_points']} not critical",
                data={"points": res["whole_subspace_points"], "noncritical": res["whole_subspace_noncritical_points"]},
            )
        )
    cert = Certificate.combine(
        f"replication subspaces G({r}, {m}) of a non-global critical point are critical on their critical parts",
        parts,
        holds=res["critical_part_all_critical"],
        scope=scope,
        data={"teacher": T.to_dict(), "risk": data.risk, "seed": seed},
        seconds=timer.seconds,
    )
    res["strength"] = str(cert.strength)
    return CriticalityReport(res, cert)


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
) -> CriticalityReport:
    """Random exact points of T pieces *with zero-type neurons*, built on a non-global θ*.

    Counts the points drawn and those with gradient ≠ 0 (expected: all).  Points
    where a zero group's shared incoming vector is 0 or equals some w*_i lie on
    known critical loci (there the piece meets a replication subspace, or σ(0) = 0
    kills the neuron); they are redrawn and counted in
    ``redrawn_on_known_locus``.  A drawn point that is nevertheless critical is
    reported in ``critical_examples``.

    >>> rep = check_zero_type_noncritical(make_critical_data(r=1), 2)
    >>> rep["noncritical_points"] == rep["points"] > 0, rep.certificate().holds
    (True, True)
    """
    r = data.teacher.r
    r, m = check_width(r, m)
    kind = {"single": "T_single", "groups": "T_groups"}.get(reading)
    if kind is None:
        raise InputError(f"unknown reading {reading!r}; choose 'single' or 'groups'")
    rng = random.Random(seed)
    T = data.teacher
    ctx = get_context("exact")
    res: dict[str, Any] = {
        "r": r,
        "m": m,
        "reading": reading,
        "subspaces_with_zero_type": 0,
        "points": 0,
        "noncritical_points": 0,
        "critical_examples": [],
        "redrawn_on_known_locus": 0,
        "strength": str(ctx.strength),
    }
    idx = 0
    with Timer() as timer:
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
                res["points"] += 1
                if _is_critical(pt, data):
                    res["critical_examples"].append({"subspace": S.describe(), "theta": [str(x) for x in theta]})
                else:
                    res["noncritical_points"] += 1
    cert = Certificate(
        f"random points of the {kind}({r}, {m}) pieces with zero-type neurons are not critical",
        res["noncritical_points"] == res["points"],
        ctx.strength,
        scope=f"r={r}, m={m}, d={T.d}, d_out={T.d_out}, {points_per_subspace} random exact points per piece (seed {seed}), "
        "off the known critical loci",
        detail=f"{res['noncritical_points']}/{res['points']} points of {res['subspaces_with_zero_type']} pieces not critical"
        if res["points"] else "no piece with zero-type neurons",
        data={"teacher": T.to_dict(), "risk": data.risk, "critical_examples": list(res["critical_examples"]),
              "redrawn_on_known_locus": res["redrawn_on_known_locus"]},
        seconds=timer.seconds,
    )
    res["strength"] = str(cert.strength)
    return CriticalityReport(res, cert)


def check_subspace_criticality(
    r: int = 2, m: int = 3, *, d: int = 1, d_out: int = 1, seed: int = 0, activation: Any = DEFAULT_ACTIVATION
) -> CriticalityReport:
    """All checks of item 4 in one report (symbolic + exact), for a generated θ*.

    The certificate combines the six checks; its strength is the weakest of
    theirs (``exact``), also given under the new key ``strength``.
    """
    check_two_layer_size(m, d, d_out, "the student network")
    with Timer() as timer:
        data = make_critical_data(r=r, d=d, d_out=d_out, seed=seed, activation=activation)
        implements = {k: check_implements_teacher(k, r, m, data.teacher) for k in ("G", "T_single", "T_groups")}
        replication = check_replication_criticality(data, m)
        zero_type = {rd: check_zero_type_noncritical(data, m, rd) for rd in ("single", "groups")}
    parts = [rep.certificate() for rep in (*implements.values(), replication, *zero_type.values())]
    cert = Certificate.combine(
        f"symmetry-induced subspaces of width {m} around a non-global critical point of width {r}: "
        "all implement the teacher, replications are critical, zero-type pieces are not",
        parts,
        scope=f"r={r}, m={m}, d={d}, d_out={d_out}, seed {seed}, sigma(z) = {data.activation}",
        data={"teacher": data.teacher.to_dict(), "activation": str(data.activation), "n": data.n, "risk": data.risk},
        seconds=timer.seconds,
    )
    return CriticalityReport(
        {
            "teacher": data.teacher.to_dict(),
            "activation": str(data.activation),
            "n": data.n,
            "risk": str(data.risk),
            "implements_teacher": implements,
            "replication": replication,
            "zero_type": zero_type,
            "strength": str(cert.strength),
        },
        cert,
    )
