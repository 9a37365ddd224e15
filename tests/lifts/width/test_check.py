"""exactlift.lifts.width.check: every check at once and the block formulas along compositions, against naive SymPy."""

from __future__ import annotations

import functools
import json
from fractions import Fraction as F

import mpmath
import pytest
import sympy

from exactlift.arith.contexts import get_context
from exactlift.arith.linalg import inertia
from exactlift.calculus.backprop import forward
from exactlift.calculus.naive import naive_derivatives
from exactlift.nn.examples import demo_case
from exactlift.lifts import NullNeuron, OddSplitNeuron, Permute, SplitNeuron, compose
from exactlift.lifts.width import check_block_formulas, check_embedding
from exactlift.lifts.width import (
    EmbeddingPoint,
    check_criticality,
    check_gradient_transfer,
    check_hessian_relations,
    check_inertia_monotone,
    check_null_condition,
    check_output_preservation,
    check_split_line,
)
from exactlift.nn.examples import random_critical_case
from exactlift.nn.case import Case, case_from_dict
from exactlift.nn.data import random_inputs, random_params, random_rational
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture

from .checks_cases import LIFTS_1H, LIFTS_2H, _naive, naive, poly_case, random_case, tanh_teacher_case  # noqa: F401


def test_check_embedding_all_hold_on_demo():
    results = check_embedding(demo_case(), compose(SplitNeuron(1, 0, F(1, 3)), NullNeuron(1)))
    names = [r.name for r in results]
    assert names.count("output preservation") == 2 and names.count("gradient transfer") == 2
    assert all(r.holds is True for r in results)
    assert {r.strength for r in results} == {"symbolic", "exact"}
    for r in results:
        assert set(r.to_json()) >= {"property", "holds", "strength", "scope", "detail", "seconds"}


def test_block_formulas_along_a_composition_vs_naive():
    case = poly_case()
    lift = compose(SplitNeuron(1, 0, F(1, 3)), NullNeuron(1), SplitNeuron(1, 2, F(2)))
    r = check_block_formulas(case, lift)
    assert r.holds is True and r.detail.count("direct") == 3
    final = r.detail.rsplit("direct ", 1)[1]
    assert final == str(inertia(naive(lift.apply_case(case))[2]))


def test_block_formulas_not_applicable_to_permutations():
    assert check_block_formulas(poly_case(), Permute(1, (1, 0))).holds is None
