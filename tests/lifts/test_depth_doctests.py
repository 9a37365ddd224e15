"""The docstring examples of the depth modules run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "exactlift.lifts.depth",
    "exactlift.lifts.depth_checks",
    "exactlift.lifts.depth_saddle",
    "exactlift.lifts.depth_bn",
    "exactlift.lifts.depth_region",
    "exactlift.lifts.depth_mp",
    "exactlift.lifts.prune",
    "exactlift.nn.batchnorm",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
