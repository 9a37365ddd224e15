"""A point and its lift, with the derivatives computed once; the decisions the checks share.

:class:`EmbeddingPoint` holds a case θ, a width lift T, the lifted case Tθ and
their derivatives in one arithmetic, computed lazily and once, so that the
checks of :mod:`~exactlift.lifts.width.first_order` and
:mod:`~exactlift.lifts.width.second_order` share them.  :func:`decide_zero`,
:func:`all_zero` and :func:`compare_arrays` ask the context
(``ctx.decide_zero``), except that with free symbols the question is an
identity (:func:`~exactlift.lifts.width.symbolic.identically_zero`).

>>> from exactlift.nn.examples import fa_minimum
>>> from exactlift.lifts.width.embeddings import SplitNeuron
>>> p = EmbeddingPoint(fa_minimum("psd"), SplitNeuron(1, 0, 2))
>>> p.wide_case.arch.widths, p.narrow_critical, p.wide_critical
((1, 2, 1), True, True)

Failure mode: :class:`~exactlift.errors.ArithmeticModeError` for a symbolic
context (case-level checks run in exact, certified or mp arithmetic).
"""

from __future__ import annotations

from typing import Any

from exactlift.arith.contexts import Context, get_context
from exactlift.calculus.backprop import Derivatives, derivatives
from exactlift.errors import ArithmeticModeError
from exactlift.lifts.width.embeddings import as_lift
from exactlift.lifts.width.maps import LinearMap
from exactlift.lifts.width.decide import all_zero, compare_arrays, decide_zero, inertia_in
from exactlift.nn.case import Case

__all__ = ["EmbeddingPoint", "embedding_point"]

# re-exported: the decisions the checks share live in exactlift.lifts.width.decide
DECISIONS = (decide_zero, all_zero, compare_arrays, inertia_in)


class EmbeddingPoint:
    """A case θ, a width lift T and their derivatives in one arithmetic (computed lazily, once).

    >>> from exactlift.nn.examples import fa_minimum
    >>> from exactlift.lifts.width.embeddings import SplitNeuron
    >>> p = EmbeddingPoint(fa_minimum("psd"), SplitNeuron(1, 0, 2))
    >>> p.wide_case.arch.widths, p.narrow_critical, p.wide_critical
    ((1, 2, 1), True, True)
    """

    def __init__(self, case: Case, lift: Any, arithmetic: str | Context = "exact", digits: int = 50) -> None:
        self.case = case
        self.lift = as_lift(lift)
        self.ctx = get_context(arithmetic, digits)
        if self.ctx.symbolic:
            raise ArithmeticModeError("case-level checks run in exact or mp arithmetic (symbolic proofs: prove_*)")
        self.wide_case = self.lift.apply_case(case)
        self._cache: dict[str, Any] = {}

    def _derivs(self, which: str, order: int) -> Derivatives:
        key = f"{which}{order}"
        if key not in self._cache:
            have = self._cache.get(f"{which}2")
            if have is not None:
                return have
            case = self.case if which == "narrow" else self.wide_case
            with self.ctx.active():
                X, Y = case.arrays(self.ctx)
                self._cache[key] = derivatives(case.arch, case.params, X, Y, case.loss, self.ctx, order=order)
        return self._cache[key]

    def narrow(self, order: int = 2) -> Derivatives:
        return self._derivs("narrow", order)

    def wide(self, order: int = 2) -> Derivatives:
        return self._derivs("wide", order)

    @property
    def T(self) -> LinearMap:
        if "T" not in self._cache:
            self._cache["T"] = self.lift.linear_map(self.case.arch)
        return self._cache["T"]

    @property
    def S(self) -> LinearMap | None:
        if "S" not in self._cache:
            self._cache["S"] = self.lift.gradient_transfer(self.case.arch)
        return self._cache["S"]

    @property
    def narrow_critical(self) -> bool | None:
        """∇R(θ) = 0 in the context's strength (None: undecided by balls)."""
        with self.ctx.active():
            return all_zero(self.narrow(1).gradient, self.ctx)

    @property
    def wide_critical(self) -> bool | None:
        with self.ctx.active():
            return all_zero(self.wide(1).gradient, self.ctx)

    @property
    def inertia_narrow(self) -> tuple[int, int, int] | None:
        if "in" not in self._cache:
            with self.ctx.active():
                self._cache["in"] = inertia_in(self.narrow(2).hessian, self.ctx)
        return self._cache["in"]

    @property
    def inertia_wide(self) -> tuple[int, int, int] | None:
        if "iw" not in self._cache:
            with self.ctx.active():
                self._cache["iw"] = inertia_in(self.wide(2).hessian, self.ctx)
        return self._cache["iw"]


def embedding_point(case: Case | EmbeddingPoint, lift: Any, arithmetic: str | Context, digits: int = 50) -> EmbeddingPoint:
    if isinstance(case, EmbeddingPoint):
        return case
    return EmbeddingPoint(case, lift, arithmetic, digits)
