/** What the admin Tracking pages show: problems to act on first, and how each carrier performs. */
import type { Db } from "../../db.server";
import { assessUnfulfilledDelay } from "../../domain/tracking/delay";
import { median } from "../../domain/tracking/estimate";
import { CARRIERS, type CarrierCode } from "../../domain/tracking/carriers";
import { deliveredSince, getTrackingSettings, needsAttention } from "../../models/tracking.server";
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
  const rows = await deliveredSince(db, shop, new Date(now.getTime() - days * 86_400_000));
  const groups = new Map<string, typeof rows>();
  for (const r of rows) {
    const key = `${r.carrier ?? ""}|${r.destinationCountry ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()]
    .map(([key, list]) => {
      const [carrier, country] = key.split("|");
      const judged = list.filter((r) => r.deliveredOnTime !== null);
      const transit = list.map((r) => r.transitBusinessDays).filter((d): d is number => d !== null);
      return {
        carrier: carrierName(carrier || null),
        destinationCountry: country || "—",
        delivered: list.length,
        onTimeRate: judged.length ? judged.filter((r) => r.deliveredOnTime).length / judged.length : null,
        medianTransitBusinessDays: transit.length ? median(transit) : null,
      };
    })
    .sort((a, b) => b.delivered - a.delivered);
}
