import { describe, expect, it } from "vitest";

import { ADMIN_LOCALES, adminLocale, translator } from "../../locales/admin";
import en from "../../locales/admin/en.json";
import fa from "../../locales/admin/fa.json";
import ja from "../../locales/admin/ja.json";
import ko from "../../locales/admin/ko.json";

import { importSummary, timeLeft } from "./summary";

/** The Sync page's line about an import and its counts, in the admin's four languages. */
const base = { windowDays: 90, total: 0, done: 0, secondsLeft: null, details: null };

describe("the Sync page's words", () => {
  it("writes counts in their plural forms, with the language's digits", () => {
    const t = { en: translator("en"), ko: translator("ko"), ja: translator("ja"), fa: translator("fa") };
    expect(t.en("sync.events.processed", { count: 1 })).toBe("1 event processed in the last 24 hours");
    expect(t.en("sync.events.processed", { count: 0 })).toBe("0 events processed in the last 24 hours");
    expect(t.en("sync.events.processed", { count: 1200 })).toBe("1,200 events processed in the last 24 hours");
    expect(t.ko("sync.events.processed", { count: 1 })).toBe("최근 24시간 동안 이벤트 1건 처리됨");
    expect(t.ja("sync.events.processed", { count: 1 })).toBe("過去24時間に1件のイベントを処理しました");
    expect(t.fa("sync.events.processed", { count: 12 })).toBe("۱۲ رویداد در ۲۴ ساعت گذشته پردازش شد");
    expect(t.en("sync.events.parkedAfter", { count: 1 })).toBe("Parked after 1 attempt");
    expect(t.en("sync.events.queuedAgain", { count: 2 })).toBe("2 events queued again");
    const done = { ...base, status: "completed", done: 1 };
    expect(importSummary(done, t.en)).toBe("Done: 1 order from the last 90 days imported.");
    expect(importSummary({ ...done, done: 2 }, t.en)).toBe("Done: 2 orders from the last 90 days imported.");
    expect(importSummary(done, t.fa)).toBe("انجام شد: ۱ سفارش از ۹۰ روز گذشته وارد شد.");
    expect(importSummary(done, t.ja)).toBe("完了：過去90日間の1件の注文をインポートしました。");
    expect(importSummary(done, t.ko)).toBe("완료: 최근 90일간의 주문 1건을 가져왔습니다.");
  });

  it("says the time left at the rate of the phase under way, more finely as it nears the end", () => {
    const t = translator("en");
    const details = { ...base, status: "details", total: 500, done: 500, details: { total: 40, done: 10 } };
    expect(importSummary({ ...details, secondsLeft: 300 }, t)).toBe(
      "Reading shipments, refunds and returns of 40 past orders: 10 done, about 5 minutes left",
    );
    expect(importSummary({ ...details, secondsLeft: 42 }, t)).toBe(
      "Reading shipments, refunds and returns of 40 past orders: 10 done, about 40 seconds left",
    );
    expect(timeLeft(70, t)).toBe("about a minute left");
    expect(timeLeft(2, t)).toBe("about 5 seconds left");
    expect(timeLeft(42, translator("fa"))).toBe("حدود ۴۰ ثانیه مانده");
    expect(importSummary({ ...base, status: "applying", total: 1, done: 0, secondsLeft: null }, t)).toBe(
      "0 of 1 order imported",
    );
  });

  it("has every English message of the Sync page in every language, with the plural forms its rules use", () => {
    const files = { en, ko, ja, fa } as Record<string, Record<string, unknown>>;
    // The whole admin is checked in ko and ja (app/locales/admin/locales.test.ts); Persian, which
    // Shopify's admin does not offer, has the Sync page's words at least.
    const syncKeys = Object.keys(en)
      .filter((key) => key.startsWith("sync."))
      .sort();
    for (const locale of ADMIN_LOCALES) {
      const rules = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      expect(
        Object.keys(files[locale])
          .filter((key) => key.startsWith("sync."))
          .sort(),
      ).toEqual(syncKeys);
      for (const [key, message] of Object.entries(files[locale])) {
        if (typeof message === "string") continue;
        expect(Object.keys(message as object).sort(), `${locale} ${key}`).toEqual([...rules].sort());
      }
    }
  });

  it("takes the admin's language from Shopify's locale parameter", () => {
    expect(adminLocale(new Request("https://app.test/app/sync?locale=fa"))).toBe("fa");
    expect(adminLocale(new Request("https://app.test/app/sync?locale=ko-KR"))).toBe("ko");
    expect(adminLocale(new Request("https://app.test/app/sync?locale=de"))).toBe("en");
    expect(adminLocale(new Request("https://app.test/app/sync"))).toBe("en");
  });
});
