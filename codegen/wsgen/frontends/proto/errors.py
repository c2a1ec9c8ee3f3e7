"""Lower a .proto error catalog (an enum marked ``(wsgen.error_catalog)``) into the IR.

The proto form of docs/errors.md: each value but the zero value is a code, annotated with
``(wsgen.error)``. The wire name is the value name without the enum's prefix, by one rule:
the prefix is the enum name in UPPER_SNAKE_CASE plus ``_`` (``ErrorCode`` → ``ERROR_CODE_``).
Enum ``reserved`` numbers and names (protoc already keeps values off them) carry over, names
without the prefix, so removed codes stay reserved in every output.

This module only reads what the options say and reports what the proto form cannot express
(missing attributes, a value without the prefix, options in the wrong place); the rules that
hold for both input forms (ranges, duplicates, contradictions) are ``ir.validate_errors``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from google.protobuf import descriptor_pb2 as d
from google.protobuf.message import Message as PbMessage

from wsgen.backends.naming import camel_to_snake
from wsgen.diagnostics import Diagnostic
from wsgen.ir import model as ir

if TYPE_CHECKING:
    from wsgen.frontends.proto.lower import _FileCtx, _Options

__all__ = ["enum_prefix", "lower_error_catalogs"]

# SourceCodeInfo path components (descriptor.proto field numbers).
_FILE_MESSAGE, _FILE_ENUM, _MSG_NESTED, _MSG_ENUM, _ENUM_VALUE = 4, 5, 3, 4, 2

_LAYERS = {1: ir.ErrorLayer.CONNECTION, 2: ir.ErrorLayer.PROTOCOL, 3: ir.ErrorLayer.BUSINESS}
_ACTIONS = {
    1: ir.RecoveryAction.RETRY,
    2: ir.RecoveryAction.REAUTHENTICATE,
    3: ir.RecoveryAction.NOTIFY,
    4: ir.RecoveryAction.DEGRADE,
    5: ir.RecoveryAction.FATAL,
}
_OPTION_HINT = (
    "set it in the value's option: [(wsgen.error) = { layer: BUSINESS http_status: 404 "
    'close_code: 4404 message: "..." }]'
)


def enum_prefix(enum_name: str) -> str:
    """The prefix every value of a catalog enum starts with (docs/errors.md, "Names")."""
    return camel_to_snake(enum_name).upper() + "_"


def lower_error_catalogs(
    ctx: _FileCtx,
    options: _Options,
    found: list[ir.ErrorCatalog],
    diags: list[Diagnostic],
) -> None:
    """Append the file's error catalog (if any) to ``found``, the catalogs of the package so
    far; a second catalog in one package is an error that points at the first."""
    for en, full, path in _walk_enums(ctx.proto):
        marked = options.read(en.options, "EnumOptions", "wsgen.error_catalog") is not None
        if not marked:
            _reject_stray_options(ctx, options, en, full, path, diags)
            continue
        catalog = _lower_catalog(ctx, options, en, full, path, diags)
        if found:
            diags.append(
                Diagnostic(
                    catalog.span,
                    "WSG613",
                    f'package "{ctx.proto.package}" declares a second error catalog "{full}"',
                    notes=((found[0].span, f'the first is "{found[0].full_name}"'),),
                    hint="keep every error code of a package in one catalog enum",
                )
            )
            continue
        found.append(catalog)


_Found = tuple[d.EnumDescriptorProto, str, tuple[int, ...]]


def _walk_enums(f: d.FileDescriptorProto) -> Iterator[_Found]:
    """Every enum of the file with its full name and SourceCodeInfo path, in source order."""

    def full(scope: str, name: str) -> str:
        return f"{scope}.{name}" if scope else name

    def in_message(msg: d.DescriptorProto, scope: str, path: tuple[int, ...]) -> Iterator[_Found]:
        inner = full(scope, msg.name)
        for i, en in enumerate(msg.enum_type):
            yield en, full(inner, en.name), (*path, _MSG_ENUM, i)
        for i, nested in enumerate(msg.nested_type):
            yield from in_message(nested, inner, (*path, _MSG_NESTED, i))

    for i, en in enumerate(f.enum_type):
        yield en, full(f.package, en.name), (_FILE_ENUM, i)
    for i, msg in enumerate(f.message_type):
        yield from in_message(msg, f.package, (_FILE_MESSAGE, i))


def _reject_stray_options(
    ctx: _FileCtx,
    options: _Options,
    en: d.EnumDescriptorProto,
    full: str,
    path: tuple[int, ...],
    diags: list[Diagnostic],
) -> None:
    for i, v in enumerate(en.value):
        if options.read(v.options, "EnumValueOptions", "wsgen.error") is not None:
            diags.append(
                Diagnostic(
                    ctx.span((*path, _ENUM_VALUE, i)),
                    "WSG614",
                    f'value "{v.name}" has a (wsgen.error) option but enum "{full}" is not '
                    "an error catalog",
                    hint="mark the enum with: option (wsgen.error_catalog) = {};",
                )
            )


def _lower_catalog(
    ctx: _FileCtx,
    options: _Options,
    en: d.EnumDescriptorProto,
    full: str,
    path: tuple[int, ...],
    diags: list[Diagnostic],
) -> ir.ErrorCatalog:
    prefix = enum_prefix(en.name)
    codes: list[ir.ErrorCode] = []
    for i, v in enumerate(en.value):
        vpath = (*path, _ENUM_VALUE, i)
        span = ctx.span(vpath)
        opt = options.read(v.options, "EnumValueOptions", "wsgen.error")
        if v.number == 0:
            if opt is not None:
                diags.append(
                    Diagnostic(
                        span,
                        "WSG614",
                        f'zero value "{v.name}" of "{full}" cannot be an error code',
                        hint="proto3's zero value means 'unset'; give the code its own number",
                    )
                )
            continue
        if not v.name.startswith(prefix) or v.name == prefix:
            diags.append(
                Diagnostic(
                    span,
                    "WSG612",
                    f'value "{v.name}" of error catalog "{full}" does not start with the '
                    f'prefix "{prefix}"',
                    hint=f'rename it "{prefix}{v.name}": the wire name is the value name '
                    "without the prefix",
                )
            )
            continue
        name = v.name[len(prefix) :]
        if opt is None:
            diags.append(
                Diagnostic(
                    span,
                    "WSG606",
                    f'error code "{name}" of "{full}" has no (wsgen.error) option',
                    hint=_OPTION_HINT,
                )
            )
            continue
        code = _lower_code(opt, name, full, v, span, ctx.doc(vpath), diags)
        if code is not None:
            codes.append(code)
    return ir.ErrorCatalog(
        full_name=full,
        codes=tuple(codes),
        reserved_numbers=tuple((r.start, r.end) for r in en.reserved_range),
        reserved_names=tuple(n.removeprefix(prefix) for n in en.reserved_name),
        doc=ctx.doc(path),
        span=ctx.span(path),
    )


def _lower_code(
    opt: PbMessage,
    name: str,
    full: str,
    value: d.EnumValueDescriptorProto,
    span: ir.Span,
    doc: str,
    diags: list[Diagnostic],
) -> ir.ErrorCode | None:
    layer = _LAYERS.get(_get(opt, "layer"))
    http_status: int = _get(opt, "http_status")
    close_code: int = _get(opt, "close_code")
    message: str = _get(opt, "message")
    missing = [
        attr
        for attr, absent in (
            ("layer", layer is None),
            ("http_status", http_status == 0),
            ("close_code", close_code == 0),
            ("message", not message),
        )
        if absent
    ]
    for attr in missing:
        diags.append(
            Diagnostic(
                span,
                "WSG606",
                f'error code "{name}" of "{full}" has no {attr}',
                hint=_OPTION_HINT,
            )
        )
    if missing or layer is None:
        return None
    return ir.ErrorCode(
        name=name,
        number=value.number,
        layer=layer,
        http_status=http_status,
        close_code=close_code,
        message=message,
        grpc_status=_get(opt, "grpc_status") if opt.HasField("grpc_status") else None,
        action=_ACTIONS.get(_get(opt, "action")),
        retryable=_get(opt, "retryable") if opt.HasField("retryable") else None,
        doc=doc,
        deprecated=value.options.deprecated,
        span=span,
    )


def _get(options: PbMessage, name: str) -> Any:
    """A field of a dynamically built options message (its class is made at run time)."""
    return getattr(options, name)
