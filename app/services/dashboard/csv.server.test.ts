import { describe, expect, it } from "vitest";

import { periods } from "../../domain/dashboard/kpi";

import { dashboardCsv } from "./csv.server";
import type { Dashboard, DashboardFigure } from "./registry.server";

const figure = (over: Partial<DashboardFigure>): DashboardFigure => ({
  id: "x",
  label: "x",
  area: "returns",
  format: "count",
  help: "",
  higherIsBetter: true,
  current: { value: 1 },
  previous: null,
  change: null,
  ...over,
});

describe("the dashboard CSV", () => {
  it("keeps negative changes numeric and escapes what a spreadsheet could run", () => {
    const { current, previous } = periods("2026-03-09", "2026-03-15", "UTC");
    const d: Dashboard = {
      shop: "a.myshopify.com",
      timeZone: "UTC",
      currency: "CAD",
      current,
      previous,
      figures: [
        figure({
          label: "Revenue kept",
          format: "money",
          current: { value: 1000, detail: "-2+3+cmd|' /C calc'!A0" },
          previous: { value: 8200 },
          change: { absolute: -7200, relative: null },
        }),
        figure({
          label: "Median first response",
          format: "minutes",
          current: { value: 75, detail: "\t=1+1" },
          previous: { value: 200 },
          change: { absolute: -125, relative: null },
        }),
        figure({ label: "Return rate", current: { value: 3, breakdown: [{ label: "too small; =1+1", value: 2 }] } }),
      ],
    };
    expect(dashboardCsv(d).split("\r\n").slice(1)).toEqual([
      "Revenue kept,CAD,10.00,82.00,-72.00,'-2+3+cmd|' /C calc'!A0",
      'Median first response,minutes,75,200,-125,"\'\t=1+1"',
      "Return rate,count,3,,,",
      '"Return rate: too small; =1+1",,2,,,',
      "",
    ]);
  });
});
