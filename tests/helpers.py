"""Test helpers: compile tiny inline IDL with the real compiler (STYLE habit 4)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from wsgen.backends.options import BuildOptions
from wsgen.ir.model import Model
from wsgen.pipeline import discover_inputs, load_model, render_model

__all__ = ["build_idl", "compile_idl", "write_idl"]


def write_idl(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path → text, dedented) under ``root``; return ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def compile_idl(tmp_path: Path, files: dict[str, str]) -> Model:
    """Write inline IDL into ``tmp_path/idl`` and lower it with the real frontends."""
    idl = write_idl(tmp_path / "idl", files)
    return load_model(discover_inputs(idl))


def build_idl(
    tmp_path: Path, files: dict[str, str], options: BuildOptions | None = None
) -> dict[str, str]:
    """Compile and render inline IDL; returns output-relative path → text."""
    model = compile_idl(tmp_path, files)
    return render_model(model, options or BuildOptions(elide_version=True))
