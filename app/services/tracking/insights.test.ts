/**
 * The admin's "Needs attention" list: each problem shows when it happened (the carrier's scan,
 * the first late day), not when a webhook or the periodic check noticed it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { webhookRequest } from "../../../tests/helpers/webhooks";
import { fulfillmentEventPayload, fulfillmentPayload, orderPayload, SHOP } from "../../../tests/helpers/tracking";
import { processEvent } from "../../jobs/process-event.server";
import { receiveWebhook } from "../../webhooks/receive.server";

import { attentionList } from "./insights.server";
import { detectDelays } from "./refresh.server";

let t: TestDatabase;
const secret = process.env.SHOPIFY_API_SECRET!;
const HOUR = 3_600_000;
/** A fixed Wednesday noon in Toronto, so business days are predictable. */
const NOW = new Date("2026-03-11T16:00:00Z");
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR).toISOString();

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  for (const table of [
    "notification",
    "shipmentTracking",
    "fulfillmentEvent",
    "fulfillment",
    "lineItem",
    "order",
    "trackingSettings",
    "shop",
    "webhookEvent",
  ] as const) {
    await (t.db[table] as { deleteMany: () => Promise<unknown> }).deleteMany();
  }
  await t.db.shop.create({
    data: { domain: SHOP, name: "Maple Goods", email: "help@maple.example", ianaTimezone: "America/Toronto" },
  });
});

async function deliver(topic: string, body: object) {
  const ids: string[] = [];
  const res = await receiveWebhook(webhookRequest(topic, body, { shop: SHOP }), {
    db: t.db,
    secret,
    onRecorded: (id) => ids.push(id),
  });
  expect(res.status).toBe(200);
  for (const id of ids) expect(await processEvent(t.db, id)).toBe("processed");
}

async function shipped(orderId: number, name: string, shippedHoursAgo: number) {
  await deliver(
    "orders/create",
    orderPayload({
      id: orderId,
      name,
      email: "ada@example.com",
      createdAt: ago(shippedHoursAgo + 24),
      lineItems: [{ id: orderId * 10 + 1 }],
    }),
  );
  await deliver(
    "fulfillments/create",
    fulfillmentPayload({
      id: orderId + 8000,
      orderId,
      createdAt: ago(shippedHoursAgo),
      company: "UPS",
      numbers: [`1Z999AA1012345678${orderId % 10}`],
      lineItems: [{ id: orderId * 10 + 1 }],
    }),
  );
}

const scan = (id: number, orderId: number, status: string, hoursAgo: number) =>
  fulfillmentEventPayload({ id, fulfillmentId: orderId + 8000, orderId, status, happenedAt: ago(hoursAgo) });

describe("Needs attention: since when", () => {
  const datesAFailedAnd =
    "dates a failed and an attempted delivery by the carrier's scan, before and after the periodic check";
  it(datesAFailedAnd, async () => {
    await shipped(1001, "#1001", 50);
    await deliver("fulfillment_events/create", scan(1, 1001, "in_transit", 40));
    await deliver("fulfillment_events/create", scan(2, 1001, "failure", 30));
    await shipped(1002, "#1002", 50);
    await deliver("fulfillment_events/create", scan(3, 1002, "attempted_delivery", 6));

    const expected = [
      { orderName: "#1001", kind: "exception", since: ago(30) },
      { orderName: "#1002", kind: "attempted_delivery", since: ago(6) },
    ];
    const list = await attentionList(t.db, SHOP, NOW);
    expect(list.map(({ orderName, kind, since }) => ({ orderName, kind, since }))).toEqual(expected);

    // The periodic check re-judges every open shipment hours later; the dates stay put.
    await detectDelays(t.db, { secret, now: new Date(NOW.getTime() + 5 * HOUR) });
    const again = await attentionList(t.db, SHOP, new Date(NOW.getTime() + 5 * HOUR));
    expect(again.map(({ orderName, kind, since }) => ({ orderName, kind, since }))).toEqual(expected);

    // A second attempt does not move "since": the problem began with the first one.
    await deliver("fulfillment_events/create", scan(4, 1002, "attempted_delivery", 2));
    const later = await attentionList(t.db, SHOP, NOW);
    expect(later.find((i) => i.orderName === "#1002")?.since).toBe(ago(6));
  });

  it("dates a delay a rule found by the first late day in the shop's time zone", async () => {
    // Shipped last Wednesday with one scan then silence: the default rule (no scan for N business
    // days) finds it late, and "since" is midnight in Toronto of the first late day, not now.
    await shipped(1003, "#1003", 7 * 24);
    await detectDelays(t.db, { secret, now: NOW });
    const [item] = await attentionList(t.db, SHOP, NOW);
    expect(item).toMatchObject({ orderName: "#1003", kind: "delayed", reason: "no_carrier_scan" });
    // Shipped Wed 4 March; four business days (Thu, Fri, Mon, Tue) without a scan have fully
    // passed on Wed 11 March, which began at 00:00 EDT (UTC-4, since 8 March) in Toronto.
    expect(item.since).toBe("2026-03-11T04:00:00.000Z");
  });

  it("writes nothing on a repeated check when nothing changed, and writes when a shipment becomes late", async () => {
    await shipped(1005, "#1005", 50);
    await deliver("fulfillment_events/create", scan(7, 1005, "in_transit", 40));
    await detectDelays(t.db, { secret, now: NOW });
    const before = await t.db.shipmentTracking.findFirstOrThrow({ where: { shop: SHOP, orderName: "#1005" } });
    expect(before.problem).toBeNull();

    // An hour later nothing about it has changed: the row is not rewritten.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await detectDelays(t.db, { secret, now: new Date(NOW.getTime() + HOUR) });
    const same = await t.db.shipmentTracking.findFirstOrThrow({ where: { id: before.id } });
    expect(same.updatedAt.getTime()).toBe(before.updatedAt.getTime());

    // A week without a scan: now it is late, and the row says so.
    await detectDelays(t.db, { secret, now: new Date(NOW.getTime() + 7 * 24 * HOUR) });
    const late = await t.db.shipmentTracking.findFirstOrThrow({ where: { id: before.id } });
    expect(late.problem).toBe("delayed");
    expect(late.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
  });

  it("clears a problem once the parcel is delivered", async () => {
    await shipped(1004, "#1004", 50);
    await deliver("fulfillment_events/create", scan(5, 1004, "attempted_delivery", 20));
    await deliver("fulfillment_events/create", scan(6, 1004, "delivered", 2));
    expect(await attentionList(t.db, SHOP, NOW)).toEqual([]);
  });
});
