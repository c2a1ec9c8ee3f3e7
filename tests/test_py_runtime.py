"""The runtime pieces generated Python leans on: codec rules that the cases do not pin down
(JSON-kind unions, bytes, floats, strictness, paths, encode errors), well-known types,
ULIDs and frame helpers."""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.pyhelpers import py_case
from wsgen_runtime import codec, framing, ids, wkt
from wsgen_runtime.codec import DecodeError, EncodeError


def _hm() -> Any:
    return py_case("handmade").module("hm")


# ----------------------------------------------------------------------------- codec


def test_json_kind_unions_read_by_kind_and_write_by_value() -> None:
    hm = _hm()
    a = hm.Shape.from_dict({"at": {"x": 1}, "size": 3})
    b = hm.Shape.from_dict({"at": "origin", "size": True})
    assert a.at == hm.Point(x=1) and a.size == 3 and type(a.size) is int
    assert b.at == "origin" and b.size is True
    assert a.to_dict() == {"at": {"x": 1}, "size": 3}
    assert b.to_dict() == {"at": "origin", "size": True}
    with pytest.raises(DecodeError) as err:
        hm.Shape.from_dict({"at": 5, "size": 1})
    assert err.value.path == "$.at"


def test_json_schema_integers_have_no_size_limit_and_no_string_form() -> None:
    hm = _hm()
    big = 10**30
    assert hm.Point.from_dict({"x": big}).x == big
    assert hm.Point(x=big).to_dict() == {"x": big}
    with pytest.raises(DecodeError):
        hm.Point.from_dict({"x": "5"})
    with pytest.raises(EncodeError):
        hm.Point(x=1, y=math.nan).to_dict()


def test_json_schema_messages_reject_null_for_non_nullable_fields() -> None:
    hm = _hm()
    with pytest.raises(DecodeError) as err:
        hm.Point.from_dict({"x": 1, "y": None})
    assert err.value.path == "$.y"
    assert hm.Shape.from_dict({"size": 1, "at": None}).at is None


def test_string_enums_and_additional_properties() -> None:
    hm = _hm()
    shape = hm.Shape.from_dict({"size": 1, "color": "", "extra": [1, None], "labels": {"a": None}})
    assert shape.color is hm.Color.V_
    assert shape.additional_properties == {"extra": [1, None]}
    assert shape.labels == {"a": None}
    assert shape.to_dict() == {"size": 1, "color": "", "labels": {"a": None}, "extra": [1, None]}
    with pytest.raises(DecodeError):
        hm.Shape.from_dict({"size": 1, "color": "blue"})


def test_bytes_accept_standard_and_url_safe_base64_with_or_without_padding() -> None:
    wkt_mod = py_case("wkt").module("wkt.v1")
    data = bytes(range(250, 256)) + b"\x00?"
    std = base64.b64encode(data).decode()
    url = base64.urlsafe_b64encode(data).decode()
    assert "=" in std and "+" in std and "-" in url
    for text in (std, url, std.rstrip("="), url.rstrip("=")):
        assert wkt_mod.Everything.from_dict({"raw": text}).raw == data
    assert wkt_mod.Everything(raw=data).to_dict() == {"raw": std}
    for bad in ("@@@", "a", "ab=c"):
        with pytest.raises(DecodeError) as err:
            wkt_mod.Everything.from_dict({"raw": bad})
        assert err.value.path == "$.raw"


def test_special_floats_travel_as_strings_in_proto_messages() -> None:
    nums = py_case("nums").module("nums.v1")
    for value, text in ((math.inf, "Infinity"), (-math.inf, "-Infinity")):
        assert nums.Counters(ratio=value).to_dict() == {"ratio": text}
        assert nums.Counters.from_dict({"ratio": text}).ratio == value
    assert nums.Counters(ratio=math.nan).to_dict() == {"ratio": "NaN"}
    assert math.isnan(nums.Counters.from_dict({"ratio": "NaN"}).ratio)
    assert nums.Counters.from_dict({"ratio": "1.25"}).ratio == 1.25
    for bad in ("nan", "inf", "1.5x", True):
        with pytest.raises(DecodeError):
            nums.Counters.from_dict({"ratio": bad})


def test_float32_fields_write_the_shortest_float32_spelling() -> None:
    w = py_case("wkt").module("wkt.v1")
    stored = w.Everything.from_dict({"f32": 0.1}).f32
    assert stored != 0.1 and abs(stored - 0.1) < 1e-8
    assert w.Everything(f32=stored).to_dict() == {"f32": 0.1}
    with pytest.raises(DecodeError):
        w.Everything.from_dict({"f32": 1e39})


def test_strict_decoding_rejects_unknown_keys_and_lenient_ignores_them() -> None:
    kw = py_case("kw").module("kw.v1")
    assert kw.Route.from_dict({"from": "a", "later": 1}) == kw.Route(from_="a")
    with pytest.raises(DecodeError) as err:
        kw.Route.from_dict({"from": "a", "odd key": 1}, strict=True)
    assert err.value.path == '$["odd key"]'


def test_proto_field_names_are_accepted_but_not_both_spellings() -> None:
    nums = py_case("nums").module("nums.v1")
    assert nums.Counters.from_dict({"bytes_sent": "7"}).bytes_sent == 7
    with pytest.raises(DecodeError, match="given twice"):
        nums.Counters.from_dict({"bytes_sent": "7", "bytesSent": "7"})


def test_json_schema_messages_do_not_accept_other_spellings() -> None:
    rooms = py_case("s22").module("rooms.v1")
    with pytest.raises(DecodeError):
        rooms.SendText.from_dict({"type": "text", "room": "r", "Body": "x"}, strict=True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "invalid JSON"),
        ("[]", "expected an object"),
        (b"\xff", "invalid UTF-8"),
        ('{"total": NaN}', "invalid JSON"),
        ("[" * 5000 + "]" * 5000, "invalid JSON"),
    ],
)
def test_any_bad_input_is_one_decode_error(text: str | bytes, message: str) -> None:
    nums = py_case("nums").module("nums.v1")
    with pytest.raises(DecodeError, match=message):
        nums.Counters.from_json(text)


def test_deep_json_values_count_against_the_depth_limit() -> None:
    w = py_case("wkt").module("wkt.v1")
    deep: Any = 1
    for _ in range(150):
        deep = [deep]
    with pytest.raises(DecodeError, match="max_depth=100"):
        w.Everything.from_dict({"value": deep})
    assert w.Everything.from_dict({"value": deep}, max_depth=200).value == deep


def _chain(levels: int) -> Any:
    tree = py_case("tree").module("tree.v1")
    chain = tree.Chain(v=0)
    for i in range(levels - 1):
        chain = tree.Chain(v=i + 1, next=chain)
    return chain


@pytest.mark.parametrize("levels", [101, 2_000, 20_000])
def test_encoding_too_deep_a_message_is_an_encode_error_not_recursion_error(levels: int) -> None:
    with pytest.raises(EncodeError, match="max_depth=100") as err:
        _chain(levels).to_json()
    assert err.value.path == ("next",) * 100
    assert type(err.value) is EncodeError


def test_encoding_a_cycle_is_an_encode_error() -> None:
    tree = py_case("tree").module("tree.v1")
    loop = tree.Chain(v=1)
    loop.next = loop
    with pytest.raises(EncodeError, match="cycle"):
        loop.to_dict()


def test_encoding_accepts_exactly_the_nesting_default_decoding_accepts() -> None:
    tree = py_case("tree").module("tree.v1")
    text = _chain(100).to_json()
    assert tree.Chain.from_json(text) == _chain(100)
    too_deep = '{"next":' + text + "}"
    with pytest.raises(DecodeError, match="max_depth=100"):
        tree.Chain.from_json(too_deep)
    with pytest.raises(EncodeError, match="max_depth=100"):
        _chain(101).to_json()
    # a JSON value counts its arrays as decoding does
    w = py_case("wkt").module("wkt.v1")
    for lists, ok in ((99, True), (100, False)):
        deep: Any = 1
        for _ in range(lists):
            deep = [deep]
        decoded = not _raises(DecodeError, lambda d=deep: w.Everything.from_dict({"value": d}))
        encoded = not _raises(EncodeError, lambda d=deep: w.Everything(value=d).to_json())
        assert decoded == encoded == ok


def test_a_raised_max_depth_applies_to_encoding_and_decoding_alike() -> None:
    tree = py_case("tree").module("tree.v1")
    text = _chain(150).to_json(max_depth=150)
    assert tree.Chain.from_json(text, max_depth=150) == _chain(150)
    with pytest.raises(EncodeError):
        _chain(150).to_json(max_depth=149)
    with pytest.raises(EncodeError, match="Python stack"):
        _chain(5_000).to_dict(max_depth=10**6)


def test_union_codecs_limit_encoding_depth_too() -> None:
    expr = py_case("s21").module("expr.v1")
    node: Any = expr.Literal(value=1)
    for _ in range(200):
        node = expr.Not(operand=node)
    with pytest.raises(EncodeError, match="max_depth=100"):
        expr.expr_codec.to_dict(node)


def _raises(kind: type[Exception], fn: Any) -> bool:
    try:
        fn()
    except kind:
        return True
    return False


def test_encode_errors_name_the_field_path() -> None:
    nums = py_case("nums").module("nums.v1")
    with pytest.raises(EncodeError) as err:
        nums.Counters(samples=[1, 2**70]).to_dict()
    assert err.value.path == ("samples", 1)
    with pytest.raises(EncodeError):
        nums.Counters(small=2**31).to_dict()
    with pytest.raises(EncodeError):
        nums.Counters(total="5").to_dict()  # type: ignore[arg-type]


def test_error_paths_quote_keys_that_are_not_identifiers() -> None:
    tally = py_case("tally").module("tally.v1")
    with pytest.raises(DecodeError) as err:
        tally.Tally.from_dict({"byName": {"a.b": "x"}})
    assert err.value.path == '$.byName["a.b"]'


def test_wkt_fields_round_trip() -> None:
    w = py_case("wkt").module("wkt.v1")
    value = w.Everything(
        ts=wkt.Timestamp(1, 2),
        dur=wkt.Duration(-3, 0),
        empty=wkt.Empty(),
        mask=wkt.FieldMask(("a_b.c_d", "e")),
        struct={"k": [1, None]},
        value=None,
        list_value=[True],
        any=wkt.Any("type.googleapis.com/x.Y", {"a": 1}),
        i64=2**40,
        u32=0,
        flag=False,
        text="",
        blob=b"",
        dbl=0.0,
        flt=1.5,
        maybe=0,
    )
    doc = value.to_dict()
    assert doc == {
        "ts": "1970-01-01T00:00:01.000000002Z",
        "dur": "-3s",
        "empty": {},
        "mask": "aB.cD,e",
        "struct": {"k": [1, None]},
        "listValue": [True],
        "any": {"@type": "type.googleapis.com/x.Y", "a": 1},
        "i64": "1099511627776",
        "u32": 0,
        "flag": False,
        "text": "",
        "blob": "",
        "dbl": 0.0,
        "flt": 1.5,
        "maybe": "0",
    }
    assert w.Everything.from_dict(doc, strict=True) == value


# ----------------------------------------------------------------------------- wkt


def test_timestamps_convert_to_and_from_aware_datetimes() -> None:
    when = dt.datetime(2023, 11, 14, 22, 13, 20, 123456, tzinfo=dt.UTC)
    ts = wkt.Timestamp.from_datetime(when)
    assert ts == wkt.Timestamp(1700000000, 123456000)
    assert ts.to_datetime() == when
    with pytest.raises(ValueError, match="naive"):
        wkt.Timestamp.from_datetime(dt.datetime(2023, 1, 1))
    with pytest.raises(ValueError):
        wkt.Timestamp(0, 10**9)
    with pytest.raises(ValueError):
        wkt.Timestamp.from_rfc3339("2023-02-30T00:00:00Z")


@given(st.integers(-62_135_596_800, 253_402_300_799), st.integers(0, 999_999_999))
def test_timestamp_text_round_trips(seconds: int, nanos: int) -> None:
    ts = wkt.Timestamp(seconds, nanos)
    assert wkt.Timestamp.from_rfc3339(ts.to_rfc3339()) == ts
    assert ts.to_rfc3339() == _reference_rfc3339(seconds, nanos)


def _reference_rfc3339(seconds: int, nanos: int) -> str:
    base = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)
    frac = f"{nanos:09d}".rstrip("0")
    if frac:
        frac = frac.ljust(3 if len(frac) <= 3 else 6 if len(frac) <= 6 else 9, "0")
        frac = "." + frac
    return base.strftime("%Y-%m-%dT%H:%M:%S").rjust(19, "0") + frac + "Z"


@given(st.integers(-315_576_000_000 * 10**9, 315_576_000_000 * 10**9))
def test_duration_text_round_trips(total: int) -> None:
    d = wkt.Duration.from_nanos(total)
    assert d.total_nanos() == total
    assert wkt.Duration.from_json_string(d.to_json_string()) == d


def test_durations_convert_to_timedeltas() -> None:
    d = wkt.Duration.from_timedelta(dt.timedelta(seconds=-1, microseconds=500))
    assert d == wkt.Duration(0, -999_500_000)
    assert d.to_timedelta() == dt.timedelta(seconds=-1, microseconds=500)
    with pytest.raises(ValueError):
        wkt.Duration(1, -1)


# ----------------------------------------------------------------------------- ids, framing


def test_ulids_are_monotonic_within_a_millisecond_and_carry_the_time() -> None:
    clock = iter([1000, 1000, 1000, 999, 2000])
    make = ids.UlidFactory(clock_ms=lambda: next(clock), random_bits=lambda n: 5)
    made = [make() for _ in range(5)]
    assert made == sorted(made) and len(set(made)) == 5
    assert [ids.ulid_time_ms(u) for u in made] == [1000, 1000, 1000, 1000, 2000]
    assert all(len(u) == 26 and set(u) <= set(ids.ALPHABET) for u in made)
    assert ids.is_frame_id(made[0]) and not ids.is_frame_id("x" * 65)


def test_frame_timestamps_have_exactly_three_fraction_digits() -> None:
    assert framing.format_ts(1700000000123) == "2023-11-14T22:13:20.123Z"
    assert framing.format_ts(0) == "1970-01-01T00:00:00.000Z"
    assert len(framing.now_ts()) == 24


def test_seq_counters_start_at_one_and_reset() -> None:
    seq = framing.SeqCounter()
    assert [seq.next() for _ in range(3)] == [1, 2, 3]
    seq.reset()
    assert seq.next() == 1


def test_envelope_encoding_refuses_invalid_ids() -> None:
    with pytest.raises(ValueError):
        framing.encode_envelope("t", {}, seq=framing.SeqCounter(), frame_id="no spaces")
    text = framing.encode_envelope("t", {}, seq=framing.SeqCounter(), frame_id="a", ts="x")
    assert json.loads(text) == {"type": "t", "id": "a", "seq": 1, "ts": "x", "payload": {}}


def test_union_codec_is_typed_and_lists_its_values() -> None:
    expr = py_case("s21").module("expr.v1")
    assert isinstance(expr.expr_codec, codec.UnionCodec)
    assert expr.expr_codec.values == ("literal", "not", "all")
    with pytest.raises(EncodeError):
        expr.expr_codec.to_dict(object())


@pytest.mark.parametrize(
    "text", ["\u0662\u0660\u0662\u0660-01-01T00:00:00Z", "2020-01-01T00:00:0\u0660Z"]
)
def test_timestamps_with_non_ascii_digits_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        wkt.Timestamp.from_rfc3339(text)
    with pytest.raises(ValueError):
        wkt.Duration.from_json_string("\u0661.5s")
