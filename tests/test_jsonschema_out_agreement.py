"""Agreement: every value the generated Python codec writes validates under the JSON Schema wsgen
emits for the same model, with Python ``jsonschema`` and with ajv (strict mode, one node run for
the whole module), under the default and the strict bundles; so do whole frames written by the
generated frame encoders, control frames included.

Values come from ``pyhelpers.strategy_for`` (strategies built from the IR), for every message
of every Python test case: the shared cases, the example product, the protobuf conformance
messages and the schema.json inputs."""

from __future__ import annotations

import functools
import json
from dataclasses import replace
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.jsonschema_out_support import AjvBatch, bundles_of, node_available, python_validator
from tests.pyhelpers import py_case, py_tree, strategy_for
from wsgen.backends.jsonschema import bundle_file_name
from wsgen.backends.options import BuildOptions
from wsgen.ir import model as ir
from wsgen_runtime import framing

Json = dict[str, Any]

CASES = sorted(py_tree().cases)
MESSAGES = [(c, m.full_name) for c in CASES for m in py_case(c).model.messages()]
FRAMES = [
    (c, f.message, side)
    for c in CASES
    for p in py_case(c).model.packages
    if p.catalog is not None
    for f in p.catalog.frames
    for side, inbound in (
        ("client", f.direction.inbound_for_server()),
        ("server", f.direction.inbound_for_client()),
    )
    if inbound
]
MODES = (False, True)  # jsonschema_strict


def _without_facets(model: ir.Model) -> ir.Model:
    """The model with every facet but ``const`` removed. Facets (minItems, pattern, format …)
    are the contract's and stay in the schema, but the encoder writes whatever an object
    holds and the IR strategies do not draw within facets, so agreement is about the JSON
    form of each type; tests/test_jsonschema_out_shapes.py checks the facets themselves."""

    def field(f: ir.Field) -> ir.Field:
        return replace(f, constraints=ir.Constraints(const=f.constraints.const))

    def message(m: ir.Message) -> ir.Message:
        return replace(m, fields=tuple(field(f) for f in m.fields))

    return replace(
        model,
        packages=tuple(
            replace(p, messages=tuple(message(m) for m in p.messages)) for p in model.packages
        ),
    )


@functools.cache
def _bundles(case: str, strict: bool) -> dict[str, Json]:
    options = BuildOptions(elide_version=True, jsonschema_strict=strict)
    return bundles_of(_without_facets(py_case(case).model), options)


def _package_of(case: str, full_name: str) -> str:
    return py_case(case).model.index().messages[full_name].package


def _message_ref(case: str, full_name: str) -> str:
    file = _bundles(case, False)  # any mode: $ids do not depend on it
    pkg = _package_of(case, full_name)
    (uri,) = (u for u, d in file.items() if d["x-wsgen-package"] == pkg)
    return f"{uri}#/$defs/{full_name}"


def _frame_ref(case: str, package: str, side: str) -> str:
    (uri,) = (u for u, d in _bundles(case, False).items() if d["x-wsgen-package"] == package)
    direction = "client_to_server" if side == "client" else "server_to_client"
    pointer = _bundles(case, False)[uri]["x-wsgen-catalog"]["directions"][direction]
    return uri + pointer


@functools.cache
def _validator(case: str, strict: bool, ref: str) -> jsonschema.Draft202012Validator:
    return python_validator(_bundles(case, strict), ref)


def _assert_valid(case: str, ref: str, doc: Any) -> None:
    for strict in MODES:
        errors = [
            f"{list(e.absolute_path)}: {e.message}"
            for e in _validator(case, strict, ref).iter_errors(doc)
        ]
        assert not errors, (f"strict={strict}", ref, json.dumps(doc)[:400], errors[:3])


def _encode_frame(case: str, full_name: str, side: str, value: Any) -> Json:
    c = py_case(case)
    pkg = c.model.index().packages[_package_of(case, full_name)]
    assert pkg.catalog is not None
    encode = getattr(c.module(pkg.name), f"encode_{side}_frame")
    if pkg.catalog.framing.kind is ir.FramingKind.ENVELOPE:
        text = encode(value, seq=framing.SeqCounter())
    else:
        text = encode(value)
    doc: Json = json.loads(text)
    return doc


# ----------------------------------------------------------------------------- jsonschema


@pytest.mark.parametrize(("case", "full_name"), MESSAGES, ids=[f"{c}:{m}" for c, m in MESSAGES])
@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_jsonschema_accepts_what_the_python_codec_writes(
    case: str, full_name: str, data: Any
) -> None:
    value = data.draw(strategy_for(py_case(case), full_name))
    _assert_valid(case, _message_ref(case, full_name), json.loads(value.to_json()))


@pytest.mark.parametrize(
    ("case", "full_name", "side"), FRAMES, ids=[f"{c}:{m}:{s}" for c, m, s in FRAMES]
)
@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_jsonschema_accepts_the_frames_the_python_encoders_write(
    case: str, full_name: str, side: str, data: Any
) -> None:
    value = data.draw(strategy_for(py_case(case), full_name, depth=2))
    doc = _encode_frame(case, full_name, side, value)
    _assert_valid(case, _frame_ref(case, _package_of(case, full_name), side), doc)


CONTROLS = st.one_of(
    st.builds(
        framing.Hello, st.text(max_size=5), st.text(max_size=5), st.none() | st.text(max_size=5)
    ),
    st.builds(framing.Ack, st.lists(st.text(max_size=4), max_size=3).map(tuple)),
    st.builds(
        framing.ErrorFrame,
        st.integers(0, 99999),
        st.text(max_size=5),
        st.text(max_size=5),
        st.none() | st.text(max_size=5),
        st.none() | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    ),
    st.builds(framing.Ping, st.none() | st.text(max_size=5)),
    st.builds(framing.Pong, st.none() | st.text(max_size=5)),
)
ENVELOPE_CASES = sorted(
    {
        (c, p.name)
        for c, _, _ in FRAMES
        for p in py_case(c).model.packages
        if p.catalog is not None and p.catalog.framing.kind is ir.FramingKind.ENVELOPE
    }
)


@pytest.mark.parametrize(("case", "package"), ENVELOPE_CASES)
@settings(max_examples=30)
@given(control=CONTROLS)
def test_jsonschema_accepts_control_frames_in_both_directions(
    case: str, package: str, control: Any
) -> None:
    doc = json.loads(framing.encode_control(control, seq=framing.SeqCounter()))
    for side in ("client", "server"):
        _assert_valid(case, _frame_ref(case, package, side), doc)


# ----------------------------------------------------------------------------- ajv


@pytest.fixture(scope="module")
def ajv_verdicts() -> dict[str, list[tuple[str, Any, Json]]]:
    """Draw documents for every message and frame of every case, then run ajv once over all of
    them, against the default and the strict bundles: name → [(ref, document, verdict)]."""
    if not node_available():
        pytest.skip("node and node_modules/ajv are needed (make dev-deps)")
    docs: dict[str, list[tuple[str, Any]]] = {c: [] for c in CASES}

    @settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def draw_message(case: str, full_name: str, data: Any) -> None:
        value = data.draw(strategy_for(py_case(case), full_name))
        docs[case].append((_message_ref(case, full_name), json.loads(value.to_json())))

    @settings(max_examples=5, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def draw_frame(case: str, full_name: str, side: str, data: Any) -> None:
        value = data.draw(strategy_for(py_case(case), full_name, depth=2))
        ref = _frame_ref(case, _package_of(case, full_name), side)
        docs[case].append((ref, _encode_frame(case, full_name, side, value)))

    for case, full_name in MESSAGES:
        draw_message(case, full_name)
    for case, full_name, side in FRAMES:
        draw_frame(case, full_name, side)
    batch = AjvBatch()
    for case in CASES:
        for strict in MODES:
            batch.add(f"{case}/{strict}", _bundles(case, strict), docs[case])
    results = batch.run()
    out: dict[str, list[tuple[str, Any, Json]]] = {}
    for name, result in results.items():
        assert result["compileErrors"] == [], (name, result["compileErrors"][:3])
        case = name.split("/")[0]
        out[name] = [
            (ref, doc, v) for (ref, doc), v in zip(docs[case], result["verdicts"], strict=True)
        ]
    return out


@pytest.mark.parametrize("strict", MODES, ids=["default", "strict"])
@pytest.mark.parametrize("case", CASES)
def test_ajv_accepts_what_the_python_codec_writes(
    case: str, strict: bool, ajv_verdicts: dict[str, list[tuple[str, Any, Json]]]
) -> None:
    checked = ajv_verdicts[f"{case}/{strict}"]
    assert checked
    bad = [
        (ref, json.dumps(doc)[:300], v["errors"][:3])
        for ref, doc, v in checked
        if v["valid"] is not True
    ]
    assert not bad, bad[:3]


def test_every_case_has_a_bundle_per_package() -> None:
    for case in CASES:
        model = py_case(case).model
        assert set(_bundles(case, False)) == {
            bundle_file_name(p.name).replace(" ", "%20") for p in model.packages
        }
