import { describe, expect, it } from "vitest";

import {
  estimateDelivery,
  expectedShipDate,
  historyConfidence,
  percentile,
  transitStats,
  type EstimateRules,
} from "./estimate";
import type { BusinessCalendar } from "./calendar";

const rules: EstimateRules = {
  processingBusinessDays: 1,
  cutoffHour: 14,
  transitBusinessDays: { default: { min: 3, max: 7 }, byCountry: { CA: { min: 2, max: 4 } } },
};
const toronto: BusinessCalendar = { timeZone: "America/Toronto" };
const seoul: BusinessCalendar = { timeZone: "Asia/Seoul" };

describe("expected ship date", () => {
  it("counts processing days from the order day before the cutoff", () => {
    // Monday 10:00 in Toronto
    expect(expectedShipDate(new Date("2025-03-03T15:00:00Z"), rules, toronto)).toBe("2025-03-04");
  });

  it("starts the next business day when ordered at or after the cutoff", () => {
    // Monday 14:00 in Toronto: the cutoff hour itself is late
    expect(expectedShipDate(new Date("2025-03-03T19:00:00Z"), rules, toronto)).toBe("2025-03-05");
  });

  it("an order on Friday evening ships after the weekend", () => {
    // Friday 20:00 Toronto -> day zero Monday -> ships Tuesday
    expect(expectedShipDate(new Date("2025-03-08T01:00:00Z"), rules, toronto)).toBe("2025-03-11");
    // Saturday morning is a closed day too
    expect(expectedShipDate(new Date("2025-03-08T14:00:00Z"), rules, toronto)).toBe("2025-03-11");
    // Zero processing days from Saturday: Monday
    expect(expectedShipDate(new Date("2025-03-08T14:00:00Z"), { ...rules, processingBusinessDays: 0 }, toronto)).toBe(
      "2025-03-10",
    );
  });

  it("uses the shop's calendar day, which may differ from UTC's", () => {
    // 2025-03-03T16:00Z is Tuesday 01:00 in Seoul: Tuesday's order, ships Wednesday.
    expect(expectedShipDate(new Date("2025-03-03T16:00:00Z"), rules, seoul)).toBe("2025-03-05");
  });

  it("is right across the DST change", () => {
    // Friday 7 March 2025 13:30 EST (before the cutoff); DST starts Sunday 9 March.
    expect(expectedShipDate(new Date("2025-03-07T18:30:00Z"), rules, toronto)).toBe("2025-03-10");
    // Monday 10 March 13:30 EDT is 17:30Z: still before the cutoff in the new offset.
    expect(expectedShipDate(new Date("2025-03-10T17:30:00Z"), rules, toronto)).toBe("2025-03-11");
    // 18:30Z on that Monday is 14:30 EDT: past the cutoff.
    expect(expectedShipDate(new Date("2025-03-10T18:30:00Z"), rules, toronto)).toBe("2025-03-12");
  });
});

describe("transit statistics", () => {
  it("takes nearest-rank percentiles and the median", () => {
    const s = transitStats([5, 1, 2, 3, 4, 2, 3, 3, 4, 10])!;
    expect(s).toMatchObject({ samples: 10, median: 3, p20: 2, p80: 4, min: 1, max: 10 });
    expect(s.shareByP80).toBe(0.8);
    expect(percentile([1], 80)).toBe(1);
    expect(transitStats([])).toBeNull();
  });

  it("is confident with many similar deliveries, less with few or scattered ones", () => {
    expect(historyConfidence(transitStats(Array.from({ length: 25 }, (_, i) => 3 + (i % 2)))!)).toBe("high");
    expect(historyConfidence(transitStats([2, 3, 3, 4, 4, 5, 3, 4, 3, 4, 6, 2])!)).toBe("medium");
    expect(historyConfidence(transitStats([1, 3, 9, 12, 2, 8])!)).toBe("low");
  });
});

describe("delivery estimate", () => {
  const base = {
    orderedAt: new Date("2025-03-03T15:00:00Z"),
    shippedAt: new Date("2025-03-04T20:00:00Z"), // Tuesday 15:00 Toronto
    carrierEstimate: null,
    destinationCountry: "CA",
    history: null,
    rules,
    calendar: toronto,
  };

  it("uses the carrier's date when there is one, on the shop's calendar", () => {
    const e = estimateDelivery({ ...base, carrierEstimate: new Date("2025-03-07T03:00:00Z") });
    expect(e).toMatchObject({ earliest: "2025-03-06", latest: "2025-03-06", source: "carrier", confidence: "high" });
  });

  it("uses this shop's history for the carrier and country when there is enough of it", () => {
    const stats = transitStats([2, 2, 3, 3, 3, 3, 3, 4, 4, 5, 3, 3, 2, 3, 4, 3, 3, 3, 2, 3])!;
    const e = estimateDelivery({ ...base, history: { stats, scope: "carrier_country" } });
    // 4 of 20 took 2 days, 12 took 3: the window is Thursday..Friday after Tuesday's shipment.
    expect(e).toMatchObject({ earliest: "2025-03-06", latest: "2025-03-07", source: "history", confidence: "high" });
    expect(e.basis).toEqual({ samples: 20, withinWindowShare: 0.8, scope: "carrier_country" });
  });

  it("falls back to the merchant's rules when history is too thin", () => {
    const e = estimateDelivery({ ...base, history: { stats: transitStats([3, 3, 3, 3])!, scope: "country" } });
    expect(e).toMatchObject({
      earliest: "2025-03-06",
      latest: "2025-03-10",
      source: "rules",
      confidence: "low",
      basis: null,
    });
  });

  it("uses the default transit range for countries without their own", () => {
    const e = estimateDelivery({ ...base, destinationCountry: "JP" });
    expect(e).toMatchObject({ earliest: "2025-03-07", latest: "2025-03-13" });
  });

  it("before shipping, counts from the expected ship date", () => {
    const e = estimateDelivery({ ...base, shippedAt: null });
    expect(e).toMatchObject({ earliest: "2025-03-06", latest: "2025-03-10", source: "rules" });
  });
});
