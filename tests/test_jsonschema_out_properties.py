"""Property tests of the JSON Schema backend over random IR: whatever the model, the bundles pass
the 2020-12 meta-schema, ajv compiles every definition in strict mode (one node run for all
examples), references resolve, and rendering is a pure function of the model."""

from __future__ import annotations

import json
import string
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.jsonschema_out_support import AjvBatch, bundles_of, node_available, python_validator
from wsgen.backends.jsonschema import render_jsonschema
from wsgen.backends.options import BuildOptions
from wsgen.ir import model as ir

Json = dict[str, Any]

_WORD = st.text(string.ascii_letters + string.digits + "_", min_size=1, max_size=8)
# JSON names and definition names a schema.json input could bring.
_ODD = st.sampled_from(["a/b", "t~1", "sp ace", "%25", "ü", "#frag", "$ref", "", "from"])
_DOC = st.one_of(
    st.just(""),
    st.text(max_size=20),
    st.sampled_from(["*/ x /*", "line\nline", "\ud800 lone", '"quoted" \\ back']),
)
_PATTERNS = st.sampled_from(["^[a-z]+$", "^[0-9]{2,4}$", "x|y", "^\\w+$"])
_FORMATS = st.sampled_from(["date-time", "uuid", "email", "uri", "date"])
_NUM = st.one_of(st.integers(-(2**40), 2**40), st.floats(-1e6, 1e6, allow_nan=False))
_SCALARS = st.sampled_from(list(ir.Scalar))
_KEYS = st.sampled_from(
    [s for s in ir.Scalar if s.is_integer or s in (ir.Scalar.STRING, ir.Scalar.BOOL)]
)


def _opt(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), s)


_CONSTRAINTS = st.builds(
    ir.Constraints,
    minimum=_opt(_NUM),
    maximum=_opt(_NUM),
    exclusive_minimum=_opt(_NUM),
    multiple_of=_opt(st.integers(1, 5)),
    min_length=_opt(st.integers(0, 3)),
    max_length=_opt(st.integers(3, 9)),
    pattern=_opt(_PATTERNS),
    format=_opt(_FORMATS),
    min_items=_opt(st.integers(0, 2)),
    max_items=_opt(st.integers(2, 5)),
    unique_items=st.booleans(),
    min_properties=_opt(st.integers(0, 2)),
    max_properties=_opt(st.integers(2, 5)),
    const=_opt(st.one_of(st.text(max_size=3), st.integers(-5, 5), st.booleans())),
)


@st.composite
def models(draw: st.DrawFn) -> ir.Model:
    """One or two packages of messages, enums and unions that refer to each other (cycles and
    cross-package references included), sometimes with a catalog."""
    pkg_names = draw(
        st.lists(
            st.one_of(_WORD.map(lambda w: f"{w}.v1"), _ODD), min_size=1, max_size=2, unique=True
        )
    )
    plan: dict[str, tuple[list[str], list[str]]] = {}
    for p in pkg_names:
        msg_names = draw(st.lists(st.one_of(_WORD, _ODD), min_size=1, max_size=4, unique=True))
        enum_names = draw(st.lists(_WORD.map(lambda w: "E" + w), max_size=2, unique=True))
        enum_names = [e for e in enum_names if e not in msg_names]
        plan[p] = ([f"{p}.{m}" for m in msg_names], [f"{p}.{e}" for e in enum_names])
    all_msgs = [m for ms, _ in plan.values() for m in ms]
    all_enums = [e for _, es in plan.values() for e in es]

    leaf: list[st.SearchStrategy[ir.FieldType]] = [
        _SCALARS.map(ir.ScalarType),
        st.sampled_from(list(ir.WellKnown)).map(ir.WellKnownType),
        st.just(ir.AnyJsonType()),
        st.sampled_from(all_msgs).map(ir.MessageRef),
    ]
    if all_enums:
        leaf.append(st.sampled_from(all_enums).map(ir.EnumRef))
    single = st.one_of(*leaf)
    field_type = st.one_of(
        single,
        st.builds(ir.ListType, single, st.booleans()),
        st.builds(ir.MapType, _KEYS, single, st.booleans()),
        st.lists(
            st.sampled_from(
                [
                    ir.ScalarType(ir.Scalar.STRING),
                    ir.ScalarType(ir.Scalar.INTEGER),
                    ir.ScalarType(ir.Scalar.BOOL),
                    ir.MessageRef(all_msgs[0]),
                ]
            ),
            min_size=2,
            max_size=3,
            unique=True,
        ).map(lambda vs: ir.JsonUnionType(tuple(vs))),
    )

    packages = []
    for p, (msg_names, enum_names) in plan.items():
        messages = []
        for full in msg_names:
            json_names = draw(st.lists(st.one_of(_WORD, _ODD), max_size=5, unique=True))
            oneof = draw(st.sampled_from([None, "choice"]))
            fields = tuple(
                ir.Field(
                    name=f"f{i}",
                    json_name=jn,
                    type=draw(field_type),
                    presence=draw(st.sampled_from(list(ir.Presence))),
                    nullable=draw(st.booleans()),
                    oneof=oneof if i < 3 else None,
                    deprecated=draw(st.booleans()),
                    doc=draw(_DOC),
                    constraints=draw(_CONSTRAINTS),
                    default=draw(st.sampled_from([None, 1, "x", float("nan"), True])),
                    has_default=draw(st.booleans()),
                )
                for i, jn in enumerate(json_names)
            )
            messages.append(
                ir.Message(
                    full_name=full,
                    name=full.rsplit(".", 1)[-1],
                    package=p,
                    fields=fields,
                    oneofs=(ir.Oneof("choice"),) if oneof and fields else (),
                    doc=draw(_DOC),
                    deprecated=draw(st.booleans()),
                    additional_properties=draw(st.one_of(st.none(), single)),
                )
            )
        enums = tuple(
            ir.Enum(
                full_name=full,
                name=full.rsplit(".", 1)[-1],
                package=p,
                values=tuple(
                    ir.EnumValue(v, number=i)
                    for i, v in enumerate(
                        draw(st.lists(_WORD, min_size=1, max_size=3, unique=True))
                    )
                ),
                open=draw(st.booleans()),
                doc=draw(_DOC),
            )
            for full in enum_names
        )
        unions: tuple[ir.Union, ...] = ()
        if draw(st.booleans()):
            members = draw(st.lists(st.sampled_from(all_msgs), min_size=1, max_size=3, unique=True))
            unions = (
                ir.Union(
                    f"{p}.AnyOf",
                    "AnyOf",
                    p,
                    draw(st.sampled_from(["type", "kind"])),
                    tuple(ir.UnionVariant(f"v{i}", m) for i, m in enumerate(members)),
                ),
            )
            messages = [m for m in messages if m.full_name != f"{p}.AnyOf"]
        catalog = None
        if draw(st.booleans()):
            kind = draw(st.sampled_from(list(ir.FramingKind)))
            frames = tuple(
                ir.Frame(m, f"t.{i}", draw(st.sampled_from(list(ir.Direction))), f"h{i}")
                for i, m in enumerate(m.full_name for m in messages)
            )
            disc = (
                "type" if kind is ir.FramingKind.ENVELOPE else draw(st.sampled_from(["type", "op"]))
            )
            catalog = ir.Catalog(p, ir.Framing(kind, disc), frames)
        packages.append(
            ir.Package(
                p,
                (f"{p}.proto",),
                messages=tuple(messages),
                enums=enums,
                unions=unions,
                catalog=catalog,
            )
        )
    return ir.Model(tuple(sorted(packages, key=lambda k: k.name)))


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


@pytest.mark.parametrize("strict", [False, True])
def test_any_model_gives_schemas_that_both_validators_accept(strict: bool) -> None:
    options = BuildOptions(elide_version=True, jsonschema_strict=strict)
    collected: list[dict[str, Json]] = []

    @settings(max_examples=40)
    @given(models())
    def check(model: ir.Model) -> None:
        bundles = bundles_of(model, options)
        for doc in bundles.values():
            jsonschema.Draft202012Validator.check_schema(doc)
            # every $ref resolves (Python side): validating {} walks nothing, so resolve directly
            for ref in _refs(doc):
                base = doc["$id"]
                target = ref if not ref.startswith("#") else base + ref
                python_validator(bundles, target).is_valid(None)
        # rendering is a pure function of the model
        assert render_jsonschema(model, options) == render_jsonschema(model, options)
        collected.append(bundles)

    check()
    if not node_available():
        pytest.skip("node and node_modules/ajv are needed (make dev-deps)")
    batch = AjvBatch()
    for i, bundles in enumerate(collected):
        batch.add(str(i), bundles, [])
    results = batch.run()
    for i, bundles in enumerate(collected):
        errors = results[str(i)]["compileErrors"]
        assert errors == [], (errors, json.dumps(bundles)[:2000])
