"""Cases 14, 19, 21, 22 and 24 through the real schema.json frontend (tests/inputs/schemajson),
so the TS backend is checked on the IR that frontend actually produces, not only on hand-built
IR (tests/test_ts_schema_cases.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from tshelpers import TsBuild, run_node, ts_build, ts_case, ts_emit

from wsgen.ir import model as ir
from wsgen.pipeline import discover_inputs, load_model

INPUTS = Path(__file__).parent / "inputs" / "schemajson"
_CONSOLE = "declare const console: { log(text: string): void };\n"


@pytest.fixture(scope="module")
def ts(tmp_path_factory: pytest.TempPathFactory) -> TsBuild:
    return ts_build(tmp_path_factory)


@pytest.fixture(scope="module")
def emitted(tmp_path_factory: pytest.TempPathFactory) -> TsBuild:
    return ts_emit(tmp_path_factory)


def _input(name: str):  # type: ignore[no-untyped-def]
    def build(_: Path) -> ir.Model:
        return load_model(discover_inputs(INPUTS / name))

    return build


def _ts(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


COMMENTS = ts_case("schemajson_comment_terminator", _input("comment_terminator"))

AUDIT = ts_case(
    "schemajson_enum_values",
    _input("enum_values_not_identifiers"),
    {
        "usage.ts": _ts(
            """
            import type { Audit } from "./typescript/audit/v1.js";

            export const all: Audit["event"][] = [
              "order.placed", "auth/verified", "3ds-required", "item*removed", "a b", "a-b",
              "a_b", "", "mro", "_missing_", "name", "None",
            ];
            // @ts-expect-error values are case-sensitive
            export const upper: Audit = { type: "audit", event: "3DS-REQUIRED" };
            """
        )
    },
)

EXPR = ts_case(
    "schemajson_ref_cycle",
    _input("ref_cycle_through_oneof"),
    {
        "usage.ts": _ts(
            """
            import type { All, Expr, Not } from "./typescript/expr/v1.js";

            export const doc: Expr = {
              type: "all",
              terms: [{ type: "literal", value: false }],
              negated: { type: "not", operand: { type: "literal", value: true } },
            };
            export const operand: Not["operand"] = doc;
            export const terms: All["terms"] = [doc];
            // @ts-expect-error value is a boolean
            export const yes: Expr = { type: "not", operand: { type: "literal", value: "yes" } };
            """
        ),
        "run.ts": _CONSOLE
        + _ts(
            """
            import { isExpr } from "./typescript/expr/v1.js";

            let e: unknown = { type: "literal", value: true };
            for (let i = 0; i < 50; i++) e = { type: "not", operand: e };
            console.log(JSON.stringify([isExpr(e), isExpr({ type: "not", operand: {} })]));
            """
        ),
    },
)

ROOMS = ts_case(
    "schemajson_discriminator_const",
    _input("discriminator_const"),
    {
        "usage.ts": _ts(
            """
            import type { ClientMessage } from "./typescript/rooms/v1.js";

            export function describe(m: ClientMessage): string {
              switch (m.type) {
                case "room.join":
                case "room.leave":
                  return m.room;
                case "text":
                  return m.body;
                default: {
                  const unreachable: never = m;
                  return unreachable;
                }
              }
            }
            // @ts-expect-error not a member of the union
            export const kick: ClientMessage = { type: "room.kick", room: "r" };
            """
        )
    },
)

PRESENCE = ts_case(
    "schemajson_nullable",
    _input("nullable_types"),
    {
        "usage.ts": _ts(
            """
            import type { Presence } from "./typescript/presence/v1.js";

            export const p: Presence = { type: "presence", user: "u", status: null };
            export const d: Presence = { ...p, device: { os: "linux", model: "x1" }, tags: [null] };
            // @ts-expect-error status is required even though it may be null
            export const noStatus: Presence = { type: "presence", user: "u" };
            """
        ),
        "run.ts": _CONSOLE
        + _ts(
            """
            import * as presence from "./typescript/presence/v1.js";

            const handlers: presence.ClientHandlers = { onPresence: (p) => p.status };
            const frames = [
              '{"type":"presence","user":"u","status":null}',
              '{"type":"presence","user":"u"}',
              '{"type":"presence","user":"u","status":"on","device":{"os":null}}',
            ];
            const results = frames.map((f) => presence.dispatchServerToClient(f, handlers));
            console.log(JSON.stringify(results));
            """
        ),
    },
)


@pytest.mark.parametrize("case", [COMMENTS, AUDIT, EXPR, ROOMS, PRESENCE])
def test_schemajson_inputs_compile_and_reject_misuse(ts: TsBuild, case: str) -> None:
    ts.assert_clean(case)


def test_schemajson_ref_cycle_guard(emitted: TsBuild) -> None:
    assert run_node(emitted.root / "out" / EXPR / "run.js") == [True, False]


def test_schemajson_flat_frame_dispatch(emitted: TsBuild) -> None:
    out: Any = run_node(emitted.root / "out" / PRESENCE / "run.js")
    assert out[0] == {"ok": True, "type": "presence", "handled": True, "result": None}
    assert [r.get("error") for r in out[1:]] == ["INVALID_PAYLOAD", "INVALID_PAYLOAD"]


def test_schemajson_comments_never_become_code(emitted: TsBuild) -> None:
    emitted.assert_clean(COMMENTS)
    outputs = sorted((emitted.root / "out" / COMMENTS).rglob("*.*s"))
    assert any(p.name.endswith(".d.ts") for p in outputs)
    for path in outputs:
        assert "pwned" not in path.read_text(encoding="utf-8"), path
