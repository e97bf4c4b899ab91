import { describe, expect, it } from "vitest";

import { importProgress } from "./import.server";

/** What the Sync page's Order history card shows of an import, from its row. */
const at = (iso: string) => new Date(iso);
const row = {
  ordersTotal: 2000,
  ordersImported: 2000,
  applyingAt: at("2026-12-04T10:00:00Z"),
  startedAt: at("2026-12-04T09:58:00Z"),
  detailsTotal: null as number | null,
  detailsDone: 0,
  detailsAt: null as Date | null,
};

describe("an import's progress", () => {
  it("while the file is applied: orders written, the bar up to 70%, the time left at the rate so far", () => {
    const p = importProgress({ ...row, status: "applying", ordersImported: 1000 }, at("2026-12-04T10:00:10Z"));
    expect(p).toEqual({ total: 2000, done: 1000, percent: 60, secondsLeft: 10, details: null });
  });

  it("while past orders are read one by one: how many of how many, the rest of the bar, the time left", () => {
    const p = importProgress(
      { ...row, status: "details", detailsTotal: 1240, detailsDone: 300, detailsAt: at("2026-12-04T10:00:20Z") },
      at("2026-12-04T10:02:00Z"),
    );
    // 300 in 100 s: 940 left take 314 s more.
    expect(p).toEqual({ total: 2000, done: 2000, percent: 77, secondsLeft: 314, details: { total: 1240, done: 300 } });
  });

  it("once completed: the whole bar", () => {
    const p = importProgress(
      { ...row, status: "completed", detailsTotal: 1240, detailsDone: 1240, detailsAt: at("2026-12-04T10:00:20Z") },
      at("2026-12-04T11:00:00Z"),
    );
    expect(p).toMatchObject({ percent: 100, secondsLeft: null, details: { total: 1240, done: 1240 } });
  });
});
