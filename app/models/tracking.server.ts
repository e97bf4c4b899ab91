/**
 * Data access for tracking. Every function takes the shop first and filters on it.
 */
import type { Db } from "../db.server";
import { readTrackingSettings, type TrackingSettings } from "../domain/tracking/settings";

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
  return db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } }, select: { shopifyId: true, email: true, customerShopifyId: true } });
}

/** Orders by name, each with its line items: the storefront lookup reads what it shows in the same query. */
export async function findOrdersByNameWithItems(db: Db, shop: string, name: string) {
  const candidates = orderNameCandidates(name);
  if (candidates.length === 0) return [];
  return db.order.findMany({ where: { shop, name: { in: candidates } }, include: { lineItems: true }, take: 5 });
}

export type OrderWithItems = Awaited<ReturnType<typeof findOrdersByNameWithItems>>[number];

/** An order with everything its tracking page shows (`preloaded`: the order row, already read with its line items). */
export async function loadOrderForTracking(db: Db, shop: string, orderShopifyId: string, preloaded?: OrderWithItems) {
  const order =
    preloaded && preloaded.shop === shop && preloaded.shopifyId === orderShopifyId
      ? preloaded
      : await db.order.findUnique({
          where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } },
          include: { lineItems: true },
        });
  if (!order) return null;
  const fulfillments = await db.fulfillment.findMany({
    where: { shop, orderShopifyId },
    include: { lines: true },
    orderBy: { shopifyCreatedAt: "asc" },
  });
  const ids = fulfillments.map((f) => f.shopifyId);
  const [events, tracking] = ids.length
    ? await Promise.all([
        db.fulfillmentEvent.findMany({ where: { shop, fulfillmentShopifyId: { in: ids } }, orderBy: { happenedAt: "desc" } }),
        db.shipmentTracking.findMany({ where: { shop, fulfillmentShopifyId: { in: ids } } }),
      ])
    : [[], []];
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

export async function customerFirstName(db: Db, shop: string, customerShopifyId: string | null): Promise<string | null> {
  if (!customerShopifyId) return null;
  const c = await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } }, select: { firstName: true } });
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
