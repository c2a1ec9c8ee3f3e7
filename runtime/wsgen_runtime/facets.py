"""JSON Schema 2020-12 validation facets as checks on one JSON value.

The generated decoder is wsgen's validator (issue 2), so a field's facets (``minimum``,
``maxLength``, ``pattern``, ``uniqueItems`` …) are checked while decoding. This module builds
the checks once per field (``build_checks``, when a class's field table is first used) and
knows nothing about paths or errors: a check returns ``None`` or the text of the problem,
ending with the violated keyword in parentheses, and ``codec`` turns that into a
``DecodeError`` at the field's JSON path.

Semantics are JSON Schema's (Validation vocabulary, §6), on the JSON value as written:

- a facet applies only to values of its JSON type (§6.1: "If the instance is not a number,
  it is valid"): ``minLength`` never rejects a number, ``minimum`` never rejects ``null``;
- string length counts code points (§6.3.1), which is what ``len`` counts on ``str``;
- ``pattern`` is searched, not anchored (§6.3.3). The dialect is Python's ``re`` — the
  dialect ``jsonschema`` uses — not ECMA-262: see docs/python.md for where they differ;
- ``uniqueItems`` compares with JSON equality (§4.2.2): ``1`` equals ``1.0``, ``true`` does
  not equal ``1``, object key order does not matter;
- ``multipleOf``: exact for integers; for floats a value passes when the binary quotient is
  an integer (what ``jsonschema`` and ajv compute) or when the decimal numbers divide
  exactly (``0.3`` is a multiple of ``0.1``, which binary arithmetic misses).

``format`` is an annotation here, as in ``jsonschema`` by default; ``const`` of fields is
checked by the codec's field table, so only list items and map values pass it in.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

__all__ = ["Check", "Checks", "build_checks", "is_multiple", "json_key"]

#: A facet check: ``None`` when the value passes, else the problem, e.g.
#: ``"must be ≥ 0 (minimum)"``.
Check = Callable[[Any], "str | None"]
#: Checks by the Python type of the decoded JSON value (``int``, ``float``, ``str``, ``list``,
#: ``dict``); ``bool`` and ``None`` are never keys, since no facet applies to them but const.
Checks = dict[type, tuple[Check, ...]]

Number = int | float


def _num(value: Number) -> str:
    return json.dumps(value)


def is_multiple(value: Number, step: Number) -> bool:
    """``value`` is an integer multiple of ``step`` (> 0), as JSON Schema's ``multipleOf``."""
    if isinstance(value, float) and not math.isfinite(value):
        return False  # JSON text such as 1e400 reads as infinity, a multiple of nothing
    if isinstance(step, int):
        # exact for int values, and for floats too: float % int is computed exactly
        return value % step == 0
    try:
        quotient = value / step
        if quotient.is_integer():
            return True
    except OverflowError:
        pass
    # the decimal numbers the JSON text spells (repr is the shortest text of a float)
    return Fraction(repr(value)) % Fraction(repr(step)) == 0


def json_key(value: Any) -> Any:
    """A hashable stand-in for a JSON value such that two values are JSON-equal exactly when
    their keys are equal: numbers by value (``1 == 1.0``), booleans apart from numbers."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", value)
    if isinstance(value, str):
        return ("s", value)
    if value is None:
        return ("z",)
    if isinstance(value, list):
        return ("a", tuple(json_key(v) for v in value))
    if isinstance(value, dict):
        return ("o", frozenset((k, json_key(v)) for k, v in value.items()))
    return ("?", id(value))


def _number_checks(
    minimum: Number | None,
    maximum: Number | None,
    exclusive_minimum: Number | None,
    exclusive_maximum: Number | None,
    multiple_of: Number | None,
) -> list[Check]:
    out: list[Check] = []
    if minimum is not None:
        lo, lo_text = minimum, f"must be ≥ {_num(minimum)} (minimum)"
        out.append(lambda v: None if v >= lo else lo_text)
    if exclusive_minimum is not None:
        xlo, xlo_text = exclusive_minimum, f"must be > {_num(exclusive_minimum)} (exclusiveMinimum)"
        out.append(lambda v: None if v > xlo else xlo_text)
    if maximum is not None:
        hi, hi_text = maximum, f"must be ≤ {_num(maximum)} (maximum)"
        out.append(lambda v: None if v <= hi else hi_text)
    if exclusive_maximum is not None:
        xhi, xhi_text = exclusive_maximum, f"must be < {_num(exclusive_maximum)} (exclusiveMaximum)"
        out.append(lambda v: None if v < xhi else xhi_text)
    if multiple_of is not None:
        step, step_text = multiple_of, f"must be a multiple of {_num(multiple_of)} (multipleOf)"
        out.append(lambda v: None if is_multiple(v, step) else step_text)
    return out


def _string_checks(
    min_length: int | None, max_length: int | None, pattern: str | None
) -> list[Check]:
    out: list[Check] = []
    if min_length is not None:
        shortest = min_length
        short_text = f"must be at least {min_length} characters long (minLength)"
        out.append(lambda v: None if len(v) >= shortest else short_text)
    if max_length is not None:
        longest = max_length
        long_text = f"must be at most {max_length} characters long (maxLength)"
        out.append(lambda v: None if len(v) <= longest else long_text)
    if pattern is not None:
        search = re.compile(pattern).search  # compiled once per field
        pattern_text = f"must match {json.dumps(pattern, ensure_ascii=False)} (pattern)"
        out.append(lambda v: None if search(v) else pattern_text)
    return out


def _unique(items: list[Any]) -> str | None:
    seen: dict[Any, int] = {}
    for i, item in enumerate(items):
        first = seen.setdefault(json_key(item), i)
        if first != i:
            return f"items [{first}] and [{i}] are equal (uniqueItems)"
    return None


def _array_checks(min_items: int | None, max_items: int | None, unique: bool) -> list[Check]:
    out: list[Check] = []
    if min_items is not None:
        fewest, few_text = min_items, f"must have at least {min_items} items (minItems)"
        out.append(lambda v: None if len(v) >= fewest else few_text)
    if max_items is not None:
        most, many_text = max_items, f"must have at most {max_items} items (maxItems)"
        out.append(lambda v: None if len(v) <= most else many_text)
    if unique:
        out.append(_unique)
    return out


def _object_checks(min_properties: int | None, max_properties: int | None) -> list[Check]:
    out: list[Check] = []
    if min_properties is not None:
        fewest = min_properties
        few_text = f"must have at least {min_properties} properties (minProperties)"
        out.append(lambda v: None if len(v) >= fewest else few_text)
    if max_properties is not None:
        most = max_properties
        many_text = f"must have at most {max_properties} properties (maxProperties)"
        out.append(lambda v: None if len(v) <= most else many_text)
    return out


_UNSET: Any = object()


def build_checks(
    *,
    minimum: Number | None = None,
    maximum: Number | None = None,
    exclusive_minimum: Number | None = None,
    exclusive_maximum: Number | None = None,
    multiple_of: Number | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
    min_items: int | None = None,
    max_items: int | None = None,
    unique_items: bool = False,
    min_properties: int | None = None,
    max_properties: int | None = None,
    const: Any = _UNSET,
) -> tuple[Checks, Check | None]:
    """The checks of a set of facets by JSON value type, and the ``const`` check (which
    applies to values of every type)."""
    by_type: Checks = {}
    numbers = _number_checks(minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of)
    if numbers:
        by_type[int] = by_type[float] = tuple(numbers)
    strings = _string_checks(min_length, max_length, pattern)
    if strings:
        by_type[str] = tuple(strings)
    arrays = _array_checks(min_items, max_items, unique_items)
    if arrays:
        by_type[list] = tuple(arrays)
    objects = _object_checks(min_properties, max_properties)
    if objects:
        by_type[dict] = tuple(objects)
    const_check: Check | None = None
    if const is not _UNSET:
        want, const_text = json_key(const), f"must be {json.dumps(const)} (const)"
        const_check = lambda v: None if json_key(v) == want else const_text  # noqa: E731
    return by_type, const_check
