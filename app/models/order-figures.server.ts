/**
 * Figures over Shopify's mirror (orders, refunds, Shopify's returns) for the dashboard and the
 * returns insights, each one SQL statement that counts in the database: no order id or row comes
 * into the app, however many orders the period holds (docs/decisions/0028-admin-at-a-big-shops-size.md).
 * A figure that also depends on another owner's table takes that owner's piece of SQL (a subquery
 * or a condition, raw-sql.server.ts's `sql`) and builds it in; only the owner writes SQL naming
 * its table.
 */
import type { Db } from "../db.server";

import { asNumber, isSqlite, queryRows, sql, type Sql } from "./raw-sql.server";

/** A period of the dashboard: [start, end). */
export interface FigurePeriod {
  start: Date;
  end: Date;
}

/** Shopify's return statuses that mean the return did not happen (the mirror keeps Shopify's case). */
const RETURN_NOT_HAPPENED = ["CANCELED", "DECLINED", "canceled", "declined"];

/**
 * Orders placed in the period and not cancelled, and how many of them came back: a Shopify return
 * that was not cancelled or declined, a refund of items, or an order in `alsoReturned` (a subquery
 * of order gids from another owner: the returns area's own returns, which reach Shopify later or
 * not at all).
 */
export async function ordersPlacedAndReturned(
  db: Db,
  shop: string,
  period: FigurePeriod,
  alsoReturned?: Sql,
  buyer?: { customerShopifyId: string } | { emails: string[] },
): Promise<{ placed: number; returned: number }> {
  // One customer's orders (by account, else by the email spellings given), or all of them.
  let whose = sql``;
  if (buyer && "customerShopifyId" in buyer) whose = sql`AND o."customerShopifyId" = ${buyer.customerShopifyId}`;
  else if (buyer) whose = sql`AND o."email" IN (${buyer.emails})`;
  const returnedOrders = sql`
    SELECT r."orderShopifyId" FROM "ShopifyReturn" r
    WHERE r."shop" = ${shop} AND r."orderShopifyId" IS NOT NULL AND r."status" NOT IN (${RETURN_NOT_HAPPENED})
    UNION
    SELECT f."orderShopifyId" FROM "Refund" f
    WHERE f."shop" = ${shop}
      AND EXISTS (SELECT 1 FROM "RefundLine" l WHERE l."refundId" = f."id" AND l."quantity" > 0)
    ${alsoReturned ? sql`UNION ${alsoReturned}` : sql``}`;
  const [row] = await queryRows<{ placed: unknown; returned: unknown }>(
    db,
    sql`
      SELECT COUNT(*) AS "placed",
        SUM(CASE WHEN o."shopifyId" IN (${returnedOrders}) THEN 1 ELSE 0 END) AS "returned"
      FROM "Order" o
      WHERE o."shop" = ${shop} AND o."shopifyCreatedAt" >= ${period.start} AND o."shopifyCreatedAt" < ${period.end}
        AND o."cancelledAt" IS NULL ${whose}`,
  );
  return { placed: asNumber(row?.placed), returned: asNumber(row?.returned) };
}

/**
 * The gids of orders whose Shopify return or refund was written at or after `since`, with
 * `alsoChanged` (other owners' subqueries of order gids), as one subquery: the dashboard's rollup
 * recounts the days these orders were placed and shipped.
 */
export function ordersChangedSince(shop: string, since: Date, alsoChanged: Sql[]): Sql {
  let pieces = sql`SELECT r."orderShopifyId" FROM "ShopifyReturn" r
    WHERE r."shop" = ${shop} AND r."updatedAt" >= ${since} AND r."orderShopifyId" IS NOT NULL
    UNION SELECT f."orderShopifyId" FROM "Refund" f WHERE f."shop" = ${shop} AND f."createdAt" >= ${since}`;
  for (const piece of alsoChanged) pieces = sql`${pieces} UNION ${piece}`;
  return pieces;
}

/** When the orders in `orders` (a subquery of order gids) were placed. */
export async function placementTimesOf(db: Db, shop: string, orders: Sql): Promise<Date[]> {
  const rows = await queryRows<{ at: unknown }>(
    db,
    sql`SELECT DISTINCT o."shopifyCreatedAt" AS "at" FROM "Order" o
      WHERE o."shop" = ${shop} AND o."shopifyId" IN (${orders})`,
  );
  return rows.map((r) => new Date(r.at as string | Date));
}

/** When the shop's first order was placed (null: none yet). */
export async function firstOrderPlacedAt(db: Db, shop: string): Promise<Date | null> {
  const [row] = await queryRows<{ at: unknown }>(
    db,
    sql`SELECT MIN(o."shopifyCreatedAt") AS "at" FROM "Order" o WHERE o."shop" = ${shop}`,
  );
  return row?.at ? new Date(row.at as string | Date) : null;
}

export interface RepeatBuyers {
  /** Customers with an order (not cancelled) in the period. */
  customers: number;
  /** Of those, the ones with at least two orders (not cancelled) up to the period's end. */
  repeat: number;
}

/**
 * Customers who ordered in the period (orders not cancelled) and how many of them have ordered more
 * than once up to its end; with `isMember` (a condition over a customer gid, from the loyalty
 * area), the same for the customers it holds for. One pass over the shop's orders up to the
 * period's end, grouped by customer in the database.
 */
export async function repeatBuyers(
  db: Db,
  shop: string,
  period: FigurePeriod,
  isMember?: (customer: Sql) => Sql,
): Promise<RepeatBuyers & { members: RepeatBuyers | null }> {
  const member = isMember ? isMember(sql`b."customer"`) : sql`1 = 0`;
  const [row] = await queryRows<Record<"customers" | "repeat" | "memberCustomers" | "memberRepeat", unknown>>(
    db,
    sql`
      SELECT COUNT(*) AS "customers",
        SUM(CASE WHEN b."orders" > 1 THEN 1 ELSE 0 END) AS "repeat",
        SUM(CASE WHEN ${member} THEN 1 ELSE 0 END) AS "memberCustomers",
        SUM(CASE WHEN b."orders" > 1 AND ${member} THEN 1 ELSE 0 END) AS "memberRepeat"
      FROM (
        SELECT o."customerShopifyId" AS "customer", COUNT(*) AS "orders"
        FROM "Order" o
        WHERE o."shop" = ${shop} AND o."customerShopifyId" IS NOT NULL AND o."shopifyCreatedAt" < ${period.end}
          AND o."cancelledAt" IS NULL
        GROUP BY o."customerShopifyId"
        HAVING MAX(o."shopifyCreatedAt") >= ${period.start}
      ) b`,
  );
  return {
    customers: asNumber(row?.customers),
    repeat: asNumber(row?.repeat),
    members: isMember ? { customers: asNumber(row?.memberCustomers), repeat: asNumber(row?.memberRepeat) } : null,
  };
}

/**
 * Units returned per reason, over the lines of Shopify's returns requested in the period (not
 * cancelled), leaving out the returns in `counted` (a subquery of return gids another owner counts
 * itself: the returns area's cases). Lines are JSON in the mirror; they are read in the database.
 */
export async function mirroredReturnReasons(
  db: Db,
  shop: string,
  period: FigurePeriod,
  counted?: Sql,
): Promise<{ reason: string | null; quantity: number }[]> {
  const lines = isSqlite(db)
    ? sql`json_each(CASE WHEN json_valid(r."lines") THEN r."lines" ELSE '[]' END) j`
    : sql`jsonb_array_elements(r."lines"::jsonb) j`;
  const reason = isSqlite(db) ? sql`json_extract(j."value", '$.reason')` : sql`j ->> 'reason'`;
  const quantity = isSqlite(db)
    ? sql`CAST(json_extract(j."value", '$.quantity') AS INTEGER)`
    : sql`CAST(j ->> 'quantity' AS INTEGER)`;
  const rows = await queryRows<{ reason: string | null; quantity: unknown }>(
    db,
    sql`
      SELECT ${reason} AS "reason", SUM(${quantity}) AS "quantity"
      FROM "ShopifyReturn" r CROSS JOIN ${lines}
      WHERE r."shop" = ${shop} AND r."requestedAt" >= ${period.start} AND r."requestedAt" < ${period.end}
        AND r."status" NOT IN (${["CANCELED", "canceled"]})
        ${counted ? sql`AND r."shopifyId" NOT IN (${counted})` : sql``}
      GROUP BY 1`,
  );
  return rows.map((r) => ({ reason: r.reason, quantity: asNumber(r.quantity) }));
}
