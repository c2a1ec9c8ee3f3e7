"""The shared cases that concern schema.json inputs (../shared/cases 14, 19, 21, 22, 24, 26):
what each lowers to. Their Python/TypeScript behaviour is tested with the backends."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from tests.schemajson_support import DIALECT, INPUTS, describe, write_schemas
from wsgen.frontends.jsonschema import load_jsonschema_tree
from wsgen.ir import model as ir


def _case(name: str) -> ir.Model:
    return load_jsonschema_tree(INPUTS / name)


def test_case14_descriptions_are_kept_verbatim_as_docs() -> None:
    model = _case("comment_terminator")
    (msg,) = model.messages()
    assert msg.doc == "Server notice. Ends a comment */ and keeps going"
    docs = {f.json_name: f.doc for f in msg.fields}
    assert docs == {
        "type": "",
        "glob": "Matches src/**/*.ts and lib/*/x",
        "inject": "*/ export const pwned = 1; /*",
        "multi": "line one\nline two */\n * line three",
    }
    assert describe(model)[-2:] == [
        "catalog flat on 'type'",
        "  frame 'notice' server_to_client notes.v1.Notice handler=notice",
    ]


def test_case19_enum_values_are_names_exactly_as_written() -> None:
    model = _case("enum_values_not_identifiers")
    (en,) = model.enums()
    assert en.full_name == "audit.v1.Audit.Event"
    assert en.scope == ("Audit",)
    assert [v.name for v in en.values] == [
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
    assert all(v.number is None for v in en.values)
    assert not en.open
    assert "  event: audit.v1.Audit.Event required" in describe(model)


def test_case21_ref_cycles_and_a_pointer_into_another_definition() -> None:
    assert describe(_case("ref_cycle_through_oneof")) == [
        "package expr.v1",
        "message expr.v1.Literal",
        "  type: string required [const='literal']",
        "  value: bool required",
        "message expr.v1.Not",
        "  type: string required [const='not']",
        "  operand: expr.v1.Expr required",
        "message expr.v1.All",
        "  type: string required [const='all']",
        "  terms: list<expr.v1.Expr> required",
        "  negated: expr.v1.Expr explicit",
        "union expr.v1.Expr on 'type' {'literal': expr.v1.Literal, 'not': expr.v1.Not, "
        "'all': expr.v1.All}",
    ]


_CASE22_UNION = (
    "union rooms.v1.ClientMessage on 'type' {'room.join': rooms.v1.JoinRoom, "
    "'room.leave': rooms.v1.LeaveRoom, 'text': rooms.v1.SendText}"
)


def test_case22_discriminator_values_come_from_const_and_single_enum() -> None:
    lines = describe(_case("discriminator_const"))
    assert _CASE22_UNION in lines
    assert "  type: string required [const='room.leave']" in lines


def test_case22_holds_without_the_openapi_discriminator_keyword(tmp_path: Path) -> None:
    schema = _load_json("discriminator_const/rooms/v1.schema.json")
    del schema["$defs"]["ClientMessage"]["discriminator"]
    model = load_jsonschema_tree(write_schemas(tmp_path, {"rooms/v1.schema.json": schema}))
    assert _CASE22_UNION in describe(model)


def test_case22_an_agreeing_discriminator_mapping_is_accepted(tmp_path: Path) -> None:
    schema = _load_json("discriminator_const/rooms/v1.schema.json")
    schema["$defs"]["ClientMessage"]["discriminator"]["mapping"] = {
        "room.join": "#/$defs/JoinRoom",
        "room.leave": "#/$defs/LeaveRoom",
        "text": "#/$defs/SendText",
    }
    model = load_jsonschema_tree(write_schemas(tmp_path, {"rooms/v1.schema.json": schema}))
    assert _CASE22_UNION in describe(model)


def test_case24_required_nullable_optional_and_nullable_items() -> None:
    assert describe(_case("nullable_types")) == [
        "package presence.v1",
        "message presence.v1.Presence",
        "  type: string required [const='presence']",
        "  user: string required",
        "  status: string | null required",
        "  note: string | null explicit",
        "  device: presence.v1.Presence.Device | null explicit",
        "  tags: list<string?> implicit",
        "message presence.v1.Presence.Device +string",
        "  os: string explicit",
        "catalog flat on 'type'",
        "  frame 'presence' server_to_client presence.v1.Presence handler=presence",
    ]


def make_big_schema(n: int) -> dict[str, Any]:
    """The generator of case 26, as the case file gives it."""
    defs = {}
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
        "$schema": DIALECT,
        "title": "BigProtocol",
        "oneOf": [{"$ref": f"#/$defs/Msg{i}"} for i in range(n)],
        "$defs": defs,
    }


def test_case26_large_schema_lowers_linearly_without_tuples(tmp_path: Path) -> None:
    """Bounds stay constraints on a list (never tuple types); the time is recorded, not
    asserted (make bench owns time figures)."""
    path = tmp_path / "big" / "v1.schema.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(make_big_schema(300), indent=1, sort_keys=True), encoding="utf-8")
    started = time.perf_counter()
    model = load_jsonschema_tree(tmp_path)
    elapsed = time.perf_counter() - started
    print(f"case 26: N=300 ({path.stat().st_size} bytes) lowered in {elapsed:.2f} s")
    (pkg,) = model.packages
    assert (len(pkg.messages), len(pkg.enums), len(pkg.unions)) == (300, 900, 1)
    assert len(pkg.unions[0].variants) == 300
    msg5 = next(m for m in pkg.messages if m.name == "Msg5")
    fields = {f.json_name: f for f in msg5.fields}
    assert fields["f3"].type == ir.ListType(ir.ScalarType(ir.Scalar.STRING))
    assert (fields["f3"].constraints.min_items, fields["f3"].constraints.max_items) == (1, 1000)
    assert fields["f1"].type == ir.ScalarType(ir.Scalar.INTEGER)
    assert fields["f1"].constraints.minimum == 0
    assert fields["f2"].nullable
    assert fields["choice"].type == ir.JsonUnionType(
        (ir.MessageRef("big.v1.Msg6"), ir.ScalarType(ir.Scalar.STRING))
    )
    assert fields["choice"].nullable
    assert fields["extra"].type == ir.MapType(ir.Scalar.STRING, ir.ScalarType(ir.Scalar.INTEGER))
    assert fields["f4"].type == ir.EnumRef("big.v1.Msg5.F4")


def _load_json(rel: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((INPUTS / rel).read_text(encoding="utf-8"))
    return data


def test_case_inputs_keep_the_case_content(tmp_path: Path) -> None:
    """Wrapping a case adds only wsgen keywords: without them it is the case's schema."""
    schema = _load_json("nullable_types/presence/v1.schema.json")
    plain = {k: v for k, v in schema.items() if not k.startswith("x-wsgen-")}
    assert plain["required"] == ["type", "user", "status"]
    target = tmp_path / "presence" / "v1.schema.json"
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps(plain), encoding="utf-8")
    model = load_jsonschema_tree(tmp_path)
    assert model.packages[0].catalog is None  # without annotations: types only
    assert len(model.messages()) == 2
    shutil.rmtree(tmp_path / "presence")
