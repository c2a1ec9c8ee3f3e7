"""Both languages decide alike (docs/errors.md): one vector file — every catalog code, the
built-in block, every standard close code, unknown and malformed reasons, error frames — runs
through the Python runtime with the generated Python module, and through the generated
TypeScript compiled by the real ``tsc`` (every strictness flag on) and run under Node, once,
together with seeded random near-miss reasons whose answers Python gives."""

from __future__ import annotations

import json
import random
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


def _mismatches(results: list[Any], vectors: list[dict[str, Any]] | None = None) -> list[str]:
    return [
        f"{v['kind']} {json.dumps(v['input'])}:\n  want {json.dumps(v['expect'])}\n"
        f"  got  {json.dumps(got)}"
        for v, got in zip(vectors or _vectors(), results, strict=True)
        if got != v["expect"]
    ]


# Near-miss reasons: grammar-shaped text from valid and broken parts, sometimes with one
# stray character (space, non-ASCII, a lone surrogate, NUL, a line separator) inserted.
_NAMES = ("OVERLOADED", "AUTH_EXPIRED", "RATE_LIMITED", "X", "a", "", "_X", "X-Y", "É")
_STATUSES = ("503", "401", "429", "100", "599", "99", "600", "4040", "", "5O3")
_PARAMS = ("retry=5000", "retry=0", "retry=01", "retry=", "retry=2147483648", "retry=2147483647")
_PARAMS += ("k=v", "k", "=v", "K=v", "x=é", "a_1=|", "z=v=w")
_STRAY = (" ", "é", "\ud800", "\x00", "\u2028", "|", "=")


def _near_miss(rng: random.Random) -> str:
    parts = [rng.choice(_NAMES), rng.choice(_STATUSES)]
    parts += [rng.choice(_PARAMS) for _ in range(rng.randint(0, 3))]
    text = "|".join(parts)
    if rng.random() < 0.25:
        at = rng.randint(0, len(text))
        text = text[:at] + rng.choice(_STRAY) + text[at:]
    return text


def _fuzz(tmp: Path) -> list[dict[str, Any]]:
    """Seeded random reasons and closes, answered by Python: the TypeScript must agree."""
    rng = random.Random(20261203)
    cases: list[dict[str, Any]] = []
    for _ in range(300):
        text = _near_miss(rng)
        cases.append({"kind": "parse", "input": text})
        cases.append({"kind": "parse", "input": {"hex": text.encode("utf-8", "replace").hex()}})
        code = rng.choice([rng.randint(0, 5100), 1000, 1009, 4401, 4429, 4503, 4999])
        cases.append({"kind": "close", "input": {"code": code, "reason": text}})
    for _ in range(50):
        raw = bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 130)))
        cases.append({"kind": "parse", "input": {"hex": raw.hex()}})
    module = load_python_module(tmp)
    for case, got in zip(cases, run_python(module, cases), strict=True):
        case["expect"] = got
    return cases


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
    vectors = _vectors() + _fuzz(tmp_path / "py")
    (tmp_path / "vectors.json").write_text(json.dumps({"vectors": vectors}))
    node = subprocess.run(
        [NODE, str(tmp_path / RUNNER.name), str(tmp_path / "vectors.json"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert node.returncode == 0, node.stderr
    assert _mismatches(json.loads(node.stdout), vectors) == []
