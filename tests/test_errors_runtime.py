"""The runtime's error rules (docs/errors.md): the built-in block, close codes, the decision
table and ``WsError``'s JSON form and cause chain."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wsgen_runtime import close, errors, recovery
from wsgen_runtime.errors import (
    BUILTIN_ERRORS,
    BuiltinError,
    ErrorLayer,
    ErrorSource,
    ErrorTable,
    RecoveryAction,
    WsError,
)

DOCS = Path(__file__).resolve().parents[1] / "docs" / "errors.md"
TABLE = ErrorTable()


def test_builtin_block_is_consistent() -> None:
    numbers = [i.code for i in BUILTIN_ERRORS]
    names = [i.name for i in BUILTIN_ERRORS]
    assert len(set(numbers)) == len(numbers) and len(set(names)) == len(names)
    assert {b.name: int(b) for b in BuiltinError} == dict(zip(names, numbers, strict=True))
    for info in BUILTIN_ERRORS:
        low, high = errors.builtin_block(info.layer)
        assert low <= info.code <= high, info
        assert errors.NAME_PATTERN.fullmatch(info.name) and len(info.name) <= 102
        assert info.builtin and info.retryable is (info.action is RecoveryAction.RETRY)


def test_docs_list_every_builtin_code_as_the_runtime_has_it() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for i in BUILTIN_ERRORS:
        row = (
            f"| {i.code} | `{i.name}` | {i.layer.value} | {i.http_status} | {i.close_code} | "
            f"{i.action.value} |"
        )
        assert row in text, row


def test_every_standard_close_code_maps_to_a_builtin() -> None:
    assert sorted(close.STANDARD_CLOSE_CODES) == list(range(1000, 1016))
    for code in (1004, 1005, 1006, 1015, 999, 1016, 2999, 3000, 3999, 5000):
        assert not close.is_sendable_close_code(code), code
    for code in (1000, 1003, 1007, 1014, 4000, 4499, 4500, 4999):
        assert close.is_sendable_close_code(code), code


def test_close_code_to_send_never_sends_local_only_codes() -> None:
    for info in BUILTIN_ERRORS:
        sent = close.close_code_to_send(info)
        assert sent not in close.NEVER_SENT and close.is_sendable_close_code(sent)
    assert close.close_code_to_send(TABLE.builtin(BuiltinError.CONNECTION_LOST)) == 1011
    assert close.close_code_to_send(TABLE.builtin(BuiltinError.OVERSIZED_FRAME)) == 1009


def test_decision_table_has_one_row_per_action() -> None:
    assert set(recovery.DECISION_TABLE) == set(RecoveryAction)


def test_oversized_frame_reconnects_but_never_resends() -> None:
    """Shared case 31: after 1009 the client reconnects normally and drops the frame."""
    c = close.classify_close(1009, b"", TABLE)
    d = recovery.decide(c.info, close_code=c.close_code)
    assert (c.info.name, d.reconnect, d.resend, d.notify) == ("OVERSIZED_FRAME", True, False, True)


def test_precedence_examples() -> None:
    conn, biz = ErrorLayer.CONNECTION, ErrorLayer.BUSINESS
    assert errors.resolve_action(conn, 4429) is RecoveryAction.RETRY
    assert errors.resolve_action(conn, 4503) is RecoveryAction.FATAL
    assert errors.resolve_action(conn, 4429, retryable=False) is RecoveryAction.FATAL
    assert errors.resolve_action(biz, 4404, retryable=True) is RecoveryAction.RETRY
    assert errors.resolve_action(biz, 4503, retryable=True) is RecoveryAction.NOTIFY
    assert errors.resolve_action(biz, 4503, RecoveryAction.DEGRADE) is RecoveryAction.DEGRADE


def test_ws_error_json_form_has_fixed_keys_and_never_the_cause() -> None:
    info = TABLE.builtin(BuiltinError.HANDLER_FAILED)
    try:
        try:
            raise KeyError("internal secret")
        except KeyError as exc:
            raise WsError(info, re="01A", trace_id="t-1", details={"n": 1}) from exc
    except WsError as err:
        assert list(err.to_json()) == ["code", "name", "message", "re", "details", "traceId"]
        assert "secret" not in repr(err.to_json())
        assert err.describe()["causes"] == ["KeyError: 'internal secret'"]
        assert err.source is ErrorSource.HANDLER
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", err.timestamp)
    bare = WsError(info)
    assert bare.to_json() == {"code": 3000, "name": "HANDLER_FAILED", "message": info.message}


def test_cause_chain_is_walked_nearest_first_and_cycle_safe() -> None:
    info = TABLE.builtin(BuiltinError.SERVER_ERROR)
    root = OSError("socket")
    middle = WsError(info, cause=root)
    top = WsError(info, cause=middle)
    assert list(top.causes()) == [middle, root]
    root.__cause__ = top
    assert list(top.causes()) == [middle, root]


@pytest.mark.parametrize("payload", [None, [], "x", {"code": "1"}, {"code": None, "name": 5}])
def test_from_json_never_raises(payload: object) -> None:
    err = WsError.from_json(payload, TABLE)
    assert err.name == "UNKNOWN_ERROR" and err.source is ErrorSource.PEER


def test_from_json_picks_the_class_of_the_layer() -> None:
    class Proto(WsError):
        layer_class = ErrorLayer.PROTOCOL

    err = WsError.from_json({"code": 2001}, TABLE, classes={ErrorLayer.PROTOCOL: Proto})
    assert type(err) is Proto and err.name == "UNKNOWN_MESSAGE_TYPE"
    assert type(WsError.from_json({"code": 3000}, TABLE, classes={})) is WsError
