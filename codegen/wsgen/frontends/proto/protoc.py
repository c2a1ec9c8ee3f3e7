"""Run protoc (from grpcio-tools, in-process) over an IDL tree and return its descriptors.

wsgen never parses .proto text itself: protoc does, with ``--include_imports
--include_source_info``, and its complaints come back as diagnostics at ``file:line:col``.
protoc writes those complaints to the C-level stderr, so the file descriptor is redirected
into a temporary file for the duration of the call.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path

from google.protobuf import descriptor_pb2

from wsgen.diagnostics import CompileError, Diagnostic, Severity
from wsgen.ir.model import Span

__all__ = ["WSGEN_PROTO_DIR", "run_protoc"]

WSGEN_PROTO_DIR = Path(str(resources.files("wsgen") / "proto"))

# protoc: "path/file.proto:12:5: message" (also "path: message" for file-level problems)
_LINE_RE = re.compile(r"^(?P<file>[^:\n]+?):(?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$")
_FILE_RE = re.compile(r"^(?P<file>[^:\n]+\.proto): (?P<msg>.*)$")
# absl log lines protoc may print: "W0000 00:00:17.. 123 parser.cc:659] text"; the level is
# the first letter (I info, W warning, E error, F fatal).
_LOG_RE = re.compile(r"^(?P<level>[IWEF])\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\] (?P<msg>.*)$")
_LOCK = threading.Lock()


def _include_dirs() -> list[str]:
    import grpc_tools

    return [str(WSGEN_PROTO_DIR), str(Path(grpc_tools.__file__).parent / "_proto")]


def run_protoc(
    idl_dir: Path, files: Sequence[str], warnings: list[Diagnostic] | None = None
) -> descriptor_pb2.FileDescriptorSet:
    """Compile ``files`` (paths relative to ``idl_dir``) into one FileDescriptorSet.

    Raises CompileError with protoc's messages when protoc rejects the input; protoc's warnings
    (an unused import, a file without a syntax line) are appended to ``warnings``.
    """
    from grpc_tools import protoc

    with tempfile.TemporaryDirectory(prefix="wsgen-protoc-") as tmp:
        out = Path(tmp) / "set.pb"
        args = [
            "protoc",
            f"--proto_path={idl_dir}",
            *(f"--proto_path={d}" for d in _include_dirs()),
            "--include_imports",
            "--include_source_info",
            f"--descriptor_set_out={out}",
            *files,
        ]
        rc, stderr = _call_capturing_stderr(protoc.main, args, Path(tmp) / "stderr.txt")
        diagnostics = [_relative(d, idl_dir) for d in _parse_stderr(stderr) if d is not None]
        if rc != 0 or any(d.severity is Severity.ERROR for d in diagnostics):
            if not any(d.severity is Severity.ERROR for d in diagnostics):
                diagnostics.append(Diagnostic(None, "WSG100", f"protoc failed with exit code {rc}"))
            raise CompileError(diagnostics)
        if warnings is not None:
            warnings.extend(d for d in diagnostics if d.severity is Severity.WARNING)
        return descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())


def _call_capturing_stderr(fn: object, args: list[str], capture: Path) -> tuple[int, str]:
    """Call protoc with file descriptor 2 pointed at ``capture``; return (exit code, text)."""
    assert callable(fn)
    with _LOCK:
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            with capture.open("wb") as sink:
                os.dup2(sink.fileno(), 2)
                try:
                    rc = int(fn(args))
                finally:
                    os.dup2(saved, 2)
        finally:
            os.close(saved)
    return rc, capture.read_text(encoding="utf-8", errors="replace")


def _relative(diag: Diagnostic, idl_dir: Path) -> Diagnostic:
    """protoc names files by disk path; diagnostics name them relative to the IDL root."""
    span = diag.span
    if span is None:
        return diag
    prefix = str(idl_dir.resolve()).rstrip("/") + "/"
    plain = str(idl_dir).rstrip("/") + "/"
    for p in (prefix, plain):
        if span.file.startswith(p):
            return replace(diag, span=replace(span, file=span.file[len(p) :]))
    return diag


def _parse_stderr(text: str) -> list[Diagnostic | None]:
    out: list[Diagnostic | None] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = _LINE_RE.match(line)
        if m:
            span = Span(m["file"], int(m["line"]), int(m["col"]))
            out.append(_diagnostic(span, m["msg"]))
            continue
        m = _LOG_RE.match(line)
        if m:
            msg = m["msg"] if m["level"] in "EF" else f"warning: {m['msg']}"
            out.append(_diagnostic(None, msg))
            continue
        if line.startswith("WARNING: All log messages before absl::InitializeLog()"):
            continue
        m = _FILE_RE.match(line)
        if m:
            out.append(_diagnostic(Span(m["file"]), m["msg"]))
            continue
        out.append(_diagnostic(None, line))
    return out


def _diagnostic(span: Span | None, msg: str) -> Diagnostic:
    severity = Severity.ERROR
    if msg.startswith("warning: "):
        severity = Severity.WARNING
        msg = msg.removeprefix("warning: ")
    msg = msg.rstrip(".")
    msg = msg[:1].lower() + msg[1:] if msg[:2] != msg[:2].upper() else msg
    hint = ""
    if "not found" in msg or "cannot open" in msg.lower():
        hint = "imports are resolved against the IDL folder; check the path and spelling"
    return Diagnostic(span, "WSG100", msg, severity=severity, hint=hint)
