import { describe, expect, it } from "vitest";

import {
  addBusinessDays,
  addDays,
  businessDaysBetween,
  isBusinessDay,
  isCivilDate,
  isValidTimeZone,
  localDate,
  localHour,
  nextBusinessDay,
  startOfLocalDay,
  zonedTimeToUtc,
  zoneOffsetMinutes,
  type BusinessCalendar,
} from "./calendar";

const ny: BusinessCalendar = { timeZone: "America/New_York" };

describe("local dates in the shop's time zone", () => {
  it("reads the calendar day where the shop is, not in UTC", () => {
    const instant = new Date("2025-03-04T02:30:00Z"); // Monday evening in New York, Tuesday in Seoul
    expect(localDate(instant, "America/New_York")).toBe("2025-03-03");
    expect(localDate(instant, "Asia/Seoul")).toBe("2025-03-04");
    expect(localDate(instant, "UTC")).toBe("2025-03-04");
    expect(localHour(instant, "Asia/Tehran")).toBe(6);
  });

  it("knows zones with half-hour offsets", () => {
    expect(zoneOffsetMinutes(new Date("2025-01-15T12:00:00Z"), "Asia/Tehran")).toBe(210);
    expect(zoneOffsetMinutes(new Date("2025-01-15T12:00:00Z"), "Asia/Kolkata")).toBe(330);
  });

  it("follows daylight saving time", () => {
    expect(zoneOffsetMinutes(new Date("2025-01-15T12:00:00Z"), "America/New_York")).toBe(-300);
    expect(zoneOffsetMinutes(new Date("2025-07-15T12:00:00Z"), "America/New_York")).toBe(-240);
    expect(zoneOffsetMinutes(new Date("2025-07-15T12:00:00Z"), "Australia/Sydney")).toBe(600);
    expect(zoneOffsetMinutes(new Date("2025-01-15T12:00:00Z"), "Australia/Sydney")).toBe(660);
  });

  it("turns a wall-clock time into the right instant on both sides of DST", () => {
    expect(zonedTimeToUtc("2025-03-08", 14, 0, "America/New_York").toISOString()).toBe("2025-03-08T19:00:00.000Z");
    expect(zonedTimeToUtc("2025-03-10", 14, 0, "America/New_York").toISOString()).toBe("2025-03-10T18:00:00.000Z");
  });

  it("moves a time skipped by spring-forward past the gap", () => {
    // 02:30 does not exist in New York on 9 March 2025: clocks jump from 02:00 to 03:00.
    const t = zonedTimeToUtc("2025-03-09", 2, 30, "America/New_York");
    expect(t.toISOString()).toBe("2025-03-09T07:30:00.000Z");
    expect(localHour(t, "America/New_York")).toBe(3);
  });

  it("takes the first of a time repeated by fall-back", () => {
    // 01:30 happens twice in New York on 2 November 2025: EDT first, then EST.
    expect(zonedTimeToUtc("2025-11-02", 1, 30, "America/New_York").toISOString()).toBe("2025-11-02T05:30:00.000Z");
  });

  it("finds the start of a day that begins at 01:00 because DST starts at midnight", () => {
    // Santiago springs forward at 24:00 on 6 September 2025: 7 September starts at 01:00 (-03).
    const start = startOfLocalDay("2025-09-07", "America/Santiago");
    expect(start.toISOString()).toBe("2025-09-07T04:00:00.000Z");
    expect(localDate(start, "America/Santiago")).toBe("2025-09-07");
    expect(localDate(new Date(start.getTime() - 1), "America/Santiago")).toBe("2025-09-06");
  });

  it("a 23-hour and a 25-hour day still count as one day each", () => {
    expect(addDays("2025-03-08", 1)).toBe("2025-03-09");
    expect(addDays("2025-03-09", 1)).toBe("2025-03-10");
    expect(addDays("2025-11-01", 2)).toBe("2025-11-03");
    const springDay =
      startOfLocalDay("2025-03-10", "America/New_York").getTime() -
      startOfLocalDay("2025-03-09", "America/New_York").getTime();
    expect(springDay).toBe(23 * 3_600_000);
  });

  it("validates dates and zones", () => {
    expect(isCivilDate("2024-02-29")).toBe(true);
    expect(isCivilDate("2025-02-29")).toBe(false);
    expect(isCivilDate("2025-2-1")).toBe(false);
    expect(isValidTimeZone("Asia/Seoul")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });
});

describe("business days", () => {
  it("skips Saturday and Sunday by default", () => {
    expect(isBusinessDay("2025-03-07", ny)).toBe(true); // Friday
    expect(isBusinessDay("2025-03-08", ny)).toBe(false);
    expect(isBusinessDay("2025-03-09", ny)).toBe(false);
    expect(addBusinessDays("2025-03-07", 1, ny)).toBe("2025-03-10");
    expect(addBusinessDays("2025-03-03", 5, ny)).toBe("2025-03-10");
    expect(addBusinessDays("2025-03-10", -1, ny)).toBe("2025-03-07");
  });

  it("adding zero from a weekend lands on Monday", () => {
    expect(addBusinessDays("2025-03-08", 0, ny)).toBe("2025-03-10");
    expect(addBusinessDays("2025-03-07", 0, ny)).toBe("2025-03-07");
    expect(nextBusinessDay("2025-03-09", ny)).toBe("2025-03-10");
  });

  it("honours a different weekend (Friday and Saturday) and holidays", () => {
    const gulf: BusinessCalendar = { timeZone: "Asia/Dubai", weekend: [5, 6] };
    expect(addBusinessDays("2025-03-06", 1, gulf)).toBe("2025-03-09"); // Thursday -> Sunday
    const withHoliday: BusinessCalendar = { timeZone: "Asia/Seoul", holidays: ["2025-03-03"] };
    expect(addBusinessDays("2025-02-28", 1, withHoliday)).toBe("2025-03-04");
    expect(businessDaysBetween("2025-02-28", "2025-03-04", withHoliday)).toBe(1);
  });

  it("counts business days that pass between two days", () => {
    expect(businessDaysBetween("2025-03-03", "2025-03-03", ny)).toBe(0);
    expect(businessDaysBetween("2025-03-03", "2025-03-10", ny)).toBe(5);
    expect(businessDaysBetween("2025-03-07", "2025-03-10", ny)).toBe(1);
    expect(businessDaysBetween("2025-03-08", "2025-03-09", ny)).toBe(0);
    expect(businessDaysBetween("2025-03-10", "2025-03-03", ny)).toBe(-5);
    expect(businessDaysBetween("2025-01-01", "2025-12-31", ny)).toBe(260);
  });

  it("agrees with adding for every start day and distance in a month", () => {
    for (let start = 0; start < 14; start++) {
      const from = addDays("2025-06-01", start);
      if (!isBusinessDay(from, ny)) continue;
      for (let n = 0; n <= 25; n++) {
        expect(businessDaysBetween(from, addBusinessDays(from, n, ny), ny)).toBe(n);
      }
    }
  });

  it("refuses a week with no working day", () => {
    expect(() => addBusinessDays("2025-03-03", 1, { timeZone: "UTC", weekend: [0, 1, 2, 3, 4, 5, 6] })).toThrow(
      /working weekday/,
    );
  });
});
