"""Closed forms for the numbers of symmetry-induced affine subspaces (docs/symmetry.md).

Two-layer bias-free network of width ``m``, teacher (or critical point) of
width ``r`` (1 ≤ r ≤ m), ``h = m − r``.

* ``count_G(r, m) = r!·S(m, r)`` — replication subspaces (surjections
  [m] → [r]).
* ``count_T_single(r, m) = Σ_k C(m,k)·r!·S(k,r) = r!·S(m+1, r+1)`` — the
  global-minimum pieces in the *zero singletons* reading (each unassigned neuron
  has a_j = 0 and a free w_j).
* ``count_T_groups(r, m) = Σ_k S(m,k)·k!/(k−r)! = Σ_j C(m,j)·Bell(j)·r!·S(m−j,r)``
  — the pieces in the *zero groups* reading (unassigned neurons form groups that
  share one free incoming vector, outgoing weights summing to 0).

The two readings agree for h ≤ 1 (T(r, r) = r!, T(r, r+1) = (r+1)!(r+2)/2) and
differ from h = 2 on.  Which one the paper prints is not settled by exactlift;
only the h ≤ 1 values are called "the paper's" (:func:`is_paper_value`).

All values are exact Python ``int``.  Stirling and Bell numbers come from
python-flint (``fmpz.stirling_s2``, ``fmpz.bell_number``); the pure-Python
:func:`stirling2_explicit` and :func:`bell_explicit` are independent
implementations the tests compare against (and against SymPy).

>>> count_G(3, 5), count_T_single(3, 5), count_T_groups(3, 5)
(150, 390, 450)
"""

from __future__ import annotations

from math import comb, factorial, log10, perm

from exactlift.errors import InputError, validated
from exactlift.limits import check as check_limit

try:
    import flint as _flint
except ImportError:  # pragma: no cover
    _flint = None

__all__ = [
    "QUANTITIES",
    "stirling2",
    "stirling2_explicit",
    "bell",
    "bell_explicit",
    "count_G",
    "count_T_single",
    "count_T_single_sum",
    "count_T_groups",
    "count_T_groups_blocks",
    "count_T_groups_bell",
    "count",
    "is_paper_value",
    "check_width",
]

#: The counted quantities, in the names used by the CLI and the enumeration.
QUANTITIES: tuple[str, ...] = ("G", "T_single", "T_groups")


def _as_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            import numbers

            if isinstance(value, numbers.Integral) and not isinstance(value, bool):
                return int(value)
        except Exception:  # pragma: no cover
            pass
        raise InputError(f"{name} must be an integer, got {value!r}")
    return value


def check_width(r: object, m: object, what: str = "r") -> tuple[int, int]:
    """Validate the domain 1 ≤ r ≤ m and return ``(r, m)`` as ints.

    >>> check_width(5, 3)
    Traceback (most recent call last):
    ...
    exactlift.errors.InputError: need 1 <= r <= m, got r=5, m=3
    """
    ri = _as_int(what, r)
    mi = _as_int("m", m)
    if not 1 <= ri <= mi:
        raise InputError(f"need 1 <= {what} <= m, got {what}={ri}, m={mi}")
    return ri, mi


def _check_nk(n: object, k: object) -> tuple[int, int]:
    ni, ki = _as_int("n", n), _as_int("k", k)
    if ni < 0 or ki < 0:
        raise InputError(f"Stirling numbers need n, k >= 0, got n={ni}, k={ki}")
    return ni, ki


def stirling2(n: int, k: int) -> int:
    """Stirling number of the second kind S(n, k) (partitions of an n-set into k blocks).

    >>> [stirling2(5, k) for k in range(6)]
    [0, 1, 15, 25, 10, 1]
    """
    n, k = _check_nk(n, k)
    if k > n:
        return 0
    if _flint is None:  # pragma: no cover
        return stirling2_explicit(n, k)
    return int(_flint.fmpz.stirling_s2(n, k))


def stirling2_explicit(n: int, k: int) -> int:
    """S(n, k) by inclusion–exclusion, k!·S(n,k) = Σ_i (−1)^i C(k,i) (k−i)^n (pure Python).

    >>> stirling2_explicit(7, 3)
    301
    """
    n, k = _check_nk(n, k)
    if k > n:
        return 0
    total = sum((-1) ** i * comb(k, i) * (k - i) ** n for i in range(k + 1))
    q, rem = divmod(total, factorial(k))
    assert rem == 0
    return q


def bell(n: int) -> int:
    """Bell number B(n), the number of set partitions of an n-set.

    >>> [bell(n) for n in range(7)]
    [1, 1, 2, 5, 15, 52, 203]
    """
    n = _as_int("n", n)
    if n < 0:
        raise InputError(f"Bell numbers need n >= 0, got n={n}")
    if _flint is None:  # pragma: no cover
        return bell_explicit(n)
    return int(_flint.fmpz.bell_number(n))


def bell_explicit(n: int) -> int:
    """B(n) from the Bell triangle (pure Python, O(n²) additions)."""
    n = _as_int("n", n)
    if n < 0:
        raise InputError(f"Bell numbers need n >= 0, got n={n}")
    row = [1]
    for _ in range(n):
        new = [row[-1]]
        for x in row:
            new.append(new[-1] + x)
        row = new
    return row[0]


@validated
def count_G(r: int, m: int) -> int:
    """G(r, m) = r!·S(m, r): replication subspaces of a width-r point in width m.

    >>> [count_G(2, m) for m in range(2, 6)]
    [2, 6, 14, 30]
    """
    r, m = check_width(r, m)
    check_count_cost("G", r, m)
    return factorial(r) * stirling2(m, r)


@validated
def count_T_single(r: int, m: int) -> int:
    """T_single(r, m) = r!·S(m+1, r+1): global-minimum pieces, zero-singletons reading.

    >>> [count_T_single(3, m) for m in range(3, 7)]
    [6, 60, 390, 2100]
    """
    r, m = check_width(r, m)
    check_count_cost("T_single", r, m)
    return factorial(r) * stirling2(m + 1, r + 1)


def count_T_single_sum(r: int, m: int) -> int:
    """T_single(r, m) by its defining sum Σ_k C(m,k)·r!·S(k,r) (choose the k assigned neurons)."""
    r, m = check_width(r, m)
    return sum(comb(m, k) * factorial(r) * stirling2_explicit(k, r) for k in range(r, m + 1))


def _charlier_coefficients(r: int) -> list[int]:
    """Coefficients c_t with T_groups(r, m) = Σ_t c_t·Bell(m + t) for every m.

    From the recurrence T(r, m+1) = T(r+1, m) + (r+1)·T(r, m) + r·T(r−1, m)
    (place element m+1 in an existing block, alone unlabelled, or alone with a
    label): with the shift E (m → m+1), p_0 = 1, p_1 = E − 1 and
    p_{r+1} = (E − r − 1)·p_r − r·p_{r−1}; T_groups(r, ·) = p_r(E) Bell.
    """
    prev: list[int] = []
    cur = [1]
    for s in range(r):
        # next = (E - s - 1) * cur - s * prev
        nxt = [0] * (len(cur) + 1)
        for t, c in enumerate(cur):
            nxt[t + 1] += c
            nxt[t] -= (s + 1) * c
        for t, c in enumerate(prev):
            nxt[t] -= s * c
        prev, cur = cur, nxt
    return cur


def _stirling_row(m: int) -> list:
    """[m!²·S(m, k) for k = 0..m] (as ``flint.fmpz``) by one polynomial product.

    k!·S(m, k) = Σ_j C(k, j)(−1)^{k−j} j^m is a binomial convolution, i.e. the
    product of the exponential generating series Σ_j j^m x^j/j! and e^{−x};
    both are scaled by m! to stay in the integers.
    """
    fz = _flint.fmpz
    ratio = [fz(1)] * (m + 1)  # m!/j!
    for j in range(m - 1, -1, -1):
        ratio[j] = ratio[j + 1] * (j + 1)
    P = _flint.fmpz_poly([fz(j) ** m * ratio[j] for j in range(m + 1)])
    Q = _flint.fmpz_poly([-ratio[i] if i & 1 else ratio[i] for i in range(m + 1)])
    coeffs = list(P.mul_low(Q, m + 1).coeffs())
    return coeffs + [fz(0)] * (m + 1 - len(coeffs))


@validated
def count_T_groups(r: int, m: int) -> int:
    """T_groups(r, m) = Σ_k S(m,k)·k!/(k−r)!: global-minimum pieces, zero-groups reading.

    Exact; fast for m in the thousands.  Three evaluation routes, picked by size
    (each tested against the others and against the two formulas of docs/symmetry.md):
    for small r, Σ_t c_t·Bell(m+t) with the Charlier-type coefficients of
    :func:`_charlier_coefficients`; when m − r is small, the sum over k directly;
    otherwise the sum over k with the whole Stirling row from one polynomial
    product.

    >>> [count_T_groups(2, m) for m in range(2, 6)]
    [2, 12, 62, 320]
    """
    r, m = check_width(r, m)
    check_count_cost("T_groups", r, m)
    return _count_T_groups_route(r, m, None)


def _count_T_groups_route(r: int, m: int, route: str | None) -> int:
    if route is None:
        if _flint is None:  # pragma: no cover
            route = "bell"
        elif r <= 20:
            route = "charlier"
        elif m - r <= 300 or m <= 60:
            route = "direct"
        else:
            route = "row"
    if route == "charlier":
        c = _charlier_coefficients(r)
        return sum(ct * bell(m + t) for t, ct in enumerate(c) if ct)
    if route == "direct":
        return sum(stirling2(m, k) * perm(k, r) for k in range(r, m + 1))
    if route == "row":
        fz = _flint.fmpz
        row = _stirling_row(m)
        scale = fz(factorial(m)) ** 2
        total = fz(0)
        ff = fz(factorial(r))  # (k)_r at k = r
        for k in range(r, m + 1):
            if k > r:
                ff = ff * k // (k - r)
            total += row[k] * ff
        q, rem = divmod(int(total), int(scale))
        assert rem == 0
        return q
    if route == "bell":
        return count_T_groups_bell(r, m)
    raise InputError(f"unknown route {route!r}")


def count_T_groups_blocks(r: int, m: int) -> int:
    """T_groups by Σ_k S(m,k)·k!/(k−r)! with pure-Python Stirling numbers (reference)."""
    r, m = check_width(r, m)
    return sum(stirling2_explicit(m, k) * perm(k, r) for k in range(r, m + 1))


def count_T_groups_bell(r: int, m: int) -> int:
    """T_groups by Σ_j C(m,j)·Bell(j)·r!·S(m−j, r) (choose the j zero-type neurons; reference)."""
    r, m = check_width(r, m)
    return sum(
        comb(m, j) * bell_explicit(j) * factorial(r) * stirling2_explicit(m - j, r) for j in range(0, m - r + 1)
    )


def count(quantity: str, r: int, m: int) -> int:
    """Dispatch by name: ``"G"``, ``"T_single"`` or ``"T_groups"``.

    >>> count("T_groups", 1, 4)
    37
    """
    if quantity in QUANTITIES:
        r, m = check_width(r, m)
        check_count_cost(quantity, r, m)
    if quantity == "G":
        return count_G(r, m)
    if quantity == "T_single":
        return count_T_single(r, m)
    if quantity == "T_groups":
        return count_T_groups(r, m)
    raise InputError(f"unknown quantity {quantity!r}; choose one of {', '.join(QUANTITIES)}")


def answer_digits_bound(quantity: str, r: int, m: int) -> int:
    """An upper bound on the decimal digits of ``count(quantity, r, m)``, from the parameters alone.

    G ≤ r^m, T_single ≤ (r+1)^(m+1), T_groups ≤ (m+1)^(m+r) (it counts maps into at most m+r labels).

    >>> answer_digits_bound("G", 3, 5) >= len(str(count("G", 3, 5)))
    True
    """
    if quantity == "G":
        return int(m * log10(max(r, 1))) + 1
    if quantity == "T_single":
        return int((m + 1) * log10(r + 1)) + 1
    return int((m + r) * log10(m + 1)) + 1


def check_count_cost(quantity: str, r: int, m: int) -> None:
    """Refuse, before any work, a count whose answer or cost is over :mod:`exactlift.limits`.

    Limits: ``max_count_width`` (m of any count), ``max_groups_width`` (m of T_groups, whose
    cost grows as m²), ``max_answer_digits`` (the digit bound of :func:`answer_digits_bound`).
    """
    what = f"{quantity}({r}, {m})"
    check_limit("max_count_width", m, f"{what}: m", "as width")
    check_limit("max_count_width", r, f"{what}: r", "as width")
    if quantity == "T_groups":
        check_limit("max_groups_width", m, f"{what}: m", "as width (the cost grows as m**2)")
    check_limit("max_answer_digits", answer_digits_bound(quantity, r, m), f"{what}: the answer", "digits (bound)")


def is_paper_value(quantity: str, r: int, m: int) -> bool:
    """Whether a value may be called "the paper's" in exactlift's output.

    For T (either reading) only when h = m − r ≤ 1, where both readings agree;
    for G always (the single formula r!·S(m, r) of docs/symmetry.md).

    >>> is_paper_value("T_single", 3, 4), is_paper_value("T_groups", 3, 5)
    (True, False)
    """
    r, m = check_width(r, m)
    if quantity == "G":
        return True
    if quantity in ("T_single", "T_groups"):
        return m - r <= 1
    raise InputError(f"unknown quantity {quantity!r}; choose one of {', '.join(QUANTITIES)}")
