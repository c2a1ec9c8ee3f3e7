"""The shared cases on .proto inputs, through generated Python (cases 01, 02, 04, 05, 08, 11,
12, 14). Expected JSON is the literal from each case, which the case checked with
``google.protobuf.json_format``; where cheap, json_format itself is run as the oracle."""

from __future__ import annotations

import json
import time
import typing
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format

from tests.pyhelpers import (
    CRM_PROTO,
    GEO_PROTO,
    KW_PROTO,
    NUMS_PROTO,
    PALETTE_PROTO,
    TALLY_PROTO,
    compile_pb2,
    py_case,
)
from wsgen_runtime.codec import DecodeError
from wsgen_runtime.wkt import Duration, Timestamp


def _oracle(tmp_path: Path, name: str, text: str, message: str) -> Any:
    return getattr(compile_pb2(tmp_path, {name: text})[name], message)


# ----------------------------------------------------------------------------- 01 keywords

KW_JSON = {
    "from": "A",
    "class": "c",
    "global": True,
    "async": 3,
    "lambda": "l",
    "None": "n",
    "True": "t",
    "self": "s",
    "cls": "c",
}


def test_keyword_fields_get_a_trailing_underscore_and_keep_their_json_names() -> None:
    kw = py_case("kw").module("kw.v1")
    route = kw.Route(
        from_="A",
        class_="c",
        global_=True,
        async_=3,
        lambda_="l",
        None_="n",
        True_="t",
        self="s",
        cls="c",
    )
    assert json.loads(route.to_json()) == KW_JSON
    again = kw.Route.from_json(json.dumps(KW_JSON))
    assert again == route
    assert json.loads(again.to_json()) == KW_JSON
    assert kw.Route.from_dict(KW_JSON, strict=True) == route


def test_keyword_case_matches_json_format(tmp_path: Path) -> None:
    pb = _oracle(tmp_path, "kw.proto", KW_PROTO, "Route")
    oracle = json_format.Parse(json.dumps(KW_JSON), pb())
    assert json.loads(json_format.MessageToJson(oracle)) == KW_JSON


# ----------------------------------------------------------------------------- 02 recursion


def test_recursive_messages_construct_lazily_and_encode_like_json_format() -> None:
    tree = py_case("tree").module("tree.v1")
    start = time.perf_counter()
    step, group, chain = tree.Step(), tree.Group(), tree.Chain()
    assert time.perf_counter() - start < 0.1
    assert step.group is None and group.inner is None and chain.next is None
    assert step.to_dict() == {} and chain.to_dict() == {}
    built = tree.Step(
        group=tree.Group(
            label="a",
            inner=tree.Step(leaf="x"),
            children=[tree.Step(leaf="y"), tree.Step()],
        )
    )
    expected = {"group": {"label": "a", "inner": {"leaf": "x"}, "children": [{"leaf": "y"}, {}]}}
    assert json.loads(built.to_json()) == expected
    decoded = tree.Step.from_dict(expected)
    assert decoded == built
    assert decoded.group is not None and decoded.leaf is None
    assert decoded.group.inner is not None and decoded.group.inner.leaf == "x"
    assert tree.Step(leaf="").to_dict() == {"leaf": ""}
    assert tree.Step.from_dict({"leaf": ""}) == tree.Step(leaf="")


def _chain(tree: Any, depth: int) -> Any:
    node = None
    for v in range(depth, 0, -1):
        node = tree.Chain(v=v, next=node)
    return node


def test_deep_chain_decodes_to_the_limit_and_fails_clearly_beyond_it() -> None:
    tree = py_case("tree").module("tree.v1")
    ninety = _chain(tree, 90)
    assert tree.Chain.from_json(ninety.to_json()) == ninety
    deep = _chain(tree, 200)
    text = deep.to_json(max_depth=200)  # encoding refuses it by default, as decoding does
    with pytest.raises(DecodeError, match="max_depth=100"):
        tree.Chain.from_json(text)
    assert tree.Chain.from_json(text, max_depth=250) == deep


def test_two_members_of_one_oneof_are_a_decode_error() -> None:
    tree = py_case("tree").module("tree.v1")
    with pytest.raises(DecodeError) as err:
        tree.Step.from_dict({"group": {}, "leaf": "x"})
    assert "oneof" in str(err.value)
    # null members do not count (json_format agrees)
    assert tree.Step.from_dict({"group": None, "leaf": "x"}) == tree.Step(leaf="x")


# ----------------------------------------------------------------------------- 04 map keys

TALLY_JSON = {
    "byId": {"-9007199254740993": "9007199254740993"},
    "byCode": {"7": "seven", "-1": "neg"},
    "byFlag": {"true": "yes", "false": "no"},
    "byBig": {"18446744073709551615": "max"},
    "byName": {"n": "-5"},
}


def test_map_keys_are_strings_on_the_wire_and_typed_in_python(tmp_path: Path) -> None:
    tally = py_case("tally").module("tally.v1")
    t = tally.Tally(
        by_id={-9007199254740993: 9007199254740993},
        by_code={7: "seven", -1: "neg"},
        by_flag={True: "yes", False: "no"},
        by_big={18446744073709551615: "max"},
        by_name={"n": -5},
    )
    assert json.loads(t.to_json()) == TALLY_JSON
    back = tally.Tally.from_json(json.dumps(TALLY_JSON))
    assert back == t
    assert list(back.by_id) == [-9007199254740993]
    assert all(type(k) is bool for k in back.by_flag)
    pb = _oracle(tmp_path, "tally.proto", TALLY_PROTO, "Tally")
    oracle = json_format.Parse(json.dumps(TALLY_JSON), pb())
    assert json.loads(json_format.MessageToJson(oracle)) == TALLY_JSON


@pytest.mark.parametrize(
    "doc",
    [
        {"byFlag": {"1": "x"}},
        {"byFlag": {"True": "x"}},
        {"byCode": {"abc": "x"}},
        {"byId": {"9223372036854775808": "1"}},
        {"byCode": {"2147483648": "x"}},
    ],
)
def test_bad_map_keys_are_rejected_at_their_path(doc: dict[str, Any]) -> None:
    tally = py_case("tally").module("tally.v1")
    with pytest.raises(DecodeError) as err:
        tally.Tally.from_dict(doc)
    field = next(iter(doc))
    assert err.value.path.startswith(f"$.{field}")


# ----------------------------------------------------------------------------- 05 int64

NUMS_JSON = {
    "total": "9007199254740993",
    "bytesSent": "18446744073709551615",
    "delta": "-9007199254740993",
    "checksum": "1",
    "offset": "-1",
    "small": -2147483648,
    "usmall": 4294967295,
    "samples": ["1", "-2", "9007199254740993"],
    "ratio": 0.1,
}


def test_64_bit_integers_are_exact_json_strings(tmp_path: Path) -> None:
    nums = py_case("nums").module("nums.v1")
    c = nums.Counters(
        total=9007199254740993,
        bytes_sent=18446744073709551615,
        delta=-9007199254740993,
        checksum=1,
        offset=-1,
        small=-2147483648,
        usmall=4294967295,
        samples=[1, -2, 9007199254740993],
        ratio=0.1,
    )
    assert json.loads(c.to_json()) == NUMS_JSON
    assert nums.Counters.from_json(json.dumps(NUMS_JSON)) == c
    assert typing.get_type_hints(nums.Counters)["total"] is int
    pb = _oracle(tmp_path, "nums.proto", NUMS_PROTO, "Counters")
    oracle = json_format.Parse(json.dumps(NUMS_JSON), pb())
    assert json.loads(json_format.MessageToJson(oracle)) == NUMS_JSON


@pytest.mark.parametrize(
    ("doc", "attr", "value"),
    [({"total": 5}, "total", 5), ({"total": "5"}, "total", 5), ({"small": "7"}, "small", 7)],
)
def test_integers_decode_from_numbers_and_strings(doc: Any, attr: str, value: int) -> None:
    nums = py_case("nums").module("nums.v1")
    got = getattr(nums.Counters.from_dict(doc), attr)
    assert got == value and type(got) is int


@pytest.mark.parametrize(
    "text",
    ['{"total":1.5}', '{"total":"1.5"}', '{"total":"9223372036854775808"}', '{"total":true}'],
)
def test_bad_integers_are_rejected(text: str) -> None:
    nums = py_case("nums").module("nums.v1")
    with pytest.raises(DecodeError) as err:
        nums.Counters.from_json(text)
    assert err.value.path == "$.total"


def test_huge_exact_integers_never_pass_through_a_float() -> None:
    nums = py_case("nums").module("nums.v1")
    c = nums.Counters.from_json('{"total": 9007199254740993, "samples": [9007199254740993]}')
    assert c.total == 9007199254740993 and c.samples == [9007199254740993]


# ----------------------------------------------------------------------------- 08 wkt

TIMESTAMPS = [
    (1700000000, 123456789, "2023-11-14T22:13:20.123456789Z"),
    (0, 0, "1970-01-01T00:00:00Z"),
    (0, 500000000, "1970-01-01T00:00:00.500Z"),
    (0, 10000000, "1970-01-01T00:00:00.010Z"),
    (0, 123000, "1970-01-01T00:00:00.000123Z"),
    (0, 7, "1970-01-01T00:00:00.000000007Z"),
    (-1, 0, "1969-12-31T23:59:59Z"),
]


@pytest.mark.parametrize(("seconds", "nanos", "text"), TIMESTAMPS)
def test_timestamps_encode_as_rfc3339_utc(seconds: int, nanos: int, text: str) -> None:
    lease = py_case("lease").module("lease.v1")
    doc = lease.Lease(granted_at=Timestamp(seconds, nanos)).to_dict()
    assert doc == {"grantedAt": text}
    assert lease.Lease.from_dict(doc).granted_at == Timestamp(seconds, nanos)


def test_durations_encode_in_protobuf_form() -> None:
    lease = py_case("lease").module("lease.v1")
    steps = [Duration(-1, -500000000), Duration(0, 1000), Duration(3, 0), Duration(0, 1)]
    steps.append(Duration(0, -1))
    doc = lease.Lease(ttl=Duration(1, 500000000), steps=steps).to_dict()
    assert doc == {
        "ttl": "1.500s",
        "steps": ["-1.500s", "0.000001s", "3s", "0.000000001s", "-0.000000001s"],
    }
    assert lease.Lease.from_dict(doc).steps == steps


@pytest.mark.parametrize(
    "text",
    [
        "2023-11-15T00:13:20.123456789+02:00",
        "2023-11-14T17:13:20.123456789-05:00",
    ],
)
def test_timestamp_offsets_are_applied(text: str) -> None:
    lease = py_case("lease").module("lease.v1")
    got = lease.Lease.from_dict({"grantedAt": text})
    assert got.granted_at == Timestamp(1700000000, 123456789)
    assert got.to_dict() == {"grantedAt": "2023-11-14T22:13:20.123456789Z"}
    plain = lease.Lease.from_dict({"grantedAt": "2023-11-14T22:13:20Z"})
    assert plain.granted_at == Timestamp(1700000000, 0)


@pytest.mark.parametrize(
    "doc",
    [
        {"grantedAt": "2023-11-14T22:13:20"},
        {"grantedAt": "2023-11-14 22:13:20Z"},
        {"grantedAt": 1234},
        {"ttl": "1.5"},
        {"ttl": "PT1S"},
        {"ttl": {"seconds": 1}},
        {"ttl": "315576000001s"},
    ],
)
def test_bad_timestamps_and_durations_raise_decode_errors(
    doc: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    lease = py_case("lease").module("lease.v1")
    try:
        with pytest.raises(DecodeError) as err:
            lease.Lease.from_dict(doc)
        assert err.value.path == f"$.{next(iter(doc))}"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


# ----------------------------------------------------------------------------- 11 enums

ENUM_ROWS = [
    (
        {"main": 2, "extra": [1, "SHADE_DARK", 0]},
        {"main": "SHADE_DARK", "extra": ["SHADE_LIGHT", "SHADE_DARK", "SHADE_UNSPECIFIED"]},
    ),
    ({"main": 7}, {"main": 7}),
    ({"extra": [7, 1]}, {"extra": [7, "SHADE_LIGHT"]}),
    (
        {"byName": {"x": 2, "y": "SHADE_LIGHT"}},
        {"byName": {"x": "SHADE_DARK", "y": "SHADE_LIGHT"}},
    ),
    ({"main": None}, {}),
]


@pytest.mark.parametrize(("doc", "encoded"), ENUM_ROWS)
def test_enums_decode_names_and_numbers_and_keep_unknown_numbers(
    doc: dict[str, Any], encoded: dict[str, Any], tmp_path: Path
) -> None:
    art = py_case("palette").module("art.v1")
    palette = art.Palette.from_dict(doc)
    assert json.loads(palette.to_json()) == encoded
    pb = _oracle(tmp_path, "palette.proto", PALETTE_PROTO, "Palette")
    oracle = json_format.Parse(json.dumps(doc), pb())
    assert json.loads(json_format.MessageToJson(oracle)) == encoded


def test_decoded_enum_values_are_members_or_kept_numbers() -> None:
    art = py_case("palette").module("art.v1")
    p = art.Palette.from_dict({"main": 2, "extra": [7, 1]})
    assert p.main is art.Shade.SHADE_DARK
    assert p.extra == [7, art.Shade.SHADE_LIGHT]
    assert type(p.extra[0]) is int and p.extra[1] is art.Shade.SHADE_LIGHT
    assert art.Palette(main=art.Shade.SHADE_UNSPECIFIED).to_dict() == {}


@pytest.mark.parametrize("name", ["SHADE_NEON", "shade_dark"])
def test_unknown_or_miscased_enum_names_are_errors(name: str) -> None:
    art = py_case("palette").module("art.v1")
    with pytest.raises(DecodeError) as err:
        art.Palette.from_dict({"main": name})
    assert err.value.path == "$.main"


# ----------------------------------------------------------------------------- 12 packages

CUSTOMER_JSON = {
    "primary": {"id": "a1", "location": {"street": "1 Main", "city": "Springfield"}},
    "billing": {"street": "PO Box 9", "city": "Shelbyville"},
}


def test_same_message_name_in_two_packages_stays_two_classes(tmp_path: Path) -> None:
    case = py_case("crm")
    crm, geo = case.module("crm.v1"), case.module("geo.v1")
    assert crm.Address is not geo.Address
    hints = typing.get_type_hints(crm.Customer)
    assert hints["primary"] == crm.Address | None
    assert hints["billing"] == geo.Address | None
    assert typing.get_type_hints(crm.Address)["location"] == geo.Address | None
    c = crm.Customer(
        primary=crm.Address(id="a1", location=geo.Address(street="1 Main", city="Springfield")),
        billing=geo.Address(street="PO Box 9", city="Shelbyville"),
    )
    assert json.loads(c.to_json()) == CUSTOMER_JSON
    back = crm.Customer.from_json(json.dumps(CUSTOMER_JSON))
    assert type(back.primary) is crm.Address
    assert type(back.primary.location) is geo.Address
    assert type(back.billing) is geo.Address
    files = {"geo/v1/place.proto": GEO_PROTO, "crm/v1/customer.proto": CRM_PROTO}
    pbs = compile_pb2(tmp_path, files)
    oracle = json_format.Parse(json.dumps(CUSTOMER_JSON), pbs["crm/v1/customer.proto"].Customer())
    assert json.loads(json_format.MessageToJson(oracle)) == CUSTOMER_JSON


# ----------------------------------------------------------------------------- 14 comments


def test_comment_terminators_stay_inside_docstrings() -> None:
    case = py_case("notice")
    notes = case.module("notes.v1")
    source = case.source("notes.v1")
    assert "Matches src/**/*.ts and lib/*/x" in source
    assert notes.Notice(glob="g", inject="i").to_dict() == {"glob": "g", "inject": "i"}
    assert "pwned" not in {n for n in dir(notes)}
