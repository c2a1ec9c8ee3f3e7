"""Line layout for generated Python: emit code exactly as ``ruff format`` would leave it.

Generated Python must already be formatted (STYLE habit 8) without running a formatter. The
backend only produces a few statement shapes; this module lays each out the way ruff's stable
style does at ``LINE_LENGTH``: a bracketed group stays on one line if it fits, else its
contents go on one indented line, else one item per line with a trailing comma (recursively).
Groups marked ``magic`` always explode (their trailing comma keeps them exploded in ruff).
Docstrings and comments are wrapped so lines stay within the limit where the text allows.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from wsgen.backends import escape

__all__ = [
    "LINE_LENGTH",
    "Group",
    "annotated_lines",
    "assign_lines",
    "class_lines",
    "comment_lines",
    "docstring_lines",
    "flat",
    "group_lines",
    "return_lines",
    "union_assign_lines",
]

LINE_LENGTH = 88  # ruff's and black's default, so generated code is clean without config


@dataclass(frozen=True, slots=True)
class Group:
    """``head`` (ending in an opening bracket), comma-separated ``items``, ``close``."""

    head: str
    items: tuple[Doc, ...]
    close: str
    magic: bool = False
    _flat: list[str] = field(default_factory=list, compare=False, repr=False)


Doc = str | Group


def flat(doc: Doc) -> str:
    """The one-line form."""
    if isinstance(doc, str):
        return doc
    if not doc._flat:
        doc._flat.append(doc.head + ", ".join(flat(i) for i in doc.items) + doc.close)
    return doc._flat[0]


def _indent_of(prefix: str) -> int:
    return len(prefix) - len(prefix.lstrip(" "))


def group_lines(doc: Doc, prefix: str, suffix: str = "") -> list[str]:
    """Lay out ``doc`` after ``prefix`` (indentation plus any leading text) and before
    ``suffix`` (e.g. ``","`` or ``" -> None:"``)."""
    one = prefix + flat(doc) + suffix
    if isinstance(doc, str) or not doc.items:
        return [one]
    if not doc.magic and len(one) <= LINE_LENGTH:
        return [one]
    indent = " " * _indent_of(prefix)
    inner = indent + "    "
    if not doc.magic:
        body = inner + ", ".join(flat(i) for i in doc.items)
        if len(body) <= LINE_LENGTH:
            return [prefix + doc.head, body, indent + doc.close + suffix]
    lines = [prefix + doc.head]
    for item in doc.items:
        lines.extend(group_lines(item, inner, ","))
    lines.append(indent + doc.close + suffix)
    return lines


def _union_block(parts: list[str], indent: str) -> list[str]:
    """``A | B | C`` inside parentheses: one line if it fits, else one operand per line."""
    one = indent + " | ".join(parts)
    if len(one) <= LINE_LENGTH:
        return [one]
    return [indent + parts[0], *(f"{indent}| {p}" for p in parts[1:])]


def annotated_lines(indent: str, name: str, annotation: Doc, default: Doc | None) -> list[str]:
    """A class-body field ``name: annotation [= default]`` as ruff lays it out.

    ``annotation`` is a string for a union (``"X | None"``, split on top-level ``|``) or a
    ``Group`` for a subscript such as ``list[...]``; ``default`` a ``Group`` when it is a call.
    """
    ann = flat(annotation)
    value = None if default is None else flat(default)
    tail = "" if value is None else f" = {value}"
    one = f"{indent}{name}: {ann}{tail}"
    if len(one) <= LINE_LENGTH:
        return [one]
    inner = indent + "    "
    if isinstance(default, Group) and len(f"{indent}{name}: {ann} = {default.head}") <= LINE_LENGTH:
        # a call on the right-hand side is split at its own brackets first
        return group_lines(default, f"{indent}{name}: {ann} = ")
    if value is not None and len(f"{indent}{name}: {ann} = (") <= LINE_LENGTH:
        # otherwise ruff moves the right-hand side into parentheses
        return [f"{indent}{name}: {ann} = (", inner + value, f"{indent})"]
    if isinstance(annotation, Group):
        return group_lines(annotation, f"{indent}{name}: ", tail)
    parts = split_outside_brackets(ann, "|")
    return [f"{indent}{name}: (", *_union_block(parts, inner), f"{indent}){tail}"]


def return_lines(indent: str, value: Doc) -> list[str]:
    """``return value`` as ruff lays it out: a call is split at its own brackets; anything
    else that is too long goes into parentheses when that makes it fit."""
    one = f"{indent}return {flat(value)}"
    if len(one) <= LINE_LENGTH:
        return [one]
    if isinstance(value, Group) and len(f"{indent}return {value.head}") <= LINE_LENGTH:
        return group_lines(value, f"{indent}return ")
    if len(indent) + 4 + len(flat(value)) <= LINE_LENGTH:
        return [f"{indent}return (", f"{indent}    {flat(value)}", f"{indent})"]
    return [one]


def union_assign_lines(target: str, parts: list[str]) -> list[str]:
    """``target = A | B | C`` at module level (type aliases)."""
    if len(parts) == 1:
        return assign_lines("", target, parts[0])
    one = f"{target} = {' | '.join(parts)}"
    if len(one) <= LINE_LENGTH:
        return [one]
    return [f"{target} = (", *_union_block(parts, "    "), ")"]


def assign_lines(indent: str, target: str, value: str) -> list[str]:
    """``target = value`` for an unsplittable ``value`` (a name, a number, a string): when the
    line is too long, ruff moves the value into parentheses on its own line — only if that
    line and the ``target = (`` line then fit; otherwise the long line stays."""
    one = f"{indent}{target} = {value}"
    if len(one) <= LINE_LENGTH:
        return [one]
    opener = f"{indent}{target} = ("
    inner = f"{indent}    {value}"
    if len(opener) <= LINE_LENGTH and len(inner) <= LINE_LENGTH:
        return [opener, inner, f"{indent})"]
    return [one]


def class_lines(name: str, base: str) -> list[str]:
    """``class name(base):``; too long, ruff puts the base on its own line, however long the
    name is."""
    one = f"class {name}({base}):"
    if len(one) <= LINE_LENGTH:
        return [one]
    return [f"class {name}(", f"    {base}", "):"]


def split_outside_brackets(text: str, sep: str) -> list[str]:
    """Split on the one-character ``sep`` where it stands outside ``[]``/``()`` (``a | b[c | d]``
    → ``a``, ``b[c | d]``), each part stripped."""
    parts: list[str] = []
    depth, start = 0, 0
    for i, c in enumerate(text):
        if c in "[(":
            depth += 1
        elif c in "])":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def docstring_lines(text: str, indent: str) -> list[str]:
    """A docstring for IDL text, escaped (``escape.py_docstring``), in ruff's normal form:
    first line stripped, common indentation of the rest removed, long lines wrapped."""
    body = escape.py_docstring(text)
    if not body:
        return []
    lines = body.split("\n")
    lines[0] = lines[0].lstrip(" ")
    rest = [line for line in lines[1:] if line]
    if rest:
        common = min(_indent_of(line) for line in rest)
        lines[1:] = [line[common:] for line in lines[1:]]
    if len(lines) == 1 and len(indent) + 6 + len(lines[0]) <= LINE_LENGTH:
        return [f'{indent}"""{lines[0]}"""']
    width = LINE_LENGTH - len(indent)
    out: list[str] = []
    for i, line in enumerate(lines):
        first = i == 0
        limit = width - 3 if first else width
        wrapped = _wrap(line, limit) if len(line) > limit else [line]
        for j, piece in enumerate(wrapped):
            if first and j == 0:
                out.append(f'{indent}"""{piece}')
            else:
                out.append(f"{indent}{piece}" if piece else "")
    if len(out) == 1 and len(lines) == 1:
        # the closing quotes would not fit after the text: split the text further
        pieces = _wrap(lines[0], width - 6)
        if len(pieces) > 1:
            return [
                f'{indent}"""{pieces[0]}',
                *(f"{indent}{p}" for p in pieces[1:]),
                f'{indent}"""',
            ]
    if len(out) == 1:
        # one unbreakable line: ruff keeps a one-line docstring on one line, however long
        return [out[0] + '"""']
    out.append(f'{indent}"""')
    return out


def _wrap(line: str, width: int) -> list[str]:
    lead = " " * _indent_of(line)
    pieces = textwrap.wrap(
        line,
        width=max(width, 20),
        initial_indent="",
        subsequent_indent=lead,
        break_long_words=False,
        break_on_hyphens=False,
        replace_whitespace=False,
    )
    if pieces and lead:
        pieces[0] = lead + pieces[0].lstrip(" ")
    return [p.rstrip() for p in pieces] or [""]


def comment_lines(text: str, indent: str = "") -> list[str]:
    """``# …`` lines for any text, wrapped within the line length where words allow."""
    out: list[str] = []
    for line in escape.py_comment(text):
        limit = LINE_LENGTH - len(indent) - 2
        pieces = _wrap(line, limit) if len(line) > limit else [line]
        out.extend(f"{indent}# {p}".rstrip() for p in pieces)
    return out
