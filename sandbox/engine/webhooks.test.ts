import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { verifyShopifyHmac } from "../../app/webhooks/verify.server";
import { receiveWebhook } from "../../app/webhooks/receive.server";
import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";

import { testSandbox, TEST_SHOP } from "./testing";
import { WebhookDispatcher } from "./webhooks";

const secret = process.env.SHOPIFY_API_SECRET!;

interface Received {
  topic: string;
  webhookId: string;
  eventId: string;
  body: string;
  headers: Headers;
}

/** A receiver that answers from a script of status codes (then 200), recording what came. */
function receiver(script: (number | "network-error")[] = []) {
  const got: Received[] = [];
  const fetch = async (request: Request) => {
    const body = await request.text();
    got.push({
      topic: request.headers.get("x-shopify-topic")!,
      webhookId: request.headers.get("x-shopify-webhook-id")!,
      eventId: request.headers.get("x-shopify-event-id")!,
      body,
      headers: request.headers,
    });
    const next = script.shift() ?? 200;
    if (next === "network-error") throw new TypeError("fetch failed");
    return new Response(String(next), { status: next });
  };
  return { fetch, got };
}

function dispatcher(fetch: (r: Request) => Promise<Response>, delaysMs = [1, 1, 1]) {
  return new WebhookDispatcher({
    appUrl: "http://127.0.0.1:3999",
    apiSecret: secret,
    apiVersion: "2026-07",
    clock: () => new Date(),
    fetch,
    retry: { delaysMs },
  });
}

describe("webhook delivery", () => {
  it("signs each delivery with the app secret and sends Shopify's headers to /webhooks", async () => {
    let url = "";
    const r = receiver();
    const d = dispatcher(async (request) => {
      url = request.url;
      return r.fetch(request);
    });
    d.emit(TEST_SHOP, "orders/create", { id: 1, note: "héllo" }, "2030-01-01T00:00:00.000Z");
    await d.flush();
    expect(url).toBe("http://127.0.0.1:3999/webhooks");
    const [got] = r.got;
    expect(verifyShopifyHmac(got.body, got.headers.get("x-shopify-hmac-sha256"), secret)).toBe(true);
    expect(verifyShopifyHmac(got.body, got.headers.get("x-shopify-hmac-sha256"), "another-secret")).toBe(false);
    expect(got.headers.get("x-shopify-shop-domain")).toBe(TEST_SHOP);
    expect(got.headers.get("x-shopify-api-version")).toBe("2026-07");
    expect(got.headers.get("x-shopify-triggered-at")).toBe("2030-01-01T00:00:00.000Z");
    expect(got.headers.get("content-type")).toBe("application/json");
    expect(got.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(got.body)).toEqual({ id: 1, note: "héllo" });
  });

  it("retries a 500 twice and then succeeds, with the same webhook id each time", async () => {
    const r = receiver([500, 500, 200]);
    const d = dispatcher(r.fetch);
    const delivery = d.emit(TEST_SHOP, "orders/updated", { id: 2 });
    await d.flush();
    expect(r.got.map((g) => g.webhookId)).toEqual([delivery.webhookId, delivery.webhookId, delivery.webhookId]);
    expect(new Set(r.got.map((g) => g.eventId)).size).toBe(1);
    expect(new Set(r.got.map((g) => g.body)).size).toBe(1);
    expect(delivery.status).toBe("delivered");
    expect(delivery.attempts.map((a) => a.responseCode)).toEqual([500, 500, 200]);
  });

  it("retries network errors and gives up once the schedule is used up", async () => {
    const r = receiver(["network-error", 503, 503, 503, 503]);
    const d = dispatcher(r.fetch, [1, 1, 1]);
    const delivery = d.emit(TEST_SHOP, "orders/updated", { id: 3 });
    await d.flush();
    expect(r.got.length).toBe(4);
    expect(delivery.status).toBe("failed");
    expect(delivery.attempts[0]).toMatchObject({ responseCode: null, error: "fetch failed" });
    expect(delivery.responseCode).toBe(503);
  });

  it("delivers in the order of emission, while a failing delivery's retries come later", async () => {
    const r = receiver([500]);
    const d = dispatcher(r.fetch, [20]);
    d.emit(TEST_SHOP, "orders/create", { n: 1 });
    d.emit(TEST_SHOP, "orders/updated", { n: 2 });
    d.emit(TEST_SHOP, "orders/updated", { n: 3 });
    await d.flush();
    expect(r.got.map((g) => JSON.parse(g.body).n)).toEqual([1, 2, 3, 1]);
  });

  it("holds deliveries and releases them in reverse or chosen order", async () => {
    const r = receiver();
    const d = dispatcher(r.fetch);
    d.hold();
    const a = d.emit(TEST_SHOP, "orders/create", { n: 1 });
    const b = d.emit(TEST_SHOP, "orders/updated", { n: 2 });
    const c = d.emit(TEST_SHOP, "orders/updated", { n: 3 });
    await d.flush();
    expect(r.got).toEqual([]);
    expect(a.status).toBe("held");
    d.release([b.webhookId]);
    await d.flush();
    d.release("reverse");
    await d.flush();
    expect(r.got.map((g) => g.webhookId)).toEqual([b.webhookId, c.webhookId, a.webhookId]);
  });

  it("drops the next N webhooks of a topic, or all until cleared; a dropped one can come late", async () => {
    const r = receiver();
    const d = dispatcher(r.fetch);
    d.drop("orders/create", 2);
    d.drop("refunds/create");
    expect(d.dropRules()).toEqual([
      { topic: "orders/create", remaining: 2 },
      { topic: "refunds/create", remaining: null },
    ]);
    const lost = d.emit(TEST_SHOP, "orders/create", { n: 1 });
    d.emit(TEST_SHOP, "orders/updated", { n: 2 });
    d.emit(TEST_SHOP, "orders/create", { n: 3 });
    d.emit(TEST_SHOP, "orders/create", { n: 4 });
    for (let n = 5; n < 8; n++) d.emit(TEST_SHOP, "refunds/create", { n });
    await d.flush();
    expect(r.got.map((g) => JSON.parse(g.body).n)).toEqual([2, 4]);
    expect(lost.status).toBe("dropped");
    expect(d.deliveries({ topic: "refunds/create" }).map((x) => x.status)).toEqual(["dropped", "dropped", "dropped"]);
    expect(d.dropRules()).toEqual([{ topic: "refunds/create", remaining: null }]);
    d.clearDrops();
    d.emit(TEST_SHOP, "refunds/create", { n: 8 });
    d.replay(lost.webhookId);
    await d.flush();
    expect(r.got.map((g) => JSON.parse(g.body).n)).toEqual([2, 4, 8, 1]);
    expect(() => d.drop("orders/create", 0)).toThrow(/whole number/);
  });

  it("replays a delivery with the same webhook id, which the app acknowledges without recording twice", async () => {
    const t: TestDatabase = await createTestDatabase();
    try {
      const answers: string[] = [];
      const { sandbox, mug } = testSandbox({
        apiSecret: secret,
        webhookFetch: async (request) => {
          const response = await receiveWebhook(request, { db: t.db, secret });
          answers.push(await response.clone().text());
          return response;
        },
      });
      sandbox.placeOrder({
        shop: TEST_SHOP,
        email: "replay@example.com",
        lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
        paid: false,
      });
      await sandbox.flush();
      const created = sandbox.webhooks.deliveries({ topic: "orders/create" })[0];
      sandbox.webhooks.replay(created.webhookId);
      await sandbox.flush();
      expect(created.attempts.length).toBe(2);
      expect(created.attempts[1].replay).toBe(true);
      expect(answers.at(-1)).toBe("already recorded");
      expect(await t.db.webhookEvent.count({ where: { webhookId: created.webhookId } })).toBe(1);
    } finally {
      await t.drop();
    }
  });
});

describe("webhooks follow the state", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  const fulfilmentTopics =
    "a fulfilment emits fulfillments/create then orders/updated; " +
    "a delivered scan emits fulfillment_events/create then fulfillments/update";
  it(fulfilmentTopics, async () => {
    const { sandbox, tee } = testSandbox();
    const order = sandbox.placeOrder({
      shop: TEST_SHOP,
      email: "t@example.com",
      lines: [{ variantId: tee.variants[0].id, quantity: 1 }],
      paid: true,
    });
    const before = sandbox.webhooks.deliveries().length;
    const f = sandbox.fulfil({ shop: TEST_SHOP, order, trackingCompany: "UPS", trackingNumber: "1ZA" });
    sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: f, status: "delivered", happenedAt: "2030-02-01T10:00:00Z" });
    await sandbox.flush();
    const after = sandbox.webhooks.deliveries().slice(before);
    expect(after.map((d) => d.topic)).toEqual([
      "fulfillments/create",
      "orders/updated",
      "fulfillment_events/create",
      "fulfillments/update",
    ]);
    const update = JSON.parse(after[3].body);
    expect(update.shipment_status).toBe("delivered");
    expect(update.tracking_urls).toEqual(["https://www.ups.com/track?tracknum=1ZA"]);
    const event = JSON.parse(after[2].body);
    expect(new Date(event.happened_at).toISOString()).toBe("2030-02-01T10:00:00.000Z");
    // Times are written in the shop's zone (America/Toronto), as Shopify does.
    expect(event.happened_at).toBe("2030-02-01T05:00:00-05:00");
    // updated_at grows with every change.
    const stamps = after
      .map((d) => JSON.parse(d.body).updated_at)
      .filter(Boolean)
      .map((s: string) => Date.parse(s));
    expect([...stamps].sort((x, y) => x - y)).toEqual(stamps);
  });

  it("sends nothing to an uninstalled app", async () => {
    const { sandbox, mug } = testSandbox();
    sandbox.appUninstalled({ shop: TEST_SHOP });
    sandbox.placeOrder({
      shop: TEST_SHOP,
      email: "late@example.com",
      lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
      paid: true,
    });
    await sandbox.flush();
    expect(sandbox.webhooks.deliveries().map((d) => d.topic)).toEqual(["app/uninstalled"]);
  });
});
