"""Helpers for testing the JSON Schema backend: render bundles, validate with Python
``jsonschema`` (bundles registered with ``referencing``) and with ajv under Node, batched so
node starts once per test module rather than once per document."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import referencing
from referencing.jsonschema import DRAFT202012

from wsgen.backends.jsonschema import ANNOTATION_KEYWORDS, render_jsonschema
from wsgen.backends.options import BuildOptions
from wsgen.ir import model as ir

__all__ = [
    "AjvBatch",
    "Check",
    "bundles_of",
    "def_ref",
    "node_available",
    "python_validator",
]

REPO = Path(__file__).resolve().parent.parent
AJV_BATCH = REPO / "tests" / "js" / "ajv_batch.mjs"

Json = dict[str, Any]


def bundles_of(model: ir.Model, options: BuildOptions | None = None) -> dict[str, Json]:
    """Render ``model`` and parse every bundle: ``$id`` → document."""
    out = render_jsonschema(model, options or BuildOptions(elide_version=True))
    docs = [json.loads(text) for text in out.values()]
    return {d["$id"]: d for d in docs}


def def_ref(package: str, full_name: str) -> str:
    """The URI of one definition, as a consumer of the bundles would write it."""
    return f"{package}.schema.json#/$defs/{full_name}"


def python_validator(bundles: dict[str, Json], ref: str) -> jsonschema.Draft202012Validator:
    """A validator for ``ref`` with every bundle registered under its ``$id``."""
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        (uri, DRAFT202012.create_resource(doc)) for uri, doc in bundles.items()
    )
    return jsonschema.Draft202012Validator({"$ref": ref}, registry=registry)


def node_available() -> bool:
    return shutil.which("node") is not None and (REPO / "node_modules" / "ajv").is_dir()


@dataclass(frozen=True, slots=True)
class Check:
    """One document to validate against ``ref``; ``valid`` is the expected verdict."""

    ref: str
    document: Any
    valid: bool = True


@dataclass
class AjvBatch:
    """Collect (bundles, documents) cases, then run them all in one ``node`` process."""

    cases: list[Json] = field(default_factory=list)

    def add(self, name: str, bundles: dict[str, Json], documents: list[tuple[str, Any]]) -> None:
        self.cases.append(
            {
                "name": name,
                "schemas": list(bundles.values()),
                "checks": [{"ref": ref, "document": doc} for ref, doc in documents],
            }
        )

    def run(self) -> dict[str, Json]:
        """name → {"compileErrors": [...], "verdicts": [{"valid": bool, "errors": [...]}]}."""
        payload = json.dumps({"annotationKeywords": list(ANNOTATION_KEYWORDS), "cases": self.cases})
        proc = subprocess.run(
            ["node", str(AJV_BATCH)],
            input=payload,
            capture_output=True,
            text=True,
            cwd=REPO,
            check=False,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        return {c["name"]: c for c in json.loads(proc.stdout)["cases"]}
