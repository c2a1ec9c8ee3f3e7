"""The only module that writes files: atomic writes, the manifest, drift diffs.

Invariants:
- Nothing is written until every output has been rendered, so a failed build leaves the
  previous output untouched.
- Each file is written through a temporary file and ``os.replace``; unchanged files are not
  rewritten (their mtimes stay).
- Only files listed in the previous manifest are ever removed: files wsgen did not write are
  never touched.
- The manifest records a fingerprint of everything that determines the output (wsgen's own
  code and templates, options, every input file) and a hash of each output file, so a no-op
  ``wsgen check`` answers by hashing, without loading or rendering anything.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from wsgen import __version__
from wsgen.backends.options import BuildOptions

__all__ = [
    "MANIFEST_NAME",
    "Manifest",
    "diff_tree",
    "fingerprint",
    "quick_check",
    "read_manifest",
    "write_tree",
]

MANIFEST_NAME = ".wsgen-manifest.json"


@dataclass(frozen=True, slots=True)
class Manifest:
    fingerprint: str
    files: dict[str, str]  # output-relative path → sha256 of its bytes


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def _compiler_digest() -> str:
    """Hash of wsgen's own sources, templates and options.proto: a new compiler means new output."""
    h = hashlib.sha256(__version__.encode())
    for pkg in ("wsgen", "wsgen.templates"):
        root = Path(str(resources.files(pkg)))
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".jinja", ".proto"):
                if "__pycache__" in path.parts:
                    continue
                h.update(path.relative_to(root).as_posix().encode() + b"\0")
                h.update(_sha256(path.read_bytes()).encode())
    return h.hexdigest()


def fingerprint(idl_dir: Path, inputs: Iterable[str], options: BuildOptions) -> str:
    """Hash of everything that determines the output."""
    h = hashlib.sha256()
    h.update(_compiler_digest().encode())
    h.update(repr(options).encode())
    for rel in sorted(inputs):
        h.update(rel.encode() + b"\0")
        h.update(_sha256((idl_dir / rel).read_bytes()).encode())
    return h.hexdigest()


def read_manifest(out: Path) -> Manifest | None:
    try:
        data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, dict):
            return None
        return Manifest(str(data["fingerprint"]), {str(k): str(v) for k, v in files.items()})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _manifest_text(m: Manifest) -> str:
    body = {
        "generator": "wsgen",
        "fingerprint": m.fingerprint,
        "files": dict(sorted(m.files.items())),
    }
    return json.dumps(body, indent=2, sort_keys=True) + "\n"


def quick_check(out: Path, expected_fingerprint: str) -> bool:
    """True when the manifest says this exact input built this exact output, and every output
    file still has the bytes the manifest recorded (no hand edits, nothing missing)."""
    m = read_manifest(out)
    if m is None or m.fingerprint != expected_fingerprint:
        return False
    for rel, digest in m.files.items():
        try:
            if _sha256((out / rel).read_bytes()) != digest:
                return False
        except OSError:
            return False
    return True


def _owned_stale(out: Path, old: Manifest | None, keep: Iterable[str]) -> list[tuple[str, bool]]:
    """Files the previous build wrote that this build does not: (path, still as written).

    A manifest is data on disk, not trusted: only plain relative paths that stay inside
    ``out`` are considered, and a file edited since wsgen wrote it is reported, not deleted."""
    if old is None:
        return []
    keep = set(keep)
    root = out.resolve()
    found: list[tuple[str, bool]] = []
    for rel, digest in sorted(old.files.items()):
        if rel in keep or rel == MANIFEST_NAME or not _plain_relative(rel):
            continue
        path = out / rel
        if not path.resolve().is_relative_to(root) or not path.is_file() or path.is_symlink():
            continue
        found.append((rel, _sha256(path.read_bytes()) == digest))
    return found


def _plain_relative(rel: str) -> bool:
    parts = rel.split("/")
    return (
        bool(rel)
        and "\\" not in rel
        and not rel.startswith("/")
        and all(p not in ("", ".", "..") for p in parts)
    )


def write_tree(out: Path, files: Mapping[str, str], fp: str) -> list[str]:
    """Make ``out`` hold exactly ``files`` (plus anything wsgen never wrote); return changes.

    Stale files that were edited by hand since wsgen wrote them are kept and returned with a
    ``kept:`` prefix, so the caller can say so."""
    old = read_manifest(out)
    changed: list[str] = []
    encoded = {rel: text.encode("utf-8") for rel, text in files.items()}
    for rel, data in sorted(encoded.items()):
        target = out / rel
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        _atomic_write(target, data)
        changed.append(rel)
    for rel, pristine in _owned_stale(out, old, encoded):
        if not pristine:
            changed.append(f"kept:{rel}")
            continue
        path = out / rel
        path.unlink()
        changed.append(rel)
        _prune_empty_parents(path.parent, out)
    manifest = Manifest(fp, {rel: _sha256(data) for rel, data in encoded.items()})
    text = _manifest_text(manifest).encode()
    mpath = out / MANIFEST_NAME
    if not mpath.is_file() or mpath.read_bytes() != text:
        _atomic_write(mpath, text)
    return changed


def diff_tree(out: Path, files: Mapping[str, str]) -> str:
    """Unified diff from what is on disk to what a build would write (empty: no drift)."""
    old = read_manifest(out)
    chunks: list[str] = []
    for rel in sorted(files):
        want = files[rel]
        try:
            have = (out / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            have = None
        if have == want:
            continue
        chunks.extend(
            difflib.unified_diff(
                (have or "").splitlines(keepends=True),
                want.splitlines(keepends=True),
                fromfile=f"a/{rel}" if have is not None else "/dev/null",
                tofile=f"b/{rel}",
            )
        )
    for rel, _pristine in _owned_stale(out, old, files):
        path = out / rel
        if path.is_file():
            have_text = path.read_text(encoding="utf-8", errors="replace")
            chunks.extend(
                difflib.unified_diff(
                    have_text.splitlines(keepends=True), [], fromfile=f"a/{rel}", tofile="/dev/null"
                )
            )
    return "".join(c if c.endswith("\n") else c + "\n" for c in chunks)


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".wsgen-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _prune_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
