"""The error catalog in a JSON Schema bundle: the root ``x-wsgen-errors`` keyword.

Written in exactly the form the schema.json frontend reads (``frontends/jsonschema/errors.py``),
with the attributes as the IDL declared them, so a bundle read back as input lowers to the same
catalog. Keys in a fixed order, optional attributes only when set: output is deterministic.
"""

from __future__ import annotations

from typing import Any

from wsgen.ir import model as ir

__all__ = ["KEYWORD", "error_catalog_keyword"]

KEYWORD = "x-wsgen-errors"


def error_catalog_keyword(catalog: ir.ErrorCatalog) -> dict[str, Any]:
    """The ``x-wsgen-errors`` value for ``catalog``."""
    out: dict[str, Any] = {"name": catalog.full_name.rsplit(".", 1)[-1]}
    if catalog.doc:
        out["description"] = catalog.doc
    out["codes"] = [_code(c) for c in catalog.codes]
    if catalog.reserved_numbers:
        out["reservedNumbers"] = [
            low if low == high else [low, high] for low, high in catalog.reserved_numbers
        ]
    if catalog.reserved_names:
        out["reservedNames"] = list(catalog.reserved_names)
    return out


def _code(code: ir.ErrorCode) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": code.name,
        "code": code.number,
        "layer": code.layer.value,
        "httpStatus": code.http_status,
    }
    if code.grpc_status is not None:
        out["grpcStatus"] = code.grpc_status
    out["closeCode"] = code.close_code
    if code.action is not None:
        out["action"] = code.action.value
    if code.retryable is not None:
        out["retryable"] = code.retryable
    out["message"] = code.message
    if code.doc:
        out["description"] = code.doc
    if code.deprecated:
        out["deprecated"] = True
    return out
