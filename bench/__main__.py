"""Time wsgen against its anchors on synthetic IDL; print ratios and write docs/benchmarks.md.

Anchors, each on the same input in the same run:
- protoc's descriptor-set output for the .proto (the floor: wsgen runs protoc itself);
- datamodel-code-generator on the schema.json (JSON Schema → dataclasses, one target only).
Every number is a whole process (interpreter start included), the median of several runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.synth import write_proto, write_schema_json

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]


def _timed(cmd: list[str], cwd: Path, prepare: Callable[[], None] | None = None) -> float:
    if prepare:
        prepare()
    start = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if r.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{r.stderr[-3000:]}")
    return elapsed


def _median(
    cmd: list[str], cwd: Path, runs: int, prepare: Callable[[], None] | None = None
) -> float:
    return statistics.median(_timed(cmd, cwd, prepare) for _ in range(runs))


def measure(n: int, runs: int, peers: bool, work: Path) -> dict[str, float]:
    proto_dir = work / f"p{n}" / "idl"
    json_dir = work / f"j{n}" / "idl"
    for d in (proto_dir, json_dir):
        d.mkdir(parents=True)
    write_proto(proto_dir, n)
    schema = write_schema_json(json_dir, n)
    wsgen = str(BIN / "wsgen")
    res: dict[str, float] = {}

    def clean(out: Path) -> Callable[[], None]:
        return lambda: shutil.rmtree(out, ignore_errors=True)

    pout, jout = proto_dir.parent / "out", json_dir.parent / "out"
    res["wsgen build .proto"] = _median(
        [wsgen, "build", "idl", "--out", "out"], proto_dir.parent, runs, clean(pout)
    )
    res["wsgen check (no-op) .proto"] = _median(
        [wsgen, "check", "idl", "--out", "out"], proto_dir.parent, runs
    )
    res["wsgen build schema.json"] = _median(
        [wsgen, "build", "idl", "--out", "out"], json_dir.parent, runs, clean(jout)
    )
    res["wsgen check (no-op) schema.json"] = _median(
        [wsgen, "check", "idl", "--out", "out"], json_dir.parent, runs
    )
    import grpc_tools

    include = Path(grpc_tools.__file__).parent / "_proto"
    wsgen_proto = ROOT / "codegen" / "wsgen" / "proto"
    res["protoc descriptor set"] = _median(
        [
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            "-Iidl",
            f"-I{wsgen_proto}",
            f"-I{include}",
            "--include_imports",
            "--include_source_info",
            "--descriptor_set_out=set.pb",
            "idl/bench.proto",
        ],
        proto_dir.parent,
        runs,
    )
    if peers:
        dm_runs = 1 if n >= 2000 else max(1, min(runs, 3))
        res["datamodel-code-generator"] = _median(
            [
                str(BIN / "datamodel-codegen"),
                "--input",
                str(schema),
                "--input-file-type",
                "jsonschema",
                "--output-model-type",
                "dataclasses.dataclass",
                "--output",
                "dm.py",
            ],
            json_dir.parent,
            dm_runs,
        )
    return res


def _version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def report(results: dict[int, dict[str, float]]) -> str:
    sizes = sorted(results)
    names = list(results[sizes[0]])
    lines = [
        "# Benchmarks",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.machine()}; measured {time.strftime('%Y-%m-%d')} by `make bench` "
        "(whole processes, medians).",
        "",
        f"Versions: wsgen {_version('wsgen')}, grpcio-tools {_version('grpcio-tools')} (protoc), "
        f"datamodel-code-generator {_version('datamodel-code-generator')}. "
        "Targets built by wsgen: Python, TypeScript and JSON Schema (all three, every run); "
        "datamodel-code-generator builds Python dataclasses only. The synthetic IDL "
        "(bench/synth.py) has 9 fields per message (scalars, an enum, a reference, a list, a "
        "map) and, in the .proto form, a frame catalog.",
        "",
        "| messages | " + " | ".join(names) + " |",
        "| --- | " + " | ".join("---" for _ in names) + " |",
    ]
    for n in sizes:
        lines.append(
            f"| {n} | "
            + " | ".join(f"{results[n].get(k, float('nan')):.3f} s" for k in names)
            + " |"
        )
    lines += ["", "## Ratios", ""]
    for n in sizes:
        r = results[n]
        build = r["wsgen build .proto"]
        parts = [f"wsgen build / protoc = {build / r['protoc descriptor set']:.2f}x"]
        if "datamodel-code-generator" in r:
            parts.append(
                f"datamodel-code-generator / wsgen build schema.json = "
                f"{r['datamodel-code-generator'] / r['wsgen build schema.json']:.1f}x"
            )
        lines.append(f"- {n} messages: " + "; ".join(parts))
    if 500 in results and 2000 in results:
        for kind in (".proto", "schema.json"):
            k = f"wsgen build {kind}"
            lines.append(
                f"- growth 500 → 2,000 messages, {k}: "
                f"{results[2000][k] / results[500][k]:.2f}x (aim ≤ 4x)"
            )
    if 500 in results:
        lines.append(
            "- aims at 500 messages: build ≤ 1.5 s (measured "
            f"{results[500]['wsgen build .proto']:.2f} s .proto, "
            f"{results[500]['wsgen build schema.json']:.2f} s schema.json); no-op check ≤ 0.3 s "
            f"(measured {results[500]['wsgen check (no-op) .proto']:.2f} s)"
        )
    lines += [
        "",
        "Notes: medians of several whole-process runs on a shared 2-core machine (expect about "
        "±15 % between runs). A no-op `wsgen check` only hashes inputs and outputs against the "
        "manifest, so it stays flat as the IDL grows. The schema.json path costs more than .proto "
        "at the same size: the document is checked against the 2020-12 meta-schema and every "
        "`$ref` is resolved through `referencing` before lowering, work protoc does in C++ for "
        ".proto. The issue quotes older datamodel-code-generator figures (13.6 s at 500 "
        "messages, 62 s at 2,000); the ratios above are against the version measured in the "
        "same run.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="50,500,2000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-peers", action="store_true", help="skip datamodel-code-generator")
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = ap.parse_args()
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="wsgen-bench-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            results[n] = measure(n, args.runs, not args.no_peers, Path(tmp))
            print(f"{n}: " + ", ".join(f"{k} {v:.3f}s" for k, v in results[n].items()), flush=True)
    text = report(results)
    if not args.no_peers:
        from bench import case26

        text += "\n" + case26.main()
    text += "\nReproduce: `make bench` (a few minutes; rewrites this file).\n"
    print(text)
    if args.out != "-":
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
