/**
 * Every dashboard figure, for a week and the week before it, against a seed computed by hand (in
 * the comments beside each row), on a real database. The shop is in Asia/Tokyo (UTC+9, no DST), so
 * the period's edges are local midnights, not UTC ones; rows of another shop, outside both
 * periods, of the wrong kind or status are there to be ignored. The CSV export must say the same.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";

const SHOP = "dash-seed.myshopify.com";
const OTHER = "dash-other.myshopify.com";

let t: TestDatabase;
let registry: typeof import("./registry.server");
let csv: typeof import("./csv.server");

// Current period: 9-15 March 2026 in Tokyo = [2026-03-08T15:00Z, 2026-03-15T15:00Z).
// Previous period: 2-8 March 2026 in Tokyo = [2026-03-01T15:00Z, 2026-03-08T15:00Z).
const FROM = "2026-03-09";
const TO = "2026-03-15";
const NOW = "2026-03-20T00:00:00";
const at = (iso: string) => new Date(`${iso}Z`);
const customer = (n: number) => `gid://shopify/Customer/${n}`;
const orderId = (n: number) => `gid://shopify/Order/${n}`;

async function order(n: number, input: { customer: number; placed: string; cancelled?: boolean; shop?: string }) {
  await t.db.order.create({
    data: {
      shop: input.shop ?? SHOP,
      shopifyId: orderId(n),
      name: `#${n}`,
      customerShopifyId: customer(input.customer),
      currency: "CAD",
      totalMinor: 5000,
      shopifyCreatedAt: at(input.placed),
      shopifyUpdatedAt: at(input.placed),
      cancelledAt: input.cancelled ? at(input.placed) : null,
    },
  });
}

let answerN = 0;
const answer = (kind: "csat" | "nps", score: number | null, when: string, shop = SHOP) =>
  t.db.surveyResponse.create({
    data: {
      shop,
      kind,
      subjectId: `${kind}-${answerN++}`,
      score,
      sentAt: at("2026-02-01T00:00:00"),
      answeredAt: score === null ? null : at(when),
    },
  });

let requestN = 0;
const request = (input: {
  topic: "order_status" | "other";
  created: string;
  answered?: string;
  minutes?: number;
  shop?: string;
}) =>
  t.db.contactRequest.create({
    data: {
      shop: input.shop ?? SHOP,
      number: ++requestN,
      topic: input.topic,
      lastMessageAt: at(input.created),
      createdAt: at(input.created),
      firstResponseAt: input.answered ? at(input.answered) : null,
      firstResponseMinutes: input.minutes ?? null,
    },
  });

let caseN = 0;
function returnCase(input: {
  resolution: "refund" | "store_credit" | "exchange_variant" | "exchange_any";
  status?: string;
  items: number;
  restocking?: number;
  shipping?: number;
  bonus?: number;
  requested: string;
  resolved?: string;
  lines: [reason: string, quantity: number][];
  shopifyReturnId?: string;
  shop?: string;
  currency?: string;
}) {
  const n = ++caseN;
  const resolutionMinor = input.items - (input.restocking ?? 0) - (input.shipping ?? 0) + (input.bonus ?? 0);
  return t.db.returnCase.create({
    data: {
      shop: input.shop ?? SHOP,
      number: `R${n}`,
      idempotencyKey: `k${n}`,
      orderShopifyId: orderId(9000 + n),
      orderName: `#${9000 + n}`,
      status: input.status ?? (input.resolved ? "closed" : "approved"),
      resolution: input.resolution,
      currency: input.currency ?? "CAD",
      itemsMinor: input.items,
      restockingFeeMinor: input.restocking ?? 0,
      shippingFeeMinor: input.shipping ?? 0,
      bonusMinor: input.bonus ?? 0,
      resolutionMinor,
      shopifyReturnId: input.shopifyReturnId ?? null,
      requestedAt: at(input.requested),
      resolvedAt: input.resolved ? at(input.resolved) : null,
      lines: {
        create: input.lines.map(([reason, quantity], i) => ({
          lineItemShopifyId: `li-${n}-${i}`,
          title: "Shirt",
          quantity,
          unitPriceMinor: 1000,
          reason,
        })),
      },
    },
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  registry = await import("./registry.server");
  csv = await import("./csv.server");
  (await import("./core-metrics.server")).registerCoreDashboardMetrics();

  await t.db.shop.create({
    data: { domain: SHOP, name: "Dash", email: "help@dash.example", ianaTimezone: "Asia/Tokyo", currencyCode: "CAD" },
  });
  await t.db.shop.create({
    data: {
      domain: OTHER,
      name: "Other",
      email: "help@other.example",
      ianaTimezone: "Asia/Tokyo",
      currencyCode: "CAD",
    },
  });

  // CSAT. Current: 5, 4, 4, 3, 1, and 5 at 23:59 Tokyo on the 15th -> 4 of 6 are 4-5 = 2/3.
  // Previous: 5 at 00:00 Tokyo on the 2nd, 2, 2, 4 -> 2 of 4 = 1/2. Change +1/6 (relative +1/3).
  for (const [score, when] of [
    [5, "2026-03-09T03:00:00"],
    [4, "2026-03-10T03:00:00"],
    [4, "2026-03-11T03:00:00"],
    [3, "2026-03-12T03:00:00"],
    [1, "2026-03-13T03:00:00"],
    [5, "2026-03-15T14:59:00"],
  ] as const)
    await answer("csat", score, when);
  for (const [score, when] of [
    [5, "2026-03-01T15:00:00"],
    [2, "2026-03-03T03:00:00"],
    [2, "2026-03-05T03:00:00"],
    [4, "2026-03-07T03:00:00"],
  ] as const)
    await answer("csat", score, when);
  await answer("csat", 1, "2026-03-15T15:00:00"); // 00:00 Tokyo on the 16th: after the period
  await answer("csat", 1, "2026-03-01T14:59:00"); // 23:59 Tokyo on 1 March: before the previous period
  await answer("csat", null, "2026-03-10T03:00:00"); // sent, never answered
  await answer("csat", 1, "2026-03-10T03:00:00", OTHER);

  // NPS. Current: 10, 9 promoters, 8 passive, 5 detractor -> (2 - 1) / 4 = 25.0.
  // Previous: 10, 3 -> (1 - 1) / 2 = 0.0. Change +25 (relative: none, from 0).
  for (const score of [10, 9, 8, 5]) await answer("nps", score, "2026-03-12T05:00:00");
  for (const score of [10, 3]) await answer("nps", score, "2026-03-04T05:00:00");
  await answer("nps", 0, "2026-03-12T05:00:00", OTHER);

  // First responses, by when the first reply went out: current 30, 90, 60, 120 -> median 75;
  // previous 200 -> 200. Change -125 (relative -0.625). Another shop's 1 minute is not ours.
  // Order-status requests naming no order (WISMO cannot match them to an order: they do not count there).
  await request({
    topic: "order_status",
    created: "2026-03-09T01:00:00",
    answered: "2026-03-09T02:00:00",
    minutes: 30,
  });
  await request({
    topic: "order_status",
    created: "2026-03-10T01:00:00",
    answered: "2026-03-10T04:00:00",
    minutes: 90,
  });
  // Asked in the previous period, answered in this one.
  await request({ topic: "other", created: "2026-03-08T14:00:00", answered: "2026-03-09T01:00:00", minutes: 60 });
  await request({ topic: "other", created: "2026-03-11T01:00:00", answered: "2026-03-11T05:00:00", minutes: 120 });
  await request({
    topic: "order_status",
    created: "2026-03-03T01:00:00",
    answered: "2026-03-03T06:00:00",
    minutes: 200,
  });
  await request({ topic: "order_status", created: "2026-03-15T15:30:00" }); // after the period, unanswered
  await request({
    topic: "order_status",
    created: "2026-03-10T01:00:00",
    answered: "2026-03-10T01:01:00",
    minutes: 1,
    shop: OTHER,
  });

  // WISMO deflection: orders with a shipment that left in the period, answered without asking
  // (looked up or told by a sent shipping email, and no order-status request naming the order).
  // The order-status requests above name no order: they cannot be matched and do not count.
  // Current: 501 viewed (yes); 502 emailed (yes); 503 in two shipments, emailed and asked about
  // (no, once); 504 nothing (no); 505 only a failed shipping email and a returns email (no); 506
  // left at 23:30 Tokyo on the 15th, viewed, asked about something else (yes) -> 3 of 6 = 0.5.
  // Previous: 601 viewed (yes), 602 viewed and asked (no), 603 emailed (yes) -> 2 of 3.
  // Not counted: 701 left at 00:00 Tokyo on the 16th; another shop's 801.
  // Change 0.5 - 2/3 = -1/6 (relative -0.25).
  let shipmentN = 0;
  const shipment = (n: number, shipped: string, shop = SHOP) =>
    t.db.shipmentTracking.create({
      data: {
        shop,
        fulfillmentShopifyId: `gid://shopify/Fulfillment/${++shipmentN}`,
        orderShopifyId: orderId(n),
        orderName: `#${n}`,
        stage: "in_transit",
        shippedAt: at(shipped),
      },
    });
  const view = (n: number, day: string, shop = SHOP) =>
    t.db.trackingViewDay.create({
      data: { shop, orderShopifyId: orderId(n), day, views: 2, firstViewedAt: at(`${day}T00:00:00`) },
    });
  const mail = (n: number, milestone: string, kind: string, status: string, sentAt: string | null) =>
    t.db.notification.create({
      data: {
        shop: SHOP,
        kind,
        subjectId: `s${n}`,
        milestone,
        subject: "x",
        bodyHtml: "x",
        bodyText: "x",
        status,
        orderShopifyId: orderId(n),
        sentAt: sentAt ? at(sentAt) : null,
      },
    });
  const ask = (n: number, topic: "order_status" | "other", created: string) =>
    t.db.contactRequest.create({
      data: {
        shop: SHOP,
        number: ++requestN,
        topic,
        orderShopifyId: orderId(n),
        lastMessageAt: at(created),
        createdAt: at(created),
      },
    });
  await shipment(501, "2026-03-09T01:00:00");
  await view(501, "2026-03-10");
  await shipment(502, "2026-03-10T01:00:00");
  await mail(502, "shipped", "tracking", "sent", "2026-03-10T01:05:00");
  await shipment(503, "2026-03-10T02:00:00");
  await shipment(503, "2026-03-11T02:00:00");
  await mail(503, "shipped", "tracking", "sent", "2026-03-10T02:05:00");
  await ask(503, "order_status", "2026-03-13T00:00:00");
  await shipment(504, "2026-03-11T03:00:00");
  await shipment(505, "2026-03-12T03:00:00");
  await mail(505, "shipped", "tracking", "failed", null);
  await mail(505, "approved", "returns", "sent", "2026-03-12T00:00:00");
  await shipment(506, "2026-03-15T14:30:00");
  await view(506, "2026-03-16");
  await ask(506, "other", "2026-03-16T00:00:00");
  await shipment(601, "2026-03-03T01:00:00");
  await view(601, "2026-03-04");
  await shipment(602, "2026-03-04T01:00:00");
  await view(602, "2026-03-05");
  await ask(602, "order_status", "2026-03-06T00:00:00");
  await shipment(603, "2026-03-05T01:00:00");
  await mail(603, "delivered", "tracking", "sent", "2026-03-07T00:00:00");
  await shipment(701, "2026-03-15T15:00:00");
  await view(701, "2026-03-16");
  await shipment(801, "2026-03-10T01:00:00", OTHER);
  await view(801, "2026-03-10", OTHER);

  // Orders. Current: 101 C1, 102 C2, 103 C2, 104 C3, and 105 C4 cancelled (never counts).
  // Previous: 201 C3, 202 C5. Later: 301 C1 (the 20th). Another shop: 401 C1 in the period.
  await order(101, { customer: 1, placed: "2026-03-09T00:00:00" });
  await order(102, { customer: 2, placed: "2026-03-10T00:00:00" });
  await order(103, { customer: 2, placed: "2026-03-11T00:00:00" });
  await order(104, { customer: 3, placed: "2026-03-15T14:00:00" });
  await order(105, { customer: 4, placed: "2026-03-12T00:00:00", cancelled: true });
  await order(201, { customer: 3, placed: "2026-03-02T00:00:00" });
  await order(202, { customer: 5, placed: "2026-03-06T00:00:00" });
  await order(301, { customer: 1, placed: "2026-03-19T00:00:00" });
  await order(401, { customer: 1, placed: "2026-03-10T00:00:00", shop: OTHER });

  // Return rate. Current: 101 has an open Shopify return, 102 a refund of items -> 2 of 4 = 0.5.
  // Previous: 201's return was cancelled -> 0 of 2 = 0. Change +0.5 (relative: none).
  const mirror = (id: number, o: number, status: string, requested: string, lines: object[], shop = SHOP) =>
    t.db.shopifyReturn.create({
      data: {
        shop,
        shopifyId: `gid://shopify/Return/${id}`,
        orderShopifyId: orderId(o),
        status,
        lines: JSON.stringify(lines),
        requestedAt: at(requested),
        lastEventAt: at(requested),
      },
    });
  await mirror(1, 101, "OPEN", "2026-03-12T00:00:00", [{ lineItemShopifyId: "a", quantity: 2, reason: "size" }]);
  await mirror(2, 201, "CANCELED", "2026-03-04T00:00:00", [{ lineItemShopifyId: "b", quantity: 1, reason: "size" }]);
  await mirror(
    3,
    103,
    "OPEN",
    "2026-03-12T00:00:00",
    [{ lineItemShopifyId: "c", quantity: 9, reason: "other" }],
    OTHER,
  );
  await t.db.refund.create({
    data: {
      shop: SHOP,
      shopifyId: "gid://shopify/Refund/1",
      orderShopifyId: orderId(102),
      amountMinor: 2000,
      currency: "CAD",
      shopifyCreatedAt: at("2026-03-12T00:00:00"),
      lines: { create: [{ lineItemShopifyId: "l", quantity: 1, subtotalMinor: 2000 }] },
    },
  });

  // Returns resolved (revenue kept = what would otherwise have been refunded: items - fees, no bonus).
  // Current, CAD: exchange_variant 40.00 -> 40.00; store credit 30.00 - 3.00 restocking - 5.00
  // shipping (+ 3.00 bonus, credited 25.00) -> 22.00; exchange_any 20.00 (+ 1.00 bonus) -> 20.00.
  // Total 82.00. Not counted: a refund, a credit resolved on the 16th Tokyo, an exchange not yet
  // resolved, another shop's credit. Previous: credit 10.00 (+ 1.00 bonus) -> 10.00.
  // Change +72.00 (relative +7.2).
  await returnCase({
    resolution: "exchange_variant",
    items: 4000,
    requested: "2026-03-09T00:00:00",
    resolved: "2026-03-11T00:00:00",
    lines: [["size", 2]],
    shopifyReturnId: "gid://shopify/Return/1",
  });
  await returnCase({
    resolution: "store_credit",
    items: 3000,
    restocking: 300,
    shipping: 500,
    bonus: 300,
    requested: "2026-03-09T00:00:00",
    resolved: "2026-03-12T00:00:00",
    lines: [["defective", 1]],
  });
  await returnCase({
    resolution: "exchange_any",
    items: 2000,
    bonus: 100,
    requested: "2026-03-10T00:00:00",
    resolved: "2026-03-15T14:59:00",
    lines: [["size", 1]],
  });
  await returnCase({
    resolution: "refund",
    items: 5000,
    shipping: 500,
    requested: "2026-03-10T00:00:00",
    resolved: "2026-03-12T00:00:00",
    lines: [["changed_mind", 1]],
  });
  await returnCase({
    resolution: "store_credit",
    items: 1000,
    requested: "2026-03-11T00:00:00",
    resolved: "2026-03-15T15:00:00",
    lines: [["defective", 1]],
  });
  await returnCase({
    resolution: "exchange_variant",
    items: 1500,
    requested: "2026-03-12T00:00:00",
    lines: [["defective", 1]],
  });
  await returnCase({
    resolution: "exchange_variant",
    status: "canceled",
    items: 1500,
    requested: "2026-03-12T00:00:00",
    lines: [["wrong_item", 4]],
  });
  await returnCase({
    resolution: "store_credit",
    items: 9900,
    requested: "2026-03-12T00:00:00",
    resolved: "2026-03-12T00:00:00",
    lines: [["other", 9]],
    shop: OTHER,
  });
  await returnCase({
    resolution: "store_credit",
    items: 1000,
    bonus: 100,
    requested: "2026-03-03T00:00:00",
    resolved: "2026-03-05T00:00:00",
    lines: [["size", 1]],
  });
  // Top reasons of returns requested in the period (cases; Return/1's mirror is the first case's):
  // defective 1 + 1 + 1 = 3, size 2 + 1 = 3, changed_mind 1; the cancelled case's wrong_item is out.

  // Loyalty members by the period's end: C1 (January), C3 (joined the 10th) -> 2; by the previous
  // period's end: C1 -> 1. Change +1 (relative +1). Not counted: a redacted member, C9 who joined
  // after, another shop's member.
  // Repeat purchase. Current buyers: C1 (1 order to date), C2 (2), C3 (2, with 201) -> 2/3;
  // members C1, C3 -> 1/2; non-member C2 -> 1/1. Previous buyers: C3 (1), C5 (1) -> 0/2; member
  // buyers none (C3 joined later) -> no figure, shown as 0; non-members 0/2.
  // Change in repeat rate +2/3 (relative: none).
  const member = (key: string, c: number | null, created: string, points: number, extra: object = {}, shop = SHOP) =>
    t.db.loyaltyMember.create({
      data: {
        shop,
        key,
        customerShopifyId: c === null ? null : customer(c),
        points,
        lifetimePoints: points,
        createdAt: at(created),
        ...extra,
      },
    });
  await member(`c:${customer(1)}`, 1, "2026-01-01T00:00:00", 1000);
  await member(`c:${customer(3)}`, 3, "2026-03-10T00:00:00", 500);
  await member("redacted:x", null, "2026-01-01T00:00:00", 200, { redactedAt: at("2026-02-01T00:00:00") });
  await member(`c:${customer(9)}`, 9, "2026-03-18T00:00:00", 300);
  await member(`c:${customer(10)}`, 10, "2026-03-19T00:00:00", 0); // joined after the period, no points yet
  await member(`c:${customer(4)}`, 4, "2026-01-01T00:00:00", 9999, {}, OTHER);

  // Points liability, now: 1000 + 500 + 200 (a redacted member's points are still owed) + 300 =
  // 2000 points. Best active money reward: 15.00 store credit for 1000 points = 1.5 cents a point
  // (5.00 off for 500 = 1 cent; an inactive 10.00 for 100 points, a percentage reward and another
  // shop's rewards do not count) -> 3000 cents = 30.00. No previous period (a point in time).
  const reward = (
    kind: string,
    pointsCost: number,
    value: { valueMinor?: number; percentOff?: number },
    active = true,
    shop = SHOP,
  ) => t.db.loyaltyReward.create({ data: { shop, kind, title: kind, pointsCost, ...value, active } });
  await reward("fixed_amount", 500, { valueMinor: 500 });
  await reward("store_credit", 1000, { valueMinor: 1500 });
  await reward("fixed_amount", 100, { valueMinor: 1000 }, false);
  await reward("percentage", 10, { percentOff: 50 });
  await reward("fixed_amount", 1, { valueMinor: 10000 }, true, OTHER);
});

afterAll(async () => {
  await t.drop();
});

/** Minimal CSV reader: quoted cells with doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  return rows;
}

describe("the dashboard against a hand-computed seed", () => {
  let d: Awaited<ReturnType<typeof import("./registry.server").computeDashboard>>;
  const fig = (id: string) => {
    const f = d.figures.find((x) => x.id === id);
    if (!f) throw new Error(`no figure ${id}`);
    return f;
  };

  beforeAll(async () => {
    d = await registry.computeDashboard(t.db, SHOP, { from: FROM, to: TO }, at(NOW));
  });

  it("takes the periods in the shop's calendar", () => {
    expect([d.current.from, d.current.to, d.previous.from, d.previous.to]).toEqual([
      FROM,
      TO,
      "2026-03-02",
      "2026-03-08",
    ]);
    expect(d.current.start.toISOString()).toBe("2026-03-08T15:00:00.000Z");
    expect(d.current.end.toISOString()).toBe("2026-03-15T15:00:00.000Z");
    expect(d.previous.start.toISOString()).toBe("2026-03-01T15:00:00.000Z");
    expect(d.figures.map((f) => f.id)).toEqual([
      "csat",
      "nps",
      "first_response",
      "wismo_deflection",
      "return_rate",
      "revenue_kept",
      "repeat_rate",
      "loyalty_members",
      "points_liability",
    ]);
  });

  it("CSAT: 4 of 6 against 2 of 4", () => {
    const f = fig("csat");
    expect(f.current.value).toBeCloseTo(2 / 3, 12);
    expect(f.current.detail).toBe("6 answers");
    expect(f.previous?.value).toBe(0.5);
    expect(f.change?.absolute).toBeCloseTo(1 / 6, 12);
    expect(f.change?.relative).toBeCloseTo(1 / 3, 12);
  });

  it("NPS: 25 against 0", () => {
    const f = fig("nps");
    expect(f.current.value).toBe(25);
    expect(f.previous?.value).toBe(0);
    expect(f.change).toEqual({ absolute: 25, relative: null });
  });

  it("median first response: 75 against 200 minutes", () => {
    const f = fig("first_response");
    expect(f.current.value).toBe(75);
    expect(f.current.detail).toBe("4 requests answered");
    expect(f.previous?.value).toBe(200);
    expect(f.change).toEqual({ absolute: -125, relative: -0.625 });
  });

  it("WISMO deflection: 3 of 6 shipped orders against 2 of 3", () => {
    const f = fig("wismo_deflection");
    expect(f.current.value).toBe(0.5);
    expect(f.current.detail).toBe("3 of 6 shipped orders answered without asking");
    expect(f.previous?.value).toBeCloseTo(2 / 3, 12);
    expect(f.change?.absolute).toBeCloseTo(-1 / 6, 12);
    expect(f.change?.relative).toBeCloseTo(-0.25, 12);
  });

  it("return rate and top reasons", () => {
    const f = fig("return_rate");
    expect(f.current.value).toBe(0.5);
    expect(f.current.detail).toBe("2 of 4 orders");
    expect(f.previous?.value).toBe(0);
    expect(f.change).toEqual({ absolute: 0.5, relative: null });
    expect(f.current.breakdown).toEqual([
      { label: "defective", value: 3 },
      { label: "size", value: 3 },
      { label: "changed_mind", value: 1 },
    ]);
  });

  it("revenue kept by exchanges and credit: 82.00 against 10.00, bonuses not counted", () => {
    const f = fig("revenue_kept");
    expect(f.format).toBe("money");
    expect(f.current.value).toBe(8200);
    expect(f.current.detail).toBe("3 returns resolved as exchange or credit");
    expect(f.previous?.value).toBe(1000);
    expect(f.change?.absolute).toBe(7200);
    expect(f.change?.relative).toBeCloseTo(7.2, 12);
  });

  it("repeat purchase rate: 2 of 3 against 0 of 2", () => {
    const f = fig("repeat_rate");
    expect(f.current.value).toBeCloseTo(2 / 3, 12);
    expect(f.current.detail).toBe("2 of 3 customers");
    expect(f.previous?.value).toBe(0);
    expect(f.change?.absolute).toBeCloseTo(2 / 3, 12);
    expect(f.change?.relative).toBeNull();
  });

  it("loyalty members, with members' and non-members' repeat rates", () => {
    const f = fig("loyalty_members");
    expect(f.current.value).toBe(2);
    expect(f.previous?.value).toBe(1);
    expect(f.change).toEqual({ absolute: 1, relative: 1 });
    expect(f.current.breakdown).toEqual([
      { label: "Members' repeat rate", value: 0.5 },
      { label: "Non-members' repeat rate", value: 1 },
    ]);
    expect(f.current.detail).toBe("Repeat purchase: members 50%, non-members 100%");
    expect(f.previous?.breakdown).toEqual([
      { label: "Members' repeat rate", value: 0 },
      { label: "Non-members' repeat rate", value: 0 },
    ]);
  });

  it("points liability: 2000 points at 1.5 cents = 30.00, now, with no previous period", () => {
    const f = fig("points_liability");
    expect(f.format).toBe("money");
    expect(f.current.value).toBe(3000);
    expect(f.current.breakdown).toEqual([{ label: "Points held", value: 2000 }]);
    expect(f.previous).toBeNull();
    expect(f.change).toBeNull();
  });

  it("the liability report counts members and those holding points in one pass", async () => {
    const { liabilityReport } = await import("../loyalty/admin.server");
    const r = await liabilityReport(t.db, SHOP, at(NOW));
    expect([r.totalPoints, r.members, r.membersWithPoints]).toEqual([2000, 5, 4]);
  });

  it("another shop sees only its own figures", async () => {
    const o = await registry.computeDashboard(t.db, OTHER, { from: FROM, to: TO }, at(NOW));
    const v = (id: string) => o.figures.find((f) => f.id === id)?.current.value;
    expect(v("csat")).toBe(0);
    expect(v("first_response")).toBe(1);
    expect(v("revenue_kept")).toBe(9900);
    expect(v("points_liability")).toBe(99_990_000);
    expect(v("loyalty_members")).toBe(1);
  });

  it("the CSV export carries the same figures, money in the currency's units", () => {
    const rows = parseCsv(csv.dashboardCsv(d));
    expect(rows[0]).toEqual([
      "metric",
      "unit",
      `current (${FROM} to ${TO})`,
      "previous (2026-03-02 to 2026-03-08)",
      "change",
      "detail",
    ]);
    const row = (label: string) => rows.find((r) => r[0] === label)?.slice(1, 5);
    const n = (s: string | undefined) => Number(s);
    for (const f of d.figures) {
      const r = row(f.label)!;
      expect(r, f.label).toBeDefined();
      if (f.format === "money") continue;
      expect(n(r[1]), f.label).toBe(f.current.value);
      expect(r[2] === "" ? null : n(r[2]), f.label).toBe(f.previous?.value ?? null);
      expect(r[3] === "" ? null : n(r[3]), f.label).toBe(f.change?.absolute ?? null);
    }
    expect(row("CSAT")?.slice(0, 2)).toEqual(["share (0 to 1)", String(2 / 3)]);
    expect(row("Revenue kept by exchanges and credit")).toEqual(["CAD", "82.00", "10.00", "72.00"]);
    expect(row("Points liability")).toEqual(["CAD", "30.00", "", ""]);
    expect(row("Median first response")).toEqual(["minutes", "75", "200", "-125"]);
    expect(row("Return rate: defective")).toEqual(["", "3", "", ""]);
    expect(row("Loyalty members: Members' repeat rate")).toEqual(["", "0.5", "", ""]);
    expect(row("Points liability: Points held")).toEqual(["", "2000", "", ""]);
  });
});
