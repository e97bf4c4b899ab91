import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { CollectionProducts, ProductsByIds } from "./products";

// Shopify's own Admin schema for the API version the app uses (shipped by @shopify/dev-mcp).
const introspection = JSON.parse(gunzipSync(readFileSync(new URL("../../../sandbox/schema/admin_2026-07.json.gz", import.meta.url))).toString());
const schema = buildClientSchema(introspection.data ?? introspection);

describe("recommendation operations", () => {
  for (const op of [CollectionProducts, ProductsByIds]) {
    it(`${op.name} is valid against the Admin API schema`, () => {
      expect(validate(schema, parse(op.document)).map((e) => e.message)).toEqual([]);
    });
  }
});
