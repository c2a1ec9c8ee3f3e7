"""The intermediate model (IR): the one thing every backend reads.

Invariants:
- Every node is a frozen, slotted dataclass; collections are tuples in source order; there are
  no dicts and no parent pointers (a node names its container by full name when it must).
- Nothing here is target-specific: no Python or TypeScript names, no escaping. Names are the
  IDL's own (proto field names, JSON names exactly as written).
- Source spans and proto field numbers are left out of equality, so the same contract written
  in .proto and in schema.json lowers to equal IR.
- Type references are by fully qualified IDL name (``chat.v1.Message.Part``); ``Model.lookup_*``
  resolves them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

__all__ = [
    "AnyJsonType",
    "Catalog",
    "Constraints",
    "Direction",
    "Enum",
    "EnumRef",
    "EnumValue",
    "ErrorCatalog",
    "ErrorCode",
    "ErrorLayer",
    "Field",
    "FieldType",
    "File",
    "Frame",
    "Framing",
    "FramingKind",
    "JsonUnionType",
    "ListType",
    "MapType",
    "Message",
    "MessageRef",
    "Model",
    "ModelIndex",
    "Oneof",
    "Package",
    "Presence",
    "RecoveryAction",
    "Scalar",
    "ScalarType",
    "Span",
    "Union",
    "UnionRef",
    "UnionVariant",
    "WellKnown",
    "WellKnownType",
]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A 1-based position in an IDL file (path relative to the IDL root, '/'-separated).

    For JSON inputs ``pointer`` holds the JSON pointer of the node as well.
    """

    file: str
    line: int = 0
    col: int = 0
    pointer: str = ""

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col}"
        if self.pointer:
            return f"{self.file}#{self.pointer}"
        return self.file


class Scalar(enum.Enum):
    """Scalar kinds, named after proto3's; JSON Schema inputs map onto them (docs/ir.md)."""

    DOUBLE = "double"
    FLOAT = "float"
    INT32 = "int32"
    INT64 = "int64"
    UINT32 = "uint32"
    UINT64 = "uint64"
    SINT32 = "sint32"
    SINT64 = "sint64"
    FIXED32 = "fixed32"
    FIXED64 = "fixed64"
    SFIXED32 = "sfixed32"
    SFIXED64 = "sfixed64"
    BOOL = "bool"
    STRING = "string"
    BYTES = "bytes"
    # JSON Schema ``{"type": "integer"}`` without an int32/uint32 format: an integer of any size
    # written as a JSON number (never a string). No proto spelling; Python int, TypeScript number.
    INTEGER = "integer"

    @property
    def is_64bit(self) -> bool:
        """64-bit integers travel as JSON strings (proto3 JSON mapping)."""
        return self in _INT64_KINDS

    @property
    def is_integer(self) -> bool:
        return self in _INT_KINDS

    @property
    def is_float(self) -> bool:
        return self in (Scalar.DOUBLE, Scalar.FLOAT)

    @property
    def is_unsigned(self) -> bool:
        return self in (Scalar.UINT32, Scalar.UINT64, Scalar.FIXED32, Scalar.FIXED64)


_INT64_KINDS = frozenset(
    {Scalar.INT64, Scalar.UINT64, Scalar.SINT64, Scalar.FIXED64, Scalar.SFIXED64}
)
_INT_KINDS = _INT64_KINDS | {
    Scalar.INTEGER,
    Scalar.INT32,
    Scalar.UINT32,
    Scalar.SINT32,
    Scalar.FIXED32,
    Scalar.SFIXED32,
}


class WellKnown(enum.Enum):
    """google.protobuf well-known types that have a special JSON form; the runtime provides them."""

    TIMESTAMP = "google.protobuf.Timestamp"
    DURATION = "google.protobuf.Duration"
    EMPTY = "google.protobuf.Empty"
    STRUCT = "google.protobuf.Struct"
    VALUE = "google.protobuf.Value"
    LIST_VALUE = "google.protobuf.ListValue"
    NULL_VALUE = "google.protobuf.NullValue"
    FIELD_MASK = "google.protobuf.FieldMask"
    ANY = "google.protobuf.Any"
    DOUBLE_VALUE = "google.protobuf.DoubleValue"
    FLOAT_VALUE = "google.protobuf.FloatValue"
    INT64_VALUE = "google.protobuf.Int64Value"
    UINT64_VALUE = "google.protobuf.UInt64Value"
    INT32_VALUE = "google.protobuf.Int32Value"
    UINT32_VALUE = "google.protobuf.UInt32Value"
    BOOL_VALUE = "google.protobuf.BoolValue"
    STRING_VALUE = "google.protobuf.StringValue"
    BYTES_VALUE = "google.protobuf.BytesValue"

    @property
    def wrapped(self) -> Scalar | None:
        """The scalar a wrapper type boxes (its JSON form is the bare scalar), else None."""
        return _WRAPPED.get(self)


_WRAPPED = {
    WellKnown.DOUBLE_VALUE: Scalar.DOUBLE,
    WellKnown.FLOAT_VALUE: Scalar.FLOAT,
    WellKnown.INT64_VALUE: Scalar.INT64,
    WellKnown.UINT64_VALUE: Scalar.UINT64,
    WellKnown.INT32_VALUE: Scalar.INT32,
    WellKnown.UINT32_VALUE: Scalar.UINT32,
    WellKnown.BOOL_VALUE: Scalar.BOOL,
    WellKnown.STRING_VALUE: Scalar.STRING,
    WellKnown.BYTES_VALUE: Scalar.BYTES,
}


# ---------------------------------------------------------------------------- field types


@dataclass(frozen=True, slots=True)
class ScalarType:
    kind: Scalar


@dataclass(frozen=True, slots=True)
class EnumRef:
    full_name: str


@dataclass(frozen=True, slots=True)
class MessageRef:
    full_name: str


@dataclass(frozen=True, slots=True)
class UnionRef:
    """A reference to a named, discriminated union of messages (see ``Union``)."""

    full_name: str


@dataclass(frozen=True, slots=True)
class WellKnownType:
    kind: WellKnown


@dataclass(frozen=True, slots=True)
class AnyJsonType:
    """Any JSON value, unconstrained (JSON Schema ``{}`` / ``true``)."""


@dataclass(frozen=True, slots=True)
class ListType:
    element: FieldType
    element_nullable: bool = False


@dataclass(frozen=True, slots=True)
class MapType:
    """A JSON object keyed by strings; ``key`` says how the key text is read (proto map keys)."""

    key: Scalar
    value: FieldType
    value_nullable: bool = False


@dataclass(frozen=True, slots=True)
class JsonUnionType:
    """A value of one of several types told apart by their JSON type alone (JSON Schema
    ``oneOf``/``anyOf``/``type: [...]`` without a discriminator, e.g. ``$ref | string``).

    Invariant: at most one variant per JSON kind (string, number, boolean, object, array; an
    integer kind and a float kind are both "number"), so a decoder picks the variant by looking
    at the JSON value. ``null`` is never a variant: the field's ``nullable`` says it. Variants
    are never ``AnyJsonType`` or another ``JsonUnionType``.
    """

    variants: tuple[FieldType, ...]


FieldType = (
    ScalarType
    | EnumRef
    | MessageRef
    | UnionRef
    | WellKnownType
    | AnyJsonType
    | ListType
    | MapType
    | JsonUnionType
)


class Presence(enum.Enum):
    """How a field's absence is told apart from its default.

    IMPLICIT: proto3 singular scalars/enums: absent means the zero value, and the zero value is
    not written. EXPLICIT: optional; absent is observable (``None``). REQUIRED: the key must be
    present on the wire (proto2 ``required``, JSON Schema ``required``).
    Repeated and map fields are always IMPLICIT (empty = absent).
    """

    IMPLICIT = "implicit"
    EXPLICIT = "explicit"
    REQUIRED = "required"


@dataclass(frozen=True, slots=True)
class Constraints:
    """Validation facets; ``None`` means unconstrained. Values keep JSON Schema's meaning."""

    minimum: int | float | None = None
    maximum: int | float | None = None
    exclusive_minimum: int | float | None = None
    exclusive_maximum: int | float | None = None
    multiple_of: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    format: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    min_properties: int | None = None
    max_properties: int | None = None
    const: str | int | float | bool | None = None

    @property
    def empty(self) -> bool:
        return self == _NO_CONSTRAINTS


_NO_CONSTRAINTS = Constraints()

JsonLiteral = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Field:
    """A message field.

    ``name`` is the IDL name (proto field name, JSON Schema property name); ``json_name`` is
    the key on the wire, exactly as the IDL says (proto3 lowerCamel unless ``json_name``).
    ``default`` is a JSON literal (proto2 ``[default = …]``, JSON Schema ``default``), as the
    value would be written in JSON (int64 defaults as int, enum defaults by value name).
    """

    name: str
    json_name: str
    type: FieldType
    presence: Presence = Presence.IMPLICIT
    nullable: bool = False
    default: JsonLiteral = None
    has_default: bool = False
    oneof: str | None = None
    deprecated: bool = False
    doc: str = ""
    constraints: Constraints = _NO_CONSTRAINTS
    number: int | None = field(default=None, compare=False, hash=False)
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class Oneof:
    """A user oneof group: at most one of its fields is set. Never a proto3 synthetic oneof."""

    name: str
    doc: str = ""
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class Message:
    """A message type. ``scope`` is the chain of enclosing message names (empty at top level)."""

    full_name: str
    name: str
    package: str
    scope: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    oneofs: tuple[Oneof, ...] = ()
    doc: str = ""
    deprecated: bool = False
    # JSON objects only: schema for keys not declared as fields (None: not allowed/ignored).
    additional_properties: FieldType | None = None
    # reserved field names and number ranges [start, end) from the IDL.
    reserved_names: tuple[str, ...] = ()
    reserved_ranges: tuple[tuple[int, int], ...] = field(default=(), compare=False, hash=False)
    # "proto" or "jsonschema": proto decoders also accept the IDL field name as a JSON key
    # (proto3 JSON mapping); JSON Schema decoders accept only the property name.
    origin: str = field(default="proto", compare=False, hash=False)
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class EnumValue:
    """An enum value. ``name`` is what travels in JSON (a proto value name, or any string for
    JSON Schema ``enum``); ``number`` exists for proto enums only.
    ``alias_of`` names the first value with the same number (proto ``allow_alias``)."""

    name: str
    number: int | None = field(default=None, compare=False, hash=False)
    alias_of: str | None = None
    doc: str = ""
    deprecated: bool = False
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class Enum:
    """An enum. ``open``: unknown numbers are kept (proto3), not rejected (proto2, JSON Schema)."""

    full_name: str
    name: str
    package: str
    scope: tuple[str, ...] = ()
    values: tuple[EnumValue, ...] = ()
    doc: str = ""
    deprecated: bool = False
    open: bool = False
    allow_alias: bool = False
    reserved_names: tuple[str, ...] = ()
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class UnionVariant:
    """One member of a discriminated union: the discriminator value selects ``message``."""

    value: str
    message: str


@dataclass(frozen=True, slots=True)
class Union:
    """A named union of messages told apart by the string property ``discriminator``
    (JSON Schema ``oneOf`` of objects, each with a ``const`` on that property)."""

    full_name: str
    name: str
    package: str
    discriminator: str
    variants: tuple[UnionVariant, ...]
    doc: str = ""
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


# ---------------------------------------------------------------------------- catalog


class Direction(enum.Enum):
    CLIENT_TO_SERVER = "client_to_server"
    SERVER_TO_CLIENT = "server_to_client"
    BOTH = "both"

    def inbound_for_server(self) -> bool:
        return self in (Direction.CLIENT_TO_SERVER, Direction.BOTH)

    def inbound_for_client(self) -> bool:
        return self in (Direction.SERVER_TO_CLIENT, Direction.BOTH)


class FramingKind(enum.Enum):
    """How frames travel (docs/protocol.md). BINARY is reserved for protobuf frames later."""

    ENVELOPE = "envelope"
    FLAT = "flat"


@dataclass(frozen=True, slots=True)
class Framing:
    kind: FramingKind = FramingKind.ENVELOPE
    # the discriminator key: fixed "type" for the envelope, configurable for flat framing.
    discriminator: str = "type"


@dataclass(frozen=True, slots=True)
class Frame:
    """A message that travels as a WebSocket frame of its package's catalog."""

    message: str
    discriminator: str
    direction: Direction
    handler: str
    doc: str = ""
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class Catalog:
    """The frames of one package, in source order."""

    package: str
    framing: Framing
    frames: tuple[Frame, ...]
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


# ---------------------------------------------------------------------------- error catalog
# Issue 4, additive (docs/errors.md). Frontends: frontends/proto/errors.py and
# frontends/jsonschema/errors.py; rules: ir/validate_errors.py.


class ErrorLayer(enum.Enum):
    """Where an error belongs; each layer owns a range of code numbers (docs/errors.md)."""

    CONNECTION = "connection"
    PROTOCOL = "protocol"
    BUSINESS = "business"


class RecoveryAction(enum.Enum):
    """What a client does about an error (the decision table in docs/errors.md)."""

    RETRY = "retry"
    REAUTHENTICATE = "reauthenticate"
    NOTIFY = "notify"
    DEGRADE = "degrade"
    FATAL = "fatal"


@dataclass(frozen=True, slots=True)
class ErrorCode:
    """One code of an error catalog, as the IDL declares it. ``name`` is the stable wire name
    (proto: the value name without the enum's prefix). ``action`` and ``retryable`` are None
    when the IDL leaves them out; the precedence in docs/errors.md resolves them."""

    name: str
    number: int
    layer: ErrorLayer
    http_status: int
    close_code: int
    message: str
    grpc_status: int | None = None
    action: RecoveryAction | None = None
    retryable: bool | None = None
    doc: str = ""
    deprecated: bool = False
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class ErrorCatalog:
    """A package's error codes in source order. ``reserved_numbers`` are inclusive ranges and
    ``reserved_names`` wire names of removed codes: neither may ever be used again."""

    full_name: str
    codes: tuple[ErrorCode, ...]
    reserved_numbers: tuple[tuple[int, int], ...] = ()
    reserved_names: tuple[str, ...] = ()
    doc: str = ""
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


# ---------------------------------------------------------------------------- containers


@dataclass(frozen=True, slots=True)
class File:
    """An input file, for provenance headers and manifests. ``path`` is relative to the IDL root."""

    path: str
    package: str
    syntax: str  # "proto2" | "proto3" | "editions" | "jsonschema"
    dependencies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Package:
    """Everything declared in one IDL package. Messages and enums in source order, nested
    declarations right after their parent (pre-order)."""

    name: str
    files: tuple[str, ...]
    messages: tuple[Message, ...] = ()
    enums: tuple[Enum, ...] = ()
    unions: tuple[Union, ...] = ()
    catalog: Catalog | None = None
    doc: str = ""
    # Issue 4: the package's error catalog, if it declares one.
    errors: ErrorCatalog | None = None


@dataclass(frozen=True, slots=True)
class Model:
    """The whole IDL tree: packages sorted by name, files sorted by path.

    Every package declared by a file of the IDL tree is here. Well-known types are not
    packages: fields refer to them as ``WellKnownType``.
    """

    packages: tuple[Package, ...]
    files: tuple[File, ...] = ()

    def messages(self) -> tuple[Message, ...]:
        return tuple(m for p in self.packages for m in p.messages)

    def enums(self) -> tuple[Enum, ...]:
        return tuple(e for p in self.packages for e in p.enums)

    def unions(self) -> tuple[Union, ...]:
        return tuple(u for p in self.packages for u in p.unions)

    def index(self) -> ModelIndex:
        """Build lookup tables once; backends keep the result for the whole render."""
        return ModelIndex(
            packages={p.name: p for p in self.packages},
            messages={m.full_name: m for m in self.messages()},
            enums={e.full_name: e for e in self.enums()},
            unions={u.full_name: u for u in self.unions()},
        )


@dataclass(frozen=True, slots=True)
class ModelIndex:
    """Full name → node tables for one ``Model`` (derived, never stored in the IR)."""

    packages: dict[str, Package]
    messages: dict[str, Message]
    enums: dict[str, Enum]
    unions: dict[str, Union]
