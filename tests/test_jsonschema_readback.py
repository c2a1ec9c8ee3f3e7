"""The JSON Schema wsgen emits, read back as schema.json, lowers to the IR it was written from
(issue 3, "Equivalence tests"). Bundles are rendered with ``render_jsonschema`` (default and
strict), written into a fresh IDL folder as ``<package>.schema.json`` and loaded with the
schema.json frontend; the IR must equal the source IR package by package.

IR equality already leaves out spans, proto numbers and ``Message.origin``. The one difference
left is provenance, and it is asserted, not ignored: a read-back package's ``files`` are its
bundle (``chat.v1.schema.json``), not the .proto files, and every ``ir.File`` has syntax
``jsonschema`` (docs/ir.md, "Reading a bundle back").
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import compile_idl, write_idl
from tests.jsonschema_out_support import AjvBatch, bundles_of, node_available
from wsgen.backends.jsonschema import render_jsonschema
from wsgen.backends.options import BuildOptions
from wsgen.diagnostics import CompileError, render_diagnostics
from wsgen.frontends.jsonschema import load_jsonschema_tree
from wsgen.ir import model as ir
from wsgen.pipeline import Inputs, discover_inputs, load_model

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden"

# Every valid golden input with .proto files (error_catalog also has a schema.json package).
GOLDEN_CASES = (
    "builtin_and_member_names",
    "comment_terminator",
    "conformance_messages",
    "enum_numbers_and_unknown",
    "error_catalog",
    "flat_framing_catalog",
    "int64_as_json_string",
    "keyword_field_names",
    "map_non_string_keys",
    "real_centrifugal",
    "recursive_messages",
    "same_name_across_packages",
    "timestamp_duration",
)
SCHEMA_INPUTS = sorted(
    p.name for p in (REPO / "tests" / "inputs" / "schemajson").iterdir() if p.name != "example"
)
STRICTNESS = pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])


def read_back(folder: Path, model: ir.Model, *, strict: bool = False) -> ir.Model:
    """Render ``model``'s bundles into ``folder`` and lower them with the schema.json frontend."""
    out = render_jsonschema(model, BuildOptions(elide_version=True, jsonschema_strict=strict))
    folder.mkdir(parents=True, exist_ok=True)
    for rel, text in out.items():
        (folder / Path(rel).name).write_text(text, encoding="utf-8")
    try:
        return load_jsonschema_tree(folder)
    except CompileError as exc:  # show the diagnostics, not a traceback
        pytest.fail(render_diagnostics(exc.diagnostics, str(folder)))


def proto_only(idl: Path) -> ir.Model:
    """The IR of the .proto files of an IDL tree (schema.json files left out)."""
    found = discover_inputs(idl)
    return load_model(Inputs(found.root, found.proto, (), ()))


def assert_same_packages(source: ir.Model, back: ir.Model) -> None:
    """Equal IR per package; ``files`` (provenance) is the one expected difference."""
    assert [p.name for p in back.packages] == [p.name for p in source.packages]
    for want, got in zip(source.packages, back.packages, strict=True):
        assert got.files == (f"{want.name or '_'}.schema.json",)
        assert dataclasses.replace(got, files=want.files) == want, want.name
    assert {f.syntax for f in back.files} == {"jsonschema"}


# ---------------------------------------------------------------------------- real IDL


@STRICTNESS
def test_example_proto_packages_read_back_to_equal_ir(tmp_path: Path, strict: bool) -> None:
    source = proto_only(REPO / "idl")
    assert {p.name for p in source.packages} >= {"chat.v1", "common.v1", "presence.v1"}
    chat = next(p for p in source.packages if p.name == "chat.v1")
    assert chat.errors is not None and chat.catalog is not None  # not a vacuous comparison
    assert_same_packages(source, read_back(tmp_path / "bundles", source, strict=strict))


@STRICTNESS
def test_whole_example_product_reads_back_including_schema_json_packages(
    tmp_path: Path, strict: bool
) -> None:
    source = load_model(discover_inputs(REPO / "idl"))
    assert any(p.unions for p in source.packages)  # notify.v1's discriminated union
    assert_same_packages(source, read_back(tmp_path / "bundles", source, strict=strict))


@STRICTNESS
@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_golden_inputs_read_back_to_equal_ir(tmp_path: Path, case: str, strict: bool) -> None:
    source = load_model(discover_inputs(GOLDEN / case / "idl"))
    assert_same_packages(source, read_back(tmp_path / "bundles", source, strict=strict))


@pytest.mark.parametrize("case", SCHEMA_INPUTS)
def test_schema_json_case_inputs_read_back_to_equal_ir(tmp_path: Path, case: str) -> None:
    source = load_model(discover_inputs(REPO / "tests" / "inputs" / "schemajson" / case))
    assert_same_packages(source, read_back(tmp_path / "bundles", source))


def test_read_back_records_the_bundle_as_provenance(tmp_path: Path) -> None:
    source = proto_only(REPO / "idl")
    back = read_back(tmp_path / "bundles", source)
    chat = next(p for p in back.packages if p.name == "chat.v1")
    assert chat.files == ("chat.v1.schema.json",)
    assert {m.origin for m in chat.messages} == {"jsonschema"}
    assert {m.origin for p in source.packages for m in p.messages} == {"proto"}
    deps = next(f for f in back.files if f.path == "chat.v1.schema.json").dependencies
    assert deps == ("common.v1.schema.json",)  # cross-bundle $refs resolve between files


# ---------------------------------------------------------------------------- every IR feature

FEATURES = {
    "feat/v1/legacy.proto": r"""
        syntax = "proto2";
        package feat.v1;

        enum Closed { CLOSED_A = 1; CLOSED_B = 2; }
        enum Single { SINGLE_ONLY = 5; }

        // Old-style message with defaults.
        message Legacy {
          required string id = 1;
          optional int64 count = 2 [default = -9007199254740993];
          optional Closed closed = 3 [default = CLOSED_B];
          optional bytes blob = 4 [default = "\001hi"];
          optional double ratio = 5 [default = inf];
          optional float not_a_number = 6 [default = nan];
          optional bool on = 7 [default = true];
          optional string name = 8 [default = "x\"y"];
          optional uint32 small = 9 [default = 7];
          optional double half = 10 [default = 0.5];
          optional Single single = 11;
          repeated Legacy kids = 12;
        }
    """,
    "feat/v1/everything.proto": """
        syntax = "proto3";
        package feat.v1;

        import "google/protobuf/any.proto";
        import "google/protobuf/duration.proto";
        import "google/protobuf/empty.proto";
        import "google/protobuf/field_mask.proto";
        import "google/protobuf/struct.proto";
        import "google/protobuf/timestamp.proto";
        import "google/protobuf/wrappers.proto";
        import "wsgen/options.proto";
        import "feat/v1/legacy.proto";

        // How loud.
        enum Level {
          option allow_alias = true;
          reserved 9;
          reserved "LEVEL_OLD";
          LEVEL_UNSPECIFIED = 0;
          // Quiet, and documented.
          LEVEL_LOW = 1;
          LEVEL_QUIET = 1;
          LEVEL_HIGH = 2 [deprecated = true];
        }

        enum Lonely { LONELY_ONLY = 0; }

        // Everything a message can hold.
        message Everything {
          option (wsgen.frame) = { type: "everything" direction: BOTH handler: "on_everything" };
          option deprecated = true;
          reserved 40 to 45;
          reserved "gone", "also_gone";
          string plain = 1;
          optional string maybe = 2;
          Level level = 3;
          Lonely lonely = 4;
          // The choice, documented.
          oneof choice {
            string text = 5;
            Inner inner = 6;
            int64 big = 7;
          }
          oneof solo { bool only = 8; }
          message Inner {
            message Deeper {
              enum Mood { MOOD_UNSPECIFIED = 0; MOOD_GOOD = 1; }
              Mood mood = 1;
              Deeper again = 2;
            }
            Deeper deeper = 1;
          }
          map<bool, Level> by_flag = 9;
          map<int64, Inner> by_id = 10;
          map<uint32, string> by_u = 11;
          repeated Inner.Deeper path = 12;
          string custom = 13 [json_name = "Custom-Key"];
          string field_name18__ = 14;
          sint32 s32 = 15;
          fixed64 f64 = 16;
          sfixed32 sf32 = 17;
          double d = 18;
          float f = 19;
          bytes raw = 20;
          uint64 u64 = 21;
          google.protobuf.Any any = 22;
          google.protobuf.Struct st = 23;
          google.protobuf.Value v = 24;
          google.protobuf.ListValue lv = 25;
          google.protobuf.NullValue nv = 26;
          google.protobuf.Empty e = 27;
          google.protobuf.FieldMask fm = 28;
          google.protobuf.Timestamp ts = 29;
          google.protobuf.Duration du = 30;
          google.protobuf.DoubleValue dw = 31;
          google.protobuf.FloatValue fw = 32;
          google.protobuf.Int64Value i64w = 33;
          google.protobuf.UInt64Value u64w = 34;
          google.protobuf.Int32Value i32w = 35;
          google.protobuf.UInt32Value u32w = 36;
          google.protobuf.BoolValue bw = 37;
          google.protobuf.StringValue sw = 38;
          google.protobuf.BytesValue byw = 39;
          Nothing nothing = 46;
          Envelope envelope = 47;
          Legacy legacy = 48 [deprecated = true];
          repeated google.protobuf.Int32Value wrapped_list = 49;
        }

        message Nothing {}
        // A user type with the name wsgen's envelope definition would take.
        message Envelope { string note = 1; }
        message ClientToServerFrame {
          option (wsgen.frame) = { type: "c2s" direction: CLIENT_TO_SERVER };
        }
    """,
    "flat/v1/flat.proto": """
        syntax = "proto3";
        package flat.v1;

        import "wsgen/options.proto";
        import "feat/v1/everything.proto";

        option (wsgen.catalog) = { framing: FLAT discriminator: "event" };

        message Ping {
          option (wsgen.frame) = { type: "ping" direction: CLIENT_TO_SERVER };
          string event = 1;
          feat.v1.Everything.Inner inner = 2;
        }
        message Outer {
          message Pong {
            option (wsgen.frame) = { type: "pong" direction: SERVER_TO_CLIENT };
            int32 reqid = 1;
            feat.v1.Level level = 2;
          }
        }
    """,
    "root.proto": """
        syntax = "proto3";
        // No package statement: the root package "".
        message Top { message Sub { string a = 1; } Sub sub = 1; }
        enum Shade { SHADE_UNSPECIFIED = 0; }
    """,
}


@pytest.fixture(scope="module")
def features(tmp_path_factory: pytest.TempPathFactory) -> ir.Model:
    return compile_idl(tmp_path_factory.mktemp("features"), FEATURES)


def test_feature_contract_exercises_what_the_annotations_carry(features: ir.Model) -> None:
    """Guard against a vacuous comparison: the contract has every IR detail a keyword carries."""
    index = features.index()
    level = index.enums["feat.v1.Level"]
    assert level.allow_alias and level.open and level.reserved_names == ("LEVEL_OLD",)
    assert [(v.name, v.alias_of, v.doc, v.deprecated) for v in level.values] == [
        ("LEVEL_UNSPECIFIED", None, "", False),
        ("LEVEL_LOW", None, "Quiet, and documented.", False),
        ("LEVEL_QUIET", "LEVEL_LOW", "", False),
        ("LEVEL_HIGH", None, "", True),
    ]
    assert not index.enums["feat.v1.Closed"].open
    everything = index.messages["feat.v1.Everything"]
    assert everything.reserved_names == ("gone", "also_gone")
    assert [(o.name, o.doc) for o in everything.oneofs] == [
        ("choice", "The choice, documented."),
        ("solo", ""),
    ]
    fields = {f.name: f for f in everything.fields}
    assert fields["plain"].presence is ir.Presence.IMPLICIT
    assert fields["custom"].json_name == "Custom-Key"
    assert fields["field_name18__"].json_name == "fieldName18"
    assert index.messages["feat.v1.Legacy"].fields[1].default == -9007199254740993
    assert index.messages["feat.v1.Everything.Inner.Deeper"].scope == ("Everything", "Inner")
    assert [p.name for p in features.packages] == ["", "feat.v1", "flat.v1"]


@STRICTNESS
def test_feature_contract_reads_back_to_equal_ir(
    tmp_path: Path, features: ir.Model, strict: bool
) -> None:
    assert_same_packages(features, read_back(tmp_path / "bundles", features, strict=strict))


def test_feature_bundles_compile_under_ajv_strict(features: ir.Model) -> None:
    if not node_available():
        pytest.skip("node and node_modules/ajv are needed (make dev-deps)")
    batch = AjvBatch()
    for strict in (False, True):
        batch.add(
            f"strict={strict}", bundles_of(features, BuildOptions(jsonschema_strict=strict)), []
        )
    for name, result in batch.run().items():
        assert result["compileErrors"] == [], name


def test_bundle_declares_in_ir_order(features: ir.Model) -> None:
    """$defs follow the IR (nested right after the parent), so read-back keeps the order."""
    bundle = bundles_of(features)["feat.v1.schema.json"]
    keys = list(bundle["$defs"])
    messages = [k for k in keys if k in features.index().messages]
    assert messages == [
        m.full_name for p in features.packages for m in p.messages if m.package == "feat.v1"
    ]
    assert keys.index("feat.v1.Envelope_") > keys.index("feat.v1.Level")
    assert keys[-1].startswith("google.protobuf.")


# ---------------------------------------------------------------------------- diagnostics


def _schema(defs: dict[str, Any], **root: Any) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "x-wsgen-package": "x.v1",
        **root,
        "$defs": defs,
    }


def _errors(tmp_path: Path, doc: dict[str, Any]) -> str:
    idl = write_idl(tmp_path / "idl", {"x.schema.json": json.dumps(doc, indent=2)})
    with pytest.raises(CompileError) as info:
        load_jsonschema_tree(idl)
    text: str = render_diagnostics(info.value.diagnostics, "idl")
    return text


OBJ = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}


@pytest.mark.parametrize(
    ("defs", "root", "expected"),
    [
        pytest.param(
            {"y.v1.A": OBJ},
            {},
            'x.schema.json:5:5: error: definition name "y.v1.A" is a full name outside this '
            'file\'s package "x.v1" [WSG409]',
            id="full-name-of-another-package",
        ),
        pytest.param(
            {"x.v1.A.B": OBJ},
            {},
            'error: "x.v1.A.B" is nested in "x.v1.A", which this file does not define as a '
            "message [WSG409]",
            id="nested-without-parent",
        ),
        pytest.param(
            {"x.v1.A": OBJ, "A": OBJ},
            {},
            'error: "x.v1.A" is declared twice [WSG409]',
            id="full-and-short-key-clash",
        ),
        pytest.param(
            {"A": OBJ},
            {"x-wsgen-catalog": {"directions": {"client_to_server": "#/$defs/Nope"}}},
            'error: "x-wsgen-catalog" names wsgen\'s catalog definitions',
            id="catalog-names-a-missing-definition",
        ),
        pytest.param(
            {"A": {**OBJ, "x-wsgen-oneof": {"pick": {"members": ["a", "b"]}}}},
            {},
            'error: "dependentSchemas" beside "x-wsgen-oneof" must say exactly',
            id="oneof-without-its-dependent-schemas",
        ),
        pytest.param(
            {"A": {**OBJ, "x-wsgen-oneof": {"pick": {"members": ["a", "zz"]}}}},
            {},
            'error: oneof "pick" lists "zz", which is not a property [WSG408]',
            id="oneof-member-unknown",
        ),
        pytest.param(
            {"A": {**OBJ, "dependentSchemas": {"a": {"properties": {"b": False}}}}},
            {},
            'error: "dependentSchemas": dependent schemas cannot be turned into a type [WSG406]',
            id="dependent-schemas-alone-still-unsupported",
        ),
        pytest.param(
            {
                "A": {
                    "type": "object",
                    "properties": {"a": {"type": "array", "x-wsgen-presence": "implicit"}},
                }
            },
            {},
            'error: "x-wsgen-presence: implicit" does not apply to an array or map',
            id="implicit-on-a-list",
        ),
        pytest.param(
            {
                "A": {
                    "type": "object",
                    "properties": {
                        "a": {"type": "array", "items": {"$ref": "#/$defs/B", "x-wsgen-name": "q"}}
                    },
                },
                "B": OBJ,
            },
            {},
            'error: unknown or misplaced wsgen keyword "x-wsgen-name" [WSG408]',
            id="field-keyword-off-a-property",
        ),
        pytest.param(
            {
                "A": {
                    "type": "object",
                    "properties": {
                        "a": {"type": "string", "x-wsgen-name": "b"},
                        "b": {"type": "string"},
                    },
                }
            },
            {},
            'error: properties "a" and "b" both have the field name "b" [WSG409]',
            id="field-name-clash",
        ),
        pytest.param(
            {"E": {"enum": ["A", "B"], "x-wsgen-enum-numbers": {"A": 0}}},
            {},
            'error: "x-wsgen-enum-numbers" must give every value of the enum, and only those, '
            "an int32 number [WSG408]",
            id="enum-numbers-incomplete",
        ),
        pytest.param(
            {
                "E": {
                    "anyOf": [{"enum": ["A"]}, {"type": "integer"}],
                    "x-wsgen-enum-numbers": {"A": 0},
                }
            },
            {},
            'error: "x-wsgen-enum-numbers" belongs on an enum',
            id="open-enum-without-the-int32-branch",
        ),
        pytest.param(
            {"E": {"enum": ["A", "B"], "x-wsgen-enum-values": {"C": {"description": "?"}}}},
            {},
            'error: "x-wsgen-enum-values" entry "C" must be a value of the enum',
            id="enum-note-for-unknown-value",
        ),
        pytest.param(
            {"A": {**OBJ, "x-wsgen-enum-numbers": {}}},
            {},
            'error: "x-wsgen-enum-numbers" belongs on an enum',
            id="enum-keyword-on-a-message",
        ),
        pytest.param(
            {"A": {**OBJ, "x-wsgen-reserved-names": "gone"}},
            {},
            'error: "x-wsgen-reserved-names" must be an array of strings [WSG408]',
            id="reserved-names-not-a-list",
        ),
    ],
)
def test_read_back_keywords_are_checked(
    tmp_path: Path, defs: dict[str, Any], root: dict[str, Any], expected: str
) -> None:
    assert expected in _errors(tmp_path, _schema(defs, **root))


def test_hand_written_schema_json_may_use_the_read_back_keywords(tmp_path: Path) -> None:
    """What the backend writes is plain schema.json vocabulary: a hand-written file gets the
    same IR (a oneof, implicit presence, an open enum with numbers, a nested full name)."""
    doc = _schema(
        {
            "x.v1.Pick": {
                "type": "object",
                "properties": {
                    "a": {"type": "string"},
                    "b": {"$ref": "#/$defs/x.v1.Pick.Mood"},
                    "count": {"type": "integer", "x-wsgen-presence": "implicit"},
                    "ID": {"type": "string", "x-wsgen-name": "id"},
                },
                "dependentSchemas": {
                    "a": {"properties": {"b": False}},
                    "b": {"properties": {"a": False}},
                },
                "x-wsgen-oneof": {"either": {"members": ["a", "b"], "description": "One."}},
            },
            "x.v1.Pick.Mood": {
                "anyOf": [
                    {"enum": ["MOOD_UNKNOWN", "MOOD_OK"]},
                    {"type": "integer", "minimum": -2147483648, "maximum": 2147483647},
                ],
                "x-wsgen-enum-numbers": {"MOOD_UNKNOWN": 0, "MOOD_OK": 1},
            },
        }
    )
    idl = write_idl(tmp_path / "idl", {"x.schema.json": json.dumps(doc)})
    model = load_jsonschema_tree(idl)
    index = model.index()
    pick = index.messages["x.v1.Pick"]
    assert [(f.name, f.oneof, f.presence) for f in pick.fields] == [
        ("a", "either", ir.Presence.EXPLICIT),
        ("b", "either", ir.Presence.EXPLICIT),
        ("count", None, ir.Presence.IMPLICIT),
        ("id", None, ir.Presence.EXPLICIT),
    ]
    assert pick.oneofs == (ir.Oneof("either", doc="One."),)
    mood = index.enums["x.v1.Pick.Mood"]
    assert (mood.scope, mood.open, [v.number for v in mood.values]) == (("Pick",), True, [0, 1])
