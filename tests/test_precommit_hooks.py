"""The repository's pre-commit hooks, run by the real `pre-commit` tool in a scratch git repo
that uses this repository (by local path) as its hook source."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
PROTO = 'syntax = "proto3";\npackage demo;\n// Greeting.\nmessage Hello {\n  string name = 1;\n}\n'


@dataclass(frozen=True)
class HookSource:
    path: Path
    rev: str
    env: dict[str, str]


def _git(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> HookSource:
    """A snapshot of this working tree committed into its own repo (a hook source needs a rev).
    The hook environment (pre-commit installs wsgen into it, pinned by constraints.txt) is
    cached for the module."""
    base = tmp_path_factory.mktemp("hooks")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "PATH": f"{PRE_COMMIT.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(base / "cache"),
        "PIP_CONSTRAINT": str(ROOT / "constraints.txt"),
    }
    src = base / "src"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        if (ROOT / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, src / rel)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "snap"]):
        assert _git(src, env, *args).returncode == 0
    rev = _git(src, env, "rev-parse", "HEAD").stdout.strip()
    return HookSource(src, rev, env)


def _user_repo(tmp_path: Path, source: HookSource, hook: str) -> Path:
    repo = tmp_path / "user"
    (repo / "idl").mkdir(parents=True)
    (repo / "idl" / "demo.proto").write_text(PROTO)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source.path}\n    rev: {source.rev}\n    hooks:\n      - id: {hook}\n"
    )
    assert _git(repo, source.env, "init", "-q", "-b", "main").returncode == 0
    subprocess.run(
        [str(PRE_COMMIT), "install"], cwd=repo, env=source.env, check=True, capture_output=True
    )
    return repo


def test_build_hook_regenerates_on_idl_edit(tmp_path: Path, source: HookSource) -> None:
    repo = _user_repo(tmp_path, source, "wsgen-build")
    env = source.env
    _git(repo, env, "add", "-A")
    first = _git(repo, env, "commit", "-q", "-m", "idl")
    # the hook wrote bindings, so pre-commit stops the commit until they are staged
    assert first.returncode != 0, first.stdout + first.stderr
    assert (repo / "generated" / ".wsgen-manifest.json").is_file()
    _git(repo, env, "add", "-A")
    second = _git(repo, env, "commit", "-q", "-m", "idl + bindings")
    assert second.returncode == 0, second.stdout + second.stderr
    (repo / "idl" / "demo.proto").write_text(PROTO.replace("Greeting.", "A friendly greeting."))
    _git(repo, env, "add", "idl")
    assert _git(repo, env, "commit", "-q", "-m", "edit").returncode != 0
    generated = "".join(p.read_text() for p in (repo / "generated").rglob("*.py"))
    assert "A friendly greeting." in generated


def test_check_hook_blocks_stale_bindings(tmp_path: Path, source: HookSource) -> None:
    repo = _user_repo(tmp_path, source, "wsgen-check")
    env = source.env
    subprocess.run(
        [sys.executable, "-m", "wsgen.cli", "build", "idl"], cwd=repo, check=True, env=env
    )
    _git(repo, env, "add", "-A")
    ok = _git(repo, env, "commit", "-q", "-m", "idl + bindings")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (repo / "idl" / "demo.proto").write_text(PROTO.replace("Greeting.", "Changed."))
    _git(repo, env, "add", "idl")
    blocked = _git(repo, env, "commit", "-q", "-m", "stale")
    assert blocked.returncode != 0
    assert "out of date" in blocked.stdout + blocked.stderr
