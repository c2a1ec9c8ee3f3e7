"""The generated decoder checks JSON Schema facets (issue 2: the decoder is the validator):
each keyword with 2020-12 semantics, errors naming the JSON path and the keyword, facets on
list items and map values, values that must write back valid, and case 26's large union."""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.facet_support import source_validator
from tests.pyhelpers import SCHEMA_INPUTS, folder_case, py_case
from tests.schemajson_support import describe, lower
from wsgen.backends.options import BuildOptions
from wsgen.backends.python import render_python
from wsgen.pipeline import discover_inputs, load_model
from wsgen_runtime import codec, facets
from wsgen_runtime.codec import DecodeError

folder_case("sja_shop", SCHEMA_INPUTS / "facets")
SHOP = json.loads((SCHEMA_INPUTS / "facets" / "shop" / "v1.schema.json").read_text())


def _order() -> Any:
    return py_case("sja_shop").cls("shop.v1.Order")


def _probe() -> Any:
    return py_case("facets_more").cls("more.v1.Probe")


def _error(decode: Any, doc: Any) -> str:
    with pytest.raises(DecodeError) as caught:
        decode(doc)
    return str(caught.value)


ITEM = {"sku": "abc", "price": 1.5}
ORDER = {"orderId": "ord_1234", "items": [ITEM]}


def test_a_facet_error_names_the_json_path_and_the_keyword() -> None:
    doc = {**ORDER, "items": [ITEM, ITEM, ITEM, {"sku": "abc", "price": -1}]}
    assert _error(_order().from_dict, doc) == "$.items[3].price: must be ≥ 0 (minimum)"


@pytest.mark.parametrize(
    ("patch", "error"),
    [
        ({"orderId": "ord_12"}, '$.orderId: must match "^ord_[0-9a-z]{4,12}$" (pattern)'),
        ({"items": []}, "$.items: must have at least 1 items (minItems)"),
        ({"items": [ITEM] * 6}, "$.items: must have at most 5 items (maxItems)"),
        ({"tags": ["a", ""]}, "$.tags[1]: must be at least 1 characters long (minLength)"),
        ({"tags": ["123456789"]}, "$.tags[0]: must be at most 8 characters long (maxLength)"),
        ({"tags": ["a", "b", "a"]}, "$.tags: items [0] and [2] are equal (uniqueItems)"),
        ({"note": "x" * 21}, "$.note: must be at most 20 characters long (maxLength)"),
        ({"discount": -0.25}, "$.discount: must be ≥ 0 (minimum)"),
        ({"discount": 1}, "$.discount: must be < 1 (exclusiveMaximum)"),
        ({"discount": 0.3}, "$.discount: must be a multiple of 0.25 (multipleOf)"),
        ({"priority": 0}, "$.priority: must be > 0 (exclusiveMinimum)"),
        ({"priority": 10}, "$.priority: must be ≤ 9 (maximum)"),
        ({"batch": 4}, "$.batch: must be a multiple of 3 (multipleOf)"),
        ({"attributes": {}}, "$.attributes: must have at least 1 properties (minProperties)"),
        (
            {"attributes": {"a": "", "b": "", "c": "", "d": ""}},
            "$.attributes: must have at most 3 properties (maxProperties)",
        ),
        (
            {"attributes": {"odd key": "123456"}},
            '$.attributes["odd key"]: must be at most 5 characters long (maxLength)',
        ),
        ({"scores": {"a": 101}}, "$.scores.a: must be ≤ 100 (maximum)"),
        ({"codes": [1, 2, 1.0]}, "$.codes: items [0] and [2] are equal (uniqueItems)"),
        ({"badge": -1}, "$.badge: must be ≥ 0 (minimum)"),
        ({"badge": "1000"}, "$.badge: must be at most 3 characters long (maxLength)"),
        ({"ratio": 100.5}, "$.ratio: must be ≤ 100 (maximum)"),
        ({"level": 51}, "$.level: must be ≤ 50 (maximum)"),
        ({"currency": "EURO"}, "$.currency: must be at most 3 characters long (maxLength)"),
    ],
)
def test_every_facet_is_checked_like_jsonschema_checks_it(
    patch: dict[str, Any], error: str
) -> None:
    doc = {**ORDER, **patch}
    assert _error(_order().from_dict, doc) == error
    validator = source_validator({**SHOP, "$ref": "#/$defs/Order"})
    assert not validator.is_valid(doc)


def test_valid_values_at_the_bounds_decode() -> None:
    doc = {
        **ORDER,
        "items": [ITEM] * 5,
        "tags": ["a", "12345678"],
        "discount": 0.75,
        "priority": 9,
        "batch": -3 * 2**70,
        "attributes": {"a": "12345", "b": ""},
        "scores": {"x": 0, "y": 100},
        "codes": [1, 2, 3],
        "badge": "999",
        "note": None,
        "ratio": 100,
        "level": 1,
        "currency": "€€€",
    }
    order = _order().from_dict(doc)
    assert order.batch == -3 * 2**70
    assert source_validator({**SHOP, "$ref": "#/$defs/Order"}).is_valid(doc)
    assert _order().from_dict(order.to_dict()) == order


def test_facets_apply_only_to_values_of_their_json_type() -> None:
    """``minimum`` says nothing about a string, ``maxLength`` nothing about a number or null."""
    order = _order().from_dict({**ORDER, "badge": 12345, "note": None})
    assert order.badge == 12345
    assert _order().from_dict({**ORDER, "badge": "abc"}).badge == "abc"


def test_string_length_counts_code_points() -> None:
    """JSON Schema §6.3.1: three code points, whatever their UTF-8 or UTF-16 length."""
    for text in ("abc", "€€€", "😀😀😀", "e\u0301e"):
        assert _order().from_dict({**ORDER, "currency": text}).currency == text
    assert "(minLength)" in _error(_order().from_dict, {**ORDER, "currency": "😀😀"})


def test_a_pattern_is_searched_not_anchored() -> None:
    assert _probe().from_dict({"digit": "ab1c"}).digit == "ab1c"
    assert _error(_probe().from_dict, {"digit": "abc"}) == '$.digit: must match "[0-9]" (pattern)'


def test_unique_items_uses_json_equality() -> None:
    probe = _probe()
    assert probe.from_dict({"anything": [True, 1, "1", None, [1], {"a": 1}]}).anything
    for dup in ([1, 1.0], [{"a": 1, "b": [2]}, {"b": [2.0], "a": 1}], [[None], [None]]):
        assert "(uniqueItems)" in _error(probe.from_dict, {"anything": dup})
    assert probe.from_dict({"anything": [False, 0, 0.5]}).anything == [False, 0, 0.5]


def test_multiple_of_is_exact_for_integers() -> None:
    big = 7 * (2**80 + 1)
    assert _probe().from_dict({"big": big}).big == big
    assert "(multipleOf)" in _error(_probe().from_dict, {"big": big + 1})
    assert _probe().from_dict({"big": 14.0}).big == 14


def test_multiple_of_a_decimal_step_accepts_decimal_multiples() -> None:
    """0.3 is a multiple of 0.1, though 0.3 / 0.1 is 2.9999999999999996 in binary floating
    point — which is why ``jsonschema`` (and ajv) reject it. The decoder accepts everything
    they accept and the decimal multiples besides (docs/python.md, "Facets")."""
    assert _probe().from_dict({"tenth": 0.3}).tenth == 0.3
    assert _probe().from_dict({"tenth": 12.7}).tenth == 12.7
    assert "(multipleOf)" in _error(_probe().from_dict, {"tenth": 0.35})
    assert not Draft202012Validator({"multipleOf": 0.1}).is_valid(0.3)  # the documented gap
    for value, step in ((0.5, 0.25), (1e300, 3), (7, 0.5), (2**60, 0.5)):
        assert facets.is_multiple(value, step)
    assert not facets.is_multiple(1e300 + 0.0, 7)  # exact: 1e300 is not a multiple of 7
    assert not facets.is_multiple(0.1, 0.3)


@pytest.mark.parametrize(
    ("doc", "error"),
    [
        # float32: 0.09999999999 passes, but it holds (and writes) 0.1
        ({"tight": 0.09999999999}, "$.tight: must be < 0.1 (exclusiveMaximum)"),
        # base64 without padding: "AAE" holds two bytes, written back as "AAE="
        ({"blob": "AAE"}, "$.blob: must be at most 3 characters long (maxLength)"),
        # two spellings of one instant are one Timestamp, written back twice the same
        (
            {"stamps": ["2020-01-01T00:00:00Z", "2020-01-01T01:00:00+01:00"]},
            "$.stamps: items [0] and [1] are equal (uniqueItems)",
        ),
    ],
)
def test_a_value_whose_written_form_breaks_a_facet_is_rejected(doc: Any, error: str) -> None:
    """``to_dict`` of a decoded value must decode again, so facets are checked on what the
    value writes back too. ``jsonschema`` accepts these documents: the decoder is stricter
    exactly where reading is lossy (docs/python.md)."""
    assert _error(_probe().from_dict, doc) == error


def test_string_facets_of_int64_apply_to_its_text() -> None:
    assert _probe().from_dict({"serial": "-12345"}).serial == -12345
    assert "(maxLength)" in _error(_probe().from_dict, {"serial": "1234567"})
    assert "expected an integer string" in _error(_probe().from_dict, {"serial": 12})


def test_a_too_long_array_is_refused_before_its_items_are_read() -> None:
    assert _error(_order().from_dict, {**ORDER, "items": [1, 2, 3, 4, 5, 6]}) == (
        "$.items: must have at most 5 items (maxItems)"
    )


def test_encoding_does_not_check_facets() -> None:
    """Only decoding validates (docs/python.md): a value built in Python is written as is."""
    order = _order()(order_id="nope", items=[])
    assert order.to_dict() == {"orderId": "nope", "items": []}
    assert "(pattern)" in _error(_order().from_dict, order.to_dict())


def test_a_field_without_facets_reads_through_the_plain_codec() -> None:
    """No per-value cost for fields without facets: their spec holds the shared codec."""
    spec = _probe().__wsgen__.resolved()
    plain = next(f for f in spec.fields if f.json == "plain")
    assert plain.codec is codec.STRING


def test_patterns_are_compiled_when_the_class_is_first_used_not_per_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    probe = _probe()
    probe.from_dict({"digit": "1"})  # the field table is built
    calls: list[str] = []
    real = re.compile

    def counting(pattern: Any, flags: int = 0) -> Any:
        calls.append(pattern)
        return real(pattern, flags)

    monkeypatch.setattr(facets.re, "compile", counting)
    for i in range(100):
        probe.from_dict({"digit": str(i)})
    assert calls == []


def test_schema_json_numbers_read_only_their_json_schema_form() -> None:
    """An int32 of a schema.json is a JSON number and an int64 a string: the proto3 JSON
    alternatives (``"7"``, ``7``, ``"NaN"``) are errors, as in the source schema."""
    order = _order()
    assert "expected an integer (int32), got a string" in _error(
        order.from_dict, {**ORDER, "level": "7"}
    )
    assert "expected an integer string (int64)" in _error(order.from_dict, {**ORDER, "serial": 7})
    assert "expected a number" in _error(order.from_dict, {**ORDER, "ratio": "NaN"})
    assert order.from_dict({**ORDER, "serial": "-9223372036854775808"}).serial == -(2**63)


# ----------------------------------------------------------------------------- case 26


def _big_schema(n: int) -> dict[str, Any]:
    """The schema of /work/shared/cases/26-large-schema-blowup.md, as its script writes it."""
    defs: dict[str, Any] = {}
    for i in range(n):
        props: dict[str, Any] = {"type": {"const": f"msg_{i}"}}
        for j in range(15):
            k = j % 5
            if k == 0:
                props[f"f{j}"] = {"type": "string", "description": f"field {j} of message {i}"}
            elif k == 1:
                props[f"f{j}"] = {"type": "integer", "minimum": 0}
            elif k == 2:
                props[f"f{j}"] = {"type": ["number", "null"]}
            elif k == 3:
                props[f"f{j}"] = {
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 1,
                    "maxItems": 1000,
                }
            else:
                props[f"f{j}"] = {"enum": ["a", "b", "c", "d"]}
        props["prev"] = {"$ref": f"#/$defs/Msg{(i - 1) % n}"}
        props["peers"] = {
            "type": "array",
            "items": {"$ref": f"#/$defs/Msg{(i * 7) % n}"},
            "minItems": 0,
            "maxItems": 64,
        }
        props["choice"] = {
            "oneOf": [{"$ref": f"#/$defs/Msg{(i + 1) % n}"}, {"type": "string"}, {"type": "null"}]
        }
        props["extra"] = {"type": "object", "additionalProperties": {"type": "integer"}}
        defs[f"Msg{i}"] = {"type": "object", "properties": props, "required": ["type", "f0", "f1"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "BigProtocol",
        "oneOf": [{"$ref": f"#/$defs/Msg{i}"} for i in range(n)],
        "$defs": defs,
    }


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any]]:
    """Case 26's 300-message schema, unchanged, built into an importable package."""
    root = tmp_path_factory.mktemp("case26")
    schema = _big_schema(300)
    idl = root / "idl"
    idl.mkdir()
    (idl / "big.schema.json").write_text(json.dumps(schema, indent=1, sort_keys=True))
    files = render_python(
        load_model(discover_inputs(idl)), BuildOptions(python_package="wsgen_c26")
    )
    for rel, text in files.items():
        target = root / "out" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(root / "out" / "python"))
    try:
        module = importlib.import_module("wsgen_c26.big")
    finally:
        sys.path.remove(str(root / "out" / "python"))
    return module, schema


def test_case_26_the_large_union_decodes_1000_strings_and_refuses_1001(
    big: tuple[Any, dict[str, Any]],
) -> None:
    """Point 5 of the case: the decoder picks ``Msg5`` by its ``type`` (one lookup, not 300
    branches) and checks ``maxItems`` there. Correctness only; the time is in ``make bench``."""
    module, schema = big
    ok = {"type": "msg_5", "f0": "x", "f1": 1, "f3": ["s"] * 1000}
    too_many = {**ok, "f3": ["s"] * 1001}
    message = module.big_protocol_from_dict(ok)
    assert type(message).__name__ == "Msg5"
    assert message.f3 == ["s"] * 1000
    with pytest.raises(DecodeError) as caught:
        module.big_protocol_from_dict(too_many)
    assert str(caught.value) == "$.f3: must have at most 1000 items (maxItems)"
    # jsonschema agrees on the branch the type names (the whole oneOf tries all 300 branches,
    # about 2.4 s a document: that comparison is the benchmark's)
    branch = {k: v for k, v in schema.items() if k != "oneOf"} | {"$ref": "#/$defs/Msg5"}
    assert Draft202012Validator(branch).is_valid(ok)
    assert not Draft202012Validator(branch).is_valid(too_many)


def test_item_and_value_facets_join_the_field_constraints(tmp_path: Path) -> None:
    """schema.json facets on ``items`` / ``additionalProperties`` lower onto the field, where a
    list's or map's value facets mean each item / value (docs/ir.md)."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "x-wsgen-package": "lift.v1",
        "$defs": {
            "M": {
                "type": "object",
                "properties": {
                    "tags": {
                        "type": "array",
                        "items": {"type": "string", "format": "uuid", "pattern": "^a"},
                        "maxItems": 2,
                    },
                    "scores": {
                        "type": "object",
                        "additionalProperties": {"type": "number", "minimum": 0},
                    },
                },
            }
        },
    }
    lines = describe(lower(tmp_path, {"lift/v1.schema.json": schema}))
    assert lines[2:] == [
        "  tags: list<string> implicit [pattern='^a', format='uuid', max_items=2]",
        "  scores: map<string, double> implicit [minimum=0]",
    ]
