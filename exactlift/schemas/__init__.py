"""JSON Schemas of exactlift's file formats, shipped with the package.

``case.schema.json`` describes a case file (docs/case-files.md); editors and other tools can
validate files with it, and :func:`exactlift.nn.case.load_case` validates every file against it
before reading a number.  A violation is one :class:`~exactlift.errors.InputError` naming the
field by its path in the document and what was expected.

>>> validate_case_document({"network": {"widths": [1, 1], "bias": ["false"]}})
Traceback (most recent call last):
...
exactlift.errors.InputError: network.bias[0]: expected true/false, got the string 'false'
"""

from __future__ import annotations

import functools
import json
import numbers
from importlib import resources
from typing import Any

from exactlift.errors import InputError

__all__ = ["case_schema", "validate_case_document", "CASE_SCHEMA_FILE"]

#: The file name of the case schema inside this package.
CASE_SCHEMA_FILE = "case.schema.json"

_JSON_TYPES = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true/false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


def case_schema() -> dict:
    """The case-file JSON Schema (a fresh copy of ``exactlift/schemas/case.schema.json``)."""
    return json.loads(_schema_text())


@functools.lru_cache(maxsize=1)
def _schema_text() -> str:
    return resources.files(__name__).joinpath(CASE_SCHEMA_FILE).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    base = jsonschema.Draft202012Validator
    # Python callers may pass Fractions and other exact numbers; JSON files give int/float only.
    # A JSON "integer" is an int here (2.0 is a float: refused as a width, as the reader would).
    checker = base.TYPE_CHECKER.redefine_many({
        "number": lambda _checker, x: isinstance(x, numbers.Number) and not isinstance(x, bool),
        "integer": lambda _checker, x: isinstance(x, numbers.Integral) and not isinstance(x, bool),
    })
    cls = jsonschema.validators.extend(base, type_checker=checker)
    return cls(json.loads(_schema_text()))


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 30 else value[:27] + "..."
        return f"the string {text!r}"
    if isinstance(value, numbers.Number):
        text = str(value)
        return f"the number {text if len(text) <= 30 else text[:27] + '...'}"
    if isinstance(value, list):
        if value and all(not isinstance(v, (list, dict)) for v in value):
            bad = next((v for v in value if not isinstance(v, bool)), value[0])
            return f"a list containing {_kind(bad)}"
        return f"a list of {len(value)} entries"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _path(parts: Any) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "the document"


def _expected(schema: dict) -> str:
    if "oneOf" in schema or "anyOf" in schema:
        options = [_expected(s) for s in schema.get("oneOf", schema.get("anyOf", []))]
        return " or ".join(options)
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _expected(case_schema()["$defs"][name])
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind else []
    text = "/".join(_JSON_TYPES.get(k, k) for k in kinds) or "a valid value"
    if kinds == ["array"] and isinstance(schema.get("items"), dict):
        text = f"a list with each entry {_expected(schema['items'])}"
    if kinds == ["string", "number"]:
        text = "a number (an exact rational string such as '-1/5', or an integer)"
    return text


def validate_case_document(doc: Any) -> None:
    """Refuse a parsed case file that violates the schema, naming the field and what was expected."""
    validator = _validator()
    try:
        error = min(validator.iter_errors(doc), key=lambda e: -len(e.absolute_path), default=None)
    except RecursionError:
        raise InputError("the case is nested too deeply") from None
    if error is None:
        return
    while error.validator in ("oneOf", "anyOf") and error.context:
        deeper = max(error.context, key=lambda e: len(e.absolute_path))
        if len(deeper.absolute_path) <= len(error.absolute_path):
            break
        error = deeper  # e.g. the one entry of a list that has the wrong type
    where = _path(error.absolute_path)
    if error.validator in ("type", "oneOf", "anyOf"):
        raise InputError(f"{where}: expected {_expected(error.schema)}, got {_kind(error.instance)}")
    if error.validator == "required":
        raise InputError(f"{where}: {error.message.split(' is a required')[0]} is missing")
    if error.validator == "additionalProperties":
        raise InputError(f"{where}: {error.message[:200]}")
    wanted = {"minItems": f"at least {error.validator_value} entries", "minimum": f"at least {error.validator_value}",
              "minLength": "a non-empty string"}
    if error.validator in wanted:
        got = _kind(error.instance)
        if isinstance(error.instance, list):
            got = f"a list of {len(error.instance)} entr{'y' if len(error.instance) == 1 else 'ies'}"
        raise InputError(f"{where}: expected {wanted[error.validator]}, got {got}")
    raise InputError(f"{where}: {error.message[:200]}")
