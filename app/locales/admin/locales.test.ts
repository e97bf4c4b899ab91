/**
 * The admin's locale files: every message English has is in Korean and Japanese (the Shopify admin
 * languages Aftercare speaks), with the same placeholders and a form for each plural category the
 * language has, so a page in Japanese shows no English. Persian, which the Shopify admin does not
 * offer, may fall back to English key by key.
 */
import { describe, expect, it } from "vitest";

import en from "./en.json";
import fa from "./fa.json";
import ja from "./ja.json";
import ko from "./ko.json";

import { translator } from "./index";

type Message = string | Record<string, string>;
const placeholders = (m: Message) =>
  [...new Set([...(typeof m === "string" ? [m] : Object.values(m)).join(" ").matchAll(/\{(\w+)\}/g)].map((x) => x[1]))]
    .filter((name) => name !== "count")
    .sort();

describe.each([
  ["ko", ko as Record<string, Message>],
  ["ja", ja as Record<string, Message>],
])("the admin in %s", (locale, messages) => {
  const english = en as Record<string, Message>;
  it("has every English message, and nothing English does not", () => {
    expect(Object.keys(english).filter((k) => !(k in messages))).toEqual([]);
    expect(Object.keys(messages).filter((k) => !(k in english))).toEqual([]);
  });
  it("keeps English's placeholders and gives each plural category of the language a form", () => {
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    for (const [key, message] of Object.entries(messages)) {
      expect(placeholders(message), key).toEqual(placeholders(english[key]));
      if (typeof english[key] !== "string") {
        expect(typeof message, key).toBe("object");
        for (const c of categories) expect((message as Record<string, string>)[c], `${key}.${c}`).toBeTruthy();
      }
    }
  });
  it("is not English where English is a sentence", () => {
    // A message spelled the same as English's is an untranslated one (codes like "{text}" aside).
    const same = Object.entries(messages).filter(
      ([key, m]) => typeof m === "string" && m === english[key] && /[a-z]{3,}/.test(m.replace(/\{\w+\}/g, "")),
    );
    expect(same.map(([k]) => k)).toEqual([]);
  });
});

describe("Persian", () => {
  it("has only keys English has", () => {
    expect(Object.keys(fa).filter((k) => !(k in en))).toEqual([]);
  });
});

describe("translator", () => {
  it("chooses plural forms by the language's rules and writes numbers its way", () => {
    const t = translator("en");
    expect(t("form.notSaved.count", { count: 1 })).toBe("1 thing to fix before this can be saved");
    expect(t("form.notSaved.count", { count: 1200 })).toBe("1,200 things to fix before this can be saved");
    expect(translator("ja")("form.notSaved.count", { count: 1 })).toBe("保存する前に直す箇所が1件あります");
  });
});
