"""What the error catalog renderers write: where, what it does, and that IDL text can never
break out of the code or Markdown it lands in (docs/errors.md, "Generated code")."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType

import pytest

from tests.errors_vectors import CATALOG, load_python_module
from tests.helpers import compile_idl
from wsgen.backends import escape
from wsgen.backends.errors_doc import render_errors_doc
from wsgen.backends.jsonschema import render_jsonschema
from wsgen.backends.options import BuildOptions
from wsgen.backends.python_errors import render_python_errors
from wsgen.backends.typescript_errors import render_typescript_errors
from wsgen.ir import model as ir
from wsgen.pipeline import render_model
from wsgen_runtime.errors import ErrorLayer, RecoveryAction

OPTS = BuildOptions(python_package="app", elide_version=True)
HEAD = 'syntax = "proto3";\npackage shop.v1;\nimport "wsgen/options.proto";\n'


def _catalog(values: str, enum: str = "ErrorCode", prefix: str = "ERROR_CODE_") -> str:
    return (
        HEAD
        + f"enum {enum} {{\n  option (wsgen.error_catalog) = {{}};\n  {prefix}UNSPECIFIED = 0;\n"
        + values
        + "}\n"
    )


def _value(name: str, number: int, message: str = '"m"', doc: str = "") -> str:
    comment = "".join(f"  // {line}\n" for line in doc.splitlines())
    return (
        f"{comment}  {name} = {number} [(wsgen.error) = {{ layer: BUSINESS http_status: 404 "
        f"close_code: 4404 message: {message} }}];\n"
    )


def test_outputs_of_each_target(tmp_path: Path) -> None:
    model = compile_idl(tmp_path, {"chat/v1/errors.proto": CATALOG.read_text()})
    assert sorted(render_python_errors(model, OPTS)) == ["python/app/chat/v1/errors.py"]
    assert sorted(render_typescript_errors(model, OPTS)) == [
        "typescript/chat/v1.errors.ts",
        "typescript/wsgen-errors.ts",
    ]
    assert sorted(render_errors_doc(model, OPTS)) == ["docs/chat.v1.errors.md"]


def test_no_catalog_no_error_outputs(tmp_path: Path) -> None:
    model = compile_idl(tmp_path, {"a.proto": HEAD + "message M { string s = 1; }\n"})
    for render in (render_python_errors, render_typescript_errors, render_errors_doc):
        assert render(model, OPTS) == {}


def test_pipeline_renders_the_doc_once_for_both_languages(tmp_path: Path) -> None:
    model = compile_idl(tmp_path, {"shop/v1/e.proto": _catalog(_value("ERROR_CODE_GONE", 3100))})
    py = render_model(model, BuildOptions(("python",), "app", elide_version=True))
    ts = render_model(model, BuildOptions(("typescript",), "app", elide_version=True))
    assert py["docs/shop.v1.errors.md"] == ts["docs/shop.v1.errors.md"]
    assert "python/app/shop/v1/errors.py" in py and "typescript/shop/v1.errors.ts" in ts


def test_generated_python_module_behaves(tmp_path: Path) -> None:
    mod = load_python_module(tmp_path)
    assert mod.from_code(3100) is mod.ErrorCode.ROOM_NOT_FOUND
    assert mod.from_code(3999) is None and mod.from_name("NOPE") is None
    assert mod.from_name("BANNED") == 3106
    assert isinstance(mod.ERRORS, MappingProxyType)
    with pytest.raises(TypeError):
        mod.ERRORS[1] = None
    # Resolved at compile time: ACCOUNT_SUSPENDED says nothing but close 4503 → fatal.
    suspended = mod.ERRORS[mod.ErrorCode.ACCOUNT_SUSPENDED]
    assert (suspended.action, suspended.retryable) == (RecoveryAction.FATAL, False)
    err = mod.error(mod.ErrorCode.AUTH_EXPIRED, trace_id="t")
    assert type(err).__name__ == "ConnectionLayerError" and err.layer is ErrorLayer.CONNECTION
    assert type(mod.error(2000)).__name__ == "ProtocolLayerError"
    assert mod.info("MALFORMED_FRAME").code == 2000 and mod.info(2555).layer is ErrorLayer.PROTOCOL


def test_json_schema_bundle_carries_the_catalog_back_to_equal_ir(tmp_path: Path) -> None:
    model = compile_idl(tmp_path / "p", {"chat/v1/errors.proto": CATALOG.read_text()})
    bundle = render_jsonschema(model, OPTS)["jsonschema/chat.v1.schema.json"]
    again = compile_idl(tmp_path / "s", {"chat/v1.schema.json": bundle})
    assert again.packages[0].errors == model.packages[0].errors


HOSTILE = r'"\"\"\" */ <script> | `x` \\ -->"'


def test_idl_text_cannot_break_out_of_generated_code(tmp_path: Path) -> None:
    doc = 'ends """ and */ here\n<b>|</b> ``` -->'
    model = compile_idl(
        tmp_path / "idl",
        {"shop/v1/e.proto": _catalog(_value("ERROR_CODE_GONE", 3100, HOSTILE, doc))},
    )
    (py,) = render_python_errors(model, OPTS).values()
    tree = ast.parse(py)
    assert next(n.name for n in tree.body if isinstance(n, ast.ClassDef)) == "ErrorCode"
    path = tmp_path / "shop_errors.py"
    path.write_text(py)
    spec = importlib.util.spec_from_file_location("shop_errors", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["shop_errors"] = mod
    spec.loader.exec_module(mod)
    message = mod.ERRORS[3100].message
    assert message == '""" */ <script> | `x` \\ -->'
    ts = render_typescript_errors(model, OPTS)["typescript/shop/v1.errors.ts"]
    assert f"message: {escape.ts_string(message)}," in ts
    assert 'ends """ and *\\/ here' in ts
    md = render_errors_doc(model, OPTS)["docs/shop.v1.errors.md"]
    assert r'""" */ &lt;script&gt; \| \`x\` \\ --&gt; |' in md
    assert "&lt;b&gt;" in md and "<b>" not in md


def test_catalog_names_step_aside_from_the_modules_own_names(tmp_path: Path) -> None:
    model = compile_idl(
        tmp_path, {"shop/v1/e.proto": _catalog(_value("TABLE_GONE", 3100), "TABLE", "TABLE_")}
    )
    (py,) = render_python_errors(model, OPTS).values()
    assert "class TABLE_(enum.IntEnum):" in py and "TABLE: Final = ErrorTable(" in py
    ts = render_typescript_errors(model, OPTS)["typescript/shop/v1.errors.ts"]
    assert "export const TABLE_ = {" in ts


def test_python_module_steps_aside_from_a_child_package_named_errors(tmp_path: Path) -> None:
    child = 'syntax = "proto3";\npackage shop.v1.errors;\nmessage Gone { string id = 1; }\n'
    model = compile_idl(
        tmp_path,
        {"shop/v1/e.proto": _catalog(_value("ERROR_CODE_GONE", 3100)), "shop/v1/c.proto": child},
    )
    assert list(render_python_errors(model, OPTS)) == ["python/app/shop/v1/errors_.py"]


def test_empty_catalog_renders_lint_clean(tmp_path: Path) -> None:
    model = compile_idl(tmp_path, {"shop/v1/e.proto": _catalog("")})
    assert model.packages[0].errors == ir.ErrorCatalog("shop.v1.ErrorCode", ())
    (py,) = render_python_errors(model, OPTS).values()
    ruff = Path(sys.executable).parent / "ruff"
    check = [str(ruff), "check", "--isolated", "--select", "E,F,W,I,B,UP", "-"]
    r = subprocess.run(check, input=py, capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout
    assert "class ErrorCode(enum.IntEnum):" in py
