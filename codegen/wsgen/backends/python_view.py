"""IR → the Python view: every module path, identifier, annotation and import decided here.

The templates only print what this module computed. Naming follows docs/naming.md with the
Python specifics written down in docs/python.md:

- one module per IDL package under the root package (``chat.v1`` →
  ``<root>/chat/v1/__init__.py``; the empty package is ``<root>/_default``);
- nested declarations become top-level classes named by their scope (``Outer_Inner``);
- field names keep their IDL spelling unless Python forbids it (keywords, names the
  generated code defines, names Python would mangle): those get ``_`` appended;
- a class body never sees a field shadow a name its annotations need: such references go
  through ``builtins.`` or a module-level alias.

Every name is claimed through ``naming.Scope`` in source order, so output is deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from wsgen.backends import escape, naming
from wsgen.backends import python_layout as lay
from wsgen.backends import python_values as values
from wsgen.backends.options import BuildOptions
from wsgen.backends.render import generated_header
from wsgen.ir import model as ir

__all__ = [
    "ClassView",
    "EnumView",
    "ModuleView",
    "PythonNames",
    "PythonView",
    "build_view_python",
    "explicit_null_fields",
    "module_segments",
]

# Names the generated module's own code uses unqualified at module level; a class named like
# one of them would shadow it for every annotation of the module.
# pycodestyle's ambiguous names (E741/E742): kept out so generated code lints clean.
_AMBIGUOUS = frozenset({"l", "O", "I"})
_MODULE_RESERVED = (
    frozenset(
        {
            "int",
            "float",
            "bool",
            "str",
            "bytes",
            "list",
            "dict",
            "object",
            "type",
            "annotations",
            "frozenset",
        }
    )
    | _AMBIGUOUS
)
# Attributes every generated message has (runtime base class, dataclass machinery).
_MESSAGE_RESERVED = (
    frozenset({"to_dict", "to_json", "from_dict", "from_json", "MISSING", "_HAS_DEFAULT_FACTORY"})
    | _AMBIGUOUS
)
# Enum attributes that a member must not shadow: Enum's own, and int's / str's public ones
# (fixed here rather than read from dir() so output never depends on the Python version).
_ENUM_RESERVED = (
    frozenset(
        """
    name value mro as_integer_ratio bit_count bit_length conjugate denominator
    from_bytes imag is_integer numerator real to_bytes capitalize casefold center count
    encode endswith expandtabs find format format_map index isalnum isalpha isascii
    isdecimal isdigit isidentifier islower isnumeric isprintable isspace istitle isupper
    join ljust lower lstrip maketrans partition removeprefix removesuffix replace rfind
    rindex rjust rpartition rsplit rstrip split splitlines startswith strip swapcase
    title translate upper zfill
    """.split()  # noqa: SIM905
    )
    | _AMBIGUOUS
)
_CATALOG_NAMES = (
    "ServerHandlers",
    "ServerRouter",
    "ToServer",
    "encode_server_frame",
    "ClientHandlers",
    "ClientRouter",
    "ToClient",
    "encode_client_frame",
)
_DEFAULT_MODULE = "_default"
_STDLIB = ("builtins", "dataclasses", "enum", "typing")
_RUNTIME = ("codec", "framing", "router", "wkt")

_SCALAR_ANN = {
    ir.Scalar.DOUBLE: "float",
    ir.Scalar.FLOAT: "float",
    ir.Scalar.BOOL: "bool",
    ir.Scalar.STRING: "str",
    ir.Scalar.BYTES: "bytes",
}
_SCALAR_CODEC = {
    ir.Scalar.DOUBLE: "DOUBLE",
    ir.Scalar.FLOAT: "FLOAT",
    ir.Scalar.INT32: "INT32",
    ir.Scalar.SINT32: "INT32",
    ir.Scalar.SFIXED32: "INT32",
    ir.Scalar.UINT32: "UINT32",
    ir.Scalar.FIXED32: "UINT32",
    ir.Scalar.INT64: "INT64",
    ir.Scalar.SINT64: "INT64",
    ir.Scalar.SFIXED64: "INT64",
    ir.Scalar.UINT64: "UINT64",
    ir.Scalar.FIXED64: "UINT64",
    ir.Scalar.BOOL: "BOOL",
    ir.Scalar.STRING: "STRING",
    ir.Scalar.BYTES: "BYTES",
    ir.Scalar.INTEGER: "INTEGER",
}
# A schema.json spells each kind one way; its decoders read only that form (the source schema
# rejects the proto3 JSON alternatives such as "7" for an int32).
_SCHEMA_CODEC = {
    ir.Scalar.DOUBLE: "NUMBER",
    ir.Scalar.FLOAT: "FLOAT_NUMBER",
    ir.Scalar.INT32: "INT32_NUMBER",
    ir.Scalar.SINT32: "INT32_NUMBER",
    ir.Scalar.SFIXED32: "INT32_NUMBER",
    ir.Scalar.UINT32: "UINT32_NUMBER",
    ir.Scalar.FIXED32: "UINT32_NUMBER",
    ir.Scalar.INT64: "INT64_STRING",
    ir.Scalar.SINT64: "INT64_STRING",
    ir.Scalar.SFIXED64: "INT64_STRING",
    ir.Scalar.UINT64: "UINT64_STRING",
    ir.Scalar.FIXED64: "UINT64_STRING",
}
_ZERO = {"int": "0", "float": "0.0", "bool": "False", "str": '""', "bytes": 'b""'}
# Well-known types: (annotation parts using helper modules, codec constant).
_WKT: dict[ir.WellKnown, tuple[tuple[str, ...], str]] = {
    ir.WellKnown.TIMESTAMP: (("wkt", "Timestamp"), "TIMESTAMP"),
    ir.WellKnown.DURATION: (("wkt", "Duration"), "DURATION"),
    ir.WellKnown.EMPTY: (("wkt", "Empty"), "EMPTY"),
    ir.WellKnown.FIELD_MASK: (("wkt", "FieldMask"), "FIELD_MASK"),
    ir.WellKnown.ANY: (("wkt", "Any"), "PROTO_ANY"),
}


def module_segments(package: str) -> tuple[str, ...]:
    """The raw path segments of an IDL package's module (before mangling)."""
    return tuple(package.split(".")) if package else (_DEFAULT_MODULE,)


def _member_shape(value: str) -> str:
    """An enum member's identifier before steps 2-3: sanitized, and starting with a letter
    (``_x`` would be a sunder/private name to ``enum``), docs/python.md."""
    candidate = naming.sanitize(value)
    return "V" + candidate if candidate.startswith("_") else candidate


def _no_mangle(name: str, prefix: str) -> str:
    """Python mangles ``__x`` inside class bodies; such names get a letter in front."""
    return prefix + name if name.startswith("__") else name


# ----------------------------------------------------------------------------- view model


@dataclass
class FieldView:
    name: str
    lines: list[str]  # the field declaration, laid out
    doc: list[str]  # attribute docstring lines (may be empty)


@dataclass
class ClassView:
    name: str
    header: list[str]  # `class Name(codec.Message):`, laid out
    doc: list[str]
    fields: list[FieldView]
    properties: list[list[str]] = field(default_factory=list)  # `<field>_or_default` defs


@dataclass
class EnumMemberView:
    lines: list[str]
    doc: list[str]


@dataclass
class EnumView:
    name: str
    header: list[str]  # `class Name(enum.IntEnum):` (or StrEnum, with its helper alias)
    doc: list[str]
    members: list[EnumMemberView]


@dataclass
class HandlerView:
    signature: list[str]
    doc: list[str]


@dataclass
class DirectionView:
    """One side's receive half (handlers, router) and the other side's send function."""

    handlers: str
    handlers_doc: list[str]
    router: str
    router_doc: list[str]
    alias: list[str]  # `ToServer: typing.TypeAlias = ...` lines
    alias_name: str
    routes_name: str
    routes: list[str]  # the Routes table assignment lines
    methods: list[HandlerView]
    encode_name: str | None
    encode: list[str]  # the encode function's lines (empty when nothing travels this way)


@dataclass
class ModuleView:
    path: str
    header: list[str]
    doc: list[str]
    import_groups: list[list[str]]
    exports: list[str]
    enums: list[EnumView]
    classes: list[ClassView]
    tail: list[list[str]]  # blocks after the classes: aliases, binds, union codecs
    functions: list[list[str]]  # top-level defs (union decoders)
    directions: list[DirectionView]
    enum_aliases: list[str]  # aliases of enums that class bodies hide (before the classes)
    # helper spellings the templates use
    dataclass: str
    typing: str
    router: str


@dataclass
class PythonView:
    modules: list[ModuleView]
    root_init: str
    root_header: list[str]
    package_inits: list[tuple[str, list[str]]]  # intermediate packages: path, header


@dataclass(frozen=True)
class PythonNames:
    """The Python name of every IR declaration, for tests and other tools."""

    root: str
    modules: dict[str, str]  # IDL package → dotted module path
    classes: dict[str, tuple[str, str]]  # message/enum/union full name → (module, name)
    fields: dict[tuple[str, str], str]  # (message full name, field name) → attribute
    members: dict[tuple[str, str], str]  # (enum full name, value name) → member name
    extras: dict[str, str]  # message full name → additional-properties attribute
    union_decoders: dict[str, tuple[str, str]]  # union full name → (module, from_dict name)
    # (message full name, field name) → the ``<field>_or_default`` property
    or_default: dict[tuple[str, str], str] = field(default_factory=dict)
    # message full name → the ``explicit_nulls`` attribute (schema.json messages with fields
    # that may be null without being required: ``explicit_null_fields``)
    nulls: dict[str, str] = field(default_factory=dict)


# ----------------------------------------------------------------------------- naming pass


@dataclass
class _ModuleNames:
    package: ir.Package
    dotted: str
    segments: tuple[str, ...]
    scope: naming.Scope
    helper_scope: naming.Scope = field(default_factory=naming.Scope)
    catalog: dict[str, str] = field(default_factory=dict)  # fixed catalog name → claimed
    helpers: dict[str, str] = field(default_factory=dict)  # helper module → local alias
    used_helpers: set[str] = field(default_factory=set)
    imports: dict[str, str] = field(default_factory=dict)  # other module dotted → alias
    ref_aliases: dict[str, str] = field(default_factory=dict)  # class name → alias
    enum_aliases: dict[str, str] = field(default_factory=dict)  # enum name → alias


class _Namer:
    """All names of the render, claimed once, in deterministic order."""

    def __init__(self, model: ir.Model, options: BuildOptions) -> None:
        self.model = model
        self.index = model.index()
        self.root = options.python_package
        for seg in self.root.split("."):
            if not seg.isidentifier() or seg in naming.PY_KEYWORDS:
                raise ValueError(f"python_package {self.root!r} is not a valid package name")
        self.modules: dict[str, _ModuleNames] = {}
        self.classes: dict[str, tuple[str, str]] = {}
        self.fields: dict[tuple[str, str], str] = {}
        self.members: dict[tuple[str, str], str] = {}
        self.extras: dict[str, str] = {}
        self.or_default: dict[tuple[str, str], str] = {}
        self.nulls: dict[str, str] = {}
        self.union_fns: dict[str, tuple[str, str, str]] = {}  # full → (module, dict, json)
        self.union_codecs: dict[str, str] = {}
        self.intermediate: list[tuple[str, ...]] = []
        self._claim_modules()
        for pkg in model.packages:
            self._claim_declarations(self.modules[pkg.name])

    def _claim_modules(self) -> None:
        children: dict[tuple[str, ...], naming.Scope] = {}
        mangled: dict[tuple[str, ...], tuple[str, ...]] = {(): ()}
        child_names: dict[tuple[str, ...], list[str]] = {}
        raw_paths = sorted({module_segments(p.name) for p in self.model.packages})
        # every prefix of every package path is a package too
        all_paths = sorted({path[:i] for path in raw_paths for i in range(1, len(path) + 1)})
        siblings: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for path in all_paths:
            siblings.setdefault(path[:-1], []).append(path)
        for path in all_paths:  # parents before children (sorted prefixes)
            if path in mangled:
                continue
            parent = path[:-1]
            scope = children.setdefault(parent, naming.Scope(naming.PY_KEYWORDS))
            group = siblings[parent]
            claimed = scope.claim_all([p[-1] for p in group])
            for sibling, name in zip(group, claimed, strict=True):
                name = _no_mangle(name, "m")
                mangled[sibling] = (*mangled[parent], name)
                child_names.setdefault(mangled[parent], []).append(name)
        by_path = {module_segments(p.name): p for p in self.model.packages}
        for path in all_paths:
            segs = mangled[path]
            if path not in by_path:
                self.intermediate.append(segs)
                continue
            pkg = by_path[path]
            self.modules[pkg.name] = _ModuleNames(
                package=pkg,
                dotted=".".join((self.root, *segs)),
                segments=segs,
                scope=naming.Scope(
                    naming.PY_KEYWORDS | _MODULE_RESERVED, child_names.get(segs, ())
                ),
            )

    def _claim_declarations(self, mod: _ModuleNames) -> None:
        pkg = mod.package
        # Top-level declarations first, so they keep their names whatever nested ones (which
        # get scoped names such as Outer_Inner) appear; then by nesting depth, source order.
        decls: list[tuple[int, str, tuple[str, ...], str]] = [
            *((len(m.scope), m.full_name, m.scope, m.name) for m in pkg.messages),
            *((len(e.scope), e.full_name, e.scope, e.name) for e in pkg.enums),
            *((0, u.full_name, (), u.name) for u in pkg.unions),
        ]
        ordered = sorted(decls, key=lambda d: d[0])
        # a top-level name that is already valid keeps it, whatever sanitizes onto it; nested
        # ones are scoped (Outer_Inner), never "kept", so they come after
        claimed = mod.scope.claim_all(
            [raw for _, _, _, raw in ordered],
            [naming.identifier("_".join((*outer, raw))) for _, _, outer, raw in ordered],
        )
        for (_, full, _, _), name in zip(ordered, claimed, strict=True):
            self.classes[full] = (mod.dotted, _no_mangle(name, "T"))
        for un in pkg.unions:
            snake = naming.to_snake(un.name)
            self.union_fns[un.full_name] = (
                mod.dotted,
                mod.scope.claim(f"{snake}_from_dict"),
                mod.scope.claim(f"{snake}_from_json"),
            )
            self.union_codecs[un.full_name] = mod.scope.claim(f"{snake}_codec")
        if pkg.catalog is not None:
            for name in _CATALOG_NAMES:
                mod.catalog[name] = mod.scope.claim(name)
        # Helper names (imports, aliases) must not be hidden by any attribute of any class
        # body of the module, so they are claimed against all of them as well.
        attrs: set[str] = set()
        for msg in pkg.messages:
            members = naming.Scope(naming.PY_KEYWORDS | _MESSAGE_RESERVED)
            field_attrs = members.claim_all(
                [f.name for f in msg.fields],
                [naming.identifier(_no_mangle(f.name, "f")) for f in msg.fields],
            )
            for f, attr in zip(msg.fields, field_attrs, strict=True):
                self.fields[(msg.full_name, f.name)] = attr
                attrs.add(attr)
            if msg.additional_properties is not None:
                attr = self.extras[msg.full_name] = members.claim("additional_properties")
                attrs.add(attr)
            if explicit_null_fields(msg):
                attr = self.nulls[msg.full_name] = members.claim("explicit_nulls")
                attrs.add(attr)
            for f in msg.fields:
                if _has_or_default(f):
                    attr = members.claim(_no_mangle(f"{f.name}_or_default", "f"))
                    self.or_default[(msg.full_name, f.name)] = attr
                    attrs.add(attr)
        mod.helper_scope = naming.Scope(
            naming.PY_KEYWORDS | _MODULE_RESERVED, [*attrs, *mod.scope.taken()]
        )
        for en in pkg.enums:
            values = naming.Scope(naming.PY_KEYWORDS | _ENUM_RESERVED)
            claimed = values.claim_all(
                [v.name for v in en.values], [_member_shape(v.name) for v in en.values]
            )
            for v, member in zip(en.values, claimed, strict=True):
                self.members[(en.full_name, v.name)] = member

    def names(self) -> PythonNames:
        return PythonNames(
            root=self.root,
            modules={p: m.dotted for p, m in self.modules.items()},
            classes=dict(self.classes),
            fields=dict(self.fields),
            members=dict(self.members),
            extras=dict(self.extras),
            union_decoders={k: (v[0], v[1]) for k, v in self.union_fns.items()},
            or_default=dict(self.or_default),
            nulls=dict(self.nulls),
        )


# ----------------------------------------------------------------------------- module builder


class _Refs:
    """Resolves names for code at one place of one module: module level, or a class body
    whose own attribute names (``shadow``) hide module-level names."""

    def __init__(self, b: _ModuleBuilder, shadow: Iterable[str] = ()) -> None:
        self.b = b
        self.shadow = frozenset(shadow)

    def helper(self, module: str, attr: str) -> str:
        return f"{self.b.helper(module)}.{attr}"

    def builtin(self, name: str) -> str:
        if name in self.shadow:
            return f"{self.b.helper('builtins')}.{name}"
        return name

    def member(self, enum_full_name: str, value: str) -> str | None:
        """The member of an enum for a value name, or None if the enum has no such value."""
        return self.b.namer.members.get((enum_full_name, value))

    def decl(self, full_name: str) -> str:
        """A message, enum or union by IR full name, as this place must spell it."""
        module, name = self.b.namer.classes[full_name]
        if module != self.b.mod.dotted:
            return f"{self.b.import_alias(module)}.{name}"
        if name in self.shadow:
            return self.b.ref_alias(name, full_name in self.b.index.enums)
        return name


class _ModuleBuilder:
    def __init__(self, namer: _Namer, mod: _ModuleNames, options: BuildOptions) -> None:
        self.namer = namer
        self.mod = mod
        self.options = options
        self.index = namer.index

    # helper imports ---------------------------------------------------------------------
    def helper(self, module: str) -> str:
        alias = self.mod.helpers.get(module)
        if alias is None:
            alias = self.mod.helpers[module] = self.mod.helper_scope.claim(module)
        self.mod.used_helpers.add(module)
        return alias

    def import_alias(self, dotted: str) -> str:
        alias = self.mod.imports.get(dotted)
        if alias is None:
            tail = dotted[len(self.namer.root) + 1 :].replace(".", "_").lstrip("_")
            alias = self.mod.imports[dotted] = self.mod.helper_scope.claim(f"_{tail}")
        return alias

    def ref_alias(self, name: str, is_enum: bool) -> str:
        """A module-level alias for a class some class body hides. Enum aliases are defined
        right after the enums (field defaults use them), others at the end."""
        aliases = self.mod.enum_aliases if is_enum else self.mod.ref_aliases
        alias = aliases.get(name)
        if alias is None:
            alias = aliases[name] = self.mod.helper_scope.claim(f"_{name}_ref")
        return alias

    # types ------------------------------------------------------------------------------
    def enum_is_numbered(self, full_name: str) -> bool:
        en = self.index.enums[full_name]
        return any(v.number is not None for v in en.values)

    def annotation(self, t: ir.FieldType, refs: _Refs) -> list[str]:
        """Union parts of the Python type of ``t`` (no ``None`` for absence)."""
        if isinstance(t, ir.ScalarType):
            return [refs.builtin(_SCALAR_ANN.get(t.kind, "int"))]
        if isinstance(t, ir.EnumRef):
            en = self.index.enums[t.full_name]
            if en.open and self.enum_is_numbered(t.full_name):
                return [refs.decl(t.full_name), refs.builtin("int")]
            return [refs.decl(t.full_name)]
        if isinstance(t, ir.MessageRef | ir.UnionRef):
            return [refs.decl(t.full_name)]
        if isinstance(t, ir.AnyJsonType):
            return [refs.helper("codec", "JsonValue")]
        if isinstance(t, ir.WellKnownType):
            return self._wkt_annotation(t.kind, refs)
        if isinstance(t, ir.JsonUnionType):
            parts: list[str] = []
            for v in t.variants:
                parts.extend(p for p in self.annotation(v, refs) if p not in parts)
            return parts
        if isinstance(t, ir.ListType):
            elem = self.annotation(t.element, refs)
            if t.element_nullable and "None" not in elem:
                elem = [*elem, "None"]
            return [f"{refs.builtin('list')}[{' | '.join(elem)}]"]
        value = self.annotation(t.value, refs)
        if t.value_nullable and "None" not in value:
            value = [*value, "None"]
        key = refs.builtin(_SCALAR_ANN.get(t.key, "int"))
        return [f"{refs.builtin('dict')}[{key}, {' | '.join(value)}]"]

    def _wkt_annotation(self, kind: ir.WellKnown, refs: _Refs) -> list[str]:
        if kind in _WKT:
            module, attr = _WKT[kind][0]
            return [refs.helper(module, attr)]
        if kind.wrapped is not None:
            return [refs.builtin(_SCALAR_ANN.get(kind.wrapped, "int"))]
        json_value = refs.helper("codec", "JsonValue")
        if kind is ir.WellKnown.STRUCT:
            return [f"{refs.builtin('dict')}[{refs.builtin('str')}, {json_value}]"]
        if kind is ir.WellKnown.LIST_VALUE:
            return [f"{refs.builtin('list')}[{json_value}]"]
        if kind is ir.WellKnown.NULL_VALUE:
            return ["None"]
        return [json_value]

    def annotation_doc(self, t: ir.FieldType, refs: _Refs, extra: list[str]) -> lay.Doc:
        """The field annotation as a layout doc: a subscript group or a union string."""
        parts = self.annotation(t, refs)
        parts += [p for p in extra if p not in parts]
        if len(parts) == 1 and "[" in parts[0] and parts[0].endswith("]"):
            head, _, inner = parts[0].partition("[")
            items = lay.split_outside_brackets(inner[:-1], ",")
            return lay.Group(head + "[", tuple(items), "]")
        return " | ".join(parts)

    def constrained(self, codec: lay.Doc, facets: list[str]) -> lay.Doc:
        """``codec`` checking ``facets`` (keyword arguments) on decode, if there are any."""
        if not facets:
            return codec
        return lay.Group(f"{self.helper('codec')}.constrained(", (codec, *facets), ")")

    def field_codec(self, f: ir.Field, origin: str) -> lay.Doc:
        """The codec of a field with its facets: a list's or map's own facets on the
        container, the others on each item or value."""
        own, inner = values.split_facets(f.type, f.constraints)
        return self.constrained(self.codec(f.type, origin, inner), own)

    def codec(self, t: ir.FieldType, origin: str, inner: list[str] | None = None) -> lay.Doc:
        """The runtime codec expression of ``t`` (module-level code: no shadowing);
        ``inner``: facets of a list's items or a map's values.

        schema.json kinds read only their JSON Schema form (``_SCHEMA_CODEC``); proto
        floats also take "NaN" etc."""
        refs = _Refs(self)
        c = self.helper("codec")
        if isinstance(t, ir.ScalarType):
            if origin == "jsonschema" and t.kind in _SCHEMA_CODEC:
                return f"{c}.{_SCHEMA_CODEC[t.kind]}"
            return f"{c}.{_SCALAR_CODEC[t.kind]}"
        if isinstance(t, ir.EnumRef):
            return lay.Group(f"{c}.enum_(", (refs.decl(t.full_name),), ")")
        if isinstance(t, ir.MessageRef):
            return lay.Group(f"{c}.message(", (refs.decl(t.full_name),), ")")
        if isinstance(t, ir.UnionRef):
            module, _ = self.namer.classes[t.full_name]
            name = self.namer.union_codecs[t.full_name]
            if module != self.mod.dotted:
                return f"{self.import_alias(module)}.{name}"
            return name
        if isinstance(t, ir.AnyJsonType):
            return f"{c}.JSON"
        if isinstance(t, ir.WellKnownType):
            kind = t.kind
            if kind in _WKT:
                return f"{c}.{_WKT[kind][1]}"
            if kind.wrapped is not None:
                return f"{c}.{_SCALAR_CODEC[kind.wrapped]}"
            return f"{c}." + {
                ir.WellKnown.STRUCT: "STRUCT",
                ir.WellKnown.LIST_VALUE: "LIST_VALUE",
                ir.WellKnown.NULL_VALUE: "NULL",
            }.get(kind, "JSON")
        if isinstance(t, ir.ListType):
            items: tuple[lay.Doc, ...] = (
                self.constrained(self.codec(t.element, origin), inner or []),
            )
            if t.element_nullable:
                items += ("nullable=True",)
            return lay.Group(f"{c}.list_(", items, ")")
        if isinstance(t, ir.JsonUnionType):
            return lay.Group(f"{c}.one_of(", tuple(self.codec(v, origin) for v in t.variants), ")")
        items = (
            f"{c}.{_SCALAR_CODEC[t.key]}",
            self.constrained(self.codec(t.value, origin), inner or []),
        )
        if t.value_nullable:
            items += ("nullable=True",)
        return lay.Group(f"{c}.map_(", items, ")")

    def zero(self, t: ir.FieldType, refs: _Refs) -> str | None:
        """The implicit-presence default, or None when the type has no zero value."""
        if isinstance(t, ir.ScalarType):
            return _ZERO[_SCALAR_ANN.get(t.kind, "int")]
        if isinstance(t, ir.EnumRef) and self.enum_is_numbered(t.full_name):
            en = self.index.enums[t.full_name]
            if not en.values:
                return None
            first = next((v for v in en.values if v.number == 0), en.values[0])
            return f"{refs.decl(t.full_name)}.{self.namer.members[(en.full_name, first.name)]}"
        return None

    # declarations -----------------------------------------------------------------------
    def build_enum(self, en: ir.Enum) -> tuple[EnumView, list[str]]:
        _, name = self.namer.classes[en.full_name]
        numbered = self.enum_is_numbered(en.full_name)
        e = self.helper("enum")
        members = []
        wire_differs = False
        for v in en.values:
            member = self.namer.members[(en.full_name, v.name)]
            wire_differs |= member != v.name
            value = str(v.number) if numbered else escape.py_string(v.name)
            doc = _join_doc(v.doc, v.deprecated)
            members.append(
                EnumMemberView(
                    lay.assign_lines("    ", member, value), lay.docstring_lines(doc, "    ")
                )
            )
        doc = _join_doc(en.doc, en.deprecated) or f"Enum ``{en.full_name}``."
        view = EnumView(
            name=name,
            header=lay.class_lines(name, f"{e}.IntEnum" if numbered else f"{e}.StrEnum"),
            doc=lay.docstring_lines(doc, "    "),
            members=members,
        )
        c = self.helper("codec")
        args: list[lay.Doc] = [name]
        if en.open and numbered:
            args.append("open=True")
        if numbered and wire_differs:
            wires = tuple(escape.py_string(v.name) for v in en.values)
            args.append(lay.Group("wire_names=[", wires, "]", magic=len(wires) > 1))
        bind = lay.group_lines(lay.Group(f"{c}.bind_enum(", tuple(args), ")"), "")
        return view, bind

    def build_message(self, msg: ir.Message) -> tuple[ClassView, list[str]]:
        _, name = self.namer.classes[msg.full_name]
        attrs = [self.namer.fields[(msg.full_name, f.name)] for f in msg.fields]
        extra_attr = self.namer.extras.get(msg.full_name)
        nulls_attr = self.namer.nulls.get(msg.full_name)
        props = [v for (m, _), v in self.namer.or_default.items() if m == msg.full_name]
        own = [a for a in (extra_attr, nulls_attr) if a is not None]
        refs = _Refs(self, [*attrs, *own, *props])
        fields: list[FieldView] = []
        specs: list[lay.Doc] = []
        c = self.helper("codec")
        for f, attr in zip(msg.fields, attrs, strict=True):
            ann, default, spec_kw = self._presence(f, refs)
            fields.append(
                FieldView(
                    attr,
                    lay.annotated_lines("    ", attr, ann, default),
                    lay.docstring_lines(_join_doc(f.doc, f.deprecated), "    "),
                )
            )
            args: list[lay.Doc] = [
                escape.py_string(attr),
                escape.py_string(f.json_name),
                self.field_codec(f, msg.origin),
                *spec_kw,
            ]
            if msg.origin == "proto" and f.name != f.json_name:
                args.append(f"alias={escape.py_string(f.name)}")
            specs.append(lay.Group(f"{c}.field(", tuple(args), ")"))
        if extra_attr is not None and msg.additional_properties is not None:
            value = self.annotation(msg.additional_properties, refs)
            ann_doc = lay.Group(
                f"{refs.builtin('dict')}[", (refs.builtin("str"), " | ".join(value)), "]"
            )
            default = lay.Group(
                f"{self.helper('dataclasses')}.field(",
                (f"default_factory={refs.builtin('dict')}",),
                ")",
            )
            fields.append(
                FieldView(
                    extra_attr,
                    lay.annotated_lines("    ", extra_attr, ann_doc, default),
                    lay.docstring_lines("Keys not declared as fields, with their values.", "    "),
                )
            )
            specs.append(
                lay.Group(
                    f"{c}.extra(",
                    (
                        escape.py_string(extra_attr),
                        self.codec(msg.additional_properties, msg.origin),
                    ),
                    ")",
                )
            )
        if nulls_attr is not None:
            fields.append(self.nulls_field(msg, nulls_attr, refs))
        properties = [
            self.or_default_lines(msg, f, attr, refs)
            for f, attr in zip(msg.fields, attrs, strict=True)
            if (msg.full_name, f.name) in self.namer.or_default
        ]
        doc = _join_doc(msg.doc, msg.deprecated) or f"Message ``{msg.full_name}``."
        view = ClassView(
            name,
            lay.class_lines(name, f"{c}.Message"),
            lay.docstring_lines(doc, "    "),
            fields,
            properties,
        )
        bind = lay.group_lines(
            lay.Group(
                f"{c}.bind(",
                (
                    name,
                    escape.py_string(msg.full_name),
                    lay.Group("lambda: [", tuple(specs), "]", magic=True),
                    *(["null_is_absent=False"] if msg.origin == "jsonschema" else []),
                    *([f"nulls={escape.py_string(nulls_attr)}"] if nulls_attr else []),
                ),
                ")",
                magic=True,
            ),
            "",
        )
        return view, bind

    def nulls_field(self, msg: ir.Message, attr: str, refs: _Refs) -> FieldView:
        """``explicit_nulls: frozenset[typing.Literal[...]] = frozenset()``: the fields that
        were (or are to be written as) JSON ``null`` rather than left out (docs/python.md)."""
        names = tuple(
            escape.py_string(self.namer.fields[(msg.full_name, f.name)])
            for f in explicit_null_fields(msg)
        )
        frozenset_ = refs.builtin("frozenset")
        literal = lay.Group(f"{self.helper('typing')}.Literal[", names, "]")
        ann = lay.Group(f"{frozenset_}[", (literal,), "]")
        doc = (
            "Optional fields that are ``null`` in the JSON, not absent: the decoder lists "
            "the ones it read as ``null``, and a listed field that is unset is written as "
            "``null``."
        )
        return FieldView(
            attr,
            lay.annotated_lines("    ", attr, ann, f"{frozenset_}()"),
            lay.docstring_lines(doc, "    "),
        )

    def _presence(self, f: ir.Field, refs: _Refs) -> tuple[lay.Doc, lay.Doc | None, list[str]]:
        """(annotation, default expression or None, extra field-spec arguments)."""
        c = self.helper("codec")
        t = f.type
        const = f.constraints.const
        is_collection = isinstance(t, ir.ListType | ir.MapType)
        nullable = ["nullable=True"] if f.nullable else []
        if const is not None:
            literal = _literal(const)
            if isinstance(const, float):
                ann: lay.Doc = self.annotation_doc(t, refs, [])
            else:
                ann = lay.Group(f"{self.helper('typing')}.Literal[", (literal,), "]")
            mode = "REQUIRED" if f.presence is ir.Presence.REQUIRED else "OPTIONAL"
            return ann, literal, [f"mode={c}.{mode}", f"const={literal}"]
        if f.oneof is not None:
            return (
                self.annotation_doc(t, refs, ["None"]),
                "None",
                [f"mode={c}.OPTIONAL", f"oneof={escape.py_string(f.oneof)}", *nullable],
            )
        if f.presence is ir.Presence.REQUIRED:
            kw = [f"mode={c}.REQUIRED"]
            if f.nullable:
                kw.append("nullable=True")
            return self.annotation_doc(t, refs, ["None"] if f.nullable else []), None, kw
        if is_collection:
            factory = refs.builtin("list" if isinstance(t, ir.ListType) else "dict")
            default = lay.Group(
                f"{self.helper('dataclasses')}.field(", (f"default_factory={factory}",), ")"
            )
            return self.annotation_doc(t, refs, []), default, nullable
        if f.presence is ir.Presence.IMPLICIT and not f.nullable:
            zero = self.zero(t, refs)
            declared = self.declared_default(f, refs) if f.has_default else None
            if declared is not None and lay.flat(declared) != zero:
                # the declared default takes the zero value's place: the dataclass default,
                # what an absent key reads as, and the value that is not written
                spec = lay.flat(self.declared_default(f, _Refs(self)) or "")
                return self.annotation_doc(t, refs, []), declared, [f"zero={spec}"]
            if zero is not None:
                return self.annotation_doc(t, refs, []), zero, []
        return self.annotation_doc(t, refs, ["None"]), "None", [f"mode={c}.OPTIONAL", *nullable]

    def declared_default(self, f: ir.Field, refs: _Refs) -> lay.Doc:
        """The Python expression of the field's IR default; the frontends only let defaults
        of the field's type through (protoc, the schema.json ``default`` check)."""
        expr = values.default_expr(f.type, f.default, refs)
        if expr is None:
            raise ValueError(f"default {f.default!r} of field {f.name!r} is not of its type")
        return expr

    def or_default_lines(self, msg: ir.Message, f: ir.Field, attr: str, refs: _Refs) -> list[str]:
        """``<field>_or_default``: the field, or its declared default when it is unset. The
        method body and its annotation are read at module level, where no field shadows."""
        name = self.namer.or_default[(msg.full_name, f.name)]
        here = _Refs(self)
        ann = " | ".join(self.annotation(f.type, here))
        expr = self.declared_default(f, here)
        doc = f"``{attr}``, or its declared default when it is unset (``None``)."
        signature = lay.Group(f"def {name}(", ("self",), f") -> {ann}:")
        return [
            "    @property",
            *lay.group_lines(signature, "    "),
            *lay.docstring_lines(doc, "        "),
            f"        if self.{attr} is None:",
            *lay.return_lines("            ", expr),
            f"        return self.{attr}",
        ]

    def build_union(self, un: ir.Union) -> tuple[list[str], list[str], list[list[str]]]:
        """(alias lines, codec lines, [from_dict def, from_json def])."""
        _, name = self.namer.classes[un.full_name]
        refs = _Refs(self)
        variants = [refs.decl(v.message) for v in un.variants]
        t = self.helper("typing")
        alias = lay.union_assign_lines(f"{name}: {t}.TypeAlias", variants or [f"{t}.Never"])
        codec_name = self.namer.union_codecs[un.full_name]
        c = self.helper("codec")
        table = lay.Group(
            "lambda: {",
            tuple(
                f"{escape.py_string(v.value)}: {cls}"
                for v, cls in zip(un.variants, variants, strict=True)
            ),
            "}",
            magic=True,
        )
        codec_lines = lay.group_lines(
            lay.Group(
                f"{c}.UnionCodec(",
                (escape.py_string(un.full_name), escape.py_string(un.discriminator), table),
                ")",
                magic=True,
            ),
            f"{codec_name}: {c}.UnionCodec[{name}] = ",
        )
        _, from_dict, from_json = self.namer.union_fns[un.full_name]
        doc = lay.docstring_lines(
            f'Decode a {un.name}, choosing the class by "{un.discriminator}".', "    "
        )
        defs = []
        for fn, param in ((from_dict, "data: object"), (from_json, "text: str | bytes")):
            sig = lay.group_lines(
                lay.Group(
                    f"def {fn}(",
                    (param, "*", "strict: bool = False", "max_depth: int = 100"),
                    f") -> {name}:",
                ),
                "",
            )
            arg = param.partition(":")[0]
            method = "from_dict" if fn == from_dict else "from_json"
            body = f"    return {codec_name}.{method}({arg}, strict=strict, max_depth=max_depth)"
            defs.append([*sig, *doc, body])
        return alias, codec_lines, defs

    def build_catalog(self, cat: ir.Catalog) -> list[DirectionView]:
        envelope = cat.framing.kind is ir.FramingKind.ENVELOPE
        fr = self.helper("framing")
        rt = self.helper("router")
        t = self.helper("typing")
        if envelope:
            framing_expr = f"{fr}.ENVELOPE"
        else:
            framing_expr = f"{fr}.Flat({escape.py_string(cat.framing.discriminator)})"
        out: list[DirectionView] = []
        sides: tuple[tuple[str, str, str, str, Callable[[ir.Direction], bool]], ...] = (
            ("Server", "server", "client", "ToServer", lambda d: d.inbound_for_server()),
            ("Client", "client", "server", "ToClient", lambda d: d.inbound_for_client()),
        )
        for side, receiver, sender, alias_raw, inbound in sides:
            frames = [fr_ for fr_ in cat.frames if inbound(fr_.direction)]
            handlers = self.mod.catalog[f"{side}Handlers"]
            router_name = self.mod.catalog[f"{side}Router"]
            alias_name = self.mod.catalog[alias_raw]
            routes_name = self.mod.helper_scope.claim(f"_{naming.to_snake(alias_raw).upper()}")
            method_scope = naming.Scope(naming.PY_KEYWORDS)
            methods = method_scope.claim_all([f"on_{f.handler}" for f in frames])
            refs = _Refs(self, methods)
            mod_refs = _Refs(self)
            classes = [mod_refs.decl(f.message) for f in frames]
            alias = lay.union_assign_lines(
                f"{alias_name}: {t}.TypeAlias", classes or [f"{t}.Never"]
            )
            route_items = tuple(
                lay.Group(
                    f"{rt}.Route(",
                    (escape.py_string(f.discriminator), escape.py_string(m), cls),
                    ")",
                )
                for f, m, cls in zip(frames, methods, classes, strict=True)
            )
            routes = lay.group_lines(
                lay.Group(
                    f"{rt}.Routes(",
                    (
                        framing_expr,
                        lay.Group("lambda: [", route_items, "]", magic=bool(route_items)),
                    ),
                    ")",
                    magic=True,
                ),
                f"{routes_name} = ",
            )
            views = []
            for f, m in zip(frames, methods, strict=True):
                sig = lay.group_lines(
                    lay.Group(
                        f"async def {m}(",
                        ("self", f"message: {refs.decl(f.message)}", f"frame: {fr}.FrameInfo"),
                        ") -> None:",
                    ),
                    "    ",
                )
                doc = f.doc or f"Handle a ``{f.discriminator}`` frame."
                views.append(HandlerView(sig, lay.docstring_lines(doc, "        ") or []))
            encode: list[str] = []
            encode_name: str | None = None
            if frames:
                fn = encode_name = self.mod.catalog[f"encode_{sender}_frame"]
                if envelope:
                    params: tuple[str, ...] = (
                        f"message: {alias_name}",
                        "*",
                        f"seq: {fr}.SeqCounter",
                        "frame_id: str | None = None",
                        "ts: str | None = None",
                    )
                    call = f"{routes_name}.encode(message, seq=seq, frame_id=frame_id, ts=ts)"
                    doc = (
                        f"Envelope text of a frame the {sender} sends; ``seq`` is the "
                        "connection's counter, ``frame_id``/``ts`` are kept on replay."
                    )
                else:
                    params = (f"message: {alias_name}",)
                    call = f"{routes_name}.encode(message)"
                    doc = f"Flat frame text of a frame the {sender} sends."
                sig = lay.group_lines(
                    lay.Group(f"def {fn}(", params, ") -> str:", magic=envelope), ""
                )
                encode = [*sig, *lay.docstring_lines(doc, "    "), f"    return {call}"]
            out.append(
                DirectionView(
                    handlers=handlers,
                    handlers_doc=lay.docstring_lines(
                        f"Handlers for the frames a {receiver} receives.", "    "
                    ),
                    router=router_name,
                    router_doc=lay.docstring_lines(
                        f"Decodes the frames a {receiver} receives and awaits the matching "
                        f"``{handlers}`` method.",
                        "    ",
                    ),
                    alias=alias,
                    alias_name=alias_name,
                    routes_name=routes_name,
                    routes=routes,
                    methods=views,
                    encode_name=encode_name,
                    encode=encode,
                )
            )
        return out

    # module -------------------------------------------------------------------------------
    def build(self) -> ModuleView:
        pkg = self.mod.package
        enums: list[EnumView] = []
        enum_binds: list[list[str]] = []
        for en in pkg.enums:
            enum_view, bind = self.build_enum(en)
            enums.append(enum_view)
            enum_binds.append(bind)
        classes: list[ClassView] = []
        binds: list[list[str]] = []
        for msg in pkg.messages:
            class_view, bind = self.build_message(msg)
            classes.append(class_view)
            binds.append(bind)
        aliases, codecs, functions = [], [], []
        for un in pkg.unions:
            alias, codec_lines, defs = self.build_union(un)
            aliases.append(alias)
            codecs.append(codec_lines)
            functions.extend(defs)
        directions = self.build_catalog(pkg.catalog) if pkg.catalog is not None else []
        dataclass = f"{self.helper('dataclasses')}.dataclass" if classes else ""
        typing_name = self.helper("typing") if directions else ""
        router_name = self.helper("router") if directions else ""
        tail: list[list[str]] = []
        tail.extend(aliases)
        refs_block = [
            line
            for name, alias in sorted(self.mod.ref_aliases.items())
            for line in lay.assign_lines("", alias, name)
        ]
        if refs_block:
            tail.append(refs_block)
        tail.extend(enum_binds)
        tail.extend(binds)
        tail.extend(codecs)
        exports = sorted(
            {
                *(e.name for e in enums),
                *(c.name for c in classes),
                *(self.namer.classes[u.full_name][1] for u in pkg.unions),
                *(n for u in pkg.unions for n in self.namer.union_fns[u.full_name][1:]),
                *(self.namer.union_codecs[u.full_name] for u in pkg.unions),
                *(n for d in directions for n in (d.handlers, d.router, d.alias_name)),
                *(d.encode_name for d in directions if d.encode_name),
            }
        )
        sources = pkg.files or (pkg.name,)
        header = lay.comment_lines(_header(sources, self.options))
        doc = pkg.doc or f"Types and codecs of IDL package ``{pkg.name or '(default)'}``."
        return ModuleView(
            path="/".join(("python", *self.mod.dotted.split("."), "__init__.py")),
            header=header,
            doc=lay.docstring_lines(doc, ""),
            import_groups=self._imports(),
            exports=exports,
            enums=enums,
            classes=classes,
            tail=tail,
            functions=functions,
            directions=directions,
            enum_aliases=[
                line
                for n, a in sorted(self.mod.enum_aliases.items())
                for line in lay.assign_lines("", a, n)
            ],
            dataclass=dataclass,
            typing=typing_name,
            router=router_name,
        )

    def _imports(self) -> list[list[str]]:
        used = self.mod.used_helpers
        std = []
        for module in _STDLIB:
            if module in used:
                alias = self.mod.helpers[module]
                std.append(f"import {module}" + ("" if alias == module else f" as {alias}"))
        plain = [m for m in _RUNTIME if m in used and self.mod.helpers[m] == m]
        runtime = []
        if plain:
            runtime.append(f"from wsgen_runtime import {', '.join(plain)}")
        runtime.extend(
            f"from wsgen_runtime import {m} as {self.mod.helpers[m]}"
            for m in _RUNTIME
            if m in used and self.mod.helpers[m] != m
        )
        runtime.sort(key=_isort_key)
        local = []
        dots = "." * (len(self.mod.segments) + 1)
        for dotted, alias in sorted(self.mod.imports.items()):
            segs = dotted[len(self.namer.root) + 1 :].split(".")
            parent = ".".join(segs[:-1])
            name = segs[-1] if alias == segs[-1] else f"{segs[-1]} as {alias}"
            line = f"from {dots}{parent} import {name}"
            if len(line) > lay.LINE_LENGTH:
                line = f"from {dots}{parent} import (\n    {name},\n)"
            local.append(line)
        local.sort(key=_isort_key)
        return [g for g in (std, runtime, local) if g]


def _isort_key(line: str) -> tuple[str, str]:
    module, _, names = line.removeprefix("from ").partition(" import ")
    return module.lower(), names.lower()


def _header(sources: Iterable[str], options: BuildOptions) -> str:
    return generated_header(tuple(sources), elide_version=options.elide_version)


def _literal(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str):
        return values.py_str(value)
    return values.py_number(value)


def explicit_null_fields(msg: ir.Message) -> list[ir.Field]:
    """The fields of a schema.json message whose explicit ``null`` must survive decode then
    encode: they may be ``null`` (nullable, or any JSON) and may be absent (not required), so
    ``None`` alone cannot tell the two apart. proto messages read ``null`` as absent (proto3
    JSON), so they have none."""
    if msg.origin != "jsonschema":
        return []
    return [
        f
        for f in msg.fields
        if f.presence is not ir.Presence.REQUIRED
        and f.constraints.const is None
        and (f.nullable or _null_is_a_value(f.type))
    ]


def _null_is_a_value(t: ir.FieldType) -> bool:
    return isinstance(t, ir.AnyJsonType) or (
        isinstance(t, ir.WellKnownType) and t.kind in (ir.WellKnown.VALUE, ir.WellKnown.NULL_VALUE)
    )


def _has_or_default(f: ir.Field) -> bool:
    """A field that is None when unset and declares a default gets ``<field>_or_default``
    (docs/python.md, "Defaults"): presence stays observable, the default is one call away."""
    return (
        f.has_default
        and f.default is not None
        and f.presence is ir.Presence.EXPLICIT
        and f.constraints.const is None
        and not isinstance(f.type, ir.ListType | ir.MapType)
    )


def _join_doc(doc: str, deprecated: bool) -> str:
    if deprecated:
        return f"{doc}\n\nDeprecated." if doc else "Deprecated."
    return doc


def build_view_python(model: ir.Model, options: BuildOptions) -> tuple[PythonView, PythonNames]:
    """The whole Python view of ``model`` and the name table it used."""
    namer = _Namer(model, options)
    modules = [
        _ModuleBuilder(namer, namer.modules[pkg.name], options).build() for pkg in model.packages
    ]
    root_files = tuple(f.path for f in model.files) or tuple(
        p for pkg in model.packages for p in pkg.files
    )
    root_header = lay.comment_lines(_header(root_files or ("(no files)",), options))
    inits = [
        (
            "/".join(("python", *namer.root.split("."), *segs, "__init__.py")),
            root_header,
        )
        for segs in namer.intermediate
    ]
    root = "/".join(("python", *namer.root.split("."), "__init__.py"))
    return PythonView(modules, root, root_header, inits), namer.names()
