"""Exact linear algebra over the rationals: inertia, rank, kernel, negative directions.

Everything here is exact: entries are rational numbers and no step rounds.
Floats (Python ``float``, NumPy floats, SymPy ``Float``, mpmath ``mpf``, flint
``arb``, ``decimal.Decimal``) are refused with
:class:`~exactlift.errors.FloatInExactError`; floats only ever *propose* in
exactlift, they never decide.

Accepted matrices: a list (or tuple) of rows, a 2-d NumPy array (object or
integer dtype), a :class:`flint.fmpq_mat` / :class:`flint.fmpz_mat`, or a SymPy
``Matrix``.  Accepted entries: ``int`` (and NumPy integers), ``fractions.Fraction``,
``flint.fmpq``, ``flint.fmpz``, SymPy ``Integer``/``Rational`` (and any other
:class:`numbers.Rational`).

Two independent engines
-----------------------
*flint* (python-flint, a core dependency): for inertia, a proved multimodular rank
(``nmod_mat``/``fmpz_mat``), then the signs of a non-singular principal block by a
ball LDLᵀ (``arb_mat``) with precision escalation, the block's ``charpoly`` with
Descartes' rule of signs as the fallback (docs/inertia.md); ``fmpq_mat.rank`` and
``fmpq_mat.rref`` for rank and kernel.

*pure* (standard library only): a fraction-free symmetric congruence
elimination (LDLᵀ with diagonal pivoting, Bareiss-style exact divisions on the
integer matrix obtained by clearing denominators) for inertia and for the
negative-direction witness, and fraction-free Gauss–Jordan elimination for
rank and kernel.

``method="auto"`` uses flint when it imports and the environment variable
``EXACTLIFT_PURE`` is not ``"1"``; otherwise the pure engine.  An explicit
``method=`` always wins over the environment variable.
"""

from __future__ import annotations

from exactlift.arith.linalg.convert import MatrixLike, to_fmpq_mat, to_fraction_matrix
from exactlift.arith.linalg.engine import flint_available
from exactlift.arith.linalg.inertia import inertia, inertia_result
from exactlift.arith.linalg.inertia_result import InertiaResult
from exactlift.arith.linalg.pseudo_inverse import pseudo_inverse
from exactlift.arith.linalg.rank import kernel, rank
from exactlift.arith.linalg.rref import rref
from exactlift.arith.linalg.solve import (
    column_space,
    inverse,
    is_consistent,
    matmul,
    particular_solution,
    solve,
    transpose,
)
from exactlift.arith.linalg.witness import quadratic_form, witness_negative_direction

#: ``nullspace`` is the kernel: the name used by the symmetry theory.
nullspace = kernel

__all__ = [
    "InertiaResult",
    "MatrixLike",
    "column_space",
    "flint_available",
    "inertia",
    "inertia_result",
    "inverse",
    "is_consistent",
    "kernel",
    "matmul",
    "nullspace",
    "particular_solution",
    "pseudo_inverse",
    "quadratic_form",
    "rank",
    "rref",
    "solve",
    "to_fmpq_mat",
    "to_fraction_matrix",
    "transpose",
    "witness_negative_direction",
]
