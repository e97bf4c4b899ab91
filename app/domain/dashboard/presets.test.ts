import { describe, expect, it } from "vitest";

import type { CivilDate } from "../tracking/calendar";

import { presetOf, presetPeriod } from "./presets";

describe("dashboard period presets", () => {
  const today = "2026-03-01" as CivilDate;
  it("counts back from the shop's today, today included, across month and leap-year ends", () => {
    expect(presetPeriod("last7", today)).toEqual({ from: "2026-02-23", to: "2026-03-01" });
    expect(presetPeriod("last30", today)).toEqual({ from: "2026-01-31", to: "2026-03-01" });
    expect(presetPeriod("last90", today)).toEqual({ from: "2025-12-02", to: "2026-03-01" });
    expect(presetPeriod("thisMonth", today)).toEqual({ from: "2026-03-01", to: "2026-03-01" });
    expect(presetPeriod("lastYear", today)).toEqual({ from: "2025-01-01", to: "2025-12-31" });
    expect(presetPeriod("last7", "2024-03-02" as CivilDate)).toEqual({ from: "2024-02-25", to: "2024-03-02" });
  });

  it("names the preset a period is, and none for another period", () => {
    expect(presetOf({ from: "2025-01-01", to: "2025-12-31" }, today)).toBe("lastYear");
    expect(presetOf({ from: "2026-02-20", to: "2026-03-01" }, today)).toBeNull();
  });
});
