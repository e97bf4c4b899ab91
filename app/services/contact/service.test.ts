/**
 * Contact's services on a real database with a real SMTP server: replies and surveys leave as
 * mail, the survey page speaks the shopper's language, the inbox shows the loyalty tier, and every
 * dashboard figure matches a seed computed by hand (in the comments beside it).
 */
import type { AddressInfo } from "node:net";

import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { proxyRequest } from "../../../tests/helpers/app-proxy";
import type { Mailer } from "../mailer.server";

const SHOP = "kpi-seed.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const secret = () => process.env.SHOPIFY_API_SECRET!;

let t: TestDatabase;
let smtp: SMTPServer;
let mailer: Mailer;
const received: { to: string[]; raw: string; header(name: string): string | null }[] = [];

let requests: typeof import("./requests.server");
let registry: typeof import("../dashboard/registry.server");
let outbox: typeof import("../outbox.server");
let surveyRoute: typeof import("../../routes/proxy.contact.survey");
let context: typeof import("./context.server");
let lookup: typeof import("../tracking/lookup.server");

/** Quoted-printable soft breaks and escapes undone, so links and words can be searched. */
const decoded = (raw: string) =>
  raw.replace(/[=]\r?\n/g, "").replace(/[=]([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

// The period under test: Tuesday 10 March 2026, shop time zone UTC, open Mon-Fri 09:00-17:00.
const DAY = "2026-03-10";
const at = (iso: string) => new Date(`${iso}Z`);
const customer = (n: number) => `gid://shopify/Customer/${n}`;
const orderId = (n: number) => `gid://shopify/Order/${n}`;

async function order(
  n: number,
  input: { customer?: number; placed: string; cancelled?: boolean; email?: string; locale?: string },
) {
  await t.db.order.create({
    data: {
      shop: SHOP,
      shopifyId: orderId(n),
      name: `#${n}`,
      email: input.email ?? `buyer${n}@example.com`,
      customerShopifyId: input.customer ? customer(input.customer) : null,
      customerLocale: input.locale ?? "en",
      currency: "CAD",
      totalMinor: 5000,
      shopifyCreatedAt: at(input.placed),
      shopifyUpdatedAt: at(input.placed),
      cancelledAt: input.cancelled ? at(input.placed) : null,
    },
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          header: (name) => new RegExp(`^${name}: (.*)$`, "im").exec(head)?.[1] ?? null,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const { createMailer } = await import("../mailer.server");
  mailer = createMailer({
    url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    from: "Aftercare <care@aftercare.test>",
  });

  requests = await import("./requests.server");
  registry = await import("../dashboard/registry.server");
  outbox = await import("../outbox.server");
  surveyRoute = await import("../../routes/proxy.contact.survey");
  context = await import("./context.server");
  lookup = await import("../tracking/lookup.server");
  (await import("../dashboard/core-metrics.server")).registerCoreDashboardMetrics();
  context.registerInboxContext((await import("./loyalty-context.server")).loyaltyInboxContext);

  for (const domain of [SHOP, OTHER]) {
    await t.db.shop.create({
      data: {
        domain,
        name: domain === SHOP ? "Maple Goods" : "Other",
        email: "help@maple.example",
        ianaTimezone: "UTC",
        currencyCode: "CAD",
      },
    });
  }
  const { saveContactSettings } = await import("../../models/contact.server");
  const { DEFAULT_CONTACT_SETTINGS } = await import("../../domain/contact/settings");
  await saveContactSettings(t.db, SHOP, { ...DEFAULT_CONTACT_SETTINGS, replyTo: "inbox@maple.example" });
});

afterAll(async () => {
  mailer?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await t.drop();
});

async function write(
  email: string,
  when: string,
  input: { topic?: "order_status" | "other"; orderName?: string | null; locale?: string; shop?: string } = {},
) {
  return requests.createRequest(t.db, {
    shop: input.shop ?? SHOP,
    message: {
      name: "Shopper",
      email,
      orderName: input.orderName ?? null,
      topic: input.topic ?? "order_status",
      message: "Where is my parcel, please?",
    },
    locale: input.locale ?? "en",
    customerShopifyId: null,
    now: at(when),
  });
}

const deps = (when: string) => ({ db: t.db, secret: secret(), now: at(when) });
/**
 * An instant minutes ago as the "YYYY-MM-DDTHH:MM:SS" the helpers take: the survey route checks tokens against the
 * real clock.
 */
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().slice(0, 19);

describe("mail through a real SMTP server", () => {
  it("sends the reply and, on closing, the survey; the survey page then speaks the shopper's language", async () => {
    await order(3001, { placed: ago(3000), email: "minji@example.com", locale: "ko" });
    const created = await write("minji@example.com", ago(60), { orderName: "#3001", locale: "ko-KR", topic: "other" });
    await requests.replyToRequest(deps(ago(40)), SHOP, created.id, "보내드렸습니다. It ships today.");
    await requests.closeRequest(deps(ago(30)), SHOP, created.id);

    const report = await outbox.deliverDueNotifications({ db: t.db, mailer, secret: secret(), now: at(ago(29)) });
    expect(report.sent).toBe(2);
    expect(received.map((m) => m.to)).toEqual([["minji@example.com"], ["minji@example.com"]]);
    const [reply, survey] = received;
    expect(reply.header("Reply-To")).toContain("inbox@maple.example");
    expect(decoded(reply.raw)).toContain("It ships today.");
    // Korean subject lines, MIME-encoded on the wire.
    expect(reply.header("Subject")).toMatch(/[=]\?UTF-8\?/i);
    const link = decoded(survey.raw).match(
      /https:\/\/kpi-seed\.myshopify\.com\/apps\/aftercare\/contact\/survey\?token=([^\s"<>&]+)/,
    );
    expect(link).not.toBeNull();
    // Delivered once: a second run sends nothing.
    expect((await outbox.deliverDueNotifications({ db: t.db, mailer, secret: secret(), now: at(ago(28)) })).sent).toBe(
      0,
    );

    const token = decodeURIComponent(link![1]);
    const page = await surveyRoute.loader({
      request: proxyRequest("contact/survey", { token }, { shop: SHOP }),
      params: {},
      context: {},
    } as never);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("받으신 도움에 얼마나 만족하시나요");
    expect(html).toContain('lang="ko"');
    expect(html).not.toContain("How happy");

    const bad = new Request(proxyRequest("contact/survey", { token }, { shop: SHOP, method: "POST" }).url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "score=9",
    });
    const refused = await surveyRoute.action({ request: bad, params: {}, context: {} } as never);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("1점에서 5점 사이로");
    const good = new Request(bad.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "score=4&comment=%EA%B3%A0%EB%A7%88%EC%9B%8C%EC%9A%94",
    });
    const thanks = await surveyRoute.action({ request: good, params: {}, context: {} } as never);
    expect(thanks.status).toBe(200);
    expect(await thanks.text()).toContain("감사합니다");
    // Cleared so the KPI seed below starts from nothing but its own rows.
    await t.db.surveyResponse.deleteMany({ where: { shop: SHOP } });
  });

  it.each([
    ["ja", "対応にどのくらい満足"],
    ["fa", "چقدر راضی هستید"],
    ["en", "How happy are you"],
  ])("shows the survey page in %s", async (locale, words) => {
    const created = await write(`survey-${locale}@example.com`, ago(20), { locale, topic: "other" });
    await requests.closeRequest(deps(ago(10)), SHOP, created.id);
    const note = await t.db.notification.findFirstOrThrow({
      where: { shop: SHOP, kind: "survey", subjectId: created.id },
    });
    const token = decodeURIComponent(/token=([^\s"<>&]+)/.exec(note.bodyText)![1]);
    const page = await surveyRoute.loader({
      request: proxyRequest("contact/survey", { token }, { shop: SHOP }),
      params: {},
      context: {},
    } as never);
    const html = await page.text();
    expect(html).toContain(words);
    expect(html).toContain(`dir="${locale === "fa" ? "rtl" : "ltr"}"`);
    await t.db.surveyResponse.deleteMany({ where: { shop: SHOP } });
    await t.db.contactRequest.deleteMany({ where: { shop: SHOP } });
  });

  it("answers a broken survey link with 404 in the browser's language", async () => {
    const req = proxyRequest("contact/survey", { token: "nope" }, { shop: SHOP });
    const withLanguage = new Request(req.url, {
      headers: { ...Object.fromEntries(req.headers), "accept-language": "ja-JP,ja;q=0.9" },
    });
    const page = await surveyRoute.loader({ request: withLanguage, params: {}, context: {} } as never);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("このアンケートのリンクは無効です");
  });
});

describe("dashboard figures against a hand-computed seed", () => {
  beforeAll(async () => {
    await t.db.notification.deleteMany({ where: { shop: SHOP } });
    await t.db.contactRequest.deleteMany({ where: { shop: SHOP } });
    await t.db.order.deleteMany({ where: { shop: SHOP } });

    // Orders. In the period (10 March): 4001 C1, 4002 C2, 4003 C3, 4004 C3, 4005 C4, and 4006 C2
    // cancelled (never counts). Before: 4000 C1 (9 Feb). After: 4007 C4 (12 March).
    await order(4000, { customer: 1, placed: "2026-02-09T12:00:00" });
    await order(4001, { customer: 1, placed: "2026-03-10T08:00:00", email: "c1@example.com" });
    await order(4002, { customer: 2, placed: "2026-03-10T09:00:00" });
    await order(4003, { customer: 3, placed: "2026-03-10T10:00:00" });
    await order(4004, { customer: 3, placed: "2026-03-10T11:00:00" });
    await order(4005, { customer: 4, placed: "2026-03-10T23:59:00" });
    await order(4006, { customer: 2, placed: "2026-03-10T12:00:00", cancelled: true });
    await order(4007, { customer: 4, placed: "2026-03-12T12:00:00" });

    // Returns: 4001 open (2 too small, 1 defective); 4002 declined (1 too small: a reason given,
    // but the order does not count as returned); 4003 refunded with items. Another shop's return
    // of 5 "OTHER" must not appear.
    const ret = (shop: string, id: number, o: number, status: string, lines: object[]) =>
      t.db.shopifyReturn.create({
        data: {
          shop,
          shopifyId: `gid://shopify/Return/${id}`,
          orderShopifyId: orderId(o),
          status,
          lines: JSON.stringify(lines),
          requestedAt: at("2026-03-10T15:00:00"),
          lastEventAt: at("2026-03-10T15:00:00"),
        },
      });
    await ret(SHOP, 1, 4001, "OPEN", [
      { lineItemShopifyId: "l1", quantity: 2, reason: "SIZE_TOO_SMALL" },
      { lineItemShopifyId: "l2", quantity: 1, reason: "DEFECTIVE" },
    ]);
    await ret(SHOP, 2, 4002, "DECLINED", [{ lineItemShopifyId: "l3", quantity: 1, reason: "SIZE_TOO_SMALL" }]);
    await ret(OTHER, 3, 4001, "OPEN", [{ lineItemShopifyId: "l9", quantity: 5, reason: "OTHER" }]);
    await t.db.refund.create({
      data: {
        shop: SHOP,
        shopifyId: "gid://shopify/Refund/1",
        orderShopifyId: orderId(4003),
        amountMinor: 2000,
        currency: "CAD",
        shopifyCreatedAt: at("2026-03-10T16:00:00"),
        lines: { create: [{ lineItemShopifyId: "l4", quantity: 1, subtotalMinor: 2000 }] },
      },
    });

    // Loyalty: C1 and C3 are members (C3 joined the day before); a member who joined after the
    // period and a member of another shop do not count.
    const member = (shop: string, key: string, c: number, created: string, extra: object = {}) =>
      t.db.loyaltyMember.create({
        data: {
          shop,
          key,
          customerShopifyId: customer(c),
          email: `c${c}@example.com`,
          createdAt: at(created),
          ...extra,
        },
      });
    await member(SHOP, `c:${customer(1)}`, 1, "2026-01-01T00:00:00", { tierKey: "gold", points: 1250 });
    await member(SHOP, `c:${customer(3)}`, 3, "2026-03-09T00:00:00");
    await member(SHOP, `c:${customer(2)}`, 2, "2026-03-11T00:00:00");
    await member(OTHER, `c:${customer(4)}`, 4, "2026-01-01T00:00:00");

    // NPS answers in the period: 10, 10, 9 promoters; 8, 7 passive; 6, 2 detractors.
    // Outside it: a 0 the next day; unanswered: one. Another shop: a 0.
    const answer = (shop: string, i: number, score: number | null, when: string) =>
      t.db.surveyResponse.create({
        data: {
          shop,
          kind: "nps",
          subjectId: `nps-${i}`,
          score,
          sentAt: at("2026-03-01T00:00:00"),
          answeredAt: score === null ? null : at(when),
        },
      });
    for (const [i, score] of [10, 10, 9, 8, 7, 6, 2].entries()) await answer(SHOP, i, score, "2026-03-10T12:00:00");
    await answer(SHOP, 20, 0, "2026-03-11T00:00:00");
    await answer(SHOP, 21, null, "2026-03-10T12:00:00");
    await answer(OTHER, 22, 0, "2026-03-10T12:00:00");

    // First responses, in business minutes (Mon-Fri 09:00-17:00 UTC):
    //   Mon 16:30 -> Tue 09:15 = 30 + 15 = 45;  Tue 10:00 -> Tue 11:30 = 90;  Tue 16:00 -> Tue 16:50 = 50.
    // A Tue 12:00 request answered Wed does not count in Tuesday's figure.
    const replies: [string, string, string][] = [
      ["a@example.com", "2026-03-09T16:30:00", "2026-03-10T09:15:00"],
      ["b@example.com", "2026-03-10T10:00:00", "2026-03-10T11:30:00"],
      ["c@example.com", "2026-03-10T16:00:00", "2026-03-10T16:50:00"],
      ["d@example.com", "2026-03-10T12:00:00", "2026-03-11T10:00:00"],
    ];
    for (const [email, asked, answered] of replies) {
      const r = await write(email, asked);
      await requests.replyToRequest(deps(answered), SHOP, r.id, "On its way.");
    }
    // Order-status contacts created on Tuesday: b, c, d = 3 (a was Monday). One "other" topic.
    await write("e@example.com", "2026-03-10T13:00:00", { topic: "other" });
    // Shipped on Tuesday: 4001 (its tracking is looked up in the test below) and 4002.
    for (const o of [4001, 4002])
      await t.db.shipmentTracking.create({
        data: {
          shop: SHOP,
          fulfillmentShopifyId: `gid://shopify/Fulfillment/${o}`,
          orderShopifyId: orderId(o),
          orderName: `#${o}`,
          stage: "in_transit",
          shippedAt: at("2026-03-10T12:00:00"),
        },
      });
  });

  it("a tracking lookup adds a WISMO view; a failed one does not", async () => {
    const ask = (email: string, when: string) =>
      lookup.lookupTracking(
        {
          shop: SHOP,
          clientIp: "203.0.113.7",
          loggedInCustomerId: null,
          params: new URLSearchParams({ order: "#4001", email }),
        },
        { db: t.db, secret: secret(), now: at(when), admin: async () => null },
      );
    expect((await ask("c1@example.com", "2026-03-10T14:00:00")).status).toBe(200);
    expect((await ask("C1@Example.com", "2026-03-10T18:00:00")).status).toBe(200);
    expect((await ask("wrong@example.com", "2026-03-10T18:05:00")).status).toBe(404);
    const days = await t.db.trackingViewDay.findMany({ where: { shop: SHOP } });
    expect(days.map((d) => [d.orderShopifyId, d.day, d.views])).toEqual([[orderId(4001), DAY, 2]]);
    // The first view's time reads back exactly, and range filters on it work.
    expect(days[0].firstViewedAt.toISOString()).toBe(at("2026-03-10T14:00:00").toISOString());
    expect(
      await t.db.trackingViewDay.count({
        where: { shop: SHOP, firstViewedAt: { gte: at("2026-03-10T14:00:00"), lt: at("2026-03-10T14:00:01") } },
      }),
    ).toBe(1);
  });

  it("matches every figure", async () => {
    const d = await registry.computeDashboard(t.db, SHOP, { from: DAY, to: DAY }, at("2026-03-20T00:00:00"));
    const fig = (id: string) => d.figures.find((f) => f.id === id);
    // NPS: (3 promoters - 2 detractors) / 7 = 14.2857 -> 14.3.
    expect(fig("nps")?.current.value).toBe(14.3);
    // Median of 45, 90, 50 = 50, exactly.
    expect(fig("first_response")?.current.value).toBe(50);
    // WISMO: of the orders shipped on Tuesday, 4001 was looked up and nobody asked about it; 4002
    // was neither looked up nor emailed (the order-status requests name no order) -> 1 / 2.
    expect(fig("wismo_deflection")?.current.value).toBe(0.5);
    // Return rate: 5 orders placed (cancelled 4006 left out), 4001 and 4003 came back -> 2 / 5.
    expect(fig("return_rate")?.current.value).toBeCloseTo(0.4, 10);
    expect(fig("return_rate")?.current.breakdown).toEqual([
      { label: "SIZE_TOO_SMALL", value: 3 },
      { label: "DEFECTIVE", value: 1 },
    ]);
    // Repeat purchase: buyers C1 (2 orders to date), C2 (1), C3 (2), C4 (1; 4007 is later) -> 2 / 4.
    expect(fig("repeat_rate")?.current.value).toBe(0.5);
    // Members by the period's end: C1, C3 -> 2. Members' repeat rate 2/2, non-members' 0/2.
    expect(fig("loyalty_members")?.current.value).toBe(2);
    expect(fig("loyalty_members")?.current.breakdown).toEqual([
      { label: "Members' repeat rate", value: 1 },
      { label: "Non-members' repeat rate", value: 0 },
    ]);
    // Nothing answered in the period before (3-9 March... a single day: 9 March).
    expect(d.previous.from).toBe("2026-03-09");
    expect(fig("nps")?.previous?.value ?? null).toBeNull();
  });

  it("shows an order's card with what was paid and refunded, not the total left after the refund", async () => {
    // #4003: Shopify's current total is 50.00 after a 20.00 refund; the shopper paid 70.00.
    const ctx = await context.orderContext(t.db, SHOP, {
      orderShopifyId: orderId(4003),
      customerShopifyId: null,
      email: null,
    });
    expect(ctx.order).toMatchObject({ name: "#4003", paidMinor: 7000, refundedMinor: 2000, currentMinor: 5000 });
  });

  it("shows the loyalty tier beside a request in the inbox", async () => {
    const { saveLoyaltySettings } = await import("../loyalty/settings.server");
    const saved = await saveLoyaltySettings(t.db, SHOP, {
      enabled: true,
      tiers: [{ key: "gold", name: "Gold", thresholdMinor: 50000, multiplier: 2 }],
    });
    expect(saved.ok).toBe(true);
    const r = await write("c1@example.com", "2026-03-12T10:00:00", { orderName: "#4001" });
    const request = await t.db.contactRequest.findUniqueOrThrow({ where: { id: r.id } });
    const ctx = await context.orderContext(t.db, SHOP, request);
    expect(ctx.order?.name).toBe("#4001");
    expect(ctx.returns).toEqual([{ name: null, status: "OPEN", quantity: 0 }]);
    expect(ctx.extra).toEqual([
      {
        area: "loyalty",
        facts: [
          { label: "Loyalty tier", value: "Gold", tone: "success" },
          { label: "Points", value: "1,250" },
        ],
      },
    ]);
    // Another shop sees nothing of this member.
    const elsewhere = await context.orderContext(t.db, OTHER, {
      orderShopifyId: null,
      customerShopifyId: customer(1),
      email: "c1@example.com",
    });
    expect(elsewhere.extra).toEqual([]);
  });
});
