import { describe, expect, it } from "vitest";

import {
  change,
  countScores,
  csat,
  median,
  nps,
  offsetSpans,
  periods,
  repeatPurchaseRate,
  returnRate,
  topReasons,
  wismoDeflection,
} from "./kpi";

describe("KPI rules", () => {
  it("CSAT is the share of 4 and 5, ignoring out-of-scale answers", () => {
    expect(csat([5, 4, 3, 1, 5, 9])).toEqual({ responses: 5, satisfied: 3, value: 0.6 });
    expect(csat([]).value).toBeNull();
  });
  it("NPS is promoters minus detractors in points", () => {
    expect(nps([10, 9, 8, 7, 6, 0, 10, 3])).toMatchObject({ responses: 8, promoters: 3, detractors: 3, value: 0 });
    expect(nps([10, 10, 6]).value).toBe(33.3);
  });
  it("median of odd and even lists", () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([10, 40, 20, 30])).toBe(25);
    expect(median([])).toBeNull();
  });
  it("WISMO deflection: orders answered without asking, of the orders shipped", () => {
    expect(wismoDeflection({ shipped: 8, deflected: 6 }).value).toBe(0.75);
    expect(wismoDeflection({ shipped: 0, deflected: 0 }).value).toBeNull();
  });
  it("return rate, reasons and repeat purchase", () => {
    expect(returnRate(8, 2).value).toBe(0.25);
    expect(
      topReasons([
        { reason: "too_small", quantity: 2 },
        { reason: "defective", quantity: 1 },
        { reason: "too_small", quantity: 1 },
        { reason: null, quantity: 1 },
      ]),
    ).toEqual([
      { reason: "too_small", quantity: 3 },
      { reason: "defective", quantity: 1 },
      { reason: "unknown", quantity: 1 },
    ]);
    expect(repeatPurchaseRate([1, 2, 3, 1]).value).toBe(0.5);
  });
  it("change against the previous period", () => {
    expect(change(0.8, 0.6)?.absolute).toBeCloseTo(0.2);
    expect(change(5, 0)).toEqual({ absolute: 5, relative: null });
    expect(change(null, 1)).toBeNull();
  });
  it("periods are whole local days, the previous one of equal length just before", () => {
    const { current, previous } = periods("2026-03-01", "2026-03-10", "America/Toronto");
    expect(current.start.toISOString()).toBe("2026-03-01T05:00:00.000Z");
    expect(current.end.toISOString()).toBe("2026-03-11T04:00:00.000Z"); // after DST began
    expect(previous).toMatchObject({ from: "2026-02-19", to: "2026-02-28", days: 10 });
    expect(() => periods("2026-03-10", "2026-03-01", "UTC")).toThrow();
  });
  it("CSAT, NPS and repeat purchase from the counts the database makes, as from the answers", () => {
    const answers = [5, 4, 3, 1, 5, 9];
    expect(csat(countScores(answers))).toEqual(csat(answers));
    expect(
      nps([
        { score: 10, count: 2 },
        { score: 6, count: 1 },
      ]).value,
    ).toBe(33.3);
    expect(repeatPurchaseRate({ customers: 4, repeat: 2 }).value).toBe(0.5);
    expect(repeatPurchaseRate({ customers: 0, repeat: 0 }).value).toBeNull();
  });
  it("offset spans: one for a zone without DST, a new one from the minute the clocks change", () => {
    const tokyo = offsetSpans(new Date("2026-01-01T00:00:00Z"), new Date("2027-01-01T00:00:00Z"), "Asia/Tokyo");
    expect(tokyo).toEqual([{ from: new Date("2026-01-01T00:00:00Z"), offsetMinutes: 540 }]);
    const { current } = periods("2026-03-01", "2026-11-30", "America/New_York");
    expect(offsetSpans(current.start, current.end, "America/New_York")).toEqual([
      { from: current.start, offsetMinutes: -300 },
      { from: new Date("2026-03-08T07:00:00Z"), offsetMinutes: -240 }, // 03:00 EDT
      { from: new Date("2026-11-01T06:00:00Z"), offsetMinutes: -300 }, // 01:00 EST
    ]);
  });
});
