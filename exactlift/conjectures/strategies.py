"""Hypothesis strategies over lifts, and over (critical case, lift) problems, for ``conjecture search``.

They build on :mod:`exactlift.testing.strategies` (exact rationals,
architectures, cases), which sits beside :mod:`exactlift.lifts` in the layers
and so cannot import it; the lift strategies live here, in the sweeps layer
above both.  Every strategy shrinks towards the simplest lift:

* :func:`width_lifts` -- a composition of 1..``max_steps`` width steps on an
  architecture, each a :class:`~exactlift.lifts.width.embeddings.NullNeuron`,
  a :class:`~exactlift.lifts.width.embeddings.SplitNeuron` (ratio from
  :func:`~exactlift.testing.strategies.rationals`) or a
  :class:`~exactlift.lifts.width.embeddings.Permute`, drawn in that order of
  simplicity; each step is drawn for the architecture the previous ones made;
* :func:`depth_lifts` -- an :class:`~exactlift.lifts.depth.lifting.IdentityLift`
  after any layer (ReLU networks);
* :func:`lifts` -- either (width first);
* :func:`lift_problems` -- a :class:`LiftProblem`: an exact critical case
  (:func:`~exactlift.nn.examples.small_case` with ``targets="critical"``, from
  a shape, an activation and a seed) and a width lift of it.

>>> from hypothesis import find
>>> from exactlift.nn.network import Architecture
>>> arch = Architecture.build([1, 2, 1], "relu")
>>> print(find(width_lifts(arch), lambda T: len(T.steps()) >= 2))
compose(null(layer=1), null(layer=1))
>>> print(find(width_lifts(arch), lambda T: any(isinstance(s, SplitNeuron) for s in T.steps())))
split(layer=1, neuron=0, alpha=0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from exactlift.errors import InputError
from exactlift.lifts.depth.lifting import IdentityLift
from exactlift.lifts.width.embeddings import NullNeuron, Permute, SplitNeuron, WidthLift, compose
from exactlift.nn.network import Architecture
from exactlift.testing.strategies import rationals

try:
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    raise InputError("exactlift.conjectures.strategies needs hypothesis: pip install 'exactlift[search]'") from None

#: width step kinds, simplest first (Hypothesis shrinks towards the first)
WIDTH_STEPS = ("null", "split", "permute")


def _hidden_layers(arch: Architecture) -> int:
    n = len(arch.widths) - 2
    if n < 1:
        raise InputError(f"a width lift needs a hidden layer; the architecture {arch.widths} has none")
    return n


@st.composite
def width_lifts(draw: Any, arch: Architecture, max_steps: int = 3, kinds: Sequence[str] = WIDTH_STEPS,
                alphas: st.SearchStrategy[Any] | None = None) -> WidthLift:
    """A width lift of ``arch``: one step, or ``compose`` of up to ``max_steps`` (see the module docstring)."""
    unknown = set(kinds) - set(WIDTH_STEPS)
    if unknown or not kinds:
        raise InputError(f"width step kinds must be among {', '.join(WIDTH_STEPS)}, got {list(kinds)}")
    hidden = _hidden_layers(arch)
    ratio = alphas if alphas is not None else rationals()
    steps: list[WidthLift] = []
    current = arch
    for _ in range(draw(st.integers(1, max_steps))):
        layer = draw(st.integers(1, hidden))
        kind = draw(st.sampled_from([k for k in WIDTH_STEPS if k in kinds]))
        m = current.widths[layer]
        if kind == "null":
            step: WidthLift = NullNeuron(layer)
        elif kind == "split":
            step = SplitNeuron(layer, draw(st.integers(0, m - 1)), draw(ratio))
        else:
            step = Permute(layer, tuple(draw(st.permutations(range(m)))))
        steps.append(step)
        current = step.wide_architecture(current)
    return steps[0] if len(steps) == 1 else compose(*steps)


def depth_lifts(arch: Architecture) -> st.SearchStrategy[IdentityLift]:
    """An identity depth lift after layer 0..L-1 of ``arch`` (shrinking towards the input side)."""
    return st.builds(IdentityLift, st.integers(0, len(arch.widths) - 2))


def lifts(arch: Architecture, max_steps: int = 3) -> st.SearchStrategy[Any]:
    """A width lift (:func:`width_lifts`) or, less simple, a depth lift (:func:`depth_lifts`) of ``arch``."""
    return st.one_of(width_lifts(arch, max_steps), depth_lifts(arch))


@dataclass(frozen=True)
class LiftProblem:
    """An exact critical case (``small_case(shape, act, seed, targets="critical")``) and a lift of it.

    Its ``str`` is the ledger key of a found counterexample.

    >>> p = LiftProblem("1-2-1", "z/(1 + z**2)", 0, NullNeuron(1))
    >>> str(p), p.case().arch.widths, p.lifted().arch.widths
    ('shape=1-2-1,act=z/(1 + z**2),seed=0,lift=null(layer=1)', (1, 2, 1), (1, 3, 1))
    """

    shape: str
    act: str
    seed: int
    lift: Any

    @property
    def widths(self) -> list[int]:
        return [int(w) for w in self.shape.split("-")]

    def case(self) -> Any:
        """The narrow exact critical case."""
        from exactlift.nn.examples import small_case

        return small_case(self.widths, self.act, n=None, seed=self.seed, targets="critical")

    def lifted(self) -> Any:
        """The lifted case (the lift applied to :meth:`case`)."""
        return self.lift.apply_case(self.case())

    def __str__(self) -> str:
        return f"shape={self.shape},act={self.act},seed={self.seed},lift={self.lift}"


@st.composite
def lift_problems(draw: Any, shapes: Sequence[str] = ("1-2-1", "2-2-1", "1-2-2", "1-3-1"),
                  acts: Sequence[str] = ("z/(1 + z**2)", "z + z**5/5"), max_seed: int = 20,
                  max_steps: int = 3) -> LiftProblem:
    """A :class:`LiftProblem`: shape, activation and seed (shrinking to the first / 0), then a width lift."""
    shape = draw(st.sampled_from(list(shapes)))
    act = draw(st.sampled_from(list(acts)))
    seed = draw(st.integers(0, max_seed))
    arch = Architecture.build([int(w) for w in shape.split("-")], act)
    return LiftProblem(shape, act, seed, draw(width_lifts(arch, max_steps)))


__all__ = ["width_lifts", "depth_lifts", "lifts", "lift_problems", "LiftProblem", "WIDTH_STEPS"]
