/**
 * Keeps ShipmentTracking (what the admin lists and the estimates learn from) and the outbox in
 * step with the mirror. Runs after fulfillment and order webhooks (register.server.ts) and from
 * the periodic delay check; idempotent, so replays and reorderings change nothing twice.
 */
import type { Db } from "../../db.server";
import { businessDaysBetween, localDate, startOfLocalDay } from "../../domain/tracking/calendar";
import { getTrackingSettings } from "../../models/tracking.server";
import { shopProfile, type ShopProfile } from "../../models/shop.server";
import type { TrackingSettings } from "../../domain/tracking/settings";

import { enqueueShipmentEmails } from "./notifications.server";
import { assembleTracking, type ShipmentState, type TrackingState } from "./shipments.server";

/**
 * What is wrong with a shipment and since when it has been wrong: the carrier's scan time for an
 * attempt, exception or reported delay; the start of the first late day (shop's calendar) for a
 * delay a rule found. Null `since` when nothing says (a fulfillment marked failed without a scan).
 */
export function problemOf(
  s: ShipmentState,
  timeZone: string,
): { problem: string | null; problemReason: string | null; since: Date | null } {
  if (s.deliveredAt) return { problem: null, problemReason: null, since: null };
  const p = s.timeline.problem;
  if (p && p.kind !== "delayed") return { problem: p.kind, problemReason: p.message, since: p.at };
  if (s.delay)
    return { problem: "delayed", problemReason: s.delay.reason, since: startOfLocalDay(s.delay.lateSince, timeZone) };
  if (p) return { problem: "delayed", problemReason: p.message ?? "carrier_reported_delay", since: p.at };
  return { problem: null, problemReason: null, since: null };
}

/**
 * When the problem began, not when a job noticed it: the earliest known start while the same
 * problem lasts (a second failed attempt does not reset it); the detection time only when
 * nothing else says.
 */
function problemSinceOf(
  problem: string | null,
  happened: Date | null,
  stored: { problem: string | null; problemSince: Date | null } | undefined,
  now: Date,
): Date | null {
  if (!problem) return null;
  const before = stored?.problem === problem ? stored.problemSince : null;
  if (happened && before) return happened < before ? happened : before;
  return happened ?? before ?? now;
}

async function saveShipment(db: Db, state: TrackingState, s: ShipmentState, now: Date) {
  const shop = state.profile.domain;
  const { order } = state.data;
  const stored = state.data.tracking.find((t) => t.fulfillmentShopifyId === s.fulfillmentShopifyId);
  const { problem, problemReason, since } = problemOf(s, state.calendar.timeZone);
  const deliveredDay = s.deliveredAt ? localDate(s.deliveredAt, state.calendar.timeZone) : null;
  const fields = {
    orderShopifyId: order.shopifyId,
    orderName: order.name,
    carrier: s.carrier.code ?? s.carrier.name?.toLowerCase() ?? null,
    trackingNumber: s.carrier.trackingNumber,
    destinationCountry: order.shippingCountryCode,
    stage: s.timeline.stage,
    shippedAt: s.shippedAt,
    deliveredAt: s.deliveredAt,
    lastScanAt: s.timeline.lastScanAt,
    transitBusinessDays: deliveredDay
      ? Math.max(0, businessDaysBetween(localDate(s.shippedAt, state.calendar.timeZone), deliveredDay, state.calendar))
      : null,
    // The first promise stands: on-time is judged against what the shopper was told.
    estimatedBy: s.estimatedBy,
    estimateSource: s.estimateSource,
    deliveredOnTime: deliveredDay && s.estimatedBy ? deliveredDay <= s.estimatedBy : null,
    problem,
    problemReason: problemReason?.slice(0, 500) ?? null,
    problemSince: problemSinceOf(problem, since, stored, now),
  };
  // The periodic check recomputes every shipment on its way; most have not changed since the last
  // pass, and a write each would be most of the pass's cost.
  if (stored && sameValues(stored, fields)) return;
  const write = () =>
    db.shipmentTracking.upsert({
      where: { shop_fulfillmentShopifyId: { shop, fulfillmentShopifyId: s.fulfillmentShopifyId } },
      create: { shop, fulfillmentShopifyId: s.fulfillmentShopifyId, ...fields },
      update: fields,
    });
  try {
    await write();
  } catch (error) {
    // Two webhooks for one new shipment at once: the loser of the insert updates instead.
    if ((error as { code?: string }).code !== "P2002") throw error;
    await write();
  }
}

/** Whether every field already has that value in the stored row (times compared as instants). */
function sameValues(stored: object, fields: Record<string, unknown>): boolean {
  const row = stored as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    const was = row[name] ?? null;
    if (value instanceof Date || was instanceof Date) {
      if (!(value instanceof Date && was instanceof Date && value.getTime() === was.getTime())) return false;
    } else if (was !== (value ?? null)) return false;
  }
  return true;
}

export interface RefreshDeps {
  secret: string;
  now: Date;
  /** The shop's tracking settings and profile when the caller has them (read once per batch). */
  settings?: TrackingSettings;
  profile?: ShopProfile;
}

/** Recomputes every shipment of an order and enqueues what they have earned. */
export async function refreshOrderTracking(db: Db, shop: string, orderShopifyId: string, deps: RefreshDeps) {
  const state = await assembleTracking(db, shop, orderShopifyId, deps.now, {
    settings: deps.settings,
    profile: deps.profile,
  });
  if (!state) return { shipments: 0, enqueued: [] as string[] };
  const enqueued: string[] = [];
  for (const s of state.shipments) {
    await saveShipment(db, state, s, deps.now);
    for (const m of await enqueueShipmentEmails(db, state, s, deps)) enqueued.push(`${s.fulfillmentShopifyId}:${m}`);
  }
  // Cancelled shipments are no longer on their way. The order's rows were read with it, so most
  // refreshes (nothing cancelled) need no statement here.
  const live = state.shipments.map((s) => s.fulfillmentShopifyId);
  if (state.data.tracking.some((t) => !live.includes(t.fulfillmentShopifyId))) {
    await db.shipmentTracking.deleteMany({ where: { shop, orderShopifyId, fulfillmentShopifyId: { notIn: live } } });
  }
  return { shipments: state.shipments.length, enqueued };
}

/**
 * The periodic delay check: every shipment still on its way (shipped in the last 60 days) is
 * judged against the delay rules again, so "no scan for 4 days" is noticed without a webhook.
 */
export async function detectDelays(db: Db, deps: RefreshDeps & { batchSize?: number }) {
  const since = new Date(deps.now.getTime() - 60 * 86_400_000);
  let cursor: string | undefined;
  let checked = 0;
  const enqueued: string[] = [];
  // Read once per shop and pass: every shipment of a shop needs both.
  const settingsCache = new Map<string, Awaited<ReturnType<typeof getTrackingSettings>>>();
  const profileCache = new Map<string, Awaited<ReturnType<typeof shopProfile>>>();
  for (;;) {
    const batch = await db.shipmentTracking.findMany({
      where: { deliveredAt: null, shippedAt: { gte: since }, ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      take: deps.batchSize ?? 200,
      select: { id: true, shop: true, orderShopifyId: true },
    });
    if (batch.length === 0) break;
    cursor = batch[batch.length - 1].id;
    const seen = new Set<string>();
    for (const row of batch) {
      const key = `${row.shop}|${row.orderShopifyId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!settingsCache.has(row.shop)) settingsCache.set(row.shop, await getTrackingSettings(db, row.shop));
      if (!profileCache.has(row.shop)) profileCache.set(row.shop, await shopProfile(db, row.shop));
      const state = await assembleTracking(db, row.shop, row.orderShopifyId, deps.now, {
        settings: settingsCache.get(row.shop),
        profile: profileCache.get(row.shop),
      });
      if (!state) continue;
      for (const s of state.shipments) {
        await saveShipment(db, state, s, deps.now);
        for (const m of await enqueueShipmentEmails(db, state, s, deps))
          enqueued.push(`${s.fulfillmentShopifyId}:${m}`);
      }
      checked++;
    }
  }
  return { checked, enqueued };
}
