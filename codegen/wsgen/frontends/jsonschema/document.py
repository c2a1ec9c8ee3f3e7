"""Read one schema.json file: the parsed JSON plus a position index (JSON pointer → line:col).

The index lets every diagnostic point into the user's file the way a .proto error does. It is
built by a small tokenizer over the text *after* ``json.loads`` has accepted it, so the
tokenizer only ever sees valid JSON. An object member is indexed at its key (that is what a
reader looks for), an array element and the root at the value's first character. Lines and
columns are 1-based and count characters, not bytes.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wsgen.diagnostics import Diagnostic
from wsgen.ir.model import Span

__all__ = ["JsonDocument", "escape_pointer", "join_pointer", "parse_document"]

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
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
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
    return JsonDocument(rel, file.resolve().as_uri(), data, positions)


def _index(
    text: str, *, find_duplicate: bool = False
) -> tuple[dict[str, tuple[int, int]], tuple[int, int] | None]:
    """Pointer → (line, col) for every value in ``text`` (valid JSON, or JSON whose only
    fault is a duplicate key, whose position is then returned)."""
    line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def where(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

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
