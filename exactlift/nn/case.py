"""A *case*: network + parameters + data + loss, and its JSON file format.

A case file is JSON that people write by hand and share::

    {"network": {"widths": [1, 2, 1], "activation": "relu", "bias": true, "loss": "mse",
      "params": {"W": [[["1"], ["-1"]], [["2", "-1"]]], "b": [["1/2", "1/3"], ["1/4"]]},
      "data": {"x": [["-3"], ["1/5"]], "y": [["1"], ["2"]]}}}

* ``widths``: [d, m_1, …, m_{L-1}, d_out].
* ``activation``: a name (``relu``, ``tanh``, ``leaky_relu(1/10)``, ``hard_tanh``,
  ``sigmoid``, ``softplus``, ``identity``, ``sigma``), an expression in ``z``
  (``"z + z**5"``), or a list with one entry per hidden layer.
* ``bias``: true/false or one flag per layer with weights (default true).
* ``loss``: ``mse`` (default), ``cross_entropy``, or an expression in f, y.
* ``params.W[l-1]`` is W^[l] as a list of rows; ``params.b[l-1]`` is b^[l]
  (``null`` for a layer without bias).
* ``data.x``/``data.y``: one row per training point.
* Numbers are strings of exact rationals (``"-1/5"``), integers, or exact
  decimals as strings (``"0.25"``).  JSON floats are refused unless the
  reader is asked to convert them (``floats="decimal"`` or ``"binary"``).
* ``params`` and ``data`` may also stand at the top level, beside
  ``network``; ``name`` and ``description`` are optional.

>>> case = case_from_dict({"network": {"widths": [1, 1], "params": {"W": [[["2"]]], "b": [["0"]]},
...     "data": {"x": [["1"]], "y": [["3"]]}}})
>>> case.arch.describe()
'1-1 net, activation(s) none, biases'
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from exactlift.arith.contexts import Context
from exactlift.errors import InputError, OutputError, check_fields, validated
from exactlift.limits import check as check_limit
from exactlift.limits import limit
from exactlift.schemas import validate_case_document
from exactlift.nn.data import as_fraction_rows
from exactlift.nn.losses import Loss, parse_loss
from exactlift.nn.network import Architecture, Params, check_widths


class _FractionContext(Context):
    """Reads file entries as Fractions (the neutral storage of a case)."""

    name = "file"

    def __init__(self, floats: str) -> None:
        self.floats = floats

    def convert(self, value: Any, where: str = "value") -> Any:
        from exactlift.arith.contexts import parse_rational

        return parse_rational(value, where, self.floats)


@dataclass(frozen=True)
class Case:
    """Network, exact parameters, data and loss: everything a check needs."""

    arch: Architecture
    params: Params
    X: list[list[Fraction]]
    Y: list[list[Fraction]]
    loss: Loss
    name: str = ""
    description: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        check_fields(self)
        if not isinstance(self.params, Params):
            raise InputError(f"Case: params must be Params, got {type(self.params).__name__}")
        for what, rows in (("data.x", self.X), ("data.y", self.Y)):
            if any(not isinstance(row, (list, tuple)) and not hasattr(row, "__array__") for row in rows):
                raise InputError(f"Case: {what} must be a list of rows (lists of numbers)")
        if not len(self.X):
            raise InputError("data.x is empty: a case needs at least one training point")
        if any(len(row) != self.arch.input_dim for row in self.X):
            raise InputError(
                f"data.x rows must have {self.arch.input_dim} entries (widths[0] = {self.arch.input_dim})"
            )
        if len(self.Y) != len(self.X):
            raise InputError(f"data.y has {len(self.Y)} rows but data.x has {len(self.X)}")
        if any(len(row) != self.arch.output_dim for row in self.Y):
            raise InputError(
                f"data.y rows must have {self.arch.output_dim} entries (widths[-1] = {self.arch.output_dim})"
            )

    @property
    def n_samples(self) -> int:
        return len(self.X)

    @property
    def exact_capable(self) -> bool:
        """Whether every activation and the loss have exact rational values (``--arithmetic auto`` picks exact)."""
        return all(a.exact_capable for a in self.arch.activations) and self.loss.exact_capable

    @property
    def auto_arithmetic(self) -> str:
        """What ``auto`` means for a claim about this case: ``exact`` when it has exact values, else ``certified``.

        The one rule of the CLI's ``--arithmetic auto`` and of the API's claim functions
        (``check_lift(case, lift, "auto")``).
        """
        return "exact" if self.exact_capable else "certified"

    def with_params(self, arch: Architecture, params: Params, **changes: Any) -> "Case":
        """The same data and loss with a new network (e.g. after a lift)."""
        return replace(self, arch=arch, params=params, **changes)

    def arrays(self, ctx: Context):
        """(X, Y) as object arrays in the context ``ctx``."""
        return ctx.array(self.X, "data.x"), ctx.array(self.Y, "data.y")

    def to_dict(self) -> dict:
        """The JSON layout of the file format (exact strings everywhere)."""
        acts = self.arch.activation_specs()
        network: dict[str, Any] = {
            "widths": list(self.arch.widths),
            "activation": acts[0] if len(set(acts)) == 1 else acts,
            "bias": self.arch.biases[0] if len(set(self.arch.biases)) == 1 else list(self.arch.biases),
            "loss": self.loss.spec,
            "params": self.params.to_lists(),
            "data": {"x": [[str(v) for v in r] for r in self.X], "y": [[str(v) for v in r] for r in self.Y]},
        }
        if not acts:
            network.pop("activation")
        out: dict[str, Any] = {}
        if self.name:
            out["name"] = self.name
        if self.description:
            out["description"] = self.description
        out["network"] = network
        out.update(self.extra)
        return out


_NETWORK_KEYS = {"widths", "activation", "bias", "loss", "params", "data"}


@validated
def case_from_dict(doc: Any, floats: str = "refuse") -> Case:
    """Build a :class:`Case` from the parsed JSON of a case file (see the module docstring)."""
    if not isinstance(doc, dict):
        raise InputError("a case file must contain a JSON object")
    net = doc.get("network")
    if not isinstance(net, dict):
        raise InputError("a case file needs a \"network\" object")
    unknown = set(net) - _NETWORK_KEYS
    if unknown:
        raise InputError(f"network: unknown field(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(_NETWORK_KEYS))})")
    validate_case_document(doc)
    widths = net.get("widths")
    if not isinstance(widths, list) or len(widths) < 2 or not all(isinstance(w, int) and not isinstance(w, bool) for w in widths):
        raise InputError(f"network.widths must be a list of at least two positive integers, got {widths!r}")
    check_limit("max_parameters", _parameter_count(widths), "the network")
    activation = net.get("activation", "relu" if len(widths) > 2 else [])
    bias = net.get("bias", True)
    if not isinstance(bias, (bool, list)):
        raise InputError(f"network.bias must be true, false or a list of booleans, got {bias!r}")
    arch = Architecture.build(widths, activation if activation != [] else [], bias)
    loss = parse_loss(net.get("loss", "mse"), arch.output_dim)
    params_doc = net.get("params", doc.get("params"))
    data_doc = net.get("data", doc.get("data"))
    if not isinstance(params_doc, dict):
        raise InputError("the case needs \"params\": {\"W\": [...], \"b\": [...]}")
    if not isinstance(data_doc, dict) or "x" not in data_doc or "y" not in data_doc:
        raise InputError("the case needs \"data\": {\"x\": [...], \"y\": [...]}")
    reader = _FractionContext(floats)
    if "W" not in params_doc:
        raise InputError("params.W is missing")
    b = params_doc.get("b")
    if b is None and any(arch.biases):
        raise InputError("params.b is missing (set \"bias\": false for a network without biases)")
    params = Params.from_lists(arch, params_doc["W"], b, reader)
    X = as_fraction_rows(data_doc["x"], "data.x", floats)
    Y = as_fraction_rows(data_doc["y"], "data.y", floats)
    extra = {k: v for k, v in doc.items() if k not in ("network", "name", "description", "params", "data")}
    return Case(arch, params, X, Y, loss, str(doc.get("name", "")), str(doc.get("description", "")), extra)


def _parameter_count(widths: list[int]) -> int:
    return sum((a + 1) * b for a, b in zip(widths, widths[1:]))


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise InputError(f"duplicate key {key[:40]!r} in a JSON object (each field may appear once)")
        out[key] = value
    return out


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise InputError(f"the JSON number {text[:40]} is out of range (write it as an exact string such as \"1/3\")")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > limit("max_number_digits"):
        check_limit("max_number_digits", len(text.lstrip("-")), "a JSON integer", "digits")
    return int(text)


def _no_constant(text: str) -> Any:
    raise InputError(f"{text} is not a number of the case format (numbers are exact rationals)")


def parse_json(text: str | bytes) -> Any:
    """Parse JSON strictly: duplicate keys, NaN/Infinity and out-of-range numbers are refused.

    >>> parse_json('{"a": 1, "a": 2}')
    Traceback (most recent call last):
    ...
    exactlift.errors.InputError: duplicate key 'a' in a JSON object (each field may appear once)
    """
    try:
        return json.loads(
            text,
            object_pairs_hook=_refuse_duplicates,
            parse_float=_finite_float,
            parse_int=_bounded_int,
            parse_constant=_no_constant,
        )
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid JSON text (the bytes are not UTF-8, UTF-16 or UTF-32: {exc.reason})") from None
    except RecursionError:
        raise InputError("not valid JSON for a case (nested too deeply)") from None


@validated
def load_case(path: str | Path, floats: str = "refuse") -> Case:
    """Read a case file; every problem is an :class:`InputError` naming the file and field.

    The file is read strictly: at most ``max_case_bytes`` bytes (:mod:`exactlift.limits`),
    no duplicate keys, every field of the type the schema
    ``exactlift/schemas/case.schema.json`` gives it.
    """
    path = Path(path)
    bound = limit("max_case_bytes")
    try:
        with path.open("rb") as handle:
            data = handle.read(bound + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a case file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        check_limit("max_case_bytes", len(data), "the file", "bytes or more" if len(data) > bound else "bytes")
        doc = parse_json(data)
        return case_from_dict(doc, floats)
    except InputError as exc:
        raise type(exc)(f"{path}: {exc}") from None
    except RecursionError:
        raise InputError(f"{path}: the case is nested too deeply") from None


@validated
def save_case(case: Case, path: str | Path) -> None:
    """Write a case file (exact strings; readable by :func:`load_case`)."""
    try:
        text = json.dumps(case.to_dict(), indent=1) + "\n"
    except ValueError as exc:  # Python's int/str limit (4300 digits) on a number of the case
        raise InputError(f"{path}: cannot write the case: {exc}") from None
    parse_json(text)  # what is written must read back (e.g. no number beyond the limits)
    try:
        Path(path).write_text(text)
    except OSError as exc:  # a missing folder, a directory, a full disk: one error naming the file
        raise OutputError(f"{str(path) or repr(path)}: {exc.strerror or exc}") from None


def _check_param_shapes(arch: Architecture, params: Params) -> None:
    """Refuse parameters whose shapes do not fit the architecture (so that save_case writes a readable file)."""
    if len(params.W) != arch.n_layers or len(params.b) != arch.n_layers:
        raise InputError(f"params have {len(params.W)} layer(s) but the network has {arch.n_layers}")
    for l in range(1, arch.n_layers + 1):
        shape = (arch.widths[l], arch.widths[l - 1])
        if getattr(params.W[l - 1], "shape", None) != shape:
            raise InputError(f"params.W[{l}] must have shape {shape}, got {getattr(params.W[l - 1], 'shape', None)}")
        b = params.b[l - 1]
        if arch.biases[l - 1] and getattr(b, "shape", None) != (arch.widths[l],):
            raise InputError(f"params.b[{l}] must have shape ({arch.widths[l]},), got {getattr(b, 'shape', None)}")
        if not arch.biases[l - 1] and b is not None:
            raise InputError(f"params.b[{l}] is given but layer {l} has no bias")


@validated
def make_case(
    widths: list[int],
    activation: Any,
    params: Params,
    X: list[list[Any]],
    Y: list[list[Any]],
    loss: str = "mse",
    bias: Any = True,
    name: str = "",
) -> Case:
    """Build a case in Python (entries converted to exact Fractions; shapes checked against ``widths``).

    >>> from exactlift.nn.network import Architecture, Params
    >>> p = Params.from_flat(Architecture.build([1, 3, 1], "relu"), list(range(1, 11)))
    >>> make_case([1, 2, 1], "relu", p, [[1]], [[2]])
    Traceback (most recent call last):
    ...
    exactlift.errors.InputError: params.W[1] must have shape (2, 1), got (3, 1)
    """
    widths = list(check_widths(widths))
    check_limit("max_parameters", _parameter_count(widths), "the network")
    arch = Architecture.build(widths, activation, bias)
    if not isinstance(params, Params):
        raise InputError(f"params must be a Params object, got {type(params).__name__}")
    _check_param_shapes(arch, params)
    reader = _FractionContext("refuse")
    params = params.convert(reader)
    return Case(
        arch, params, as_fraction_rows(X, "data.x"), as_fraction_rows(Y, "data.y"), parse_loss(loss, arch.output_dim), name
    )
