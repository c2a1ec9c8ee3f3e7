"""Shared framing vectors: the same frame texts go through the Python runtime's framing
(``wsgen_runtime.framing.parse_envelope`` / ``parse_flat``) and the generated TypeScript
``dispatchClientToServer`` / ``dispatchServerToClient`` (one node run), and both must give the
verdict docs/protocol.md gives: ``MALFORMED_FRAME`` or ``accepted``.

Every vector is a frame the catalog knows (``ping`` in envelope framing, ``subscribe`` in
flat framing) with a payload of the right shape, so the only verdicts are the framing's own.
A vector the Python framing still answers differently is marked ``xfail(strict=True)`` with
the reason; it starts failing once the runtime is fixed, so the marker cannot go stale.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from typing import Any

import pytest
from helpers import compile_idl
from tshelpers import TsBuild, run_node, ts_case, ts_emit

from wsgen_runtime import framing

OK = "accepted"
BAD = "MALFORMED_FRAME"
ID = "01JEBX5ZK6N7T3W9QH2Y4R8VMC"
TS = "2026-12-03T17:25:23.123Z"
BASE: dict[str, object] = {"type": "ping", "id": ID, "seq": 1, "ts": TS, "payload": {}}
MISSING = object()


@dataclass(frozen=True)
class Vector:
    name: str
    text: str
    verdict: str
    python_differs: str = ""  # why the Python framing still disagrees (xfail), if it does


def env(name: str, verdict: str, python_differs: str = "", **keys: object) -> Vector:
    """BASE with ``keys`` replaced (``MISSING`` drops a key), as compact JSON text."""
    frame = {k: v for k, v in {**BASE, **keys}.items() if v is not MISSING}
    return Vector(name, json.dumps(frame, separators=(",", ":")), verdict, python_differs)


def raw(name: str, text: str, verdict: str, python_differs: str = "") -> Vector:
    return Vector(name, text, verdict, python_differs)


ENVELOPES = [
    env("base", OK),
    env("extra_keys", OK, re="x", later={"a": 1}),
    env("id_one_char", OK, id="a"),
    env("id_64_chars", OK, id="a" * 64),
    env("id_all_classes", OK, id="Az09_-"),
    env("id_65_chars", BAD, id="a" * 65),
    env("id_empty", BAD, id=""),
    env("id_space", BAD, id="a b"),
    env("id_non_ascii", BAD, id="é"),
    env("id_nul", BAD, id="a\u0000"),
    env("id_newline_end", BAD, id="a\n"),
    env("id_number", BAD, id=5),
    env("id_missing", BAD, id=MISSING),
    env("seq_max_safe", OK, seq=2**53 - 1),
    env("seq_zero", BAD, seq=0),
    env("seq_negative", BAD, seq=-1),
    env("seq_fraction", BAD, seq=1.5),
    env("seq_huge_float", BAD, seq=1e308),
    env("seq_unsafe_int", BAD, seq=2**53),
    env("seq_big_int", BAD, seq=10**30),
    env("seq_string", BAD, seq="1"),
    env("seq_bool", BAD, seq=True),
    env("seq_null", BAD, seq=None),
    env("seq_missing", BAD, seq=MISSING),
    raw("seq_integral_float", json.dumps(BASE).replace('"seq": 1', '"seq": 1.0'), OK),
    raw("seq_exponent", json.dumps(BASE).replace('"seq": 1', '"seq": 1e0'), OK),
    env("ts_leap_day", OK, ts="2024-02-29T23:59:59.999Z"),
    env("ts_leap_second", OK, ts="2016-12-31T23:59:60.000Z"),
    env("ts_text", BAD, ts="x"),
    env("ts_no_millis", BAD, ts="2026-12-03T17:25:23Z"),
    env("ts_two_digit_millis", BAD, ts="2026-12-03T17:25:23.12Z"),
    env("ts_micros", BAD, ts="2026-12-03T17:25:23.123456Z"),
    env("ts_offset", BAD, ts="2026-12-03T17:25:23.123+00:00"),
    env("ts_lowercase", BAD, ts="2026-12-03t17:25:23.123z"),
    env("ts_space", BAD, ts="2026-12-03 17:25:23.123Z"),
    env("ts_trailing_newline", BAD, ts=TS + "\n"),
    env("ts_number", BAD, ts=1733246723123),
    env("ts_arabic_digits", BAD, ts="\u0662\u0660\u0662\u0666" + TS[4:]),
    env("ts_month_13", BAD, ts="2026-13-03T17:25:23.123Z"),
    env("ts_month_00", BAD, ts="2026-00-03T17:25:23.123Z"),
    env("ts_feb_30", BAD, ts="2026-02-30T17:25:23.123Z"),
    env("ts_feb_29_common_year", BAD, ts="2100-02-29T17:25:23.123Z"),
    env("ts_hour_24", BAD, ts="2026-12-03T24:00:00.000Z"),
    env("ts_minute_60", BAD, ts="2026-12-03T17:60:23.123Z"),
    env("ts_second_61", BAD, ts="2026-12-03T17:25:61.123Z"),
    env("type_empty", BAD, type=""),
    env("type_number", BAD, type=1),
    env("type_missing", BAD, type=MISSING),
    env("payload_array", BAD, payload=[]),
    env("payload_null", BAD, payload=None),
    env("payload_string", BAD, payload="{}"),
    env("payload_missing", BAD, payload=MISSING),
    raw("not_json", "{nope", BAD),
    raw("nan", json.dumps(BASE).replace('"seq": 1', '"seq": NaN'), BAD),
    raw("array", "[]", BAD),
    raw("string", '"ping"', BAD),
    raw("null", "null", BAD),
]

FLATS = [
    raw("flat_base", '{"event":"subscribe"}', OK),
    raw("flat_extra_keys", '{"event":"subscribe","id":"a b","seq":0}', OK),
    raw("flat_number", '{"event":1}', BAD),
    raw("flat_missing", '{"type":"subscribe"}', BAD),
    raw("flat_array", '[{"event":"subscribe"}]', BAD),
    raw("flat_not_json", "{", BAD),
]

PROTOS = {
    "vec/env/env.proto": """
        syntax = "proto3";
        package vec.env;
        import "wsgen/options.proto";
        message Send {
          option (wsgen.frame) = { type: "chat.send" direction: CLIENT_TO_SERVER };
        }
        message Note {
          option (wsgen.frame) = { type: "chat.note" direction: SERVER_TO_CLIENT };
        }
    """,
    "vec/flat/flat.proto": """
        syntax = "proto3";
        package vec.flat;
        import "wsgen/options.proto";
        option (wsgen.catalog) = { framing: FLAT discriminator: "event" };
        message Subscribe {
          option (wsgen.frame) = { type: "subscribe" direction: CLIENT_TO_SERVER };
        }
    """,
}

RUN = textwrap.dedent(
    """
    import * as env from "./typescript/vec/env.js";
    import * as flat from "./typescript/vec/flat.js";
    import type * as wsgen from "./typescript/wsgen-support.js";

    declare const console: { log(text: string): void };
    const envelopes: readonly string[] = ENVELOPES;
    const flats: readonly string[] = FLATS;
    const verdict = (r: wsgen.DispatchResult): string => (r.ok ? "accepted" : r.error);
    const server: env.ServerHandlers = { onSend: () => undefined };
    const client: env.ClientHandlers = { onNote: () => undefined };
    console.log(
      JSON.stringify({
        clientToServer: envelopes.map((t) => verdict(env.dispatchClientToServer(t, server))),
        serverToClient: envelopes.map((t) => verdict(env.dispatchServerToClient(t, client))),
        flat: flats.map((t) => verdict(flat.dispatchClientToServer(t, { onSubscribe: () => 1 }))),
      }),
    );
    """
).lstrip()

CASE = ts_case(
    "envelope_vectors",
    lambda tmp: compile_idl(tmp, PROTOS),
    {
        "run.ts": RUN.replace("ENVELOPES", json.dumps([v.text for v in ENVELOPES])).replace(
            "FLATS", json.dumps([v.text for v in FLATS])
        )
    },
)


@pytest.fixture(scope="module")
def ts_verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    emitted: TsBuild = ts_emit(tmp_path_factory)
    emitted.assert_clean(CASE)
    out: Any = run_node(emitted.root / "out" / CASE / "run.js")
    assert out["clientToServer"] == out["serverToClient"], "both directions frame alike"
    return {"envelope": out["clientToServer"], "flat": out["flat"]}


def _python_verdict(text: str, discriminator: str | None) -> str:
    try:
        if discriminator is None:
            framing.parse_envelope(text)
        else:
            framing.parse_flat(text, discriminator)
    except framing.MalformedFrame:
        return BAD
    return OK


def _params(vectors: list[Vector]) -> list[Any]:
    return [
        pytest.param(
            i,
            v,
            id=v.name,
            marks=[pytest.mark.xfail(strict=True, reason=v.python_differs)]
            if v.python_differs
            else [],
        )
        for i, v in enumerate(vectors)
    ]


def _ts_params(vectors: list[Vector]) -> list[Any]:
    return [pytest.param(i, v, id=v.name) for i, v in enumerate(vectors)]


def test_vector_names_are_unique() -> None:
    names = [v.name for v in ENVELOPES + FLATS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("index", "vector"), _ts_params(ENVELOPES))
def test_ts_dispatch_gives_the_protocol_verdict_on_envelopes(
    ts_verdicts: dict[str, list[str]], index: int, vector: Vector
) -> None:
    assert ts_verdicts["envelope"][index] == vector.verdict, vector.text


@pytest.mark.parametrize(("index", "vector"), _ts_params(FLATS))
def test_ts_dispatch_gives_the_protocol_verdict_on_flat_frames(
    ts_verdicts: dict[str, list[str]], index: int, vector: Vector
) -> None:
    assert ts_verdicts["flat"][index] == vector.verdict, vector.text


@pytest.mark.parametrize(("index", "vector"), _params(ENVELOPES))
def test_python_framing_agrees_with_ts_dispatch_on_envelopes(
    ts_verdicts: dict[str, list[str]], index: int, vector: Vector
) -> None:
    assert _python_verdict(vector.text, None) == ts_verdicts["envelope"][index], vector.text


@pytest.mark.parametrize(("index", "vector"), _params(FLATS))
def test_python_framing_agrees_with_ts_dispatch_on_flat_frames(
    ts_verdicts: dict[str, list[str]], index: int, vector: Vector
) -> None:
    assert _python_verdict(vector.text, "event") == ts_verdicts["flat"][index], vector.text
