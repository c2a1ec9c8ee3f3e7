"""Which JSON Schema spelling means which IR scalar or well-known type (docs/ir.md).

The rule is chosen so that the JSON Schema wsgen emits for a .proto, read back, lowers to the
same IR: a 32-bit integer is ``{"type": "integer", "format": "int32"}`` (or the exact int32
bounds), a 64-bit integer is ``{"type": "string", "format": "int64"}`` (its proto3 JSON form),
``bytes`` is ``contentEncoding: base64``, ``Timestamp`` is ``format: date-time``; anything else
proto-specific is named with ``x-wsgen-type``. A format or pattern that only restates the
chosen kind is consumed, never kept as a constraint.
"""

from __future__ import annotations

from typing import Any

from wsgen.ir import model as ir

__all__ = [
    "CANONICAL_PATTERNS",
    "JSON_KIND_OF_SCALAR",
    "JSON_KIND_OF_WELL_KNOWN",
    "Problem",
    "json_kind",
    "kind_of_name",
    "lower_scalar",
    "named_kind",
]

I32 = (-(2**31), 2**31 - 1)
U32 = (0, 2**32 - 1)

JSON_KIND_OF_SCALAR: dict[ir.Scalar, str] = {
    **{s: "string" for s in ir.Scalar if s.is_64bit},
    ir.Scalar.STRING: "string",
    ir.Scalar.BYTES: "string",
    ir.Scalar.INT32: "integer",
    ir.Scalar.UINT32: "integer",
    ir.Scalar.SINT32: "integer",
    ir.Scalar.FIXED32: "integer",
    ir.Scalar.SFIXED32: "integer",
    ir.Scalar.INTEGER: "integer",
    ir.Scalar.DOUBLE: "number",
    ir.Scalar.FLOAT: "number",
    ir.Scalar.BOOL: "boolean",
}

W = ir.WellKnown
JSON_KIND_OF_WELL_KNOWN: dict[ir.WellKnown, str | None] = {
    W.TIMESTAMP: "string",
    W.DURATION: "string",
    W.FIELD_MASK: "string",
    W.INT64_VALUE: "string",
    W.UINT64_VALUE: "string",
    W.STRING_VALUE: "string",
    W.BYTES_VALUE: "string",
    W.INT32_VALUE: "integer",
    W.UINT32_VALUE: "integer",
    W.DOUBLE_VALUE: "number",
    W.FLOAT_VALUE: "number",
    W.BOOL_VALUE: "boolean",
    W.EMPTY: "object",
    W.STRUCT: "object",
    W.ANY: "object",
    W.LIST_VALUE: "array",
    W.VALUE: None,  # any JSON value
    W.NULL_VALUE: "null",
}

# Patterns that only restate a kind's canonical JSON form: the JSON Schema backend writes them
# (tests/test_schemajson_mapping.py checks they are the backend's), and reading them back must
# not turn them into user constraints.
_SIGNED_DIGITS = "^-?[0-9]+$"
_UNSIGNED_DIGITS = "^[0-9]+$"
_BASE64 = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
_TIMESTAMP = (
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
    "(?:\\.[0-9]{3}|\\.[0-9]{6}|\\.[0-9]{9})?Z$"
)
_DURATION = "^-?[0-9]+(\\.[0-9]{1,9})?s$"
CANONICAL_PATTERNS: dict[ir.Scalar | ir.WellKnown, str] = {
    **{s: _SIGNED_DIGITS for s in ir.Scalar if s.is_64bit and not s.is_unsigned},
    ir.Scalar.UINT64: _UNSIGNED_DIGITS,
    ir.Scalar.FIXED64: _UNSIGNED_DIGITS,
    ir.Scalar.BYTES: _BASE64,
    W.TIMESTAMP: _TIMESTAMP,
    W.DURATION: _DURATION,
    W.INT64_VALUE: _SIGNED_DIGITS,
    W.UINT64_VALUE: _UNSIGNED_DIGITS,
    W.BYTES_VALUE: _BASE64,
}

_SCALAR_NAMES = {s.value: s for s in ir.Scalar if s is not ir.Scalar.INTEGER}
_WELL_KNOWN_NAMES = {w.value: w for w in ir.WellKnown}

# format → kind, per JSON type (OpenAPI names where one exists).
_FORMATS: dict[tuple[str, str], ir.Scalar | ir.WellKnown] = {
    ("integer", "int32"): ir.Scalar.INT32,
    ("integer", "uint32"): ir.Scalar.UINT32,
    ("string", "int64"): ir.Scalar.INT64,
    ("string", "uint64"): ir.Scalar.UINT64,
    ("number", "float"): ir.Scalar.FLOAT,
    ("number", "double"): ir.Scalar.DOUBLE,
    ("string", "byte"): ir.Scalar.BYTES,
    ("string", "date-time"): W.TIMESTAMP,
}


_RANGES: dict[ir.Scalar | ir.WellKnown, tuple[int, int]] = {
    ir.Scalar.INT32: I32,
    ir.Scalar.UINT32: U32,
    ir.Scalar.SINT32: I32,
    ir.Scalar.SFIXED32: I32,
    ir.Scalar.FIXED32: U32,
    W.INT32_VALUE: I32,
    W.UINT32_VALUE: U32,
}


class Problem(Exception):
    """A schema wsgen cannot represent: ``keyword`` is where in the node to point."""

    def __init__(self, keyword: str, message: str, hint: str = "", code: str = "") -> None:
        super().__init__(message)
        self.keyword = keyword
        self.message = message
        self.hint = hint
        self.code = code


def named_kind(name: str) -> ir.Scalar | ir.WellKnown | None:
    """The kind an ``x-wsgen-type`` names: a proto scalar or a well-known type's full name."""
    return _SCALAR_NAMES.get(name) or _WELL_KNOWN_NAMES.get(name)


def kind_of_name(name: str) -> ir.Scalar | ir.WellKnown:
    """Like ``named_kind`` but a ``Problem`` for a name wsgen does not know."""
    found = named_kind(name)
    if found is None:
        raise Problem(
            "x-wsgen-type",
            f'unknown "x-wsgen-type": "{name}"',
            hint="use a proto scalar name (int64, uint32, bytes, ...) or a well-known type "
            "such as google.protobuf.Duration",
        )
    return found


def json_kind(kind: ir.Scalar | ir.WellKnown) -> str | None:
    if isinstance(kind, ir.Scalar):
        return JSON_KIND_OF_SCALAR[kind]
    return JSON_KIND_OF_WELL_KNOWN[kind]


def lower_scalar(
    json_type: str, node: dict[str, Any], consumed: set[str]
) -> ir.ScalarType | ir.WellKnownType:
    """The IR type of ``node`` read as ``json_type`` (string, integer, number, boolean).

    Adds to ``consumed`` the keywords whose meaning the kind already carries, so the caller
    does not keep them as constraints."""
    named = node.get("x-wsgen-type")
    kind: ir.Scalar | ir.WellKnown
    if isinstance(named, str):
        kind = kind_of_name(named)
        want = json_kind(kind)
        if want != json_type:
            raise Problem(
                "x-wsgen-type",
                f'"x-wsgen-type": "{named}" travels as JSON {want or "of any type"}, but '
                f'"type" says {json_type}',
                hint=f'write "type": "{want}"' if want else 'drop "type"',
            )
        consumed.add("x-wsgen-type")
        if node.get("format") == _format_of(kind, json_type):
            consumed.add("format")
    else:
        kind = _by_format(json_type, node, consumed)
    pattern = node.get("pattern")
    if pattern is not None and CANONICAL_PATTERNS.get(kind) == pattern:
        consumed.add("pattern")
    rng = _RANGES.get(kind)
    if rng is not None and (node.get("minimum"), node.get("maximum")) == rng:
        consumed.update(("minimum", "maximum"))
    if isinstance(kind, ir.WellKnown):
        return ir.WellKnownType(kind)
    return ir.ScalarType(kind)


def _format_of(kind: ir.Scalar | ir.WellKnown, json_type: str) -> str | None:
    for (t, fmt), k in _FORMATS.items():
        if k == kind and t == json_type:
            return fmt
    return None


def _by_format(json_type: str, node: dict[str, Any], consumed: set[str]) -> ir.Scalar | W:
    fmt = node.get("format")
    if isinstance(fmt, str):
        kind = _FORMATS.get((json_type, fmt))
        if kind is not None:
            consumed.add("format")
            return kind
        if json_type == "integer" and fmt in ("int64", "uint64"):
            raise Problem(
                "format",
                f'a JSON integer with "format": "{fmt}" is ambiguous: wsgen writes 64-bit '
                "integers as JSON strings (proto3 JSON mapping)",
                hint=f'write {{"type": "string", "format": "{fmt}"}} for the proto3 form, or '
                "drop the format for an integer written as a JSON number",
            )
    if json_type == "string":
        if node.get("contentEncoding") == "base64":
            consumed.add("contentEncoding")
            return ir.Scalar.BYTES
        return ir.Scalar.STRING
    if json_type == "number":
        return ir.Scalar.DOUBLE
    if json_type == "boolean":
        return ir.Scalar.BOOL
    bounds = (node.get("minimum"), node.get("maximum"))
    if all(type(b) is int for b in bounds):
        for kind in (ir.Scalar.INT32, ir.Scalar.UINT32):
            if bounds == _RANGES[kind]:
                return kind
    return ir.Scalar.INTEGER
