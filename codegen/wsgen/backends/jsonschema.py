"""JSON Schema backend: one JSON Schema 2020-12 bundle per IR package (docs/jsonschema-output.md).

A bundle describes the *canonical* JSON wsgen's codecs write (the proto3 JSON mapping): what a
conforming printer emits, not everything a lenient decoder accepts. Invariants:
- every named type is a ``$defs`` entry keyed by its full IDL name and reached only through
  ``$ref`` (local, or ``<package>.schema.json#/$defs/<name>`` across packages), so cycles never
  unfold and the output grows linearly with the IR;
- output is a pure function of the IR and options: ``$defs`` sorted by key, properties in
  source order, nothing from sets or clocks;
- IDL text (descriptions) is copied byte for byte; JSON escaping is the only escaping needed.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from wsgen.backends.jsonschema_errors import KEYWORD as ERRORS_KEYWORD
from wsgen.backends.jsonschema_errors import error_catalog_keyword
from wsgen.backends.options import BuildOptions
from wsgen.backends.render import generated_header, render_template
from wsgen.ir import model as ir
from wsgen.ir.names import field_names

__all__ = [
    "ANNOTATION_KEYWORDS",
    "BASE64_PATTERN",
    "DURATION_PATTERN",
    "INT64_PATTERN",
    "TIMESTAMP_PATTERN",
    "UINT64_PATTERN",
    "build_view_jsonschema",
    "bundle_file_name",
    "render_jsonschema",
    "scalar_schema",
]

Json = dict[str, Any]

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# proto3 JSON forms (https://protobuf.dev/programming-guides/json/).
INT64_PATTERN = "^-?[0-9]+$"
UINT64_PATTERN = "^[0-9]+$"
# RFC 4648 §4 base64 with padding, as proto3 JSON printers write bytes.
BASE64_PATTERN = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
# Timestamp: RFC 3339 in UTC with "Z" and 0, 3, 6 or 9 fractional digits.
TIMESTAMP_PATTERN = (
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
    "(?:\\.[0-9]{3}|\\.[0-9]{6}|\\.[0-9]{9})?Z$"
)
DURATION_PATTERN = "^-?[0-9]+(\\.[0-9]{1,9})?s$"
NON_FINITE = ("NaN", "Infinity", "-Infinity")
# docs/protocol.md, envelope framing.
FRAME_ID_PATTERN = "^[0-9A-Za-z_-]{1,64}$"
FRAME_TS_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$"

_INT32_RANGE = {
    ir.Scalar.INT32: (-(2**31), 2**31 - 1),
    ir.Scalar.SINT32: (-(2**31), 2**31 - 1),
    ir.Scalar.SFIXED32: (-(2**31), 2**31 - 1),
    ir.Scalar.UINT32: (0, 2**32 - 1),
    ir.Scalar.FIXED32: (0, 2**32 - 1),
}
_ENUM_NUMBER_RANGE = (-(2**31), 2**31 - 1)

_STRING_KEYWORDS = ("min_length", "max_length", "pattern", "format")
_NUMBER_KEYWORDS = ("minimum", "maximum", "exclusive_minimum", "exclusive_maximum", "multiple_of")
_KEYWORD = {
    "min_length": "minLength",
    "max_length": "maxLength",
    "pattern": "pattern",
    "format": "format",
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusive_minimum": "exclusiveMinimum",
    "exclusive_maximum": "exclusiveMaximum",
    "multiple_of": "multipleOf",
}

# wsgen's annotation keywords; a validator must treat them as annotations (docs). Every one but
# x-wsgen-catalog is also a schema.json input keyword with the same meaning and shape
# (docs/schema-json.md), so a bundle read back as input lowers to the IR it was written from.
ANNOTATION_KEYWORDS = (
    "x-wsgen-catalog",
    "x-wsgen-discriminator",
    "x-wsgen-enum-numbers",
    "x-wsgen-enum-values",
    "x-wsgen-errors",  # issue 4: the error catalog (backends/jsonschema_errors.py)
    "x-wsgen-frame",
    "x-wsgen-framing",
    "x-wsgen-name",
    "x-wsgen-oneof",
    "x-wsgen-package",
    "x-wsgen-presence",
    "x-wsgen-reserved-names",
    "x-wsgen-type",
    "x-wsgen-union",
)


def bundle_file_name(package: str) -> str:
    """The bundle's file name; percent-encoded, it is also the bundle's ``$id`` (a relative URI
    reference, so it resolves next to the file wherever the bundles are served from)."""
    return f"{package or '_'}.schema.json"


def render_jsonschema(model: ir.Model, options: BuildOptions) -> dict[str, str]:
    """IR → ``jsonschema/<package>.schema.json`` texts, one per package."""
    template = "jsonschema/bundle.schema.json.jinja"
    return {
        f"jsonschema/{name}": render_template(template, text=_dump(doc))
        for name, doc in build_view_jsonschema(model, options).items()
    }


def build_view_jsonschema(model: ir.Model, options: BuildOptions) -> dict[str, Json]:
    """IR → one schema document per package, keyed by file name (the view the template places)."""
    index = model.index()
    return {
        bundle_file_name(p.name): _Bundle(index, p, strict=options.jsonschema_strict).build(
            generated_header(p.files, elide_version=options.elide_version)
        )
        for p in model.packages
    }


# Bidirectional controls reorder how text is displayed ("Trojan Source"); in a JSON file they can
# only stand inside strings, where the \uXXXX escape keeps the value and shows the character.
_BIDI_ESCAPES = {
    ord(c): f"\\u{ord(c):04x}" for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
}


def _dump(doc: Json) -> str:
    """Pretty JSON (2-space indent). UTF-8 text stays readable; a lone surrogate (possible in a
    schema.json description) cannot be written as UTF-8, so then the whole file is ASCII-escaped.
    Bidi controls are always escaped (the JSON value is unchanged)."""
    text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(doc, indent=2, ensure_ascii=True, allow_nan=False)
    return text.translate(_BIDI_ESCAPES)


def _pointer_ref(file: str, key: str) -> str:
    """``file#/$defs/key`` with the key escaped as a JSON pointer token (RFC 6901 §3) and then
    as a URI fragment (RFC 3986 §3.5)."""
    token = key.replace("~", "~0").replace("/", "~1")
    fragment = quote("/$defs/" + token, safe="/$!&'()*+,;=:@?~")
    return f"{quote(file, safe='')}#{fragment}" if file else f"#{fragment}"


def _nullable(schema: Json) -> Json:
    """Admit ``null`` besides ``schema``: by widening a plain ``type``, else with ``anyOf``."""
    kind = schema.get("type")
    if isinstance(kind, str) and "const" not in schema and "enum" not in schema:
        if kind == "null":
            return schema
        return {"type": [kind, "null"], **{k: v for k, v in schema.items() if k != "type"}}
    if isinstance(kind, list):
        return schema if "null" in kind else {**schema, "type": [*kind, "null"]}
    if "anyOf" in schema and "$ref" not in schema:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    if not schema:
        return schema
    return {"anyOf": [schema, {"type": "null"}]}


def scalar_schema(kind: ir.Scalar) -> Json:
    """The canonical JSON form of one scalar (proto3 JSON mapping)."""
    if kind is ir.Scalar.INTEGER:
        return {"type": "integer"}
    if kind in _INT32_RANGE:
        low, high = _INT32_RANGE[kind]
        return {"type": "integer", "minimum": low, "maximum": high, "x-wsgen-type": kind.value}
    if kind.is_64bit:
        pattern = UINT64_PATTERN if kind.is_unsigned else INT64_PATTERN
        return {"type": "string", "pattern": pattern, "x-wsgen-type": kind.value}
    if kind.is_float:
        return {
            "anyOf": [{"type": "number"}, {"enum": list(NON_FINITE)}],
            "x-wsgen-type": kind.value,
        }
    if kind is ir.Scalar.BYTES:
        return {
            "type": "string",
            "contentEncoding": "base64",
            "pattern": BASE64_PATTERN,
            "x-wsgen-type": kind.value,
        }
    if kind is ir.Scalar.BOOL:
        return {"type": "boolean"}
    return {"type": "string"}


def _well_known_schema(kind: ir.WellKnown, *, strict: bool) -> Json:
    """The JSON form of a well-known type, as its own ``$defs`` entry."""
    wrapped = kind.wrapped
    if wrapped is not None:
        body = _nullable(scalar_schema(wrapped))
        return {
            **body,
            "description": f"{kind.value}: the bare value, or null.",
            "x-wsgen-type": kind.value,
        }
    W = ir.WellKnown
    forms: dict[ir.WellKnown, Json] = {
        W.TIMESTAMP: {
            "type": "string",
            "format": "date-time",
            "pattern": TIMESTAMP_PATTERN,
            "description": "RFC 3339 in UTC with Z and 0, 3, 6 or 9 fractional digits.",
        },
        W.DURATION: {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "Seconds with up to 9 fractional digits and an s suffix.",
        },
        W.EMPTY: {"type": "object", "description": "Always {}."},
        W.STRUCT: {"type": "object", "description": "Any JSON object."},
        W.VALUE: {"description": "Any JSON value."},
        W.LIST_VALUE: {"type": "array", "description": "Any JSON array."},
        W.NULL_VALUE: {"type": "null"},
        W.FIELD_MASK: {"type": "string", "description": "Comma-separated lowerCamel paths."},
        W.ANY: {
            "type": "object",
            "properties": {"@type": {"type": "string"}},
            "required": ["@type"],
            "description": "The packed message's JSON with its type URL in @type.",
        },
    }
    body = forms[kind]
    if strict and kind is W.EMPTY:
        body = {**body, "additionalProperties": False}
    return {**body, "x-wsgen-type": kind.value}


def _json_literal(field_type: ir.FieldType, value: ir.JsonLiteral) -> ir.JsonLiteral:
    """An IR default as the canonical JSON spells it (int64 as text, non-finite floats as text)."""
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if isinstance(field_type, ir.ScalarType) and field_type.kind.is_64bit and is_int:
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def _constrain(schema: Json, constraints: ir.Constraints) -> Json:
    """Put string and number facets on the schema whose ``type`` they apply to (inside an
    ``anyOf``, on the matching branch). A facet that cannot apply to the canonical JSON type (a
    minimum on an int64 string) is left out, so strict validators (ajv ``strictTypes``) accept
    the result; an integer's own range only ever narrows."""
    if constraints.empty:
        return schema
    if "anyOf" in schema and "type" not in schema:
        return {**schema, "anyOf": [_constrain(b, constraints) for b in schema["anyOf"]]}
    kind = schema.get("type")
    types = set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()
    names: tuple[str, ...] = ()
    if "string" in types and "x-wsgen-type" not in schema:
        names = _STRING_KEYWORDS
    elif types & {"number", "integer"}:
        names = _NUMBER_KEYWORDS
    out = dict(schema)
    for name in names:
        value = getattr(constraints, name)
        if value is None:
            continue
        keyword = _KEYWORD[name]
        if keyword == "minimum" and keyword in out:
            value = max(out[keyword], value)
        elif keyword == "maximum" and keyword in out:
            value = min(out[keyword], value)
        out[keyword] = value
    return out


@dataclass(frozen=True, slots=True)
class _Tag:
    """A discriminator key and the value it must hold (flat frames, union variants)."""

    key: str
    value: str


class _Bundle:
    """Builds the schema document of one package; knows which well-known types it used."""

    def __init__(self, index: ir.ModelIndex, package: ir.Package, *, strict: bool) -> None:
        self._index = index
        self._package = package
        self._strict = strict
        self._defs: dict[str, Json] = {}
        self._well_known: set[ir.WellKnown] = set()
        frames = package.catalog.frames if package.catalog is not None else ()
        self._frame_of = {f.message: f for f in frames}
        taken = {m.full_name for m in package.messages}
        taken |= {e.full_name for e in package.enums} | {u.full_name for u in package.unions}
        self._taken = taken

    # ------------------------------------------------------------------ document

    def build(self, header: str) -> Json:
        p = self._package
        for m in p.messages:
            self._defs[m.full_name] = self._message(m)
        for e in p.enums:
            self._defs[e.full_name] = self._enum(e)
        for u in p.unions:
            self._defs[u.full_name] = self._union(u)
        catalog = self._catalog(p.catalog) if p.catalog is not None else None
        for kind in sorted(self._well_known, key=lambda k: k.value):
            self._defs[kind.value] = _well_known_schema(kind, strict=self._strict)
        doc: Json = {
            "$comment": header,
            "$schema": DIALECT,
            "$id": quote(bundle_file_name(p.name), safe=""),
        }
        if p.doc:
            doc["description"] = p.doc
        doc["x-wsgen-package"] = p.name
        if p.catalog is not None:
            doc["x-wsgen-framing"] = p.catalog.framing.kind.value
            if p.catalog.framing.kind is ir.FramingKind.FLAT:
                doc["x-wsgen-discriminator"] = p.catalog.framing.discriminator
        if catalog is not None:
            doc["x-wsgen-catalog"] = catalog
        if p.errors is not None:  # issue 4: the error catalog, in the form schema.json reads
            doc[ERRORS_KEYWORD] = error_catalog_keyword(p.errors)
        # IR order (messages, enums, unions; nested right after their parent), then wsgen's
        # catalog definitions, then well-known types: reading the bundle back as input
        # declares everything in the order the IDL did.
        doc["$defs"] = self._defs
        return doc

    def _claim(self, name: str) -> str:
        """A ``$defs`` key for a wsgen-made definition that no IDL name already uses."""
        while name in self._taken:
            name += "_"
        self._taken.add(name)
        return name

    # ------------------------------------------------------------------ references

    def _ref(self, full_name: str, package: str) -> str:
        file = "" if package == self._package.name else bundle_file_name(package)
        return _pointer_ref(file, full_name)

    def _message_ref(self, full_name: str) -> str:
        return self._ref(full_name, self._index.messages[full_name].package)

    def _type(self, t: ir.FieldType) -> Json:
        """The schema of a field type, without facets or annotations."""
        if isinstance(t, ir.ScalarType):
            return scalar_schema(t.kind)
        if isinstance(t, ir.MessageRef):
            return {"$ref": self._message_ref(t.full_name)}
        if isinstance(t, ir.EnumRef):
            return {"$ref": self._ref(t.full_name, self._index.enums[t.full_name].package)}
        if isinstance(t, ir.UnionRef):
            return {"$ref": self._ref(t.full_name, self._index.unions[t.full_name].package)}
        if isinstance(t, ir.WellKnownType):
            self._well_known.add(t.kind)
            return {"$ref": _pointer_ref("", t.kind.value)}
        if isinstance(t, ir.AnyJsonType):
            return {}
        if isinstance(t, ir.ListType):
            item = self._type(t.element)
            return {"type": "array", "items": _nullable(item) if t.element_nullable else item}
        if isinstance(t, ir.MapType):
            return self._map(t, self._type(t.value))
        # Variants differ in JSON kind, but their schemas may still overlap (an int64 string and
        # a string), so "at least one" (anyOf) is the honest combinator, not oneOf.
        return {"anyOf": [self._type(v) for v in t.variants]}

    def _map(self, t: ir.MapType, value: Json) -> Json:
        schema: Json = {"type": "object"}
        key = self._map_key(t.key)
        if key:
            schema["propertyNames"] = key
        schema["additionalProperties"] = _nullable(value) if t.value_nullable else value
        return schema

    @staticmethod
    def _map_key(kind: ir.Scalar) -> Json:
        """Map keys are always JSON strings: the key's text form (proto3 JSON mapping)."""
        if kind is ir.Scalar.BOOL:
            return {"enum": ["true", "false"], "x-wsgen-type": kind.value}
        if kind.is_integer:
            key: Json = {"pattern": UINT64_PATTERN if kind.is_unsigned else INT64_PATTERN}
            if kind is not ir.Scalar.INTEGER:
                key["x-wsgen-type"] = kind.value
            return key
        return {}

    # ------------------------------------------------------------------ messages

    def _value(self, t: ir.FieldType, c: ir.Constraints) -> Json:
        """A non-container type with the field's value facets (and ``const``) applied."""
        schema = _constrain(self._type(t), c)
        if c.const is not None:
            schema["const"] = _json_literal(t, c.const)
        return schema

    def _field(self, f: ir.Field) -> Json:
        """A property schema: facets on the element/value, container facets on the container,
        annotations (description, default, deprecated) outermost."""
        c = f.constraints
        t = f.type
        schema: Json
        if isinstance(t, ir.ListType):
            item = self._value(t.element, c)
            schema = {"type": "array", "items": _nullable(item) if t.element_nullable else item}
            if c.min_items is not None:
                schema["minItems"] = c.min_items
            if c.max_items is not None:
                schema["maxItems"] = c.max_items
            if c.unique_items:
                schema["uniqueItems"] = True
        elif isinstance(t, ir.MapType):
            schema = self._map(t, self._value(t.value, c))
            if c.min_properties is not None:
                schema["minProperties"] = c.min_properties
            if c.max_properties is not None:
                schema["maxProperties"] = c.max_properties
        else:
            schema = self._value(t, c)
        if f.nullable:
            schema = _nullable(schema)
        if f.doc:
            schema["description"] = f.doc
        if f.has_default:
            schema["default"] = _json_literal(t, f.default)
        if f.deprecated:
            schema["deprecated"] = True
        if f.presence is ir.Presence.IMPLICIT and not isinstance(t, ir.ListType | ir.MapType):
            # absent means the zero value, and the zero value is never written (proto3)
            schema["x-wsgen-presence"] = "implicit"
        return schema

    def _object(self, m: ir.Message, tag: _Tag | None = None) -> Json:
        """A message's object schema; ``tag`` adds a discriminator property it does not declare."""
        props: Json = {}
        required: list[str] = []
        derived = field_names([f.json_name for f in m.fields])
        for f in m.fields:
            props[f.json_name] = self._field(f)
            if derived[f.json_name] != f.name:
                # the key alone would read back as another field name (docs/schema-json.md)
                props[f.json_name]["x-wsgen-name"] = f.name
            if f.presence is ir.Presence.REQUIRED:
                required.append(f.json_name)
        if tag is not None and tag.key not in props:
            props[tag.key] = {"const": tag.value}
            required.append(tag.key)
        schema: Json = {"type": "object"}
        if m.doc:
            schema["description"] = m.doc
        if m.deprecated:
            schema["deprecated"] = True
        # always written, also empty: "properties" is what makes an object a message, not a map
        schema["properties"] = props
        if required:
            schema["required"] = required
        groups = self._oneof_groups(m)
        if groups:
            schema["dependentSchemas"] = _at_most_one(groups)
        if m.additional_properties is not None:
            schema["additionalProperties"] = self._type(m.additional_properties)
        elif self._strict:
            schema["additionalProperties"] = False
        if groups:
            schema["x-wsgen-oneof"] = {
                o.name: {"members": members, **({"description": o.doc} if o.doc else {})}
                for o, members in groups
            }
        if m.reserved_names:
            schema["x-wsgen-reserved-names"] = list(m.reserved_names)
        return schema

    @staticmethod
    def _oneof_groups(m: ir.Message) -> list[tuple[ir.Oneof, list[str]]]:
        groups: list[tuple[ir.Oneof, list[str]]] = []
        for o in m.oneofs:
            members = [f.json_name for f in m.fields if f.oneof == o.name]
            if members:
                groups.append((o, members))
        return groups

    def _message(self, m: ir.Message) -> Json:
        """A message's definition; a frame's also says so, as a schema.json input would."""
        schema = self._object(m)
        frame = self._frame_of.get(m.full_name)
        if frame is not None:
            schema["x-wsgen-frame"] = {
                "type": frame.discriminator,
                "direction": frame.direction.value,
                "handler": frame.handler,
            }
        return schema

    def _tagged(self, full_name: str, tag: _Tag) -> Json:
        """The message ``full_name`` with ``tag.key`` holding ``tag.value``. A bare ``$ref`` when
        the message already requires exactly that value; a ``$ref`` plus a ``const`` otherwise;
        under strict output a message that does not declare the key gets its own copy with the
        key added, since its closed definition would reject the key."""
        m = self._index.messages[full_name]
        declared = next((f for f in m.fields if f.json_name == tag.key), None)
        if (
            declared is not None
            and declared.presence is ir.Presence.REQUIRED
            and declared.constraints.const == tag.value
        ):
            return {"$ref": self._message_ref(full_name)}
        if self._strict and declared is None and m.additional_properties is None:
            return self._object(m, tag)
        return {
            "$ref": self._message_ref(full_name),
            "type": "object",
            "properties": {tag.key: {"const": tag.value}},
            "required": [tag.key],
        }

    # ------------------------------------------------------------------ enums and unions

    def _enum(self, e: ir.Enum) -> Json:
        names = [v.name for v in e.values]
        schema: Json
        if e.open:
            low, high = _ENUM_NUMBER_RANGE
            schema = {
                "anyOf": [
                    {"enum": names},
                    {"type": "integer", "minimum": low, "maximum": high},
                ]
            }
        else:
            schema = {"enum": names}
        if e.doc:
            schema["description"] = e.doc
        if e.deprecated:
            schema["deprecated"] = True
        numbers = {v.name: v.number for v in e.values if v.number is not None}
        if numbers:
            schema["x-wsgen-enum-numbers"] = numbers
        notes = {v.name: _value_note(v) for v in e.values if v.doc or v.deprecated}
        if notes:
            schema["x-wsgen-enum-values"] = notes
        if e.reserved_names:
            schema["x-wsgen-reserved-names"] = list(e.reserved_names)
        return schema

    def _union(self, u: ir.Union) -> Json:
        branches = [self._tagged(v.message, _Tag(u.discriminator, v.value)) for v in u.variants]
        schema: Json = {"oneOf": branches}
        if u.doc:
            schema["description"] = u.doc
        schema["x-wsgen-union"] = {
            "propertyName": u.discriminator,
            "mapping": {v.value: self._message_ref(v.message) for v in u.variants},
        }
        return schema

    # ------------------------------------------------------------------ catalog

    def _catalog(self, catalog: ir.Catalog) -> Json:
        """Adds one ``oneOf`` definition per direction and returns the root annotation."""
        pkg = self._package.name
        envelope = catalog.framing.kind is ir.FramingKind.ENVELOPE
        envelope_key = ""
        if envelope:
            envelope_key = self._claim(f"{pkg}.Envelope")
            self._defs[envelope_key] = _envelope_schema()
        directions: Json = {}
        for direction, label, title in (
            (ir.Direction.CLIENT_TO_SERVER, "ClientToServerFrame", "the client sends"),
            (ir.Direction.SERVER_TO_CLIENT, "ServerToClientFrame", "the server sends"),
        ):
            key = self._claim(f"{pkg}.{label}")
            here = _pointer_ref("", key)
            frames = [f for f in catalog.frames if f.direction in (direction, ir.Direction.BOTH)]
            shapes: list[Json] = []
            mapping: Json = {}
            for frame in frames:
                shape = (
                    self._envelope_frame(frame, envelope_key)
                    if envelope
                    else self._flat_frame(frame, catalog.framing.discriminator)
                )
                mapping[frame.discriminator] = f"{here}/oneOf/{len(shapes)}"
                shapes.append(shape)
            if envelope:
                for value, payload in _control_payloads():
                    mapping[value] = f"{here}/oneOf/{len(shapes)}"
                    shapes.append(_control_frame(value, payload, envelope_key))
            body: Json = {"description": f"Every frame {title} ({catalog.framing.kind.value})."}
            if shapes:
                body["oneOf"] = shapes
                body["x-wsgen-union"] = {
                    "propertyName": catalog.framing.discriminator,
                    "mapping": mapping,
                }
            else:
                body["not"] = {}
            self._defs[key] = body
            directions[direction.value] = here
        out: Json = {}
        if envelope:
            out["envelope"] = _pointer_ref("", envelope_key)
        out["directions"] = directions
        return out

    def _envelope_frame(self, frame: ir.Frame, envelope_key: str) -> Json:
        shape: Json = {
            "$ref": _pointer_ref("", envelope_key),
            "type": "object",
            "properties": {
                "type": {"const": frame.discriminator},
                "payload": {"$ref": self._message_ref(frame.message)},
            },
        }
        if frame.doc:
            shape["description"] = frame.doc
        return shape

    def _flat_frame(self, frame: ir.Frame, key: str) -> Json:
        shape = dict(self._tagged(frame.message, _Tag(key, frame.discriminator)))
        if frame.doc:
            shape["description"] = frame.doc
        return shape


def _value_note(v: ir.EnumValue) -> Json:
    """An enum value's doc and deprecation (JSON Schema's ``enum`` has no place for them)."""
    note: Json = {}
    if v.doc:
        note["description"] = v.doc
    if v.deprecated:
        note["deprecated"] = True
    return note


def _at_most_one(groups: list[tuple[ir.Oneof, list[str]]]) -> Json:
    """oneof as "at most one member present": when a member is present, every other member of
    its group must be absent (``properties: {other: false}`` needs no ``required``, which keeps
    ajv's strictRequired happy)."""
    out: Json = {}
    for _, members in groups:
        if len(members) < 2:
            continue
        for name in members:
            out[name] = {"properties": {other: False for other in members if other != name}}
    return out


def _envelope_schema() -> Json:
    """docs/protocol.md "Envelope framing": five required keys; unknown keys are allowed."""
    return {
        "type": "object",
        "description": "The wsgen envelope (docs/protocol.md); receivers ignore unknown keys.",
        "properties": {
            "type": {"type": "string"},
            "id": {"type": "string", "pattern": FRAME_ID_PATTERN},
            "seq": {"type": "integer", "minimum": 1},
            "ts": {"type": "string", "format": "date-time", "pattern": FRAME_TS_PATTERN},
            "payload": {"type": "object"},
        },
        "required": ["type", "id", "seq", "ts", "payload"],
    }


def _control_payloads() -> tuple[tuple[str, Json], ...]:
    """Payloads of the reserved control frames of envelope framing (docs/protocol.md)."""
    nonce: Json = {"type": "object", "properties": {"nonce": {"type": "string"}}}
    return (
        (
            "hello",
            {
                "type": "object",
                "properties": {
                    "protocol": {"type": "string"},
                    "version": {"type": "string"},
                    "resume": {"type": "string"},
                },
                "required": ["protocol", "version"],
            },
        ),
        (
            "ack",
            {
                "type": "object",
                "properties": {"ids": {"type": "array", "items": {"type": "string"}}},
                "required": ["ids"],
            },
        ),
        (
            "error",
            {
                "type": "object",
                "properties": {
                    "code": {"type": "integer"},
                    "name": {"type": "string"},
                    "message": {"type": "string"},
                    "re": {"type": "string"},
                    "details": {"type": "object"},
                },
                "required": ["code", "name", "message"],
            },
        ),
        ("ping", nonce),
        ("pong", nonce),
    )


def _control_frame(value: str, payload: Json, envelope_key: str) -> Json:
    return {
        "$ref": _pointer_ref("", envelope_key),
        "type": "object",
        "properties": {"type": {"const": value}, "payload": payload},
    }
