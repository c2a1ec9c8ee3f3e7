"""Escaping of untrusted IDL text (names, comments, descriptions) into generated code.

Invariant: whatever the IDL says, the text returned here can only ever be the *content* of the
construct it is made for; it cannot end that construct early. Every template filter that
writes IDL text goes through one of these functions.
"""

from __future__ import annotations

import json

__all__ = [
    "doc_lines",
    "py_comment",
    "py_docstring",
    "py_string",
    "ts_doc_comment",
    "ts_line_comment",
    "ts_string",
]

# Characters that str.splitlines() treats as line breaks; some of them end a Python comment
# (\r) or a JS line comment (\u2028, \u2029), so they must never pass through raw.
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def doc_lines(text: str) -> list[str]:
    """Split IDL text into lines on every Unicode line break, strip trailing blanks and
    leading/trailing empty lines; other control characters become U+FFFD."""
    lines = [_scrub(line).rstrip() for line in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _scrub(line: str) -> str:
    return "".join("\ufffd" if _unsafe(c) else c for c in line).replace("\t", "    ")


# Bidirectional embeddings, overrides and isolates reorder how code is displayed
# ("Trojan Source", CVE-2021-42574): a comment must not be able to make code look different.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unsafe(c: str) -> bool:
    """Control characters, line breaks, bidi controls, and lone surrogates (JSON's
    ``"\\ud800"`` decodes to one; it cannot be written as UTF-8, so a generated file holding
    it could not be saved)."""
    o = ord(c)
    return (
        (o < 0x20 and c != "\t")
        or o == 0x7F
        or c in _LINE_BREAKS
        or c in _BIDI_CONTROLS
        or 0xD800 <= o <= 0xDFFF
    )


def py_comment(text: str) -> list[str]:
    """Lines for ``# …`` comments, without the ``# `` prefix."""
    return doc_lines(text)


def py_docstring(text: str) -> str:
    """Body of a triple-double-quoted docstring: backslashes and double quotes are escaped, so
    neither ``\"\"\"`` nor a trailing quote nor a backslash escape can end or alter it."""
    return "\n".join(doc_lines(text)).replace("\\", "\\\\").replace('"', '\\"')


def py_string(text: str) -> str:
    """A Python string literal for any text, ASCII-safe and deterministic, quoted the way
    ``ruff format`` leaves it: double quotes, unless the text holds more double quotes than
    single ones (then single quotes need fewer escapes)."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    out = []
    for c in text:
        o = ord(c)
        if c == "\\":
            out.append("\\\\")
        elif c == quote:
            out.append("\\" + c)
        elif 0x20 <= o < 0x7F:
            out.append(c)
        elif o <= 0xFF:
            out.append(f"\\x{o:02x}")
        elif o <= 0xFFFF:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    return quote + "".join(out) + quote


def ts_string(text: str) -> str:
    """A double-quoted TypeScript string literal (JSON escaping, ASCII-only output)."""
    return json.dumps(text, ensure_ascii=True)


def ts_doc_comment(text: str) -> list[str]:
    """Lines for a ``/** … */`` block, without the `` * `` prefix: ``*/`` is broken up as ``*\\/``
    so the text can never close the comment."""
    return [line.replace("*/", "*\\/") for line in doc_lines(text)]


def ts_line_comment(text: str) -> list[str]:
    """Lines for ``// …`` comments: every line break is already split off by ``doc_lines``."""
    return doc_lines(text)
