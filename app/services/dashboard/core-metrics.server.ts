/**
 * The core service KPIs, computed from stored rows only: surveys, the inbox, tracking views, the
 * notification outbox, the order mirror, returns and loyalty. The dashboard owns no table: each
 * figure comes from its table's owner (docs/decisions/0021).
 */
import type { Db } from "../../db.server";
import { addDays, localDate } from "../../domain/tracking/calendar";
import {
  csat,
  median,
  nps,
  repeatPurchaseRate,
  returnRate,
  topReasons,
  wismoDeflection,
} from "../../domain/dashboard/kpi";
import { liabilityReport } from "../loyalty/admin.server";
import { countMembersBefore, customersWhoWereMembers } from "../loyalty/members.server";
import { returnLinesRequested, revenueKeptByResolutions } from "../returns/desk.server";
import {
  answeredSurveyScores,
  firstResponseMinutes,
  requestTimesAndTopics,
  wismoCounts,
} from "../../models/contact.server";
import { orderCountsOfBuyers, ordersPlacedAndReturned } from "../../models/orders.server";
import { countSentNotifications } from "../../models/outbox.server";
import { shopifyReturnLinesRequested } from "../../models/shopify-returns.server";

import { registerDashboardMetric, type MetricContext } from "./registry.server";

/** "1 answer", "6 answers": the merchant reads these details as sentences. */
const count = (n: number, noun: string) => `${n.toLocaleString("en-US")} ${n === 1 ? noun : `${noun}s`}`;

/** Orders placed in the period and which of them came back (a Shopify return or a refund of items). */
export async function returnFigures(ctx: MetricContext) {
  const { placed, returned } = await ordersPlacedAndReturned(ctx.db, ctx.shop, ctx.period);
  return returnRate(placed, returned);
}

/** Return reasons of returns requested in the period: the returns area's cases, else Shopify's returns. */
export async function returnReasons(ctx: MetricContext) {
  const [cases, mirrored] = await Promise.all([
    returnLinesRequested(ctx.db, ctx.shop, ctx.period),
    shopifyReturnLinesRequested(ctx.db, ctx.shop, ctx.period),
  ]);
  // A return the shopper started in Aftercare is also mirrored from Shopify: count it once.
  const linked = new Set(cases.map((c) => c.shopifyReturnId).filter((id): id is string => id !== null));
  return topReasons([
    ...cases.flatMap((c) => c.lines),
    ...mirrored.filter((l) => !linked.has(l.returnId)).map(({ reason, quantity }) => ({ reason, quantity })),
  ]);
}

/** Customers who ordered in the period, with their order count up to its end. */
const buyers = (ctx: MetricContext) => orderCountsOfBuyers(ctx.db, ctx.shop, ctx.period);

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
      const r = csat(await answeredSurveyScores(ctx.db, ctx.shop, "csat", ctx.period));
      return { value: r.value, detail: count(r.responses, "answer") };
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
      const r = nps(await answeredSurveyScores(ctx.db, ctx.shop, "nps", ctx.period));
      return { value: r.value, detail: count(r.responses, "answer") };
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
      const minutes = await firstResponseMinutes(ctx.db, ctx.shop, ctx.period);
      return { value: median(minutes), detail: `${count(minutes.length, "request")} answered` };
    },
  });
  registerDashboardMetric({
    id: "wismo_deflection",
    label: "WISMO deflection",
    area: "contact",
    format: "percent",
    order: 40,
    higherIsBetter: true,
    help:
      "Tracking views and proactive shipping emails, against order-status contacts: the share " +
      "answered without writing in.",
    async compute(ctx) {
      const [{ trackingViews, orderStatusRequests }, notifications] = await Promise.all([
        wismoCounts(ctx.db, ctx.shop, ctx.period),
        countSentNotifications(ctx.db, ctx.shop, "tracking", ctx.period),
      ]);
      const r = wismoDeflection({
        trackingViews,
        proactiveNotifications: notifications,
        orderStatusContacts: orderStatusRequests,
      });
      return {
        value: r.value,
        detail:
          `${count(trackingViews, "view")}, ${count(notifications, "email")}, ` +
          `${count(orderStatusRequests, "contact")}`,
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
    help: "Orders placed in the period that have a return or a refund of items.",
    async compute(ctx) {
      const [r, reasons] = await Promise.all([returnFigures(ctx), returnReasons(ctx)]);
      return {
        value: r.value,
        detail: `${pct(r.ordersReturned, r.ordersPlaced)} orders`,
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
    help:
      "What returns resolved in the period as an exchange or store credit would otherwise have " +
      "refunded: the items less fees, without any bonus the shop added.",
    async compute(ctx) {
      const { keptMinor, returnsKept } = await revenueKeptByResolutions(ctx.db, ctx.shop, ctx.currency, ctx.period);
      return {
        value: keptMinor,
        detail: `${count(returnsKept, "return")} resolved as exchange or credit`,
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
      const r = repeatPurchaseRate([...(await buyers(ctx)).values()]);
      return { value: r.value, detail: `${pct(r.repeat, r.customers)} customers` };
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
      const [count, orderCounts] = await Promise.all([
        countMembersBefore(ctx.db, ctx.shop, ctx.period.end),
        buyers(ctx),
      ]);
      const memberIds = await customersWhoWereMembers(ctx.db, ctx.shop, [...orderCounts.keys()], ctx.period.end);
      const m = repeatPurchaseRate([...orderCounts].filter(([id]) => memberIds.has(id)).map(([, n]) => n));
      const n = repeatPurchaseRate([...orderCounts].filter(([id]) => !memberIds.has(id)).map(([, n]) => n));
      const fmt = (v: number | null) => (v === null ? "—" : `${Math.round(v * 1000) / 10}%`);
      return {
        value: count,
        detail: `Repeat purchase: members ${fmt(m.value)}, non-members ${fmt(n.value)}`,
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
            ? `${r.totalPoints} points held now`
            : `${r.totalPoints} points held now; add an amount-off or store-credit reward to value them`,
        breakdown: [{ label: "Points held", value: r.totalPoints }],
      };
    },
  });
}

/** Requests per day of the period, for the chart: all and order-status ones. */
export async function requestsPerDay(db: Db, shop: string, ctx: { period: MetricContext["period"]; timeZone: string }) {
  const rows = await requestTimesAndTopics(db, shop, ctx.period);
  const days = new Map<string, { all: number; orderStatus: number }>();
  for (let d = ctx.period.from; d <= ctx.period.to; d = addDays(d, 1)) days.set(d, { all: 0, orderStatus: 0 });
  for (const r of rows) {
    const day = days.get(localDate(r.createdAt, ctx.timeZone));
    if (!day) continue;
    day.all++;
    if (r.topic === "order_status") day.orderStatus++;
  }
  return [...days.entries()].map(([date, v]) => ({ date, ...v }));
}
