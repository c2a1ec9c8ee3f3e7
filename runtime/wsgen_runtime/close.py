"""WebSocket close codes and close reasons for typed errors (docs/errors.md, "Closing").

Theory of operation. Catalog codes are never sent as close codes: RFC 6455 reserves
1000-2999, which overlaps the connection and protocol layers. A peer that closes for an
error sends the code's own close code (a standard one, or 4000-4999) and a *close reason* that
names the error exactly:

    reason = NAME "|" HTTP [ "|retry=" MS ] *( "|" key "=" value )

``NAME`` is the code's wire name, ``HTTP`` its three-digit HTTP status, ``MS`` a retry-after
hint in milliseconds (0 to 2**31 - 1, no leading zeros); further ``key=value`` parameters are
ignored by this version. The receiver prefers the reason: a parsed, known name wins;
otherwise the close code decides (``classify_close``).

Sans-I/O: pure functions, nothing here raises on what a peer sends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wsgen_runtime.errors import BuiltinError, ErrorInfo, ErrorTable, json_int

__all__ = [
    "MAX_CLOSE_REASON_BYTES",
    "MAX_NAME_LENGTH",
    "MAX_RETRY_AFTER_MS",
    "NEVER_SENT",
    "STANDARD_CLOSE_CODES",
    "ClassifiedClose",
    "CloseReason",
    "classify_close",
    "close_code_to_send",
    "format_close_reason",
    "is_final_close_code",
    "is_retryable_close_code",
    "is_sendable_close_code",
    "parse_close_reason",
]

# RFC 6455 §5.5: "All control frames MUST have a payload length of 125 bytes or less"; §5.5.1:
# the Close body starts with the 2-byte status code, so at most 123 bytes remain for the reason.
MAX_CLOSE_REASON_BYTES = 123
MAX_RETRY_AFTER_MS = 2**31 - 1
# The longest name whose longest reason still fits: NAME + "|599" + "|retry=2147483647".
MAX_NAME_LENGTH = MAX_CLOSE_REASON_BYTES - len("|599|retry=") - len(str(MAX_RETRY_AFTER_MS))

# RFC 6455 §7.4.1: 1005, 1006 and 1015 "MUST NOT be set as a status code in a Close control
# frame by an endpoint"; they only report what a client observed locally.
NEVER_SENT = frozenset({1005, 1006, 1015})

# Close codes of RFC 6455 §7.4.1 and the IANA registry (1012-1014) → the built-in code a
# receiver reports when the reason names nothing it knows.
STANDARD_CLOSE_CODES: dict[int, BuiltinError] = {
    1000: BuiltinError.CONNECTION_CLOSED,
    1001: BuiltinError.GOING_AWAY,
    1002: BuiltinError.PROTOCOL_VIOLATION,
    1003: BuiltinError.UNSUPPORTED_DATA,
    1004: BuiltinError.UNKNOWN_CLOSE_CODE,  # reserved, meaning not defined yet
    1005: BuiltinError.CONNECTION_CLOSED,  # a Close frame without a status code
    1006: BuiltinError.CONNECTION_LOST,  # no Close frame at all
    1007: BuiltinError.MALFORMED_FRAME,
    1008: BuiltinError.POLICY_VIOLATION,
    1009: BuiltinError.OVERSIZED_FRAME,
    1010: BuiltinError.EXTENSION_REQUIRED,
    1011: BuiltinError.SERVER_ERROR,
    1012: BuiltinError.SERVICE_RESTART,
    1013: BuiltinError.TRY_AGAIN_LATER,
    1014: BuiltinError.BAD_GATEWAY,
    1015: BuiltinError.TLS_HANDSHAKE_FAILED,
}
# Codes an endpoint may put in a Close frame: the standard ones except 1004 (reserved) and
# the local-only ones, plus the private-use range 4000-4999 (RFC 6455 §7.4.2).
_SENDABLE_STANDARD = frozenset(c for c in STANDARD_CLOSE_CODES if c != 1004) - NEVER_SENT

_NAME = r"[A-Z][A-Z0-9_]*"
_HTTP = re.compile(r"[1-5][0-9][0-9]")
_NAME_RE = re.compile(_NAME)
_MS = re.compile(r"0|[1-9][0-9]{0,9}")
_PARAM = re.compile(r"([a-z][a-z0-9_]*)=([!-~]+)")
_PRINTABLE = re.compile(r"[!-~]*")


def is_sendable_close_code(code: int) -> bool:
    return code in _SENDABLE_STANDARD or 4000 <= code <= 4999


def is_retryable_close_code(code: int) -> bool:
    """4000-4499: the application says a reconnect may succeed."""
    return 4000 <= code <= 4499


def is_final_close_code(code: int) -> bool:
    """4500-4999: the application says do not reconnect."""
    return 4500 <= code <= 4999


def close_code_to_send(info: ErrorInfo) -> int:
    """The close code to put on the wire for ``info``: its own, unless that one must never be
    sent (a built-in code that describes a local observation), then 1011."""
    return info.close_code if is_sendable_close_code(info.close_code) else 1011


@dataclass(frozen=True, slots=True)
class CloseReason:
    """A parsed close reason. ``retry_after_ms`` is None when the reason gave no hint."""

    name: str
    http_status: int
    retry_after_ms: int | None = None


def format_close_reason(reason: CloseReason) -> str:
    """The reason text; never raises. An invalid name or HTTP status gives "" (send the close
    code alone); an invalid retry hint is left out; the result never exceeds 123 bytes."""
    name, status, ms = reason.name, reason.http_status, reason.retry_after_ms
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
        return ""
    http = json_int(status)
    if http is None or not 100 <= http <= 599:
        return ""
    text = f"{name}|{http}"
    retry = json_int(ms)
    if retry is not None and 0 <= retry <= MAX_RETRY_AFTER_MS:
        text += f"|retry={retry}"
    return text if len(text) <= MAX_CLOSE_REASON_BYTES else ""


def parse_close_reason(raw: str | bytes | bytearray | memoryview | object) -> CloseReason | None:
    """Read a reason per the grammar above; anything else (too long, not printable ASCII, a
    bad field, a repeated ``retry``) gives None. Never raises, whatever ``raw`` is.

    RFC 6455 §7.1.6: the close reason is "the UTF-8-encoded data following the status code";
    §5.5.1 leaves its interpretation to the application. Every valid wsgen reason is printable
    ASCII, so bytes are checked as such and never need a UTF-8 decoder here.
    """
    if isinstance(raw, bytes | bytearray | memoryview):
        data = bytes(raw)
        if len(data) > MAX_CLOSE_REASON_BYTES or any(b < 0x21 or b > 0x7E for b in data):
            return None
        text = data.decode("ascii")
    elif isinstance(raw, str):
        text = raw
    else:
        return None
    if len(text) > MAX_CLOSE_REASON_BYTES or not _PRINTABLE.fullmatch(text):
        return None
    parts = text.split("|")
    if len(parts) < 2 or not _NAME_RE.fullmatch(parts[0]) or not _HTTP.fullmatch(parts[1]):
        return None
    retry: int | None = None
    for part in parts[2:]:
        m = _PARAM.fullmatch(part)
        if m is None:
            return None
        if m[1] == "retry":
            if retry is not None or not _MS.fullmatch(m[2]) or int(m[2]) > MAX_RETRY_AFTER_MS:
                return None
            retry = int(m[2])
    return CloseReason(parts[0], int(parts[1]), retry)


@dataclass(frozen=True, slots=True)
class ClassifiedClose:
    """What a received close means: the error, and the parsed reason if there was one."""

    info: ErrorInfo
    close_code: int
    reason: CloseReason | None


def classify_close(code: object, reason: object, table: ErrorTable) -> ClassifiedClose:
    """The error a received close stands for (docs/errors.md, "Receiving a close"):

    1. a parsed reason whose name the table knows wins;
    2. a standard code 1000-1015 maps to its built-in code;
    3. 4000-4999: the one catalog code declaring that close code, else APPLICATION_CLOSE
       (4000-4499) or APPLICATION_CLOSE_FINAL (4500-4999);
    4. anything else (0-999, 1016-3999, 5000+) is UNKNOWN_CLOSE_CODE.

    A close without a status code is read as 1005, as RFC 6455 §7.1.5 says.
    """
    number = json_int(code)
    code = 1005 if number is None else number
    parsed = parse_close_reason(reason)
    if parsed is not None:
        named = table.by_name(parsed.name)
        if named is not None:
            return ClassifiedClose(named, code, parsed)
    if code in STANDARD_CLOSE_CODES:
        info = table.builtin(STANDARD_CLOSE_CODES[code])
    elif 4000 <= code <= 4999:
        owner = table.close_owners.get(code)
        if owner is not None:
            info = owner
        elif is_retryable_close_code(code):
            info = table.builtin(BuiltinError.APPLICATION_CLOSE)
        else:
            info = table.builtin(BuiltinError.APPLICATION_CLOSE_FINAL)
    else:
        info = table.builtin(BuiltinError.UNKNOWN_CLOSE_CODE)
    return ClassifiedClose(info, code, parsed)
