/**
 * Helpers for tests that drive the engine: a sandbox with one small shop, and a validator for
 * webhook payloads against Shopify's JSON Schemas (tests/fixtures/webhooks).
 */
import { readFileSync } from "node:fs";

import { Ajv2020, type ValidateFunction } from "ajv/dist/2020";
import addFormatsModule from "ajv-formats";

import { createSandbox, type SandboxOptions } from "./index";

export const TEST_SHOP = "sandbox-test.myshopify.com";

/** A sandbox with a shop selling three products (one with two variants) and a collection. */
export function testSandbox(overrides: Partial<SandboxOptions> = {}) {
  const sandbox = createSandbox({
    apiKey: process.env.SHOPIFY_API_KEY ?? "aftercare-test-key",
    apiSecret: process.env.SHOPIFY_API_SECRET ?? "aftercare-test-secret",
    appUrl: "http://127.0.0.1:3999",
    webhookRetry: { delaysMs: [5, 5, 5] },
    webhookFetch: async () => new Response("ok"),
    ...overrides,
  });
  sandbox.createShop({ domain: TEST_SHOP, name: "Sandbox Test", currency: "USD", timezone: "America/Toronto" });
  const mug = sandbox.addProduct(TEST_SHOP, {
    title: "Enamel Mug",
    tags: ["kitchen", "gift"],
    images: [{ url: "/cdn/products/enamel-mug.svg", altText: "A white enamel mug" }],
    variants: [{ title: "Default Title", sku: "MUG-1", price: "18.00" }],
  });
  const tee = sandbox.addProduct(TEST_SHOP, {
    title: "Linen Tee",
    tags: ["apparel"],
    images: [{ url: "/cdn/products/linen-tee.svg" }],
    variants: [
      { title: "S", sku: "TEE-S", price: "35.00" },
      { title: "M", sku: "TEE-M", price: "35.00" },
    ],
  });
  const candle = sandbox.addProduct(TEST_SHOP, { title: "Cedar Candle", tags: ["home"], price: "24.50" });
  const collection = sandbox.addCollection(TEST_SHOP, { title: "Gifts", productIds: [mug.id, candle.id] });
  return { sandbox, mug, tee, candle, collection };
}

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
const fixtures = new URL("../../tests/fixtures/webhooks/2026-07/schemas/", import.meta.url);

/**
 * Shopify's schemas are inferred from one example each; where the example had an empty list the
 * schema forbids any item (`items: false`). That says nothing about what Shopify puts in such a
 * list, so two such places are opened up: an order's `refunds` get the refunds/create schema, and
 * a return's `return_line_items` may hold items. Likewise a tax rate inside an order's
 * fulfillments may be fractional. Everything else stays as strict as Shopify's file.
 */
function adjust(topic: string, schema: Record<string, unknown>): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Shopify's schema, walked by the paths below
  const copy = structuredClone(schema) as Record<string, any>;
  if (topic.startsWith("orders/")) {
    const refund = JSON.parse(readFileSync(new URL("refunds__create.json", fixtures), "utf8"));
    delete refund.$schema;
    copy.properties.refunds.items = refund;
    // A tax rate is a fraction (0.13); the example that fixed this to an integer had rate 0.
    copy.properties.fulfillments.items.properties.line_items.items.properties.tax_lines.items.properties.rate = {
      type: "number",
    };
  }
  if (topic.startsWith("returns/") && copy.properties?.return_line_items)
    copy.properties.return_line_items.items = true;
  return copy;
}

const validators = new Map<string, ValidateFunction>();

export function webhookValidator(topic: string): ValidateFunction {
  let validate = validators.get(topic);
  if (!validate) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const schema = JSON.parse(readFileSync(new URL(`${topic.replace("/", "__")}.json`, fixtures), "utf8"));
    validate = ajv.compile(adjust(topic, schema));
    validators.set(topic, validate);
  }
  return validate;
}

/** Null when the payload fits the topic's schema, else the errors as readable lines. */
export function schemaErrors(topic: string, payload: unknown): string[] | null {
  const validate = webhookValidator(topic);
  if (validate(payload)) return null;
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
}
