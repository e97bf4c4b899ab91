/**
 * The dashboard's daily rollup against the direct count, on a real database: for every period of a
 * seed with partial refunds, exchanges, returns still requested, declined and canceled ones, a
 * cancelled order, orders shipped in two parts, views, emails and order-status requests, the rollup
 * (summed days plus the live part) equals the direct aggregate, before and after a pass, after rows
 * change on old days (the next pass recounts only the days touched), and after the shop's time zone
 * changes. The shop is in New York across the change to summer time (8 March 2026), so a day is
 * 23 hours once and local midnights are not UTC ones.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { periods } from "../../domain/dashboard/kpi";
import { addDays } from "../../domain/tracking/calendar";

const SHOP = "rollup-seed.myshopify.com";
const OTHER = "rollup-other.myshopify.com";
const ZONE = "America/New_York";
const at = (iso: string) => new Date(`${iso}Z`);
const orderId = (n: number) => `gid://shopify/Order/${n}`;

let t: TestDatabase;
let rollup: typeof import("./rollup.server");
let counts: typeof import("./counts.server");

let n = 0;
async function order(id: number, placed: string, extra: { cancelled?: boolean; shop?: string } = {}) {
  await t.db.order.create({
    data: {
      shop: extra.shop ?? SHOP,
      shopifyId: orderId(id),
      name: `#${id}`,
      currency: "USD",
      totalMinor: 5000,
      shopifyCreatedAt: at(placed),
      shopifyUpdatedAt: at(placed),
      cancelledAt: extra.cancelled ? at(placed) : null,
    },
  });
}
const shipment = (id: number, shipped: string, shop = SHOP) =>
  t.db.shipmentTracking.create({
    data: {
      shop,
      fulfillmentShopifyId: `gid://shopify/Fulfillment/${++n}`,
      orderShopifyId: orderId(id),
      orderName: `#${id}`,
      stage: "in_transit",
      shippedAt: at(shipped),
    },
  });
const refund = (id: number, quantity: number, when: string) =>
  t.db.refund.create({
    data: {
      shop: SHOP,
      shopifyId: `gid://shopify/Refund/${++n}`,
      orderShopifyId: orderId(id),
      amountMinor: quantity ? 1000 : 500,
      currency: "USD",
      shopifyCreatedAt: at(when),
      createdAt: at(when),
      // A refund of shipping only has no line with items: the order did not come back.
      lines: { create: quantity ? [{ lineItemShopifyId: `l${n}`, quantity, subtotalMinor: 1000 }] : [] },
    },
  });
const shopifyReturn = (id: number, status: string, when: string) =>
  t.db.shopifyReturn.create({
    data: {
      shop: SHOP,
      shopifyId: `gid://shopify/Return/${++n}`,
      orderShopifyId: orderId(id),
      status,
      lines: "[]",
      requestedAt: at(when),
      lastEventAt: at(when),
      updatedAt: at(when),
    },
  });
const returnCase = (id: number, resolution: string, status: string, when: string) =>
  t.db.returnCase.create({
    data: {
      shop: SHOP,
      number: `R${++n}`,
      idempotencyKey: `k${n}`,
      orderShopifyId: orderId(id),
      orderName: `#${id}`,
      status,
      resolution,
      currency: "USD",
      itemsMinor: 1000,
      resolutionMinor: 1000,
      requestedAt: at(when),
      updatedAt: at(when),
    },
  });
const view = (id: number, day: string) =>
  t.db.trackingViewDay.create({
    data: { shop: SHOP, orderShopifyId: orderId(id), day, views: 1, firstViewedAt: at(`${day}T15:00:00`) },
  });
const mail = (id: number, status: string, sentAt: string | null) =>
  t.db.notification.create({
    data: {
      shop: SHOP,
      kind: "tracking",
      subjectId: `f${++n}`,
      milestone: "shipped",
      subject: "x",
      bodyHtml: "x",
      bodyText: "x",
      status,
      orderShopifyId: orderId(id),
      sentAt: sentAt ? at(sentAt) : null,
    },
  });
const ask = (id: number, topic: string, when: string) =>
  t.db.contactRequest.create({
    data: {
      shop: SHOP,
      number: ++n,
      topic,
      orderShopifyId: orderId(id),
      lastMessageAt: at(when),
      createdAt: at(when),
      updatedAt: at(when),
    },
  });

/** Every period of 1, 3 and 7 days ending on each day from 1 to 16 March, and the whole month. */
function allPeriods() {
  const out = [periods("2026-03-01", "2026-03-31", ZONE).current];
  for (let d = "2026-03-01"; d <= "2026-03-16"; d = addDays(d, 1)) {
    for (const days of [1, 3, 7]) out.push(periods(addDays(d, -(days - 1)), d, ZONE).current);
  }
  return out;
}

async function expectRollupEqualsDirect() {
  for (const period of allPeriods()) {
    const rolled = await rollup.rolledUpCounts(t.db, SHOP, period, ZONE);
    const [r, w] = await Promise.all([
      counts.countPlacedAndReturned(t.db, SHOP, period),
      counts.countShippedAndAnswered(t.db, SHOP, period),
    ]);
    expect({ period: `${period.from}..${period.to}`, ...rolled }).toEqual({
      period: `${period.from}..${period.to}`,
      placed: r.placed,
      returned: r.returned,
      shipped: w.shipped,
      deflected: w.deflected,
    });
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  rollup = await import("./rollup.server");
  counts = await import("./counts.server");
  await t.db.shop.create({ data: { domain: SHOP, ianaTimezone: ZONE, currencyCode: "USD" } });
  await t.db.shop.create({ data: { domain: OTHER, ianaTimezone: ZONE, currencyCode: "USD" } });

  // Orders over the first half of March, several a day, at local midnights' edges (04:59Z and
  // 05:00Z before the 8th, 03:59Z and 04:00Z after it).
  await order(1, "2026-03-02T04:59:00"); // 1 March, 23:59 local
  await order(2, "2026-03-02T05:00:00"); // 2 March, 00:00 local
  await order(3, "2026-03-03T12:00:00");
  await order(4, "2026-03-04T12:00:00", { cancelled: true });
  await order(5, "2026-03-05T12:00:00");
  await order(6, "2026-03-08T04:30:00"); // 7 March, 23:30 local (EST)
  await order(7, "2026-03-08T08:00:00"); // 8 March, 04:00 local (EDT from 02:00)
  await order(8, "2026-03-09T03:59:00"); // 8 March, 23:59 local
  await order(9, "2026-03-09T04:00:00"); // 9 March, 00:00 local
  await order(10, "2026-03-11T12:00:00");
  await order(11, "2026-03-12T12:00:00");
  await order(12, "2026-03-14T12:00:00");
  await order(13, "2026-03-10T12:00:00", { shop: OTHER });

  // Came back: 1 (partial refund of one item), 3 (Aftercare exchange, approved), 5 (a return
  // still requested), 9 (Shopify return open). Not: 2 (a refund of shipping only), 6 (Shopify
  // return declined), 7 (Aftercare return canceled), 4 (cancelled: never counted).
  await refund(1, 1, "2026-03-06T12:00:00");
  await refund(2, 0, "2026-03-06T12:00:00");
  await returnCase(3, "exchange_variant", "approved", "2026-03-07T12:00:00");
  await returnCase(5, "refund", "requested", "2026-03-09T12:00:00");
  await shopifyReturn(6, "DECLINED", "2026-03-10T12:00:00");
  await returnCase(7, "store_credit", "canceled", "2026-03-10T12:00:00");
  await shopifyReturn(9, "OPEN", "2026-03-12T12:00:00");

  // Shipped: 1 in two parts (viewed: yes), 2 (emailed: yes), 3 (emailed and asked: no), 5 (a
  // failed email: no), 7 (viewed, asked about something else: yes), 8 (nothing: no), 10 (viewed
  // and asked: no); another shop's 13.
  await shipment(1, "2026-03-02T15:00:00");
  await shipment(1, "2026-03-04T15:00:00");
  await view(1, "2026-03-05");
  await shipment(2, "2026-03-03T15:00:00");
  await mail(2, "sent", "2026-03-03T16:00:00");
  await shipment(3, "2026-03-04T15:00:00");
  await mail(3, "sent", "2026-03-04T16:00:00");
  await ask(3, "order_status", "2026-03-06T12:00:00");
  await shipment(5, "2026-03-06T15:00:00");
  await mail(5, "failed", null);
  await shipment(7, "2026-03-08T15:00:00");
  await view(7, "2026-03-09");
  await ask(7, "returns", "2026-03-10T12:00:00");
  await shipment(8, "2026-03-09T03:30:00");
  await shipment(10, "2026-03-12T15:00:00");
  await view(10, "2026-03-13");
  await ask(10, "order_status", "2026-03-13T12:00:00");
  await shipment(13, "2026-03-10T15:00:00", OTHER);
});

afterAll(async () => {
  await t?.drop();
});

describe("the dashboard's daily rollup", () => {
  it("has no figures before its first pass: the dashboard counts directly", async () => {
    const period = periods("2026-03-01", "2026-03-16", ZONE).current;
    expect(await rollup.rolledUpCounts(t.db, SHOP, period, ZONE)).toBeNull();
    // Counted by hand: placed 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12 = 11 (4 cancelled); returned 1, 3,
    // 5, 9 = 4; shipped 1, 2, 3, 5, 7, 8, 10 = 7; answered without asking 1, 2, 7 = 3.
    expect(await rollup.periodCounts(t.db, SHOP, period, ZONE)).toEqual({
      placed: 11,
      returned: 4,
      shipped: 7,
      deflected: 3,
    });
  });

  it("equals the direct count for every period after a full pass", async () => {
    const pass = await rollup.refreshRollup(t.db, SHOP, ZONE, at("2026-03-16T20:00:00"));
    expect(pass.full).toBe(true);
    // 1 March (the first order's local day) to 16 March.
    expect(pass.days).toBe(16);
    const day8 = await rollup.rolledUpCounts(t.db, SHOP, periods("2026-03-08", "2026-03-08", ZONE).current, ZONE);
    // 8 March, 23 hours long: orders 7 and 8 placed and shipped, 7 answered without asking.
    expect(day8).toEqual({ placed: 2, returned: 0, shipped: 2, deflected: 1 });
    await expectRollupEqualsDirect();
  });

  it("after rows change on old days, the next pass recounts only the days touched and the recent ones", async () => {
    // On 17 March: order 2 gets a refund of an item, order 8's shopper is emailed, order 1's
    // shopper asks about its status, and a new order arrives. Rows carry the time they were
    // written, so the seed's earlier rows are not touched again.
    await refund(2, 1, "2026-03-17T12:00:00");
    await mail(8, "sent", "2026-03-17T12:00:00");
    await ask(1, "order_status", "2026-03-17T12:00:00");
    await order(14, "2026-03-17T13:00:00");
    const pass = await rollup.refreshRollup(t.db, SHOP, ZONE, at("2026-03-17T16:00:00"));
    expect(pass.full).toBe(false);
    // Touched: 1 March (order 1 placed), 2 March (order 1 shipped; order 2 placed), 3 March (order 2
    // shipped), 4 March (order 1's second part), 8 March (order 8 placed and shipped); recent: 11 to
    // 17 March.
    expect(pass.days).toBe(5 + 7);
    await expectRollupEqualsDirect();
    const month = periods("2026-03-01", "2026-03-31", ZONE).current;
    expect(await rollup.rolledUpCounts(t.db, SHOP, month, ZONE)).toEqual({
      placed: 12,
      returned: 5,
      shipped: 7,
      deflected: 3,
    });
  });

  it("counts the days after the last pass directly: a row written since shows at once", async () => {
    await order(15, "2026-03-17T18:00:00");
    const today = periods("2026-03-17", "2026-03-17", ZONE).current;
    expect((await rollup.rolledUpCounts(t.db, SHOP, today, ZONE))?.placed).toBe(2);
  });

  it("counts every day again when the shop's time zone changes", async () => {
    const tokyo = "Asia/Tokyo";
    expect(await rollup.rolledUpCounts(t.db, SHOP, periods("2026-03-01", "2026-03-16", tokyo).current, tokyo)).toBe(
      null,
    );
    const pass = await rollup.refreshRollup(t.db, SHOP, tokyo, at("2026-03-17T16:00:00"));
    expect(pass.full).toBe(true);
    for (const [from, to] of [
      ["2026-03-02", "2026-03-02"],
      ["2026-03-08", "2026-03-09"],
      ["2026-03-01", "2026-03-18"],
    ]) {
      const period = periods(from, to, tokyo).current;
      const [r, w] = await Promise.all([
        counts.countPlacedAndReturned(t.db, SHOP, period),
        counts.countShippedAndAnswered(t.db, SHOP, period),
      ]);
      expect(await rollup.rolledUpCounts(t.db, SHOP, period, tokyo)).toEqual({
        placed: r.placed,
        returned: r.returned,
        shipped: w.shipped,
        deflected: w.deflected,
      });
    }
  });
});
