"""exactlift.lifts.width.point: derivatives computed once per point."""

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


def test_embedding_point_computes_once():
    p = EmbeddingPoint(demo_case(), SplitNeuron(1, 0, F(1, 3)))
    assert p.narrow(2) is p.narrow(1) and p.wide(2) is p.wide(2)
