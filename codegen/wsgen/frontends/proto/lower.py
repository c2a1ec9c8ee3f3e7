"""Lower protoc's FileDescriptorSet into the IR.

Invariants: declarations keep source order (messages pre-order, nested right after their
parent); map-entry messages become ``MapType`` and never appear as messages; proto3 synthetic
oneofs (``optional``) become explicit presence, never user oneofs; spans come from
SourceCodeInfo (0-based there, 1-based here); wsgen's own options.proto, descriptor.proto and
the well-known types are never lowered as packages.
"""

from __future__ import annotations

import base64
import codecs
import math
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import descriptor_pb2 as d
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import Message as PbMessage

from wsgen.backends.naming import to_lower_camel, to_snake
from wsgen.diagnostics import CompileError, Diagnostic
from wsgen.frontends.proto.errors import lower_error_catalogs
from wsgen.ir import model as ir

__all__ = ["lower_descriptor_set"]

FDP = d.FieldDescriptorProto

_SCALARS = {
    FDP.TYPE_DOUBLE: ir.Scalar.DOUBLE,
    FDP.TYPE_FLOAT: ir.Scalar.FLOAT,
    FDP.TYPE_INT32: ir.Scalar.INT32,
    FDP.TYPE_INT64: ir.Scalar.INT64,
    FDP.TYPE_UINT32: ir.Scalar.UINT32,
    FDP.TYPE_UINT64: ir.Scalar.UINT64,
    FDP.TYPE_SINT32: ir.Scalar.SINT32,
    FDP.TYPE_SINT64: ir.Scalar.SINT64,
    FDP.TYPE_FIXED32: ir.Scalar.FIXED32,
    FDP.TYPE_FIXED64: ir.Scalar.FIXED64,
    FDP.TYPE_SFIXED32: ir.Scalar.SFIXED32,
    FDP.TYPE_SFIXED64: ir.Scalar.SFIXED64,
    FDP.TYPE_BOOL: ir.Scalar.BOOL,
    FDP.TYPE_STRING: ir.Scalar.STRING,
    FDP.TYPE_BYTES: ir.Scalar.BYTES,
}
_WELL_KNOWN = {w.value: w for w in ir.WellKnown}
# Files whose declarations are provided by wsgen or the runtime, never generated.
_NOT_LOWERED = frozenset(
    {
        "wsgen/options.proto",
        "google/protobuf/descriptor.proto",
        "google/protobuf/timestamp.proto",
        "google/protobuf/duration.proto",
        "google/protobuf/empty.proto",
        "google/protobuf/struct.proto",
        "google/protobuf/field_mask.proto",
        "google/protobuf/any.proto",
        "google/protobuf/wrappers.proto",
    }
)
_DIRECTIONS = {
    1: ir.Direction.CLIENT_TO_SERVER,
    2: ir.Direction.SERVER_TO_CLIENT,
    3: ir.Direction.BOTH,
}

# SourceCodeInfo path components (descriptor.proto field numbers).
_FILE_MESSAGE, _FILE_ENUM = 4, 5
_MSG_FIELD, _MSG_NESTED, _MSG_ENUM, _MSG_ONEOF = 2, 3, 4, 8
_ENUM_VALUE = 2


@dataclass
class _Options:
    """Reads wsgen's custom options, which stock descriptor classes keep as unknown fields."""

    pool: descriptor_pool.DescriptorPool | None
    classes: dict[str, type[PbMessage]] = field(default_factory=dict)

    @classmethod
    def from_set(cls, fds: d.FileDescriptorSet) -> _Options:
        if not any(f.name == "wsgen/options.proto" for f in fds.file):
            return cls(None)
        pool = descriptor_pool.DescriptorPool()
        for f in fds.file:
            pool.Add(f)
        return cls(pool)

    def read(self, options: PbMessage, kind: str, extension: str) -> PbMessage | None:
        """The ``extension`` (e.g. ``wsgen.frame``) set on ``options``, or None."""
        if self.pool is None:
            return None
        if kind not in self.classes:
            desc = self.pool.FindMessageTypeByName(f"google.protobuf.{kind}")
            self.classes[kind] = message_factory.GetMessageClass(desc)
        parsed = self.classes[kind].FromString(options.SerializeToString())
        ext = self.pool.FindExtensionByName(extension)
        if not parsed.HasExtension(ext):  # type: ignore[arg-type]
            return None
        value: PbMessage = parsed.Extensions[ext]  # type: ignore[index]
        return value


@dataclass
class _FileCtx:
    proto: d.FileDescriptorProto
    locations: dict[tuple[int, ...], d.SourceCodeInfo.Location]
    map_entries: dict[str, d.DescriptorProto]

    @property
    def path(self) -> str:
        return self.proto.name

    def span(self, path: tuple[int, ...]) -> ir.Span:
        loc = self.locations.get(path)
        if loc is None or len(loc.span) < 2:
            return ir.Span(self.path)
        return ir.Span(self.path, loc.span[0] + 1, loc.span[1] + 1)

    def doc(self, path: tuple[int, ...]) -> str:
        loc = self.locations.get(path)
        if loc is None:
            return ""
        text = loc.leading_comments or loc.trailing_comments
        return textwrap.dedent(text).strip()


def lower_descriptor_set(fds: d.FileDescriptorSet, user_files: Iterable[str]) -> ir.Model:
    """Lower every file of ``fds`` that is not provided by wsgen itself into one Model.

    ``user_files`` are the IDL tree's own files (they get ``File`` entries); imported files
    outside the tree that are not well-known types are lowered too, so references resolve.
    """
    options = _Options.from_set(fds)
    user = set(user_files)
    map_entries = {
        full: msg
        for f in fds.file
        for full, msg in _walk_messages(f.package, f.message_type)
        if msg.options.map_entry
    }
    diagnostics: list[Diagnostic] = []
    by_package: dict[str, _PackageAcc] = {}
    files: list[ir.File] = []
    for f in fds.file:
        if f.name in _NOT_LOWERED:
            continue
        ctx = _FileCtx(
            f, {tuple(loc.path): loc for loc in f.source_code_info.location}, map_entries
        )
        acc = by_package.setdefault(f.package, _PackageAcc(f.package))
        acc.files.append(f.name)
        _lower_file(ctx, acc, options, diagnostics)
        if f.name in user:
            files.append(ir.File(f.name, f.package, _syntax(f), tuple(sorted(f.dependency))))
    if diagnostics:
        raise CompileError(diagnostics)
    packages = tuple(acc.build() for _, acc in sorted(by_package.items()))
    return ir.Model(packages, tuple(sorted(files, key=lambda x: x.path)))


def _syntax(f: d.FileDescriptorProto) -> str:
    return f.syntax or "proto2"


def _walk_messages(
    prefix: str, messages: Iterable[d.DescriptorProto]
) -> Iterator[tuple[str, d.DescriptorProto]]:
    for msg in messages:
        full = f"{prefix}.{msg.name}" if prefix else msg.name
        yield full, msg
        yield from _walk_messages(full, msg.nested_type)


@dataclass
class _PackageAcc:
    name: str
    files: list[str] = field(default_factory=list)
    messages: list[ir.Message] = field(default_factory=list)
    enums: list[ir.Enum] = field(default_factory=list)
    frames: list[ir.Frame] = field(default_factory=list)
    framings: list[tuple[ir.Framing, ir.Span]] = field(default_factory=list)
    # Issue 4: the package's error catalog (a second one is reported, never kept).
    errors: list[ir.ErrorCatalog] = field(default_factory=list)

    def build(self) -> ir.Package:
        catalog = None
        if self.frames:
            framing, span = self.framings[0] if self.framings else (ir.Framing(), None)
            catalog = ir.Catalog(self.name, framing, tuple(self.frames), span=span)
        return ir.Package(
            name=self.name,
            files=tuple(sorted(self.files)),
            messages=tuple(self.messages),
            enums=tuple(self.enums),
            catalog=catalog,
            errors=self.errors[0] if self.errors else None,
        )


def _lower_file(
    ctx: _FileCtx, acc: _PackageAcc, options: _Options, diags: list[Diagnostic]
) -> None:
    f = ctx.proto
    cat = options.read(f.options, "FileOptions", "wsgen.catalog")
    if cat is not None:
        framing = _framing(cat)
        span = ir.Span(ctx.path, 1, 1)
        for other, other_span in acc.framings:
            if other != framing:
                diags.append(
                    Diagnostic(
                        span,
                        "WSG302",
                        f'files of package "{acc.name}" declare different catalog framings',
                        notes=((other_span, "the other declaration is here"),),
                        hint="give every file of the package the same (wsgen.catalog) option",
                    )
                )
        acc.framings.append((framing, span))
    for i, msg in enumerate(f.message_type):
        _lower_message(ctx, acc, options, diags, msg, f.package, (), (_FILE_MESSAGE, i))
    for i, en in enumerate(f.enum_type):
        acc.enums.append(_lower_enum(ctx, en, f.package, (), (_FILE_ENUM, i)))
    # Issue 4: an enum marked (wsgen.error_catalog) is also the package's error catalog.
    lower_error_catalogs(ctx, options, acc.errors, diags)


def _get(options: PbMessage, name: str) -> Any:
    """A field of a dynamically built options message (its class is made at run time)."""
    return getattr(options, name)


def _framing(cat: PbMessage) -> ir.Framing:
    kind = ir.FramingKind.FLAT if _get(cat, "framing") == 2 else ir.FramingKind.ENVELOPE
    disc = _get(cat, "discriminator") or "type"
    if kind is ir.FramingKind.ENVELOPE:
        disc = "type"
    return ir.Framing(kind, disc)


def _full(package: str, scope: tuple[str, ...], name: str) -> str:
    return ".".join(p for p in (package, *scope, name) if p)


def _lower_message(
    ctx: _FileCtx,
    acc: _PackageAcc,
    options: _Options,
    diags: list[Diagnostic],
    msg: d.DescriptorProto,
    package: str,
    scope: tuple[str, ...],
    path: tuple[int, ...],
) -> None:
    if msg.options.map_entry:
        return
    full = _full(package, scope, msg.name)
    real_oneofs = _real_oneofs(msg)
    fields = tuple(
        _lower_field(ctx, fld, real_oneofs, (*path, _MSG_FIELD, i))
        for i, fld in enumerate(msg.field)
    )
    oneofs = tuple(
        ir.Oneof(
            msg.oneof_decl[i].name,
            doc=ctx.doc((*path, _MSG_ONEOF, i)),
            span=ctx.span((*path, _MSG_ONEOF, i)),
        )
        for i in sorted(real_oneofs)
    )
    span = ctx.span(path)
    acc.messages.append(
        ir.Message(
            full_name=full,
            name=msg.name,
            package=package,
            scope=scope,
            fields=fields,
            oneofs=oneofs,
            doc=ctx.doc(path),
            deprecated=msg.options.deprecated,
            reserved_names=tuple(msg.reserved_name),
            reserved_ranges=tuple((r.start, r.end) for r in msg.reserved_range),
            origin="proto",
            span=span,
        )
    )
    frame = options.read(msg.options, "MessageOptions", "wsgen.frame")
    if frame is not None:
        frame_ir = _lower_frame(frame, full, msg.name, span, ctx.doc(path), diags)
        if frame_ir is not None:
            acc.frames.append(frame_ir)
    inner = (*scope, msg.name)
    for i, nested in enumerate(msg.nested_type):
        _lower_message(ctx, acc, options, diags, nested, package, inner, (*path, _MSG_NESTED, i))
    for i, en in enumerate(msg.enum_type):
        acc.enums.append(_lower_enum(ctx, en, package, inner, (*path, _MSG_ENUM, i)))


def _lower_frame(
    frame: PbMessage, full: str, name: str, span: ir.Span, doc: str, diags: list[Diagnostic]
) -> ir.Frame | None:
    disc: str = _get(frame, "type")
    direction = _DIRECTIONS.get(_get(frame, "direction"))
    handler: str = _get(frame, "handler") or to_snake(name)
    ok = True
    if not disc:
        diags.append(
            Diagnostic(
                span,
                "WSG303",
                f'frame "{full}" has no discriminator value',
                hint='set it in the option: (wsgen.frame) = { type: "..." direction: ... }',
            )
        )
        ok = False
    if direction is None:
        diags.append(
            Diagnostic(
                span,
                "WSG304",
                f'frame "{full}" has no direction',
                hint="set direction to CLIENT_TO_SERVER, SERVER_TO_CLIENT or BOTH",
            )
        )
        ok = False
    if not ok or direction is None:
        return None
    return ir.Frame(full, disc, direction, handler, doc=doc, span=span)


def _real_oneofs(msg: d.DescriptorProto) -> set[int]:
    """Indexes of user oneofs: a oneof whose only member is proto3 ``optional`` is synthetic."""
    synthetic = {f.oneof_index for f in msg.field if f.proto3_optional}
    return {
        f.oneof_index
        for f in msg.field
        if f.HasField("oneof_index") and f.oneof_index not in synthetic
    }


def _lower_field(
    ctx: _FileCtx, fld: d.FieldDescriptorProto, real_oneofs: set[int], path: tuple[int, ...]
) -> ir.Field:
    ftype = _field_type(ctx, fld)
    oneof = None
    if fld.HasField("oneof_index") and fld.oneof_index in real_oneofs:
        # The oneof's name is looked up by the caller's order; keep the index's name here.
        oneof = _oneof_name(ctx, fld, path)
    presence = _presence(ctx.proto, fld, ftype, oneof)
    default, has_default = _default(fld)
    json_name = fld.json_name if fld.HasField("json_name") else to_lower_camel(fld.name)
    return ir.Field(
        name=fld.name,
        json_name=json_name,
        type=ftype,
        presence=presence,
        default=default,
        has_default=has_default,
        oneof=oneof,
        deprecated=fld.options.deprecated,
        doc=ctx.doc(path),
        number=fld.number,
        span=ctx.span(path),
    )


def _oneof_name(ctx: _FileCtx, fld: d.FieldDescriptorProto, path: tuple[int, ...]) -> str:
    msg = _message_at(ctx.proto, path[:-2])
    return msg.oneof_decl[fld.oneof_index].name


def _message_at(f: d.FileDescriptorProto, path: tuple[int, ...]) -> d.DescriptorProto:
    msg = f.message_type[path[1]]
    rest = path[2:]
    while rest:
        msg = msg.nested_type[rest[1]]
        rest = rest[2:]
    return msg


def _field_type(ctx: _FileCtx, fld: d.FieldDescriptorProto) -> ir.FieldType:
    repeated = fld.label == FDP.LABEL_REPEATED
    type_name = fld.type_name.lstrip(".")
    if repeated and fld.type == FDP.TYPE_MESSAGE and type_name in ctx.map_entries:
        entry = ctx.map_entries[type_name]
        key_field, value_field = entry.field[0], entry.field[1]
        key = _SCALARS[key_field.type]
        return ir.MapType(key, _single_type(value_field))
    single = _single_type(fld)
    return ir.ListType(single) if repeated else single


def _single_type(fld: d.FieldDescriptorProto) -> ir.FieldType:
    type_name = fld.type_name.lstrip(".")
    if fld.type in (FDP.TYPE_MESSAGE, FDP.TYPE_GROUP):
        wk = _WELL_KNOWN.get(type_name)
        return ir.WellKnownType(wk) if wk else ir.MessageRef(type_name)
    if fld.type == FDP.TYPE_ENUM:
        if type_name == ir.WellKnown.NULL_VALUE.value:
            return ir.WellKnownType(ir.WellKnown.NULL_VALUE)
        return ir.EnumRef(type_name)
    return ir.ScalarType(_SCALARS[fld.type])


def _presence(
    f: d.FileDescriptorProto,
    fld: d.FieldDescriptorProto,
    ftype: ir.FieldType,
    oneof: str | None,
) -> ir.Presence:
    if isinstance(ftype, ir.ListType | ir.MapType):
        return ir.Presence.IMPLICIT
    if fld.label == FDP.LABEL_REQUIRED:
        return ir.Presence.REQUIRED
    if oneof is not None or fld.proto3_optional:
        return ir.Presence.EXPLICIT
    if isinstance(ftype, ir.MessageRef | ir.WellKnownType):
        return ir.Presence.EXPLICIT
    syntax = _syntax(f)
    if syntax == "proto3":
        return ir.Presence.IMPLICIT
    if syntax == "editions":
        feature = fld.options.features.field_presence or f.options.features.field_presence
        if feature == d.FeatureSet.IMPLICIT:
            return ir.Presence.IMPLICIT
        if feature == d.FeatureSet.LEGACY_REQUIRED:
            return ir.Presence.REQUIRED
    return ir.Presence.EXPLICIT


def _default(fld: d.FieldDescriptorProto) -> tuple[ir.JsonLiteral, bool]:
    """proto2/editions ``[default = …]`` as the JSON literal of that value."""
    if not fld.HasField("default_value"):
        return None, False
    text = fld.default_value
    t = fld.type
    if t == FDP.TYPE_BOOL:
        return text == "true", True
    if t in (FDP.TYPE_DOUBLE, FDP.TYPE_FLOAT):
        value = float(text)
        if math.isnan(value):
            return "NaN", True
        if math.isinf(value):
            return ("Infinity" if value > 0 else "-Infinity"), True
        return value, True
    if t == FDP.TYPE_STRING or t == FDP.TYPE_ENUM:
        return text, True
    if t == FDP.TYPE_BYTES:
        raw = codecs.escape_decode(text.encode("latin-1"))[0]
        assert isinstance(raw, bytes)
        return base64.b64encode(raw).decode("ascii"), True
    return int(text, 0), True


def _lower_enum(
    ctx: _FileCtx,
    en: d.EnumDescriptorProto,
    package: str,
    scope: tuple[str, ...],
    path: tuple[int, ...],
) -> ir.Enum:
    first_by_number: dict[int, str] = {}
    values: list[ir.EnumValue] = []
    for i, v in enumerate(en.value):
        alias_of = first_by_number.get(v.number)
        first_by_number.setdefault(v.number, v.name)
        vpath = (*path, _ENUM_VALUE, i)
        values.append(
            ir.EnumValue(
                name=v.name,
                number=v.number,
                alias_of=alias_of,
                doc=ctx.doc(vpath),
                deprecated=v.options.deprecated,
                span=ctx.span(vpath),
            )
        )
    syntax = _syntax(ctx.proto)
    is_open = syntax == "proto3"
    if syntax == "editions":
        feature = en.options.features.enum_type or ctx.proto.options.features.enum_type
        is_open = feature != d.FeatureSet.CLOSED
    return ir.Enum(
        full_name=_full(package, scope, en.name),
        name=en.name,
        package=package,
        scope=scope,
        values=tuple(values),
        doc=ctx.doc(path),
        deprecated=en.options.deprecated,
        open=is_open,
        allow_alias=en.options.allow_alias,
        reserved_names=tuple(en.reserved_name),
        span=ctx.span(path),
    )
