"""Hypothesis strategies over exact rationals, architectures and cases (for ``conjecture search`` and fuzz tests).

Needs ``hypothesis`` (``pip install 'exactlift[dev]'``); importing this module
without it raises :class:`~exactlift.errors.InputError`.  Every strategy
shrinks towards small values: rationals towards 0 and small denominators,
architectures towards fewer and narrower layers.  Strategies over lifts (which
this layer cannot import) are in :mod:`exactlift.conjectures.strategies`.

>>> from fractions import Fraction
>>> from hypothesis import find
>>> find(rationals(), lambda q: q >= Fraction(3, 2))
Fraction(2, 1)
>>> find(widths(), lambda w: len(w) >= 3)
[1, 1, 1]
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from exactlift.errors import InputError

try:
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    raise InputError("exactlift.testing.strategies needs hypothesis: pip install 'exactlift[dev]'") from None


def rationals(max_numerator: int = 20, max_denominator: int = 12) -> st.SearchStrategy[Fraction]:
    """Exact rationals p/q with |p| <= max_numerator and 1 <= q <= max_denominator (shrinking to 0)."""
    return st.builds(Fraction, st.integers(-max_numerator, max_numerator), st.integers(1, max_denominator))


def widths(max_layers: int = 3, max_width: int = 3, input_dims: Sequence[int] | None = None) -> st.SearchStrategy[list[int]]:
    """Layer widths ``[n0, n1, ..., nL]`` (at least input and output), each in 1..max_width."""
    return st.lists(st.integers(1, max_width), min_size=2, max_size=max_layers + 1)


def activations(names: Sequence[str] = ("tanh", "sigmoid", "relu", "identity")) -> st.SearchStrategy[str]:
    """Activation names, shrinking towards the first."""
    return st.sampled_from(list(names))


def matrix(rows: int, cols: int, entries: st.SearchStrategy[Any] | None = None) -> st.SearchStrategy[list[list[Any]]]:
    """A ``rows x cols`` nested list of exact entries."""
    e = entries if entries is not None else rationals()
    return st.lists(st.lists(e, min_size=cols, max_size=cols), min_size=rows, max_size=rows)


@st.composite
def cases(draw: Any, max_layers: int = 2, max_width: int = 3, max_samples: int = 3,
          activation_names: Sequence[str] = ("identity", "tanh", "sigmoid"), bias: bool = True) -> Any:
    """A random exact :class:`~exactlift.nn.case.Case` (architecture, rational parameters and data)."""
    from exactlift.arith.contexts import get_context
    from exactlift.nn.case import make_case
    from exactlift.nn.network import Architecture, Params

    ws = draw(widths(max_layers, max_width))
    act = draw(activations(activation_names))
    arch = Architecture.build(ws, act, bias)
    W = [draw(matrix(ws[i + 1], ws[i])) for i in range(len(ws) - 1)]
    b = [draw(matrix(1, ws[i + 1]))[0] for i in range(len(ws) - 1)] if bias else None
    params = Params.from_lists(arch, W, b, get_context("exact"))
    n = draw(st.integers(1, max_samples))
    X = draw(matrix(n, ws[0]))
    Y = draw(matrix(n, ws[-1]))
    return make_case(ws, act, params, X, Y, bias=bias)


__all__ = ["rationals", "widths", "activations", "matrix", "cases"]
