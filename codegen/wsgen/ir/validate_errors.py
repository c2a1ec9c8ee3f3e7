"""Rules every error catalog meets, whichever input form declared it (docs/errors.md).

The numbers and names the rules use — layer ranges, wsgen's built-in block, the close-reason
length limit, which close codes may be sent, the action precedence — are the runtime's own
(``wsgen_runtime.errors`` / ``close``), so the compiler and the code it ships cannot drift.
Each violation is one diagnostic at the code's position (``file:line:col``, or the JSON
pointer of a schema.json code), codes WSG601-WSG611.
"""

from __future__ import annotations

import wsgen_runtime.close as rt_close
import wsgen_runtime.errors as rt
from wsgen.diagnostics import Diagnostic
from wsgen.ir import model as ir

__all__ = ["effective_action", "effective_retryable", "validate_error_catalog"]

_BUILTIN_NAMES = {info.name: info.code for info in rt.BUILTIN_ERRORS}
_GRPC_MAX = 16  # google.rpc.Code: OK (0) … UNAUTHENTICATED (16)


def effective_action(code: ir.ErrorCode) -> ir.RecoveryAction:
    """The action after the precedence (``wsgen_runtime.errors.resolve_action``)."""
    action = rt.resolve_action(
        rt.ErrorLayer(code.layer.value),
        code.close_code,
        rt.RecoveryAction(code.action.value) if code.action else None,
        code.retryable,
    )
    return ir.RecoveryAction(action.value)


def effective_retryable(code: ir.ErrorCode) -> bool:
    return rt.resolve_retryable(rt.RecoveryAction(effective_action(code).value), code.retryable)


def validate_error_catalog(catalog: ir.ErrorCatalog | None) -> list[Diagnostic]:
    """Every problem of ``catalog`` (nothing for None), unsorted."""
    if catalog is None:
        return []
    out: list[Diagnostic] = []
    by_number: dict[int, ir.ErrorCode] = {}
    by_name: dict[str, ir.ErrorCode] = {}
    for code in catalog.codes:
        out.extend(_check_name(code))
        out.extend(_check_number(code))
        out.extend(_check_reserved(catalog, code))
        out.extend(_check_statuses(code))
        out.extend(_check_contradictions(code))
        first = by_number.setdefault(code.number, code)
        if first is not code:
            out.append(
                Diagnostic(
                    code.span,
                    "WSG603",
                    f'duplicate error code number {code.number} ("{code.name}" and "{first.name}")',
                    notes=((first.span, "first declared here"),),
                    hint="every code needs its own number; pick an unused one",
                )
            )
        first = by_name.setdefault(code.name, code)
        if first is not code:
            out.append(
                Diagnostic(
                    code.span,
                    "WSG604",
                    f'duplicate error code name "{code.name}"',
                    notes=((first.span, "first declared here"),),
                    hint="names travel on the wire and must be unique; rename one of them",
                )
            )
    return out


def _check_name(code: ir.ErrorCode) -> list[Diagnostic]:
    if not rt.NAME_PATTERN.fullmatch(code.name):
        return [
            Diagnostic(
                code.span,
                "WSG608",
                f'error code name "{code.name}" does not match ^[A-Z][A-Z0-9_]*$',
                hint="write names in UPPER_SNAKE_CASE, starting with a letter",
            )
        ]
    if len(code.name) > rt_close.MAX_NAME_LENGTH:
        return [
            Diagnostic(
                code.span,
                "WSG608",
                f'error code name "{code.name}" is {len(code.name)} characters long; at most '
                f"{rt_close.MAX_NAME_LENGTH} fit a close reason",
                hint="RFC 6455 limits a close reason to 123 bytes; shorten the name",
            )
        ]
    if code.name in _BUILTIN_NAMES:
        return [
            Diagnostic(
                code.span,
                "WSG602",
                f'error code name "{code.name}" is taken by wsgen\'s built-in error '
                f"{_BUILTIN_NAMES[code.name]}",
                hint="built-in names mean the same thing to every wsgen peer; choose another",
            )
        ]
    return []


def _check_number(code: ir.ErrorCode) -> list[Diagnostic]:
    layer = rt.ErrorLayer(code.layer.value)
    low, high = rt.LAYER_RANGES[layer]
    block_low, block_high = rt.builtin_block(layer)
    if not low <= code.number <= high:
        return [
            Diagnostic(
                code.span,
                "WSG601",
                f'error code "{code.name}" ({code.number}) is outside the range of the '
                f"{layer.value} layer ({low}-{high})",
                hint=f"use a number in {block_high + 1}-{high}, or change its layer",
            )
        ]
    if block_low <= code.number <= block_high:
        return [
            Diagnostic(
                code.span,
                "WSG602",
                f'error code "{code.name}" ({code.number}) is in wsgen\'s built-in block '
                f"{block_low}-{block_high}",
                hint=f"codes of the {layer.value} layer start at {block_high + 1}",
            )
        ]
    return []


def _check_reserved(catalog: ir.ErrorCatalog, code: ir.ErrorCode) -> list[Diagnostic]:
    out = []
    if any(low <= code.number <= high for low, high in catalog.reserved_numbers):
        out.append(
            Diagnostic(
                code.span,
                "WSG605",
                f'error code "{code.name}" uses reserved number {code.number}',
                hint="a reserved number belonged to a removed code and is never reused; "
                "pick a new one",
            )
        )
    if code.name in catalog.reserved_names:
        out.append(
            Diagnostic(
                code.span,
                "WSG605",
                f'error code "{code.name}" uses a reserved name',
                hint="a reserved name belonged to a removed code and is never reused; "
                "choose another",
            )
        )
    return out


def _check_statuses(code: ir.ErrorCode) -> list[Diagnostic]:
    out = []
    if not rt_close.is_sendable_close_code(code.close_code):
        why = (
            "which is never sent (it only reports what a client observed)"
            if code.close_code in rt_close.NEVER_SENT
            else "which is neither a standard close code nor in 4000-4999"
        )
        out.append(
            Diagnostic(
                code.span,
                "WSG610",
                f'error code "{code.name}" has close code {code.close_code}, {why}',
                hint="use 1000-1003, 1007-1014, 4000-4499 (may reconnect) or 4500-4999 "
                "(do not reconnect)",
            )
        )
    if not 100 <= code.http_status <= 599:
        out.append(
            Diagnostic(
                code.span,
                "WSG611",
                f'error code "{code.name}" has HTTP status {code.http_status}, not in 100-599',
                hint="use the HTTP status a gateway would answer with",
            )
        )
    if code.grpc_status is not None and not 0 <= code.grpc_status <= _GRPC_MAX:
        out.append(
            Diagnostic(
                code.span,
                "WSG611",
                f'error code "{code.name}" has gRPC status {code.grpc_status}, '
                f"not in 0-{_GRPC_MAX}",
                hint="use a google.rpc.Code number, or leave it out",
            )
        )
    return out


def _check_contradictions(code: ir.ErrorCode) -> list[Diagnostic]:
    final = rt_close.is_final_close_code(code.close_code)
    reconnects = code.action in (ir.RecoveryAction.RETRY, ir.RecoveryAction.REAUTHENTICATE)
    problems = []
    if code.action is ir.RecoveryAction.RETRY and code.retryable is False:
        problems.append("action retry with retryable false")
    if code.action is ir.RecoveryAction.FATAL and code.retryable is True:
        problems.append("action fatal with retryable true")
    if reconnects and final and code.action is not None:
        problems.append(
            f"action {code.action.value} with close code {code.close_code} "
            "(4500-4999 means do not reconnect)"
        )
    if code.retryable is True and final:
        problems.append(
            f"retryable true with close code {code.close_code} (4500-4999 means do not reconnect)"
        )
    return [
        Diagnostic(
            code.span,
            "WSG609",
            f'error code "{code.name}" contradicts itself: {problem}',
            hint="change one of the two attributes; docs/errors.md lists what goes together",
        )
        for problem in problems
    ]
