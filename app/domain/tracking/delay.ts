/**
 * Is a shipment late? Three rules the merchant sets, judged in business days of the shop's
 * calendar: an order still not shipped N business days after it was placed, a parcel with no
 * carrier scan for N business days, and a parcel not delivered by the end of its estimate.
 * "After N days" means the Nth business day has fully passed.
 */
import { businessDaysBetween, localDate, addDays, type BusinessCalendar, type CivilDate } from "./calendar";
import type { Milestone } from "./timeline";

export type DelayReason = "unfulfilled_too_long" | "no_carrier_scan" | "past_estimate";

export interface DelayRules {
  /** null: rule off. */
  unfulfilledAfterBusinessDays: number | null;
  noScanForBusinessDays: number | null;
  pastEstimate: boolean;
}

export interface Delay {
  reason: DelayReason;
  /** The first day of the shop's calendar on which it counted as late. */
  lateSince: CivilDate;
}

export function assessUnfulfilledDelay(input: {
  orderedAt: Date;
  now: Date;
  calendar: BusinessCalendar;
  rules: DelayRules;
}): Delay | null {
  const n = input.rules.unfulfilledAfterBusinessDays;
  if (n === null) return null;
  const ordered = localDate(input.orderedAt, input.calendar.timeZone);
  const today = localDate(input.now, input.calendar.timeZone);
  if (businessDaysBetween(ordered, today, input.calendar) <= n) return null;
  return { reason: "unfulfilled_too_long", lateSince: firstDayPast(ordered, n, input.calendar) };
}

export function assessShipmentDelay(input: {
  stage: Milestone;
  shippedAt: Date;
  lastScanAt: Date | null;
  /** Last day of the promised window (YYYY-MM-DD, shop calendar), if there was one. */
  estimatedBy: CivilDate | null;
  now: Date;
  calendar: BusinessCalendar;
  rules: DelayRules;
}): Delay | null {
  if (input.stage === "delivered") return null;
  const { calendar } = input;
  const today = localDate(input.now, calendar.timeZone);
  // Past the estimate first: it is the one a shopper notices.
  if (input.rules.pastEstimate && input.estimatedBy && today > input.estimatedBy) {
    return { reason: "past_estimate", lateSince: addDays(input.estimatedBy, 1) };
  }
  const n = input.rules.noScanForBusinessDays;
  if (n !== null) {
    const lastWord = input.lastScanAt && input.lastScanAt > input.shippedAt ? input.lastScanAt : input.shippedAt;
    const from = localDate(lastWord, calendar.timeZone);
    if (businessDaysBetween(from, today, calendar) > n) {
      return { reason: "no_carrier_scan", lateSince: firstDayPast(from, n, calendar) };
    }
  }
  return null;
}

/** The first calendar day on which more than n business days have passed since `from`. */
function firstDayPast(from: CivilDate, n: number, calendar: BusinessCalendar): CivilDate {
  let d = from;
  while (businessDaysBetween(from, d, calendar) <= n) d = addDays(d, 1);
  return d;
}
