"""IR values as Python source: field defaults and the arguments of ``codec.constrained``.

Defaults arrive as JSON literals (``Field.default``: int64 as int, enums by value name, bytes
as base64, non-finite floats as ``"NaN"``/``"Infinity"``); this module turns them into
expressions of the field's Python type, or says it cannot (``None``). Facets arrive as
``ir.Constraints``; this module decides which apply to a list or map field itself and which to
each item or value (the split the JSON Schema backend writes, docs/jsonschema-output.md), and
spells them as keyword arguments. Names are spelled through ``Spelling``, so the same value is
written correctly in a class body (where fields shadow names) and at module level.
"""

from __future__ import annotations

import base64
import binascii
import math
import struct
from typing import Protocol

import wsgen_runtime.wkt as wkt
from wsgen.backends import escape
from wsgen.backends import python_layout as lay
from wsgen.ir import model as ir

__all__ = [
    "FACETS",
    "Spelling",
    "bytes_literal",
    "default_expr",
    "facet_arguments",
    "py_number",
    "py_str",
    "split_facets",
]

# ir.Constraints fields that become ``codec.constrained`` keywords, in a fixed order. ``const``
# of a field is the field spec's own (``codec.field(..., const=)``); ``format`` is an
# annotation (docs/python.md).
FACETS = (
    "minimum",
    "maximum",
    "exclusive_minimum",
    "exclusive_maximum",
    "multiple_of",
    "min_length",
    "max_length",
    "pattern",
    "min_items",
    "max_items",
    "unique_items",
    "min_properties",
    "max_properties",
)
_LIST_FACETS = frozenset({"min_items", "max_items", "unique_items"})
_MAP_FACETS = frozenset({"min_properties", "max_properties"})


class Spelling(Protocol):
    """How names are written at the place the expression goes."""

    def decl(self, full_name: str) -> str: ...
    def member(self, enum_full_name: str, value: str) -> str | None: ...
    def helper(self, module: str, attr: str) -> str: ...
    def builtin(self, name: str) -> str: ...


def _quoted(body: str, doubles: int, singles: int, prefix: str = "") -> str:
    """Quote an escaped body the way ``ruff format`` leaves it: double quotes, unless the
    text holds more double quotes than single ones (then single quotes need fewer escapes)."""
    if doubles > singles:
        return f"{prefix}'" + body.replace('\\"', '"').replace("'", "\\'") + "'"
    return f'{prefix}"{body}"'


def py_str(text: str) -> str:
    """A Python string literal for any text, quoted as ruff would (``escape.py_string``)."""
    return escape.py_string(text)


def py_number(value: int | float) -> str:
    """A number literal as ruff writes it (``1e30``, not ``1e+30``)."""
    return repr(value).replace("e+", "e")


def _facet_value(value: int | float | str | bool) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str):
        return py_str(value)
    return py_number(value)


def facet_arguments(c: ir.Constraints, names: frozenset[str] | tuple[str, ...]) -> list[str]:
    """``name=value`` for each facet of ``names`` that ``c`` sets, in ``FACETS`` order."""
    out = []
    for name in FACETS:
        value = getattr(c, name)
        if name in names and value is not None and value is not False:
            out.append(f"{name}={_facet_value(value)}")
    return out


def split_facets(t: ir.FieldType, c: ir.Constraints) -> tuple[list[str], list[str]]:
    """(facets of the field's own value, facets of each list item / map value). A list
    field's value facets (``maxLength`` …) apply to its items, as the JSON Schema backend
    writes them; a map field's to its values."""
    if isinstance(t, ir.ListType | ir.MapType):
        own = _LIST_FACETS if isinstance(t, ir.ListType) else _MAP_FACETS
        rest = tuple(n for n in FACETS if n not in own)
        return facet_arguments(c, own), facet_arguments(c, rest)
    return facet_arguments(c, FACETS), []


def bytes_literal(data: bytes) -> str:
    """A ``b"..."`` literal: printable ASCII kept, everything else as ``\\xNN``."""
    out = []
    for b in data:
        ch = chr(b)
        if ch in '\\"':
            out.append("\\" + ch)
        elif 0x20 <= b < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\x{b:02x}")
    return _quoted("".join(out), data.count(b'"'), data.count(b"'"), "b")


_F32 = struct.Struct("<f")
_NON_FINITE = {"NaN": "nan", "Infinity": "inf", "-Infinity": "-inf"}


def _float_expr(value: ir.JsonLiteral, single: bool, spell: Spelling) -> str | None:
    if isinstance(value, str) and value in _NON_FINITE:
        return f'{spell.builtin("float")}("{_NON_FINITE[value]}")'
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        f = float(value)
    except OverflowError:
        return None
    if not math.isfinite(f):
        return None
    if single:
        try:
            f = float(_F32.unpack(_F32.pack(f))[0])  # what a float field holds
        except OverflowError:
            return None
    return py_number(f)


def _scalar_expr(kind: ir.Scalar, value: ir.JsonLiteral, spell: Spelling) -> str | None:
    if kind.is_integer:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return py_number(value) if ok and isinstance(value, int) else None
    if kind.is_float:
        return _float_expr(value, kind is ir.Scalar.FLOAT, spell)
    if kind is ir.Scalar.BOOL:
        return repr(value) if isinstance(value, bool) else None
    if not isinstance(value, str):
        return None
    if kind is ir.Scalar.STRING:
        return py_str(value)
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    return bytes_literal(raw)


def _json_expr(value: ir.JsonLiteral) -> str:
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    return py_number(value)


def _well_known_expr(kind: ir.WellKnown, value: ir.JsonLiteral, spell: Spelling) -> lay.Doc | None:
    if kind.wrapped is not None:
        return _scalar_expr(kind.wrapped, value, spell)
    if kind is ir.WellKnown.VALUE:
        return _json_expr(value)
    if not isinstance(value, str):
        return None
    try:
        if kind is ir.WellKnown.TIMESTAMP:
            ts = wkt.Timestamp.from_rfc3339(value)
            args: tuple[str, ...] = (f"seconds={ts.seconds}", f"nanos={ts.nanos}")
            return lay.Group(spell.helper("wkt", "Timestamp") + "(", args, ")")
        if kind is ir.WellKnown.DURATION:
            d = wkt.Duration.from_json_string(value)
            args = (f"seconds={d.seconds}", f"nanos={d.nanos}")
            return lay.Group(spell.helper("wkt", "Duration") + "(", args, ")")
        if kind is ir.WellKnown.FIELD_MASK:
            wkt.FieldMask.from_json_string(value)
            head = spell.helper("wkt", "FieldMask") + ".from_json_string("
            return lay.Group(head, (py_str(value),), ")")
    except ValueError:
        return None
    return None


def _json_kind(value: ir.JsonLiteral) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string" if isinstance(value, str) else "null"


def _variant_kind(t: ir.FieldType) -> str:
    if isinstance(t, ir.ScalarType):
        if t.kind is ir.Scalar.BOOL:
            return "boolean"
        if t.kind.is_64bit or t.kind in (ir.Scalar.STRING, ir.Scalar.BYTES):
            return "string"
        return "number"
    if isinstance(t, ir.EnumRef):
        return "string"
    if isinstance(t, ir.WellKnownType) and t.kind.wrapped is not None:
        return _variant_kind(ir.ScalarType(t.kind.wrapped))
    if isinstance(t, ir.WellKnownType) and t.kind in (
        ir.WellKnown.TIMESTAMP,
        ir.WellKnown.DURATION,
        ir.WellKnown.FIELD_MASK,
    ):
        return "string"
    return "object"


def default_expr(t: ir.FieldType, value: ir.JsonLiteral, spell: Spelling) -> lay.Doc | None:
    """The Python expression of default ``value`` for a field of type ``t``, or None when it
    is not a value of that type (or of a type wsgen writes defaults for: messages, lists)."""
    if value is None:
        return None
    if isinstance(t, ir.ScalarType):
        return _scalar_expr(t.kind, value, spell)
    if isinstance(t, ir.EnumRef):
        member = spell.member(t.full_name, value) if isinstance(value, str) else None
        return None if member is None else f"{spell.decl(t.full_name)}.{member}"
    if isinstance(t, ir.WellKnownType):
        return _well_known_expr(t.kind, value, spell)
    if isinstance(t, ir.AnyJsonType):
        return _json_expr(value)
    if isinstance(t, ir.JsonUnionType):
        kind = _json_kind(value)
        for variant in t.variants:
            if _variant_kind(variant) == kind:
                return default_expr(variant, value, spell)
        return None
    return None
