import { describe, expect, it } from "vitest";

import { checkContactMessage } from "./message";
import { sanitizeAnswerHtml } from "./sanitize";
import { faqFor, parseContactSettings } from "./settings";

describe("FAQ answers are sanitised", () => {
  it("removes scripts, handlers, javascript: links and iframes, keeps formatting and safe links", () => {
    const dirty = `<p onclick="steal()">Hi <strong>there</strong><script>alert(1)</script></p><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a><a href="https://shop.example/faq">ok</a><iframe src="https://evil"></iframe>`;
    const clean = sanitizeAnswerHtml(dirty);
    expect(clean).not.toMatch(/script|onclick|onerror|javascript:|iframe|<img/i);
    expect(clean).toContain("<strong>there</strong>");
    expect(clean).toContain('href="https://shop.example/faq"');
    expect(clean).toContain('rel="noopener noreferrer nofollow"');
  });
  it("sanitises on save and groups by category per language in order", () => {
    const r = parseContactSettings({
      faq: [
        { id: "b", language: "en", category: "Shipping", question: "Second?", answerHtml: "<p>2</p>", position: 2 },
        {
          id: "a",
          language: "en",
          category: "Shipping",
          question: "First?",
          answerHtml: "<p>1<script>x</script></p>",
          position: 1,
        },
        { id: "c", language: "ko", category: "배송", question: "언제?", answerHtml: "<p>곧</p>", position: 1 },
      ],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.faq.find((f) => f.id === "a")?.answerHtml).toBe("<p>1</p>");
    expect(faqFor(r.settings, "en")).toEqual([
      { category: "Shipping", questions: [expect.objectContaining({ id: "a" }), expect.objectContaining({ id: "b" })] },
    ]);
    expect(faqFor(r.settings, "ko")[0].category).toBe("배송");
  });
  it("lists every problem with channels and hours", () => {
    const r = parseContactSettings({
      channels: [
        { kind: "email", value: "nope", replyMinutes: 60 },
        { kind: "chat", value: "http://insecure", replyMinutes: 5 },
      ],
      hours: {
        weekly: [null, { open: "17:00", close: "09:00" }, null, null, null, null, null],
        holidays: [{ date: "2026-02-30" }],
      },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.path, e.message])).toEqual([
      ["channels.0.value", "Enter an email address for this channel"],
      ["channels.1.value", "Enter an https:// link to your chat"],
      ["hours.weekly.1.close", "Monday: closing time must be after opening time"],
      ["hours.holidays.0", "“2026-02-30” is not a date; use the form 2026-12-25"],
    ]);
  });
  it("reads a closing time of 00:00 as midnight, the only way a browser's time field can say it", () => {
    const weekly = Array.from({ length: 7 }, () => ({ open: "00:00", close: "00:00" }));
    const r = parseContactSettings({ hours: { weekly, holidays: [] } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.hours.weekly.every((d) => d?.close === "24:00")).toBe(true);
  });
  it("names the weekday and field of a malformed time instead of a schema path", () => {
    const r = parseContactSettings({
      hours: { weekly: [null, null, { open: "9am", close: "" }, null, null, null, null], holidays: [] },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.path, e.message])).toEqual([
      ["hours.weekly.2.open", "Tuesday: use times like 09:00 and 17:30"],
      ["hours.weekly.2.close", "Tuesday: use times like 09:00 and 17:30"],
    ]);
  });
});

describe("contact form input", () => {
  const all = ["order_status", "return", "product", "other"] as const;
  it("accepts a good message and normalises it", () => {
    const r = checkContactMessage(
      { name: " Ada ", email: "ADA@example.com", order: "1001", topic: "order_status", message: "Where is it?" },
      all,
    );
    expect(r).toEqual({
      ok: true,
      value: {
        name: "Ada",
        email: "ada@example.com",
        orderName: "#1001",
        topic: "order_status",
        message: "Where is it?",
      },
    });
  });
  it("names each bad field", () => {
    const r = checkContactMessage({ name: "", email: "x", order: "<script>", topic: "product", message: "hi" }, [
      "order_status",
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(["email", "message", "name", "orderName", "topic"]);
  });
});
