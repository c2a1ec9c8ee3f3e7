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

import keyword
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from wsgen.backends.options import DEFAULT_PYTHON_PACKAGE, TARGETS, BuildOptions
from wsgen.diagnostics import CompileError, Diagnostic
from wsgen.ir.model import Span

__all__ = ["CONFIG_NAME", "Config", "check_python_package", "load_config"]

CONFIG_NAME = "wsgen.toml"


@dataclass(frozen=True, slots=True)
class Config:
    out: Path | None
    options: BuildOptions


# setting → (expected type, description) per table; "" is the top level.
_SCHEMA: dict[str, dict[str, tuple[type, str]]] = {
    "": {
        "out": (str, "a folder path relative to wsgen.toml"),
        "targets": (list, f"a non-empty list drawn from {list(TARGETS)}"),
        "version_in_header": (bool, "true or false"),
    },
    "python": {"package": (str, "a Python package name (dotted names allowed)")},
    "typescript": {},
    "jsonschema": {"strict": (bool, "true or false")},
}


def check_python_package(name: str) -> str | None:
    """Why ``name`` cannot be the generated root package, or None when it can."""
    parts = name.split(".")
    if not all(p.isidentifier() and not keyword.iskeyword(p) for p in parts):
        return f'"{name}" is not a Python identifier usable as a package name'
    if parts[0] in sys.stdlib_module_names or parts[0] in _RESERVED_PACKAGES:
        return f'"{name}" would shadow the module of the same name that generated code imports'
    return None


_RESERVED_PACKAGES = frozenset({"wsgen", "wsgen_runtime", "typing_extensions"})


def load_config(idl_dir: Path) -> Config:
    """Read ``<idl_dir>/wsgen.toml`` if present; defaults otherwise. Every setting is checked:
    an unknown key or a value of the wrong type is an error, never silently ignored."""
    path = idl_dir / CONFIG_NAME
    if not path.is_file():
        return Config(None, BuildOptions())
    span = Span(CONFIG_NAME)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CompileError([Diagnostic(span, "WSG010", f"invalid {CONFIG_NAME}: {exc}")]) from None
    errors: list[Diagnostic] = []
    values: dict[str, dict[str, object]] = {"": {}}
    for key, value in data.items():
        if key in _SCHEMA and key:
            if not isinstance(value, dict):
                errors.append(Diagnostic(span, "WSG012", f'"{key}" must be a table ([{key}])'))
                continue
            values[key] = dict(value)
        else:
            values[""][key] = value
    for table, settings in values.items():
        known = _SCHEMA[table]
        where = f"{table}." if table else ""
        for key, value in sorted(settings.items()):
            if key not in known:
                errors.append(
                    Diagnostic(
                        span,
                        "WSG011",
                        f'unknown setting "{where}{key}"',
                        hint=f"known settings here: {sorted(known) or 'none yet'}",
                    )
                )
            elif not isinstance(value, known[key][0]):
                errors.append(Diagnostic(span, "WSG012", f'"{where}{key}" must be {known[key][1]}'))
    top = values[""]
    targets = top.get("targets", list(TARGETS))
    if not isinstance(targets, list) or not targets or not all(t in TARGETS for t in targets):
        if not any(d.message.startswith('"targets"') for d in errors):
            errors.append(
                Diagnostic(span, "WSG012", f'"targets" must be {_SCHEMA[""]["targets"][1]}')
            )
        targets = list(TARGETS)
    package = values.get("python", {}).get("package", DEFAULT_PYTHON_PACKAGE)
    if isinstance(package, str) and (why := check_python_package(package)):
        errors.append(
            Diagnostic(span, "WSG013", f"python.package: {why}", hint='choose e.g. "myapp_proto"')
        )
    if errors:
        raise CompileError(errors)
    out = top.get("out")
    options = BuildOptions(
        targets=tuple(t for t in TARGETS if t in targets),
        python_package=str(package),
        elide_version=not top.get("version_in_header", True),
        jsonschema_strict=bool(values.get("jsonschema", {}).get("strict", False)),
    )
    out_dir = Path(os.path.normpath(idl_dir / out)) if isinstance(out, str) else None
    return Config(out_dir, options)
