"""What every lift is: the protocol shared by the width embeddings and the depth liftings.

A lift maps a case (network, point, data, loss) to a wider or deeper case with
the same output on the training data.  Both theories' lifts are immutable
objects with

* ``apply_case(case) -> Case`` — the lifted case (same data and loss);
* ``str(lift)`` — the readable one-line form the CLI and the reports print
  (``split(layer=1, neuron=0, alpha=1/3)``, ``insert(after_layer=1, ...)``);
* ``latex()`` — the same as a LaTeX fragment;
* ``to_record()`` — a JSON-ready dict (``kind`` and ``text``) for case files,
  ledgers and certificates.

A width lift is moreover linear on the parameters (``matrix(arch)``, the
exact P_wide × P_narrow matrix T, see :mod:`exactlift.lifts.width.embeddings`);
a depth lift is not (it inserts a layer whose weights are fixed by the data,
see :mod:`exactlift.lifts.depth.lifting`), so ``matrix`` is not part of the
shared protocol.

>>> from exactlift.lifts.width import SplitNeuron
>>> lift = SplitNeuron(1, 0, "1/3")
>>> isinstance(lift, Lift), lift.to_record()
(True, {'kind': 'SplitNeuron', 'text': 'split(layer=1, neuron=0, alpha=1/3)'})
"""

from __future__ import annotations

import abc
from typing import Any

from exactlift import display
from exactlift.tex import escape_text

__all__ = ["Lift"]


@display.rich_display(display.lift_bundle)  # notebook views: _repr_mimebundle_, _repr_html_, _repr_latex_
class Lift(abc.ABC):
    """Base class of the width and depth lifts (see the module docstring)."""

    @abc.abstractmethod
    def apply_case(self, case: Any) -> Any:
        """The lifted case: the wider or deeper network at the lifted point, the same data and loss."""

    def latex(self) -> str:
        """The lift as a LaTeX fragment (subclasses give mathematics; the default is the text form)."""
        return r"\text{" + escape_text(str(self)) + "}"

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready description: the lift's kind and its one-line text."""
        return {"kind": type(self).__name__, "text": str(self)}
