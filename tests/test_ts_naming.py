"""TS names: nested scopes, reserved words, globals and the generated API never collide; module
paths and index namespaces stay unique; output is deterministic and renders fast."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tshelpers import TsBuild, fld, msg, pkg, scalar, ts_build, ts_case

from wsgen.backends.options import BuildOptions
from wsgen.backends.typescript import render_typescript
from wsgen.backends.typescript_view import MODULE_RESERVED, build_view_typescript
from wsgen.ir import model as ir

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ts(tmp_path_factory: pytest.TempPathFactory) -> TsBuild:
    return ts_build(tmp_path_factory)


def _names(_: Path) -> ir.Model:
    s = scalar("string")
    messages = [
        msg("names.v1", name, fld("x", s))
        for name in ("Record", "Promise", "JsonValue", "Object", "String", "ServerHandlers")
    ]
    outer = msg("names.v1", "Outer", fld("inner", ir.MessageRef("names.v1.Outer.Inner")))
    inner = msg("names.v1", "Inner", fld("y", s), scope=("Outer",))
    clash = msg("names.v1", "Outer_Inner", fld("z", s))
    lower = msg("names.v1", "isOuter", fld("w", s))
    keyword = msg("names.v1", "delete", fld("d", s))
    dashed = msg("names.v1", "my-thing", fld("m", s), origin="jsonschema")
    ns = msg("names.v1", "wsgen", fld("n", s))
    user = msg(
        "names.v1",
        "User",
        *(fld(f"f{i}", ir.MessageRef(m.full_name)) for i, m in enumerate(messages)),
        fld("outer", ir.MessageRef(outer.full_name)),
        fld("clash", ir.MessageRef(clash.full_name)),
        fld("lower", ir.MessageRef(lower.full_name)),
        fld("keyword", ir.MessageRef(keyword.full_name)),
        fld("dashed", ir.MessageRef(dashed.full_name)),
        fld("ns", ir.MessageRef(ns.full_name)),
        fld("level", ir.EnumRef("names.v1.eval")),
    )
    level = ir.Enum("names.v1.eval", "eval", "names.v1", values=(ir.EnumValue("LOW"),))
    catalog = ir.Catalog(
        "names.v1",
        ir.Framing(),
        (
            ir.Frame("names.v1.User", "user", ir.Direction.BOTH, "user"),
            ir.Frame("names.v1.Record", "rec", ir.Direction.CLIENT_TO_SERVER, "hello"),
        ),
    )
    main = pkg(
        "names.v1",
        *messages,
        outer,
        inner,
        clash,
        lower,
        keyword,
        dashed,
        ns,
        user,
        level,
        catalog=catalog,
    )
    twin = pkg("names_v1", msg("names_v1", "Twin", fld("t", s)))
    index = pkg("index", msg("index", "Idx", fld("i", s)))
    nameless = pkg("", msg("", "Loose", fld("l", s)), files=("loose.proto",))
    return ir.Model((nameless, index, main, twin))


NAMES = ts_case(
    "reserved_and_colliding_names",
    _names,
    {
        "usage.ts": textwrap.dedent(
            """
            import { index, names_v1, names_v1_, default_package } from "./typescript/index.js";

            export const user: names_v1.User = {
              f0: { x: "record" },
              outer: { inner: { y: "nested" } },
              clash: { z: "top-level" },
              lower: { w: "lower" },
              level: names_v1.eval_.LOW,
            };
            export const builtins: Record<string, Promise<string>> = {};
            export const handlers: names_v1.ServerHandlers = {
              onUser: () => undefined,
              onHello_: (payload: names_v1.Record_) => payload.x,
            };
            export const others = [index.isIdx, names_v1_.isTwin, default_package.isLoose];
            // @ts-expect-error nested Outer.Inner and top-level Outer_Inner stay distinct
            export const swapped: names_v1.User = { clash: { y: "nested" } };
            """
        ).lstrip("\n"),
    },
)


def test_reserved_and_global_names_get_a_trailing_underscore(ts: TsBuild) -> None:
    ts.assert_clean(NAMES)
    text = ts.module(NAMES, "typescript/names/v1.ts")
    for name in ("Record", "Promise", "JsonValue", "Object", "String", "ServerHandlers", "wsgen"):
        assert f"export interface {name}_ {{" in text
        guard = f"is{name[0].upper()}{name[1:]}_"
        assert f"export function {guard}(value: unknown): value is {name}_ {{" in text
    assert "export interface delete_ {" in text
    assert "export function isDelete_(value: unknown): value is delete_ {" in text
    assert "export interface my_thing {" in text
    assert "export const eval_ = {" in text and "export type eval_ = " in text


def test_nested_names_are_scoped_and_guards_never_collide(ts: TsBuild) -> None:
    text = ts.module(NAMES, "typescript/names/v1.ts")
    # Source order decides: the nested message claims Outer_Inner first.
    assert "export interface Outer_Inner {\n  y?: string;\n}" in text
    assert "export interface Outer_Inner_ {\n  z?: string;\n}" in text
    # A message named isOuter keeps its name; Outer's guard steps aside.
    assert "export interface isOuter {" in text
    assert "export function isOuter_(value: unknown): value is Outer {" in text
    assert "export function isIsOuter(value: unknown): value is isOuter {" in text


def test_handler_names_avoid_the_control_handlers(ts: TsBuild) -> None:
    text = ts.module(NAMES, "typescript/names/v1.ts")
    assert '  ["rec", isRecord_, "onHello_"],' in text


def test_module_paths_and_namespaces_stay_unique(ts: TsBuild) -> None:
    files = ts.files[NAMES]
    assert sorted(files) == [
        "typescript/default-package.ts",
        "typescript/index.ts",
        "typescript/index_.ts",
        "typescript/names/v1.ts",
        "typescript/names_v1.ts",
        "typescript/wsgen-support.ts",
    ]
    assert files["typescript/index.ts"].splitlines()[4:] == [
        'export * as wsgen from "./wsgen-support.js";',
        'export * as default_package from "./default-package.js";',
        'export * as index from "./index_.js";',
        'export * as names_v1 from "./names/v1.js";',
        'export * as names_v1_ from "./names_v1.js";',
    ]


# ---------------------------------------------------------------------------- scale, determinism


def _big_model(n: int) -> ir.Model:
    """``n`` messages that refer to each other, enums, and a catalog of a quarter of them."""
    name = "big.v1"
    enums = tuple(
        ir.Enum(f"{name}.Kind{i}", f"Kind{i}", name, values=(ir.EnumValue("A"), ir.EnumValue("B")))
        for i in range(n // 10)
    )
    messages = tuple(
        msg(
            name,
            f"Msg{i}",
            fld("id", scalar("int64")),
            fld("label", scalar("string"), doc=f"label of message {i}"),
            fld("prev", ir.MessageRef(f"{name}.Msg{(i - 1) % n}")),
            fld("peers", ir.ListType(ir.MessageRef(f"{name}.Msg{(i * 7) % n}"))),
            fld("kind", ir.EnumRef(f"{name}.Kind{i % len(enums)}")),
            fld("extra", ir.MapType(ir.Scalar.STRING, scalar("double"))),
        )
        for i in range(n)
    )
    frames = tuple(
        ir.Frame(m.full_name, f"msg.{i}", ir.Direction.BOTH, f"msg_{i}")
        for i, m in enumerate(messages[: n // 4])
    )
    catalog = ir.Catalog(name, ir.Framing(), frames)
    return ir.Model((pkg(name, *messages, *enums, catalog=catalog),))


def test_two_thousand_messages_render_quickly() -> None:
    model = _big_model(2000)
    start = time.perf_counter()
    files = render_typescript(model, BuildOptions(elide_version=True))
    elapsed = time.perf_counter() - start
    assert elapsed < 3.0, f"rendering 2000 messages took {elapsed:.2f}s"
    assert files["typescript/big/v1.ts"].count("export interface Msg") == 2000


def test_output_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    code = textwrap.dedent(
        """
        import hashlib, sys
        from pathlib import Path
        from wsgen.backends.options import BuildOptions
        from wsgen.backends.typescript import render_typescript
        from wsgen.pipeline import discover_inputs, load_model
        files = render_typescript(load_model(discover_inputs(Path(sys.argv[1]))), BuildOptions())
        for path, text in files.items():
            print(path, hashlib.sha256(text.encode()).hexdigest())
        """
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", code, str(ROOT / "idl")],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1]
    assert "typescript/chat/v1.ts" in outputs[0]


# ---------------------------------------------------------------------------- properties

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_names_strategy = st.lists(st.text(min_size=0, max_size=12), min_size=1, max_size=12, unique=True)


@given(names=_names_strategy, keys=_names_strategy)
def test_any_idl_names_give_unique_identifiers_and_exact_keys(
    names: list[str], keys: list[str]
) -> None:
    messages = [
        msg("p", name, *(fld(f"f{i}", scalar("string"), json_name=k) for i, k in enumerate(keys)))
        for name in names
    ]
    view = build_view_typescript(ir.Model((pkg("p", *messages),)), BuildOptions())
    (module,) = view.modules
    declared = [n for i in module.interfaces for n in (i.name, i.guard)]
    assert len(declared) == len(set(declared))
    for name in declared:
        assert _IDENT.match(name) and name not in MODULE_RESERVED, name
    for prop, key in zip(module.interfaces[0].properties, keys, strict=True):
        # A bare key is an identifier name; a quoted one is a JSON string of the exact key.
        assert prop.key == key if _IDENT.match(key) else json.loads(prop.key) == key


@given(text=st.text(max_size=40))
def test_no_idl_text_can_end_a_jsdoc_block(text: str) -> None:
    field = fld("x", scalar("string"), doc=text)
    view = build_view_typescript(
        ir.Model((pkg("p", msg("p", "M", field, doc=text)),)), BuildOptions()
    )
    (iface,) = view.modules[0].interfaces
    for block in (iface.doc, iface.properties[0].doc):
        body = "\n".join(block)
        if block:
            assert body.startswith("/**") and body.endswith("*/")
            assert "*/" not in body[3:-2]


def test_valid_type_names_keep_their_spelling_whatever_sanitizes_onto_them() -> None:
    """docs/naming.md: a name that is already valid never moves, even when an earlier name
    sanitizes onto it (claim_all claims valid names first)."""
    from wsgen.backends.typescript_view import _local_names
    from wsgen.ir import model as ir

    pkg = ir.Package(
        name="p",
        files=("p.schema.json",),
        enums=(
            ir.Enum("p.a b", "a b", "p", values=(ir.EnumValue("x"),)),
            ir.Enum("p.a_b", "a_b", "p", values=(ir.EnumValue("y"),)),
        ),
    )
    _, decls = _local_names(pkg)
    assert decls["p.a_b"].type_name == "a_b"
    assert decls["p.a b"].type_name == "a_b_"
