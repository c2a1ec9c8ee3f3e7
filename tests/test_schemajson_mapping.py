"""How schema.json spellings lower into the IR (docs/ir.md, docs/schema-json.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.schemajson_support import DIALECT, describe, lower
from wsgen.frontends.jsonschema.lower import field_names
from wsgen.ir import model as ir


def _one(tmp_path: Path, props: dict[str, Any], **extra: Any) -> list[str]:
    """The field lines of a message A holding ``props``."""
    schema = {"$schema": DIALECT, "$defs": {"A": {"type": "object", "properties": props, **extra}}}
    lines = describe(lower(tmp_path, {"t/v1.schema.json": schema}))
    return [line for line in lines if line.startswith("  ")]


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string"}, "string"),
        ({"type": "boolean"}, "bool"),
        ({"type": "number"}, "double"),
        ({"type": "number", "format": "double"}, "double"),
        ({"type": "number", "format": "float"}, "float"),
        ({"type": "integer"}, "integer"),
        ({"type": "integer", "minimum": 0}, "integer [minimum=0]"),
        ({"type": "integer", "format": "int32"}, "int32"),
        ({"type": "integer", "minimum": -2147483648, "maximum": 2147483647}, "int32"),
        ({"type": "integer", "format": "uint32"}, "uint32"),
        ({"type": "integer", "minimum": 0, "maximum": 4294967295}, "uint32"),
        ({"type": "integer", "format": "int32", "maximum": 10}, "int32 [maximum=10]"),
        ({"type": "string", "format": "int64"}, "int64"),
        ({"type": "string", "format": "uint64"}, "uint64"),
        ({"type": "string", "pattern": "^-?[0-9]+$", "x-wsgen-type": "sint64"}, "sint64"),
        ({"type": "string", "pattern": "^[0-9]+$", "x-wsgen-type": "fixed64"}, "fixed64"),
        (
            {"type": "integer", "minimum": 0, "maximum": 4294967295, "x-wsgen-type": "fixed32"},
            "fixed32",
        ),
        ({"type": "string", "contentEncoding": "base64"}, "bytes"),
        ({"type": "string", "format": "byte"}, "bytes"),
        ({"type": "string", "format": "date-time"}, "google.protobuf.Timestamp"),
        (
            {"type": "string", "x-wsgen-type": "google.protobuf.Duration"},
            "google.protobuf.Duration",
        ),
        ({"type": "object", "x-wsgen-type": "google.protobuf.Struct"}, "google.protobuf.Struct"),
        ({"x-wsgen-type": "google.protobuf.Value"}, "google.protobuf.Value"),
        ({"type": "string", "format": "uuid"}, "string [format='uuid']"),
        ({"type": "string", "format": "duration"}, "string [format='duration']"),
        (
            {"type": "string", "minLength": 1, "pattern": "^a"},
            "string [min_length=1, pattern='^a']",
        ),
        ({}, "any"),
        (True, "any"),
        ({"description": "anything"}, "any"),
        ({"type": "object"}, "map<string, any>"),
        ({"type": "object", "additionalProperties": {"type": "integer"}}, "map<string, integer>"),
        (
            {
                "type": "object",
                "propertyNames": {"x-wsgen-type": "int64"},
                "additionalProperties": {},
            },
            "map<int64, any>",
        ),
        (
            {
                "type": "object",
                "propertyNames": {"pattern": "^-?[0-9]+$", "x-wsgen-type": "int32"},
                "additionalProperties": {"type": ["string", "null"]},
            },
            "map<int32, string?>",
        ),
        ({"type": "array"}, "list<any>"),
        (
            {"type": "array", "items": {"type": "string"}, "maxItems": 3, "uniqueItems": True},
            "list<string> [max_items=3, unique_items=True]",
        ),
        ({"type": "array", "items": {"type": ["integer", "null"]}}, "list<integer?>"),
        ({"type": ["string", "integer"]}, "string | integer"),
        ({"oneOf": [{"type": "string"}, {"type": "boolean"}]}, "string | bool"),
        ({"anyOf": [{"type": "string"}, {"type": "null"}]}, "string | null"),
        ({"const": "x"}, "string [const='x']"),
        ({"const": 3}, "integer [const=3]"),
        ({"type": "number", "const": 3}, "double [const=3]"),
        ({"const": True}, "bool [const=True]"),
        ({"enum": ["only"]}, "string [const='only']"),
        ({"type": ["string", "null"], "enum": ["only", None]}, "string | null [const='only']"),
        ({"allOf": [{"type": "string"}], "description": "wrapped"}, "string"),
        ({"oneOf": [{"const": "x"}, {"type": "null"}]}, "string | null [const='x']"),
        (
            {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "maxLength": 3}]},
            "integer | string [minimum=0, max_length=3]",
        ),
    ],
)
def test_scalar_and_container_spellings(tmp_path: Path, schema: Any, expected: str) -> None:
    (line,) = _one(tmp_path, {"x": schema})
    assert line == "  x: " + _with_presence(expected)


def _with_presence(expected: str) -> str:
    """Constraints print after the presence: ``list<string> implicit [max_items=3]``."""
    kind, _, facets = expected.partition(" [")
    presence = "implicit" if kind.startswith(("list<", "map<")) else "explicit"
    if " | null" in kind:
        presence = "explicit"
    return f"{kind} {presence}" + (f" [{facets}" if facets else "")


def test_field_name_rule() -> None:
    keys = ["roomId", "room_id", "userID", "type", "a b", "sentAt", "URL", "f0", "x2Y"]
    assert field_names(keys) == {
        "roomId": "roomId",  # its snake form is taken by the key "room_id"
        "room_id": "room_id",
        "userID": "userID",
        "type": "type",
        "a b": "a b",
        "sentAt": "sent_at",
        "URL": "URL",
        "f0": "f0",
        "x2Y": "x2_y",
    }


def test_presence_required_optional_and_lists(tmp_path: Path) -> None:
    props = {
        "id": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "must": {"type": "array", "items": {"type": "string"}},
        "maybe": {"type": ["array", "null"], "items": {"type": "string"}},
        "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
    }
    assert _one(tmp_path, props, required=["id", "must"]) == [
        "  id: string required",
        "  tags: list<string> implicit",
        "  must: list<string> required",
        "  maybe: list<string> | null explicit",
        "  counts: map<string, integer> implicit",
    ]


def test_defaults_docs_and_deprecation(tmp_path: Path) -> None:
    props = {
        "seq": {"type": "string", "format": "int64", "default": "7"},
        "mode": {"type": "string", "enum": ["a", "b"], "default": "b"},
        "old": {"type": "boolean", "deprecated": True, "description": " Use new. "},
        "note": {"type": ["string", "null"], "default": None},
        "tags": {"type": "array", "default": []},
    }
    lines = _one(tmp_path, props)
    assert lines == [
        "  seq: int64 explicit default=7",
        "  mode: t.v1.A.Mode explicit default='b'",
        "  old: bool explicit deprecated",
        "  note: string | null explicit default=None",
        "  tags: list<any> implicit",
    ]
    model = lower(tmp_path / "again", {"t/v1.schema.json": {"$defs": {"A": {"properties": props}}}})
    (msg,) = model.messages()
    assert msg.fields[2].doc == "Use new."


def test_an_enum_default_must_be_one_of_its_values(tmp_path: Path) -> None:
    from tests.schemajson_support import errors_of

    props = {"mode": {"type": "string", "enum": ["a", "b"], "default": "c"}}
    schema = {"$defs": {"A": {"type": "object", "properties": props}}}
    (err,) = errors_of(tmp_path, {"t/v1.schema.json": schema})
    assert 'default "c" is not a value of the enum' in err


def test_inline_objects_and_enums_nest_under_their_message(tmp_path: Path) -> None:
    schema = {
        "$defs": {
            "Room": {
                "type": "object",
                "properties": {
                    "owner": {"type": "object", "properties": {"id": {"type": "string"}}},
                    "members": {
                        "type": "array",
                        "items": {"type": "object", "properties": {"id": {"type": "string"}}},
                    },
                    "byName": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "properties": {"n": {"type": "integer"}},
                        },
                    },
                    "kind": {"enum": ["public", "private"]},
                    "Kind": {"enum": ["x", "y"]},
                },
            }
        }
    }
    assert describe(lower(tmp_path, {"chat/v1.schema.json": schema})) == [
        "package chat.v1",
        "message chat.v1.Room",
        "  owner: chat.v1.Room.Owner explicit",
        "  members: list<chat.v1.Room.Members> implicit",
        "  by_name (byName): map<string, chat.v1.Room.ByName> implicit",
        "  kind: chat.v1.Room.Kind explicit",
        "  Kind: chat.v1.Room.Kind2 explicit",
        "message chat.v1.Room.Owner",
        "  id: string explicit",
        "message chat.v1.Room.Members",
        "  id: string explicit",
        "message chat.v1.Room.ByName",
        "  n: integer explicit",
        "enum chat.v1.Room.Kind ['public', 'private']",
        "enum chat.v1.Room.Kind2 ['x', 'y']",
    ]


def test_root_object_is_named_by_title_or_file(tmp_path: Path) -> None:
    titled = {"title": "Hello", "type": "object", "properties": {}}
    untitled = {"type": "object", "properties": {}}
    model = lower(
        tmp_path,
        {"a/v1.schema.json": titled, "b/user_event.schema.json": untitled, "c/d/schema.json": {}},
    )
    assert [m.full_name for m in model.messages()] == ["a.v1.Hello", "b.user_event.UserEvent"]
    assert [p.name for p in model.packages] == ["a.v1", "b.user_event", "c.d"]


def test_inline_union_is_named_after_its_owner_and_key(tmp_path: Path) -> None:
    variant = {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"const": "text"}, "text": {"type": "string"}},
    }
    other = {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"const": "image"}, "url": {"type": "string"}},
        "title": "Image",
    }
    schema = {
        "$defs": {
            "Post": {
                "type": "object",
                "properties": {"body": {"oneOf": [variant, other]}},
            }
        }
    }
    assert describe(lower(tmp_path, {"blog/v1.schema.json": schema})) == [
        "package blog.v1",
        "message blog.v1.Post",
        "  body: blog.v1.PostBody explicit",
        "message blog.v1.Post.PostBody1",
        "  kind: string required [const='text']",
        "  text: string explicit",
        "message blog.v1.Post.Image",
        "  kind: string required [const='image']",
        "  url: string explicit",
        "union blog.v1.PostBody on 'kind' {'text': blog.v1.Post.PostBody1, "
        "'image': blog.v1.Post.Image}",
    ]


def test_refs_across_files_pull_the_file_in(tmp_path: Path) -> None:
    files = {
        "chat/v1.schema.json": {
            "$defs": {
                "Msg": {
                    "type": "object",
                    "properties": {
                        "author": {"$ref": "../common/v1.schema.json#/$defs/User"},
                        "tag": {"$ref": "../common/v1.schema.json#tag"},
                    },
                }
            }
        },
        "common/v1.schema.json": {
            "$defs": {
                "User": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Tag": {"$anchor": "tag", "type": "string", "maxLength": 8},
            }
        },
    }
    from tests.schemajson_support import write_schemas
    from wsgen.frontends.jsonschema import load_jsonschema_tree

    root = write_schemas(tmp_path, files)
    model = load_jsonschema_tree(root, [root / "chat/v1.schema.json"])
    assert describe(model) == [
        "package chat.v1",
        "message chat.v1.Msg",
        "  author: common.v1.User explicit",
        "  tag: string explicit [max_length=8]",
        "package common.v1",
        "message common.v1.User",
        "  id: string explicit",
    ]
    assert [(f.path, f.dependencies) for f in model.files] == [
        ("chat/v1.schema.json", ("common/v1.schema.json",)),
        ("common/v1.schema.json", ()),
    ]


def test_a_ref_into_a_nested_object_is_that_nested_message(tmp_path: Path) -> None:
    schema = {
        "$defs": {
            "Tree": {
                "type": "object",
                "properties": {
                    "node": {
                        "type": "object",
                        "properties": {
                            "children": {
                                "type": "array",
                                "items": {"$ref": "#/$defs/Tree/properties/node"},
                            },
                            "owner": {"$ref": "#/$defs/Owner"},
                        },
                    }
                },
            },
            "Owner": {"type": "object", "properties": {"tree": {"$ref": "#/$defs/Tree"}}},
        }
    }
    assert describe(lower(tmp_path, {"t/v1.schema.json": schema})) == [
        "package t.v1",
        "message t.v1.Tree",
        "  node: t.v1.Tree.Node explicit",
        "message t.v1.Tree.Node",
        "  children: list<t.v1.Tree.Node> implicit",
        "  owner: t.v1.Owner explicit",
        "message t.v1.Owner",
        "  tree: t.v1.Tree explicit",
    ]


def test_json_type_unions_and_nullable_refs(tmp_path: Path) -> None:
    schema = {
        "$defs": {
            "A": {
                "type": "object",
                "properties": {
                    "either": {
                        "oneOf": [{"$ref": "#/$defs/B"}, {"type": "string"}, {"type": "null"}]
                    },
                    "maybe": {"anyOf": [{"$ref": "#/$defs/B"}, {"type": "null"}]},
                    "list": {
                        "oneOf": [
                            {"type": "array", "items": {"$ref": "#/$defs/B"}},
                            {"$ref": "#/$defs/Id"},
                        ]
                    },
                },
            },
            "B": {"type": "object", "properties": {}},
            "Id": {"type": "string", "format": "int64"},
        }
    }
    lines = describe(lower(tmp_path, {"t/v1.schema.json": schema}))
    assert lines[2:5] == [
        "  either: t.v1.B | string | null explicit",
        "  maybe: t.v1.B | null explicit",
        "  list: list<t.v1.B> | int64 explicit",
    ]


def test_additional_properties_beside_properties(tmp_path: Path) -> None:
    schema = {
        "$defs": {
            "Open": {
                "type": "object",
                "properties": {"os": {"type": "string"}},
                "additionalProperties": {"type": "integer"},
            },
            "Closed": {"type": "object", "additionalProperties": False},
            "Any": {"type": "object", "properties": {}, "additionalProperties": True},
        }
    }
    assert describe(lower(tmp_path, {"t/v1.schema.json": schema})) == [
        "package t.v1",
        "message t.v1.Open +integer",
        "  os: string explicit",
        "message t.v1.Closed",
        "message t.v1.Any",
    ]


def test_catalog_keywords(tmp_path: Path) -> None:
    def frame(value: str | None, direction: str, **extra: Any) -> dict[str, Any]:
        spec = {"direction": direction, **extra} | ({"type": value} if value else {})
        return {
            "type": "object",
            "properties": {"op": {"const": value or "sub"}},
            "x-wsgen-frame": spec,
        }

    schema = {
        "x-wsgen-package": "kraken.ws",
        "x-wsgen-framing": "flat",
        "x-wsgen-discriminator": "op",
        "$defs": {
            "Subscribe": frame(None, "client_to_server"),
            "Ping": frame("ping", "both", handler="on_ping"),
            "Helper": {"type": "object", "properties": {}},
        },
    }
    model = lower(tmp_path, {"kraken.schema.json": schema})
    assert describe(model)[-3:] == [
        "catalog flat on 'op'",
        "  frame 'sub' client_to_server kraken.ws.Subscribe handler=subscribe",
        "  frame 'ping' both kraken.ws.Ping handler=on_ping",
    ]


def test_envelope_is_the_default_framing(tmp_path: Path) -> None:
    schema = {
        "$defs": {
            "Send": {
                "type": "object",
                "description": "Send a line.",
                "properties": {"text": {"type": "string"}},
                "x-wsgen-frame": {"type": "chat.send", "direction": "client_to_server"},
            }
        }
    }
    model = lower(tmp_path, {"chat/v1.schema.json": schema})
    catalog = model.packages[0].catalog
    assert catalog is not None
    assert catalog.framing == ir.Framing()
    assert catalog.frames == (
        ir.Frame(
            "chat.v1.Send", "chat.send", ir.Direction.CLIENT_TO_SERVER, "send", "Send a line."
        ),
    )


def test_a_plain_json_schema_builds_without_a_catalog(tmp_path: Path) -> None:
    schema = {"$defs": {"A": {"type": "object", "properties": {"x": {"type": "string"}}}}}
    model = lower(tmp_path, {"plain/v1.schema.json": schema})
    assert model.packages[0].catalog is None
    assert all(m.origin == "jsonschema" for m in model.messages())
    assert model.files[0].syntax == "jsonschema"


def test_schema_files_are_found_by_name_and_hidden_folders_skipped(tmp_path: Path) -> None:
    from tests.schemajson_support import write_schemas
    from wsgen.frontends.jsonschema import find_schema_files

    root = write_schemas(
        tmp_path,
        {
            "a/v1.schema.json": {},
            "b/schema.json": {},
            "c/data.json": {},
            ".git/x.schema.json": {},
            "node_modules/p/schema.json": {},
        },
    )
    assert [p.relative_to(root).as_posix() for p in find_schema_files(root)] == [
        "a/v1.schema.json",
        "b/schema.json",
    ]


def test_canonical_patterns_are_the_ones_the_json_schema_backend_writes() -> None:
    from wsgen.backends import jsonschema as out
    from wsgen.frontends.jsonschema.scalars import CANONICAL_PATTERNS

    assert CANONICAL_PATTERNS[ir.Scalar.INT64] == out.INT64_PATTERN
    assert CANONICAL_PATTERNS[ir.Scalar.UINT64] == out.UINT64_PATTERN
    assert CANONICAL_PATTERNS[ir.Scalar.BYTES] == out.BASE64_PATTERN
    assert CANONICAL_PATTERNS[ir.WellKnown.TIMESTAMP] == out.TIMESTAMP_PATTERN
    assert CANONICAL_PATTERNS[ir.WellKnown.DURATION] == out.DURATION_PATTERN


@pytest.mark.parametrize(
    "kind",
    [ir.Scalar.INT32, ir.Scalar.SINT64, ir.Scalar.UINT64, ir.Scalar.BYTES, ir.Scalar.FIXED32],
)
def test_scalars_the_json_schema_backend_writes_read_back_as_the_same_kind(
    tmp_path: Path, kind: ir.Scalar
) -> None:
    from wsgen.backends.jsonschema import scalar_schema

    schema = {"$defs": {"A": {"type": "object", "properties": {"x": scalar_schema(kind)}}}}
    model = lower(tmp_path, {"t/v1.schema.json": schema})
    assert describe(model) == ["package t.v1", "message t.v1.A", f"  x: {kind.value} explicit"]


@pytest.mark.parametrize("kind", [ir.WellKnown.TIMESTAMP, ir.WellKnown.DURATION])
def test_well_known_strings_the_backend_writes_read_back(
    tmp_path: Path, kind: ir.WellKnown
) -> None:
    from wsgen.backends.jsonschema import _well_known_schema

    schema = {k: v for k, v in _well_known_schema(kind, strict=False).items() if k != "description"}
    (line,) = _one(tmp_path, {"x": schema})
    assert line == f"  x: {kind.value} explicit"
