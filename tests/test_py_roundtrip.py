"""Property: for every message of every Python case, ``from_json(to_json(x)) == x`` for
instances drawn from strategies built from the IR (``pyhelpers.strategy_for``). For the
protobuf conformance messages, the official ``json_format`` must also accept what we write
and write it back the same way."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.pyhelpers import (
    ROOT,
    compile_pb2,
    proto_case,
    py_case,
    py_tree,
    same_json,
    strategy_for,
)
from wsgen.ir import model as ir
from wsgen_runtime.codec import DecodeError

ZEROS_PROTO = """
syntax = "proto3";
package nz.v1;
import "google/protobuf/struct.proto";
import "google/protobuf/wrappers.proto";

message Zeros {
  double d = 1;
  float f = 2;
  optional double od = 3;
  optional float of = 4;
  repeated double rd = 5;
  repeated float rf = 6;
  map<string, double> md = 7;
  map<string, float> mf = 8;
  oneof pick {
    double ood = 9;
    float oof = 10;
  }
  google.protobuf.DoubleValue wd = 11;
  google.protobuf.FloatValue wf = 12;
  google.protobuf.Value v = 13;
}
"""
proto_case("zeros", {"nz.proto": ZEROS_PROTO})

CASES = sorted(py_tree().cases)


def _messages(name: str) -> list[str]:
    return [m.full_name for m in py_case(name).model.messages()]


PAIRS = [(case, full) for case in CASES for full in _messages(case)]


@pytest.mark.parametrize(("case", "full_name"), PAIRS, ids=[f"{c}:{m}" for c, m in PAIRS])
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_message_round_trips_through_json(case: str, full_name: str, data: Any) -> None:
    c = py_case(case)
    value = data.draw(strategy_for(c, full_name))
    cls = c.cls(full_name)
    text = value.to_json()
    again = cls.from_json(text, strict=True)
    assert again == value
    assert same_json(json.loads(again.to_json()), json.loads(text))
    assert cls.from_dict(value.to_dict()) == value


CONFORMANCE = ROOT / "tests" / "golden" / "conformance_messages" / "idl"


@pytest.fixture(scope="module")
def conformance_pb2(tmp_path_factory: pytest.TempPathFactory) -> Any:
    files = {p.name: p.read_text(encoding="utf-8") for p in CONFORMANCE.glob("*.proto")}
    (module,) = compile_pb2(tmp_path_factory.mktemp("conformance"), files).values()
    return module


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_json_format_reads_what_we_write_and_writes_it_back(
    conformance_pb2: Any, data: Any
) -> None:
    case = py_case("conformance")
    full_name = "protobuf_test_messages.proto3.TestAllTypesProto3"
    # Any needs type URLs json_format can resolve; wsgen keeps Any as opaque JSON.
    value = data.draw(strategy_for(case, full_name, depth=2, skip=frozenset({ir.WellKnown.ANY})))
    ours = value.to_dict()
    pb = json_format.ParseDict(ours, conformance_pb2.TestAllTypesProto3())
    theirs = json_format.MessageToDict(pb)
    assert _normalise(theirs) == _normalise(ours)
    assert case.cls(full_name).from_dict(theirs) == value


def _normalise(doc: Any) -> Any:
    """json_format and wsgen may spell one float differently (float32 digits, 1 vs 1.0); both
    must denote the same value."""
    if isinstance(doc, dict):
        return {k: _normalise(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_normalise(v) for v in doc]
    if isinstance(doc, int | float) and not isinstance(doc, bool):
        # json_format writes the float32 maximum as 3.4028235e+38 (above it as a double, so
        # its own parser refuses it); wsgen writes the exact value
        return float(doc) if abs(doc) != 3.4028235e38 else math.copysign(FLT_MAX, doc)
    return doc


FLT_MAX = 3.4028234663852886e38


def test_strategy_builder_covers_json_schema_and_example_cases() -> None:
    assert {"example", "s21", "s22", "s24", "conformance", "wkt"} <= set(CASES)
    assert len(PAIRS) > 60
    assert Path(py_tree().path).is_dir()


# ----------------------------------------------------------------------------- json_format leniency
# json_format (the oracle) reads integers from numeric strings in exponent and decimal form
# ("1e3", "5.0") and from integral JSON numbers of any size (1e18); wsgen's proto decoders read
# exactly the same set with the same values. Not compared, because json_format accepts them
# only through CPython's int()/float() (docs/python.md lists them): whitespace other than a
# space, "_" between digits, non-ASCII digits, "inf"/"nan" spellings, quoted floats that
# overflow (json_format makes them infinite; wsgen refuses them, as json_format refuses an
# unquoted one).

TAP = "protobuf_test_messages.proto3.TestAllTypesProto3"
INT_KINDS = ("Int32", "Int64", "Uint32", "Uint64", "Sint32", "Sint64", "Fixed32", "Fixed64")
INT_KINDS += ("Sfixed32", "Sfixed64")
NUMBER_TABLE = [
    "1e3", "1E3", "5.0", "5.", "1.5e1", "10.50e1", "1e+3", "1E-0", "0e0", "-0", "-0.0", "+5",
    "00012", "5.5", "1e-3", ".5", ".0", "-.0", "1e400", "1e10", "1e20", "9223372036854775807",
    "9223372036854775808", "9.223372036854775807e18", "18446744073709551615", "1e19",
    "-9223372036854775808", "4294967295", "4294967296", "-2147483649", "2147483647.0",
    "9007199254740993.0", "5.000000000000000000001", "", "-", "+", ".", "e5", "1e", " 5",
    "5 ", "0x10", "Infinity", "NaN", "1" * 400,
]  # fmt: skip
# Accepted by json_format only through CPython's int(): wsgen refuses them.
CPYTHON_ONLY = ["1_000", "\u0661\u0662", "\t5", "5\n", "\u00a05"]
number_texts = st.one_of(
    st.sampled_from(NUMBER_TABLE),
    st.from_regex(r"[+-]?[0-9]{0,22}\.?[0-9]{0,22}([eE][+-]?[0-9]{1,3})?", fullmatch=True),
    st.text(alphabet="0123456789+-.eE", max_size=10),
)
json_numbers = st.from_regex(
    r"-?(0|[1-9][0-9]{0,22})(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?", fullmatch=True
)


def _both(pb_cls: Any, cls: Any, doc: str) -> tuple[Any, Any]:
    """(json_format's JSON of ``doc`` or None if it refuses it, the same for wsgen)."""
    try:
        theirs = json_format.MessageToDict(json_format.Parse(doc, pb_cls()))
    except json_format.ParseError:
        theirs = None
    try:
        ours = cls.from_json(doc).to_dict()
    except DecodeError:
        ours = None
    return theirs, ours


def _int_docs(kind: str, text: str) -> list[str]:
    quoted = json.dumps(text)
    lower = kind[0].lower() + kind[1:]
    return [
        f'{{"optional{kind}": {quoted}}}',
        f'{{"repeated{kind}": [{quoted}]}}',
        f'{{"map{kind}{kind}": {{{quoted}: 1}}}}',  # a map key
        f'{{"map{kind}{kind}": {{"1": {quoted}}}}}',
        f'{{"optional_{lower.lower()}": {quoted}}}',
    ]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(INT_KINDS), text=number_texts)
def test_integer_strings_read_as_json_format_reads_them(
    conformance_pb2: Any, kind: str, text: str
) -> None:
    cls = py_case("conformance").cls(TAP)
    for doc in _int_docs(kind, text):
        theirs, ours = _both(conformance_pb2.TestAllTypesProto3, cls, doc)
        assert ours == theirs, doc


@pytest.mark.parametrize("kind", INT_KINDS)
@pytest.mark.parametrize("text", NUMBER_TABLE)
def test_integer_string_table_reads_as_json_format_reads_it(
    conformance_pb2: Any, kind: str, text: str
) -> None:
    cls = py_case("conformance").cls(TAP)
    for doc in _int_docs(kind, text):
        theirs, ours = _both(conformance_pb2.TestAllTypesProto3, cls, doc)
        assert ours == theirs, doc


@pytest.mark.parametrize("text", CPYTHON_ONLY)
def test_cpython_only_integer_spellings_are_refused(conformance_pb2: Any, text: str) -> None:
    cls = py_case("conformance").cls(TAP)
    theirs, ours = _both(conformance_pb2.TestAllTypesProto3, cls, _int_docs("Int32", text)[0])
    assert theirs is not None and ours is None


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(INT_KINDS), text=json_numbers)
def test_integer_fields_read_json_numbers_as_json_format_does(
    conformance_pb2: Any, kind: str, text: str
) -> None:
    cls = py_case("conformance").cls(TAP)
    for doc in (f'{{"optional{kind}": {text}}}', f'{{"repeated{kind}": [{text}]}}'):
        theirs, ours = _both(conformance_pb2.TestAllTypesProto3, cls, doc)
        assert ours == theirs, doc


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(("Double", "Float")), text=number_texts, quoted=st.booleans())
def test_float_fields_read_numbers_as_json_format_does(
    conformance_pb2: Any, kind: str, text: str, quoted: bool
) -> None:
    cls = py_case("conformance").cls(TAP)
    if quoted:
        try:
            overflow = abs(float(text)) > (FLT_MAX if kind == "Float" else 1.7976931348623157e308)
        except ValueError:
            overflow = False
        if overflow or " " in text:
            return  # json_format: infinity or CPython's whitespace stripping; wsgen refuses
        value = json.dumps(text)
    else:
        try:
            json.loads(text)
        except ValueError:
            return
        value = text
    doc = f'{{"optional{kind}": {value}}}'
    theirs, ours = _both(conformance_pb2.TestAllTypesProto3, cls, doc)
    assert _normalise(ours) == _normalise(theirs), doc


# ----------------------------------------------------------------------------- -0.0


@pytest.fixture(scope="module")
def zeros_pb2(tmp_path_factory: pytest.TempPathFactory) -> Any:
    (module,) = compile_pb2(tmp_path_factory.mktemp("zeros"), {"nz.proto": ZEROS_PROTO}).values()
    return module


NEGATIVE_ZEROS: list[tuple[str, Any]] = [
    ("d", -0.0),
    ("f", -0.0),
    ("od", -0.0),
    ("of", -0.0),
    ("rd", [-0.0, 0.0]),
    ("rf", [-0.0]),
    ("md", {"a": -0.0}),
    ("mf", {"a": -0.0}),
    ("ood", -0.0),
    ("oof", -0.0),
    ("wd", -0.0),
    ("wf", -0.0),
    ("v", -0.0),
]


def _signs(doc: Any) -> Any:
    """JSON with every float replaced by (value, sign), so -0.0 and 0.0 differ."""
    if isinstance(doc, dict):
        return {k: _signs(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_signs(v) for v in doc]
    if isinstance(doc, float):
        return (doc, math.copysign(1.0, doc))
    return doc


@pytest.mark.parametrize(("name", "value"), NEGATIVE_ZEROS, ids=[n for n, _ in NEGATIVE_ZEROS])
def test_negative_zero_is_written_wherever_json_format_writes_it(
    zeros_pb2: Any, name: str, value: Any
) -> None:
    """protobuf compares bits, so -0.0 is not an implicit field's zero value."""
    cls = py_case("zeros").cls("nz.v1.Zeros")
    ours = cls(**{name: value}).to_dict()
    pb = json_format.ParseDict(ours, zeros_pb2.Zeros())
    theirs = json_format.MessageToDict(pb)
    assert _signs(ours) == _signs(theirs)
    assert math.copysign(1.0, _first_float(ours)) == -1.0
    again = cls.from_dict(theirs)
    assert _signs(again.to_dict()) == _signs(ours)


def _first_float(doc: Any) -> float:
    while not isinstance(doc, float):
        doc = next(iter(doc.values())) if isinstance(doc, dict) else doc[0]
    return doc


def test_positive_zero_in_an_implicit_field_is_still_not_written() -> None:
    cls = py_case("zeros").cls("nz.v1.Zeros")
    assert cls(d=0.0, f=0.0).to_dict() == {}
