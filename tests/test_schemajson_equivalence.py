"""One contract written as .proto and as schema.json lowers to equal IR (spans, proto field
numbers and message origin aside), following the mapping table of docs/ir.md."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from tests.helpers import compile_idl
from tests.schemajson_support import describe
from wsgen.ir import model as ir

PROTO = """
syntax = "proto2";
package eq.v1;

import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "wsgen/options.proto";

// How a room may be joined.
enum RoomKind {
  ROOM_KIND_PUBLIC = 1;
  ROOM_KIND_PRIVATE = 2;
}

// Join a room.
message JoinRoom {
  option (wsgen.frame) = { type: "room.join" direction: CLIENT_TO_SERVER };
  required string room_id = 1;
  optional RoomKind kind = 2;
  // Who invited you.
  optional string invited_by = 3 [deprecated = true];
  repeated string tags = 4;
  map<string, int32> counters = 5;
  optional int64 since_seq = 6;
  optional google.protobuf.Timestamp at = 7;
  // A member, possibly with its sponsor.
  message Member {
    required string user_id = 1;
    optional Member sponsor = 2;
  }
  optional Member member = 8;
  optional bytes token = 9;
  optional double score = 10;
  optional bool muted = 11;
  optional uint32 limit = 12 [default = 50];
  map<string, Member> members = 13;
  repeated Member history = 14;
  optional google.protobuf.Duration ttl = 15;
  map<int64, string> by_id = 16;
  optional float ratio = 17;
  optional sint64 delta = 18;
}

// The server's answer.
message Joined {
  option (wsgen.frame) = { type: "room.joined" direction: SERVER_TO_CLIENT handler: "joined" };
  optional JoinRoom request = 1;
  repeated JoinRoom.Member members = 2;
}
"""

MEMBER = "#/$defs/JoinRoom/properties/member"
SCHEMA = f"""
{{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$defs": {{
    "RoomKind": {{
      "description": "How a room may be joined.",
      "type": "string",
      "enum": ["ROOM_KIND_PUBLIC", "ROOM_KIND_PRIVATE"]
    }},
    "JoinRoom": {{
      "description": "Join a room.",
      "type": "object",
      "x-wsgen-frame": {{"type": "room.join", "direction": "client_to_server"}},
      "required": ["roomId"],
      "properties": {{
        "roomId": {{"type": "string"}},
        "kind": {{"$ref": "#/$defs/RoomKind"}},
        "invitedBy": {{"type": "string", "description": "Who invited you.", "deprecated": true}},
        "tags": {{"type": "array", "items": {{"type": "string"}}}},
        "counters": {{
          "type": "object",
          "additionalProperties": {{"type": "integer", "format": "int32"}}
        }},
        "sinceSeq": {{"type": "string", "format": "int64"}},
        "at": {{"type": "string", "format": "date-time"}},
        "member": {{
          "description": "A member, possibly with its sponsor.",
          "type": "object",
          "required": ["userId"],
          "properties": {{
            "userId": {{"type": "string"}},
            "sponsor": {{"$ref": "{MEMBER}"}}
          }}
        }},
        "token": {{"type": "string", "contentEncoding": "base64"}},
        "score": {{"type": "number"}},
        "muted": {{"type": "boolean"}},
        "limit": {{"type": "integer", "format": "uint32", "default": 50}},
        "members": {{"type": "object", "additionalProperties": {{"$ref": "{MEMBER}"}}}},
        "history": {{"type": "array", "items": {{"$ref": "{MEMBER}"}}}},
        "ttl": {{"type": "string", "x-wsgen-type": "google.protobuf.Duration"}},
        "byId": {{
          "type": "object",
          "propertyNames": {{"x-wsgen-type": "int64"}},
          "additionalProperties": {{"type": "string"}}
        }},
        "ratio": {{"type": "number", "format": "float"}},
        "delta": {{"type": "string", "x-wsgen-type": "sint64"}}
      }}
    }},
    "Joined": {{
      "description": "The server's answer.",
      "type": "object",
      "x-wsgen-frame": {{
        "type": "room.joined", "direction": "server_to_client", "handler": "joined"
      }},
      "properties": {{
        "request": {{"$ref": "#/$defs/JoinRoom"}},
        "members": {{"type": "array", "items": {{"$ref": "{MEMBER}"}}}}
      }}
    }}
  }}
}}
"""


def _package(model: ir.Model, name: str) -> ir.Package:
    (pkg,) = [p for p in model.packages if p.name == name]
    return dataclasses.replace(pkg, files=())


def test_the_same_contract_in_proto_and_schema_json_lowers_to_equal_ir(tmp_path: Path) -> None:
    from_proto = compile_idl(tmp_path / "p", {"eq/v1.proto": PROTO})
    from_schema = compile_idl(tmp_path / "s", {"eq/v1.schema.json": SCHEMA})
    proto_pkg = _package(from_proto, "eq.v1")
    schema_pkg = _package(from_schema, "eq.v1")
    assert describe(ir.Model((schema_pkg,))) == describe(ir.Model((proto_pkg,)))
    assert schema_pkg == proto_pkg


def test_the_equal_ir_says_what_the_contract_says(tmp_path: Path) -> None:
    """Guards against both frontends being wrong the same way."""
    model = compile_idl(tmp_path, {"eq/v1.schema.json": SCHEMA})
    lines = describe(model)
    for expected in [
        "message eq.v1.JoinRoom",
        "  room_id (roomId): string required",
        "  kind: eq.v1.RoomKind explicit",
        "  invited_by (invitedBy): string explicit deprecated",
        "  counters: map<string, int32> implicit",
        "  since_seq (sinceSeq): int64 explicit",
        "  at: google.protobuf.Timestamp explicit",
        "  member: eq.v1.JoinRoom.Member explicit",
        "  limit: uint32 explicit default=50",
        "  members: map<string, eq.v1.JoinRoom.Member> implicit",
        "  by_id (byId): map<int64, string> implicit",
        "message eq.v1.JoinRoom.Member",
        "  sponsor: eq.v1.JoinRoom.Member explicit",
        "enum eq.v1.RoomKind ['ROOM_KIND_PUBLIC', 'ROOM_KIND_PRIVATE']",
        "  frame 'room.join' client_to_server eq.v1.JoinRoom handler=join_room",
        "  frame 'room.joined' server_to_client eq.v1.Joined handler=joined",
    ]:
        assert expected in lines
    assert all(m.origin == "jsonschema" for m in model.messages())


def test_schema_json_refers_to_proto_types_by_full_name(tmp_path: Path) -> None:
    model = compile_idl(
        tmp_path,
        {
            "common/v1.proto": """
                syntax = "proto3";
                package common.v1;
                message UserRef { string user_id = 1; }
                enum Status { STATUS_UNSPECIFIED = 0; STATUS_ONLINE = 1; }
            """,
            "presence/v1.schema.json": json.dumps(
                {
                    "$defs": {
                        "Seen": {
                            "type": "object",
                            "properties": {
                                "user": {"type": "object", "x-wsgen-type": "common.v1.UserRef"},
                                "status": {
                                    "type": ["string", "null"],
                                    "x-wsgen-type": "common.v1.Status",
                                },
                            },
                        }
                    }
                }
            ),
        },
    )
    assert "  user: common.v1.UserRef explicit" in describe(model)
    assert "  status: common.v1.Status | null explicit" in describe(model)


def test_a_reference_to_an_unknown_proto_type_is_reported(tmp_path: Path) -> None:
    import pytest

    from wsgen.diagnostics import CompileError

    schema = {
        "$defs": {
            "A": {
                "type": "object",
                "properties": {"u": {"type": "object", "x-wsgen-type": "common.v1.Nope"}},
            }
        }
    }
    with pytest.raises(CompileError) as info:
        compile_idl(tmp_path, {"a/v1.schema.json": json.dumps(schema)})
    assert 'refers to unknown type "common.v1.Nope" [WSG201]' in str(info.value)
