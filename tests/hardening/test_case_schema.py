"""Case files read strictly (issue 11, item 2): the shipped schema, duplicate keys, strict types."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from exactlift.cli import main
from exactlift.errors import InputError
from exactlift.nn.case import case_from_dict, load_case
from exactlift.schemas import case_schema

BASE = {"network": {"widths": [1, 2, 1], "activation": "relu", "bias": True, "loss": "mse",
                    "params": {"W": [[["1"], ["-1"]], [["2", "-1"]]], "b": [["1/2", "1/3"], ["1/4"]]},
                    "data": {"x": [["-3"], ["1/5"]], "y": [["1"], ["2"]]}}}


def _with(key, value):
    doc = json.loads(json.dumps(BASE))
    doc["network"][key] = value
    return doc


def test_schema_is_package_data_and_a_valid_schema():
    text = resources.files("exactlift.schemas").joinpath("case.schema.json").read_text()
    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema == case_schema()
    jsonschema.validate(BASE, schema)  # the schema accepts the documented example


def test_docs_link_the_schema():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "case-files.md").read_text()
    assert "exactlift/schemas/case.schema.json" in doc


@pytest.mark.parametrize("key,value,path,expected", [
    ("bias", ["false", "false"], "network.bias[0]", "true/false"),
    ("bias", [True, "false"], "network.bias[1]", "got the string 'false'"),
    ("activation", ["relu", 3], "network.activation[1]", "got the number 3"),
    ("bias", "true", "network.bias", "true/false"),
    ("activation", {"relu": 1}, "network.activation", "a string"),
    ("activation", None, "network.activation", "a string"),
    ("activation", 3, "network.activation", "a string"),
    ("widths", [1, "2", 1], "network.widths[1]", "an integer"),
    ("widths", [1, True, 1], "network.widths[1]", "an integer"),
    ("loss", ["mse"], "network.loss", "a string"),
    ("params", {"W": [[[True], ["-1"]], [["2", "-1"]]], "b": [["1/2", "1/3"], ["1/4"]]}, "network.params.W[0][0][0]", "a number"),
    ("data", {"x": [["-3"], [None]], "y": [["1"], ["2"]]}, "network.data.x[1][0]", "a number"),
])
def test_wrong_types_refused_naming_the_field(key, value, path, expected, tmp_path, capsys):
    doc = _with(key, value)
    with pytest.raises(InputError) as info:
        case_from_dict(doc)
    message = str(info.value)
    assert message.startswith(path + ":") and expected in message, message
    # independent check: the schema itself (jsonschema directly) refuses the document too
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, case_schema())
    file = tmp_path / "c.json"
    file.write_text(json.dumps(doc))
    assert main(["analyze", str(file)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and path in err


def test_float_width_refused():
    # JSON Schema counts 2.0 as an integer; exactlift's reader does not (a width is an int).
    with pytest.raises(InputError, match=r"network.widths\[1\]: expected an integer, got the number 2.0"):
        case_from_dict(_with("widths", [1, 2.0, 1]))


def test_bias_false_strings_not_read_as_true():
    with pytest.raises(InputError, match="network.bias"):
        case_from_dict(_with("bias", ["false", "false"]))


@pytest.mark.parametrize("text,needle", [
    ('{"network": {"widths": [1, 1], "widths": [1, 2]}}', "duplicate key 'widths'"),
    ('{"network": {"widths": [1, 1]}, "network": {}}', "duplicate key 'network'"),
    ('{"network": {"widths": [1, 1], "params": {"W": [[[NaN]]]}}}', "NaN"),
    ('{"network": {"widths": [1, 1], "params": {"W": [[[Infinity]]]}}}', "Infinity"),
    ('{"network": {"widths": [1, 1], "params": {"W": [[[1e999]]]}}}', "out of range"),
    ('{"network": {"widths": [1, 1], "params": {"W": [[[' + "7" * 5000 + ']]]}}}', "max_number_digits"),
    ('[' * 100000, "nested too deeply"),
])
def test_strict_json(tmp_path, text, needle):
    path = tmp_path / "c.json"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_case(path)
    assert needle in str(info.value) and str(info.value).startswith(str(path)), str(info.value)


@pytest.mark.parametrize("data,needle", [
    (b"\xff\xfe\x00\xd8", "not valid JSON"),
    (b"\xc3\x28", "not valid JSON"),
])
def test_bad_encodings(tmp_path, data, needle):
    path = tmp_path / "c.json"
    path.write_bytes(data)
    with pytest.raises(InputError, match=needle):
        load_case(path)


def test_utf16_file_is_read(tmp_path):
    path = tmp_path / "c.json"
    path.write_bytes(json.dumps(BASE).encode("utf-16"))
    assert load_case(path).arch.widths == (1, 2, 1)


def test_directory_and_large_file(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        load_case(tmp_path)
    from exactlift.limits import raised

    path = tmp_path / "c.json"
    path.write_text(json.dumps(BASE))
    with raised(max_case_bytes=50):
        with pytest.raises(InputError, match="max_case_bytes"):
            load_case(path)
    assert load_case(path).arch.n_params == 7


def test_parameter_limit():
    from exactlift.limits import raised

    doc = _with("widths", [1, 1000, 1000, 1])
    with pytest.raises(InputError, match="max_parameters"):
        case_from_dict(doc)
    with raised(max_parameters=5):
        with pytest.raises(InputError, match="the network has 7 parameters"):
            case_from_dict(BASE)
