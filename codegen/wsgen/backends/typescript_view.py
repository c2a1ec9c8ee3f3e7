"""IR → TypeScript view model: every identifier mangled, every import computed, every type
already written out as text. Templates only loop over what this module returns.

Invariants:
- The TS types describe the JSON form on the wire (proto3 JSON mapping for proto messages,
  plain JSON for JSON Schema ones), never an in-memory form: keys are the IR ``json_name``.
- One ``naming.Scope`` per module holds types, guards, the catalog API and import aliases
  (TS types and values share one scope here, so an enum's const and type keep one name).
  Claims follow a fixed order (reserved → messages → enums → unions → guards → imports), so
  names are deterministic and a local name never changes because of an import.
- IDL text reaches the view only as escaped comment lines or ``escape.ts_string`` literals.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from wsgen.backends import escape
from wsgen.backends.naming import TS_RESERVED, Scope, sanitize, to_pascal
from wsgen.backends.options import BuildOptions
from wsgen.backends.render import generated_header
from wsgen.ir import model as ir

__all__ = [
    "SUPPORT_MODULE",
    "TsCatalog",
    "TsDirection",
    "TsEnum",
    "TsEnumMember",
    "TsFrame",
    "TsImport",
    "TsIndex",
    "TsInterface",
    "TsModule",
    "TsProperty",
    "TsUnion",
    "TsUnionVariant",
    "TsView",
    "build_view_typescript",
]

ROOT = "typescript"
# Not a possible package path: package segments never contain "-" once sanitized.
SUPPORT_MODULE = f"{ROOT}/wsgen-support.ts"
INDEX_MODULE = f"{ROOT}/index.ts"
NO_PACKAGE = "default-package"

# Globals the generated code (or code written against it) uses; a type or const with one of
# these names would shadow it inside the module.
TS_GLOBALS = frozenset(
    """
    Array ArrayBuffer Awaited BigInt Boolean Date Error Exclude Extract Function Infinity
    Iterable JSON Map Math NaN NonNullable Number Object Omit Parameters Partial Pick Promise
    PromiseLike Readonly ReadonlyArray ReadonlyMap ReadonlySet Record RegExp Required
    ReturnType Set String Symbol TypeError Uint8Array arguments console eval exports
    globalThis module require undefined
    """.split()  # noqa: SIM905 - a word list reads better than 50 quoted lines
)
# Names the generated module itself declares or imports (docs/typescript.md lists them).
SUPPORT_NAMESPACE = "wsgen"
SUPPORT_TYPES = frozenset({"JsonValue", "JsonFloat"})
CATALOG_API = {
    ir.Direction.CLIENT_TO_SERVER: (
        "ClientToServerFrame",
        "isClientToServerFrame",
        "dispatchClientToServer",
        "ServerHandlers",
        "clientToServerFrames",
    ),
    ir.Direction.SERVER_TO_CLIENT: (
        "ServerToClientFrame",
        "isServerToClientFrame",
        "dispatchServerToClient",
        "ClientHandlers",
        "serverToClientFrames",
    ),
}
MODULE_RESERVED = (
    TS_RESERVED
    | TS_GLOBALS
    | SUPPORT_TYPES
    | {SUPPORT_NAMESPACE}
    | {name for names in CATALOG_API.values() for name in names}
)
# Envelope control frames have optional handlers in wsgen.ControlHandlers (docs/protocol.md).
CONTROL_HANDLERS = ("onHello", "onAck", "onError", "onPing", "onPong")

# Longest ``type X = "a" | "b";`` body kept on one line (the rest go one member per line).
_INLINE_UNION = 80
_PROPERTY_RE = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")


# ---------------------------------------------------------------------------- view


@dataclass(frozen=True, slots=True)
class TsProperty:
    key: str  # property key as written in an interface (quoted when not an identifier)
    type: str
    optional: bool
    doc: list[str]


@dataclass(frozen=True, slots=True)
class TsInterface:
    name: str
    guard: str
    doc: list[str]
    properties: list[TsProperty]
    index_signature: str | None  # value type of ``[key: string]: …`` or None
    checks: list[str]  # guard terms joined with ``&&``


@dataclass(frozen=True, slots=True)
class TsEnumMember:
    key: str  # const-object key: identifier, quoted string, or ``["__proto__"]``
    value: str  # TS string literal
    doc: list[str]


@dataclass(frozen=True, slots=True)
class TsEnum:
    name: str
    guard: str
    doc: list[str]
    members: list[TsEnumMember]
    union: list[str]  # the string literals of the union (``never`` when empty)
    inline: bool  # whether the union fits on the declaration's line


@dataclass(frozen=True, slots=True)
class TsUnionVariant:
    value: str  # TS string literal of the discriminator value
    type: str
    guard: str


@dataclass(frozen=True, slots=True)
class TsUnion:
    name: str
    guard: str
    doc: list[str]
    discriminator: str  # TS string literal of the discriminator key
    variants: list[TsUnionVariant]


@dataclass(frozen=True, slots=True)
class TsFrame:
    type_value: str  # TS string literal of the discriminator value
    payload: str
    frame: str  # the frame's TS type
    member: str  # the same, as a member of a union (parenthesized when an intersection)
    guard: str
    handler: str
    doc: list[str]


@dataclass(frozen=True, slots=True)
class TsDirection:
    union: str
    guard: str
    dispatch: str
    handlers: str
    table: str
    sender: str  # "client" | "server": who sends these frames
    receiver: str
    frames: list[TsFrame]


@dataclass(frozen=True, slots=True)
class TsCatalog:
    envelope: bool
    discriminator: str  # TS string literal of the flat discriminator key
    directions: list[TsDirection]


@dataclass(frozen=True, slots=True)
class TsImport:
    specifier: str  # TS string literal of the relative module specifier
    names: list[str]  # ``type Address as geo_v1_Address``, ``isAddress as geo_v1_isAddress``


@dataclass(slots=True)
class TsModule:
    path: str
    package: str
    header: list[str]
    doc: list[str]  # ``//`` lines: a JSDoc block here would attach to the first import
    support_specifier: str
    support_types: list[str] = field(default_factory=list)
    uses_support: bool = False
    imports: list[TsImport] = field(default_factory=list)
    enums: list[TsEnum] = field(default_factory=list)
    interfaces: list[TsInterface] = field(default_factory=list)
    unions: list[TsUnion] = field(default_factory=list)
    catalog: TsCatalog | None = None


@dataclass(frozen=True, slots=True)
class TsIndex:
    path: str
    header: list[str]
    exports: list[tuple[str, str]]  # (namespace name, TS string literal specifier)
    support_specifier: str


@dataclass(frozen=True, slots=True)
class TsView:
    modules: list[TsModule]
    index: TsIndex
    support_header: list[str]


# ---------------------------------------------------------------------------- helpers


@dataclass(frozen=True, slots=True)
class _Ts:
    """A TS type expression with the guard expression that checks it."""

    text: str
    guard: str
    union: bool = False
    nullable: bool = False  # already admits null

    def operand(self) -> str:
        """The text, parenthesized where ``[]`` or ``&`` would bind wrongly."""
        return f"({self.text})" if self.union else self.text

    def or_null(self) -> _Ts:
        if self.nullable:
            return self
        return _Ts(f"{self.text} | null", f"wsgen.nullOr({self.guard})", True, True)


def property_key(name: str) -> str:
    """A property key for an interface or object type: bare when it is an identifier name
    (reserved words are fine as property names), else a string literal."""
    return name if _PROPERTY_RE.match(name) else escape.ts_string(name)


def _enum_key(name: str) -> str:
    # ``__proto__: …`` in an object literal sets the prototype; a computed key does not.
    if name == "__proto__":
        return '["__proto__"]'
    return property_key(name)


def _doc(text: str, *, deprecated: bool = False) -> list[str]:
    """A whole JSDoc block as lines (empty when there is nothing to say); IDL text passes
    through ``escape.ts_doc_comment``, so it can never close the comment (cases/14)."""
    lines = escape.ts_doc_comment(text)
    if deprecated:
        lines.append("@deprecated")
    if len(lines) == 1:
        return [f"/** {lines[0]} */"]
    if not lines:
        return []
    return ["/**", *(f" * {line}".rstrip() for line in lines), " */"]


def _header(sources: tuple[str, ...], options: BuildOptions) -> list[str]:
    return escape.ts_line_comment(generated_header(sources, elide_version=options.elide_version))


def _literal(value: str | int | float | bool, as_string: bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) or as_string:
        return escape.ts_string(str(value))
    return repr(value)


def _specifier(from_path: str, to_path: str) -> str:
    """Relative import specifier with a ``.js`` extension: resolves under ``bundler``,
    ``node16``/``nodenext`` (ESM and CJS) and classic ``node`` module resolution alike."""
    rel = posixpath.relpath(to_path, posixpath.dirname(from_path))
    if not rel.startswith("."):
        rel = "./" + rel
    return escape.ts_string(rel.removesuffix(".ts") + ".js")


def module_paths(model: ir.Model) -> dict[str, str]:
    """Package name → output path (``chat.v1`` → ``typescript/chat/v1.ts``), unique even on a
    case-insensitive file system and never ``index.ts`` or the support module."""
    taken = {INDEX_MODULE.lower(), SUPPORT_MODULE.lower()}
    out: dict[str, str] = {}
    for pkg in model.packages:
        segments = [sanitize(s) for s in pkg.name.split(".")] if pkg.name else [NO_PACKAGE]
        path = f"{ROOT}/{'/'.join(segments)}.ts"
        while path.lower() in taken:
            path = path.removesuffix(".ts") + "_.ts"
        taken.add(path.lower())
        out[pkg.name] = path
    return out


@dataclass(frozen=True, slots=True)
class _Decl:
    """A declaration's names in its own module."""

    package: str
    type_name: str
    guard: str


def _local_names(pkg: ir.Package) -> tuple[Scope, dict[str, _Decl]]:
    scope = Scope(reserved=MODULE_RESERVED)
    decls: dict[str, _Decl] = {}
    wanted: list[tuple[str, str]] = [
        *((m.full_name, "_".join((*m.scope, m.name))) for m in pkg.messages),
        *((e.full_name, "_".join((*e.scope, e.name))) for e in pkg.enums),
        *((u.full_name, u.name) for u in pkg.unions),
    ]
    # valid names are claimed before sanitized ones, so they never move (docs/naming.md)
    claimed = scope.claim_all([name for _, name in wanted])
    ordered = [(full, name) for (full, _), name in zip(wanted, claimed, strict=True)]
    for full_name, type_name in ordered:
        guard = "is" + type_name[:1].upper() + type_name[1:]
        decls[full_name] = _Decl(pkg.name, type_name, scope.claim(guard))
    return scope, decls


# ---------------------------------------------------------------------------- modules


class _ModuleBuilder:
    """Builds one package's module; owns that module's scope and import list."""

    def __init__(
        self,
        pkg: ir.Package,
        scope: Scope,
        decls: dict[str, _Decl],
        paths: dict[str, str],
        index: ir.ModelIndex,
        options: BuildOptions,
    ) -> None:
        self.pkg = pkg
        self.scope = scope
        self.decls = decls
        self.paths = paths
        self.index = index
        self.path = paths[pkg.name]
        self.support_types: set[str] = set()
        # foreign full name → (type alias, guard alias); package → import names
        self.aliases: dict[str, tuple[str, str]] = {}
        self.module = TsModule(
            path=self.path,
            package=pkg.name,
            header=_header(pkg.files or (pkg.name,), options),
            doc=escape.ts_line_comment(pkg.doc),
            support_specifier=_specifier(self.path, SUPPORT_MODULE),
        )

    # -- references

    def _ref(self, full_name: str) -> tuple[str, str]:
        """(type name, guard name) usable in this module, importing it if foreign."""
        decl = self.decls[full_name]
        if decl.package == self.pkg.name:
            return decl.type_name, decl.guard
        if full_name not in self.aliases:
            prefix = decl.package.replace(".", "_") + "_"
            self.aliases[full_name] = (
                self.scope.claim(prefix + decl.type_name),
                self.scope.claim(prefix + decl.guard),
            )
        return self.aliases[full_name]

    def _support_type(self, name: str) -> str:
        self.support_types.add(name)
        return name

    def type_of(self, ftype: ir.FieldType, origin: str) -> _Ts:
        if isinstance(ftype, ir.ScalarType):
            return self._scalar(ftype.kind, origin)
        if isinstance(ftype, ir.EnumRef):
            name, guard = self._ref(ftype.full_name)
            enum = self.index.enums[ftype.full_name]
            if enum.open:
                # proto3 enums are open: an unknown number travels as a JSON number.
                return _Ts(f"{name} | number", f"wsgen.anyOf({guard}, wsgen.isNumber)", True)
            return _Ts(name, guard)
        if isinstance(ftype, ir.MessageRef | ir.UnionRef):
            return _Ts(*self._ref(ftype.full_name))
        if isinstance(ftype, ir.WellKnownType):
            return self._well_known(ftype.kind)
        if isinstance(ftype, ir.AnyJsonType):
            return _Ts(self._support_type("JsonValue"), "wsgen.isJsonValue", nullable=True)
        if isinstance(ftype, ir.JsonUnionType):
            # Variants differ in JSON kind, so a plain TS union is exact.
            variants = [self.type_of(v, origin) for v in ftype.variants]
            text = " | ".join(v.operand() for v in variants)
            guards = ", ".join(v.guard for v in variants)
            return _Ts(text, f"wsgen.anyOf({guards})", union=len(variants) > 1)
        if isinstance(ftype, ir.ListType):
            element = self.type_of(ftype.element, origin)
            if ftype.element_nullable:
                element = element.or_null()
            return _Ts(f"{element.operand()}[]", f"wsgen.listOf({element.guard})")
        value = self.type_of(ftype.value, origin)
        if ftype.value_nullable:
            value = value.or_null()
        # JSON object keys are strings whatever the proto key type (cases/04).
        return _Ts(f"{{ [key: string]: {value.text} }}", f"wsgen.mapOf({value.guard})")

    def _scalar(self, kind: ir.Scalar, origin: str) -> _Ts:
        proto = origin != "jsonschema"
        if kind in (ir.Scalar.STRING, ir.Scalar.BYTES) or (proto and kind.is_64bit):
            # bytes are base64 text; proto3 JSON writes 64-bit integers as strings (cases/05).
            return _Ts("string", "wsgen.isString")
        if kind is ir.Scalar.BOOL:
            return _Ts("boolean", "wsgen.isBoolean")
        if proto and kind.is_float:
            return _Ts(self._support_type("JsonFloat"), "wsgen.isJsonFloat")
        return _Ts("number", "wsgen.isNumber")

    def _well_known(self, kind: ir.WellKnown) -> _Ts:
        wrapped = kind.wrapped
        if wrapped is not None:
            return self._scalar(wrapped, "proto").or_null()
        W = ir.WellKnown
        if kind in (W.TIMESTAMP, W.DURATION, W.FIELD_MASK):
            return _Ts("string", "wsgen.isString")
        if kind is W.NULL_VALUE:
            return _Ts("null", "wsgen.isNull", nullable=True)
        if kind is W.EMPTY:
            return _Ts("{ [key: string]: never }", "wsgen.isObject")
        json_value = self._support_type("JsonValue")
        if kind is W.STRUCT:
            return _Ts(f"{{ [key: string]: {json_value} }}", "wsgen.isJsonObject")
        if kind is W.VALUE:
            return _Ts(json_value, "wsgen.isJsonValue", nullable=True)
        if kind is W.LIST_VALUE:
            return _Ts(f"{json_value}[]", "wsgen.isJsonArray")
        # google.protobuf.Any: the packed message's fields next to its "@type" URL.
        return _Ts(f'{{ "@type": string; [key: string]: {json_value} }}', "wsgen.isAnyMessage")

    # -- declarations

    def field_type(self, fld: ir.Field, origin: str) -> _Ts:
        ts = self.type_of(fld.type, origin)
        const = fld.constraints.const
        if const is not None:
            as_string = (
                origin != "jsonschema"
                and isinstance(fld.type, ir.ScalarType)
                and fld.type.kind.is_64bit
            )
            lit = _literal(const, as_string)
            ts = _Ts(lit, f"wsgen.literal({lit})")
        if fld.nullable:
            ts = ts.or_null()
        return ts

    def interface(self, msg: ir.Message) -> TsInterface:
        decl = self.decls[msg.full_name]
        properties: list[TsProperty] = []
        checks: list[str] = []
        index_types: list[str] = []
        for fld in msg.fields:
            ts = self.field_type(fld, msg.origin)
            required = fld.presence is ir.Presence.REQUIRED and fld.oneof is None
            properties.append(
                TsProperty(
                    key=property_key(fld.json_name),
                    type=ts.text,
                    optional=not required,
                    doc=_doc(fld.doc, deprecated=fld.deprecated),
                )
            )
            check = "wsgen.req" if required else "wsgen.opt"
            checks.append(f"{check}(v, {escape.ts_string(fld.json_name)}, {ts.guard})")
            if ts.text not in index_types:
                index_types.append(ts.text)
        for oneof in msg.oneofs:
            keys = [escape.ts_string(f.json_name) for f in msg.fields if f.oneof == oneof.name]
            if len(keys) > 1:
                checks.append(f"wsgen.atMostOne(v, [{', '.join(keys)}])")
        index_signature = None
        if msg.additional_properties is not None:
            extra = self.type_of(msg.additional_properties, msg.origin)
            known = ", ".join(escape.ts_string(f.json_name) for f in msg.fields)
            checks.append(f"wsgen.rest(v, [{known}], {extra.guard})")
            # The index type must admit every declared property's type too, and `undefined`
            # when a declared property is optional (TS2411 otherwise).
            if any(p.optional for p in properties):
                index_types.append("undefined")
            index_signature = " | ".join(dict.fromkeys([extra.text, *index_types]))
        return TsInterface(
            name=decl.type_name,
            guard=decl.guard,
            doc=_doc(msg.doc, deprecated=msg.deprecated),
            properties=properties,
            index_signature=index_signature,
            checks=checks,
        )

    def enum(self, enum: ir.Enum) -> TsEnum:
        decl = self.decls[enum.full_name]
        members = [
            TsEnumMember(
                key=_enum_key(v.name),
                value=escape.ts_string(v.name),
                doc=_doc(v.doc, deprecated=v.deprecated),
            )
            for v in enum.values
        ]
        union = [m.value for m in members] or ["never"]
        inline = len(" | ".join(union)) + len(decl.type_name) <= _INLINE_UNION
        return TsEnum(
            name=decl.type_name,
            guard=decl.guard,
            doc=_doc(enum.doc, deprecated=enum.deprecated),
            members=members,
            union=union,
            inline=inline,
        )

    def union(self, union: ir.Union) -> TsUnion:
        decl = self.decls[union.full_name]
        variants = []
        for variant in union.variants:
            name, guard = self._ref(variant.message)
            value = escape.ts_string(variant.value)
            if not self._declares_const(variant.message, union.discriminator, variant.value):
                name = f"({name} & {{ {property_key(union.discriminator)}: {value} }})"
            variants.append(TsUnionVariant(value=value, type=name, guard=guard))
        return TsUnion(
            name=decl.type_name,
            guard=decl.guard,
            doc=_doc(union.doc),
            discriminator=escape.ts_string(union.discriminator),
            variants=variants,
        )

    def _declares_const(self, message: str, key: str, value: str) -> bool:
        """Whether the variant already types its discriminator as the required literal; if
        not, the union intersects it with one, so a switch on the key stays exhaustive."""
        msg = self.index.messages.get(message)
        return msg is not None and any(
            f.json_name == key
            and f.constraints.const == value
            and f.presence is ir.Presence.REQUIRED
            and not f.nullable
            for f in msg.fields
        )

    def catalog(self, catalog: ir.Catalog) -> TsCatalog:
        envelope = catalog.framing.kind is ir.FramingKind.ENVELOPE
        disc_key = property_key(catalog.framing.discriminator)
        directions = []
        for direction, (sender, receiver) in (
            (ir.Direction.CLIENT_TO_SERVER, ("client", "server")),
            (ir.Direction.SERVER_TO_CLIENT, ("server", "client")),
        ):
            union, guard, dispatch, handlers, table = CATALOG_API[direction]
            handler_scope = Scope(reserved=CONTROL_HANDLERS if envelope else ())
            frames = []
            for frame in catalog.frames:
                if frame.direction not in (direction, ir.Direction.BOTH):
                    continue
                payload, payload_guard = self._ref(frame.message)
                value = escape.ts_string(frame.discriminator)
                if envelope:
                    frame_type = member = f"wsgen.Envelope<{value}, {payload}>"
                else:
                    frame_type = f"{payload} & {{ {disc_key}: {value} }}"
                    member = f"({frame_type})"
                doc = _doc(f"`{frame.discriminator}` frame.\n{frame.doc}")
                frames.append(
                    TsFrame(
                        type_value=value,
                        payload=payload,
                        frame=frame_type,
                        member=member,
                        guard=payload_guard,
                        handler=handler_scope.claim("on" + to_pascal(frame.handler)),
                        doc=doc,
                    )
                )
            directions.append(
                TsDirection(union, guard, dispatch, handlers, table, sender, receiver, frames)
            )
        return TsCatalog(
            envelope=envelope,
            discriminator=escape.ts_string(catalog.framing.discriminator),
            directions=directions,
        )

    def build(self) -> TsModule:
        module = self.module
        module.enums = [self.enum(e) for e in self.pkg.enums]
        module.interfaces = [self.interface(m) for m in self.pkg.messages]
        module.unions = [self.union(u) for u in self.pkg.unions]
        if self.pkg.catalog is not None:
            module.catalog = self.catalog(self.pkg.catalog)
        module.uses_support = bool(
            module.enums or module.interfaces or module.unions or module.catalog
        )
        module.support_types = sorted(self.support_types)
        by_package: dict[str, list[str]] = {}
        for full_name in sorted(self.aliases, key=lambda n: (self.decls[n].package, n)):
            decl = self.decls[full_name]
            type_alias, guard_alias = self.aliases[full_name]
            by_package.setdefault(decl.package, []).extend(
                [
                    f"type {decl.type_name} as {type_alias}",
                    f"{decl.guard} as {guard_alias}",
                ]
            )
        module.imports = [
            TsImport(_specifier(self.path, self.paths[pkg]), names)
            for pkg, names in by_package.items()
        ]
        return module


# ---------------------------------------------------------------------------- entry


def build_view_typescript(model: ir.Model, options: BuildOptions) -> TsView:
    """The whole TS output as a view: one module per package, the index, the support module."""
    index = model.index()
    paths = module_paths(model)
    scopes: dict[str, Scope] = {}
    decls: dict[str, _Decl] = {}
    for pkg in model.packages:
        scopes[pkg.name], local = _local_names(pkg)
        decls.update(local)
    modules = [
        _ModuleBuilder(pkg, scopes[pkg.name], decls, paths, index, options).build()
        for pkg in model.packages
    ]
    sources = tuple(f.path for f in model.files) or tuple(p.name for p in model.packages)
    ns_scope = Scope(reserved=TS_RESERVED | {SUPPORT_NAMESPACE})
    exports = [
        (
            ns_scope.claim(pkg.name.replace(".", "_") or NO_PACKAGE.replace("-", "_")),
            _specifier(INDEX_MODULE, paths[pkg.name]),
        )
        for pkg in model.packages
    ]
    return TsView(
        modules=modules,
        index=TsIndex(
            path=INDEX_MODULE,
            header=_header(sources, options),
            exports=exports,
            support_specifier=_specifier(INDEX_MODULE, SUPPORT_MODULE),
        ),
        support_header=_header(sources or ("wsgen",), options),
    )
