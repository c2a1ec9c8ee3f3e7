"""Catalog rules (docs/protocol.md): each violation is one diagnostic at the frame's position."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import compile_idl
from wsgen.diagnostics import CompileError

HEAD = 'syntax = "proto3";\npackage c;\nimport "wsgen/options.proto";\n'


def _errors(tmp_path: Path, body: str) -> str:
    with pytest.raises(CompileError) as info:
        compile_idl(tmp_path, {"c.proto": HEAD + body})
    return str(info.value)


def test_reserved_control_type_is_rejected_in_envelope_framing(tmp_path: Path) -> None:
    text = _errors(
        tmp_path,
        'message P {\n  option (wsgen.frame) = { type: "ping" direction: BOTH };\n}\n',
    )
    assert text.startswith(
        'c.proto:4:1: error: frame type "ping" of "c.P" is reserved for wsgen\'s control '
        "frames in envelope framing [WSG301]"
    )
    assert "hint: choose another type value" in text


def test_reserved_names_are_free_in_flat_framing(tmp_path: Path) -> None:
    model = compile_idl(
        tmp_path,
        {
            "c.proto": HEAD
            + "option (wsgen.catalog) = { framing: FLAT };\n"
            + 'message P {\n  option (wsgen.frame) = { type: "ping" direction: BOTH };\n}\n'
        },
    )
    assert model.packages[0].catalog is not None


def test_duplicate_type_per_direction_points_at_both(tmp_path: Path) -> None:
    text = _errors(
        tmp_path,
        'message A {\n  option (wsgen.frame) = { type: "x" direction: CLIENT_TO_SERVER };\n}\n'
        'message B {\n  option (wsgen.frame) = { type: "x" direction: BOTH };\n}\n',
    )
    assert (
        'c.proto:7:1: error: duplicate frame type "x" in direction client to server '
        '("c.B" and "c.A") [WSG305]'
    ) in text
    assert "c.proto:4:1: note: first declared here" in text


def test_same_type_in_opposite_directions_is_fine(tmp_path: Path) -> None:
    model = compile_idl(
        tmp_path,
        {
            "c.proto": HEAD
            + 'message A {\n  option (wsgen.frame) = { type: "x" direction: CLIENT_TO_SERVER };\n}\n'
            + 'message B {\n  option (wsgen.frame) = { type: "x" direction: SERVER_TO_CLIENT };\n}\n'
        },
    )
    assert len(model.packages[0].catalog.frames) == 2  # type: ignore[union-attr]


def test_missing_direction_and_type(tmp_path: Path) -> None:
    text = _errors(tmp_path, 'message A {\n  option (wsgen.frame) = { handler: "a" };\n}\n')
    assert 'c.proto:4:1: error: frame "c.A" has no discriminator value [WSG303]' in text
    assert 'c.proto:4:1: error: frame "c.A" has no direction [WSG304]' in text


def test_flat_discriminator_field_must_be_a_string(tmp_path: Path) -> None:
    text = _errors(
        tmp_path,
        'option (wsgen.catalog) = { framing: FLAT discriminator: "op" };\n'
        'message A {\n  option (wsgen.frame) = { type: "a" direction: BOTH };\n  int32 op = 1;\n}\n',
    )
    assert 'c.proto:7:3: error: field "op" of flat frame "c.A"' in text
    assert "[WSG307]" in text


def test_duplicate_handler_names(tmp_path: Path) -> None:
    text = _errors(
        tmp_path,
        'message A {\n  option (wsgen.frame) = { type: "a" direction: BOTH handler: "h" };\n}\n'
        'message B {\n  option (wsgen.frame) = { type: "b" direction: BOTH handler: "h" };\n}\n',
    )
    assert 'duplicate handler name "h"' in text
