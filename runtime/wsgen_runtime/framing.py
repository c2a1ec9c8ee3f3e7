"""Frames on the wire (docs/protocol.md): the envelope, flat frames and control frames.

Sans-I/O: functions take frame text and return parsed parts, or take parts and return text.
A text frame arrives as ``str`` (or its UTF-8 bytes); anything that is not one JSON object with
the framing's keys raises ``MalformedFrame`` (protocol error ``MALFORMED_FRAME``). Payload
problems are the codec's ``DecodeError`` (``INVALID_PAYLOAD``), never a MalformedFrame.
"""

from __future__ import annotations

import datetime as _dt
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from wsgen_runtime import ids
from wsgen_runtime.codec import ROOT, DecodeError, JsonValue, child_path, dumps, load_json
from wsgen_runtime.errors import error_payload

__all__ = [
    "CONTROL_TYPES",
    "ENVELOPE",
    "Ack",
    "Control",
    "Envelope",
    "ErrorFrame",
    "Flat",
    "FrameInfo",
    "Framing",
    "Hello",
    "MalformedFrame",
    "Ping",
    "Pong",
    "SeqCounter",
    "encode_control",
    "encode_envelope",
    "encode_flat",
    "format_ts",
    "now_ts",
    "parse_control",
    "parse_envelope",
    "parse_flat",
]


class MalformedFrame(ValueError):
    """Not JSON, not an object, or an envelope key missing or of the wrong type."""

    code = "MALFORMED_FRAME"


@dataclass(frozen=True, slots=True)
class Envelope:
    """Envelope framing: ``{"type", "id", "seq", "ts", "payload"}``."""

    discriminator: str = "type"


@dataclass(frozen=True, slots=True)
class Flat:
    """Flat framing: the message object itself, with the discriminator under ``discriminator``."""

    discriminator: str = "type"


Framing: TypeAlias = Envelope | Flat
ENVELOPE = Envelope()


@dataclass(frozen=True, slots=True)
class FrameInfo:
    """What the framing says about a received frame; ``id``/``seq``/``ts`` are None in flat
    framing, which has none of them."""

    type: str
    id: str | None = None
    seq: int | None = None
    ts: str | None = None


# ----------------------------------------------------------------------------- control frames


@dataclass(frozen=True, slots=True)
class Hello:
    protocol: str
    version: str
    resume: str | None = None


@dataclass(frozen=True, slots=True)
class Ack:
    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ErrorFrame:
    code: int
    name: str
    message: str
    re: str | None = None
    details: dict[str, Any] | None = field(default=None, compare=False)
    trace_id: str | None = None
    retry_after_ms: int | None = None


@dataclass(frozen=True, slots=True)
class Ping:
    nonce: str | None = None


@dataclass(frozen=True, slots=True)
class Pong:
    nonce: str | None = None


Control: TypeAlias = Hello | Ack | ErrorFrame | Ping | Pong
CONTROL_TYPES: dict[str, type[Control]] = {
    "hello": Hello,
    "ack": Ack,
    "error": ErrorFrame,
    "ping": Ping,
    "pong": Pong,
}
_CONTROL_NAMES = {cls: name for name, cls in CONTROL_TYPES.items()}


def _need(payload: dict[str, object], key: str, kind: type, *, optional: bool = False) -> Any:
    value = payload.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
        raise DecodeError(f"expected {kind.__name__}", f"$.payload.{key}")
    return value


def _retry_after(payload: dict[str, object]) -> int | None:
    value: int | None = _need(payload, "retryAfterMs", int, optional=True)
    if value is not None and value < 0:
        raise DecodeError(
            "expected a non-negative number of milliseconds", "$.payload.retryAfterMs"
        )
    return value


def parse_control(info: FrameInfo, payload: dict[str, object]) -> Control:
    """The typed control frame of a reserved envelope type (``info.type`` in CONTROL_TYPES)."""
    t = info.type
    if t == "hello":
        return Hello(
            _need(payload, "protocol", str),
            _need(payload, "version", str),
            _need(payload, "resume", str, optional=True),
        )
    if t == "ack":
        raw = _need(payload, "ids", list)
        if not all(isinstance(i, str) for i in raw):
            raise DecodeError("expected a list of frame ids", "$.payload.ids")
        return Ack(tuple(raw))
    if t == "error":
        details = _need(payload, "details", dict, optional=True)
        return ErrorFrame(
            _need(payload, "code", int),
            _need(payload, "name", str),
            _need(payload, "message", str),
            _need(payload, "re", str, optional=True),
            details,
            _need(payload, "traceId", str, optional=True),
            _retry_after(payload),
        )
    if t in ("ping", "pong"):
        nonce = _need(payload, "nonce", str, optional=True)
        return Ping(nonce) if t == "ping" else Pong(nonce)
    raise ValueError(f"{t!r} is not a control type")


def _control_payload(control: Control) -> dict[str, JsonValue]:
    if isinstance(control, Hello):
        out: dict[str, JsonValue] = {"protocol": control.protocol, "version": control.version}
        if control.resume is not None:
            out["resume"] = control.resume
        return out
    if isinstance(control, Ack):
        return {"ids": list(control.ids)}
    if isinstance(control, ErrorFrame):
        return error_payload(
            control.code,
            control.name,
            control.message,
            re=control.re,
            details=control.details,
            trace_id=control.trace_id,
            retry_after_ms=control.retry_after_ms,
        )
    return {} if control.nonce is None else {"nonce": control.nonce}


# ----------------------------------------------------------------------------- parsing

# docs/protocol.md: RFC 3339, UTC, "Z", exactly three fractional digits.
_TS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z")
# docs/protocol.md: seq stays within what every JSON peer reads exactly (JavaScript numbers).
MAX_SEQ = 2**53 - 1


def _valid_ts(ts: object) -> bool:
    """RFC 3339 §5.6 date-time in wsgen's one spelling, with real field ranges (no month 13,
    no Feb 30, no hour 24); second 60 is allowed, as RFC 3339 allows leap seconds."""
    if not isinstance(ts, str) or not _TS.fullmatch(ts):
        return False
    whole = ts[:19]
    if whole.endswith(":60"):
        whole = whole[:-2] + "59"
    try:
        _dt.datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return False
    return True


def _seq(value: object) -> int | None:
    """The envelope's seq as an int, or None. JSON has one number type, so 1.0 and 1e0 are 1."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 1 <= value <= MAX_SEQ:
        return value
    return None


def _load_object(raw: str | bytes, payload: Callable[[str], bool]) -> dict[str, Any]:
    """The frame's JSON object. A problem the JSON text has at a path ``payload`` accepts (a
    repeated key, a lone surrogate inside the payload) is the payload's ``DecodeError``;
    every other one makes the frame malformed."""
    try:
        data = load_json(raw)
    except DecodeError as exc:
        if exc.path != "$" and payload(exc.path):
            raise
        where = "" if exc.path == "$" else f"{exc.path}: "
        raise MalformedFrame(where + exc.message) from None
    if not isinstance(data, dict):
        raise MalformedFrame("a frame must be a JSON object")
    return data


def _in_envelope_payload(path: str) -> bool:
    return path.startswith(("$.payload.", "$.payload["))


def parse_envelope(raw: str | bytes) -> tuple[FrameInfo, dict[str, Any]]:
    """Check the five envelope keys; return the frame info and the payload object.

    Unknown envelope keys are ignored (later versions may add some, e.g. ``re``).
    """
    data = _load_object(raw, _in_envelope_payload)
    t, frame_id, seq, ts = data.get("type"), data.get("id"), data.get("seq"), data.get("ts")
    payload = data.get("payload")
    if not isinstance(t, str) or not t:
        raise MalformedFrame('envelope "type" must be a non-empty string')
    if not isinstance(frame_id, str) or not ids.is_frame_id(frame_id):
        raise MalformedFrame('envelope "id" must be 1-64 characters of [0-9A-Za-z_-]')
    seq_value = _seq(seq)
    if seq_value is None:
        raise MalformedFrame('envelope "seq" must be an integer from 1 to 2^53-1')
    if not _valid_ts(ts):
        raise MalformedFrame('envelope "ts" must be a UTC time like 2026-12-03T17:25:23.123Z')
    if not isinstance(payload, dict):
        raise MalformedFrame('envelope "payload" must be an object')
    assert isinstance(ts, str)
    return FrameInfo(t, frame_id, seq_value, ts), payload


def parse_flat(raw: str | bytes, discriminator: str) -> tuple[FrameInfo, dict[str, Any]]:
    """Read the discriminator of a flat frame; the object itself is the payload."""
    own = str(child_path(ROOT, discriminator))
    data = _load_object(raw, lambda path: path != own)
    t = data.get(discriminator)
    if not isinstance(t, str):
        raise MalformedFrame(f"flat frame needs a string {discriminator!r} key")
    return FrameInfo(t), data


# ----------------------------------------------------------------------------- encoding


class SeqCounter:
    """Per-connection, per-direction ``seq``: 1, 2, 3 … ; ``reset()`` on a new connection."""

    def __init__(self) -> None:
        self._next = 1
        self._lock = threading.Lock()

    def next(self) -> int:
        with self._lock:
            value = self._next
            self._next += 1
            return value

    def reset(self) -> None:
        with self._lock:
            self._next = 1


def format_ts(unix_ms: int) -> str:
    """``YYYY-MM-DDTHH:MM:SS.mmmZ`` for a millisecond Unix time."""
    seconds, ms = divmod(unix_ms, 1000)
    when = _dt.datetime.fromtimestamp(seconds, tz=_dt.UTC)
    return f"{when:%Y-%m-%dT%H:%M:%S}.{ms:03d}Z"


def now_ts() -> str:
    return format_ts(time.time_ns() // 1_000_000)


def encode_envelope(
    frame_type: str,
    payload: dict[str, Any],
    *,
    seq: SeqCounter,
    frame_id: str | None = None,
    ts: str | None = None,
) -> str:
    """Envelope text. A replayed frame passes its original ``frame_id`` and ``ts``; ``seq``
    always comes from the current connection's counter."""
    if frame_id is not None and not ids.is_frame_id(frame_id):
        raise ValueError(f"invalid frame id {frame_id!r}")
    return dumps(
        {
            "type": frame_type,
            "id": frame_id if frame_id is not None else ids.new_ulid(),
            "seq": seq.next(),
            "ts": ts if ts is not None else now_ts(),
            "payload": payload,
        }
    )


def encode_flat(discriminator: str, frame_type: str, payload: dict[str, Any]) -> str:
    """The message object with the discriminator written first (overriding any value)."""
    body = {k: v for k, v in payload.items() if k != discriminator}
    return dumps({discriminator: frame_type, **body})


def encode_control(
    control: Control,
    *,
    seq: SeqCounter,
    frame_id: str | None = None,
    ts: str | None = None,
) -> str:
    """Envelope text for a control frame (hello, ack, error, ping, pong)."""
    payload = _control_payload(control)
    return encode_envelope(
        _CONTROL_NAMES[type(control)], payload, seq=seq, frame_id=frame_id, ts=ts
    )
