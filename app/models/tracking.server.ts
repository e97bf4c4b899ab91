/**
 * Data access for tracking. Every function takes the shop first and filters on it.
 */
import type { ShipmentTracking } from "@prisma/client";

import type { Db } from "../db.server";
import { ATTENTION_KINDS, type AttentionKind } from "../domain/tracking/attention";
import { readTrackingSettings, type TrackingSettings } from "../domain/tracking/settings";
import { pageOf, type Page, type PageRequest } from "../utils/paging.server";

import { orderWithShipments, linesAndEventsOfShipments, sortById, type OrderWithItems } from "./orders.server";
import { asNumber, joinSql, queryRows, rawRows, sql, sqlText, type Sql } from "./raw-sql.server";

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

/** One row of the needs-attention list: a problem shipment, or an order not shipped in time. */
export interface AttentionRow {
  kind: AttentionKind;
  /** The shipment's fulfillment gid, or the order's gid for an order not shipped. */
  subjectId: string;
  orderShopifyId: string;
  orderName: string;
  carrier: string | null;
  trackingNumber: string | null;
  reason: string | null;
  since: Date;
}

export interface AttentionFilter {
  kinds: ReadonlyArray<AttentionKind>;
  /** An order name's beginning (with or without "#") or a whole tracking number; "" for all. */
  search: string;
  sort: "oldest" | "newest";
}

/**
 * Everything that needs attention and was not marked handled, as one derived table: problem
 * shipments not delivered, and (when `unfulfilled` is given, a piece from the orders' owner) the
 * orders left unfulfilled. Each row's `since` is when its problem began.
 */
function attentionSource(shop: string, unfulfilled: Sql | null): Sql {
  const shipments = sql`SELECT COALESCE(t."problem", 'delayed') AS "kind", t."fulfillmentShopifyId" AS "subjectId",
      t."orderShopifyId" AS "orderShopifyId", t."orderName" AS "orderName", t."carrier" AS "carrier",
      t."trackingNumber" AS "trackingNumber", t."problemReason" AS "reason",
      COALESCE(t."problemSince", t."updatedAt") AS "since"
    FROM "ShipmentTracking" t
    WHERE t."shop" = ${shop} AND t."problem" IS NOT NULL AND t."deliveredAt" IS NULL`;
  const both = unfulfilled
    ? sql`${shipments} UNION ALL SELECT 'unfulfilled', u."orderShopifyId", u."orderShopifyId", u."orderName",
        NULL, NULL, 'unfulfilled_too_long', u."placedAt" FROM (${unfulfilled}) u`
    : shipments;
  return sql`(SELECT * FROM (${both}) b WHERE NOT EXISTS (SELECT 1 FROM "AttentionHandled" h
      WHERE h."shop" = ${shop} AND h."subjectId" = b."subjectId" AND h."since" = b."since")) a`;
}

function attentionWhere(filter: AttentionFilter): Sql[] {
  const where: Sql[] = [];
  if (filter.kinds.length > 0 && filter.kinds.length < ATTENTION_KINDS.length)
    where.push(sql`a."kind" IN (${[...filter.kinds]})`);
  const q = filter.search.trim().replace(/^#/, "");
  if (q) {
    const like = `#${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(sql`(a."orderName" LIKE ${like} ESCAPE '\\' OR a."trackingNumber" = ${q})`);
  }
  return where;
}

/**
 * A page of the needs-attention list by keyset on (since, subjectId), and how many rows of each
 * kind match the search (the filter's counts), both counted in the database: nothing but the page's
 * rows comes into the app.
 */
export async function attentionPage(
  db: Db,
  shop: string,
  unfulfilled: Sql | null,
  filter: AttentionFilter,
  page: PageRequest,
): Promise<{ page: Page<AttentionRow>; counts: Record<AttentionKind, number> }> {
  const source = attentionSource(shop, unfulfilled);
  const where = attentionWhere(filter);
  const cursor = page.before ?? page.after;
  const reading = page.before ? (filter.sort === "oldest" ? "desc" : "asc") : filter.sort === "oldest" ? "asc" : "desc";
  const beyond = sqlText(reading === "asc" ? ">" : "<");
  const order = sqlText(reading === "asc" ? "ASC" : "DESC");
  const at = cursor ? new Date(cursor.at) : null;
  const keysetWhere = cursor
    ? [sql`(a."since" ${beyond} ${at} OR (a."since" = ${at} AND a."subjectId" ${beyond} ${cursor.id}))`]
    : [];
  const conditions = (extra: Sql[]) => {
    const all = [...where, ...extra];
    return all.length ? sql` WHERE ${joinSql(all, " AND ")}` : sql``;
  };
  const kindsWhere = attentionWhere({ ...filter, kinds: [] });
  const [rows, counted] = await Promise.all([
    queryRows<Omit<AttentionRow, "since"> & { since: unknown }>(
      db,
      sql`SELECT * FROM ${source}${conditions(keysetWhere)}
        ORDER BY a."since" ${order}, a."subjectId" ${order} LIMIT ${page.size + 1}`,
    ),
    queryRows<{ kind: AttentionKind; n: unknown }>(
      db,
      sql`SELECT a."kind" AS "kind", COUNT(*) AS "n" FROM ${source}${
        kindsWhere.length ? sql` WHERE ${joinSql(kindsWhere, " AND ")}` : sql``
      } GROUP BY a."kind"`,
    ),
  ]);
  const counts = Object.fromEntries(ATTENTION_KINDS.map((k) => [k, 0])) as Record<AttentionKind, number>;
  for (const c of counted) if (c.kind in counts) counts[c.kind] = asNumber(c.n);
  const parsed = rows.map((r) => ({ ...r, since: new Date(r.since as string | Date) }));
  return {
    page: pageOf(parsed, page, (r) => ({ at: r.since.toISOString(), id: r.subjectId })),
    counts,
  };
}

/**
 * Marks an item handled as of when its problem began; true when it was not handled already. A
 * later problem on the same shipment begins at another time and needs attention again.
 */
export async function markAttentionHandled(
  db: Db,
  shop: string,
  item: { subjectId: string; since: Date },
  staffUserId: string | null,
  now: Date,
): Promise<boolean> {
  const found = await db.attentionHandled.findUnique({
    where: { shop_subjectId_since: { shop, subjectId: item.subjectId, since: item.since } },
    select: { id: true },
  });
  if (found) return false;
  try {
    await db.attentionHandled.create({
      data: { shop, subjectId: item.subjectId, since: item.since, handledAt: now, staffUserId },
    });
    return true;
  } catch (error) {
    // Two clicks at once: the unique key keeps one row.
    if ((error as { code?: string }).code === "P2002") return false;
    throw error;
  }
}

/** One item of the list as it is now (not handled), for an action on it; null when it is not there. */
export async function attentionItem(
  db: Db,
  shop: string,
  unfulfilled: Sql | null,
  subjectId: string,
): Promise<AttentionRow | null> {
  const [row] = await queryRows<Omit<AttentionRow, "since"> & { since: unknown }>(
    db,
    sql`SELECT * FROM ${attentionSource(shop, unfulfilled)} WHERE a."subjectId" = ${subjectId} LIMIT 1`,
  );
  return row ? { ...row, since: new Date(row.since as string | Date) } : null;
}
