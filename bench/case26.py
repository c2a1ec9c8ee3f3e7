"""Case 26 (large schema, many oneOf branches) as figures for `make bench`, not timed tests:
generation time and peak memory at N=300 and N=600, output size against input size, tsc time
on the TypeScript output, and decoding one message through the generated union (dispatch on
``type``) against `jsonschema` trying the root ``oneOf``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.test_schemajson_cases import make_big_schema

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]


def _run_measured(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err[-3000:]}")
    return elapsed, usage.ru_maxrss


def _size(root: Path, suffix: str) -> int:
    return sum(p.stat().st_size for p in root.rglob(f"*{suffix}"))


def measure(n: int, work: Path) -> dict[str, Any]:
    idl = work / f"n{n}" / "idl"
    (idl / "big").mkdir(parents=True)
    src = idl / "big" / "v1.schema.json"
    src.write_text(json.dumps(make_big_schema(n), indent=1, sort_keys=True))
    (idl / "wsgen.toml").write_text(f'[python]\npackage = "big{n}"\n')
    out = idl.parent / "out"
    secs, rss = _run_measured([str(BIN / "wsgen"), "build", "idl", "--out", "out"], idl.parent)
    tsconfig = idl.parent / "tsconfig.json"
    tsconfig.write_text(
        json.dumps(
            {
                "compilerOptions": {
                    "strict": True,
                    "noEmit": True,
                    "target": "ES2022",
                    "module": "ESNext",
                    "moduleResolution": "bundler",
                },
                "include": ["out/typescript/**/*.ts"],
            }
        )
    )
    tsc_secs, _ = _run_measured(
        [str(ROOT / "node_modules" / ".bin" / "tsc"), "-p", str(tsconfig)], idl.parent
    )
    ts_text = "".join(p.read_text() for p in (out / "typescript").rglob("*.ts"))
    return {
        "n": n,
        "input_bytes": src.stat().st_size,
        "build_s": secs,
        "peak_rss_mib": rss / 1024,
        "ts_bytes": _size(out / "typescript", ".ts"),
        "py_bytes": _size(out / "python", ".py"),
        "tuple_expansion": "[string, string" in ts_text,
        "tsc_s": tsc_secs,
        "out": out,
        "schema": src,
    }


def validator_figures(res: dict[str, Any]) -> dict[str, float | bool]:
    """Decode the case's 1000-item message through the generated union; compare jsonschema."""
    from jsonschema import Draft202012Validator

    sys.path.insert(0, str(res["out"] / "python"))
    module = __import__(f"big{res['n']}.big.v1", fromlist=["big_protocol_from_json"])
    decode = module.big_protocol_from_json
    ok = json.dumps({"type": "msg_5", "f0": "x", "f1": 1, "f3": ["s"] * 1000})
    bad = json.dumps({"type": "msg_5", "f0": "x", "f1": 1, "f3": ["s"] * 1001})
    runs = 20
    start = time.perf_counter()
    for _ in range(runs):
        decode(ok)
    ours = (time.perf_counter() - start) / runs
    try:
        decode(bad)
        rejected = False
    except Exception:
        rejected = True
    validator = Draft202012Validator(json.loads(res["schema"].read_text()))
    start = time.perf_counter()
    valid = validator.is_valid(json.loads(ok))
    theirs = time.perf_counter() - start
    return {
        "decode_s": ours,
        "decoder_rejects_1001": rejected,
        "jsonschema_s": theirs,
        "jsonschema_accepts_1000": valid,
        "jsonschema_rejects_1001": not validator.is_valid(json.loads(bad)),
    }


def main() -> str:
    lines = ["## Case 26: large schema (N message types, 300 oneOf branches)", ""]
    with tempfile.TemporaryDirectory(prefix="wsgen-case26-") as tmp:
        results = [measure(n, Path(tmp)) for n in (300, 600)]
        v = validator_figures(results[0])
    lines.append(
        "| N | input | wsgen build (3 targets) | peak RSS | TS output | Python output "
        "| tsc --strict | tuple unions |"
    )
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        lines.append(
            f"| {r['n']} | {r['input_bytes'] / 1e6:.2f} MB | {r['build_s']:.2f} s "
            f"| {r['peak_rss_mib']:.0f} MiB "
            f"| {r['ts_bytes'] / 1e6:.2f} MB ({r['ts_bytes'] / r['input_bytes']:.1f}x input) "
            f"| {r['py_bytes'] / 1e6:.2f} MB | {r['tsc_s']:.2f} s "
            f"| {'yes' if r['tuple_expansion'] else 'none'} |"
        )
    a, b = results
    lines += [
        "",
        f"- growth 300 → 600: build {b['build_s'] / a['build_s']:.2f}x (case aim < 3x), "
        f"TS output {b['ts_bytes'] / a['ts_bytes']:.2f}x (aim < 3x); case limits: build < 60 s, "
        f"RSS < 1 GiB, TS < 10x input, tsc < 60 s.",
        f"- decoding the 1,000-item `msg_5` through the generated union (dispatch on `type`): "
        f"{v['decode_s'] * 1000:.2f} ms; the 1,001-item one is rejected: "
        f"{v['decoder_rejects_1001']}. "
        f"`jsonschema` on the root `oneOf` of 300 branches: {v['jsonschema_s']:.2f} s "
        f"(accepts 1,000: {v['jsonschema_accepts_1000']}, "
        f"rejects 1,001: {v['jsonschema_rejects_1001']}).",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(main())
