"""Command-line texts of the width lifts: ``--split``, ``--odd-split``, ``--null``, ``--permute``
(registered in :mod:`exactlift.lifts.options`).

>>> print(split_from_option("1:0:1/3"))
split(layer=1, neuron=0, alpha=1/3)

Failure mode: :class:`~exactlift.errors.LiftError` naming the option and the expected form.
"""

from __future__ import annotations

import re

from exactlift.arith.contexts import parse_rational
from exactlift.errors import InputError, LiftError
from exactlift.lifts.width.embeddings import NullNeuron, OddSplitNeuron, Permute, SplitNeuron

__all__ = ["split_from_option", "odd_split_from_option", "null_from_option", "permute_from_option"]

_INT = re.compile(r"^\s*\d+\s*$")


def _int_field(text: str, what: str, option: str, example: str) -> int:
    if not _INT.match(text):
        raise LiftError(f"{option} {example}: {what} must be a non-negative integer, got {text!r}")
    return int(text)


def split_from_option(text: str) -> SplitNeuron:
    """``LAYER:NEURON:ALPHA`` (e.g. ``1:0:1/3``) → :class:`SplitNeuron`.

    >>> print(split_from_option("1:0:1/3"))
    split(layer=1, neuron=0, alpha=1/3)
    """
    parts = text.split(":")
    if len(parts) != 3:
        raise LiftError(f"--split expects LAYER:NEURON:ALPHA (e.g. 1:0:1/3), got {text!r}")
    layer = _int_field(parts[0], "LAYER", "--split", "LAYER:NEURON:ALPHA")
    neuron = _int_field(parts[1], "NEURON", "--split", "LAYER:NEURON:ALPHA")
    try:
        alpha = parse_rational(parts[2].strip(), "ALPHA")
    except InputError as exc:
        raise LiftError(f"--split {text}: {exc}") from None
    return SplitNeuron(layer, neuron, alpha)


def odd_split_from_option(text: str) -> OddSplitNeuron:
    """``LAYER:NEURON:ALPHA`` → :class:`OddSplitNeuron` (sign-flip split, odd activations).

    >>> print(odd_split_from_option("1:1:2"))
    odd-split(layer=1, neuron=1, alpha=2)
    """
    s = split_from_option(text)
    return OddSplitNeuron(s.layer, s.neuron, s.alpha)


def null_from_option(text: str) -> NullNeuron:
    """``LAYER`` → :class:`NullNeuron`.

    >>> print(null_from_option("2"))
    null(layer=2)
    """
    return NullNeuron(_int_field(text, "LAYER", "--null", "LAYER"))


def permute_from_option(text: str) -> Permute:
    """``LAYER:P0,P1,...`` → :class:`Permute`.

    >>> print(permute_from_option("1:2,0,1"))
    permute(layer=1, perm=2,0,1)
    """
    layer_text, sep, perm_text = text.partition(":")
    if not sep:
        raise LiftError(f"--permute expects LAYER:P0,P1,... (e.g. 1:1,0), got {text!r}")
    layer = _int_field(layer_text, "LAYER", "--permute", "LAYER:P0,P1,...")
    perm = tuple(_int_field(p, "each entry P", "--permute", "LAYER:P0,P1,...") for p in perm_text.split(","))
    return Permute(layer, perm)
