/** What the admin Tracking pages show: problems to act on first, and how each carrier performs. */
import type { Db } from "../../db.server";
import { assessUnfulfilledDelay } from "../../domain/tracking/delay";
import { addDays, localDate, startOfLocalDay } from "../../domain/tracking/calendar";
import { CARRIERS, type CarrierCode } from "../../domain/tracking/carriers";
import type { TrackingSettings } from "../../domain/tracking/settings";
import {
  attentionItem,
  attentionPage,
  deliveriesByCarrier,
  getTrackingSettings,
  type AttentionFilter,
  type AttentionRow,
} from "../../models/tracking.server";
import { unfulfilledOrdersPiece } from "../../models/orders.server";
import type { PageRequest } from "../../utils/paging.server";
import { shopProfile } from "../../models/shop.server";

import { calendarOf } from "./shipments.server";

export interface AttentionItem {
  kind: "delayed" | "exception" | "attempted_delivery" | "unfulfilled";
  orderName: string;
  orderShopifyId: string;
  carrier: string | null;
  trackingNumber: string | null;
  /** The shipment's fulfillment gid, or the order's gid for an order not shipped. */
  subjectId: string;
  reason: string | null;
  since: string;
}

export function carrierName(code: string | null): string {
  if (!code) return "Unknown carrier";
  return CARRIERS[code as CarrierCode]?.name ?? code;
}

/**
 * The moment before which an order still to ship counts as late by the unfulfilled rule, now: the
 * start of the day after the latest day of the shop's calendar whose orders are late (the rule
 * judges the day an order was placed, so every earlier day is late too). Null when the rule is off.
 */
export function unfulfilledCutoff(settings: TrackingSettings, timeZone: string, now: Date): Date | null {
  if (settings.delays.unfulfilledAfterBusinessDays === null) return null;
  const calendar = calendarOf(settings, timeZone);
  const today = localDate(now, timeZone);
  for (let back = 0; back <= UNFULFILLED_WINDOW_DAYS; back++) {
    const day = addDays(today, -back);
    const orderedAt = startOfLocalDay(day, timeZone);
    if (assessUnfulfilledDelay({ orderedAt, now, calendar, rules: settings.delays }))
      return startOfLocalDay(addDays(day, 1), timeZone);
  }
  return null;
}

/** Orders placed longer ago than this are not chased as unfulfilled (history, imports). */
const UNFULFILLED_WINDOW_DAYS = 60;

async function unfulfilledPiece(db: Db, shop: string, now: Date) {
  const [settings, profile] = await Promise.all([getTrackingSettings(db, shop), shopProfile(db, shop)]);
  const cutoff = unfulfilledCutoff(settings, profile.timeZone, now);
  return cutoff
    ? unfulfilledOrdersPiece(shop, cutoff, new Date(now.getTime() - UNFULFILLED_WINDOW_DAYS * 86_400_000))
    : null;
}

function itemOf(r: AttentionRow): AttentionItem {
  return {
    kind: r.kind,
    subjectId: r.subjectId,
    orderName: r.orderName,
    orderShopifyId: r.orderShopifyId,
    carrier: r.kind === "unfulfilled" ? null : carrierName(r.carrier),
    trackingNumber: r.trackingNumber,
    reason: r.reason,
    since: r.since.toISOString(),
  };
}

/** A page of what needs attention (not handled), with each kind's count for the search. */
export async function attentionListPage(db: Db, shop: string, now: Date, filter: AttentionFilter, page: PageRequest) {
  const result = await attentionPage(db, shop, await unfulfilledPiece(db, shop, now), filter, page);
  return { ...result.page, rows: result.page.rows.map(itemOf), counts: result.counts };
}

/** The first 100 items, oldest first. */
export async function attentionList(db: Db, shop: string, now: Date): Promise<AttentionItem[]> {
  const { rows } = await attentionListPage(
    db,
    shop,
    now,
    { kinds: [], search: "", sort: "oldest" },
    { after: null, before: null, size: 100 },
  );
  return rows;
}

/** The item named by `subjectId` if it needs attention now (not handled), for an action on it. */
export async function findAttentionItem(db: Db, shop: string, now: Date, subjectId: string) {
  const row = await attentionItem(db, shop, await unfulfilledPiece(db, shop, now), subjectId);
  return row ? { ...itemOf(row), sinceDate: row.since } : null;
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
