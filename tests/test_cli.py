"""`wsgen build` / `wsgen check` as a user runs them: exit codes, drift diffs, the manifest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import write_idl

WSGEN = [sys.executable, "-m", "wsgen.cli"]

CHAT = """
syntax = "proto3";
package chat;
import "wsgen/options.proto";
// A message sent by a user.
message Say {
  option (wsgen.frame) = { type: "say" direction: CLIENT_TO_SERVER };
  string text = 1;
}
"""


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*WSGEN, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    write_idl(tmp_path / "idl", {"chat.proto": CHAT})
    return tmp_path


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_build_then_check_is_clean(project: Path) -> None:
    r = run("build", "idl", cwd=project)
    assert r.returncode == 0, r.stderr
    assert (project / "generated" / ".wsgen-manifest.json").is_file()
    r = run("check", "idl", cwd=project)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == ""
    assert "up to date" in r.stderr


def test_check_reports_idl_change_with_diff(project: Path) -> None:
    assert run("build", "idl", cwd=project).returncode == 0
    src = project / "idl" / "chat.proto"
    src.write_text(src.read_text().replace("A message sent by a user.", "Sent by a user."))
    r = run("check", "idl", cwd=project)
    assert r.returncode == 1
    assert "-A message sent by a user." in r.stdout or "A message sent by a user" in r.stdout
    assert "+" in r.stdout and "Sent by a user." in r.stdout
    assert "run: wsgen build idl" in r.stderr


def test_check_reports_hand_edited_output(project: Path) -> None:
    assert run("build", "idl", cwd=project).returncode == 0
    victim = next(
        p for p in (project / "generated").rglob("*") if p.is_file() and p.suffix == ".py"
    )
    victim.write_text(victim.read_text() + "# hand edit\n")
    r = run("check", "idl", cwd=project)
    assert r.returncode == 1
    assert "-# hand edit" in r.stdout


def test_check_reports_deleted_output(project: Path) -> None:
    assert run("build", "idl", cwd=project).returncode == 0
    victim = next(
        p for p in (project / "generated").rglob("*") if p.is_file() and p.suffix == ".ts"
    )
    victim.unlink()
    r = run("check", "idl", cwd=project)
    assert r.returncode == 1
    assert "/dev/null" in r.stdout


def test_idl_errors_exit_2_without_traceback(project: Path) -> None:
    (project / "idl" / "bad.proto").write_text('syntax = "proto3";\nmessage X { Foo y = 1; }\n')
    for cmd in ("build", "check"):
        r = run(cmd, "idl", cwd=project)
        assert r.returncode == 2
        assert 'idl/bad.proto:2:13: error: "Foo" is not defined [WSG100]' in r.stderr
        assert "Traceback" not in r.stderr


def test_failed_build_leaves_previous_output_untouched(project: Path) -> None:
    assert run("build", "idl", cwd=project).returncode == 0
    before = _tree(project / "generated")
    (project / "idl" / "bad.proto").write_text('syntax = "proto3";\nmessage X { Foo y = 1; }\n')
    assert run("build", "idl", cwd=project).returncode == 2
    assert _tree(project / "generated") == before


def test_stale_files_removed_and_foreign_files_kept(project: Path) -> None:
    write_idl(
        project / "idl", {"extra/more.proto": 'syntax = "proto3";\npackage more;\nmessage M {}\n'}
    )
    assert run("build", "idl", cwd=project).returncode == 0
    out = project / "generated"
    manifest = json.loads((out / ".wsgen-manifest.json").read_text())
    more_files = [f for f in manifest["files"] if "more" in f]
    assert more_files
    (out / "README.md").write_text("mine\n")
    (project / "idl" / "extra" / "more.proto").unlink()
    assert run("build", "idl", cwd=project).returncode == 0
    for rel in more_files:
        assert not (out / rel).exists()
    assert (out / "README.md").read_text() == "mine\n"
    assert run("check", "idl", cwd=project).returncode == 0


def test_unchanged_files_are_not_rewritten(project: Path) -> None:
    assert run("build", "idl", cwd=project).returncode == 0
    files = [p for p in (project / "generated").rglob("*") if p.is_file()]
    mtimes = {p: p.stat().st_mtime_ns for p in files}
    assert run("build", "idl", cwd=project).returncode == 0
    assert {p: p.stat().st_mtime_ns for p in files} == mtimes


def test_out_option_and_target_selection(project: Path) -> None:
    r = run("build", "idl", "--out", "elsewhere", "--target", "typescript", cwd=project)
    assert r.returncode == 0, r.stderr
    files = _tree(project / "elsewhere")
    assert any(f.endswith(".ts") for f in files)
    assert not any(f.endswith(".py") for f in files)
    assert (
        run("check", "idl", "--out", "elsewhere", "--target", "typescript", cwd=project).returncode
        == 0
    )


def test_config_file_sets_out_and_python_package(project: Path) -> None:
    (project / "idl" / "wsgen.toml").write_text('out = "../gen"\n[python]\npackage = "myapp"\n')
    assert run("build", "idl", cwd=project).returncode == 0
    assert (project / "gen" / "python" / "myapp").is_dir()
    (project / "idl" / "wsgen.toml").write_text('out = "../gen"\nbogus = 1\n')
    r = run("build", "idl", cwd=project)
    assert r.returncode == 2
    assert 'unknown setting "bogus"' in r.stderr


def test_missing_idl_dir_and_empty_dir(tmp_path: Path) -> None:
    r = run("build", "nope", cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    (tmp_path / "empty").mkdir()
    r = run("build", "empty", cwd=tmp_path)
    assert r.returncode == 2
    assert "no .proto or schema.json files found" in r.stderr


def test_version_and_help(tmp_path: Path) -> None:
    r = run("--version", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("wsgen, version ")
    r = run("build", "--help", cwd=tmp_path)
    assert r.returncode == 0 and "--out" in r.stdout and "--target" in r.stdout


def test_determinism_across_file_order_and_hash_seed(tmp_path: Path) -> None:
    """Same input → byte-identical output, whatever the creation order and PYTHONHASHSEED."""
    files = {
        "b/b.proto": 'syntax = "proto3";\npackage b;\nimport "a/a.proto";\nmessage B { a.A a = 1; map<string, int64> m = 2; }\n',
        "a/a.proto": 'syntax = "proto3";\npackage a;\nmessage A { repeated string s = 1; }\nenum E { E_UNSPECIFIED = 0; E_X = 1; }\n',
        "c.proto": CHAT,
    }
    trees = []
    for i, order in enumerate((sorted(files), sorted(files, reverse=True))):
        root = tmp_path / f"p{i}"
        for rel in order:
            write_idl(root / "idl", {rel: files[rel]})
        env = {**os.environ, "PYTHONHASHSEED": str(1 + i * 1000)}
        r = subprocess.run(
            [*WSGEN, "build", "idl"], cwd=root, capture_output=True, text=True, env=env, timeout=120
        )
        assert r.returncode == 0, r.stderr
        trees.append(_tree(root / "generated"))
    assert trees[0] == trees[1]


def test_fail_on_change_reports_written_files(project: Path) -> None:
    first = run("build", "idl", "--fail-on-change", cwd=project)
    assert first.returncode == 1
    assert "wsgen: changed generated/" in first.stderr
    assert run("build", "idl", "--fail-on-change", cwd=project).returncode == 0


def test_tampered_manifest_never_deletes_outside_the_output(project: Path) -> None:
    """The manifest is data on disk: paths that leave the output folder are ignored."""
    assert run("build", "idl", cwd=project).returncode == 0
    out = project / "generated"
    victims = [project / "victim.txt", project / "abs-victim.txt"]
    for v in victims:
        v.write_text("keep me\n")
    (out / "link").symlink_to(project / "victim.txt")
    manifest_path = out / ".wsgen-manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"].update(
        {"../victim.txt": "00", str(victims[1]): "00", "link": "00", "a/../../victim.txt": "00"}
    )
    manifest_path.write_text(json.dumps(manifest))
    assert run("build", "idl", cwd=project).returncode == 0
    assert all(v.read_text() == "keep me\n" for v in victims)
    assert (out / "link").is_symlink()


def test_stale_file_edited_by_hand_is_kept_with_a_warning(project: Path) -> None:
    write_idl(
        project / "idl", {"extra/more.proto": 'syntax = "proto3";\npackage more;\nmessage M {}\n'}
    )
    assert run("build", "idl", cwd=project).returncode == 0
    out = project / "generated"
    manifest = json.loads((out / ".wsgen-manifest.json").read_text())
    edited = next(out / f for f in manifest["files"] if "more" in f and f.endswith(".py"))
    edited.write_text(edited.read_text() + "# mine now\n")
    (project / "idl" / "extra" / "more.proto").unlink()
    r = run("build", "idl", cwd=project)
    assert r.returncode == 0
    assert edited.is_file() and edited.read_text().endswith("# mine now\n")
    assert "warning: not removing" in r.stderr
    assert run("check", "idl", cwd=project).returncode == 0


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("out = 5\n", '"out" must be a folder path relative to wsgen.toml'),
        ('version_in_header = "no"\n', '"version_in_header" must be true or false'),
        ("targets = []\n", '"targets" must be a non-empty list'),
        ('targets = ["cobol"]\n', '"targets" must be a non-empty list'),
        ("[typescript]\nfoo = 1\n", 'unknown setting "typescript.foo"'),
        ('[python]\npackage = "class"\n', '"class" is not a Python identifier'),
        ('[python]\npackage = "json"\n', '"json" would shadow the module'),
        ("python = 3\n", '"python" must be a table'),
        ("[jsonschema]\nstrict = 1\n", '"jsonschema.strict" must be true or false'),
    ],
)
def test_config_mistakes_are_errors(project: Path, toml: str, message: str) -> None:
    (project / "idl" / "wsgen.toml").write_text(toml)
    r = run("build", "idl", cwd=project)
    assert r.returncode == 2, r.stderr
    assert "idl/wsgen.toml: error: " in r.stderr and message in r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr


def test_python_package_flag_is_checked(project: Path) -> None:
    r = run("build", "idl", "--python-package", "typing", cwd=project)
    assert r.returncode == 2 and "would shadow" in r.stderr


def test_folder_diagnostics_name_the_folder_once(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    r = run("build", "empty", cwd=tmp_path)
    assert r.stderr.startswith("empty: error: no .proto or schema.json files found [WSG002]")


def test_check_hint_repeats_the_flags(project: Path) -> None:
    assert run("build", "idl", "--out", "o", "--python-package", "foo", cwd=project).returncode == 0
    (project / "idl" / "chat.proto").write_text(CHAT.replace("A message", "One message"))
    r = run("check", "idl", "--out", "o", "--python-package", "foo", cwd=project)
    assert r.returncode == 1
    assert "run: wsgen build idl --out o --python-package foo" in r.stderr


def test_dotted_python_package_is_accepted(project: Path) -> None:
    (project / "idl" / "wsgen.toml").write_text('[python]\npackage = "myapp.gen"\n')
    assert run("build", "idl", cwd=project).returncode == 0
    assert (project / "generated" / "python" / "myapp" / "gen").is_dir()


def test_protoc_warnings_are_shown_and_do_not_fail_the_build(project: Path) -> None:
    write_idl(
        project / "idl",
        {"w.proto": 'syntax = "proto3";\npackage w;\nimport "chat.proto";\nmessage W {}\n'},
    )
    r = run("build", "idl", cwd=project)
    assert r.returncode == 0, r.stderr
    assert "idl/w.proto:3:1: warning: " in r.stderr and "chat.proto" in r.stderr
