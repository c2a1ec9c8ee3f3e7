"""The shared cases on schema.json inputs, through generated Python (cases 14, 19, 21, 22, 24):
enum values that are not identifiers, ``$ref`` cycles through unions, discriminator consts,
nullable vs required."""

from __future__ import annotations

import json
import subprocess
import sys
import typing
from typing import Any

import pytest

from tests.pyhelpers import ROOT, py_case, py_tree
from wsgen_runtime.codec import DecodeError

# ----------------------------------------------------------------------------- 14


def test_schema_descriptions_with_comment_terminators_stay_text() -> None:
    case = py_case("s14")
    (package,) = case.names.modules
    source = case.source(package)
    assert "Ends a comment */ and keeps going" in source
    assert "*/ export const pwned = 1; /*" in source
    case.module(package)  # imports


# ----------------------------------------------------------------------------- 19

AUDIT_VALUES = [
    "order.placed",
    "auth/verified",
    "3ds-required",
    "item*removed",
    "a b",
    "a-b",
    "a_b",
    "",
    "mro",
    "_missing_",
    "name",
    "None",
]


def _audit() -> tuple[Any, Any]:
    case = py_case("s19")
    audit = case.module("audit.v1")
    event = next(e for e in case.model.enums())
    return audit.Audit, case.cls(event.full_name)


def test_every_enum_value_gets_its_own_valid_member() -> None:
    _, event = _audit()
    members = list(event)
    assert len(members) == 12
    assert [m.value for m in members] == AUDIT_VALUES
    assert all(m.name.isidentifier() for m in members)
    assert len({m.name for m in members}) == 12
    for value in AUDIT_VALUES:
        assert event(value).value == value


@pytest.mark.parametrize("value", AUDIT_VALUES)
def test_enum_values_travel_as_raw_strings(value: str) -> None:
    audit_cls, event = _audit()
    doc = {"type": "audit", "event": value}
    decoded = audit_cls.from_dict(doc, strict=True)
    assert decoded.event is event(value)
    assert decoded.to_dict() == doc


@pytest.mark.parametrize("value", ["3DS-REQUIRED", "order_placed", "V_"])
def test_values_that_are_not_in_the_enum_are_rejected(value: str) -> None:
    audit_cls, _ = _audit()
    with pytest.raises(DecodeError) as err:
        audit_cls.from_dict({"type": "audit", "event": value})
    assert err.value.path == "$.event"


# ----------------------------------------------------------------------------- 21


def _not(operand: dict[str, Any]) -> dict[str, Any]:
    return {"type": "not", "operand": operand}


def test_ref_cycles_import_fresh_and_resolve_type_hints() -> None:
    case = py_case("s21")
    code = (
        "import typing, importlib, sys\n"
        "m = importlib.import_module(sys.argv[1])\n"
        "for name in m.__all__:\n"
        "    obj = getattr(m, name)\n"
        "    if isinstance(obj, type): typing.get_type_hints(obj)\n"
    )
    env_path = f"{py_tree().path}:{ROOT / 'runtime'}"
    r = subprocess.run(
        [sys.executable, "-W", "error", "-c", code, case.names.modules["expr.v1"]],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": env_path},
        check=False,
    )
    assert r.returncode == 0, r.stderr


def test_deep_union_documents_dispatch_on_type_at_every_level() -> None:
    case = py_case("s21")
    expr = case.module("expr.v1")
    doc: dict[str, Any] = {"type": "literal", "value": True}
    for _ in range(50):
        doc = _not(doc)
    value = expr.expr_from_dict(doc)
    assert type(value) is expr.Not
    inner = value
    for _ in range(50):
        inner = inner.operand
    assert type(inner) is expr.Literal and inner.value is True
    assert expr.expr_codec.to_dict(value) == doc
    assert json.loads(value.to_json()) == doc


def test_union_of_all_terms_round_trips() -> None:
    expr = py_case("s21").module("expr.v1")
    doc = {
        "type": "all",
        "terms": [
            {"type": "literal", "value": False},
            {"type": "not", "operand": {"type": "all", "terms": []}},
        ],
        "negated": {"type": "literal", "value": True},
    }
    value = expr.expr_from_json(json.dumps(doc), strict=True)
    assert type(value) is expr.All
    assert [type(t) for t in value.terms] == [expr.Literal, expr.Not]
    assert json.loads(value.to_json()) == doc


def test_union_member_with_a_bad_leaf_names_its_path() -> None:
    expr = py_case("s21").module("expr.v1")
    doc = _not(_not({"type": "literal", "value": "yes"}))
    with pytest.raises(DecodeError) as err:
        expr.expr_from_dict(doc)
    assert err.value.path == "$.operand.operand.value"


# ----------------------------------------------------------------------------- 22


def _rooms() -> Any:
    return py_case("s22").module("rooms.v1")


def test_discriminator_literals_come_from_each_members_const() -> None:
    rooms = _rooms()
    for cls, literal in (
        (rooms.JoinRoom, "room.join"),
        (rooms.LeaveRoom, "room.leave"),
        (rooms.SendText, "text"),
    ):
        hint = typing.get_type_hints(cls)["type"]
        assert typing.get_args(hint) == (literal,)
        assert cls.__dataclass_fields__["type"].default == literal
    assert rooms.JoinRoom(room="r").to_dict() == {"type": "room.join", "room": "r"}


@pytest.mark.parametrize(
    ("doc", "cls"),
    [
        ({"type": "room.leave", "room": "r1"}, "LeaveRoom"),
        ({"type": "text", "room": "r", "body": "hi"}, "SendText"),
        ({"type": "room.join", "room": "r"}, "JoinRoom"),
    ],
)
def test_union_decoding_picks_the_class_by_discriminator(doc: dict[str, Any], cls: str) -> None:
    rooms = _rooms()
    value = rooms.client_message_from_dict(doc, strict=True)
    assert type(value) is getattr(rooms, cls)
    assert value.to_dict() == doc


@pytest.mark.parametrize("tag", ["LeaveRoom", "room.kick"])
def test_unknown_discriminators_are_unknown_message_types(tag: str) -> None:
    rooms = _rooms()
    with pytest.raises(DecodeError) as err:
        rooms.client_message_from_dict({"type": tag, "room": "r"})
    assert "unknown message type" in str(err.value)
    assert err.value.path == "$.type"


def test_union_registry_has_exactly_the_const_keys() -> None:
    rooms = _rooms()
    assert set(rooms.client_message_codec.values) == {"room.join", "room.leave", "text"}


def test_a_member_decoded_directly_checks_its_const() -> None:
    rooms = _rooms()
    with pytest.raises(DecodeError) as err:
        rooms.JoinRoom.from_dict({"type": "text", "room": "r"})
    assert err.value.path == "$.type"
    with pytest.raises(DecodeError, match="missing required field 'type'"):
        rooms.JoinRoom.from_dict({"room": "r"})


# ----------------------------------------------------------------------------- 24

VALID_PRESENCE = [
    {"user": "u", "status": None},
    {"user": "u", "status": "on", "device": None},
    {"user": "u", "status": "x", "tags": ["a", None]},
    {"user": "u", "status": "on", "device": {"os": "linux", "model": "x1"}},
]


def _presence() -> Any:
    return py_case("s24").module("presence.v1")


def test_required_nullable_is_required_and_optional_nullable_defaults_to_none() -> None:
    presence = _presence()
    hints = typing.get_type_hints(presence.Presence)
    fields = presence.Presence.__dataclass_fields__
    assert hints["status"] == str | None
    assert fields["status"].default is fields["status"].default_factory  # both MISSING
    assert hints["note"] == str | None and fields["note"].default is None
    assert hints["tags"] == list[str | None]
    with pytest.raises(TypeError):
        presence.Presence(user="u")
    assert presence.Presence(user="u", status=None).to_dict() == {
        "type": "presence",
        "user": "u",
        "status": None,
    }


@pytest.mark.parametrize("doc", VALID_PRESENCE)
def test_valid_presence_documents_round_trip(doc: dict[str, Any]) -> None:
    """Case 24 point 3: for every valid row, decode then encode gives an equal JSON object
    (an explicit ``"device": null`` included)."""
    presence = _presence()
    full = {"type": "presence", **doc}
    assert presence.Presence.from_dict(full).to_dict() == full
    text = json.dumps(full)
    assert json.loads(presence.Presence.from_json(text).to_json()) == full


def test_an_explicit_null_is_told_apart_from_an_absent_key() -> None:
    presence = _presence()
    nulled = presence.Presence.from_json(
        '{"type":"presence","user":"u","status":"on","device":null,"note":null}'
    )
    absent = presence.Presence.from_json('{"type":"presence","user":"u","status":"on"}')
    assert nulled.device is None and absent.device is None
    assert nulled.explicit_nulls == {"device", "note"} and absent.explicit_nulls == frozenset()
    assert nulled != absent
    assert "device" not in absent.to_dict()


def test_explicit_nulls_are_written_for_unset_fields_only() -> None:
    presence = _presence()
    built = presence.Presence(user="u", status=None, explicit_nulls=frozenset({"note", "device"}))
    assert built.to_dict() == {
        "type": "presence",
        "user": "u",
        "status": None,
        "note": None,
        "device": None,
    }
    # a value wins over the mark
    built.note = "hi"
    assert built.to_dict()["note"] == "hi"
    # required and non-nullable fields have no mark to set
    hints = typing.get_type_hints(presence.Presence)
    assert typing.get_args(typing.get_args(hints["explicit_nulls"])[0]) == ("note", "device")


def test_nulls_in_optional_objects_and_list_items_decode() -> None:
    presence = _presence()
    value = presence.Presence.from_json(
        '{"type":"presence","user":"u","status":"on","device":null,"tags":["a",null]}'
    )
    assert value.device is None and value.tags == ["a", None]
    extra = presence.Presence.from_dict(VALID_PRESENCE[3] | {"type": "presence"})
    assert extra.device.additional_properties == {"model": "x1"}


@pytest.mark.parametrize(
    ("doc", "path"),
    [
        ({"user": "u"}, "$"),
        ({"user": None, "status": "on"}, "$.user"),
        ({"user": "u", "status": "on", "device": {"os": None}}, "$.device.os"),
    ],
)
def test_invalid_presence_documents_are_rejected(doc: dict[str, Any], path: str) -> None:
    presence = _presence()
    full = {"type": "presence", **doc}
    with pytest.raises(DecodeError) as err:
        presence.Presence.from_dict(full)
    assert err.value.path == path
