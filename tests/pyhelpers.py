"""Python backend test harness: every case renders into ONE importable tree per session.

A case is a name and a model builder (inline IDL through the real compiler, an input folder,
or hand-built IR). ``py_case(name)`` renders all registered cases once, each under its own
root package ``wsgen_t_<name>``, into one temporary folder that goes on ``sys.path``; the
static checks (mypy --strict, ruff) then run once over that folder (2-core machine).

``strategy_for(case, full_name)`` builds hypothesis strategies for generated classes from the
IR, so any rendered model (the example idl/, JSON Schema inputs) gets round-trip properties.
"""

from __future__ import annotations

import atexit
import functools
import importlib
import math
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import textwrap
import types
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.helpers import compile_idl
from wsgen.backends.options import BuildOptions
from wsgen.backends.python import render_python
from wsgen.backends.python_view import PythonNames, build_view_python
from wsgen.ir import model as ir
from wsgen.pipeline import discover_inputs, load_model

__all__ = [
    "INPUTS",
    "ROOT",
    "PyCase",
    "compile_pb2",
    "json_values",
    "py_case",
    "py_tree",
    "register",
    "strategy_for",
]

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "tests" / "inputs"
BIN = Path(sys.executable).parent

# ----------------------------------------------------------------------------- case registry

Builder = Callable[[Path], ir.Model]
_BUILDERS: dict[str, Builder] = {}


def register(name: str, builder: Builder) -> None:
    """Add a case (idempotent per name). Register at import time, before ``py_tree()``."""
    _BUILDERS.setdefault(name, builder)


def proto_case(name: str, files: dict[str, str]) -> None:
    """A case compiled from inline .proto files with the real frontend."""
    register(name, lambda tmp: compile_idl(tmp, files))


def folder_case(name: str, folder: Path) -> None:
    """A case compiled from an IDL folder (e.g. ``tests/inputs/schemajson/...``, ``idl/``)."""
    register(name, lambda tmp: load_model(discover_inputs(folder)))


@dataclass
class PyCase:
    name: str
    root: str
    model: ir.Model
    names: PythonNames
    files: dict[str, str]

    def module(self, package: str) -> types.ModuleType:
        return importlib.import_module(self.names.modules[package])

    def cls(self, full_name: str) -> Any:
        module, attr = self.names.classes[full_name]
        return getattr(importlib.import_module(module), attr)

    def attr(self, message: str, field: str) -> str:
        return self.names.fields[(message, field)]

    def source(self, package: str) -> str:
        dotted = self.names.modules[package]
        return self.files["python/" + dotted.replace(".", "/") + "/__init__.py"]


@dataclass
class PyTree:
    path: Path  # the folder on sys.path (holds one root package per case)
    cases: dict[str, PyCase]


@functools.cache
def _tree_root() -> PyTree:
    tmp = Path(tempfile.mkdtemp(prefix="wsgen_py_"))
    atexit.register(shutil.rmtree, tmp, True)
    python = tmp / "out" / "python"
    python.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(python))
    return PyTree(python, {})


def py_tree() -> PyTree:
    """Render every registered case once into one folder on ``sys.path``.

    Cases registered after the first call (a test module imported later during collection)
    are rendered on the next call: each case has its own root package, so adding one never
    disturbs the others."""
    tree = _tree_root()
    pending = sorted(n for n in _BUILDERS if n not in tree.cases)
    if not pending:
        return tree
    out = tree.path.parent
    work_root = out.parent / "idl"
    for name in pending:
        work = work_root / name
        work.mkdir(parents=True)
        model = _BUILDERS[name](work)
        root = f"wsgen_t_{name}"
        options = BuildOptions(python_package=root, elide_version=True)
        files = render_python(model, options)
        _, names = build_view_python(model, options)
        for rel, text in files.items():
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        tree.cases[name] = PyCase(name, root, model, names, files)
    importlib.invalidate_caches()
    return tree


def py_case(name: str) -> PyCase:
    return py_tree().cases[name]


def run_tool(args: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=900, check=False, **kw)


# ----------------------------------------------------------------------------- pb2 oracle


def compile_pb2(tmp: Path, files: dict[str, str]) -> dict[str, types.ModuleType]:
    """Compile .proto files with grpc_tools into ``*_pb2`` modules (the json_format oracle).

    Returns proto path → module. Modules get a unique import prefix per ``tmp``."""
    from grpc_tools import protoc

    src = tmp / "pb_src"
    gen = tmp / "pb_gen"
    for rel, text in files.items():
        p = src / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    gen.mkdir(parents=True, exist_ok=True)
    include = Path(protoc.__file__).parent / "_proto"
    args = ["protoc", f"-I{src}", f"-I{include}", f"--python_out={gen}", *files]
    assert protoc.main(args) == 0, "protoc failed"
    sys.path.insert(0, str(gen))
    try:
        out = {}
        for rel in files:
            mod_name = rel.removesuffix(".proto").replace("/", ".") + "_pb2"
            sys.modules.pop(mod_name, None)
            out[rel] = importlib.import_module(mod_name)
        return out
    finally:
        sys.path.remove(str(gen))


# ----------------------------------------------------------------------------- strategies

_NO_FACETS = ir.Constraints()

_INT_RANGES = {
    ir.Scalar.INT32: (-(2**31), 2**31 - 1),
    ir.Scalar.SINT32: (-(2**31), 2**31 - 1),
    ir.Scalar.SFIXED32: (-(2**31), 2**31 - 1),
    ir.Scalar.UINT32: (0, 2**32 - 1),
    ir.Scalar.FIXED32: (0, 2**32 - 1),
    ir.Scalar.INT64: (-(2**63), 2**63 - 1),
    ir.Scalar.SINT64: (-(2**63), 2**63 - 1),
    ir.Scalar.SFIXED64: (-(2**63), 2**63 - 1),
    ir.Scalar.UINT64: (0, 2**64 - 1),
    ir.Scalar.FIXED64: (0, 2**64 - 1),
}


def _json_values(integers: st.SearchStrategy[int]) -> st.SearchStrategy[Any]:
    return st.recursive(
        st.none()
        | st.booleans()
        | integers
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=6,
    )


json_values = _json_values(st.integers())
# google.protobuf.Value numbers are doubles: integers beyond 2**53 do not survive protobuf.
proto_json_values = _json_values(st.integers(-(2**53), 2**53))


class _Strategies:
    def __init__(self, case: PyCase, depth: int, skip: frozenset[ir.WellKnown]) -> None:
        self.case = case
        self.skip = skip
        self.index = case.model.index()
        self.depth = depth
        self.memo: dict[tuple[str, int], st.SearchStrategy[Any]] = {}

    def scalar(self, kind: ir.Scalar, origin: str) -> st.SearchStrategy[Any]:
        if kind in _INT_RANGES:
            lo, hi = _INT_RANGES[kind]
            return st.integers(lo, hi)
        if kind is ir.Scalar.INTEGER:
            return st.integers()
        if kind is ir.Scalar.DOUBLE:
            return st.floats(allow_nan=False, allow_infinity=origin != "jsonschema")
        if kind is ir.Scalar.FLOAT:
            return st.floats(width=32, allow_nan=False)
        if kind is ir.Scalar.BOOL:
            return st.booleans()
        if kind is ir.Scalar.STRING:
            return st.text(max_size=8)
        return st.binary(max_size=8)

    def wkt(self, kind: ir.WellKnown) -> st.SearchStrategy[Any]:
        from wsgen_runtime import wkt

        W = ir.WellKnown
        if kind in self.skip:
            return st.nothing()
        if kind.wrapped is not None:
            return self.scalar(kind.wrapped, "proto")
        if kind is W.TIMESTAMP:
            return st.builds(
                wkt.Timestamp,
                st.integers(-62_135_596_800, 253_402_300_799),
                st.integers(0, 999_999_999),
            )
        if kind is W.DURATION:
            return st.integers(-315_576_000_000 * 10**9, 315_576_000_000 * 10**9).map(
                wkt.Duration.from_nanos
            )
        if kind is W.EMPTY:
            return st.just(wkt.Empty())
        if kind is W.FIELD_MASK:
            path = st.lists(
                st.from_regex(r"[a-z]{1,4}(_[a-z]{1,4}){0,2}", fullmatch=True),
                min_size=1,
                max_size=2,
            )
            return st.lists(path.map(".".join), max_size=3).map(lambda p: wkt.FieldMask(tuple(p)))
        if kind is W.STRUCT:
            return st.dictionaries(st.text(max_size=5), proto_json_values, max_size=3)
        if kind is W.LIST_VALUE:
            return st.lists(proto_json_values, max_size=3)
        if kind is W.NULL_VALUE:
            return st.none()
        if kind is W.ANY:
            rest = st.dictionaries(
                st.text(max_size=5).filter(lambda k: k != "@type"), proto_json_values, max_size=2
            )
            return st.builds(wkt.Any, st.text(max_size=10), rest)
        return proto_json_values

    def value(
        self, t: ir.FieldType, origin: str, depth: int, c: ir.Constraints = _NO_FACETS
    ) -> st.SearchStrategy[Any]:
        """Values of ``t`` within facets ``c`` (applied as the decoder does: a list's or map's
        own facets on it, the rest on its items or values; in a JSON-kind union, each facet on
        the variants of its own JSON type)."""
        if isinstance(t, ir.ScalarType):
            return _within(self.scalar(t.kind, origin), t.kind, c)
        if isinstance(t, ir.EnumRef):
            en = self.index.enums[t.full_name]
            cls = self.case.cls(t.full_name)
            members: st.SearchStrategy[Any] = st.sampled_from(list(cls))
            if en.open and any(v.number is not None for v in en.values):
                members = members | st.integers(-(2**31), 2**31 - 1)
            return members
        if isinstance(t, ir.MessageRef):
            return self.message(t.full_name, depth - 1)
        if isinstance(t, ir.UnionRef):
            un = self.index.unions[t.full_name]
            return st.one_of([self.message(v.message, depth - 1) for v in un.variants])
        if isinstance(t, ir.WellKnownType):
            return self.wkt(t.kind)
        if isinstance(t, ir.AnyJsonType):
            return json_values
        if isinstance(t, ir.JsonUnionType):
            union: list[st.SearchStrategy[Any]] = []
            for v in t.variants:
                if isinstance(v, ir.ListType | ir.MapType):
                    union.append(self.sized(v, origin, depth, c, _NO_FACETS))
                else:
                    union.append(self.value(v, origin, depth, c))
            return st.one_of(union)
        if isinstance(t, ir.ListType | ir.MapType):
            return self.sized(t, origin, depth, _own_facets(c), c)
        raise AssertionError(f"no strategy for {t!r}")

    def sized(
        self,
        t: ir.ListType | ir.MapType,
        origin: str,
        depth: int,
        own: ir.Constraints,
        inner: ir.Constraints,
    ) -> st.SearchStrategy[Any]:
        """A list or map with ``own`` size facets whose items / values keep ``inner``."""
        is_list = isinstance(t, ir.ListType)
        lo = (own.min_items if is_list else own.min_properties) or 0
        hi = own.max_items if is_list else own.max_properties
        size = min(max(lo, 2 if depth > 0 else 0), hi if hi is not None else 10**9)
        if lo == 0 and depth <= 0:
            return st.just([] if is_list else {})
        if isinstance(t, ir.ListType):
            elem = self.value(t.element, origin, max(depth, 1), _value_facets(inner))
            if elem.is_empty:
                return st.just([]) if lo == 0 else st.nothing()
            if t.element_nullable:
                elem = st.none() | elem
            unique = _json_identity if own.unique_items else None
            return st.lists(elem, min_size=lo, max_size=size, unique_by=unique)
        key = self.scalar(t.key, origin)
        value = self.value(t.value, origin, max(depth, 1), _value_facets(inner))
        if value.is_empty:
            return st.just({}) if lo == 0 else st.nothing()
        if t.value_nullable:
            value = st.none() | value
        return st.dictionaries(key, value, min_size=lo, max_size=size)

    def field(self, msg: ir.Message, f: ir.Field, depth: int) -> st.SearchStrategy[Any]:
        if f.constraints.const is not None:
            return st.just(f.constraints.const)
        t = f.type
        if (
            isinstance(t, ir.MessageRef | ir.UnionRef)
            and depth <= 0
            and f.presence is not ir.Presence.REQUIRED
        ):
            return st.none()
        value = self.value(t, msg.origin, depth, f.constraints)
        if isinstance(t, ir.ListType | ir.MapType) and f.presence is not ir.Presence.REQUIRED:
            return value
        if f.presence is ir.Presence.REQUIRED:
            return st.none() | value if f.nullable else value
        if f.presence is ir.Presence.IMPLICIT and not f.nullable and _zeroable(self.index, t):
            return value
        return st.none() | value

    def message(self, full_name: str, depth: int) -> st.SearchStrategy[Any]:
        key = (full_name, max(depth, 0))
        if key not in self.memo:
            self.memo[key] = st.deferred(lambda: self._build(full_name, max(depth, 0)))
        return self.memo[key]

    def _build(self, full_name: str, depth: int) -> st.SearchStrategy[Any]:
        msg = self.index.messages[full_name]
        cls = self.case.cls(full_name)
        plain: dict[str, st.SearchStrategy[Any]] = {}
        groups: dict[str, list[tuple[str, st.SearchStrategy[Any]]]] = {}
        for f in msg.fields:
            attr = self.case.attr(full_name, f.name)
            if f.oneof is not None:
                if depth <= 0 and isinstance(f.type, ir.MessageRef | ir.UnionRef):
                    continue
                value = self.value(f.type, msg.origin, depth, f.constraints)
                groups.setdefault(f.oneof, []).append((attr, value))
            else:
                plain[attr] = self.field(msg, f, depth)
        parts: list[st.SearchStrategy[dict[str, Any]]] = [st.fixed_dictionaries(plain)]
        for members in groups.values():
            options: list[st.SearchStrategy[dict[str, Any]]] = [st.just({})]
            for attr, strat in members:
                options.append(strat.map(lambda v, a=attr: {a: v}))
            parts.append(st.one_of(options))
        extra = self.case.names.extras.get(full_name)
        if extra is not None and msg.additional_properties is not None:
            declared = {f.json_name for f in msg.fields} | {f.name for f in msg.fields}
            keys = st.text(max_size=5).filter(lambda k: k not in declared)
            values = self.value(msg.additional_properties, msg.origin, depth)
            parts.append(st.dictionaries(keys, values, max_size=2).map(lambda d: {extra: d}))

        nulls = self.case.names.nulls.get(full_name)
        if nulls is not None:
            from wsgen.backends.python_view import explicit_null_fields

            null_fields = explicit_null_fields(msg)
            marks = [self.case.attr(full_name, f.name) for f in null_fields]
            # unset: None, or an empty list or map for a collection field
            collections = {
                self.case.attr(full_name, f.name)
                for f in null_fields
                if isinstance(f.type, ir.ListType | ir.MapType)
            }
            parts.append(st.sets(st.sampled_from(marks)).map(lambda m: {nulls: frozenset(m)}))

        def make(dicts: tuple[dict[str, Any], ...]) -> Any:
            kwargs: dict[str, Any] = {}
            for d in dicts:
                kwargs.update(d)
            if nulls is not None:
                # a mark only shows for a field that is unset (else its value is written)
                kwargs[nulls] = frozenset(
                    a
                    for a in kwargs[nulls]
                    if (not kwargs.get(a) if a in collections else kwargs.get(a) is None)
                )
            return cls(**kwargs)

        return st.tuples(*parts).map(make)


_SIZE_FACETS = ("min_items", "max_items", "unique_items", "min_properties", "max_properties")


def _own_facets(c: ir.Constraints) -> ir.Constraints:
    return ir.Constraints(**{n: getattr(c, n) for n in _SIZE_FACETS})


def _value_facets(c: ir.Constraints) -> ir.Constraints:
    return replace(c, **{n: ir.Constraints.__dataclass_fields__[n].default for n in _SIZE_FACETS})


def _json_identity(value: Any) -> Any:
    """What ``uniqueItems`` compares: the JSON a value is written as."""
    from wsgen_runtime.facets import json_key

    written = value.to_dict() if hasattr(value, "to_dict") else value
    return json_key(written) if isinstance(written, dict | list | str | int | float) else written


def _f32(value: float) -> float:
    return float(struct.unpack("<f", struct.pack("<f", value))[0])


def _within(
    values: st.SearchStrategy[Any], kind: ir.Scalar, c: ir.Constraints
) -> st.SearchStrategy[Any]:
    """``values`` of a scalar kind narrowed to the facets that apply to its JSON form
    (numeric facets to JSON numbers, so not to 64-bit integers, which travel as strings)."""
    from wsgen_runtime import codec
    from wsgen_runtime.facets import is_multiple

    numeric = (c.minimum, c.maximum, c.exclusive_minimum, c.exclusive_maximum, c.multiple_of)
    if kind.is_integer and not kind.is_64bit and any(v is not None for v in numeric):
        low, high = _INT_RANGES.get(kind, (-(2**70), 2**70))
        if c.minimum is not None:
            low = max(low, math.ceil(c.minimum))
        if c.exclusive_minimum is not None:
            low = max(low, math.floor(c.exclusive_minimum) + 1)
        if c.maximum is not None:
            high = min(high, math.floor(c.maximum))
        if c.exclusive_maximum is not None:
            high = min(high, math.ceil(c.exclusive_maximum) - 1)
        step = c.multiple_of
        if isinstance(step, int):
            return st.integers(-(-low // step), high // step).map(lambda k: k * step)
        values = st.integers(low, high)
    elif kind.is_float and any(v is not None for v in numeric):
        lows = [v for v in (c.minimum, c.exclusive_minimum) if v is not None]
        highs = [v for v in (c.maximum, c.exclusive_maximum) if v is not None]
        top = 3.4e38 if kind is ir.Scalar.FLOAT else None  # float32 range
        values = st.floats(
            min_value=max(lows) if lows else None if top is None else -top,
            max_value=min(highs) if highs else top,
            allow_nan=False,
            allow_infinity=False,
        )
        if kind is ir.Scalar.FLOAT:
            # a float field holds (and writes) the float32 nearest to the value
            values = values.map(_f32)
        written = codec.FLOAT if kind is ir.Scalar.FLOAT else codec.DOUBLE
        lo, hi = c.minimum, c.maximum
        xlo, xhi = c.exclusive_minimum, c.exclusive_maximum
        values = values.filter(
            lambda v: (
                (lo is None or written.write(v) >= lo)
                and (hi is None or written.write(v) <= hi)
                and (xlo is None or written.write(v) > xlo)
                and (xhi is None or written.write(v) < xhi)
            )
        )
    elif kind.is_64bit and c.max_length is not None:
        # string facets apply to the decimal text a 64-bit integer travels as
        low, high = _INT_RANGES[kind]
        digits = 10 ** (c.max_length - 1)
        values = st.integers(max(low, 1 - digits), min(high, 10 * digits - 1))
    elif kind is ir.Scalar.BYTES and c.max_length is not None:
        values = st.binary(max_size=c.max_length // 4 * 3)  # what fits in that much base64
    elif kind is ir.Scalar.STRING and c.pattern is not None:
        values = st.from_regex(c.pattern)
    elif kind is ir.Scalar.STRING and (c.min_length is not None or c.max_length is not None):
        shortest = c.min_length or 0
        values = st.text(min_size=shortest, max_size=max(shortest, min(c.max_length or 8, 8)))
    if c.multiple_of is not None and (kind.is_float or (kind.is_integer and not kind.is_64bit)):
        step_ = c.multiple_of
        values = values.filter(lambda v: is_multiple(v, step_))
    if kind in (ir.Scalar.STRING, ir.Scalar.BYTES) or kind.is_64bit:
        # string facets apply to the text a value travels as
        text: Any = str if kind.is_64bit else codec.BYTES.write if kind is ir.Scalar.BYTES else str
        if c.min_length is not None:
            at_least = c.min_length
            values = values.filter(lambda v: len(text(v)) >= at_least)
        if c.max_length is not None:
            at_most = c.max_length
            values = values.filter(lambda v: len(text(v)) <= at_most)
        if c.pattern is not None and kind is not ir.Scalar.STRING:
            search = re.compile(c.pattern).search
            values = values.filter(lambda v: bool(search(text(v))))
    return values


def _zeroable(index: ir.ModelIndex, t: ir.FieldType) -> bool:
    if isinstance(t, ir.ScalarType):
        return True
    if isinstance(t, ir.EnumRef):
        en = index.enums[t.full_name]
        return bool(en.values) and any(v.number is not None for v in en.values)
    return False


def strategy_for(
    case: PyCase,
    full_name: str,
    depth: int = 3,
    skip: frozenset[ir.WellKnown] = frozenset(),
) -> st.SearchStrategy[Any]:
    """Instances of the generated class for IR message ``full_name``, nested ``depth`` deep.
    Fields of a well-known type in ``skip`` stay unset (or empty)."""
    return _Strategies(case, depth, skip).message(full_name, depth)


def same_json(a: object, b: object) -> bool:
    """JSON equality where NaN equals NaN (dicts compare regardless of key order)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


# ----------------------------------------------------------------------------- the cases
# Inputs copied from /work/shared/cases (contents unchanged) plus wsgen's own edge cases.

KW_PROTO = """
syntax = "proto3";
package kw.v1;

message Route {
  string from   = 1;
  string class  = 2;
  bool   global = 3;
  int32  async  = 4;
  string lambda = 5;
  string None   = 6;
  string True   = 7;
  string self   = 8;
  string cls    = 9;
}
"""

TREE_PROTO = """
syntax = "proto3";
package tree.v1;

message Step {
  oneof kind {
    Group  group = 1;
    string leaf  = 2;
  }
}

message Group {
  string label = 1;
  Step inner = 2;
  repeated Step children = 3;
}

message Chain {
  int32 v = 1;
  Chain next = 2;
}
"""

TALLY_PROTO = """
syntax = "proto3";
package tally.v1;

message Tally {
  map<int64, int64>   by_id   = 1;
  map<int32, string>  by_code = 2;
  map<bool, string>   by_flag = 3;
  map<uint64, string> by_big  = 4;
  map<string, int64>  by_name = 5;
}
"""

NUMS_PROTO = """
syntax = "proto3";
package nums.v1;

message Counters {
  int64    total      = 1;
  uint64   bytes_sent = 2;
  sint64   delta      = 3;
  fixed64  checksum   = 4;
  sfixed64 offset     = 5;
  int32    small      = 6;
  uint32   usmall     = 7;
  repeated int64 samples = 8;
  double   ratio      = 9;
}
"""

LEASE_PROTO = """
syntax = "proto3";
package lease.v1;
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";

message Lease {
  google.protobuf.Timestamp granted_at = 1;
  google.protobuf.Duration  ttl        = 2;
  repeated google.protobuf.Duration steps = 3;
}
"""

PALETTE_PROTO = """
syntax = "proto3";
package art.v1;

enum Shade {
  SHADE_UNSPECIFIED = 0;
  SHADE_LIGHT = 1;
  SHADE_DARK  = 2;
}

message Palette {
  Shade main = 1;
  repeated Shade extra = 2;
  map<string, Shade> by_name = 3;
}
"""

GEO_PROTO = """
syntax = "proto3";
package geo.v1;

message Address {
  string street = 1;
  string city = 2;
}
"""

CRM_PROTO = """
syntax = "proto3";
package crm.v1;
import "geo/v1/place.proto";

message Address {
  string id = 1;
  geo.v1.Address location = 2;
}

message Customer {
  Address primary = 1;          // crm.v1.Address
  geo.v1.Address billing = 2;   // geo.v1.Address
}
"""

NOTICE_PROTO = """
syntax = "proto3";
package notes.v1;

// Server notice. Ends a comment */ and keeps going
message Notice {
  // Matches src/**/*.ts and lib/*/x
  string glob = 1;
  // */ export const pwned = 1; /*
  string inject = 2;
}
"""

# wsgen's own: a flat catalog keyed by "event" (existing-protocol style), both directions.
FLAT_PROTO = """
syntax = "proto3";
package kraken.ws;
import "wsgen/options.proto";
option (wsgen.catalog) = { framing: FLAT discriminator: "event" };

message Ping {
  option (wsgen.frame) = { type: "ping" direction: CLIENT_TO_SERVER };
  int64 reqid = 1;
}
message Pong {
  option (wsgen.frame) = { type: "pong" direction: SERVER_TO_CLIENT };
  int64 reqid = 1;
}
message Subscribe {
  option (wsgen.frame) = { type: "subscribe" direction: CLIENT_TO_SERVER };
  message Subscription {
    string name = 1;
    optional int32 depth = 2;
  }
  int64 reqid = 1;
  repeated string pair = 2;
  Subscription subscription = 3;
}
message Status {
  option (wsgen.frame) = { type: "subscriptionStatus" direction: SERVER_TO_CLIENT };
  string event = 1;
  string status = 2;
}
message Heartbeat {
  option (wsgen.frame) = { type: "heartbeat" direction: BOTH };
}
"""

# Names that collide with Python builtins, keywords, the generated members and helpers,
# and with class names that annotations in the same class body need.
NAMES_PROTO = """
syntax = "proto3";
package names.v1;
import "wsgen/options.proto";

enum Sound {
  option allow_alias = true;
  SOUND_UNSPECIFIED = 0;
  MOO = 1;
  COW = 1;
  mro = 2;
  name = 3;
  value = 4;
  _missing_ = 5;
  title = 6;
}

message str { string value = 1; }
message Literal { int32 x = 1; }

message Object {
  string type = 1;
  string id = 2;
  repeated str list = 3;
  int64 int = 4;
  bytes bytes = 5;
  string str = 6;
  double float = 7;
  bool bool = 8;
  map<string, string> dict = 9;
  string to_dict = 10;
  string from_json = 11;
  string self = 12;
  string cls = 13;
  Sound sound = 14;
  string Object = 15;
  string __init__ = 16;
  string __slots = 17;
  string dataclasses = 18;
  string codec = 19;
  string typing = 20;
  string builtins = 21;
  string MISSING = 22;
  Literal Literal = 23;
  string object = 24;
  string field = 25;
  string classmethod = 26;
  string None = 27;
  repeated Sound sounds = 28;
}

message Record {
  option (wsgen.frame) = { type: "record" direction: BOTH handler: "class" };
  Object object = 1;
  str int = 2;
  Sound Sound = 3;
  map<string, Object> Object = 4;
}
"""

# Module layout: a package and its sub-package, the empty package, nesting, scoped names.
LAYOUT_FILES = {
    "chat.proto": """
        syntax = "proto3";
        package chat;
        message Outer {
          message Inner {
            enum Mode { MODE_UNSPECIFIED = 0; MODE_ON = 1; }
            Mode mode = 1;
          }
          Inner inner = 1;
        }
        message Outer_Inner { string clash = 1; }
        """,
    "chat/v1/chat.proto": """
        syntax = "proto3";
        package chat.v1;
        import "chat.proto";
        import "nopkg.proto";
        message Message {
          chat.Outer.Inner inner = 1;
          chat.Outer outer = 2;
          Loose loose = 3;
          chat.Outer_Inner clash = 4;
        }
        """,
    "nopkg.proto": """
        syntax = "proto3";
        message Loose { string a = 1; }
        """,
    "class/v1/kw.proto": """
        syntax = "proto3";
        package class.v1;
        message Thing { string x = 1; }
        """,
}

WKT_PROTO = """
syntax = "proto3";
package wkt.v1;
import "google/protobuf/any.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";

message Everything {
  google.protobuf.Timestamp ts = 1;
  google.protobuf.Duration dur = 2;
  google.protobuf.Empty empty = 3;
  google.protobuf.FieldMask mask = 4;
  google.protobuf.Struct struct = 5;
  google.protobuf.Value value = 6;
  google.protobuf.ListValue list_value = 7;
  google.protobuf.Any any = 8;
  google.protobuf.Int64Value i64 = 9;
  google.protobuf.UInt32Value u32 = 10;
  google.protobuf.BoolValue flag = 11;
  google.protobuf.StringValue text = 12;
  google.protobuf.BytesValue blob = 13;
  google.protobuf.DoubleValue dbl = 14;
  google.protobuf.FloatValue flt = 15;
  repeated google.protobuf.Timestamp stamps = 16;
  map<string, google.protobuf.Value> values = 17;
  float f32 = 18;
  bytes raw = 19;
  sfixed32 sf32 = 20;
  fixed32 f32u = 21;
  sint32 s32 = 22;
  optional int64 maybe = 23;
}
"""

# Long names exercise the line layout (wrapped annotations, split calls).
LONG_PROTO = """
syntax = "proto3";
package very_long_package_name_for_layout.with_many.segments_v1;
import "wsgen/options.proto";

// @DOC@
message AVeryLongMessageNameForLayout {
  @FRAME@
  enum LongNestedEnumForLayout {
    LAYOUT_UNSPECIFIED = 0;
  }
  message QuiteLongNestedMessage { string x = 1; }
  LongNestedEnumForLayout a_field_with_a_long_name_and_enum_type = 1;
  repeated QuiteLongNestedMessage a_repeated_field_with_a_long_name = 2;
  map<string, QuiteLongNestedMessage> a_map_field_with_a_quite_long_name_too = 3;
  QuiteLongNestedMessage an_optional_message_field_with_a_long_name = 4;
  map<int64, LongNestedEnumForLayout> map_of_enums_with_a_long_name_for_the_layout = 5;
  oneof a_oneof_group_with_a_long_name {
    QuiteLongNestedMessage a_oneof_member_with_a_really_long_name_for_layout = 6;
    string short = 7;
  }
  repeated LongNestedEnumForLayout repeated_enums_with_a_long_field_name_abcdef = 8;
}
"""

LONG_PROTO = LONG_PROTO.replace(
    "@DOC@",
    "A rather long documentation comment that goes on and on so that the generated docstring"
    ' has to be wrapped over several lines by the layout code, with a "quoted" word at the'
    ' end"',
).replace(
    "@FRAME@",
    'option (wsgen.frame) = { type: "an.extremely.long.discriminator.value.that.keeps.going"'
    ' direction: BOTH handler: "an_extremely_long_handler_name_that_keeps_going" };',
)

# String literals with quotes (ruff format then prefers single quotes) and names long enough
# that ruff splits the lines holding them: class headers, enum members, aliases.
QUOTES_PROTO = r"""
syntax = "proto3";
package qt.v1;
import "wsgen/options.proto";
option (wsgen.catalog) = { framing: FLAT discriminator: "k\"ind" };

message Said {
  option (wsgen.frame) = { type: "ev.\"quoted\"" direction: BOTH };
  string plain = 1 [json_name = "say \"hi\""];
  string apostrophe = 2 [json_name = "it's"];
  string both = 3 [json_name = "a\"b'c\""];
  OrganizationMembershipInvitation.AcceptedByExternalIdentityProvider how = 4;
  Kind kind = 5;
}

// "PROVIDER_KIND_FOR_THE_ACCEPTED_INVITATION_OF_THE_ORGANIZATION_MEMBER_SAML_VVVVVV = 10" is one column too long; ruff parenthesizes the 10
enum Kind {
  KIND_UNSPECIFIED = 0;
  PROVIDER_KIND_FOR_THE_ACCEPTED_INVITATION_OF_THE_ORGANIZATION_MEMBER_SAML_VVVVVV = 10;
}

message OrganizationMembershipInvitation {
  message AcceptedByExternalIdentityProvider {
    string provider = 1;
  }
  AcceptedByExternalIdentityProvider accepted = 1;
}
"""

QUOTES_SCHEMA = r"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "x-wsgen-package": "qs.v1",
  "$defs": {
    "Said": {
      "type": "object",
      "properties": {
        "kind": {"const": "ev.\"quoted\""},
        "say \"hi\"": {"type": "string", "default": "\"hi\""},
        "mood": {
          "type": "string",
          "enum": ["\"", "'", "a\"b'c\"", "it's", "\\\"", "https://example.com/a/long/path/v1"]
        }
      },
      "required": ["kind"]
    },
    "ManyNulls": {
      "type": "object",
      "properties": {
        "short": {"type": ["integer", "null"]},
        "nullable_field_number_0_with_a_long_name": {"type": ["string", "null"]},
        "nullable_field_number_1_with_a_long_name": {"type": ["string", "null"]},
        "nullable_field_number_2_with_a_long_name": {"type": ["string", "null"]},
        "nullable_field_number_3_with_a_long_name": {"type": ["string", "null"]},
        "nullable_field_number_4_with_a_long_name": {"type": ["string", "null"]},
        "nullable_field_number_5_with_a_long_name": {"type": ["string", "null"]},
        "nullable_field_number_6_with_a_long_name": {"type": ["string", "null"]},
        "nullable_field_number_7_with_a_long_name": {"type": ["string", "null"]}
      }
    },
    "TwoNulls": {
      "type": "object",
      "properties": {
        "a_nullable_field_with_a_long_name_number_one": {"type": ["string", "null"]},
        "a_nullable_field_with_a_long_name_number_two": {}
      }
    }
  }
}
"""

SCHEMA_INPUTS = INPUTS / "schemajson"

# proto2 defaults on every kind of optional field, a required one (no default in Python), and
# a field whose name the generated ``limit_or_default`` would take.
DEFAULTS_PROTO = r"""
syntax = "proto2";
package dflt.v1;

enum Level { LOW = 1; HIGH = 2; }

message Knobs {
  optional int32 limit = 1 [default = 50];
  optional string name = 2 [default = "a \"quoted\" name"];
  optional Level level = 3 [default = HIGH];
  optional bytes magic = 4 [default = "\001hi\""];
  optional double ratio = 5 [default = inf];
  optional float scale = 6 [default = 0.1];
  optional bool on = 7 [default = true];
  optional sint64 big = 8 [default = -9007199254740993];
  required int32 must = 9 [default = 3];
  optional int32 plain = 10;
  optional int32 limit_or_default = 11;
  oneof pick {
    string label = 12 [default = "none"];
    int32 code = 13;
  }
}
"""

# JSON Schema defaults: explicit fields keep None for "unset"; implicit ones take the default
# as their zero value.
DEFAULTS_SCHEMA = """
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "x-wsgen-package": "dfs.v1",
  "$defs": {
    "Prefs": {
      "type": "object",
      "properties": {
        "depth": {"type": "integer", "format": "int32", "minimum": 1, "default": 10},
        "theme": {"type": "string", "enum": ["light", "dark"], "default": "dark"},
        "since": {"type": "string", "format": "date-time", "default": "2020-01-01T00:00:00Z"},
        "note": {"type": ["string", "null"], "default": "hi"},
        "ttl": {"type": "string", "x-wsgen-type": "google.protobuf.Duration", "default": "1.5s"},
        "either": {"type": ["integer", "string"], "default": "auto"},
        "lang": {"type": "string", "x-wsgen-presence": "implicit", "default": "en"},
        "zero": {"type": "integer", "x-wsgen-presence": "implicit", "default": 0},
        "level": {"type": "number", "x-wsgen-presence": "implicit", "default": 0.5}
      }
    }
  }
}
"""

# Facets the shop example (tests/inputs/schemajson/facets) leaves out: an unanchored pattern,
# a decimal multipleOf, uniqueItems over any JSON, and values whose canonical form differs
# from what was read (float32, base64, Timestamp, int64 text).
FACETS_SCHEMA = """
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "x-wsgen-package": "more.v1",
  "$defs": {
    "Probe": {
      "type": "object",
      "properties": {
        "plain": {"type": "string"},
        "digit": {"type": "string", "pattern": "[0-9]"},
        "tenth": {"type": "number", "multipleOf": 0.1},
        "anything": {"type": "array", "items": {}, "uniqueItems": true},
        "tight": {"type": "number", "format": "float", "exclusiveMaximum": 0.1},
        "blob": {"type": "string", "contentEncoding": "base64", "maxLength": 3},
        "stamps": {"type": "array", "items": {"type": "string", "format": "date-time"}, "uniqueItems": true},
        "serial": {"type": "string", "format": "int64", "maxLength": 6},
        "word": {"type": "string", "maxLength": 3},
        "big": {"type": "integer", "multipleOf": 7, "maximum": 1e30}
      }
    }
  }
}
"""


def _register_cases() -> None:
    proto_case("kw", {"kw.proto": KW_PROTO})
    proto_case("tree", {"tree.proto": TREE_PROTO})
    proto_case("tally", {"tally.proto": TALLY_PROTO})
    proto_case("nums", {"nums.proto": NUMS_PROTO})
    proto_case("lease", {"lease.proto": LEASE_PROTO})
    proto_case("palette", {"palette.proto": PALETTE_PROTO})
    proto_case("crm", {"geo/v1/place.proto": GEO_PROTO, "crm/v1/customer.proto": CRM_PROTO})
    proto_case("notice", {"notice.proto": NOTICE_PROTO})
    proto_case("flat", {"kraken.proto": FLAT_PROTO})
    proto_case("names", {"names.proto": NAMES_PROTO})
    proto_case("layout", LAYOUT_FILES)
    proto_case("wkt", {"wkt.proto": WKT_PROTO})
    proto_case("long", {"long.proto": LONG_PROTO})
    proto_case("defaults", {"dflt.proto": DEFAULTS_PROTO})
    proto_case("defaults_schema", {"dfs/v1.schema.json": DEFAULTS_SCHEMA})
    proto_case("facets_more", {"more/v1.schema.json": FACETS_SCHEMA})
    proto_case("quotes", {"qt.proto": QUOTES_PROTO})
    proto_case("quotes_schema", {"qs/v1.schema.json": QUOTES_SCHEMA})
    folder_case("example", ROOT / "idl")
    folder_case("conformance", ROOT / "tests" / "golden" / "conformance_messages" / "idl")
    for name, folder in (
        ("s14", "comment_terminator"),
        ("s19", "enum_values_not_identifiers"),
        ("s21", "ref_cycle_through_oneof"),
        ("s22", "discriminator_const"),
        ("s24", "nullable_types"),
    ):
        folder_case(name, SCHEMA_INPUTS / folder)


_register_cases()


def _handmade(_: Path) -> ir.Model:
    """IR no frontend spells today: JSON-kind unions, any-size integers, plain JSON numbers,
    typed additional properties, a nullable map, a JSON Schema string enum left implicit."""
    S = ir.ScalarType
    color = ir.Enum("hm.Color", "Color", "hm", values=(ir.EnumValue("red"), ir.EnumValue("")))
    point = ir.Message(
        "hm.Point",
        "Point",
        "hm",
        fields=(
            ir.Field("x", "x", S(ir.Scalar.INTEGER), ir.Presence.REQUIRED),
            ir.Field("y", "y", S(ir.Scalar.DOUBLE), ir.Presence.EXPLICIT),
        ),
        origin="jsonschema",
    )
    shape = ir.Message(
        "hm.Shape",
        "Shape",
        "hm",
        fields=(
            ir.Field(
                "at",
                "at",
                ir.JsonUnionType((ir.MessageRef("hm.Point"), S(ir.Scalar.STRING))),
                ir.Presence.EXPLICIT,
                nullable=True,
            ),
            ir.Field(
                "size",
                "size",
                ir.JsonUnionType((S(ir.Scalar.INTEGER), S(ir.Scalar.BOOL))),
                ir.Presence.REQUIRED,
            ),
            ir.Field("color", "color", ir.EnumRef("hm.Color")),
            ir.Field("anything", "anything", ir.AnyJsonType(), ir.Presence.EXPLICIT),
            ir.Field(
                "labels",
                "labels",
                ir.MapType(ir.Scalar.STRING, S(ir.Scalar.STRING), value_nullable=True),
            ),
            ir.Field("points", "points", ir.ListType(ir.MessageRef("hm.Point"))),
        ),
        additional_properties=ir.AnyJsonType(),
        origin="jsonschema",
    )
    return ir.Model((ir.Package("hm", ("hm.schema.json",), (point, shape), (color,)),))


register("handmade", _handmade)


# Names that have broken generators: keywords, builtins, runtime helper names, members.
_RISKY = (  # noqa: SIM905 (one readable line of names)
    "type id list int str bytes float bool dict object self cls None True from class async "
    "to_dict from_json codec typing dataclasses builtins enum wkt framing router field "
    "classmethod MISSING __x __init__ _ value name mro Literal"
).split()


def _fuzz(_: Path) -> ir.Model:
    """A seeded random model for the naming and layout code: random-length names (some
    risky), nesting, docs with quotes, backslashes, unicode and comment terminators, enums
    with odd values, every field shape. Checked by the static tools and round trips."""
    import random

    rng = random.Random(20260412)
    S = ir.ScalarType

    def ident(lo: int = 1, hi: int = 14) -> str:
        if rng.random() < 0.25:
            return rng.choice(_RISKY)
        first = rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
        rest = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz_0123456789") for _ in range(hi))
        return first + rest[: rng.randint(lo, hi) - 1]

    def doc() -> str:
        pieces = ['say "hi"', "back\\slash", "*/ end", "ünïcödé", '"""', "tab\there", "word"]
        words = [rng.choice(pieces) for _ in range(rng.randint(0, 30))]
        return " ".join(words)

    pkg = "fz.v1"
    enums: list[ir.Enum] = []
    messages: list[ir.Message] = []
    for i in range(3):
        values = tuple(ir.EnumValue(f"{ident()}_{j}", number=j) for j in range(rng.randint(1, 4)))
        enums.append(ir.Enum(f"{pkg}.E{i}", f"E{i}", pkg, values=values, open=i != 1, doc=doc()))
    words = ("a.b", "a b", "", "3x", "mro", "_missing_", "name", "x" * 30)
    str_enum = ir.Enum(
        f"{pkg}.Words", "Words", pkg, values=tuple(ir.EnumValue(w) for w in words), doc=doc()
    )
    enums.append(str_enum)
    names = [f"M{i}_{ident(1, 10)}" for i in range(10)]
    scalars = [s for s in ir.Scalar if s is not ir.Scalar.INTEGER]
    for name in names:
        fields: list[ir.Field] = []
        used: set[str] = set()
        for j in range(rng.randint(0, 9)):
            fname = ident(1, 40)
            if fname in used:
                continue
            used.add(fname)
            pick = rng.random()
            t: ir.FieldType
            if pick < 0.35:
                t = S(rng.choice(scalars))
            elif pick < 0.5:
                t = ir.EnumRef(rng.choice(enums).full_name)
            elif pick < 0.65:
                t = ir.MessageRef(f"{pkg}.{rng.choice(names)}")
            elif pick < 0.8:
                t = ir.ListType(
                    rng.choice(
                        [S(rng.choice(scalars)), ir.MessageRef(f"{pkg}.{rng.choice(names)}")]
                    )
                )
            elif pick < 0.9:
                t = ir.MapType(
                    rng.choice([ir.Scalar.STRING, ir.Scalar.INT64, ir.Scalar.BOOL]),
                    S(ir.Scalar.STRING),
                )
            else:
                t = ir.WellKnownType(rng.choice(list(ir.WellKnown)))
            presence = rng.choice(list(ir.Presence))
            if isinstance(t, ir.ListType | ir.MapType):
                presence = ir.Presence.IMPLICIT
            fields.append(
                ir.Field(fname, f"j{j}_{fname}", t, presence, doc=doc(), deprecated=j == 2)
            )
        messages.append(
            ir.Message(f"{pkg}.{name}", name, pkg, fields=tuple(fields), doc=doc(), origin="proto")
        )
    return ir.Model((ir.Package(pkg, ("fz.proto",), tuple(messages), tuple(enums)),))


register("fuzz", _fuzz)
