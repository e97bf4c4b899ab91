/**
 * Counts how often shoppers open an order's tracking, per day of the shop's calendar: the
 * self-service side of WISMO deflection on the dashboard. One upsert per successful lookup;
 * counting never fails a lookup.
 */
import type { Db } from "../../db.server";
import { localDate } from "../../domain/tracking/calendar";

export async function recordTrackingView(db: Db, shop: string, orderShopifyId: string, timeZone: string, now: Date): Promise<void> {
  const day = localDate(now, timeZone);
  const where = { shop_orderShopifyId_day: { shop, orderShopifyId, day } };
  const bump = () => db.trackingViewDay.upsert({ where, create: { shop, orderShopifyId, day, views: 1, firstViewedAt: now }, update: { views: { increment: 1 } } });
  try {
    await bump();
  } catch (error) {
    // Two first views at once: the loser's insert hits the key; its retry updates.
    if ((error as { code?: string }).code === "P2002") await bump().catch(() => undefined);
    else console.error("[tracking] could not count a view", error);
  }
}
