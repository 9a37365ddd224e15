"""The docstring examples of the depth modules run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "exactlift.lifts.depth",
    "exactlift.lifts.depth.insertion",
    "exactlift.lifts.depth.lifting",
    "exactlift.lifts.depth.options",
    "exactlift.lifts.depth.theorems",
    "exactlift.lifts.depth.check",
    "exactlift.lifts.depth.saddle",
    "exactlift.lifts.depth.batchnorm",
    "exactlift.lifts.depth.region",
    "exactlift.lifts.depth.mp",
    "exactlift.lifts.depth.prune",
    "exactlift.nn.batchnorm",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
