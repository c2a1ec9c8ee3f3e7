// Validate a batch of documents with ajv, the way a front end uses wsgen's JSON Schema output:
// Ajv2020 + ajv-formats, strict mode, wsgen's x-wsgen-* keywords registered as annotations.
// One node process handles a whole batch, so tests pay node's start-up once, not per document.
//
// Input (a file named as the first argument, or stdin), JSON:
//   {"annotationKeywords": ["x-wsgen-frame", ...],            // optional; defaults below
//    "cases": [{"name": "tree",
//               "schemaFiles": ["/abs/tree.v1.schema.json"], // and/or "schemas": [{...}]
//               "checks": [{"ref": "tree.v1.schema.json#/$defs/tree.v1.Step", "document": {}}]}]}
// Output (stdout), JSON:
//   {"cases": [{"name": "tree", "compileErrors": ["..."],
//               "verdicts": [{"valid": true, "errors": []}, ...]}]}
// Every case gets a fresh Ajv, so bundles with the same $id in different cases never clash.
// Every $defs entry of every schema is compiled, so strict-mode errors anywhere are reported.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const DEFAULT_ANNOTATIONS = [
  "x-wsgen-catalog",
  "x-wsgen-discriminator",
  "x-wsgen-enum-numbers",
  "x-wsgen-enum-values",
  "x-wsgen-errors",
  "x-wsgen-frame",
  "x-wsgen-framing",
  "x-wsgen-name",
  "x-wsgen-oneof",
  "x-wsgen-package",
  "x-wsgen-presence",
  "x-wsgen-reserved-names",
  "x-wsgen-type",
  "x-wsgen-union",
];

function newAjv(annotations) {
  const ajv = new Ajv2020({ strict: true, allErrors: false });
  addFormats(ajv);
  ajv.addVocabulary(annotations);
  return ajv;
}

function defRef(id, key) {
  const token = key.replaceAll("~", "~0").replaceAll("/", "~1");
  return `${id}#/$defs/${encodeURIComponent(token)}`;
}

function describe(errors) {
  return (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message} (${e.schemaPath})`);
}

function runCase(c, annotations) {
  const ajv = newAjv(annotations);
  const compileErrors = [];
  const schemas = [
    ...(c.schemaFiles ?? []).map((f) => JSON.parse(readFileSync(f, "utf8"))),
    ...(c.schemas ?? []),
  ];
  for (const schema of schemas) {
    try {
      ajv.addSchema(schema);
    } catch (e) {
      compileErrors.push(`${schema.$id}: ${e.message}`);
    }
  }
  if (compileErrors.length === 0) {
    for (const schema of schemas) {
      for (const ref of [schema.$id, ...Object.keys(schema.$defs ?? {}).map((k) => defRef(schema.$id, k))]) {
        try {
          if (!ajv.getSchema(ref)) compileErrors.push(`${ref}: not found`);
        } catch (e) {
          compileErrors.push(`${ref}: ${e.message}`);
        }
      }
    }
  }
  const verdicts = (c.checks ?? []).map((check) => {
    if (compileErrors.length) return { valid: null, errors: ["schemas did not compile"] };
    let validate;
    try {
      validate = ajv.getSchema(check.ref);
    } catch (e) {
      return { valid: null, errors: [`${check.ref}: ${e.message}`] };
    }
    if (!validate) return { valid: null, errors: [`${check.ref}: not found`] };
    const valid = validate(check.document);
    return { valid, errors: valid ? [] : describe(validate.errors) };
  });
  return { name: c.name, compileErrors, verdicts };
}

const input = JSON.parse(readFileSync(process.argv[2] ?? 0, "utf8"));
const annotations = input.annotationKeywords ?? DEFAULT_ANNOTATIONS;
const result = { cases: (input.cases ?? []).map((c) => runCase(c, annotations)) };
process.stdout.write(JSON.stringify(result) + "\n");
