import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { receiveWebhook } from "../../webhooks/receive.server";
import { processEvent } from "../../jobs/process-event.server";
import type { Db } from "../../db.server";
import { detailsPauseOf, latestImport } from "../../models/history-import.server";
import { loadOrderForReturns } from "../returns/cases.server";
import { testSandbox, TEST_SHOP } from "../../../sandbox/engine/testing";

import { advanceHistoryImport, ImportInterrupted, startHistoryImport, type HistoryImportDeps } from "./import.server";

/**
 * The same shop history reaches two databases: once as webhooks (held, then delivered in a shuffled
 * order with duplicates) and once through the history import. The mirrors must come out identical:
 * orders and line items, customers, shipments with their lines and carrier scans, refunds with
 * their lines, returns with their lines and reasons. Single shipments get their lines from the bulk
 * file; every other order with shipments, refunds or returns is read after it (decision 0022). Not
 * compared: the times only webhooks stamp (a return's), a customer's locale (only GraphQL has it)
 * and a return's name (REST payloads give null). An order whose only shipment the file describes
 * whole is not read again, so its carrier scans are not imported; its shipment's status and delivery
 * stamps (in transit, delivered: what the return window counts from) come from the file and must
 * equal what the scans' webhooks left. Its scans are the one thing compared apart.
 */
const secret = process.env.SHOPIFY_API_SECRET!;
let viaWebhooks: TestDatabase;
let viaImport: TestDatabase;
let resumed: TestDatabase;
let detailsResumed: TestDatabase;

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
  const ret = sandbox.requestReturn({
    shop: s,
    order: big,
    lines: [{ lineItemId: big.lineItems[0].id, quantity: 1 }],
    reason: "SIZE_TOO_SMALL",
  });
  sandbox.approveReturn({ shop: s, return: ret });
  const declined = sandbox.requestReturn({
    shop: s,
    order: big,
    lines: [{ lineItemId: big.lineItems[0].id, quantity: 1 }],
  });
  sandbox.declineReturn({ shop: s, return: declined, reason: "FINAL_SALE", note: "Final" });
  // Shipped in two parts, nothing else.
  const split = sandbox.placeOrder({
    shop: s,
    customer: bob,
    lines: [
      { variantId: mug.variants[0].id, quantity: 2 },
      { variantId: candle.variants[0].id, quantity: 1 },
    ],
    paid: true,
  });
  sandbox.fulfil({
    shop: s,
    order: split,
    lines: [{ lineItemId: split.lineItems[0].id, quantity: 1 }],
    trackingCompany: "DHL",
    trackingNumber: "D1",
  });
  const rest = sandbox.fulfil({ shop: s, order: split, trackingCompany: "DHL", trackingNumber: "D2" });
  sandbox.carrierScan({ shop: s, fulfillment: rest, status: "in_transit", city: "Ottawa" });
  // Shipped once, then partly refunded.
  const refunded = sandbox.placeOrder({
    shop: s,
    customer: ada,
    lines: [{ variantId: tee.variants[0].id, quantity: 3 }],
    paid: true,
  });
  sandbox.fulfil({ shop: s, order: refunded, trackingCompany: "UPS", trackingNumber: "1Z777" });
  sandbox.refund({
    shop: s,
    order: refunded,
    lines: [{ lineItemId: refunded.lineItems[0].id, quantity: 1, restockType: "return" }],
    note: "One was torn",
  });
  // Shipped once, then one unit returned (asked for, approved).
  const returned = sandbox.placeOrder({
    shop: s,
    customer: bob,
    lines: [
      { variantId: mug.variants[0].id, quantity: 1 },
      { variantId: candle.variants[0].id, quantity: 2 },
    ],
    paid: true,
  });
  sandbox.fulfil({ shop: s, order: returned, trackingCompany: "USPS", trackingNumber: "9400R" });
  const back = sandbox.requestReturn({
    shop: s,
    order: returned,
    lines: [{ lineItemId: returned.lineItems[1].id, quantity: 1 }],
    reason: "DEFECTIVE",
  });
  sandbox.approveReturn({ shop: s, return: back });
  const guest = sandbox.placeOrder({
    shop: s,
    email: "guest@example.com",
    lines: [{ variantId: candle.variants[0].id, quantity: 3 }],
    paid: false,
  });
  sandbox.payOrder({ shop: s, order: guest });
  const plain: string[] = [];
  for (let i = 0; i < 5; i++) {
    const o = sandbox.placeOrder({
      shop: s,
      customer: i % 2 ? ada : bob,
      lines: [{ variantId: tee.variants[i % 2].id, quantity: 1 + i }],
      paid: true,
    });
    if (i % 2 === 0) {
      sandbox.fulfil({ shop: s, order: o, trackingCompany: "USPS", trackingNumber: `9400${i}` });
      plain.push(`gid://shopify/Order/${o.id}`);
    }
    if (i === 3) sandbox.cancelOrder({ shop: s, order: o, reason: "customer" });
  }
  // Shipped once and delivered, nothing else: whole from the file, delivery included.
  const delivered = sandbox.placeOrder({
    shop: s,
    customer: ada,
    lines: [{ variantId: mug.variants[0].id, quantity: 2 }],
    paid: true,
  });
  const parcel = sandbox.fulfil({ shop: s, order: delivered, trackingCompany: "UPS", trackingNumber: "1Z555" });
  sandbox.carrierScan({ shop: s, fulfillment: parcel, status: "in_transit", city: "Ottawa" });
  sandbox.carrierScan({ shop: s, fulfillment: parcel, status: "delivered" });
  sandbox.updateCustomer({ shop: s, customer: bob, tags: ["returns"], acceptsMarketing: true });
  const gid = (o: { id: number }) => `gid://shopify/Order/${o.id}`;
  return {
    sandbox,
    orders: {
      big: gid(big),
      split: gid(split),
      refunded: gid(refunded),
      returned: gid(returned),
      plain,
      delivered: gid(delivered),
    },
    deliverTo(db: Db) {
      target = db;
    },
  };
}

/**
 * The mirror's rows, without the app's own ids and times; the carrier scans of `scansApart` (orders
 * whose scans the import does not read) are left out of `scans` and given as `scansApart`.
 */
async function mirror(db: Db, scansApart: string[] = []) {
  const shop = TEST_SHOP;
  const orders = await db.order.findMany({
    where: { shop },
    orderBy: { shopifyId: "asc" },
    include: { lineItems: { orderBy: { shopifyId: "asc" } } },
  });
  const customers = await db.customer.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } });
  const byLine = { orderBy: { lineItemShopifyId: "asc" } } as const;
  const fulfillments = await db.fulfillment.findMany({
    where: { shop },
    orderBy: { shopifyId: "asc" },
    include: { lines: byLine },
  });
  const scans = await db.fulfillmentEvent.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } });
  const refunds = await db.refund.findMany({
    where: { shop },
    orderBy: { shopifyId: "asc" },
    include: { lines: byLine },
  });
  const returns = await db.shopifyReturn.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } });
  const strip = <T extends object>(row: T, drop: string[] = []) =>
    Object.fromEntries(
      Object.entries(row).filter(
        ([k]) => !["id", "orderId", "fulfillmentId", "refundId", "createdAt", "updatedAt", ...drop].includes(k),
      ),
    );
  return {
    orders: orders.map((o) => ({ ...strip(o), lineItems: o.lineItems.map((l) => strip(l)) })),
    // A customer's locale is in GraphQL but not in the webhook's customer object: only the import has it.
    customers: customers.map((c) => strip(c, ["locale"])),
    fulfillments: fulfillments.map((f) => ({ ...strip(f), lines: f.lines.map((l) => strip(l)) })),
    scans: scans.filter((e) => !scansApart.includes(e.orderShopifyId)).map((e) => strip(e)),
    scansApart: scans.filter((e) => scansApart.includes(e.orderShopifyId)).map((e) => strip(e)),
    refunds: refunds.map((r) => ({ ...strip(r), lines: r.lines.map((l) => strip(l)) })),
    returns: returns.map((r) => ({
      ...strip(r, ["lines", "lastEventAt", "requestedAt", "closedAt", "name"]),
      lines: JSON.parse(r.lines) as unknown[],
    })),
  };
}

/**
 * The mirror `db` holds equals the webhooks' one, but for the carrier scans of the delivered order
 * whose only shipment the file described: the webhooks have its scans, the import its stamps only.
 */
async function expectSameAsWebhooks(db: Db, delivered: string) {
  const [imported, webhooks] = await Promise.all([mirror(db, [delivered]), mirror(viaWebhooks.db, [delivered])]);
  expect(webhooks.scansApart.map((e) => e.status)).toEqual(["in_transit", "delivered"]);
  expect(imported.scansApart).toEqual([]);
  expect({ ...imported, scansApart: [] }).toEqual({ ...webhooks, scansApart: [] });
  return imported;
}

/** Order detail queries sent (the details phase), counted from what goes to Shopify. */
let detailReads = 0;

function importDeps(t: TestDatabase, sandbox: ReturnType<typeof story>["sandbox"]): HistoryImportDeps {
  const graphql = sandbox.graphqlClient(TEST_SHOP);
  return {
    db: t.db,
    graphql: async (query, options) => {
      if (query.includes("query ReconcileOrderDetail")) detailReads += 1;
      return graphql(query, options);
    },
    fetchResult: async (url) => sandbox.fetchBulkResult(url),
    admin: { sleep: async () => {} },
  };
}

describe("the history import", () => {
  let s: ReturnType<typeof story>;

  beforeAll(async () => {
    [viaWebhooks, viaImport, resumed, detailsResumed] = await Promise.all([
      createTestDatabase(),
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
    await Promise.all([viaWebhooks.drop(), viaImport.drop(), resumed.drop(), detailsResumed.drop()]);
  });

  it("leaves the same mirror as the webhooks did, shuffled and repeated", async () => {
    const deps = importDeps(viaImport, s.sandbox);
    const started = await startHistoryImport(deps, TEST_SHOP, { trigger: "install", windowDays: 36500 });
    expect(started.status).toBe("running");
    await s.sandbox.bulk.settle();
    detailReads = 0;
    expect(await advanceHistoryImport(deps, TEST_SHOP, started.id)).toBe("completed");
    const row = (await latestImport(viaImport.db, TEST_SHOP))!;
    expect(row).toMatchObject({ status: "completed", ordersTotal: 11, ordersImported: 11, error: null });
    // Read again in full: the order shipped twice, refunded and returned, the three below, and the
    // cancelled order (its cancellation refunded it); the four shipped once with nothing else (one of
    // them delivered) come whole from the file.
    expect(row).toMatchObject({ detailsTotal: 5, detailsDone: 5 });
    expect(detailReads).toBe(5);
    const imported = await mirror(viaImport.db);
    expect(imported.orders).toHaveLength(11);
    expect(imported.fulfillments.filter((f) => f.lines.length > 0)).toHaveLength(imported.fulfillments.length);
    expect(imported.refunds.map((r) => r.lines.length)).toEqual([1, 1, 1]);
    expect(imported.returns.map((r) => r.lines)).toContainEqual([
      { lineItemShopifyId: expect.stringContaining("LineItem"), quantity: 1, reason: "defective" },
    ]);
    // The delivered shipment, from the file alone: delivered, with the carrier's times.
    const parcel = (await viaImport.db.fulfillment.findFirst({ where: { orderShopifyId: s.orders.delivered } }))!;
    expect(parcel).toMatchObject({ shipmentStatus: "delivered", deliveredAt: expect.any(Date) });
    expect(parcel.inTransitAt!.getTime()).toBeLessThan(parcel.deliveredAt!.getTime());
    await expectSameAsWebhooks(viaImport.db, s.orders.delivered);
    // Again: nothing changes, nothing doubles.
    const again = await startHistoryImport(deps, TEST_SHOP, { trigger: "merchant", windowDays: 36500 });
    await s.sandbox.bulk.settle();
    expect(await advanceHistoryImport(deps, TEST_SHOP, again.id)).toBe("completed");
    expect(await mirror(viaImport.db)).toEqual(imported);
  });

  it("makes an order placed before the install returnable: its shipped and refunded units are known", async () => {
    const { plain, split, refunded, returned, delivered } = s.orders;
    for (const id of [...plain, split, delivered]) {
      const order = (await loadOrderForReturns(viaImport.db, TEST_SHOP, id))!;
      expect(order.lines.length).toBeGreaterThan(0);
      for (const line of order.lines) {
        expect(line.fulfilledQuantity).toBe(line.quantity);
        expect(line.fulfilledAt).not.toBeNull();
      }
    }
    const partly = (await loadOrderForReturns(viaImport.db, TEST_SHOP, refunded))!;
    expect(partly.lines).toMatchObject([{ quantity: 3, fulfilledQuantity: 3, refundedQuantity: 1 }]);
    // Its return window runs from the delivery, as with the webhooks.
    const parcel = (await loadOrderForReturns(viaImport.db, TEST_SHOP, delivered))!;
    expect(parcel.lines.every((l) => l.deliveredAt !== null)).toBe(true);
    // The same facts as the webhooks gave, for every order.
    for (const id of [...plain, split, refunded, returned, delivered, s.orders.big]) {
      expect(await loadOrderForReturns(viaImport.db, TEST_SHOP, id)).toEqual(
        await loadOrderForReturns(viaWebhooks.db, TEST_SHOP, id),
      );
    }
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
    expect(await latestImport(resumed.db, TEST_SHOP)).toMatchObject({ status: "completed", ordersImported: 11 });
    await expectSameAsWebhooks(resumed.db, s.orders.delivered);
  });

  it("resumes the details phase after a restart, where it was, without doubling anything", async () => {
    let clock = Date.parse("2026-12-04T10:00:00Z");
    const deps = { ...importDeps(detailsResumed, s.sandbox), now: () => new Date(clock) };
    // The shop's query-cost bucket refills in real time, and this file's reads of long orders can
    // empty it (the client's sleep does not wait here): a bucket too large to empty, so that only
    // the throttling this test forces below can pause the phase, however fast the machine.
    s.sandbox.setThrottle(TEST_SHOP, { maximumAvailable: 1_000_000, currentlyAvailable: 1_000_000 });
    const started = await startHistoryImport(deps, TEST_SHOP, { trigger: "install", windowDays: 36500 });
    await s.sandbox.bulk.settle();
    detailReads = 0;
    await expect(advanceHistoryImport({ ...deps, stopAfterDetails: 2 }, TEST_SHOP, started.id)).rejects.toThrow(
      ImportInterrupted,
    );
    const stopped = (await latestImport(detailsResumed.db, TEST_SHOP))!;
    expect(stopped).toMatchObject({ status: "details", ordersImported: 11, detailsTotal: 5, detailsDone: 2 });
    // The newest orders were read first: the three left are the oldest of the five.
    const left = await detailsResumed.db.historyImportPendingOrder.findMany({ where: { importId: started.id } });
    expect(left.map((p) => p.orderShopifyId).sort()).toEqual([s.orders.big, s.orders.split, s.orders.refunded].sort());
    // Shopify throttles the next read past the client's retries: the phase pauses, records it and
    // waits 30 s before the next try.
    clock += 3 * 60_000;
    s.sandbox.throttleNext(TEST_SHOP, 5);
    expect(await advanceHistoryImport(deps, TEST_SHOP, started.id)).toBe("details");
    const paused = (await latestImport(detailsResumed.db, TEST_SHOP))!;
    expect(paused).toMatchObject({ status: "details", leaseUntil: new Date(clock + 30_000) });
    expect(detailsPauseOf(paused)).toMatchObject({
      attempts: 1,
      lastError: "Shopify kept asking Aftercare to slow down",
    });
    // Another process cannot take it over while a lease holds; once it lapses, it can.
    await detailsResumed.db.historyImport.update({
      where: { id: started.id },
      data: { leaseUntil: new Date(clock + 60_000) },
    });
    expect(await advanceHistoryImport(deps, TEST_SHOP, started.id)).toBe("details");
    clock += 3 * 60_000;
    expect(await advanceHistoryImport(deps, TEST_SHOP, started.id)).toBe("completed");
    // Each order read once, plus the five attempts Shopify answered THROTTLED before the pause.
    expect(detailReads).toBe(5 + 5);
    expect(await latestImport(detailsResumed.db, TEST_SHOP)).toMatchObject({
      status: "completed",
      detailsTotal: 5,
      detailsDone: 5,
      leaseUntil: null,
      error: null,
    });
    expect(await detailsResumed.db.historyImportPendingOrder.count()).toBe(0);
    await expectSameAsWebhooks(detailsResumed.db, s.orders.delivered);
  });
});
