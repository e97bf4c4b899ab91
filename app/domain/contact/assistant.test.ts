import { describe, expect, it } from "vitest";

import {
  ASSISTANT_COPY,
  formatCivilDate,
  formatInstant,
  intentsOf,
  orderDetailsIn,
  orderStatusText,
  type AssistantOrder,
} from "./assistant";
import { LANGUAGES, parseContactSettings, readContactSettings, type Language } from "./settings";

describe("what a message asks for", () => {
  const cases: [Language, string, string[]][] = [
    ["en", "Where is my order?", ["order_status"]],
    ["en", "my package hasn't arrived yet", ["order_status"]],
    ["en", "How long does shipping take?", []],
    ["en", "I want a refund", ["return"]],
    ["en", "can I talk to a person please", ["human"]],
    ["en", "I need to talk to you about my refund", ["return"]],
    ["en", "could I speak with someone", ["human"]],
    ["ko", "제 주문 어디쯤 왔나요?", ["order_status"]],
    ["ko", "배송 기간은 얼마나 걸리나요?", []],
    ["ko", "반품하고 싶어요", ["return"]],
    ["ko", "상담원 연결해 주세요", ["human"]],
    ["ja", "荷物がまだ届かない", ["order_status"]],
    ["ja", "返品したいです", ["return"]],
    ["ja", "担当者と話したい", ["human"]],
    ["fa", "سفارشم کجاست؟", ["order_status"]],
    ["fa", "می‌خواهم کالا را مرجوع کنم", ["return"]],
    ["fa", "می‌خواهم با اپراتور صحبت کنم", ["human"]],
    ["fa", "ارسال چقدر طول می‌کشد؟", []],
  ];
  for (const [language, text, expected] of cases) {
    it(`${language}: "${text}" → ${expected.join(", ") || "nothing"}`, () => {
      expect([...intentsOf(text, language)].sort()).toEqual(expected);
    });
  }
  it("understands English words in another language's chat", () => {
    expect(intentsOf("tracking 번호", "ko").has("order_status")).toBe(true);
  });
});

describe("order number and email in a message", () => {
  it.each([
    ["#1001 jane@example.com", "#1001", "jane@example.com"],
    ["order 1001, email Jane@Example.com.", "#1001", "jane@example.com"],
    ["注文番号は＃１００２です", "#1002", null],
    ["سفارش ۱۰۰۳ و ایمیل a@b.ir", "#1003", "a@b.ir"],
    ["SH-2001 please", "#SH-2001", null],
    ["it cost 120 dollars", null, null],
    ["jane1001@example.com", null, "jane1001@example.com"],
  ])("%s", (text, order, email) => {
    expect(orderDetailsIn(text)).toEqual({ order, email });
  });
});

describe("words", () => {
  it("every language has every phrase, none empty", () => {
    const shape = (o: object): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === "object" ? shape(v).map((s) => `${k}.${s}`) : [k]));
    const en = shape(ASSISTANT_COPY.en).sort();
    for (const language of LANGUAGES) {
      expect(shape(ASSISTANT_COPY[language]).sort()).toEqual(en);
      const strings = Object.values(ASSISTANT_COPY[language]).flatMap((v) =>
        typeof v === "string" ? [v] : typeof v === "function" ? [v("X")] : Object.values(v),
      );
      for (const s of strings) expect(String(s).trim()).not.toBe("");
    }
  });

  it("says when in the shop's time zone and the shopper's language", () => {
    const at = new Date("2026-12-07T14:00:00Z"); // Monday 09:00 in New York
    expect(formatInstant(at, "en", "America/New_York")).toMatch(/Mon.*Dec.*7.*9:00.*AM.*EST/);
    expect(formatInstant(at, "ko", "Asia/Seoul")).toMatch(/12월.*7일|12\. 7\./);
    expect(formatInstant(at, "ja", "Asia/Tokyo")).toContain("23:00");
    // Persian: its own digits (and calendar).
    expect(formatInstant(at, "fa", "Asia/Tehran")).toMatch(/[۰-۹]/);
    expect(formatCivilDate("2026-12-09", "en")).toBe("Wed, Dec 9");
  });

  it("describes an order's shipments", () => {
    const order: AssistantOrder = {
      name: "#1001",
      placedAt: "2026-12-01T10:00:00Z",
      cancelled: false,
      preparing: null,
      shipments: [
        {
          number: 1,
          stage: "in_transit",
          problem: null,
          carrier: "UPS",
          trackingNumber: "1Z999",
          trackingUrl: "https://ups.example/1Z999",
          deliveredAt: null,
          estimate: { earliest: "2026-12-08", latest: "2026-12-09" },
        },
      ],
    };
    expect(orderStatusText(order, "en")).toBe(
      "Order #1001: on its way · expected Tue, Dec 8 – Wed, Dec 9 · UPS 1Z999 · https://ups.example/1Z999",
    );
    expect(orderStatusText({ ...order, cancelled: true }, "ja")).toBe("ご注文 #1001: キャンセル済み");
  });
});

describe("the Contact setting that turns the assistant off", () => {
  it("is on by default, for new settings and settings saved before it existed", () => {
    expect(readContactSettings(null).assistant.enabled).toBe(true);
    expect(readContactSettings(JSON.stringify({ faq: [] })).assistant.enabled).toBe(true);
  });
  it("is saved off, and refuses what is not a yes or no", () => {
    const off = parseContactSettings({ assistant: { enabled: false } });
    expect(off.ok && off.settings.assistant.enabled).toBe(false);
    expect(parseContactSettings({ assistant: { enabled: "no" } }).ok).toBe(false);
  });
});
