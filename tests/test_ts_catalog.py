"""Catalog output: frame unions per direction, handler types and ``dispatch…()``.

The types are proved by tsc (misuse programs with ``@ts-expect-error``); the dispatcher is
proved by running the tsc-emitted JS under node on good, unknown and malformed frames."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from helpers import compile_idl
from tshelpers import TsBuild, run_node, ts_build, ts_case, ts_emit


@pytest.fixture(scope="module")
def ts(tmp_path_factory: pytest.TempPathFactory) -> TsBuild:
    return ts_build(tmp_path_factory)


@pytest.fixture(scope="module")
def emitted(tmp_path_factory: pytest.TempPathFactory) -> TsBuild:
    return ts_emit(tmp_path_factory)


def _ts(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


CHAT_PROTO = """
syntax = "proto3";
package chat.v1;
import "wsgen/options.proto";

// Post a message.
message SendMessage {
  option (wsgen.frame) = { type: "chat.send" direction: CLIENT_TO_SERVER };
  string room_id = 1;
  string text = 2;
}

// Typing indicators travel both ways.
message Typing {
  option (wsgen.frame) = { type: "chat.typing" direction: BOTH };
  string room_id = 1;
}

message Posted {
  option (wsgen.frame) = {
    type: "chat.posted" direction: SERVER_TO_CLIENT handler: "message_posted"
  };
  string room_id = 1;
  string text = 2;
  int64 seq_no = 3;
}

message Chain {
  int32 v = 1;
  Chain next = 2;
}
"""

# Shared by the usage programs: no DOM or @types/node in the test tsconfig.
_CONSOLE = "declare const console: { log(text: string): void };\n"

ENVELOPE = ts_case(
    "catalog_envelope",
    lambda tmp: compile_idl(tmp, {"chat/v1/chat.proto": CHAT_PROTO}),
    {
        "usage.ts": _ts(
            """
            import type {
              ClientHandlers,
              ClientToServerFrame,
              ServerHandlers,
              ServerToClientFrame,
            } from "./typescript/chat/v1.js";

            type C2S = ClientToServerFrame;
            const meta = { id: "a", seq: 1, ts: "t" } as const;

            // A switch over the frame type narrows the payload and is exhaustive.
            export function route(frame: ClientToServerFrame): string {
              switch (frame.type) {
                case "chat.send":
                  return frame.payload.text ?? "";
                case "chat.typing":
                  return frame.payload.roomId ?? "";
                case "hello":
                  return frame.payload.protocol;
                case "ack":
                case "error":
                case "ping":
                case "pong":
                  return frame.type;
                default: {
                  const unreachable: never = frame;
                  return unreachable;
                }
              }
            }

            export const both: ServerToClientFrame = { ...meta, type: "chat.typing", payload: {} };
            export const server: ServerHandlers = {
              onSendMessage: (payload) => payload.text,
              onTyping: () => undefined,
            };
            export const client: ClientHandlers = {
              onTyping: () => undefined,
              onMessagePosted: (payload, frame) => `${payload.seqNo ?? ""}${frame.id}`,
              onPing: (payload) => payload.nonce,
            };

            // @ts-expect-error wrong payload type for the frame
            export const badPayload: C2S = { ...meta, type: "chat.send", payload: { roomId: 5 } };
            // @ts-expect-error unknown frame type
            export const unknownType: C2S = { ...meta, type: "chat.nope", payload: {} };
            // @ts-expect-error a server → client frame is not a client → server frame
            export const wrongWay: C2S = { ...meta, type: "chat.posted", payload: {} };
            // @ts-expect-error seq is a JSON number
            export const seqText: C2S = { ...meta, seq: "1", type: "chat.send", payload: {} };
            // @ts-expect-error every frame of the direction needs its handler
            export const incomplete: ServerHandlers = { onSendMessage: () => undefined };
            // @ts-expect-error a handler must accept its frame's payload
            export const wrongHandler: ServerHandlers = { onSendMessage: (p: { roomId: 1 }) => p };
            """
        ),
        "run.ts": _CONSOLE
        + _ts(
            """
            import {
              type ServerHandlers,
              dispatchClientToServer,
              dispatchServerToClient,
              isChain,
              isClientToServerFrame,
              isServerToClientFrame,
            } from "./typescript/chat/v1.js";

            const calls: string[] = [];
            const server: ServerHandlers = {
              onSendMessage: (payload, frame) => {
                calls.push(`send ${payload.roomId ?? ""} ${frame.id}`);
                return "sent";
              },
              onTyping: (payload) => calls.push(`typing ${payload.roomId ?? ""}`),
              onPing: (payload) => `pong ${payload.nonce ?? ""}`,
            };
            const id = "01JEBX5ZK6N7T3W9QH2Y4R8VMC";
            const ts = "2026-12-03T17:25:23.123Z";
            const env = (type: string, payload: unknown) => ({ type, id, seq: 1, ts, payload });
            const to = (frame: unknown) => dispatchClientToServer(frame, server);
            let deep: unknown = {};
            for (let i = 0; i < 100000; i++) deep = { v: i, next: deep };
            let shallow: unknown = {};
            for (let i = 0; i < 50; i++) shallow = { v: i, next: shallow };

            const results: Record<string, unknown> = {
              send: to(env("chat.send", { roomId: "r1", text: "hi" })),
              text: to(JSON.stringify(env("chat.send", { roomId: "r2" }))),
              extraKeys: to({ ...env("chat.typing", { roomId: "r3", later: 1 }), re: "x" }),
              ping: to(env("ping", { nonce: "n1" })),
              pongUnhandled: to(env("pong", {})),
              unknown: to(env("chat.nope", {})),
              wrongWay: to(env("chat.posted", {})),
              notJson: to("{nope"),
              notObject: to([1, 2]),
              noType: to({ id, seq: 1, ts, payload: {} }),
              noSeq: to({ type: "chat.send", id, ts, payload: {} }),
              badPayload: to(env("chat.send", { roomId: 5 })),
              badControl: to(env("hello", { protocol: "chat.v1" })),
              isFrame: isClientToServerFrame(env("chat.send", { roomId: "r1" })),
              isFrameWrongWay: isClientToServerFrame(env("chat.posted", { seqNo: "1" })),
              isFrameOtherWay: isServerToClientFrame(env("chat.posted", { seqNo: "1" })),
              isFrameBadInt64: isServerToClientFrame(env("chat.posted", { seqNo: 1 })),
              clientNoHandlers: dispatchServerToClient(env("chat.typing", {}), {} as never),
              chain50: isChain(shallow),
              chainTooDeep: isChain(deep),
              inheritedKey: isChain(JSON.parse('{"__proto__": {"v": "x"}, "v": 1}')),
            };
            console.log(JSON.stringify({ results, calls }));
            """
        ),
    },
)


def test_envelope_catalog_types_reject_misuse(ts: TsBuild) -> None:
    ts.assert_clean(ENVELOPE)
    text = ts.module(ENVELOPE, "typescript/chat/v1.ts")
    assert (
        "export type ClientToServerFrame =\n"
        '  | wsgen.Envelope<"chat.send", SendMessage>\n'
        '  | wsgen.Envelope<"chat.typing", Typing>\n'
        "  | wsgen.ControlFrame;\n"
    ) in text
    assert (
        "export type ServerToClientFrame =\n"
        '  | wsgen.Envelope<"chat.typing", Typing>\n'
        '  | wsgen.Envelope<"chat.posted", Posted>\n'
        "  | wsgen.ControlFrame;\n"
    ) in text
    assert "export interface ServerHandlers extends wsgen.ControlHandlers {" in text
    assert (
        "  onMessagePosted: (payload: Posted, frame: "
        'wsgen.Envelope<"chat.posted", Posted>) => unknown;'
    ) in text
    assert '  ["chat.send", isSendMessage, "onSendMessage"],' in text


def test_dispatch_runs_handlers_and_reports_bad_frames(emitted: TsBuild) -> None:
    emitted.assert_clean(ENVELOPE)
    out: Any = run_node(emitted.root / "out" / ENVELOPE / "run.js")
    r = out["results"]
    assert r["send"] == {"ok": True, "type": "chat.send", "handled": True, "result": "sent"}
    assert r["text"]["ok"] and r["text"]["handled"]
    assert r["extraKeys"]["ok"], "unknown envelope and payload keys are ignored"
    assert r["ping"] == {"ok": True, "type": "ping", "handled": True, "result": "pong n1"}
    assert r["pongUnhandled"] == {"ok": True, "type": "pong", "handled": False}
    assert out["calls"] == [
        "send r1 01JEBX5ZK6N7T3W9QH2Y4R8VMC",
        "send r2 01JEBX5ZK6N7T3W9QH2Y4R8VMC",
        "typing r3",
    ]

    def error(name: str) -> tuple[str, object]:
        assert r[name]["ok"] is False, r[name]
        assert r[name]["message"]
        return r[name]["error"], r[name]["type"]

    assert error("unknown") == ("UNKNOWN_MESSAGE_TYPE", "chat.nope")
    assert error("wrongWay") == ("UNKNOWN_MESSAGE_TYPE", "chat.posted")
    assert error("notJson") == ("MALFORMED_FRAME", None)
    assert error("notObject") == ("MALFORMED_FRAME", None)
    assert error("noType") == ("MALFORMED_FRAME", None)
    assert error("noSeq") == ("MALFORMED_FRAME", "chat.send")
    assert error("badPayload") == ("INVALID_PAYLOAD", "chat.send")
    assert error("badControl") == ("INVALID_PAYLOAD", "hello")
    assert r["clientNoHandlers"] == {"ok": True, "type": "chat.typing", "handled": False}


def test_guards_check_frames_deeply_with_a_depth_limit(emitted: TsBuild) -> None:
    r: Any = run_node(emitted.root / "out" / ENVELOPE / "run.js")["results"]
    assert r["isFrame"] is True
    assert r["isFrameWrongWay"] is False
    assert r["isFrameOtherWay"] is True
    assert r["isFrameBadInt64"] is False
    assert r["chain50"] is True
    assert r["chainTooDeep"] is False, "100000 levels: false, never a RangeError"
    assert r["inheritedKey"] is True, "an own __proto__ key is just an unknown key"


FLAT_PROTO = """
syntax = "proto3";
package kraken.ws;
import "wsgen/options.proto";

option (wsgen.catalog) = { framing: FLAT discriminator: "event" };

message Ping {
  option (wsgen.frame) = { type: "ping" direction: CLIENT_TO_SERVER };
  int64 reqid = 1;
}

message Subscribe {
  option (wsgen.frame) = { type: "subscribe" direction: CLIENT_TO_SERVER };
  int64 reqid = 1;
  repeated string pair = 2;
}

message SubscriptionStatus {
  option (wsgen.frame) = { type: "subscriptionStatus" direction: SERVER_TO_CLIENT };
  string event = 1;
  string status = 2;
}

message Heartbeat {
  option (wsgen.frame) = { type: "heartbeat" direction: SERVER_TO_CLIENT };
}
"""

FLAT = ts_case(
    "catalog_flat",
    lambda tmp: compile_idl(tmp, {"kraken.proto": FLAT_PROTO}),
    {
        "usage.ts": _ts(
            """
            import type {
              ClientToServerFrame as C2S,
              ServerToClientFrame as S2C,
            } from "./typescript/kraken/ws.js";

            export const subscribe: C2S = { event: "subscribe", reqid: "42", pair: ["XBT/USD"] };
            export const status: S2C = { event: "subscriptionStatus", status: "ok" };
            export function kind(frame: S2C): string {
              switch (frame.event) {
                case "subscriptionStatus":
                  return frame.status ?? "";
                case "heartbeat":
                  return "beat";
                default: {
                  const unreachable: never = frame;
                  return unreachable;
                }
              }
            }
            // @ts-expect-error flat frames carry no envelope: "event" picks the frame
            export const enveloped: C2S = { type: "subscribe", payload: {} };
            // @ts-expect-error the discriminator value belongs to the other direction
            export const wrongWay: C2S = { event: "heartbeat" };
            """
        ),
        "run.ts": _CONSOLE
        + _ts(
            """
            import { type ServerHandlers, dispatchClientToServer } from "./typescript/kraken/ws.js";

            const server: ServerHandlers = {
              onPing: (payload) => `ping ${payload.reqid ?? ""}`,
              onSubscribe: (payload, frame) => `${frame.event} ${(payload.pair ?? []).join(",")}`,
            };
            const to = (frame: unknown) => dispatchClientToServer(frame, server);
            const results: Record<string, unknown> = {
              subscribe: to('{"event":"subscribe","reqid":"42","pair":["XBT/USD"]}'),
              ping: to({ event: "ping" }),
              hello: to({ event: "hello" }),
              envelope: to({ type: "ping", id: "a", seq: 1, ts: "t", payload: {} }),
              badPayload: to({ event: "subscribe", pair: "XBT/USD" }),
            };
            console.log(JSON.stringify(results));
            """
        ),
    },
)


def test_flat_catalog_frames_are_the_message_plus_its_discriminator(ts: TsBuild) -> None:
    ts.assert_clean(FLAT)
    text = ts.module(FLAT, "typescript/kraken/ws.ts")
    assert (
        "export type ServerToClientFrame =\n"
        '  | (SubscriptionStatus & { event: "subscriptionStatus" })\n'
        '  | (Heartbeat & { event: "heartbeat" });\n'
    ) in text
    assert "ControlFrame" not in text and "ControlHandlers" not in text
    assert 'wsgen.flatFrames<ServerHandlers>("event", [' in text


def test_flat_dispatch_reads_the_discriminator_key(emitted: TsBuild) -> None:
    emitted.assert_clean(FLAT)
    r: Any = run_node(emitted.root / "out" / FLAT / "run.js")
    assert r["subscribe"] == {
        "ok": True,
        "type": "subscribe",
        "handled": True,
        "result": "subscribe XBT/USD",
    }
    assert r["ping"]["result"] == "ping "
    # flat framing reserves no control types: "hello" is just unknown here.
    assert r["hello"]["error"] == "UNKNOWN_MESSAGE_TYPE"
    assert r["envelope"]["error"] == "MALFORMED_FRAME"
    assert r["badPayload"]["error"] == "INVALID_PAYLOAD"
