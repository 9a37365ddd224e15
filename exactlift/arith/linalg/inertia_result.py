"""The result of an inertia computation: the counts and the path that decided them."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class InertiaResult:
    """An exact inertia and the path that decided it.

    ``path``: ``"zero"`` (the zero matrix), ``"ball-ldl"`` (signs of the non-singular block
    by the ball LDLᵀ), ``"rank+charpoly"`` (the balls did not decide: the block's
    charpoly did), ``"charpoly"`` or ``"ldl"`` (the explicit methods); in the
    contexts also ``"bunch-kaufman"`` (mp, numerical), ``"ball-bunch-kaufman"``
    (certified, element-wise) and ``"undecided"`` (``inertia`` None).  ``rank`` and
    ``rank_proof`` (see :class:`~exactlift.arith.linalg.exact_rank.ProvedRank`) when the
    rank was proved on the way; ``prec`` the bits at which the balls decided.

    >>> from exactlift.arith.linalg.inertia import inertia_result
    >>> r = inertia_result([[2, 1], [1, -3]])
    >>> r.inertia, r.path, r.prec
    ((1, 0, 1), 'ball-ldl', 128)
    """

    inertia: tuple[int, int, int] | None
    path: str
    rank: int | None = None
    rank_proof: str | None = None
    prec: int | None = None
    seconds: float = 0.0
    note: str = ""

    def with_zero_lines(self, k: int) -> InertiaResult:
        """The result for the matrix bordered by k zero rows and columns: k more zero eigenvalues.

        Rank, path and proof stay as they are (a zero line adds nothing to the rank).

        >>> InertiaResult((1, 0, 2), "ldl").with_zero_lines(3).inertia
        (1, 3, 2)
        """
        if k == 0 or self.inertia is None:
            return self
        n_minus, n_zero, n_plus = self.inertia
        return replace(self, inertia=(n_minus, n_zero + k, n_plus))
