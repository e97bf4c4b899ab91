/**
 * The home page at a big shop's size: 70,000 orders in a year, more order ids than either
 * database takes as parameters of one statement (SQLite 32,766, PostgreSQL 65,535), written in
 * bulk with one INSERT … SELECT per table over a generated series. The home page's loader (the real
 * route module; only the embedded-admin session check is stood in for) must answer with the right
 * figures, computed in the database: the rules below say which order is cancelled, returned,
 * refunded, whose customer is a member, and the expected figures are counted from the same rules.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";

const SHOP = "dash-big.myshopify.com";
vi.mock("../../shopify.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../shopify.server")>();
  return {
    ...real,
    authenticate: { ...real.authenticate, admin: async () => ({ session: { shop: SHOP }, admin: {} }) },
  };
});

const ORDERS = 70_000;
const CUSTOMERS = 30_000;
// Order i (1..ORDERS), placed on day i % 365 of 2025 (UTC), by customer (i % CUSTOMERS) + 1.
const cancelled = (i: number) => i % 50 === 0;
const shopifyReturn = (i: number) => i % 20 === 0; // OPEN
const declinedReturn = (i: number) => i % 20 === 10; // DECLINED: did not happen
const refundOfItems = (i: number) => i % 30 === 0;
const refundOfShippingOnly = (i: number) => i % 30 === 15; // no items came back
const returnCase = (i: number) => i % 45 === 0; // Aftercare's own return, not (yet) in Shopify
const canceledCase = (i: number) => i % 45 === 5;
const customerOf = (i: number) => (i % CUSTOMERS) + 1;
const isMember = (c: number) => c % 3 === 0;

let t: TestDatabase;
let home: { loader: (args: { request: Request; params: object; context: object }) => Promise<Response> };

/** A series 1..n as rows of `i`, in this database's words. */
const series = (n: number) =>
  t.kind === "sqlite"
    ? `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n}) `
    : `WITH s(i) AS (SELECT generate_series(1, ${n})) `;
/** Midnight UTC of day (expr) of 2025, stored as Prisma stores a DateTime. */
const day = (expr: string) =>
  t.kind === "sqlite"
    ? `strftime('%Y-%m-%dT%H:%M:%S.000+00:00', '2025-01-01', '+' || (${expr}) || ' days')`
    : `TIMESTAMP '2025-01-01' + (${expr}) * INTERVAL '1 day'`;
const stamp = () => (t.kind === "sqlite" ? "'2026-01-10T00:00:00.000+00:00'" : "TIMESTAMP '2026-01-10'");
const gid = (kind: string, expr: string) => `'gid://shopify/${kind}/' || (${expr})`;

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  // The server entry registers every area (and the dashboard's figures) at start-up, as here.
  await import("../../areas.server");
  home = (await import("../../routes/app._index")) as never;
  await t.db.shop.create({ data: { domain: SHOP, name: "Big", ianaTimezone: "UTC", currencyCode: "USD" } });
  const run = (text: string) => t.db.$executeRawUnsafe(text);
  await run(
    `${series(ORDERS)}INSERT INTO "Order" ("id", "shop", "shopifyId", "name", "customerShopifyId", "currency",
       "shopifyCreatedAt", "shopifyUpdatedAt", "cancelledAt", "updatedAt")
     SELECT 'o' || i, '${SHOP}', ${gid("Order", "i")}, '#' || i, ${gid("Customer", `(i % ${CUSTOMERS}) + 1`)}, 'USD',
       ${day("i % 365")}, ${day("i % 365")}, CASE WHEN i % 50 = 0 THEN ${day("i % 365")} ELSE NULL END, ${stamp()}
     FROM s`,
  );
  await run(
    `${series(ORDERS)}INSERT INTO "ShopifyReturn" ("id", "shop", "shopifyId", "orderShopifyId", "status", "lines",
       "requestedAt", "lastEventAt", "updatedAt")
     SELECT 'r' || i, '${SHOP}', ${gid("Return", "i")}, ${gid("Order", "i")},
       CASE WHEN i % 20 = 0 THEN 'OPEN' ELSE 'DECLINED' END,
       '[{"lineItemShopifyId":"x","quantity":1,"reason":"SIZE_TOO_SMALL"}]',
       ${day("i % 365")}, ${day("i % 365")}, ${stamp()}
     FROM s WHERE i % 20 = 0 OR i % 20 = 10`,
  );
  await run(
    `${series(ORDERS)}INSERT INTO "Refund" ("id", "shop", "shopifyId", "orderShopifyId", "amountMinor", "currency",
       "shopifyCreatedAt")
     SELECT 'f' || i, '${SHOP}', ${gid("Refund", "i")}, ${gid("Order", "i")}, 1000, 'USD', ${day("i % 365")}
     FROM s WHERE i % 30 = 0 OR i % 30 = 15`,
  );
  await run(
    `${series(ORDERS)}INSERT INTO "RefundLine" ("id", "refundId", "lineItemShopifyId", "quantity", "subtotalMinor")
     SELECT 'fl' || i, 'f' || i, 'x', CASE WHEN i % 30 = 0 THEN 1 ELSE 0 END, 1000
     FROM s WHERE i % 30 = 0 OR i % 30 = 15`,
  );
  await run(
    `${series(ORDERS)}INSERT INTO "ReturnCase" ("id", "shop", "number", "idempotencyKey", "orderShopifyId", "orderName",
       "status", "resolution", "currency", "itemsMinor", "resolutionMinor", "requestedAt", "updatedAt")
     SELECT 'c' || i, '${SHOP}', 'R' || i, 'k' || i, ${gid("Order", "i")}, '#' || i,
       CASE WHEN i % 45 = 0 THEN 'requested' ELSE 'canceled' END, 'refund', 'USD', 1000, 1000,
       ${day("i % 365")}, ${stamp()}
     FROM s WHERE i % 45 = 0 OR i % 45 = 5`,
  );
  await run(
    `${series(CUSTOMERS)}INSERT INTO "LoyaltyMember"
       ("id", "shop", "key", "customerShopifyId", "createdAt", "updatedAt")
     SELECT 'm' || i, '${SHOP}', 'c:' || ${gid("Customer", "i")}, ${gid("Customer", "i")}, ${day("0")}, ${stamp()}
     FROM s WHERE i % 3 = 0`,
  );
});
afterAll(async () => {
  await t.drop();
});

/** The figures the rules above give, counted one order at a time. */
function expected() {
  let placed = 0;
  let returned = 0;
  const ordersOf = new Map<number, number>();
  for (let i = 1; i <= ORDERS; i++) {
    if (cancelled(i)) continue;
    placed++;
    if (shopifyReturn(i) || refundOfItems(i) || returnCase(i)) returned++;
    ordersOf.set(customerOf(i), (ordersOf.get(customerOf(i)) ?? 0) + 1);
  }
  const rate = (list: number[]) => ({ customers: list.length, repeat: list.filter((n) => n > 1).length });
  const all = rate([...ordersOf.values()]);
  const members = rate([...ordersOf].filter(([c]) => isMember(c)).map(([, n]) => n));
  const others = rate([...ordersOf].filter(([c]) => !isMember(c)).map(([, n]) => n));
  return { placed, returned, all, members, others };
}

describe("the home page with 70,000 orders in the period", () => {
  it("answers with figures counted in the database", async () => {
    // The rules make a real mix: some of each kind, and overlaps.
    expect([declinedReturn(10), refundOfShippingOnly(15), canceledCase(5)]).toEqual([true, true, true]);
    const e = expected();
    expect(e.placed).toBe(68_600);
    const response = await home.loader({
      request: new Request("https://app.test/app?index&from=2025-01-01&to=2025-12-31"),
      params: {},
      context: {},
    });
    expect(response.status).toBe(200);
    const page = (await response.json()) as {
      figures: { id: string; current: { value: number | null; detail?: string; breakdown?: { value: number }[] } }[];
      daily: { date: string; all: number }[];
    };
    const fig = (id: string) => page.figures.find((f) => f.id === id)!.current;

    expect(fig("return_rate").detail).toBe(`${e.returned} of ${e.placed} orders`);
    expect(fig("return_rate").value).toBeCloseTo(e.returned / e.placed, 12);
    expect(fig("repeat_rate").detail).toBe(`${e.all.repeat} of ${e.all.customers} customers`);
    expect(fig("repeat_rate").value).toBeCloseTo(e.all.repeat / e.all.customers, 12);
    expect(fig("loyalty_members").value).toBe(CUSTOMERS / 3);
    expect(fig("loyalty_members").breakdown?.map((b) => b.value)).toEqual([
      e.members.repeat / e.members.customers,
      e.others.repeat / e.others.customers,
    ]);
    expect(page.daily).toHaveLength(365);
  }, 120_000);
});
