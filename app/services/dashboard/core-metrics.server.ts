/**
 * The core service KPIs, computed from stored rows only: surveys, the inbox, tracking views, the
 * notification outbox, the order mirror, returns and loyalty. The dashboard owns no table: each
 * figure comes from its table's owner (docs/decisions/0021).
 */
import type { Db } from "../../db.server";
import { addDays } from "../../domain/tracking/calendar";
import { HOW_COUNTED } from "../../domain/dashboard/definitions";
import {
  csat,
  nps,
  offsetSpans,
  repeatPurchaseRate,
  returnRate,
  topReasons,
  wismoDeflection,
} from "../../domain/dashboard/kpi";
import { liabilityReport } from "../loyalty/admin.server";
import { countMembersBefore, wasMemberBefore } from "../loyalty/members.server";
import { returnReasonsRequested, revenueKeptByResolutions, shopifyReturnsOfCases } from "../returns/figures.server";
import { firstResponseMedian, requestsPerLocalDay, surveyScoreCounts } from "../../models/contact.server";
import { mirroredReturnReasons, repeatBuyers } from "../../models/order-figures.server";

import { registerDashboardMetric, type MetricContext } from "./registry.server";
import { periodCounts } from "./rollup.server";

/** "1 answer", "6 answers": the merchant reads these details as sentences. */
const count = (n: number, noun: string) => `${n.toLocaleString("en-US")} ${n === 1 ? noun : `${noun}s`}`;

/**
 * The return rate's and the WISMO deflection's counts of a period, once per period of a dashboard
 * (keyed by the period object computeDashboard hands every metric): summed from the daily rollup
 * where it has the days, counted directly for the rest (rollup.server.ts).
 */
const countsByPeriod = new WeakMap<MetricContext["period"], ReturnType<typeof periodCounts>>();
function countsOf(ctx: MetricContext) {
  let counted = countsByPeriod.get(ctx.period);
  if (!counted) {
    counted = periodCounts(ctx.db, ctx.shop, ctx.period, ctx.timeZone);
    countsByPeriod.set(ctx.period, counted);
  }
  return counted;
}

/**
 * Orders placed in the period and which of them came back: a return in Aftercare or in Shopify
 * that was not cancelled or declined, or a refund of items. Counted in the database.
 */
export async function returnFigures(ctx: MetricContext) {
  const { placed, returned } = await countsOf(ctx);
  return returnRate(placed, returned);
}

/**
 * Return reasons of returns requested in the period: the returns area's cases, and Shopify's
 * returns that are not one of them (a return the shopper started in Aftercare is also mirrored
 * from Shopify: it counts once).
 */
export async function returnReasons(ctx: MetricContext) {
  const [cases, mirrored] = await Promise.all([
    returnReasonsRequested(ctx.db, ctx.shop, ctx.period),
    mirroredReturnReasons(ctx.db, ctx.shop, ctx.period, shopifyReturnsOfCases(ctx.shop)),
  ]);
  return topReasons([...cases, ...mirrored]);
}

/**
 * Buyers of the period and the repeat ones among them, all and members, counted once per period of
 * a dashboard (the repeat purchase rate and the loyalty card both show them): keyed by the period
 * object computeDashboard hands every metric.
 */
const buyersByPeriod = new WeakMap<MetricContext["period"], ReturnType<typeof repeatBuyers>>();
function buyersOf(ctx: MetricContext) {
  let counted = buyersByPeriod.get(ctx.period);
  if (!counted) {
    counted = repeatBuyers(ctx.db, ctx.shop, ctx.period, (customer) =>
      wasMemberBefore(customer, ctx.shop, ctx.period.end),
    );
    buyersByPeriod.set(ctx.period, counted);
  }
  return counted;
}

let registered = false;

export function registerCoreDashboardMetrics() {
  if (registered) return;
  registered = true;
  const pct = (n: number, d: number) => `${n} of ${d}`;

  registerDashboardMetric({
    id: "csat",
    label: "CSAT",
    area: "contact",
    format: "percent",
    order: 10,
    higherIsBetter: true,
    help: "Share of satisfaction answers that are 4 or 5, answered in the period.",
    async compute(ctx) {
      const r = csat(await surveyScoreCounts(ctx.db, ctx.shop, "csat", ctx.period));
      return { value: r.value, detail: count(r.responses, "answer"), counts: { count: r.responses } };
    },
  });
  registerDashboardMetric({
    id: "nps",
    label: "NPS",
    area: "contact",
    format: "score",
    order: 20,
    higherIsBetter: true,
    help: "Promoters (9–10) minus detractors (0–6), in points, from answers in the period.",
    async compute(ctx) {
      const r = nps(await surveyScoreCounts(ctx.db, ctx.shop, "nps", ctx.period));
      return { value: r.value, detail: count(r.responses, "answer"), counts: { count: r.responses } };
    },
  });
  registerDashboardMetric({
    id: "first_response",
    label: "Median first response",
    area: "contact",
    format: "minutes",
    order: 30,
    higherIsBetter: false,
    help: "Business hours from a request to its first reply, for first replies sent in the period.",
    async compute(ctx) {
      const { answered, medianMinutes } = await firstResponseMedian(ctx.db, ctx.shop, ctx.period);
      return { value: medianMinutes, detail: `${count(answered, "request")} answered`, counts: { count: answered } };
    },
  });
  registerDashboardMetric({
    id: "wismo_deflection",
    label: "WISMO deflection",
    area: "contact",
    format: "percent",
    order: 40,
    higherIsBetter: true,
    help: HOW_COUNTED.wismoDeflection,
    async compute(ctx) {
      const counted = await countsOf(ctx);
      const r = wismoDeflection(counted);
      return {
        value: r.value,
        detail: `${pct(counted.deflected, counted.shipped)} shipped orders answered without asking`,
        counts: { done: counted.deflected, of: counted.shipped },
      };
    },
  });
  registerDashboardMetric({
    id: "return_rate",
    label: "Return rate",
    area: "returns",
    format: "percent",
    order: 50,
    higherIsBetter: false,
    help: HOW_COUNTED.returnRate,
    async compute(ctx) {
      const [r, reasons] = await Promise.all([returnFigures(ctx), returnReasons(ctx)]);
      return {
        value: r.value,
        detail: `${pct(r.ordersReturned, r.ordersPlaced)} orders`,
        counts: { done: r.ordersReturned, of: r.ordersPlaced },
        breakdown: reasons.map((x) => ({ label: x.reason, value: x.quantity })),
      };
    },
  });
  registerDashboardMetric({
    id: "revenue_kept",
    label: "Revenue kept by exchanges and credit",
    area: "returns",
    format: "money",
    order: 60,
    higherIsBetter: true,
    help: HOW_COUNTED.revenueKept,
    async compute(ctx) {
      const { keptMinor, returnsKept } = await revenueKeptByResolutions(ctx.db, ctx.shop, ctx.currency, ctx.period);
      return {
        value: keptMinor,
        detail: `${count(returnsKept, "return")} resolved as exchange or credit`,
        counts: { count: returnsKept },
      };
    },
  });
  registerDashboardMetric({
    id: "repeat_rate",
    label: "Repeat purchase rate",
    area: "orders",
    format: "percent",
    order: 70,
    higherIsBetter: true,
    help: "Of the customers who ordered in the period, the share who have ordered more than once.",
    async compute(ctx) {
      const r = repeatPurchaseRate(await buyersOf(ctx));
      return {
        value: r.value,
        detail: `${pct(r.repeat, r.customers)} customers`,
        counts: { done: r.repeat, of: r.customers },
      };
    },
  });
  registerDashboardMetric({
    id: "loyalty_members",
    label: "Loyalty members",
    area: "loyalty",
    format: "count",
    order: 80,
    higherIsBetter: true,
    help:
      "Members at the end of the period; the detail compares the repeat purchase rate of " +
      "members and non-members who ordered in it.",
    async compute(ctx) {
      const [count, buyers] = await Promise.all([countMembersBefore(ctx.db, ctx.shop, ctx.period.end), buyersOf(ctx)]);
      const members = buyers.members ?? { customers: 0, repeat: 0 };
      const m = repeatPurchaseRate(members);
      const n = repeatPurchaseRate({
        customers: buyers.customers - members.customers,
        repeat: buyers.repeat - members.repeat,
      });
      const fmt = (v: number | null) => (v === null ? "—" : `${Math.round(v * 1000) / 10}%`);
      return {
        value: count,
        detail: `Repeat purchase: members ${fmt(m.value)}, non-members ${fmt(n.value)}`,
        counts: { members: m.value, nonMembers: n.value },
        breakdown: [
          { label: "Members' repeat rate", value: m.value ?? 0 },
          { label: "Non-members' repeat rate", value: n.value ?? 0 },
        ],
      };
    },
  });
  registerDashboardMetric({
    id: "points_liability",
    label: "Points liability",
    area: "loyalty",
    format: "money",
    order: 90,
    higherIsBetter: false,
    pointInTime: true,
    help:
      "Points members hold now, valued at the shop's best amount-off or store-credit reward " +
      "(as on the loyalty liability page).",
    async compute(ctx) {
      // One definition with the loyalty area's liability report: every balance held (a redacted
      // member's points stay owed), at the most generous money-per-point of an active reward.
      const r = await liabilityReport(ctx.db, ctx.shop, ctx.now);
      return {
        value: r.minorPerPoint > 0 ? r.liabilityMinor : null,
        detail:
          r.minorPerPoint > 0
            ? `${count(r.totalPoints, "point")} held now`
            : `${count(r.totalPoints, "point")} held now; add an amount-off or store-credit reward to value them`,
        counts: { count: r.totalPoints },
        breakdown: [{ label: "Points held", value: r.totalPoints }],
      };
    },
  });
}

/** Requests per day of the period, for the chart: all and order-status ones, counted in the database. */
export async function requestsPerDay(db: Db, shop: string, ctx: { period: MetricContext["period"]; timeZone: string }) {
  const spans = offsetSpans(ctx.period.start, ctx.period.end, ctx.timeZone);
  const counted = new Map((await requestsPerLocalDay(db, shop, ctx.period, spans)).map((r) => [r.day, r]));
  const days: { date: string; all: number; orderStatus: number }[] = [];
  for (let d = ctx.period.from; d <= ctx.period.to; d = addDays(d, 1)) {
    const r = counted.get(d);
    days.push({ date: d, all: r?.requests ?? 0, orderStatus: r?.orderStatus ?? 0 });
  }
  return days;
}
