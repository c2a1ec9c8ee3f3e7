"""The JSON position index and the fast meta-schema check, against independent oracles."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from wsgen.frontends.jsonschema.document import join_pointer, parse_document
from wsgen.frontends.jsonschema.meta import meta_validator

_KEYS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=20,
)


def _walk(value: Any, pointer: str = "") -> list[tuple[str, Any, str | None]]:
    """(pointer, value, key if an object member) for every node."""
    out: list[tuple[str, Any, str | None]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            p = join_pointer(pointer, k)
            out.append((p, v, k))
            out.extend(_walk(v, p))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            p = join_pointer(pointer, i)
            out.append((p, v, None))
            out.extend(_walk(v, p))
    return out


@given(_JSON, st.sampled_from([None, 0, 1, 2, "\t"]), st.booleans())
def test_every_pointer_points_at_its_key_or_value(
    value: Any, indent: Any, ascii_only: bool
) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.schema.json"
        path.write_text(text, encoding="utf-8")
        doc = parse_document(path, "x.schema.json", [])
    assert doc is not None
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    decoder = json.JSONDecoder()
    for pointer, node, key in [("", value, None), *_walk(value)]:
        line, col = doc.positions[pointer]
        offset = starts[line - 1] + col - 1
        found, _ = decoder.raw_decode(text, offset)
        assert found == (key if key is not None else node), pointer


def test_positions_count_characters_not_bytes(tmp_path: Path) -> None:
    path = tmp_path / "x.schema.json"
    path.write_text('{"é€😀": {"k": 1}}', encoding="utf-8")
    doc = parse_document(path, "x.schema.json", [])
    assert doc is not None
    assert doc.positions["/é€😀/k"] == (1, 10)


_SCHEMAISH = st.recursive(
    st.sampled_from(
        [
            {},
            True,
            {"type": "string"},
            {"type": "strin"},
            {"minimum": "x"},
            {"required": "a"},
            {"required": ["a", "a"]},
            {"pattern": "("},
            {"enum": []},
            {"$ref": 3},
            {"items": [1]},
            {"format": 4},
            {"$defs": {"a": 1}},
        ]
    ),
    lambda inner: (
        st.builds(lambda p: {"properties": p}, st.dictionaries(_KEYS, inner, max_size=3))
        | st.builds(lambda xs: {"anyOf": xs}, st.lists(inner, max_size=3))
        | st.builds(lambda x: {"items": x, "type": "array"}, inner)
        | st.builds(lambda x: {"additionalProperties": x, "not": x}, inner)
    ),
    max_leaves=12,
)

_OFFICIAL = Draft202012Validator(
    Draft202012Validator.META_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER
)


@given(_SCHEMAISH)
def test_flattened_meta_schema_reports_what_the_official_one_reports(schema: Any) -> None:
    def errors(validator: Any) -> set[tuple[str, str]]:
        return {(e.json_path, e.message) for e in validator.iter_errors(schema)}

    assert errors(meta_validator()) == errors(_OFFICIAL)
