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
    // lines' reasons are REST's old enum, mapped from GraphQL's reason definitions (decision 0023).
    returns: returns.map((r) => ({
      ...strip(r, ["lastEventAt", "requestedAt", "closedAt", "name", "lines"]),
      lines: JSON.parse(r.lines) as unknown[],
    })),
  };
}

const queries: string[] = [];
/** The names of the operations sent, in order. */
const operations: string[] = [];
function deps(db: Db, extra: Partial<ReconcileDeps> = {}): ReconcileDeps {
  const graphql = sandbox.graphqlClient(s);
  return {
    db,
    graphql: async (query, options) => {
      if (options?.variables?.query) queries.push(String(options.variables.query));
      operations.push(/\bquery (\w+)/.exec(query)?.[1] ?? "?");
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

  it("reads every page of an order longer than one query reads, and leaves nothing out", async () => {
    clock += 60 * 60_000;
    const prints = Array.from({ length: 24 }, (_, i) =>
      sandbox.addProduct(s, { title: `Print ${i + 1}`, price: "10.00" }),
    );
    // Only the reference hears of this order: the target has nothing of it before the pass.
    deliverTo = [reference.db];
    const order = sandbox.placeOrder({
      shop: s,
      email: "long@example.com",
      lines: [mug, ...prints].map((p) => ({ variantId: p.variants[0].id, quantity: 2 })),
      paid: true,
    });
    const li = order.lineItems;
    expect(li).toHaveLength(25);
    // Seven shipments: the first with 12 lines and 12 scans, the second with 4 tracking numbers, the
    // last with the rest.
    const first = sandbox.fulfil({
      shop: s,
      order,
      lines: li.slice(0, 12).map((l) => ({ lineItemId: l.id, quantity: 1 })),
      trackingCompany: "UPS",
      trackingNumber: "1ZL0",
    });
    for (let i = 1; i <= 12; i++) {
      clock += 60_000;
      sandbox.carrierScan({
        shop: s,
        fulfillment: first,
        status: i === 12 ? "delivered" : "in_transit",
        message: `Scan ${i}`,
      });
    }
    const singles = li.slice(12, 17).map((l) => {
      clock += 60_000;
      return sandbox.fulfil({
        shop: s,
        order,
        lines: [{ lineItemId: l.id, quantity: 1 }],
        trackingCompany: "USPS",
        trackingNumber: `9400L${l.id}`,
      });
    });
    const second = singles[0];
    const tracking = await sandbox.graphqlClient(s)(
      `mutation Track($id: ID!, $info: FulfillmentTrackingInput!) {
        fulfillmentTrackingInfoUpdate(fulfillmentId: $id, trackingInfoInput: $info) { userErrors { message } }
      }`,
      {
        variables: {
          id: `gid://shopify/Fulfillment/${second.id}`,
          info: { company: "USPS", numbers: ["9400A", "9400B", "9400C", "9400D"] },
        },
      },
    );
    expect(await tracking.json()).toMatchObject({ data: { fulfillmentTrackingInfoUpdate: { userErrors: [] } } });
    sandbox.fulfil({ shop: s, order, trackingCompany: "DHL", trackingNumber: "DLAST" });
    // Four refunds, the first with 12 lines.
    sandbox.refund({ shop: s, order, lines: li.slice(13).map((l) => ({ lineItemId: l.id, quantity: 1 })) });
    for (const l of li.slice(13, 16)) sandbox.refund({ shop: s, order, lines: [{ lineItemId: l.id, quantity: 1 }] });
    // Six returns, the first with 10 lines, each with its reason.
    const approve = (ret: ReturnType<typeof sandbox.requestReturn>) => sandbox.approveReturn({ shop: s, return: ret });
    approve(
      sandbox.requestReturn({
        shop: s,
        order,
        lines: li.slice(0, 10).map((l) => ({ lineItemId: l.id, quantity: 1 })),
        reason: "SIZE_TOO_SMALL",
      }),
    );
    const reasons = ["COLOR", "WRONG_ITEM", "STYLE", "NOT_AS_DESCRIBED", "UNWANTED"];
    for (const [i, l] of [li[10], li[11], li[12], li[0], li[1]].entries()) {
      sandbox.requestReturn({ shop: s, order, lines: [{ lineItemId: l.id, quantity: 1 }], reason: reasons[i] });
    }
    await sandbox.flush();
    deliverTo = [reference.db, target.db];

    clock += 60 * 60_000;
    operations.length = 0;
    // A throttled request waits (on the sandbox's clock) as Shopify's cost fields say.
    const pass = await reconcileShop(
      deps(target.db, {
        admin: {
          sleep: async (ms) => {
            clock += ms;
          },
        },
      }),
      s,
    );
    expect(pass).toMatchObject({
      status: "completed",
      counts: { ordersCreated: 1, shipmentsFound: 7, scansFound: 12, refundsFound: 4, returnsFound: 6 },
    });
    // Each longer list was followed with its own query.
    expect(new Set(operations)).toEqual(
      new Set([
        "ReconcileOrderPage",
        "ReconcileOrderDetail",
        "ReconcileOrderLineItems",
        "ReconcileOrderChildIds",
        "ReconcileFulfillment",
        "ReconcileFulfillmentLines",
        "ReconcileFulfillmentEvents",
        "ReconcileRefund",
        "ReconcileRefundLines",
        "ReconcileOrderReturns",
        "ReconcileReturnLines",
      ]),
    );
    const gid = `gid://shopify/Order/${order.id}`;
    const got = await mirror(target.db);
    const field = (row: object, key: string) => (row as Record<string, unknown>)[key];
    expect(got.orders.find((o) => field(o, "shopifyId") === gid)?.lineItems).toHaveLength(25);
    const shipments = got.fulfillments.filter((f) => field(f, "orderShopifyId") === gid);
    expect(shipments).toHaveLength(7);
    expect(shipments.map((f) => f.lines.length).sort((a, b) => a - b)).toEqual([1, 1, 1, 1, 1, 12, 25]);
    expect(shipments.find((f) => field(f, "shopifyId") === `gid://shopify/Fulfillment/${second.id}`)).toMatchObject({
      trackingNumbers: JSON.stringify(["9400A", "9400B", "9400C", "9400D"]),
    });
    expect(got.events.filter((e) => field(e, "orderShopifyId") === gid)).toHaveLength(12);
    const refunds = got.refunds.filter((r) => field(r, "orderShopifyId") === gid);
    expect(refunds.map((r) => r.lines.length).sort((a, b) => a - b)).toEqual([1, 1, 1, 12]);
    const returns = got.returns.filter((r) => field(r, "orderShopifyId") === gid);
    expect(returns.map((r) => r.lines.length).sort((a, b) => a - b)).toEqual([1, 1, 1, 1, 1, 10]);
    expect(returns.flatMap((r) => r.lines as { reason: string }[]).map((l) => l.reason)).toEqual(
      expect.arrayContaining(["size_too_small", "color", "wrong_item", "style", "not_as_described", "unwanted"]),
    );
    expect(got).toEqual(await mirror(reference.db));
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
