"""Read one schema.json file: the parsed JSON plus a position index (JSON pointer → line:col).

The index lets every diagnostic point into the user's file the way a .proto error does. It is
built by a small tokenizer over the text *after* ``json.loads`` has accepted it, so the
tokenizer only ever sees valid JSON. An object member is indexed at its key (that is what a
reader looks for), an array element and the root at the value's first character. Lines and
columns are 1-based and count characters, not bytes.

Invariant: a parsed document holds only finite numbers (a literal like ``1e400`` is rejected,
not read as ``inf``) and nests at most ``MAX_JSON_DEPTH`` levels, so no later pass meets a value
it cannot write back as JSON or recurse through.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wsgen.diagnostics import Diagnostic
from wsgen.ir.model import Span

__all__ = [
    "MAX_JSON_DEPTH",
    "JsonDocument",
    "escape_pointer",
    "join_pointer",
    "parse_document",
    "recursion_headroom",
]

MAX_JSON_DEPTH = 1000
"""Objects and arrays nested deeper than this make a file unreadable (WSG401): the limit keeps
every recursive reader of the data (``json``, ``jsonschema``, the lowering) far from Python's
stack limit. Schemas have their own, lower limit (``limits.MAX_SCHEMA_DEPTH``)."""

# Frames the frontend may use: a schema nested MAX_SCHEMA_DEPTH deep costs jsonschema's
# meta-check about ten frames a level, the lowering a few more.
_FRAMES = 6000

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def escape_pointer(token: str) -> str:
    """RFC 6901 §3: ``~`` is written ``~0`` and ``/`` is written ``~1``."""
    return token.replace("~", "~0").replace("/", "~1")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join("/" + escape_pointer(str(t)) for t in tokens)


@dataclass(eq=False)
class JsonDocument:
    """One parsed file. ``path`` is relative to the IDL root, '/'-separated; ``uri`` is the
    ``file:`` URI its relative ``$ref``s resolve against."""

    path: str
    uri: str
    data: Any
    positions: dict[str, tuple[int, int]] = field(repr=False)

    def span(self, pointer: str) -> Span:
        """The span of ``pointer``, or of its nearest indexed ancestor."""
        p = pointer
        while p not in self.positions and p:
            p = p.rsplit("/", 1)[0]
        line, col = self.positions.get(p, (1, 1))
        return Span(self.path, line, col, pointer or "/")


class _DuplicateKey(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _DuplicateKey(k)
        out[k] = v
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


@contextmanager
def recursion_headroom() -> Iterator[None]:
    """Raise Python's recursion limit for a block that reads nested schemas, then restore it.
    Nesting is bounded before any deep recursion starts (``MAX_JSON_DEPTH``, the schema depth
    limit), so the higher limit is never reached by valid input."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, _FRAMES))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def parse_document(file: Path, rel: str, diagnostics: list[Diagnostic]) -> JsonDocument | None:
    """Parse ``file``; on failure append a diagnostic and return None."""
    span = Span(rel, 1, 1)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        diagnostics.append(
            Diagnostic(span, "WSG401", f"file is not UTF-8 ({exc.reason} at byte {exc.start})")
        )
        return None
    except OSError as exc:
        diagnostics.append(Diagnostic(span, "WSG401", f"cannot read file: {exc.strerror}"))
        return None
    try:
        with recursion_headroom():
            data = json.loads(
                text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant
            )
    except RecursionError:
        diagnostics.append(_too_deep(Span(rel, *_depth_exceeded_at(text))))
        return None
    except json.JSONDecodeError as exc:
        diagnostics.append(
            Diagnostic(Span(rel, exc.lineno, exc.colno), "WSG401", f"invalid JSON: {exc.msg}")
        )
        return None
    except _DuplicateKey as exc:
        positions, dup = _index(text, find_duplicate=True)
        where = Span(rel, *dup) if dup else span
        diagnostics.append(
            Diagnostic(
                where,
                "WSG401",
                f'duplicate key "{exc.args[0]}" in a JSON object',
                hint="JSON readers disagree on which value wins; keep one",
            )
        )
        return None
    except ValueError as exc:
        diagnostics.append(Diagnostic(span, "WSG401", f"invalid JSON: {exc}"))
        return None
    positions, _ = _index(text)
    doc = JsonDocument(rel, file.resolve().as_uri(), data, positions)
    problems = _value_problems(doc)
    diagnostics.extend(problems)
    return None if problems else doc


def _too_deep(span: Span) -> Diagnostic:
    return Diagnostic(
        span,
        "WSG401",
        f"JSON nested more than {MAX_JSON_DEPTH} levels deep",
        hint="flatten the document: give deeply nested schemas names in $defs",
    )


def _depth_exceeded_at(text: str) -> tuple[int, int]:
    """Line and column of the first object or array nested deeper than MAX_JSON_DEPTH (the
    start of the text if the parser gave up earlier)."""
    depth = 0
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok in ("{", "["):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return _line_col(text)(m.start())
        elif tok in ("}", "]"):
            depth -= 1
    return 1, 1


def _line_col(text: str) -> Callable[[int], tuple[int, int]]:
    """Offset → 1-based (line, column) in ``text``; lines end at CRLF, CR or LF."""
    line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def where(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    return where


def _value_problems(doc: JsonDocument) -> list[Diagnostic]:
    """Numbers that overflowed to infinity, and the first value nested too deeply.

    RFC 8259 §6: "This specification allows implementations to set limits on the range and
    precision of numbers accepted"; RFC 7493 (I-JSON) §2.2 asks for numbers an IEEE 754 double
    can hold. ``json`` reads ``1e400`` as ``inf``, which no backend can write back.
    """
    out: list[Diagnostic] = []
    deep = False
    # (parent pointer, key, value, depth): a pointer is joined only where it is needed
    stack: list[tuple[str, str | int | None, Any, int]] = [("", None, doc.data, 1)]
    while stack:
        parent, key, value, depth = stack.pop()
        if isinstance(value, float):
            if not math.isfinite(value):
                out.append(
                    Diagnostic(
                        doc.span(parent if key is None else join_pointer(parent, key)),
                        "WSG401",
                        "number out of range: it does not fit a 64-bit float (it would be "
                        f"{'-' if value < 0 else ''}infinity)",
                        hint="JSON numbers in a schema must be finite doubles (RFC 7493 §2.2); "
                        "use a smaller bound, or none",
                    )
                )
        elif isinstance(value, dict | list):
            pointer = parent if key is None else join_pointer(parent, key)
            if depth > MAX_JSON_DEPTH:
                if not deep:
                    deep = True
                    out.append(_too_deep(doc.span(pointer)))
                continue
            items = value.items() if isinstance(value, dict) else enumerate(value)
            children = [(pointer, k, v, depth + 1) for k, v in items]
            stack.extend(reversed(children))
    return out


def _index(
    text: str, *, find_duplicate: bool = False
) -> tuple[dict[str, tuple[int, int]], tuple[int, int] | None]:
    """Pointer → (line, col) for every value in ``text`` (valid JSON, or JSON whose only
    fault is a duplicate key, whose position is then returned)."""
    where = _line_col(text)
    positions: dict[str, tuple[int, int]] = {}
    # Each frame: [pointer, is_object, next array index, pending key or None, expecting a key]
    stack: list[list[Any]] = []
    member = ""  # pointer of the value about to start

    def value_starts(offset: int) -> str:
        if not stack:
            positions[""] = where(offset)
            return ""
        top = stack[-1]
        if top[1]:
            return join_pointer(top[0], top[3])
        ptr = join_pointer(top[0], top[2])
        positions[ptr] = where(offset)
        return ptr

    for m in _TOKEN.finditer(text):
        tok = m.group()
        top = stack[-1] if stack else None
        if top is not None and top[1] and top[4] and tok.startswith('"'):
            key = json.loads(tok)
            ptr = join_pointer(top[0], key)
            if ptr in positions and find_duplicate:
                return positions, where(m.start())
            positions[ptr] = where(m.start())
            top[3], top[4] = key, False
            continue
        if tok == ":":
            continue
        if tok == ",":
            if top is not None:
                if top[1]:
                    top[4] = True
                else:
                    top[2] += 1
            continue
        if tok in ("}", "]"):
            stack.pop()
            continue
        member = value_starts(m.start())
        if tok == "{":
            stack.append([member, True, 0, None, True])
        elif tok == "[":
            stack.append([member, False, 0, None, False])
    return positions, None
