"""Case 14: IDL text inside JSDoc can never end the comment. Both inputs (proto comments and a
schema.json-shaped model) go through tsc; the emitted .js and .d.ts (``--declaration
--removeComments``) must hold nothing named ``pwned``."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import compile_idl
from tshelpers import TsBuild, fld, msg, pkg, scalar, ts_build, ts_case, ts_emit

from wsgen.ir import model as ir


@pytest.fixture(scope="module")
def ts(tmp_path_factory: pytest.TempPathFactory) -> TsBuild:
    return ts_build(tmp_path_factory)


@pytest.fixture(scope="module")
def emitted(tmp_path_factory: pytest.TempPathFactory) -> TsBuild:
    return ts_emit(tmp_path_factory)


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

FROM_PROTO = ts_case(
    "case14_comments_proto",
    lambda tmp: compile_idl(tmp, {"notice.proto": NOTICE_PROTO}),
)


def _notice_schema(_: Path) -> ir.Model:
    notice = msg(
        "notice",
        "Notice",
        fld(
            "type",
            scalar("string"),
            presence=ir.Presence.REQUIRED,
            constraints=ir.Constraints(const="notice"),
        ),
        fld("glob", scalar("string"), doc="Matches src/**/*.ts and lib/*/x"),
        fld("inject", scalar("string"), doc="*/ export const pwned = 1; /*"),
        fld("multi", scalar("string"), doc="line one\nline two */\n * line three"),
        doc="Server notice. Ends a comment */ and keeps going",
        origin="jsonschema",
    )
    # The frame doc and the package doc reach comments too.
    catalog = ir.Catalog(
        "notice",
        ir.Framing(),
        (
            ir.Frame(
                "notice.Notice",
                "notice",
                ir.Direction.SERVER_TO_CLIENT,
                "notice",
                doc="*/ export const pwned = 2; /*",
            ),
        ),
    )
    return ir.Model(
        (
            pkg(
                "notice",
                notice,
                files=("notice/schema.json",),
                catalog=catalog,
                doc="*/ export const pwned = 3; /*",
            ),
        )
    )


FROM_SCHEMA = ts_case("case14_comments_schema", _notice_schema)


@pytest.mark.parametrize(
    ("case", "path"),
    [(FROM_PROTO, "typescript/notes/v1.ts"), (FROM_SCHEMA, "typescript/notice.ts")],
)
def test_comment_terminators_in_docs_are_neutralised(ts: TsBuild, case: str, path: str) -> None:
    ts.assert_clean(case)
    text = ts.module(case, path)
    assert "/** Server notice. Ends a comment *\\/ and keeps going */" in text
    assert "/** Matches src/**\\/*.ts and lib/*\\/x */" in text
    assert "/** *\\/ export const pwned = 1; /* */" in text
    for line in text.splitlines():
        if "pwned" in line:
            assert line.lstrip().startswith(("/**", "*", "//")), line


def test_multi_line_doc_stays_inside_one_comment(ts: TsBuild) -> None:
    text = ts.module(FROM_SCHEMA, "typescript/notice.ts")
    assert "  /**\n   * line one\n   * line two *\\/\n   *  * line three\n   */\n" in text


def test_declarations_without_comments_hold_no_injected_code(emitted: TsBuild) -> None:
    for case in (FROM_PROTO, FROM_SCHEMA):
        emitted.assert_clean(case)
        outputs = sorted((emitted.root / "out" / case).rglob("*.*s"))
        assert any(p.name.endswith(".d.ts") for p in outputs)
        assert any(p.suffix == ".js" for p in outputs)
        for path in outputs:
            assert "pwned" not in path.read_text(encoding="utf-8"), path


DEPRECATED_PROTO = """
syntax = "proto3";
package old.v2;

// Use Current.
message Legacy {
  option deprecated = true;
  string name = 1 [deprecated = true];
}

enum Mode {
  option deprecated = true;
  MODE_UNSPECIFIED = 0;
  MODE_OLD = 1 [deprecated = true];
}
"""

DEPRECATED = ts_case(
    "deprecated_marks",
    lambda tmp: compile_idl(tmp, {"old.proto": DEPRECATED_PROTO}),
)


def test_deprecated_declarations_get_the_jsdoc_tag(ts: TsBuild) -> None:
    ts.assert_clean(DEPRECATED)
    text = ts.module(DEPRECATED, "typescript/old/v2.ts")
    assert "/**\n * Use Current.\n * @deprecated\n */\nexport interface Legacy {" in text
    assert "  /** @deprecated */\n  name?: string;\n" in text
    assert '  /** @deprecated */\n  MODE_OLD: "MODE_OLD",\n' in text
    assert "/** @deprecated */\nexport const Mode = {" in text
