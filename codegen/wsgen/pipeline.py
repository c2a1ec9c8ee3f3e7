"""The only module that knows the stage order: discover → load → lower → validate → render.

Each stage collects all of its diagnostics and the pipeline stops between stages when any is
an error (``CompileError``). Nothing here touches the output folder; ``output`` does.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wsgen.backends.options import BuildOptions
from wsgen.diagnostics import CompileError, Diagnostic, Severity
from wsgen.ir import model as ir
from wsgen.ir.validate import validate_model

__all__ = ["Inputs", "discover_inputs", "load_model", "render_model"]

# target → its renderers ("module:function"); imported on demand so one target's import cost
# is not paid by all. Issue 4 adds the error catalog renderers (they return {} without a
# catalog); the Markdown reference comes with either language target, same text both times.
_BACKENDS = {
    "python": (
        "wsgen.backends.python:render_python",
        "wsgen.backends.python_errors:render_python_errors",
        "wsgen.backends.errors_doc:render_errors_doc",
    ),
    "typescript": (
        "wsgen.backends.typescript:render_typescript",
        "wsgen.backends.typescript_errors:render_typescript_errors",
        "wsgen.backends.errors_doc:render_errors_doc",
    ),
    "jsonschema": ("wsgen.backends.jsonschema:render_jsonschema",),
}

Renderer = Callable[[ir.Model, BuildOptions], dict[str, str]]


@dataclass(frozen=True, slots=True)
class Inputs:
    """The files of an IDL tree, relative '/'-separated paths, sorted (order-independent)."""

    root: Path
    proto: tuple[str, ...]
    schema: tuple[str, ...]
    config: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return tuple(sorted(self.proto + self.schema + self.config))


def discover_inputs(idl_dir: Path) -> Inputs:
    """Every .proto and schema.json file under ``idl_dir`` (hidden folders skipped)."""
    if not idl_dir.is_dir():
        raise CompileError([Diagnostic(ir.Span(""), "WSG001", "IDL folder does not exist")])
    proto: list[str] = []
    schema: list[str] = []
    config: list[str] = []
    for path in idl_dir.rglob("*"):
        rel = path.relative_to(idl_dir)
        if any(part.startswith(".") or part == "node_modules" for part in rel.parts):
            continue
        if not path.is_file():
            continue
        name = rel.as_posix()
        if path.suffix == ".proto":
            proto.append(name)
        elif path.name == "schema.json" or path.name.endswith(".schema.json"):
            schema.append(name)
        elif path.name == "wsgen.toml" and rel.parent == Path("."):
            config.append(name)
    return Inputs(idl_dir, tuple(sorted(proto)), tuple(sorted(schema)), tuple(config))


def load_model(inputs: Inputs, warnings: list[Diagnostic] | None = None) -> ir.Model:
    """Lower every input into one validated Model; warnings (which do not stop the build) are
    appended to ``warnings`` when given."""
    models: list[ir.Model] = []
    if inputs.proto:
        from wsgen.frontends.proto import load_proto_tree

        models.append(load_proto_tree(inputs.root, inputs.proto, warnings))
    if inputs.schema:
        from wsgen.frontends.jsonschema import load_jsonschema_tree

        models.append(load_jsonschema_tree(inputs.root, [inputs.root / s for s in inputs.schema]))
    if not models:
        raise CompileError(
            [
                Diagnostic(
                    ir.Span(""),
                    "WSG002",
                    "no .proto or schema.json files found",
                    hint="put IDL files in the folder, or point wsgen at the right one",
                )
            ]
        )
    model = _merge(models)
    errors = [d for d in validate_model(model) if d.severity is Severity.ERROR]
    if errors:
        raise CompileError(errors)
    return model


def _merge(models: list[ir.Model]) -> ir.Model:
    if len(models) == 1:
        return models[0]
    packages: dict[str, ir.Package] = {}
    diags: list[Diagnostic] = []
    for m in models:
        for pkg in m.packages:
            if pkg.name in packages:
                diags.append(
                    Diagnostic(
                        ir.Span(pkg.files[0]) if pkg.files else None,
                        "WSG003",
                        f'package "{pkg.name}" is declared by both .proto and schema.json files',
                        hint="give each input form its own package",
                    )
                )
            packages[pkg.name] = pkg
    if diags:
        raise CompileError(diags)
    files = sorted((f for m in models for f in m.files), key=lambda f: f.path)
    return ir.Model(tuple(packages[k] for k in sorted(packages)), tuple(files))


def render_model(model: ir.Model, options: BuildOptions) -> dict[str, str]:
    """Run every selected backend; the result maps output-relative paths to text."""
    out: dict[str, str] = {}
    for target in options.targets:
        for spec in _BACKENDS[target]:
            module, _, func = spec.partition(":")
            renderer: Renderer = getattr(importlib.import_module(module), func)
            out.update(renderer(model, options))
    return dict(sorted(out.items()))
