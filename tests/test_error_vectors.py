"""Both languages decide alike (docs/errors.md): one vector file — every catalog code, the
built-in block, every standard close code, unknown and malformed reasons, error frames — runs
through the Python runtime with the generated Python module, and through the generated
TypeScript compiled by the real ``tsc`` (every strictness flag on) and run under Node, once."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.errors_vectors import VECTORS, catalog_model, load_python_module, run_python
from tests.tshelpers import CHECK_OPTIONS, NODE, TSC
from wsgen.backends.options import BuildOptions
from wsgen.backends.typescript_errors import render_typescript_errors

RUNNER = Path(__file__).parent / "js" / "errors_vectors.mjs"


def _vectors() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"]
    return data


def _mismatches(results: list[Any]) -> list[str]:
    return [
        f"{v['kind']} {json.dumps(v['input'])}:\n  want {json.dumps(v['expect'])}\n"
        f"  got  {json.dumps(got)}"
        for v, got in zip(_vectors(), results, strict=True)
        if got != v["expect"]
    ]


def test_vectors_cover_every_catalog_code_and_standard_close_code(tmp_path: Path) -> None:
    vectors = _vectors()
    catalog = catalog_model(tmp_path).packages[0].errors
    assert catalog is not None
    looked_up = {v["input"].get("code") for v in vectors if v["kind"] == "lookup"}
    assert {c.number for c in catalog.codes} <= looked_up
    closed = {v["input"]["code"] for v in vectors if v["kind"] == "close"}
    assert set(range(1000, 1016)) <= closed
    assert {"lookup", "close", "parse", "format", "frame", "resolve", "reauth"} == {
        v["kind"] for v in vectors
    }


def test_python_gives_the_expected_answers(tmp_path: Path) -> None:
    module = load_python_module(tmp_path)
    assert _mismatches(run_python(module, _vectors())) == []


def test_typescript_gives_the_same_answers(tmp_path: Path) -> None:
    if not TSC.exists():
        pytest.fail("typescript is missing: `make test` installs it (npm ci)")
    if NODE is None:
        pytest.fail("node is missing: the TypeScript tests need Node 20")
    model = catalog_model(tmp_path / "idl")
    src = tmp_path / "src"
    for rel, text in render_typescript_errors(model, BuildOptions(elide_version=True)).items():
        path = src / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    # The strict check options, emitting node16 ESM: one tsc run both checks and compiles.
    options = {
        **CHECK_OPTIONS,
        "noEmit": False,
        "module": "node16",
        "moduleResolution": "node16",
        "rootDir": "src/typescript",
        "outDir": "out",
    }
    (tmp_path / "tsconfig.json").write_text(
        json.dumps({"compilerOptions": options, "include": ["src/**/*.ts"]})
    )
    (tmp_path / "package.json").write_text('{"type": "module", "private": true}\n')
    tsc = subprocess.run(
        [str(TSC), "-p", "tsconfig.json", "--pretty", "false"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert tsc.returncode == 0, tsc.stdout + tsc.stderr
    shutil.copy(RUNNER, tmp_path / RUNNER.name)
    node = subprocess.run(
        [NODE, str(tmp_path / RUNNER.name), str(VECTORS), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert node.returncode == 0, node.stderr
    assert _mismatches(json.loads(node.stdout)) == []
