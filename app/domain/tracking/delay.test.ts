import { describe, expect, it } from "vitest";

import { assessShipmentDelay, assessUnfulfilledDelay, type DelayRules } from "./delay";
import type { BusinessCalendar } from "./calendar";

const rules: DelayRules = { unfulfilledAfterBusinessDays: 3, noScanForBusinessDays: 4, pastEstimate: true };
const la: BusinessCalendar = { timeZone: "America/Los_Angeles" };

describe("unfulfilled too long", () => {
  const orderedAt = new Date("2025-03-03T18:00:00Z"); // Monday 10:00 in Los Angeles

  it("is on time until the Nth business day has passed", () => {
    // Thursday 23:59 LA: 3 business days have passed (Tue, Wed, Thu) -> not yet late
    expect(
      assessUnfulfilledDelay({ orderedAt, now: new Date("2025-03-07T07:59:00Z"), calendar: la, rules }),
    ).toBeNull();
    // Friday 00:01 LA
    expect(assessUnfulfilledDelay({ orderedAt, now: new Date("2025-03-07T08:01:00Z"), calendar: la, rules })).toEqual({
      reason: "unfulfilled_too_long",
      lateSince: "2025-03-07",
    });
  });

  it("does not count the weekend", () => {
    const friday = new Date("2025-03-07T18:00:00Z");
    // Wednesday 12 March LA: Mon, Tue, Wed passed = 3 -> not late
    expect(
      assessUnfulfilledDelay({ orderedAt: friday, now: new Date("2025-03-12T20:00:00Z"), calendar: la, rules }),
    ).toBeNull();
    expect(
      assessUnfulfilledDelay({ orderedAt: friday, now: new Date("2025-03-13T20:00:00Z"), calendar: la, rules })
        ?.lateSince,
    ).toBe("2025-03-13");
  });

  it("is off when the merchant turned the rule off", () => {
    expect(
      assessUnfulfilledDelay({
        orderedAt,
        now: new Date("2025-04-01T00:00:00Z"),
        calendar: la,
        rules: { ...rules, unfulfilledAfterBusinessDays: null },
      }),
    ).toBeNull();
  });
});

describe("shipment delays", () => {
  const shippedAt = new Date("2025-03-03T20:00:00Z"); // Monday 12:00 LA

  it("is past the estimate from the day after its last day", () => {
    const input = {
      stage: "in_transit" as const,
      shippedAt,
      lastScanAt: new Date("2025-03-06T20:00:00Z"),
      estimatedBy: "2025-03-07",
      calendar: la,
      rules,
    };
    expect(assessShipmentDelay({ ...input, now: new Date("2025-03-08T07:30:00Z") })).toBeNull(); // still Friday in LA
    expect(assessShipmentDelay({ ...input, now: new Date("2025-03-08T08:30:00Z") })).toEqual({
      reason: "past_estimate",
      lateSince: "2025-03-08",
    });
  });

  it("notices a parcel that has not been scanned for N business days", () => {
    const input = {
      stage: "in_transit" as const,
      shippedAt,
      lastScanAt: new Date("2025-03-04T20:00:00Z"),
      estimatedBy: null,
      calendar: la,
      rules,
    };
    // Last scan Tuesday; Wed, Thu, Fri, Mon = 4 business days by Monday night
    expect(assessShipmentDelay({ ...input, now: new Date("2025-03-11T06:00:00Z") })).toBeNull();
    expect(assessShipmentDelay({ ...input, now: new Date("2025-03-11T20:00:00Z") })).toEqual({
      reason: "no_carrier_scan",
      lateSince: "2025-03-11",
    });
  });

  it("counts from the shipment when there was never a scan", () => {
    const d = assessShipmentDelay({
      stage: "shipped",
      shippedAt,
      lastScanAt: null,
      estimatedBy: null,
      now: new Date("2025-03-10T20:00:00Z"),
      calendar: la,
      rules,
    });
    expect(d).toEqual({ reason: "no_carrier_scan", lateSince: "2025-03-10" });
  });

  it("a delivered parcel is never late, and rules can be switched off", () => {
    const late = {
      shippedAt,
      lastScanAt: null,
      estimatedBy: "2025-03-04",
      now: new Date("2025-04-01T00:00:00Z"),
      calendar: la,
    };
    expect(assessShipmentDelay({ ...late, stage: "delivered", rules })).toBeNull();
    expect(
      assessShipmentDelay({
        ...late,
        stage: "in_transit",
        rules: { unfulfilledAfterBusinessDays: null, noScanForBusinessDays: null, pastEstimate: false },
      }),
    ).toBeNull();
  });
});
