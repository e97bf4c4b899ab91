import { readFileSync } from "node:fs";
import { join } from "node:path";

import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";

import { ADMIN_API_VERSION } from "../shopify/api-version";

import { jsonBodyShape, shapeByJsonParse as byJsonParse } from "./json-body.server";

const example = readFileSync(
  join(import.meta.dirname, "../../tests/fixtures/webhooks", ADMIN_API_VERSION, "examples/orders__create.json"),
  "utf8",
);

describe("webhook body check", () => {
  afterEach(() => vi.restoreAllMocks());

  it("accepts Shopify's example order without building it", () => {
    const parse = vi.spyOn(JSON, "parse");
    expect(jsonBodyShape(example)).toBe("object");
    expect(jsonBodyShape(JSON.stringify(JSON.parse(example)))).toBe("object");
    parse.mockClear();
    expect(jsonBodyShape(example)).toBe("object");
    expect(parse).not.toHaveBeenCalled();
  });

  it.each([
    ["an empty body", "", "not_json"],
    ["form data", "id=1&name=x", "not_json"],
    ["a truncated object", example.slice(0, example.length - 2), "not_json"],
    ["a trailing comma", '{"a":1,}', "not_json"],
    ["JSON5 keys", "{a:1}", "not_json"],
    ["single quotes", "{'a':1}", "not_json"],
    ["a leading decimal point", '{"a":.5}', "not_json"],
    ["hexadecimal", '{"a":0x10}', "not_json"],
    ["NaN", '{"a":NaN}', "not_json"],
    ["a comment", '{"a":1}/* x */', "not_json"],
    ["a byte-order mark", "\ufeff{}", "not_json"],
    ["a raw control character in a string", '{"a":"\u0001"}', "not_json"],
    ["text after the object", '{"a":1} x', "not_json"],
    ["a NUL after the object", '{"a":1}\u0000', "not_json"],
    ["a NUL inside a string", '{"a":"x\u0000y"}', "not_json"],
    ["an array", "[1,2]", "not_object"],
    ["a string", '"order"', "not_object"],
    ["null", "null", "not_object"],
    ["a number", "42", "not_object"],
    ["JSON whitespace around an object", ' \r\n\t{"a":[1,{"b":null}]}\n ', "object"],
    ["an escaped lone surrogate", '{"a":"\\ud800"}', "object"],
    ["nesting deeper than SQLite allows", `{"a":${"[".repeat(1500)}${"]".repeat(1500)}}`, "object"],
  ] as const)("answers like JSON.parse for %s, as text and as the bytes received", (_name, body, shape) => {
    expect(byJsonParse(body)).toBe(shape);
    expect(jsonBodyShape(body)).toBe(shape);
    expect(jsonBodyShape(Buffer.from(body))).toBe(shape);
  });

  it("reads bytes as UTF-8 as the intake always did, including invalid sequences and a byte-order mark", () => {
    // {"a":"<0xFF>"}: decoding gives U+FFFD, a valid string.
    const invalidUtf8 = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    expect(byJsonParse(invalidUtf8.toString("utf8"))).toBe("object");
    expect(jsonBodyShape(invalidUtf8)).toBe("object");
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("{}")]);
    expect(jsonBodyShape(withBom)).toBe(byJsonParse(withBom.toString("utf8")));
    expect(jsonBodyShape(Buffer.from('{"name":"주문 #1001 — Zoë"}'))).toBe("object");
  });

  it("agrees with JSON.parse on mutated JSON documents", () => {
    const alphabet = [
      ...' \t\n\r{}[],:"\\/0123456789.-+eEtrufalsnxu',
      "\u0000",
      "\u0001",
      "\u00a0",
      "\ufeff",
      "\ud800",
      "\u2028",
    ];
    const mutated = fc
      .tuple(
        fc.jsonValue().map((value) => JSON.stringify({ value })),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...alphabet), fc.constantFrom("insert", "delete", "replace")), {
          maxLength: 3,
        }),
      )
      .map(([original, edits]) => {
        let text = original;
        for (const [at, char, edit] of edits) {
          const i = at % (text.length + 1);
          text =
            edit === "insert"
              ? text.slice(0, i) + char + text.slice(i)
              : text.slice(0, i) + (edit === "replace" ? char : "") + text.slice(i + 1);
        }
        return text;
      });
    fc.assert(
      fc.property(mutated, (body) => jsonBodyShape(body) === byJsonParse(body)),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(
        mutated,
        (body) => jsonBodyShape(Buffer.from(body)) === byJsonParse(Buffer.from(body).toString("utf8")),
      ),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 16 }),
        (body) => jsonBodyShape(body) === byJsonParse(body),
      ),
      { numRuns: 3000 },
    );
  });
});
