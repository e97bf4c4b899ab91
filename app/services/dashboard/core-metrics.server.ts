/**
 * The core service KPIs, computed from stored rows only: surveys, the inbox, tracking views, the
 * notification outbox and the order mirror. Returns and loyalty figures read those areas' tables
 * when they exist in this build (checked at run time), so the dashboard does not wait on them.
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

import { registerDashboardMetric, type MetricContext } from "./registry.server";

/** "1 answer", "6 answers": the merchant reads these details as sentences. */
const count = (n: number, noun: string) => `${n.toLocaleString("en-US")} ${n === 1 ? noun : `${noun}s`}`;

const inPeriod = (ctx: MetricContext) => ({ gte: ctx.period.start, lt: ctx.period.end });

async function answeredScores(ctx: MetricContext, kind: "csat" | "nps") {
  const rows = await ctx.db.surveyResponse.findMany({
    where: { shop: ctx.shop, kind, answeredAt: inPeriod(ctx), score: { not: null } },
    select: { score: true },
  });
  return rows.map((r) => r.score as number);
}

/** Another area's Prisma delegate, when that area is part of this build. */
function delegate<T>(db: Db, name: string): T | null {
  const d = (db as unknown as Record<string, unknown>)[name];
  return d && typeof d === "object" ? (d as T) : null;
}

interface FindMany {
  findMany(args: object): Promise<Record<string, unknown>[]>;
}
interface Aggregate {
  aggregate(args: object): Promise<{ _sum: Record<string, number | null> }>;
  count(args: object): Promise<number>;
}

/** Orders placed in the period and which of them came back (a Shopify return or a refund of items). */
export async function returnFigures(ctx: MetricContext) {
  const { db, shop } = ctx;
  const orders = await db.order.findMany({
    where: { shop, shopifyCreatedAt: inPeriod(ctx), cancelledAt: null },
    select: { shopifyId: true },
  });
  const ids = orders.map((o) => o.shopifyId);
  const [returns, refunds] = await Promise.all([
    db.shopifyReturn.findMany({
      where: { shop, orderShopifyId: { in: ids }, status: { notIn: ["CANCELED", "DECLINED", "canceled", "declined"] } },
      select: { orderShopifyId: true },
    }),
    db.refund.findMany({
      where: { shop, orderShopifyId: { in: ids }, lines: { some: { quantity: { gt: 0 } } } },
      select: { orderShopifyId: true },
    }),
  ]);
  const returned = new Set([...returns, ...refunds].map((r) => r.orderShopifyId).filter(Boolean));
  return returnRate(ids.length, returned.size);
}

/** Return reasons of returns requested in the period: the returns area's cases, else Shopify's returns. */
export async function returnReasons(ctx: MetricContext) {
  const lines: { reason: string | null; quantity: number }[] = [];
  const cases = delegate<FindMany>(ctx.db, "returnCase");
  const linked = new Set<string>();
  if (cases) {
    const rows = await cases.findMany({
      where: { shop: ctx.shop, requestedAt: inPeriod(ctx), status: { not: "canceled" } },
      select: { shopifyReturnId: true, lines: { select: { reason: true, quantity: true } } },
    });
    for (const r of rows) {
      if (typeof r.shopifyReturnId === "string") linked.add(r.shopifyReturnId);
      for (const l of r.lines as { reason: string; quantity: number }[]) lines.push(l);
    }
  }
  const mirrored = await ctx.db.shopifyReturn.findMany({
    where: { shop: ctx.shop, requestedAt: inPeriod(ctx) },
    select: { shopifyId: true, lines: true },
  });
  for (const r of mirrored) {
    if (linked.has(r.shopifyId)) continue;
    try {
      for (const l of JSON.parse(r.lines) as { reason?: string; quantity?: number }[])
        lines.push({ reason: l.reason ?? null, quantity: l.quantity ?? 0 });
    } catch {
      // A malformed mirror row has no reasons to give.
    }
  }
  return topReasons(lines);
}

/** Customers who ordered in the period, with their order count up to its end. */
async function buyers(ctx: MetricContext) {
  const inP = await ctx.db.order.findMany({
    where: { shop: ctx.shop, shopifyCreatedAt: inPeriod(ctx), customerShopifyId: { not: null }, cancelledAt: null },
    select: { customerShopifyId: true },
    distinct: ["customerShopifyId"],
  });
  const ids = inP.map((o) => o.customerShopifyId as string);
  const counts = await ctx.db.order.groupBy({
    by: ["customerShopifyId"],
    where: {
      shop: ctx.shop,
      customerShopifyId: { in: ids },
      shopifyCreatedAt: { lt: ctx.period.end },
      cancelledAt: null,
    },
    _count: { _all: true },
  });
  return new Map(counts.map((c) => [c.customerShopifyId as string, c._count._all]));
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
      const r = csat(await answeredScores(ctx, "csat"));
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
      const r = nps(await answeredScores(ctx, "nps"));
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
      const rows = await ctx.db.contactRequest.findMany({
        where: { shop: ctx.shop, firstResponseAt: inPeriod(ctx), firstResponseMinutes: { not: null } },
        select: { firstResponseMinutes: true },
      });
      return {
        value: median(rows.map((r) => r.firstResponseMinutes as number)),
        detail: `${count(rows.length, "request")} answered`,
      };
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
      const [views, notifications, contacts] = await Promise.all([
        ctx.db.trackingViewDay.aggregate({
          where: { shop: ctx.shop, day: { gte: ctx.period.from, lte: ctx.period.to } },
          _sum: { views: true },
        }),
        ctx.db.notification.count({
          where: { shop: ctx.shop, kind: "tracking", status: "sent", sentAt: inPeriod(ctx) },
        }),
        ctx.db.contactRequest.count({ where: { shop: ctx.shop, topic: "order_status", createdAt: inPeriod(ctx) } }),
      ]);
      const r = wismoDeflection({
        trackingViews: views._sum.views ?? 0,
        proactiveNotifications: notifications,
        orderStatusContacts: contacts,
      });
      return {
        value: r.value,
        detail:
          `${count(views._sum.views ?? 0, "view")}, ${count(notifications, "email")}, ` +
          `${count(contacts, "contact")}`,
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
      const cases = delegate<Aggregate>(ctx.db, "returnCase");
      if (!cases) return null;
      // resolutionMinor is what the shopper got (items - fees + bonus); the bonus is the shop's own
      // money on top, not revenue kept, so it comes off: a 100 return credited as 110 keeps 100.
      const where = {
        shop: ctx.shop,
        currency: ctx.currency,
        resolvedAt: inPeriod(ctx),
        resolution: { in: ["store_credit", "exchange_variant", "exchange_any"] },
      };
      const [sum, returnsKept] = await Promise.all([
        cases.aggregate({ where, _sum: { resolutionMinor: true, bonusMinor: true } }),
        cases.count({ where }),
      ]);
      return {
        value: (sum._sum.resolutionMinor ?? 0) - (sum._sum.bonusMinor ?? 0),
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
      const members = delegate<Aggregate & FindMany>(ctx.db, "loyaltyMember");
      if (!members) return null;
      const count = await members.count({
        where: { shop: ctx.shop, createdAt: { lt: ctx.period.end }, redactedAt: null },
      });
      const orderCounts = await buyers(ctx);
      const memberIds = new Set(
        (
          await members.findMany({
            where: {
              shop: ctx.shop,
              customerShopifyId: { in: [...orderCounts.keys()] },
              createdAt: { lt: ctx.period.end },
            },
            select: { customerShopifyId: true },
          })
        ).map((m) => m.customerShopifyId as string),
      );
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
      if (!delegate(ctx.db, "loyaltyMember")) return null;
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
  const rows = await db.contactRequest.findMany({
    where: { shop, createdAt: { gte: ctx.period.start, lt: ctx.period.end } },
    select: { createdAt: true, topic: true },
  });
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
