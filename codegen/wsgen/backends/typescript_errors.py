"""TypeScript error catalogs: IR ``ErrorCatalog`` → ``typescript/<package>.errors.ts`` plus the
shared ``typescript/wsgen-errors.ts`` (docs/errors.md).

The shared module is the TypeScript twin of ``wsgen_runtime.errors`` / ``close`` /
``recovery``: its tables (layer ranges, built-in block, standard close codes, decision table)
are rendered from the Python runtime's own data, so the two languages cannot drift, and the
cross-language vectors (tests/vectors/errors.json) check that the logic agrees. Each package
module holds a const object and union type of the codes, the resolved metadata table, type
guards, lookups and one ``WsError`` subclass per layer. Both are written only when the model
has a catalog, so outputs without one are unchanged.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

import wsgen_runtime.close as rt_close
import wsgen_runtime.errors as rt
import wsgen_runtime.recovery as rt_recovery
from wsgen.backends import escape, naming
from wsgen.backends.options import BuildOptions
from wsgen.backends.render import generated_header, render_template
from wsgen.ir import model as ir
from wsgen.ir.validate_errors import effective_action, effective_retryable

__all__ = ["ERRORS_SUPPORT_MODULE", "render_typescript_errors"]

ERRORS_SUPPORT_MODULE = "typescript/wsgen-errors.ts"

_FIXED = frozenset(
    {
        "ErrorTable",
        "WsError",
        "ErrorInfo",
        "WsErrorOptions",
        "ERRORS",
        "TABLE",
        "CODES",
        "hasOwn",
        "fromCode",
        "fromName",
        "info",
        "error",
        "fromJSON",
        "LAYER_CLASSES",
        "ConnectionLayerError",
        "ProtocolLayerError",
        "BusinessLayerError",
    }
)
_LAYER_CLASSES = (
    ("connection", "ConnectionLayerError"),
    ("protocol", "ProtocolLayerError"),
    ("business", "BusinessLayerError"),
)


@dataclass(frozen=True, slots=True)
class TsErrorMember:
    name: str
    number: int
    doc: list[str]


@dataclass(frozen=True, slots=True)
class TsErrorEntry:
    number: int
    lines: list[str]


@dataclass(frozen=True, slots=True)
class TsLayerClass:
    layer: str
    name: str


@dataclass(frozen=True, slots=True)
class TsErrorsModule:
    path: str
    header: list[str]
    doc: list[str]
    support: str  # import specifier of the shared module, quoted
    full_name: str
    enum: str
    enum_doc: list[str]
    name_type: str
    is_code: str
    is_name: str
    members: list[TsErrorMember]
    entries: list[TsErrorEntry]
    numbers: list[int]
    layers: list[TsLayerClass]


def render_typescript_errors(model: ir.Model, options: BuildOptions) -> dict[str, str]:
    """Output path → text: one module per package with a catalog, and the shared module."""
    packages = [p for p in model.packages if p.errors is not None]
    if not packages:
        return {}
    from wsgen.backends.typescript_view import module_paths

    paths = module_paths(model)
    out: dict[str, str] = {}
    sources: list[str] = []
    for pkg in packages:
        assert pkg.errors is not None
        path = paths[pkg.name].removesuffix(".ts") + ".errors.ts"
        module = _module(pkg, pkg.errors, path, options)
        out[path] = render_template("typescript/errors.ts.jinja", m=module)
        sources.extend((pkg.errors.span.file,) if pkg.errors.span else pkg.files)
    out[ERRORS_SUPPORT_MODULE] = render_template(
        "typescript/errors_support.ts.jinja",
        header=_header(tuple(sorted(set(sources))), options),
        **support_context(),
    )
    return dict(sorted(out.items()))


def support_context() -> dict[str, object]:
    """The runtime's tables, as the shared template prints them."""
    return {
        "layer_ranges": [(layer.value, lo, hi) for layer, (lo, hi) in rt.LAYER_RANGES.items()],
        "layer_defaults": [(layer.value, a.value) for layer, a in rt.LAYER_DEFAULT_ACTIONS.items()],
        "builtin_block_size": rt.BUILTIN_BLOCK_SIZE,
        "builtins": ["{ " + ", ".join(_info_fields(info)) + " }" for info in rt.BUILTIN_ERRORS],
        "builtin_names": [info.name for info in rt.BUILTIN_ERRORS],
        "max_reason": rt_close.MAX_CLOSE_REASON_BYTES,
        "max_retry": rt_close.MAX_RETRY_AFTER_MS,
        "max_name_length": rt_close.MAX_NAME_LENGTH,
        "standard_close_codes": [
            (code, builtin.name) for code, builtin in sorted(rt_close.STANDARD_CLOSE_CODES.items())
        ],
        "never_sent": sorted(rt_close.NEVER_SENT),
        "sendable_standard": [
            c for c in sorted(rt_close.STANDARD_CLOSE_CODES) if rt_close.is_sendable_close_code(c)
        ],
        "decision_table": [
            (action.value, ["true" if x else "false" for x in row])
            for action, row in rt_recovery.DECISION_TABLE.items()
        ],
    }


def _info_fields(info: rt.ErrorInfo) -> list[str]:
    return [
        f"code: {info.code}",
        f"name: {escape.ts_string(info.name)}",
        f"layer: {escape.ts_string(info.layer.value)}",
        f"httpStatus: {info.http_status}",
        f"grpcStatus: {'null' if info.grpc_status is None else info.grpc_status}",
        f"closeCode: {info.close_code}",
        f"action: {escape.ts_string(info.action.value)}",
        f"retryable: {'true' if info.retryable else 'false'}",
        f"message: {escape.ts_string(info.message)}",
        f"builtin: {'true' if info.builtin else 'false'}",
    ]


def _module(
    pkg: ir.Package, catalog: ir.ErrorCatalog, path: str, options: BuildOptions
) -> TsErrorsModule:
    sources = (catalog.span.file,) if catalog.span else pkg.files
    scope = naming.Scope(naming.TS_RESERVED | _FIXED)
    enum = scope.claim(catalog.full_name.rsplit(".", 1)[-1])
    name_type = scope.claim(f"{enum}Name")
    is_code = scope.claim(f"is{enum}")
    is_name = scope.claim(f"is{enum}Name")
    members = [
        TsErrorMember(code.name, code.number, _doc(code.doc, deprecated=code.deprecated))
        for code in catalog.codes
    ]
    entries = [
        TsErrorEntry(
            code.number,
            _info_fields(
                rt.ErrorInfo(
                    code=code.number,
                    name=code.name,
                    layer=rt.ErrorLayer(code.layer.value),
                    http_status=code.http_status,
                    close_code=code.close_code,
                    action=rt.RecoveryAction(effective_action(code).value),
                    retryable=effective_retryable(code),
                    message=code.message,
                    grpc_status=code.grpc_status,
                )
            ),
        )
        for code in catalog.codes
    ]
    return TsErrorsModule(
        path=path,
        header=_header(sources, options),
        doc=_doc(
            f"Error catalog `{catalog.full_name}` (docs/errors.md)."
            + (f"\n\n{catalog.doc}" if catalog.doc else "")
        ),
        support=_specifier(path, ERRORS_SUPPORT_MODULE),
        full_name=catalog.full_name,
        enum=enum,
        enum_doc=_doc(catalog.doc or f"The codes of `{catalog.full_name}`."),
        name_type=name_type,
        is_code=is_code,
        is_name=is_name,
        members=members,
        entries=entries,
        numbers=[code.number for code in catalog.codes],
        layers=[TsLayerClass(layer, name) for layer, name in _LAYER_CLASSES],
    )


def _doc(text: str, *, deprecated: bool = False) -> list[str]:
    """A JSDoc block as lines; IDL text passes ``escape.ts_doc_comment`` (cannot close it)."""
    lines = escape.ts_doc_comment(text)
    if deprecated:
        lines.append("@deprecated")
    if not lines:
        return []
    if len(lines) == 1:
        return [f"/** {lines[0]} */"]
    return ["/**", *(f" * {line}".rstrip() for line in lines), " */"]


def _header(sources: tuple[str, ...], options: BuildOptions) -> list[str]:
    return escape.ts_line_comment(generated_header(sources, elide_version=options.elide_version))


def _specifier(from_path: str, to_path: str) -> str:
    """Relative ESM specifier with a ``.js`` extension (as the TypeScript backend writes)."""
    rel = posixpath.relpath(to_path, posixpath.dirname(from_path))
    if not rel.startswith("."):
        rel = "./" + rel
    return escape.ts_string(rel.removesuffix(".ts") + ".js")
