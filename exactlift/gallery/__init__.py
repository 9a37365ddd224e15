"""A gallery of example case files shipped with the package, each proving something.

``exactlift examples`` lists them (name, what the case is, what it proves, the
source theorem); ``exactlift examples NAME -o FILE`` writes one.  The files are
built from :mod:`exactlift.nn.examples` by :func:`build_gallery` (run
``python -m exactlift.gallery`` to rewrite them) and shipped as package data.
``tests/gallery`` checks every claim by an independent computation (naive SymPy
derivatives, SymPy/mpmath eigenvalues).

>>> [e.name for e in EXAMPLES][:2]
['relu-minimum', 'relu-saddle']
>>> load_example("relu-saddle").arch.describe()
'2-2-2-1 net, activation(s) relu, relu, biases'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from exactlift.errors import InputError
from exactlift.nn.case import Case, load_case, save_case

__all__ = ["Example", "EXAMPLES", "example_names", "get_example", "example_path", "load_example", "build_gallery"]

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Example:
    """One gallery entry: a case file and the claim it proves, with its source.

    ``command`` is an exactlift command line (``CASE`` stands for the written file) that proves it.
    """

    name: str
    description: str
    proves: str
    source: str
    command: str

    @property
    def path(self) -> Path:
        """The shipped case file."""
        return HERE / f"{self.name}.json"

    def line(self) -> str:
        """The one-line listing."""
        return f"{self.name:15s} {self.description}"


EXAMPLES: tuple[Example, ...] = (
    Example(
        "relu-minimum",
        "a 1-2-1 ReLU net at a critical point with non-zero loss (9 samples)",
        "critical, loss 19/162 > 0; Hessian inertia (0, 2, 5), its kernel exactly the two ReLU rescaling "
        "directions (w_j, b_j, -a_j): a local minimum, strict up to the rescaling symmetry",
        "Morse-Bott lemma (Bott 1954) for the rescaling orbit; exactlift formalization",
        "exactlift analyze CASE",
    ),
    Example(
        "relu-saddle",
        "a 2-2-2-1 ReLU net at a critical point with non-zero loss (17 samples)",
        "critical, loss > 0; Hessian inertia (1, 7, 7): a strict saddle (a descent direction of second order)",
        "second-order test at a critical point (the loss is smooth off the kinks); exactlift formalization",
        "exactlift analyze CASE",
    ),
    Example(
        "smooth-saddle",
        "the demo's 1-2-1 net, sigma(z) = z/(1+z^2), at a critical point (8 samples)",
        "critical, loss > 0; Hessian inertia (1, 0, 6): a strict saddle",
        "second-order test at a critical point; exactlift formalization",
        "exactlift analyze CASE",
    ),
    Example(
        "vector-output",
        "a 1-1-2 net, sigma(z) = z/(1+z^2), two outputs (5 samples)",
        "a strict local minimum (Hessian positive definite, inertia (0, 0, 6)); G_s != 0, so splitting its "
        "neuron gives a strict saddle at every ratio alpha",
        "exactlift derivation (docs/width.md, W8) extending Fukumizu & Amari 2000 (Neural Networks 13) to vector output",
        "exactlift split-line CASE --neuron 0",
    ),
    Example(
        "fa-split-line",
        "a 1-1-1 net, sigma(z) = z + z^5/5, at a strict local minimum (6 samples)",
        "a strict local minimum whose neuron has M_s positive semidefinite and non-zero: the split point is "
        "a strict saddle for alpha < 0 or alpha > 1, and has n- = 0 for 0 < alpha < 1",
        "Fukumizu & Amari 2000 (Neural Networks 13), the split-line rule (statement W8 of docs/width.md)",
        "exactlift split-line CASE --neuron 0",
    ),
    Example(
        "tanh-minimum",
        "a 1-1-1 tanh net, parameters given to 40 digits (7 samples)",
        "certified: a unique critical point within radius 1e-38 of the file's parameters, a strict local "
        "minimum (inertia (0, 0, 4)) with loss > 0 (Krawczyk test and Hessian inertia in ball arithmetic)",
        "Krawczyk 1969 / Moore interval Newton test; exactlift formalization",
        "exactlift certify CASE",
    ),
    Example(
        "t4-linear",
        "the least-squares line through six points, a 1-1 linear net",
        "a strict global minimum (inertia (0, 0, 2), loss 58/3 > 0); inserting a ReLU layer after the input "
        "with a null neuron makes the lifted critical point a strict saddle (T4)",
        "depth embedding principle, arXiv 2205.13283 (exactlift formalization, T4)",
        "exactlift check-lift CASE --insert 0",
    ),
)


def example_names() -> list[str]:
    """The gallery's names, in listing order.

    >>> "tanh-minimum" in example_names()
    True
    """
    return [e.name for e in EXAMPLES]


def get_example(name: str) -> Example:
    """The entry called ``name`` (:class:`~exactlift.errors.InputError` for an unknown one).

    >>> get_example("t4-linear").command
    'exactlift check-lift CASE --insert 0'
    """
    for e in EXAMPLES:
        if e.name == name:
            return e
    raise InputError(f"no gallery example {name!r}; choose one of {', '.join(example_names())}")


def example_path(name: str) -> Path:
    """The shipped case file of ``name``.

    >>> example_path("relu-minimum").name
    'relu-minimum.json'
    """
    return get_example(name).path


def load_example(name: str) -> Case:
    """The case of ``name``, read from its shipped file.

    >>> load_example("fa-split-line").n_samples
    6
    """
    return load_case(example_path(name))


def builders() -> dict[str, Callable[[], Case]]:
    """How each shipped file is made (from :mod:`exactlift.nn.examples`)."""
    from exactlift.nn import examples as ex

    def tanh_minimum() -> Case:
        from exactlift.certify.critical import certify_critical_point
        from exactlift.nn.network import Params

        start = ex.tanh_start_case()
        res = certify_critical_point(start, digits=40)
        if not res.critical:
            raise InputError(f"tanh-minimum: no certified critical point ({res.reason})")
        return start.with_params(start.arch, Params.from_flat(start.arch, res.center_exact))

    return {
        "relu-minimum": ex.relu_minimum_case,
        "relu-saddle": ex.relu_saddle_case,
        "smooth-saddle": ex.demo_case,
        "vector-output": ex.vector_output_case,
        "fa-split-line": lambda: ex.fa_minimum("psd"),
        "tanh-minimum": tanh_minimum,
        "t4-linear": ex.spec_t4_example,
    }


def build_gallery(directory: str | Path = HERE) -> list[Path]:
    """(Re)write every gallery case file into ``directory``; returns the paths written."""
    out = []
    made = builders()
    for e in EXAMPLES:
        case = made[e.name]()
        case = case.with_params(case.arch, case.params, name=e.name, description=e.description)
        path = Path(directory) / f"{e.name}.json"
        save_case(case, path)
        out.append(path)
    return out
