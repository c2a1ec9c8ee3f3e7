"""The Python side of the cross-language error vectors (tests/vectors/errors.json).

Each vector is ``{"kind", "input", "expect"}``; ``run_python`` answers every input with the
Python runtime and the generated Python ``errors`` module, in the same JSON shape as
``tests/js/errors_vectors.mjs`` does with the generated TypeScript. Bytes travel as
``{"hex": "..."}``.

Regenerate the expectations after a deliberate rule change (then review the diff):
``.venv/bin/python -m tests.errors_vectors``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from tests.helpers import compile_idl
from wsgen.backends.options import BuildOptions
from wsgen.backends.python_errors import render_python_errors
from wsgen_runtime import close as rt_close
from wsgen_runtime import errors as rt
from wsgen_runtime import recovery as rt_recovery

ROOT = Path(__file__).resolve().parents[1]
VECTORS = ROOT / "tests" / "vectors" / "errors.json"
CATALOG = ROOT / "idl" / "chat" / "v1" / "errors.proto"

__all__ = ["CATALOG", "VECTORS", "catalog_model", "load_python_module", "run_python"]


def catalog_model(tmp: Path) -> Any:
    """The vector catalog (the chat example) compiled with the real compiler."""
    return compile_idl(tmp, {"chat/v1/errors.proto": CATALOG.read_text(encoding="utf-8")})


def load_python_module(tmp: Path) -> ModuleType:
    """The generated Python ``errors`` module of the vector catalog, imported from ``tmp``."""
    model = catalog_model(tmp / "idl")
    files = render_python_errors(model, BuildOptions(python_package="vec", elide_version=True))
    (text,) = files.values()
    path = tmp / "vec_chat_errors.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("vec_chat_errors", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _raw(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"hex"}:
        return bytes.fromhex(value["hex"])
    return value


def _reason(parsed: rt_close.CloseReason | None) -> Any:
    if parsed is None:
        return None
    return {
        "name": parsed.name,
        "httpStatus": parsed.http_status,
        "retryAfterMs": parsed.retry_after_ms,
    }


def _run(mod: ModuleType, kind: str, data: Any) -> Any:
    table: rt.ErrorTable = mod.TABLE
    if kind == "lookup":
        info = table.lookup(data.get("code"), data.get("name"))
        return {"info": info.to_json(), "decision": rt_recovery.decide(info).to_json()}
    if kind == "close":
        c = rt_close.classify_close(data.get("code"), _raw(data.get("reason")), table)
        hint = c.reason.retry_after_ms if c.reason else None
        decision = rt_recovery.decide(
            c.info,
            close_code=c.close_code,
            retry_after_ms=hint,
            reauthenticated=bool(data.get("reauthenticated")),
        )
        return {
            "info": c.info.to_json(),
            "closeCode": c.close_code,
            "reason": _reason(c.reason),
            "decision": decision.to_json(),
        }
    if kind == "parse":
        return _reason(rt_close.parse_close_reason(_raw(data)))
    if kind == "format":
        reason = rt_close.CloseReason(data["name"], data["httpStatus"], data.get("retryAfterMs"))
        return rt_close.format_close_reason(reason)
    if kind == "frame":
        err = mod.from_json(data)
        decision = rt_recovery.decide(err.info, retry_after_ms=err.retry_after_ms)
        return {
            "class": type(err).__name__,
            "error": err.to_json(),
            "info": err.info.to_json(),
            "decision": decision.to_json(),
        }
    if kind == "resolve":
        action = rt.resolve_action(
            rt.ErrorLayer(data["layer"]),
            data.get("closeCode"),
            rt.RecoveryAction(data["action"]) if data.get("action") else None,
            data.get("retryable"),
        )
        return action.value
    if kind == "reauth":
        info = table.lookup(data["code"])
        first = rt_recovery.decide(info, close_code=data.get("closeCode"))
        second = rt_recovery.decide(info, close_code=data.get("closeCode"), reauthenticated=True)
        return [first.to_json(), second.to_json()]
    raise ValueError(f"unknown vector kind {kind!r}")


def run_python(mod: ModuleType, vectors: list[dict[str, Any]]) -> list[Any]:
    return [_run(mod, v["kind"], v["input"]) for v in vectors]


def _inputs() -> list[dict[str, Any]]:
    """Every input the vector file holds (expectations are computed, then reviewed)."""
    cases: list[dict[str, Any]] = []

    def add(kind: str, data: Any) -> None:
        cases.append({"kind": kind, "input": data})

    with tempfile.TemporaryDirectory() as tmp:
        catalog = catalog_model(Path(tmp) / "idl").packages[0].errors
    assert catalog is not None
    for code in catalog.codes:
        add("lookup", {"code": code.number})
    for info in rt.BUILTIN_ERRORS:
        add("lookup", {"code": info.code})
    for code in (1500, 2999, 9999, 10000, 42, -1, 0):
        add("lookup", {"code": code, "name": "FROM_A_NEWER_PEER"})
    add("lookup", {"code": 3100.0})
    add("lookup", {"code": True, "name": "BANNED"})
    add("lookup", {"code": "3100"})
    add("lookup", {"name": "ROOM_FULL"})
    add("lookup", {"code": 4500, "name": "lower_case"})
    for code in [*range(1000, 1016), 4000, 4001, 4401, 4403, 4429, 4499, 4500, 4501, 4503]:
        add("close", {"code": code, "reason": None})
    for code in (4526, 4999, 3000, 3999, 5000, 999, 0, 65535, None, "1000", 1000.0):
        add("close", {"code": code, "reason": ""})
    for code, reason in (
        (1013, "OVERLOADED|503|retry=5000"),
        (1013, "OVERLOADED|503"),
        (4401, "AUTH_EXPIRED|401"),
        (4000, "ROOM_NOT_FOUND|404"),
        (4600, "OVERLOADED|503|retry=250"),
        (4501, "AUTH_EXPIRED|401"),
        (4001, "NODE_DRAINING|503|retry=0|region=eu-west"),
        (4001, "FROM_A_NEWER_PEER|503|retry=100"),
        (4999, "FROM_A_NEWER_PEER|503"),
        (1011, "MALFORMED_FRAME|400"),
        (1011, "OVERLOADED|503|retry=5000|retry=6000"),
        (1009, {"hex": "4f56455253495a45445f4652414d457c343133"}),
        (1009, {"hex": "ff4f56455253495a4544"}),
        (4429, "RATE_LIMITED|429|retry=1500"),
    ):
        add("close", {"code": code, "reason": reason})
    add("close", {"code": 4401, "reason": "AUTH_EXPIRED|401", "reauthenticated": True})
    parse_inputs: list[Any] = [
        "OVERLOADED|503|retry=5000",
        "A|100",
        "A|599|retry=2147483647",
        "A|599|retry=2147483648",
        "A|600",
        "A|099",
        "A|40",
        "A|4040",
        "a|404",
        "_A|404",
        "A1_B2|404",
        "A|404|",
        "A||404",
        "A|404|retry=",
        "A|404|retry=01",
        "A|404|retry=-1",
        "A|404|retry=1.5",
        "A|404|retry=1e3",
        "A|404|Retry=1",
        "A|404|x",
        "A|404|x=",
        "A|404|x=1|y=2|retry=7",
        "A|404|retry=1|retry=1",
        "A|404 ",
        " A|404",
        "A|404\n",
        "A|404\u0000",
        "Ä|404",
        "A|٤٠٤",
        "A|404|x=é",
        "",
        "|",
        "A",
        "A|",
        "N" * 102 + "|599|retry=2147483647",
        "N" * 103 + "|599|retry=2147483647",
        "N" * 119 + "|599",
        "N" * 120 + "|599",
        {"hex": "417c343034"},
        {"hex": "417c3430347c72657472793d3930"},
        {"hex": "c3a47c343034"},
        {"hex": "417c34303400"},
        {"hex": "ed9fbf"},
        {"hex": ""},
        None,
        404,
        ["A", 404],
        {"name": "A"},
    ]
    for item in parse_inputs:
        add("parse", item)
    for name, status, ms in (
        ("OVERLOADED", 503, 5000),
        ("AUTH_EXPIRED", 401, None),
        ("A", 100, 0),
        ("A", 599, 2147483647),
        ("A", 599, 2147483648),
        ("A", 599, -1),
        ("A", 404, 1.5),
        ("A", 404, 10.0),
        ("A", 404.0, None),
        ("A", 600, None),
        ("A", 99, None),
        ("a", 404, None),
        ("A|B", 404, None),
        ("", 404, None),
        ("N" * 102, 599, 2147483647),
        ("N" * 119, 599, None),
        ("N" * 120, 599, None),
        ("N" * 120, 599, 5),
    ):
        add("format", {"name": name, "httpStatus": status, "retryAfterMs": ms})
    frames: list[Any] = [
        {"code": 3102, "name": "RATE_LIMITED", "message": "slow down", "retryAfterMs": 1500},
        {"code": 3100, "name": "ROOM_NOT_FOUND", "message": "no", "re": "01A", "details": {"i": 1}},
        {"code": 1100, "name": "AUTH_EXPIRED", "message": "m", "traceId": "4bf92f3577b34da6"},
        {"code": 2000, "name": "MALFORMED_FRAME", "message": "m"},
        {"code": 2555, "name": "FROM_A_NEWER_PEER", "message": "new"},
        {"code": 1777, "name": "bad name", "message": "m"},
        {"code": 77777, "name": "X", "message": "m"},
        {"name": "BANNED", "message": "m"},
        {"code": "3100", "name": "NOT_A_NAME", "message": 5},
        {"code": 3102.0, "message": "m", "retryAfterMs": 2.0},
        {"code": 3102, "retryAfterMs": -5, "traceId": "has space", "details": [1], "re": 7},
        {"code": 3102, "retryAfterMs": 2147483648, "traceId": "x" * 129},
        {"code": 3102, "retryAfterMs": True, "details": None},
        [],
        None,
        "error",
    ]
    for payload in frames:
        add("frame", payload)
    for layer in ("connection", "protocol", "business"):
        for close in (None, 1008, 4000, 4500):
            for retryable in (None, True, False):
                add("resolve", {"layer": layer, "closeCode": close, "retryable": retryable})
        add("resolve", {"layer": layer, "closeCode": 4500, "action": "degrade", "retryable": None})
    for code, close in ((1100, 4401), (1100, None), (1100, 4501)):
        add("reauth", {"code": code, "closeCode": close})
    return cases


def _regenerate() -> None:
    cases = _inputs()
    with tempfile.TemporaryDirectory() as tmp:
        module = load_python_module(Path(tmp))
        for case, result in zip(cases, run_python(module, cases), strict=True):
            case["expect"] = result
    doc = {
        "about": "Cross-language error vectors (docs/errors.md): every input runs through the "
        "Python runtime and the generated TypeScript; both must give `expect`. Catalog: "
        'idl/chat/v1/errors.proto. Bytes are {"hex": ...}. Regenerate with '
        "`.venv/bin/python -m tests.errors_vectors` and review the diff.",
        "vectors": cases,
    }
    VECTORS.parent.mkdir(parents=True, exist_ok=True)
    VECTORS.write_text(json.dumps(doc, indent=1, ensure_ascii=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    _regenerate()
