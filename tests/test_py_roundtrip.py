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

from tests.pyhelpers import ROOT, compile_pb2, py_case, py_tree, same_json, strategy_for
from wsgen.ir import model as ir

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
