"""``wsgen.toml``: per-IDL-tree settings, read by ``build`` and ``check`` alike.

Keeping the settings beside the IDL (rather than in command-line flags) means ``wsgen check``
in CI and pre-commit always compares against output built with the same options.

```toml
out = "../generated"          # relative to this file; default: ./generated (cwd)
targets = ["python", "typescript"]
version_in_header = true

[python]
package = "chatapp"           # the one root package of all generated modules

[jsonschema]
strict = false                # true: message objects are closed (additionalProperties: false)
```
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from wsgen.backends.options import DEFAULT_PYTHON_PACKAGE, TARGETS, BuildOptions
from wsgen.diagnostics import CompileError, Diagnostic
from wsgen.ir.model import Span

__all__ = ["CONFIG_NAME", "Config", "load_config"]

CONFIG_NAME = "wsgen.toml"


@dataclass(frozen=True, slots=True)
class Config:
    out: Path | None
    options: BuildOptions


def load_config(idl_dir: Path) -> Config:
    """Read ``<idl_dir>/wsgen.toml`` if present; defaults otherwise."""
    path = idl_dir / CONFIG_NAME
    if not path.is_file():
        return Config(None, BuildOptions())
    span = Span(CONFIG_NAME)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CompileError([Diagnostic(span, "WSG010", f"invalid {CONFIG_NAME}: {exc}")]) from None
    errors: list[Diagnostic] = []
    known = {"out", "targets", "version_in_header", "python", "typescript", "jsonschema"}
    for key in sorted(set(data) - known):
        errors.append(
            Diagnostic(span, "WSG011", f'unknown setting "{key}"', hint=f"known: {sorted(known)}")
        )
    targets = data.get("targets", list(TARGETS))
    if not isinstance(targets, list) or not all(t in TARGETS for t in targets):
        errors.append(
            Diagnostic(span, "WSG012", f"targets must be a list drawn from {list(TARGETS)}")
        )
        targets = list(TARGETS)
    py = data.get("python", {})
    package = py.get("package", DEFAULT_PYTHON_PACKAGE) if isinstance(py, dict) else ""
    if not isinstance(package, str) or not package.isidentifier():
        errors.append(Diagnostic(span, "WSG013", "python.package must be a Python identifier"))
        package = DEFAULT_PYTHON_PACKAGE
    if errors:
        raise CompileError(errors)
    out = data.get("out")
    js = data.get("jsonschema", {})
    options = BuildOptions(
        targets=tuple(t for t in TARGETS if t in targets),
        python_package=package,
        elide_version=not bool(data.get("version_in_header", True)),
        jsonschema_strict=bool(js.get("strict", False)) if isinstance(js, dict) else False,
    )
    out_dir = Path(os.path.normpath(idl_dir / out)) if isinstance(out, str) else None
    return Config(out_dir, options)
