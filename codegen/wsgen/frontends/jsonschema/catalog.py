"""wsgen's catalog keywords: a file's package and framing, and a message's frame.

Root keywords: ``x-wsgen-package`` (dotted identifiers; else derived from the file path),
``x-wsgen-framing`` (``envelope`` | ``flat``), ``x-wsgen-discriminator`` (flat only). On a
message: ``x-wsgen-frame: {"type", "direction", "handler"}``. A JSON Schema bundle's root
``x-wsgen-catalog`` names the definitions wsgen made to validate frames (envelope, one union per
direction): they are views of the catalog, not IDL types, so they are skipped, and the catalog
is rebuilt from the frames and the framing like any schema.json's. Frame checks that need the whole
model (unique per direction, reserved types) are ``wsgen.ir.validate``'s, for both frontends.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

from wsgen.backends.naming import to_snake
from wsgen.diagnostics import Diagnostic
from wsgen.frontends.jsonschema.declare import Decl, decl_kind
from wsgen.frontends.jsonschema.document import JsonDocument, join_pointer
from wsgen.frontends.jsonschema.nodes import At, const_of
from wsgen.frontends.jsonschema.resolve import SchemaTree
from wsgen.frontends.jsonschema.scalars import Problem
from wsgen.ir import model as ir

__all__ = [
    "ROOT_KEYWORDS",
    "catalog_definitions",
    "check_root_keywords",
    "file_framing",
    "file_package",
    "lower_frame",
]

# The wsgen keywords of a file (docs/schema-json.md); x-wsgen-errors is errors.py's.
ROOT_KEYWORDS = frozenset(
    {
        "x-wsgen-package",
        "x-wsgen-framing",
        "x-wsgen-discriminator",
        "x-wsgen-catalog",
        "x-wsgen-errors",
    }
)
_ANYWHERE = frozenset({"x-wsgen-type"})

_PACKAGE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
_FRAME_KEYS = frozenset({"type", "direction", "handler"})


def file_package(doc: JsonDocument, diags: list[Diagnostic]) -> str | None:
    """``x-wsgen-package``, else the file's folder and name: ``chat/v1.schema.json`` and
    ``chat/v1/schema.json`` are both package ``chat.v1``. ``""`` is the package of a .proto
    without a package statement (its JSON Schema bundle says so)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    explicit = data.get("x-wsgen-package")
    if explicit is not None:
        if isinstance(explicit, str) and (explicit == "" or _PACKAGE.match(explicit)):
            return explicit
        diags.append(
            Diagnostic(
                doc.span("/x-wsgen-package"),
                "WSG408",
                '"x-wsgen-package" must be dotted identifiers, e.g. "chat.v1" (or "", no package)',
            )
        )
        return None
    path = PurePosixPath(doc.path)
    parts = list(path.parent.parts)
    if path.name != "schema.json":
        parts.append(path.name[: -len(".schema.json")])
    package = ".".join(parts)
    if _PACKAGE.match(package):
        return package
    diags.append(
        Diagnostic(
            doc.span(""),
            "WSG409",
            f'cannot derive a package name from the path "{doc.path}"',
            hint='set "x-wsgen-package": "<dotted.name>" at the root of the file, or rename '
            "folders and file to identifiers (chat/v1.schema.json → chat.v1)",
        )
    )
    return None


def check_root_keywords(tree: SchemaTree, doc: JsonDocument, diags: list[Diagnostic]) -> None:
    """Any other ``x-wsgen-…`` keyword at the root is a typo or misplaced (WSG408). A root that
    is itself a declaration is checked where it is lowered, with its kind's keywords; this
    covers the common root that only holds ``$defs``, which is never lowered."""
    data = doc.data
    if not isinstance(data, dict) or decl_kind(tree, At(doc, "", data)) is not None:
        return
    for key in data:
        if key.startswith("x-wsgen-") and key not in ROOT_KEYWORDS | _ANYWHERE:
            diags.append(
                Diagnostic(
                    doc.span(join_pointer("", key)),
                    "WSG408",
                    f'unknown or misplaced wsgen keyword "{key}"',
                    hint="x-wsgen-package, -framing, -discriminator, -errors and -catalog go "
                    "at the root; x-wsgen-frame, -oneof and -reserved-names on a message; "
                    "-enum-numbers, -enum-values and -reserved-names on an enum; -name and "
                    "-presence on a property; x-wsgen-type on any schema",
                )
            )


def catalog_definitions(doc: JsonDocument, diags: list[Diagnostic]) -> frozenset[str]:
    """The ``$defs`` keys a root ``x-wsgen-catalog`` names:
    ``{"envelope"?: "#/$defs/<key>", "directions": {"<direction>": "#/$defs/<key>", …}}``."""
    data = doc.data if isinstance(doc.data, dict) else {}
    spec = data.get("x-wsgen-catalog")
    if spec is None:
        return frozenset()
    defs: dict[str, Any] = data["$defs"] if isinstance(data.get("$defs"), dict) else {}
    refs: list[tuple[str, Any]] = []
    if isinstance(spec, dict) and set(spec) <= {"envelope", "directions"}:
        if "envelope" in spec:
            refs.append(("/x-wsgen-catalog/envelope", spec["envelope"]))
        directions = spec.get("directions")
        if isinstance(directions, dict) and set(directions) <= {d.value for d in ir.Direction}:
            refs += [(f"/x-wsgen-catalog/directions/{k}", v) for k, v in directions.items()]
        else:
            refs.append(("/x-wsgen-catalog/directions", None))
    else:
        refs.append(("/x-wsgen-catalog", None))
    keys: set[str] = set()
    for pointer, ref in refs:
        key = _local_definition(ref)
        if key is None or key not in defs:
            diags.append(
                Diagnostic(
                    doc.span(pointer),
                    "WSG408",
                    '"x-wsgen-catalog" names wsgen\'s catalog definitions: {"envelope": '
                    '"#/$defs/<key>", "directions": {"client_to_server": "#/$defs/<key>", …}}, '
                    "each a definition of this file",
                    hint="a hand-written schema.json does not need it: x-wsgen-frame and "
                    "x-wsgen-framing declare the catalog",
                )
            )
            continue
        keys.add(key)
    return frozenset(keys)


def _local_definition(ref: Any) -> str | None:
    """``#/$defs/<key>`` → key (percent- and JSON-pointer-unescaped), else None."""
    if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
        return None
    token = unquote(ref[len("#/$defs/") :])
    if "/" in token:
        return None
    return token.replace("~1", "/").replace("~0", "~")


def file_framing(doc: JsonDocument, diags: list[Diagnostic]) -> ir.Framing | None:
    """The framing a file declares, or None when it says nothing about framing."""
    data = doc.data if isinstance(doc.data, dict) else {}
    if "x-wsgen-framing" not in data and "x-wsgen-discriminator" not in data:
        return None
    kind_text = data.get("x-wsgen-framing", "envelope")
    kinds = {k.value: k for k in ir.FramingKind}
    if kind_text not in kinds:
        diags.append(
            Diagnostic(
                doc.span("/x-wsgen-framing"),
                "WSG408",
                f'"x-wsgen-framing" must be one of {", ".join(kinds)}',
            )
        )
        return None
    kind = kinds[kind_text]
    disc = data.get("x-wsgen-discriminator", "type")
    if not isinstance(disc, str) or not disc:
        diags.append(
            Diagnostic(
                doc.span("/x-wsgen-discriminator"),
                "WSG408",
                '"x-wsgen-discriminator" must be a non-empty string',
            )
        )
        return None
    if kind is ir.FramingKind.ENVELOPE and disc != "type":
        diags.append(
            Diagnostic(
                doc.span("/x-wsgen-discriminator"),
                "WSG408",
                'envelope framing always discriminates on the envelope\'s "type"',
                hint='drop "x-wsgen-discriminator", or set "x-wsgen-framing": "flat"',
            )
        )
        return None
    return ir.Framing(kind, disc)


def lower_frame(tree: SchemaTree, decl: Decl, framing: ir.Framing, doc: str) -> ir.Frame:
    """The frame a message declares with ``x-wsgen-frame``; a ``Problem`` when malformed."""
    at = decl.at
    spec: Any = at.node["x-wsgen-frame"]
    where = at.child("x-wsgen-frame")
    if not isinstance(spec, dict) or not set(spec) <= _FRAME_KEYS:
        raise Problem(
            "x-wsgen-frame",
            '"x-wsgen-frame" is an object with "type", "direction" and "handler"',
            'e.g. "x-wsgen-frame": {"type": "chat.send", "direction": "client_to_server"}',
        )
    flat = framing.kind is ir.FramingKind.FLAT
    own = None
    props = at.node.get("properties", {})
    if flat and framing.discriminator in props:
        own = const_of(tree, at.child("properties", framing.discriminator))
    value = spec.get("type", own)
    if not isinstance(value, str) or not value:
        raise Problem(
            "x-wsgen-frame",
            f'frame "{decl.full_name}" has no discriminator value',
            hint='set "type" in x-wsgen-frame'
            + (f' or give the "{framing.discriminator}" property a const' if flat else ""),
            code="WSG303",
        )
    if own is not None and own != value:
        raise Problem(
            "x-wsgen-frame",
            f'frame "{decl.full_name}" says type "{value}" but its '
            f'"{framing.discriminator}" property is the const {own!r}',
            hint="make them agree (or drop one of them)",
        )
    directions = {d.value: d for d in ir.Direction}
    direction = spec.get("direction")
    if direction not in directions:
        raise Problem(
            "x-wsgen-frame",
            f'frame "{decl.full_name}" needs a direction: one of {", ".join(directions)}',
            code="WSG304",
        )
    handler = spec.get("handler", to_snake(decl.name))
    if not isinstance(handler, str) or not handler.isidentifier():
        raise Problem("x-wsgen-frame", "a frame's handler must be an identifier (snake_case)")
    return ir.Frame(
        decl.full_name, value, directions[direction], handler, doc=doc, span=where.span()
    )
