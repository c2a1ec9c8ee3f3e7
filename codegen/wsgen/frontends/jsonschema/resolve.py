"""Load a set of schema.json files, check them against the 2020-12 meta-schema, and resolve
every ``$ref`` to the (file, JSON pointer) it lands on.

Invariants: every file in the tree is a wsgen schema file (``*.schema.json`` or
``schema.json``) under the IDL folder; a ``$ref`` to another file pulls that file in, so the
tree is closed under references. ``$ref`` lookup is done by the ``referencing`` library (the
one ``jsonschema`` uses), so anchors and ``$id`` base URIs mean what they mean to any
validator; we only map its answer back to a location with an identity index of the nodes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit
from urllib.request import url2pathname

import referencing
import referencing.exceptions
from jsonschema.exceptions import best_match
from referencing.jsonschema import DRAFT202012

from wsgen.diagnostics import Diagnostic
from wsgen.frontends.jsonschema.applicators import subschemas
from wsgen.frontends.jsonschema.document import JsonDocument, join_pointer, parse_document
from wsgen.frontends.jsonschema.limits import check_limits
from wsgen.frontends.jsonschema.meta import meta_validator

__all__ = [
    "DIALECT",
    "Location",
    "SchemaTree",
    "is_schema_file",
    "load_tree",
    "subschemas",
]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_DIALECTS = frozenset({DIALECT, DIALECT + "#"})

Location = tuple[str, str]
"""(document URI, JSON pointer)."""


def is_schema_file(name: str) -> bool:
    """The naming rule: a file named ``schema.json`` or ending in ``.schema.json``."""
    return name == "schema.json" or name.endswith(".schema.json")


@dataclass
class SchemaTree:
    """Loaded documents by URI (in path order) and every resolved ``$ref``:
    (URI, pointer of the schema holding ``$ref``) → (URI, pointer of the target)."""

    root: Path
    docs: dict[str, JsonDocument] = field(default_factory=dict)
    refs: dict[Location, Location] = field(default_factory=dict)
    # file dependencies by document path (other documents its refs land in)
    dependencies: dict[str, set[str]] = field(default_factory=dict)

    def node(self, loc: Location) -> Any:
        uri, pointer = loc
        node = self.docs[uri].data
        for token in pointer.split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node


def load_tree(root: Path, files: list[Path], diagnostics: list[Diagnostic]) -> SchemaTree:
    """Parse, meta-check and resolve ``files`` and every schema file they refer to.

    Problems go to ``diagnostics``; the caller stops when any was added."""
    tree = SchemaTree(root.resolve())
    pending = [f.resolve() for f in files]
    seen: set[Path] = set()
    sites: list[tuple[JsonDocument, str, str]] = []  # (doc, pointer of the schema, $ref text)
    while pending:
        path = pending.pop(0).resolve()
        if path in seen:
            continue
        seen.add(path)
        doc = _load(tree, path, diagnostics)
        if doc is None:
            continue
        for pointer, ref in _ref_sites(doc, diagnostics):
            sites.append((doc, pointer, ref))
            target = _file_target(tree, doc, pointer, ref, diagnostics)
            if target is not None and target not in seen:
                pending.append(target)
    tree.docs = dict(sorted(tree.docs.items(), key=lambda kv: kv[1].path))
    if not diagnostics:
        _resolve_all(tree, sites, diagnostics)
    return tree


def _load(tree: SchemaTree, path: Path, diagnostics: list[Diagnostic]) -> JsonDocument | None:
    try:
        rel = path.relative_to(tree.root).as_posix()
    except ValueError:
        rel = path.as_posix()
    doc = parse_document(path, rel, diagnostics)
    if doc is None:
        return None
    problems = check_limits(doc)  # before the meta-check, which recurses once per level
    diagnostics.extend(problems)
    if problems or not _meta_check(doc, diagnostics):
        return None
    tree.docs[doc.uri] = doc
    return doc


def _meta_check(doc: JsonDocument, diagnostics: list[Diagnostic]) -> bool:
    data = doc.data
    if not isinstance(data, dict | bool):
        diagnostics.append(
            Diagnostic(doc.span(""), "WSG402", "a schema.json must hold a JSON object")
        )
        return False
    if isinstance(data, dict) and "$schema" in data and data["$schema"] not in _DIALECTS:
        diagnostics.append(
            Diagnostic(
                doc.span("/$schema"),
                "WSG402",
                f'unsupported JSON Schema dialect "{data["$schema"]}"',
                hint=f'wsgen reads JSON Schema 2020-12: set "$schema" to "{DIALECT}"',
            )
        )
        return False
    ok = True
    reported: set[tuple[str, str]] = set()
    for error in meta_validator().iter_errors(data):
        error = _most_specific(error)
        pointer = join_pointer("", *error.absolute_path)
        if (pointer, error.message) in reported:
            continue
        reported.add((pointer, error.message))
        diagnostics.append(
            Diagnostic(
                doc.span(pointer),
                "WSG402",
                f"not a valid JSON Schema 2020-12: {_short(error.message)}",
                hint="fix the schema so that Draft202012Validator.check_schema accepts it",
            )
        )
        ok = False
    return ok


def _most_specific(error: Any) -> Any:
    while error.context:
        deeper = best_match(error.context)
        if deeper is None:
            break
        error = deeper
    return error


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ref_sites(doc: JsonDocument, diagnostics: list[Diagnostic]) -> Iterator[tuple[str, str]]:
    """(pointer, ref) for every schema with a ``$ref``; reports what wsgen cannot follow."""
    stack: list[tuple[str, Any]] = [("", doc.data)]
    while stack:
        pointer, node = stack.pop()
        if not isinstance(node, dict):
            continue
        if pointer and "$id" in node:
            diagnostics.append(
                Diagnostic(
                    doc.span(join_pointer(pointer, "$id")),
                    "WSG405",
                    'an embedded "$id" is not supported',
                    hint="give the definition its own schema file, or drop the $id",
                )
            )
        if isinstance(node.get("$ref"), str):
            yield pointer, node["$ref"]
        stack.extend(reversed(list(subschemas(node, pointer))))


def _base_uri(doc: JsonDocument) -> str:
    data = doc.data
    if isinstance(data, dict) and isinstance(data.get("$id"), str):
        base: str = urldefrag(urljoin(doc.uri, data["$id"])).url
        return base
    return doc.uri


def _file_target(
    tree: SchemaTree,
    doc: JsonDocument,
    pointer: str,
    ref: str,
    diagnostics: list[Diagnostic],
) -> Path | None:
    """The file a ``$ref`` reaches into when it is a schema file not loaded yet."""
    uri = urldefrag(urljoin(_base_uri(doc), ref)).url
    if uri in tree.docs or any(_base_uri(d) == uri for d in tree.docs.values()):
        return None
    span = doc.span(join_pointer(pointer, "$ref"))
    parts = urlsplit(uri)
    if parts.scheme != "file":
        diagnostics.append(
            Diagnostic(
                span,
                "WSG403",
                f'cannot resolve "$ref": "{ref}"',
                hint="wsgen resolves references only within the IDL folder: refer to a "
                "schema file by its relative path",
            )
        )
        return None
    path = Path(url2pathname(unquote(parts.path)))
    if not is_schema_file(path.name) or not path.resolve().is_relative_to(tree.root):
        diagnostics.append(
            Diagnostic(
                span,
                "WSG403",
                f'"$ref": "{ref}" points outside the schema files of the IDL folder',
                hint="a referenced file must live under the IDL folder and be named "
                "*.schema.json or schema.json",
            )
        )
        return None
    if not path.is_file():
        diagnostics.append(
            Diagnostic(span, "WSG403", f'"$ref": "{ref}" names a file that does not exist')
        )
        return None
    return path


def _resolve_all(
    tree: SchemaTree, sites: list[tuple[JsonDocument, str, str]], diagnostics: list[Diagnostic]
) -> None:
    resources = []
    where: dict[int, Location] = {}
    for uri, doc in tree.docs.items():
        resource = DRAFT202012.create_resource(doc.data)
        resources.append((uri, resource))
        base = _base_uri(doc)
        if base != uri:
            resources.append((base, resource))
        _index_nodes(uri, doc.data, where)
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(resources)
    for doc, pointer, ref in sites:
        span = doc.span(join_pointer(pointer, "$ref"))
        try:
            resolved = registry.resolver(base_uri=_base_uri(doc)).lookup(ref)
        except referencing.exceptions.Unresolvable:
            diagnostics.append(
                Diagnostic(
                    span,
                    "WSG403",
                    f'cannot resolve "$ref": "{ref}"',
                    hint="check the JSON pointer after '#' (it is case-sensitive and "
                    "percent-encoded)",
                )
            )
            continue
        target = where.get(id(resolved.contents))
        if target is None:  # a boolean schema: locate it by the pointer itself
            uri, fragment = urldefrag(urljoin(_base_uri(doc), ref))
            owner = next((u for u, d in tree.docs.items() if _base_uri(d) == uri), uri)
            target = (owner, unquote(fragment))
        tree.refs[(doc.uri, pointer)] = target
        if target[0] != doc.uri:
            tree.dependencies.setdefault(doc.path, set()).add(tree.docs[target[0]].path)


def _index_nodes(uri: str, node: Any, where: dict[int, Location]) -> None:
    stack: list[tuple[str, Any]] = [("", node)]
    while stack:
        pointer, n = stack.pop()
        if isinstance(n, dict):
            where[id(n)] = (uri, pointer)
            stack.extend((join_pointer(pointer, k), v) for k, v in n.items())
        elif isinstance(n, list):
            where[id(n)] = (uri, pointer)
            stack.extend((join_pointer(pointer, i), v) for i, v in enumerate(n))
