import { describe, expect, it } from "vitest";

import { fixtureFaq } from "../../../tests/helpers/faq-fixture";

import { answerText, indexFaq, normalizeText, searchFaq, similarity, stem, terms } from "./faq-search";
import type { Language } from "./settings";

const indexOf = (language: Language) =>
  indexFaq(
    fixtureFaq()
      .filter((f) => f.language === language)
      .map((f) => ({ id: f.id, question: f.question, category: f.category, answer: answerText(f.answerHtml) })),
  );

// Which question finds which answer: the expected entry comes first.
const CASES: Record<Language, [question: string, topic: string][]> = {
  en: [
    ["how long will shipping take", "shipping-time"],
    ["When will my delivery arrive, how many days?", "shipping-time"],
    ["can I return these shoes", "returns"],
    ["I want a refund", "returns"],
    ["do you take paypal", "payment"],
    ["I typed the wrong address, can I change it?", "address"],
    ["Do you ship to Japan?", "international"],
    ["shiping internationaly", "international"],
  ],
  ko: [
    ["배송 기간이 얼마나 걸려요?", "shipping-time"],
    ["반품하고 싶어요", "returns"],
    ["환불 받을 수 있나요", "returns"],
    ["카카오페이 되나요?", "payment"],
    ["주소를 바꾸고 싶어요", "address"],
    ["일본으로 해외 배송 가능한가요?", "international"],
  ],
  ja: [
    ["発送までどのくらい時間がかかる？", "shipping-time"],
    ["返品したいです", "returns"],
    ["返金はいつですか", "returns"],
    ["PayPayは使えますか", "payment"],
    ["住所を変更したい", "address"],
    ["韓国に海外発送できますか", "international"],
  ],
  fa: [
    ["ارسال چند روز طول میکشه؟", "shipping-time"],
    ["میخواهم کالا را مرجوع کنم", "returns"],
    ["با پی‌پال می‌شود پرداخت کرد؟", "payment"],
    ["آدرسم را اشتباه نوشتم، تغییرش می‌دهید؟", "address"],
    ["به خارج از کشور ارسال می‌کنید؟", "international"],
  ],
};

const UNRELATED: Record<Language, string> = {
  en: "what is the meaning of life",
  ko: "오늘 날씨 어때요",
  ja: "今日の天気は",
  fa: "هوای امروز چطور است",
};

describe("FAQ search finds the answer in each language", () => {
  for (const language of Object.keys(CASES) as Language[]) {
    const index = indexOf(language);
    for (const [question, topic] of CASES[language]) {
      it(`${language}: "${question}" → ${topic}`, () => {
        const hits = searchFaq(index, question);
        expect(hits[0]?.id, JSON.stringify(hits)).toBe(`${language}-${topic}`);
      });
    }
    it(`${language}: an unrelated question finds nothing`, () => {
      expect(searchFaq(index, UNRELATED[language])).toEqual([]);
    });
  }

  it("searches only the language it is given", () => {
    expect(searchFaq(indexOf("en"), "반품하고 싶어요")).toEqual([]);
    expect(searchFaq(indexOf("ko"), "How do I return an item?")).toEqual([]);
  });

  it("finds nothing in an empty FAQ or for an empty question", () => {
    expect(searchFaq(indexFaq([]), "return")).toEqual([]);
    expect(searchFaq(indexOf("en"), "  ?! ")).toEqual([]);
  });

  it("answers at most `limit` entries, best first, each above the cut", () => {
    const hits = searchFaq(indexOf("en"), "shipping", { limit: 2, minCoverage: 0 });
    expect(hits.length).toBeLessThanOrEqual(2);
    expect(hits[0].score).toBeGreaterThanOrEqual(hits.at(-1)!.score);
  });
});

describe("terms", () => {
  it("cuts Korean and Japanese into character pairs, with kanji alone as weak terms", () => {
    expect(terms("배송기간").map((t) => t.key)).toEqual(["배송", "송기", "기간"]);
    const ja = terms("返品したい");
    expect(ja.filter((t) => t.kind === "pair").map((t) => t.key)).toEqual(["返品", "品し"]);
    expect(ja.filter((t) => t.kind === "kanji").map((t) => t.key)).toEqual(["返", "品"]);
  });
  it("drops common English and Persian words and trims endings", () => {
    expect(terms("Where are my returned orders?").map((t) => t.key)).toEqual(["return", "order"]);
    expect(stem("shipping")).toBe("ship");
    expect(stem("deliveries")).toBe("delivery");
    expect(stem("سفارش‌ها".replace("\u200c", ""))).toBe("سفارش");
    expect(terms("سلام، سفارش‌های من").map((t) => t.key)).toEqual(["سفارش"]);
  });
  it("writes Persian one way: Arabic letters, digits and the zero-width non-joiner", () => {
    expect(normalizeText("كيف ۱۲۳ می‌خواهم")).toBe("کیف 123 میخواهم");
    expect(normalizeText("ＡＢＣ１")).toBe("abc1");
  });
  it("takes a misspelt word for the word it resembles, not for an unrelated one", () => {
    expect(similarity("shiping", "ship")).toBeLessThan(1);
    expect(similarity("internationaly", "internationally")).toBeGreaterThan(0.8);
    expect(similarity("payment", "refund")).toBe(0);
  });
});

describe("answerText", () => {
  it("keeps the words of an answer, paragraphs and list items on their own lines", () => {
    expect(answerText("<p>One &amp; two</p><ul><li>a</li><li>b</li></ul><p>x<br>y</p>")).toBe(
      "One & two\n\n• a\n• b\n\nx\ny",
    );
  });
});
