"""Import boundaries: the runtime never imports the compiler; generated Python imports only
the runtime, the standard library and its own root package."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_runtime_never_imports_the_compiler() -> None:
    offenders = [
        f"{p.relative_to(ROOT)}: {name}"
        for p in sorted((ROOT / "runtime").rglob("*.py"))
        for name in _imports(p)
        if name.split(".")[0] in ("wsgen", "codegen", "jinja2", "click", "grpc_tools")
    ]
    assert offenders == []


def test_generated_python_imports_only_runtime_and_stdlib() -> None:
    roots = [ROOT / "generated" / "python"]
    roots += [p / "expected" / "python" for p in sorted((ROOT / "tests" / "golden").iterdir())]
    checked = 0
    offenders = []
    for root in (r for r in roots if r.is_dir()):
        own = {p.name for p in root.iterdir() if p.is_dir()}
        for path in sorted(root.rglob("*.py")):
            checked += 1
            for name in _imports(path):
                top = name.split(".")[0]
                if top in own or top == "wsgen_runtime" or top in sys.stdlib_module_names:
                    continue
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert checked > 0
    assert offenders == []
