/**
 * The dashboard's daily rollup (docs/decisions/0028): the return rate's and the WISMO deflection's
 * counts per day of the shop's calendar, so that a period of a year sums 365 rows instead of
 * counting 100,000 orders with their returns, shipments, views, emails and requests.
 *
 * A periodic pass (not the webhooks: nothing is added to their write path) counts, per shop, the
 * days touched since its last pass: the days the orders named by a return, refund, Aftercare return,
 * tracking view, shipping email or request written since then were placed or shipped, plus the last
 * week and every day since the last pass (new orders and shipments, cancellations). Each day is
 * counted by the same functions as a direct count (counts.server.ts), so a day in the rollup is
 * what they give for it. Every day is counted again once a day and whenever the shop's time zone
 * changes (what changes no timestamp, such as an old order cancelled or imported, is caught there).
 *
 * The dashboard sums the days before the last pass's day and counts that day and later directly:
 * a period's figures lag the shop's rows by at most one pass for days before today.
 */
import type { Db } from "../../db.server";
import type { Period } from "../../domain/dashboard/kpi";
import { addDays, localDate, startOfLocalDay, type CivilDate } from "../../domain/tracking/calendar";
import { ordersViewedOrAskedSince } from "../../models/contact.server";
import { rollupState, saveDays, shopsToRollUp, sumDays, type DayCounts } from "../../models/dashboard-rollup.server";
import { firstOrderPlacedAt, ordersChangedSince, placementTimesOf } from "../../models/order-figures.server";
import { ordersEmailedSince } from "../../models/outbox.server";
import { firstShippedAt, shipTimesOf } from "../../models/tracking.server";
import { ordersWithReturnCasesChangedSince } from "../returns/figures.server";

import { countPlacedAndReturned, countShippedAndAnswered, type Span } from "./counts.server";

export const ROLLUP_EVERY_MS = 5 * 60_000;
/** Every day is counted again this often. */
const FULL_EVERY_MS = 24 * 60 * 60_000;
/** The last pass's start is taken this much earlier: a row written as it began may carry an earlier time. */
const OVERLAP_MS = 5 * 60_000;
/** Days always counted again: new orders and shipments, and changes to recent ones. */
const RECENT_DAYS = 7;

const ZERO: DayCounts = { placed: 0, returned: 0, shipped: 0, deflected: 0 };

function dayOf(day: CivilDate, timeZone: string): Span {
  return { start: startOfLocalDay(day, timeZone), end: startOfLocalDay(addDays(day, 1), timeZone) };
}

async function countSpan(db: Db, shop: string, span: Span): Promise<DayCounts> {
  const [r, w] = await Promise.all([countPlacedAndReturned(db, shop, span), countShippedAndAnswered(db, shop, span)]);
  return { placed: r.placed, returned: r.returned, shipped: w.shipped, deflected: w.deflected };
}

/** Counts one shop's touched days (or all of them) and records the pass. */
export async function refreshRollup(db: Db, shop: string, timeZone: string, now: Date) {
  const state = await rollupState(db, shop);
  const full = !state || state.timeZone !== timeZone || now.getTime() - state.fullAt.getTime() >= FULL_EVERY_MS;
  const today = localDate(now, timeZone);
  const days = new Set<CivilDate>();
  const addRange = (from: CivilDate) => {
    for (let d = from; d <= today; d = addDays(d, 1)) days.add(d);
  };
  if (full) {
    const firsts = (await Promise.all([firstOrderPlacedAt(db, shop), firstShippedAt(db, shop)])).filter(
      (t): t is Date => t !== null,
    );
    if (firsts.length) addRange(localDate(new Date(Math.min(...firsts.map((t) => t.getTime()))), timeZone));
  } else {
    const since = new Date(state.countedTo.getTime() - OVERLAP_MS);
    const changed = ordersChangedSince(shop, since, [
      ordersWithReturnCasesChangedSince(shop, since),
      ordersViewedOrAskedSince(shop, since),
      ordersEmailedSince(shop, since),
    ]);
    const [placed, shipped] = await Promise.all([placementTimesOf(db, shop, changed), shipTimesOf(db, shop, changed)]);
    for (const t of [...placed, ...shipped]) {
      const d = localDate(t, timeZone);
      if (d <= today) days.add(d);
    }
    const recent = addDays(today, -(RECENT_DAYS - 1));
    const lastPass = localDate(state.countedTo, timeZone);
    addRange(lastPass < recent ? lastPass : recent);
  }
  const counted: ({ day: string } & DayCounts)[] = [];
  for (const day of [...days].sort()) counted.push({ day, ...(await countSpan(db, shop, dayOf(day, timeZone))) });
  await saveDays(db, shop, counted, { timeZone, countedTo: now, fullAt: full ? now : state.fullAt }, full);
  return { days: counted.length, full };
}

/** The periodic pass over every installed shop. */
export async function refreshRollups(db: Db, now: Date) {
  let days = 0;
  for (const { shop, timeZone } of await shopsToRollUp(db)) {
    days += (await refreshRollup(db, shop, timeZone, now)).days;
  }
  return { days };
}

/**
 * The period's counts from the rollup where it has them and directly for the rest (the day of the
 * last pass and after); null when the shop has no rollup in its current time zone yet (the caller
 * counts directly).
 */
export async function rolledUpCounts(
  db: Db,
  shop: string,
  period: Period,
  timeZone: string,
): Promise<DayCounts | null> {
  const state = await rollupState(db, shop);
  if (!state || state.timeZone !== timeZone) return null;
  const liveFrom = localDate(state.countedTo, timeZone);
  const lastRolled = addDays(liveFrom, -1);
  const rolled =
    period.from <= lastRolled
      ? await sumDays(db, shop, period.from, period.to < lastRolled ? period.to : lastRolled)
      : ZERO;
  if (period.to < liveFrom) return rolled;
  const liveStart = startOfLocalDay(liveFrom, timeZone);
  const live = await countSpan(db, shop, {
    start: period.start > liveStart ? period.start : liveStart,
    end: period.end,
  });
  return {
    placed: rolled.placed + live.placed,
    returned: rolled.returned + live.returned,
    shipped: rolled.shipped + live.shipped,
    deflected: rolled.deflected + live.deflected,
  };
}

/** The period's counts: from the rollup when the shop has one, else counted directly. */
export async function periodCounts(db: Db, shop: string, period: Period, timeZone: string): Promise<DayCounts> {
  return (await rolledUpCounts(db, shop, period, timeZone)) ?? countSpan(db, shop, period);
}
