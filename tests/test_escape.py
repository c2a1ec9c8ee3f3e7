"""Untrusted IDL text can only ever be the content of the construct it is escaped for."""

from __future__ import annotations

import ast
import json

from hypothesis import given
from hypothesis import strategies as st

from wsgen.backends import escape

_PIECES = ['"""', "*/", "/*", "\\", "\r", "\u2028", "\u202e", '"', "'", "\x00", "\ud800"]
TRICKY = st.lists(st.one_of(st.text(max_size=5), st.sampled_from(_PIECES)), max_size=12).map(
    "".join
)


@given(TRICKY)
def test_python_docstring_never_ends_early(text: str) -> None:
    source = f'def f() -> None:\n    """{escape.py_docstring(text)}"""\n'
    tree = ast.parse(source)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef) and len(func.body) == 1
    doc = ast.get_docstring(func, clean=False)
    assert doc == "\n".join(escape.doc_lines(text))


@given(TRICKY)
def test_python_comment_lines_stay_comments(text: str) -> None:
    source = "".join(f"# {line}\n" for line in escape.py_comment(text)) + "x = 1\n"
    tree = ast.parse(source)
    assert len(tree.body) == 1


@given(TRICKY)
def test_python_string_literal_round_trips(text: str) -> None:
    assert ast.literal_eval(escape.py_string(text)) == text
    assert escape.py_string(text).isascii()


@given(TRICKY)
def test_ts_doc_comment_cannot_close_the_comment(text: str) -> None:
    body = "\n".join(f" * {line}" for line in escape.ts_doc_comment(text))
    assert "*/" not in body
    for bad in ("\u2028", "\u2029", "\r", "\u202e"):
        assert bad not in body


@given(TRICKY)
def test_ts_string_is_a_json_string_of_the_text(text: str) -> None:
    literal = escape.ts_string(text)
    assert literal.isascii()
    assert json.loads(literal) == text


def test_bidi_controls_are_neutralised_in_comments() -> None:
    assert escape.doc_lines("admin\u202e } \u2066if") == ["admin\ufffd } \ufffdif"]


def test_bidi_controls_in_json_schema_output_are_escaped_not_lost() -> None:
    from wsgen.backends.jsonschema import _dump

    text = _dump({"description": "admin\u202e }"})
    assert "\u202e" not in text
    assert json.loads(text) == {"description": "admin\u202e }"}
