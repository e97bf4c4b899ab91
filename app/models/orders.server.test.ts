import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { examplePayload } from "../../tests/helpers/webhooks";
import { orderFromPayload, refundFromPayload } from "../webhooks/payloads";

import { applyOrder, applyRefund } from "./orders.server";

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
