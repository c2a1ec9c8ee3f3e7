"""TypeScript types describe the JSON form on the wire (proto3 JSON mapping): the TS points of
cases 01, 02, 04, 05, 08, 11 and 12, plus well-known types, each proved by the real tsc.

Every case here is one folder of the session's TS tree (tests/tshelpers.py); its ``usage.ts``
assigns the case's JSON documents to the generated types and holds ``@ts-expect-error`` lines
for misuse that must not compile."""

from __future__ import annotations

import textwrap

import pytest
from helpers import compile_idl
from tshelpers import TsBuild, ts_build, ts_case


@pytest.fixture(scope="module")
def ts(tmp_path_factory: pytest.TempPathFactory) -> TsBuild:
    return ts_build(tmp_path_factory)


def _proto(files: dict[str, str]):  # type: ignore[no-untyped-def]
    return lambda tmp: compile_idl(tmp, files)


def _ts(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# ---------------------------------------------------------------------------- case 01

KW = ts_case(
    "case01_keyword_fields",
    _proto(
        {
            "kw.proto": """
            syntax = "proto3";
            package kw.v1;

            message Route {
              string from   = 1;
              string class  = 2;
              bool   global = 3;
              int32  async  = 4;
              string lambda = 5;
              string None   = 6;
              string True   = 7;
              string self   = 8;
              string cls    = 9;
            }
            """
        }
    ),
    {
        "usage.ts": _ts(
            """
            import { type Route, isRoute } from "./typescript/kw/v1.js";

            export const route: Route = {
              from: "A", class: "c", global: true, async: 3, lambda: "l",
              None: "n", True: "t", self: "s", cls: "c",
            };
            export const from: string | undefined = route.from;
            export const ok: boolean = isRoute(route);
            // @ts-expect-error the JSON key is "from", never a mangled "from_"
            export const mangled: Route = { from_: "A" };
            """
        )
    },
)


def test_keyword_field_names_stay_json_names_and_compile(ts: TsBuild) -> None:
    ts.assert_clean(KW)
    text = ts.module(KW, "typescript/kw/v1.ts")
    for key in ("from", "class", "global", "async", "lambda", "None", "True", "self", "cls"):
        assert f"\n  {key}?: " in text
    assert "from_" not in text and "class_" not in text


# ---------------------------------------------------------------------------- case 02

TREE = ts_case(
    "case02_recursive",
    _proto(
        {
            "tree.proto": """
            syntax = "proto3";
            package tree.v1;

            message Step {
              oneof kind {
                Group  group = 1;
                string leaf  = 2;
              }
            }

            message Group {
              string label = 1;
              Step inner = 2;
              repeated Step children = 3;
            }

            message Chain {
              int32 v = 1;
              Chain next = 2;
            }
            """
        }
    ),
    {
        "usage.ts": _ts(
            """
            import type { Chain, Step } from "./typescript/tree/v1.js";

            export const step: Step = {
              group: { label: "a", inner: { leaf: "x" }, children: [{ leaf: "y" }, {}] },
            };
            export const chain: Chain = { v: 1, next: { v: 2, next: {} } };
            // @ts-expect-error leaf is a string
            export const badLeaf: Step = { group: { inner: { leaf: 5 } } };
            """
        )
    },
)


def test_recursive_messages_are_interfaces_that_refer_to_themselves(ts: TsBuild) -> None:
    ts.assert_clean(TREE)
    text = ts.module(TREE, "typescript/tree/v1.ts")
    assert "  inner?: Step;\n" in text
    assert "  children?: Step[];\n" in text
    assert "  next?: Chain;\n" in text
    # oneof members are optional properties; the guard allows at most one of them.
    assert "  group?: Group;\n  leaf?: string;\n" in text
    assert 'wsgen.atMostOne(v, ["group", "leaf"])' in text


# ---------------------------------------------------------------------------- case 04

TALLY = ts_case(
    "case04_map_keys",
    _proto(
        {
            "tally.proto": """
            syntax = "proto3";
            package tally.v1;

            message Tally {
              map<int64, int64>   by_id   = 1;
              map<int32, string>  by_code = 2;
              map<bool, string>   by_flag = 3;
              map<uint64, string> by_big  = 4;
              map<string, int64>  by_name = 5;
            }
            """
        }
    ),
    {
        "usage.ts": _ts(
            """
            import type { Tally } from "./typescript/tally/v1.js";

            export const tally: Tally = {
              byId: { "-9007199254740993": "9007199254740993" },
              byCode: { "7": "seven", "-1": "neg" },
              byFlag: { true: "yes", false: "no" },
              byBig: { "18446744073709551615": "max" },
              byName: { n: "-5" },
            };
            // @ts-expect-error int64 map values are strings
            export const numberValue: Tally = { byId: { "1": 1 } };
            """
        )
    },
)


def test_map_keys_are_always_strings(ts: TsBuild) -> None:
    ts.assert_clean(TALLY)
    text = ts.module(TALLY, "typescript/tally/v1.ts")
    assert "  byId?: { [key: string]: string };\n" in text
    assert "  byFlag?: { [key: string]: string };\n" in text
    assert "[key: bigint]" not in text and "[key: number]" not in text


# ---------------------------------------------------------------------------- case 05

NUMS = ts_case(
    "case05_int64",
    _proto(
        {
            "nums.proto": """
            syntax = "proto3";
            package nums.v1;

            message Counters {
              int64    total      = 1;
              uint64   bytes_sent = 2;
              sint64   delta      = 3;
              fixed64  checksum   = 4;
              sfixed64 offset     = 5;
              int32    small      = 6;
              uint32   usmall     = 7;
              repeated int64 samples = 8;
              double   ratio      = 9;
            }
            """
        }
    ),
    {
        "usage.ts": _ts(
            """
            import type { Counters } from "./typescript/nums/v1.js";

            export const counters: Counters = {
              total: "9007199254740993", bytesSent: "18446744073709551615",
              delta: "-9007199254740993", checksum: "1", offset: "-1",
              small: -2147483648, usmall: 4294967295,
              samples: ["1", "-2", "9007199254740993"], ratio: 0.1,
            };
            export const nonFinite: Counters = { ratio: "NaN" };
            // @ts-expect-error int64 travels as a JSON string, never a number
            export const asNumber: Counters = { total: 9007199254740993 };
            // @ts-expect-error int32 is a JSON number
            export const smallString: Counters = { small: "7" };
            """
        )
    },
)


def test_64bit_integers_are_strings_and_32bit_numbers(ts: TsBuild) -> None:
    ts.assert_clean(NUMS)
    text = ts.module(NUMS, "typescript/nums/v1.ts")
    for key in ("total", "bytesSent", "delta", "checksum", "offset"):
        assert f"  {key}?: string;\n" in text
    assert "  samples?: string[];\n" in text
    assert "  small?: number;\n  usmall?: number;\n" in text
    # proto3 JSON writes NaN and the infinities as strings (docs/typescript.md).
    assert "  ratio?: JsonFloat;\n" in text


# ---------------------------------------------------------------------------- case 08

LEASE = ts_case(
    "case08_timestamp_duration",
    _proto(
        {
            "lease.proto": """
            syntax = "proto3";
            package lease.v1;
            import "google/protobuf/timestamp.proto";
            import "google/protobuf/duration.proto";

            message Lease {
              google.protobuf.Timestamp granted_at = 1;
              google.protobuf.Duration  ttl        = 2;
              repeated google.protobuf.Duration steps = 3;
            }
            """
        }
    ),
    {
        "usage.ts": _ts(
            """
            import type { Lease } from "./typescript/lease/v1.js";

            export const lease: Lease = {
              grantedAt: "2023-11-14T22:13:20.123456789Z",
              ttl: "1.500s",
              steps: ["-1.500s", "0.000001s", "3s"],
            };
            // @ts-expect-error a Duration is a string in JSON, not {seconds, nanos}
            export const asObject: Lease = { ttl: { seconds: 1 } };
            """
        )
    },
)


def test_timestamp_and_duration_are_strings(ts: TsBuild) -> None:
    ts.assert_clean(LEASE)
    text = ts.module(LEASE, "typescript/lease/v1.ts")
    assert "  grantedAt?: string;\n  ttl?: string;\n  steps?: string[];\n" in text


# ---------------------------------------------------------------------------- case 11

PALETTE = ts_case(
    "case11_open_enum",
    _proto(
        {
            "palette.proto": """
            syntax = "proto3";
            package art.v1;

            enum Shade {
              SHADE_UNSPECIFIED = 0;
              SHADE_LIGHT = 1;
              SHADE_DARK  = 2;
            }

            message Palette {
              Shade main = 1;
              repeated Shade extra = 2;
              map<string, Shade> by_name = 3;
            }
            """
        }
    ),
    {
        "usage.ts": _ts(
            """
            import { type Palette, Shade, isShade } from "./typescript/art/v1.js";

            export const known: Palette = {
              main: "SHADE_DARK",
              extra: ["SHADE_LIGHT", Shade.SHADE_DARK],
            };
            export const unknownNumbers: Palette = { main: 7, extra: [7, "SHADE_LIGHT"] };
            export const byName: Palette = { byName: { x: "SHADE_DARK", y: 2 } };

            export function describe(p: Palette): string {
              const main = p.main;
              if (main === undefined || typeof main === "number") return "unknown";
              switch (main) {
                case Shade.SHADE_UNSPECIFIED:
                  return "none";
                case "SHADE_LIGHT":
                  return "light";
                case "SHADE_DARK":
                  return "dark";
                default: {
                  const never: never = main;
                  return never;
                }
              }
            }
            export const guarded: boolean = isShade("SHADE_DARK");
            // @ts-expect-error not a value of Shade
            export const neon: Palette = { main: "SHADE_NEON" };
            """
        )
    },
)


def test_open_enum_is_names_or_number(ts: TsBuild) -> None:
    ts.assert_clean(PALETTE)
    text = ts.module(PALETTE, "typescript/art/v1.ts")
    assert (
        "export const Shade = {\n"
        '  SHADE_UNSPECIFIED: "SHADE_UNSPECIFIED",\n'
        '  SHADE_LIGHT: "SHADE_LIGHT",\n'
        '  SHADE_DARK: "SHADE_DARK",\n'
        "} as const;\n"
    ) in text
    assert 'export type Shade = "SHADE_UNSPECIFIED" | "SHADE_LIGHT" | "SHADE_DARK";' in text
    assert "  main?: Shade | number;\n" in text
    assert "  extra?: (Shade | number)[];\n" in text
    assert "  byName?: { [key: string]: Shade | number };\n" in text


CLOSED = ts_case(
    "closed_enum_proto2",
    _proto(
        {
            "old.proto": """
            syntax = "proto2";
            package old.v1;

            enum Level { LOW = 1; HIGH = 2; }

            message Knob {
              required Level level = 1;
              optional string label = 2;
            }
            """
        }
    ),
    {
        "usage.ts": _ts(
            """
            import type { Knob } from "./typescript/old/v1.js";

            export const knob: Knob = { level: "HIGH" };
            // @ts-expect-error proto2 enums are closed: no numbers
            export const numbered: Knob = { level: 2 };
            // @ts-expect-error a required field must be present
            export const missing: Knob = { label: "x" };
            """
        )
    },
)


def test_closed_enum_and_required_field(ts: TsBuild) -> None:
    ts.assert_clean(CLOSED)
    text = ts.module(CLOSED, "typescript/old/v1.ts")
    assert "  level: Level;\n  label?: string;\n" in text
    assert 'wsgen.req(v, "level", isLevel)' in text


# ---------------------------------------------------------------------------- case 12

CRM = ts_case(
    "case12_same_name",
    _proto(
        {
            "geo/v1/place.proto": """
            syntax = "proto3";
            package geo.v1;

            message Address {
              string street = 1;
              string city = 2;
            }
            """,
            "crm/v1/customer.proto": """
            syntax = "proto3";
            package crm.v1;
            import "geo/v1/place.proto";

            message Address {
              string id = 1;
              geo.v1.Address location = 2;
            }

            message Customer {
              Address primary = 1;          // crm.v1.Address
              geo.v1.Address billing = 2;   // geo.v1.Address
            }
            """,
        }
    ),
    {
        "usage.ts": _ts(
            """
            import type { Customer } from "./typescript/crm/v1.js";
            import { crm_v1, geo_v1 } from "./typescript/index.js";

            export const customer: Customer = {
              primary: { id: "a1", location: { street: "1 Main", city: "Springfield" } },
              billing: { street: "PO Box 9", city: "Shelbyville" },
            };
            export const local: crm_v1.Address = { id: "a2" };
            export const foreign: geo_v1.Address = { city: "x" };
            export const guards: boolean = crm_v1.isCustomer(customer) && geo_v1.isAddress(foreign);
            // @ts-expect-error billing is geo.v1.Address, which has no "id"
            export const swapped: Customer = { billing: { id: "a1" } };
            """
        )
    },
)


def test_same_name_in_two_packages_is_aliased_on_import(ts: TsBuild) -> None:
    ts.assert_clean(CRM)
    text = ts.module(CRM, "typescript/crm/v1.ts")
    assert (
        "import {\n"
        "  type Address as geo_v1_Address,\n"
        "  isAddress as geo_v1_isAddress,\n"
        '} from "../geo/v1.js";\n'
    ) in text
    assert "export interface Address {\n  id?: string;\n  location?: geo_v1_Address;\n}" in text
    assert "  /** crm.v1.Address */\n  primary?: Address;\n" in text
    assert "  /** geo.v1.Address */\n  billing?: geo_v1_Address;\n" in text
    index = ts.module(CRM, "typescript/index.ts")
    assert 'export * as crm_v1 from "./crm/v1.js";' in index
    assert 'export * as geo_v1 from "./geo/v1.js";' in index


# ---------------------------------------------------------------------------- well-known types

WKT = ts_case(
    "well_known_types",
    _proto(
        {
            "wkt.proto": """
            syntax = "proto3";
            package wkt.v1;
            import "google/protobuf/any.proto";
            import "google/protobuf/empty.proto";
            import "google/protobuf/field_mask.proto";
            import "google/protobuf/struct.proto";
            import "google/protobuf/wrappers.proto";

            message Bag {
              google.protobuf.Struct attrs = 1;
              google.protobuf.Value value = 2;
              google.protobuf.ListValue list = 3;
              google.protobuf.Int64Value big = 4;
              google.protobuf.DoubleValue ratio = 5;
              google.protobuf.StringValue name = 6;
              google.protobuf.BoolValue flag = 7;
              google.protobuf.Empty nothing = 8;
              google.protobuf.Any packed = 9;
              google.protobuf.FieldMask mask = 10;
              google.protobuf.NullValue null_value = 11;
              bytes blob = 12;
            }
            """
        }
    ),
    {
        "usage.ts": _ts(
            """
            import type { Bag } from "./typescript/wkt/v1.js";

            export const bag: Bag = {
              attrs: { a: [1, "x", null, { b: true }] },
              value: null,
              list: [1, "two"],
              big: null,
              ratio: "Infinity",
              name: "n",
              flag: false,
              nothing: {},
              packed: { "@type": "type.googleapis.com/wkt.v1.Bag", name: "inner" },
              mask: "a.b,c",
              nullValue: null,
              blob: "AAEC",
            };
            // @ts-expect-error Empty has no properties
            export const notEmpty: Bag = { nothing: { a: 1 } };
            // @ts-expect-error Any needs its "@type"
            export const untyped: Bag = { packed: { name: "x" } };
            """
        )
    },
)


def test_well_known_types_use_their_json_forms(ts: TsBuild) -> None:
    ts.assert_clean(WKT)
    text = ts.module(WKT, "typescript/wkt/v1.ts")
    expected = """
      attrs?: { [key: string]: JsonValue };
      value?: JsonValue;
      list?: JsonValue[];
      big?: string | null;
      ratio?: JsonFloat | null;
      name?: string | null;
      flag?: boolean | null;
      nothing?: { [key: string]: never };
      packed?: { "@type": string; [key: string]: JsonValue };
      mask?: string;
      nullValue?: null;
      blob?: string;
    """
    assert textwrap.dedent(expected).strip("\n").replace("\n", "\n  ") in text
    assert 'import type { JsonFloat, JsonValue } from "../wsgen-support.js";' in text


def test_generated_tree_layout(ts: TsBuild) -> None:
    files = ts.files[CRM]
    assert sorted(files) == [
        "typescript/crm/v1.ts",
        "typescript/geo/v1.ts",
        "typescript/index.ts",
        "typescript/wsgen-support.ts",
    ]
    for text in files.values():
        assert text.startswith("// @generated by wsgen from ")
        assert text.endswith("\n") and not text.endswith("\n\n")
        assert "\t" not in text and " \n" not in text


# ---------------------------------------------------------------------------- harness


SELF_CHECK = ts_case(
    "harness_self_check",
    _proto({"ok.proto": 'syntax = "proto3";\npackage ok.v1;\nmessage Ok { string s = 1; }\n'}),
    {
        "usage.ts": _ts(
            """
            import type { Ok } from "./typescript/ok/v1.js";

            // @ts-expect-error this line is fine, so tsc must flag the directive as unused
            export const fine: Ok = { s: "x" };
            """
        )
    },
)


def test_harness_reports_a_misuse_line_that_compiles(ts: TsBuild) -> None:
    errors = ts.errors.get(SELF_CHECK, [])
    assert len(errors) == 1 and "TS2578" in errors[0], errors
