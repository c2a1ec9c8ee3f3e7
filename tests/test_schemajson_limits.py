"""Input that used to crash or slip through the schema.json frontend now gets a diagnostic at
``path:line:col``: unknown wsgen keywords at the root, numbers that overflow to infinity,
integer constants a type checker rejects, and nesting deep enough to exhaust the stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.schemajson_support import DIALECT, errors_of, lower, write_schemas
from wsgen.backends.options import BuildOptions
from wsgen.frontends.jsonschema.document import MAX_JSON_DEPTH
from wsgen.frontends.jsonschema.limits import MAX_CONST_INT, MAX_SCHEMA_DEPTH
from wsgen.pipeline import render_model


def _defs(**defs: Any) -> dict[str, Any]:
    return {"$schema": DIALECT, "x-wsgen-package": "a.v1", "$defs": defs}


def _obj(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


# ---------------------------------------------------------------------------- root keywords


def test_unknown_wsgen_keyword_at_a_defs_only_root_is_reported(tmp_path: Path) -> None:
    text = """\
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "x-wsgen-fraiming": "flat",
          "$defs": {"Ping": {"type": "object", "properties": {}}}
        }
        """
    (err,) = errors_of(tmp_path, {"chat/v1.schema.json": text})
    assert err.startswith(
        'chat/v1.schema.json:3:3: error: unknown or misplaced wsgen keyword "x-wsgen-fraiming" '
        "[WSG408]\nhint: x-wsgen-package, -framing"
    )


def test_message_keyword_at_a_root_that_is_no_message_is_misplaced(tmp_path: Path) -> None:
    doc = {**_defs(Ping=_obj()), "x-wsgen-frame": {"type": "p", "direction": "both"}}
    (err,) = errors_of(tmp_path, {"a.schema.json": doc})
    assert 'misplaced wsgen keyword "x-wsgen-frame" [WSG408]' in err


def test_root_keywords_and_x_wsgen_type_are_accepted_at_the_root(tmp_path: Path) -> None:
    doc = {**_defs(Ping=_obj()), "x-wsgen-framing": "flat", "x-wsgen-discriminator": "op"}
    model = lower(tmp_path, {"a.schema.json": {**doc, "x-wsgen-type": "string"}})
    assert [m.name for m in model.packages[0].messages] == ["Ping"]


def test_unknown_keyword_on_a_root_message_is_reported_once(tmp_path: Path) -> None:
    doc = {"$schema": DIALECT, "x-wsgen-package": "a.v1", "x-wsgen-fraiming": "flat", **_obj()}
    (err,) = errors_of(tmp_path, {"a.schema.json": doc})
    assert '"x-wsgen-fraiming" [WSG408]' in err


# ---------------------------------------------------------------------------- numbers


def test_numbers_that_overflow_to_infinity_are_rejected_where_they_stand(tmp_path: Path) -> None:
    text = """\
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "x-wsgen-package": "a.v1",
          "$defs": {
            "M": {"type": "object", "properties": {
              "n": {"type": "number", "minimum": 1e400},
              "c": {"const": -1e400},
              "e": {"type": "number", "examples": [1, 2e999]}
            }}
          }
        }
        """
    errs = errors_of(tmp_path, {"a.schema.json": text})
    # an object member is pointed at by its key, an array element by itself
    assert [e.split(": error: ")[0] for e in errs] == [
        "a.schema.json:6:31",
        "a.schema.json:7:13",
        "a.schema.json:8:47",
    ]
    assert "number out of range: it does not fit a 64-bit float (it would be infinity)" in errs[0]
    assert "(it would be -infinity) [WSG401]" in errs[1]


def test_tiny_numbers_underflow_to_zero_and_are_fine(tmp_path: Path) -> None:
    text = json.dumps(_defs(M=_obj(n={"type": "number", "maximum": 1}))).replace("1}", "1e-400}")
    lower(tmp_path, {"a.schema.json": text})


def test_integer_constants_must_fit_64_bits(tmp_path: Path) -> None:
    big, small = MAX_CONST_INT + 1, -MAX_CONST_INT - 1
    doc = _defs(M=_obj(a={"type": "integer", "const": big}, b={"enum": [small]}))
    errs = errors_of(tmp_path, {"a.schema.json": doc})
    assert len(errs) == 2
    assert f"integer constant {big} does not fit a 64-bit integer" in errs[0]
    assert "#" not in errs[0].split(":")[0]
    assert f"integer constant {small} does not fit" in errs[1]
    assert all("[WSG406]" in e for e in errs)


def test_integer_constants_at_the_limits_lower(tmp_path: Path) -> None:
    doc = _defs(M=_obj(a={"type": "integer", "const": MAX_CONST_INT}, b={"enum": [-MAX_CONST_INT]}))
    fields = lower(tmp_path, {"a.schema.json": doc}).packages[0].messages[0].fields
    assert [f.constraints.const for f in fields] == [MAX_CONST_INT, -MAX_CONST_INT]


def test_the_constant_limit_is_what_mypy_accepts_in_a_literal(tmp_path: Path) -> None:
    """Generated Python writes integer constants as ``Literal[n]``."""
    ok, bad = tmp_path / "ok.py", tmp_path / "bad.py"
    header = "from typing import Literal\n"
    ok.write_text(header + f"a: Literal[{MAX_CONST_INT}]\nb: Literal[{-MAX_CONST_INT}]\n")
    bad.write_text(header + f"a: Literal[{MAX_CONST_INT + 1}]\nb: Literal[{-MAX_CONST_INT - 1}]\n")

    def mypy(path: Path) -> subprocess.CompletedProcess[str]:
        args = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(path)]
        return subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)

    assert mypy(ok).returncode == 0
    assert mypy(bad).stdout.count("Literal[...] cannot contain") == 2


# ---------------------------------------------------------------------------- nesting


def _nested(levels: int) -> dict[str, Any]:
    """A definition (one level below the root) with ``levels`` more inline objects inside."""
    node: dict[str, Any] = {"type": "string"}
    for i in range(levels):
        node = _obj(**{f"p{i}": node})
    return _defs(Top=node)


def _array_aliases(n: int) -> dict[str, Any]:
    """A field whose type is ``n`` arrays deep, each level its own ``$defs`` alias."""
    defs: dict[str, Any] = {"Top": _obj(f={"$ref": "#/$defs/A0"})}
    defs.update(
        {f"A{i}": {"type": "array", "items": {"$ref": f"#/$defs/A{i + 1}"}} for i in range(n)}
    )
    defs[f"A{n}"] = {"type": "string"}
    return _defs(**defs)


def test_schemas_nested_up_to_the_limit_build_for_every_target(tmp_path: Path) -> None:
    """Every backend recurses through nested messages and types: at the limit they all work
    with Python's default recursion limit."""
    model = lower(tmp_path / "a", {"a.schema.json": _nested(MAX_SCHEMA_DEPTH - 1)})
    assert len(model.packages[0].messages) == MAX_SCHEMA_DEPTH - 1
    assert sys.getrecursionlimit() <= 1000  # the default: no headroom outside the frontend
    render_model(model, BuildOptions())
    render_model(
        lower(tmp_path / "b", {"a.schema.json": _array_aliases(MAX_SCHEMA_DEPTH - 1)}),
        BuildOptions(),
    )


def test_schemas_nested_past_the_limit_are_a_diagnostic(tmp_path: Path) -> None:
    (err,) = errors_of(tmp_path, {"a.schema.json": _nested(300)})
    where, rest = err.split(": error: ")
    assert where.startswith("a.schema.json:")
    assert rest.startswith(f"schemas nested more than {MAX_SCHEMA_DEPTH} levels deep [WSG406]")


def test_the_cli_reports_deep_schemas_with_exit_code_2(tmp_path: Path) -> None:
    write_schemas(tmp_path / "idl", {"a.schema.json": _nested(300)})
    r = subprocess.run(
        [sys.executable, "-m", "wsgen.cli", "build", "idl"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert r.returncode == 2, r.stderr
    assert "nested more than 128 levels deep [WSG406]" in r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr


def test_json_nested_too_deeply_is_unreadable(tmp_path: Path) -> None:
    deep = "[" * (MAX_JSON_DEPTH + 5) + "]" * (MAX_JSON_DEPTH + 5)
    text = '{"x-wsgen-package": "a.v1",\n "examples": ' + deep + "}"
    (err,) = errors_of(tmp_path, {"a.schema.json": text})
    assert err.startswith(f"a.schema.json:2:{13 + MAX_JSON_DEPTH}: error: JSON nested more than")


def test_json_too_deep_for_the_parser_is_unreadable(tmp_path: Path) -> None:
    text = '{"examples":\n' + "[" * 100_000 + "]" * 100_000 + "}"
    (err,) = errors_of(tmp_path, {"a.schema.json": text})
    assert err.startswith(f"a.schema.json:2:{MAX_JSON_DEPTH}: error: JSON nested more than")


def test_arrays_nested_through_ref_aliases_are_bounded(tmp_path: Path) -> None:
    n = MAX_SCHEMA_DEPTH + 10
    defs: dict[str, Any] = {"Top": _obj(f={"$ref": "#/$defs/A0"})}
    defs.update(
        {f"A{i}": {"type": "array", "items": {"$ref": f"#/$defs/A{i + 1}"}} for i in range(n)}
    )
    defs[f"A{n}"] = {"type": "string"}
    (err,) = errors_of(tmp_path, {"a.schema.json": _defs(**defs)})
    assert "a type nested more than 128 levels deep" in err and "[WSG406]" in err


def test_nested_inline_unions_get_names_that_grow_linearly(tmp_path: Path) -> None:
    """A union inside a variant of an inline union is named after that variant, which already
    holds its owners' names; joining every owner again doubled the names per level."""
    node: dict[str, Any] = {"type": "string"}
    for i in range(14):  # the old names reached 2**14 characters here
        variant = _obj(k={"const": f"a{i}"}, v=node) | {"required": ["k"]}
        other = _obj(k={"const": f"b{i}"}) | {"required": ["k"]}
        node = {"anyOf": [variant, other]}
    model = lower(tmp_path, {"a.schema.json": _defs(Top=_obj(f=node))})
    unions = [u.name for u in model.packages[0].unions]
    assert unions[:3] == ["TopF", "TopF1V", "TopF1V1V"]
    assert max(len(n) for n in unions) < 100
