/**
 * The tracking state of an order, computed from the mirror with the pure rules in
 * domain/tracking: one entry per shipment (carrier, timeline, estimate, delay, items) and the
 * items still being prepared. The storefront lookup, the notifications and the delay job all
 * read it from here, so they never disagree.
 */
import { LRUCache } from "lru-cache";

import type { Db } from "../../db.server";
import {
  addBusinessDays,
  localDate,
  zonedTimeToUtc,
  type BusinessCalendar,
  type CivilDate,
} from "../../domain/tracking/calendar";
import { resolveCarrier, type ResolvedCarrier } from "../../domain/tracking/carriers";
import { assessShipmentDelay, assessUnfulfilledDelay, type Delay } from "../../domain/tracking/delay";
import {
  estimateDelivery,
  expectedShipDate,
  MIN_HISTORY_SAMPLES,
  transitStats,
  type DeliveryEstimate,
  type EstimateRules,
  type TransitStats,
} from "../../domain/tracking/estimate";
import type { TrackingSettings } from "../../domain/tracking/settings";
import { buildShipmentTimeline, isCancelledShipment, type ShipmentTimeline } from "../../domain/tracking/timeline";
import {
  getTrackingSettings,
  loadOrderForTracking,
  transitSamples,
  type OrderForTracking,
} from "../../models/tracking.server";
import { shopProfile, type ShopProfile } from "../../models/shop.server";
import { type OrderWithItems } from "../../models/orders.server";

export function calendarOf(settings: TrackingSettings, timeZone: string): BusinessCalendar {
  return {
    timeZone,
    weekend: settings.estimates.weekend as BusinessCalendar["weekend"],
    holidays: settings.estimates.holidays,
  };
}

export function estimateRulesOf(settings: TrackingSettings): EstimateRules {
  return {
    processingBusinessDays: settings.estimates.processingBusinessDays,
    cutoffHour: settings.estimates.cutoffHour,
    transitBusinessDays: settings.estimates.transitBusinessDays,
  };
}

const HISTORY_DAYS = 180;
export const HISTORY_TTL_MS = 10 * 60_000;
export const HISTORY_CACHE_MAX = 5_000;
interface TransitHistory {
  stats: TransitStats;
  scope: "carrier_country" | "country";
}

/**
 * lru-cache measures an entry's age on this clock, which transitHistory sets to its caller's
 * `now`: the history is of the 180 days before that moment, so its freshness is counted there too.
 */
const historyClock = { at: 0, now: () => historyClock.at };
const historyCache = new LRUCache<string, { value: TransitHistory | null }>({
  max: HISTORY_CACHE_MAX,
  ttl: HISTORY_TTL_MS,
  ttlResolution: 0,
  perf: historyClock,
});

/** This shop's transit history for a carrier and country (else the country), cached briefly per process. */
export async function transitHistory(db: Db, shop: string, carrier: string | null, country: string | null, now: Date) {
  const key = `${shop}|${carrier ?? ""}|${country ?? ""}`;
  historyClock.at = now.getTime();
  // An entry computed for a later moment than `now` (a replay, a test's clock) is not used.
  const hit = historyCache.getRemainingTTL(key) <= HISTORY_TTL_MS ? historyCache.get(key) : undefined;
  if (hit) return hit.value;
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  let value: TransitHistory | null = null;
  if (carrier) {
    const stats = transitStats(await transitSamples(db, shop, { carrier, destinationCountry: country, since }));
    if (stats && stats.samples >= MIN_HISTORY_SAMPLES) value = { stats, scope: "carrier_country" };
  }
  if (!value) {
    const stats = transitStats(await transitSamples(db, shop, { destinationCountry: country, since }));
    if (stats && stats.samples >= MIN_HISTORY_SAMPLES) value = { stats, scope: "country" };
  }
  // Other lookups may have moved the clock while this one awaited its reads.
  historyClock.at = now.getTime();
  historyCache.set(key, { value });
  return value;
}

export interface ShipmentItem {
  lineItemShopifyId: string;
  title: string;
  variantTitle: string | null;
  quantity: number;
  imageUrl: string | null;
}

export interface ShipmentState {
  fulfillmentShopifyId: string;
  carrier: ResolvedCarrier;
  /** A number or a link the shopper can follow. */
  hasTracking: boolean;
  timeline: ShipmentTimeline;
  shippedAt: Date;
  deliveredAt: Date | null;
  /** Live estimate; null once delivered. */
  estimate: DeliveryEstimate | null;
  /** The promise made when it shipped (kept), else the live estimate's last day. */
  estimatedBy: CivilDate | null;
  estimateSource: string | null;
  delay: Delay | null;
  items: ShipmentItem[];
  /** Latest time Shopify told us anything about it. */
  updatedAt: Date;
}

export interface PreparingState {
  items: ShipmentItem[];
  expectedShipDate: CivilDate;
  estimate: DeliveryEstimate | null;
  delay: Delay | null;
}

export interface TrackingState {
  data: OrderForTracking;
  profile: ShopProfile;
  settings: TrackingSettings;
  calendar: BusinessCalendar;
  shipments: ShipmentState[];
  preparing: PreparingState | null;
}

function parseList(json: string): string[] {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export async function assembleTracking(
  db: Db,
  shop: string,
  orderShopifyId: string,
  now: Date,
  preloaded: { settings?: TrackingSettings; profile?: ShopProfile; order?: OrderWithItems } = {},
): Promise<TrackingState | null> {
  const data = await loadOrderForTracking(db, shop, orderShopifyId, preloaded.order);
  if (!data) return null;
  const [settings, profile] = await Promise.all([
    preloaded.settings ?? getTrackingSettings(db, shop),
    preloaded.profile ?? shopProfile(db, shop),
  ]);
  const calendar = calendarOf(settings, profile.timeZone);
  const rules = estimateRulesOf(settings);
  const { order, fulfillments, events, tracking } = data;
  const country = order.shippingCountryCode;
  const lineItems = new Map(order.lineItems.map((li) => [li.shopifyId, li]));
  const orderTimeline = {
    createdAt: order.shopifyCreatedAt,
    processedAt: order.processedAt,
    financialStatus: order.financialStatus,
    cancelledAt: order.cancelledAt,
  };

  const shipments: ShipmentState[] = [];
  for (const f of fulfillments) {
    if (isCancelledShipment(f.status)) continue;
    const scans = events.filter((e) => e.fulfillmentShopifyId === f.shopifyId);
    const carrier = resolveCarrier({
      company: f.trackingCompany,
      trackingNumbers: parseList(f.trackingNumbers),
      trackingUrls: parseList(f.trackingUrls),
      destinationCountry: country,
    });
    const timeline = buildShipmentTimeline(orderTimeline, {
      createdAt: f.shopifyCreatedAt,
      status: f.status,
      shipmentStatus: f.shipmentStatus,
      inTransitAt: f.inTransitAt,
      deliveredAt: f.deliveredAt,
      scans,
    });
    const delivered = timeline.stage === "delivered";
    const deliveredAt = delivered ? (f.deliveredAt ?? timeline.steps.at(-1)?.at ?? f.shopifyUpdatedAt) : null;
    const stored = tracking.find((t) => t.fulfillmentShopifyId === f.shopifyId);
    const carrierKey = carrier.code ?? carrier.name?.toLowerCase() ?? null;
    let estimate: DeliveryEstimate | null = null;
    if (!delivered) {
      const carrierEstimate = scans.find((s) => s.estimatedDeliveryAt)?.estimatedDeliveryAt ?? f.estimatedDeliveryAt;
      estimate = estimateDelivery({
        orderedAt: order.shopifyCreatedAt,
        shippedAt: f.shopifyCreatedAt,
        carrierEstimate,
        destinationCountry: country,
        history: settings.estimates.useHistory ? await transitHistory(db, shop, carrierKey, country, now) : null,
        rules,
        calendar,
      });
    }
    const estimatedBy = stored?.estimatedBy ?? estimate?.latest ?? null;
    const delay = delivered
      ? null
      : assessShipmentDelay({
          stage: timeline.stage,
          shippedAt: f.shopifyCreatedAt,
          lastScanAt: timeline.lastScanAt,
          estimatedBy,
          now,
          calendar,
          rules: settings.delays,
        });
    shipments.push({
      fulfillmentShopifyId: f.shopifyId,
      carrier,
      hasTracking: Boolean(carrier.trackingNumber || carrier.trackingUrl),
      timeline,
      shippedAt: f.shopifyCreatedAt,
      deliveredAt,
      estimate,
      estimatedBy,
      estimateSource: stored?.estimateSource ?? estimate?.source ?? null,
      delay,
      items: f.lines.flatMap((l) => {
        const li = lineItems.get(l.lineItemShopifyId);
        return li && l.quantity > 0
          ? [
              {
                lineItemShopifyId: li.shopifyId,
                title: li.title,
                variantTitle: li.variantTitle,
                quantity: l.quantity,
                imageUrl: li.imageUrl,
              },
            ]
          : [];
      }),
      updatedAt: [f.shopifyUpdatedAt, timeline.lastScanAt]
        .filter((d): d is Date => d instanceof Date)
        .sort((a, b) => b.getTime() - a.getTime())[0],
    });
  }

  let preparing: PreparingState | null = null;
  const waiting = order.cancelledAt
    ? []
    : order.lineItems.filter((li) => li.requiresShipping && li.fulfillableQuantity > 0);
  if (waiting.length > 0) {
    const shipDate = expectedShipDate(order.shopifyCreatedAt, rules, calendar);
    const today = localDate(now, calendar.timeZone);
    // Past the expected day and not shipped: the next business day is the honest answer.
    const expected = shipDate < today ? addBusinessDays(today, 0, calendar) : shipDate;
    preparing = {
      items: waiting.map((li) => ({
        lineItemShopifyId: li.shopifyId,
        title: li.title,
        variantTitle: li.variantTitle,
        quantity: li.fulfillableQuantity,
        imageUrl: li.imageUrl,
      })),
      expectedShipDate: expected,
      // Estimated as if it leaves on the expected day (midday, shop time).
      estimate: estimateDelivery({
        orderedAt: order.shopifyCreatedAt,
        shippedAt: zonedTimeToUtc(expected, 12, 0, calendar.timeZone),
        carrierEstimate: null,
        destinationCountry: country,
        history: settings.estimates.useHistory ? await transitHistory(db, shop, null, country, now) : null,
        rules,
        calendar,
      }),
      delay: assessUnfulfilledDelay({ orderedAt: order.shopifyCreatedAt, now, calendar, rules: settings.delays }),
    };
  }
  return { data, profile, settings, calendar, shipments, preparing };
}
