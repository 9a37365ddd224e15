"""What was proved, how strongly: the :class:`Certificate` every check returns.

>>> from exactlift.certify import Certificate, Strength
>>> Certificate("1/3 + 2/3 = 1", True, Strength.EXACT).proved
True
"""

from exactlift.certify.certificate import (
    FORMALIZATION,
    PAPERS_CLAIM,
    Certificate,
    Timer,
    combine_holds,
    jsonable,
)
from exactlift.strength import STRENGTHS, Strength, weakest

__all__ = [
    "Certificate", "FORMALIZATION", "PAPERS_CLAIM", "STRENGTHS", "Strength", "Timer",
    "combine_holds", "jsonable", "weakest",
]
