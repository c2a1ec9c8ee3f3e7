"""Typed errors (docs/errors.md): layers, code metadata, wsgen's built-in block, ``WsError``.

Theory of operation. Every error both peers can name is an ``ErrorInfo``: a number, a stable
wire name, a layer and the attributes that drive recovery (close code, HTTP status, action,
retryable). A generated ``errors`` module holds one tuple of ``ErrorInfo`` per IDL catalog;
``ErrorTable`` joins it with wsgen's own built-in block, so a lookup by number or by name
always answers — an unknown number gets an ``ErrorInfo`` synthesized from its layer's range.

Invariants:
- layers own fixed number ranges; the first ``BUILTIN_BLOCK_SIZE`` numbers of each layer belong
  to wsgen (``BUILTIN_ERRORS``) and no user catalog may use them or their names;
- the action of an ``ErrorInfo`` is already resolved by ``resolve_action`` (the one precedence,
  applied by the compiler for catalog codes and here for unknown codes);
- ``WsError.to_json`` is the payload of an envelope ``error`` frame; it never carries the cause
  chain or any exception text that the code did not put in ``message`` on purpose.

Never imports the compiler.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

__all__ = [
    "BUILTIN_BLOCK_SIZE",
    "BUILTIN_ERRORS",
    "LAYER_DEFAULT_ACTIONS",
    "LAYER_RANGES",
    "NAME_PATTERN",
    "BuiltinError",
    "ErrorInfo",
    "ErrorLayer",
    "ErrorSource",
    "ErrorTable",
    "RecoveryAction",
    "WsError",
    "builtin_block",
    "error_payload",
    "is_builtin_code",
    "json_int",
    "layer_of",
    "resolve_action",
    "resolve_retryable",
]


class ErrorLayer(enum.Enum):
    """Where an error belongs: the connection, the wire protocol, or the application."""

    CONNECTION = "connection"
    PROTOCOL = "protocol"
    BUSINESS = "business"


class RecoveryAction(enum.Enum):
    """What a client does about an error (the decision table is in ``recovery``)."""

    RETRY = "retry"
    REAUTHENTICATE = "reauthenticate"
    NOTIFY = "notify"
    DEGRADE = "degrade"
    FATAL = "fatal"


class ErrorSource(enum.Enum):
    """Which part of the stack raised the error. ``PEER``: it arrived in an ``error`` frame."""

    TRANSPORT = "transport"
    PROTOCOL = "protocol"
    HANDLER = "handler"
    PEER = "peer"


# Inclusive number ranges of each layer (docs/errors.md, "Layers").
LAYER_RANGES: Mapping[ErrorLayer, tuple[int, int]] = {
    ErrorLayer.CONNECTION: (1000, 1999),
    ErrorLayer.PROTOCOL: (2000, 2999),
    ErrorLayer.BUSINESS: (3000, 9999),
}
# The first numbers of each layer are wsgen's: 1000-1099, 2000-2099, 3000-3099.
BUILTIN_BLOCK_SIZE = 100

# The action a layer gives its codes when nothing more specific decides (precedence step 4).
LAYER_DEFAULT_ACTIONS: Mapping[ErrorLayer, RecoveryAction] = {
    ErrorLayer.CONNECTION: RecoveryAction.RETRY,
    ErrorLayer.PROTOCOL: RecoveryAction.NOTIFY,
    ErrorLayer.BUSINESS: RecoveryAction.NOTIFY,
}

# Wire names of error codes. Upper snake case, so a name is also a valid identifier in every
# target language and can never contain the close reason's "|" separator.
NAME_PATTERN = re.compile(r"[A-Z][A-Z0-9_]*")

# RFC 6455 §7.4.2: 4000-4999 are for private use; wsgen splits them in two halves.
_RETRYABLE_CLOSE = (4000, 4499)
_FINAL_CLOSE = (4500, 4999)


def layer_of(code: int) -> ErrorLayer | None:
    """The layer whose range holds ``code``, or None when no layer's range does."""
    for layer, (low, high) in LAYER_RANGES.items():
        if low <= code <= high:
            return layer
    return None


def builtin_block(layer: ErrorLayer) -> tuple[int, int]:
    """wsgen's own numbers within ``layer`` (inclusive)."""
    low = LAYER_RANGES[layer][0]
    return low, low + BUILTIN_BLOCK_SIZE - 1


def is_builtin_code(code: int) -> bool:
    layer = layer_of(code)
    if layer is None:
        return False
    low, high = builtin_block(layer)
    return low <= code <= high


def resolve_action(
    layer: ErrorLayer,
    close_code: int | None,
    action: RecoveryAction | None = None,
    retryable: bool | None = None,
) -> RecoveryAction:
    """The one precedence (docs/errors.md, "Precedence"), first match wins:

    1. the code's own ``action``;
    2. ``retryable: true`` → RETRY;
    3. retry ruled out — ``retryable: false`` or a close code in 4500-4999 — turns a layer
       default of RETRY into FATAL (nothing else would stop the reconnect loop);
    4. the layer's default action.

    The compiler rejects the combinations where a higher step contradicts a lower one (a RETRY
    action on a 4500-4999 close code, ``retryable: false`` with RETRY), so for catalog codes the
    order only matters where attributes are left out.
    """
    if action is not None:
        return action
    final_close = close_code is not None and _FINAL_CLOSE[0] <= close_code <= _FINAL_CLOSE[1]
    if retryable is True and not final_close:
        return RecoveryAction.RETRY
    default = LAYER_DEFAULT_ACTIONS[layer]
    if default is RecoveryAction.RETRY and (retryable is False or final_close):
        return RecoveryAction.FATAL
    return default


def resolve_retryable(action: RecoveryAction, retryable: bool | None) -> bool:
    """An unset ``retryable`` follows the resolved action: only RETRY is retryable."""
    return retryable if retryable is not None else action is RecoveryAction.RETRY


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """One error code with resolved recovery attributes. ``message`` is the user-facing text."""

    code: int
    name: str
    layer: ErrorLayer
    http_status: int
    close_code: int
    action: RecoveryAction
    retryable: bool
    message: str
    grpc_status: int | None = None
    builtin: bool = False

    def to_json(self) -> dict[str, Any]:
        """A stable, language-neutral form (the cross-language vectors compare it)."""
        return {
            "code": self.code,
            "name": self.name,
            "layer": self.layer.value,
            "httpStatus": self.http_status,
            "grpcStatus": self.grpc_status,
            "closeCode": self.close_code,
            "action": self.action.value,
            "retryable": self.retryable,
        }


def _builtin(
    code: int,
    name: str,
    layer: ErrorLayer,
    http_status: int,
    close_code: int,
    action: RecoveryAction,
    message: str,
) -> ErrorInfo:
    return ErrorInfo(
        code,
        name,
        layer,
        http_status,
        close_code,
        action,
        resolve_retryable(action, None),
        message,
        builtin=True,
    )


_C, _P, _B = ErrorLayer.CONNECTION, ErrorLayer.PROTOCOL, ErrorLayer.BUSINESS
_RETRY, _NOTIFY, _FATAL = RecoveryAction.RETRY, RecoveryAction.NOTIFY, RecoveryAction.FATAL

# wsgen's own errors (docs/errors.md, "The built-in block"). Numbers are part of the wire
# contract: append, never renumber. Close codes 1005, 1006 and 1015 describe what a client
# *observed*; they are never sent (``close.close_code_to_send``).
BUILTIN_ERRORS: tuple[ErrorInfo, ...] = (
    _builtin(1000, "CONNECTION_CLOSED", _C, 503, 1000, _RETRY, "The connection was closed."),
    _builtin(1001, "GOING_AWAY", _C, 503, 1001, _RETRY, "The server is going away."),
    _builtin(1002, "CONNECTION_LOST", _C, 503, 1006, _RETRY, "The connection was lost."),
    _builtin(1003, "SERVER_ERROR", _C, 500, 1011, _RETRY, "The server hit an internal error."),
    _builtin(1004, "SERVICE_RESTART", _C, 503, 1012, _RETRY, "The service is restarting."),
    _builtin(1005, "TRY_AGAIN_LATER", _C, 503, 1013, _RETRY, "The service is overloaded."),
    _builtin(1006, "BAD_GATEWAY", _C, 502, 1014, _RETRY, "A gateway could not reach the server."),
    _builtin(1007, "TLS_HANDSHAKE_FAILED", _C, 502, 1015, _FATAL, "The TLS handshake failed."),
    _builtin(1008, "HANDSHAKE_FAILED", _C, 502, 1006, _RETRY, "The opening handshake failed."),
    _builtin(1009, "HEARTBEAT_TIMEOUT", _C, 504, 1011, _RETRY, "The peer stopped answering."),
    _builtin(1010, "APPLICATION_CLOSE", _C, 503, 4000, _RETRY, "The server closed the connection."),
    _builtin(
        1011, "APPLICATION_CLOSE_FINAL", _C, 500, 4500, _FATAL, "The server ended the session."
    ),
    _builtin(1012, "UNKNOWN_CLOSE_CODE", _C, 500, 1011, _RETRY, "The connection was closed."),
    _builtin(2000, "MALFORMED_FRAME", _P, 400, 1007, _NOTIFY, "A frame could not be read."),
    _builtin(2001, "UNKNOWN_MESSAGE_TYPE", _P, 400, 1003, _NOTIFY, "A frame type is not known."),
    _builtin(2002, "INVALID_PAYLOAD", _P, 422, 1007, _NOTIFY, "A frame's payload is invalid."),
    _builtin(2003, "OVERSIZED_FRAME", _P, 413, 1009, _NOTIFY, "A frame was too large."),
    _builtin(2004, "HELLO_REFUSED", _P, 426, 1008, _FATAL, "This client version is not supported."),
    _builtin(2005, "PROTOCOL_VIOLATION", _P, 400, 1002, _FATAL, "The peer broke the protocol."),
    _builtin(2006, "UNSUPPORTED_DATA", _P, 415, 1003, _FATAL, "The peer cannot accept this data."),
    _builtin(2007, "POLICY_VIOLATION", _P, 403, 1008, _FATAL, "The connection was refused."),
    _builtin(2008, "EXTENSION_REQUIRED", _P, 426, 1010, _FATAL, "A required extension is missing."),
    _builtin(3000, "HANDLER_FAILED", _B, 500, 1011, _NOTIFY, "The request could not be handled."),
    _builtin(3001, "NOT_IMPLEMENTED", _B, 501, 1011, _NOTIFY, "The request is not supported."),
    _builtin(3002, "UNKNOWN_ERROR", _B, 500, 1011, _NOTIFY, "Something went wrong."),
)


class BuiltinError(enum.IntEnum):
    """The built-in block's numbers by name, for the runtime's own raise sites."""

    CONNECTION_CLOSED = 1000
    GOING_AWAY = 1001
    CONNECTION_LOST = 1002
    SERVER_ERROR = 1003
    SERVICE_RESTART = 1004
    TRY_AGAIN_LATER = 1005
    BAD_GATEWAY = 1006
    TLS_HANDSHAKE_FAILED = 1007
    HANDSHAKE_FAILED = 1008
    HEARTBEAT_TIMEOUT = 1009
    APPLICATION_CLOSE = 1010
    APPLICATION_CLOSE_FINAL = 1011
    UNKNOWN_CLOSE_CODE = 1012
    MALFORMED_FRAME = 2000
    UNKNOWN_MESSAGE_TYPE = 2001
    INVALID_PAYLOAD = 2002
    OVERSIZED_FRAME = 2003
    HELLO_REFUSED = 2004
    PROTOCOL_VIOLATION = 2005
    UNSUPPORTED_DATA = 2006
    POLICY_VIOLATION = 2007
    EXTENSION_REQUIRED = 2008
    HANDLER_FAILED = 3000
    NOT_IMPLEMENTED = 3001
    UNKNOWN_ERROR = 3002


class ErrorTable:
    """Built-in codes plus one catalog's codes, looked up by number or by wire name.

    ``close_owners`` maps an application close code (4000-4999) to the one catalog code that
    declares it; a close code declared by several codes has no owner (``close`` falls back to
    the range's built-in code then)."""

    __slots__ = ("_by_code", "_by_name", "close_owners", "codes")

    def __init__(self, codes: Iterable[ErrorInfo] = ()) -> None:
        self.codes: tuple[ErrorInfo, ...] = tuple(codes)
        self._by_code: dict[int, ErrorInfo] = {}
        self._by_name: dict[str, ErrorInfo] = {}
        for info in (*BUILTIN_ERRORS, *self.codes):
            self._by_code.setdefault(info.code, info)
            self._by_name.setdefault(info.name, info)
        users: dict[int, list[ErrorInfo]] = {}
        for info in self.codes:
            if 4000 <= info.close_code <= 4999:
                users.setdefault(info.close_code, []).append(info)
        self.close_owners: dict[int, ErrorInfo] = {
            close: found[0] for close, found in sorted(users.items()) if len(found) == 1
        }

    def by_code(self, code: int) -> ErrorInfo | None:
        return self._by_code.get(code)

    def by_name(self, name: str) -> ErrorInfo | None:
        return self._by_name.get(name)

    def builtin(self, code: BuiltinError) -> ErrorInfo:
        return self._by_code[int(code)]

    def lookup(self, code: object, name: object = None) -> ErrorInfo:
        """Never fails: a known number wins, then a known name; an unknown number in a layer's
        range gets that layer's defaults (keeping a well-formed name); anything else is
        ``UNKNOWN_ERROR``."""
        number = json_int(code)
        if number is not None:
            found = self._by_code.get(number)
            if found is not None:
                return found
        if isinstance(name, str):
            found = self._by_name.get(name)
            if found is not None:
                return found
        unknown = self._by_code[BuiltinError.UNKNOWN_ERROR]
        if number is None:
            return unknown
        layer = layer_of(number)
        if layer is None:
            return unknown
        action = resolve_action(layer, None)
        return ErrorInfo(
            code=number,
            name=name if isinstance(name, str) and _valid_name(name) else unknown.name,
            layer=layer,
            http_status=unknown.http_status,
            close_code=unknown.close_code,
            action=action,
            retryable=resolve_retryable(action, None),
            message=unknown.message,
        )

    def __iter__(self) -> Iterator[ErrorInfo]:
        return iter((*BUILTIN_ERRORS, *self.codes))


def json_int(value: object) -> int | None:
    """``value`` as an integer if it is one in JSON's sense: ``3100`` and ``3100.0`` alike (a
    JavaScript peer cannot tell them apart, so neither does this side); bools are not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _valid_name(name: str) -> bool:
    return len(name) <= 102 and NAME_PATTERN.fullmatch(name) is not None


_TRACE_ID = re.compile(r"[!-~]{1,128}")


def _now_ts() -> str:
    ms = time.time_ns() // 1_000_000
    when = _dt.datetime.fromtimestamp(ms // 1000, tz=_dt.UTC)
    return f"{when:%Y-%m-%dT%H:%M:%S}.{ms % 1000:03d}Z"


def error_payload(
    code: int,
    name: str,
    message: str,
    *,
    re: str | None = None,
    details: Mapping[str, Any] | None = None,
    trace_id: str | None = None,
    retry_after_ms: int | None = None,
) -> dict[str, Any]:
    """The envelope ``error`` frame payload (docs/protocol.md): the one place its keys and
    their order are written, for ``WsError.to_json`` and the framing's ``ErrorFrame`` alike."""
    out: dict[str, Any] = {"code": code, "name": name, "message": message}
    if re is not None:
        out["re"] = re
    if details is not None:
        out["details"] = dict(details)
    if trace_id is not None:
        out["traceId"] = trace_id
    if retry_after_ms is not None:
        out["retryAfterMs"] = retry_after_ms
    return out


class WsError(Exception):
    """An error with its catalog identity and the context to act on and trace it.

    ``info`` says what the error is (code, name, layer, close code, HTTP status, action);
    ``source`` where it arose; ``timestamp`` when (RFC 3339, UTC, milliseconds); ``trace_id``
    ties it to logs on both ends; ``re`` is the id of the frame it is about; ``details`` is
    extra JSON for the user; ``retry_after_ms`` a server's hint. The cause chain is Python's
    own (``raise WsError(...) from exc`` or ``cause=``); ``causes()`` walks it.

    Generated ``errors`` modules subclass this once per layer; ``layer_class`` picks one.
    """

    layer_class: ClassVar[ErrorLayer | None] = None

    def __init__(
        self,
        info: ErrorInfo,
        message: str | None = None,
        *,
        source: ErrorSource = ErrorSource.HANDLER,
        details: Mapping[str, Any] | None = None,
        re: str | None = None,
        trace_id: str | None = None,
        retry_after_ms: int | None = None,
        timestamp: str | None = None,
        cause: BaseException | None = None,
    ) -> None:
        self.info = info
        self.message = info.message if message is None else message
        self.source = source
        self.details = dict(details) if details is not None else None
        self.re = re
        self.trace_id = trace_id
        self.retry_after_ms = retry_after_ms
        self.timestamp = timestamp if timestamp is not None else _now_ts()
        super().__init__(f"{info.name} ({info.code}): {self.message}")
        if cause is not None:
            self.__cause__ = cause

    @property
    def code(self) -> int:
        return self.info.code

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def layer(self) -> ErrorLayer:
        return self.info.layer

    @property
    def close_code(self) -> int:
        return self.info.close_code

    @property
    def http_status(self) -> int:
        return self.info.http_status

    def causes(self) -> Iterator[BaseException]:
        """The explicit cause chain, nearest first (``__cause__`` links, cycle-safe)."""
        seen = {id(self)}
        cur = self.__cause__
        while cur is not None and id(cur) not in seen:
            seen.add(id(cur))
            yield cur
            cur = cur.__cause__

    def to_json(self) -> dict[str, Any]:
        """The ``error`` frame payload (docs/protocol.md; extra keys in docs/errors.md).
        Key order is fixed so the text is stable."""
        return error_payload(
            self.code,
            self.name,
            self.message,
            re=self.re,
            details=self.details,
            trace_id=self.trace_id,
            retry_after_ms=self.retry_after_ms,
        )

    def describe(self) -> dict[str, Any]:
        """Everything, for local logs only (may hold internal text: never send it)."""
        out = self.to_json()
        out.update(
            layer=self.layer.value,
            closeCode=self.close_code,
            httpStatus=self.http_status,
            source=self.source.value,
            ts=self.timestamp,
            causes=[f"{type(c).__name__}: {c}" for c in self.causes()],
        )
        return out

    @classmethod
    def from_json(
        cls,
        payload: object,
        table: ErrorTable,
        *,
        classes: Mapping[ErrorLayer, type[WsError]] | None = None,
        timestamp: str | None = None,
    ) -> WsError:
        """Rebuild a peer's error from an ``error`` frame payload; never raises. Unknown codes
        keep their number and get their layer's defaults (``ErrorTable.lookup``); mistyped
        optional keys are dropped. ``classes`` picks the class by layer (generated modules
        pass their per-layer subclasses); otherwise ``cls``."""
        data = payload if isinstance(payload, dict) else {}
        info = table.lookup(data.get("code"), data.get("name"))
        kind = classes.get(info.layer, cls) if classes is not None else cls
        message = data.get("message")
        details = data.get("details")
        re_id = data.get("re")
        trace = data.get("traceId")
        retry = json_int(data.get("retryAfterMs"))
        return kind(
            info,
            message if isinstance(message, str) else None,
            source=ErrorSource.PEER,
            details=details if isinstance(details, dict) else None,
            re=re_id if isinstance(re_id, str) else None,
            trace_id=trace if isinstance(trace, str) and _TRACE_ID.fullmatch(trace) else None,
            retry_after_ms=retry if retry is not None and 0 <= retry < 2**31 else None,
            timestamp=timestamp,
        )
