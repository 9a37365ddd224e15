"""The critical lifting operator at work: decide (L1)–(L3) on a case and build the deep case.

docs/depth.md (exactlift formalization of arXiv 2205.13283; the conditions are stated
in :mod:`exactlift.lifts.depth.lifting`).  :func:`construct_lift` is what
``CriticalLift.lift(case)`` runs: the activation pattern of every inserted
neuron on the training data (L1: exactly on exact inputs, by a range bound for
every input, or in mp), the composition B D A = W, B(Dc + γ) + e = b by the
exact pseudo-inverse (L2), and the null-neuron sums (L3); the outcome is a
:class:`DepthLift`.

>>> from exactlift.lifts.depth.lifting import IdentityLift
>>> from exactlift.nn.examples import demo_case
>>> r = construct_lift(IdentityLift(1).resolve(demo_case()), demo_case())
>>> r.l1_method, r.deep.arch.widths
('training data (exact)', (1, 2, 2, 1))

Failure modes: :class:`~exactlift.errors.LiftError` when a condition fails
(naming it), :class:`~exactlift.errors.KinkError` when an inserted neuron sits
on a kink, :class:`~exactlift.errors.ArithmeticModeError` when exact
arithmetic is asked below a layer without exact values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from exactlift.arith.contexts import get_context, parse_rational
from exactlift.arith.linalg import pseudo_inverse
from exactlift.errors import ArithmeticModeError, LiftError
from exactlift.nn.activations import Activation, Piece
from exactlift.nn.case import Case
from exactlift.lifts.depth.insertion import (
    FRACTION_CTX,
    SOURCE,
    ZERO,
    Matrix,
    check_insertable,
    fraction_rows,
    layer_inputs,
    matmul,
    piece_of,
    piece_text,
    range_pattern,
)
from exactlift.lifts.base import Lift
from exactlift.nn.network import Architecture, Params

__all__ = ["NeuronPattern", "DepthLift", "construct_lift", "exact_below", "check_position"]


# ---------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NeuronPattern:
    """Where inserted neuron ``index`` sits on the training data.

    For a linear neuron, ``piece`` is the index of its open linear piece in
    ``activation.linear_pieces()`` and (``slope``, ``intercept``) = (α_k, γ_k).
    For a null neuron ``samples`` lists each sample's piece (mixed allowed).
    """

    index: int
    null: bool
    piece: int | None
    slope: Fraction | None
    intercept: Fraction | None
    samples: tuple[int, ...]
    interval: str


@dataclass(frozen=True)
class DepthLift:
    """The outcome of a critical lift on a case (see :class:`CriticalLift`).

    ``l1_method`` says how (L1) was decided: ``"training data (exact)"``,
    ``"range bound (exact, every input)"`` or ``"training data (mp, numerical)"``;
    ``l1_strength`` is ``exact`` or ``numerical`` accordingly.  ``l3_sums``
    holds Σ_i δ_i σ′(t_{k,i}) per null neuron (exact Fractions, or mp numbers).
    """

    lift: Lift
    shallow: Case
    deep: Case
    after_layer: int
    activation: Activation
    A: Matrix
    c: tuple[Fraction, ...]
    B: Matrix
    e: tuple[Fraction, ...]
    patterns: tuple[NeuronPattern, ...]
    l1_method: str
    l1_strength: str
    l3_sums: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    l3_strength: str | None = None
    source: str = SOURCE

    @property
    def linear_neurons(self) -> tuple[int, ...]:
        return tuple(p.index for p in self.patterns if not p.null)

    @property
    def null_neurons(self) -> tuple[int, ...]:
        return tuple(p.index for p in self.patterns if p.null)

    @property
    def D(self) -> tuple[Fraction, ...]:
        """The slopes α_k of the linear neurons (the diagonal of D), in neuron order."""
        return tuple(p.slope for p in self.patterns if not p.null)  # type: ignore[misc]

    @property
    def gamma(self) -> tuple[Fraction, ...]:
        """The intercepts γ_k of the linear neurons."""
        return tuple(p.intercept for p in self.patterns if not p.null)  # type: ignore[misc]

    @property
    def width(self) -> int:
        return len(self.patterns)

    def DA(self) -> list[list[Fraction]]:
        """D A restricted to the linear neurons (m′_lin × m_q)."""
        return [[p.slope * x for x in self.A[p.index]] for p in self.patterns if not p.null]  # type: ignore[operator]

    def BD(self) -> list[list[Fraction]]:
        """B D restricted to the linear neurons (m_{q+1} × m′_lin)."""
        lin = [p for p in self.patterns if not p.null]
        return [[row[p.index] * p.slope for p in lin] for row in self.B]  # type: ignore[operator]

    def rank_condition(self) -> dict[str, Any]:
        """T3's hypothesis: DA injective (rank m_q) or BD surjective (rank m_{q+1}), exact ranks."""
        from exactlift.arith.linalg import rank

        m_q = self.shallow.arch.widths[self.after_layer]
        m_next = self.shallow.arch.widths[self.after_layer + 1]
        da, bd = self.DA(), self.BD()
        r_da = rank(da) if da else 0
        r_bd = rank(bd) if bd and bd[0] else 0
        return {
            "rank_DA": r_da, "m_q": m_q, "DA_injective": r_da == m_q,
            "rank_BD": r_bd, "m_next": m_next, "BD_surjective": r_bd == m_next,
            "holds": r_da == m_q or r_bd == m_next,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "after_layer": self.after_layer,
            "activation": self.activation.spec,
            "shallow": self.shallow.arch.describe(),
            "deep": self.deep.arch.describe(),
            "n_params": [self.shallow.arch.n_params, self.deep.arch.n_params],
            "A": [[str(x) for x in r] for r in self.A],
            "c": [str(x) for x in self.c],
            "B": [[str(x) for x in r] for r in self.B],
            "e": [str(x) for x in self.e],
            "pattern": [
                {"neuron": p.index, "null": p.null, "interval": p.interval,
                 "slope": None if p.slope is None else str(p.slope),
                 "intercept": None if p.intercept is None else str(p.intercept)}
                for p in self.patterns
            ],
            "L1": {"method": self.l1_method, "strength": self.l1_strength},
            "L3": {str(k): [str(v) for v in s] for k, s in self.l3_sums.items()},
        }

    def report(self) -> str:
        lines = [
            f"depth lift ({self.source}): insert {self.activation.spec} layer of width {self.width} "
            f"after layer {self.after_layer}",
            f"  {self.shallow.arch.describe()} ({self.shallow.arch.n_params} params) -> "
            f"{self.deep.arch.describe()} ({self.deep.arch.n_params} params)",
            f"  (L1) decided on {self.l1_method} [{self.l1_strength}]",
        ]
        for p in self.patterns:
            if p.null:
                lines.append(f"  neuron {p.index}: null neuron (B column 0), pieces per sample {list(p.samples)}")
            else:
                lines.append(f"  neuron {p.index}: piece {p.interval}, D = {p.slope}, gamma = {p.intercept}")
        for k, s in self.l3_sums.items():
            lines.append(f"  (L3) neuron {k}: sum_i delta_i sigma(t_k,i) = {[str(v) for v in s]}")
        return "\n".join(lines)



def exact_below(arch: Architecture, q: int) -> bool:
    """Whether every activation below layer q has exact rational values."""
    return all(a.exact_capable for a in arch.activations[:q])


def check_position(arch: Architecture, q: int) -> int:
    """q itself when a layer can be inserted after layer q, else :class:`LiftError` naming the range."""
    L = arch.n_layers
    if not isinstance(q, int) or isinstance(q, bool) or not 0 <= q <= L - 1:
        top = "0 (right after the input; the network has no hidden layer)" if L == 1 else (
            f"0 (right after the input) .. {L - 1} (after the last hidden layer)")
        raise LiftError(
            f"cannot insert a layer after layer {q}: the network has {L} layer(s) with weights, so AFTER_LAYER "
            f"must be {top}"
        )
    return q



# ---------------------------------------------------------------------------
# the work
# ---------------------------------------------------------------------------


def _deep_architecture(arch: Architecture, q: int, width: int, act: Activation) -> Architecture:
    widths = arch.widths[: q + 1] + (width,) + arch.widths[q + 1 :]
    acts = arch.activations[:q] + (act,) + arch.activations[q:]
    biases = arch.biases[:q] + (arch.biases[q],) + arch.biases[q:]
    return Architecture(widths, acts, biases)


def _pattern_exact(lift: Lift, H: list[list[Fraction]], pieces: Sequence[Piece]) -> list[list[int]]:
    """Per neuron, per sample, the piece index (KinkError on a kink)."""
    out = []
    for k, (row, ck) in enumerate(zip(lift.A, lift.c)):
        per = []
        for i, h in enumerate(H):
            t = sum((a * x for a, x in zip(row, h)), ZERO) + ck
            idx = piece_of(pieces, t, FRACTION_CTX)
            if idx is None:
                raise LiftError(
                    f"training input {i} puts inserted neuron {k} on a kink of {lift.activation.spec} "
                    f"(t = {t}): the deep loss is not twice differentiable there; change A or c"
                )
            per.append(idx)
        out.append(per)
    return out


def construct_lift(lift: Lift, case: Case, origin: Any = None) -> DepthLift:
    arch = case.arch
    q = check_position(arch, lift.after_layer)
    m_q, m_next = arch.widths[q], arch.widths[q + 1]
    act = lift.activation
    pieces = check_insertable(act)
    if len(lift.A[0]) != m_q:
        raise LiftError(
            f"A must have m_q = {m_q} column(s) (the width of layer {q}{' = the input' if q == 0 else ''}), "
            f"got {len(lift.A[0])}"
        )
    has_bias = arch.biases[q]
    if not has_bias and any(lift.c):
        raise LiftError(
            f"layer {q + 1} has no bias, so the inserted layer has none either: c must be 0, got {[str(x) for x in lift.c]}"
        )
    width = len(lift.A)
    nulls = set(lift.null_neurons)

    # ---- (L1): the pattern of every inserted neuron on the training data
    exact_h = q == 0 or exact_below(arch, q)
    mode = lift.arithmetic
    if mode == "exact" and not exact_h:
        raise ArithmeticModeError(
            f"the layers below the insertion use {', '.join(a.spec for a in arch.activations[:q])}, which have no "
            "exact rational values: use arithmetic 'auto' or 'mp'"
        )
    patterns_idx: list[list[int]]
    H_exact: list[list[Fraction]] | None = None
    if exact_h:
        H_exact = fraction_rows(layer_inputs(case, q, get_context("exact")))
        patterns_idx = _pattern_exact(lift, H_exact, pieces)
        l1_method, l1_strength = "training data (exact)", "exact"
    else:
        ranged = range_pattern(lift, arch, pieces) if mode != "mp" else None
        ctx = get_context("mp", lift.digits)
        with ctx.active():
            Hm = layer_inputs(case, q, ctx)
            patterns_idx = []
            for k, (row, ck) in enumerate(zip(lift.A, lift.c)):
                per = []
                for i in range(Hm.shape[0]):
                    t = sum((ctx.convert(a) * x for a, x in zip(row, Hm[i])), ctx.zero) + ctx.convert(ck)
                    idx = piece_of(pieces, t, ctx)
                    if idx is None:
                        raise LiftError(
                            f"training input {i} puts inserted neuron {k} within 10^-{lift.digits - 10} of a kink of "
                            f"{act.spec} (t = {ctx.to_output(t)}): undecidable in mp; change A or c"
                        )
                    per.append(idx)
                patterns_idx.append(per)
        if ranged is not None and all(k in nulls or k in ranged for k in range(width)):
            l1_method, l1_strength = "range bound (exact, every input)", "exact"
            for k, idx in ranged.items():
                patterns_idx[k] = [idx] * len(patterns_idx[k])
        else:
            l1_method, l1_strength = f"training data (mp {lift.digits} digits, numerical)", "numerical"

    patterns: list[NeuronPattern] = []
    for k in range(width):
        per = patterns_idx[k]
        if k in nulls:
            patterns.append(NeuronPattern(k, True, None, None, None, tuple(per), "null"))
            continue
        if len(set(per)) != 1:
            i = 0
            j = next(j for j in range(len(per)) if per[j] != per[0])
            raise LiftError(
                f"(L1) fails: inserted neuron {k} is not in one linear piece of {act.spec} on the training data "
                f"(sample {i} lies in {piece_text(pieces[per[i]])}, sample {j} in {piece_text(pieces[per[j]])}); "
                "change A and c, or declare it a null neuron"
            )
        p = pieces[per[0]]
        patterns.append(NeuronPattern(k, False, per[0], p.slope, p.intercept, tuple(per), piece_text(p)))

    # ---- (L2): B D A = W, B (D c + γ) + e = b
    W = fraction_rows(case.params.W[q])
    b = None if case.params.b[q] is None else [parse_rational(x) for x in case.params.b[q].tolist()]
    lin = [p for p in patterns if not p.null]
    DA = [[p.slope * x for x in lift.A[p.index]] for p in lin]  # type: ignore[operator]
    Dcg = [p.slope * lift.c[p.index] + p.intercept for p in lin]  # type: ignore[operator]
    if lift.B is not None:
        if len(lift.B) != m_next or any(len(r) != width for r in lift.B):
            raise LiftError(f"B must be {m_next} x {width} (m_(q+1) x m'), got {len(lift.B)} x {len(lift.B[0])}")
        for k in nulls:
            if any(row[k] for row in lift.B):
                raise LiftError(f"null neuron {k} needs a zero outgoing column B[:, {k}]")
        B_lin = [[row[p.index] for p in lin] for row in lift.B]
        if matmul(B_lin, DA) != W:
            raise LiftError(f"(L2) fails: the given B does not satisfy B D A = W^[{q + 1}]")
    else:
        Mp = pseudo_inverse(DA)
        B_lin = matmul(W, Mp)
        if matmul(B_lin, DA) != W:
            from exactlift.arith.linalg import rank

            r = rank(DA)
            raise LiftError(
                f"(L2) has no solution: W^[{q + 1}] = B D A needs the rows of W^[{q + 1}] in the row space of D A "
                f"(rank {r} < m_q = {m_q}); choose A with D A of full column rank"
            )
    BDcg = [sum((x * y for x, y in zip(row, Dcg)), ZERO) for row in B_lin]
    if b is None:
        if any(BDcg):
            raise LiftError(
                f"layer {q + 1} has no bias, so (L2) needs B (D c + gamma) = 0, but it is {[str(x) for x in BDcg]}"
            )
        e_vec: tuple[Fraction, ...] | None = None
    else:
        e_calc = tuple(bj - v for bj, v in zip(b, BDcg))
        if lift.e is not None:
            if tuple(lift.e) != e_calc:
                raise LiftError(f"(L2) fails: the given e is not b - B (D c + gamma) = {[str(x) for x in e_calc]}")
        e_vec = e_calc
    B_full = [[ZERO] * width for _ in range(m_next)]
    for j in range(m_next):
        for pos, p in enumerate(lin):
            B_full[j][p.index] = B_lin[j][pos]

    # ---- the deep case
    deep_arch = _deep_architecture(arch, q, width, act)
    Ws = list(case.params.W[:q]) + [_obj(lift.A), _obj(B_full)] + list(case.params.W[q + 1 :])
    c_arr = _obj_vec(lift.c) if has_bias else None
    e_arr = _obj_vec(e_vec) if e_vec is not None else None
    bs = list(case.params.b[:q]) + [c_arr, e_arr] + list(case.params.b[q + 1 :])
    deep_params = Params(tuple(Ws), tuple(bs))
    record = {
        "after_layer": q, "activation": act.spec, "width": width,
        "null_neurons": list(lift.null_neurons), "source": SOURCE,
    }
    extra = dict(case.extra)
    extra["depth_lifts"] = list(extra.get("depth_lifts", [])) + [record]
    deep = Case(deep_arch, deep_params, case.X, case.Y, case.loss, case.name, case.description, extra)

    # ---- (L3) for null neurons
    l3: dict[int, tuple[Any, ...]] = {}
    l3_strength = None
    if nulls:
        l3, l3_strength = _l3_sums(lift, case, patterns, pieces, H_exact)
        if lift.check_l3:
            for k, s in l3.items():
                ctx = get_context("exact" if l3_strength == "exact" else "mp", lift.digits)
                if not all(ctx.is_zero(v) for v in s):
                    raise LiftError(
                        f"(L3) fails for null neuron {k}: sum_i delta_i sigma(t_k,i) = {[str(v) for v in s]} != 0, "
                        "so the lifted point would not be critical (pass check_l3=False to lift anyway)"
                    )
    return DepthLift(
        origin if origin is not None else lift, case, deep, q, act, lift.A, lift.c,
        tuple(tuple(r) for r in B_full), e_vec if e_vec is not None else tuple(), tuple(patterns),
        l1_method, l1_strength, l3, l3_strength,
    )


def _obj(rows: Sequence[Sequence[Fraction]]) -> np.ndarray:
    out = np.empty((len(rows), len(rows[0])), dtype=object)
    for i, r in enumerate(rows):
        for j, x in enumerate(r):
            out[i, j] = Fraction(x)
    return out


def _obj_vec(v: Sequence[Fraction]) -> np.ndarray:
    out = np.empty(len(v), dtype=object)
    for i, x in enumerate(v):
        out[i] = Fraction(x)
    return out


def _l3_sums(lift: Lift, case: Case, patterns, pieces, H_exact):
    """Σ_i δ_i σ′(t_{k,i}) for every null neuron, with δ = δ^[q+1] of the shallow net."""
    from exactlift.calculus.backprop import derivatives

    arch = case.arch
    q = lift.after_layer
    exact = all(a.exact_capable for a in arch.activations) and case.loss.exact_capable and H_exact is not None
    ctx = get_context("exact" if exact else "mp", lift.digits)
    with ctx.active():
        X, Y = case.arrays(ctx)
        d = derivatives(arch, case.params, X, Y, case.loss, ctx, order=1)
        delta = d.deltas[q + 1]
        H = layer_inputs(case, q, ctx)
        out = {}
        for p in patterns:
            if not p.null:
                continue
            k = p.index
            total = [ctx.zero] * arch.widths[q + 1]
            for i in range(H.shape[0]):
                t = sum((ctx.convert(a) * x for a, x in zip(lift.A[k], H[i])), ctx.zero) + ctx.convert(lift.c[k])
                piece = pieces[p.samples[i]]
                u = ctx.convert(piece.slope) * t + ctx.convert(piece.intercept)
                for j in range(len(total)):
                    total[j] = total[j] + delta[i, j] * u
            out[k] = tuple(parse_rational(v) if exact else v for v in total)
    return out, ("exact" if exact else "numerical")
