import { describe, expect, it } from "vitest";

import { formToSettings, settingsToForm } from "./admin-form";
import { currencyNameFor, DEFAULT_SETTINGS, loyaltySettingsSchema, tierNameFor } from "./settings";

describe("what points are called", () => {
  it("uses each language's own word while the merchant keeps the default name", () => {
    expect(currencyNameFor(DEFAULT_SETTINGS, "en")).toBe("points");
    expect(currencyNameFor(DEFAULT_SETTINGS, "ko-KR")).toBe("포인트");
    expect(currencyNameFor(DEFAULT_SETTINGS, "ja")).toBe("ポイント");
    expect(currencyNameFor(DEFAULT_SETTINGS, "fa")).toBe("امتیاز");
    expect(currencyNameFor(DEFAULT_SETTINGS, "de")).toBe("points");
  });

  it("keeps a merchant's own names, and their English brand name where a language has none", () => {
    const named = loyaltySettingsSchema.parse({ currencyName: { en: "Maple Leaves", ko: "메이플 잎" } });
    expect(currencyNameFor(named, "ko")).toBe("메이플 잎");
    expect(currencyNameFor(named, "ja")).toBe("Maple Leaves");
    expect(currencyNameFor(named, "en-GB")).toBe("Maple Leaves");
  });
});

describe("tier names in the shopper's language", () => {
  const tiers = [
    { key: "silver", name: "Silver", names: { fa: "نقره‌ای", ko: "실버" }, thresholdMinor: 0, multiplier: 1 },
    { key: "gold", name: "Gold", thresholdMinor: 50_000, multiplier: 1.5 },
  ];

  it("shows the merchant's translation where there is one, the English name elsewhere", () => {
    const [silver, gold] = loyaltySettingsSchema.parse({ tiers }).tiers;
    expect(silver.names).toEqual({ ko: "실버", ja: "", fa: "نقره‌ای" });
    expect(tierNameFor(silver, "fa")).toBe("نقره‌ای");
    expect(tierNameFor(silver, "ko-KR")).toBe("실버");
    expect(tierNameFor(silver, "ja")).toBe("Silver");
    expect(tierNameFor(silver, "en")).toBe("Silver");
    // Settings saved before names existed read as no translations.
    expect(gold.names).toEqual({ ko: "", ja: "", fa: "" });
    expect(tierNameFor(gold, "fa")).toBe("Gold");
  });

  it("keeps translated names through the admin form and refuses one over 40 characters", () => {
    const settings = loyaltySettingsSchema.parse({ tiers });
    const form = settingsToForm(settings, "CAD");
    expect(form.tiers[0].names).toEqual({ ko: "실버", ja: "", fa: "نقره‌ای" });
    form.tiers[0].names.ja = "シルバー";
    const back = formToSettings(form, "CAD");
    expect(back.ok && loyaltySettingsSchema.parse(back.settings).tiers[0].names).toEqual({
      ko: "실버",
      ja: "シルバー",
      fa: "نقره‌ای",
    });
    const long = loyaltySettingsSchema.safeParse({ tiers: [{ ...tiers[0], names: { fa: "ن".repeat(41) } }] });
    expect(long.success).toBe(false);
    if (!long.success) expect(long.error.issues[0].path).toEqual(["tiers", 0, "names", "fa"]);
  });
});
