"""Properties of the close-reason grammar (docs/errors.md, "The close reason")."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from tests.errors_vectors import VECTORS
from wsgen_runtime.close import (
    MAX_CLOSE_REASON_BYTES,
    MAX_NAME_LENGTH,
    MAX_RETRY_AFTER_MS,
    CloseReason,
    format_close_reason,
    parse_close_reason,
)

# Every code of the vector catalog (the chat example) and of the built-in block, as named in
# tests/vectors/errors.json, plus any name the grammar allows.
_VECTORS = json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"]
CODE_NAMES = sorted({v["expect"]["info"]["name"] for v in _VECTORS if v["kind"] == "lookup"})
NAMES = st.sampled_from(CODE_NAMES) | st.from_regex(
    rf"\A[A-Z][A-Z0-9_]{{0,{MAX_NAME_LENGTH - 1}}}\Z"
)
HINTS = st.none() | st.integers(0, MAX_RETRY_AFTER_MS) | st.sampled_from([0, MAX_RETRY_AFTER_MS])
REASONS = st.builds(CloseReason, NAMES, st.integers(100, 599), HINTS)


@given(REASONS)
def test_parse_inverts_format_for_every_code_and_hint(reason: CloseReason) -> None:
    text = format_close_reason(reason)
    assert parse_close_reason(text) == reason
    assert parse_close_reason(text.encode("ascii")) == reason


def test_round_trip_for_every_code_exhaustively() -> None:
    for name in CODE_NAMES:
        for status in (100, 404, 599):
            for hint in (None, 0, 1500, MAX_RETRY_AFTER_MS):
                reason = CloseReason(name, status, hint)
                assert parse_close_reason(format_close_reason(reason)) == reason


@given(REASONS)
def test_formatted_reason_fits_a_close_frame(reason: CloseReason) -> None:
    assert len(format_close_reason(reason).encode("utf-8")) <= MAX_CLOSE_REASON_BYTES


@given(st.builds(CloseReason, st.text(), st.integers(), st.none() | st.integers()))
def test_format_never_raises_and_never_exceeds_123_bytes(reason: CloseReason) -> None:
    text = format_close_reason(reason)
    assert len(text.encode("utf-8")) <= MAX_CLOSE_REASON_BYTES
    assert text == "" or parse_close_reason(text) is not None


@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    parsed = parse_close_reason(raw)
    assert parsed is None or format_close_reason(parsed) != ""


@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(raw: str) -> None:
    parsed = parse_close_reason(raw)
    assert parsed is None or format_close_reason(parsed) != ""


@given(
    st.none()
    | st.integers()
    | st.floats()
    | st.lists(st.text(max_size=5))
    | st.dictionaries(st.text(max_size=5), st.integers())
    | st.binary().map(bytearray)
    | st.binary().map(memoryview)
)
def test_any_value_never_raises(raw: object) -> None:
    parse_close_reason(raw)


@given(
    NAMES,
    st.integers(100, 599),
    st.lists(st.from_regex(r"\A[a-qs-z][a-z0-9_]{0,5}=[!-{}~]{1,8}\Z"), max_size=3),
)
def test_unknown_parameters_are_ignored(name: str, status: int, params: list[str]) -> None:
    text = "|".join([name, str(status), *params])
    if len(text) <= MAX_CLOSE_REASON_BYTES:
        assert parse_close_reason(text) == CloseReason(name, status, None)


def test_grammar_edges() -> None:
    assert parse_close_reason("OVERLOADED|503|retry=5000") == CloseReason("OVERLOADED", 503, 5000)
    assert parse_close_reason("A|503|retry=05") is None
    assert parse_close_reason("A|503|retry=1|retry=1") is None
    assert parse_close_reason(f"A|503|retry={MAX_RETRY_AFTER_MS + 1}") is None
    longest = CloseReason("N" * MAX_NAME_LENGTH, 599, MAX_RETRY_AFTER_MS)
    assert len(format_close_reason(longest)) == MAX_CLOSE_REASON_BYTES
    assert format_close_reason(CloseReason("A|B", 404)) == ""
    assert format_close_reason(CloseReason("A", 404, -1)) == "A|404"
