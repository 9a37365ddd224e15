"""Tests of exactlift.arith.linalg: every answer is compared with one computed another way.

References used: the other engine (ldl vs charpoly, pure vs flint), matrices whose
inertia/rank is known by construction (congruences Aᵀ D A, block [[0, B], [Bᵀ, 0]],
products X Y of full-rank factors), SymPy's ``Matrix.eigenvals``/``Matrix.rank`` on
small matrices, and direct exact re-evaluation of M v and vᵀ H v.
"""

from __future__ import annotations

import doctest
import random
from decimal import Decimal
from fractions import Fraction as F

import flint
import mpmath
import numpy as np
import pytest
import sympy

from exactlift.arith import linalg
from exactlift.arith.linalg import engine as linalg_engine
from exactlift.arith.linalg import (
    inertia,
    kernel,
    rank,
    to_fmpq_mat,
    to_fraction_matrix,
    witness_negative_direction,
)
from exactlift.errors import ExactliftError, FloatInExactError, InputError

Matrix = list[list[F]]


# ---------------------------------------------------------------------------
# independent helpers (plain Fraction arithmetic, no code from the module)
# ---------------------------------------------------------------------------


def rand_q(rng: random.Random, height: int = 5, dmax: int = 4) -> F:
    return F(rng.randint(-height, height), rng.randint(1, dmax))


def rand_sym(rng: random.Random, n: int, density: float = 1.0, zero_diag: bool = False) -> Matrix:
    H = [[F(0)] * n for _ in range(n)]
    for i in range(n):
        for j in range(i, n):
            if (i != j or not zero_diag) and rng.random() < density:
                H[i][j] = H[j][i] = rand_q(rng)
    return H


def matmul(A: Matrix, B: Matrix) -> Matrix:
    inner = len(B)
    cols = len(B[0]) if B else 0
    return [[sum((A[i][k] * B[k][j] for k in range(inner)), F(0)) for j in range(cols)] for i in range(len(A))]


def transpose(A: Matrix, ncols: int | None = None) -> Matrix:
    if not A:
        return [[] for _ in range(ncols or 0)]
    return [list(col) for col in zip(*A)]


def invertible(rng: random.Random, n: int) -> Matrix:
    """L·U with unit triangular factors (det = 1), then a row permutation: invertible."""
    L = [[F(1) if i == j else (rand_q(rng, 3, 3) if j < i else F(0)) for j in range(n)] for i in range(n)]
    U = [[F(1) if i == j else (rand_q(rng, 3, 3) if j > i else F(0)) for j in range(n)] for i in range(n)]
    P = matmul(L, U)
    rng.shuffle(P)
    return P


def full_row_rank(rng: random.Random, r: int, n: int) -> Matrix:
    """An r×n matrix of rank r: the first r rows of an invertible n×n matrix."""
    return invertible(rng, n)[:r]


def congruence(A: Matrix, d: list[F], n: int) -> Matrix:
    """Aᵀ diag(d) A for an r×n matrix A."""
    DA = [[di * x for x in row] for di, row in zip(d, A)]
    H = matmul(transpose(A, n), DA) if A else [[F(0)] * n for _ in range(n)]
    return H


def signs(d: list[F]) -> tuple[int, int, int]:
    return (sum(x < 0 for x in d), sum(x == 0 for x in d), sum(x > 0 for x in d))


def qform(v: list[F], H: Matrix) -> F:
    return sum((v[i] * H[i][j] * v[j] for i in range(len(v)) for j in range(len(v))), F(0))


def matvec(M: Matrix, v: list[F]) -> list[F]:
    return [sum((a * b for a, b in zip(row, v)), F(0)) for row in M]


def known_rank(rng: random.Random, m: int, n: int, r: int) -> Matrix:
    """X·Y with X m×r and Y r×n of full rank r: rank exactly r."""
    if r == 0:
        return [[F(0)] * n for _ in range(m)]
    X = transpose(full_row_rank(rng, r, m))
    Y = full_row_rank(rng, r, n)
    return matmul(X, Y)


# ---------------------------------------------------------------------------
# inertia: ldl vs charpoly, and vs inertia known by construction
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", range(1, 13))
def test_ldl_matches_charpoly_random(n: int) -> None:
    rng = random.Random(1000 + n)
    for trial in range(12):
        density = [1.0, 0.5, 0.2][trial % 3]
        H = rand_sym(rng, n, density=density, zero_diag=trial % 4 == 3)
        a = inertia(H, method="ldl")
        b = inertia(H, method="charpoly")
        assert a == b, H
        assert sum(a) == n


@pytest.mark.parametrize("n", range(1, 13))
def test_inertia_of_congruence_known_by_construction(n: int) -> None:
    """Aᵀ D A with A (r×n) of full row rank has the inertia of diag(D) plus n − r zeros."""
    rng = random.Random(2000 + n)
    for r in sorted({0, n // 2, n - 1, n} - {-1}):
        d = [rng.choice([-1, 0, 1]) * F(rng.randint(1, 7), rng.randint(1, 5)) for _ in range(r)]
        A = full_row_rank(rng, r, n)
        H = congruence(A, d, n)
        m, z, p = signs(d)
        expected = (m, z + n - r, p)
        assert inertia(H, method="ldl") == expected
        assert inertia(H, method="charpoly") == expected


@pytest.mark.parametrize("p,q,r", [(1, 1, 1), (2, 2, 2), (3, 2, 1), (3, 4, 3), (4, 4, 2), (5, 6, 4), (6, 6, 6)])
def test_zero_diagonal_block_matrix(p: int, q: int, r: int) -> None:
    """[[0, B], [Bᵀ, 0]] with rank B = r has inertia (r, p + q − 2r, r): the 2×2 pivot path."""
    rng = random.Random(p * 100 + q * 10 + r)
    B = known_rank(rng, p, q, r)
    n = p + q
    H = [[F(0)] * n for _ in range(n)]
    for i in range(p):
        for j in range(q):
            H[i][p + j] = H[p + j][i] = B[i][j]
    expected = (r, n - 2 * r, r)
    assert inertia(H, method="ldl") == expected
    assert inertia(H, method="charpoly") == expected
    # a congruent scrambling (diagonal no longer zero) keeps the inertia
    A = invertible(rng, n)
    H2 = matmul(transpose(A), matmul(H, A))
    assert inertia(H2, method="ldl") == expected
    assert inertia(H2, method="charpoly") == expected


@pytest.mark.parametrize("n", range(0, 6))
@pytest.mark.parametrize("method", ["ldl", "charpoly", "auto"])
def test_zero_matrix(n: int, method: str) -> None:
    assert inertia([[0] * n for _ in range(n)], method=method) == (0, n, 0)


@pytest.mark.parametrize("method", ["ldl", "charpoly", "auto"])
@pytest.mark.parametrize("x,expected", [(F(-3, 2), (1, 0, 0)), (0, (0, 1, 0)), (5, (0, 0, 1))])
def test_one_by_one(method: str, x: object, expected: tuple[int, int, int]) -> None:
    assert inertia([[x]], method=method) == expected


@pytest.mark.parametrize("method", ["ldl", "charpoly", "auto"])
def test_empty_matrix(method: str) -> None:
    assert inertia([], method=method) == (0, 0, 0)
    assert inertia(np.empty((0, 0), dtype=object), method=method) == (0, 0, 0)
    assert inertia(flint.fmpq_mat(0, 0), method=method) == (0, 0, 0)


def test_larger_hessian_like_agrees() -> None:
    """A 40×40 Jᵀ J − shift: both engines agree; J of rank 30 forces ≥ 10 negatives."""
    rng = random.Random(7)
    J = [[rand_q(rng, 9, 10) for _ in range(40)] for _ in range(30)]
    H = matmul(transpose(J), J)
    for i in range(40):
        H[i][i] -= F(1, 3)
    a = inertia(H, method="ldl")
    assert a == inertia(H, method="charpoly")
    assert a[0] >= 10


def _sympy_sign(ev: sympy.Expr) -> int:
    """Exact sign of a real eigenvalue of a small integer-scaled matrix.

    Zero eigenvalues come out of ``eigenvals`` as the exact 0 (roots() factors x out).
    A non-zero root of an integer polynomial with coefficients of absolute value ≤ C
    has |λ| ≥ 1/(1 + C), so 50-digit evaluation decides the sign rigorously.
    """
    if ev == 0:
        return 0
    if ev.is_positive:
        return 1
    if ev.is_negative:
        return -1
    val = sympy.N(ev, 50)
    re, im = val.as_real_imag()
    assert abs(im) < sympy.Float("1e-40") and abs(re) > sympy.Float("1e-20")
    return 1 if re > 0 else -1


def test_inertia_vs_sympy_eigenvals() -> None:
    rng = random.Random(31)
    for trial in range(30):
        n = 2 + trial % 2
        H = rand_sym(rng, n, density=0.8)
        if trial % 5 == 0:  # make it singular: last row/col = sum of the others
            for i in range(n):
                H[i][n - 1] = sum(H[i][: n - 1], F(0))
            H[n - 1] = [H[i][n - 1] for i in range(n)]
            H[n - 1][n - 1] = sum(H[n - 1][: n - 1], F(0))
        M = sympy.Matrix(n, n, [sympy.Rational(x.numerator, x.denominator) for row in H for x in row])
        counts = [0, 0, 0]
        for ev, mult in M.eigenvals().items():
            counts[_sympy_sign(ev) + 1] += mult
        expected = tuple(counts)
        assert inertia(H, method="ldl") == expected, H
        assert inertia(H, method="charpoly") == expected, H


# ---------------------------------------------------------------------------
# input types
# ---------------------------------------------------------------------------


H3 = [[F(1, 2), F(-3), 0], [F(-3), 2, F(5, 7)], [0, F(5, 7), F(-1, 9)]]


def _variants(H: list[list[object]]) -> dict[str, object]:
    fr = [[F(x) for x in row] for row in H]
    n = len(fr)
    return {
        "list_fraction": fr,
        "tuple_rows": tuple(tuple(row) for row in fr),
        "numpy_object": np.array(fr, dtype=object),
        "fmpq_mat": flint.fmpq_mat(n, n, [flint.fmpq(x.numerator, x.denominator) for row in fr for x in row]),
        "sympy_matrix": sympy.Matrix(n, n, [sympy.Rational(x.numerator, x.denominator) for row in fr for x in row]),
        "sympy_immutable": sympy.ImmutableMatrix(
            n, n, [sympy.Rational(x.numerator, x.denominator) for row in fr for x in row]
        ),
        "list_fmpq": [[flint.fmpq(x.numerator, x.denominator) for x in row] for row in fr],
        "list_sympy": [[sympy.Rational(x.numerator, x.denominator) for x in row] for row in fr],
        "numpy_rows": [np.array(row, dtype=object) for row in fr],
    }


@pytest.mark.parametrize("kind", list(_variants(H3)))
def test_input_types_give_same_results(kind: str) -> None:
    M = _variants(H3)[kind]
    ref = [[F(x) for x in row] for row in H3]
    assert to_fraction_matrix(M) == ref
    assert to_fmpq_mat(M) == to_fmpq_mat(ref)
    expected = inertia(ref, method="ldl")
    for method in ("ldl", "charpoly", "auto"):
        assert inertia(M, method=method) == expected
    assert rank(M, method="pure") == rank(M, method="flint") == 3
    assert kernel(M) == []
    v = witness_negative_direction(M)
    assert v is not None and qform(v, ref) < 0


def test_integer_entry_types() -> None:
    ints = [[2, -1, 0], [-1, 2, -1], [0, -1, 2]]
    expected = (0, 0, 3)
    forms = [
        ints,
        np.array(ints),  # int64 dtype
        np.array(ints, dtype=np.int8),
        [[flint.fmpz(x) for x in row] for row in ints],
        flint.fmpz_mat(ints),
        [[sympy.Integer(x) for x in row] for row in ints],
        sympy.Matrix(ints),
        [[bool(x) if x in (0, 1) else x for x in row] for row in ints],
        [[F(x) if i == j else flint.fmpq(x) if i < j else sympy.Integer(x) for j, x in enumerate(row)]
         for i, row in enumerate(ints)],
    ]
    for M in forms:
        assert to_fraction_matrix(M) == [[F(x) for x in row] for row in ints]
        assert inertia(M, method="ldl") == inertia(M, method="charpoly") == expected


def test_converters_copy_and_types() -> None:
    Mq = flint.fmpq_mat(2, 2, [1, 2, 3, 4])
    out = to_fmpq_mat(Mq)
    assert out == Mq and out is not Mq
    out[0, 0] = 7
    assert Mq[0, 0] == 1
    fr = to_fraction_matrix(Mq)
    assert fr == [[F(1), F(2)], [F(3), F(4)]] and all(type(x) is F for row in fr for x in row)
    assert to_fraction_matrix(np.zeros((2, 0), dtype=object)) == [[], []]
    assert to_fraction_matrix([]) == []


# ---------------------------------------------------------------------------
# refusals
# ---------------------------------------------------------------------------

FLOATS = {
    "python_float": 0.1,
    "numpy_float64": np.float64(0.1),
    "numpy_float32": np.float32(0.5),
    "sympy_Float": sympy.Float(0.1),
    "mpmath_mpf": mpmath.mpf("0.1"),
    "decimal": Decimal("0.1"),
    "flint_arb": flint.arb(1),
}

FUNCTIONS = {
    "inertia": lambda M: inertia(M),
    "inertia_ldl": lambda M: inertia(M, method="ldl"),
    "inertia_charpoly": lambda M: inertia(M, method="charpoly"),
    "rank": lambda M: rank(M),
    "rank_pure": lambda M: rank(M, method="pure"),
    "kernel": lambda M: kernel(M),
    "kernel_pure": lambda M: kernel(M, method="pure"),
    "to_fraction_matrix": to_fraction_matrix,
    "to_fmpq_mat": to_fmpq_mat,
    "witness_negative_direction": witness_negative_direction,
}


@pytest.mark.parametrize("fname", list(FUNCTIONS))
@pytest.mark.parametrize("kind", list(FLOATS))
def test_floats_refused(fname: str, kind: str) -> None:
    x = FLOATS[kind]
    M = [[1, 2, 0], [2, 3, x], [0, x, 1]]
    with pytest.raises(FloatInExactError, match=r"needs exact rational entries; entry \(1, 2\) is the float"):
        FUNCTIONS[fname](M)


def test_float_message_exact() -> None:
    with pytest.raises(FloatInExactError) as err:
        inertia([[1, 0.1], [0.1, 1]])
    assert str(err.value) == "inertia needs exact rational entries; entry (0, 1) is the float 0.1"
    assert isinstance(err.value, InputError) and isinstance(err.value, ValueError)
    with pytest.raises(FloatInExactError, match=r"^rank needs exact rational entries; entry \(1, 0\) is the float 0\.25$"):
        rank([[1, 2], [0.25, 3]])


@pytest.mark.parametrize(
    "M",
    [
        np.array([[1.0, 2.0], [2.0, 1.0]]),  # float dtype, integral values: still refused
        sympy.Matrix([[1, sympy.Float(2)], [sympy.Float(2), 1]]),
        np.array([[1, np.float64(2)], [np.float64(2), 1]], dtype=object),
    ],
)
def test_float_containers_refused(M: object) -> None:
    with pytest.raises(FloatInExactError, match=r"entry \(0, [01]\) is the float"):
        inertia(M)


@pytest.mark.parametrize("x", [sympy.sqrt(2), sympy.Symbol("a"), 1j, "1/2", None, sympy.oo])
def test_non_rational_entries_refused(x: object) -> None:
    with pytest.raises(InputError, match=r"entry \(0, 1\)") as err:
        to_fraction_matrix([[1, x]])
    assert not isinstance(err.value, FloatInExactError)


@pytest.mark.parametrize("method", ["ldl", "charpoly", "auto"])
def test_asymmetric_refused(method: str) -> None:
    M = [[1, 2, 3], [2, 1, 4], [3, 5, 1]]
    with pytest.raises(InputError, match=r"symmetric.*entry \(1, 2\) is 4 but entry \(2, 1\) is 5"):
        inertia(M, method=method)
    with pytest.raises(InputError, match=r"entry \(0, 1\) is 1/2 but entry \(1, 0\) is 1/3"):
        inertia([[0, F(1, 2)], [F(1, 3), 0]], method=method)
    with pytest.raises(InputError, match="symmetric"):
        witness_negative_direction(M)


@pytest.mark.parametrize("method", ["ldl", "charpoly"])
def test_nonsquare_and_malformed_refused(method: str) -> None:
    with pytest.raises(InputError, match=r"square matrix; got a 2×3 matrix"):
        inertia([[1, 2, 3], [2, 1, 4]], method=method)
    with pytest.raises(InputError, match="rectangular"):
        inertia([[1, 2], [3]], method=method)
    with pytest.raises(InputError, match="row 0"):
        inertia([1, 2], method=method)
    with pytest.raises(InputError, match="2-dimensional"):
        inertia(np.array([1, 2], dtype=object), method=method)
    with pytest.raises(InputError, match="needs a matrix"):
        inertia(3, method=method)
    with pytest.raises(InputError, match="unknown method"):
        inertia([[1]], method="eig")
    with pytest.raises(InputError, match="unknown method"):
        rank([[1]], method="ldl")


# ---------------------------------------------------------------------------
# rank and kernel
# ---------------------------------------------------------------------------


def _check_kernel(M: Matrix, ncols: int, basis: list[list[F]], r: int) -> None:
    assert len(basis) + r == ncols
    for v in basis:
        assert len(v) == ncols
        assert all(type(x) is F for x in v)
        assert all(x == 0 for x in matvec(M, v))
    if basis:  # independent: the canonical basis has an identity on the free columns
        free = [next(j for j in range(ncols) if v[j] == 1 and all(w[j] == 0 for w in basis if w is not v)) for v in basis]
        assert len(set(free)) == len(basis)


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (3, 2), (4, 4), (5, 7), (7, 5), (8, 10), (6, 6)])
def test_rank_kernel_known_rank(shape: tuple[int, int]) -> None:
    m, n = shape
    rng = random.Random(m * 37 + n)
    for r in range(0, min(m, n) + 1):
        M = known_rank(rng, m, n, r)
        for method in ("pure", "flint"):
            assert rank(M, method=method) == r
        kp, kf = kernel(M, method="pure"), kernel(M, method="flint")
        assert kp == kf
        _check_kernel(M, n, kp, r)


def test_rank_kernel_random_vs_sympy() -> None:
    rng = random.Random(99)
    for trial in range(40):
        m, n = rng.randint(1, 6), rng.randint(1, 6)
        M = [[rand_q(rng, 2, 3) if rng.random() < 0.5 else F(0) for _ in range(n)] for _ in range(m)]
        if trial % 3 == 0 and m > 1:
            M[-1] = [a - b for a, b in zip(M[0], M[1 % m])]
        S = sympy.Matrix(m, n, [sympy.Rational(x.numerator, x.denominator) for row in M for x in row])
        r = S.rank()  # reference on small matrices only
        assert rank(M, method="pure") == rank(M, method="flint") == r
        k = kernel(M)
        assert k == kernel(M, method="pure")
        _check_kernel(M, n, k, r)
        # the kernel spans the same space as sympy's (row-reduced bases are canonical)
        ref = [[F(int(x.p), int(x.q)) for x in v] for v in S.nullspace()]
        assert sorted(map(tuple, ref)) == sorted(map(tuple, k))


@pytest.mark.parametrize("method", ["pure", "flint", "auto"])
def test_rank_kernel_edge_shapes(method: str) -> None:
    assert rank([], method=method) == 0 and kernel([], method=method) == []
    assert rank(np.empty((0, 3), dtype=object), method=method) == 0
    assert kernel(np.empty((0, 3), dtype=object), method=method) == [
        [F(1), F(0), F(0)], [F(0), F(1), F(0)], [F(0), F(0), F(1)]
    ]
    assert rank([[], [], []], method=method) == 0 and kernel([[], [], []], method=method) == []
    assert rank([[0, 0], [0, 0]], method=method) == 0
    assert kernel([[0, 0], [0, 0]], method=method) == [[F(1), F(0)], [F(0), F(1)]]
    assert kernel([[F(1, 2), F(1, 3)]], method=method) == [[F(-2, 3), F(1)]]


def test_kernel_of_larger_matrix_engines_agree() -> None:
    rng = random.Random(5)
    M = known_rank(rng, 25, 30, 17)
    kp, kf = kernel(M, method="pure"), kernel(M, method="flint")
    assert kp == kf and len(kp) == 13
    _check_kernel(M, 30, kp, 17)


# ---------------------------------------------------------------------------
# negative-direction witness
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["pure", "flint"])
def test_witness_random(method: str) -> None:
    rng = random.Random(404)
    found = 0
    for trial in range(150):
        n = rng.randint(1, 9)
        H = rand_sym(rng, n, density=rng.choice([1.0, 0.5, 0.25]), zero_diag=trial % 3 == 0)
        v = witness_negative_direction(H, method=method)
        n_minus = inertia(H, method="charpoly")[0]
        if n_minus == 0:
            assert v is None
        else:
            found += 1
            assert v is not None and len(v) == n
            assert all(type(x) is F and x.denominator == 1 for x in v)
            assert qform(v, H) < 0
    assert found > 50


@pytest.mark.parametrize("n", [1, 3, 6, 10])
def test_witness_none_for_psd(n: int) -> None:
    rng = random.Random(n)
    for r in range(n + 1):
        d = [F(rng.randint(0, 5), rng.randint(1, 3)) for _ in range(r)]
        H = congruence(full_row_rank(rng, r, n), d, n)
        assert witness_negative_direction(H) is None
        assert witness_negative_direction(H, method="pure") is None
        # one negative direction added by construction: now a witness must exist
        if r:
            H = congruence(full_row_rank(rng, r, n), [F(-1, 7)] + d[1:], n)
            v = witness_negative_direction(H)
            assert v is not None and qform(v, H) < 0


def test_witness_late_negative_pivot_and_zero_diagonal() -> None:
    # positive diagonal, negative only after eliminating: [[1,2],[2,1]] has eigenvalue -1
    assert qform(witness_negative_direction([[1, 2], [2, 1]]), [[F(1), F(2)], [F(2), F(1)]]) < 0
    for H in ([[0, 1], [1, 0]], [[0, -3], [-3, 0]], [[0, 0, 1], [0, 0, 0], [1, 0, 0]]):
        Hf = [[F(x) for x in row] for row in H]
        v = witness_negative_direction(H)
        assert v is not None and qform(v, Hf) < 0
    assert witness_negative_direction([[0, 0], [0, 0]]) is None
    assert witness_negative_direction([]) is None
    # a block [[0, B], [Bᵀ, 0]] after a positive definite block: negative pivot appears late
    rng = random.Random(3)
    B = known_rank(rng, 3, 3, 2)
    n = 8
    H = [[F(0)] * n for _ in range(n)]
    for i in range(2):
        H[i][i] = F(i + 1)
    for i in range(3):
        for j in range(3):
            H[2 + i][5 + j] = H[5 + j][2 + i] = B[i][j]
    for method in ("pure", "flint"):
        v = witness_negative_direction(H, method=method)
        assert v is not None and qform(v, H) < 0


def test_witness_hessian_like() -> None:
    """Aᵀ diag(1, …, 1, −1/1000) A: positive diagonal, one negative direction found late."""
    rng = random.Random(11)
    n = 25
    A = [[rand_q(rng, 9, 10) for _ in range(n)] for _ in range(n)]
    A = matmul(A, invertible(rng, n))
    assert rank(A) == n
    H = congruence(A, [F(1)] * (n - 1) + [F(-1, 1000)], n)
    assert all(H[i][i] > 0 for i in range(n))
    assert inertia(H) == (1, 0, n - 1)
    for method in ("pure", "flint"):
        v = witness_negative_direction(H, method=method)
        assert v is not None and qform(v, H) < 0
    assert witness_negative_direction(congruence(A, [F(1)] * (n - 1) + [F(0)], n)) is None


# ---------------------------------------------------------------------------
# EXACTLIFT_PURE and a missing python-flint
# ---------------------------------------------------------------------------


def test_env_pure_path_gives_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(77)
    cases = [rand_sym(rng, n, density=0.6, zero_diag=n % 2 == 0) for n in range(1, 9)]
    rects = [known_rank(rng, 4, 6, r) for r in range(5)]
    with_flint = [
        (inertia(H), witness_negative_direction(H)) for H in cases
    ] + [(rank(M), kernel(M)) for M in rects]
    assert linalg_engine.auto_uses_flint()
    monkeypatch.setenv("EXACTLIFT_PURE", "1")
    assert not linalg_engine.auto_uses_flint()
    pure = [
        (inertia(H), witness_negative_direction(H)) for H in cases
    ] + [(rank(M), kernel(M)) for M in rects]
    assert pure == with_flint
    # explicit method still wins over the environment variable
    assert inertia(cases[3], method="charpoly") == inertia(cases[3], method="ldl")
    monkeypatch.setenv("EXACTLIFT_PURE", "0")
    assert linalg_engine.auto_uses_flint()


def test_without_flint(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pure engine works when python-flint cannot be imported at all."""
    H = [[F(1), F(2)], [F(2), F(1)]]
    expected = (inertia(H), rank(H), kernel([[1, 2]]))
    monkeypatch.setattr(linalg_engine, "FLINT", None)
    assert not linalg.flint_available()
    assert (inertia(H), rank(H), kernel([[1, 2]])) == expected
    assert qform(witness_negative_direction(H), H) < 0
    with pytest.raises(FloatInExactError):
        inertia([[0.5]])
    with pytest.raises(ExactliftError, match="python-flint"):
        inertia(H, method="charpoly")
    with pytest.raises(ExactliftError, match="python-flint"):
        to_fmpq_mat(H)


def test_doctests() -> None:
    import importlib
    import pkgutil

    attempted = failed = 0
    for info in pkgutil.iter_modules(linalg.__path__):
        mod = importlib.import_module(f"{linalg.__name__}.{info.name}")
        result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
        attempted += result.attempted
        failed += result.failed
    assert attempted > 10 and failed == 0
