"""Identifier rules shared by the backends: one documented renaming rule (docs/naming.md).

The rule: an IDL name is kept as it is whenever it is a valid identifier of the target and is
not reserved there. Otherwise it is changed, in this order, only as far as needed:
1. characters that cannot appear in an identifier become ``_`` (a leading digit gets a ``_``
   prefix; an empty name becomes ``_``);
2. a reserved word (keyword, or a name the generated code itself uses in that scope) gets a
   trailing ``_``;
3. a name that still collides with one already taken in the same scope gets ``_`` appended
   again until it is unique.
A scope is filled in two passes (``Scope.claim_all``): first the names that are already valid
and not reserved, in source order — so they never move — then the rest, in source order. The
result is deterministic. Wire names (JSON keys, discriminator values, enum value strings) are
never renamed.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Sequence

__all__ = [
    "PY_KEYWORDS",
    "TS_RESERVED",
    "Scope",
    "camel_to_snake",
    "identifier",
    "sanitize",
    "to_lower_camel",
    "to_pascal",
    "to_snake",
]

PY_KEYWORDS = frozenset(keyword.kwlist)

# ECMAScript reserved words plus strict-mode and TypeScript type-position names that cannot be
# used as a type or value declaration name.
TS_RESERVED = frozenset(
    (
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "import",
        "in",
        "instanceof",
        "new",
        "null",
        "return",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "implements",
        "interface",
        "let",
        "package",
        "private",
        "protected",
        "public",
        "static",
        "yield",
        "await",
        "any",
        "boolean",
        "number",
        "string",
        "symbol",
        "never",
        "unknown",
        "object",
        "bigint",
        "undefined",
        "type",
        "of",
        "as",
        "async",
        "declare",
        "readonly",
        "keyof",
        "infer",
        "is",
        "asserts",
        "satisfies",
    )
)

_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def sanitize(name: str) -> str:
    """Step 1 of the rule: make ``name`` an ASCII identifier shape."""
    out = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not out:
        return "_"
    if out[0].isdigit():
        out = "_" + out
    return out


def identifier(name: str) -> str:
    """Step 1 of the rule, only as far as needed: ``name`` itself if it is an identifier."""
    return name if _IDENT_RE.match(name) else sanitize(name)


class Scope:
    """Names taken in one target scope; ``claim`` applies steps 1-3 of the rule."""

    def __init__(self, reserved: Iterable[str] = (), taken: Iterable[str] = ()) -> None:
        self._reserved = frozenset(reserved)
        self._taken: set[str] = set(taken)

    def claim(self, name: str) -> str:
        ident = identifier(name)
        if ident in self._reserved:
            ident += "_"
        while ident in self._taken or ident in self._reserved:
            ident += "_"
        self._taken.add(ident)
        return ident

    def claim_all(self, names: Sequence[str], shaped: Sequence[str] | None = None) -> list[str]:
        """Claim one scope's IDL ``names`` (source order) so that a name that is already
        valid keeps its spelling, whatever sanitizes onto it: names whose identifier shape
        equals the name and that are neither reserved nor taken are claimed first, then the
        others, both in source order. ``shaped``: the target's identifier for each name before
        steps 2-3 (default: the name if it is an ASCII identifier, else ``sanitize``), so a
        target rule such as "enum members start with a letter" counts as a change.

        Why two passes: with one, ``"a b"`` (→ ``a_b``) written before ``"a_b"`` would take
        ``a_b`` and push the valid name to ``a_b_`` — docs/naming.md promises it is kept."""
        if shaped is None:
            shaped = [identifier(n) for n in names]
        out: list[str | None] = [None] * len(names)
        for i, (name, ident) in enumerate(zip(names, shaped, strict=True)):
            if ident == name and name not in self._reserved and name not in self._taken:
                out[i] = self.claim(name)
        return [
            self.claim(ident) if got is None else got
            for got, ident in zip(out, shaped, strict=True)
        ]

    def __contains__(self, name: object) -> bool:
        return name in self._taken

    def taken(self) -> frozenset[str]:
        """Every name claimed (or given as taken) so far."""
        return frozenset(self._taken)


def to_lower_camel(name: str) -> str:
    """protoc's JSON name rule: drop each ``_`` and upper-case the letter after it."""
    out: list[str] = []
    upper = False
    for c in name:
        if c == "_":
            upper = True
        elif upper:
            out.append(c.upper())
            upper = False
        else:
            out.append(c)
    return "".join(out)


def to_pascal(name: str) -> str:
    """``send_message`` / ``sendMessage`` / ``send-message`` → ``SendMessage``."""
    parts = re.split(r"[^A-Za-z0-9]+", camel_to_snake(name))
    return "".join(p[:1].upper() + p[1:] for p in parts if p) or "_"


def camel_to_snake(name: str) -> str:
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    return s.lower()


def to_snake(name: str) -> str:
    """``SendMessage`` / ``sendMessage`` / ``send.message`` → ``send_message``."""
    return re.sub(r"[^a-z0-9]+", "_", camel_to_snake(name)).strip("_") or "_"
