/** What the admin Tracking pages show: problems to act on first, and how each carrier performs. */
import type { Db } from "../../db.server";
import { assessUnfulfilledDelay } from "../../domain/tracking/delay";
import { CARRIERS, type CarrierCode } from "../../domain/tracking/carriers";
import { deliveriesByCarrier, getTrackingSettings, needsAttention } from "../../models/tracking.server";
import { openUnfulfilledOrders } from "../../models/orders.server";
import { shopProfile } from "../../models/shop.server";

import { calendarOf } from "./shipments.server";

export interface AttentionItem {
  kind: "delayed" | "exception" | "attempted_delivery" | "unfulfilled";
  orderName: string;
  orderShopifyId: string;
  carrier: string | null;
  trackingNumber: string | null;
  reason: string | null;
  since: string;
}

export function carrierName(code: string | null): string {
  if (!code) return "Unknown carrier";
  return CARRIERS[code as CarrierCode]?.name ?? code;
}

export async function attentionList(db: Db, shop: string, now: Date): Promise<AttentionItem[]> {
  const [settings, profile, shipments] = await Promise.all([
    getTrackingSettings(db, shop),
    shopProfile(db, shop),
    needsAttention(db, shop),
  ]);
  const items: AttentionItem[] = shipments.map((s) => ({
    kind: (s.problem as AttentionItem["kind"]) ?? "delayed",
    orderName: s.orderName,
    orderShopifyId: s.orderShopifyId,
    carrier: carrierName(s.carrier),
    trackingNumber: s.trackingNumber,
    reason: s.problemReason,
    since: (s.problemSince ?? s.updatedAt).toISOString(),
  }));
  const n = settings.delays.unfulfilledAfterBusinessDays;
  if (n !== null) {
    const calendar = calendarOf(settings, profile.timeZone);
    // Orders from the last 60 days that are at least N calendar days old; the rule then decides in business days.
    const orders = await openUnfulfilledOrders(
      db,
      shop,
      new Date(now.getTime() - n * 86_400_000),
      new Date(now.getTime() - 60 * 86_400_000),
    );
    for (const o of orders) {
      const delay = assessUnfulfilledDelay({ orderedAt: o.shopifyCreatedAt, now, calendar, rules: settings.delays });
      if (delay) {
        items.push({
          kind: "unfulfilled",
          orderName: o.name,
          orderShopifyId: o.shopifyId,
          carrier: null,
          trackingNumber: null,
          reason: delay.reason,
          since: o.shopifyCreatedAt.toISOString(),
        });
      }
    }
  }
  return items.sort((a, b) => a.since.localeCompare(b.since));
}

export interface CarrierPerformanceRow {
  carrier: string;
  destinationCountry: string;
  delivered: number;
  /** Share delivered by the promised day, of those that had a promise; null when none had. */
  onTimeRate: number | null;
  medianTransitBusinessDays: number | null;
}

export async function carrierPerformance(db: Db, shop: string, now: Date, days = 90): Promise<CarrierPerformanceRow[]> {
  const groups = await deliveriesByCarrier(db, shop, new Date(now.getTime() - days * 86_400_000));
  return groups
    .map((g) => ({
      carrier: carrierName(g.carrier),
      destinationCountry: g.destinationCountry || "—",
      delivered: g.delivered,
      onTimeRate: g.judged ? g.onTime / g.judged : null,
      medianTransitBusinessDays: medianOfCounts(g.transitDays),
    }))
    .sort((a, b) => b.delivered - a.delivered);
}

/** The median of values given as how many times each occurs (the middle one, or the mean of the middle two). */
export function medianOfCounts(counts: ReadonlyArray<{ days: number; shipments: number }>): number | null {
  const sorted = [...counts].filter((c) => c.shipments > 0).sort((a, b) => a.days - b.days);
  const total = sorted.reduce((n, c) => n + c.shipments, 0);
  if (total === 0) return null;
  const valueAt = (index: number) => {
    let seen = 0;
    for (const c of sorted) {
      seen += c.shipments;
      if (index < seen) return c.days;
    }
    return sorted[sorted.length - 1].days;
  };
  const mid = Math.floor(total / 2);
  return total % 2 ? valueAt(mid) : (valueAt(mid - 1) + valueAt(mid)) / 2;
}
