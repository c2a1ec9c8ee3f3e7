"""Helpers for the facet tests: the source schema as wsgen reads it, the places of a document
where facets apply (found through the IR), and documents that break one facet there."""

from __future__ import annotations

import copy
import json
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from wsgen.ir import model as ir
from wsgen_runtime import wkt

__all__ = ["KIND_FORMATS", "Site", "break_facet", "facet_sites", "json_path", "source_validator"]

_INT = re.compile(r"-?[0-9]+")


def _int_text(lo: int, hi: int) -> Any:
    def check(value: object) -> bool:
        if not isinstance(value, str):
            return True
        return len(value) <= 24 and bool(_INT.fullmatch(value)) and lo <= int(value) <= hi

    return check


def _int_number(lo: int, hi: int) -> Any:
    def check(value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return True
        return lo <= value <= hi

    return check


def _float32(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    try:
        struct.pack("<f", float(value))
    except (OverflowError, struct.error):
        return False
    return True


def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        wkt.Timestamp.from_rfc3339(value)
    except ValueError:
        return False
    return True


# The formats a schema.json uses to name a kind (docs/ir.md): wsgen reads them as that kind,
# so its decoder asserts them, with the kind's own rule. Every other format is an annotation,
# as for ``jsonschema`` by default.
KIND_FORMATS = {
    "date-time": _date_time,
    "int32": _int_number(-(2**31), 2**31 - 1),
    "uint32": _int_number(0, 2**32 - 1),
    "int64": _int_text(-(2**63), 2**63 - 1),
    "uint64": _int_text(0, 2**64 - 1),
    "float": _float32,
}


def source_validator(schema: dict[str, Any]) -> Draft202012Validator:
    """``jsonschema`` over the source schema, with the kind formats asserted."""
    checker = FormatChecker(formats=())
    for name, check in KIND_FORMATS.items():
        checker.checks(name)(check)
    return Draft202012Validator(schema, format_checker=checker)


# ----------------------------------------------------------------------------- facet sites

_OWN = {
    "list": ("min_items", "max_items", "unique_items"),
    "map": ("min_properties", "max_properties"),
}
_VALUE = (
    "minimum",
    "maximum",
    "exclusive_minimum",
    "exclusive_maximum",
    "multiple_of",
    "min_length",
    "max_length",
    "pattern",
)


@dataclass(frozen=True)
class Site:
    """A value in a document and the facets the decoder checks on it."""

    path: tuple[str | int, ...]
    value: Any
    facets: dict[str, Any]


def _pick(c: ir.Constraints, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: getattr(c, n) for n in names if getattr(c, n) not in (None, False)}


def json_path(path: tuple[str | int, ...]) -> str:
    out = "$"
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", p):
            out += f".{p}"
        else:
            out += f"[{json.dumps(p, ensure_ascii=False)}]"
    return out


def facet_sites(
    index: ir.ModelIndex, message: str, doc: Any, path: tuple[str | int, ...] = ()
) -> Iterator[Site]:
    """Every value of ``doc`` (a document of IR message ``message``) that has facets."""
    if not isinstance(doc, dict):
        return
    for f in index.messages[message].fields:
        if f.json_name not in doc or doc[f.json_name] is None:
            continue
        yield from _value_sites(
            index, f.type, f.constraints, doc[f.json_name], (*path, f.json_name)
        )


def _value_sites(
    index: ir.ModelIndex,
    t: ir.FieldType,
    c: ir.Constraints,
    value: Any,
    path: tuple[str | int, ...],
) -> Iterator[Site]:
    if isinstance(t, ir.ListType | ir.MapType):
        own = _pick(c, _OWN["list" if isinstance(t, ir.ListType) else "map"])
        inner = _pick(c, _VALUE)
        if own:
            yield Site(path, value, own)
        items = (
            list(enumerate(value))
            if isinstance(value, list)
            else list(value.items())
            if isinstance(value, dict)
            else []
        )
        element = t.element if isinstance(t, ir.ListType) else t.value
        for key, item in items:
            if item is None:
                continue
            if inner:
                yield Site((*path, key), item, inner)
            yield from _value_sites(index, element, ir.Constraints(), item, (*path, key))
        return
    facets = _pick(c, _VALUE + _OWN["list"] + _OWN["map"])
    if facets:
        yield Site(path, value, facets)
    if isinstance(t, ir.MessageRef):
        yield from facet_sites(index, t.full_name, value, path)
    elif isinstance(t, ir.UnionRef) and isinstance(value, dict):
        union = index.unions[t.full_name]
        tag = value.get(union.discriminator)
        for v in union.variants:
            if v.value == tag:
                yield from facet_sites(index, v.message, value, path)
    elif isinstance(t, ir.JsonUnionType) and isinstance(value, dict):
        for v in t.variants:
            if isinstance(v, ir.MessageRef):
                yield from facet_sites(index, v.full_name, value, path)


# ----------------------------------------------------------------------------- breaking one


def _breaks(site: Site) -> list[tuple[str, Any]]:
    """(keyword, replacement value) pairs, each violating one facet of the site."""
    v, f = site.value, site.facets
    out: list[tuple[str, Any]] = []
    if isinstance(v, bool):
        return out
    if isinstance(v, int | float):
        if "minimum" in f:
            out.append(("minimum", f["minimum"] - 1))
        if "exclusive_minimum" in f:
            out.append(("exclusiveMinimum", f["exclusive_minimum"]))
        if "maximum" in f:
            out.append(("maximum", f["maximum"] + 1))
        if "exclusive_maximum" in f:
            out.append(("exclusiveMaximum", f["exclusive_maximum"]))
        step = f.get("multiple_of")
        if step is not None and step != 1:
            off = step / 2 if isinstance(step, float) else 1
            out.append(("multipleOf", (f.get("minimum") or 0) + step + off))
    elif isinstance(v, str):
        if f.get("min_length"):
            out.append(("minLength", "x" * (f["min_length"] - 1)))
        if "max_length" in f:
            out.append(("maxLength", (v + "9" * (f["max_length"] + 1))[: f["max_length"] + 1]))
        if "pattern" in f:
            for candidate in ("", "!", "\x00", "zz zz", "0" * 40):
                if not re.search(f["pattern"], candidate):
                    out.append(("pattern", candidate))
                    break
    elif isinstance(v, list):
        if f.get("min_items"):
            out.append(("minItems", v[: f["min_items"] - 1]))
        if "max_items" in f and v:
            out.append(("maxItems", [v[i % len(v)] for i in range(f["max_items"] + 1)]))
        if f.get("unique_items") and v:
            out.append(("uniqueItems", [*v, copy.deepcopy(v[0])]))
    elif isinstance(v, dict):
        if f.get("min_properties"):
            out.append(("minProperties", dict(list(v.items())[: f["min_properties"] - 1])))
        if "max_properties" in f and v:
            first = next(iter(v.values()))
            extra = {f"k{i}": copy.deepcopy(first) for i in range(f["max_properties"] + 1)}
            out.append(("maxProperties", {**v, **extra}))
    return out


def _replace(doc: Any, path: tuple[str | int, ...], value: Any) -> Any:
    out = copy.deepcopy(doc)
    parent = out
    for p in path[:-1]:
        parent = parent[p]
    parent[path[-1]] = value
    return out


def _keyword(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(r.title() for r in rest)


def break_facet(
    index: ir.ModelIndex, message: str, doc: Any
) -> st.SearchStrategy[tuple[Any, str, frozenset[str]]] | None:
    """Documents like ``doc`` with one facet broken at one place: (document, JSON path of
    the place, the keywords checked there). None when ``doc`` has nothing to break."""
    options = [
        (
            _replace(doc, site.path, value),
            json_path(site.path),
            frozenset(_keyword(n) for n in site.facets),
        )
        for site in facet_sites(index, message, doc)
        for _, value in _breaks(site)
    ]
    return st.sampled_from(options) if options else None
