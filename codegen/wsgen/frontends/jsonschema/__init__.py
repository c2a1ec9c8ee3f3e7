"""The schema.json frontend: JSON Schema 2020-12 message catalogs → the IR (docs/schema-json.md).

Stages, each collecting all of its diagnostics and stopping the frontend when any is an error:
load (parse, meta-schema check, ``$ref`` resolution) → packages and framing → declarations
and names → lowering → frames.
"""

from __future__ import annotations

from pathlib import Path

from wsgen.diagnostics import CompileError, Diagnostic
from wsgen.frontends.jsonschema.catalog import (
    catalog_definitions,
    check_root_keywords,
    file_framing,
    file_package,
    lower_frame,
)
from wsgen.frontends.jsonschema.declare import declare_tree
from wsgen.frontends.jsonschema.document import recursion_headroom
from wsgen.frontends.jsonschema.errors import attach_error_catalogs, lower_error_catalogs
from wsgen.frontends.jsonschema.limits import MAX_SCHEMA_DEPTH
from wsgen.frontends.jsonschema.lower import Lowered, lower_declarations
from wsgen.frontends.jsonschema.resolve import SchemaTree, is_schema_file, load_tree
from wsgen.frontends.jsonschema.scalars import Problem
from wsgen.ir import model as ir

__all__ = ["find_schema_files", "load_jsonschema_tree"]


def find_schema_files(idl_dir: Path) -> list[Path]:
    """Every ``*.schema.json`` and ``schema.json`` under ``idl_dir``, hidden folders and
    node_modules skipped, sorted by relative path."""
    found = []
    for path in idl_dir.rglob("*.json"):
        rel = path.relative_to(idl_dir)
        if any(p.startswith(".") or p == "node_modules" for p in rel.parts[:-1]):
            continue
        if is_schema_file(path.name) and path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(idl_dir).as_posix())


def load_jsonschema_tree(idl_dir: Path, files: list[Path] | None = None) -> ir.Model:
    """Lower ``files`` (default: every schema file under ``idl_dir``), and every schema file
    they refer to, into one Model; raises ``CompileError`` with every problem found.

    The passes recurse once per schema level; nesting is bounded first (``limits``), and they
    run with stack headroom for that bound. Should anything still recurse too deeply (a long
    chain of ``$ref`` aliases, say), that is a diagnostic, never a traceback."""
    try:
        with recursion_headroom():
            return _load(idl_dir, files)
    except RecursionError:
        raise CompileError(
            [
                Diagnostic(
                    None,
                    "WSG406",
                    "schemas nest too deeply to lower (through properties, items or $ref aliases)",
                    hint=f"keep nesting under {MAX_SCHEMA_DEPTH} levels: give inner schemas "
                    "names in $defs",
                )
            ]
        ) from None


def _load(idl_dir: Path, files: list[Path] | None) -> ir.Model:
    diags: list[Diagnostic] = []
    tree = load_tree(idl_dir, find_schema_files(idl_dir) if files is None else files, diags)
    _stop(diags)
    packages: dict[str, str] = {}
    skip: dict[str, frozenset[str]] = {}
    for uri, doc in tree.docs.items():
        pkg = file_package(doc, diags)
        if pkg is not None:
            packages[uri] = pkg
        skip[uri] = catalog_definitions(doc, diags)  # a bundle's catalog views declare nothing
        check_root_keywords(tree, doc, diags)
    framings = _framings(tree, packages, diags)
    errors = lower_error_catalogs(tree, packages, diags)  # issue 4: x-wsgen-errors
    _stop(diags)
    decls = declare_tree(tree, packages, diags, skip)
    _stop(diags)
    lowered = lower_declarations(tree, decls, diags)
    _stop(diags)
    _check_type_depth(lowered, diags)
    _stop(diags)
    frames = _frames(tree, lowered, framings, diags)
    _stop(diags)
    return attach_error_catalogs(_assemble(tree, packages, lowered, framings, frames), errors)


def _stop(diags: list[Diagnostic]) -> None:
    if diags:
        raise CompileError(diags)


def _check_type_depth(lowered: Lowered, diags: list[Diagnostic]) -> None:
    """Arrays and maps nested through ``$ref`` aliases escape the per-document depth limit
    (each alias is shallow); the backends recurse through field types, so bound them too."""
    for _, msg in lowered.messages:
        types = [(f.span, f.type) for f in msg.fields]
        if msg.additional_properties is not None:
            types.append((msg.span, msg.additional_properties))
        for span, t in types:
            if _depth(t) > MAX_SCHEMA_DEPTH:
                diags.append(
                    Diagnostic(
                        span,
                        "WSG406",
                        f"a type nested more than {MAX_SCHEMA_DEPTH} levels deep (arrays, "
                        "maps and unions, through $ref)",
                        hint="wrap an inner level in an object definition",
                    )
                )


def _depth(t: ir.FieldType) -> int:
    deepest = 0
    stack = [(t, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, ir.ListType):
            stack.append((node.element, depth + 1))
        elif isinstance(node, ir.MapType):
            stack.append((node.value, depth + 1))
        elif isinstance(node, ir.JsonUnionType):
            stack.extend((v, depth + 1) for v in node.variants)
    return deepest


def _framings(
    tree: SchemaTree, packages: dict[str, str], diags: list[Diagnostic]
) -> dict[str, tuple[ir.Framing, ir.Span]]:
    """The framing of each package that declares one; every file of a package must agree."""
    out: dict[str, tuple[ir.Framing, ir.Span]] = {}
    for uri, doc in tree.docs.items():
        framing = file_framing(doc, diags)
        if framing is None or uri not in packages:
            continue
        pkg = packages[uri]
        span = doc.span("/x-wsgen-framing" if "x-wsgen-framing" in doc.data else "")
        if pkg in out and out[pkg][0] != framing:
            diags.append(
                Diagnostic(
                    span,
                    "WSG302",
                    f'files of package "{pkg}" declare different catalog framings',
                    notes=((out[pkg][1], "the other declaration is here"),),
                    hint="give every file of the package the same x-wsgen-framing",
                )
            )
        out.setdefault(pkg, (framing, span))
    return out


def _frames(
    tree: SchemaTree,
    lowered: Lowered,
    framings: dict[str, tuple[ir.Framing, ir.Span]],
    diags: list[Diagnostic],
) -> dict[str, list[ir.Frame]]:
    out: dict[str, list[ir.Frame]] = {}
    for decl, msg in lowered.messages:
        if "x-wsgen-frame" not in decl.at.node:
            continue
        framing = framings.get(decl.package, (ir.Framing(), None))[0]
        try:
            frame = lower_frame(tree, decl, framing, msg.doc)
        except Problem as p:
            diags.append(
                Diagnostic(decl.at.span(p.keyword), p.code or "WSG408", p.message, hint=p.hint)
            )
            continue
        out.setdefault(decl.package, []).append(frame)
    return out


def _assemble(
    tree: SchemaTree,
    packages: dict[str, str],
    lowered: Lowered,
    framings: dict[str, tuple[ir.Framing, ir.Span]],
    frames: dict[str, list[ir.Frame]],
) -> ir.Model:
    names = sorted(set(packages.values()))
    out = []
    for name in names:
        catalog = None
        if name in frames:
            framing, span = framings.get(name, (ir.Framing(), None))
            catalog = ir.Catalog(name, framing, tuple(frames[name]), span=span)
        out.append(
            ir.Package(
                name=name,
                files=tuple(sorted(tree.docs[u].path for u, p in packages.items() if p == name)),
                messages=tuple(m for d, m in lowered.messages if d.package == name),
                enums=tuple(e for d, e in lowered.enums if d.package == name),
                unions=tuple(u for d, u in lowered.unions if d.package == name),
                catalog=catalog,
            )
        )
    files = tuple(
        ir.File(
            doc.path,
            packages[uri],
            "jsonschema",
            tuple(sorted(tree.dependencies.get(doc.path, ()))),
        )
        for uri, doc in sorted(tree.docs.items(), key=lambda kv: kv[1].path)
    )
    return ir.Model(tuple(out), files)
