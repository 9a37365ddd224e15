"""Depth: the critical lifting operator (docs/depth.md).

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

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import mpmath

from exactlift.arith.contexts import get_context, parse_rational
from exactlift.errors import LiftError, validated
from exactlift.nn.activations import Activation, parse_activation
from exactlift.nn.case import Case
from exactlift.lifts.depth.insertion import (
    ONE,
    ZERO,
    Matrix,
    activation_range,
    as_matrix,
    as_vector,
    check_insertable,
    layer_inputs,
    to_fraction,
)
from exactlift.lifts.base import Lift
from exactlift.lifts.depth.construction import (
    DepthLift,
    check_position,
    construct_lift,
    exact_below,
)

# ---------------------------------------------------------------------------
# the lifts
# ---------------------------------------------------------------------------


@dataclass(frozen=True, init=False)
class CriticalLift(Lift):
    """Insert u = σ′(A h + c) after layer ``after_layer`` (docs/depth.md; our formalization).

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
        return construct_lift(self, case)

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
        q = check_position(arch, self.after_layer)
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
        return construct_lift(self.resolve(case), case, origin=self)

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


@validated
def critical_lift(case: Case, lift: CriticalLift | IdentityLift) -> DepthLift:
    """Apply a depth lift to a case and return the full :class:`DepthLift` record."""
    return lift.lift(case)
