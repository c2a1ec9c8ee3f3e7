"""Small reads of a schema node shared by the naming and lowering passes.

A node is always handled together with where it is (``At``: document, pointer), so every
problem can be reported at ``path:line:col`` with its JSON pointer. ``follow`` is the one
place that steps through ``$ref`` and single-element ``allOf`` wrappers, with cycle detection.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from wsgen.frontends.jsonschema.document import JsonDocument, join_pointer
from wsgen.frontends.jsonschema.resolve import Location, SchemaTree
from wsgen.frontends.jsonschema.scalars import Problem, json_kind, named_kind
from wsgen.ir import model as ir

__all__ = [
    "ANNOTATIONS",
    "CONSTRAINT_KEYWORDS",
    "UNSUPPORTED",
    "At",
    "Located",
    "const_of",
    "doc_of",
    "follow",
    "is_foreign_extension",
    "is_identifier",
    "is_message_node",
    "is_null",
    "is_wrapper",
    "json_types",
]

# Keywords that never change which JSON values are valid (or that wsgen reads elsewhere).
ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "$anchor",
        "$dynamicAnchor",
        "$vocabulary",
        "$defs",
        "definitions",
        "title",
        "description",
        "examples",
        "readOnly",
        "writeOnly",
        "deprecated",
        "default",
        "contentMediaType",
        "discriminator",  # OpenAPI; validators ignore it, wsgen checks it against the consts
        "x-wsgen-package",
        "x-wsgen-framing",
        "x-wsgen-discriminator",
        "x-wsgen-frame",
        # a property's own marks (marks.py); the lowering checks they stand on a property
        "x-wsgen-presence",
        "x-wsgen-name",
    }
)

# Keywords that change validity in ways the IR cannot say: an error, never silently dropped.
UNSUPPORTED = {
    "not": "negation cannot be turned into a type",
    "if": "conditional schemas cannot be turned into a type",
    "then": "conditional schemas cannot be turned into a type",
    "else": "conditional schemas cannot be turned into a type",
    "dependentSchemas": "dependent schemas cannot be turned into a type",
    "dependentRequired": "dependent requirements cannot be turned into a type",
    "patternProperties": "properties selected by a pattern cannot be turned into fields",
    "unevaluatedProperties": "unevaluatedProperties is not supported",
    "unevaluatedItems": "unevaluatedItems is not supported",
    "prefixItems": "tuples (prefixItems) are not supported",
    "contains": "contains/minContains/maxContains are not supported",
    "minContains": "contains/minContains/maxContains are not supported",
    "maxContains": "contains/minContains/maxContains are not supported",
    "$dynamicRef": "$dynamicRef is not supported",
    "contentSchema": "contentSchema is not supported",
}

# JSON Schema keyword → ``ir.Constraints`` field, with the JSON types it applies to.
CONSTRAINT_KEYWORDS: dict[str, tuple[str, frozenset[str]]] = {
    "minimum": ("minimum", frozenset({"integer", "number"})),
    "maximum": ("maximum", frozenset({"integer", "number"})),
    "exclusiveMinimum": ("exclusive_minimum", frozenset({"integer", "number"})),
    "exclusiveMaximum": ("exclusive_maximum", frozenset({"integer", "number"})),
    "multipleOf": ("multiple_of", frozenset({"integer", "number"})),
    "minLength": ("min_length", frozenset({"string"})),
    "maxLength": ("max_length", frozenset({"string"})),
    "pattern": ("pattern", frozenset({"string"})),
    "format": ("format", frozenset({"string", "integer", "number"})),
    "minItems": ("min_items", frozenset({"array"})),
    "maxItems": ("max_items", frozenset({"array"})),
    "uniqueItems": ("unique_items", frozenset({"array"})),
    "minProperties": ("min_properties", frozenset({"object"})),
    "maxProperties": ("max_properties", frozenset({"object"})),
}

_JSON_TYPE_OF_VALUE = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
    (type(None), "null"),
)


class At(NamedTuple):
    """A schema node and where it is."""

    doc: JsonDocument
    pointer: str
    node: Any

    @property
    def loc(self) -> Location:
        return (self.doc.uri, self.pointer)

    def child(self, *tokens: str | int) -> At:
        node = self.node
        for t in tokens:
            node = node[t]
        return At(self.doc, join_pointer(self.pointer, *tokens), node)

    def span(self, *tokens: str | int) -> ir.Span:
        return self.doc.span(join_pointer(self.pointer, *tokens))


def is_identifier(name: str) -> bool:
    return name.isascii() and name.isidentifier()


def value_type(value: Any) -> str:
    for py, name in _JSON_TYPE_OF_VALUE:
        if isinstance(value, py):
            return name
    raise TypeError(type(value))  # pragma: no cover - json.loads yields only these


def is_wrapper(node: Any) -> bool:
    """A ``$ref`` (or one-element ``allOf``) with nothing but annotations beside it."""
    if not isinstance(node, dict):
        return False
    if "$ref" in node:
        rest = set(node) - {"$ref"}
    elif isinstance(node.get("allOf"), list) and len(node["allOf"]) == 1:
        rest = set(node) - {"allOf"}
    else:
        return False
    return all(k in ANNOTATIONS or is_foreign_extension(k) for k in rest)


def step(tree: SchemaTree, at: At) -> At:
    """One step through a wrapper (the caller checked ``is_wrapper``)."""
    if "$ref" in at.node:
        uri, pointer = tree.refs[at.loc]
        return At(tree.docs[uri], pointer, tree.node((uri, pointer)))
    return at.child("allOf", 0)


def follow(tree: SchemaTree, at: At) -> At:
    """The node a chain of wrappers ends at; a chain that loops is a ``Problem``."""
    seen = {at.loc}
    while is_wrapper(at.node):
        at = step(tree, at)
        if at.loc in seen:
            raise Problem(
                "$ref",
                "reference cycle: the $ref chain comes back to itself without reaching a schema",
                hint="point the $ref at a definition that declares a type",
            )
        seen.add(at.loc)
    return at


def json_types(node: Any) -> list[str] | None:
    """The JSON types a node allows, from ``type`` or inferred from its keywords; None: any."""
    if not isinstance(node, dict):
        return None if node is True else []
    t = node.get("type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return [str(x) for x in t]
    if "const" in node:
        return [value_type(node["const"])]
    if isinstance(node.get("enum"), list):
        seen: list[str] = []
        for v in node["enum"]:
            vt = value_type(v)
            if vt not in seen:
                seen.append(vt)
        return seen
    if any(k in node for k in ("properties", "additionalProperties", "required")):
        return ["object"]
    if "items" in node:
        return ["array"]
    named = node.get("x-wsgen-type")
    if isinstance(named, str):
        kind = named_kind(named)
        if kind is not None:
            jk = json_kind(kind)
            return None if jk is None else [jk]
    return None


def is_null(tree: SchemaTree, at: At) -> bool:
    """A ``oneOf``/``anyOf`` branch that allows only ``null``."""
    node = follow(tree, at).node
    return json_types(node) == ["null"]


def is_message_node(node: Any) -> bool:
    """An object schema that becomes a message: it declares ``properties`` (possibly empty),
    closes itself with ``additionalProperties: false``, or is a frame. A bare
    ``{"type": "object"}`` or one with only an ``additionalProperties`` schema is a map."""
    if not isinstance(node, dict) or "oneOf" in node or "anyOf" in node:
        return False
    if "x-wsgen-type" in node:
        return False
    if "object" not in (json_types(node) or []):
        return False
    return (
        "properties" in node or node.get("additionalProperties") is False or "x-wsgen-frame" in node
    )


def const_of(tree: SchemaTree, at: At) -> Any:
    """The one value a schema allows (``const``, or ``enum`` with one value), else None."""
    node = follow(tree, at).node
    if not isinstance(node, dict):
        return None
    if "const" in node:
        return node["const"]
    values = node.get("enum")
    if isinstance(values, list) and len(values) == 1:
        return values[0]
    return None


class Located(Exception):
    """A ``Problem`` that already knows which node it is about."""

    def __init__(self, at: At, problem: Problem, code: str = "WSG406") -> None:
        super().__init__(problem.message)
        self.at = at
        self.problem = problem
        self.code = code


def is_foreign_extension(key: str) -> bool:
    """Someone else's ``x-…`` keyword (an annotation); wsgen's own are checked."""
    return key.startswith("x-") and not key.startswith("x-wsgen-")


def doc_of(node: Any) -> str:
    text = node.get("description") if isinstance(node, dict) else None
    return text.strip() if isinstance(text, str) else ""
