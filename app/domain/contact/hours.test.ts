import { describe, expect, it } from "vitest";

import { businessMillisBetween, expectedReplyBy, isOpenAt, nextOpening, type BusinessHours } from "./hours";

const nineToFive = { open: "09:00", close: "17:00" };
const weekdays = (tz: string, holidays: string[] = []): BusinessHours => ({
  timeZone: tz,
  weekly: [null, nineToFive, nineToFive, nineToFive, nineToFive, nineToFive, null],
  holidays,
});
const MIN = 60_000;

describe("business hours in the shop's time zone", () => {
  it("is open on a weekday afternoon in Seoul and closed at night", () => {
    const h = weekdays("Asia/Seoul");
    expect(isOpenAt(new Date("2026-03-02T05:00:00Z"), h)).toBe(true); // Mon 14:00 KST
    expect(isOpenAt(new Date("2026-03-02T08:00:00Z"), h)).toBe(false); // Mon 17:00 KST: closed at close
    expect(isOpenAt(new Date("2026-03-01T23:59:00Z"), h)).toBe(false); // Mon 08:59 KST
  });

  it("says when it opens next: Friday evening -> Monday 09:00 local", () => {
    const h = weekdays("America/Toronto");
    // Mon 09:00 EDT (DST began Mar 8)
    expect(nextOpening(new Date("2026-03-06T23:00:00Z"), h)?.toISOString()).toBe("2026-03-09T13:00:00.000Z");
    expect(nextOpening(new Date("2026-03-02T15:00:00Z"), h)).toBeNull();
  });

  it("skips holidays", () => {
    const h = weekdays("Europe/Berlin", ["2026-12-25"]);
    expect(isOpenAt(new Date("2026-12-25T10:00:00Z"), h)).toBe(false);
    expect(nextOpening(new Date("2026-12-24T17:00:00Z"), h)?.toISOString()).toBe("2026-12-28T08:00:00.000Z");
  });

  it("counts only opening time between two instants, across a weekend", () => {
    const h = weekdays("UTC");
    // Fri 16:30 -> Mon 09:30: 30 min on Friday, 30 on Monday.
    expect(businessMillisBetween(new Date("2026-03-06T16:30:00Z"), new Date("2026-03-09T09:30:00Z"), h)).toBe(60 * MIN);
    expect(businessMillisBetween(new Date("2026-03-09T10:00:00Z"), new Date("2026-03-09T09:00:00Z"), h)).toBe(0);
  });

  it("keeps 8 wall-clock hours on the day daylight saving starts and ends", () => {
    const spring: BusinessHours = {
      timeZone: "America/New_York",
      weekly: Array(7).fill({ open: "00:00", close: "08:00" }),
      holidays: [],
    };
    // On 2026-03-08 clocks jump 02:00 -> 03:00: midnight to 08:00 is 7 real hours.
    expect(businessMillisBetween(new Date("2026-03-08T04:00:00Z"), new Date("2026-03-08T13:00:00Z"), spring)).toBe(
      7 * 60 * MIN,
    );
    // On 2026-11-01 01:00 repeats: 9 real hours.
    expect(businessMillisBetween(new Date("2026-11-01T04:00:00Z"), new Date("2026-11-01T14:00:00Z"), spring)).toBe(
      9 * 60 * MIN,
    );
  });

  it("promises a reply within opening time", () => {
    const h = weekdays("UTC");
    // Friday 16:00 + 2 business hours -> Monday 10:00.
    expect(expectedReplyBy(new Date("2026-03-06T16:00:00Z"), 120, h)?.toISOString()).toBe("2026-03-09T10:00:00.000Z");
    expect(expectedReplyBy(new Date("2026-03-07T12:00:00Z"), 60, h)?.toISOString()).toBe("2026-03-09T10:00:00.000Z");
  });

  it("has no next opening or reply time when never open", () => {
    const closed: BusinessHours = { timeZone: "UTC", weekly: Array(7).fill(null), holidays: [] };
    expect(nextOpening(new Date(), closed)).toBeNull();
    expect(expectedReplyBy(new Date(), 60, closed)).toBeNull();
  });
});
