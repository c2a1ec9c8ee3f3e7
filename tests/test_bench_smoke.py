"""`make bench` must keep working: a tiny run (no peers, one repetition) completes and reports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_runs_on_a_tiny_idl() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "bench", "--sizes", "5", "--runs", "1", "--no-peers", "--out", "-"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert "| 5 | " in r.stdout
    assert "wsgen build / protoc" in r.stdout
