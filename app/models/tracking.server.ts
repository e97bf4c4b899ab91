/**
 * Data access for tracking. Every function takes the shop first and filters on it.
 */
import type { ShipmentTracking } from "@prisma/client";

import type { Db } from "../db.server";
import { readTrackingSettings, type TrackingSettings } from "../domain/tracking/settings";

import { orderWithShipments, linesAndEventsOfShipments, sortById, type OrderWithItems } from "./orders.server";
import { asNumber, queryRows, rawRows, sql, type Sql } from "./raw-sql.server";

export async function getTrackingSettings(db: Db, shop: string): Promise<TrackingSettings> {
  const row = await db.trackingSettings.findUnique({ where: { shop }, select: { settings: true } });
  return readTrackingSettings(row?.settings);
}

export async function saveTrackingSettings(db: Db, shop: string, settings: TrackingSettings) {
  const json = JSON.stringify(settings);
  await db.trackingSettings.upsert({ where: { shop }, create: { shop, settings: json }, update: { settings: json } });
}

/** An order with its line items, shipments (with their lines), carrier scans (newest first) and tracking rows. */
export async function loadOrderForTracking(db: Db, shop: string, orderShopifyId: string, preloaded?: OrderWithItems) {
  const found = await orderWithShipments(db, shop, orderShopifyId, preloaded);
  if (!found) return null;
  const { order, shipments } = found;
  const ids = shipments.map((f) => f.shopifyId);
  const [[lines, events], tracking] = ids.length
    ? await Promise.all([
        linesAndEventsOfShipments(db, shop, shipments),
        rawRows<ShipmentTracking>(
          db,
          `SELECT * FROM "ShipmentTracking" WHERE "shop" = {} AND "fulfillmentShopifyId" IN ({*})`,
          [shop, ids],
        ).then(sortById),
      ])
    : [[[], []], []];
  const fulfillments = shipments.map((f) => ({ ...f, lines: lines.filter((l) => l.fulfillmentId === f.id) }));
  return { order, fulfillments, events, tracking };
}

export type OrderForTracking = NonNullable<Awaited<ReturnType<typeof loadOrderForTracking>>>;

/** Business days in transit of this shop's recent deliveries, newest first. */
export async function transitSamples(
  db: Db,
  shop: string,
  where: { carrier?: string | null; destinationCountry: string | null; since: Date },
  take = 200,
): Promise<number[]> {
  const rows = await db.shipmentTracking.findMany({
    where: {
      shop,
      ...(where.carrier ? { carrier: where.carrier } : {}),
      destinationCountry: where.destinationCountry,
      deliveredAt: { gte: where.since },
      transitBusinessDays: { not: null },
    },
    orderBy: { deliveredAt: "desc" },
    take,
    select: { transitBusinessDays: true },
  });
  return rows.map((r) => r.transitBusinessDays!);
}

/**
 * The WISMO deflection's counts (domain/dashboard/definitions.ts): orders whose first shipment left
 * in the period (an order shipped in parts counts once, on its first part's day, so the counts of
 * days add up to a period's), how many of them the shopper looked up or was told about (`informed`, a condition
 * over the order gid from the contact and outbox areas), how many someone asked about (`asked`),
 * and how many were informed and never asked about. One pass over the period's shipments from the
 * `(shop, shippedAt, orderShopifyId)` index, with index probes per order.
 */
export async function shippedOrdersAnswered(
  db: Db,
  shop: string,
  period: { start: Date; end: Date },
  conditions: { informed: (order: Sql) => Sql; asked: (order: Sql) => Sql },
) {
  const order = sql`s."order"`;
  const informed = conditions.informed(order);
  const asked = conditions.asked(order);
  const [row] = await queryRows<Record<"shipped" | "informed" | "asked" | "deflected", unknown>>(
    db,
    sql`SELECT COUNT(*) AS "shipped",
        SUM(CASE WHEN ${informed} THEN 1 ELSE 0 END) AS "informed",
        SUM(CASE WHEN ${asked} THEN 1 ELSE 0 END) AS "asked",
        SUM(CASE WHEN ${informed} AND NOT ${asked} THEN 1 ELSE 0 END) AS "deflected"
      FROM (
        SELECT DISTINCT t."orderShopifyId" AS "order" FROM "ShipmentTracking" t
        WHERE t."shop" = ${shop} AND t."shippedAt" >= ${period.start} AND t."shippedAt" < ${period.end}
          AND NOT EXISTS (SELECT 1 FROM "ShipmentTracking" e
            WHERE e."shop" = ${shop} AND e."orderShopifyId" = t."orderShopifyId" AND e."shippedAt" < ${period.start})
      ) s`,
  );
  return {
    shipped: asNumber(row?.shipped),
    informed: asNumber(row?.informed),
    asked: asNumber(row?.asked),
    deflected: asNumber(row?.deflected),
  };
}

/**
 * When the shipments of the orders in `orders` (a subquery of order gids) left, and when the first
 * shipment of the shop left: the days the dashboard's rollup recounts.
 */
export async function shipTimesOf(db: Db, shop: string, orders: Sql): Promise<Date[]> {
  const rows = await queryRows<{ at: unknown }>(
    db,
    sql`SELECT DISTINCT t."shippedAt" AS "at" FROM "ShipmentTracking" t
      WHERE t."shop" = ${shop} AND t."shippedAt" IS NOT NULL AND t."orderShopifyId" IN (${orders})`,
  );
  return rows.map((r) => new Date(r.at as string | Date));
}

export async function firstShippedAt(db: Db, shop: string): Promise<Date | null> {
  const [row] = await queryRows<{ at: unknown }>(
    db,
    sql`SELECT MIN(t."shippedAt") AS "at" FROM "ShipmentTracking" t WHERE t."shop" = ${shop}`,
  );
  return row?.at ? new Date(row.at as string | Date) : null;
}

export async function needsAttention(db: Db, shop: string, take = 100) {
  return db.shipmentTracking.findMany({
    where: { shop, problem: { not: null }, deliveredAt: null },
    orderBy: { problemSince: "asc" },
    take,
  });
}

/**
 * Shipments delivered since `since`, per carrier and destination country, counted in the database:
 * how many, how many had a promised day and how many made it, and how many took each number of
 * business days in transit (for the median).
 */
export async function deliveriesByCarrier(db: Db, shop: string, since: Date) {
  const rows = await queryRows<{
    carrier: string | null;
    country: string | null;
    days: unknown;
    delivered: unknown;
    judged: unknown;
    onTime: unknown;
  }>(
    db,
    sql`SELECT "carrier" AS "carrier", "destinationCountry" AS "country", "transitBusinessDays" AS "days",
        COUNT(*) AS "delivered", COUNT("deliveredOnTime") AS "judged",
        SUM(CASE WHEN "deliveredOnTime" THEN 1 ELSE 0 END) AS "onTime"
      FROM "ShipmentTracking" WHERE "shop" = ${shop} AND "deliveredAt" >= ${since}
      GROUP BY "carrier", "destinationCountry", "transitBusinessDays"`,
  );
  const groups = new Map<
    string,
    {
      carrier: string | null;
      destinationCountry: string | null;
      delivered: number;
      judged: number;
      onTime: number;
      transitDays: { days: number; shipments: number }[];
    }
  >();
  for (const r of rows) {
    const key = JSON.stringify([r.carrier, r.country]);
    let g = groups.get(key);
    if (!g) {
      g = { carrier: r.carrier, destinationCountry: r.country, delivered: 0, judged: 0, onTime: 0, transitDays: [] };
      groups.set(key, g);
    }
    g.delivered += asNumber(r.delivered);
    g.judged += asNumber(r.judged);
    g.onTime += asNumber(r.onTime);
    if (r.days !== null) g.transitDays.push({ days: asNumber(r.days), shipments: asNumber(r.delivered) });
  }
  return [...groups.values()];
}

/** An order's tracking rows, one per shipment. */
export async function trackingOfOrder(db: Db, shop: string, orderShopifyId: string) {
  return db.shipmentTracking.findMany({ where: { shop, orderShopifyId } });
}
