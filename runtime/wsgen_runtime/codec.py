"""The JSON codec every generated message class shares (proto3 JSON mapping).

Generated modules hold only data: a dataclass per message and, per class, a table of field
specs (``bind``). Everything that reads or writes JSON lives here, so the rules are written
once: 64-bit integers as strings (read exactly, never through a float), floats with
``"NaN"``/``"Infinity"``, bytes as base64, enums by name (numbers accepted), map keys as
strings, presence (implicit / optional / required / nullable), oneofs, discriminated unions,
and JSON Schema facets (``constrained``, checks from ``wsgen_runtime.facets``): the decoder is
the validator, encoding never checks facets.

Invariants:
- decoding raises exactly one error type, ``DecodeError``, whose ``path`` names the first
  offending JSON location (``$.items[3].price``); nothing else escapes ``from_dict`` /
  ``from_json`` (not ``KeyError``, not ``RecursionError``);
- nesting is limited by ``max_depth`` (default 100, like the protobuf runtime), counted the
  same way when encoding, so what a decoder accepts encodes and encoding never raises
  ``RecursionError`` (``EncodeError`` instead);
- ``load_json`` refuses repeated keys and lone surrogates, and lets no parser exception but
  ``DecodeError`` out;
- field specs are resolved lazily on first use, so modules that refer to each other's classes
  can be imported in any order;
- a value the decoder returns always encodes to JSON the decoder accepts (facets are checked
  on the written-back form too where reading normalizes, ``_Checked``).
"""

from __future__ import annotations

import base64
import binascii
import enum
import json
import math
import re
import struct
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Self, TypeAlias, TypeVar

from wsgen_runtime import facets, wkt

__all__ = [
    "BOOL",
    "BYTES",
    "DEFAULT_MAX_DEPTH",
    "DOUBLE",
    "DURATION",
    "EMPTY",
    "FIELD_MASK",
    "FLOAT",
    "FLOAT_NUMBER",
    "IMPLICIT",
    "INT32",
    "INT32_NUMBER",
    "INT64",
    "INT64_STRING",
    "INTEGER",
    "JSON",
    "LIST_VALUE",
    "NULL",
    "NUMBER",
    "OPTIONAL",
    "PROTO_ANY",
    "REQUIRED",
    "SINT32",
    "SINT64",
    "STRING",
    "STRUCT",
    "TIMESTAMP",
    "UINT32",
    "UINT32_NUMBER",
    "UINT64",
    "UINT64_STRING",
    "Codec",
    "DecodeError",
    "EncodeError",
    "JsonValue",
    "Message",
    "Mode",
    "UnionCodec",
    "bind",
    "bind_enum",
    "constrained",
    "enum_",
    "extra",
    "field",
    "list_",
    "load_json",
    "map_",
    "message",
    "one_of",
]

JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"

DEFAULT_MAX_DEPTH = 100

# ----------------------------------------------------------------------------- paths, errors


class _Path:
    """A JSON location as a linked list; formatted only when an error needs it."""

    __slots__ = ("key", "parent")

    def __init__(self, parent: _Path | None, key: str | int) -> None:
        self.parent = parent
        self.key = key

    def __str__(self) -> str:
        parts: list[str] = []
        node: _Path | None = self
        while node is not None:
            key = node.key
            if node.parent is None:
                parts.append(str(key))
            elif isinstance(key, int):
                parts.append(f"[{key}]")
            elif _PLAIN_KEY.fullmatch(key):
                parts.append(f".{key}")
            else:
                # (a lone surrogate is written as an escape: the message stays printable)
                parts.append(f"[{json.dumps(key, ensure_ascii=_has_surrogate(key))}]")
            node = node.parent
        return "".join(reversed(parts))


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ROOT = _Path(None, "$")


def child_path(parent: _Path, key: str | int) -> _Path:
    """``parent`` then ``key`` (formatted as error paths are: ``$.type``, ``$["a b"]``)."""
    return _Path(parent, key)


def root_path(prefix: str) -> _Path:
    """A root other than ``$`` (the router decodes envelope payloads at ``$.payload``)."""
    return _Path(None, prefix)


class DecodeError(ValueError):
    """The one error decoding raises. ``path`` is a JSON path like ``$.items[3].price``."""

    code = "INVALID_PAYLOAD"

    def __init__(self, message: str, path: str = "$") -> None:
        super().__init__(f"{path}: {message}")
        self.message = message
        self.path = path


class EncodeError(ValueError):
    """A value that cannot be written as the field's JSON (wrong type, out of range)."""

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        self.message = message
        self.path = path
        where = str(_build(path))
        super().__init__(f"{where}: {message}")

    def within(self, key: str | int) -> EncodeError:
        return type(self)(self.message, (key, *self.path))


class _TooDeep(EncodeError):
    """Nesting beyond ``max_depth``: no variant of a union can fix that."""


def _build(keys: tuple[str | int, ...]) -> _Path:
    node = ROOT
    for k in keys:
        node = _Path(node, k)
    return node


def _fail(message: str, path: _Path) -> DecodeError:
    return DecodeError(message, str(path))


def _clip(text: str) -> str:
    """``repr`` of a peer's string for an error message, at most about 40 characters."""
    return repr(text) if len(text) <= 40 else repr(text[:37]) + "…"


def _kind(data: object) -> str:
    """JSON's name for a decoded value, for error messages."""
    if data is None:
        return "null"
    if isinstance(data, bool):
        return "a boolean"
    if isinstance(data, int | float):
        return "a number"
    if isinstance(data, str):
        return "a string"
    if isinstance(data, list):
        return "an array"
    if isinstance(data, dict):
        return "an object"
    return type(data).__name__


@dataclass(frozen=True, slots=True)
class _Ctx:
    strict: bool
    max_depth: int


# Encoding counts nesting as decoding does (each message and each JSON array or object of a
# Value field is one level) and refuses what a decoder with the same max_depth would refuse.
_WRITE = _Ctx(False, DEFAULT_MAX_DEPTH)


def _too_deep(ctx: _Ctx, keys: tuple[str | int, ...] = ()) -> EncodeError:
    return _TooDeep(
        f"nesting exceeds max_depth={ctx.max_depth}, which decoders refuse by default "
        "(pass a larger max_depth to both sides, or check for a cycle)",
        keys,
    )


# ----------------------------------------------------------------------------- type codecs


class Codec:
    """How one JSON value maps to one Python value. ``read`` never raises but DecodeError."""

    __slots__ = ()
    #: JSON ``null`` is a value of this type (Value, any JSON), not "field absent".
    accepts_null: ClassVar[bool] = False
    #: The JSON kind this type is written as ("string", "number", "boolean", "object",
    #: "array", "null"), or "" for any; ``one_of`` dispatches on it.
    json_kind: str = ""
    #: Writing a value this codec read gives back JSON equal to what it read, so facets
    #: checked on the input also hold for the output (``constrained`` re-checks otherwise).
    exact: bool = False

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        """The JSON of ``value``; ``depth`` levels already written (``ctx.max_depth``)."""
        raise NotImplementedError

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        raise NotImplementedError

    def write_key(self, value: Any) -> str:
        raise EncodeError("this type cannot be a map key")

    def read_key(self, text: str, path: _Path) -> Any:
        raise _fail("this type cannot be a map key", path)


_INT_TEXT = re.compile(r"-?[0-9]+")
# A number as protobuf's json_format reads it from a string: sign, digits with an optional
# point (either side may be empty, not both), optional exponent — ASCII only.
_PROTO_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_PROTO_INT_TEXT = re.compile(r"[+-]?[0-9]+")


class _Int(Codec):
    """An integer kind. The proto3 codecs (``strings`` and ``numbers``) read what protobuf's
    ``json_format`` reads: numbers and numeric strings, in exponent or decimal form too, as
    long as the value is integral (``"1e3"``, ``"5.0"``, ``1e18``; the value is the double's,
    as there). The schema.json codecs read only their one JSON form."""

    __slots__ = (
        "as_string",
        "exact",
        "hi",
        "json_kind",
        "lo",
        "name",
        "numbers",
        "proto",
        "strings",
    )

    def __init__(
        self,
        name: str,
        lo: int | None,
        hi: int | None,
        *,
        as_string: bool,
        strings: bool = True,
        numbers: bool = True,
    ) -> None:
        self.name, self.lo, self.hi, self.as_string = name, lo, hi, as_string
        self.strings = strings  # numeric strings are read too (proto3 JSON)
        self.numbers = numbers  # JSON numbers are read too (proto3 JSON, for 64-bit kinds)
        self.json_kind = "string" if as_string else "number"
        self.exact = not as_string and not strings
        self.proto = strings and numbers

    def _in_range(self, value: int) -> bool:
        return (self.lo is None or self.lo <= value) and (self.hi is None or value <= self.hi)

    def _check(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise EncodeError(f"expected an int for {self.name}, got {type(value).__name__}")
        if not self._in_range(value):
            raise EncodeError(f"{value} is out of the {self.name} range")
        return int(value)

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        v = self._check(value)
        return str(v) if self.as_string else v

    def _parse_text(self, text: str, path: _Path) -> int:
        if not self.proto:
            if len(text) > 24 or not _INT_TEXT.fullmatch(text):
                raise _fail(f"expected an integer ({self.name}), got {_clip(text)}", path)
            return int(text)
        if not _PROTO_NUMBER_TEXT.fullmatch(text):
            raise _fail(f"expected an integer ({self.name}), got {_clip(text)}", path)
        if _PROTO_INT_TEXT.fullmatch(text):
            try:
                return int(text)
            except ValueError:
                pass  # beyond the int-string limit: as a double, like json_format
        f = float(text)
        if not f.is_integer():
            raise _fail(f"expected an integer ({self.name}), got {_clip(text)}", path)
        return int(f)

    def _range(self, value: int, path: _Path) -> int:
        if not self._in_range(value):
            shown = value if abs(value) < 10**30 else f"a {value.bit_length()}-bit integer"
            raise _fail(f"{shown} is out of the {self.name} range [{self.lo}, {self.hi}]", path)
        return value

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        if isinstance(data, bool):
            raise _fail(f"expected an integer ({self.name}), got a boolean", path)
        if isinstance(data, str) and self.strings:
            return self._range(self._parse_text(data, path), path)
        if not self.numbers:
            raise _fail(f"expected an integer string ({self.name}), got {_kind(data)}", path)
        if isinstance(data, int):
            return self._range(data, path)
        if isinstance(data, float):
            # a JSON number with a fraction or an exponent (1.0, 1e3): integral is enough,
            # whatever the parser rounded it to (json_format and JSON Schema agree)
            if data.is_integer():
                return self._range(int(data), path)
            raise _fail(f"expected an integer ({self.name}), got {data!r}", path)
        raise _fail(f"expected an integer ({self.name}), got {_kind(data)}", path)

    def write_key(self, value: Any) -> str:
        return str(self._check(value))

    def read_key(self, text: str, path: _Path) -> Any:
        return self._range(self._parse_text(text, path), path)


_FLT_MAX = 3.4028234663852886e38
_F32 = struct.Struct("<f")


def _to_float32(f: float) -> float:
    """The nearest 32-bit float (what a protobuf ``float`` field holds)."""
    return float(_F32.unpack(_F32.pack(f))[0])


def _shortest_float32(f: float) -> float:
    """The float with the fewest digits that is still the same 32-bit float, so ``0.1f`` is
    written ``0.1`` (as protobuf's JSON printers do), not ``0.10000000149011612``."""
    exact = _to_float32(f)
    for digits in range(6, 10):
        candidate = float(f"{exact:.{digits}g}")
        # (never beyond the float32 maximum as a double: protobuf's parsers refuse that)
        if _to_float32(candidate) == exact and abs(candidate) <= _FLT_MAX:
            return candidate
    return exact


class _Float(Codec):
    __slots__ = ("single", "special")
    json_kind = "number"

    def __init__(self, *, single: bool, special: bool = True) -> None:
        self.single = single
        self.special = special  # "NaN", "Infinity", numeric strings (proto3 JSON)

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise EncodeError(f"expected a float, got {type(value).__name__}")
        try:
            f = float(value)
        except OverflowError:
            raise EncodeError("int too large for a float") from None
        if not self.special and not math.isfinite(f):
            raise EncodeError("NaN and infinities are not JSON numbers")
        if math.isnan(f):
            return "NaN"
        if math.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        if self.single:
            if abs(f) > _FLT_MAX:
                raise EncodeError(f"{f} is out of the float (32-bit) range")
            return _shortest_float32(f)
        return f

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        if isinstance(data, bool):
            raise _fail("expected a number, got a boolean", path)
        if isinstance(data, int | float):
            try:
                f = float(data)
            except OverflowError:
                raise _fail("number is out of the float range", path) from None
        elif isinstance(data, str) and self.special:
            if data == "NaN":
                return math.nan
            if data == "Infinity":
                return math.inf
            if data == "-Infinity":
                return -math.inf
            if not _PROTO_NUMBER_TEXT.fullmatch(data):
                raise _fail(f"expected a number, got {_clip(data)}", path)
            f = float(data)
        else:
            raise _fail(f"expected a number, got {_kind(data)}", path)
        if math.isinf(f):
            raise _fail("number is out of range", path)
        if self.single:
            try:
                # rounds to the nearest float32 (protobuf itself writes FLT_MAX as
                # 3.4028235e+38, a little above it); only what rounds to infinity is refused
                return _to_float32(f)
            except OverflowError:
                raise _fail("number is out of the float (32-bit) range", path) from None
        return f


class _Bool(Codec):
    __slots__ = ()
    json_kind = "boolean"
    exact = True

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        if not isinstance(value, bool):
            raise EncodeError(f"expected a bool, got {type(value).__name__}")
        return value

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        if not isinstance(data, bool):
            raise _fail(f"expected a boolean, got {_kind(data)}", path)
        return data

    def write_key(self, value: Any) -> str:
        return "true" if self.write(value) else "false"

    def read_key(self, text: str, path: _Path) -> Any:
        if text == "true":
            return True
        if text == "false":
            return False
        raise _fail(f'a bool map key must be "true" or "false", got {text!r}', path)


class _String(Codec):
    __slots__ = ()
    json_kind = "string"
    exact = True

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        if not isinstance(value, str):
            raise EncodeError(f"expected a str, got {type(value).__name__}")
        return str(value)

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        if not isinstance(data, str):
            raise _fail(f"expected a string, got {_kind(data)}", path)
        if _has_surrogate(data):
            raise _fail(_LONE_SURROGATE, path)
        return data

    def write_key(self, value: Any) -> str:
        return str(self.write(value))

    def read_key(self, text: str, path: _Path) -> Any:
        if _has_surrogate(text):
            raise _fail(_LONE_SURROGATE, path)
        return text


_B64_CHARS = re.compile(r"[A-Za-z0-9+/\-_]*={0,2}")


class _Bytes(Codec):
    """Standard base64 with padding on write; standard or URL-safe, padded or not, on read."""

    __slots__ = ()
    json_kind = "string"

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        if not isinstance(value, bytes | bytearray | memoryview):
            raise EncodeError(f"expected bytes, got {type(value).__name__}")
        return base64.b64encode(bytes(value)).decode("ascii")

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        if not isinstance(data, str):
            raise _fail(f"expected a base64 string, got {_kind(data)}", path)
        if not _B64_CHARS.fullmatch(data):
            raise _fail("invalid base64", path)
        text = data.rstrip("=").replace("-", "+").replace("_", "/")
        if len(text) % 4 == 1:
            raise _fail("invalid base64 length", path)
        try:
            return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        except binascii.Error:
            raise _fail("invalid base64", path) from None


class _Json(Codec):
    """Any JSON value (``google.protobuf.Value``, JSON Schema ``{}``); ``kind`` narrows it."""

    __slots__ = ("json_kind", "kind")
    accepts_null = True
    exact = True

    def __init__(self, kind: type | None) -> None:
        self.kind = kind
        self.json_kind = "object" if kind is dict else "array" if kind is list else ""

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        if self.kind is not None and not isinstance(value, self.kind):
            raise EncodeError(f"expected {self.kind.__name__}, got {type(value).__name__}")
        _check_json(value, (), ctx, depth)
        return value  # type: ignore[no-any-return]

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        if self.kind is not None and not isinstance(data, self.kind):
            raise _fail(f"expected {_KIND_NAMES[self.kind]}, got {_kind(data)}", path)
        _read_json(data, path, ctx, depth)
        return data


_KIND_NAMES: dict[type, str] = {dict: "an object", list: "an array", type(None): "null"}


def _check_json(value: object, keys: tuple[str | int, ...], ctx: _Ctx, depth: int) -> None:
    """Plain JSON, each array and object one level deeper (as ``_read_json`` counts)."""
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EncodeError("NaN and infinities are not JSON values", keys)
        return
    if isinstance(value, list | dict):
        depth += 1
        if depth > ctx.max_depth:
            raise _too_deep(ctx, keys)
    if isinstance(value, list):
        for i, item in enumerate(value):
            _check_json(item, (*keys, i), ctx, depth)
        return
    if isinstance(value, dict):
        for k, item in value.items():
            if not isinstance(k, str):
                raise EncodeError("JSON object keys must be str", keys)
            _check_json(item, (*keys, k), ctx, depth)
        return
    raise EncodeError(f"{type(value).__name__} is not a JSON value", keys)


def _read_json(data: object, path: _Path, ctx: _Ctx, depth: int) -> None:
    """Check that ``data`` is plain JSON and not nested deeper than the limit."""
    if isinstance(data, list | dict):
        depth += 1
        if depth > ctx.max_depth:
            raise _fail(f"nesting exceeds max_depth={ctx.max_depth}", path)
        items = enumerate(data) if isinstance(data, list) else data.items()
        for k, v in items:
            if not isinstance(k, str | int):
                raise _fail("JSON object keys must be strings", path)
            if isinstance(k, str) and _has_surrogate(k):
                raise _fail(_LONE_SURROGATE_KEY, path)
            _read_json(v, _Path(path, k), ctx, depth)
    elif isinstance(data, str):
        if _has_surrogate(data):
            raise _fail(_LONE_SURROGATE, path)
    elif isinstance(data, float) and not math.isfinite(data):
        raise _fail("NaN and infinities are not JSON values", path)
    elif not (data is None or isinstance(data, bool | int | float | str)):
        raise _fail(f"{type(data).__name__} is not a JSON value", path)


class _Timestamp(Codec):
    __slots__ = ()
    json_kind = "string"

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        if not isinstance(value, wkt.Timestamp):
            raise EncodeError(f"expected wkt.Timestamp, got {type(value).__name__}")
        return value.to_rfc3339()

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        if not isinstance(data, str):
            raise _fail(f"expected an RFC 3339 timestamp string, got {_kind(data)}", path)
        try:
            return wkt.Timestamp.from_rfc3339(data)
        except ValueError as exc:
            raise _fail(str(exc), path) from None


class _Duration(Codec):
    __slots__ = ()
    json_kind = "string"

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        if not isinstance(value, wkt.Duration):
            raise EncodeError(f"expected wkt.Duration, got {type(value).__name__}")
        return value.to_json_string()

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        if not isinstance(data, str):
            raise _fail(f'expected a duration string like "1.5s", got {_kind(data)}', path)
        try:
            return wkt.Duration.from_json_string(data)
        except ValueError as exc:
            raise _fail(str(exc), path) from None


class _FieldMask(Codec):
    __slots__ = ()
    json_kind = "string"

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        if not isinstance(value, wkt.FieldMask):
            raise EncodeError(f"expected wkt.FieldMask, got {type(value).__name__}")
        return value.to_json_string()

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        if not isinstance(data, str):
            raise _fail(f"expected a field mask string, got {_kind(data)}", path)
        if _has_surrogate(data):
            raise _fail(_LONE_SURROGATE, path)
        try:
            return wkt.FieldMask.from_json_string(data)
        except ValueError as exc:
            raise _fail(str(exc), path) from None


class _Empty(Codec):
    __slots__ = ()
    json_kind = "object"

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        if not isinstance(value, wkt.Empty):
            raise EncodeError(f"expected wkt.Empty, got {type(value).__name__}")
        return {}

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        if not isinstance(data, dict):
            raise _fail(f"expected an object, got {_kind(data)}", path)
        if data and ctx.strict:
            raise _fail(f"unknown field {next(iter(data))!r} in Empty", path)
        return wkt.Empty()


class _ProtoAny(Codec):
    __slots__ = ()
    json_kind = "object"

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        if not isinstance(value, wkt.Any):
            raise EncodeError(f"expected wkt.Any, got {type(value).__name__}")
        _check_json(value.fields, (), ctx, depth)
        return {"@type": value.type_url, **value.fields}

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        if not isinstance(data, dict):
            raise _fail(f"expected an object, got {_kind(data)}", path)
        url = data.get("@type")
        if not isinstance(url, str):
            raise _fail('an Any needs a string "@type"', _Path(path, "@type"))
        _read_json(data, path, ctx, depth)
        return wkt.Any(url, {k: v for k, v in data.items() if k != "@type"})


class _Null(Codec):
    """``google.protobuf.NullValue``: only ``null``."""

    __slots__ = ()
    accepts_null = True
    json_kind = "null"

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        return None

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        if data is not None and data != "NULL_VALUE" and data != 0:
            raise _fail(f"expected null, got {_kind(data)}", path)
        return None


_I32, _U32 = (-(2**31), 2**31 - 1), (0, 2**32 - 1)
_I64, _U64 = (-(2**63), 2**63 - 1), (0, 2**64 - 1)
INT32 = _Int("int32", *_I32, as_string=False)
UINT32 = _Int("uint32", *_U32, as_string=False)
INT64 = _Int("int64", *_I64, as_string=True)
UINT64 = _Int("uint64", *_U64, as_string=True)
SINT32, SINT64 = INT32, INT64
# JSON Schema "integer" without a format: any size, always a JSON number.
INTEGER = _Int("integer", None, None, as_string=False, strings=False)
DOUBLE = _Float(single=False)
FLOAT = _Float(single=True)
# JSON Schema "number": a plain JSON number (no "NaN"/"Infinity" strings).
NUMBER = _Float(single=False, special=False)
# The same kinds as a schema.json spells them, read only in that one JSON form (the source
# schema rejects the proto3 JSON alternatives): int32/uint32 as numbers, int64/uint64 as
# strings, float as a plain number.
INT32_NUMBER = _Int("int32", *_I32, as_string=False, strings=False)
UINT32_NUMBER = _Int("uint32", *_U32, as_string=False, strings=False)
INT64_STRING = _Int("int64", *_I64, as_string=True, numbers=False)
UINT64_STRING = _Int("uint64", *_U64, as_string=True, numbers=False)
FLOAT_NUMBER = _Float(single=True, special=False)
BOOL = _Bool()
STRING = _String()
BYTES = _Bytes()
JSON = _Json(None)
STRUCT = _Json(dict)
LIST_VALUE = _Json(list)
NULL = _Null()
TIMESTAMP = _Timestamp()
DURATION = _Duration()
FIELD_MASK = _FieldMask()
EMPTY = _Empty()
PROTO_ANY = _ProtoAny()


class _List(Codec):
    __slots__ = ("element", "exact", "nullable")
    json_kind = "array"

    def __init__(self, element: Codec, nullable: bool) -> None:
        self.element, self.nullable = element, nullable
        self.exact = element.exact

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        if not isinstance(value, list | tuple):
            raise EncodeError(f"expected a list, got {type(value).__name__}")
        out: list[JsonValue] = []
        element = self.element
        for i, item in enumerate(value):
            if item is None and self.nullable:
                out.append(None)
                continue
            try:
                out.append(element.write(item, ctx, depth))
            except EncodeError as exc:
                raise exc.within(i) from None
        return out

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        if not isinstance(data, list):
            raise _fail(f"expected an array, got {_kind(data)}", path)
        element = self.element
        out: list[Any] = []
        for i, item in enumerate(data):
            if item is None and not element.accepts_null:
                if not self.nullable:
                    raise _fail("null is not allowed in this array", _Path(path, i))
                out.append(None)
                continue
            out.append(element.read(item, _Path(path, i), ctx, depth))
        return out


class _Map(Codec):
    __slots__ = ("exact", "key", "nullable", "value")
    json_kind = "object"

    def __init__(self, key: Codec, value: Codec, nullable: bool) -> None:
        self.key, self.value, self.nullable = key, value, nullable
        self.exact = isinstance(key, _String) and value.exact

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        if not isinstance(value, Mapping):
            raise EncodeError(f"expected a dict, got {type(value).__name__}")
        out: dict[str, JsonValue] = {}
        for k, v in value.items():
            try:
                key = self.key.write_key(k)
            except EncodeError as exc:
                raise EncodeError(f"map key {k!r}: {exc.message}") from None
            if v is None and self.nullable:
                out[key] = None
                continue
            try:
                out[key] = self.value.write(v, ctx, depth)
            except EncodeError as exc:
                raise exc.within(key) from None
        return out

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        if not isinstance(data, dict):
            raise _fail(f"expected an object, got {_kind(data)}", path)
        out: dict[Any, Any] = {}
        for k, v in data.items():
            child = _Path(path, k)
            key = self.key.read_key(k, child)
            if v is None and not self.value.accepts_null:
                if not self.nullable:
                    raise _fail("null is not allowed as a map value", child)
                out[key] = None
                continue
            out[key] = self.value.read(v, child, ctx, depth)
        return out


_UNSET_FACET: Any = object()

_JSON_KINDS: dict[type, str] = {
    bool: "boolean",
    int: "number",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
    type(None): "null",
}


class _OneOf(Codec):
    """A value of one of several types with different JSON kinds (JSON Schema ``anyOf`` of
    ``$ref | string`` and the like): read by the JSON kind, written by the first type that
    accepts the Python value."""

    __slots__ = ("exact", "variants")

    def __init__(self, variants: tuple[Codec, ...]) -> None:
        self.variants = variants
        self.exact = all(v.exact for v in variants)

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        for v in self.variants:
            try:
                return v.write(value, ctx, depth)
            except _TooDeep:
                raise
            except EncodeError:
                continue
        raise EncodeError(f"{type(value).__name__} matches no type of this union")

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        kind = _JSON_KINDS.get(type(data), "")
        for v in self.variants:
            if v.json_kind == kind:
                return v.read(data, path, ctx, depth)
        error: DecodeError | None = None
        for v in self.variants:
            try:
                return v.read(data, path, ctx, depth)
            except DecodeError as exc:
                error = error or exc
        raise _fail(f"{_kind(data)} matches no type of this union", path) from error


def one_of(*variants: Codec) -> Codec:
    """A union told apart by JSON kind (at most one variant per kind)."""
    return _OneOf(variants)


def list_(element: Codec, *, nullable: bool = False) -> Codec:
    """A JSON array; ``nullable``: items may be ``null``."""
    return _List(element, nullable)


def map_(key: Codec, value: Codec, *, nullable: bool = False) -> Codec:
    """A JSON object whose keys ``key`` reads from text (int keys are range-checked)."""
    return _Map(key, value, nullable)


class _Checked(Codec):
    """``inner`` plus JSON Schema facets, checked on the JSON value before it is decoded
    (a 1001-item array is refused before any item is read) and, when ``inner`` is not
    ``exact``, on the JSON its value writes back too, so ``to_dict`` of a decoded value
    always decodes again. Encoding does not check facets."""

    __slots__ = ("accepts_null", "checks", "const", "exact", "inner", "json_kind")

    def __init__(self, inner: Codec, checks: facets.Checks, const: facets.Check | None) -> None:
        self.inner = inner
        self.checks = checks
        self.const = const
        self.exact = inner.exact
        self.json_kind = inner.json_kind
        self.accepts_null = inner.accepts_null  # type: ignore[misc]

    def _check(self, data: object, path: _Path) -> None:
        const = self.const
        if const is not None:
            problem = const(data)
            if problem is not None:
                raise _fail(problem, path)
        for check in self.checks.get(type(data), ()):
            problem = check(data)
            if problem is not None:
                raise _fail(problem, path)

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        return self.inner.write(value, ctx, depth)

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        self._check(data, path)
        value = self.inner.read(data, path, ctx, depth)
        if not self.exact and value is not None:
            try:
                again = self.inner.write(value, ctx, depth)
            except EncodeError as exc:
                raise _fail(f"the value cannot be written back: {exc.message}", path) from None
            if again != data or type(again) is not type(data):
                self._check(again, path)
        return value

    def write_key(self, value: Any) -> str:
        return self.inner.write_key(value)

    def read_key(self, text: str, path: _Path) -> Any:
        return self.inner.read_key(text, path)


def constrained(
    inner: Codec,
    *,
    minimum: int | float | None = None,
    maximum: int | float | None = None,
    exclusive_minimum: int | float | None = None,
    exclusive_maximum: int | float | None = None,
    multiple_of: int | float | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
    min_items: int | None = None,
    max_items: int | None = None,
    unique_items: bool = False,
    min_properties: int | None = None,
    max_properties: int | None = None,
    const: str | int | float | bool = _UNSET_FACET,
) -> Codec:
    """``inner`` with JSON Schema facets (``wsgen_runtime.facets``): each applies to JSON
    values of its own type only. Built once per field, when the class is first used, so a
    ``pattern`` is compiled once."""
    checks, const_check = facets.build_checks(
        minimum=minimum,
        maximum=maximum,
        exclusive_minimum=exclusive_minimum,
        exclusive_maximum=exclusive_maximum,
        multiple_of=multiple_of,
        min_length=min_length,
        max_length=max_length,
        pattern=pattern,
        min_items=min_items,
        max_items=max_items,
        unique_items=unique_items,
        min_properties=min_properties,
        max_properties=max_properties,
        **({} if const is _UNSET_FACET else {"const": const}),
    )
    return _Checked(inner, checks, const_check)


# ----------------------------------------------------------------------------- enums


class _EnumInfo:
    __slots__ = ("by_wire", "cls", "numbered", "open", "to_wire")

    def __init__(
        self, cls: type[enum.Enum], wire_names: Iterable[str] | None, *, open: bool
    ) -> None:
        self.cls = cls
        self.open = open
        self.numbered = issubclass(cls, int)
        members = list(cls.__members__.items())
        if wire_names is not None:
            wires = list(wire_names)
        elif self.numbered:
            wires = [name for name, _ in members]
        else:
            wires = [str(member.value) for _, member in members]
        if len(wires) != len(members):
            raise ValueError(f"{cls.__name__}: {len(wires)} wire names for {len(members)} members")
        self.by_wire: dict[str, enum.Enum] = {}
        self.to_wire: dict[enum.Enum, str] = {}
        for wire, (_, member) in zip(wires, members, strict=True):
            self.by_wire[wire] = member
            self.to_wire.setdefault(member, wire)


_ENUMS: dict[type[enum.Enum], _EnumInfo] = {}


def bind_enum(
    cls: type[enum.Enum], *, open: bool = False, wire_names: Iterable[str] | None = None
) -> None:
    """Register how ``cls`` travels. ``wire_names`` lists the JSON name of every member (in
    ``__members__`` order, aliases included) when a Python name differs from it; ``open``
    keeps unknown numbers (proto3 enums) instead of rejecting them."""
    _ENUMS[cls] = _EnumInfo(cls, wire_names, open=open)


class _EnumCodec(Codec):
    __slots__ = ("cls",)
    json_kind = "string"

    def __init__(self, cls: type[enum.Enum]) -> None:
        self.cls = cls

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        info = _ENUMS[self.cls]
        if isinstance(value, self.cls):
            if info.numbered:
                return info.to_wire[value]
            return value.value  # type: ignore[no-any-return]
        if info.numbered and info.open and isinstance(value, int) and not isinstance(value, bool):
            if not -(2**31) <= value < 2**31:
                raise EncodeError(f"enum number {value} is out of the int32 range")
            try:
                return info.to_wire[self.cls(value)]  # a known number is written by name
            except ValueError:
                return int(value)
        if not info.numbered and isinstance(value, str):
            try:
                return self.cls(value).value  # type: ignore[no-any-return]
            except ValueError:
                pass
        raise EncodeError(f"{value!r} is not a {self.cls.__name__}")

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        info = _ENUMS[self.cls]
        if isinstance(data, str):
            member = info.by_wire.get(data)
            if member is None:
                raise _fail(f"unknown {self.cls.__name__} value {data!r}", path)
            return member
        if info.numbered and isinstance(data, int) and not isinstance(data, bool):
            try:
                return self.cls(data)
            except ValueError:
                if info.open and -(2**31) <= data < 2**31:
                    return data
            raise _fail(f"unknown {self.cls.__name__} number {data}", path)
        raise _fail(f"expected a {self.cls.__name__} name, got {_kind(data)}", path)


def enum_(cls: type[enum.Enum]) -> Codec:
    """The codec of an enum registered with ``bind_enum``."""
    return _EnumCodec(cls)


# ----------------------------------------------------------------------------- messages


class Mode(enum.Enum):
    """When a field is written, and what a missing key or ``null`` means on read."""

    IMPLICIT = "implicit"  # written unless zero/empty; missing or null → the zero value
    OPTIONAL = "optional"  # written unless None; missing or null → None
    REQUIRED = "required"  # always written; missing → error; null → None if nullable


IMPLICIT, OPTIONAL, REQUIRED = Mode.IMPLICIT, Mode.OPTIONAL, Mode.REQUIRED
_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field: Python attribute, JSON key, codec and presence rules."""

    name: str
    json: str
    codec: Codec
    mode: Mode = IMPLICIT
    alias: str | None = None
    oneof: str | None = None
    nullable: bool = False
    const: Any = _UNSET
    zero: Any = _UNSET


def field(
    name: str,
    json: str,
    codec: Codec,
    *,
    mode: Mode = IMPLICIT,
    alias: str | None = None,
    oneof: str | None = None,
    nullable: bool = False,
    const: str | int | float | bool = _UNSET,
    zero: Any = _UNSET,
) -> FieldSpec:
    """A field spec. ``alias``: another key accepted on read (the proto field name);
    ``const``: the value is fixed and always written (discriminators); ``zero``: the value an
    IMPLICIT field is not written for, when it is not the type's own zero (a declared
    default: the dataclass default, which an absent key also reads as)."""
    return FieldSpec(name, json, codec, mode, alias, oneof, nullable, const, zero)


@dataclass(frozen=True, slots=True)
class ExtraSpec:
    """Keys not declared as fields (JSON Schema ``additionalProperties``) go to ``name``."""

    name: str
    codec: Codec


def extra(name: str, codec: Codec) -> ExtraSpec:
    return ExtraSpec(name, codec)


class _Resolved:
    __slots__ = ("extra", "fields", "keys")

    def __init__(self, items: list[FieldSpec | ExtraSpec]) -> None:
        self.fields = tuple(f for f in items if isinstance(f, FieldSpec))
        extras = [f for f in items if isinstance(f, ExtraSpec)]
        self.extra = extras[0] if extras else None
        self.keys = frozenset(k for f in self.fields for k in (f.json, f.alias) if k is not None)


class MessageSpec:
    """A class's field table, built from its thunk on first use. ``null_is_absent``: JSON
    ``null`` for a field that is not nullable reads as absent (proto3 JSON mapping) rather
    than as an error (JSON Schema, where such a document is invalid). ``nulls``: the
    attribute (a frozenset of field names) that records which optional fields were ``null``
    rather than absent, so decode then encode gives the same JSON (JSON Schema messages)."""

    __slots__ = ("_resolved", "_thunk", "full_name", "null_is_absent", "nulls")

    def __init__(
        self,
        full_name: str,
        thunk: Callable[[], list[FieldSpec | ExtraSpec]],
        null_is_absent: bool = True,
        nulls: str | None = None,
    ) -> None:
        self.full_name = full_name
        self.null_is_absent = null_is_absent
        self.nulls = nulls
        self._thunk = thunk
        self._resolved: _Resolved | None = None

    def resolved(self) -> _Resolved:
        r = self._resolved
        if r is None:
            r = self._resolved = _Resolved(self._thunk())
        return r


class Message:
    """Base class of every generated message: the JSON codec methods.

    ``to_dict``/``to_json`` write the proto3 JSON form; ``from_dict``/``from_json`` read it,
    ignoring unknown keys unless ``strict``, and refusing nesting deeper than ``max_depth``.
    """

    __slots__ = ()
    __wsgen__: ClassVar[MessageSpec]

    def to_dict(self, *, max_depth: int = DEFAULT_MAX_DEPTH) -> dict[str, Any]:
        """The JSON object of this message (plain dicts, lists, str, int, float, bool);
        raises ``EncodeError`` for nesting deeper than ``max_depth`` (as decoding does)."""
        return encode_message(self, max_depth)

    def to_json(self, *, max_depth: int = DEFAULT_MAX_DEPTH) -> str:
        """Compact JSON text."""
        return dumps(self.to_dict(max_depth=max_depth))

    @classmethod
    def from_dict(
        cls, data: object, *, strict: bool = False, max_depth: int = DEFAULT_MAX_DEPTH
    ) -> Self:
        """Decode a parsed JSON value; raises ``DecodeError`` naming the JSON path."""
        return decode_message(cls, data, ROOT, strict=strict, max_depth=max_depth)

    @classmethod
    def from_json(
        cls, text: str | bytes, *, strict: bool = False, max_depth: int = DEFAULT_MAX_DEPTH
    ) -> Self:
        """Decode JSON text (UTF-8 bytes accepted); raises ``DecodeError``."""
        return cls.from_dict(load_json(text), strict=strict, max_depth=max_depth)


def dumps(data: JsonValue) -> str:
    """Compact JSON text, UTF-8 friendly; NaN is never written as a bare token."""
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError as exc:
        raise EncodeError(str(exc)) from None
    except RecursionError:
        raise EncodeError("nesting too deep for the Python stack") from None


def load_json(text: str | bytes) -> object:
    """Parse JSON text, turning every parser failure into a ``DecodeError`` at ``$``.

    Whatever a peer sends, nothing but ``DecodeError`` leaves here: not the ``ValueError`` of
    an integer longer than CPython's int-string limit (4300 digits), not ``RecursionError``,
    not ``UnicodeDecodeError``, not the ``TypeError`` of something that is not text."""
    if isinstance(text, bytes | bytearray | memoryview):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DecodeError(f"invalid UTF-8: {exc.reason} at byte {exc.start}") from None
    elif not isinstance(text, str):
        raise DecodeError(f"expected JSON text (str or UTF-8 bytes), got {type(text).__name__}")
    try:
        data = _parse(text, _unique_pairs)
    except _RepeatedKey:
        # rare: parse again, marking the objects, to name the first repeated key's path
        _check_document(_parse(text, _marking_pairs))
        raise AssertionError("unreachable") from None
    # Escapes (\ud800) are the usual source of lone surrogates; a str argument may also
    # hold them raw. Only then is the parsed document searched, at C speed unless it finds
    # one (paired escapes, such as an emoji's, parse to one code point).
    if _SURROGATE_ESCAPE.search(text) is not None or _has_surrogate(text):
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except (UnicodeEncodeError, RecursionError):
            _check_document(data)
    return data


def _parse(text: str, pairs: Callable[[list[tuple[str, Any]]], dict[str, Any]]) -> object:
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise DecodeError(
            f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise DecodeError("invalid JSON: nested too deeply to parse") from None
    except ValueError:
        # the only other ValueError json.loads raises: int() of a number literal longer
        # than sys.get_int_max_str_digits()
        raise DecodeError(
            f"invalid JSON: a number has more than {_int_digits_limit()} digits"
        ) from None


class _RepeatedKey(Exception):
    pass


def _unique_pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(items)
    if len(obj) != len(items):
        raise _RepeatedKey
    return obj


def _marking_pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(items)
    if len(obj) == len(items):
        return obj
    marked = _Duplicated(obj)
    marked.key = _first_repeat(k for k, _ in items)
    return marked


class _Duplicated(dict[str, Any]):
    """An object the JSON text gave ``key`` twice (``load_json`` refuses the document)."""

    __slots__ = ("key",)
    key: str


def _first_repeat(keys: Iterable[str]) -> str:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            return key
        seen.add(key)
    return ""


def _has_surrogate(text: str) -> bool:
    """Holds a UTF-16 surrogate code point (``isascii`` is O(1) on ``str``)."""
    return not text.isascii() and _SURROGATE.search(text) is not None


_SURROGATE = re.compile("[\ud800-\udfff]")
_LONE_SURROGATE = "lone surrogate in a string (not valid Unicode)"
_LONE_SURROGATE_KEY = "lone surrogate in an object key (not valid Unicode)"
# a \uD800-\uDFFF escape in JSON text (or an escaped backslash before "uD8…": harmless)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _check_document(data: object) -> None:
    """Find the first duplicated key or lone surrogate in document order and refuse it.

    RFC 8259 §4: object names SHOULD be unique, and receivers disagree on which value wins,
    so (as protobuf's json_format) a duplicate is an error. §8.2: a string holding an
    unpaired surrogate is not Unicode; it cannot be written back as UTF-8, and peers differ
    (json_format keeps it, a browser's TextEncoder writes U+FFFD), so it is refused too.
    Iterative, so documents of any accepted depth are walked."""
    stack: list[tuple[object, _Path]] = [(data, ROOT)]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if _has_surrogate(node):
                raise _fail(_LONE_SURROGATE, path)
        elif isinstance(node, dict):
            if isinstance(node, _Duplicated):
                raise _fail(f"key {node.key!r} appears twice in one object", _Path(path, node.key))
            children: list[tuple[object, _Path]] = []
            for key, value in node.items():
                if _has_surrogate(key):
                    raise _fail(_LONE_SURROGATE_KEY, path)
                children.append((value, _Path(path, key)))
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend(reversed([(v, _Path(path, i)) for i, v in enumerate(node)]))


def _int_digits_limit() -> int:
    return sys.get_int_max_str_digits() or 4300


def _no_constant(name: str) -> object:
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def decode_message(
    cls: type[_M],
    data: object,
    path: _Path,
    *,
    strict: bool = False,
    max_depth: int = DEFAULT_MAX_DEPTH,
    consumed: str | None = None,
) -> _M:
    """Decode ``data`` as ``cls`` at ``path``. ``consumed``: a key the framing already read
    (a flat frame's discriminator), never an unknown field."""
    try:
        return _decode(cls, data, path, _Ctx(strict, max_depth), 0, consumed)
    except RecursionError:
        raise DecodeError(
            "nesting too deep for the Python stack; lower max_depth", str(path)
        ) from None


_M = TypeVar("_M", bound=Message)


def encode_message(obj: Message, max_depth: int = DEFAULT_MAX_DEPTH) -> dict[str, Any]:
    """``obj``'s JSON object; nesting is limited as decoding limits it, and ``RecursionError``
    (a ``max_depth`` beyond what the Python stack holds) becomes ``EncodeError`` too."""
    ctx = _WRITE if max_depth == DEFAULT_MAX_DEPTH else _Ctx(False, max_depth)
    try:
        return _encode(obj, ctx, 0)
    except _TooDeep as exc:
        raise EncodeError(exc.message, exc.path) from None
    except RecursionError:
        raise EncodeError(
            f"nesting too deep for the Python stack; lower max_depth (now {max_depth})"
        ) from None


def _encode(obj: Message, ctx: _Ctx, depth: int) -> dict[str, Any]:
    depth += 1
    if depth > ctx.max_depth:
        raise _too_deep(ctx)
    message_spec = type(obj).__wsgen__
    spec = message_spec.resolved()
    nulls: frozenset[str] = (
        _NO_NULLS if message_spec.nulls is None else getattr(obj, message_spec.nulls)
    )
    out: dict[str, Any] = {}
    for f in spec.fields:
        if f.const is not _UNSET:
            out[f.json] = f.const
            continue
        value = getattr(obj, f.name)
        mode = f.mode
        if mode is IMPLICIT:
            if _is_zero(value, f.zero):
                if nulls and f.name in nulls:
                    out[f.json] = None
                continue
        elif value is None:
            if mode is OPTIONAL:
                if nulls and f.name in nulls:
                    out[f.json] = None
                continue
            if not f.nullable and not f.codec.accepts_null:
                raise EncodeError("required field is None", (f.json,))
            out[f.json] = None
            continue
        try:
            out[f.json] = f.codec.write(value, ctx, depth)
        except EncodeError as exc:
            raise exc.within(f.json) from None
    if spec.extra is not None:
        extras = getattr(obj, spec.extra.name)
        codec = spec.extra.codec
        for key, value in extras.items():
            if key in spec.keys or key in out:
                raise EncodeError(f"extra key {key!r} clashes with a declared field")
            try:
                out[key] = codec.write(value, ctx, depth)
            except EncodeError as exc:
                raise exc.within(key) from None
    return out


_NO_NULLS: frozenset[str] = frozenset()


def _is_zero(value: Any, zero: Any) -> bool:
    """An implicit-presence field holds its zero value (is not written). Floats compare by
    sign too: ``-0.0`` is not the zero value, as protobuf (which compares bits) has it."""
    if zero is _UNSET:
        if value:
            return False
        return not (type(value) is float and math.copysign(1.0, value) < 0)
    if value != zero:
        return False
    if type(value) is float and type(zero) is float:
        return math.copysign(1.0, value) == math.copysign(1.0, zero)
    return True


def _decode(
    cls: type[_M], data: object, path: _Path, ctx: _Ctx, depth: int, consumed: str | None
) -> _M:
    if not isinstance(data, dict):
        raise _fail(f"expected an object ({cls.__name__}), got {_kind(data)}", path)
    depth += 1
    if depth > ctx.max_depth:
        raise _fail(
            f"message nesting exceeds max_depth={ctx.max_depth} (raise max_depth to allow it)",
            path,
        )
    message_spec = cls.__wsgen__
    spec = message_spec.resolved()
    kwargs: dict[str, Any] = {}
    oneofs: dict[str, str] = {}
    nulled: list[str] | None = [] if message_spec.nulls is not None else None
    for f in spec.fields:
        key = f.json
        if key in data:
            if f.alias is not None and f.alias in data:
                raise _fail(f"field given twice, as {key!r} and {f.alias!r}", _Path(path, key))
        elif f.alias is not None and f.alias in data:
            key = f.alias
        else:
            if f.mode is REQUIRED:
                raise _fail(f"missing required field {key!r}", path)
            continue
        raw = data[key]
        child = _Path(path, key)
        if raw is None:
            if nulled is not None and f.mode is not REQUIRED:
                nulled.append(f.name)  # not the same JSON as an absent key
            if not f.codec.accepts_null:
                if f.nullable:
                    if f.mode is not IMPLICIT:
                        kwargs[f.name] = None
                elif f.mode is REQUIRED or not message_spec.null_is_absent:
                    raise _fail("must not be null", child)
                continue
        if f.oneof is not None:
            other = oneofs.get(f.oneof)
            if other is not None:
                raise _fail(f"oneof {f.oneof!r} has more than one member set ({other!r})", child)
            oneofs[f.oneof] = key
        value = f.codec.read(raw, child, ctx, depth)
        if f.const is not _UNSET and value != f.const:
            raise _fail(f"must be {json.dumps(f.const)}, got {json.dumps(value)}", child)
        kwargs[f.name] = value
    if len(data) > len(kwargs) and (ctx.strict or spec.extra is not None):
        keys = spec.keys
        extras: dict[str, Any] = {}
        for key, raw in data.items():
            if key in keys or key == consumed:
                continue
            child = _Path(path, key)
            if spec.extra is not None:
                if _has_surrogate(key):
                    raise _fail(_LONE_SURROGATE_KEY, path)
                codec = spec.extra.codec
                if raw is None and not codec.accepts_null:
                    raise _fail("must not be null", child)
                extras[key] = codec.read(raw, child, ctx, depth)
            else:
                raise _fail(f"unknown field {key!r} in {message_spec.full_name}", child)
        if spec.extra is not None:
            kwargs[spec.extra.name] = extras
    if nulled and message_spec.nulls is not None:
        kwargs[message_spec.nulls] = frozenset(nulled)
    return cls(**kwargs)


class _MessageCodec(Codec):
    __slots__ = ("cls",)
    json_kind = "object"

    def __init__(self, cls: type[Message]) -> None:
        self.cls = cls

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        if not isinstance(value, self.cls):
            raise EncodeError(f"expected {self.cls.__name__}, got {type(value).__name__}")
        return _encode(value, ctx, depth)

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        return _decode(self.cls, data, path, ctx, depth, None)


def message(cls: type[Message]) -> Codec:
    """The codec of a generated message class."""
    return _MessageCodec(cls)


def bind(
    cls: type[Message],
    full_name: str,
    fields: Callable[[], list[FieldSpec | ExtraSpec]],
    *,
    null_is_absent: bool = True,
    nulls: str | None = None,
) -> None:
    """Attach the field table to a generated class; ``fields`` runs on first use.
    ``nulls``: the attribute recording explicit ``null`` of optional fields (``MessageSpec``)."""
    cls.__wsgen__ = MessageSpec(full_name, fields, null_is_absent, nulls)


# ----------------------------------------------------------------------------- unions

_U = TypeVar("_U")


class UnionCodec(Codec, Generic[_U]):
    """A union of message classes told apart by the string key ``discriminator``."""

    __slots__ = ("_by_class", "_by_value", "_variants", "discriminator", "name")
    json_kind = "object"

    def __init__(
        self,
        name: str,
        discriminator: str,
        variants: Callable[[], Mapping[str, type[Message]]],
    ) -> None:
        self.name = name
        self.discriminator = discriminator
        self._variants = variants
        self._by_value: dict[str, type[Message]] | None = None
        self._by_class: dict[type[Message], str] = {}

    def _table(self) -> dict[str, type[Message]]:
        table = self._by_value
        if table is None:
            table = dict(self._variants())
            self._by_class = {cls: value for value, cls in table.items()}
            self._by_value = table
        return table

    @property
    def values(self) -> tuple[str, ...]:
        """The discriminator values, in declaration order."""
        return tuple(self._table())

    def write(self, value: Any, ctx: _Ctx = _WRITE, depth: int = 0) -> JsonValue:
        self._table()
        tag = self._by_class.get(type(value))
        if tag is None:
            raise EncodeError(f"{type(value).__name__} is not a member of {self.name}")
        return {self.discriminator: tag, **_encode(value, ctx, depth)}

    def read(self, data: object, path: _Path, ctx: _Ctx, depth: int) -> Any:
        if not isinstance(data, dict):
            raise _fail(f"expected an object ({self.name}), got {_kind(data)}", path)
        tag = data.get(self.discriminator, _UNSET)
        child = _Path(path, self.discriminator)
        if tag is _UNSET:
            raise _fail(f"missing discriminator {self.discriminator!r}", path)
        if not isinstance(tag, str):
            raise _fail(f"discriminator must be a string, got {_kind(tag)}", child)
        cls = self._table().get(tag)
        if cls is None:
            known = ", ".join(json.dumps(v) for v in self._table())
            raise _fail(f"unknown message type {tag!r} for {self.name} (known: {known})", child)
        return _decode(cls, data, path, ctx, depth, self.discriminator)

    def to_dict(self, value: _U, *, max_depth: int = DEFAULT_MAX_DEPTH) -> dict[str, Any]:
        """Encode a member, discriminator included."""
        try:
            out = self.write(value, _Ctx(False, max_depth), 0)
        except _TooDeep as exc:
            raise EncodeError(exc.message, exc.path) from None
        except RecursionError:
            raise EncodeError("nesting too deep for the Python stack; lower max_depth") from None
        assert isinstance(out, dict)
        return out

    def from_dict(
        self, data: object, *, strict: bool = False, max_depth: int = DEFAULT_MAX_DEPTH
    ) -> _U:
        """Decode, picking the member class by the discriminator."""
        try:
            value: _U = self.read(data, ROOT, _Ctx(strict, max_depth), 0)
        except RecursionError:
            raise DecodeError("nesting too deep for the Python stack; lower max_depth") from None
        return value

    def from_json(
        self, text: str | bytes, *, strict: bool = False, max_depth: int = DEFAULT_MAX_DEPTH
    ) -> _U:
        return self.from_dict(load_json(text), strict=strict, max_depth=max_depth)
