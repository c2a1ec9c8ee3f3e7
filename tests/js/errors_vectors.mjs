// The TypeScript side of the cross-language error vectors (tests/vectors/errors.json): every
// input runs through the generated TypeScript (compiled to JS by tsc) and the answers are printed
// as one JSON array, in the shape tests/errors_vectors.py gives for Python. One node process runs
// every vector.
//
// Usage: node errors_vectors.mjs <vectors.json> <dir with wsgen-errors.js and chat/v1.errors.js>
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [vectorsPath, outDir] = process.argv.slice(2);
const support = await import(pathToFileURL(join(outDir, "wsgen-errors.js")).href);
const catalog = await import(pathToFileURL(join(outDir, "chat", "v1.errors.js")).href);
const { classifyClose, decide, formatCloseReason, parseCloseReason, resolveAction } = support;
const table = catalog.TABLE;

function raw(value) {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "hex") {
      const hex = value.hex;
      const bytes = new Uint8Array(hex.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
      return bytes;
    }
  }
  return value;
}

function info(i) {
  return {
    code: i.code,
    name: i.name,
    layer: i.layer,
    httpStatus: i.httpStatus,
    grpcStatus: i.grpcStatus,
    closeCode: i.closeCode,
    action: i.action,
    retryable: i.retryable,
  };
}

function decision(d) {
  return {
    code: d.info.code,
    name: d.info.name,
    action: d.action,
    reconnect: d.reconnect,
    resend: d.resend,
    notify: d.notify,
    login: d.login,
    retryAfterMs: d.retryAfterMs,
  };
}

function reason(r) {
  return r === null ? null : { name: r.name, httpStatus: r.httpStatus, retryAfterMs: r.retryAfterMs };
}

function run(kind, data) {
  switch (kind) {
    case "lookup": {
      const found = table.lookup(data.code, data.name);
      return { info: info(found), decision: decision(decide(found)) };
    }
    case "close": {
      const c = classifyClose(data.code, raw(data.reason), table);
      const hint = c.reason === null ? null : c.reason.retryAfterMs;
      const d = decide(c.info, {
        closeCode: c.closeCode,
        retryAfterMs: hint,
        reauthenticated: Boolean(data.reauthenticated),
      });
      return { info: info(c.info), closeCode: c.closeCode, reason: reason(c.reason), decision: decision(d) };
    }
    case "parse":
      return reason(parseCloseReason(raw(data)));
    case "format":
      return formatCloseReason({
        name: data.name,
        httpStatus: data.httpStatus,
        retryAfterMs: data.retryAfterMs === undefined ? null : data.retryAfterMs,
      });
    case "frame": {
      const err = catalog.fromJSON(data);
      return {
        class: err.constructor.name,
        error: err.toJSON(),
        info: info(err.info),
        decision: decision(decide(err.info, { retryAfterMs: err.retryAfterMs })),
      };
    }
    case "resolve":
      return resolveAction(
        data.layer,
        data.closeCode === undefined ? null : data.closeCode,
        data.action === undefined || data.action === null ? null : data.action,
        data.retryable === undefined ? null : data.retryable,
      );
    case "reauth": {
      const found = table.lookup(data.code);
      const closeCode = data.closeCode === undefined ? null : data.closeCode;
      return [
        decision(decide(found, { closeCode })),
        decision(decide(found, { closeCode, reauthenticated: true })),
      ];
    }
    default:
      throw new Error(`unknown vector kind ${kind}`);
  }
}

const { vectors } = JSON.parse(readFileSync(vectorsPath, "utf8"));
process.stdout.write(JSON.stringify(vectors.map((v) => run(v.kind, v.input))));
