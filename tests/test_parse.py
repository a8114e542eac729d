"""Unit tests: reply parsing (labels, JSON, json_schema), the re-ask correction, schema -> Arrow types."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from conftest import make_job

from batchrunner.errors import SpecError
from batchrunner.parse import ParseFailure, ReplyParser, normalize
from batchrunner.schema import arrow_type, make_validator, request_format, to_arrow_value
from batchrunner.spec import ParseSpec, load_spec

LABELS = ("positive", "negative", "neutral")


def labels_parser(*labels: str) -> ReplyParser:
    return ReplyParser(ParseSpec(labels=labels or LABELS))


# ------------------------------------------------------------------ labels


@pytest.mark.parametrize(("reply", "expected"), [
    ("positive", "positive"),
    ("Positive", "positive"),
    ("  POSITIVE  ", "positive"),
    (" Positive!! ", "positive"),
    ("positive.", "positive"),
    ("\nnegative\n", "negative"),
    ("'neutral'", "neutral"),
    ('"Negative"', "negative"),
    ("**neutral**", "neutral"),
    ("Label: negative.", "negative"),
    ("The answer is positive.", "positive"),
    ("I would say this review is negative", "negative"),
    ('{"label": "neutral"}', "neutral"),
    ('{"sentiment": "Positive"}', "positive"),
])
def test_label_normalisation(reply: str, expected: str) -> None:
    assert labels_parser().parse(reply, "stop") == expected


@pytest.mark.parametrize(("reply", "why"), [
    ("maybe", "is not one of the labels"),
    ("", "is not one of the labels"),
    ("positives", "is not one of the labels"),  # whole words only
    ("positive or negative", "names several labels"),
    ('{"label": "great"}', "is not one of the labels"),
])
def test_label_rejected(reply: str, why: str) -> None:
    with pytest.raises(ParseFailure) as info:
        labels_parser().parse(reply, "stop")
    assert info.value.kind == "invalid_label"
    assert why in info.value.message
    assert "positive, negative, neutral" in info.value.message


def test_label_keeps_spelling_of_spec() -> None:
    parser = labels_parser("Billing", "Login issue", "e-mail")
    assert parser.parse("billing", "stop") == "Billing"
    assert parser.parse("LOGIN ISSUE", "stop") == "Login issue"
    assert parser.parse("Category: login issue.", "stop") == "Login issue"
    assert parser.parse("email", "stop") == "e-mail"
    assert normalize(" E-Mail! ") == "email"


def test_longer_label_wins_over_the_label_it_contains() -> None:
    parser = labels_parser("positive", "very positive", "negative")
    assert parser.parse("It is very positive.", "stop") == "very positive"
    assert parser.parse("It is positive.", "stop") == "positive"
    with pytest.raises(ParseFailure):
        parser.parse("very positive, not negative", "stop")


def test_abstain_is_an_allowed_label(tmp_path: Path) -> None:
    job = make_job(tmp_path, None, spec={"parse": {"labels": list(LABELS), "abstain": "unknown"}})
    spec = load_spec(job.spec).parse
    assert spec.labels == (*LABELS, "unknown")
    parser = ReplyParser(spec)
    assert parser.parse("Unknown.", "stop") == "unknown"
    assert parser.correction(ParseFailure("invalid_label", "x")).endswith(
        "one of: positive, negative, neutral, unknown.")


def test_truncated_and_filtered_replies() -> None:
    parser = labels_parser()
    with pytest.raises(ParseFailure) as info:
        parser.parse("positive", "length")
    assert info.value.kind == "truncated"
    with pytest.raises(ParseFailure) as info:
        parser.parse("", "content_filter")
    assert info.value.kind == "content_filter"
    text = ReplyParser(ParseSpec())
    assert text.parse("a summary cut of", "length") == "a summary cut of"
    with pytest.raises(ParseFailure):
        text.parse("", "content_filter")
    with pytest.raises(ParseFailure) as info:
        ReplyParser(ParseSpec(json=True)).parse('{"a": 1', "length")
    assert info.value.kind == "truncated"


def test_label_correction_names_the_allowed_labels() -> None:
    parser = labels_parser()
    with pytest.raises(ParseFailure) as info:
        parser.parse("maybe", "stop")
    text = parser.correction(info.value)
    assert "'maybe'" in text
    assert text.endswith("Answer with exactly one of: positive, negative, neutral.")


# ------------------------------------------------------------------ JSON


@pytest.mark.parametrize(("reply", "expected"), [
    ('{"a": 1}', {"a": 1}),
    ('  {"a": [1, 2]}\n', {"a": [1, 2]}),
    ('```json\n{"a": 1}\n```', {"a": 1}),
    ('```\n{"a": 1}\n```', {"a": 1}),
    ('```JSON {"a": 1}```', {"a": 1}),
    ('Here is the result:\n```json\n{"a": {"b": null}}\n```\nHope it helps.', {"a": {"b": None}}),
    ('Sure! {"a": "x"} as requested', {"a": "x"}),
    ("[1, 2]", [1, 2]),
])
def test_json_replies(reply: str, expected: Any) -> None:
    assert ReplyParser(ParseSpec(json=True)).parse(reply, "stop") == expected


@pytest.mark.parametrize("reply", ['{"a": 1', "not json", "", "```json\n{oops}\n```", "{'a': 1}"])
def test_broken_json_is_invalid_json(reply: str) -> None:
    with pytest.raises(ParseFailure) as info:
        ReplyParser(ParseSpec(json=True)).parse(reply, "stop")
    assert info.value.kind == "invalid_json"
    assert "not valid JSON" in info.value.message


SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "age", "score", "active", "tags", "address", "status", "nickname"],
    "properties": {
        "name": {"type": "string"},
        "age": {"type": "integer"},
        "score": {"type": "number"},
        "active": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "address": {"type": "object", "required": ["city"], "properties": {
            "city": {"type": "string"}, "zip": {"type": ["string", "null"]},
            "geo": {"type": "array", "items": {"type": "number"}}}},
        "status": {"type": "string", "enum": ["new", "open", "closed"]},
        "nickname": {"type": ["string", "null"]},
    },
}
GOOD = {"name": "Ann", "age": 41, "score": 0.5, "active": True, "tags": ["a", "b"],
        "address": {"city": "Oslo", "zip": None, "geo": [59.9, 10.7]}, "status": "open", "nickname": None}


def schema_parser(schema: dict[str, Any] = SCHEMA) -> ReplyParser:
    return ReplyParser(ParseSpec(json_schema=schema))


def test_schema_valid_reply() -> None:
    import orjson

    assert schema_parser().parse(orjson.dumps(GOOD).decode(), "stop") == GOOD


@pytest.mark.parametrize(("change", "problem"), [
    ({"age": "41"}, "age: '41' is not of type 'integer'"),
    ({"age": 4.5}, "age: 4.5 is not of type 'integer'"),
    ({"status": "pending"}, "status: 'pending' is not one of ['new', 'open', 'closed']"),
    ({"tags": "a"}, "tags: 'a' is not of type 'array'"),
    ({"address": {"zip": "1"}}, "address: 'city' is a required property"),
    ({"extra": 1}, "(root): Additional properties are not allowed ('extra' was unexpected)"),
    ({"active": "yes"}, "active: 'yes' is not of type 'boolean'"),
])
def test_schema_violation_is_invalid_json(change: dict[str, Any], problem: str) -> None:
    import orjson

    reply = {**GOOD, **change}
    with pytest.raises(ParseFailure) as info:
        schema_parser().parse(orjson.dumps(reply).decode(), "stop")
    assert info.value.kind == "invalid_json"
    assert info.value.message == f"reply does not match the schema: {problem}"
    correction = schema_parser().correction(info.value)
    assert "JSON object that fits the schema" in correction


def test_schema_missing_field_names_it() -> None:
    reply = {k: v for k, v in GOOD.items() if k != "age"}
    import orjson

    with pytest.raises(ParseFailure) as info:
        schema_parser().parse(orjson.dumps(reply).decode(), "stop")
    assert "'age' is a required property" in info.value.message


def test_bad_schema_is_a_spec_error() -> None:
    with pytest.raises(SpecError, match="parse.json_schema.*not a valid JSON schema"):
        make_validator({"type": "object", "properties": {"a": {"type": "strng"}}})


def test_request_format() -> None:
    assert request_format(SCHEMA) == {
        "type": "json_schema", "json_schema": {"name": "row", "schema": SCHEMA, "strict": True}}


# ------------------------------------------------------------------ schema -> Arrow


@pytest.mark.parametrize(("node", "expected"), [
    ({"type": "string"}, pa.string()),
    ({"type": "number"}, pa.float64()),
    ({"type": "integer"}, pa.int64()),
    ({"type": "boolean"}, pa.bool_()),
    ({"type": "array", "items": {"type": "integer"}}, pa.list_(pa.int64())),
    ({"type": "array", "items": {"type": "array", "items": {"type": "boolean"}}}, pa.list_(pa.list_(pa.bool_()))),
    ({"type": "array"}, pa.list_(pa.string())),
    ({"type": "string", "enum": ["a", "b"]}, pa.string()),
    ({"enum": ["a", "b", None]}, pa.string()),
    ({"enum": [1, 2, 3]}, pa.int64()),
    ({"enum": [1, 2.5]}, pa.float64()),
    ({"const": True}, pa.bool_()),
    ({"type": ["integer", "null"]}, pa.int64()),
    ({"anyOf": [{"type": "number"}, {"type": "null"}]}, pa.float64()),
    ({"type": ["integer", "string"]}, pa.string()),  # a real union: JSON text
    ({"type": "object"}, pa.string()),  # free-form object: JSON text
    ({}, pa.string()),
    ({"type": "object", "properties": {"a": {"type": "integer"},
                                       "b": {"type": "object", "properties": {"c": {"type": ["boolean", "null"]}}}}},
     pa.struct([("a", pa.int64()), ("b", pa.struct([("c", pa.bool_())]))])),
])
def test_arrow_types(node: dict[str, Any], expected: pa.DataType) -> None:
    assert arrow_type(node) == expected


def test_arrow_type_of_full_schema() -> None:
    assert arrow_type(SCHEMA) == pa.struct([
        ("name", pa.string()), ("age", pa.int64()), ("score", pa.float64()), ("active", pa.bool_()),
        ("tags", pa.list_(pa.string())),
        ("address", pa.struct([("city", pa.string()), ("zip", pa.string()), ("geo", pa.list_(pa.float64()))])),
        ("status", pa.string()), ("nickname", pa.string()),
    ])


def test_arrow_type_follows_refs_and_stops_at_recursion() -> None:
    schema = {
        "type": "object",
        "$defs": {"Node": {"type": "object", "properties": {
            "v": {"type": "integer"}, "kids": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}},
        "properties": {"root": {"$ref": "#/$defs/Node"},
                       "maybe": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]}},
    }
    node = pa.struct([("v", pa.int64()), ("kids", pa.list_(pa.string()))])
    assert arrow_type(schema) == pa.struct([("root", node), ("maybe", node)])


def test_values_shaped_to_the_type_round_trip_through_arrow() -> None:
    typ = arrow_type(SCHEMA)
    value = to_arrow_value(GOOD, typ)
    assert value == GOOD
    assert pa.array([value, None], type=typ).to_pylist() == [GOOD, None]


@pytest.mark.parametrize(("value", "typ", "expected"), [
    (3, pa.float64(), 3.0),
    (3.0, pa.int64(), 3),  # a valid JSON-schema integer
    (2**70, pa.int64(), None),  # cannot be stored in int64
    (True, pa.int64(), None),
    ({"a": 1}, pa.string(), '{"a":1}'),
    (5, pa.string(), "5"),
    ("x", pa.struct([("a", pa.int64())]), None),
    ({"b": 1}, pa.struct([("a", pa.int64())]), {"a": None}),
])
def test_to_arrow_value(value: Any, typ: pa.DataType, expected: Any) -> None:
    shaped = to_arrow_value(value, typ)
    assert shaped == expected
    pa.array([shaped], type=typ)  # storable
