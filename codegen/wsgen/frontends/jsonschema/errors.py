"""Lower a schema.json error catalog (root keyword ``x-wsgen-errors``) into the IR.

The schema.json form of docs/errors.md, carrying what the proto form carries:

    "x-wsgen-errors": {
      "name": "ErrorCode",                      // optional; the catalog is <package>.<name>
      "description": "…",                       // optional
      "codes": [
        {"name": "AUTH_EXPIRED", "code": 1100, "layer": "connection", "httpStatus": 401,
         "grpcStatus": 16, "closeCode": 4401, "action": "reauthenticate", "retryable": true,
         "message": "…", "description": "…", "deprecated": false}
      ],
      "reservedNumbers": [1106, [3107, 3109]],  // single numbers or inclusive [from, to]
      "reservedNames": ["SESSION_STOLEN"]
    }

``name`` of a code is its wire name as it is (JSON has no enum scope that would need a
prefix); it follows the same pattern and length rule as proto names. The same catalog written
in either form lowers to equal IR. This module checks only the shape (keys, JSON types, known
layer and action words); the rules shared with .proto are ``ir.validate_errors``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from wsgen.diagnostics import Diagnostic
from wsgen.frontends.jsonschema.document import JsonDocument, join_pointer
from wsgen.frontends.jsonschema.resolve import SchemaTree
from wsgen.ir import model as ir

__all__ = ["DEFAULT_CATALOG_NAME", "KEYWORD", "attach_error_catalogs", "lower_error_catalogs"]

KEYWORD = "x-wsgen-errors"
DEFAULT_CATALOG_NAME = "ErrorCode"

_CATALOG_KEYS = ("name", "description", "codes", "reservedNumbers", "reservedNames")
_CODE_KEYS = (
    "name",
    "code",
    "layer",
    "httpStatus",
    "grpcStatus",
    "closeCode",
    "action",
    "retryable",
    "message",
    "description",
    "deprecated",
)
_REQUIRED = ("code", "layer", "httpStatus", "closeCode", "message")
_LAYERS = {layer.value: layer for layer in ir.ErrorLayer}
_ACTIONS = {action.value: action for action in ir.RecoveryAction}


class _Shape(Exception):
    """One shape problem at a pointer; lowering of that code (or catalog) stops."""

    def __init__(self, pointer: str, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.pointer, self.code, self.message, self.hint = pointer, code, message, hint


def lower_error_catalogs(
    tree: SchemaTree, packages: dict[str, str], diags: list[Diagnostic]
) -> dict[str, ir.ErrorCatalog]:
    """Package name → its catalog, from the root ``x-wsgen-errors`` of each file (``packages``
    maps a document URI to its package). A second catalog in one package is an error."""
    out: dict[str, ir.ErrorCatalog] = {}
    for uri, doc in tree.docs.items():
        data = doc.data
        if uri not in packages or not isinstance(data, dict) or KEYWORD not in data:
            continue
        package = packages[uri]
        catalog = _lower(doc, package, data[KEYWORD], diags)
        if catalog is None:
            continue
        first = out.get(package)
        if first is not None:
            diags.append(
                Diagnostic(
                    catalog.span,
                    "WSG613",
                    f'package "{package}" declares a second error catalog "{catalog.full_name}"',
                    notes=((first.span, f'the first is "{first.full_name}"'),),
                    hint="keep every error code of a package in one x-wsgen-errors section",
                )
            )
            continue
        out[package] = catalog
    return out


def attach_error_catalogs(model: ir.Model, catalogs: dict[str, ir.ErrorCatalog]) -> ir.Model:
    """``model`` with each package's ``errors`` set (packages keep their order)."""
    if not catalogs:
        return model
    packages = tuple(
        dataclasses.replace(p, errors=catalogs[p.name]) if p.name in catalogs else p
        for p in model.packages
    )
    return ir.Model(packages, model.files)


def _lower(
    doc: JsonDocument, package: str, node: Any, diags: list[Diagnostic]
) -> ir.ErrorCatalog | None:
    ptr = "/" + KEYWORD
    try:
        node = _object(node, ptr, f'"{KEYWORD}"')
        _known_keys(node, ptr, _CATALOG_KEYS, f'"{KEYWORD}"')
        name = _opt(node, ptr, "name", str, "a string", DEFAULT_CATALOG_NAME)
        if not name.isidentifier():
            raise _Shape(
                join_pointer(ptr, "name"),
                "WSG615",
                f'"name" of "{KEYWORD}" must be an identifier, not "{name}"',
            )
        codes = node.get("codes")
        if not isinstance(codes, list):
            raise _Shape(ptr, "WSG606", f'"{KEYWORD}" has no "codes" array')
        numbers = _reserved_numbers(
            node.get("reservedNumbers", []), join_pointer(ptr, "reservedNumbers")
        )
        names = _reserved_names(node.get("reservedNames", []), join_pointer(ptr, "reservedNames"))
        doc_text = _opt(node, ptr, "description", str, "a string", "")
    except _Shape as s:
        diags.append(Diagnostic(doc.span(s.pointer), s.code, s.message, hint=s.hint))
        return None
    lowered: list[ir.ErrorCode] = []
    for i, item in enumerate(codes):
        try:
            lowered.append(_code(doc, item, join_pointer(ptr, "codes", i), i))
        except _Shape as s:
            diags.append(Diagnostic(doc.span(s.pointer), s.code, s.message, hint=s.hint))
        except _Missing as m:
            diags.extend(m.diagnostics)
    return ir.ErrorCatalog(
        full_name=f"{package}.{name}" if package else name,
        codes=tuple(lowered),
        reserved_numbers=numbers,
        reserved_names=names,
        doc=doc_text,
        span=doc.span(ptr),
    )


class _Missing(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("missing keys")
        self.diagnostics = diagnostics


def _code(doc: JsonDocument, item: Any, ptr: str, index: int) -> ir.ErrorCode:
    item = _object(item, ptr, f"error code {index}")
    name = item.get("name")
    if not isinstance(name, str):
        raise _Shape(
            join_pointer(ptr, "name") if "name" in item else ptr,
            "WSG606" if name is None else "WSG615",
            f'error code {index} has no "name"'
            if name is None
            else f'"name" of error code {index} must be a string',
        )
    what = f'error code "{name}"'
    _known_keys(item, ptr, _CODE_KEYS, what)
    missing = [key for key in _REQUIRED if key not in item]
    if missing:
        raise _Missing(
            [
                Diagnostic(
                    doc.span(ptr),
                    "WSG606",
                    f'{what} has no "{key}"',
                    hint=f'add "{key}" to the code (docs/errors.md lists every attribute)',
                )
                for key in missing
            ]
        )
    layer = _word(item, ptr, "layer", _LAYERS, what)
    action = _word(item, ptr, "action", _ACTIONS, what) if "action" in item else None
    grpc = _int(item, ptr, "grpcStatus", what) if "grpcStatus" in item else None
    retryable = _opt(item, ptr, "retryable", bool, "true or false", None)
    assert isinstance(layer, ir.ErrorLayer)
    assert action is None or isinstance(action, ir.RecoveryAction)
    return ir.ErrorCode(
        name=name,
        number=_int(item, ptr, "code", what),
        layer=layer,
        http_status=_int(item, ptr, "httpStatus", what),
        close_code=_int(item, ptr, "closeCode", what),
        message=_string(item, ptr, "message", what),
        grpc_status=grpc,
        action=action,
        retryable=retryable,
        doc=_opt(item, ptr, "description", str, "a string", ""),
        deprecated=_opt(item, ptr, "deprecated", bool, "true or false", False),
        span=doc.span(ptr),
    )


def _object(node: Any, ptr: str, what: str) -> dict[str, Any]:
    if not isinstance(node, dict):
        raise _Shape(ptr, "WSG615", f"{what} must be a JSON object")
    return node


def _known_keys(node: dict[str, Any], ptr: str, known: tuple[str, ...], what: str) -> None:
    for key in node:
        if key not in known:
            raise _Shape(
                join_pointer(ptr, key),
                "WSG615",
                f'unknown key "{key}" in {what}',
                hint="known keys: " + ", ".join(known),
            )


def _opt(node: dict[str, Any], ptr: str, key: str, kind: type, want: str, default: Any) -> Any:
    if key not in node:
        return default
    value = node[key]
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise _Shape(join_pointer(ptr, key), "WSG615", f'"{key}" must be {want}')
    return value


def _int(node: dict[str, Any], ptr: str, key: str, what: str) -> int:
    value = node[key]
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Shape(join_pointer(ptr, key), "WSG615", f'"{key}" of {what} must be an integer')
    return value


def _string(node: dict[str, Any], ptr: str, key: str, what: str) -> str:
    value = node[key]
    if not isinstance(value, str) or not value:
        raise _Shape(
            join_pointer(ptr, key), "WSG615", f'"{key}" of {what} must be a non-empty string'
        )
    return value


def _word(
    node: dict[str, Any], ptr: str, key: str, words: dict[str, Any], what: str
) -> ir.ErrorLayer | ir.RecoveryAction:
    value = node[key]
    if not isinstance(value, str) or value not in words:
        shown = value if isinstance(value, str) else str(value)
        raise _Shape(
            join_pointer(ptr, key),
            "WSG607",
            f'unknown {key} "{shown}" of {what}',
            hint="use one of: " + ", ".join(words),
        )
    found: ir.ErrorLayer | ir.RecoveryAction = words[value]
    return found


def _reserved_numbers(node: Any, ptr: str) -> tuple[tuple[int, int], ...]:
    if not isinstance(node, list):
        raise _Shape(ptr, "WSG615", '"reservedNumbers" must be an array')
    out = []
    for i, item in enumerate(node):
        if _is_int(item):
            out.append((item, item))
        elif isinstance(item, list) and len(item) == 2 and all(map(_is_int, item)):
            if item[0] > item[1]:
                raise _Shape(join_pointer(ptr, i), "WSG615", "a reserved range must not be empty")
            out.append((item[0], item[1]))
        else:
            raise _Shape(
                join_pointer(ptr, i),
                "WSG615",
                '"reservedNumbers" holds numbers and [from, to] pairs',
            )
    return tuple(out)


def _reserved_names(node: Any, ptr: str) -> tuple[str, ...]:
    if not isinstance(node, list) or not all(isinstance(n, str) for n in node):
        raise _Shape(ptr, "WSG615", '"reservedNames" must be an array of strings')
    return tuple(node)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
