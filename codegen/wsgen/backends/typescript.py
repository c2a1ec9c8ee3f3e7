"""The TypeScript backend: IR → ``typescript/**.ts`` (types, guards, catalog dispatch).

Output, all under ``typescript/``: one module per IDL package (``chat.v1`` →
``typescript/chat/v1.ts``), ``index.ts`` re-exporting each package as a namespace, and
``wsgen-support.ts``, the only runtime code (no npm dependency). The design decisions (JSON
form, guards, import specifiers, dispatch results) are written down in docs/typescript.md.
"""

from __future__ import annotations

from wsgen.backends.options import BuildOptions
from wsgen.backends.render import render_template
from wsgen.backends.typescript_view import SUPPORT_MODULE, build_view_typescript
from wsgen.ir import model as ir

__all__ = ["render_typescript"]


def render_typescript(model: ir.Model, options: BuildOptions) -> dict[str, str]:
    """Output path (relative to ``--out``) → file text, for every TypeScript file."""
    view = build_view_typescript(model, options)
    files = {
        module.path: render_template("typescript/module.ts.jinja", module=module)
        for module in view.modules
    }
    files[view.index.path] = render_template("typescript/index.ts.jinja", index=view.index)
    files[SUPPORT_MODULE] = render_template(
        "typescript/support.ts.jinja", header=view.support_header
    )
    return dict(sorted(files.items()))
