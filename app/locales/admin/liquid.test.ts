/**
 * A template's Liquid error in the admin's language: the real template engine's messages (not
 * copies of them) become our sentences in Japanese and Korean, with the tag, filter and line they
 * name, and none of the engine's English left; a message new to us is kept as given, as a detail.
 */
import { describe, expect, it } from "vitest";

import { renderEmail, templateProblem, TemplateError } from "../../services/email-render.server";

import { liquidSaid } from "./liquid";

import { translator } from "./index";

const ja = translator("ja");
const ko = translator("ko");
const en = translator("en");
const words = (s: Said) => ja(s.key, s.values);
type Said = ReturnType<typeof liquidSaid>;

/** English words of two letters or more, once the template's own text is taken out. */
const english = (text: string, ...quoted: string[]) =>
  quoted.reduce((t, q) => t.split(q).join(""), text).match(/[A-Za-z]{2,}/g) ?? [];

async function renderProblem(subject: string, body = "Hi"): Promise<string> {
  try {
    await renderEmail(
      { subject, body },
      {},
      { shopName: "S", accentColor: "#000000", language: "en", footer: [], unsubscribeUrl: null, unsubscribeLabel: "" },
    );
  } catch (error) {
    if (error instanceof TemplateError) return error.message;
    throw error;
  }
  throw new Error("rendered");
}

describe("a Liquid error in the admin's words", () => {
  it("says each of the engine's known errors in Japanese, with what it names", async () => {
    const cases: [string, RegExp, string[]][] = [
      [
        templateProblem("{{ customer.first_name")!,
        /^「\{\{ customer\.first_name」が \}\} で閉じられていません（1行目）$/,
        ["{{ customer.first_name"],
      ],
      [
        templateProblem("Hi\n{% if items %}x")!,
        /^\{% if items %\} が閉じられていません。終了タグがありません（2行目）$/,
        ["{% if items %}"],
      ],
      [templateProblem("{% shout %}")!, /^「shout」というタグはありません（1行目）$/, ["shout"]],
      [templateProblem("{{ x | shout }}")!, /^「shout」というフィルターはありません（1行目）$/, ["shout"]],
      [templateProblem("{% for %}{% endfor %}")!, /^\{% for %\} が不完全です（1行目）$/, ["{% for %}"]],
      [templateProblem("{% include 'x' %}")!, /^\{% include %\} はメールでは使用できません$/, ["{% include %}"]],
      [templateProblem("{% assign %}")!, /^1行目10列目に入力の誤りがあります$/, []],
      [
        await renderProblem("{{ 'a' | append }}"),
        /^フィルター「append」の値が多すぎるか少なすぎます（1行目）$/,
        ["append"],
      ],
      [await renderProblem("{{ nothing }}"), /^表示すると件名が空になります$/, []],
      [await renderProblem("{% for i in (1..100000000) %}{{i}}{% endfor %}"), /^メールが長くなりすぎるか/, []],
    ];
    for (const [message, japanese, quoted] of cases) {
      const s = liquidSaid(message);
      expect(s.key, message).not.toBe("liquid.other");
      expect(words(s), message).toMatch(japanese);
      expect(english(words(s), ...quoted), message).toEqual([]);
      expect(english(ko(s.key, s.values), ...quoted), message).toEqual([]);
    }
  });

  it("keeps a message new to us as given, under a translated sentence", () => {
    const s = liquidSaid("something new happened, line:3, col:2");
    expect(s.key).toBe("liquid.other");
    expect(words(s)).toBe("Liquidにエラーがあります（原文: something new happened, line:3, col:2）");
    expect(en(s.key, s.values)).toBe("the Liquid has an error (as given: something new happened, line:3, col:2)");
  });
});
