"""The real tools over every golden's expected output and the checked-in generated/ tree:
`mypy --strict`, `ruff check`, `ruff format --check`, `python -W error` imports, and
`tsc --strict --noEmit`. Each tool runs once over everything, not once per case."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
BIN = Path(sys.executable).parent
TSC = ROOT / "node_modules" / ".bin" / "tsc"


def _python_roots() -> list[Path]:
    """Folders that hold one generated root package each (goldens + generated/)."""
    roots = [p / "expected" / "python" for p in sorted(GOLDEN.iterdir())]
    roots.append(ROOT / "generated" / "python")
    return [r for r in roots if r.is_dir()]


def _ts_files() -> list[Path]:
    dirs = [p / "expected" / "typescript" for p in sorted(GOLDEN.iterdir())]
    dirs.append(ROOT / "generated" / "typescript")
    return sorted(f for d in dirs if d.is_dir() for f in d.rglob("*.ts"))


def _packages(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if (p / "__init__.py").is_file())


def _run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kw)  # type: ignore[call-overload, no-any-return]


def test_generated_python_passes_mypy_strict() -> None:
    roots = _python_roots()
    assert roots, "no generated Python to check"
    packages = [pkg for r in roots for pkg in _packages(r)]
    assert len(packages) == len(set(packages)), "golden root packages must be distinct"
    # the editable install maps wsgen_runtime through an import hook mypy cannot follow
    paths = [*roots, ROOT / "runtime"]
    env = {**os.environ, "MYPYPATH": os.pathsep.join(map(str, paths))}
    args = [str(BIN / "mypy"), "--strict", "--no-incremental", "--python-version", "3.11"]
    for pkg in packages:
        args += ["-p", pkg]
    r = _run(args, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stdout[-20000:] + r.stderr[-5000:]


RUFF_RULES = "E,F,W,I,B,UP"


def test_generated_python_passes_ruff_check_and_format() -> None:
    roots = [str(r) for r in _python_roots()]
    r = _run([str(BIN / "ruff"), "check", "--isolated", "--select", RUFF_RULES, *roots])
    assert r.returncode == 0, r.stdout[-20000:]
    r = _run([str(BIN / "ruff"), "format", "--isolated", "--check", "--diff", *roots])
    assert r.returncode == 0, r.stdout[-20000:] + r.stderr[-5000:]


def test_generated_python_imports_without_warnings() -> None:
    for root in _python_roots():
        modules = sorted(
            ".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
            for p in root.rglob("*.py")
        )
        code = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)\n"
        r = _run(
            [sys.executable, "-W", "error", "-c", code, *modules],
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        assert r.returncode == 0, f"{root}: {r.stderr[-5000:]}"


def test_generated_typescript_passes_tsc_strict(tmp_path: Path) -> None:
    assert TSC.exists(), "typescript is missing: `make test` installs it (npm ci)"
    files = _ts_files()
    assert files, "no generated TypeScript to check"
    config = {
        "compilerOptions": {
            "strict": True,
            "noEmit": True,
            "target": "ES2022",
            "module": "ESNext",
            "moduleResolution": "bundler",
            "noUnusedLocals": True,
            "noImplicitOverride": True,
            "exactOptionalPropertyTypes": False,
            "skipLibCheck": False,
            "types": [],
        },
        "files": [str(f) for f in files],
    }
    tsconfig = tmp_path / "tsconfig.json"
    tsconfig.write_text(json.dumps(config, indent=2))
    r = _run([str(TSC), "-p", str(tsconfig)])
    assert r.returncode == 0, r.stdout[-20000:]
