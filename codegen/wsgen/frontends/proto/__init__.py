"""The .proto frontend: protoc → FileDescriptorSet → IR."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from wsgen.diagnostics import Diagnostic
from wsgen.frontends.proto.lower import lower_descriptor_set
from wsgen.frontends.proto.protoc import run_protoc
from wsgen.ir.model import Model

__all__ = ["load_proto_tree"]


def load_proto_tree(
    idl_dir: Path, files: Sequence[str], warnings: list[Diagnostic] | None = None
) -> Model:
    """Compile the IDL tree's .proto ``files`` (relative, '/'-separated, sorted) into IR;
    protoc's warnings go to ``warnings``."""
    fds = run_protoc(idl_dir, files, warnings)
    return lower_descriptor_set(fds, files)
