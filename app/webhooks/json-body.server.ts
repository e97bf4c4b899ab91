import { createRequire } from "node:module";

import type BetterSqlite3 from "better-sqlite3";

import { payloadText } from "../db.server";

const require = createRequire(import.meta.url);

/** What the intake must know about a webhook body before it answers: is it a JSON object. */
export type JsonBodyShape = "object" | "not_json" | "not_object";

/**
 * Classifies a webhook body (the raw bytes as received, or text) exactly as JSON.parse of its UTF-8
 * text would, without building it when it is fine.
 *
 * The intake only needs a yes or no: handlers parse the stored payload themselves, later, in the
 * job thread. JSON.parse answers by building the whole object graph (about 55 µs for Shopify's
 * 13 kB example order, plus the garbage it leaves), the largest single cost of a delivery on the
 * intake's thread. V8 has no validate-only parse; SQLite's JSON parser, already in the app through
 * better-sqlite3, validates the same text in C in about a third of the time and allocates nothing
 * in JavaScript (docs/decisions/0014-webhook-body-check-and-fair-bench.md).
 *
 * SQLite is only trusted to say yes, and only for text JSON.parse must also accept: strict
 * RFC 8259 mode, no NUL character (SQLite's text functions stop at one), and an object's opening
 * brace first. Anything else, including documents nested deeper than SQLite's limit of 1000,
 * goes to JSON.parse, which then decides and says which 400 applies. Those are the rare bodies.
 */
export function jsonBodyShape(body: string | Buffer): JsonBodyShape {
  const hasNul = typeof body === "string" ? body.indexOf("\0") !== -1 : body.indexOf(0) !== -1;
  if (opensObject(body) && !hasNul && validJsonText()?.(body)) return "object";
  return shapeByJsonParse(payloadText(body));
}

/** JSON.parse's verdict: the intake's rule, and what the fast path must agree with. */
export function shapeByJsonParse(body: string): JsonBodyShape {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return "not_json";
  }
  return value !== null && typeof value === "object" && !Array.isArray(value) ? "object" : "not_object";
}

/** The first character after JSON's whitespace (space, tab, line feed, carriage return) is "{". */
function opensObject(text: string | Buffer): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = typeof text === "string" ? text.charCodeAt(i) : text[i];
    if (c === 0x7b) return true;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return false;
}

// One in-memory SQLite connection per thread (a worker thread has its own copy of this module),
// opened on first use; null when better-sqlite3 cannot be loaded, and then JSON.parse decides.
let checker: ((text: string | Buffer) => boolean) | null | undefined;

function validJsonText(): ((text: string | Buffer) => boolean) | null {
  if (checker !== undefined) return checker;
  try {
    const Database = require("better-sqlite3") as typeof BetterSqlite3;
    // json_valid(X) with no flags accepts strict RFC 8259 JSON only, not SQLite's JSON5 extensions.
    // Bytes (a Buffer binds as a blob) are read as UTF-8 text as they are, without a copy.
    const statement = new Database(":memory:").prepare("SELECT json_valid(CAST(? AS TEXT))").pluck();
    checker = (text) => statement.get(text) === 1;
  } catch {
    checker = null;
  }
  return checker;
}
