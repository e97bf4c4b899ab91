import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { receiveWebhook } from "../../webhooks/receive.server";
import { processEvent } from "../../jobs/process-event.server";
import type { Db } from "../../db.server";
import { findReconciliation } from "../../models/reconciliation.server";
import { testSandbox, TEST_SHOP } from "../../../sandbox/engine/testing";

import { OVERLAP_MS, reconcileShop, type ReconcileDeps } from "./reconcile.server";

/**
 * One sandbox shop feeds two databases: `reference` gets every webhook, `target` misses the ones the
 * sandbox drops on purpose. A reconciliation pass must bring `target` to what `reference` holds.
 * The sandbox's clock and the pass's are fixed and moved by hand: nothing depends on today.
 */
const secret = process.env.SHOPIFY_API_SECRET!;
const s = TEST_SHOP;
let reference: TestDatabase;
let target: TestDatabase;
let clock = Date.parse("2026-03-02T09:00:00Z");
let deliverTo: Db[] = [];

async function deliver(request: Request) {
  let response = new Response("no database", { status: 500 });
  for (const db of deliverTo) {
    const recorded: string[] = [];
    response = await receiveWebhook(request.clone(), { db, secret, onRecorded: (id) => recorded.push(id) });
    for (const id of recorded) await processEvent(db, id);
  }
  return response;
}

const { sandbox, mug, tee, candle } = testSandbox({
  webhookFetch: deliver,
  apiSecret: secret,
  clock: () => new Date(clock),
});

/** The mirror's rows, without the app's own ids and times. */
async function mirror(db: Db) {
  const where = { shop: s };
  const strip = <T extends object>(row: T, drop: string[] = []) =>
    Object.fromEntries(
      Object.entries(row).filter(
        ([k]) => !["id", "orderId", "fulfillmentId", "refundId", "createdAt", "updatedAt", ...drop].includes(k),
      ),
    );
  const byGid = { shopifyId: "asc" } as const;
  const orders = await db.order.findMany({ where, orderBy: byGid, include: { lineItems: { orderBy: byGid } } });
  const fulfillments = await db.fulfillment.findMany({
    where,
    orderBy: byGid,
    include: { lines: { orderBy: { lineItemShopifyId: "asc" } } },
  });
  const events = await db.fulfillmentEvent.findMany({ where, orderBy: byGid });
  const refunds = await db.refund.findMany({
    where,
    orderBy: byGid,
    include: { lines: { orderBy: { lineItemShopifyId: "asc" } } },
  });
  const returns = await db.shopifyReturn.findMany({ where, orderBy: byGid });
  return {
    orders: orders.map((o) => ({ ...strip(o), lineItems: o.lineItems.map((l) => strip(l)) })),
    fulfillments: fulfillments.map((f) => ({ ...strip(f), lines: f.lines.map((l) => strip(l)) })),
    events: events.map((e) => strip(e)),
    refunds: refunds.map((r) => ({ ...strip(r), lines: r.lines.map((l) => strip(l)) })),
    // A return's name and times come from the webhooks' own stamps (X-Shopify-Triggered-At); its
    // lines' reasons are REST's old enum, which GraphQL no longer gives (decision 0023).
    returns: returns.map((r) => ({
      ...strip(r, ["lastEventAt", "requestedAt", "closedAt", "name", "lines"]),
      lines: (JSON.parse(r.lines) as { reason?: string }[]).map(({ reason: _reason, ...line }) => line),
    })),
  };
}

const queries: string[] = [];
function deps(db: Db, extra: Partial<ReconcileDeps> = {}): ReconcileDeps {
  const graphql = sandbox.graphqlClient(s);
  return {
    db,
    graphql: async (query, options) => {
      if (options?.variables?.query) queries.push(String(options.variables.query));
      return graphql(query, options);
    },
    now: () => new Date(clock),
    ...extra,
  };
}

/** Runs `change` with the named topics dropped (every delivery of them), then stops dropping. */
function dropping<T>(topics: string[], change: () => T): T {
  for (const topic of topics) sandbox.webhooks.drop(topic);
  try {
    return change();
  } finally {
    sandbox.webhooks.clearDrops();
  }
}

const dropped = () =>
  sandbox.webhooks
    .deliveries({ shop: s })
    .filter((d) => d.status === "dropped")
    .map((d) => d.webhookId);

async function replayDropped(ids: string[]) {
  for (const id of ids) sandbox.webhooks.replay(id);
  await sandbox.flush();
}

let idle: ReturnType<typeof sandbox.placeOrder>;
/** What Shopify sends about an order and what hangs off it. */
const EVERY_ORDER_TOPIC = [
  "orders/create",
  "orders/paid",
  "orders/updated",
  "orders/fulfilled",
  "orders/partially_fulfilled",
  "fulfillments/create",
  "fulfillments/update",
  "fulfillment_events/create",
  "refunds/create",
  "returns/request",
  "returns/approve",
];

describe("reconciliation", () => {
  beforeAll(async () => {
    [reference, target] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    deliverTo = [reference.db, target.db];
    const ada = sandbox.createCustomer({ shop: s, email: "ada@example.com", firstName: "Ada", lastName: "L" });
    // Seen by the webhooks: an order, shipped and scanned.
    const seen = sandbox.placeOrder({
      shop: s,
      customer: ada,
      lines: [{ variantId: mug.variants[0].id, quantity: 2 }],
      paid: false,
    });
    const shipped = sandbox.fulfil({ shop: s, order: seen, trackingCompany: "UPS", trackingNumber: "1Z1" });
    sandbox.carrierScan({ shop: s, fulfillment: shipped, status: "in_transit" });
    clock += 60_000;
    // Missed entirely: an order whose every webhook is lost, shipped, scanned twice and refunded.
    const lost = dropping(EVERY_ORDER_TOPIC, () => {
      const order = sandbox.placeOrder({
        shop: s,
        customer: ada,
        lines: [
          { variantId: tee.variants[0].id, quantity: 1 },
          { variantId: candle.variants[0].id, quantity: 2 },
        ],
        paid: true,
      });
      clock += 60_000;
      const f = sandbox.fulfil({ shop: s, order, trackingCompany: "USPS", trackingNumber: "9400" });
      sandbox.carrierScan({ shop: s, fulfillment: f, status: "out_for_delivery" });
      sandbox.carrierScan({ shop: s, fulfillment: f, status: "delivered" });
      clock += 60_000;
      sandbox.refund({ shop: s, order, lines: [{ lineItemId: order.lineItems[1].id, quantity: 1 }] });
      return order;
    });
    expect(lost.id).toBeGreaterThan(0);
    // A return requested and approved while its webhooks are lost.
    dropping(EVERY_ORDER_TOPIC, () => {
      const ret = sandbox.requestReturn({
        shop: s,
        order: seen,
        lines: [{ lineItemId: seen.lineItems[0].id, quantity: 1 }],
      });
      sandbox.approveReturn({ shop: s, return: ret });
    });
    // Seen when placed; shipped while the webhooks are lost: the mirror's order is behind.
    const late = sandbox.placeOrder({
      shop: s,
      email: "guest@example.com",
      lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
      paid: false,
    });
    dropping(EVERY_ORDER_TOPIC, () =>
      sandbox.fulfil({ shop: s, order: late, trackingCompany: "DHL", trackingNumber: "D1" }),
    );
    // Unfulfilled, every webhook seen: it ships in the middle of a later pass.
    idle = sandbox.placeOrder({
      shop: s,
      email: "idle@example.com",
      lines: [{ variantId: candle.variants[0].id, quantity: 1 }],
      paid: false,
    });
    await sandbox.flush();
  }, 60_000);

  afterAll(async () => {
    sandbox.close();
    await Promise.all([reference.drop(), target.drop()]);
  });

  it("a pass brings the missed orders, shipments, scans, refunds and returns into the mirror", async () => {
    const lost = dropped();
    expect(lost.length).toBeGreaterThanOrEqual(7);
    // The reference gets what was dropped (late, as Shopify's retries would); the target does not.
    deliverTo = [reference.db];
    await replayDropped(lost);
    expect(await mirror(target.db)).not.toEqual(await mirror(reference.db));

    clock += 60 * 60_000;
    const pass = await reconcileShop(deps(target.db), s, "merchant");
    expect(pass).toMatchObject({
      status: "completed",
      counts: {
        ordersSeen: 4,
        ordersCreated: 1,
        ordersUpdated: 2,
        shipmentsFound: 2,
        scansFound: 2,
        refundsFound: 1,
        returnsFound: 1,
      },
      incomplete: [],
    });
    expect(await mirror(target.db)).toEqual(await mirror(reference.db));
    expect(await findReconciliation(target.db, s)).toMatchObject({
      lastTrigger: "merchant",
      lastError: null,
      leaseUntil: null,
      ordersCreated: 1,
      refundsFound: 1,
    });
  });

  it("a second pass finds nothing, and the webhooks arriving late change nothing", async () => {
    clock += 5 * 60_000;
    const before = await mirror(target.db);
    const again = await reconcileShop(deps(target.db), s);
    expect(again).toMatchObject({
      status: "completed",
      counts: {
        ordersCreated: 0,
        ordersUpdated: 0,
        shipmentsFound: 0,
        scansFound: 0,
        refundsFound: 0,
        returnsFound: 0,
      },
    });
    expect(await mirror(target.db)).toEqual(before);
    // Now the dropped webhooks reach the target too, after the pass and out of order: newest wins.
    deliverTo = [target.db];
    await replayDropped([...dropped()].reverse());
    expect(await mirror(target.db)).toEqual(before);
    expect(before).toEqual(await mirror(reference.db));
    deliverTo = [reference.db, target.db];
  });

  it("reads from the cursor less the overlap, and catches next time an order changed during a pass", async () => {
    const cursor = (await findReconciliation(target.db, s))!.cursor!;
    clock += 60 * 60_000;
    const recent = sandbox.placeOrder({
      shop: s,
      email: "new@example.com",
      lines: [{ variantId: tee.variants[1].id, quantity: 1 }],
      paid: false,
    });
    await sandbox.flush();
    clock += 60 * 60_000;
    queries.length = 0;
    await reconcileShop(deps(target.db), s);
    expect(queries).toEqual([`updated_at:>=${new Date(cursor.getTime() - OVERLAP_MS).toISOString()}`]);
    // Only the order changed since the cursor is read now.
    clock += 60 * 60_000;
    const droppedBefore = new Set(dropped());
    const pass = await reconcileShop(
      deps(target.db, {
        afterPage: async (ids) => {
          expect(ids).toEqual([`gid://shopify/Order/${recent.id}`]);
          // An older order ships while the pass runs, its webhooks lost: it is not on the page read.
          dropping(["fulfillments/create", "orders/updated", "orders/fulfilled"], () =>
            sandbox.fulfil({ shop: s, order: idle, trackingCompany: "UPS", trackingNumber: "1Z2" }),
          );
        },
      }),
      s,
    );
    expect(pass).toMatchObject({ status: "completed", counts: { ordersSeen: 1 } });
    await sandbox.flush();
    const next = await reconcileShop(deps(target.db), s);
    expect(next).toMatchObject({
      status: "completed",
      counts: { ordersSeen: 2, ordersCreated: 0, ordersUpdated: 1, shipmentsFound: 1 },
    });
    deliverTo = [reference.db];
    await replayDropped(dropped().filter((id) => !droppedBefore.has(id)));
    expect(await mirror(target.db)).toEqual(await mirror(reference.db));
    deliverTo = [reference.db, target.db];
  });

  it("one pass at a time per shop", async () => {
    const { claimReconciliation } = await import("../../models/reconciliation.server");
    const now = new Date(clock);
    expect(await claimReconciliation(target.db, s, now, new Date(clock + 60_000), "schedule")).not.toBeNull();
    expect(await reconcileShop(deps(target.db), s)).toEqual({ status: "busy" });
    clock += 2 * 60_000;
    expect(await reconcileShop(deps(target.db), s)).toMatchObject({ status: "completed" });
  });
});
