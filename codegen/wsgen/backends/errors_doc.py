"""Markdown reference of each error catalog: ``docs/<package>.errors.md`` (docs/errors.md).

One page per package with a catalog: the codes grouped by layer (number, wire name, HTTP and
gRPC status, close code, resolved action, retryable, message), each code's description, the
reserved numbers and names, and wsgen's built-in block for reference. Rendered for every
target, so the page sits beside whichever bindings were built; identical text each time.
"""

from __future__ import annotations

from dataclasses import dataclass

import wsgen_runtime.errors as rt
from wsgen.backends import escape
from wsgen.backends.options import BuildOptions
from wsgen.backends.render import generated_header, render_template
from wsgen.ir import model as ir
from wsgen.ir.validate_errors import effective_action, effective_retryable

__all__ = ["doc_path", "render_errors_doc"]

_LAYER_TITLES = {
    ir.ErrorLayer.CONNECTION: "Connection",
    ir.ErrorLayer.PROTOCOL: "Protocol",
    ir.ErrorLayer.BUSINESS: "Business",
}


@dataclass(frozen=True, slots=True)
class _Row:
    cells: list[str]


@dataclass(frozen=True, slots=True)
class _Section:
    title: str
    range: str
    rows: list[_Row]
    notes: list[tuple[str, list[str]]]  # (code name, description lines)


@dataclass(frozen=True, slots=True)
class _Page:
    header: str
    title: str
    doc: list[str]
    sections: list[_Section]
    reserved_numbers: str
    reserved_names: str
    builtins: list[_Row]


def doc_path(package: str) -> str:
    return f"docs/{package or '_default'}.errors.md"


def render_errors_doc(model: ir.Model, options: BuildOptions) -> dict[str, str]:
    """Output path → Markdown, for every package with an error catalog."""
    out = {}
    for pkg in model.packages:
        if pkg.errors is not None:
            out[doc_path(pkg.name)] = render_template(
                "docs/errors.md.jinja", p=_page(pkg, pkg.errors, options)
            )
    return out


def _page(pkg: ir.Package, catalog: ir.ErrorCatalog, options: BuildOptions) -> _Page:
    sources = (catalog.span.file,) if catalog.span else pkg.files
    sections = []
    for layer, title in _LAYER_TITLES.items():
        low, high = rt.LAYER_RANGES[rt.ErrorLayer(layer.value)]
        codes = [c for c in catalog.codes if c.layer is layer]
        sections.append(
            _Section(
                title=title,
                range=f"{low}-{high}",
                rows=[_row(c) for c in codes],
                notes=[
                    (c.name, _lines(c.doc, c.deprecated)) for c in codes if c.doc or c.deprecated
                ],
            )
        )
    numbers = ", ".join(
        str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in catalog.reserved_numbers
    )
    return _Page(
        header=_comment(generated_header(sources, elide_version=options.elide_version)),
        title=_cell(catalog.full_name),
        doc=[_inline(line) for line in escape.doc_lines(catalog.doc)],
        sections=sections,
        reserved_numbers=numbers or "none",
        reserved_names=", ".join(f"`{n}`" for n in map(_code_span, catalog.reserved_names))
        or "none",
        builtins=[
            _Row(
                [
                    str(i.code),
                    f"`{i.name}`",
                    i.layer.value,
                    str(i.http_status),
                    str(i.close_code),
                    i.action.value,
                    _cell(i.message),
                ]
            )
            for i in rt.BUILTIN_ERRORS
        ],
    )


def _row(code: ir.ErrorCode) -> _Row:
    return _Row(
        [
            str(code.number),
            f"`{_code_span(code.name)}`",
            str(code.http_status),
            "" if code.grpc_status is None else str(code.grpc_status),
            str(code.close_code),
            effective_action(code).value,
            "yes" if effective_retryable(code) else "no",
            _cell(code.message),
        ]
    )


def _lines(doc: str, deprecated: bool) -> list[str]:
    lines = [_inline(line) for line in escape.doc_lines(doc)]
    if not deprecated:
        return lines
    return [*lines, "", "Deprecated."] if lines else ["Deprecated."]


def _inline(text: str) -> str:
    """IDL text as Markdown text: backslash and backtick escaped (no code span or fence can
    open), HTML cannot open (``<``, ``>``, ``&``); the rest renders as written."""
    text = text.replace("\\", "\\\\").replace("`", "\\`")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: str) -> str:
    """IDL text inside a table cell: one line, ``|`` escaped so it cannot end the cell."""
    return _inline(" ".join(escape.doc_lines(text))).replace("|", "\\|")


def _code_span(name: str) -> str:
    return name.replace("`", "")


def _comment(text: str) -> str:
    """An HTML comment body that cannot close early."""
    return " ".join(escape.doc_lines(text)).replace("--", "- -")
