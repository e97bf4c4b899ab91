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
    expect(body.reference).toMatch(/^#\d+$/);
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
    expect(mails.map((m) => m.kind)).toEqual(["contact", "survey"]);
    const link = /token=([^&\s"]+)/.exec(mails[1].bodyText)![1];
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

describe("dashboard figures against a hand-computed seed", () => {
  it("computes CSAT, first response and WISMO deflection", async () => {
    const now = new Date();
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
    // Tracking: 6 views; 1 order-status contact (above) -> 6 / 7.
    await t.db.trackingViewDay.create({
      data: { shop: SHOP, orderShopifyId: "gid://shopify/Order/1", day, views: 6, firstViewedAt: now },
    });
    const d = await registry.computeDashboard(t.db, SHOP, { from: day, to: day }, now);
    const fig = (id: string) => d.figures.find((f) => f.id === id)!.current.value;
    expect(fig("csat")).toBeCloseTo(2 / 3);
    expect(fig("wismo_deflection")).toBeCloseTo(6 / 7);
    // The reply came 30 minutes after the request; whether that was in opening hours depends on
    // today's clock, so the figure is 30 or less and never negative.
    const frt = fig("first_response");
    expect(frt).not.toBeNull();
    expect(frt!).toBeGreaterThanOrEqual(0);
    expect(frt!).toBeLessThanOrEqual(30);
  });
});
