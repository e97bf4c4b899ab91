/**
 * The inbox flow on a real database: a shopper writes through the signed proxy route, the
 * merchant replies and closes, the shopper answers the signed survey, and the dashboard's
 * figures match a hand-computed seed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { proxyRequest } from "../../../tests/helpers/app-proxy";

const SHOP = "aftercare-test.myshopify.com";
let t: TestDatabase;
let route: typeof import("../../routes/proxy.contact");
let requests: typeof import("./requests.server");
let surveys: typeof import("./surveys.server");
let registry: typeof import("../dashboard/registry.server");
const secret = () => process.env.SHOPIFY_API_SECRET!;

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  route = await import("../../routes/proxy.contact");
  requests = await import("./requests.server");
  surveys = await import("./surveys.server");
  registry = await import("../dashboard/registry.server");
  (await import("../dashboard/core-metrics.server")).registerCoreDashboardMetrics();
  await t.db.shop.create({ data: { domain: SHOP, name: "Maple Goods", ianaTimezone: "UTC", currencyCode: "CAD" } });
  await t.db.order.create({
    data: {
      shop: SHOP,
      shopifyId: "gid://shopify/Order/1",
      name: "#1001",
      email: "ada@example.com",
      currency: "CAD",
      shopifyCreatedAt: new Date(),
      shopifyUpdatedAt: new Date(),
    },
  });
});
afterAll(async () => t.drop());

async function post(body: object, ip = "203.0.113.9") {
  const req = proxyRequest("contact", { locale: "en" }, { method: "POST", ip });
  const withBody = new Request(req.url, {
    method: "POST",
    headers: { ...Object.fromEntries(req.headers), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return route.action({ request: withBody, params: {}, context: {} } as never);
}

describe("storefront form", () => {
  it("refuses bad input, the honeypot and unsigned requests with clear 4xx", async () => {
    const bad = await post({ name: "", email: "x", topic: "order_status", message: "hi" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fields.email).toMatch(/email/);
    expect(
      (
        await post(
          { name: "Bot", email: "b@example.com", topic: "other", message: "buy now cheap", website: "http://spam" },
          "198.51.100.1",
        )
      ).status,
    ).toBe(422);
    const unsigned = proxyRequest("contact", {}, { method: "POST", unsigned: true });
    await expect(route.action({ request: unsigned, params: {}, context: {} } as never)).rejects.toMatchObject({
      status: 400,
    });
  });

  it("rate-limits a client after 5 attempts an hour", async () => {
    for (let i = 0; i < 5; i++) await post({ name: "", email: "", topic: "", message: "" }, "198.51.100.50");
    const blocked = await post(
      { name: "Ada", email: "ada@example.com", topic: "other", message: "Hello there" },
      "198.51.100.50",
    );
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("records a request linked to the shopper's own order, replied, closed and surveyed", async () => {
    const res = await post({
      name: "Ada",
      email: "Ada@Example.com",
      order: "1001",
      topic: "order_status",
      message: "Where is my parcel?",
    });
    expect(res.status).toBe(201);
    const body = await res.json();
    // A reference no one reads as an order number.
    expect(body.reference).toMatch(/^REQ-\d+$/);
    const request = await t.db.contactRequest.findFirstOrThrow({ where: { shop: SHOP, email: "ada@example.com" } });
    expect(request.orderShopifyId).toBe("gid://shopify/Order/1");
    const later = new Date(request.createdAt.getTime() + 30 * 60_000);
    const deps = { db: t.db, secret: secret(), now: later };
    await requests.replyToRequest(deps, SHOP, request.id, "It ships tomorrow.");
    const replied = await t.db.contactRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(replied.status).toBe("waiting");
    await expect(requests.replyToRequest(deps, "other.myshopify.com", request.id, "x y")).rejects.toMatchObject({
      status: 404,
    });
    await requests.closeRequest(deps, SHOP, request.id);
    const mails = await t.db.notification.findMany({ where: { shop: SHOP }, orderBy: { createdAt: "asc" } });
    expect(mails.map((m) => [m.kind, m.milestone.split(":")[0]])).toEqual([
      ["contact", "received"],
      ["contact", "reply"],
      ["survey", expect.any(String)],
    ]);
    // The acknowledgement: the reference in subject and text, greeted by the name the shopper typed.
    expect(mails[0].recipient).toBe("ada@example.com");
    expect(mails[0].subject).toBe(`We received your message (${body.reference})`);
    expect(mails[0].bodyText).toMatch(/^Hi Ada,/);
    expect(mails[0].bodyText).toContain(`Your reference: ${body.reference}`);
    expect(mails[0].bodyText).toContain("Where is my parcel?");
    expect(mails[1].subject).toBe(`Re: your message to Maple Goods (${body.reference})`);
    const link = /token=([^&\s"]+)/.exec(mails[2].bodyText)![1];
    const token = decodeURIComponent(link);
    expect((await surveys.answerSurvey(deps, SHOP, token, { score: "9", comment: "" })).ok).toBe(false);
    expect((await surveys.answerSurvey(deps, "other.myshopify.com", token, { score: "5", comment: "" })).ok).toBe(
      false,
    );
    expect((await surveys.answerSurvey(deps, SHOP, `${token.slice(0, -2)}xx`, { score: "5", comment: "" })).ok).toBe(
      false,
    );
    expect(await surveys.answerSurvey(deps, SHOP, token, { score: "5", comment: "Quick!" })).toEqual({
      ok: true,
      kind: "csat",
      changed: false,
    });
  });
});

describe("the acknowledgement email", () => {
  it("greets a shopper who typed a placeholder name without it, in their language, reference isolated", async () => {
    const req = proxyRequest("contact", { locale: "fa" }, { method: "POST", ip: "203.0.113.77" });
    const res = await route.action({
      request: new Request(req.url, {
        method: "POST",
        headers: { ...Object.fromEntries(req.headers), "content-type": "application/json" },
        body: JSON.stringify({
          name: "Guest",
          email: "nobody@example.com",
          topic: "product",
          message: "Is this in stock?",
          locale: "fa",
        }),
      }),
      params: {},
      context: {},
    } as never);
    expect(res.status).toBe(201);
    const { reference } = await res.json();
    const mail = await t.db.notification.findFirstOrThrow({ where: { shop: SHOP, recipient: "nobody@example.com" } });
    expect(mail.milestone).toBe("received");
    expect(mail.bodyText).not.toMatch(/guest/i);
    expect(mail.bodyText).toMatch(/^سلام،/);
    expect(mail.subject).toBe(`پیام شما رسید (\u2066${reference}\u2069)`);

    // The same shopper writing again about the same thing joins the request: no second acknowledgement.
    const again = await post({ name: "Guest", email: "nobody@example.com", topic: "product", message: "Any news?" });
    expect((await again.json()).reference).toBe(reference);
    expect(await t.db.notification.count({ where: { shop: SHOP, recipient: "nobody@example.com" } })).toBe(1);
  });
});

describe("dashboard figures against a hand-computed seed", () => {
  it("computes CSAT, first response and WISMO deflection", async () => {
    // The first test's request was made on the real clock and answered 30 minutes later, which can
    // be the next day (UTC, the shop's zone): the period runs from the request's day to the answer's.
    const answeredAt = (await t.db.surveyResponse.findFirstOrThrow({ where: { shop: SHOP } })).answeredAt!;
    const asked = (await t.db.contactRequest.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { createdAt: "asc" } }))
      .createdAt;
    const now = new Date(Math.max(Date.now(), answeredAt.getTime()));
    const day = now.toISOString().slice(0, 10);
    // Seed: CSAT answers 5 (above), 4, 2 -> 2 of 3 satisfied = 66.7 %.
    for (const [i, score] of [4, 2].entries()) {
      await t.db.surveyResponse.create({
        data: { shop: SHOP, kind: "csat", subjectId: `seed-${i}`, score, sentAt: now, answeredAt: now },
      });
    }
    await t.db.surveyResponse.create({
      data: { shop: "other.myshopify.com", kind: "csat", subjectId: "x", score: 1, sentAt: now, answeredAt: now },
    });
    // WISMO: orders 1 and 2 shipped today, both looked up; Ada asked about order 1's status
    // (above) -> 1 of 2 answered without asking.
    for (const n of [1, 2]) {
      await t.db.shipmentTracking.create({
        data: {
          shop: SHOP,
          fulfillmentShopifyId: `gid://shopify/Fulfillment/${n}`,
          orderShopifyId: `gid://shopify/Order/${n}`,
          orderName: `#${1000 + n}`,
          stage: "in_transit",
          shippedAt: now,
        },
      });
      await t.db.trackingViewDay.create({
        data: { shop: SHOP, orderShopifyId: `gid://shopify/Order/${n}`, day, views: 6, firstViewedAt: now },
      });
    }
    const d = await registry.computeDashboard(t.db, SHOP, { from: asked.toISOString().slice(0, 10), to: day }, now);
    const fig = (id: string) => d.figures.find((f) => f.id === id)!.current.value;
    expect(fig("csat")).toBeCloseTo(2 / 3);
    expect(fig("wismo_deflection")).toBe(0.5);
    // The reply came 30 minutes after the request; whether that was in opening hours depends on
    // today's clock, so the figure is 30 or less and never negative.
    const frt = fig("first_response");
    expect(frt).not.toBeNull();
    expect(frt!).toBeGreaterThanOrEqual(0);
    expect(frt!).toBeLessThanOrEqual(30);
  });
});
