/**
 * The storefront blocks in the shopper's language, as a Persian, Korean or English shopper reads
 * them: order and return numbers isolated so they read as the merchant wrote them, counts in the
 * language's digits and plural forms, form problems in the block's words (never the browser's),
 * the birthday picker naming the calendar the birthday is stored in, timeline times with their
 * time zone, and a live total that speaks only when it changes.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Window } from "happy-dom";

import { createStorefrontRenderer } from "../../sandbox/storefront";
import { RETURNS_LOOKUP_ON, themeBlock } from "../helpers/theme-block";
import { mountBlock, settle, type ProxyAnswer, type ProxyCall } from "../helpers/block-dom";

const windows: Window[] = [];
afterEach(async () => {
  for (const window of windows.splice(0)) await window.happyDOM.close();
});

type Proxy = (call: ProxyCall) => ProxyAnswer | Promise<ProxyAnswer>;
async function mount(html: string, script: string, element: string, proxy: Proxy, url?: string) {
  const page = await mountBlock({ html, script, proxy, url });
  windows.push(page.window);
  const block = page.document.querySelector(element)!;
  // eslint-disable-next-line @shopify/prefer-module-scope-constants -- `$` is the block's querySelector, not a constant
  const $ = <T extends Element = HTMLElement>(selector: string) => block.querySelector(selector) as unknown as T;
  const all = (selector: string) => [...block.querySelectorAll(selector)] as unknown as HTMLElement[];
  return { ...page, block, $, all };
}

const tracking = themeBlock("order-tracking.liquid", {
  heading: "",
  accent_color: "",
  text_color: "",
  show_items: true,
  show_images: true,
  show_scans: true,
  show_estimate: true,
  show_recommendations: false,
  show_contact: false,
});
const trackingView = (samples: number) => ({
  order: { name: "#1302", placedAt: "2026-03-02T15:00:00.000Z", cancelled: false },
  language: "fa",
  timeZone: "America/Toronto",
  labels: {},
  branding: { accentColor: null, logoUrl: null },
  shipments: [
    {
      number: 1,
      carrier: { name: "Canada Post", url: null },
      trackingNumber: "CP123",
      trackingUrl: null,
      stage: "in_transit",
      steps: [
        { milestone: "ordered", state: "done", at: "2026-03-02T15:00:00.000Z" },
        { milestone: "in_transit", state: "current", at: "2026-03-03T15:05:00.000Z" },
        { milestone: "delivered", state: "upcoming", at: null },
      ],
      problem: null,
      delay: null,
      deliveredAt: null,
      estimate: { earliest: "2026-03-06", latest: "2026-03-07", source: "history", samples },
      items: [{ title: "Mug", variantTitle: null, quantity: 2, imageUrl: null }],
      scans: [],
    },
  ],
  preparing: null,
  recommendations: [],
  contact: null,
});

describe("order tracking in the shopper's language", () => {
  it("isolates the order number, names the time zone of each time, and counts deliveries by plural rule", async () => {
    const html = await tracking.render("en", { customer: null });
    const page = await mount(html, "order-tracking.js", "aftercare-order-tracking", (call) => ({
      status: 200,
      body: trackingView(call.url.searchParams.get("order") === "#1" ? 1 : 12),
    }));
    const lookUp = async (order: string) => {
      page.$<HTMLInputElement>('[name="order"]').value = order;
      page.$<HTMLInputElement>('[name="email"]').value = "ada@example.com";
      page.$<HTMLFormElement>("[data-form]").requestSubmit();
      await settle(page.window);
    };
    await lookUp("#1");
    const name = page.$('[data-slot="name"] bdi');
    expect(name.textContent).toBe("#1302");
    expect(name.getAttribute("dir")).toBe("ltr");
    expect(page.$('[data-slot="estimate-basis"]').textContent).toBe("(Based on 1 recent delivery from this shop)");
    // The shopper's zone (happy-dom's, like a browser's), named after the time.
    const zone = new Intl.DateTimeFormat("en", { timeZoneName: "short" })
      .formatToParts(new Date("2026-03-03T15:05:00.000Z"))
      .find((p) => p.type === "timeZoneName")!.value;
    const times = page.all(".aftercare-tracking__step time").map((t) => t.textContent);
    expect(times).toHaveLength(2);
    for (const time of times) expect(time).toContain(zone);

    page.$<HTMLButtonElement>('[data-action="again"]').click();
    await lookUp("#2");
    expect(page.$('[data-slot="estimate-basis"]').textContent).toBe("(Based on 12 recent deliveries from this shop)");
  });

  it("says a mistyped email in Persian, never the browser's English, and asks nothing of the shop", async () => {
    const html = await tracking.render("fa", { customer: null });
    const page = await mount(html, "order-tracking.js", "aftercare-order-tracking", () => ({ status: 500 }));
    page.$<HTMLInputElement>('[name="order"]').value = "#1302";
    const email = page.$<HTMLInputElement>('[name="email"]');
    email.value = "not-an-email";
    page.$<HTMLFormElement>("[data-form]").requestSubmit();
    await settle(page.window);
    expect(page.calls).toHaveLength(0);
    expect(page.$("[data-status]").textContent).toBe("نشانی ایمیل را به شکل name@example.com وارد کنید.");
    expect(email.validationMessage).toBe("نشانی ایمیل را به شکل name@example.com وارد کنید.");
    expect(email.getAttribute("aria-invalid")).toBe("true");
  });
});

const returns = themeBlock("returns-portal.liquid", { heading: "", show_previous: true });
const returnsView = {
  order: { name: "#1302", currency: "CAD" },
  token: "t-1302",
  enabled: true,
  lines: [
    {
      id: "gid://shopify/LineItem/1",
      title: "Mug",
      variantTitle: null,
      imageUrl: null,
      quantity: 3,
      paidMinor: 3000,
      returnable: 3,
      reason: null,
      windowEndsAt: "2026-04-01T00:00:00.000Z",
      exchangeVariants: [],
    },
  ],
  reasons: [{ id: "too_small", label: "Too small", requireNote: false }],
  resolutions: [
    { id: "refund", bonusPercent: 0 },
    { id: "store_credit", bonusPercent: 10 },
  ],
  fees: { restockingPercent: 0, returnShippingMinor: 0, waiveForExchanges: false },
  returns: [
    {
      number: "1302-R1",
      orderName: "#1302",
      status: "requested",
      resolution: "refund",
      currency: "CAD",
      amounts: { total: 1000 },
      items: [],
      instructions: null,
      returnAddress: null,
      declineNote: null,
    },
  ],
};

async function openReturns(language: string) {
  const html = await returns.render(language, { customer: null, app: RETURNS_LOOKUP_ON });
  const page = await mount(html, "returns-portal.js", "aftercare-returns-portal", () => ({
    status: 200,
    body: returnsView,
  }));
  page.$<HTMLInputElement>('[name="order"]').value = "#1302";
  page.$<HTMLInputElement>('[name="email"]').value = "ada@example.com";
  page.$<HTMLFormElement>("[data-find]").requestSubmit();
  await settle(page.window);
  return page;
}

describe("returns in the shopper's language", () => {
  it("shows order and return numbers isolated, and counts and percentages in Persian digits", async () => {
    const page = await openReturns("fa");
    const numbers = page.all("bdi").map((b) => [b.textContent, b.getAttribute("dir")]);
    expect(numbers).toEqual([
      ["#1302", "ltr"],
      ["1302-R1", "ltr"],
    ]);
    expect(page.$('[data-slot="availability"]').textContent).toMatch(/^۳ عدد قابل مرجوع است/);
    expect(page.all('[data-field="quantity"] option').map((o) => o.textContent)).toEqual(["۱", "۲", "۳"]);
    expect(page.all('[data-slot="bonus-note"]').map((n) => n.textContent)).toEqual(["", "۱۰٪ پاداش بیشتر"]);
    // Not a Latin digit left in what the block wrote, other than the numbers the merchant uses.
    const written = page.$('[data-slot="lines"]').textContent + page.$('[data-slot="resolutions"]').textContent;
    expect(written).not.toMatch(/[0-9]/);
  });

  it("announces the total only when it changes, not on every keystroke", async () => {
    const page = await openReturns("en");
    const total = page.$('[data-slot="total"]');
    expect(total.getAttribute("aria-live")).toBe("polite");
    const fire = (field: Element, type: string) =>
      field.dispatchEvent(new page.window.Event(type, { bubbles: true }) as unknown as Event);
    const pick = page.$<HTMLInputElement>('[data-field="pick"]');
    pick.checked = true;
    fire(pick, "change");
    expect(total.textContent).toBe("CA$10.00");

    const changes: unknown[] = [];
    const observer = new page.window.MutationObserver((records) => changes.push(...records));
    observer.observe(total as never, { childList: true, characterData: true, subtree: true });
    const note = page.$<HTMLTextAreaElement>('[data-field="note"]');
    for (const text of ["T", "To", "Too"]) {
      note.value = text;
      fire(note, "input");
    }
    await settle(page.window);
    expect(changes).toHaveLength(0);

    const quantity = page.$<HTMLSelectElement>('[data-field="quantity"]');
    quantity.value = "2";
    fire(quantity, "change");
    await settle(page.window);
    expect(total.textContent).toBe("CA$20.00");
    expect(changes.length).toBeGreaterThan(0);
    observer.disconnect();
  });
});

const renderer = createStorefrontRenderer();
const shop = { domain: "aftercare-test.myshopify.com", name: "Test", currency: "CAD" };
const member = { id: "501", email: "ada@example.com", firstName: "Ada" };
const loyalty = (balance: number, birthdayBonus: number, redemptions: { title: string; code: string }[] = []) => ({
  program: {
    currencyName: "",
    pointsPerUnit: 1,
    currency: "CAD",
    signupBonus: 1,
    birthdayBonus,
    pendingDays: 1,
    tiers: [],
  },
  rewards: [
    {
      id: "r-1",
      kind: "fixed",
      title: "$1 off",
      pointsCost: 1,
      valueMinor: 100,
      percentOff: null,
      minimumOrderMinor: null,
    },
    {
      id: "r-5",
      kind: "fixed",
      title: "$5 off",
      pointsCost: 500,
      valueMinor: 500,
      percentOff: null,
      minimumOrderMinor: null,
    },
  ],
  member: {
    balance,
    pending: 0,
    unlocks: [],
    tier: null,
    nextTier: null,
    remainingMinor: 0,
    progress: 0,
    expiresAt: null,
    birthdaySaved: false,
    history: [],
    redemptions: redemptions.map((r, i) => ({
      id: `d-${i}`,
      title: r.title,
      kind: "fixed",
      code: r.code,
      checkoutUrl: `/discount/${r.code}`,
      at: "2026-03-05T15:00:00.000Z",
    })),
  },
});

async function rewards(locale: string, customer: typeof member | null, proxy: Proxy) {
  const [block] = await renderer.render({ locale, shop, customer, assetBase: "/assets" }, ["loyalty-widget"]);
  return mount(block.html, "loyalty-widget.js", "aftercare-loyalty", proxy);
}

describe("rewards in the shopper's language", () => {
  it("says 1 point and 500 points in English, and counts in Persian digits in Persian", async () => {
    const guest = { ...loyalty(0, 1), member: null };
    const en = await rewards("en", null, () => ({ status: 200, body: guest }));
    expect(en.all('[data-slot="cost"]').map((c) => c.textContent)).toEqual(["1 point", "500 points"]);
    expect(en.all('[data-slot="ways"] li').map((li) => li.textContent)).toEqual([
      "1 point for every CA$1.00 spent",
      "1 point when you create an account",
      "1 point on your birthday",
      "Points are pending for 1 day after an order before you can spend them.",
    ]);
    const fa = await rewards("fa", null, () => ({ status: 200, body: guest }));
    expect(fa.all('[data-slot="cost"]').map((c) => c.textContent)).toEqual(["۱ امتیاز", "۵۰۰ امتیاز"]);
  });

  it("names Gregorian months in Persian, the calendar the birthday is stored in, and saves that day", async () => {
    const posted: unknown[] = [];
    const page = await rewards("fa", member, (call) => {
      if (call.method === "POST") {
        posted.push(call.body);
        return { status: 200, body: { ok: true } };
      }
      return { status: 200, body: loyalty(10, 100) };
    });
    const form = page.$<HTMLFormElement>("[data-birthday]");
    expect(form.hidden).toBe(false);
    const month = form.querySelector('[name="month"]') as unknown as HTMLSelectElement;
    const day = form.querySelector('[name="day"]') as unknown as HTMLInputElement;
    const months = [...month.options].map((o) => o.textContent);
    // Not فروردین..اسفند: those are the Persian calendar's months, which do not start on the 1st of January.
    expect(months).toEqual(
      Array.from({ length: 12 }, (_, m) =>
        new Intl.DateTimeFormat("fa-u-ca-gregory", { month: "long", timeZone: "UTC" }).format(Date.UTC(2024, m, 1)),
      ),
    );
    expect(months).not.toContain("فروردین");
    expect(months[2]).toBe("مارس");

    // 30 February does not exist: said in Persian and nothing is sent.
    month.value = "2";
    day.value = "30";
    form.requestSubmit();
    await settle(page.window);
    expect(posted).toEqual([]);
    expect(page.$("[data-status]").textContent).toBe("این ماه چنین روزی ندارد؛ روز دیگری انتخاب کنید.");
    expect(day.validationMessage).toBe("این ماه چنین روزی ندارد؛ روز دیگری انتخاب کنید.");

    // 21 March (مارس), which the Persian calendar calls 1 Farvardin: March and 21 are what is saved.
    month.value = "3";
    day.value = "21";
    form.requestSubmit();
    await settle(page.window);
    expect(posted).toEqual([{ intent: "birthday", month: 3, day: 21 }]);
  });

  it("names each copy button by the words it shows in Korean and Japanese, then the code", async () => {
    for (const locale of ["ko", "ja"]) {
      const page = await rewards(locale, member, () => ({
        status: 200,
        body: loyalty(10, 0, [{ title: "$5 off", code: "AFTER-5OFF" }]),
      }));
      const copy = page.$('[data-slot="codes"] [data-action="copy"]');
      // WCAG 2.5.3: the name starts with the words on the button ("코드 복사"), then the code.
      expect(copy.getAttribute("aria-label")).toBe(`${copy.textContent!.trim()} AFTER-5OFF`);
    }
  });
});

describe("contact form in the shopper's language", () => {
  it("says what is missing or wrong in Persian, from the block's words, not the browser's", async () => {
    const [block] = await renderer.render({ locale: "fa", shop, customer: null, assetBase: "/assets" }, ["contact"]);
    const config = {
      timeZone: "Asia/Tehran",
      open: true,
      nextOpenAt: null,
      channels: [],
      faq: [],
      form: { topics: ["order_status", "other"] },
    };
    const page = await mount(block.html, "contact.js", "aftercare-contact", (call) =>
      call.method === "POST" ? { status: 500 } : { status: 200, body: config },
    );
    const form = page.$<HTMLFormElement>("[data-form]");
    const field = (name: string) => form.querySelector(`[name="${name}"]`) as unknown as HTMLInputElement;
    field("email").value = "ada";
    field("message").value = "abc";
    form.requestSubmit();
    await settle(page.window);
    expect(page.calls.filter((c) => c.method === "POST")).toHaveLength(0);
    const error = (name: string) => form.querySelector(`[data-field-error="${name}"]`)!.textContent;
    expect(error("name")).toBe("این بخش را پر کنید.");
    expect(error("email")).toBe("نشانی ایمیلی مانند name@example.com وارد کنید.");
    expect(error("message")).toBe("دست‌کم ۵ نویسه بنویسید.");
    expect(field("name").validationMessage).toBe("این بخش را پر کنید.");
  });
});
