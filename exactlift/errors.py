"""Exceptions of exactlift.

Every error a user can provoke with bad input is an :class:`ExactliftError`;
its message names what is wrong in the user's terms (layer, neuron, sample,
field of a file).  The command line prints ``error: <message>`` and exits 2.
"""

from __future__ import annotations


class ExactliftError(Exception):
    """Base class: bad input or a refused computation, with a readable message."""


class InputError(ExactliftError, ValueError):
    """Malformed input: wrong shapes, unknown names, malformed files."""


class FloatInExactError(InputError):
    """A float reached an exact computation (exactlift never rounds silently)."""


class ActivationError(InputError):
    """An unknown activation, or one lacking a property the computation needs."""


class KinkError(ExactliftError):
    """A training input puts a pre-activation exactly on a kink of a piecewise-linear activation."""


class ArithmeticModeError(ExactliftError):
    """The requested arithmetic cannot represent the computation (e.g. tanh in exact mode)."""


class LiftError(InputError):
    """A lift (embedding, depth lifting, permutation) that does not apply to the network."""


class UndecidedError(ArithmeticModeError):
    """A ball enclosure contains 0 (and is not exactly 0): the sign is not decided."""


def excerpt(text: object, limit: int = 60) -> str:
    """``repr(text)``, shortened to about ``limit`` characters: what an error message quotes of an input.

    >>> excerpt("z" * 3000)
    "'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz…zzzzzzzzzz' (3000 characters)"
    >>> excerpt("tanh")
    "'tanh'"
    """
    s = text if isinstance(text, str) else repr(text)
    if len(s) <= limit:
        return repr(text) if isinstance(text, str) else s
    head, tail = s[: limit // 2], s[-(limit // 6):]
    return f"'{head}…{tail}' ({len(s)} characters)"
