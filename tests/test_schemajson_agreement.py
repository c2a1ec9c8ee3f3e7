"""For schema.json inputs, the generated Python decoder and ``jsonschema`` agree on the *source*
schema, both ways (issue 3, "How it is checked"):

- values built from the IR (``tests.pyhelpers.strategy_for``) encode to documents the source
  schema accepts, and decode back to the same document;
- those documents mutated (a key dropped, a value at any depth replaced by any JSON value) are
  accepted by the decoder exactly when ``jsonschema`` accepts them.

Valid documents come from the IR, not from ``hypothesis-jsonschema``: its 0.23.1 fails on every
object schema with the pinned hypothesis 6.170 (``'many' object has no attribute 'more'``), and
it cannot draw recursive schemas at all.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from tests.helpers import compile_idl
from tests.pyhelpers import folder_case, json_values, py_case, register, strategy_for
from tests.schemajson_support import INPUTS
from wsgen.backends.naming import to_snake
from wsgen_runtime.codec import DecodeError

REPO = Path(__file__).parent.parent

folder_case("sja_presence", INPUTS / "nullable_types")
folder_case("sja_rooms", INPUTS / "discriminator_const")
folder_case("sja_audit", INPUTS / "enum_values_not_identifiers")
folder_case("sja_expr", INPUTS / "ref_cycle_through_oneof")


def _notify(tmp: Path) -> Any:
    example = REPO / "idl" / "notify" / "v1.schema.json"
    if not example.is_file():
        example = INPUTS / "example" / "notify" / "v1.schema.json"
    common = (REPO / "idl" / "common" / "v1" / "common.proto").read_text()
    return compile_idl(
        tmp, {"common/v1/common.proto": common, "notify/v1.schema.json": example.read_text()}
    )


register("sja_notify", _notify)


def _source(rel: str, pointer: str) -> dict[str, Any]:
    """The source schema as a validator sees it: the file, entered at ``pointer``."""
    path = INPUTS / rel
    if rel.startswith("example/") and (REPO / "idl" / rel.removeprefix("example/")).is_file():
        path = REPO / "idl" / rel.removeprefix("example/")  # once the lead moved it there
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    doc = {k: v for k, v in doc.items() if not k.startswith("x-wsgen-")}
    return {**doc, "$ref": "#" + pointer} if pointer else doc


# (case, source file, pointer, IR package, decoded name, a union?, messages to build values of)
AGREE = [
    (
        "sja_presence",
        "nullable_types/presence/v1.schema.json",
        "",
        "presence.v1",
        "Presence",
        False,
        ["Presence"],
    ),
    (
        "sja_rooms",
        "discriminator_const/rooms/v1.schema.json",
        "/$defs/ClientMessage",
        "rooms.v1",
        "ClientMessage",
        True,
        ["JoinRoom", "LeaveRoom", "SendText"],
    ),
    (
        "sja_audit",
        "enum_values_not_identifiers/audit/v1.schema.json",
        "",
        "audit.v1",
        "Audit",
        False,
        ["Audit"],
    ),
    (
        "sja_expr",
        "ref_cycle_through_oneof/expr/v1.schema.json",
        "/$defs/Expr",
        "expr.v1",
        "Expr",
        True,
        ["Literal", "Not", "All"],
    ),
]


def _decoder(case: str, package: str, name: str, union: bool) -> Any:
    if union:
        return getattr(py_case(case).module(package), f"{to_snake(name)}_from_dict")
    return py_case(case).cls(f"{package}.{name}").from_dict


def _documents(case: str, package: str, messages: list[str]) -> st.SearchStrategy[Any]:
    values = st.one_of([strategy_for(py_case(case), f"{package}.{m}") for m in messages])
    return values.map(lambda v: v.to_dict())


def _accepts(decode: Any, doc: Any) -> bool:
    try:
        decode(doc)
    except DecodeError:
        return False
    return True


def _mutations(doc: Any) -> st.SearchStrategy[Any]:
    """``doc`` with one key dropped or one value (at any depth) replaced."""
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        paths.append(path)
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, (*path, i))

    walk(doc, ())

    def apply(path: tuple[Any, ...], drop: bool, value: Any) -> Any:
        out = copy.deepcopy(doc)
        if not path:
            return value
        parent = out
        for p in path[:-1]:
            parent = parent[p]
        if drop and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = value
        return out

    return st.builds(apply, st.sampled_from(paths), st.booleans(), json_values)


@pytest.mark.parametrize(("case", "rel", "pointer", "package", "name", "union", "messages"), AGREE)
def test_decoder_and_jsonschema_agree_on_mutated_documents(
    case: str,
    rel: str,
    pointer: str,
    package: str,
    name: str,
    union: bool,
    messages: list[str],
) -> None:
    validator = Draft202012Validator(_source(rel, pointer))
    decode = _decoder(case, package, name, union)

    @given(_documents(case, package, messages).flatmap(_mutations))
    def check(doc: Any) -> None:
        assert _accepts(decode, doc) == validator.is_valid(doc), json.dumps(doc)

    check()


# strict: when the decoder starts checking facets these pass, and the marker must go.
_FACETS_UNCHECKED = pytest.mark.xfail(
    strict=True,
    reason="the generated Python decoder does not check string facets yet (minLength, "
    "pattern): it accepts an empty emoji or quiet-hours time the source schema rejects",
)

RECURSIVE = [
    ("sja_expr", "ref_cycle_through_oneof/expr/v1.schema.json", "/$defs/All", "expr.v1.All"),
    ("sja_expr", "ref_cycle_through_oneof/expr/v1.schema.json", "/$defs/Not", "expr.v1.Not"),
    pytest.param(
        "sja_notify",
        "example/notify/v1.schema.json",
        "/$defs/Notification",
        "notify.v1.Notification",
        marks=_FACETS_UNCHECKED,
    ),
    ("sja_notify", "example/notify/v1.schema.json", "/$defs/Comment", "notify.v1.Comment"),
    pytest.param(
        "sja_notify",
        "example/notify/v1.schema.json",
        "/$defs/Settings",
        "notify.v1.Settings",
        marks=_FACETS_UNCHECKED,
    ),
]


@pytest.mark.parametrize(("case", "rel", "pointer", "full_name"), RECURSIVE)
def test_documents_of_ir_built_values_decode_exactly_when_the_source_accepts_them(
    case: str, rel: str, pointer: str, full_name: str
) -> None:
    """Values built from the IR ignore facets (an ``emoji`` may come out empty although the
    schema says ``minLength: 1``), so their documents are valid or not; the decoder must say
    the same as the source schema, and a valid one round-trips."""
    validator = Draft202012Validator(_source(rel, pointer))
    cls = py_case(case).cls(full_name)

    @given(strategy_for(py_case(case), full_name))
    def check(value: Any) -> None:
        doc = value.to_dict()
        valid = validator.is_valid(doc)
        assert _accepts(cls.from_dict, doc) == valid, json.dumps(doc)
        if valid:
            assert cls.from_dict(doc).to_dict() == doc

    check()
