"""The TypeScript output compiles with a bare ``tsc --strict --noEmit <files>``: no tsconfig,
no ``--lib``/``--target``, so tsc 5.9's defaults (target ES5, the ES5 library) apply.

Users often try generated code exactly that way; it must not need ES2015 library APIs
(``Map``, ``Number.isInteger`` …). The other TS tests use a tsconfig with ``lib: ES2015``
and would not notice. One tsc run covers every golden's TypeScript tree; a canary file
proves the defaults still lack ES2015, else the test would silently prove nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tshelpers import TSC, _require_tools

GOLDEN = Path(__file__).parent / "golden"
CANARY = "const m = new Map<string, number>();\nexport const size = m.size;\n"


def test_golden_typescript_compiles_with_bare_tsc_strict(tmp_path: Path) -> None:
    _require_tools()
    trees = sorted(GOLDEN.glob("*/expected/typescript"))
    assert trees, "no golden has TypeScript output"
    for tree in trees:
        shutil.copytree(tree, tmp_path / tree.parent.parent.name)
    (tmp_path / "canary.ts").write_text(CANARY)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.ts"))
    # Files on the command line: tsc reads no tsconfig. cwd is outside the repo, so no
    # node_modules/@types is picked up either.
    proc = subprocess.run(
        [str(TSC), "--strict", "--noEmit", "--pretty", "false", *files],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line and not line.startswith(" ")]
    canary = [line for line in lines if line.startswith("canary.ts")]
    assert canary and all("TS2583" in line for line in canary), (
        "tsc's default library has ES2015 now; pin --lib es5 in this test to keep its point"
    )
    problems = [line for line in lines if not line.startswith("canary.ts")]
    assert not problems, "bare tsc --strict rejects generated code:\n" + "\n".join(problems)
