/**
 * Counts how often shoppers open an order's tracking, per day of the shop's calendar: the
 * self-service side of WISMO deflection on the dashboard. One upsert per successful lookup;
 * counting never fails a lookup.
 */
import type { Db } from "../../db.server";
import { localDate } from "../../domain/tracking/calendar";
import { countTrackingView } from "../../models/contact.server";

export async function recordTrackingView(
  db: Db,
  shop: string,
  orderShopifyId: string,
  timeZone: string,
  now: Date,
): Promise<void> {
  const day = localDate(now, timeZone);
  try {
    await countTrackingView(db, shop, orderShopifyId, day, now);
  } catch (error) {
    console.error("[tracking] could not count a view", error);
  }
}
