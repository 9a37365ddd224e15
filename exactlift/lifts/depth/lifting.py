"""Depth: the critical lifting operator (SPEC §2).

**exactlift formalization of arXiv 2205.13283** (Bai, Luo, Xu, Zhang,
*Embedding Principle in Depth for the Loss Landscape Analysis of Deep Neural
Networks*).  The statements below are our reconstruction in our notation,
not the paper's text.

Insert after layer q (0 ≤ q ≤ L−1; q = 0 is right after the input) a layer
u = σ′(A h + c) of width m′ and replace layer q+1 (z = W h + b, W = W^[q+1])
by z = B u + e.  With h_i = f^[q](x_i) and t_{k,i} = (A h_i + c)_k:

* **(L1) layer linearization on S**: every inserted neuron k has all of
  t_{k,1..n} inside one open interval where σ′ is affine,
  σ′(t) = α_k t + γ_k; D = diag(α_k), γ = (γ_k).
* **(L2) composition**: B D A = W and B(Dc + γ) + e = b.  exactlift takes
  the minimum-norm solution B = W (DA)⁺ (exact rational pseudo-inverse) and
  e = b − B(Dc + γ), and refuses when W's rows are not in the row space of DA.
* **(L3) null neurons**: a neuron listed in ``null_neurons`` gets B_{:,k} = 0;
  it is exempt from (L1) but needs Σ_i δ_i σ′(t_{k,i}) = 0 (δ_i = δ_i^[q+1]
  of the shallow net), checked exactly.

:class:`CriticalLift` is the general operator, :class:`IdentityLift` its
simplest member (A = I, c = β·1).  Both are immutable; ``apply(case)`` /
``apply_case(case)`` return the deep :class:`~exactlift.nn.case.Case` and
:meth:`CriticalLift.lift` (or :func:`critical_lift`) returns a
:class:`DepthLift` with the activation pattern D, γ, B, e and how (L1) was
decided.

>>> from fractions import Fraction as F
>>> from exactlift.nn.case import case_from_dict
>>> case = case_from_dict({"network": {"widths": [1, 1], "params": {"W": [[["1/2"]]], "b": [["1/3"]]},
...     "data": {"x": [["-2"], ["0"], ["3"]], "y": [["0"], ["1"], ["2"]]}}})
>>> r = CriticalLift(after_layer=0, A=[[1]], c=[5], activation="relu").lift(case)
>>> r.D, r.B, r.e
((Fraction(1, 1),), ((Fraction(1, 2),),), (Fraction(-13, 6),))
>>> r.deep.arch.widths
(1, 1, 1)
"""

from __future__ import annotations

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

import mpmath
import numpy as np

from exactlift.arith.contexts import Context, get_context, parse_rational
from exactlift.arith.linalg import pseudo_inverse
from exactlift.errors import ArithmeticModeError, InputError, KinkError, LiftError
from exactlift.nn.activations import Activation, Piece, parse_activation
from exactlift.nn.case import Case
from exactlift.lifts.depth.insertion import (
    FRACTION_CTX,
    ONE,
    SOURCE,
    ZERO,
    Matrix,
    activation_range,
    as_matrix,
    as_vector,
    check_insertable,
    fraction_rows,
    layer_inputs,
    matmul,
    piece_of,
    piece_text,
    range_pattern,
    to_fraction,
)
from exactlift.lifts.base import Lift
from exactlift.nn.network import Architecture, Params
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

    lift: "CriticalLift"
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


# ---------------------------------------------------------------------------
# the lifts
# ---------------------------------------------------------------------------


@dataclass(frozen=True, init=False)
class CriticalLift(Lift):
    """Insert u = σ′(A h + c) after layer ``after_layer`` (SPEC §2; our formalization).

    ``A`` (m′ × m_q) and ``c`` (m′) are exact rationals; rows listed in
    ``null_neurons`` are null neurons (outgoing column B_{:,k} = 0, (L3)
    checked exactly when ``check_l3``).  ``B`` and ``e`` are computed from (L2)
    unless given (then (L2) is checked).  ``arithmetic`` decides (L1) when the
    layers below use an activation without exact values (``"auto"``: exact
    when possible, else the exact range bound, else ``mp`` at ``digits``).

    >>> lift = CriticalLift(after_layer=1, A=[[1, 0], [0, 2]], c=["1/2", 1], activation="relu")
    >>> print(lift)
    insert(after_layer=1, width=2, activation=relu)
    """

    after_layer: int
    A: Matrix
    c: tuple[Fraction, ...]
    activation: Activation
    null_neurons: tuple[int, ...]
    B: Matrix | None
    e: tuple[Fraction, ...] | None
    check_l3: bool
    arithmetic: str
    digits: int

    def __init__(
        self,
        after_layer: int,
        A: Any,
        c: Any = None,
        activation: str | Activation = "relu",
        null_neurons: Sequence[int] = (),
        B: Any = None,
        e: Any = None,
        check_l3: bool = True,
        arithmetic: str = "auto",
        digits: int = 60,
    ) -> None:
        if not isinstance(after_layer, int) or isinstance(after_layer, bool) or after_layer < 0:
            raise LiftError(f"after_layer must be an integer >= 0 (0 = right after the input), got {after_layer!r}")
        A_ = as_matrix(A, "A")
        c_ = tuple([ZERO] * len(A_)) if c is None else as_vector(c, "c")
        if len(c_) != len(A_):
            raise LiftError(f"c has {len(c_)} entries but A has {len(A_)} rows (one per inserted neuron)")
        act = parse_activation(activation)
        check_insertable(act)
        nulls = tuple(sorted(set(int(k) for k in null_neurons)))
        for k in nulls:
            if not 0 <= k < len(A_):
                raise LiftError(f"null neuron {k} does not exist: the inserted layer has neurons 0..{len(A_) - 1}")
        if len(nulls) == len(A_):
            raise LiftError("every inserted neuron is a null neuron: at least one must carry W^[q+1] (B D A = W)")
        if arithmetic not in ("auto", "exact", "mp"):
            raise LiftError(f"arithmetic must be 'auto', 'exact' or 'mp', got {arithmetic!r}")
        object.__setattr__(self, "after_layer", after_layer)
        object.__setattr__(self, "A", A_)
        object.__setattr__(self, "c", c_)
        object.__setattr__(self, "activation", act)
        object.__setattr__(self, "null_neurons", nulls)
        object.__setattr__(self, "B", None if B is None else as_matrix(B, "B"))
        object.__setattr__(self, "e", None if e is None else as_vector(e, "e"))
        object.__setattr__(self, "check_l3", bool(check_l3))
        object.__setattr__(self, "arithmetic", arithmetic)
        object.__setattr__(self, "digits", int(digits))

    # ------------------------------------------------------------------ text
    @property
    def width(self) -> int:
        return len(self.A)

    def __str__(self) -> str:
        extra = f", null={list(self.null_neurons)}" if self.null_neurons else ""
        return f"insert(after_layer={self.after_layer}, width={self.width}, activation={self.activation.spec}{extra})"

    def with_null_neuron(self, a: Sequence[Any], c: Any) -> "CriticalLift":
        """The same lift with one more (null) neuron u = σ′(a·h + c) appended."""
        return CriticalLift(
            self.after_layer, [list(r) for r in self.A] + [list(a)], list(self.c) + [c], self.activation,
            tuple(self.null_neurons) + (len(self.A),), None, None, self.check_l3, self.arithmetic, self.digits,
        )

    # ----------------------------------------------------------------- apply
    def lift(self, case: Case) -> DepthLift:
        """Check (L1)–(L3) on the case and build the deep case (see :class:`DepthLift`)."""
        return _do_lift(self, case)

    def apply(self, case: Case) -> Case:
        """The deep case (same data and loss)."""
        return self.lift(case).deep

    def apply_case(self, case: Case) -> Case:
        """The deep case (same data and loss); the ``exactlift lift`` command calls this."""
        return self.apply(case)


@dataclass(frozen=True, init=False)
class IdentityLift(Lift):
    """The simplest critical lift: A = I, c = β·1, B = W^[q+1] / α, e = b − B(Dc + γ).

    ``width`` must equal m_q (``None``: take it from the network); ``shift``
    β is chosen when ``None`` (the smallest integer making every A h_i + c lie
    in the activation's unbounded upper piece; for ReLU β > −min h_{ik}).

    >>> print(IdentityLift(after_layer=0, width=1, shift=2))
    insert(after_layer=0, identity, width=1, shift=2, activation=relu)
    """

    after_layer: int
    width: int | None
    shift: Fraction | None
    activation: Activation
    arithmetic: str
    digits: int

    def __init__(
        self,
        after_layer: int,
        width: int | None = None,
        shift: Any = None,
        activation: str | Activation = "relu",
        arithmetic: str = "auto",
        digits: int = 60,
    ) -> None:
        if not isinstance(after_layer, int) or isinstance(after_layer, bool) or after_layer < 0:
            raise LiftError(f"after_layer must be an integer >= 0 (0 = right after the input), got {after_layer!r}")
        if width is not None and (not isinstance(width, int) or isinstance(width, bool) or width < 1):
            raise LiftError(f"width must be a positive integer, got {width!r}")
        act = parse_activation(activation)
        pieces = check_insertable(act)
        if pieces[-1].slope == 0:
            raise LiftError(f"{act.spec} is constant on its upper piece: the identity lift needs a non-zero slope there")
        object.__setattr__(self, "after_layer", after_layer)
        object.__setattr__(self, "width", width)
        object.__setattr__(self, "shift", None if shift is None else to_fraction(shift, "shift"))
        object.__setattr__(self, "activation", act)
        object.__setattr__(self, "arithmetic", arithmetic)
        object.__setattr__(self, "digits", int(digits))

    def __str__(self) -> str:
        w = "" if self.width is None else f", width={self.width}"
        s = "" if self.shift is None else f", shift={self.shift}"
        return f"insert(after_layer={self.after_layer}, identity{w}{s}, activation={self.activation.spec})"

    def resolve(self, case: Case) -> CriticalLift:
        """The :class:`CriticalLift` this identity lift stands for on ``case``."""
        arch = case.arch
        q = _check_position(arch, self.after_layer)
        m_q = arch.widths[q]
        if self.width is not None and self.width != m_q:
            raise LiftError(
                f"the identity lift after layer {q} has width m_q = {m_q} (A = I), got width {self.width}; "
                "use --insert-json (CriticalLift) for another width"
            )
        top = self.activation.linear_pieces()[-1]
        lo = top.lo if top.lo is not None else None
        has_bias = arch.biases[q]
        if not has_bias:
            shift = ZERO
        elif self.shift is not None:
            shift = self.shift
        elif lo is None:
            shift = ZERO
        else:
            shift = _auto_shift(case, q, lo, self.arithmetic, self.digits)
        A = [[ONE if i == j else ZERO for j in range(m_q)] for i in range(m_q)]
        return CriticalLift(q, A, [shift] * m_q, self.activation, arithmetic=self.arithmetic, digits=self.digits)

    def lift(self, case: Case) -> DepthLift:
        return _do_lift(self.resolve(case), case, origin=self)

    def apply(self, case: Case) -> Case:
        return self.lift(case).deep

    def apply_case(self, case: Case) -> Case:
        return self.apply(case)


def _auto_shift(case: Case, q: int, lo: Fraction, arithmetic: str, digits: int) -> Fraction:
    """Smallest integer β with every h_{ik} + β > lo (range bound when h is not exact)."""
    import math

    arch = case.arch
    if q >= 1 and not exact_below(arch, q):
        rlo, _ = activation_range(arch.activations[q - 1])
        if rlo is not None:
            return Fraction(math.floor(lo - rlo) + 1)
        ctx = get_context("mp", digits)
        with ctx.active():
            H = layer_inputs(case, q, ctx)
            m = min(H.ravel().tolist())
            return Fraction(int(mpmath.floor(ctx.convert(lo) - m)) + 1)
    ctx = get_context("exact")
    H = layer_inputs(case, q, ctx)
    m = min(parse_rational(x) for x in H.ravel().tolist())
    return Fraction(math.floor(lo - m) + 1)


def exact_below(arch: Architecture, q: int) -> bool:
    return all(a.exact_capable for a in arch.activations[:q])


def _check_position(arch: Architecture, q: int) -> int:
    L = arch.n_layers
    if not isinstance(q, int) or isinstance(q, bool) or not 0 <= q <= L - 1:
        top = "0 (right after the input; the network has no hidden layer)" if L == 1 else (
            f"0 (right after the input) .. {L - 1} (after the last hidden layer)")
        raise LiftError(
            f"cannot insert a layer after layer {q}: the network has {L} layer(s) with weights, so AFTER_LAYER "
            f"must be {top}"
        )
    return q


def critical_lift(case: Case, lift: CriticalLift | IdentityLift) -> DepthLift:
    """Apply a depth lift to a case and return the full :class:`DepthLift` record."""
    return lift.lift(case)


# ---------------------------------------------------------------------------
# the work
# ---------------------------------------------------------------------------


def _deep_architecture(arch: Architecture, q: int, width: int, act: Activation) -> Architecture:
    widths = arch.widths[: q + 1] + (width,) + arch.widths[q + 1 :]
    acts = arch.activations[:q] + (act,) + arch.activations[q:]
    biases = arch.biases[:q] + (arch.biases[q],) + arch.biases[q:]
    return Architecture(widths, acts, biases)


def _pattern_exact(lift: CriticalLift, H: list[list[Fraction]], pieces: Sequence[Piece]) -> list[list[int]]:
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


def _do_lift(lift: CriticalLift, case: Case, origin: Any = None) -> DepthLift:
    arch = case.arch
    q = _check_position(arch, lift.after_layer)
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


def _l3_sums(lift: CriticalLift, case: Case, patterns, pieces, H_exact):
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


