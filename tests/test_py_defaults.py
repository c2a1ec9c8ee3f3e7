"""Declared defaults (proto2 ``[default = …]``, JSON Schema ``default``) in generated Python:
an explicit-presence field stays ``None`` while unset and gets ``<field>_or_default``; an
implicit-presence field takes the default as its zero value (docs/python.md, "Defaults")."""

from __future__ import annotations

import math
import struct
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import compile_idl
from tests.pyhelpers import py_case
from wsgen.diagnostics import CompileError
from wsgen_runtime import wkt


def _knobs() -> Any:
    return py_case("defaults").cls("dflt.v1.Knobs")


def _prefs() -> Any:
    return py_case("defaults_schema").cls("dfs.v1.Prefs")


def test_an_unset_proto2_field_is_none_and_reads_as_its_default() -> None:
    knobs = _knobs()(must=1)
    level = py_case("defaults").cls("dflt.v1.Level")
    assert knobs.limit is None
    assert (knobs.limit_or_default_, knobs.name_or_default) == (50, 'a "quoted" name')
    assert knobs.level_or_default is level.HIGH
    assert knobs.magic_or_default == b'\x01hi"'
    assert knobs.ratio_or_default == math.inf
    assert knobs.scale_or_default == struct.unpack("<f", struct.pack("<f", 0.1))[0]
    assert knobs.on_or_default is True
    assert knobs.big_or_default == -9007199254740993
    assert knobs.label_or_default == "none"


def test_a_set_field_reads_as_itself_even_when_it_equals_the_default() -> None:
    knobs = _knobs()(must=1, limit=7, on=False, label="x")
    assert (knobs.limit_or_default_, knobs.on_or_default, knobs.label_or_default) == (7, False, "x")
    assert _knobs()(must=1, limit=50).to_dict() == {"limit": 50, "must": 1}


def test_presence_round_trips_as_the_proto3_json_mapping_says() -> None:
    """Unset fields are not written and read back unset; a field set to its default is
    written and read back set — exactly what protobuf's json_format does."""
    cls = _knobs()
    assert cls(must=1).to_dict() == {"must": 1}
    assert cls.from_dict({"must": 1}) == cls(must=1)
    assert cls.from_dict({"must": 1}).limit is None
    assert cls.from_dict({"must": 1, "limit": 50}).limit == 50


def test_a_required_field_gets_no_default_and_a_taken_name_moves_aside() -> None:
    source = py_case("defaults").source("dflt.v1")
    assert "must_or_default" not in source
    assert "plain_or_default" not in source
    assert "def limit_or_default_(self) -> int:" in source
    assert _knobs()(must=1, limit_or_default=3).limit_or_default == 3


def test_json_schema_explicit_defaults_keep_absence_observable() -> None:
    prefs = _prefs()()
    theme = py_case("defaults_schema").cls("dfs.v1.Prefs.Theme")
    assert (prefs.depth, prefs.depth_or_default) == (None, 10)
    assert prefs.theme_or_default is theme.dark
    assert prefs.since_or_default == wkt.Timestamp(seconds=1577836800, nanos=0)
    assert prefs.ttl_or_default == wkt.Duration(seconds=1, nanos=500_000_000)
    assert prefs.note_or_default == "hi"
    assert prefs.either_or_default == "auto"
    assert prefs.to_dict() == {}
    assert _prefs().from_dict({"depth": 3}).depth_or_default == 3


def test_json_schema_implicit_defaults_are_the_zero_value() -> None:
    """``x-wsgen-presence: implicit`` with a ``default``: absent reads as the default and the
    default is not written, as proto3 does with its zero values."""
    cls = _prefs()
    assert (cls().lang, cls().zero, cls().level) == ("en", 0, 0.5)
    assert cls.from_dict({}).lang == "en"
    assert cls(lang="en", level=0.5).to_dict() == {}
    assert cls(lang="", zero=0, level=0.0).to_dict() == {"lang": "", "level": 0.0}
    for value in (cls(lang="", level=0.0), cls(lang="fr", zero=2), cls()):
        assert cls.from_json(value.to_json()) == value


def test_a_default_that_is_not_of_the_fields_type_is_an_error(tmp_path: Path) -> None:
    schema = """
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "x-wsgen-package": "bad.v1",
      "$defs": {"M": {"type": "object", "properties": {
        "n": {"type": "integer", "default": "ten"},
        "at": {"type": "string", "format": "date-time", "default": "yesterday"}
      }}}
    }
    """
    with pytest.raises(CompileError) as caught:
        compile_idl(tmp_path, {"bad/v1.schema.json": schema})
    messages = sorted(d.render() for d in caught.value.diagnostics)
    assert [m.split(": ", 1)[1].splitlines()[0] for m in messages] == [
        'error: default "ten" of field "n" of "bad.v1.M" is not a value of the field\'s '
        "type [WSG202]",
        'error: default "yesterday" of field "at" of "bad.v1.M" is not a value of the '
        "field's type [WSG202]",
    ]
