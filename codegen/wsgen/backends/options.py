"""Options that shape generated output. Part of the manifest hash: change one, output drifts."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_PYTHON_PACKAGE", "TARGETS", "BuildOptions"]

TARGETS = ("python", "typescript", "jsonschema")
DEFAULT_PYTHON_PACKAGE = "wsgen_generated"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """``python_package`` is the one root package all generated Python modules live under, so
    a generated ``google`` or ``json`` package can never shadow a real one.
    ``elide_version`` drops the wsgen version from headers (goldens stay stable across
    releases). ``jsonschema_strict`` closes every message object in the JSON Schema output
    (``additionalProperties: false``), matching decoders run with ``strict=True``."""

    targets: tuple[str, ...] = TARGETS
    python_package: str = DEFAULT_PYTHON_PACKAGE
    elide_version: bool = False
    jsonschema_strict: bool = False
