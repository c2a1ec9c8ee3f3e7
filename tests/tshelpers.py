"""TypeScript test harness: every TS test case lands in ONE tree that the real ``tsc`` checks
once per session (2-core machine: one tsc run, not one per test).

A test module registers its cases at import time with ``ts_case(...)``; pytest imports every
test module before the first test runs, so the first ``ts_build()`` call sees them all. A case
is a model builder (hand-built IR, or ``compile_idl`` on inline IDL) plus hand-written TS files
placed next to the generated ``typescript/`` folder: usage programs whose
``// @ts-expect-error`` lines prove that the types reject misuse (tsc reports an unused
directive as error TS2578, so a misuse that compiles fails the case).

Two tsc runs per session, each over every case:
- ``ts_build()``: ``--noEmit``, ``moduleResolution: bundler``, strict plus every extra
  strictness flag users may turn on (the tsconfig in docs/typescript.md, made stricter);
- ``ts_emit()``: ``module``/``moduleResolution: node16`` ESM with ``--declaration
  --removeComments``, emitting JS that ``node`` then runs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from wsgen.backends.options import BuildOptions
from wsgen.backends.typescript import render_typescript
from wsgen.ir import model as ir

__all__ = [
    "NODE",
    "TSC",
    "TsBuild",
    "TsCase",
    "fld",
    "msg",
    "pkg",
    "run_node",
    "scalar",
    "ts_build",
    "ts_case",
    "ts_emit",
]

ROOT = Path(__file__).resolve().parents[1]
TSC = ROOT / "node_modules" / ".bin" / "tsc"
NODE = shutil.which("node")

# Strict, plus every extra check a user might enable: generated code must pass them all.
CHECK_OPTIONS = {
    "strict": True,
    "noEmit": True,
    "target": "ES2015",
    "lib": ["ES2015"],
    "module": "ESNext",
    "moduleResolution": "bundler",
    "exactOptionalPropertyTypes": True,
    "noUncheckedIndexedAccess": True,
    "noPropertyAccessFromIndexSignature": True,
    "noImplicitReturns": True,
    "noImplicitOverride": True,
    "noFallthroughCasesInSwitch": True,
    "noUnusedLocals": True,
    "noUnusedParameters": True,
    "verbatimModuleSyntax": True,
    "isolatedModules": True,
    "erasableSyntaxOnly": True,
    "forceConsistentCasingInFileNames": True,
    "types": [],
}
EMIT_OPTIONS = {
    "strict": True,
    "target": "ES2020",
    "lib": ["ES2020"],
    "module": "node16",
    "moduleResolution": "node16",
    "declaration": True,
    "removeComments": True,
    "verbatimModuleSyntax": True,
    "rootDir": "cases",
    "outDir": "out",
    "types": [],
}


@dataclass(frozen=True)
class TsCase:
    name: str
    build: Callable[[Path], ir.Model]
    usage: dict[str, str]


_CASES: dict[str, TsCase] = {}


def ts_case(
    name: str, build: Callable[[Path], ir.Model], usage: dict[str, str] | None = None
) -> str:
    """Register a case (call at module level); returns its name for ``TsBuild`` lookups."""
    assert re.fullmatch(r"[a-z0-9_]+", name), name
    assert name not in _CASES, f"duplicate TS case {name}"
    _CASES[name] = TsCase(name, build, usage or {})
    return name


@dataclass
class TsBuild:
    """The rendered tree and what tsc said about it, per case."""

    root: Path
    files: dict[str, dict[str, str]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    other_errors: list[str] = field(default_factory=list)

    def case_dir(self, name: str) -> Path:
        return self.root / "cases" / name

    def module(self, name: str, path: str) -> str:
        """Generated text of ``path`` (e.g. ``typescript/kw/v1.ts``) in case ``name``."""
        return self.files[name][path]

    def assert_clean(self, name: str) -> None:
        problems = self.errors.get(name, []) + self.other_errors
        assert not problems, "tsc errors:\n" + "\n".join(problems)


_TSC_LINE = re.compile(r"^cases/([a-z0-9_]+)/")


def _require_tools() -> None:
    if not TSC.exists():
        pytest.fail("typescript is missing: `make test` installs it (npm ci)")


def _run_tsc(
    root: Path, config: dict[str, object], name: str
) -> tuple[dict[str, list[str]], list[str]]:
    (root / name).write_text(
        json.dumps({"compilerOptions": config, "include": ["cases/**/*.ts"]}, indent=2)
    )
    proc = subprocess.run(
        [str(TSC), "-p", name, "--pretty", "false"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    per_case: dict[str, list[str]] = {}
    other: list[str] = []
    for line in proc.stdout.splitlines():
        if not line.strip() or line.startswith(" "):
            continue  # continuation lines of a multi-line message
        m = _TSC_LINE.match(line)
        if m:
            per_case.setdefault(m.group(1), []).append(line)
        else:
            other.append(line)
    if proc.returncode != 0 and not per_case and not other:
        other.append(proc.stdout + proc.stderr)
    return per_case, other


_BUILD: TsBuild | None = None
_EMIT: TsBuild | None = None


def _render_tree(factory: pytest.TempPathFactory) -> TsBuild:
    root = factory.mktemp("ts")
    build = TsBuild(root)
    for case in _CASES.values():
        model = case.build(factory.mktemp(f"idl_{case.name}"))
        files = render_typescript(model, BuildOptions(elide_version=True))
        build.files[case.name] = files
        for rel, text in {**files, **case.usage}.items():
            path = build.case_dir(case.name) / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    # node16 treats .ts/.js under this folder as ES modules.
    (root / "package.json").write_text('{"type": "module", "private": true}\n')
    return build


def ts_build(factory: pytest.TempPathFactory) -> TsBuild:
    """All registered cases rendered into one tree, checked by ``tsc --noEmit`` once."""
    global _BUILD
    _require_tools()
    if _BUILD is None:
        build = _render_tree(factory)
        build.errors, build.other_errors = _run_tsc(build.root, CHECK_OPTIONS, "tsconfig.json")
        _BUILD = build
    return _BUILD


def ts_emit(factory: pytest.TempPathFactory) -> TsBuild:
    """The same tree compiled to JS + declarations (node16 ESM, comments removed), once."""
    global _EMIT
    _require_tools()
    if _EMIT is None:
        build = ts_build(factory)
        errors, other = _run_tsc(build.root, EMIT_OPTIONS, "tsconfig.emit.json")
        _EMIT = TsBuild(build.root, build.files, errors, other)
    return _EMIT


def run_node(script: Path) -> object:
    """Run an emitted ESM script with node; its stdout is one JSON document."""
    if NODE is None:
        pytest.fail("node is missing: the TypeScript tests need Node 20")
    proc = subprocess.run(
        [NODE, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


# ---------------------------------------------------------------------------- IR shorthands


def scalar(kind: str) -> ir.ScalarType:
    return ir.ScalarType(ir.Scalar(kind))


def fld(
    name: str,
    ftype: ir.FieldType,
    *,
    json_name: str | None = None,
    **kw: object,
) -> ir.Field:
    return ir.Field(name, json_name if json_name is not None else name, ftype, **kw)  # type: ignore[arg-type]


def msg(package: str, name: str, *fields: ir.Field, **kw: object) -> ir.Message:
    scope = kw.get("scope", ())
    assert isinstance(scope, tuple)
    full = ".".join(x for x in (package, *scope, name) if x)
    return ir.Message(full, name, package, fields=fields, **kw)  # type: ignore[arg-type]


def pkg(name: str, *nodes: ir.Message | ir.Enum | ir.Union, **kw: object) -> ir.Package:
    return ir.Package(
        name,
        kw.pop("files", (f"{name.replace('.', '/')}.proto",)),  # type: ignore[arg-type]
        messages=tuple(n for n in nodes if isinstance(n, ir.Message)),
        enums=tuple(n for n in nodes if isinstance(n, ir.Enum)),
        unions=tuple(n for n in nodes if isinstance(n, ir.Union)),
        **kw,  # type: ignore[arg-type]
    )
