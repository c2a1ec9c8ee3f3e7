"""Python naming and module layout: builtins and keywords as field names, generated-member
clashes, nested declarations, packages that nest, the empty package, determinism and speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import typing

from hypothesis import given
from hypothesis import strategies as st

from tests.pyhelpers import ROOT, py_case
from wsgen.backends import naming
from wsgen.backends.options import BuildOptions
from wsgen.backends.python import render_python
from wsgen.backends.python_view import build_view_python
from wsgen.ir import model as ir

# ----------------------------------------------------------------------------- builtins


def test_fields_named_like_builtins_keep_their_names_and_types() -> None:
    case = py_case("names")
    names = case.module("names.v1")
    obj = names.Object(
        type="t",
        id="i",
        list=[names.str_(value="v")],
        int=5,
        bytes=b"\x00",
        str="s",
        float=1.5,
        bool=True,
        dict={"k": "v"},
        self="me",
        cls="klass",
        object="o",
        field="f",
        classmethod="c",
        dataclasses="d",
        codec="c",
        typing="t",
        builtins="b",
        Literal=names.Literal(x=1),
        Object="o",
        sound=names.Sound.MOO,
        sounds=[names.Sound.mro_, 9],
    )
    hints = typing.get_type_hints(names.Object)
    assert hints["int"] is int and hints["str"] is str and hints["float"] is float
    assert hints["list"] == list[names.str_]
    assert hints["Literal"] == names.Literal | None
    doc = obj.to_dict()
    assert doc["int"] == "5" and doc["float"] == 1.5 and doc["list"] == [{"value": "v"}]
    assert doc["self"] == "me" and doc["cls"] == "klass" and doc["Object"] == "o"
    assert doc["sounds"] == ["mro", 9]
    assert names.Object.from_dict(doc, strict=True) == obj


def test_generated_member_and_dunder_clashes_get_an_underscore() -> None:
    case = py_case("names")
    attrs = {f.name: case.attr("names.v1.Object", f.name) for f in _msg(case, "Object").fields}
    assert attrs["to_dict"] == "to_dict_" and attrs["from_json"] == "from_json_"
    assert attrs["None"] == "None_" and attrs["MISSING"] == "MISSING_"
    assert attrs["__init__"] == "f__init__" and attrs["__slots"] == "f__slots"
    names = case.module("names.v1")
    obj = names.Object(to_dict_="x", f__init__="i")
    json_names = {f.name: f.json_name for f in _msg(case, "Object").fields}
    doc = obj.to_dict()
    assert doc == {json_names["to_dict"]: "x", json_names["__init__"]: "i"}
    assert names.Object.from_dict(doc) == obj


def test_a_message_named_like_a_builtin_is_renamed_in_python_only() -> None:
    case = py_case("names")
    assert case.names.classes["names.v1.str"][1] == "str_"
    names = case.module("names.v1")
    record = names.Record(int=names.str_(value="x"), Sound=names.Sound.COW)
    assert record.to_dict() == {"int": {"value": "x"}, "Sound": "MOO"}
    hints = typing.get_type_hints(names.Record)
    assert hints["Sound"] == names.Sound | int and hints["Object"] == dict[str, names.Object]


def test_enum_members_avoid_enum_and_int_attributes() -> None:
    case = py_case("names")
    members = {v.name: case.names.members[("names.v1.Sound", v.name)] for v in _enum(case).values}
    assert members["mro"] == "mro_" and members["name"] == "name_"
    assert members["value"] == "value_" and members["title"] == "title_"
    assert members["_missing_"] == "V_missing_"
    sound = case.module("names.v1").Sound
    assert sound.COW is sound.MOO  # allow_alias: the alias is the same member
    assert sound.V_missing_.value == 5 and sound.name_.name == "name_"


def test_valid_enum_values_keep_their_names_whatever_sanitizes_onto_them() -> None:
    """cases/19: "a b" and "a-b" sanitize to a_b; the value "a_b" is valid, so it keeps a_b
    even though it comes last (docs/naming.md)."""
    case = py_case("s19")
    (event,) = (e for e in case.model.enums() if any(v.name == "a_b" for v in e.values))
    members = {v.name: case.names.members[(event.full_name, v.name)] for v in event.values}
    assert members["a_b"] == "a_b"
    assert (members["a b"], members["a-b"]) == ("a_b_", "a_b__")
    cls = case.cls(event.full_name)
    assert cls.a_b.value == "a_b" and cls.a_b_.value == "a b"


def test_a_scope_claims_valid_names_before_the_ones_it_must_change() -> None:
    scope = naming.Scope(naming.PY_KEYWORDS)
    names = ["a b", "class", "a-b", "a_b", "class_", "x", "x"]
    assert scope.claim_all(names) == ["a_b_", "class__", "a_b__", "a_b", "class_", "x", "x_"]


@given(st.lists(st.sampled_from(["a", "a_", "a b", "a-b", "a_b", "1a", "_1a", "if", "if_", ""])))
def test_claimed_names_are_unique_and_valid_names_never_move(names: list[str]) -> None:
    claimed = naming.Scope(naming.PY_KEYWORDS).claim_all(names)
    assert len(set(claimed)) == len(claimed)
    assert all(c.isidentifier() and c not in naming.PY_KEYWORDS for c in claimed)
    for name, got in zip(names, claimed, strict=True):
        if name.isidentifier() and name not in naming.PY_KEYWORDS and names.count(name) == 1:
            assert got == name


def test_handler_named_like_a_keyword_is_still_callable() -> None:
    names = py_case("names").module("names.v1")
    assert names.ServerRouter.routes.types == ("record",)
    assert hasattr(names.ServerHandlers, "on_class")


# ----------------------------------------------------------------------------- layout


def test_packages_nest_and_the_empty_package_gets_a_module() -> None:
    case = py_case("layout")
    assert case.names.modules == {
        "": "wsgen_t_layout._default",
        "chat": "wsgen_t_layout.chat",
        "chat.v1": "wsgen_t_layout.chat.v1",
        "class.v1": "wsgen_t_layout.class_.v1",
    }
    assert "python/wsgen_t_layout/class_/__init__.py" in case.files
    chat, v1 = case.module("chat"), case.module("chat.v1")
    loose = case.module("").Loose
    msg = v1.Message(
        inner=chat.Outer_Inner_(mode=chat.Outer_Inner_Mode.MODE_ON),
        outer=chat.Outer(),
        loose=loose(a="x"),
        clash=chat.Outer_Inner(clash="c"),
    )
    doc = {"inner": {"mode": "MODE_ON"}, "outer": {}, "loose": {"a": "x"}, "clash": {"clash": "c"}}
    assert msg.to_dict() == doc
    assert v1.Message.from_dict(doc) == msg
    assert case.module("class.v1").Thing(x="1").to_dict() == {"x": "1"}


def test_nested_declarations_get_scoped_unique_names() -> None:
    case = py_case("layout")
    assert case.names.classes["chat.Outer.Inner"] == ("wsgen_t_layout.chat", "Outer_Inner_")
    assert case.names.classes["chat.Outer_Inner"] == ("wsgen_t_layout.chat", "Outer_Inner")
    assert case.names.classes["chat.Outer.Inner.Mode"][1] == "Outer_Inner_Mode"


def test_cross_package_imports_are_relative_and_aliased() -> None:
    source = py_case("layout").source("chat.v1")
    assert "from ... import _default\nfrom ... import chat as _chat\n" in source


def test_root_package_is_configurable_and_validated() -> None:
    model = py_case("kw").model
    out = render_python(model, BuildOptions(python_package="my.gen"))
    assert "python/my/gen/__init__.py" in out and "python/my/gen/kw/v1/__init__.py" in out
    for bad in ("class", "1x", "a-b"):
        try:
            render_python(model, BuildOptions(python_package=bad))
        except ValueError as exc:
            assert bad in str(exc)
        else:
            raise AssertionError(f"{bad!r} accepted")


# ----------------------------------------------------------------------------- docs


def test_docs_with_quotes_and_backslashes_stay_inside_docstrings() -> None:
    doc = 'ends with a quote" and a backslash \\ and """ triple'
    model = _one_message_model(doc)
    out = render_python(model, BuildOptions(python_package="wsgen_t_doc"))
    text = out["python/wsgen_t_doc/p/__init__.py"]
    namespace: dict[str, object] = {}
    compiled = compile(text, "generated.py", "exec")
    assert compiled is not None
    assert 'ends with a quote\\" and a backslash \\\\ and \\"\\"\\" triple' in text
    del namespace


# ----------------------------------------------------------------------------- determinism


RENDER = """
import hashlib, json, sys
from pathlib import Path
from wsgen.backends.options import BuildOptions
from wsgen.backends.python import render_python
from wsgen.pipeline import discover_inputs, load_model
model = load_model(discover_inputs(Path(sys.argv[1])))
out = render_python(model, BuildOptions(python_package="x", elide_version=True))
print(hashlib.sha256(json.dumps(out, sort_keys=False).encode()).hexdigest())
"""


def test_output_is_the_same_under_another_hash_seed() -> None:
    digests = set()
    for seed in ("1", "2"):
        r = subprocess.run(
            [sys.executable, "-c", RENDER, str(ROOT / "idl")],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=False,
        )
        assert r.returncode == 0, r.stderr
        digests.add(r.stdout.strip())
    assert len(digests) == 1


def test_two_thousand_messages_render_quickly() -> None:
    messages = []
    for i in range(2000):
        fields = (
            ir.Field("name", "name", ir.ScalarType(ir.Scalar.STRING)),
            ir.Field("count", "count", ir.ScalarType(ir.Scalar.INT64)),
            ir.Field("next", "next", ir.MessageRef(f"big.M{(i + 1) % 2000}"), ir.Presence.EXPLICIT),
            ir.Field("peers", "peers", ir.ListType(ir.MessageRef(f"big.M{(i * 7) % 2000}"))),
            ir.Field("tags", "tags", ir.MapType(ir.Scalar.STRING, ir.ScalarType(ir.Scalar.BOOL))),
        )
        messages.append(ir.Message(f"big.M{i}", f"M{i}", "big", fields=fields, doc=f"Message {i}."))
    model = ir.Model((ir.Package("big", ("big.proto",), messages=tuple(messages)),))
    start = time.perf_counter()
    out = render_python(model, BuildOptions(python_package="big_gen"))
    elapsed = time.perf_counter() - start
    assert elapsed < 3.0, f"rendering 2000 messages took {elapsed:.2f}s"
    assert len(out["python/big_gen/big/__init__.py"]) > 100_000


# ----------------------------------------------------------------------------- helpers


def _msg(case: typing.Any, name: str) -> ir.Message:
    return next(m for m in case.model.messages() if m.name == name)


def _enum(case: typing.Any) -> ir.Enum:
    return next(e for e in case.model.enums() if e.name == "Sound")


def _one_message_model(doc: str) -> ir.Model:
    msg = ir.Message(
        "p.M",
        "M",
        "p",
        fields=(ir.Field("x", "x", ir.ScalarType(ir.Scalar.STRING), doc=doc),),
        doc=doc,
    )
    return ir.Model((ir.Package("p", ("p.proto",), messages=(msg,)),))


def test_view_names_table_matches_rendered_classes() -> None:
    case = py_case("example")
    _, names = build_view_python(case.model, BuildOptions(python_package=case.root))
    for full, (module, attr) in names.classes.items():
        assert getattr(__import__(module, fromlist=[attr]), attr) is case.cls(full)
    assert json.dumps(sorted(names.modules)) == json.dumps(sorted(case.names.modules))
