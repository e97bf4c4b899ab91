/**
 * The returns insights page and the dashboard count the same figures the same way
 * (domain/dashboard/definitions.ts), against a seed computed by hand in the comments: money counts
 * only returns that were resolved (a requested or approved refund has refunded nothing yet), the
 * bonus on store credit is the shop's own money and not revenue kept, and the return rate is the
 * dashboard's (Shopify's returns and refunds of items count, a declined or canceled return does not).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";

const SHOP = "figures.myshopify.com";
const NOW = new Date("2026-03-31T12:00:00Z");
const day = (d: number) => new Date(Date.UTC(2026, 2, d, 12));
const orderId = (n: number) => `gid://shopify/Order/${n}`;

let t: TestDatabase;
let figures: typeof import("./figures.server");
let registry: typeof import("../dashboard/registry.server");

async function order(n: number, placed: Date, cancelled = false) {
  await t.db.order.create({
    data: {
      shop: SHOP,
      shopifyId: orderId(n),
      name: `#${n}`,
      currency: "USD",
      shopifyCreatedAt: placed,
      shopifyUpdatedAt: placed,
      cancelledAt: cancelled ? placed : null,
    },
  });
}

let caseN = 0;
async function returnCase(input: {
  order: number;
  status: string;
  resolution: string;
  items: number;
  bonus?: number;
  requested: Date;
  resolved?: Date;
}) {
  const n = ++caseN;
  await t.db.returnCase.create({
    data: {
      shop: SHOP,
      number: `R${n}`,
      idempotencyKey: `k${n}`,
      orderShopifyId: orderId(input.order),
      orderName: `#${input.order}`,
      status: input.status,
      resolution: input.resolution,
      currency: "USD",
      itemsMinor: input.items,
      bonusMinor: input.bonus ?? 0,
      resolutionMinor: input.items + (input.bonus ?? 0),
      requestedAt: input.requested,
      resolvedAt: input.resolved ?? null,
      lines: {
        create: [{ lineItemShopifyId: `li${n}`, title: "Shirt", quantity: 1, unitPriceMinor: 1000, reason: "size" }],
      },
    },
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  figures = await import("./figures.server");
  registry = await import("../dashboard/registry.server");
  (await import("../dashboard/core-metrics.server")).registerCoreDashboardMetrics();
  await t.db.shop.create({ data: { domain: SHOP, name: "Figures", ianaTimezone: "UTC", currencyCode: "USD" } });

  // Ten orders in the last 30 days (1..10), one cancelled (10); one older (20).
  for (let n = 1; n <= 10; n++) await order(n, day(n + 5), n === 10);
  await order(20, new Date("2026-01-05T12:00:00Z"));

  // Returns. Refund 68.00 resolved (order 1); refund 232.00 still requested (order 2) and an approved
  // exchange (order 3): they refunded and kept nothing yet, but their orders came back. Store credit
  // 40.00 with a 4.00 bonus, resolved (order 4): kept 40.00. A declined return (order 5) and a
  // canceled one (order 6): their orders did not come back.
  await returnCase({
    order: 1,
    status: "closed",
    resolution: "refund",
    items: 6800,
    requested: day(12),
    resolved: day(14),
  });
  await returnCase({ order: 2, status: "requested", resolution: "refund", items: 23_200, requested: day(20) });
  await returnCase({ order: 3, status: "approved", resolution: "exchange_variant", items: 13_600, requested: day(21) });
  await returnCase({
    order: 4,
    status: "closed",
    resolution: "store_credit",
    items: 4000,
    bonus: 400,
    requested: day(15),
    resolved: day(18),
  });
  await returnCase({ order: 5, status: "declined", resolution: "refund", items: 1000, requested: day(22) });
  await returnCase({ order: 6, status: "canceled", resolution: "refund", items: 1000, requested: day(22) });
  // Order 7 came back only in Shopify; order 8 only as a refund of items; order 9's refund was for
  // shipping (no items).
  await t.db.shopifyReturn.create({
    data: {
      shop: SHOP,
      shopifyId: "gid://shopify/Return/7",
      orderShopifyId: orderId(7),
      status: "OPEN",
      lastEventAt: day(25),
    },
  });
  for (const [n, quantity] of [
    [8, 1],
    [9, 0],
  ]) {
    await t.db.refund.create({
      data: {
        shop: SHOP,
        shopifyId: `gid://shopify/Refund/${n}`,
        orderShopifyId: orderId(n),
        amountMinor: 500,
        currency: "USD",
        shopifyCreatedAt: day(26),
        lines: { create: [{ lineItemShopifyId: `x${n}`, quantity, subtotalMinor: 500 }] },
      },
    });
  }
});
afterAll(async () => {
  await t.drop();
});

describe("returns insights, counted as the dashboard counts", () => {
  it("money of resolved returns only; the bonus is not revenue kept", async () => {
    const insights = await figures.returnInsights(t.db, SHOP, 30, NOW);
    expect(insights.money).toEqual([
      { currency: "USD", keptMinor: 4000, exchangeMinor: 0, storeCreditMinor: 4000, refundedMinor: 6800 },
    ]);
  });

  it("return rate: orders 1, 2, 3, 4, 7 and 8 of the 9 placed (not cancelled) came back", async () => {
    const insights = await figures.returnInsights(t.db, SHOP, 30, NOW);
    expect([insights.ordersWithReturns, insights.orders]).toEqual([6, 9]);
    expect(insights.returnRate).toBeCloseTo(6 / 9, 12);
    // Live returns requested in the period (declined and canceled left out), with their reasons.
    expect(insights.returns).toBe(4);
    expect(insights.topReasons).toEqual([{ reason: "size", label: "size", labels: null, units: 4 }]);
  });

  it("the dashboard shows the same return rate and revenue kept for the same days", async () => {
    const insights = await figures.returnInsights(t.db, SHOP, 30, NOW);
    // The insights' 30 days end now (the 31st, noon): the same orders as the 1st to the 31st.
    const d = await registry.computeDashboard(t.db, SHOP, { from: "2026-03-01", to: "2026-03-31" }, NOW);
    const fig = (id: string) => d.figures.find((f) => f.id === id)!;
    expect(fig("return_rate").current.value).toBeCloseTo(insights.returnRate, 12);
    expect(fig("return_rate").current.detail).toBe("6 of 9 orders");
    expect(fig("revenue_kept").current.value).toBe(insights.money[0].keptMinor);
    expect(fig("return_rate").help).toMatch(/not cancelled or declined/);
  });
});
