import { describe, expect, it } from "vitest";

import { formatMoney, fromMinor, minorDigits, toMinor } from "./money";

describe("money in minor units", () => {
  it("knows how many minor digits a currency has", () => {
    expect(minorDigits("USD")).toBe(2);
    expect(minorDigits("JPY")).toBe(0);
    expect(minorDigits("KWD")).toBe(3);
    expect(minorDigits("XXX")).toBe(2);
  });

  it("parses Shopify's decimal strings exactly", () => {
    expect(toMinor("414.95", "USD")).toBe(41495);
    expect(toMinor("0.10", "USD")).toBe(10);
    expect(toMinor("10.0", "USD")).toBe(1000);
    expect(toMinor("1.005", "USD")).toBe(101);
    expect(toMinor("1200", "JPY")).toBe(1200);
    expect(toMinor("1.234", "KWD")).toBe(1234);
    expect(toMinor("-5.50", "EUR")).toBe(-550);
    expect(toMinor(89.99, "USD")).toBe(8999);
    expect(toMinor(null, "USD")).toBe(0);
    // 0.1 + 0.2 style float error never reaches the result.
    expect(toMinor("19.99", "USD") * 3).toBe(5997);
  });

  it("refuses text that is not an amount", () => {
    expect(() => toMinor("12,50", "EUR")).toThrow(/not an amount/);
  });

  it("formats back to decimals and for people", () => {
    expect(fromMinor(41495, "USD")).toBe("414.95");
    expect(fromMinor(5, "USD")).toBe("0.05");
    expect(fromMinor(-550, "EUR")).toBe("-5.50");
    expect(fromMinor(1200, "JPY")).toBe("1200");
    expect(formatMoney({ amountMinor: 41495, currency: "USD" })).toBe("$414.95");
  });
});
