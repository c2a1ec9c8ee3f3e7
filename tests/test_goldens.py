"""Golden files: each folder under tests/golden/ holds an IDL tree (``idl/``) and the exact
output wsgen must produce for it (``expected/``, manifest excluded).

A mismatch prints the diff and the command that accepts it: ``make goldens``
(``WSGEN_UPDATE_GOLDENS=1`` rewrites ``expected/`` from the current compiler).
Failing cases (folders ending in ``_invalid``) keep the expected stderr in ``expected/stderr.txt``.
"""

from __future__ import annotations

import difflib
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from wsgen.config import load_config
from wsgen.diagnostics import CompileError, render_diagnostics
from wsgen.pipeline import discover_inputs, load_model, render_model

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("WSGEN_UPDATE_GOLDENS") == "1"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "idl").is_dir())

pytestmark = pytest.mark.golden


def render_case(case: str) -> dict[str, str]:
    """What wsgen produces for a golden case (version elided so goldens survive releases)."""
    idl = GOLDEN / case / "idl"
    config = load_config(idl)
    opts = replace(config.options, elide_version=True)
    try:
        return render_model(load_model(discover_inputs(idl)), opts)
    except CompileError as exc:
        return {"stderr.txt": render_diagnostics(exc.diagnostics, "idl") + "\n"}


def _read_tree(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    actual = render_case(case)
    expected_dir = GOLDEN / case / "expected"
    if case.endswith("_invalid"):
        assert set(actual) == {"stderr.txt"}, f"{case} should fail to compile"
    else:
        assert "stderr.txt" not in actual, actual.get("stderr.txt")
    if UPDATE:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, text in actual.items():
            path = expected_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return
    expected = _read_tree(expected_dir)
    if actual == expected:
        return
    diff: list[str] = []
    for rel in sorted(set(actual) | set(expected)):
        if actual.get(rel) != expected.get(rel):
            diff.extend(
                difflib.unified_diff(
                    expected.get(rel, "").splitlines(keepends=True),
                    actual.get(rel, "").splitlines(keepends=True),
                    fromfile=f"expected/{rel}",
                    tofile=f"actual/{rel}",
                )
            )
    pytest.fail(
        f"golden mismatch in tests/golden/{case}:\n{''.join(diff)[:20000]}\n"
        "if the change is intended, accept it with: make goldens",
        pytrace=False,
    )
