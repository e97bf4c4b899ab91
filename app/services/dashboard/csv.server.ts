import { fromMinor } from "../../domain/shared/money";
import { toCsv, type CsvValue } from "../../utils/csv.server";

import type { Dashboard, DashboardFigure } from "./registry.server";

/** Money in the shop's currency's major units ("82.00"), as the unit column says; other figures as computed. */
const amount = (f: DashboardFigure, v: number | null, currency: string) =>
  v === null ? null : f.format === "money" ? fromMinor(v, currency) : v;
const unit = (f: DashboardFigure, currency: string) =>
  f.format === "money" ? currency : f.format === "percent" ? "share (0 to 1)" : f.format;

/** The dashboard as CSV: one row per figure, current and previous period and the change. */
export function dashboardCsv(d: Dashboard): string {
  const rows: CsvValue[][] = [
    [
      "metric",
      "unit",
      `current (${d.current.from} to ${d.current.to})`,
      `previous (${d.previous.from} to ${d.previous.to})`,
      "change",
      "detail",
    ],
  ];
  for (const f of d.figures) {
    rows.push([
      f.label,
      unit(f, d.currency),
      amount(f, f.current.value, d.currency),
      amount(f, f.previous?.value ?? null, d.currency),
      amount(f, f.change?.absolute ?? null, d.currency),
      f.current.detail ?? "",
    ]);
    for (const b of f.current.breakdown ?? []) rows.push([`${f.label}: ${b.label}`, "", b.value, null, null, ""]);
  }
  return toCsv(rows);
}
