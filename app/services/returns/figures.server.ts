/**
 * The returns area's figures for the dashboard and the insights page, counted in the database
 * (docs/decisions/0028-admin-at-a-big-shops-size.md), and the pieces of SQL over its tables that
 * figures of other owners build in (the mirror's return rate, Shopify's return reasons).
 */
import type { Db } from "../../db.server";
import { LIVE_STATUSES } from "../../domain/returns/policy";
import { ordersPlacedAndReturned } from "../../models/order-figures.server";
import { asNumber, queryRows, sql, type Sql } from "../../models/raw-sql.server";

import { getReturnPolicy } from "./policy.server";

/** A period of the dashboard: [start, end). */
interface Period {
  start: Date;
  end: Date;
}

/** Statuses of a return that did not happen: the shopper withdrew it or the shop declined it. */
export const RETURN_DID_NOT_HAPPEN = ["canceled", "declined"];

/** Units per reason over the lines of the returns requested in the period (not canceled). */
export async function returnReasonsRequested(db: Db, shop: string, period: Period) {
  const rows = await queryRows<{ reason: string; quantity: unknown }>(
    db,
    sql`
      SELECT l."reason" AS "reason", SUM(l."quantity") AS "quantity"
      FROM "ReturnCase" c JOIN "ReturnCaseLine" l ON l."returnCaseId" = c."id"
      WHERE c."shop" = ${shop} AND c."requestedAt" >= ${period.start} AND c."requestedAt" < ${period.end}
        AND c."status" <> 'canceled'
      GROUP BY l."reason"`,
  );
  return rows.map((r) => ({ reason: r.reason, quantity: asNumber(r.quantity) }));
}

/**
 * The gids of Shopify's returns that are Aftercare's cases, as a subquery: a return started in
 * Aftercare is mirrored from Shopify too, and the case is what counts.
 */
export function shopifyReturnsOfCases(shop: string): Sql {
  return sql`SELECT c."shopifyReturnId" FROM "ReturnCase" c
    WHERE c."shop" = ${shop} AND c."shopifyReturnId" IS NOT NULL`;
}

/** The gids of orders with a return that happened or is under way (not canceled or declined), as a subquery. */
export function ordersWithReturnCases(shop: string): Sql {
  return sql`SELECT c."orderShopifyId" FROM "ReturnCase" c
    WHERE c."shop" = ${shop} AND c."status" NOT IN (${RETURN_DID_NOT_HAPPEN})`;
}

/** The gids of orders whose return changed at or after `since`, as a subquery (the dashboard's rollup). */
export function ordersWithReturnCasesChangedSince(shop: string, since: Date): Sql {
  return sql`SELECT c."orderShopifyId" FROM "ReturnCase" c WHERE c."shop" = ${shop} AND c."updatedAt" >= ${since}`;
}

/**
 * Returns resolved in [start, end) as an exchange or store credit, in the shop's currency: how many,
 * and what they kept. resolutionMinor is what the shopper got (items - fees + bonus); the bonus is
 * the shop's own money on top, not revenue kept, so it comes off: a 100 return credited as 110 keeps 100.
 */
export async function revenueKeptByResolutions(db: Db, shop: string, currency: string, period: Period) {
  const where = {
    shop,
    currency,
    resolvedAt: { gte: period.start, lt: period.end },
    resolution: { in: ["store_credit", "exchange_variant", "exchange_any"] },
  };
  const sum = await db.returnCase.aggregate({
    where,
    _sum: { resolutionMinor: true, bonusMinor: true },
    _count: { _all: true },
  });
  return { keptMinor: (sum._sum.resolutionMinor ?? 0) - (sum._sum.bonusMinor ?? 0), returnsKept: sum._count._all };
}

export interface ReturnInsights {
  since: string;
  orders: number;
  ordersWithReturns: number;
  returnRate: number;
  returns: number;
  /** `label` in English; `labels` in each storefront language the policy names the reason in. */
  topReasons: { reason: string; label: string; labels: Record<string, string> | null; units: number }[];
  byProduct: { title: string; units: number; returns: number }[];
  /** Per currency, of the returns resolved in the period: kept as exchanges and store credit, and refunded (minor). */
  money: {
    currency: string;
    keptMinor: number;
    exchangeMinor: number;
    storeCreditMinor: number;
    refundedMinor: number;
  }[];
}

/**
 * The returns insights page over the last `days` days, every figure counted in the database by the
 * dashboard's definitions (domain/dashboard/definitions.ts): the return rate of the orders placed in
 * the period; reasons and products of the returns requested in it (live ones); money of the
 * returns resolved in it, so a return still requested or approved has refunded and kept nothing.
 */
export async function returnInsights(db: Db, shop: string, days: number, now = new Date()): Promise<ReturnInsights> {
  const since = new Date(now.getTime() - days * 86_400_000);
  const period = { start: since, end: now };
  const requested = sql`c."shop" = ${shop} AND c."requestedAt" >= ${since} AND c."status" IN (${LIVE_STATUSES})`;
  const [rate, [counted], reasons, products, money, policy] = await Promise.all([
    ordersPlacedAndReturned(db, shop, period, ordersWithReturnCases(shop)),
    queryRows<{ returns: unknown }>(db, sql`SELECT COUNT(*) AS "returns" FROM "ReturnCase" c WHERE ${requested}`),
    queryRows<{ reason: string; units: unknown }>(
      db,
      sql`SELECT l."reason" AS "reason", SUM(l."quantity") AS "units"
        FROM "ReturnCase" c JOIN "ReturnCaseLine" l ON l."returnCaseId" = c."id"
        WHERE ${requested} GROUP BY l."reason"`,
    ),
    queryRows<{ title: string; units: unknown; returns: unknown }>(
      db,
      sql`SELECT MIN(l."title") AS "title", SUM(l."quantity") AS "units", COUNT(DISTINCT c."id") AS "returns"
        FROM "ReturnCase" c JOIN "ReturnCaseLine" l ON l."returnCaseId" = c."id"
        WHERE ${requested} GROUP BY COALESCE(l."productShopifyId", l."title")
        ORDER BY SUM(l."quantity") DESC LIMIT 10`,
    ),
    queryRows<{ currency: string; resolution: string; amount: unknown; bonus: unknown }>(
      db,
      sql`SELECT c."currency" AS "currency", c."resolution" AS "resolution",
          SUM(c."resolutionMinor") AS "amount", SUM(c."bonusMinor") AS "bonus"
        FROM "ReturnCase" c
        WHERE c."shop" = ${shop} AND c."resolvedAt" >= ${since} AND c."resolvedAt" < ${now}
        GROUP BY c."currency", c."resolution"`,
    ),
    getReturnPolicy(db, shop),
  ]);
  const byCurrency = new Map<string, ReturnInsights["money"][number]>();
  for (const m of money) {
    const row = byCurrency.get(m.currency) ?? {
      currency: m.currency,
      keptMinor: 0,
      exchangeMinor: 0,
      storeCreditMinor: 0,
      refundedMinor: 0,
    };
    // What an exchange or credit kept is what it would have refunded: the bonus is the shop's own money.
    const kept = asNumber(m.amount) - asNumber(m.bonus);
    if (m.resolution === "refund") row.refundedMinor += asNumber(m.amount);
    else if (m.resolution === "store_credit") row.storeCreditMinor += kept;
    else row.exchangeMinor += kept;
    row.keptMinor = row.exchangeMinor + row.storeCreditMinor;
    byCurrency.set(m.currency, row);
  }
  return {
    since: since.toISOString(),
    orders: rate.placed,
    ordersWithReturns: rate.returned,
    returnRate: rate.placed > 0 ? rate.returned / rate.placed : 0,
    returns: asNumber(counted?.returns),
    topReasons: reasons
      .map((r) => ({
        reason: r.reason,
        label: policy.reasons.find((p) => p.id === r.reason)?.label.en ?? r.reason,
        labels: policy.reasons.find((p) => p.id === r.reason)?.label ?? null,
        units: asNumber(r.units),
      }))
      .sort((a, b) => b.units - a.units || a.reason.localeCompare(b.reason)),
    byProduct: products.map((p) => ({ title: p.title, units: asNumber(p.units), returns: asNumber(p.returns) })),
    money: [...byCurrency.values()],
  };
}

/**
 * A customer's return rate against the shop's, by the dashboard's definition (orders that came
 * back, of the orders placed and not cancelled): the customer's over all their orders, the shop's
 * over the last year. Both counted in the database from indexes, where the shop's share of units
 * returned summed every line item of the shop on every view of a return.
 */
export async function returnRatesOfCustomerAndShop(
  db: Db,
  shop: string,
  buyer: { customerShopifyId: string } | { emails: string[] },
  now: Date,
) {
  const [customer, shopWide] = await Promise.all([
    ordersPlacedAndReturned(db, shop, { start: new Date(0), end: now }, ordersWithReturnCases(shop), buyer),
    ordersPlacedAndReturned(
      db,
      shop,
      { start: new Date(now.getTime() - 365 * 86_400_000), end: now },
      ordersWithReturnCases(shop),
    ),
  ]);
  return {
    ordersPlaced: customer.placed,
    ordersReturned: customer.returned,
    rate: customer.placed > 0 ? customer.returned / customer.placed : 0,
    shopRate: shopWide.placed > 0 ? shopWide.returned / shopWide.placed : 0,
  };
}
