"""The applicator keywords of JSON Schema 2020-12: where a schema holds subschemas.

One table shared by every pass that walks a schema (``$ref`` sites, limits, naming), so they
all agree on what is a subschema and what is a plain JSON value (``const``, ``default`` …).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wsgen.frontends.jsonschema.document import join_pointer

__all__ = ["subschemas"]

# Keywords whose value is one subschema, an object of subschemas, or an array of subschemas.
_ONE = (
    "items",
    "additionalProperties",
    "propertyNames",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_MANY = ("prefixItems", "allOf", "anyOf", "oneOf")


def subschemas(node: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    """Every direct subschema of ``node`` with its pointer, in document order."""
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in _ONE and isinstance(value, dict | bool):
            yield join_pointer(pointer, key), value
        elif key in _MAP and isinstance(value, dict):
            for name, sub in value.items():
                if isinstance(sub, dict | bool):
                    yield join_pointer(pointer, key, name), sub
        elif key in _MANY and isinstance(value, list):
            for i, sub in enumerate(value):
                if isinstance(sub, dict | bool):
                    yield join_pointer(pointer, key, i), sub
