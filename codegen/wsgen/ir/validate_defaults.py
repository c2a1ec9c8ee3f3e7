"""Field defaults must be values of their field's type (``WSG202``).

protoc checks ``[default = …]``; a JSON Schema ``default`` is an annotation that validators
never check, so ``{"type": "integer", "default": "abc"}`` is a valid schema. Backends turn a
default into a value of the field's type (Python's ``<field>_or_default``, dataclass defaults),
so a default that is not one is reported here, once, for every frontend.
"""

from __future__ import annotations

import base64
import binascii
import json

import wsgen_runtime.wkt as wkt
from wsgen.diagnostics import Diagnostic
from wsgen.ir import model as ir

__all__ = ["default_fits", "validate_defaults"]

_RANGES = {
    ir.Scalar.INT32: (-(2**31), 2**31 - 1),
    ir.Scalar.SINT32: (-(2**31), 2**31 - 1),
    ir.Scalar.SFIXED32: (-(2**31), 2**31 - 1),
    ir.Scalar.UINT32: (0, 2**32 - 1),
    ir.Scalar.FIXED32: (0, 2**32 - 1),
    ir.Scalar.INT64: (-(2**63), 2**63 - 1),
    ir.Scalar.SINT64: (-(2**63), 2**63 - 1),
    ir.Scalar.SFIXED64: (-(2**63), 2**63 - 1),
    ir.Scalar.UINT64: (0, 2**64 - 1),
    ir.Scalar.FIXED64: (0, 2**64 - 1),
}
_NON_FINITE = ("NaN", "Infinity", "-Infinity")


def _scalar_fits(kind: ir.Scalar, value: ir.JsonLiteral) -> bool:
    if kind.is_integer:
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        lo, hi = _RANGES.get(kind, (value, value))
        return lo <= value <= hi
    if kind.is_float:
        return value in _NON_FINITE or (
            isinstance(value, int | float) and not isinstance(value, bool)
        )
    if kind is ir.Scalar.BOOL:
        return isinstance(value, bool)
    if not isinstance(value, str):
        return False
    if kind is ir.Scalar.BYTES:
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return False
    return True


def _well_known_fits(kind: ir.WellKnown, value: ir.JsonLiteral) -> bool:
    if kind.wrapped is not None:
        return _scalar_fits(kind.wrapped, value)
    if kind is ir.WellKnown.VALUE:
        return True
    parse = {
        ir.WellKnown.TIMESTAMP: wkt.Timestamp.from_rfc3339,
        ir.WellKnown.DURATION: wkt.Duration.from_json_string,
        ir.WellKnown.FIELD_MASK: wkt.FieldMask.from_json_string,
    }.get(kind)
    if parse is None or not isinstance(value, str):
        return False
    try:
        parse(value)
    except ValueError:
        return False
    return True


def default_fits(index: ir.ModelIndex, t: ir.FieldType, value: ir.JsonLiteral) -> bool:
    """``value`` (a JSON literal, not null) is a value of ``t``; messages, unions, lists and
    maps have no literal defaults."""
    if isinstance(t, ir.ScalarType):
        return _scalar_fits(t.kind, value)
    if isinstance(t, ir.EnumRef):
        en = index.enums.get(t.full_name)
        return en is None or any(v.name == value for v in en.values)
    if isinstance(t, ir.WellKnownType):
        return _well_known_fits(t.kind, value)
    if isinstance(t, ir.AnyJsonType):
        return True
    if isinstance(t, ir.JsonUnionType):
        return any(default_fits(index, v, value) for v in t.variants)
    return False


def validate_defaults(index: ir.ModelIndex, msg: ir.Message) -> list[Diagnostic]:
    """A diagnostic per field whose default is not a value of its type."""
    out = []
    for f in msg.fields:
        if not f.has_default or f.default is None:
            continue
        if not default_fits(index, f.type, f.default):
            out.append(
                Diagnostic(
                    f.span,
                    "WSG202",
                    f'default {json.dumps(f.default)} of field "{f.name}" of '
                    f'"{msg.full_name}" is not a value of the field\'s type',
                    hint="give a default of the field's type, or remove it",
                )
            )
    return out
