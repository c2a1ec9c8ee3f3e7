"""JSON Schema output for the shared cases (../shared/cases): each case's .proto compiled with the
real compiler, its documents validated with Python ``jsonschema`` and with ajv (one node run for
the whole module), and every bundle checked against the 2020-12 meta-schema."""

from __future__ import annotations

import json
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
from wsgen.backends.jsonschema import render_jsonschema
from wsgen.backends.options import BuildOptions

Json = dict[str, Any]


@dataclass(frozen=True)
class Case:
    files: dict[str, str]
    checks: tuple[Check, ...]


KW = def_ref("kw.v1", "kw.v1.Route")
STEP = def_ref("tree.v1", "tree.v1.Step")
CHAIN = def_ref("tree.v1", "tree.v1.Chain")
TALLY = def_ref("tally.v1", "tally.v1.Tally")
COUNTERS = def_ref("nums.v1", "nums.v1.Counters")
LEASE = def_ref("lease.v1", "lease.v1.Lease")
PALETTE = def_ref("art.v1", "art.v1.Palette")
CUSTOMER = def_ref("crm.v1", "crm.v1.Customer")


def _chain(depth: int) -> Json:
    doc: Json = {"v": depth}
    for v in range(depth - 1, 0, -1):
        doc = {"v": v, "next": doc}
    return doc


CASES: dict[str, Case] = {
    "01_keyword_field_names": Case(
        {
            "kw.proto": """
            syntax = "proto3";
            package kw.v1;
            message Route {
              string from = 1; string class = 2; bool global = 3; int32 async = 4;
              string lambda = 5; string None = 6; string True = 7; string self = 8;
              string cls = 9;
            }
            """
        },
        (
            Check(
                KW,
                {
                    "from": "A",
                    "class": "c",
                    "global": True,
                    "async": 3,
                    "lambda": "l",
                    "None": "n",
                    "True": "t",
                    "self": "s",
                    "cls": "c",
                },
            ),
            Check(KW, {"from": 1}, valid=False),
        ),
    ),
    "02_recursive_messages": Case(
        {
            "tree.proto": """
            syntax = "proto3";
            package tree.v1;
            message Step { oneof kind { Group group = 1; string leaf = 2; } }
            message Group { string label = 1; Step inner = 2; repeated Step children = 3; }
            message Chain { int32 v = 1; Chain next = 2; }
            """
        },
        (
            Check(STEP, {}),
            Check(CHAIN, {}),
            Check(
                STEP,
                {
                    "group": {
                        "label": "a",
                        "inner": {"leaf": "x"},
                        "children": [{"leaf": "y"}, {}],
                    }
                },
            ),
            Check(STEP, {"leaf": ""}),
            Check(CHAIN, _chain(90)),
            Check(STEP, {"group": {"inner": {"leaf": 5}}}, valid=False),
            # oneof: at most one member
            Check(STEP, {"group": {}, "leaf": "x"}, valid=False),
        ),
    ),
    "04_map_non_string_keys": Case(
        {
            "tally.proto": """
            syntax = "proto3";
            package tally.v1;
            message Tally {
              map<int64, int64> by_id = 1;
              map<int32, string> by_code = 2;
              map<bool, string> by_flag = 3;
              map<uint64, string> by_big = 4;
              map<string, int64> by_name = 5;
            }
            """
        },
        (
            Check(
                TALLY,
                {
                    "byId": {"-9007199254740993": "9007199254740993"},
                    "byCode": {"7": "seven", "-1": "neg"},
                    "byFlag": {"true": "yes", "false": "no"},
                    "byBig": {"18446744073709551615": "max"},
                    "byName": {"n": "-5"},
                },
            ),
            Check(TALLY, {"byFlag": {"1": "x"}}, valid=False),
            Check(TALLY, {"byFlag": {"True": "x"}}, valid=False),
            Check(TALLY, {"byCode": {"abc": "x"}}, valid=False),
            Check(TALLY, {"byBig": {"-1": "x"}}, valid=False),
            Check(TALLY, {"byId": {"1": 1}}, valid=False),
        ),
    ),
    "05_int64_as_json_string": Case(
        {
            "nums.proto": """
            syntax = "proto3";
            package nums.v1;
            message Counters {
              int64 total = 1; uint64 bytes_sent = 2; sint64 delta = 3; fixed64 checksum = 4;
              sfixed64 offset = 5; int32 small = 6; uint32 usmall = 7;
              repeated int64 samples = 8; double ratio = 9;
            }
            """
        },
        (
            Check(
                COUNTERS,
                {
                    "total": "9007199254740993",
                    "bytesSent": "18446744073709551615",
                    "delta": "-9007199254740993",
                    "checksum": "1",
                    "offset": "-1",
                    "small": -2147483648,
                    "usmall": 4294967295,
                    "samples": ["1", "-2", "9007199254740993"],
                    "ratio": 0.1,
                },
            ),
            Check(COUNTERS, {"ratio": "NaN"}),
            Check(COUNTERS, {"ratio": "-Infinity"}),
            Check(COUNTERS, {"total": "abc"}, valid=False),
            Check(COUNTERS, {"total": 5}, valid=False),
            Check(COUNTERS, {"bytesSent": "-1"}, valid=False),
            Check(COUNTERS, {"small": 2147483648}, valid=False),
            Check(COUNTERS, {"usmall": -1}, valid=False),
            Check(COUNTERS, {"small": 1.5}, valid=False),
            Check(COUNTERS, {"ratio": "nan"}, valid=False),
        ),
    ),
    "08_timestamp_duration_json": Case(
        {
            "lease.proto": """
            syntax = "proto3";
            package lease.v1;
            import "google/protobuf/timestamp.proto";
            import "google/protobuf/duration.proto";
            message Lease {
              google.protobuf.Timestamp granted_at = 1;
              google.protobuf.Duration ttl = 2;
              repeated google.protobuf.Duration steps = 3;
            }
            """
        },
        (
            Check(
                LEASE,
                {
                    "grantedAt": "2023-11-14T22:13:20.123456789Z",
                    "ttl": "1.500s",
                    "steps": ["-1.500s", "0.000001s", "3s", "0.000000001s", "-0.000000001s"],
                },
            ),
            *(
                Check(LEASE, {"grantedAt": ts})
                for ts in (
                    "1970-01-01T00:00:00Z",
                    "1970-01-01T00:00:00.500Z",
                    "1970-01-01T00:00:00.000123Z",
                    "1969-12-31T23:59:59Z",
                )
            ),
            Check(LEASE, {"grantedAt": {"seconds": 1}}, valid=False),
            Check(LEASE, {"grantedAt": "2023-11-14T22:13:20"}, valid=False),
            Check(LEASE, {"grantedAt": "2023-11-14 22:13:20Z"}, valid=False),
            Check(LEASE, {"grantedAt": 1234}, valid=False),
            Check(LEASE, {"ttl": "1.5"}, valid=False),
            Check(LEASE, {"ttl": "PT1S"}, valid=False),
            Check(LEASE, {"ttl": {"seconds": 1}}, valid=False),
        ),
    ),
    "11_enum_numeric_and_unknown_values": Case(
        {
            "palette.proto": """
            syntax = "proto3";
            package art.v1;
            enum Shade { SHADE_UNSPECIFIED = 0; SHADE_LIGHT = 1; SHADE_DARK = 2; }
            message Palette {
              Shade main = 1; repeated Shade extra = 2; map<string, Shade> by_name = 3;
            }
            """
        },
        (
            Check(
                PALETTE,
                {"main": "SHADE_DARK", "extra": ["SHADE_LIGHT", "SHADE_DARK", "SHADE_UNSPECIFIED"]},
            ),
            Check(PALETTE, {"main": 7}),
            Check(PALETTE, {"extra": [7, "SHADE_LIGHT"]}),
            Check(PALETTE, {"byName": {"x": "SHADE_DARK", "y": "SHADE_LIGHT"}}),
            Check(PALETTE, {}),
            Check(PALETTE, {"main": "SHADE_NEON"}, valid=False),
            Check(PALETTE, {"main": "shade_dark"}, valid=False),
            Check(PALETTE, {"main": 1.5}, valid=False),
        ),
    ),
    "12_same_message_name_across_packages": Case(
        {
            "geo/v1/place.proto": """
            syntax = "proto3";
            package geo.v1;
            message Address { string street = 1; string city = 2; }
            """,
            "crm/v1/customer.proto": """
            syntax = "proto3";
            package crm.v1;
            import "geo/v1/place.proto";
            message Address { string id = 1; geo.v1.Address location = 2; }
            message Customer { Address primary = 1; geo.v1.Address billing = 2; }
            """,
        },
        (
            Check(
                CUSTOMER,
                {
                    "primary": {
                        "id": "a1",
                        "location": {"street": "1 Main", "city": "Springfield"},
                    },
                    "billing": {"street": "PO Box 9", "city": "Shelbyville"},
                },
            ),
            Check(CUSTOMER, {"billing": {"street": 9}}, valid=False),
            Check(CUSTOMER, {"primary": {"id": 1}}, valid=False),
            Check(CUSTOMER, {"primary": {"location": {"city": 1}}}, valid=False),
        ),
    ),
    "14_comment_terminator_in_description": Case(
        {
            "notice.proto": """
            syntax = "proto3";
            package notes.v1;

            // Server notice. Ends a comment */ and keeps going
            message Notice {
              // Matches src/**/*.ts and lib/*/x
              string glob = 1;
              // */ export const pwned = 1; /*
              string inject = 2;
            }
            """
        },
        (Check(def_ref("notes.v1", "notes.v1.Notice"), {"glob": "a", "inject": "b"}),),
    ),
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Json]]:
    """case name → bundles ($id → document), compiled once per module."""
    out: dict[str, dict[str, Json]] = {}
    for name, case in CASES.items():
        model = compile_idl(tmp_path_factory.mktemp(name), case.files)
        out[name] = bundles_of(model)
    return out


@pytest.fixture(scope="module")
def ajv_results(rendered: dict[str, dict[str, Json]]) -> dict[str, Json]:
    """Every case's bundles and documents through ajv in a single node process."""
    if not node_available():
        pytest.skip("node and node_modules/ajv are needed (make dev-deps)")
    batch = AjvBatch()
    for name, case in CASES.items():
        batch.add(name, rendered[name], [(c.ref, c.document) for c in case.checks])
    return batch.run()


@pytest.mark.parametrize("name", sorted(CASES))
def test_bundles_are_valid_2020_12_schemas(name: str, rendered: dict[str, dict[str, Json]]) -> None:
    for doc in rendered[name].values():
        jsonschema.Draft202012Validator.check_schema(doc)


@pytest.mark.parametrize("name", sorted(CASES))
def test_ajv_compiles_every_definition_in_strict_mode(name: str, ajv_results: Json) -> None:
    assert ajv_results[name]["compileErrors"] == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_documents_validate_as_the_case_expects(
    name: str, rendered: dict[str, dict[str, Json]], ajv_results: Json
) -> None:
    bundles = rendered[name]
    verdicts = ajv_results[name]["verdicts"]
    for check, ajv in zip(CASES[name].checks, verdicts, strict=True):
        doc = json.dumps(check.document)[:120]
        assert python_validator(bundles, check.ref).is_valid(check.document) is check.valid, doc
        assert ajv["valid"] is check.valid, (doc, ajv["errors"])


def test_keyword_field_names_keep_their_json_names(rendered: dict[str, dict[str, Json]]) -> None:
    route = rendered["01_keyword_field_names"]["kw.v1.schema.json"]["$defs"]["kw.v1.Route"]
    assert list(route["properties"]) == [
        "from", "class", "global", "async", "lambda", "None", "True", "self", "cls"
    ]  # fmt: skip
    assert "from_" not in json.dumps(rendered["01_keyword_field_names"])


def test_recursive_messages_use_refs_and_stay_small(tmp_path: Path) -> None:
    model = compile_idl(tmp_path, CASES["02_recursive_messages"].files)
    (text,) = render_jsonschema(model, BuildOptions(elide_version=True)).values()
    assert len(text.encode()) < 50_000
    chain = json.loads(text)["$defs"]["tree.v1.Chain"]
    assert chain["properties"]["next"] == {"$ref": "#/$defs/tree.v1.Chain"}


def test_map_keys_carry_their_text_form(rendered: dict[str, dict[str, Json]]) -> None:
    props = rendered["04_map_non_string_keys"]["tally.v1.schema.json"]["$defs"]["tally.v1.Tally"][
        "properties"
    ]
    assert props["byId"]["type"] == "object"
    assert props["byId"]["propertyNames"] == {"pattern": "^-?[0-9]+$", "x-wsgen-type": "int64"}
    assert props["byId"]["additionalProperties"]["type"] == "string"
    assert props["byCode"]["propertyNames"] == {"pattern": "^-?[0-9]+$", "x-wsgen-type": "int32"}
    assert props["byBig"]["propertyNames"] == {"pattern": "^[0-9]+$", "x-wsgen-type": "uint64"}
    assert props["byFlag"]["propertyNames"] == {"enum": ["true", "false"], "x-wsgen-type": "bool"}
    assert "propertyNames" not in props["byName"]


def test_64_bit_integers_are_strings_and_32_bit_are_bounded(
    rendered: dict[str, dict[str, Json]],
) -> None:
    props = rendered["05_int64_as_json_string"]["nums.v1.schema.json"]["$defs"]["nums.v1.Counters"][
        "properties"
    ]
    for name in ("total", "delta", "offset"):
        assert props[name]["type"] == "string"
        assert props[name]["pattern"] == "^-?[0-9]+$"
    for name in ("bytesSent", "checksum"):
        assert props[name]["pattern"] == "^[0-9]+$"
    assert props["samples"]["items"]["type"] == "string"
    assert props["small"] == {
        "type": "integer",
        "minimum": -(2**31),
        "maximum": 2**31 - 1,
        "x-wsgen-type": "int32",
        "x-wsgen-presence": "implicit",
    }


def test_timestamp_and_duration_are_strings(rendered: dict[str, dict[str, Json]]) -> None:
    defs = rendered["08_timestamp_duration_json"]["lease.v1.schema.json"]["$defs"]
    assert defs["google.protobuf.Timestamp"]["type"] == "string"
    assert defs["google.protobuf.Timestamp"]["format"] == "date-time"
    assert defs["google.protobuf.Timestamp"]["x-wsgen-type"] == "google.protobuf.Timestamp"
    assert defs["google.protobuf.Duration"]["type"] == "string"
    props = defs["lease.v1.Lease"]["properties"]
    assert props["grantedAt"] == {"$ref": "#/$defs/google.protobuf.Timestamp"}


def test_open_enum_admits_names_and_numbers(rendered: dict[str, dict[str, Json]]) -> None:
    shade = rendered["11_enum_numeric_and_unknown_values"]["art.v1.schema.json"]["$defs"][
        "art.v1.Shade"
    ]
    names = ["SHADE_UNSPECIFIED", "SHADE_LIGHT", "SHADE_DARK"]
    assert shade["anyOf"][0] == {"enum": names}
    assert shade["anyOf"][1]["type"] == "integer"


def test_same_name_in_two_packages_gives_two_definitions(
    rendered: dict[str, dict[str, Json]],
) -> None:
    bundles = rendered["12_same_message_name_across_packages"]
    crm = bundles["crm.v1.schema.json"]["$defs"]
    geo = bundles["geo.v1.schema.json"]["$defs"]
    customer = crm["crm.v1.Customer"]["properties"]
    assert customer["primary"] == {"$ref": "#/$defs/crm.v1.Address"}
    assert customer["billing"] == {"$ref": "geo.v1.schema.json#/$defs/geo.v1.Address"}
    assert set(crm["crm.v1.Address"]["properties"]) == {"id", "location"}
    assert set(geo["geo.v1.Address"]["properties"]) == {"street", "city"}
    assert "geo.v1.Address" not in crm


def test_descriptions_are_kept_byte_for_byte(rendered: dict[str, dict[str, Json]]) -> None:
    notice = rendered["14_comment_terminator_in_description"]["notes.v1.schema.json"]["$defs"][
        "notes.v1.Notice"
    ]
    assert notice["description"] == "Server notice. Ends a comment */ and keeps going"
    assert notice["properties"]["glob"]["description"] == "Matches src/**/*.ts and lib/*/x"
    assert notice["properties"]["inject"]["description"] == "*/ export const pwned = 1; /*"
