/**
 * The needs-attention route with real Requests (only the embedded admin's session check stood in
 * for): the loader pages, filters and searches from its URL; the action marks handled (kept, off the
 * list) and notifies the shopper (in the outbox), and refuses what it cannot do with a 4xx and a
 * sentence, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";

const SHOP = "attention.myshopify.com";
vi.mock("../shopify.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("../shopify.server")>();
  return {
    ...real,
    authenticate: {
      ...real.authenticate,
      admin: async () => ({ session: { shop: SHOP }, admin: {}, sessionToken: {} }),
    },
  };
});

type Handler = (args: { request: Request; params: object; context: object }) => Promise<Response>;
let t: TestDatabase;
let route: { loader: Handler; action: Handler };
const URL_BASE = "https://app.example/app/tracking/attention";
const DAY = 86_400_000;
/** The test's today (a Wednesday): the app and the data are dated from it, not from the real clock. */
const NOW = new Date("2026-11-04T15:00:00.000Z");

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  route = (await import("./app.tracking.attention")) as never;
  await t.db.shop.create({ data: { domain: SHOP, name: "Attention", ianaTimezone: "UTC" } });
  // 60 problem shipments (every third a failed delivery) and 5 orders left unfulfilled for weeks.
  const now = NOW.getTime();
  for (let n = 0; n < 60; n++) {
    await t.db.shipmentTracking.create({
      data: {
        shop: SHOP,
        fulfillmentShopifyId: `gid://shopify/Fulfillment/${n}`,
        orderShopifyId: `gid://shopify/Order/${5000 + n}`,
        orderName: `#${5000 + n}`,
        stage: "in_transit",
        problem: n % 3 === 0 ? "exception" : "delayed",
        problemReason: n % 3 === 0 ? null : "no_carrier_scan",
        problemSince: new Date(now - 30 * DAY + n * 60_000),
      },
    });
  }
  for (let n = 0; n < 5; n++) {
    await t.db.order.create({
      data: {
        shop: SHOP,
        shopifyId: `gid://shopify/Order/${7000 + n}`,
        name: `#${7000 + n}`,
        email: "ada@example.com",
        currency: "USD",
        shopifyCreatedAt: new Date(now - 20 * DAY + n * 60_000),
        shopifyUpdatedAt: new Date(now - 20 * DAY),
        lineItems: {
          create: [{ shopifyId: `li${n}`, title: "Mug", quantity: 1, priceMinor: 900, fulfillableQuantity: 1 }],
        },
      },
    });
  }
});
afterAll(async () => {
  await t.drop();
  vi.useRealTimers();
});

async function load(query = "") {
  const res = await route.loader({ request: new Request(`${URL_BASE}?${query}`), params: {}, context: {} });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    items: { subjectId: string; orderName: string; kind: string }[];
    counts: Record<string, number>;
    next: string | null;
    previous: string | null;
  };
}

async function act(body: Record<string, string>) {
  const res = await route.action({
    request: new Request(URL_BASE, { method: "POST", body: new URLSearchParams(body) }),
    params: {},
    context: {},
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; message: string } };
}

describe("Needs attention route", () => {
  it("pages 50 at a time by its URL, with every row once, and filters and searches", async () => {
    const first = await load();
    expect(first.items).toHaveLength(50);
    expect(first.counts).toEqual({ exception: 20, attempted_delivery: 0, delayed: 40, unfulfilled: 5 });
    const second = await load(`after=${first.next}`);
    expect(second.items).toHaveLength(15);
    expect(second.next).toBeNull();
    const names = [...first.items, ...second.items].map((i) => i.orderName);
    expect(new Set(names).size).toBe(65);
    const back = await load(`before=${second.previous}`);
    expect(back.items.map((i) => i.orderName)).toEqual(first.items.map((i) => i.orderName));

    const exceptions = await load("kind=exception,unfulfilled");
    expect(exceptions.items.map((i) => i.kind).sort()).toEqual([
      ...Array<string>(20).fill("exception"),
      ...Array<string>(5).fill("unfulfilled"),
    ]);
    expect((await load("q=%237001")).items.map((i) => i.orderName)).toEqual(["#7001"]);
    // A cursor that is not ours is the first page, not an error.
    expect((await load("after=bogus")).items[0].orderName).toBe(first.items[0].orderName);
  });

  it("marks handled (kept, off the list) and notifies through the outbox; refuses the rest in words", async () => {
    const handled = await act({ intent: "handled", subjectId: "gid://shopify/Fulfillment/0" });
    expect(handled).toEqual({ status: 200, body: expect.objectContaining({ ok: true }) });
    const list = await load("kind=exception");
    expect(list.items.map((i) => i.subjectId)).not.toContain("gid://shopify/Fulfillment/0");
    expect(list.counts.exception).toBe(19);

    const notified = await act({ intent: "notify", subjectId: "gid://shopify/Order/7000" });
    expect(notified.status).toBe(200);
    const email = await t.db.notification.findFirstOrThrow({
      where: { shop: SHOP, subjectId: "gid://shopify/Order/7000" },
    });
    expect(email).toMatchObject({ kind: "tracking", milestone: "delayed", recipient: "ada@example.com" });

    const twice = await act({ intent: "notify", subjectId: "gid://shopify/Order/7000" });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toMatch(/already emailed/);
    const again = await act({ intent: "handled", subjectId: "gid://shopify/Fulfillment/0" });
    expect(again.status).toBe(404);
    expect(again.body.message).toMatch(/no longer needs attention/);
    expect((await act({ intent: "delete", subjectId: "x" })).status).toBe(400);
    expect((await act({ intent: "handled" })).status).toBe(400);
    expect(await t.db.attentionHandled.count()).toBe(1);
  });
});
