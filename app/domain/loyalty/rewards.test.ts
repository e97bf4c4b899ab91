import { describe, expect, it } from "vitest";

import { parseRewardTitles, rewardTitleFor } from "./rewards";

describe("a reward's title in the shopper's language", () => {
  const reward = { title: "$5 off", titles: JSON.stringify({ ko: "$5 할인", ja: "", fa: "۵ دلار تخفیف" }) };

  it("is the merchant's translation, by language whatever the region", () => {
    expect(rewardTitleFor(reward, "ko")).toBe("$5 할인");
    expect(rewardTitleFor(reward, "ko-KR")).toBe("$5 할인");
    expect(rewardTitleFor(reward, "fa")).toBe("۵ دلار تخفیف");
  });

  it("falls back to the English title for English, an empty translation and a language the app lacks", () => {
    expect(rewardTitleFor(reward, "en")).toBe("$5 off");
    expect(rewardTitleFor(reward, "ja")).toBe("$5 off");
    expect(rewardTitleFor(reward, "de")).toBe("$5 off");
    expect(rewardTitleFor(reward, "constructor")).toBe("$5 off");
  });

  it("reads a row saved before translations, or an unreadable one, as having none", () => {
    expect(rewardTitleFor({ title: "Free shipping", titles: "{}" }, "ko")).toBe("Free shipping");
    expect(rewardTitleFor({ title: "Free shipping", titles: "not json" }, "ko")).toBe("Free shipping");
    expect(rewardTitleFor({ title: "Free shipping", titles: null }, "fa")).toBe("Free shipping");
    expect(parseRewardTitles(JSON.stringify({ ko: 5 }))).toEqual({ ko: "", ja: "", fa: "" });
  });
});
