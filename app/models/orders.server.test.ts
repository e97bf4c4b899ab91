import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { examplePayload } from "../../tests/helpers/webhooks";
import type { Tx } from "../db.server";
import { orderFromPayload, refundFromPayload, type FulfillmentRecord, type OrderRecord } from "../webhooks/payloads";

import {
  applyFulfillmentTx,
  applyFulfillmentsTx,
  applyOrder,
  applyOrderTx,
  applyOrdersTx,
  applyRefund,
  REDACTED_ORDER_FIELDS,
} from "./orders.server";

const SHOP = "mirror.myshopify.com";
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

/** Shopify's example order, at a given update time, with one line item whose quantity marks the snapshot. */
function snapshot(id: number, minute: number) {
  const payload = JSON.parse(examplePayload("orders/create"));
  payload.id = id;
  payload.admin_graphql_api_id = `gid://shopify/Order/${id}`;
  payload.updated_at = new Date(Date.UTC(2026, 10, 1, 12, minute)).toISOString();
  payload.line_items = [{ ...payload.line_items[0], quantity: minute }];
  payload.fulfillments = [];
  payload.refunds = [];
  return orderFromPayload(payload);
}

describe(`the order mirror (${process.env.TEST_DATABASE ?? "sqlite"})`, () => {
  it(
    "keeps the newest snapshot, line items included, when snapshots of a new order are " +
      "written at once in any order",
    async () => {
      const minutes = [3, 9, 1, 7, 5, 8, 2];
      const results = await Promise.all(minutes.map((m) => applyOrder(t.db, SHOP, snapshot(4101, m))));
      expect(results.filter((r) => r === "created")).toHaveLength(1);
      const row = await t.db.order.findUniqueOrThrow({
        where: { shop_shopifyId: { shop: SHOP, shopifyId: "gid://shopify/Order/4101" } },
        include: { lineItems: true },
      });
      expect(row.shopifyUpdatedAt.toISOString()).toBe("2026-11-01T12:09:00.000Z");
      expect(row.lineItems.map((l) => l.quantity)).toEqual([9]);
      // An older one arriving later changes nothing.
      expect(await applyOrder(t.db, SHOP, snapshot(4101, 4))).toBe("stale");
      expect((await t.db.lineItem.findFirstOrThrow({ where: { orderId: row.id } })).quantity).toBe(9);
    },
  );

  const manyNewOrders =
    "keeps the newest snapshot of each of many new orders written at once, whichever writer creates the row";
  it(manyNewOrders, async () => {
    // Many at once, so that on PostgreSQL a writer's update runs before another creates the row
    // and its read after: it must not take itself for stale when its snapshot is the newest.
    const minutes = [3, 9, 1, 7, 5, 8, 2, 6, 4];
    const orders = Array.from({ length: 12 }, (_, i) => 4200 + i);
    await Promise.all(orders.flatMap((id) => minutes.map((m) => applyOrder(t.db, SHOP, snapshot(id, m)))));
    const rows = await t.db.order.findMany({
      where: { shop: SHOP, shopifyId: { in: orders.map((id) => `gid://shopify/Order/${id}`) } },
      select: { shopifyUpdatedAt: true, lineItems: { select: { quantity: true } } },
    });
    expect(rows).toHaveLength(orders.length);
    for (const row of rows) {
      expect(row.shopifyUpdatedAt.toISOString()).toBe("2026-11-01T12:09:00.000Z");
      expect(row.lineItems.map((l) => l.quantity)).toEqual([9]);
    }
  });

  it("never brings back a forgotten customer's personal fields with a late update", async () => {
    await applyOrder(t.db, SHOP, snapshot(4102, 1));
    await t.db.order.updateMany({
      where: { shopifyId: "gid://shopify/Order/4102" },
      data: { email: null, phone: null, redactedAt: new Date() },
    });
    expect(await applyOrder(t.db, SHOP, snapshot(4102, 2))).toBe("updated");
    const row = await t.db.order.findFirstOrThrow({
      where: { shopifyId: "gid://shopify/Order/4102" },
      include: { lineItems: true },
    });
    expect(row.email).toBeNull();
    expect(row.shopifyUpdatedAt.toISOString()).toBe("2026-11-01T12:02:00.000Z");
    expect(row.lineItems[0].quantity).toBe(2);
  });

  it("records a refund once however often it is delivered, with its lines", async () => {
    const refund = refundFromPayload(JSON.parse(examplePayload("refunds/create")));
    const results = await Promise.all([1, 2, 3].map(() => applyRefund(t.db, SHOP, refund)));
    expect(results.sort()).toEqual(["created", "unchanged", "unchanged"]);
    const rows = await t.db.refund.findMany({ where: { shop: SHOP }, include: { lines: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0].lines.length).toBe(refund.lines.length);
  });
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 12, minute));

/** A snapshot with a second line item, as an order edited to add one. */
function withExtraItem(order: OrderRecord, itemId: string): OrderRecord {
  return { ...order, lineItems: [...order.lineItems, { ...order.lineItems[0], shopifyId: itemId, quantity: 1 }] };
}

/** The rows of a shop's orders (or shipments) without what the app makes up (ids, its own times). */
async function ordersOf(shop: string) {
  const rows = await t.db.order.findMany({
    where: { shop },
    orderBy: { shopifyId: "asc" },
    include: { lineItems: { orderBy: { shopifyId: "asc" } } },
  });
  return rows.map(({ id: _id, shop: _shop, createdAt: _c, updatedAt: _u, redactedAt, lineItems, ...order }) => ({
    ...order,
    redacted: redactedAt !== null,
    lineItems: lineItems.map(({ id: _i, orderId: _o, ...item }) => item),
  }));
}

async function shipmentsOf(shop: string) {
  const rows = await t.db.fulfillment.findMany({
    where: { shop },
    orderBy: { shopifyId: "asc" },
    include: { lines: { orderBy: { lineItemShopifyId: "asc" } } },
  });
  return rows.map(({ id: _id, shop: _shop, createdAt: _c, updatedAt: _u, lines, ...f }) => ({
    ...f,
    lines: lines.map(({ id: _i, fulfillmentId: _f, ...line }) => line),
  }));
}

/** Runs `write` once for the batch function and once for the one-row function over the same records. */
async function bothWays<T>(
  shops: { batch: string; oneByOne: string },
  records: T[],
  batch: (tx: Tx, shop: string, records: T[]) => Promise<void>,
  one: (tx: Tx, shop: string, record: T) => Promise<unknown>,
) {
  await t.db.$transaction((tx) => batch(tx, shops.batch, records));
  await t.db.$transaction(async (tx) => {
    for (const r of records) await one(tx, shops.oneByOne, r);
  });
}

function shipment(id: number, minute: number, lines: [string, number][], estimate?: Date): FulfillmentRecord {
  return {
    shopifyId: `gid://shopify/Fulfillment/${id}`,
    orderShopifyId: "gid://shopify/Order/1",
    name: `#1001-F${id}`,
    status: "success",
    shipmentStatus: minute > 5 ? "in_transit" : null,
    trackingCompany: "UPS",
    trackingNumbers: [`1Z${id}-${minute}`],
    trackingUrls: [],
    estimatedDeliveryAt: estimate ?? null,
    shopifyCreatedAt: at(0),
    shopifyUpdatedAt: at(minute),
    lines: lines.map(([item, quantity]) => ({ lineItemShopifyId: `gid://shopify/LineItem/${item}`, quantity })),
  };
}

describe(`the mirror's batches (${process.env.TEST_DATABASE ?? "sqlite"})`, () => {
  const mixedOrders =
    "writes a batch of new and stored orders as the one-by-one writes would, newest winning, redaction kept";
  it(mixedOrders, async () => {
    const shops = { batch: "batch-orders.myshopify.com", oneByOne: "one-orders.myshopify.com" };
    for (const shop of Object.values(shops)) {
      for (const [id, minute] of [
        [5001, 5],
        [5002, 5],
        [5003, 9],
      ]) {
        await applyOrder(t.db, shop, snapshot(id, minute));
      }
      await t.db.order.updateMany({
        where: { shop, shopifyId: "gid://shopify/Order/5002" },
        data: { ...REDACTED_ORDER_FIELDS, redactedAt: new Date() },
      });
    }
    const batch = [
      withExtraItem(snapshot(5001, 7), "gid://shopify/LineItem/5001-extra"), // stored: newer, one item more
      snapshot(5002, 6), // stored and redacted: newer
      withExtraItem(snapshot(5003, 3), "gid://shopify/LineItem/5003-extra"), // stored: older, changes nothing
      snapshot(5004, 4), // new, twice in the batch: the newer wins
      snapshot(5004, 8),
      snapshot(5005, 2), // new
    ];
    await bothWays(shops, batch, applyOrdersTx, applyOrderTx);

    const rows = await ordersOf(shops.batch);
    expect(rows).toEqual(await ordersOf(shops.oneByOne));
    const byId = new Map(rows.map((r) => [r.shopifyId.split("/").pop(), r]));
    expect(byId.get("5001")!.shopifyUpdatedAt).toEqual(at(7));
    expect(byId.get("5001")!.lineItems.map((li) => li.quantity)).toEqual([7, 1]);
    expect(byId.get("5002")).toMatchObject({ shopifyUpdatedAt: at(6), email: null, redacted: true });
    expect(byId.get("5002")!.lineItems[0].quantity).toBe(6);
    expect(byId.get("5003")!.shopifyUpdatedAt).toEqual(at(9));
    expect(byId.get("5003")!.lineItems.map((li) => li.quantity)).toEqual([9]);
    expect(byId.get("5004")!.shopifyUpdatedAt).toEqual(at(8));
    expect(byId.get("5004")!.lineItems.map((li) => li.quantity)).toEqual([8]);
    expect(byId.get("5004")!.email).not.toBeNull();
    expect(rows).toHaveLength(5);
  });

  it("keeps an order's line items in the order given, as Prisma's own ids do", async () => {
    const shop = "batch-item-order.myshopify.com";
    const order = snapshot(5101, 1);
    const items = Array.from({ length: 30 }, (_, i) => ({
      ...order.lineItems[0],
      shopifyId: `gid://shopify/LineItem/${9000 - i}`,
      title: `Item ${i}`,
    }));
    await t.db.$transaction((tx) => applyOrdersTx(tx, shop, [{ ...order, lineItems: items }]));
    const stored = await t.db.lineItem.findMany({ where: { order: { shop } }, select: { id: true, title: true } });
    const byId = stored.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((li) => li.title);
    expect(byId).toEqual(items.map((li) => li.title));
  });

  const mixedShipments =
    "writes a batch mixing new and stored shipments, with and without lines, as one-by-one writes would";
  it(mixedShipments, async () => {
    const shops = { batch: "batch-shipments.myshopify.com", oneByOne: "one-shipments.myshopify.com" };
    const estimate = new Date(Date.UTC(2026, 10, 5));
    for (const shop of Object.values(shops)) {
      await t.db.$transaction(async (tx) => {
        await applyFulfillmentTx(tx, shop, shipment(1, 5, [["a", 1]], estimate));
        await applyFulfillmentTx(tx, shop, shipment(2, 9, [["a", 2]]));
      });
    }
    const batch = [
      shipment(1, 7, [
        ["a", 2],
        ["b", 1],
      ]), // stored: newer, no estimate (the stored one stays), a line more
      shipment(2, 3, [["b", 5]]), // stored: older, changes nothing, its line not added
      shipment(3, 4, [
        ["a", 1],
        ["b", 1],
      ]), // new, with lines
      shipment(4, 4, []), // new, no lines
      shipment(5, 4, [
        ["a", 1],
        ["a", 3],
      ]), // new, a line named twice: the last quantity stays
    ];
    await bothWays(shops, batch, applyFulfillmentsTx, applyFulfillmentTx);

    const rows = await shipmentsOf(shops.batch);
    expect(rows).toEqual(await shipmentsOf(shops.oneByOne));
    const byId = new Map(rows.map((r) => [Number(r.shopifyId.split("/").pop()), r]));
    const lines = (id: number) =>
      byId.get(id)!.lines.map((l) => `${l.lineItemShopifyId.split("/").pop()}:${l.quantity}`);
    expect(byId.get(1)).toMatchObject({ shopifyUpdatedAt: at(7), estimatedDeliveryAt: estimate });
    expect(lines(1)).toEqual(["a:2", "b:1"]);
    expect(byId.get(2)!.shopifyUpdatedAt).toEqual(at(9));
    expect(lines(2)).toEqual(["a:2"]);
    expect(lines(3)).toEqual(["a:1", "b:1"]);
    expect(lines(4)).toEqual([]);
    expect(lines(5)).toEqual(["a:3"]);

    // Two snapshots of one shipment in a batch: the newest is written, with its lines (newestEach).
    await t.db.$transaction((tx) =>
      applyFulfillmentsTx(tx, shops.batch, [shipment(6, 2, [["a", 1]]), shipment(6, 6, [["b", 2]])]),
    );
    const [sixth] = (await shipmentsOf(shops.batch)).filter((f) => f.shopifyId.endsWith("/6"));
    expect(sixth.shopifyUpdatedAt).toEqual(at(6));
    expect(sixth.lines).toEqual([{ lineItemShopifyId: "gid://shopify/LineItem/b", quantity: 2 }]);
  });

  it("keeps the earliest delivery stamps a snapshot carries, batch and one by one alike", async () => {
    const shops = { batch: "batch-stamps.myshopify.com", oneByOne: "one-stamps.myshopify.com" };
    const stamped = (id: number, minute: number, deliveredAt: Date | null, inTransitAt?: Date | null) => ({
      ...shipment(id, minute, []),
      deliveredAt,
      inTransitAt,
    });
    for (const shop of Object.values(shops)) {
      await t.db.$transaction(async (tx) => {
        await applyFulfillmentTx(tx, shop, stamped(11, 5, at(4), at(2)));
        await applyFulfillmentTx(tx, shop, stamped(12, 5, at(4)));
        await applyFulfillmentTx(tx, shop, shipment(13, 5, []));
      });
    }
    await bothWays(
      shops,
      [
        stamped(11, 6, null), // newer, says nothing of delivery: the stamps stay
        stamped(12, 6, at(3), at(1)), // newer, delivered earlier: that stays
        stamped(13, 6, at(5)), // newer, the first stamp
        stamped(14, 6, at(5)), // new
      ],
      applyFulfillmentsTx,
      applyFulfillmentTx,
    );
    const rows = await shipmentsOf(shops.batch);
    expect(rows).toEqual(await shipmentsOf(shops.oneByOne));
    const stamps = Object.fromEntries(rows.map((r) => [r.shopifyId.split("/").pop(), [r.deliveredAt, r.inTransitAt]]));
    expect(stamps).toEqual({
      "11": [at(4), at(2)],
      "12": [at(3), at(1)],
      "13": [at(5), null],
      "14": [at(5), null],
    });
    // A later "delivered" never moves the stamp.
    await t.db.$transaction((tx) => applyFulfillmentsTx(tx, shops.batch, [stamped(12, 7, at(6))]));
    const [twelfth] = (await shipmentsOf(shops.batch)).filter((f) => f.shopifyId.endsWith("/12"));
    expect(twelfth).toMatchObject({ shopifyUpdatedAt: at(7), deliveredAt: at(3) });
  });

  it("writes a batch inside the caller's transaction: nothing of it stays when the transaction fails", async () => {
    const shop = "batch-rollback.myshopify.com";
    const failed = t.db.$transaction(async (tx) => {
      await applyOrdersTx(tx, shop, [snapshot(5301, 1), snapshot(5302, 1)]);
      await applyFulfillmentsTx(tx, shop, [shipment(5301, 1, [["a", 1]])]);
      expect(await tx.order.count({ where: { shop } })).toBe(2);
      throw new Error("a later write of the batch failed");
    });
    await expect(failed).rejects.toThrow("a later write of the batch failed");
    expect(await t.db.order.count({ where: { shop } })).toBe(0);
    expect(await t.db.lineItem.count({ where: { order: { shop } } })).toBe(0);
    expect(await t.db.fulfillment.count({ where: { shop } })).toBe(0);
  });

  it("keeps the newest of each order when a batch and webhooks write the same orders at once", async () => {
    const shop = "batch-race.myshopify.com";
    const ids = Array.from({ length: 20 }, (_, i) => 5200 + i);
    // Some webhooks bring a newer snapshot than the batch's, some an older one; all at once.
    const webhookMinute = (id: number) => (id % 2 ? 9 : 1);
    const webhook = (id: number) => applyOrder(t.db, shop, snapshot(id, webhookMinute(id)));
    await Promise.all([
      ...ids.slice(0, 10).map(webhook),
      t.db.$transaction((tx) =>
        applyOrdersTx(
          tx,
          shop,
          ids.map((id) => snapshot(id, 5)),
        ),
      ),
      ...ids.slice(10).map(webhook),
    ]);
    const rows = await ordersOf(shop);
    expect(rows).toHaveLength(ids.length);
    for (const row of rows) {
      const minute = Math.max(5, webhookMinute(Number(row.shopifyId.split("/").pop())));
      expect(row.shopifyUpdatedAt).toEqual(at(minute));
      expect(row.lineItems.map((li) => li.quantity)).toEqual([minute]);
    }
  });
});
