/**
 * When will it arrive? In order of trust: the date Shopify or the carrier gave; what this shop's
 * own deliveries with the same carrier to the same country took; the merchant's stated shipping
 * times. Estimates are days in the shop's calendar, as a window (earliest..latest).
 */
import {
  addBusinessDays,
  isBusinessDay,
  localDate,
  localHour,
  type BusinessCalendar,
  type CivilDate,
} from "./calendar";

export type EstimateSource = "carrier" | "history" | "rules";
export type Confidence = "high" | "medium" | "low";

export interface DeliveryEstimate {
  earliest: CivilDate;
  latest: CivilDate;
  source: EstimateSource;
  confidence: Confidence;
  /** For history: how many past deliveries it rests on and what share arrived by `latest`. */
  basis: { samples: number; withinWindowShare: number; scope: "carrier_country" | "country" } | null;
}

export interface TransitRange {
  min: number;
  max: number;
}

export interface EstimateRules {
  /** Business days from order to shipment. */
  processingBusinessDays: number;
  /** Orders placed at or after this hour (shop time) start processing the next business day. */
  cutoffHour: number;
  /** Business days in transit: per destination country (ISO alpha-2), with a default. */
  transitBusinessDays: { default: TransitRange; byCountry: Record<string, TransitRange> };
}

export interface TransitStats {
  samples: number;
  median: number;
  /** 20th and 80th percentiles: four in five deliveries took between these. */
  p20: number;
  p80: number;
  min: number;
  max: number;
  /** Share of deliveries that took at most p80 days (at least 0.8; more when many tie). */
  shareByP80: number;
}

/** Fewer past deliveries than this and history says too little to promise anything. */
export const MIN_HISTORY_SAMPLES = 5;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: ReadonlyArray<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError("no values");
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values: ReadonlyArray<number>): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function transitStats(days: ReadonlyArray<number>): TransitStats | null {
  const sorted = days.filter((d) => Number.isFinite(d) && d >= 0).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const p80 = percentile(sorted, 80);
  return {
    samples: sorted.length,
    median: median(sorted),
    p20: percentile(sorted, 20),
    p80,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    shareByP80: sorted.filter((d) => d <= p80).length / sorted.length,
  };
}

/** How sure a history-based window is: many deliveries that took much the same time. */
export function historyConfidence(stats: TransitStats): Confidence {
  const spread = stats.p80 - stats.p20;
  if (stats.samples >= 20 && spread <= 2) return "high";
  if (stats.samples >= 10 && spread <= 4) return "medium";
  return "low";
}

/** The day the order should leave: processing days after the order day (or the next, past the cutoff). */
export function expectedShipDate(orderedAt: Date, rules: EstimateRules, calendar: BusinessCalendar): CivilDate {
  const orderDay = localDate(orderedAt, calendar.timeZone);
  const lateOrClosed =
    localHour(orderedAt, calendar.timeZone) >= rules.cutoffHour || !isBusinessDay(orderDay, calendar);
  // Past the cutoff or on a closed day, the first business day after it is day zero.
  const dayZero = lateOrClosed ? addBusinessDays(orderDay, 1, calendar) : orderDay;
  return addBusinessDays(dayZero, rules.processingBusinessDays, calendar);
}

export interface EstimateInput {
  orderedAt: Date;
  /** When the parcel left, if it has. */
  shippedAt: Date | null;
  /** The newest estimate Shopify or the carrier gave (fulfillment or latest scan). */
  carrierEstimate: Date | null;
  destinationCountry: string | null;
  /** Transit history for this carrier and country, else for the country; null when too thin. */
  history: { stats: TransitStats; scope: "carrier_country" | "country" } | null;
  rules: EstimateRules;
  calendar: BusinessCalendar;
}

export function transitRangeFor(rules: EstimateRules, country: string | null): TransitRange {
  return (country && rules.transitBusinessDays.byCountry[country.toUpperCase()]) || rules.transitBusinessDays.default;
}

export function estimateDelivery(input: EstimateInput): DeliveryEstimate {
  const { calendar } = input;
  if (input.carrierEstimate) {
    const day = localDate(input.carrierEstimate, calendar.timeZone);
    return { earliest: day, latest: day, source: "carrier", confidence: "high", basis: null };
  }
  const start = input.shippedAt
    ? localDate(input.shippedAt, calendar.timeZone)
    : expectedShipDate(input.orderedAt, input.rules, calendar);
  const history = input.history;
  if (history && history.stats.samples >= MIN_HISTORY_SAMPLES) {
    const { stats } = history;
    return {
      earliest: addBusinessDays(start, stats.p20, calendar),
      latest: addBusinessDays(start, stats.p80, calendar),
      source: "history",
      confidence: historyConfidence(stats),
      basis: { samples: stats.samples, withinWindowShare: stats.shareByP80, scope: history.scope },
    };
  }
  const range = transitRangeFor(input.rules, input.destinationCountry);
  return {
    earliest: addBusinessDays(start, range.min, calendar),
    latest: addBusinessDays(start, Math.max(range.min, range.max), calendar),
    source: "rules",
    confidence: "low",
    basis: null,
  };
}
