"""JSON Schema output for IR shapes beyond the shared cases: the frame catalog (envelope and
flat), named unions, nullable and required fields, facets, defaults, strict objects, well-known
types, JSON-kind unions, odd definition names. Each scenario's documents are checked with
Python ``jsonschema`` and with ajv (one node run for the module)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.helpers import compile_idl
from tests.jsonschema_out_support import (
    AjvBatch,
    Check,
    bundles_of,
    def_ref,
    node_available,
    python_validator,
)
from wsgen.backends.jsonschema import ANNOTATION_KEYWORDS, render_jsonschema
from wsgen.backends.options import BuildOptions
from wsgen.ir import model as ir
from wsgen.pipeline import discover_inputs, load_model

Json = dict[str, Any]
S = ir.Scalar


def _f(name: str, t: ir.FieldType, json_name: str | None = None, **kw: Any) -> ir.Field:
    return ir.Field(name=name, json_name=json_name or name, type=t, **kw)


def _msg(pkg: str, name: str, *fields: ir.Field, **kw: Any) -> ir.Message:
    return ir.Message(full_name=f"{pkg}.{name}", name=name, package=pkg, fields=fields, **kw)


def _model(*packages: ir.Package) -> ir.Model:
    return ir.Model(tuple(sorted(packages, key=lambda p: p.name)))


STR = ir.ScalarType(S.STRING)

# ---------------------------------------------------------------- scenario models

# cases/24: required vs optional vs nullable.
PRESENCE = _model(
    ir.Package(
        "p.v1",
        ("p.json",),
        messages=(
            _msg(
                "p.v1",
                "Presence",
                _f(
                    "type",
                    STR,
                    presence=ir.Presence.REQUIRED,
                    constraints=ir.Constraints(const="presence"),
                ),
                _f("user", STR, presence=ir.Presence.REQUIRED),
                _f("status", STR, presence=ir.Presence.REQUIRED, nullable=True),
                _f("note", STR, presence=ir.Presence.EXPLICIT, nullable=True),
                _f(
                    "device",
                    ir.MessageRef("p.v1.Device"),
                    presence=ir.Presence.EXPLICIT,
                    nullable=True,
                ),
                _f("tags", ir.ListType(STR, element_nullable=True)),
                _f("score", ir.ScalarType(S.DOUBLE), nullable=True),
                origin="jsonschema",
            ),
            _msg(
                "p.v1",
                "Device",
                _f("os", STR, presence=ir.Presence.EXPLICIT),
                additional_properties=STR,
                origin="jsonschema",
            ),
        ),
    )
)

# cases/22: a named union whose members carry their discriminator as a const.
UNION_MEMBERS = (("JoinRoom", "room.join"), ("LeaveRoom", "room.leave"), ("SendText", "text"))
UNIONS = _model(
    ir.Package(
        "u.v1",
        ("u.json",),
        messages=(
            *(
                _msg(
                    "u.v1",
                    name,
                    _f(
                        "type",
                        STR,
                        presence=ir.Presence.REQUIRED,
                        constraints=ir.Constraints(const=value),
                    ),
                    _f("room", STR, presence=ir.Presence.REQUIRED),
                )
                for name, value in UNION_MEMBERS
            ),
            _msg("u.v1", "Untagged", _f("room", STR)),
        ),
        unions=(
            ir.Union(
                "u.v1.ClientMessage",
                "ClientMessage",
                "u.v1",
                "type",
                tuple(ir.UnionVariant(v, f"u.v1.{n}") for n, v in UNION_MEMBERS),
                doc="What a client says.",
            ),
            # a member without the discriminator field: the union adds the const itself
            ir.Union(
                "u.v1.Loose",
                "Loose",
                "u.v1",
                "kind",
                (ir.UnionVariant("a", "u.v1.Untagged"), ir.UnionVariant("b", "u.v1.JoinRoom")),
            ),
        ),
    )
)

FACETS = _model(
    ir.Package(
        "f.v1",
        ("f.json",),
        messages=(
            _msg(
                "f.v1",
                "Facets",
                _f(
                    "name",
                    STR,
                    constraints=ir.Constraints(min_length=2, max_length=4, pattern="^[a-z]+$"),
                ),
                _f("email", STR, constraints=ir.Constraints(format="email")),
                _f(
                    "small",
                    ir.ScalarType(S.INT32),
                    constraints=ir.Constraints(minimum=-5, maximum=2**40),
                ),
                _f(
                    "ratio",
                    ir.ScalarType(S.DOUBLE),
                    constraints=ir.Constraints(exclusive_minimum=0),
                ),
                _f("big", ir.ScalarType(S.INT64), constraints=ir.Constraints(minimum=10)),
                _f("count", ir.ScalarType(S.INTEGER), constraints=ir.Constraints(multiple_of=3)),
                _f(
                    "tags",
                    ir.ListType(STR),
                    constraints=ir.Constraints(
                        min_items=1, max_items=2, unique_items=True, min_length=1
                    ),
                ),
                _f(
                    "scores",
                    ir.MapType(S.STRING, ir.ScalarType(S.INT32)),
                    constraints=ir.Constraints(max_properties=1),
                ),
                _f("fixed", ir.ScalarType(S.INT64), constraints=ir.Constraints(const=7)),
                _f("level", ir.ScalarType(S.UINT64), default=5, has_default=True),
                _f("limit", ir.ScalarType(S.FLOAT), default=float("inf"), has_default=True),
                _f("old", STR, deprecated=True, doc="Use name."),
                _f("anything", ir.AnyJsonType()),
                _f(
                    "either",
                    ir.JsonUnionType((ir.MessageRef("f.v1.Facets"), STR, ir.ScalarType(S.INTEGER))),
                    nullable=True,
                ),
            ),
        ),
    )
)

W = ir.WellKnown
WELL_KNOWN = _model(
    ir.Package(
        "w.v1",
        ("w.proto",),
        messages=(_msg("w.v1", "Wkt", *(_f(k.name.lower(), ir.WellKnownType(k)) for k in W)),),
    )
)

# Definition names a schema.json could bring: pointer and URI specials must be escaped.
ODD = _model(
    ir.Package(
        "odd pkg",
        ("o.json",),
        messages=(
            _msg("odd pkg", "a/b~c d%e", _f("next", ir.MessageRef("odd pkg.a/b~c d%e"))),
            _msg("odd pkg", "Holder", _f("x", ir.MessageRef("odd pkg.a/b~c d%e"))),
        ),
    )
)

ENVELOPE_PROTO = {
    "chat.proto": """
    syntax = "proto3";
    package chat.v1;
    import "wsgen/options.proto";
    // Sent to join.
    message Join {
      option (wsgen.frame) = { type: "room.join" direction: CLIENT_TO_SERVER };
      string room_id = 1;
    }
    message Joined {
      option (wsgen.frame) = { type: "room.joined" direction: SERVER_TO_CLIENT };
      string room_id = 1;
    }
    message Typing {
      option (wsgen.frame) = { type: "typing" direction: BOTH };
      bool on = 1;
    }
    // Collides with the name wsgen gives its envelope definition.
    message Envelope { string x = 1; }
    """
}

FLAT_PROTO = {
    "kraken.proto": """
    syntax = "proto3";
    package kraken.ws;
    import "wsgen/options.proto";
    option (wsgen.catalog) = { framing: FLAT discriminator: "event" };
    message Ping {
      option (wsgen.frame) = { type: "ping" direction: CLIENT_TO_SERVER };
      int64 reqid = 1;
    }
    message Status {
      option (wsgen.frame) = { type: "status" direction: SERVER_TO_CLIENT };
      string event = 1;
      string status = 2;
    }
    """
}

FRAME_BASE = {"id": "01JEBX5ZK6N7T3W9QH2Y4R8VMC", "seq": 1, "ts": "2026-12-03T17:25:23.123Z"}
C2S = def_ref("chat.v1", "chat.v1.ClientToServerFrame")
S2C = def_ref("chat.v1", "chat.v1.ServerToClientFrame")
FLAT_C2S = def_ref("kraken.ws", "kraken.ws.ClientToServerFrame")
FLAT_S2C = def_ref("kraken.ws", "kraken.ws.ServerToClientFrame")


def _frame(type_: str, payload: Json, **extra: Any) -> Json:
    return {"type": type_, **FRAME_BASE, "payload": payload, **extra}


DEFAULT = BuildOptions(elide_version=True)
STRICT = BuildOptions(elide_version=True, jsonschema_strict=True)


REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Scenario:
    # an IR, inline IDL for compile_idl, or an IDL folder of the repo
    model: ir.Model | dict[str, str] | Path
    checks: tuple[Check, ...] = ()
    options: BuildOptions = DEFAULT


PRES = def_ref("p.v1", "p.v1.Presence")
SCENARIOS: dict[str, Scenario] = {
    "presence": Scenario(
        PRESENCE,
        (
            *(
                Check(PRES, {"type": "presence", **doc}, valid)
                for doc, valid in (
                    ({"user": "u", "status": None}, True),
                    ({"user": "u"}, False),
                    ({"user": "u", "status": "on", "device": None}, True),
                    ({"user": "u", "status": "x", "tags": ["a", None]}, True),
                    ({"user": "u", "status": "on", "device": {"os": "linux", "model": "x1"}}, True),
                    ({"user": "u", "status": "on", "device": {"os": None}}, False),
                    ({"user": None, "status": "on"}, False),
                    ({"user": "u", "status": "on", "device": {"model": 1}}, False),
                    ({"user": "u", "status": None, "score": None}, True),
                    ({"user": "u", "status": None, "score": "NaN"}, True),
                    ({"user": "u", "status": None, "score": "nan"}, False),
                )
            ),
            Check(PRES, {"type": "absence", "user": "u", "status": None}, False),
        ),
    ),
    "unions": Scenario(
        UNIONS,
        (
            Check(def_ref("u.v1", "u.v1.ClientMessage"), {"type": "room.leave", "room": "r1"}),
            Check(def_ref("u.v1", "u.v1.ClientMessage"), {"type": "text", "room": "r"}),
            Check(def_ref("u.v1", "u.v1.ClientMessage"), {"type": "LeaveRoom", "room": "r"}, False),
            Check(def_ref("u.v1", "u.v1.ClientMessage"), {"type": "room.kick", "room": "r"}, False),
            Check(def_ref("u.v1", "u.v1.Loose"), {"kind": "a", "room": "r"}),
            Check(def_ref("u.v1", "u.v1.Loose"), {"kind": "c", "room": "r"}, False),
            Check(def_ref("u.v1", "u.v1.Loose"), {"room": "r"}, False),
        ),
    ),
    "facets": Scenario(
        FACETS,
        tuple(
            Check(def_ref("f.v1", "f.v1.Facets"), doc, valid)
            for doc, valid in (
                ({"name": "abc", "email": "a@b.c", "small": 2, "ratio": 0.5, "big": "1"}, True),
                ({"name": "a"}, False),
                ({"name": "abcde"}, False),
                ({"name": "AB"}, False),
                ({"small": -6}, False),
                ({"small": 2**31}, False),
                ({"ratio": 0}, False),
                ({"ratio": "NaN"}, True),
                ({"count": 9, "tags": ["a", "b"]}, True),
                ({"count": 10}, False),
                ({"tags": []}, False),
                ({"tags": ["a", "a"]}, False),
                ({"tags": [""]}, False),
                ({"scores": {"a": 1, "b": 2}}, False),
                ({"fixed": "7"}, True),
                ({"fixed": "8"}, False),
                ({"anything": [1, {"x": None}]}, True),
                ({"either": None}, True),
                ({"either": "s"}, True),
                ({"either": 12345678901234567890}, True),
                ({"either": {"name": "abc"}}, True),
                ({"either": True}, False),
                ({"either": {"name": 1}}, False),
            )
        ),
    ),
    "strict_facets": Scenario(
        FACETS,
        (
            Check(def_ref("f.v1", "f.v1.Facets"), {"name": "abc"}),
            Check(def_ref("f.v1", "f.v1.Facets"), {"name": "abc", "unknown": 1}, False),
            Check(def_ref("f.v1", "f.v1.Facets"), {"either": {"unknown": 1}}, False),
        ),
        STRICT,
    ),
    "well_known": Scenario(
        WELL_KNOWN,
        tuple(
            Check(def_ref("w.v1", "w.v1.Wkt"), doc, valid)
            for doc, valid in (
                (
                    {
                        "timestamp": "2023-11-14T22:13:20Z",
                        "duration": "-0.5s",
                        "empty": {},
                        "struct": {"a": [1, None]},
                        "value": None,
                        "list_value": [1, "a"],
                        "null_value": None,
                        "field_mask": "a.b,c",
                        "any": {"@type": "type.googleapis.com/x.Y", "a": 1},
                        "double_value": "Infinity",
                        "float_value": 1.5,
                        "int64_value": "-5",
                        "uint64_value": "5",
                        "int32_value": None,
                        "uint32_value": 4294967295,
                        "bool_value": False,
                        "string_value": "",
                        "bytes_value": "AAE=",
                    },
                    True,
                ),
                ({"timestamp": "2023-11-14T22:13:20+01:00"}, False),
                ({"timestamp": "2023-11-14T22:13:20.1Z"}, False),
                ({"struct": []}, False),
                ({"list_value": {}}, False),
                ({"any": {"a": 1}}, False),
                ({"uint64_value": "-5"}, False),
                ({"bytes_value": "AAE"}, False),
                ({"int32_value": 2**31}, False),
            )
        ),
    ),
    "odd_names": Scenario(
        ODD,
        (
            Check(
                "odd%20pkg.schema.json#/$defs/odd%20pkg.Holder",
                {"x": {"next": {"next": {}}}},
            ),
            Check("odd%20pkg.schema.json#/$defs/odd%20pkg.Holder", {"x": {"next": 1}}, False),
        ),
    ),
    "envelope": Scenario(
        ENVELOPE_PROTO,
        (
            Check(C2S, _frame("room.join", {"roomId": "r1"})),
            Check(C2S, _frame("room.join", {"roomId": "r1"}, re="x", future=1)),
            Check(C2S, _frame("typing", {"on": True})),
            Check(S2C, _frame("typing", {})),
            Check(S2C, _frame("room.joined", {"roomId": "r1"})),
            Check(C2S, _frame("hello", {"protocol": "chat.v1", "version": "1.0.0"})),
            Check(S2C, _frame("ack", {"ids": ["a", "b"]})),
            Check(S2C, _frame("error", {"code": 4, "name": "X", "message": "m", "re": "a"})),
            Check(C2S, _frame("ping", {})),
            Check(C2S, _frame("pong", {"nonce": "n"})),
            Check(C2S, _frame("room.joined", {"roomId": "r1"}), False),
            Check(C2S, _frame("room.join", {"roomId": 1}), False),
            Check(C2S, _frame("nope", {}), False),
            Check(C2S, _frame("ack", {}), False),
            Check(C2S, {**_frame("typing", {}), "seq": 0}, False),
            Check(C2S, {**_frame("typing", {}), "id": ""}, False),
            Check(C2S, {**_frame("typing", {}), "ts": "2026-12-03T17:25:23Z"}, False),
            Check(C2S, {"type": "typing", "payload": {}}, False),
        ),
    ),
    "flat": Scenario(
        FLAT_PROTO,
        (
            Check(FLAT_C2S, {"event": "ping", "reqid": "1"}),
            Check(FLAT_C2S, {"event": "ping"}),
            Check(FLAT_C2S, {"reqid": "1"}, False),
            Check(FLAT_C2S, {"event": "status"}, False),
            Check(FLAT_S2C, {"event": "status", "status": "ok"}),
            Check(FLAT_S2C, {"event": "ping"}, False),
            # flat framing reserves nothing: no control frames
            Check(FLAT_S2C, {"event": "pong"}, False),
        ),
    ),
    "strict_flat": Scenario(
        FLAT_PROTO,
        (
            Check(FLAT_C2S, {"event": "ping", "reqid": "1"}),
            Check(FLAT_C2S, {"event": "ping", "reqid": "1", "extra": 1}, False),
            Check(FLAT_S2C, {"event": "status", "status": "ok"}),
            Check(def_ref("kraken.ws", "kraken.ws.Ping"), {"event": "ping"}, False),
        ),
        STRICT,
    ),
    "strict_envelope": Scenario(
        ENVELOPE_PROTO,
        (
            Check(C2S, _frame("room.join", {"roomId": "r1"}, future=1)),
            Check(C2S, _frame("room.join", {"roomId": "r1", "extra": 1}), False),
        ),
        STRICT,
    ),
    # real IDL trees: the example product and the golden inputs
    "example_idl": Scenario(
        REPO / "idl",
        (
            Check(
                def_ref("chat.v1", "chat.v1.ClientToServerFrame"),
                _frame("message.send", {"roomId": "r", "body": {"text": "hi"}, "clientRef": "c"}),
            ),
            Check(
                def_ref("chat.v1", "chat.v1.ClientToServerFrame"),
                _frame("message.send", {"body": {"text": "hi", "rich": {}}}),
                False,
            ),
            Check(
                def_ref("chat.v1", "chat.v1.ServerToClientFrame"),
                _frame(
                    "message.posted",
                    {
                        "message": {
                            "author": {"userId": "u", "avatarUrl": "https://x"},
                            "sentAt": "2026-12-03T17:25:23.123456Z",
                            "editCount": 2,
                        }
                    },
                ),
            ),
            Check(
                def_ref("chat.v1", "chat.v1.ServerToClientFrame"),
                _frame("message.posted", {"message": {"author": {"userId": 5}}}),
                False,
            ),
        ),
    ),
    **{
        f"golden_{case}": Scenario(REPO / "tests" / "golden" / case / "idl")
        for case in ("conformance_messages", "real_centrifugal", "flat_framing_catalog")
    },
}


def _load(sc: Scenario, tmp: Path) -> ir.Model:
    if isinstance(sc.model, ir.Model):
        return sc.model
    if isinstance(sc.model, Path):
        return load_model(discover_inputs(sc.model))
    return compile_idl(tmp, sc.model)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Json]]:
    out: dict[str, dict[str, Json]] = {}
    for name, sc in SCENARIOS.items():
        out[name] = bundles_of(_load(sc, tmp_path_factory.mktemp(name)), sc.options)
    return out


@pytest.fixture(scope="module")
def ajv_results(rendered: dict[str, dict[str, Json]]) -> dict[str, Json]:
    if not node_available():
        pytest.skip("node and node_modules/ajv are needed (make dev-deps)")
    batch = AjvBatch()
    for name, sc in SCENARIOS.items():
        batch.add(name, rendered[name], [(c.ref, c.document) for c in sc.checks])
    return batch.run()


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_bundles_pass_the_meta_schema_and_ajv_strict(
    name: str, rendered: dict[str, dict[str, Json]], ajv_results: Json
) -> None:
    for doc in rendered[name].values():
        jsonschema.Draft202012Validator.check_schema(doc)
    assert ajv_results[name]["compileErrors"] == []


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_documents_validate_as_expected(
    name: str, rendered: dict[str, dict[str, Json]], ajv_results: Json
) -> None:
    verdicts = ajv_results[name]["verdicts"]
    for check, ajv in zip(SCENARIOS[name].checks, verdicts, strict=True):
        doc = json.dumps(check.document)[:160]
        assert (
            python_validator(rendered[name], check.ref).is_valid(check.document) is check.valid
        ), doc
        assert ajv["valid"] is check.valid, (doc, ajv["errors"])


def test_nullable_and_required_are_spelled_plainly(rendered: dict[str, dict[str, Json]]) -> None:
    presence = rendered["presence"]["p.v1.schema.json"]["$defs"]["p.v1.Presence"]
    assert presence["required"] == ["type", "user", "status"]
    props = presence["properties"]
    assert props["status"] == {"type": ["string", "null"]}
    assert props["device"] == {"anyOf": [{"$ref": "#/$defs/p.v1.Device"}, {"type": "null"}]}
    assert props["tags"]["items"] == {"type": ["string", "null"]}
    assert props["score"] == {
        "anyOf": [{"type": "number"}, {"enum": ["NaN", "Infinity", "-Infinity"]}, {"type": "null"}],
        "x-wsgen-type": "double",
        "x-wsgen-presence": "implicit",
    }
    device = rendered["presence"]["p.v1.schema.json"]["$defs"]["p.v1.Device"]
    assert device["additionalProperties"] == {"type": "string"}


def test_union_is_a_oneof_of_refs_with_the_discriminator_as_annotation(
    rendered: dict[str, dict[str, Json]],
) -> None:
    union = rendered["unions"]["u.v1.schema.json"]["$defs"]["u.v1.ClientMessage"]
    assert union["oneOf"] == [{"$ref": f"#/$defs/u.v1.{n}"} for n, _ in UNION_MEMBERS]
    assert union["x-wsgen-union"] == {
        "propertyName": "type",
        "mapping": {v: f"#/$defs/u.v1.{n}" for n, v in UNION_MEMBERS},
    }
    assert union["description"] == "What a client says."


def test_facets_land_where_their_json_type_is(rendered: dict[str, dict[str, Json]]) -> None:
    props = rendered["facets"]["f.v1.schema.json"]["$defs"]["f.v1.Facets"]["properties"]
    assert props["small"]["minimum"] == -5  # narrows the int32 range
    assert props["small"]["maximum"] == 2**31 - 1  # a wider bound never widens it
    assert "minimum" not in props["big"]  # an int64 travels as a string
    assert props["ratio"]["anyOf"][0] == {"type": "number", "exclusiveMinimum": 0}
    assert props["tags"]["items"] == {"type": "string", "minLength": 1}
    assert props["fixed"]["const"] == "7"
    assert props["level"]["default"] == "5"
    assert props["limit"]["default"] == "Infinity"
    assert props["old"]["deprecated"] is True
    assert props["old"]["description"] == "Use name."
    assert props["anything"] == {"x-wsgen-presence": "implicit"}
    assert "x-wsgen-presence" not in props["tags"]  # lists and maps are always implicit


def test_envelope_catalog_is_a_discriminated_union_per_direction(
    rendered: dict[str, dict[str, Json]],
) -> None:
    doc = rendered["envelope"]["chat.v1.schema.json"]
    defs = doc["$defs"]
    # a user message already owns "chat.v1.Envelope": wsgen's definition steps aside
    assert set(defs["chat.v1.Envelope"]["properties"]) == {"x"}
    assert defs["chat.v1.Envelope_"]["required"] == ["type", "id", "seq", "ts", "payload"]
    assert doc["x-wsgen-framing"] == "envelope"
    assert "x-wsgen-discriminator" not in doc  # the root keyword is for flat framing only
    assert doc["x-wsgen-catalog"] == {
        "envelope": "#/$defs/chat.v1.Envelope_",
        "directions": {
            "client_to_server": "#/$defs/chat.v1.ClientToServerFrame",
            "server_to_client": "#/$defs/chat.v1.ServerToClientFrame",
        },
    }
    c2s = defs["chat.v1.ClientToServerFrame"]
    mapping = c2s["x-wsgen-union"]["mapping"]
    assert list(mapping) == ["room.join", "typing", "hello", "ack", "error", "ping", "pong"]
    assert mapping["typing"] == "#/$defs/chat.v1.ClientToServerFrame/oneOf/1"
    first = c2s["oneOf"][0]
    assert first["properties"]["payload"] == {"$ref": "#/$defs/chat.v1.Join"}
    assert first["description"] == "Sent to join."
    # the message definition says it is a frame, in the form a schema.json input uses
    assert defs["chat.v1.Join"]["x-wsgen-frame"] == {
        "type": "room.join",
        "direction": "client_to_server",
        "handler": "join",
    }
    assert "x-wsgen-frame" not in defs["chat.v1.Envelope"]


def test_strict_flat_frame_copies_a_message_that_lacks_the_discriminator(
    rendered: dict[str, dict[str, Json]],
) -> None:
    defs = rendered["strict_flat"]["kraken.ws.schema.json"]["$defs"]
    ping = defs["kraken.ws.ClientToServerFrame"]["oneOf"][0]
    assert "$ref" not in ping
    assert ping["properties"]["event"] == {"const": "ping"}
    assert ping["additionalProperties"] is False
    status = defs["kraken.ws.ServerToClientFrame"]["oneOf"][0]
    assert status["$ref"] == "#/$defs/kraken.ws.Status"
    root = rendered["strict_flat"]["kraken.ws.schema.json"]
    assert (root["x-wsgen-framing"], root["x-wsgen-discriminator"]) == ("flat", "event")
    assert "envelope" not in root["x-wsgen-catalog"]


def test_every_annotation_keyword_is_declared(rendered: dict[str, dict[str, Json]]) -> None:
    """ajv strict mode rejects unknown keywords, so consumers must register exactly these."""
    seen: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            seen.update(k for k in node if k.startswith("x-wsgen-"))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(rendered)
    assert seen <= set(ANNOTATION_KEYWORDS)
    docs = (Path(__file__).parent.parent / "docs" / "jsonschema-output.md").read_text()
    for keyword in ANNOTATION_KEYWORDS:
        assert f"`{keyword}`" in docs


def test_output_is_deterministic_across_hash_seeds() -> None:
    script = (
        "import sys; from tests.test_jsonschema_out_shapes import FACETS, WELL_KNOWN, _model;"
        "from wsgen.backends.jsonschema import render_jsonschema;"
        "from wsgen.backends.options import BuildOptions;"
        "m = _model(*FACETS.packages, *WELL_KNOWN.packages);"
        "out = render_jsonschema(m, BuildOptions(elide_version=True));"
        "sys.stdout.write(''.join(k + v for k, v in sorted(out.items())))"
    )
    root = Path(__file__).parent.parent
    texts = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(texts) == 1


def test_files_are_pretty_printed_with_a_provenance_comment() -> None:
    out = render_jsonschema(FACETS, BuildOptions(elide_version=True))
    text = out["jsonschema/f.v1.schema.json"]
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.startswith('{\n  "$comment": "@generated by wsgen from f.json')
    assert json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n" == text
