"""Routing of received frames to typed handlers, and encoding of frames to send.

A generated catalog module declares, per direction, a ``Routes`` table (discriminator →
handler method name → message class) and thin ``Router`` subclasses over it. The router is
sans-I/O: it takes frame text, returns the decoded frame or awaits one handler; the transport
decides what to do with the errors (docs/protocol.md, "Unknown and malformed frames"):
``MalformedFrame``, ``UnknownMessageType`` (keep the connection: a newer peer may know more
types), and the codec's ``DecodeError`` with its path under ``$.payload``.
"""

from __future__ import annotations

import builtins
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar, cast

from wsgen_runtime.codec import (
    DEFAULT_MAX_DEPTH,
    ROOT,
    DecodeError,
    Message,
    decode_message,
    root_path,
)
from wsgen_runtime.framing import (
    CONTROL_TYPES,
    Control,
    Envelope,
    FrameInfo,
    Framing,
    MalformedFrame,
    SeqCounter,
    encode_envelope,
    encode_flat,
    parse_control,
    parse_envelope,
    parse_flat,
)

__all__ = [
    "DecodeError",
    "Inbound",
    "MalformedFrame",
    "Route",
    "Router",
    "Routes",
    "UnknownMessageType",
]


class UnknownMessageType(LookupError):
    """A discriminator the catalog does not declare for this direction."""

    code = "UNKNOWN_MESSAGE_TYPE"

    def __init__(self, type: str, known: tuple[str, ...] = ()) -> None:
        super().__init__(f"unknown message type {type!r}")
        self.type = type
        self.known = known


@dataclass(frozen=True, slots=True)
class Route:
    """One frame kind: its discriminator value, handler method name and message class."""

    type: str
    handler: str
    message: builtins.type[Message]


_M = TypeVar("_M")
_H = TypeVar("_H")


@dataclass(frozen=True, slots=True)
class Inbound(Generic[_M]):
    """A decoded frame: exactly one of ``message`` (a catalog frame) and ``control`` (a
    reserved envelope control frame: hello, ack, error, ping, pong) is set."""

    frame: FrameInfo
    message: _M | None = None
    control: Control | None = None


class Routes:
    """The frames of one direction of a catalog, in its framing; built on first use."""

    def __init__(self, framing: Framing, routes: Callable[[], list[Route]]) -> None:
        self.framing = framing
        self._thunk = routes
        self._by_type: dict[str, Route] | None = None
        self._by_class: dict[type[Message], Route] = {}

    def _table(self) -> dict[str, Route]:
        table = self._by_type
        if table is None:
            routes = self._thunk()
            self._by_class = {r.message: r for r in routes}
            table = self._by_type = {r.type: r for r in routes}
        return table

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(self._table())

    def route_of(self, frame_type: str) -> Route:
        route = self._table().get(frame_type)
        if route is None:
            raise UnknownMessageType(frame_type, self.types)
        return route

    def decode(
        self, raw: str | bytes, *, strict: bool = False, max_depth: int = DEFAULT_MAX_DEPTH
    ) -> Inbound[Any]:
        """Parse the framing, then decode the payload as the discriminator's message."""
        if isinstance(self.framing, Envelope):
            info, payload = parse_envelope(raw)
            if info.type in CONTROL_TYPES:
                return Inbound(info, control=parse_control(info, payload))
            route = self.route_of(info.type)
            msg: Message = decode_message(
                route.message,
                payload,
                root_path("$.payload"),
                strict=strict,
                max_depth=max_depth,
            )
            return Inbound(info, message=msg)
        disc = self.framing.discriminator
        info, obj = parse_flat(raw, disc)
        route = self.route_of(info.type)
        msg = decode_message(
            route.message, obj, ROOT, strict=strict, max_depth=max_depth, consumed=disc
        )
        return Inbound(info, message=msg)

    def _route_for(self, message: Message) -> Route:
        self._table()
        route = self._by_class.get(type(message))
        if route is None:
            raise TypeError(f"{type(message).__name__} is not a frame of this direction")
        return route

    def encode(
        self,
        message: Message,
        *,
        seq: SeqCounter | None = None,
        frame_id: str | None = None,
        ts: str | None = None,
        max_depth: int = DEFAULT_MAX_DEPTH,
    ) -> str:
        """Frame text for ``message``; envelope framing needs the connection's ``seq``.
        ``max_depth`` limits nesting as the receiving decoder does (``EncodeError``)."""
        route = self._route_for(message)
        payload = message.to_dict(max_depth=max_depth)
        if isinstance(self.framing, Envelope):
            if seq is None:
                raise TypeError("envelope framing needs a SeqCounter (seq=...)")
            return encode_envelope(route.type, payload, seq=seq, frame_id=frame_id, ts=ts)
        return encode_flat(self.framing.discriminator, route.type, payload)


class Router(Generic[_H, _M]):
    """Decodes received frames and awaits the handler method the discriminator names.

    Subclasses (generated) set ``routes``; ``_H`` is the handlers protocol and ``_M`` the
    union of message classes this side receives.
    """

    routes: ClassVar[Routes]

    def __init__(self, handlers: _H) -> None:
        self.handlers = handlers

    @property
    def types(self) -> tuple[str, ...]:
        """The discriminator values this router dispatches, in catalog order."""
        return self.routes.types

    def decode(
        self, raw: str | bytes, *, strict: bool = False, max_depth: int = DEFAULT_MAX_DEPTH
    ) -> Inbound[_M]:
        """Decode without dispatching; raises MalformedFrame, UnknownMessageType or
        DecodeError."""
        return cast("Inbound[_M]", self.routes.decode(raw, strict=strict, max_depth=max_depth))

    async def dispatch(
        self, raw: str | bytes, *, strict: bool = False, max_depth: int = DEFAULT_MAX_DEPTH
    ) -> Control | None:
        """Decode and await the matching handler. Control frames are not dispatched: they
        are returned for the runtime (acks, pings, errors) to act on."""
        inbound = self.routes.decode(raw, strict=strict, max_depth=max_depth)
        if inbound.control is not None:
            return inbound.control
        route = self.routes.route_of(inbound.frame.type)
        handler = cast(
            "Callable[[Any, FrameInfo], Awaitable[None]]", getattr(self.handlers, route.handler)
        )
        await handler(inbound.message, inbound.frame)
        return None
