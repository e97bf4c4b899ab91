/**
 * The service KPIs as plain functions over plain numbers, so each rule is tested on its own and
 * the dashboard only gathers inputs. A KPI with nothing to measure is null ("no data"), never 0.
 */
import { addDays, daysBetween, isCivilDate, startOfLocalDay, type CivilDate } from "../tracking/calendar";

/** Customer satisfaction: the share of 1-5 answers that are 4 or 5. */
export function csat(scores: ReadonlyArray<number>) {
  const valid = scores.filter((s) => Number.isInteger(s) && s >= 1 && s <= 5);
  const satisfied = valid.filter((s) => s >= 4).length;
  return { responses: valid.length, satisfied, value: valid.length ? satisfied / valid.length : null };
}

/** Net promoter score: % promoters (9-10) minus % detractors (0-6), from -100 to 100. */
export function nps(scores: ReadonlyArray<number>) {
  const valid = scores.filter((s) => Number.isInteger(s) && s >= 0 && s <= 10);
  const promoters = valid.filter((s) => s >= 9).length;
  const detractors = valid.filter((s) => s <= 6).length;
  return {
    responses: valid.length,
    promoters,
    detractors,
    value: valid.length ? Math.round(((promoters - detractors) / valid.length) * 1000) / 10 : null,
  };
}

export function median(values: ReadonlyArray<number>): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * WISMO ("where is my order?") deflection: of all the times a shopper got an order-status answer,
 * the share they got without writing in: tracking page views and proactive shipping notifications
 * against order-status contacts.
 */
export function wismoDeflection(input: {
  trackingViews: number;
  proactiveNotifications: number;
  orderStatusContacts: number;
}) {
  const selfServed = input.trackingViews + input.proactiveNotifications;
  const total = selfServed + input.orderStatusContacts;
  return { selfServed, contacts: input.orderStatusContacts, value: total ? selfServed / total : null };
}

/** Share of orders placed in the period that have a return or a refund with returned items. */
export function returnRate(ordersPlaced: number, ordersReturned: number) {
  return { ordersPlaced, ordersReturned, value: ordersPlaced ? ordersReturned / ordersPlaced : null };
}

/** Return reasons ranked by returned quantity, ties by name. */
export function topReasons(lines: ReadonlyArray<{ reason: string | null; quantity: number }>, limit = 5) {
  const totals = new Map<string, number>();
  for (const l of lines) {
    const reason = (l.reason ?? "").trim() || "unknown";
    totals.set(reason, (totals.get(reason) ?? 0) + Math.max(0, l.quantity));
  }
  return [...totals.entries()]
    .map(([reason, quantity]) => ({ reason, quantity }))
    .sort((a, b) => b.quantity - a.quantity || a.reason.localeCompare(b.reason))
    .slice(0, limit);
}

/**
 * Of the customers who ordered in the period, the share who have ordered more than once (ever, up to the period's
 * end).
 */
export function repeatPurchaseRate(ordersPerCustomer: ReadonlyArray<number>) {
  const buyers = ordersPerCustomer.filter((n) => n >= 1);
  const repeat = buyers.filter((n) => n >= 2).length;
  return { customers: buyers.length, repeat, value: buyers.length ? repeat / buyers.length : null };
}

/** The change from the previous period: absolute, and relative when the previous value is not 0. */
export function change(current: number | null, previous: number | null) {
  if (current === null || previous === null) return null;
  return { absolute: current - previous, relative: previous === 0 ? null : (current - previous) / Math.abs(previous) };
}

export interface Period {
  /** First and last calendar day, inclusive, in the shop's calendar. */
  from: CivilDate;
  to: CivilDate;
  /** The same as UTC instants: [start, end). */
  start: Date;
  end: Date;
  days: number;
}

/** The merchant's period in the shop's time zone, and the period of equal length just before it. */
export function periods(from: CivilDate, to: CivilDate, timeZone: string): { current: Period; previous: Period } {
  if (!isCivilDate(from) || !isCivilDate(to)) throw new RangeError("Dates must be YYYY-MM-DD.");
  if (to < from) throw new RangeError("The period must end on or after its first day.");
  const days = daysBetween(from, to) + 1;
  if (days > 366) throw new RangeError("Pick a period of at most a year.");
  const make = (f: CivilDate, t: CivilDate): Period => ({
    from: f,
    to: t,
    start: startOfLocalDay(f, timeZone),
    end: startOfLocalDay(addDays(t, 1), timeZone),
    days,
  });
  return { current: make(from, to), previous: make(addDays(from, -days), addDays(from, -1)) };
}
