"""Insertion helpers of the depth lift (docs/depth.md): exact input parsing, the rational
pseudo-inverse, activation ranges and pieces, the layer inputs h_i = f^[q](x_i), and the
exact (L1) range decision.

**exactlift formalization of arXiv 2205.13283**.

>>> activation_range("relu")
(Fraction(0, 1), None)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from exactlift.arith.contexts import Context, parse_rational
from exactlift.arith.linalg import pseudo_inverse  # noqa: F401  (the core algorithm; re-exported)
from exactlift.errors import InputError, KinkError, LiftError, safe_repr
from exactlift.nn.activations import Activation, Piece, parse_activation
from exactlift.lifts.base import Lift
from exactlift.nn.case import Case
from exactlift.nn.network import Architecture

__all__ = [
    "SOURCE",
    "Matrix",
    "to_fraction",
    "as_matrix",
    "as_vector",
    "fraction_rows",
    "matmul",
    "transpose",
    "pseudo_inverse",
    "activation_range",
    "check_insertable",
    "piece_of",
    "piece_text",
    "layer_inputs",
    "FractionContext",
    "FRACTION_CTX",
    "interval_of",
    "range_pattern",
]

#: Label of every depth statement and result (docs/depth.md is our formalization).
SOURCE = "exactlift formalization of arXiv 2205.13283"

ZERO = Fraction(0)
ONE = Fraction(1)

Matrix = tuple[tuple[Fraction, ...], ...]


# ---------------------------------------------------------------------------
# small exact helpers
# ---------------------------------------------------------------------------


def to_fraction(value: Any, where: str) -> Fraction:
    try:
        return parse_rational(value, where)
    except InputError as exc:
        raise LiftError(str(exc)) from None


def as_matrix(value: Any, where: str) -> Matrix:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, (list, tuple)) or not value:
        raise LiftError(f"{where} must be a non-empty list of rows, got {safe_repr(value, 60)}")
    rows = []
    for i, row in enumerate(value):
        if isinstance(row, np.ndarray):
            row = row.tolist()
        if not isinstance(row, (list, tuple)) or not row:
            raise LiftError(f"{where}[{i}] must be a non-empty list of numbers, got {row!r}")
        rows.append(tuple(to_fraction(x, f"{where}[{i}][{j}]") for j, x in enumerate(row)))
    if len({len(r) for r in rows}) != 1:
        raise LiftError(f"{where} must be rectangular: its rows have lengths {[len(r) for r in rows]}")
    return tuple(rows)


def as_vector(value: Any, where: str) -> tuple[Fraction, ...]:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        raise LiftError(f"{where} must be a list of numbers, got {value!r}")
    return tuple(to_fraction(x, f"{where}[{j}]") for j, x in enumerate(value))


def fraction_rows(M: Any) -> list[list[Fraction]]:
    """Rows of Fractions from an object array / nested list of exact scalars."""
    return [[parse_rational(x) for x in row] for row in (M.tolist() if hasattr(M, "tolist") else M)]


def matmul(A: Sequence[Sequence[Fraction]], B: Sequence[Sequence[Fraction]]) -> list[list[Fraction]]:
    if not A:
        return []
    cols = len(B[0]) if B else 0
    return [[sum((a * B[k][j] for k, a in enumerate(row) if a), ZERO) for j in range(cols)] for row in A]


def transpose(A: Sequence[Sequence[Fraction]]) -> list[list[Fraction]]:
    return [list(col) for col in zip(*A)] if A else []


# ---------------------------------------------------------------------------
# activation facts needed here
# ---------------------------------------------------------------------------

_RANGES: dict[str, tuple[Fraction | None, Fraction | None]] = {
    "relu": (ZERO, None),
    "hard_tanh": (-ONE, ONE),
    "tanh": (-ONE, ONE),
    "sigmoid": (ZERO, ONE),
    "softplus": (ZERO, None),
}


def activation_range(act: Activation | str) -> tuple[Fraction | None, Fraction | None]:
    """A closed interval [lo, hi] containing every value of σ (None = unbounded).

    Conservative: tanh gets [−1, 1] although its values lie in (−1, 1).

    >>> activation_range("relu")
    (Fraction(0, 1), None)
    >>> activation_range("z + z**5")
    (None, None)
    """
    act = parse_activation(act)
    return _RANGES.get(act.spec, (None, None))


def check_insertable(act: Activation) -> tuple[Piece, ...]:
    pieces = act.linear_pieces()
    if not pieces:
        if act.kind == "undefined":
            raise LiftError(
                "the undefined activation 'sigma' cannot be inserted: (L1) needs an activation with an "
                "explicit linear piece (relu, leaky_relu(a), hard_tanh, identity)"
            )
        raise LiftError(
            f"activation {act.spec!r} has no linear piece, so no exact critical lift exists: (L1) asks "
            f"every inserted neuron to be affine on the training pre-activations, and {act.spec} is affine "
            "on no open interval (a curved activation such as tanh or sigmoid can only approximate the "
            "layer it replaces). Insert relu, leaky_relu(a), hard_tanh or identity instead; the other "
            f"layers may keep {act.spec}"
        )
    return pieces


def piece_of(pieces: Sequence[Piece], t: Any, ctx: Context) -> int | None:
    """Index of the open piece containing t, or None when t sits on a kink."""
    for idx, p in enumerate(pieces):
        if p.hi is None:
            return idx
        s = ctx.sign(t - ctx.convert(p.hi))
        if s < 0:
            return idx
        if s == 0:
            return None
    return None  # pragma: no cover - the last piece is unbounded


def piece_text(p: Piece) -> str:
    lo = "-inf" if p.lo is None else str(p.lo)
    hi = "inf" if p.hi is None else str(p.hi)
    return f"({lo}, {hi})"


# ---------------------------------------------------------------------------
# the training representations h_i = f^[q](x_i)
# ---------------------------------------------------------------------------


def layer_inputs(case: Case, after_layer: int, ctx: Context) -> np.ndarray:
    """h_i = f^[q](x_i) for every training input (n × m_q), in the context ``ctx``.

    A pre-activation on a kink of a layer ≤ q is refused with :class:`KinkError`.

    >>> from exactlift.nn.case import case_from_dict
    >>> c = case_from_dict({"network": {"widths": [1, 2, 1], "params": {"W": [[["1"], ["-1"]], [["1", "1"]]],
    ...     "b": [["1", "0"], ["0"]]}, "data": {"x": [["2"]], "y": [["0"]]}}})
    >>> from exactlift.arith.contexts import get_context
    >>> [str(v) for v in layer_inputs(c, 1, get_context("exact"))[0]]
    ['3', '0']
    """
    with ctx.active():
        F = case.arrays(ctx)[0]
        params = case.params.convert(ctx)
        for l in range(1, after_layer + 1):
            z = ctx.matmul(F, params.W[l - 1].T)
            if params.b[l - 1] is not None:
                z = z + params.b[l - 1][None, :]
            act = case.arch.activations[l - 1]
            f = np.empty(z.shape, dtype=object)
            for i in range(z.shape[0]):
                for j in range(z.shape[1]):
                    try:
                        f[i, j] = act.jet(ctx, z[i, j])[0]
                    except KinkError:
                        raise KinkError(
                            f"training input {i} puts neuron {j} of hidden layer {l} on a kink of "
                            f"{act.spec} (pre-activation {ctx.to_output(z[i, j])})"
                        ) from None
            F = f
        return F



class FractionContext(Context):
    name = "exact"
    strength = "exact"

    def convert(self, value: Any, where: str = "value") -> Any:
        return parse_rational(value, where)


FRACTION_CTX = FractionContext()


def interval_of(row: Sequence[Fraction], ck: Fraction, lo: Fraction | None, hi: Fraction | None):
    """Exact [tmin, tmax] of a·h + c over the box h_j ∈ [lo, hi] (None = unbounded)."""
    tmin: Fraction | None = ck
    tmax: Fraction | None = ck
    for a in row:
        if a == 0:
            continue
        ends = (lo, hi) if a > 0 else (hi, lo)
        tmin = None if (tmin is None or ends[0] is None) else tmin + a * ends[0]
        tmax = None if (tmax is None or ends[1] is None) else tmax + a * ends[1]
    return tmin, tmax


def range_pattern(lift: Lift, arch: Architecture, pieces: Sequence[Piece]) -> dict[int, int] | None:
    """Pieces of the linear neurons valid for *every* input, from the range of f^[q]; None if undecided."""
    q = lift.after_layer
    if q == 0:
        return None
    lo, hi = activation_range(arch.activations[q - 1])
    if lo is None and hi is None:
        return None
    out = {}
    for k, (row, ck) in enumerate(zip(lift.A, lift.c)):
        if k in lift.null_neurons:
            continue
        tmin, tmax = interval_of(row, ck, lo, hi)
        found = None
        for idx, p in enumerate(pieces):
            ok_lo = p.lo is None or (tmin is not None and tmin > p.lo)
            ok_hi = p.hi is None or (tmax is not None and tmax < p.hi)
            if ok_lo and ok_hi:
                found = idx
        if found is None:
            return None
        out[k] = found
    return out


