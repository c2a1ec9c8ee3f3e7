"""Helpers for the schema.json frontend tests: write schema files, lower them, and render the
IR as short lines so a test reads as input followed by the expected lines (STYLE habit 4)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from wsgen.diagnostics import CompileError
from wsgen.frontends.jsonschema import load_jsonschema_tree
from wsgen.ir import model as ir

__all__ = ["DIALECT", "INPUTS", "describe", "errors_of", "lower", "render_type", "write_schemas"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
INPUTS = Path(__file__).parent / "inputs" / "schemajson"


def write_schemas(root: Path, files: dict[str, Any]) -> Path:
    """Write each file (a dict is dumped as indented JSON, a str is dedented text)."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            text = textwrap.dedent(content).lstrip("\n")
        else:
            text = json.dumps(content, indent=2) + "\n"
        path.write_text(text, encoding="utf-8")
    return root


def lower(tmp_path: Path, files: dict[str, Any]) -> ir.Model:
    return load_jsonschema_tree(write_schemas(tmp_path / "idl", files))


def errors_of(tmp_path: Path, files: dict[str, Any]) -> list[str]:
    """The rendered diagnostics of a tree that must fail, one string per diagnostic."""
    root = write_schemas(tmp_path / "idl", files)
    try:
        load_jsonschema_tree(root)
    except CompileError as exc:
        return [d.render() for d in exc.diagnostics]
    raise AssertionError("expected the schema tree to be rejected")


def render_type(t: ir.FieldType) -> str:
    if isinstance(t, ir.ScalarType):
        return t.kind.value
    if isinstance(t, ir.MessageRef | ir.EnumRef | ir.UnionRef):
        return t.full_name
    if isinstance(t, ir.WellKnownType):
        return t.kind.value
    if isinstance(t, ir.ListType):
        return f"list<{render_type(t.element)}{'?' if t.element_nullable else ''}>"
    if isinstance(t, ir.MapType):
        value = render_type(t.value) + ("?" if t.value_nullable else "")
        return f"map<{t.key.value}, {value}>"
    if isinstance(t, ir.JsonUnionType):
        return " | ".join(render_type(v) for v in t.variants)
    return "any"


def _constraints(c: ir.Constraints) -> str:
    parts = []
    for name in ir.Constraints.__slots__:
        value = getattr(c, name)
        if value is not None and value is not False:
            parts.append(f"{name}={value!r}")
    return " [" + ", ".join(parts) + "]" if parts else ""


def describe(model: ir.Model) -> list[str]:
    """One line per declaration, field, union variant and frame."""
    out: list[str] = []
    for pkg in model.packages:
        out.append(f"package {pkg.name}")
        for m in pkg.messages:
            extra = ""
            if m.additional_properties is not None:
                extra = f" +{render_type(m.additional_properties)}"
            out.append(f"message {m.full_name}{extra}{' deprecated' if m.deprecated else ''}")
            for f in m.fields:
                line = f"  {f.name}"
                if f.json_name != f.name:
                    line += f" ({f.json_name})"
                line += f": {render_type(f.type)}"
                line += " | null" if f.nullable else ""
                line += f" {f.presence.value}"
                line += _constraints(f.constraints)
                line += f" default={f.default!r}" if f.has_default else ""
                line += " deprecated" if f.deprecated else ""
                out.append(line)
        for e in pkg.enums:
            out.append(f"enum {e.full_name} {[v.name for v in e.values]}")
        for u in pkg.unions:
            variants = ", ".join(f"{v.value!r}: {v.message}" for v in u.variants)
            out.append(f"union {u.full_name} on {u.discriminator!r} {{{variants}}}")
        if pkg.catalog is not None:
            framing = pkg.catalog.framing
            out.append(f"catalog {framing.kind.value} on {framing.discriminator!r}")
            for fr in pkg.catalog.frames:
                out.append(
                    f"  frame {fr.discriminator!r} {fr.direction.value} {fr.message} "
                    f"handler={fr.handler}"
                )
    return out
