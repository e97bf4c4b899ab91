import { describe, expect, it } from "vitest";

import { linkHref } from "./answer-links";
import { sanitizeAnswerHtml } from "./sanitize";

describe("a link typed in the FAQ editor", () => {
  it("completes web addresses, email addresses and phone numbers", () => {
    expect(linkHref(" https://shop.example/faq ")).toBe("https://shop.example/faq");
    expect(linkHref("shop.example/help?x=1")).toBe("https://shop.example/help?x=1");
    expect(linkHref("shop.example:8080")).toBe("https://shop.example:8080");
    expect(linkHref("care@shop.example")).toBe("mailto:care@shop.example");
    expect(linkHref("mailto:care@shop.example")).toBe("mailto:care@shop.example");
    expect(linkHref("+1 (416) 555-0100")).toBe("tel:+14165550100");
  });

  it("refuses what the storefront's sanitiser would drop", () => {
    for (const typed of [
      "javascript:alert(1)",
      "JavaScript:alert(1)",
      "data:text/html,<b>x",
      "vbscript:x",
      "",
      "  ",
      "hello",
    ])
      expect(linkHref(typed)).toBeNull();
  });

  it("keeps every link it makes through the sanitiser", () => {
    for (const typed of ["shop.example/help", "care@shop.example", "+1 416 555 0100", "http://shop.example"]) {
      const href = linkHref(typed)!;
      expect(sanitizeAnswerHtml(`<a href="${href}">x</a>`)).toContain(`href="${href}"`);
    }
  });
});
