/**
 * Counts, numbers and dates on admin pages: plural forms by the language's rules (English
 * "1 point" / "2 points", Japanese and Korean one form), numbers in the language's way, instants
 * in the shop's time zone and a shop's calendar day never moved by a zone.
 */
import { describe, expect, it } from "vitest";

import { adminFormat } from "./format";

describe("adminFormat", () => {
  it("counts with English's plural forms: 1 point, 2 points", () => {
    const f = adminFormat("en");
    expect(f.count("count.points", 1)).toBe("1 point");
    expect(f.count("count.points", 2)).toBe("2 points");
    expect(f.count("count.points", 0)).toBe("0 points");
    expect(f.count("count.orders", 1200)).toBe("1,200 orders");
    expect(f.count("count.requests", 1)).toBe("1 request");
  });

  it("counts in Japanese and Korean, which have one form, with the language's numbers", () => {
    const ja = adminFormat("ja");
    expect(ja.count("count.points", 1)).toBe("1ポイント");
    expect(ja.count("count.points", 2)).toBe("2ポイント");
    expect(ja.count("count.orders", 1200)).toBe("1,200件の注文");
    const ko = adminFormat("ko");
    expect(ko.count("count.points", 1)).toBe("1포인트");
    expect(ko.count("count.members", 3)).toBe("회원 3명");
  });

  it("writes numbers, shares and money in the admin's language", () => {
    expect(adminFormat("en").number(1234.5)).toBe("1,234.5");
    expect(adminFormat("en").percent(0.035)).toBe("3.5%");
    expect(adminFormat("en").money(14_100, "USD")).toBe("$141.00");
    expect(adminFormat("ja").money(14_100, "JPY")).toBe("￥14,100");
    expect(adminFormat("ja").money(1_250, "USD")).toBe("$12.50");
  });

  it("shows an instant in the shop's time zone, naming the zone", () => {
    // 03:30 UTC on 6 December is still 5 December in New York.
    const at = "2026-12-06T03:30:00Z";
    expect(adminFormat("en", "America/New_York").date(at)).toBe("Dec 5, 2026");
    expect(adminFormat("en", "Asia/Tokyo").date(at)).toBe("Dec 6, 2026");
    expect(adminFormat("en", "America/New_York").dateTime(at)).toBe("Dec 5, 2026, 10:30 PM EST");
    expect(adminFormat("ja", "Asia/Tokyo").dateTime(at)).toBe("2026年12月6日 12:30 JST");
    expect(adminFormat("ja", "Asia/Tokyo").date(at)).toBe("2026/12/06");
  });

  it("shows a shop's calendar day as that day, and falls back to UTC for an unknown zone", () => {
    expect(adminFormat("en", "Pacific/Honolulu").day("2026-12-05")).toBe("Dec 5, 2026");
    expect(adminFormat("ko", "Asia/Seoul").day("2026-12-05")).toBe("2026. 12. 5.");
    expect(adminFormat("en", "Not/AZone").timeZone).toBe("UTC");
    expect(adminFormat("en", null).timeZone).toBe("UTC");
  });

  it("says how long ago an instant was in the admin's language, against the loader's clock", () => {
    const now = "2026-12-06T12:00:00Z";
    expect(adminFormat("en").ago("2026-12-06T11:55:00Z", now)).toBe("5 minutes ago");
    expect(adminFormat("en").ago("2026-12-06T10:00:00Z", now)).toBe("2 hours ago");
    expect(adminFormat("en").ago("2026-12-05T12:00:00Z", now)).toBe("yesterday");
    expect(adminFormat("ja").ago("2026-12-06T11:55:00Z", now)).toBe("5 分前");
    expect(adminFormat("ko").ago("2026-12-06T10:00:00Z", now)).toBe("2시간 전");
    // A clock a little ahead of the loader's is "now", never "in 3 seconds".
    expect(adminFormat("en").ago("2026-12-06T12:00:03Z", now)).toBe("now");
  });
});
