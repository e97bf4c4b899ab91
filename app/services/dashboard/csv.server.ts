import type { Dashboard } from "./registry.server";

const cell = (v: string | number | null) => {
  const s = v === null ? "" : String(v);
  // Quote everything that needs it, and neutralise spreadsheet formulas.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The dashboard as CSV: one row per figure, current and previous period and the change. */
export function dashboardCsv(d: Dashboard): string {
  const rows: Array<Array<string | number | null>> = [
    ["metric", "unit", `current (${d.current.from} to ${d.current.to})`, `previous (${d.previous.from} to ${d.previous.to})`, "change", "detail"],
  ];
  for (const f of d.figures) {
    rows.push([f.label, f.format === "money" ? d.currency : f.format, f.current.value, f.previous?.value ?? null, f.change?.absolute ?? null, f.current.detail ?? ""]);
    for (const b of f.current.breakdown ?? []) rows.push([`${f.label}: ${b.label}`, "", b.value, null, null, ""]);
  }
  return rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}
