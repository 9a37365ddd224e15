"""``certify`` of a wide file without a lift record: the duplicated and null neurons detected *exactly*.

:func:`~exactlift.structure.condense.condense` at tolerance 0 groups neurons whose incoming weights
and bias agree exactly (up to sign for odd activations) and finds the exactly null neurons; when
the narrow network it returns, embedded back by its lifts, gives the file's parameters exactly
(distance 0) and at least one lift was found, the file is certified like a recorded one
(:func:`~exactlift.lifts.certify_record.certify_lifted`: the narrow point by Krawczyk, then the
embedding theorems).  Otherwise (nothing detected, or not exact) the caller takes the plain path.

Failure modes: none of its own; a condensation that refuses the case (e.g. nearly cancelling
outgoing weights) means "not detected" (None).
"""

from __future__ import annotations

from typing import Any

from exactlift.errors import ExactliftError
from exactlift.lifts.width.embeddings import Permute
from exactlift.lifts.certified import certifiable
from exactlift.lifts.certify_record import RecordedCertificate, certify_lifted
from exactlift.nn.case import Case
from exactlift.structure.condense import condense

__all__ = ["certify_detected"]


def certify_detected(case: Case, digits: int = 40, max_distance: Any = "auto") -> RecordedCertificate | None:
    """The certificate through the exactly detected narrow point, or None when no exact embedding is found.

    >>> from exactlift.nn.case import load_case
    >>> from exactlift.gallery import example_path
    >>> from exactlift.lifts.width import SplitNeuron
    >>> narrow = load_case(example_path("tanh-minimum"))
    >>> res = certify_detected(SplitNeuron(1, 0, 2).apply_case(narrow))
    >>> res.source, res.critical, res.inertia
    ('detected', True, (1, 1, 5))
    >>> certify_detected(narrow) is None
    True
    """
    if case.arch.n_layers < 2 or not certifiable(case):  # piecewise networks keep their own (exact) path
        return None
    try:
        cond = condense(case, 0)
    except ExactliftError:
        return None
    steps = [s for lift in cond.lifts for s in lift.steps()]
    if cond.distance != 0 or all(isinstance(s, Permute) for s in steps):
        return None
    return certify_lifted(case, cond.narrow, steps, digits, max_distance, "detected")
