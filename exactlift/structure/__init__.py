"""Embedding structure of trained networks: :func:`condense` (copies, null neurons, the lifts back)
and :func:`explain` (the certified embedded critical point a network is near).

>>> from exactlift.structure import condense, explain
>>> callable(condense) and callable(explain)
True
"""

from exactlift.structure.condense import Condensation, Group, condense, simplest_rational
from exactlift.structure.explain import Explanation, explain, find_certifier

__all__ = ["Condensation", "Explanation", "Group", "condense", "explain", "find_certifier", "simplest_rational"]
