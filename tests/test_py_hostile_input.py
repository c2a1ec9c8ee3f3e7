"""A peer cannot crash a decoder: whatever text or bytes arrive, ``from_json`` raises only
``DecodeError`` and a router's ``dispatch`` only ``MalformedFrame``, ``UnknownMessageType`` or
``DecodeError`` — never ``ValueError`` from CPython's int-string limit, ``RecursionError``,
``UnicodeDecodeError``, ``TypeError`` … (docs/python.md, "Codec")."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.pyhelpers import py_case, py_tree
from wsgen.ir import model as ir
from wsgen_runtime import framing
from wsgen_runtime.codec import DecodeError
from wsgen_runtime.router import MalformedFrame, UnknownMessageType

TYPED = (DecodeError, MalformedFrame, UnknownMessageType)
HUGE = "9" * 5000  # beyond CPython's 4300-digit int-string limit
DEEP = "[" * 100_000 + "]" * 100_000


class Quiet:
    """Handlers that accept every frame."""

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("on_"):
            raise AttributeError(name)

        async def handler(message: Any, frame: framing.FrameInfo) -> None:
            return None

        return handler


def _dispatch(router: Any, raw: Any, **kw: Any) -> Any:
    return asyncio.run(router.dispatch(raw, **kw))


def _chat() -> Any:
    return py_case("example").module("chat.v1")


def _envelope(payload: str, *, seq: str = "1", type_: str = "room.join") -> str:
    return (
        f'{{"type":{json.dumps(type_)},"id":"01ARZ3NDEKTSV4RRFFQ69G5FAV","seq":{seq},'
        f'"ts":"2026-12-03T17:25:23.123Z","payload":{payload}}}'
    )


# ----------------------------------------------------------------------------- known inputs


@pytest.mark.parametrize(
    "text",
    [f'{{"zzz": {HUGE}}}', f'{{"total": {HUGE}}}', f'{{"total": "{HUGE}"}}', f"[{HUGE}]"],
    ids=["unknown-key", "int64-field", "int64-string", "array"],
)
def test_numbers_beyond_the_int_string_limit_are_decode_errors(text: str) -> None:
    nums = py_case("nums").module("nums.v1")
    with pytest.raises(DecodeError):
        nums.Counters.from_json(text)


@pytest.mark.parametrize(
    "raw",
    [_envelope("{}", seq=HUGE), _envelope(f'{{"roomId": {HUGE}}}'), _envelope(DEEP)],
    ids=["seq", "payload", "deep-payload"],
)
def test_dispatch_turns_hostile_envelopes_into_typed_errors(raw: str) -> None:
    with pytest.raises((MalformedFrame, DecodeError)):
        _dispatch(_chat().ServerRouter(Quiet()), raw)


@pytest.mark.parametrize(
    "raw",
    [DEEP, '{"a":' * 100_000 + "1" + "}" * 100_000, b"\xff\xfe", b'{"a":"\xed\xa0\x80"}', 42, None],
    ids=["deep-array", "deep-object", "bad-utf8", "utf8-surrogate", "int", "none"],
)
def test_unparseable_input_is_one_decode_error(raw: Any) -> None:
    nums = py_case("nums").module("nums.v1")
    with pytest.raises(DecodeError):
        nums.Counters.from_json(raw)
    with pytest.raises(MalformedFrame):
        _dispatch(_chat().ServerRouter(Quiet()), raw)


def test_memoryview_frames_are_read_as_utf8_text() -> None:
    nums = py_case("nums").module("nums.v1")
    assert nums.Counters.from_json(memoryview(b'{"total":"7"}')).total == 7


def test_infinite_numbers_fail_facets_instead_of_crashing_them() -> None:
    more = py_case("facets_more").module("more.v1")
    cls = next(getattr(more, n) for n in more.__all__ if hasattr(getattr(more, n), "__wsgen__"))
    for text in ('{"tenth": 1e400}', '{"big": 1e400}', '{"tenth": -1e400}'):
        with pytest.raises(DecodeError):
            cls.from_json(text)


# ----------------------------------------------------------------------------- repeated keys


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('{"text":"a","text":"b"}', "$.text"),
        ('{"zz":1,"zz":1}', "$.zz"),
        ('{"struct":{"a":{"k":1,"k":2}}}', "$.struct.a.k"),
        ('{"values":{"x":[{"odd key":1,"odd key":2}]}}', '$.values.x[0]["odd key"]'),
    ],
)
def test_repeated_keys_are_refused_naming_the_key_path(text: str, path: str) -> None:
    everything = py_case("wkt").module("wkt.v1").Everything
    with pytest.raises(DecodeError, match="appears twice") as err:
        everything.from_json(text)
    assert err.value.path == path


def test_a_repeated_key_in_a_payload_is_a_payload_error_and_elsewhere_a_malformed_frame() -> None:
    router = _chat().ServerRouter(Quiet())
    with pytest.raises(DecodeError) as err:
        router.decode(_envelope('{"roomId":"a","roomId":"b"}'))
    assert err.value.path == "$.payload.roomId"
    doubled_seq = _envelope("{}").replace('"seq":1', '"seq":1,"seq":2')
    with pytest.raises(MalformedFrame, match=r"\$\.seq"):
        router.decode(doubled_seq)
    flat = py_case("flat").module("kraken.ws").ServerRouter(Quiet())
    with pytest.raises(MalformedFrame):
        flat.decode('{"event":"ping","event":"subscribe"}')
    with pytest.raises(DecodeError) as err:
        flat.decode('{"event":"ping","reqid":"1","reqid":"2"}')
    assert err.value.path == "$.reqid"


# ----------------------------------------------------------------------------- lone surrogates


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('{"text":"\\ud800"}', "$.text"),
        ('{"text":"ok \\udfff"}', "$.text"),
        ('{"unknown":["x","\\ud800"]}', "$.unknown[1]"),
        ('{"value":{"\\udc00":1}}', "$.value"),
        ('{"mask":"a\\ud800"}', "$.mask"),
        ('{"values":{"k":"\\ud83d"}}', "$.values.k"),
        ('{"text":"\ud800"}', "$.text"),  # raw in a str argument, not escaped
    ],
)
def test_lone_surrogates_are_refused_naming_their_path(text: str, path: str) -> None:
    everything = py_case("wkt").module("wkt.v1").Everything
    with pytest.raises(DecodeError, match="lone surrogate") as err:
        everything.from_json(text)
    assert err.value.path == path
    str(err.value).encode("utf-8")  # the message itself stays writable


def test_paired_surrogate_escapes_are_one_character() -> None:
    everything = py_case("wkt").module("wkt.v1").Everything
    value = everything.from_json('{"text":"\\ud83d\\ude00"}')
    assert value.text == "\U0001f600"
    assert value.to_json().encode("utf-8") == '{"text":"\U0001f600"}'.encode()


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"text": "\ud800"}, "$.text"),
        ({"struct": {"a": ["\udfff"]}}, "$.struct.a[0]"),
        ({"values": {"\ud800": 1}}, '$.values["\\ud800"]'),  # a map key: escaped
    ],
)
def test_from_dict_refuses_lone_surrogates_too(data: dict[str, Any], path: str) -> None:
    everything = py_case("wkt").module("wkt.v1").Everything
    with pytest.raises(DecodeError, match="lone surrogate") as err:
        everything.from_dict(data)
    assert err.value.path == path


def test_a_lone_surrogate_in_a_payload_is_a_payload_error() -> None:
    router = _chat().ServerRouter(Quiet())
    with pytest.raises(DecodeError) as err:
        router.decode(_envelope('{"roomId":"\\ud800"}'))
    assert err.value.path == "$.payload.roomId"
    with pytest.raises(MalformedFrame):
        router.decode(_envelope("{}", type_="\ud800"))


# ----------------------------------------------------------------------------- properties

ATOMS = [
    "null",
    "true",
    "false",
    "0",
    "-0",
    "-0.0",
    "1e3",
    "1.5",
    "1e400",
    "-1e400",
    "1e-400",
    HUGE,
    "4" * 400,
    '""',
    '"\\ud800"',
    '"x\\udc00"',
    '"\\ud83d\\ude00"',
    '"NaN"',
    '"Infinity"',
    '"-Infinity"',
    '"1e3"',
    '"5.0"',
    '"+5"',
    '"AAAA"',
    '"A"',
    '"2020-01-01T00:00:00Z"',
    '"1.5s"',
    '"a.b,cD"',
    '"2026-12-03T17:25:23.123Z"',
    "[" * 3000 + "]" * 3000,
    "[]",
    "{}",
]


def _wire_words(model: ir.Model) -> tuple[list[str], list[str]]:
    """(object keys, string values) the model's decoders look for."""
    keys = {"type", "payload", "id", "seq", "ts", "@type", "event", "value"}
    words: set[str] = set()
    for msg in model.messages():
        for f in msg.fields:
            keys.update((f.json_name, f.name))
    for en in model.enums():
        words.update(v.name for v in en.values)
    for un in model.unions():
        keys.add(un.discriminator)
        words.update(v.value for v in un.variants)
    for pkg in model.packages:
        if pkg.catalog is not None:
            keys.add(pkg.catalog.framing.discriminator)
            words.update(fr.discriminator for fr in pkg.catalog.frames)
    return sorted(keys), sorted(words)


def json_texts(keys: list[str], words: list[str]) -> st.SearchStrategy[str]:
    """JSON-ish text: mostly valid JSON over the model's keys and values, with hostile atoms
    (huge numbers, lone surrogates, deep nesting, duplicate keys) in any position."""
    scalars = st.one_of(
        st.sampled_from(ATOMS),
        st.integers().map(str),
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
        st.text(max_size=6).map(json.dumps),
        st.sampled_from(words or ["x"]).map(json.dumps),
    )
    key = st.sampled_from(keys) | st.text(max_size=4)

    def containers(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        arrays = st.lists(inner, max_size=4).map(lambda xs: "[" + ",".join(xs) + "]")
        objects = st.lists(st.tuples(key, inner), max_size=5).map(
            lambda kvs: "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in kvs) + "}"
        )
        return arrays | objects

    return st.recursive(scalars, containers, max_leaves=12)


def _objects(keys: list[str], words: list[str]) -> st.SearchStrategy[str]:
    value = json_texts(keys, words)
    return st.lists(st.tuples(st.sampled_from(keys), value), max_size=6).map(
        lambda kvs: "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in kvs) + "}"
    )


def _inputs(keys: list[str], words: list[str]) -> st.SearchStrategy[Any]:
    return st.one_of(
        _objects(keys, words),
        json_texts(keys, words),
        st.text(max_size=20),
        st.binary(max_size=20),
        _objects(keys, words).map(lambda t: t.encode("utf-8", "surrogatepass")),
    )


CASES = sorted(py_tree().cases)
MESSAGES = [
    (case, m.full_name) for case in CASES for m in py_case(case).model.messages() if m.fields
]


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_from_json_raises_only_decode_error_on_any_input(data: Any) -> None:
    case_name, full_name = data.draw(st.sampled_from(MESSAGES))
    case = py_case(case_name)
    keys, words = _wire_words(case.model)
    raw = data.draw(_inputs(keys, words))
    cls = case.cls(full_name)
    for strict in (False, True):
        try:
            value = cls.from_json(raw, strict=strict)
        except DecodeError:
            continue
        value.to_json().encode("utf-8")  # whatever was accepted can be written as UTF-8


def _routers() -> list[tuple[str, str, str]]:
    out = []
    for case_name in CASES:
        case = py_case(case_name)
        for pkg in case.model.packages:
            if pkg.catalog is not None and pkg.catalog.frames:
                for side in ("ServerRouter", "ClientRouter"):
                    out.append((case_name, pkg.name, side))
    return out


ROUTERS = _routers()


def frames(keys: list[str], words: list[str], discriminators: list[str]) -> st.SearchStrategy[str]:
    """Envelopes with valid envelope keys (so the payload is decoded) or hostile ones, and
    flat frames."""
    value = json_texts(keys, words)
    payload = _objects(keys, words) | value
    good_seq = st.sampled_from(["1", "17"])
    envelope = st.builds(
        lambda t, s, p: _envelope(p, seq=s, type_=t),
        st.sampled_from(discriminators) | st.text(max_size=4),
        good_seq | value,
        payload,
    )
    flat = st.builds(
        lambda k, t, rest: "{" + json.dumps(k) + ":" + json.dumps(t) + rest + "}",
        st.sampled_from(keys),
        st.sampled_from(discriminators),
        _objects(keys, words).map(lambda o: "" if o == "{}" else "," + o[1:-1]),
    )
    return envelope | flat | value


@pytest.mark.skipif(not ROUTERS, reason="no catalog among the cases")
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_dispatch_raises_only_typed_errors_on_any_frame(data: Any) -> None:
    case_name, package, side = data.draw(st.sampled_from(ROUTERS))
    case = py_case(case_name)
    keys, words = _wire_words(case.model)
    (catalog,) = (p.catalog for p in case.model.packages if p.name == package)
    assert catalog is not None
    discriminators = [fr.discriminator for fr in catalog.frames] + ["hello", "ack", "error"]
    raw = data.draw(
        frames(keys, words, discriminators) | st.binary(max_size=20) | st.text(max_size=20)
    )
    router = getattr(case.module(package), side)(Quiet())
    for strict in (False, True):
        with contextlib.suppress(*TYPED):
            _dispatch(router, raw, strict=strict)
