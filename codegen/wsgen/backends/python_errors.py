"""Python error catalogs: IR ``ErrorCatalog`` → ``<root>/<package>/errors.py`` (docs/errors.md).

Each package with a catalog gets one ``errors`` module beside its package module
(``chat.v1`` → ``chatapp/chat/v1/errors.py``, imported as ``chatapp.chat.v1.errors``): an
``IntEnum`` of the codes, the frozen metadata table ``ERRORS`` with the *resolved* action and
retryable flag (the precedence is applied here, at compile time, by the runtime's own
function), a ``TABLE`` joining it with the built-in block, one ``WsError`` subclass per layer,
and lookups that never fail on unknown values.

The view decides every line (names through ``naming.Scope``, text through ``escape``, layout
through ``python_layout``); ``templates/python/errors.py.jinja`` only orders the blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

from wsgen.backends import escape, naming
from wsgen.backends import python_layout as lay
from wsgen.backends.options import BuildOptions
from wsgen.backends.render import generated_header, render_template
from wsgen.ir import model as ir
from wsgen.ir.validate_errors import effective_action, effective_retryable

__all__ = ["ERRORS_MODULE", "PyErrorsView", "build_view_python_errors", "render_python_errors"]

ERRORS_MODULE = "errors"

# Every name the generated module defines or imports; the catalog's enum must not take one.
_FIXED = frozenset(
    {
        "annotations",
        "enum",
        "Any",
        "Final",
        "Mapping",
        "MappingProxyType",
        "ErrorInfo",
        "ErrorLayer",
        "ErrorSource",
        "ErrorTable",
        "RecoveryAction",
        "WsError",
        "ERRORS",
        "TABLE",
        "LAYER_CLASSES",
        "ConnectionLayerError",
        "ProtocolLayerError",
        "BusinessLayerError",
        "from_code",
        "from_name",
        "info",
        "error",
        "from_json",
    }
)
_LAYER_CLASSES = {
    ir.ErrorLayer.CONNECTION: "ConnectionLayerError",
    ir.ErrorLayer.PROTOCOL: "ProtocolLayerError",
    ir.ErrorLayer.BUSINESS: "BusinessLayerError",
}


@dataclass(frozen=True, slots=True)
class PyErrorMember:
    lines: list[str]
    doc: list[str]


@dataclass(frozen=True, slots=True)
class PyLayerClass:
    name: str
    layer: str  # ErrorLayer member name
    doc: list[str]


@dataclass(frozen=True, slots=True)
class PyErrorsView:
    path: str
    header: list[str]
    doc: list[str]
    enum_name: str
    enum_header: list[str]  # `class Name(enum.IntEnum):`, laid out
    enum_doc: list[str]
    members: list[PyErrorMember]
    table: list[str]  # the ``ERRORS = MappingProxyType({...})`` statement
    layers: list[PyLayerClass]
    exports: list[str]


def render_python_errors(model: ir.Model, options: BuildOptions) -> dict[str, str]:
    """Output path → text of every package's ``errors`` module (nothing without catalogs)."""
    return {
        view.path: render_template("python/errors.py.jinja", v=view)
        for view in build_view_python_errors(model, options)
    }


def build_view_python_errors(model: ir.Model, options: BuildOptions) -> list[PyErrorsView]:
    packages = [p for p in model.packages if p.errors is not None]
    if not packages:
        return []
    # Module paths come from the Python backend's own naming pass, so ``errors.py`` lands in
    # the package folder it made; imported here so targets without catalogs never pay for it.
    from wsgen.backends.python_view import build_view_python

    _, names = build_view_python(model, options)
    taken_modules = set(names.modules.values())
    out = []
    for pkg in packages:
        assert pkg.errors is not None
        dotted = names.modules[pkg.name]
        # A child IDL package or a declaration of the package module named "errors" would
        # clash with this submodule: step aside with "_" (naming.md rule 3).
        module = ERRORS_MODULE
        taken_attrs = {n for m, n in names.classes.values() if m == dotted}
        while f"{dotted}.{module}" in taken_modules or module in taken_attrs:
            module += "_"
        path = "/".join(("python", *dotted.split("."), f"{module}.py"))
        out.append(_build(pkg, pkg.errors, path, options))
    return out


def _build(
    pkg: ir.Package, catalog: ir.ErrorCatalog, path: str, options: BuildOptions
) -> PyErrorsView:
    sources = (catalog.span.file,) if catalog.span else pkg.files
    header = lay.comment_lines(generated_header(sources, elide_version=options.elide_version))
    scope = naming.Scope(naming.PY_KEYWORDS | _FIXED)
    short = catalog.full_name.rsplit(".", 1)[-1]
    enum_name = scope.claim(short)
    members = []
    entries: list[lay.Doc] = []
    for code in catalog.codes:
        # Names match ^[A-Z][A-Z0-9_]*$ (validated): always identifiers, never keywords, never
        # an int/Enum attribute (those are lower case).
        doc = code.doc + ("\n\nDeprecated." if code.deprecated else "")
        members.append(
            PyErrorMember(
                lay.assign_lines("    ", code.name, str(code.number)),
                lay.docstring_lines(doc, "    "),
            )
        )
        entries.append(_info_entry(enum_name, code))
    table = lay.group_lines(
        lay.Group("MappingProxyType(", (lay.Group("{", tuple(entries), "}", magic=True),), ")"),
        "ERRORS: Final[Mapping[int, ErrorInfo]] = ",
    )
    title = f"Error catalog ``{catalog.full_name}`` (docs/errors.md)."
    module_doc = title + (f"\n\n{catalog.doc}" if catalog.doc else "")
    layers = [
        PyLayerClass(
            name,
            layer.name,
            lay.docstring_lines(f"A {layer.value}-layer error of ``{catalog.full_name}``.", "    "),
        )
        for layer, name in _LAYER_CLASSES.items()
    ]
    exports = sorted(
        {
            enum_name,
            "ERRORS",
            "TABLE",
            "LAYER_CLASSES",
            *_LAYER_CLASSES.values(),
            "from_code",
            "from_name",
            "info",
            "error",
            "from_json",
        },
        key=_all_order,
    )
    return PyErrorsView(
        path=path,
        header=header,
        doc=lay.docstring_lines(module_doc, ""),
        enum_name=enum_name,
        enum_header=lay.class_lines(enum_name, "enum.IntEnum"),
        enum_doc=lay.docstring_lines(
            catalog.doc or f"The codes of ``{catalog.full_name}``.", "    "
        ),
        members=members,
        table=_noqa_long(table),
        layers=layers,
        exports=exports,
    )


def _all_order(name: str) -> tuple[int, str]:
    """``__all__`` in ruff's isort-style order (RUF022): CONSTANTS, then Classes, then the rest."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def _info_entry(enum_name: str, code: ir.ErrorCode) -> lay.Group:
    args: list[lay.Doc] = [
        f"code={code.number}",
        f"name={escape.py_string(code.name)}",
        f"layer=ErrorLayer.{code.layer.name}",
        f"http_status={code.http_status}",
        f"close_code={code.close_code}",
        f"action=RecoveryAction.{effective_action(code).name}",
        f"retryable={effective_retryable(code)}",
        f"message={escape.py_string(code.message)}",
    ]
    if code.grpc_status is not None:
        args.append(f"grpc_status={code.grpc_status}")
    return lay.Group(f"{enum_name}.{code.name}: ErrorInfo(", tuple(args), ")", magic=True)


def _noqa_long(lines: list[str]) -> list[str]:
    """A user message longer than the line cannot be split without changing ruff's layout;
    mark such lines instead (E501 only; the formatter leaves string literals alone)."""
    return [f"{line}  # noqa: E501" if len(line) > lay.LINE_LENGTH else line for line in lines]
