import { describe, expect, it } from "vitest";

import { TranslationError, createI18n, createTranslate } from "./i18n";

const fallback = {
  points: { zero: "No points yet", one: "{{count}} point", other: "{{count}} points" },
  tiers: { gold: "Gold" },
  hello: "Hello {{name}}",
  onlyEnglish: "Only in English",
};

describe("the host's translate", () => {
  it("picks plural forms with the locale's rules and formats the count", () => {
    const en = createTranslate("en", { fallback });
    expect(en("points", { count: 0 })).toBe("No points yet");
    expect(en("points", { count: 1 })).toBe("1 point");
    expect(en("points", { count: 1200 })).toBe("1,200 points");
    const fa = createTranslate("fa", {
      locale: { points: { one: "{{count}} امتیاز", other: "{{count}} امتیاز" } },
      fallback,
    });
    expect(fa("points", { count: 3 })).toBe("۳ امتیاز");
    // Japanese has one form: "other" serves every count.
    const ja = createTranslate("ja", { locale: { points: { other: "{{count}} ポイント" } }, fallback });
    expect(ja("points", { count: 1 })).toBe("1 ポイント");
  });

  it("reads nested keys, falls back to the base language then the default file, and fills placeholders", () => {
    const t = createTranslate("pt-BR", {
      locale: { hello: "Olá {{name}}" },
      language: { tiers: { gold: "Ouro" } },
      fallback,
    });
    expect(t("hello", { name: "Ada" })).toBe("Olá Ada");
    expect(t("tiers.gold")).toBe("Ouro");
    expect(t("onlyEnglish")).toBe("Only in English");
  });

  it("answers pieces when a placeholder holds a component", () => {
    const t = createTranslate("en", { fallback });
    const link = { type: "s-link" };
    expect(t("hello", { name: link })).toEqual(["Hello ", link]);
  });

  it("throws on a missing key or placeholder value instead of showing nothing", () => {
    const t = createTranslate("en", { fallback });
    expect(() => t("nope")).toThrow(TranslationError);
    expect(() => t("hello")).toThrow(/needs a value for \{\{name\}\}/);
    expect(() => t("points")).toThrow(/pass count/);
  });

  it("formats money and dates in the shopper's locale and the shop's time zone", () => {
    const i18n = createI18n({ locale: "fa", currency: "USD", timeZone: "Asia/Tehran", files: { fallback } });
    expect(i18n.formatCurrency(12.5)).toContain("۱۲٫۵۰");
    // 22:00 UTC is already the next day in Tehran.
    const en = createI18n({ locale: "en", currency: "USD", timeZone: "Asia/Tehran", files: { fallback } });
    expect(en.formatDate(new Date("2030-01-01T22:00:00Z"), { day: "numeric", month: "numeric" })).toBe("1/2");
  });
});
