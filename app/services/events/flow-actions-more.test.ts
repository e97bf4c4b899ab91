/**
 * Flow's "send tracking update email" and "tag customer by tier", called by the sandbox the way a
 * workflow step calls them: the email goes once per run through the outbox, in the shopper's
 * language, about the shipment's latest state; the tier tag replaces the other tiers' tags on the
 * customer in Shopify; bad input is a 422 with a message Flow shows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { processingWebhookFetch } from "../../../tests/helpers/webhooks";
import { testSandbox, TEST_SHOP } from "../../../sandbox/engine/testing";
import { adminClient } from "../../shopify/admin.server";
import { findMemberByCustomer } from "../loyalty/members.server";
import { saveLoyaltySettings } from "../loyalty/settings.server";

import { runFlowAction } from "./flow-actions.server";

const SHOP = TEST_SHOP;
const secret = process.env.SHOPIFY_API_SECRET!;
const NOW = new Date("2026-06-01T12:00:00Z");
let t: TestDatabase;
const world = testSandbox({
  apiSecret: secret,
  clock: () => NOW,
  webhookFetch: async (request) => processingWebhookFetch(t.db, secret)(request),
});

const appFetch = (async (url: URL | string, init?: RequestInit) => {
  const handle = new URL(url).pathname.split("/").at(-1)!;
  const answer = await runFlowAction(
    { db: t.db, secret, now: NOW, adminFor: async (shop) => adminClient(world.sandbox.graphqlClient(shop)) },
    handle,
    String(init?.body),
    new Headers(init?.headers).get("X-Shopify-Hmac-Sha256"),
  );
  return new Response(JSON.stringify(answer.body), { status: answer.status });
}) as typeof fetch;

const run = (handle: string, properties: Record<string, unknown>, actionRunId?: string) =>
  world.sandbox.flow.runAction({ shop: SHOP, handle, properties, actionRunId, fetchFn: appFetch });

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.shop.create({ data: { domain: SHOP, currencyCode: "USD", name: "Sandbox Test" } });
});
afterAll(() => t.drop());

describe("Flow action: send tracking update email", () => {
  it("emails the shopper about the latest shipment once per run, and says why it cannot", async () => {
    const { sandbox, mug } = world;
    const ana = sandbox.createCustomer({ shop: SHOP, email: "ana@example.com", state: "ENABLED", locale: "ko" });
    const order = sandbox.placeOrder({
      shop: SHOP,
      customer: ana.id,
      lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
      paid: true,
    });
    await sandbox.flush();
    expect(await run("aftercare-tracking-email", { order_id: order.id })).toMatchObject({
      status: 422,
      body: { message: `Order ${order.id} has no shipment with tracking yet.` },
    });
    sandbox.fulfil({ shop: SHOP, order: order.id, trackingCompany: "UPS", trackingNumber: "1ZFLOW1" });
    await sandbox.flush();
    const first = await run("aftercare-tracking-email", { order_id: order.id }, "run-email-1");
    expect(first).toMatchObject({ status: 200, body: { message: "Tracking email (shipped) queued." } });
    // Flow retrying the step sends nothing more; another run sends again.
    expect(await run("aftercare-tracking-email", { order_id: order.id }, "run-email-1")).toMatchObject({
      status: 200,
      body: { message: "Already done for this run." },
    });
    await run("aftercare-tracking-email", { order_id: String(order.id) }, "run-email-2");
    const sent = await t.db.notification.findMany({
      where: { shop: SHOP, kind: "tracking", subjectId: { startsWith: "flow:" } },
      orderBy: { subjectId: "asc" },
    });
    expect(sent.map((n) => [n.subjectId, n.milestone, n.recipient, n.locale])).toEqual([
      ["flow:run-email-1", "shipped", "ana@example.com", "ko"],
      ["flow:run-email-2", "shipped", "ana@example.com", "ko"],
    ]);
    expect(sent[0].bodyText).toMatch(/발송되었습니다 \(UPS\)[\s\S]*track-order\?token=/);
    expect(await run("aftercare-tracking-email", { order_id: "not-a-number" })).toMatchObject({
      status: 422,
      body: { message: "order_id must be the order's numeric id." },
    });
    expect(await run("aftercare-tracking-email", { order_id: 987654 })).toMatchObject({
      status: 422,
      body: { message: "Aftercare does not know order 987654." },
    });
  });
});

describe("Flow action: tag customer by tier", () => {
  it("puts the tier's tag on the customer and takes the other tiers' tags off", async () => {
    const { sandbox, mug } = world;
    const saved = await saveLoyaltySettings(t.db, SHOP, {
      enabled: true,
      tiers: [
        { key: "silver", name: "Silver", thresholdMinor: 10_000, multiplier: 1 },
        { key: "gold", name: "Gold", thresholdMinor: 50_000, multiplier: 1.5 },
      ],
    });
    expect(saved.ok).toBe(true);
    const bo = sandbox.createCustomer({ shop: SHOP, email: "bo@example.com", state: "ENABLED", tags: ["vip"] });
    const customerGid = `gid://shopify/Customer/${bo.id}`;
    // The tier comes from real paid orders, as in a shop: the tags the action changes make Shopify
    // send customers/update, and the app then works the tier out again from the member's spend.
    const buyMugs = async (quantity: number) => {
      sandbox.placeOrder({
        shop: SHOP,
        customer: bo.id,
        lines: [{ variantId: mug.variants[0].id, quantity }],
        paid: true,
      });
      await sandbox.flush();
    };
    await buyMugs(6); // $108: Silver
    expect((await findMemberByCustomer(t.db, SHOP, customerGid))?.tierKey).toBe("silver");
    expect(await run("aftercare-tag-by-tier", { customer_id: bo.id })).toMatchObject({
      status: 200,
      body: { message: "Tagged 'Tier: Silver'." },
    });
    expect(sandbox.state.shop(SHOP).customers.find((c) => c.id === bo.id)?.tags).toEqual(["vip", "Tier: Silver"]);
    await buyMugs(25); // $450 more: Gold
    expect((await findMemberByCustomer(t.db, SHOP, customerGid))?.tierKey).toBe("gold");
    expect(await run("aftercare-tag-by-tier", { customer_id: bo.id })).toMatchObject({
      status: 200,
      body: { message: "Tagged 'Tier: Gold'." },
    });
    expect(await run("aftercare-tag-by-tier", { customer_id: bo.id, prefix: "Loyalty " })).toMatchObject({
      status: 200,
      body: { message: "Tagged 'Loyalty Gold'." },
    });
    expect(sandbox.state.shop(SHOP).customers.find((c) => c.id === bo.id)?.tags).toEqual([
      "vip",
      "Tier: Gold",
      "Loyalty Gold",
    ]);
    expect(await run("aftercare-tag-by-tier", { customer_id: bo.id, prefix: "a,b" })).toMatchObject({
      status: 422,
      body: { message: "prefix must be at most 100 characters with no comma." },
    });
    expect(await run("aftercare-tag-by-tier", { customer_id: 424242 })).toMatchObject({
      status: 422,
      body: { message: "Customer 424242 is not a member of the loyalty program." },
    });
  });
});
