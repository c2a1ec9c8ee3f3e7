"""Discriminated unions: a ``oneOf``/``anyOf`` of object messages told apart by one property.

Invariants: each variant's discriminator value is its own ``const`` (or one-value ``enum``)
string, never its name or a mapping entry alone (shared case 22); the discriminator property
is required in every variant, so a document without it matches no variant under any
validator; values are distinct; an OpenAPI ``discriminator.mapping`` (or wsgen's own
``x-wsgen-union``, the same shape, which the JSON Schema backend writes) is only checked
against the consts.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from wsgen.frontends.jsonschema.declare import Decl, Declarations
from wsgen.frontends.jsonschema.nodes import (
    ANNOTATIONS,
    At,
    Located,
    const_of,
    doc_of,
    follow,
    is_foreign_extension,
    is_null,
    json_types,
)
from wsgen.frontends.jsonschema.resolve import SchemaTree
from wsgen.frontends.jsonschema.scalars import Problem
from wsgen.ir import model as ir

__all__ = ["UNION_KEYWORD", "lower_union", "union_keyword"]

UNION_KEYWORD = "x-wsgen-union"


def lower_union(tree: SchemaTree, decls: Declarations, decl: Decl) -> ir.Union:
    """A discriminated union: every variant a message with a required ``const`` string on
    one common property; an OpenAPI ``discriminator`` may name it and map values."""
    at = decl.at
    node = at.node
    kw = union_keyword(at)
    variants: list[tuple[At, Decl]] = []
    for i in range(len(node[kw])):
        branch = at.child(kw, i)
        if is_null(tree, branch):
            continue
        target = follow(tree, branch)
        d = decls.by_loc.get(target.loc)
        if d is None or d.kind != "message":
            raise Located(
                branch,
                Problem(
                    "",
                    f'variant {i + 1} of union "{decl.full_name}" is not an object with '
                    "properties, so it cannot be told apart from the other variants",
                    hint="make every variant an object schema with a discriminator "
                    'property ({"const": "..."}), or give each variant its own JSON type',
                ),
            )
        variants.append((target, d))
    disc = _discriminator(tree, at, decl, variants)
    values = _discriminator_values(tree, at, decl, disc, variants)
    return ir.Union(
        full_name=decl.full_name,
        name=decl.name,
        package=decl.package,
        discriminator=disc,
        variants=tuple(
            ir.UnionVariant(v, d.full_name) for v, (_, d) in zip(values, variants, strict=True)
        ),
        doc=doc_of(node),
        span=at.span(),
    )


def union_keyword(at: At) -> str:
    """``oneOf`` or ``anyOf`` (the same here: variants never overlap), after checking that
    nothing but annotations stands beside it."""
    node = at.node
    if "oneOf" in node and "anyOf" in node:
        raise Problem("anyOf", '"oneOf" and "anyOf" side by side are not supported')
    kw = "oneOf" if "oneOf" in node else "anyOf"
    extra = sorted(
        k
        for k in node
        if k not in ANNOTATIONS
        and k not in (kw, "type", UNION_KEYWORD)
        and not is_foreign_extension(k)
    )
    if extra:
        raise Problem(
            extra[0],
            f'"{extra[0]}" beside "{kw}" is not supported',
            hint=f"move shared properties into each {kw} variant",
        )
    if "type" in node and json_types(node) not in (["object"], ["object", "null"]):
        raise Problem("type", f'"type" beside "{kw}" is not supported here')
    return kw


def _explicit(at: At) -> list[tuple[str, dict[str, Any]]]:
    """The OpenAPI ``discriminator`` and wsgen's ``x-wsgen-union`` (``propertyName``, and
    ``mapping`` from value to ``$ref``), whichever are written."""
    out: list[tuple[str, dict[str, Any]]] = []
    for keyword in ("discriminator", UNION_KEYWORD):
        spec = at.node.get(keyword)
        if spec is None:
            continue
        if keyword == UNION_KEYWORD and (
            not isinstance(spec, dict)
            or not set(spec) <= {"propertyName", "mapping"}
            or not isinstance(spec.get("propertyName"), str)
            or not isinstance(spec.get("mapping", {}), dict)
        ):
            raise Located(
                at.child(keyword),
                Problem(
                    "",
                    f'"{UNION_KEYWORD}" is {{"propertyName": "<key>", "mapping": '
                    '{"<value>": "<$ref>", …}}',
                ),
                "WSG408",
            )
        if isinstance(spec, dict):
            out.append((keyword, spec))
    return out


def _discriminator(tree: SchemaTree, at: At, decl: Decl, variants: list[tuple[At, Decl]]) -> str:
    names = sorted(
        {s["propertyName"] for _, s in _explicit(at) if isinstance(s.get("propertyName"), str)}
    )
    if len(names) > 1:
        raise Problem(
            UNION_KEYWORD, f'"discriminator" and "{UNION_KEYWORD}" name different properties'
        )
    if names:
        name: str = names[0]
        return name
    candidates: list[str] | None = None
    for target, _ in variants:
        props = target.node.get("properties", {})
        have = [k for k in props if isinstance(const_of(tree, target.child("properties", k)), str)]
        candidates = have if candidates is None else [k for k in candidates if k in have]
    if candidates and len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise Problem(
            "",
            f'union "{decl.full_name}" could be told apart by any of the properties '
            + ", ".join(f'"{c}"' for c in candidates),
            hint='name the discriminator: "discriminator": {"propertyName": "..."}',
        )
    raise Problem(
        "",
        f'the variants of union "{decl.full_name}" have no common discriminator property',
        hint='give every variant a required property with a distinct "const" string, '
        'e.g. "type": {"const": "room.join"}',
    )


def _discriminator_values(
    tree: SchemaTree, at: At, decl: Decl, disc: str, variants: list[tuple[At, Decl]]
) -> list[str]:
    values: list[str] = []
    by_value: dict[str, Decl] = {}
    for target, d in variants:
        props = target.node.get("properties", {})
        value = const_of(tree, target.child("properties", disc)) if disc in props else None
        if not isinstance(value, str):
            raise Located(
                target,
                Problem(
                    "properties",
                    f'variant "{d.full_name}" of union "{decl.full_name}" has no "const" '
                    f'string for the discriminator "{disc}"',
                    hint=f'add "{disc}": {{"const": "..."}} to its properties',
                ),
            )
        if disc not in target.node.get("required", []):
            raise Located(
                target,
                Problem(
                    "required",
                    f'variant "{d.full_name}" of union "{decl.full_name}" does not require '
                    f'the discriminator "{disc}"',
                    hint=f'add "{disc}" to its "required" list',
                ),
            )
        if value in by_value:
            raise Problem(
                "",
                f'variants "{by_value[value].full_name}" and "{d.full_name}" of union '
                f'"{decl.full_name}" share the discriminator value "{value}"',
            )
        by_value[value] = d
        values.append(value)
    _check_mapping(at, decl, by_value)
    return values


def _check_mapping(at: At, decl: Decl, by_value: dict[str, Decl]) -> None:
    """A ``discriminator.mapping`` (or ``x-wsgen-union`` mapping) must agree with the
    variants' consts."""
    for keyword, spec in _explicit(at):
        mapping = spec.get("mapping")
        if isinstance(mapping, dict):
            _check_one_mapping(at, keyword, decl, mapping, by_value)


def _check_one_mapping(
    at: At, keyword: str, decl: Decl, mapping: dict[str, Any], by_value: dict[str, Decl]
) -> None:
    for value, ref in mapping.items():
        where = at.child(keyword, "mapping", value)
        expected = by_value.get(value)
        if expected is None or not isinstance(ref, str):
            raise Located(
                where,
                Problem(
                    "",
                    f'discriminator mapping "{value}" of union "{decl.full_name}" matches no '
                    "variant's const",
                ),
            )
        if unquote(ref).rsplit("/", 1)[-1] != expected.at.pointer.rsplit("/", 1)[-1]:
            raise Located(
                where,
                Problem(
                    "",
                    f'discriminator mapping "{value}" → "{ref}" disagrees with the variants: '
                    f'"{expected.full_name}" has that const',
                ),
            )
