/**
 * The service KPIs as plain functions over plain numbers, so each rule is tested on its own and
 * the dashboard only gathers inputs. A KPI with nothing to measure is null ("no data"), never 0.
 */
import {
  addDays,
  daysBetween,
  isCivilDate,
  startOfLocalDay,
  zoneOffsetMinutes,
  type CivilDate,
} from "../tracking/calendar";

/** How many answers gave each score: what the database counts, so no answer is read one by one. */
export type ScoreCounts = ReadonlyArray<{ score: number; count: number }>;

/** Scores as counts per score (for a list of answers, as the tests write them). */
export function countScores(scores: ReadonlyArray<number>): ScoreCounts {
  const counts = new Map<number, number>();
  for (const s of scores) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([score, count]) => ({ score, count }));
}

const answersOf = (counts: ScoreCounts, from: number, to: number) =>
  counts.filter((c) => Number.isInteger(c.score) && c.score >= from && c.score <= to).reduce((n, c) => n + c.count, 0);

/** Customer satisfaction: the share of 1-5 answers that are 4 or 5. */
export function csat(answers: ReadonlyArray<number> | ScoreCounts) {
  const counts = toCounts(answers);
  const responses = answersOf(counts, 1, 5);
  const satisfied = answersOf(counts, 4, 5);
  return { responses, satisfied, value: responses ? satisfied / responses : null };
}

/** Net promoter score: % promoters (9-10) minus % detractors (0-6), from -100 to 100. */
export function nps(answers: ReadonlyArray<number> | ScoreCounts) {
  const counts = toCounts(answers);
  const responses = answersOf(counts, 0, 10);
  const promoters = answersOf(counts, 9, 10);
  const detractors = answersOf(counts, 0, 6);
  return {
    responses,
    promoters,
    detractors,
    value: responses ? Math.round(((promoters - detractors) / responses) * 1000) / 10 : null,
  };
}

const toCounts = (answers: ReadonlyArray<number> | ScoreCounts): ScoreCounts =>
  answers.length > 0 && typeof answers[0] === "number"
    ? countScores(answers as ReadonlyArray<number>)
    : (answers as ScoreCounts);

export function median(values: ReadonlyArray<number>): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * WISMO ("where is my order?") deflection (definitions.ts): of the orders shipped in the period,
 * the share whose shopper looked up the tracking or got a shipping email and never wrote in about
 * the order's status. An order nobody looked at or told counts against it, as one that was asked
 * about does.
 */
export function wismoDeflection(input: { shipped: number; deflected: number }) {
  return { ...input, value: input.shipped ? input.deflected / input.shipped : null };
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
 * end): from each buyer's order count, or from the counts the database made (buyers, and repeat buyers among them).
 */
export function repeatPurchaseRate(buyers: ReadonlyArray<number> | { customers: number; repeat: number }) {
  const counted = Array.isArray(buyers)
    ? { customers: buyers.filter((n) => n >= 1).length, repeat: buyers.filter((n) => n >= 2).length }
    : (buyers as { customers: number; repeat: number });
  return { ...counted, value: counted.customers ? counted.repeat / counted.customers : null };
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

const SPAN_STEP_MS = 6 * 3_600_000;

/**
 * The spans of [start, end) over which the zone's offset from UTC stays the same, in order: each
 * span's first instant and its offset in minutes. A year has at most a few (daylight saving time),
 * so the database can take each timestamp to its local day with one CASE (counts per local day).
 */
export function offsetSpans(start: Date, end: Date, timeZone: string): { from: Date; offsetMinutes: number }[] {
  const spans = [{ from: start, offsetMinutes: zoneOffsetMinutes(start, timeZone) }];
  // Offsets change on the hour or the quarter hour, never twice within a few hours: look every
  // six hours, and narrow a change down to the minute.
  for (let t = start.getTime(); t < end.getTime(); t += SPAN_STEP_MS) {
    const next = Math.min(t + SPAN_STEP_MS, end.getTime());
    const offset = zoneOffsetMinutes(new Date(next), timeZone);
    if (offset === spans[spans.length - 1].offsetMinutes) continue;
    let lo = t;
    let hi = next; // zoneOffsetMinutes(lo) is the old offset, (hi) the new one
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (zoneOffsetMinutes(new Date(mid), timeZone) === offset) hi = mid;
      else lo = mid;
    }
    spans.push({ from: new Date(hi), offsetMinutes: offset });
  }
  return spans;
}
