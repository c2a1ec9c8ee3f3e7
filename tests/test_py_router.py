"""Generated handler registries: routers decode frames in the catalog's framing and await the
typed handler; encoders write envelope or flat frames (docs/protocol.md)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tests.pyhelpers import py_case
from wsgen_runtime import framing, ids
from wsgen_runtime.codec import DecodeError
from wsgen_runtime.router import MalformedFrame, UnknownMessageType


class Recorder:
    """Any handler method records (method name, message, frame info)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, framing.FrameInfo]] = []

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("on_"):
            raise AttributeError(name)

        async def handler(message: Any, frame: framing.FrameInfo) -> None:
            self.calls.append((name, message, frame))

        return handler


def _dispatch(router: Any, raw: str | bytes, **kw: Any) -> Any:
    return asyncio.run(router.dispatch(raw, **kw))


# ----------------------------------------------------------------------------- flat framing


def test_flat_frames_round_trip_through_the_router_by_their_event_key() -> None:
    ws = py_case("flat").module("kraken.ws")
    text = ws.encode_client_frame(
        ws.Subscribe(reqid=42, pair=["XBT/USD"], subscription=ws.Subscribe_Subscription(name="b"))
    )
    doc = json.loads(text)
    assert doc == {
        "event": "subscribe",
        "reqid": "42",
        "pair": ["XBT/USD"],
        "subscription": {"name": "b"},
    }
    assert next(iter(doc)) == "event"
    rec = Recorder()
    server = ws.ServerRouter(rec)
    assert server.types == ("ping", "subscribe", "heartbeat")
    assert _dispatch(server, text, strict=True) is None
    (name, message, frame) = rec.calls[0]
    assert name == "on_subscribe" and type(message) is ws.Subscribe
    assert message.reqid == 42 and message.subscription.name == "b"
    assert frame == framing.FrameInfo("subscribe")


def test_flat_message_that_declares_the_discriminator_gets_the_frame_value() -> None:
    ws = py_case("flat").module("kraken.ws")
    text = ws.encode_server_frame(ws.Status(event="whatever", status="ok"))
    assert json.loads(text) == {"event": "subscriptionStatus", "status": "ok"}
    inbound = ws.ClientRouter(Recorder()).decode(text, strict=True)
    assert inbound.message == ws.Status(event="subscriptionStatus", status="ok")


def test_flat_router_reports_unknown_types_with_the_type() -> None:
    ws = py_case("flat").module("kraken.ws")
    server = ws.ServerRouter(Recorder())
    with pytest.raises(UnknownMessageType) as err:
        server.decode('{"event":"pong","reqid":1}')
    assert err.value.type == "pong"
    assert err.value.known == ("ping", "subscribe", "heartbeat")


@pytest.mark.parametrize("raw", ["not json", "[1]", '{"reqid": 1}', '{"event": 5}', b"\xff"])
def test_flat_router_reports_malformed_frames(raw: str | bytes) -> None:
    ws = py_case("flat").module("kraken.ws")
    with pytest.raises(MalformedFrame):
        ws.ServerRouter(Recorder()).decode(raw)


def test_flat_payload_errors_name_the_path_from_the_frame_root() -> None:
    ws = py_case("flat").module("kraken.ws")
    with pytest.raises(DecodeError) as err:
        ws.ServerRouter(Recorder()).decode('{"event":"subscribe","pair":["a",5]}')
    assert err.value.path == "$.pair[1]"


def test_both_direction_frames_are_in_both_routers() -> None:
    ws = py_case("flat").module("kraken.ws")
    assert "heartbeat" in ws.ServerRouter(Recorder()).types
    assert "heartbeat" in ws.ClientRouter(Recorder()).types
    assert json.loads(ws.encode_client_frame(ws.Heartbeat())) == {"event": "heartbeat"}
    assert json.loads(ws.encode_server_frame(ws.Heartbeat())) == {"event": "heartbeat"}


# ----------------------------------------------------------------------------- envelope


def _chat() -> Any:
    return py_case("example").module("chat.v1")


def test_envelope_frames_carry_type_id_seq_ts_and_payload() -> None:
    chat = _chat()
    seq = framing.SeqCounter()
    first = json.loads(chat.encode_client_frame(chat.JoinRoom(room_id="r1"), seq=seq))
    second = json.loads(chat.encode_client_frame(chat.LeaveRoom(room_id="r1"), seq=seq))
    assert first["type"] == "room.join" and second["type"] == "room.leave"
    assert (first["seq"], second["seq"]) == (1, 2)
    assert first["payload"] == {"roomId": "r1"}
    assert len(first["id"]) == 26 and first["id"] < second["id"]
    assert ids.ulid_time_ms(first["id"]) > 0
    assert first["ts"].endswith("Z") and len(first["ts"]) == len("2026-12-03T17:25:23.123Z")
    seq.reset()
    replay = chat.encode_client_frame(
        chat.JoinRoom(room_id="r1"), seq=seq, frame_id=first["id"], ts=first["ts"]
    )
    assert json.loads(replay) | {"seq": 1} == first


def test_envelope_router_dispatches_to_the_typed_handler() -> None:
    chat = _chat()
    seq = framing.SeqCounter()
    text = chat.encode_client_frame(chat.DeleteMessage(room_id="r", message_id="m"), seq=seq)
    rec = Recorder()
    assert _dispatch(chat.ServerRouter(rec), text) is None
    name, message, frame = rec.calls[0]
    assert name == "on_delete_message"
    assert message == chat.DeleteMessage(room_id="r", message_id="m")
    envelope = json.loads(text)
    assert frame == framing.FrameInfo("message.delete", envelope["id"], 1, envelope["ts"])


def test_envelope_router_types_follow_catalog_order_and_direction() -> None:
    chat = _chat()
    server = chat.ServerRouter(Recorder())
    client = chat.ClientRouter(Recorder())
    assert server.types[:3] == ("room.join", "room.leave", "message.send")
    assert "typing" in server.types and "typing" in client.types
    assert "room.joined" in client.types and "room.joined" not in server.types


def _envelope(**over: Any) -> str:
    doc = {
        "type": "room.join",
        "id": "01JEBX5ZK6N7T3W9QH2Y4R8VMC",
        "seq": 17,
        "ts": "2026-12-03T17:25:23.123Z",
        "payload": {"roomId": "r1"},
    }
    doc.update(over)
    return json.dumps({k: v for k, v in doc.items() if v is not None})


def test_unknown_envelope_type_raises_unknown_message_type() -> None:
    chat = _chat()
    with pytest.raises(UnknownMessageType) as err:
        chat.ServerRouter(Recorder()).decode(_envelope(type="room.joined"))
    assert err.value.type == "room.joined"
    assert err.value.code == "UNKNOWN_MESSAGE_TYPE"


@pytest.mark.parametrize(
    "raw",
    [
        _envelope(id=None),
        _envelope(id="has space"),
        _envelope(seq="17"),
        _envelope(seq=0),
        _envelope(seq=True),
        _envelope(ts="2026-12-03T17:25:23Z"),
        _envelope(payload=[1]),
        _envelope(type=""),
        "[]",
        "{",
    ],
)
def test_malformed_envelopes_raise_malformed_frame(raw: str) -> None:
    chat = _chat()
    with pytest.raises(MalformedFrame) as err:
        chat.ServerRouter(Recorder()).decode(raw)
    assert err.value.code == "MALFORMED_FRAME"


def test_payload_errors_are_reported_under_payload() -> None:
    chat = _chat()
    raw = _envelope(payload={"roomId": 5})
    with pytest.raises(DecodeError) as err:
        chat.ServerRouter(Recorder()).decode(raw)
    assert err.value.path == "$.payload.roomId"
    strict = _envelope(payload={"roomId": "r", "extra": 1})
    with pytest.raises(DecodeError) as err:
        chat.ServerRouter(Recorder()).decode(strict, strict=True)
    assert err.value.path == "$.payload.extra"
    assert chat.ServerRouter(Recorder()).decode(strict).message == chat.JoinRoom(room_id="r")


def test_unknown_envelope_keys_are_ignored() -> None:
    chat = _chat()
    raw = json.dumps({**json.loads(_envelope()), "re": "01JEBX5ZK6N7T3W9QH2Y4R8VMC"})
    assert chat.ServerRouter(Recorder()).decode(raw).message == chat.JoinRoom(room_id="r1")


@pytest.mark.parametrize(
    ("type_", "payload", "control"),
    [
        ("ping", {"nonce": "n1"}, framing.Ping("n1")),
        ("pong", {}, framing.Pong()),
        ("ack", {"ids": ["a", "b"]}, framing.Ack(("a", "b"))),
        ("hello", {"protocol": "chat.v1", "version": "1.0.0"}, framing.Hello("chat.v1", "1.0.0")),
        (
            "error",
            {"code": 4001, "name": "NOPE", "message": "no", "re": "x"},
            framing.ErrorFrame(4001, "NOPE", "no", "x"),
        ),
    ],
)
def test_control_frames_are_returned_not_dispatched(
    type_: str, payload: dict[str, Any], control: framing.Control
) -> None:
    chat = _chat()
    rec = Recorder()
    got = _dispatch(chat.ServerRouter(rec), _envelope(type=type_, payload=payload))
    assert got == control and rec.calls == []
    seq = framing.SeqCounter()
    text = framing.encode_control(control, seq=seq)
    inbound = chat.ClientRouter(rec).decode(text)
    assert inbound.control == control and inbound.frame.type == type_


def test_a_bad_control_payload_is_a_decode_error_under_payload() -> None:
    chat = _chat()
    with pytest.raises(DecodeError) as err:
        chat.ServerRouter(Recorder()).decode(_envelope(type="ack", payload={"ids": "x"}))
    assert err.value.path == "$.payload.ids"


def test_encoding_a_frame_of_the_wrong_direction_is_refused() -> None:
    chat = _chat()
    with pytest.raises(TypeError):
        chat.encode_client_frame(chat.RoomJoined(), seq=framing.SeqCounter())


def test_both_direction_frames_encode_from_either_side() -> None:
    chat = _chat()
    seq = framing.SeqCounter()
    typing_frame = chat.Typing(room_id="r")
    for encode in (chat.encode_client_frame, chat.encode_server_frame):
        doc = json.loads(encode(typing_frame, seq=seq))
        assert doc["type"] == "typing" and doc["payload"] == {"roomId": "r"}


def test_bytes_frames_are_read_as_utf8_text() -> None:
    chat = _chat()
    raw = _envelope(payload={"roomId": "é"}).encode()
    assert chat.ServerRouter(Recorder()).decode(raw).message == chat.JoinRoom(room_id="é")


def test_error_control_frame_carries_trace_id_and_retry_hint() -> None:
    from wsgen_runtime import framing

    frame = framing.ErrorFrame(
        3102, "RATE_LIMITED", "slow down", trace_id="4bf9", retry_after_ms=1500
    )
    payload = framing._control_payload(frame)
    assert payload["traceId"] == "4bf9" and payload["retryAfterMs"] == 1500
    info = framing.FrameInfo(type="error", id="x", seq=1, ts="2026-12-03T00:00:00.000Z")
    assert framing.parse_control(info, dict(payload)) == frame
