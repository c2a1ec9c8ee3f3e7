"""Pass 2: lower every declaration found by pass 1 into IR nodes.

Invariants: a schema wsgen cannot represent exactly is a diagnostic at its location, never a
looser type; ``$ref`` chains are followed with cycle detection and recursion only ever passes
through named declarations (a recursive alias is an error); every message records
``origin="jsonschema"``. Field names follow docs/schema-json.md: ``json_name`` is the property
key as written, ``name`` its snake_case form when that converts back to the key exactly.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from wsgen.diagnostics import Diagnostic
from wsgen.frontends.jsonschema import marks
from wsgen.frontends.jsonschema.declare import Decl, Declarations
from wsgen.frontends.jsonschema.nodes import (
    ANNOTATIONS,
    CONSTRAINT_KEYWORDS,
    UNSUPPORTED,
    At,
    Located,
    doc_of,
    is_foreign_extension,
    is_null,
    is_wrapper,
    json_types,
    step,
    value_type,
)
from wsgen.frontends.jsonschema.resolve import Location, SchemaTree
from wsgen.frontends.jsonschema.scalars import (
    CANONICAL_PATTERNS,
    Problem,
    json_kind,
    kind_of_name,
    lower_scalar,
    named_kind,
)
from wsgen.frontends.jsonschema.unions import lower_union, union_keyword
from wsgen.ir import model as ir
from wsgen.ir.names import field_names

__all__ = ["Lowered", "field_names", "lower_declarations"]  # field_names: moved, kept importable

_STRUCTURAL = frozenset(
    {
        "type",
        "enum",
        "const",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "oneOf",
        "anyOf",
        "allOf",
        "$ref",
        "propertyNames",
        "contentEncoding",
        "x-wsgen-type",
        *CONSTRAINT_KEYWORDS,
    }
)
_NO_CONSTRAINTS = ir.Constraints()


@dataclass(frozen=True, slots=True)
class _Typed:
    type: ir.FieldType
    nullable: bool = False
    constraints: ir.Constraints = _NO_CONSTRAINTS


@dataclass
class Lowered:
    """Per declaration, in declaration order: the IR node (None where it had errors)."""

    messages: list[tuple[Decl, ir.Message]]
    enums: list[tuple[Decl, ir.Enum]]
    unions: list[tuple[Decl, ir.Union]]


def lower_declarations(tree: SchemaTree, decls: Declarations, diags: list[Diagnostic]) -> Lowered:
    lowerer = _Lowerer(tree, decls, diags)
    out = Lowered([], [], [])
    for decl in decls.order:
        if decl.kind == "message":
            msg = lowerer.message(decl)
            if msg is not None:
                out.messages.append((decl, msg))
        elif decl.kind == "enum":
            en = lowerer.guard(decl.at, lambda d=decl: lowerer.enum(d))
            if en is not None:
                out.enums.append((decl, en))
        else:
            un = lowerer.guard(decl.at, lambda d=decl: lower_union(tree, decls, d))
            if un is not None:
                out.unions.append((decl, un))
    return out


class _Lowerer:
    def __init__(self, tree: SchemaTree, decls: Declarations, diags: list[Diagnostic]) -> None:
        self.tree = tree
        self.decls = decls
        self.diags = diags
        self.inlining: list[Location] = []
        # every property schema of every message: where field keywords (x-wsgen-name, …) belong
        self.properties: set[Location] = {
            d.at.child("properties", key).loc
            for d in decls.order
            if d.kind == "message"
            for key in d.at.node.get("properties", {})
        }

    # ------------------------------------------------------------------ error plumbing

    def report(self, at: At, problem: Problem, code: str = "WSG406") -> None:
        tokens = (problem.keyword,) if problem.keyword and isinstance(at.node, dict) else ()
        if tokens and problem.keyword not in at.node:
            tokens = ()
        self.diags.append(Diagnostic(at.span(*tokens), code, problem.message, hint=problem.hint))

    def guard(self, at: At, fn: Any) -> Any:
        try:
            return fn()
        except Located as exc:
            self.report(exc.at, exc.problem, exc.code)
        except Problem as problem:
            self.report(at, problem, problem.code or "WSG406")
        return None

    # ------------------------------------------------------------------ declarations

    def message(self, decl: Decl) -> ir.Message | None:
        at = decl.at
        node = at.node
        ok = self.guard(at, lambda: self.check_keywords(at, place="message"))
        if ok is None:
            return None
        props: dict[str, Any] = node.get("properties", {})
        required = node.get("required", [])
        own: marks.MessageMarks | None = self.guard(
            at, lambda: marks.message_marks(at, list(props), required)
        )
        if own is None:
            return None
        for i, key in enumerate(required):
            if key not in props:
                self.report(
                    at.child("required", i),
                    Problem(
                        "",
                        f'required property "{key}" is not declared in "properties"',
                        hint="declare it under properties (with {} for any value)",
                    ),
                )
        fields: list[ir.Field] = []
        for key in props:
            prop = at.child("properties", key)
            f = self.guard(
                prop,
                lambda p=prop, k=key: self.field(
                    p, k, own.names[k], k in required, own.member_of.get(k)
                ),
            )
            if f is not None:
                fields.append(f)
        errors = len(self.diags)
        additional = self.guard(at, lambda: self.additional(at))
        if len(fields) != len(props) or len(self.diags) != errors:
            return None
        return ir.Message(
            full_name=decl.full_name,
            name=decl.name,
            package=decl.package,
            scope=decl.scope,
            fields=tuple(fields),
            oneofs=own.oneofs,
            doc=doc_of(node),
            deprecated=node.get("deprecated") is True,
            additional_properties=additional,
            reserved_names=own.reserved_names,
            origin="jsonschema",
            span=at.span(),
        )

    def additional(self, at: At) -> ir.FieldType | None:
        ap = at.node.get("additionalProperties", True)
        if isinstance(ap, bool):
            return None
        t = self.type(at.child("additionalProperties"))
        if t.nullable or not t.constraints.empty:
            raise Located(
                at.child("additionalProperties"),
                Problem(
                    "",
                    "additionalProperties beside properties must be a plain type (no null, "
                    "no constraints)",
                    hint="wsgen keeps extra keys as one type; move constraints into a named "
                    "definition's properties",
                ),
            )
        if isinstance(t.type, ir.AnyJsonType):
            return None
        return t.type

    def enum(self, decl: Decl) -> ir.Enum:
        at = decl.at
        node = at.node
        self.check_keywords(at, place="enum")
        extra = sorted(k for k in node if k in CONSTRAINT_KEYWORDS)
        if extra:
            raise Problem(extra[0], f'"{extra[0]}" beside "enum" is not supported')
        shape = marks.enum_shape(at)
        if json_types(shape.values_at.node) not in (
            ["string"],
            ["string", "null"],
            ["null", "string"],
        ):
            raise Located(
                shape.values_at,
                Problem("type", 'an "enum" with string values must have "type": "string"'),
            )
        names: list[str] = []
        for i, v in enumerate(shape.values_at.node["enum"]):
            if v is None:
                continue
            if v in names:
                where = shape.values_at.child("enum", i)
                raise Located(where, Problem("", f'duplicate enum value "{v}"'))
            names.append(v)
        values = marks.enum_values(at, shape, names)
        return ir.Enum(
            full_name=decl.full_name,
            name=decl.name,
            package=decl.package,
            scope=decl.scope,
            values=values,
            doc=doc_of(node),
            deprecated=node.get("deprecated") is True,
            open=shape.open,
            # protoc allows allow_alias only when some values share a number (and requires it
            # then), so numbers that repeat say allow_alias exactly
            allow_alias=any(v.alias_of is not None for v in values),
            reserved_names=marks.reserved_names(at),
            span=at.span(),
        )

    # ------------------------------------------------------------------ fields and types

    def field(
        self, at: At, key: str, name: str, required: bool, oneof: str | None = None
    ) -> ir.Field:
        doc, deprecated, default = self.annotations(at)
        t = self.type(at)
        implicit = marks.field_mark(at).implicit
        if implicit:
            marks.check_implicit(at, t.type, t.nullable, required, oneof is not None)
            presence = ir.Presence.IMPLICIT
        elif required:
            presence = ir.Presence.REQUIRED
        elif isinstance(t.type, ir.ListType | ir.MapType) and not t.nullable:
            presence = ir.Presence.IMPLICIT
        else:
            presence = ir.Presence.EXPLICIT
        has_default = default is not _MISSING
        value = self.default(at, t, default) if has_default else None
        if isinstance(t.type, ir.ListType | ir.MapType) and has_default:
            has_default = False  # [] / {}: the same as absent
        return ir.Field(
            name=name,
            json_name=key,
            type=t.type,
            presence=presence,
            nullable=t.nullable,
            default=value,
            has_default=has_default,
            oneof=oneof,
            deprecated=deprecated,
            doc=doc,
            constraints=t.constraints,
            span=at.span(),
        )

    def annotations(self, at: At) -> tuple[str, bool, Any]:
        """description, deprecated, default of a property: read from the property's own
        schema only (beside a ``$ref`` too), never from what it refers to, so a field's doc
        is what was written on the field. When the property's schema is itself a declaration
        (an inline object, enum or union), its description documents that declaration (as a
        proto comment on a nested message does), not the field."""
        node = at.node if isinstance(at.node, dict) else {}
        doc = "" if at.loc in self.decls.by_loc else doc_of(node)
        return doc, node.get("deprecated") is True, node.get("default", _MISSING)

    def default(self, at: At, t: _Typed, value: Any) -> ir.JsonLiteral:
        where = at.child("default") if "default" in at.node else at
        if value is None:
            if not t.nullable:
                raise Located(where, Problem("", "default null for a field that is not nullable"))
            return None
        ft = t.type
        if isinstance(ft, ir.ListType | ir.MapType):
            if value in ([], {}):
                return None
            raise Located(
                where, Problem("", "only an empty default is supported for a list or map")
            )
        if isinstance(value, dict | list):
            raise Located(where, Problem("", "object and array defaults are not supported"))
        if isinstance(ft, ir.ScalarType) and ft.kind.is_64bit and isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                raise Located(where, Problem("", f'default "{value}" is not an integer')) from None
        if isinstance(ft, ir.EnumRef):
            en = self.decls_by_name(ft.full_name)
            if en is not None and value not in (marks.enum_values_of(en.at.node) or []):
                raise Located(where, Problem("", f'default "{value}" is not a value of the enum'))
        literal: ir.JsonLiteral = value
        return literal

    def decls_by_name(self, full_name: str) -> Decl | None:
        for d in self.decls.order:
            if d.full_name == full_name:
                return d
        return None

    def type(self, at: At, lift_ok: bool = True) -> _Typed:
        """The IR type of the schema at ``at`` (a property, an item, a map value, a branch).
        ``lift_ok``: the facets of a sole array's items may join its own (not in a union
        branch, where they would read as the branch's facets)."""
        node = at.node
        if node is True:
            return _Typed(ir.AnyJsonType())
        if node is False:
            raise Located(at, Problem("", "a false schema (no value is valid) has no type"))
        if is_wrapper(node):
            stray = sorted(k for k in node if k in marks.FIELD_KEYWORDS)
            if stray and at.loc not in self.properties:
                raise _misplaced(at, stray[0])
            target = step(self.tree, at)
            if target.loc in self.inlining:
                raise Located(
                    at,
                    Problem(
                        "$ref",
                        "recursive type alias: this $ref leads back to itself without passing "
                        "through an object with properties",
                        hint="recursion must go through a message (an object with properties)",
                    ),
                )
            self.inlining.append(target.loc)
            try:
                return self.type(target, lift_ok)
            finally:
                self.inlining.pop()
        decl = self.decls.by_loc.get(at.loc)
        if decl is not None:  # its keywords are checked where the declaration is lowered
            return self.declared(at, decl)
        self.check_keywords(at)
        named = node.get("x-wsgen-type")
        if isinstance(named, str) and named_kind(named) is None and _QUALIFIED.match(named):
            return self.foreign(at, named)
        if isinstance(named, str) and "anyOf" in node:
            return self.float_with_non_finite(at, named)
        if isinstance(named, str):
            kind = self.guarded_kind(at, named)
            if isinstance(kind, ir.WellKnown) and json_kind(kind) not in _SCALAR_JSON:
                return self.well_known_object(at, kind)
        if isinstance(node.get("enum"), list):
            return self.single_enum(at)
        if "const" in node:
            return self.constant(at, node["const"])
        if "oneOf" in node or "anyOf" in node:
            return self.json_union(at)
        types = json_types(node)
        if types is None:
            used = sorted(k for k in node if k in CONSTRAINT_KEYWORDS)
            if used:
                raise Located(
                    at,
                    Problem(
                        used[0],
                        f'"{used[0]}" without "type": the schema accepts any JSON value',
                        hint='say which JSON type it applies to, e.g. "type": "string"',
                    ),
                )
            return _Typed(ir.AnyJsonType())
        nullable = "null" in types
        kinds = [t for t in types if t != "null"]
        if not kinds:
            raise Located(at, Problem("type", "a value that can only be null has no type"))
        consumed: set[str] = set()
        # facets of a sole array's items or map's values join the field's (value facets of a
        # list or map field apply to each item or value: docs/ir.md)
        inner: list[ir.Constraints] = []
        lift = inner if len(kinds) == 1 and lift_ok else None
        parts = [self.single(at, t, consumed, lift) for t in kinds]
        constraints = self.constraints(at, kinds, consumed)
        if inner:
            constraints = _join_inner(constraints, inner[0])
        if len(parts) == 1:
            only = parts[0]
            if isinstance(only, ir.WellKnownType) and only.kind.wrapped is not None:
                nullable = False  # a wrapper's JSON form already includes null
            return _Typed(only, nullable, constraints)
        return _Typed(self.join(at, parts), nullable, constraints)

    def guarded_kind(self, at: At, named: str) -> ir.Scalar | ir.WellKnown:
        try:
            return kind_of_name(named)
        except Problem as p:
            raise Located(at, p) from None

    def declared(self, at: At, decl: Decl) -> _Typed:
        node = at.node
        full = decl.full_name
        if decl.kind == "enum":
            values = marks.enum_values_of(node) or []
            nullable = None in values or "null" in (json_types(node) or [])
            return _Typed(ir.EnumRef(full), nullable)
        if decl.kind == "union":
            kw = "oneOf" if "oneOf" in node else "anyOf"
            nullable = "null" in (json_types(node) or []) or any(
                is_null(self.tree, at.child(kw, i)) for i in range(len(node[kw]))
            )
            return _Typed(ir.UnionRef(full), nullable)
        types = json_types(node) or ["object"]
        nullable = "null" in types
        others = [t for t in types if t not in ("null", "object")]
        if not others:
            return _Typed(ir.MessageRef(full), nullable)
        consumed: set[str] = set()
        parts: list[ir.FieldType] = [ir.MessageRef(full)]
        parts += [self.single(at, t, consumed) for t in others]
        return _Typed(self.join(at, parts), nullable, self.constraints(at, others, consumed))

    def float_with_non_finite(self, at: At, named: str) -> _Typed:
        """The JSON Schema backend's spelling of a proto float/double: a number, or one of the
        strings proto3 JSON writes for non-finite values."""
        kind = self.guarded_kind(at, named)
        branches = [b for b in at.node["anyOf"] if b != {"type": "null"}]
        number = branches[0] if branches and isinstance(branches[0], dict) else {}
        # the backend writes a field's numeric facets on the number branch
        facets = set(number) - {"type"}
        if (
            len(branches) == 2
            and number.get("type") == "number"
            and facets <= _NUMBER_FACETS
            and branches[1] == {"enum": list(_NON_FINITE)}
        ):
            nullable = len(branches) != len(at.node["anyOf"])
            if kind in (ir.Scalar.DOUBLE, ir.Scalar.FLOAT):
                where = at.child("anyOf", at.node["anyOf"].index(number))
                return _Typed(
                    ir.ScalarType(kind), nullable, self.constraints(where, ["number"], set())
                )
            if kind in (ir.WellKnown.DOUBLE_VALUE, ir.WellKnown.FLOAT_VALUE):
                return _Typed(ir.WellKnownType(kind))  # a wrapper's null is part of its type
        raise Located(
            at,
            Problem(
                "x-wsgen-type",
                f'"x-wsgen-type": "{named}" beside "anyOf" is only the float form '
                '{"anyOf": [{"type": "number"}, {"enum": ["NaN", "Infinity", "-Infinity"]}]}',
            ),
        )

    def foreign(self, at: At, full_name: str) -> _Typed:
        """A type declared elsewhere in the IDL tree (a .proto message or enum), named by its
        full name; ``type`` says which: object → message, string → enum. Whether it exists
        is checked once every frontend has run (``wsgen.ir.validate``)."""
        types = json_types(at.node) or []
        kinds = [t for t in types if t != "null"]
        extra = sorted(
            k
            for k in at.node
            if k not in ANNOTATIONS
            and k not in ("type", "x-wsgen-type")
            and not is_foreign_extension(k)
        )
        if extra:
            raise Located(
                at, Problem(extra[0], f'"{extra[0]}" beside a reference to "{full_name}"')
            )
        if kinds == ["object"]:
            return _Typed(ir.MessageRef(full_name), "null" in types)
        if kinds == ["string"]:
            return _Typed(ir.EnumRef(full_name), "null" in types)
        raise Located(
            at,
            Problem(
                "x-wsgen-type",
                f'"x-wsgen-type": "{full_name}" needs "type": "object" (a message) or '
                '"string" (an enum)',
            ),
        )

    def well_known_object(self, at: At, kind: ir.WellKnown) -> _Typed:
        types = json_types(at.node) or []
        want = json_kind(kind)
        if want not in (None, "null") and [t for t in types if t != "null"] != [want]:
            raise Located(
                at,
                Problem(
                    "x-wsgen-type",
                    f'"x-wsgen-type": "{kind.value}" travels as a JSON {want}',
                    hint=f'write "type": "{want}"',
                ),
            )
        extra = sorted(
            k for k in at.node if k not in ANNOTATIONS and k not in ("type", "x-wsgen-type")
        )
        # the shape the JSON Schema backend writes for Struct, Empty, ListValue and Any
        allowed = {"additionalProperties", "properties", "required", "items"}
        if any(k not in allowed for k in extra):
            bad = next(k for k in extra if k not in allowed)
            raise Located(at, Problem(bad, f'"{bad}" beside a well-known type is not supported'))
        # NullValue's one JSON value is null: that is its type, not a nullable field
        nullable = "null" in types and kind is not ir.WellKnown.NULL_VALUE
        return _Typed(ir.WellKnownType(kind), nullable)

    def single_enum(self, at: At) -> _Typed:
        values = at.node["enum"]
        present = [v for v in values if v is not None]
        nullable = len(present) != len(values) or "null" in (json_types(at.node) or [])
        if not present:
            raise Located(at, Problem("enum", 'an "enum" of only null has no type'))
        if len({repr(v) for v in present}) > 1:
            raise Located(
                at,
                Problem(
                    "enum",
                    'only string values are supported in an "enum" (as the enum\'s names)',
                    hint="for numbers use a number type with minimum/maximum, or strings",
                ),
            )
        t = self.constant(at, present[0], keyword="enum")
        return dataclasses.replace(t, nullable=nullable or t.nullable)

    def constant(self, at: At, value: Any, keyword: str = "const") -> _Typed:
        if value is None or isinstance(value, dict | list):
            raise Located(
                at,
                Problem(keyword, f"a {value_type(value)} constant is not supported"),
            )
        jt = value_type(value)
        types = json_types(at.node) or [] if "type" in at.node else []
        declared = [t for t in types if t != "null"]
        if jt == "integer" and declared == ["number"]:
            jt = "number"
        elif declared and declared != [jt]:
            raise Located(at, Problem("type", f"the constant is a {jt} but type says otherwise"))
        consumed: set[str] = set()
        base = self.single(at, jt, consumed)
        constraints = self.constraints(at, [jt], consumed)
        nullable = "null" in types
        return _Typed(base, nullable, dataclasses.replace(constraints, const=value))

    def single(
        self,
        at: At,
        json_type: str,
        consumed: set[str],
        lift: list[ir.Constraints] | None = None,
    ) -> ir.FieldType:
        node = at.node
        try:
            if json_type in _SCALAR_JSON:
                return lower_scalar(json_type, node, consumed)
        except Problem as p:
            raise Located(at, p) from None
        if json_type == "array":
            if "items" not in node:
                return ir.ListType(ir.AnyJsonType())
            item = self.type(at.child("items"))
            _lift(at.child("items"), item, lift, "array items")
            return ir.ListType(item.type, item.nullable)
        if json_type == "object":
            return self.map(at, lift)
        raise Located(at, Problem("type", f'unknown JSON type "{json_type}"'))

    def map(self, at: At, lift: list[ir.Constraints] | None = None) -> ir.MapType:
        node = at.node
        value: _Typed = _Typed(ir.AnyJsonType())
        ap = node.get("additionalProperties", True)
        if isinstance(ap, dict):
            value = self.type(at.child("additionalProperties"))
            _lift(at.child("additionalProperties"), value, lift, "map values")
        key = self.map_key(at)
        return ir.MapType(key, value.type, value.nullable)

    def map_key(self, at: At) -> ir.Scalar:
        """The key kind of a map: ``propertyNames: {"x-wsgen-type": <kind>}``, optionally with
        the key's canonical pattern (or ``enum: ["true", "false"]`` for bool) beside it."""
        names = at.node.get("propertyNames")
        if names is None:
            return ir.Scalar.STRING
        where = at.child("propertyNames")
        named = names.get("x-wsgen-type") if isinstance(names, dict) else None
        kind = self.guarded_kind(where, named) if isinstance(named, str) else None
        if isinstance(kind, ir.Scalar) and set(names) <= {
            "type",
            "pattern",
            "enum",
            "x-wsgen-type",
        }:
            rest = {k: v for k, v in names.items() if k != "x-wsgen-type"}
            if (
                rest.get("type", "string") == "string"
                and rest.get("pattern")
                in (
                    None,
                    _key_pattern(kind),
                )
                and rest.get("enum") in (None, _key_enum(kind))
            ):
                return kind
        raise Located(
            where,
            Problem(
                "",
                'only {"x-wsgen-type": "<proto scalar>"} is supported in "propertyNames" '
                "(it names the map's key type)",
            ),
        )

    def json_union(self, at: At) -> _Typed:
        kw = union_keyword(at)
        nullable = "null" in (json_types(at.node) or [])
        parts: list[ir.FieldType] = []
        facets: list[tuple[At, ir.Constraints]] = []
        for i in range(len(at.node[kw])):
            branch = at.child(kw, i)
            if is_null(self.tree, branch):
                nullable = True
                continue
            t = self.type(branch, lift_ok=False)
            nullable = nullable or t.nullable
            facets.append((branch, t.constraints))
            parts.extend(t.type.variants if isinstance(t.type, ir.JsonUnionType) else [t.type])
        if not parts:
            raise Located(at, Problem(kw, f'a "{kw}" of only null has no type'))
        if len(facets) == 1:
            return _Typed(
                parts[0] if len(parts) == 1 else self.join(at, parts), nullable, facets[0][1]
            )
        constraints = _NO_CONSTRAINTS
        for branch, c in facets:
            constraints = _merge(branch, constraints, c)
        return _Typed(self.join(at, parts), nullable, constraints)

    def join(self, at: At, parts: list[ir.FieldType]) -> ir.JsonUnionType:
        """A union told apart by JSON type: at most one variant of each JSON kind."""
        seen: dict[str, ir.FieldType] = {}
        for p in parts:
            kind = _json_kind_of(p)
            if kind is None:
                raise Located(
                    at,
                    Problem(
                        "",
                        "a variant that accepts any JSON value makes the union ambiguous",
                        hint="give every variant a JSON type",
                    ),
                )
            if kind in seen:
                raise Located(
                    at,
                    Problem(
                        "",
                        f"two variants of this union are JSON {kind}s, so a value cannot be "
                        "told apart by its JSON type",
                        hint="for objects, put them in a discriminated union (each with a "
                        '"const" discriminator property); otherwise keep one variant per '
                        "JSON type",
                    ),
                )
            seen[kind] = p
        return ir.JsonUnionType(tuple(parts))

    def constraints(self, at: At, kinds: list[str], consumed: set[str]) -> ir.Constraints:
        values: dict[str, Any] = {}
        for key, (attr, applies) in CONSTRAINT_KEYWORDS.items():
            if key not in at.node or key in consumed:
                continue
            if not applies & set(kinds):
                raise Located(
                    at,
                    Problem(
                        key,
                        f'"{key}" does not apply to a JSON {" or ".join(kinds)}',
                        hint="remove it, or fix the type",
                    ),
                )
            if (
                key in ("minProperties", "maxProperties")
                and "object" in kinds
                and self.decls.by_loc.get(at.loc)
            ):
                raise Located(at, Problem(key, f'"{key}" on a message is not supported'))
            values[attr] = at.node[key]
        return ir.Constraints(**values) if values else _NO_CONSTRAINTS

    def check_keywords(self, at: At, *, place: str = "schema") -> bool:
        """Reject what wsgen cannot represent, and wsgen keywords out of their place
        (``place``: "message", "enum" or "schema", any other schema)."""
        node = at.node
        allowed = self.wsgen_keywords(at, place)
        for key in node:
            if key == "dependentSchemas" and place == "message" and marks.ONEOF in node:
                continue  # the oneof form, checked with x-wsgen-oneof (marks.py)
            if key in UNSUPPORTED:
                raise Located(
                    at,
                    Problem(
                        key,
                        f'"{key}": {UNSUPPORTED[key]}',
                        hint="wsgen reads the subset of JSON Schema that maps onto types "
                        "(docs/schema-json.md)",
                    ),
                )
            if key == "$ref" and not is_wrapper(node):
                extra = sorted(
                    k
                    for k in node
                    if k not in ANNOTATIONS and k != "$ref" and not is_foreign_extension(k)
                )
                raise Located(
                    at,
                    Problem(
                        extra[0],
                        f'"$ref" beside "{extra[0]}" is not supported (it would mean both at once)',
                        hint="move the keywords into the referenced definition, or make a new "
                        "definition",
                    ),
                )
            if key == "allOf" and not is_wrapper(node):
                raise Located(
                    at,
                    Problem(
                        key,
                        '"allOf" is supported only with one subschema and nothing but '
                        "annotations beside it",
                        hint="merge the subschemas into one object definition",
                    ),
                )
            if key == "x-wsgen-frame" and place != "message":
                raise Located(
                    at,
                    Problem(key, '"x-wsgen-frame" belongs on an object schema with properties'),
                    "WSG408",
                )
            if key.startswith("x-wsgen-") and key not in allowed:
                raise _misplaced(at, key)
        return True

    def wsgen_keywords(self, at: At, place: str) -> frozenset[str]:
        """The wsgen keywords a schema may carry where it stands (docs/schema-json.md)."""
        allowed = _WSGEN_ANYWHERE | _WSGEN_IN.get(place, frozenset())
        if at.pointer == "":
            allowed |= _WSGEN_ROOT
        if at.loc in self.properties:
            allowed |= marks.FIELD_KEYWORDS
        return allowed


_MISSING: Any = object()
_NON_FINITE = ("NaN", "Infinity", "-Infinity")
_QUALIFIED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+\Z")
_SCALAR_JSON = frozenset({"string", "integer", "number", "boolean"})
_WSGEN_ANYWHERE = frozenset({"x-wsgen-type"})
_WSGEN_ROOT = frozenset(
    {"x-wsgen-package", "x-wsgen-framing", "x-wsgen-discriminator", "x-wsgen-catalog"}
    | {"x-wsgen-errors"}  # issue 4: the error catalog at the root (frontends/jsonschema/errors.py)
)
_WSGEN_IN = {
    "message": frozenset({"x-wsgen-frame", marks.ONEOF, marks.RESERVED}),
    "enum": frozenset({marks.ENUM_NUMBERS, marks.ENUM_VALUES, marks.RESERVED}),
}


def _misplaced(at: At, key: str) -> Located:
    return Located(
        at,
        Problem(
            key,
            f'unknown or misplaced wsgen keyword "{key}"',
            hint="x-wsgen-package, -framing, -discriminator, -errors and -catalog go at the "
            "root; x-wsgen-frame, -oneof and -reserved-names on a message; -enum-numbers, "
            "-enum-values and -reserved-names on an enum; -name and -presence on a property; "
            "x-wsgen-type on any schema",
        ),
        "WSG408",
    )


def _json_kind_of(t: ir.FieldType) -> str | None:
    if isinstance(t, ir.ScalarType | ir.WellKnownType):
        kind = json_kind(t.kind)
    elif isinstance(t, ir.EnumRef):
        kind = "string"
    elif isinstance(t, ir.MessageRef | ir.UnionRef | ir.MapType):
        kind = "object"
    elif isinstance(t, ir.ListType):
        kind = "array"
    else:
        return None
    return "number" if kind == "integer" else kind


def _merge(at: At, a: ir.Constraints, b: ir.Constraints) -> ir.Constraints:
    """The facets of two union variants as one: each applies only to its own JSON type, so
    they combine, except ``const``, which would then apply to every variant."""
    if a.const is not None or b.const is not None:
        raise Located(
            at,
            Problem(
                "",
                "a const inside one variant of a JSON-type union is not supported",
                hint="use an enum definition for the string variant, or drop the const",
            ),
        )
    if b.empty:
        return a
    if a.empty:
        return b
    values = {}
    for f in dataclasses.fields(ir.Constraints):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if x != f.default and y != f.default and x != y:
            raise Located(at, Problem("", f"two variants set different {f.name} constraints"))
        values[f.name] = y if x == f.default else x
    return ir.Constraints(**values)


_NUMBER_FACETS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
)
# Facets of a container itself; on items or values they would belong to a nested container,
# which a field's one set of facets cannot tell apart from the outer one.
_CONTAINER_FACETS = ("min_items", "max_items", "unique_items", "min_properties", "max_properties")


def _lift(at: At, item: _Typed, lift: list[ir.Constraints] | None, what: str) -> None:
    """Hand the value facets of array items / map values (``maxLength`` of each tag) up to the
    field, or say why they cannot be: inside a union of JSON types, on a nested container, or
    a ``const``."""
    c = item.constraints
    if c.empty:
        return
    nested = [n for n in _CONTAINER_FACETS if getattr(c, n) not in (None, False)]
    nested += ["items"] if isinstance(item.type, ir.ListType | ir.MapType) else []
    if lift is None or nested or c.const is not None:
        why = (
            "on a nested array or map"
            if nested
            else "as a const"
            if c.const is not None
            else "inside a union of JSON types"
        )
        raise Located(
            at,
            Problem(
                "",
                f"constraints on {what} are not supported {why}",
                hint="wrap the item in an object definition and constrain its property",
            ),
        )
    lift.append(c)


def _join_inner(own: ir.Constraints, inner: ir.Constraints) -> ir.Constraints:
    """A container's own facets and its items' value facets, which never overlap."""
    values = {
        f.name: getattr(inner, f.name)
        for f in dataclasses.fields(ir.Constraints)
        if getattr(inner, f.name) != f.default
    }
    return dataclasses.replace(own, **values)


def _key_pattern(kind: ir.Scalar) -> str | None:
    if not kind.is_integer:
        return None
    return CANONICAL_PATTERNS[ir.Scalar.UINT64 if kind.is_unsigned else ir.Scalar.INT64]


def _key_enum(kind: ir.Scalar) -> list[str] | None:
    return ["true", "false"] if kind is ir.Scalar.BOOL else None
