"""Error catalogs in schema.json (``x-wsgen-errors``): the same IR as .proto, and one test per
compile error with its exact message and position (line:col of the JSON key)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import compile_idl
from wsgen.diagnostics import CompileError

INPUTS = Path(__file__).parent / "inputs" / "errors"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _schema(errors: Any) -> str:
    # One key per line, so positions are easy to read off: the catalog opens on line 4.
    return json.dumps(
        {"$schema": DIALECT, "x-wsgen-package": "c", "x-wsgen-errors": errors}, indent=1
    )


def _code(**over: Any) -> dict[str, Any]:
    code: dict[str, Any] = {
        "name": "ROOM_NOT_FOUND",
        "code": 3100,
        "layer": "business",
        "httpStatus": 404,
        "closeCode": 4404,
        "message": "m",
    }
    code.update(over)
    return {k: v for k, v in code.items() if v is not None}


def _errors(tmp_path: Path, errors: Any) -> list[str]:
    with pytest.raises(CompileError) as info:
        compile_idl(tmp_path, {"c.schema.json": _schema(errors)})
    return [d.render().splitlines()[0] for d in info.value.diagnostics]


def test_same_catalog_in_proto_and_schema_json_lowers_to_equal_ir(tmp_path: Path) -> None:
    proto = compile_idl(
        tmp_path / "p",
        {
            "chat/v1/errors.proto": (
                Path(__file__).parents[1] / "idl/chat/v1/errors.proto"
            ).read_text()
        },
    )
    schema = compile_idl(
        tmp_path / "s", {"chat/v1.schema.json": (INPUTS / "errors.schema.json").read_text()}
    )
    assert proto.packages[0].errors is not None
    assert proto.packages[0].errors == schema.packages[0].errors
    assert len(proto.packages[0].errors.codes) == 18


def test_codes_keep_their_json_position(tmp_path: Path) -> None:
    model = compile_idl(tmp_path, {"c.schema.json": _schema({"codes": [_code()]})})
    errors = model.packages[0].errors
    assert errors is not None and errors.full_name == "c.ErrorCode"
    span = errors.codes[0].span
    assert span is not None and (str(span), span.pointer) == (
        "c.schema.json:6:4",
        "/x-wsgen-errors/codes/0",
    )


def test_missing_attribute_points_at_the_code(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"codes": [_code(httpStatus=None, closeCode=None)]}) == [
        'c.schema.json:6:4: error: error code "ROOM_NOT_FOUND" has no "closeCode" [WSG606]',
        'c.schema.json:6:4: error: error code "ROOM_NOT_FOUND" has no "httpStatus" [WSG606]',
    ]


def test_unknown_action_points_at_the_key(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"codes": [_code(action="retri")]}) == [
        'c.schema.json:13:5: error: unknown action "retri" of error code "ROOM_NOT_FOUND" [WSG607]'
    ]


def test_unknown_layer(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"codes": [_code(layer="transport")]}) == [
        'c.schema.json:9:5: error: unknown layer "transport" of error code "ROOM_NOT_FOUND" '
        "[WSG607]"
    ]


def test_unknown_key_is_a_typo_not_ignored(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"codes": [_code(closecode=4404)]}) == [
        'c.schema.json:13:5: error: unknown key "closecode" in error code "ROOM_NOT_FOUND" [WSG615]'
    ]


def test_mistyped_attribute(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"codes": [_code(httpStatus="404")]}) == [
        'c.schema.json:10:5: error: "httpStatus" of error code "ROOM_NOT_FOUND" must be an '
        "integer [WSG615]"
    ]


def test_catalog_without_codes(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"name": "Err"}) == [
        'c.schema.json:4:2: error: "x-wsgen-errors" has no "codes" array [WSG606]'
    ]


def test_duplicate_names_point_at_both(tmp_path: Path) -> None:
    with pytest.raises(CompileError) as info:
        compile_idl(
            tmp_path,
            {"c.schema.json": _schema({"codes": [_code(), _code(code=3101)]})},
        )
    assert [d.render() for d in info.value.diagnostics] == [
        'c.schema.json:14:4: error: duplicate error code name "ROOM_NOT_FOUND" [WSG604]\n'
        "c.schema.json:6:4: note: first declared here\n"
        "hint: names travel on the wire and must be unique; rename one of them"
    ]


def test_duplicate_numbers(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"codes": [_code(), _code(name="OTHER")]}) == [
        'c.schema.json:14:4: error: duplicate error code number 3100 ("OTHER" and '
        '"ROOM_NOT_FOUND") [WSG603]'
    ]


def test_reserved_number_and_name_are_never_reused(tmp_path: Path) -> None:
    errors = {
        "codes": [_code()],
        "reservedNumbers": [[3090, 3100]],
        "reservedNames": ["ROOM_NOT_FOUND"],
    }
    assert _errors(tmp_path, errors) == [
        'c.schema.json:6:4: error: error code "ROOM_NOT_FOUND" uses a reserved name [WSG605]',
        'c.schema.json:6:4: error: error code "ROOM_NOT_FOUND" uses reserved number 3100 [WSG605]',
    ]


def test_name_rule_is_the_same_as_in_proto(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"codes": [_code(name="roomNotFound")]}) == [
        'c.schema.json:6:4: error: error code name "roomNotFound" does not match '
        "^[A-Z][A-Z0-9_]*$ [WSG608]"
    ]


def test_range_and_contradiction_rules_apply(tmp_path: Path) -> None:
    codes = [_code(code=1500), _code(name="B", code=3101, action="retry", retryable=False)]
    assert _errors(tmp_path, {"codes": codes}) == [
        'c.schema.json:6:4: error: error code "ROOM_NOT_FOUND" (1500) is outside the range of '
        "the business layer (3000-9999) [WSG601]",
        'c.schema.json:14:4: error: error code "B" contradicts itself: action retry with '
        "retryable false [WSG609]",
    ]


def test_second_catalog_in_a_package(tmp_path: Path) -> None:
    files = {
        "a.schema.json": _schema({"codes": []}),
        "b.schema.json": _schema({"name": "More", "codes": []}),
    }
    with pytest.raises(CompileError) as info:
        compile_idl(tmp_path, files)
    assert [d.render() for d in info.value.diagnostics] == [
        'b.schema.json:4:2: error: package "c" declares a second error catalog "c.More" '
        "[WSG613]\n"
        'a.schema.json:4:2: note: the first is "c.ErrorCode"\n'
        "hint: keep every error code of a package in one x-wsgen-errors section"
    ]
