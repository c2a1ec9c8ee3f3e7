"""Bad schema.json input gives diagnostics that point into the file (path:line:col and the JSON
pointer), never a traceback and never a silently looser type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.schemajson_support import DIALECT, errors_of, write_schemas
from wsgen.diagnostics import CompileError
from wsgen.frontends.jsonschema import load_jsonschema_tree


def _defs(**defs: Any) -> dict[str, Any]:
    return {"$schema": DIALECT, "$defs": defs}


def _obj(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


def test_invalid_json_reports_line_and_column(tmp_path: Path) -> None:
    text = '{\n  "$defs": {\n    "A": {"type": "object",}\n  }\n}\n'
    (err,) = errors_of(tmp_path, {"a/v1.schema.json": text})
    assert err.startswith("a/v1.schema.json:3:28: error: invalid JSON: ")
    assert "[WSG401]" in err


def test_duplicate_keys_are_rejected_at_the_second_key(tmp_path: Path) -> None:
    text = '{\n  "$defs": {},\n  "$defs": {}\n}\n'
    (err,) = errors_of(tmp_path, {"a/v1.schema.json": text})
    assert err.startswith('a/v1.schema.json:3:3: error: duplicate key "$defs"')


def test_meta_schema_errors_name_pointer_and_position(tmp_path: Path) -> None:
    text = """\
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$defs": {
            "A": {"type": "object", "properties": {"n": {"type": "strin"}}},
            "B": {"type": "object", "required": "n"}
          }
        }
        """
    errs = errors_of(tmp_path, {"a/v1.schema.json": text})
    assert len(errs) == 2
    assert errs[0].startswith(
        "a/v1.schema.json:4:50#/$defs/A/properties/n/type: error: "
        "not a valid JSON Schema 2020-12: 'strin' is not valid under any of the given schemas"
    ) or errs[0].startswith("a/v1.schema.json:4:50: error: not a valid JSON Schema 2020-12")
    assert "'n' is not of type 'array'" in errs[1]


def test_spans_carry_the_json_pointer(tmp_path: Path) -> None:
    root = write_schemas(tmp_path, {"a/v1.schema.json": _defs(A=_obj(x={"not": {}}))})
    with pytest.raises(CompileError) as info:
        load_jsonschema_tree(root)
    (diag,) = info.value.diagnostics
    assert diag.span is not None
    assert diag.span.pointer == "/$defs/A/properties/x/not"
    assert (diag.span.file, diag.span.line, diag.span.col) == ("a/v1.schema.json", 8, 11)


def test_other_dialects_are_refused(tmp_path: Path) -> None:
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}
    (err,) = errors_of(tmp_path, {"a/v1.schema.json": schema})
    assert 'unsupported JSON Schema dialect "http://json-schema.org/draft-07/schema#"' in err
    assert "hint: wsgen reads JSON Schema 2020-12" in err


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"not": {"type": "string"}}, '"not": negation cannot be turned into a type'),
        ({"type": "string", "if": {}, "then": {}}, '"if": conditional schemas'),
        ({"type": "array", "prefixItems": [{}]}, "tuples (prefixItems) are not supported"),
        (
            {"allOf": [{"type": "string"}, {"minLength": 1}]},
            '"allOf" is supported only with one subschema',
        ),
        ({"type": "null"}, "a value that can only be null has no type"),
        ({"minLength": 2}, '"minLength" without "type": the schema accepts any JSON value'),
        ({"enum": [1, 2]}, 'only string values are supported in an "enum"'),
        (
            {"oneOf": [{"type": "integer"}, {"type": "number"}]},
            "two variants of this union are JSON numbers",
        ),
        ({"anyOf": [{"type": "string"}, {}]}, "a variant that accepts any JSON value"),
        (
            {"oneOf": [{"type": "integer"}, {"const": "99+"}]},
            "a const inside one variant of a JSON-type union",
        ),
        (
            {"type": "integer", "format": "int64"},
            'a JSON integer with "format": "int64" is ambiguous',
        ),
        ({"type": "string", "x-wsgen-type": "int32"}, '"x-wsgen-type": "int32" travels as JSON'),
        ({"type": "string", "x-wsgen-type": "int31"}, 'unknown "x-wsgen-type": "int31"'),
        ({"type": "string", "x-wsgen-frobnicate": 1}, "unknown or misplaced wsgen keyword"),
        ({"type": "string", "minItems": 1}, '"minItems" does not apply to a JSON string'),
        (
            {"type": "array", "items": {"type": "array", "minItems": 1}},
            "constraints on array items are not supported on a nested array or map",
        ),
        (
            {
                "oneOf": [
                    {"type": "array", "items": {"maxLength": 3, "type": "string"}},
                    {"type": "integer"},
                ]
            },
            "constraints on array items are not supported inside a union of JSON types",
        ),
        (
            {"type": "object", "propertyNames": {"pattern": "^a"}},
            'only {"x-wsgen-type": "<proto scalar>"} is supported in "propertyNames"',
        ),
        ({"type": "string", "default": 3}, None),
        ({"$ref": "#/$defs/A", "type": "object"}, '"$ref" beside'),
    ],
)
def test_what_wsgen_cannot_represent_is_an_error(
    tmp_path: Path, schema: dict[str, Any], message: str | None
) -> None:
    files = {"a/v1.schema.json": _defs(A=_obj(x=schema))}
    if message is None:
        return  # documented as accepted: defaults are annotations (see the mapping tests)
    errs = errors_of(tmp_path, files)
    assert any(message in e for e in errs), errs
    assert all(e.startswith("a/v1.schema.json:") for e in errs)


def test_required_key_without_a_property(tmp_path: Path) -> None:
    schema = _defs(A={"type": "object", "properties": {}, "required": ["id"]})
    (err,) = errors_of(tmp_path, {"a/v1.schema.json": schema})
    assert 'required property "id" is not declared in "properties"' in err


def test_unresolvable_ref_points_at_the_ref(tmp_path: Path) -> None:
    schema = _defs(A=_obj(x={"$ref": "#/$defs/Missing"}))
    (err,) = errors_of(tmp_path, {"a/v1.schema.json": schema})
    assert err.startswith('a/v1.schema.json:8:11: error: cannot resolve "$ref": "#/$defs/Missing"')


def test_ref_to_a_file_outside_the_schema_files(tmp_path: Path) -> None:
    files = {
        "a/v1.schema.json": _defs(A=_obj(x={"$ref": "common.json#/$defs/B"})),
        "a/common.json": {"$defs": {"B": {"type": "string"}}},
    }
    (err,) = errors_of(tmp_path, files)
    assert "points outside the schema files of the IDL folder" in err


def test_ref_to_the_network_is_refused(tmp_path: Path) -> None:
    schema = _defs(A=_obj(x={"$ref": "https://example.com/s.json"}))
    (err,) = errors_of(tmp_path, {"a/v1.schema.json": schema})
    assert "wsgen resolves references only within the IDL folder" in err


def test_ref_cycle_without_a_type(tmp_path: Path) -> None:
    schema = _defs(
        A=_obj(x={"$ref": "#/$defs/B"}), B={"$ref": "#/$defs/C"}, C={"$ref": "#/$defs/B"}
    )
    errs = errors_of(tmp_path, {"a/v1.schema.json": schema})
    assert any("recursive type alias" in e or "reference cycle" in e for e in errs), errs


def test_recursive_alias_that_never_reaches_an_object(tmp_path: Path) -> None:
    schema = _defs(
        A=_obj(x={"$ref": "#/$defs/Tree"}),
        Tree={"type": "array", "items": {"$ref": "#/$defs/Tree"}},
    )
    errs = errors_of(tmp_path, {"a/v1.schema.json": schema})
    assert any("recursive type alias" in e for e in errs), errs
    assert any("hint: recursion must go through a message" in e for e in errs)


def test_union_of_objects_without_a_discriminator(tmp_path: Path) -> None:
    schema = _defs(
        U={"oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]},
        A=_obj(a={"type": "string"}),
        B=_obj(b={"type": "string"}),
    )
    (err,) = errors_of(tmp_path, {"a/v1.schema.json": schema})
    assert 'the variants of union "a.v1.U" have no common discriminator property' in err


def test_union_whose_discriminator_is_not_required(tmp_path: Path) -> None:
    schema = _defs(
        U={"oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]},
        A=_obj(type={"const": "a"}),
        B={**_obj(type={"const": "b"}), "required": ["type"]},
    )
    (err,) = errors_of(tmp_path, {"a/v1.schema.json": schema})
    assert 'variant "a.v1.A" of union "a.v1.U" does not require the discriminator "type"' in err


def test_union_with_duplicate_discriminator_values(tmp_path: Path) -> None:
    a = {**_obj(type={"const": "x"}), "required": ["type"]}
    schema = _defs(U={"oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]}, A=a, B=a)
    (err,) = errors_of(tmp_path, {"a/v1.schema.json": schema})
    assert 'share the discriminator value "x"' in err


def test_discriminator_mapping_that_disagrees_with_the_consts(tmp_path: Path) -> None:
    a = {**_obj(type={"const": "a"}), "required": ["type"]}
    b = {**_obj(type={"const": "b"}), "required": ["type"]}
    union = {
        "oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}],
        "discriminator": {"propertyName": "type", "mapping": {"a": "#/$defs/B"}},
    }
    (err,) = errors_of(tmp_path, {"a/v1.schema.json": _defs(U=union, A=a, B=b)})
    assert 'discriminator mapping "a" → "#/$defs/B" disagrees with the variants' in err


def test_mixed_object_and_scalar_variants_need_their_own_union(tmp_path: Path) -> None:
    a = {**_obj(type={"const": "a"}), "required": ["type"]}
    b = {**_obj(type={"const": "b"}), "required": ["type"]}
    union = {"oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}, {"type": "string"}]}
    (err,) = errors_of(tmp_path, {"a/v1.schema.json": _defs(U=union, A=a, B=b)})
    assert 'variant 3 of union "a.v1.U" is not an object with properties' in err


def test_package_cannot_be_derived_from_a_path_with_dashes(tmp_path: Path) -> None:
    (err,) = errors_of(tmp_path, {"chat-app/v1.schema.json": _defs(A=_obj())})
    assert 'cannot derive a package name from the path "chat-app/v1.schema.json"' in err
    assert 'hint: set "x-wsgen-package"' in err


def test_definition_names_must_be_identifiers(tmp_path: Path) -> None:
    (err,) = errors_of(tmp_path, {"a/v1.schema.json": _defs(**{"user-profile": _obj()})})
    assert 'definition name "user-profile" is not an identifier' in err


def test_the_same_name_declared_by_two_files_of_a_package(tmp_path: Path) -> None:
    files = {
        "a/one.schema.json": {**_defs(A=_obj()), "x-wsgen-package": "a.v1"},
        "a/two.schema.json": {**_defs(A=_obj()), "x-wsgen-package": "a.v1"},
    }
    (err,) = errors_of(tmp_path, files)
    assert '"a.v1.A" is declared twice' in err
    assert "note: first declared here" in err


def test_frame_needs_type_and_direction(tmp_path: Path) -> None:
    schema = _defs(A={**_obj(), "x-wsgen-frame": {}}, B={**_obj(), "x-wsgen-frame": {"type": "b"}})
    errs = errors_of(tmp_path, {"a/v1.schema.json": schema})
    assert any('frame "a.v1.A" has no discriminator value [WSG303]' in e for e in errs), errs
    assert any("needs a direction" in e and "[WSG304]" in e for e in errs), errs


def test_flat_frame_type_must_agree_with_the_discriminator_const(tmp_path: Path) -> None:
    schema = {
        **_defs(
            A={
                **_obj(type={"const": "a"}),
                "x-wsgen-frame": {"type": "b", "direction": "both"},
            }
        ),
        "x-wsgen-framing": "flat",
    }
    (err,) = errors_of(tmp_path, {"a/v1.schema.json": schema})
    assert 'says type "b" but its "type" property is the const \'a\'' in err


def test_envelope_framing_has_no_configurable_discriminator(tmp_path: Path) -> None:
    schema = {**_defs(), "x-wsgen-framing": "envelope", "x-wsgen-discriminator": "op"}
    (err,) = errors_of(tmp_path, {"a/v1.schema.json": schema})
    assert 'envelope framing always discriminates on the envelope\'s "type"' in err


def test_files_of_a_package_must_agree_on_framing(tmp_path: Path) -> None:
    files = {
        "a/one.schema.json": {**_defs(), "x-wsgen-package": "a.v1", "x-wsgen-framing": "flat"},
        "a/two.schema.json": {**_defs(), "x-wsgen-package": "a.v1", "x-wsgen-framing": "envelope"},
    }
    (err,) = errors_of(tmp_path, files)
    assert "declare different catalog framings [WSG302]" in err


def test_errors_of_a_pass_are_all_reported_sorted(tmp_path: Path) -> None:
    schema = _defs(
        A=_obj(x={"not": {}}, y={"type": "string", "minItems": 1}),
        B=_obj(z={"if": {}}),
    )
    errs = errors_of(tmp_path, {"a/v1.schema.json": schema})
    assert len(errs) == 3
    lines = [int(e.split(":")[1]) for e in errs]
    assert lines == sorted(lines)
