/**
 * The Contact settings action with real Requests (only the embedded admin's session check stood
 * in for): FAQ answers from the rich-text editor are stored through the sanitiser, whatever the
 * browser sends; what the editor writes (bold, italics, lists, links) survives, scripts, event
 * handlers and javascript: links do not, and the storefront is served the same clean HTML. Bad
 * input is a 400 with the field named, nothing saved.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { getContactSettings } from "../models/contact.server";
import { contactView } from "../services/contact/storefront.server";

const SHOP = "contact-editor.myshopify.com";
vi.mock("../shopify.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("../shopify.server")>();
  return {
    ...real,
    authenticate: {
      ...real.authenticate,
      admin: async () => ({ session: { shop: SHOP }, admin: {}, sessionToken: {} }),
    },
  };
});

type Handler = (args: { request: Request; params: object; context: object }) => Promise<Response>;
let t: TestDatabase;
let route: { loader: Handler; action: Handler };

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  route = (await import("./app.contact")) as never;
  await t.db.shop.create({ data: { domain: SHOP, name: "Editor Goods", ianaTimezone: "UTC" } });
});
afterAll(async () => {
  await t.drop();
});

const post = (body: string) =>
  route.action({
    request: new Request("https://app.example/app/contact", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    }),
    params: {},
    context: {},
  });

async function settings() {
  const res = await route.loader({ request: new Request("https://app.example/app/contact"), params: {}, context: {} });
  return ((await res.json()) as { settings: Record<string, unknown> }).settings;
}

/** What Tiptap's getHTML() writes for bold, italics, a list and a link. */
const EDITOR_HTML =
  "<p>Most orders arrive in <strong>3 to 5 business days</strong>, <em>tracked</em>.</p>" +
  "<ul><li><p>Canada</p></li><li><p>USA</p></li></ul>" +
  '<p>See <a target="_blank" rel="noopener noreferrer nofollow" href="https://shop.example/shipping">shipping</a>.</p>';

describe("FAQ answers from the rich-text editor", () => {
  it("stores the editor's formatting and links, and drops scripts, handlers and javascript: links", async () => {
    const base = await settings();
    const hostile = [
      EDITOR_HTML,
      "<script>alert(1)</script><img src=x onerror=alert(1)>",
      '<p onmouseover="steal()">Hover</p><a href="javascript:alert(1)">click</a><iframe src="https://evil.example"></iframe>',
    ].join("");
    const faq = [
      { id: "ship", language: "en", category: "Shipping", question: "How long?", answerHtml: hostile, position: 1 },
    ];
    const res = await post(JSON.stringify({ settings: { ...base, faq } }));
    expect(res.status).toBe(200);
    const answer = ((await res.json()) as { settings: { faq: { answerHtml: string }[] } }).settings.faq[0].answerHtml;
    expect(answer).not.toMatch(/script|onerror|onmouseover|javascript:|iframe|<img/i);
    // The editor's formatting comes back whole (the link's attributes in the sanitiser's order).
    expect(answer).toBe(
      "<p>Most orders arrive in <strong>3 to 5 business days</strong>, <em>tracked</em>.</p>" +
        "<ul><li><p>Canada</p></li><li><p>USA</p></li></ul>" +
        '<p>See <a href="https://shop.example/shipping" rel="noopener noreferrer nofollow" target="_blank">shipping</a>.</p>' +
        '<p>Hover</p><a rel="noopener noreferrer nofollow" target="_blank">click</a>',
    );

    const stored = await getContactSettings(t.db, SHOP);
    expect(stored.faq[0].answerHtml).toBe(answer);
    const storefront = await contactView(t.db, SHOP, "en", new Date("2026-03-11T16:00:00Z"));
    const served = JSON.stringify(storefront);
    expect(served).toContain("<strong>3 to 5 business days</strong>");
    expect(served).toContain('href=\\"https://shop.example/shipping\\"');
    expect(served).not.toMatch(/script|onerror|javascript:/i);
  });

  it("refuses a body that is not JSON, or an answer too long, with a 400 naming the field; nothing saved", async () => {
    const before = await getContactSettings(t.db, SHOP);
    const unreadable = await post("<p>not json");
    expect(unreadable.status).toBe(400);
    const base = await settings();
    const long = [
      { id: "long", language: "en", category: "Shipping", question: "Q?", answerHtml: "x".repeat(10_001), position: 1 },
    ];
    const tooLong = await post(JSON.stringify({ settings: { ...base, faq: long } }));
    expect(tooLong.status).toBe(400);
    const body = (await tooLong.json()) as { ok: false; errors: { path: string; key: string }[] };
    expect(body.errors.map((e) => e.path)).toContain("faq.0.answerHtml");
    expect(await getContactSettings(t.db, SHOP)).toEqual(before);
  });
});
