"""wsgen's annotations for what plain JSON Schema cannot say, read back into the IR.

The JSON Schema backend writes them (docs/jsonschema-output.md) so that a bundle read as a
schema.json lowers to the IR it came from; a hand-written schema.json may use them too:

- ``x-wsgen-oneof`` on a message: oneof name → ``{"members": [keys], "description"?}``, beside
  exactly the "at most one member" ``dependentSchemas`` the backend writes for it;
- ``x-wsgen-presence: "implicit"`` on a property: proto3 implicit presence;
- ``x-wsgen-name`` on a property: the field's IDL name, where the naming rule would not give it;
- ``x-wsgen-enum-numbers`` (value → number), ``x-wsgen-enum-values`` (value → description,
  deprecated) on an enum, whose values are ``enum`` or, for an open enum, the
  ``anyOf: [{"enum": [...]}, {"type": "integer", <int32 range>}]`` form;
- ``x-wsgen-reserved-names`` on a message or an enum.

Invariant: each keyword is checked completely (shape, and that every name it mentions exists)
before it changes the IR; a malformed one is a ``Located`` problem (``WSG408``), never ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wsgen.frontends.jsonschema.nodes import At, Located
from wsgen.frontends.jsonschema.scalars import I32, Problem
from wsgen.ir import model as ir
from wsgen.ir.names import field_names

__all__ = [
    "ENUM_NUMBERS",
    "ENUM_VALUES",
    "FIELD_KEYWORDS",
    "NAME",
    "ONEOF",
    "PRESENCE",
    "RESERVED",
    "EnumShape",
    "FieldMark",
    "MessageMarks",
    "check_implicit",
    "enum_shape",
    "enum_values",
    "enum_values_of",
    "field_mark",
    "message_marks",
    "read_oneofs",
    "reserved_names",
]

ONEOF = "x-wsgen-oneof"
PRESENCE = "x-wsgen-presence"
NAME = "x-wsgen-name"
ENUM_NUMBERS = "x-wsgen-enum-numbers"
ENUM_VALUES = "x-wsgen-enum-values"
RESERVED = "x-wsgen-reserved-names"
FIELD_KEYWORDS = frozenset({PRESENCE, NAME})

# The integer branch of an open enum: any int32 may arrive (proto3 keeps unknown numbers).
_OPEN_NUMBER = {"type": "integer", "minimum": I32[0], "maximum": I32[1]}


def _bad(at: At, keyword: str, message: str, hint: str = "") -> Located:
    return Located(at, Problem(keyword, message, hint=hint), "WSG408")


def _string_list(at: At, keyword: str) -> list[str]:
    value = at.node.get(keyword)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _bad(at, keyword, f'"{keyword}" must be an array of strings')
    return value


# ---------------------------------------------------------------------------- messages


def read_oneofs(
    at: At, keys: list[str], required: list[str]
) -> tuple[tuple[ir.Oneof, ...], dict[str, str]]:
    """The oneofs a message declares, and member key → oneof name. The ``dependentSchemas``
    beside them must be exactly the at-most-one form, so the schema and the IR agree."""
    spec = at.node.get(ONEOF)
    if spec is None:
        return (), {}
    if not isinstance(spec, dict):
        raise _bad(at, ONEOF, f'"{ONEOF}" maps each oneof name to {{"members": [...]}}')
    oneofs: list[ir.Oneof] = []
    member_of: dict[str, str] = {}
    groups: list[list[str]] = []
    for name, group in spec.items():
        where = at.child(ONEOF, name)
        members = group.get("members") if isinstance(group, dict) else None
        doc = group.get("description", "") if isinstance(group, dict) else ""
        if (
            not isinstance(members, list)
            or not members
            or not all(isinstance(m, str) for m in members)
            or not isinstance(doc, str)
            or not set(group) <= {"members", "description"}
            or not name.isidentifier()
        ):
            raise _bad(
                where,
                "",
                f'oneof "{name}" must be an identifier with {{"members": [<property keys>], '
                '"description"?: "..."}',
            )
        for key in members:
            if key not in keys:
                raise _bad(where, "", f'oneof "{name}" lists "{key}", which is not a property')
            if key in member_of:
                raise _bad(where, "", f'property "{key}" is in two oneofs')
            if key in required:
                raise _bad(where, "", f'oneof member "{key}" cannot be required')
            member_of[key] = name
        oneofs.append(ir.Oneof(name, doc=doc.strip(), span=where.span()))
        groups.append(members)
    expected = {
        key: {"properties": {other: False for other in members if other != key}}
        for members in groups
        if len(members) > 1
        for key in members
    }
    if at.node.get("dependentSchemas", {}) != expected:
        raise _bad(
            at,
            "dependentSchemas" if "dependentSchemas" in at.node else ONEOF,
            f'"dependentSchemas" beside "{ONEOF}" must say exactly "at most one member of each '
            'oneof": for each member, {"properties": {<every other member>: false}}',
            hint="docs/jsonschema-output.md shows the form",
        )
    return tuple(oneofs), member_of


@dataclass(frozen=True, slots=True)
class MessageMarks:
    """What a message's wsgen keywords say: property key → field name, oneofs (and member
    key → oneof name), reserved names."""

    names: dict[str, str]
    oneofs: tuple[ir.Oneof, ...]
    member_of: dict[str, str]
    reserved_names: tuple[str, ...]


def message_marks(at: At, keys: list[str], required: list[str]) -> MessageMarks:
    """Field names follow the naming rule (``wsgen.ir.names``) unless a property says its own
    ``x-wsgen-name``; two properties may not end up with one name."""
    names = field_names(keys)
    for key in keys:
        own = field_mark(at.child("properties", key)).name
        if own is not None:
            names[key] = own
    seen: dict[str, str] = {}
    for key, name in names.items():
        if name in seen:
            raise Located(
                at.child("properties", key),
                Problem(
                    "",
                    f'properties "{seen[name]}" and "{key}" both have the field name "{name}"',
                    hint=f'give one of them another "{NAME}"',
                ),
                "WSG409",
            )
        seen[name] = key
    oneofs, member_of = read_oneofs(at, keys, required)
    return MessageMarks(names, oneofs, member_of, reserved_names(at))


def reserved_names(at: At) -> tuple[str, ...]:
    """``x-wsgen-reserved-names``: names a message or enum may never use again."""
    if RESERVED not in at.node:
        return ()
    return tuple(_string_list(at, RESERVED))


@dataclass(frozen=True, slots=True)
class FieldMark:
    """What a property's own wsgen keywords say: its IDL name, and implicit presence."""

    name: str | None
    implicit: bool


def field_mark(at: At) -> FieldMark:
    node = at.node if isinstance(at.node, dict) else {}
    name = node.get(NAME)
    if name is not None and (not isinstance(name, str) or not name):
        raise _bad(at, NAME, f'"{NAME}" must be a non-empty string (the field\'s IDL name)')
    presence = node.get(PRESENCE)
    if presence is not None and presence != "implicit":
        raise _bad(
            at,
            PRESENCE,
            f'"{PRESENCE}" can only be "implicit"',
            hint="explicit presence and required are what a plain property and "
            '"required" already say',
        )
    return FieldMark(name, presence is not None)


def check_implicit(at: At, t: ir.FieldType, nullable: bool, required: bool, oneof: bool) -> None:
    """Implicit presence is for singular, non-null, optional fields outside oneofs (proto3)."""
    reason = ""
    if required:
        reason = "a required property"
    elif isinstance(t, ir.ListType | ir.MapType):
        reason = "an array or map (those are always implicit)"
    elif nullable:
        reason = "a nullable property"
    elif oneof:
        reason = "a oneof member"
    if reason:
        raise _bad(at, PRESENCE, f'"{PRESENCE}: implicit" does not apply to {reason}')


# ---------------------------------------------------------------------------- enums


def enum_values_of(node: Any) -> list[Any] | None:
    """The value list of an enum declaration, in either form (closed ``enum``, open anyOf)."""
    if not isinstance(node, dict):
        return None
    if isinstance(node.get("enum"), list):
        values: list[Any] = node["enum"]
        return values
    branches = node.get("anyOf")
    if (
        ENUM_NUMBERS in node
        and isinstance(branches, list)
        and len(branches) == 2
        and isinstance(branches[0], dict)
        and isinstance(branches[0].get("enum"), list)
    ):
        values = branches[0]["enum"]
        return values
    return None


@dataclass(frozen=True, slots=True)
class EnumShape:
    """An enum declaration read: where its values are, and whether it is open."""

    values_at: At
    open: bool


def enum_shape(at: At) -> EnumShape:
    """Closed: ``{"enum": [...]}``. Open (needs ``x-wsgen-enum-numbers``): exactly
    ``anyOf: [{"enum": [...]}, {"type": "integer", "minimum": -2^31, "maximum": 2^31-1}]``."""
    node = at.node
    if isinstance(node.get("enum"), list):
        if "anyOf" in node:
            raise Located(at, Problem("anyOf", '"anyOf" beside "enum" is not supported'))
        return EnumShape(at, False)
    branches = node.get("anyOf")
    first = branches[0] if isinstance(branches, list) and branches else None
    if (
        not isinstance(branches, list)
        or len(branches) != 2
        or not isinstance(first, dict)
        or set(first) - {"type"} != {"enum"}
        or first.get("type", "string") != "string"
        or branches[1] != _OPEN_NUMBER
    ):
        raise _bad(
            at,
            ENUM_NUMBERS,
            f'"{ENUM_NUMBERS}" belongs on an enum: {{"enum": [...]}}, or an open enum written '
            '{"anyOf": [{"enum": [...]}, {"type": "integer", "minimum": -2147483648, '
            '"maximum": 2147483647}]}',
        )
    return EnumShape(at.child("anyOf", 0), True)


def _enum_numbers(at: At, names: list[str]) -> dict[str, int]:
    """``x-wsgen-enum-numbers``: every value's int32 number, nothing else."""
    spec = at.node.get(ENUM_NUMBERS)
    if spec is None:
        return {}
    if (
        not isinstance(spec, dict)
        or set(spec) != set(names)
        or not all(type(n) is int and I32[0] <= n <= I32[1] for n in spec.values())
    ):
        raise _bad(
            at,
            ENUM_NUMBERS,
            f'"{ENUM_NUMBERS}" must give every value of the enum, and only those, an int32 number',
        )
    return dict(spec)


def _enum_notes(at: At, names: list[str]) -> dict[str, tuple[str, bool]]:
    """``x-wsgen-enum-values``: value → (doc, deprecated)."""
    spec = at.node.get(ENUM_VALUES)
    if spec is None:
        return {}
    out: dict[str, tuple[str, bool]] = {}
    if isinstance(spec, dict):
        for value, note in spec.items():
            if (
                value in names
                and isinstance(note, dict)
                and set(note) <= {"description", "deprecated"}
                and isinstance(note.get("description", ""), str)
                and isinstance(note.get("deprecated", False), bool)
            ):
                out[value] = (note.get("description", "").strip(), note.get("deprecated", False))
                continue
            raise _bad(
                at.child(ENUM_VALUES, value) if isinstance(value, str) else at,
                "",
                f'"{ENUM_VALUES}" entry "{value}" must be a value of the enum with '
                '{"description"?: "...", "deprecated"?: true}',
            )
        return out
    raise _bad(at, ENUM_VALUES, f'"{ENUM_VALUES}" maps enum values to their notes')


def enum_values(at: At, shape: EnumShape, names: list[str]) -> tuple[ir.EnumValue, ...]:
    """The IR values: numbers, aliases (a value whose number an earlier value has), notes."""
    numbers = _enum_numbers(at, names)
    notes = _enum_notes(at, names)
    first: dict[int, str] = {}
    out: list[ir.EnumValue] = []
    values = shape.values_at.node["enum"]
    for name in names:
        number = numbers.get(name)
        alias_of = first.get(number) if number is not None else None
        if number is not None:
            first.setdefault(number, name)
        doc, deprecated = notes.get(name, ("", False))
        out.append(
            ir.EnumValue(
                name,
                number=number,
                alias_of=alias_of,
                doc=doc,
                deprecated=deprecated,
                span=shape.values_at.span("enum", values.index(name)),
            )
        )
    return tuple(out)
