import { describe, expect, it } from "vitest";

import { emailAddressOf, messageIdsIn, referencedNumber, stripQuotedReply } from "./email-reply";

describe("the new part of an emailed answer", () => {
  const cases: [string, string, string][] = [
    [
      "en, Gmail",
      "Thanks, that works.\n\nOn Sun, Dec 6, 2026 at 9:00 AM Northwind <care@northwind.example> wrote:\n" +
        "> Your parcel left today.",
      "Thanks, that works.",
    ],
    [
      "en, Gmail's header wrapped in two lines",
      "Thanks!\n\nOn Sun, Dec 6, 2026 at 9:00 AM Northwind Outfitters <\n" +
        "care@northwind.example> wrote:\n\n> Your parcel left today.",
      "Thanks!",
    ],
    [
      "en, Outlook",
      "Fine by me.\n\n-----Original Message-----\nFrom: Northwind\nSent: Sunday\n\nYour parcel",
      "Fine by me.",
    ],
    [
      "en, Outlook's From/Sent block",
      "Fine.\n\nFrom: Northwind <care@northwind.example>\nSent: Sunday, December 6, 2026 9:00 AM\nTo: mina",
      "Fine.",
    ],
    ["en, signature", "See you.\n\n-- \nMina Rahimi\n+1 555 0100", "See you."],
    ["en, phone", "Ok!\n\nSent from my iPhone", "Ok!"],
    [
      "ko, Gmail",
      "감사합니다. 잘 받았어요.\n\n2026년 12월 6일 (일) 오전 9:00, Northwind <care@northwind.example>님이 작성:\n> 배송이 시작되었습니다.",
      "감사합니다. 잘 받았어요.",
    ],
    [
      "ko, Outlook",
      "네, 좋아요.\n\n보낸 사람: Northwind <care@northwind.example>\n보낸 날짜: 2026년 12월 6일 일요일 오전 9:00\n받는 사람: 민아",
      "네, 좋아요.",
    ],
    ["ko, phone", "확인했습니다.\n\niPhone에서 보냄", "확인했습니다."],
    [
      "ja, Thunderbird",
      "ありがとうございます。\n\n2026/12/06 9:00 Northwind のメッセージ:\n> 発送しました。",
      "ありがとうございます。",
    ],
    [
      "ja, Gmail",
      "了解です。\n\n2026年12月6日(日) 9:00 Northwind <care@northwind.example>:\n> 発送しました。",
      "了解です。",
    ],
    [
      "ja, Apple Mail",
      "助かります。\n\n2026/12/06 9:00、Northwind <care@northwind.example>のメール:\n\n> 発送しました。",
      "助かります。",
    ],
    [
      "ja, Outlook",
      "はい。\n\n差出人: Northwind <care@northwind.example>\n送信日時: 2026年12月6日 9:00\n宛先: mina",
      "はい。",
    ],
    ["ja, phone", "承知しました。\n\niPhoneから送信", "承知しました。"],
    [
      "fa, Gmail (with direction marks)",
      "ممنون، رسید.\n\n\u200fدر تاریخ یکشنبه ۶ دسامبر ۲۰۲۶ ساعت ۹:۰۰ " +
        "Northwind <\u2066care@northwind.example\u2069> نوشت:\u200f\n> بسته ارسال شد.",
      "ممنون، رسید.",
    ],
    ["fa, Outlook", "باشه.\n\nاز: Northwind <care@northwind.example>\nتاریخ: یکشنبه ۶ دسامبر ۲۰۲۶\nبه: مینا", "باشه."],
    ["fa, phone", "دریافت شد.\n\nارسال شده از iPhone من", "دریافت شد."],
    ["no quote at all", "Hello,\nwhere is my order #1042?\nMina", "Hello,\nwhere is my order #1042?\nMina"],
  ];
  it.each(cases)("%s", (_, text, expected) => {
    expect(stripQuotedReply(text)).toBe(expected);
    expect(stripQuotedReply(text.replace(/\n/g, "\r\n"))).toBe(expected.replace(/\n/g, "\r\n").replace(/\r\n/g, "\n"));
  });

  it("keeps prose that merely mentions writing", () => {
    expect(stripQuotedReply("On Monday I wrote to you.\nStill waiting.")).toBe(
      "On Monday I wrote to you.\nStill waiting.",
    );
  });
  it("an answer that is only the quote is empty", () => {
    expect(stripQuotedReply("> quoted only\n> more")).toBe("");
  });
});

describe("addresses, message ids and references", () => {
  it("reads the sender's address", () => {
    expect(emailAddressOf('"Mina R." <Mina@Example.com>')).toBe("mina@example.com");
    expect(emailAddressOf("mina@example.com")).toBe("mina@example.com");
    expect(emailAddressOf("Mina")).toBe("");
    expect(emailAddressOf(undefined)).toBe("");
  });
  it("reads message ids in order", () => {
    expect(messageIdsIn("<a@x> <b@y>\r\n <c@z>")).toEqual(["a@x", "b@y", "c@z"]);
    expect(messageIdsIn(null)).toEqual([]);
  });
  it("reads a quoted reference", () => {
    expect(referencedNumber("Re: We received your message (REQ-1042)")).toBe(1042);
    expect(referencedNumber("Hello")).toBeNull();
  });
});
