"""Small exact example cases for the width principle (docs, doctests, tests, benchmarks).

Each is an exact critical point with non-zero loss, built by the SPEC §0
recipe (:func:`exactlift.nn.data.critical_targets`): θ and the inputs are
written out here, the targets are computed.

* :func:`fa_minimum`: a 1-1-1 net with σ(z) = z + z⁵/5 at a strict local
  minimum (positive definite Hessian) whose one neuron has a semidefinite,
  non-zero Fukumizu–Amari matrix M_s: ``"psd"`` (splitting helps for α < 0 or
  α > 1) or ``"nsd"`` (for 0 < α < 1).  Degree 5 because low-degree
  polynomials can force M_s = 0 (SPEC §1).
* :func:`vector_output_case`: a strict local minimum of a 1-1-2 net (vector
  output), where G_s ≠ 0 makes every split ratio a strict saddle.
* :func:`random_critical_case`: random θ and inputs for any widths.

>>> fa_minimum("psd").arch.describe()
'1-1-1 net, activation(s) z + z**5/5, biases'
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from exactlift.errors import InputError
from exactlift.nn.case import Case
from exactlift.nn.data import critical_targets, random_inputs, random_params, teacher_targets
from exactlift.nn.losses import parse_loss
from exactlift.nn.network import Architecture, Params

_FA = {
    # θ = (w, b, a, c), inputs x_i, seed of the residual
    "psd": (["1", "3/2", "-1", "1/2"], ["-2", "1", "-3/2", "-1", "-1", "-1/2"], 4),
    "nsd": (["1", "-1", "2", "-1"], ["-1/2", "1", "-3", "-2", "-1", "3"], 9),
}


def fa_minimum(kind: str = "psd") -> Case:
    """A strict local minimum of a 1-1-1 net whose neuron has M_s ⪰ 0 (``"psd"``) or ⪯ 0 (``"nsd"``).

    >>> from exactlift.analysis import analyze
    >>> a = analyze(fa_minimum("nsd"))
    >>> a.critical, a.inertia[0] == 0 and a.inertia[1] == 0, a.loss != "0"
    (True, True, True)
    """
    if kind not in _FA:
        raise InputError(f"fa_minimum: kind must be 'psd' or 'nsd', got {kind!r}")
    theta, xs, seed = _FA[kind]
    arch = Architecture.build([1, 1, 1], "z + z**5/5")
    params = Params.from_flat(arch, [Fraction(t) for t in theta])
    X = [[Fraction(x)] for x in xs]
    Y = critical_targets(arch, params, X, seed=seed)
    return Case(arch, params, X, Y, parse_loss("mse", 1), name=f"Fukumizu-Amari example ({kind})")


def vector_output_case() -> Case:
    """A strict local minimum of a 1-1-2 net (σ = z/(1+z²)) where G_s ≠ 0 (vector output).

    >>> from exactlift.analysis import analyze
    >>> a = analyze(vector_output_case())
    >>> a.critical, a.inertia[0] == 0 and a.inertia[1] == 0
    (True, True)
    """
    arch = Architecture.build([1, 1, 2], "z/(1 + z**2)")
    params = Params.from_flat(arch, [Fraction(t) for t in ("1", "2", "-1", "3", "-3", "1")])
    X = [[Fraction(x)] for x in ("1", "-3", "2", "1", "-3/2")]
    Y = critical_targets(arch, params, X, seed=16)
    return Case(arch, params, X, Y, parse_loss("mse", 2), name="vector output example")


def random_critical_case(
    widths: Sequence[int], activation: str = "z/(1 + z**2)", seed: int = 0, n_samples: int | None = None,
    bias: bool | Sequence[bool] = True, teacher: bool = False,
) -> Case:
    """Random exact θ and inputs, targets making θ critical (non-zero loss; ``teacher``: zero loss).

    ``n_samples`` defaults to P/d_out + 2, enough for a residual in ker Jᵀ.

    >>> random_critical_case([1, 2, 1], seed=1).n_samples  # P = 7 parameters, 7 + 2 samples
    9
    """
    arch = Architecture.build(list(widths), activation, bias)
    theta = random_params(arch, seed=seed, size=3, denominators=3)
    n = n_samples if n_samples is not None else arch.n_params // arch.output_dim + 2
    X = random_inputs(n, arch.input_dim, seed=seed + 7919, size=3, denominators=4)
    Y = teacher_targets(arch, theta, X) if teacher else critical_targets(arch, theta, X, seed=seed)
    return Case(arch, theta, X, Y, parse_loss("mse", arch.output_dim),
                name=f"random {'teacher' if teacher else 'critical'} case, seed {seed}")
