"""The .proto frontend: protoc → FileDescriptorSet → IR."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from wsgen.frontends.proto.lower import lower_descriptor_set
from wsgen.frontends.proto.protoc import run_protoc
from wsgen.ir.model import Model

__all__ = ["load_proto_tree"]


def load_proto_tree(idl_dir: Path, files: Sequence[str]) -> Model:
    """Compile the IDL tree's .proto ``files`` (relative, '/'-separated, sorted) into IR."""
    fds = run_protoc(idl_dir, files)
    return lower_descriptor_set(fds, files)
