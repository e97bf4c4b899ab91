import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { receiveWebhook } from "../../webhooks/receive.server";
import { processEvent } from "../../jobs/process-event.server";
import type { Db } from "../../db.server";
import { latestImport } from "../../models/history-import.server";
import { testSandbox, TEST_SHOP } from "../../../sandbox/engine/testing";

import { advanceHistoryImport, ImportInterrupted, startHistoryImport, type HistoryImportDeps } from "./import.server";

/**
 * The same shop history reaches two databases: once as webhooks (held, then delivered in a shuffled
 * order with duplicates) and once through the history import. What the import carries must come
 * out identical. Not compared, because one bulk query cannot carry them (decision 0022): refunds,
 * a shipment's lines and scans, a return's lines, and the times stamped by scans and webhooks.
 */
const secret = process.env.SHOPIFY_API_SECRET!;
let viaWebhooks: TestDatabase;
let viaImport: TestDatabase;
let resumed: TestDatabase;

function seededShuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function story() {
  let target: Db | null = null;
  const fetch = async (request: Request) => {
    const recorded: string[] = [];
    const response = await receiveWebhook(request, { db: target!, secret, onRecorded: (id) => recorded.push(id) });
    for (const id of recorded) await processEvent(target!, id);
    return response;
  };
  const { sandbox, mug, tee, candle } = testSandbox({ webhookFetch: fetch, apiSecret: secret });
  sandbox.webhooks.hold();
  const s = TEST_SHOP;
  const ada = sandbox.createCustomer({
    shop: s,
    email: "ada@example.com",
    firstName: "Ada",
    lastName: "L",
    tags: ["vip"],
  });
  const bob = sandbox.createCustomer({ shop: s, email: "bob@example.com", firstName: "Bob", lastName: "K" });
  const big = sandbox.placeOrder({
    shop: s,
    customer: ada,
    lines: [
      { variantId: mug.variants[0].id, quantity: 2 },
      { variantId: tee.variants[1].id, quantity: 1 },
    ],
    paid: true,
    taxRate: 0.13,
    shippingAddress: { city: "Toronto", provinceCode: "ON", province: "Ontario", zip: "M5V 2T6" },
  });
  const first = sandbox.fulfil({
    shop: s,
    order: big,
    lines: [{ lineItemId: big.lineItems[0].id, quantity: 1 }],
    trackingCompany: "UPS",
    trackingNumber: "1Z999",
  });
  sandbox.fulfil({ shop: s, order: big, trackingCompany: "Canada Post", trackingNumber: "CP123" });
  sandbox.carrierScan({ shop: s, fulfillment: first, status: "in_transit" });
  sandbox.carrierScan({ shop: s, fulfillment: first, status: "delivered" });
  sandbox.refund({ shop: s, order: big, lines: [{ lineItemId: big.lineItems[1].id, quantity: 1 }] });
  const ret = sandbox.requestReturn({ shop: s, order: big, lines: [{ lineItemId: big.lineItems[0].id, quantity: 1 }] });
  sandbox.approveReturn({ shop: s, return: ret });
  const declined = sandbox.requestReturn({
    shop: s,
    order: big,
    lines: [{ lineItemId: big.lineItems[0].id, quantity: 1 }],
  });
  sandbox.declineReturn({ shop: s, return: declined, reason: "FINAL_SALE", note: "Final" });
  const guest = sandbox.placeOrder({
    shop: s,
    email: "guest@example.com",
    lines: [{ variantId: candle.variants[0].id, quantity: 3 }],
    paid: false,
  });
  sandbox.payOrder({ shop: s, order: guest });
  for (let i = 0; i < 5; i++) {
    const o = sandbox.placeOrder({
      shop: s,
      customer: i % 2 ? ada : bob,
      lines: [{ variantId: tee.variants[i % 2].id, quantity: 1 + i }],
      paid: true,
    });
    if (i % 2 === 0) sandbox.fulfil({ shop: s, order: o, trackingCompany: "USPS", trackingNumber: `9400${i}` });
    if (i === 3) sandbox.cancelOrder({ shop: s, order: o, reason: "customer" });
  }
  sandbox.updateCustomer({ shop: s, customer: bob, tags: ["returns"], acceptsMarketing: true });
  return {
    sandbox,
    deliverTo(db: Db) {
      target = db;
    },
  };
}

/** The mirror's rows, without the app's own ids and times. */
async function mirror(db: Db) {
  const shop = TEST_SHOP;
  const orders = await db.order.findMany({
    where: { shop },
    orderBy: { shopifyId: "asc" },
    include: { lineItems: { orderBy: { shopifyId: "asc" } } },
  });
  const customers = await db.customer.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } });
  const fulfillments = await db.fulfillment.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } });
  const returns = await db.shopifyReturn.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } });
  const strip = <T extends Record<string, unknown>>(row: T, drop: string[] = []) =>
    Object.fromEntries(
      Object.entries(row).filter(([k]) => !["id", "orderId", "createdAt", "updatedAt", ...drop].includes(k)),
    );
  return {
    orders: orders.map((o) => ({ ...strip(o), lineItems: o.lineItems.map((l) => strip(l)) })),
    // A customer's locale is in GraphQL but not in the webhook's customer object: only the import has it.
    customers: customers.map((c) => strip(c, ["locale"])),
    fulfillments: fulfillments.map((f) => strip(f, ["deliveredAt", "inTransitAt"])),
    returns: returns.map((r) => strip(r, ["lines", "lastEventAt", "requestedAt", "closedAt", "name"])),
  };
}

function importDeps(t: TestDatabase, sandbox: ReturnType<typeof story>["sandbox"]): HistoryImportDeps {
  return {
    db: t.db,
    graphql: sandbox.graphqlClient(TEST_SHOP),
    fetchResult: async (url) => sandbox.fetchBulkResult(url),
  };
}

describe("the history import", () => {
  let s: ReturnType<typeof story>;

  beforeAll(async () => {
    [viaWebhooks, viaImport, resumed] = await Promise.all([
      createTestDatabase(),
      createTestDatabase(),
      createTestDatabase(),
    ]);
    s = story();
    s.deliverTo(viaWebhooks.db);
    const held = s.sandbox.webhooks.deliveries().map((d) => d.webhookId);
    s.sandbox.webhooks.release(seededShuffle(held, 7));
    for (const id of seededShuffle(held, 11).slice(0, 15)) s.sandbox.webhooks.replay(id);
    await s.sandbox.flush();
  }, 60_000);

  afterAll(async () => {
    s.sandbox.close();
    await Promise.all([viaWebhooks.drop(), viaImport.drop(), resumed.drop()]);
  });

  it("leaves the same mirror as the webhooks did, shuffled and repeated", async () => {
    const deps = importDeps(viaImport, s.sandbox);
    const started = await startHistoryImport(deps, TEST_SHOP, { trigger: "install", windowDays: 36500 });
    expect(started.status).toBe("running");
    await s.sandbox.bulk.settle();
    expect(await advanceHistoryImport(deps, TEST_SHOP, started.id)).toBe("completed");
    const row = (await latestImport(viaImport.db, TEST_SHOP))!;
    expect(row).toMatchObject({ status: "completed", ordersTotal: 7, ordersImported: 7, error: null });
    const imported = await mirror(viaImport.db);
    expect(imported.orders).toHaveLength(7);
    expect(imported).toEqual(await mirror(viaWebhooks.db));
    // Again: nothing changes, nothing doubles.
    const again = await startHistoryImport(deps, TEST_SHOP, { trigger: "merchant", windowDays: 36500 });
    await s.sandbox.bulk.settle();
    expect(await advanceHistoryImport(deps, TEST_SHOP, again.id)).toBe("completed");
    expect(await mirror(viaImport.db)).toEqual(imported);
  });

  it("resumes after a restart in the middle without losing or doubling anything", async () => {
    let clock = Date.parse("2026-12-04T10:00:00Z");
    const deps = { ...importDeps(resumed, s.sandbox), batchSize: 2, now: () => new Date(clock) };
    const started = await startHistoryImport(deps, TEST_SHOP, { trigger: "install", windowDays: 36500 });
    await s.sandbox.bulk.settle();
    await expect(advanceHistoryImport({ ...deps, stopAfterBatches: 1 }, TEST_SHOP, started.id)).rejects.toThrow(
      ImportInterrupted,
    );
    const stopped = (await latestImport(resumed.db, TEST_SHOP))!;
    expect(stopped).toMatchObject({ status: "applying", ordersImported: 2 });
    expect(stopped.linesApplied).toBeGreaterThan(2);
    // Another process cannot take the file over while the lease holds; once it lapses, it can.
    expect(await advanceHistoryImport(deps, TEST_SHOP, started.id)).toBe("applying");
    clock += 3 * 60_000;
    expect(await advanceHistoryImport(deps, TEST_SHOP, started.id)).toBe("completed");
    expect(await latestImport(resumed.db, TEST_SHOP)).toMatchObject({ status: "completed", ordersImported: 7 });
    expect(await mirror(resumed.db)).toEqual(await mirror(viaWebhooks.db));
  });
});
