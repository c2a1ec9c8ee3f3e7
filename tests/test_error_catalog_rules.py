"""Error catalog compile errors in .proto (docs/errors.md): one test per rule, each asserting
the exact message and its position."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import compile_idl
from wsgen.diagnostics import CompileError
from wsgen.ir import model as ir

HEAD = 'syntax = "proto3";\npackage c;\nimport "wsgen/options.proto";\n'
# Line 4 opens the enum, line 6 is the zero value, codes start on line 7.
OPEN = "enum Err {\n  option (wsgen.error_catalog) = {};\n  ERR_UNSPECIFIED = 0;\n"
OK = 'layer: BUSINESS http_status: 404 close_code: 4404 message: "m"'


def _code(name: str, number: int, attrs: str = OK) -> str:
    return f"  {name} = {number} [(wsgen.error) = {{ {attrs} }}];\n"


def _catalog(*lines: str, extra: str = "") -> str:
    return HEAD + OPEN + "".join(lines) + extra + "}\n"


def _errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(CompileError) as info:
        compile_idl(tmp_path, {"c.proto": text})
    return [d.render() for d in info.value.diagnostics]


def _first(tmp_path: Path, text: str) -> str:
    return _errors(tmp_path, text)[0].splitlines()[0]


def test_catalog_lowers_names_without_the_prefix_and_keeps_reserved(tmp_path: Path) -> None:
    text = _catalog(
        _code("ERR_ROOM_NOT_FOUND", 3100),
        _code("ERR_SLOW_DOWN", 3101, OK + " action: RETRY retryable: true grpc_status: 8"),
        extra='  reserved 3102, 3110 to 3119;\n  reserved "ERR_GONE";\n',
    )
    model = compile_idl(tmp_path, {"c.proto": text})
    errors = model.packages[0].errors
    assert errors is not None
    assert errors.full_name == "c.Err"
    assert [c.name for c in errors.codes] == ["ROOM_NOT_FOUND", "SLOW_DOWN"]
    assert errors.reserved_numbers == ((3102, 3102), (3110, 3119))
    assert errors.reserved_names == ("GONE",)
    slow = errors.codes[1]
    assert (slow.action, slow.retryable, slow.grpc_status) == (ir.RecoveryAction.RETRY, True, 8)
    assert errors.codes[0].action is None and errors.codes[0].retryable is None
    assert str(errors.codes[0].span) == "c.proto:7:3"


def test_prefix_follows_the_enum_name_in_upper_snake_case(tmp_path: Path) -> None:
    text = (
        HEAD
        + "enum HTTPChatError {\n  option (wsgen.error_catalog) = {};\n"
        + "  HTTP_CHAT_ERROR_UNSPECIFIED = 0;\n"
        + _code("HTTP_CHAT_ERROR_NOPE", 3100)
        + "}\n"
    )
    errors = compile_idl(tmp_path, {"c.proto": text}).packages[0].errors
    assert errors is not None and errors.codes[0].name == "NOPE"


def test_enum_without_the_option_is_no_catalog(tmp_path: Path) -> None:
    text = HEAD + "enum Err {\n  ERR_UNSPECIFIED = 0;\n  ERR_A = 3100;\n}\n"
    assert compile_idl(tmp_path, {"c.proto": text}).packages[0].errors is None


def test_code_outside_its_layer_range(tmp_path: Path) -> None:
    text = _catalog(_code("ERR_A", 2500))
    assert _first(tmp_path, text) == (
        'c.proto:7:3: error: error code "A" (2500) is outside the range of the business '
        "layer (3000-9999) [WSG601]"
    )


def test_code_in_the_builtin_block(tmp_path: Path) -> None:
    text = _catalog(_code("ERR_A", 3005))
    assert _errors(tmp_path, text) == [
        'c.proto:7:3: error: error code "A" (3005) is in wsgen\'s built-in block 3000-3099 '
        "[WSG602]\nhint: codes of the business layer start at 3100"
    ]


def test_name_of_a_builtin_error(tmp_path: Path) -> None:
    text = _catalog(_code("ERR_MALFORMED_FRAME", 3100))
    assert _first(tmp_path, text) == (
        'c.proto:7:3: error: error code name "MALFORMED_FRAME" is taken by wsgen\'s built-in '
        "error 2000 [WSG602]"
    )


def test_duplicate_numbers_point_at_both(tmp_path: Path) -> None:
    text = (
        HEAD
        + "enum Err {\n  option (wsgen.error_catalog) = {};\n  option allow_alias = true;\n"
        + "  ERR_UNSPECIFIED = 0;\n"
        + _code("ERR_A", 3100)
        + _code("ERR_B", 3100)
        + "}\n"
    )
    assert _errors(tmp_path, text) == [
        'c.proto:9:3: error: duplicate error code number 3100 ("B" and "A") [WSG603]\n'
        "c.proto:8:3: note: first declared here\n"
        "hint: every code needs its own number; pick an unused one"
    ]


def test_reserved_number_and_name_are_rejected_by_protoc(tmp_path: Path) -> None:
    # protoc enforces enum reservations itself; its message comes back as a diagnostic.
    text = _catalog(_code("ERR_A", 3100), extra="  reserved 3100;\n")
    assert _first(tmp_path, text) == (
        'c.proto:8:12: error: enum value "ERR_A" uses reserved number 3100 [WSG100]'
    )
    text = _catalog(_code("ERR_A", 3100), extra='  reserved "ERR_A";\n')
    assert _first(tmp_path / "n", text) == (
        'c.proto:7:3: error: enum value "ERR_A" is reserved [WSG100]'
    )


def test_missing_attributes_one_diagnostic_each(tmp_path: Path) -> None:
    text = _catalog(_code("ERR_A", 3100, 'layer: BUSINESS message: "m"'))
    assert [e.splitlines()[0] for e in _errors(tmp_path, text)] == [
        'c.proto:7:3: error: error code "A" of "c.Err" has no close_code [WSG606]',
        'c.proto:7:3: error: error code "A" of "c.Err" has no http_status [WSG606]',
    ]


def test_code_without_the_error_option(tmp_path: Path) -> None:
    text = _catalog("  ERR_A = 3100;\n")
    assert _first(tmp_path, text) == (
        'c.proto:7:3: error: error code "A" of "c.Err" has no (wsgen.error) option [WSG606]'
    )


def test_unknown_action_is_a_protoc_error_at_the_option(tmp_path: Path) -> None:
    text = _catalog(_code("ERR_A", 3100, OK + " action: RETRI"))
    first = _first(tmp_path, text)
    assert first.startswith("c.proto:7:")
    assert "RETRI" in first and "[WSG100]" in first


def test_value_without_the_prefix(tmp_path: Path) -> None:
    text = _catalog(_code("A", 3100))
    assert _errors(tmp_path, text) == [
        'c.proto:7:3: error: value "A" of error catalog "c.Err" does not start with the prefix '
        '"ERR_" [WSG612]\n'
        'hint: rename it "ERR_A": the wire name is the value name without the prefix'
    ]


def test_name_must_be_upper_snake_case_after_the_prefix(tmp_path: Path) -> None:
    text = _catalog(_code("ERR_404_GONE", 3100))
    assert _first(tmp_path, text) == (
        'c.proto:7:3: error: error code name "404_GONE" does not match ^[A-Z][A-Z0-9_]*$ [WSG608]'
    )


def test_name_too_long_for_a_close_reason(tmp_path: Path) -> None:
    name = "N" * 103
    text = _catalog(_code(f"ERR_{name}", 3100))
    assert _first(tmp_path, text) == (
        f'c.proto:7:3: error: error code name "{name}" is 103 characters long; at most 102 '
        "fit a close reason [WSG608]"
    )


def test_longest_allowed_name_compiles(tmp_path: Path) -> None:
    text = _catalog(_code("ERR_" + "N" * 102, 3100))
    assert compile_idl(tmp_path, {"c.proto": text}).packages[0].errors is not None


@pytest.mark.parametrize(
    ("attrs", "problem"),
    [
        ("action: RETRY retryable: false", "action retry with retryable false"),
        ("action: FATAL retryable: true", "action fatal with retryable true"),
        (
            "action: RETRY close_code: 4500",
            "action retry with close code 4500 (4500-4999 means do not reconnect)",
        ),
        (
            "action: REAUTHENTICATE close_code: 4999",
            "action reauthenticate with close code 4999 (4500-4999 means do not reconnect)",
        ),
        (
            "retryable: true close_code: 4501",
            "retryable true with close code 4501 (4500-4999 means do not reconnect)",
        ),
    ],
)
def test_contradicting_attributes(tmp_path: Path, attrs: str, problem: str) -> None:
    base = 'layer: BUSINESS http_status: 404 message: "m" '
    if "close_code" not in attrs:
        base += "close_code: 4404 "
    text = _catalog(_code("ERR_A", 3100, base + attrs))
    assert _first(tmp_path, text) == (
        f'c.proto:7:3: error: error code "A" contradicts itself: {problem} [WSG609]'
    )


@pytest.mark.parametrize(
    ("close", "why"),
    [
        (1006, "which is never sent (it only reports what a client observed)"),
        (1015, "which is never sent (it only reports what a client observed)"),
        (1004, "which is neither a standard close code nor in 4000-4999"),
        (3000, "which is neither a standard close code nor in 4000-4999"),
        (5000, "which is neither a standard close code nor in 4000-4999"),
    ],
)
def test_close_code_that_cannot_be_sent(tmp_path: Path, close: int, why: str) -> None:
    attrs = f'layer: BUSINESS http_status: 404 close_code: {close} message: "m"'
    text = _catalog(_code("ERR_A", 3100, attrs))
    assert _first(tmp_path, text) == (
        f'c.proto:7:3: error: error code "A" has close code {close}, {why} [WSG610]'
    )


def test_http_and_grpc_status_ranges(tmp_path: Path) -> None:
    attrs = 'layer: BUSINESS http_status: 700 grpc_status: 17 close_code: 4404 message: "m"'
    text = _catalog(_code("ERR_A", 3100, attrs))
    assert [e.splitlines()[0] for e in _errors(tmp_path, text)] == [
        'c.proto:7:3: error: error code "A" has HTTP status 700, not in 100-599 [WSG611]',
        'c.proto:7:3: error: error code "A" has gRPC status 17, not in 0-16 [WSG611]',
    ]


def test_zero_value_cannot_be_a_code(tmp_path: Path) -> None:
    text = (
        HEAD
        + "enum Err {\n  option (wsgen.error_catalog) = {};\n"
        + _code("ERR_UNSPECIFIED", 0)
        + "}\n"
    )
    assert _first(tmp_path, text) == (
        'c.proto:6:3: error: zero value "ERR_UNSPECIFIED" of "c.Err" cannot be an error code '
        "[WSG614]"
    )


def test_error_option_on_a_plain_enum(tmp_path: Path) -> None:
    text = HEAD + "enum Err {\n  ERR_UNSPECIFIED = 0;\n" + _code("ERR_A", 3100) + "}\n"
    assert _first(tmp_path, text) == (
        'c.proto:6:3: error: value "ERR_A" has a (wsgen.error) option but enum "c.Err" is not '
        "an error catalog [WSG614]"
    )


def test_second_catalog_in_a_package_points_at_the_first(tmp_path: Path) -> None:
    other = (
        'syntax = "proto3";\npackage c;\nimport "wsgen/options.proto";\n'
        "enum More {\n  option (wsgen.error_catalog) = {};\n  MORE_UNSPECIFIED = 0;\n}\n"
    )
    with pytest.raises(CompileError) as info:
        compile_idl(tmp_path, {"a.proto": _catalog(_code("ERR_A", 3100)), "b.proto": other})
    assert [d.render() for d in info.value.diagnostics] == [
        'b.proto:4:1: error: package "c" declares a second error catalog "c.More" [WSG613]\n'
        'a.proto:4:1: note: the first is "c.Err"\n'
        "hint: keep every error code of a package in one catalog enum"
    ]


def test_every_problem_of_a_pass_is_reported(tmp_path: Path) -> None:
    text = _catalog(_code("ERR_A", 2500), _code("ERR_B", 3005))
    with pytest.raises(CompileError) as info:
        compile_idl(tmp_path, {"c.proto": text})
    assert [(str(d.span), d.code) for d in info.value.diagnostics] == [
        ("c.proto:7:3", "WSG601"),
        ("c.proto:8:3", "WSG602"),
    ]
