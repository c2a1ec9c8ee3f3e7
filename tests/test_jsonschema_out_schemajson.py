"""JSON Schema output for schema.json inputs (cases 14, 19, 21, 22, 24): the bundle wsgen emits
gives every case document the verdict the *source* schema gives it (Python ``jsonschema`` on the
source is the oracle), with Python ``jsonschema`` and with ajv (one node run), keeps the $ref
cycles, and keeps descriptions byte for byte."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.jsonschema_out_support import (
    AjvBatch,
    bundles_of,
    def_ref,
    node_available,
    python_validator,
)
from wsgen.backends.jsonschema import render_jsonschema
from wsgen.backends.options import BuildOptions
from wsgen.pipeline import discover_inputs, load_model

Json = dict[str, Any]
INPUTS = Path(__file__).resolve().parent / "inputs" / "schemajson"


def _nested_not(depth: int, value: Any) -> Json:
    doc: Json = {"type": "literal", "value": value}
    for _ in range(depth):
        doc = {"type": "not", "operand": doc}
    return doc


AUDIT_EVENTS = [
    "order.placed", "auth/verified", "3ds-required", "item*removed", "a b", "a-b", "a_b", "",
    "mro", "_missing_", "name", "None",
]  # fmt: skip

# folder → (source file, source pointer, emitted definition, documents)
CASES: dict[str, tuple[str, str, str, list[Any]]] = {
    "ref_cycle_through_oneof": (
        "expr/v1.schema.json",
        "",
        def_ref("expr.v1", "expr.v1.Expr"),
        [
            _nested_not(50, True),
            _nested_not(50, "yes"),
            {
                "type": "all",
                "terms": [
                    {"type": "literal", "value": False},
                    {"type": "not", "operand": {"type": "all", "terms": []}},
                ],
                "negated": {"type": "literal", "value": True},
            },
            {"type": "all", "terms": [], "negated": {"type": "literal"}},
            {"type": "nand", "operand": {"type": "literal", "value": True}},
        ],
    ),
    "nullable_types": (
        "presence/v1.schema.json",
        "",
        def_ref("presence.v1", "presence.v1.Presence"),
        [
            {"type": "presence", **doc}
            for doc in (
                {"user": "u", "status": None},
                {"user": "u"},
                {"user": "u", "status": "on", "device": None},
                {"user": "u", "status": "x", "tags": ["a", None]},
                {"user": "u", "status": "on", "device": {"os": "linux", "model": "x1"}},
                {"user": "u", "status": "on", "device": {"os": None}},
                {"user": None, "status": "on"},
            )
        ],
    ),
    "enum_values_not_identifiers": (
        "audit/v1.schema.json",
        "",
        def_ref("audit.v1", "audit.v1.Audit"),
        [{"type": "audit", "event": e} for e in [*AUDIT_EVENTS, "3DS-REQUIRED", "order_placed"]],
    ),
    "discriminator_const": (
        "rooms/v1.schema.json",
        "#/$defs/ClientMessage",
        def_ref("rooms.v1", "rooms.v1.ClientMessage"),
        [
            {"type": "room.join", "room": "r"},
            {"type": "room.leave", "room": "r1"},
            {"type": "text", "room": "r", "body": "hi"},
            {"type": "LeaveRoom", "room": "r"},
            {"type": "room.kick", "room": "r"},
            {"type": "text", "room": "r"},
        ],
    ),
    "comment_terminator": (
        "notes/v1.schema.json",
        "",
        def_ref("notes.v1", "notes.v1.Notice"),
        [{"type": "notice", "glob": "a"}, {"type": "notice", "glob": 1}, {"glob": "a"}],
    ),
}


def _source_verdicts(folder: str) -> list[bool]:
    file, pointer, _, docs = CASES[folder]
    source = json.loads((INPUTS / folder / file).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(source)
    if pointer:
        validator = validator.evolve(schema={"$ref": pointer})
    return [validator.is_valid(d) for d in docs]


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict[str, Json]]:
    return {f: bundles_of(load_model(discover_inputs(INPUTS / f))) for f in CASES}


@pytest.fixture(scope="module")
def ajv_results(rendered: dict[str, dict[str, Json]]) -> dict[str, Json]:
    if not node_available():
        pytest.skip("node and node_modules/ajv are needed (make dev-deps)")
    batch = AjvBatch()
    for folder, (_, _, ref, docs) in CASES.items():
        batch.add(folder, rendered[folder], [(ref, d) for d in docs])
    return batch.run()


@pytest.mark.parametrize("folder", sorted(CASES))
def test_emitted_schema_gives_the_source_schemas_verdicts(
    folder: str, rendered: dict[str, dict[str, Json]], ajv_results: Json
) -> None:
    _, _, ref, docs = CASES[folder]
    expected = _source_verdicts(folder)
    assert True in expected and False in expected  # the documents test both ways
    result = ajv_results[folder]
    assert result["compileErrors"] == []
    for doc, want, ajv in zip(docs, expected, result["verdicts"], strict=True):
        text = json.dumps(doc)[:120]
        assert python_validator(rendered[folder], ref).is_valid(doc) is want, text
        assert ajv["valid"] is want, (text, ajv["errors"])


def test_recursive_schema_keeps_its_ref_cycles_and_stays_small() -> None:
    model = load_model(discover_inputs(INPUTS / "ref_cycle_through_oneof"))
    (text,) = render_jsonschema(model, BuildOptions(elide_version=True)).values()
    assert len(text.encode()) < 20_000
    defs = json.loads(text)["$defs"]
    assert defs["expr.v1.Not"]["properties"]["operand"] == {"$ref": "#/$defs/expr.v1.Expr"}
    assert defs["expr.v1.All"]["properties"]["negated"] == {"$ref": "#/$defs/expr.v1.Expr"}


def test_schema_json_descriptions_are_kept_byte_for_byte(
    rendered: dict[str, dict[str, Json]],
) -> None:
    source = json.loads((INPUTS / "comment_terminator/notes/v1.schema.json").read_text("utf-8"))
    notice = rendered["comment_terminator"]["notes.v1.schema.json"]["$defs"]["notes.v1.Notice"]
    assert notice["description"] == source["description"]
    for key in ("glob", "inject", "multi"):
        assert notice["properties"][key]["description"] == source["properties"][key]["description"]
