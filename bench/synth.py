"""Synthetic IDL of N messages, written both as .proto and as schema.json (same contract)."""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["write_proto", "write_schema_json"]

_KINDS = ("string", "int32", "int64", "bool", "double", "enum", "ref", "list", "map")


def _kind(i: int, j: int) -> str:
    return _KINDS[(i + j) % len(_KINDS)]


def write_proto(root: Path, n: int) -> Path:
    """``root/bench.proto``: n messages of 9 fields, an enum, refs, lists, maps, frames."""
    lines = [
        'syntax = "proto3";',
        "package bench.v1;",
        'import "wsgen/options.proto";',
        "enum Level { LEVEL_UNSPECIFIED = 0; LEVEL_LOW = 1; LEVEL_HIGH = 2; }",
    ]
    for i in range(n):
        lines.append(f"// Message number {i}.")
        lines.append(f"message Msg{i} {{")
        direction = "CLIENT_TO_SERVER" if i % 2 else "SERVER_TO_CLIENT"
        lines.append(f'  option (wsgen.frame) = {{ type: "msg_{i}" direction: {direction} }};')
        for j in range(9):
            k = _kind(i, j)
            name = f"f{j}"
            decl = {
                "string": f"string {name}",
                "int32": f"int32 {name}",
                "int64": f"int64 {name}",
                "bool": f"bool {name}",
                "double": f"double {name}",
                "enum": f"Level {name}",
                "ref": f"Msg{(i + 1) % n} {name}",
                "list": f"repeated string {name}",
                "map": f"map<string, int32> {name}",
            }[k]
            lines.append(f"  {decl} = {j + 1};")
        lines.append("}")
    path = root / "bench.proto"
    path.write_text("\n".join(lines) + "\n")
    return path


def write_schema_json(root: Path, n: int) -> Path:
    """``root/bench.schema.json``: the same n messages as JSON Schema 2020-12 ``$defs``."""
    defs: dict[str, object] = {
        "Level": {"type": "string", "enum": ["LEVEL_UNSPECIFIED", "LEVEL_LOW", "LEVEL_HIGH"]}
    }
    for i in range(n):
        props: dict[str, object] = {}
        for j in range(9):
            k = _kind(i, j)
            props[f"f{j}"] = {
                "string": {"type": "string"},
                "int32": {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1},
                "int64": {"type": "string", "pattern": "^-?[0-9]+$"},
                "bool": {"type": "boolean"},
                "double": {"type": "number"},
                "enum": {"$ref": "#/$defs/Level"},
                "ref": {"$ref": f"#/$defs/Msg{(i + 1) % n}"},
                "list": {"type": "array", "items": {"type": "string"}},
                "map": {"type": "object", "additionalProperties": {"type": "integer"}},
            }[k]
        defs[f"Msg{i}"] = {
            "type": "object",
            "description": f"Message number {i}.",
            "properties": props,
        }
    doc = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.invalid/bench.schema.json",
        "title": "Bench",
        "$defs": defs,
    }
    path = root / "bench.schema.json"
    path.write_text(json.dumps(doc, indent=1) + "\n")
    return path
