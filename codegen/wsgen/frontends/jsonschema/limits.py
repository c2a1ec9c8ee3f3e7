"""Bounds a schema must stay within before any recursive pass reads it.

Checked on each parsed document, before the meta-schema check, by an iterative walk, so no
input can make a later pass overflow the stack or write code a type checker rejects:

- schemas nest at most ``MAX_SCHEMA_DEPTH`` deep (every ``properties`` entry, ``items``,
  ``additionalProperties``, ``anyOf``/``oneOf``/``allOf`` branch, ``$defs`` entry … is one
  level below its parent schema);
- integer ``const`` and ``enum`` values fit a signed 64-bit integer, without its lowest value:
  generated Python spells them ``Literal[n]``, and mypy accepts exactly ``|n| < 2**63``.
"""

from __future__ import annotations

from typing import Any

from wsgen.diagnostics import Diagnostic
from wsgen.frontends.jsonschema.applicators import subschemas
from wsgen.frontends.jsonschema.document import JsonDocument, join_pointer

__all__ = ["MAX_CONST_INT", "MAX_SCHEMA_DEPTH", "check_limits"]

MAX_SCHEMA_DEPTH = 128
MAX_CONST_INT = 2**63 - 1


def check_limits(doc: JsonDocument) -> list[Diagnostic]:
    """Every integer constant out of range, and the first schema nested too deeply."""
    out: list[Diagnostic] = []
    deep = False
    stack: list[tuple[str, Any, int]] = [("", doc.data, 0)]
    while stack:
        pointer, node, depth = stack.pop()
        if not isinstance(node, dict):
            continue
        if depth > MAX_SCHEMA_DEPTH:
            if not deep:
                deep = True
                out.append(
                    Diagnostic(
                        doc.span(pointer),
                        "WSG406",
                        f"schemas nested more than {MAX_SCHEMA_DEPTH} levels deep",
                        hint="give inner schemas names in $defs and refer to them with $ref",
                    )
                )
            continue
        out.extend(_constants(doc, pointer, node))
        stack.extend(
            (sub_pointer, sub, depth + 1)
            for sub_pointer, sub in reversed(list(subschemas(node, pointer)))
        )
    return out


def _constants(doc: JsonDocument, pointer: str, node: dict[str, Any]) -> list[Diagnostic]:
    values: list[tuple[str, Any]] = []
    if "const" in node:
        values.append((join_pointer(pointer, "const"), node["const"]))
    if isinstance(node.get("enum"), list):
        values += [(join_pointer(pointer, "enum", i), v) for i, v in enumerate(node["enum"])]
    return [
        Diagnostic(
            doc.span(where),
            "WSG406",
            f"integer constant {value} does not fit a 64-bit integer "
            f"(-{MAX_CONST_INT} to {MAX_CONST_INT})",
            hint="use a string constant for larger values",
        )
        for where, value in values
        if type(value) is int and abs(value) > MAX_CONST_INT
    ]
