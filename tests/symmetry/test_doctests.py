"""The docstring examples of the symmetry modules run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "exactlift.symmetry.counts",
    "exactlift.symmetry.exact",
    "exactlift.symmetry.certificates",
    "exactlift.symmetry.subspaces",
    "exactlift.symmetry.graph",
    "exactlift.symmetry.asymptotics",
    "exactlift.symmetry.twolayer",
    "exactlift.symmetry.critical_data",
    "exactlift.symmetry.criticality",
    "exactlift.symmetry.multilayer",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
