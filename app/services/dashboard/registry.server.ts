/**
 * The dashboard's metrics registry. Each area plugs in the figures it owns with
 * registerDashboardMetric (at start-up, from its register function); the dashboard computes every
 * registered metric for the merchant's period and the one before it, and shows the change.
 * A metric answers null when its area has nothing to say (not installed, no data model), and is
 * then left off the page rather than shown as zero.
 */
import type { Db } from "../../db.server";
import { change, periods, type Period } from "../../domain/dashboard/kpi";
import { shopProfile } from "../../models/shop.server";

export type MetricFormat = "percent" | "score" | "minutes" | "count" | "money";

export interface MetricContext {
  db: Db;
  shop: string;
  period: Period;
  timeZone: string;
  currency: string;
  now: Date;
}

export interface MetricValue {
  value: number | null;
  /** A short line under the figure: "42 answers", "3 of 120 orders". */
  detail?: string;
  /** The numbers behind the detail, for the page to say it in the admin's language (`dashboard.<id>.detail`). */
  counts?: Record<string, number | null>;
  breakdown?: { label: string; value: number }[];
}

export interface DashboardMetric {
  id: string;
  label: string;
  area: string;
  format: MetricFormat;
  help: string;
  /** Higher is better (the change is coloured accordingly); false for e.g. return rate. */
  higherIsBetter: boolean;
  /** A point-in-time figure (points liability) has no previous period. */
  pointInTime?: boolean;
  order: number;
  compute(ctx: MetricContext): Promise<MetricValue | null>;
}

const metrics = new Map<string, DashboardMetric>();

export function registerDashboardMetric(metric: DashboardMetric) {
  metrics.set(metric.id, metric);
}

export function dashboardMetrics(): DashboardMetric[] {
  return [...metrics.values()].sort((a, b) => a.order - b.order);
}

export interface DashboardFigure {
  id: string;
  label: string;
  area: string;
  format: MetricFormat;
  help: string;
  higherIsBetter: boolean;
  current: MetricValue;
  previous: MetricValue | null;
  change: ReturnType<typeof change>;
}

export async function computeDashboard(db: Db, shop: string, range: { from: string; to: string }, now: Date) {
  const profile = await shopProfile(db, shop);
  const { current, previous } = periods(range.from, range.to, profile.timeZone);
  const base = { db, shop, timeZone: profile.timeZone, currency: profile.currencyCode, now };
  // Every figure and period at once: on PostgreSQL each is a statement of its own on the pool's
  // connections; SQLite answers them one after another either way.
  const computed = await Promise.all(
    dashboardMetrics().map(async (m) => {
      const [cur, prev] = await Promise.all([
        m.compute({ ...base, period: current }),
        m.pointInTime ? null : m.compute({ ...base, period: previous }),
      ]);
      return { m, cur, prev };
    }),
  );
  const figures: DashboardFigure[] = [];
  for (const { m, cur, prev } of computed) {
    if (cur === null) continue;
    figures.push({
      id: m.id,
      label: m.label,
      area: m.area,
      format: m.format,
      help: m.help,
      higherIsBetter: m.higherIsBetter,
      current: cur,
      previous: prev,
      change: change(cur.value, prev?.value ?? null),
    });
  }
  return { shop, timeZone: profile.timeZone, currency: profile.currencyCode, current, previous, figures };
}

export type Dashboard = Awaited<ReturnType<typeof computeDashboard>>;
