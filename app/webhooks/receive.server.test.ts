import { describe, expect, it } from "vitest";

import { sign } from "../../tests/helpers/webhooks";

import { normaliseTopic } from "./receive.server";
import { verifyShopifyHmac } from "./verify.server";

describe("topic names", () => {
  it("reads both header and storage spellings", () => {
    expect(normaliseTopic("orders/create")).toBe("orders/create");
    expect(normaliseTopic("ORDERS_CREATE")).toBe("orders/create");
    expect(normaliseTopic("FULFILLMENT_EVENTS_CREATE")).toBe("fulfillment_events/create");
    expect(normaliseTopic("APP_SCOPES_UPDATE")).toBe("app/scopes_update");
  });
});

describe("HMAC", () => {
  it("accepts Shopify's signature and nothing else", () => {
    const body = '{"id":1}';
    expect(verifyShopifyHmac(body, sign(body, "s3cret"), "s3cret")).toBe(true);
    expect(verifyShopifyHmac(`${body} `, sign(body, "s3cret"), "s3cret")).toBe(false);
    expect(verifyShopifyHmac(body, sign(body, "other"), "s3cret")).toBe(false);
    expect(verifyShopifyHmac(body, "", "s3cret")).toBe(false);
    expect(verifyShopifyHmac(body, "not base64 at all!!", "s3cret")).toBe(false);
    expect(verifyShopifyHmac(body, null, "s3cret")).toBe(false);
  });
});
