/**
 * What Shopify Flow reads in each answer of an action step (docs/decisions/0044, "Flow action
 * answers"): 200 only for success; a 4xx other than 429 fails the step with our message and Flow
 * does not resend; 429 with Retry-After makes Flow wait and resend; a 5xx makes Flow resend. Every
 * body is JSON with a `message`, and a failure of ours never shows its internals.
 */
import { createHmac } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { ShopifyApiError, ShopifyUserError, type AdminClient } from "../../shopify/admin.server";
import { memberForCustomer, setSpendAndTier } from "../loyalty/members.server";
import { saveLoyaltySettings } from "../loyalty/settings.server";

import { FLOW_THROTTLED_RETRY_AFTER_S, runFlowAction } from "./flow-actions.server";

const SHOP = "flow-answers.myshopify.com";
const secret = process.env.SHOPIFY_API_SECRET!;
const NOW = new Date("2026-06-01T12:00:00Z");
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.shop.create({ data: { domain: SHOP, currencyCode: "USD", name: "Flow answers" } });
  await saveLoyaltySettings(t.db, SHOP, {
    enabled: true,
    tiers: [{ key: "gold", name: "Gold", thresholdMinor: 5000, multiplier: 1 }],
  });
  const member = await memberForCustomer(t.db, SHOP, "gid://shopify/Customer/42", "ann@example.com");
  await setSpendAndTier(t.db, SHOP, member.id, 6000, "gold", NOW);
});
afterAll(() => t.drop());

/** An Admin API that fails every call with `error`. */
const failing = (error: Error) =>
  ({
    request: async () => {
      throw error;
    },
    mutate: async () => {
      throw error;
    },
  }) as unknown as AdminClient;

function call(handle: string, body: unknown, options: { admin?: AdminClient; signature?: string } = {}) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const signature = options.signature ?? createHmac("sha256", secret).update(raw).digest("base64");
  return runFlowAction(
    { db: t.db, secret, now: NOW, adminFor: async () => options.admin ?? failing(new Error("no admin here")) },
    handle,
    raw,
    signature,
  );
}

const step = (handle: string, properties: Record<string, unknown>) => ({
  shop_id: "1",
  shopify_domain: SHOP,
  action_run_id: `run-${Math.random()}`,
  action_definition_id: handle,
  handle,
  properties,
});

describe("Flow action answers", () => {
  it("200 only for success, with the message", async () => {
    const ok = await call(
      "aftercare-adjust-points",
      step("aftercare-adjust-points", { customer_id: "42", points: 5, reason: "review" }),
    );
    expect(ok).toEqual({ status: 200, body: { message: "Booked 5 points." } });
  });

  it("4xx (not retried) with a message for the run log, for each kind of bad request", async () => {
    const body = step("aftercare-adjust-points", { customer_id: "42", points: 5, reason: "review" });
    expect(await call("aftercare-adjust-points", body, { signature: "Zm9yZ2Vk" })).toEqual({
      status: 401,
      body: { message: "The request is not signed by Shopify." },
    });
    expect((await call("aftercare-nothing", step("aftercare-nothing", {}))).status).toBe(404);
    expect(await call("aftercare-adjust-points", "{not json")).toEqual({
      status: 400,
      body: { message: "The body is not JSON." },
    });
    expect((await call("aftercare-adjust-points", { ...body, shopify_domain: "gone.myshopify.com" })).status).toBe(404);
    expect(
      await call(
        "aftercare-adjust-points",
        step("aftercare-adjust-points", { customer_id: "42", points: 0, reason: "r" }),
      ),
    ).toEqual({
      status: 422,
      body: { message: "points must be a whole number other than 0, at most 1,000,000 either way." },
    });
    const refused = await call("aftercare-tag-by-tier", step("aftercare-tag-by-tier", { customer_id: "42" }), {
      admin: failing(new ShopifyUserError("CustomerTagsAdd", [{ field: ["id"], message: "Customer does not exist" }])),
    });
    expect(refused).toEqual({ status: 422, body: { message: "Shopify refused it: Customer does not exist" } });
  });

  it("429 with Retry-After when Shopify throttled the change: Flow waits and sends it again", async () => {
    const answer = await call("aftercare-tag-by-tier", step("aftercare-tag-by-tier", { customer_id: "42" }), {
      admin: failing(new ShopifyApiError("CustomerTagsAdd", "Throttled", ["THROTTLED"])),
    });
    expect(answer).toEqual({
      status: 429,
      body: { message: "Shopify is busy; Flow will run this step again shortly." },
      headers: { "Retry-After": String(FLOW_THROTTLED_RETRY_AFTER_S) },
    });
  });

  it("5xx when Shopify or Aftercare failed: Flow resends; the message never shows our internals", async () => {
    const outage = await call("aftercare-tag-by-tier", step("aftercare-tag-by-tier", { customer_id: "42" }), {
      admin: failing(new ShopifyApiError("CustomerTagsAdd", "fetch failed")),
    });
    expect(outage).toEqual({
      status: 502,
      body: { message: "Shopify did not answer Aftercare; Flow will run this step again." },
    });
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const ours = await call("aftercare-tag-by-tier", step("aftercare-tag-by-tier", { customer_id: "42" }), {
      admin: failing(new Error("connection to 10.0.0.5 refused")),
    });
    quiet.mockRestore();
    expect(ours).toEqual({
      status: 500,
      body: { message: "Aftercare could not finish this step; Flow will run it again." },
    });
    expect(JSON.stringify(ours)).not.toContain("10.0.0.5");
  });
});
