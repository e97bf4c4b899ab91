/**
 * Data access for tracking. Every function takes the shop first and filters on it.
 */
import type { Fulfillment, FulfillmentEvent, FulfillmentLine, LineItem, Order, ShipmentTracking } from "@prisma/client";

import type { Db } from "../db.server";
import { readTrackingSettings, type TrackingSettings } from "../domain/tracking/settings";

import { rawRows } from "./raw-sql.server";

export async function getTrackingSettings(db: Db, shop: string): Promise<TrackingSettings> {
  const row = await db.trackingSettings.findUnique({ where: { shop }, select: { settings: true } });
  return readTrackingSettings(row?.settings);
}

export async function saveTrackingSettings(db: Db, shop: string, settings: TrackingSettings) {
  const json = JSON.stringify(settings);
  await db.trackingSettings.upsert({ where: { shop }, create: { shop, settings: json }, update: { settings: json } });
}

export interface ShopProfile {
  domain: string;
  name: string;
  timeZone: string;
  currencyCode: string;
  email: string | null;
}

export async function shopProfile(db: Db, shop: string): Promise<ShopProfile> {
  const row = await db.shop.findUnique({ where: { domain: shop } });
  return {
    domain: shop,
    name: row?.name ?? shop.replace(/\.myshopify\.com$/, ""),
    timeZone: row?.ianaTimezone ?? "UTC",
    currencyCode: row?.currencyCode ?? "USD",
    email: row?.email ?? null,
  };
}

/** "#1001", "1001" and " #1001 " all name order #1001; shops with a prefix ("AB-1001") are matched as typed. */
export function orderNameCandidates(input: string): string[] {
  const typed = input.trim();
  if (!typed || typed.length > 64) return [];
  const bare = typed.replace(/^#/, "");
  return [...new Set([typed, `#${bare}`, bare])];
}

export async function findOrdersByName(db: Db, shop: string, name: string) {
  const candidates = orderNameCandidates(name);
  if (candidates.length === 0) return [];
  return db.order.findMany({
    where: { shop, name: { in: candidates } },
    select: { shopifyId: true, email: true },
    take: 5,
  });
}

export async function findOrderById(db: Db, shop: string, orderShopifyId: string) {
  return db.order.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } },
    select: { shopifyId: true, email: true, customerShopifyId: true },
  });
}

/** Orders by name, each with its line items: the storefront lookup reads what it shows (raw SQL: raw-sql.server.ts). */
export async function findOrdersByNameWithItems(db: Db, shop: string, name: string): Promise<OrderWithItems[]> {
  const candidates = orderNameCandidates(name);
  if (candidates.length === 0) return [];
  const orders = await rawRows<Order>(db, `SELECT * FROM "Order" WHERE "shop" = {} AND "name" IN ({*}) LIMIT 5`, [
    shop,
    candidates,
  ]);
  return withLineItems(db, orders);
}

export type OrderWithItems = Order & { lineItems: LineItem[] };

const sortById = <T extends { id: string }>(rows: T[]) => rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

async function withLineItems(db: Db, orders: Order[]): Promise<OrderWithItems[]> {
  if (orders.length === 0) return [];
  // No ORDER BY on the primary key in these reads: SQLite would walk the whole table in key order
  // rather than use the index on the filter. The few rows are sorted here instead.
  const items = sortById(
    await rawRows<LineItem>(db, `SELECT * FROM "LineItem" WHERE "orderId" IN ({*})`, [orders.map((o) => o.id)]),
  );
  return orders.map((o) => ({ ...o, lineItems: items.filter((i) => i.orderId === o.id) }));
}

/** An order with its line items, shipments (with their lines), carrier scans (newest first) and tracking rows. */
export async function loadOrderForTracking(db: Db, shop: string, orderShopifyId: string, preloaded?: OrderWithItems) {
  let order: OrderWithItems | undefined =
    preloaded && preloaded.shop === shop && preloaded.shopifyId === orderShopifyId ? preloaded : undefined;
  if (!order) {
    const rows = await rawRows<Order>(db, `SELECT * FROM "Order" WHERE "shop" = {} AND "shopifyId" = {}`, [
      shop,
      orderShopifyId,
    ]);
    [order] = await withLineItems(db, rows);
  }
  if (!order) return null;
  const shipments = await rawRows<Fulfillment>(
    db,
    `SELECT * FROM "Fulfillment" WHERE "shop" = {} AND "orderShopifyId" = {} ORDER BY "shopifyCreatedAt"`,
    [shop, orderShopifyId],
  );
  const ids = shipments.map((f) => f.shopifyId);
  const [lines, events, tracking] = ids.length
    ? await Promise.all([
        rawRows<FulfillmentLine>(db, `SELECT * FROM "FulfillmentLine" WHERE "fulfillmentId" IN ({*})`, [
          shipments.map((f) => f.id),
        ]).then(sortById),
        rawRows<FulfillmentEvent>(
          db,
          `SELECT * FROM "FulfillmentEvent" WHERE "shop" = {} AND "fulfillmentShopifyId" IN ({*}) ORDER BY "happenedAt" DESC`,
          [shop, ids],
        ),
        rawRows<ShipmentTracking>(
          db,
          `SELECT * FROM "ShipmentTracking" WHERE "shop" = {} AND "fulfillmentShopifyId" IN ({*})`,
          [shop, ids],
        ).then(sortById),
      ])
    : [[], [], []];
  const fulfillments = shipments.map((f) => ({ ...f, lines: lines.filter((l) => l.fulfillmentId === f.id) }));
  return { order, fulfillments, events, tracking };
}

export type OrderForTracking = NonNullable<Awaited<ReturnType<typeof loadOrderForTracking>>>;

export async function recentOrdersOfCustomer(db: Db, shop: string, customerShopifyId: string, take = 10) {
  return db.order.findMany({
    where: { shop, customerShopifyId },
    orderBy: { shopifyCreatedAt: "desc" },
    take,
    select: { shopifyId: true, name: true, shopifyCreatedAt: true, fulfillmentStatus: true, cancelledAt: true },
  });
}

export async function customerFirstName(
  db: Db,
  shop: string,
  customerShopifyId: string | null,
): Promise<string | null> {
  if (!customerShopifyId) return null;
  const c = await db.customer.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } },
    select: { firstName: true },
  });
  return c?.firstName ?? null;
}

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

export async function needsAttention(db: Db, shop: string, take = 100) {
  return db.shipmentTracking.findMany({
    where: { shop, problem: { not: null }, deliveredAt: null },
    orderBy: { problemSince: "asc" },
    take,
  });
}

/** Orders with items still to ship, oldest first, for the unfulfilled-too-long rule. */
export async function openUnfulfilledOrders(db: Db, shop: string, placedBefore: Date, placedAfter: Date, take = 100) {
  return db.order.findMany({
    where: {
      shop,
      cancelledAt: null,
      closedAt: null,
      shopifyCreatedAt: { lt: placedBefore, gte: placedAfter },
      OR: [{ fulfillmentStatus: null }, { fulfillmentStatus: { in: ["partial", "unfulfilled", "restocked"] } }],
      lineItems: { some: { requiresShipping: true, fulfillableQuantity: { gt: 0 } } },
    },
    orderBy: { shopifyCreatedAt: "asc" },
    take,
    select: { shopifyId: true, name: true, shopifyCreatedAt: true, shippingCountryCode: true },
  });
}

export async function deliveredSince(db: Db, shop: string, since: Date, take = 5000) {
  return db.shipmentTracking.findMany({
    where: { shop, deliveredAt: { gte: since } },
    select: { carrier: true, destinationCountry: true, transitBusinessDays: true, deliveredOnTime: true },
    orderBy: { deliveredAt: "desc" },
    take,
  });
}
