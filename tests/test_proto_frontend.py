"""The .proto frontend: what protoc's descriptors lower to, and how bad input is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import compile_idl
from wsgen.diagnostics import CompileError
from wsgen.ir import model as ir


def _msg(model: ir.Model, full: str) -> ir.Message:
    return model.index().messages[full]


def _field(msg: ir.Message, name: str) -> ir.Field:
    return next(f for f in msg.fields if f.name == name)


def test_scalars_presence_and_json_names(tmp_path: Path) -> None:
    model = compile_idl(
        tmp_path,
        {
            "a.proto": """
            syntax = "proto3";
            package a.v1;
            message M {
              int64 big_number = 1;
              optional string maybe = 2;
              string custom = 3 [json_name = "CUSTOM"];
              repeated bytes blobs = 4;
              M child = 5;
              string old = 6 [deprecated = true];
            }
            """
        },
    )
    m = _msg(model, "a.v1.M")
    big = _field(m, "big_number")
    assert big.json_name == "bigNumber"
    assert big.type == ir.ScalarType(ir.Scalar.INT64)
    assert big.presence is ir.Presence.IMPLICIT
    assert _field(m, "maybe").presence is ir.Presence.EXPLICIT
    assert _field(m, "maybe").oneof is None  # synthetic oneof is presence, not a user oneof
    assert m.oneofs == ()
    assert _field(m, "custom").json_name == "CUSTOM"
    assert _field(m, "blobs").type == ir.ListType(ir.ScalarType(ir.Scalar.BYTES))
    assert _field(m, "child").type == ir.MessageRef("a.v1.M")
    assert _field(m, "child").presence is ir.Presence.EXPLICIT
    assert _field(m, "old").deprecated
    assert big.span == ir.Span("a.proto", 4, 3)
    assert big.number == 1


def test_nested_types_oneof_maps_and_wkt(tmp_path: Path) -> None:
    model = compile_idl(
        tmp_path,
        {
            "n.proto": """
            syntax = "proto3";
            package n;
            import "google/protobuf/timestamp.proto";
            import "google/protobuf/wrappers.proto";
            message Outer {
              message Inner { enum Kind { KIND_UNSPECIFIED = 0; KIND_A = 1; } Kind kind = 1; }
              oneof choice { Inner inner = 1; string label = 2; }
              map<int32, Inner> by_id = 3;
              google.protobuf.Timestamp at = 4;
              google.protobuf.Int64Value boxed = 5;
            }
            """
        },
    )
    pkg = model.packages[0]
    assert [m.full_name for m in pkg.messages] == ["n.Outer", "n.Outer.Inner"]
    assert [e.full_name for e in pkg.enums] == ["n.Outer.Inner.Kind"]
    inner = _msg(model, "n.Outer.Inner")
    assert inner.scope == ("Outer",)
    outer = _msg(model, "n.Outer")
    assert [o.name for o in outer.oneofs] == ["choice"]
    assert _field(outer, "inner").oneof == "choice"
    assert _field(outer, "label").presence is ir.Presence.EXPLICIT
    assert _field(outer, "by_id").type == ir.MapType(
        ir.Scalar.INT32, ir.MessageRef("n.Outer.Inner")
    )
    assert _field(outer, "at").type == ir.WellKnownType(ir.WellKnown.TIMESTAMP)
    assert _field(outer, "boxed").type == ir.WellKnownType(ir.WellKnown.INT64_VALUE)
    # map entry messages never surface as messages
    assert all("Entry" not in m.name for m in pkg.messages)


def test_proto2_required_defaults_and_closed_enums(tmp_path: Path) -> None:
    model = compile_idl(
        tmp_path,
        {
            "p2.proto": """
            syntax = "proto2";
            package p2;
            enum E { A = 1; B = 2; }
            message M {
              required string id = 1;
              optional int32 n = 2 [default = -7];
              optional E e = 3 [default = B];
              optional double d = 4 [default = inf];
              optional bytes raw = 5 [default = "a\\001"];
              optional bool on = 6 [default = true];
            }
            """
        },
    )
    m = _msg(model, "p2.M")
    assert _field(m, "id").presence is ir.Presence.REQUIRED
    assert (_field(m, "n").default, _field(m, "n").has_default) == (-7, True)
    assert _field(m, "n").presence is ir.Presence.EXPLICIT
    assert _field(m, "e").default == "B"
    assert _field(m, "d").default == "Infinity"
    assert _field(m, "raw").default == "YQE="
    assert _field(m, "on").default is True
    assert not model.index().enums["p2.E"].open


def test_allow_alias_reserved_and_comments(tmp_path: Path) -> None:
    model = compile_idl(
        tmp_path,
        {
            "e.proto": """
            syntax = "proto3";
            package e;
            // Animal sounds.
            //   Indented line */ stays.
            enum Sound {
              option allow_alias = true;
              SOUND_UNSPECIFIED = 0;
              MOO = 1;
              moo = 1; // lower-case alias
            }
            message M {
              reserved 2, 5 to 7;
              reserved "gone";
              Sound s = 1; // trailing doc
            }
            """
        },
    )
    sound = model.index().enums["e.Sound"]
    assert sound.open and sound.allow_alias
    assert [(v.name, v.number, v.alias_of) for v in sound.values] == [
        ("SOUND_UNSPECIFIED", 0, None),
        ("MOO", 1, None),
        ("moo", 1, "MOO"),
    ]
    assert sound.doc == "Animal sounds.\n  Indented line */ stays."
    assert sound.values[2].doc == "lower-case alias"
    m = _msg(model, "e.M")
    assert m.reserved_names == ("gone",)
    assert m.reserved_ranges == ((2, 3), (5, 8))
    assert _field(m, "s").doc == "trailing doc"


def test_frames_and_flat_catalog(tmp_path: Path) -> None:
    model = compile_idl(
        tmp_path,
        {
            "k.proto": """
            syntax = "proto3";
            package k;
            import "wsgen/options.proto";
            option (wsgen.catalog) = { framing: FLAT discriminator: "event" };
            message Subscribe {
              option (wsgen.frame) = { type: "subscribe" direction: CLIENT_TO_SERVER };
              string pair = 1;
            }
            message Heartbeat {
              option (wsgen.frame) = { type: "heartbeat" direction: BOTH handler: "beat" };
            }
            message NotAFrame { int32 x = 1; }
            """
        },
    )
    cat = model.packages[0].catalog
    assert cat is not None
    assert cat.framing == ir.Framing(ir.FramingKind.FLAT, "event")
    assert [(f.message, f.discriminator, f.direction, f.handler) for f in cat.frames] == [
        ("k.Subscribe", "subscribe", ir.Direction.CLIENT_TO_SERVER, "subscribe"),
        ("k.Heartbeat", "heartbeat", ir.Direction.BOTH, "beat"),
    ]


def test_unannotated_proto_has_no_catalog(tmp_path: Path) -> None:
    model = compile_idl(tmp_path, {"x.proto": 'syntax = "proto3";\npackage x;\nmessage A {}\n'})
    assert model.packages[0].catalog is None
    assert model.files == (ir.File("x.proto", "x", "proto3"),)


def test_real_centrifugal_protocol_lowers_unchanged(tmp_path: Path) -> None:
    # an unchanged copy of ../shared/real-idl/proto/centrifugal/client.proto
    src = Path(__file__).parent / "golden/real_centrifugal/idl/centrifugal/client.proto"
    model = compile_idl(tmp_path, {"centrifugal/client.proto": src.read_text()})
    pkg = [p.name for p in model.packages]
    assert pkg == ["centrifugal.centrifuge.protocol"]
    assert len(model.packages[0].messages) > 40


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"bad.proto": 'syntax = "proto3";\nmessage X { Foo y = 1; }\n'},
            ['bad.proto:2:13: error: "Foo" is not defined [WSG100]'],
        ),
        (
            {"bad.proto": 'syntax = "proto3";\nimport "nope.proto";\n'},
            [
                'bad.proto:2:1: error: import "nope.proto" was not found or had errors [WSG100]',
                "nope.proto: error: file not found [WSG100]",
            ],
        ),
    ],
)
def test_protoc_errors_name_file_line_col(
    tmp_path: Path, files: dict[str, str], expected: list[str]
) -> None:
    with pytest.raises(CompileError) as info:
        compile_idl(tmp_path, files)
    text = str(info.value)
    for line in expected:
        assert line in text
    assert "Traceback" not in text


def test_file_without_syntax_line_builds_as_proto2(tmp_path: Path) -> None:
    """protoc only warns (through its log) and defaults to proto2; so does wsgen."""
    model = compile_idl(
        tmp_path, {"nosyn.proto": "package x;\nmessage A { optional int32 a = 1; }\n"}
    )
    assert model.files[0].syntax == "proto2"
    assert model.packages[0].messages[0].fields[0].presence is ir.Presence.EXPLICIT
