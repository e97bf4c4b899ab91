import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import type { ReturnRecord } from "../webhooks/payloads";

import { applyReturnEventTx, applyReturnEventsTx, type ReturnEvent } from "./shopify-returns.server";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 12, minute));

function event(id: number, topic: string, minute: number, changes: Partial<ReturnRecord> = {}): ReturnEvent {
  return {
    topic,
    eventAt: at(minute),
    record: {
      shopifyId: `gid://shopify/Return/${id}`,
      orderShopifyId: `gid://shopify/Order/${id}`,
      name: null,
      status: null,
      declineReason: null,
      declineNote: null,
      totalQuantity: null,
      lines: null,
      ...changes,
    },
  };
}

/** A shop's returns without what the app makes up (ids, its own times). */
async function returnsOf(shop: string) {
  const rows = await t.db.shopifyReturn.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } });
  return rows.map(({ id: _id, shop: _shop, createdAt: _c, updatedAt: _u, ...r }) => r);
}

describe(`the returns mirror's batches (${process.env.TEST_DATABASE ?? "sqlite"})`, () => {
  it("applies a batch of return events as the events applied one by one would", async () => {
    const shops = ["batch-returns.myshopify.com", "one-returns.myshopify.com"];
    for (const shop of shops) {
      await t.db.$transaction((tx) => {
        const e = event(1, "returns/request", 5, {
          name: "#1001-R1",
          totalQuantity: 2,
          lines: [{ lineItemShopifyId: "gid://shopify/LineItem/1", quantity: 2, reason: "size" }],
        });
        return applyReturnEventTx(tx, shop, e.topic, e.record, e.eventAt);
      });
    }
    const events = [
      event(1, "returns/request", 3, { status: "requested" }), // stored, older than its last event: nothing
      event(1, "returns/approve", 8, { status: "open", totalQuantity: 1 }), // stored: newer, its name and lines kept
      event(2, "returns/request", 1, { status: "requested", totalQuantity: 1 }), // new, then closed
      event(2, "returns/close", 4, { status: "closed", totalQuantity: 1 }),
      event(3, "returns/request", 2, { totalQuantity: 3 }), // new, status from the topic
      event(4, "returns/request", 2), // new, then declined with a reason
      event(4, "returns/decline", 6, { declineReason: "final_sale", declineNote: "Final" }),
      event(5, "returns/approve", 9, { status: "open" }), // new from a later event, then an older one
      event(5, "returns/request", 7, { status: "requested" }),
      // Declined before its request arrived: the request still gives its lines, quantity and time.
      event(6, "returns/decline", 6, { status: "declined", declineReason: "final_sale" }),
      event(6, "returns/request", 2, {
        status: "requested",
        name: "#1006-R1",
        totalQuantity: 1,
        lines: [{ lineItemShopifyId: "gid://shopify/LineItem/6", quantity: 1, reason: "other" }],
      }),
      event(6, "returns/request", 1, { status: "requested", totalQuantity: 4 }), // older still: nothing left to fill
    ];
    await t.db.$transaction((tx) => applyReturnEventsTx(tx, shops[0], events));
    await t.db.$transaction(async (tx) => {
      for (const e of events) await applyReturnEventTx(tx, shops[1], e.topic, e.record, e.eventAt);
    });

    const rows = await returnsOf(shops[0]);
    expect(rows).toEqual(await returnsOf(shops[1]));
    const byId = new Map(rows.map((r) => [Number(r.shopifyId.split("/").pop()), r]));
    expect(byId.get(1)).toMatchObject({
      status: "open",
      name: "#1001-R1",
      totalQuantity: 1,
      requestedAt: at(5),
      lastEventAt: at(8),
    });
    expect(JSON.parse(byId.get(1)!.lines)).toHaveLength(1);
    expect(byId.get(2)).toMatchObject({ status: "closed", requestedAt: at(1), closedAt: at(4), lastEventAt: at(4) });
    expect(byId.get(3)).toMatchObject({ status: "requested", totalQuantity: 3, lines: "[]" });
    expect(byId.get(4)).toMatchObject({ status: "declined", declineReason: "final_sale", declineNote: "Final" });
    expect(byId.get(5)).toMatchObject({ status: "open", requestedAt: at(7), lastEventAt: at(9) });
    expect(byId.get(6)).toMatchObject({
      status: "declined",
      declineReason: "final_sale",
      name: "#1006-R1",
      totalQuantity: 1,
      requestedAt: at(2),
      lastEventAt: at(6),
    });
    expect(JSON.parse(byId.get(6)!.lines)).toEqual([
      { lineItemShopifyId: "gid://shopify/LineItem/6", quantity: 1, reason: "other" },
    ]);
  });
});
