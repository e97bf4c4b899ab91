/**
 * Data access for tracking. Every function takes the shop first and filters on it.
 */
import type { ShipmentTracking } from "@prisma/client";

import type { Db } from "../db.server";
import { readTrackingSettings, type TrackingSettings } from "../domain/tracking/settings";

import { orderWithShipments, linesAndEventsOfShipments, sortById, type OrderWithItems } from "./orders.server";
import { rawRows } from "./raw-sql.server";

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

export async function needsAttention(db: Db, shop: string, take = 100) {
  return db.shipmentTracking.findMany({
    where: { shop, problem: { not: null }, deliveredAt: null },
    orderBy: { problemSince: "asc" },
    take,
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

/** An order's tracking rows, one per shipment. */
export async function trackingOfOrder(db: Db, shop: string, orderShopifyId: string) {
  return db.shipmentTracking.findMany({ where: { shop, orderShopifyId } });
}
