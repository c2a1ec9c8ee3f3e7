"""TS points of the JSON Schema cases 19, 21, 22 and 24, from hand-built IR shaped the way a
schema.json lowers (``origin="jsonschema"``, ``const`` discriminators, nullable types), plus
JSON Schema's scalars and ``JsonUnionType``. tsc proves the types; node runs the guards."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from tshelpers import TsBuild, fld, msg, pkg, run_node, scalar, ts_build, ts_case, ts_emit

from wsgen.backends.options import BuildOptions
from wsgen.backends.typescript import render_typescript
from wsgen.ir import model as ir

P = ir.Presence
JS = {"origin": "jsonschema"}
_CONSOLE = "declare const console: { log(text: string): void };\n"


@pytest.fixture(scope="module")
def ts(tmp_path_factory: pytest.TempPathFactory) -> TsBuild:
    return ts_build(tmp_path_factory)


@pytest.fixture(scope="module")
def emitted(tmp_path_factory: pytest.TempPathFactory) -> TsBuild:
    return ts_emit(tmp_path_factory)


def _ts(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def _model(*packages: ir.Package) -> ir.Model:
    return ir.Model(packages)


def _const(name: str, value: str) -> ir.Field:
    return fld(name, scalar("string"), presence=P.REQUIRED, constraints=ir.Constraints(const=value))


# ---------------------------------------------------------------------------- case 19

AUDIT_VALUES = (
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
)


def _audit(_: Path) -> ir.Model:
    event = ir.Enum(
        "audit.Audit.event",
        "event",
        "audit",
        scope=("Audit",),
        values=tuple(ir.EnumValue(v) for v in AUDIT_VALUES),
    )
    audit = msg(
        "audit",
        "Audit",
        _const("type", "audit"),
        fld("event", ir.EnumRef(event.full_name), presence=P.REQUIRED),
        **JS,
    )
    return _model(pkg("audit", audit, event, files=("audit/schema.json",)))


AUDIT = ts_case(
    "case19_enum_values",
    _audit,
    {
        "usage.ts": _ts(
            """
            import { type Audit, Audit_event } from "./typescript/audit.js";

            export const all: Audit["event"][] = [
              "order.placed", "auth/verified", "3ds-required", "item*removed", "a b", "a-b",
              "a_b", "", "mro", "_missing_", "name", "None",
            ];
            export const byKey: Audit = { type: "audit", event: Audit_event["3ds-required"] };
            // @ts-expect-error values are case-sensitive
            export const upper: Audit = { type: "audit", event: "3DS-REQUIRED" };
            // @ts-expect-error the value is the raw string, never a mangled name
            export const mangled: Audit = { type: "audit", event: "order_placed" };
            """
        ),
        "run.ts": _CONSOLE
        + _ts(
            """
            import { Audit_event, isAudit, isAudit_event } from "./typescript/audit.js";

            const keys = Object.keys(Audit_event);
            const byName: Record<string, string> = Audit_event;
            const others = ["3DS-REQUIRED", "order_placed", "__proto__", "toString"];
            console.log(JSON.stringify({
              keys,
              values: keys.map((k) => byName[k]),
              accepted: keys.filter((k) => isAudit({ type: "audit", event: k })),
              rejected: others.filter(isAudit_event),
            }));
            """
        ),
    },
)


def test_enum_values_that_are_not_identifiers_are_quoted_keys(ts: TsBuild) -> None:
    ts.assert_clean(AUDIT)
    text = ts.module(AUDIT, "typescript/audit.ts")
    assert (
        "export const Audit_event = {\n"
        '  "order.placed": "order.placed",\n'
        '  "auth/verified": "auth/verified",\n'
        '  "3ds-required": "3ds-required",\n'
        '  "item*removed": "item*removed",\n'
        '  "a b": "a b",\n'
        '  "a-b": "a-b",\n'
        '  a_b: "a_b",\n'
        '  "": "",\n'
        '  mro: "mro",\n'
        '  _missing_: "_missing_",\n'
        '  name: "name",\n'
        '  None: "None",\n'
        "} as const;\n"
    ) in text
    assert '  type: "audit";\n  event: Audit_event;\n' in text


def test_enum_guard_accepts_exactly_the_values(emitted: TsBuild) -> None:
    out: Any = run_node(emitted.root / "out" / AUDIT / "run.js")
    assert out["keys"] == list(AUDIT_VALUES)
    assert out["values"] == list(AUDIT_VALUES)
    assert out["accepted"] == list(AUDIT_VALUES)
    assert out["rejected"] == []


# ---------------------------------------------------------------------------- case 21


def _expr(_: Path) -> ir.Model:
    expr = ir.UnionRef("logic.Expr")
    literal = msg(
        "logic", "Literal", _const("type", "literal"),
        fld("value", scalar("bool"), presence=P.REQUIRED), **JS,
    )  # fmt: skip
    negation = msg(
        "logic", "Not", _const("type", "not"), fld("operand", expr, presence=P.REQUIRED), **JS
    )
    conj = msg(
        "logic", "All", _const("type", "all"),
        fld("terms", ir.ListType(expr), presence=P.REQUIRED),
        fld("negated", expr, presence=P.EXPLICIT), **JS,
    )  # fmt: skip
    union = ir.Union(
        "logic.Expr",
        "Expr",
        "logic",
        "type",
        (
            ir.UnionVariant("literal", "logic.Literal"),
            ir.UnionVariant("not", "logic.Not"),
            ir.UnionVariant("all", "logic.All"),
        ),
    )
    return _model(pkg("logic", literal, negation, conj, union, files=("logic/schema.json",)))


EXPR = ts_case(
    "case21_ref_cycle",
    _expr,
    {
        "usage.ts": _ts(
            """
            import type { Expr } from "./typescript/logic.js";

            export const doc: Expr = {
              type: "all",
              terms: [
                { type: "literal", value: false },
                { type: "not", operand: { type: "all", terms: [] } },
              ],
              negated: { type: "literal", value: true },
            };
            export function evaluate(e: Expr): boolean {
              switch (e.type) {
                case "literal":
                  return e.value;
                case "not":
                  return !evaluate(e.operand);
                case "all":
                  return e.terms.every(evaluate) !== (e.negated ? evaluate(e.negated) : false);
              }
            }
            // @ts-expect-error value is a boolean
            export const yes: Expr = { type: "not", operand: { type: "literal", value: "yes" } };
            """
        ),
        "run.ts": _CONSOLE
        + _ts(
            """
            import { isExpr } from "./typescript/logic.js";

            const wrap = (inner: unknown, n: number): unknown => {
              let e = inner;
              for (let i = 0; i < n; i++) e = { type: "not", operand: e };
              return e;
            };
            console.log(JSON.stringify({
              deep50: isExpr(wrap({ type: "literal", value: true }, 50)),
              deep50Bad: isExpr(wrap({ type: "literal", value: "yes" }, 50)),
              all: isExpr(JSON.parse(
                '{"type":"all","terms":[{"type":"literal","value":false},' +
                '{"type":"not","operand":{"type":"all","terms":[]}}],' +
                '"negated":{"type":"literal","value":true}}',
              )),
              unknownTag: isExpr({ type: "maybe" }),
              deep100k: isExpr(wrap({ type: "literal", value: true }, 100000)),
            }));
            """
        ),
    },
)


def test_union_through_a_ref_cycle_is_a_ts_union(ts: TsBuild) -> None:
    ts.assert_clean(EXPR)
    text = ts.module(EXPR, "typescript/logic.ts")
    assert "export type Expr =\n  | Literal\n  | Not\n  | All;\n" in text
    assert "  operand: Expr;\n" in text
    assert "  terms: Expr[];\n  negated?: Expr;\n" in text


def test_union_guard_dispatches_on_the_discriminator(emitted: TsBuild) -> None:
    out: Any = run_node(emitted.root / "out" / EXPR / "run.js")
    assert out == {
        "deep50": True,
        "deep50Bad": False,
        "all": True,
        "unknownTag": False,
        "deep100k": False,  # past the depth limit: false, never a RangeError
    }


# ---------------------------------------------------------------------------- case 22


def _rooms(_: Path) -> ir.Model:
    room = fld("room", scalar("string"), presence=P.REQUIRED)
    join = msg("rooms", "JoinRoom", _const("type", "room.join"), room, **JS)
    leave = msg("rooms", "LeaveRoom", _const("type", "room.leave"), room, **JS)
    text = msg(
        "rooms", "SendText", _const("type", "text"), room,
        fld("body", scalar("string"), presence=P.REQUIRED), **JS,
    )  # fmt: skip
    variants = (("room.join", join), ("room.leave", leave), ("text", text))
    union = ir.Union(
        "rooms.ClientMessage",
        "ClientMessage",
        "rooms",
        "type",
        tuple(ir.UnionVariant(v, m.full_name) for v, m in variants),
    )
    catalog = ir.Catalog(
        "rooms",
        ir.Framing(ir.FramingKind.FLAT, "type"),
        tuple(
            ir.Frame(m.full_name, v, ir.Direction.CLIENT_TO_SERVER, handler)
            for (v, m), handler in zip(
                variants, ("join_room", "leave_room", "send_text"), strict=True
            )
        ),
    )
    return _model(
        pkg("rooms", join, leave, text, union, catalog=catalog, files=("rooms/schema.json",))
    )


ROOMS = ts_case(
    "case22_const_discriminator",
    _rooms,
    {
        "usage.ts": _ts(
            """
            import type { ClientMessage, ClientToServerFrame } from "./typescript/rooms.js";

            export function describe(m: ClientMessage): string {
              switch (m.type) {
                case "room.join":
                  return `join ${m.room}`;
                case "room.leave":
                  return `leave ${m.room}`;
                case "text":
                  return m.body;
                default: {
                  const unreachable: never = m;
                  return unreachable;
                }
              }
            }
            export const frame: ClientToServerFrame = { type: "room.join", room: "r" };
            // @ts-expect-error the literal is the const value, never the class name
            export const byName: ClientMessage = { type: "LeaveRoom", room: "r" };
            // @ts-expect-error not a member of the union
            export const kick: ClientMessage = { type: "room.kick", room: "r" };
            """
        ),
        "run.ts": _CONSOLE
        + _ts(
            """
            import {
              type ServerHandlers,
              dispatchClientToServer,
              isClientMessage,
            } from "./typescript/rooms.js";

            const handlers: ServerHandlers = {
              onJoinRoom: (m) => `join ${m.room}`,
              onLeaveRoom: (m) => `leave ${m.room}`,
              onSendText: (m) => `text ${m.body}`,
            };
            const docs: unknown[] = [
              { type: "room.leave", room: "r1" },
              { type: "text", room: "r", body: "hi" },
              { type: "LeaveRoom", room: "r" },
              { type: "room.kick", room: "r" },
              { type: "text", room: "r" },
            ];
            console.log(JSON.stringify({
              guard: docs.map((d) => isClientMessage(d)),
              dispatch: docs.map((d) => dispatchClientToServer(d, handlers)),
            }));
            """
        ),
    },
)


def test_const_discriminator_becomes_a_literal_type(ts: TsBuild) -> None:
    ts.assert_clean(ROOMS)
    text = ts.module(ROOMS, "typescript/rooms.ts")
    assert 'export interface JoinRoom {\n  type: "room.join";\n  room: string;\n}' in text
    assert 'export interface LeaveRoom {\n  type: "room.leave";\n' in text
    assert "export type ClientMessage =\n  | JoinRoom\n  | LeaveRoom\n  | SendText;\n" in text
    rows = [line.strip() for line in text.splitlines() if line.startswith('  ["')]
    assert rows == [
        '["room.join", isJoinRoom, "onJoinRoom"],',
        '["room.leave", isLeaveRoom, "onLeaveRoom"],',
        '["text", isSendText, "onSendText"],',
    ]


def test_const_discriminator_guard_and_dispatch(emitted: TsBuild) -> None:
    out: Any = run_node(emitted.root / "out" / ROOMS / "run.js")
    assert out["guard"] == [True, True, False, False, False]
    results = out["dispatch"]
    assert results[0]["result"] == "leave r1"
    assert results[1]["result"] == "text hi"
    assert [r.get("error") for r in results[2:]] == [
        "UNKNOWN_MESSAGE_TYPE",
        "UNKNOWN_MESSAGE_TYPE",
        "INVALID_PAYLOAD",
    ]


# ---------------------------------------------------------------------------- case 24


def _presence(_: Path) -> ir.Model:
    device = msg(
        "presence", "device",
        fld("os", scalar("string"), presence=P.EXPLICIT),
        scope=("Presence",), additional_properties=scalar("string"), **JS,
    )  # fmt: skip
    presence = msg(
        "presence",
        "Presence",
        _const("type", "presence"),
        fld("user", scalar("string"), presence=P.REQUIRED),
        fld("status", scalar("string"), presence=P.REQUIRED, nullable=True),
        fld("note", scalar("string"), presence=P.EXPLICIT, nullable=True),
        fld("device", ir.MessageRef(device.full_name), presence=P.EXPLICIT, nullable=True),
        fld("tags", ir.ListType(scalar("string"), element_nullable=True), presence=P.EXPLICIT),
        **JS,
    )
    return _model(pkg("presence", presence, device, files=("presence/schema.json",)))


PRESENCE = ts_case(
    "case24_nullable",
    _presence,
    {
        "usage.ts": _ts(
            """
            import type { Presence } from "./typescript/presence.js";

            export const p: Presence = { type: "presence", user: "u", status: null };
            export const full: Presence = {
              type: "presence", user: "u", status: "on", note: null,
              device: { os: "linux", model: "x1" }, tags: ["a", null],
            };
            const on = { type: "presence", user: "u", status: "on" } as const;
            export const noDevice: Presence = { ...on, device: null };
            // @ts-expect-error status is required even though it may be null
            export const noStatus: Presence = { type: "presence", user: "u" };
            // @ts-expect-error user is not nullable
            export const nullUser: Presence = { type: "presence", user: null, status: "on" };
            // @ts-expect-error device.os is a string when present
            export const nullOs: Presence = { ...on, device: { os: null } };
            """
        ),
        "run.ts": _CONSOLE
        + _ts(
            """
            import { isPresence } from "./typescript/presence.js";

            const docs = [
              { user: "u", status: null },
              { user: "u" },
              { user: "u", status: "on", device: null },
              { user: "u", status: "x", tags: ["a", null] },
              { user: "u", status: "on", device: { os: "linux", model: "x1" } },
              { user: "u", status: "on", device: { os: null } },
              { user: null, status: "on" },
              { user: "u", status: "on", device: { os: "linux", model: 1 } },
            ];
            console.log(JSON.stringify(docs.map((d) => isPresence({ type: "presence", ...d }))));
            """
        ),
    },
)


def test_nullable_required_and_optional_are_told_apart(ts: TsBuild) -> None:
    ts.assert_clean(PRESENCE)
    text = ts.module(PRESENCE, "typescript/presence.ts")
    assert (
        "export interface Presence {\n"
        '  type: "presence";\n'
        "  user: string;\n"
        "  status: string | null;\n"
        "  note?: string | null;\n"
        "  device?: Presence_device | null;\n"
        "  tags?: (string | null)[];\n"
        "}"
    ) in text
    assert (
        "export interface Presence_device {\n  os?: string;\n  [key: string]: string | undefined;\n}"
        in text
    )


def test_nullable_guard_matches_the_validator_table(emitted: TsBuild) -> None:
    out = run_node(emitted.root / "out" / PRESENCE / "run.js")
    # The first seven rows are case 24's table (checked with jsonschema); the last one breaks
    # additionalProperties.
    assert out == [True, False, True, True, True, False, False, False]


# ---------------------------------------------------------------------------- JSON Schema scalars


def _scalars(_: Path) -> ir.Model:
    target = msg("shapes", "Target", fld("id", scalar("string")), **JS)
    holder = msg(
        "shapes",
        "Holder",
        fld("count", scalar("integer"), presence=P.REQUIRED),
        fld("ratio", scalar("double")),
        fld("big", scalar("int64")),
        fld("choice", ir.JsonUnionType((ir.MessageRef(target.full_name), scalar("string")))),
        fld("anything", ir.AnyJsonType()),
        fld("extra", ir.MapType(ir.Scalar.STRING, scalar("integer"))),
        fld("maybe", ir.JsonUnionType((scalar("integer"), ir.ListType(scalar("string")))),
            nullable=True),
        **JS,
    )  # fmt: skip
    return _model(pkg("shapes", target, holder, files=("shapes/schema.json",)))


SCALARS = ts_case(
    "jsonschema_scalars",
    _scalars,
    {
        "usage.ts": _ts(
            """
            import type { Holder } from "./typescript/shapes.js";

            export const h: Holder = {
              count: 9007199254740993, ratio: 0.5, big: 1, choice: "x",
              anything: [1, { a: null }], extra: { a: 1 }, maybe: null,
            };
            export const h2: Holder = { count: 1, choice: { id: "t" }, maybe: ["a"] };
            // @ts-expect-error JSON Schema numbers are plain numbers (no "NaN" strings)
            export const nan: Holder = { count: 1, ratio: "NaN" };
            // @ts-expect-error a JSON union admits only its variants
            export const notAVariant: Holder = { count: 1, choice: 5 };
            """
        ),
    },
)


def test_jsonschema_numbers_are_numbers_and_json_unions_are_ts_unions(ts: TsBuild) -> None:
    ts.assert_clean(SCALARS)
    text = ts.module(SCALARS, "typescript/shapes.ts")
    assert (
        "  count: number;\n"
        "  ratio?: number;\n"
        "  big?: number;\n"
        "  choice?: Target | string;\n"
        "  anything?: JsonValue;\n"
        "  extra?: { [key: string]: number };\n"
        "  maybe?: number | string[] | null;\n"
    ) in text
    assert "wsgen.anyOf(isTarget, wsgen.isString)" in text


# ---------------------------------------------------------------------------- loose variants


def _shapes(_: Path) -> ir.Model:
    circle = msg("geom", "Circle", fld("r", scalar("double")), **JS)
    square = msg(
        "geom", "Square", fld("kind", scalar("string"), constraints=ir.Constraints(const="sq")),
        fld("side", scalar("double")), **JS,
    )  # fmt: skip
    union = ir.Union(
        "geom.Shape",
        "Shape",
        "geom",
        "kind",
        (ir.UnionVariant("circle", "geom.Circle"), ir.UnionVariant("sq", "geom.Square")),
    )
    return _model(pkg("geom", circle, square, union, files=("geom/schema.json",)))


SHAPES = ts_case(
    "union_without_required_discriminator",
    _shapes,
    {
        "usage.ts": _ts(
            """
            import type { Shape } from "./typescript/geom.js";

            export function area(s: Shape): number {
              switch (s.kind) {
                case "circle":
                  return 3.14 * (s.r ?? 0) ** 2;
                case "sq":
                  return (s.side ?? 0) ** 2;
                default: {
                  const unreachable: never = s;
                  return unreachable;
                }
              }
            }
            // @ts-expect-error the union requires the discriminator, optional or not in the message
            export const bare: Shape = { r: 1 };
            """
        ),
    },
)


def test_variants_without_a_required_literal_get_one_in_the_union(ts: TsBuild) -> None:
    ts.assert_clean(SHAPES)
    text = ts.module(SHAPES, "typescript/geom.ts")
    assert (
        'export type Shape =\n  | (Circle & { kind: "circle" })\n  | (Square & { kind: "sq" });\n'
    ) in text


def test_null_is_never_added_twice() -> None:
    wrapper = ir.WellKnownType(ir.WellKnown.STRING_VALUE)
    holder = msg(
        "nn", "Holder",
        fld("a", wrapper, nullable=True),
        fld("b", ir.AnyJsonType(), nullable=True),
        fld("c", ir.ListType(ir.WellKnownType(ir.WellKnown.VALUE), element_nullable=True)),
    )  # fmt: skip
    text = render_typescript(_model(pkg("nn", holder)), BuildOptions())["typescript/nn.ts"]
    assert "  a?: string | null;\n  b?: JsonValue;\n  c?: JsonValue[];\n" in text
