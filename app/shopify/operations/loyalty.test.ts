import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

import { buildClientSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";

import {
  LoyaltyDiscountByCode,
  LoyaltyDiscountCodeBasicCreate,
  LoyaltyDiscountCodeFreeShippingCreate,
  LoyaltyStoreCreditAccountCredit,
} from "./loyalty";

const introspection = JSON.parse(
  gunzipSync(readFileSync(new URL("../../../sandbox/schema/admin_2026-07.json.gz", import.meta.url))).toString(),
);
const schema = buildClientSchema(introspection.data ?? introspection);

describe("loyalty operations", () => {
  for (const op of [
    LoyaltyDiscountCodeBasicCreate,
    LoyaltyDiscountCodeFreeShippingCreate,
    LoyaltyStoreCreditAccountCredit,
    LoyaltyDiscountByCode,
  ]) {
    it(`${op.name} is valid against the Admin API schema`, () => {
      expect(validate(schema, parse(op.document)).map((e) => e.message)).toEqual([]);
    });
  }
});
