import { describe, expect, it } from "vitest";

import { currencyNameFor, DEFAULT_SETTINGS, loyaltySettingsSchema } from "./settings";

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
