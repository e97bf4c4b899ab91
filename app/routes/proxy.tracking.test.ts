/**
 * The storefront tracking endpoint, called through the real route loader with requests signed
 * the way Shopify's app proxy signs them, against a migrated database seeded by webhooks.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { webhookRequest } from "../../tests/helpers/webhooks";
import { proxyRequest } from "../../tests/helpers/app-proxy";
import {
  fulfillmentEventPayload,
  fulfillmentPayload,
  hoursAgo,
  orderPayload,
  SHOP,
} from "../../tests/helpers/tracking";

let t: TestDatabase;
let loader: (args: { request: Request; params: object; context: object }) => Promise<Response>;
let deliver: (topic: string, body: object) => Promise<void>;
let trackingToken: typeof import("../services/tracking/links.server").trackingToken;
let forgetInMemoryBlocks: () => void;

beforeAll(async () => {
  t = await createTestDatabase();
  // The route's db() reads DATABASE_URL on first use.
  process.env.DATABASE_URL = t.url;
  loader = (await import("./proxy.tracking")).loader as never;
  trackingToken = (await import("../services/tracking/links.server")).trackingToken;
  forgetInMemoryBlocks = (await import("../services/rate-limit.server")).forgetInMemoryBlocks;
  const { receiveWebhook } = await import("../webhooks/receive.server");
  const { processEvent } = await import("../jobs/process-event.server");
  deliver = async (topic, body) => {
    const ids: string[] = [];
    const res = await receiveWebhook(webhookRequest(topic, body, { shop: SHOP }), {
      db: t.db,
      secret: process.env.SHOPIFY_API_SECRET!,
      onRecorded: (id) => ids.push(id),
    });
    expect(res.status).toBe(200);
    for (const id of ids) expect(await processEvent(t.db, id)).toBe("processed");
  };
});
afterAll(async () => {
  await t.drop();
});

async function call(query: Record<string, string>, options: Parameters<typeof proxyRequest>[2] = {}) {
  try {
    return await loader({ request: proxyRequest("tracking", query, options), params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

beforeEach(async () => {
  forgetInMemoryBlocks();
  for (const table of [
    "notification",
    "rateLimitCounter",
    "shipmentTracking",
    "fulfillmentEvent",
    "fulfillment",
    "lineItem",
    "order",
    "customer",
    "shop",
    "webhookEvent",
  ] as const) {
    await (t.db[table] as { deleteMany: () => Promise<unknown> }).deleteMany();
  }
  await t.db.shop.create({
    data: { domain: SHOP, name: "Maple Goods", ianaTimezone: "America/Toronto", currencyCode: "CAD" },
  });
  await deliver(
    "orders/create",
    orderPayload({
      id: 1001,
      name: "#1001",
      email: "Ada@Example.com",
      customerId: 501,
      createdAt: hoursAgo(72),
      lineItems: [
        { id: 11, title: "Linen shirt" },
        { id: 12, title: "Wool socks", quantity: 2, fulfillable: 2 },
      ],
    }),
  );
  await deliver(
    "fulfillments/create",
    fulfillmentPayload({
      id: 9001,
      orderId: 1001,
      createdAt: hoursAgo(48),
      company: null,
      numbers: ["1Z999AA10123456784"],
      lineItems: [{ id: 11 }],
    }),
  );
  await deliver(
    "fulfillment_events/create",
    fulfillmentEventPayload({
      id: 1,
      fulfillmentId: 9001,
      orderId: 1001,
      status: "in_transit",
      happenedAt: hoursAgo(40),
      message: "Departed facility",
    }),
  );
  // Another customer's order in the same shop, and an order in another shop with the same name.
  await deliver(
    "orders/create",
    orderPayload({ id: 1002, name: "#1002", email: "grace@example.com", customerId: 502, createdAt: hoursAgo(30) }),
  );
  await deliver(
    "orders/create",
    orderPayload({ id: 1003, name: "#1003", email: "ada@example.com", customerId: 501, createdAt: hoursAgo(10) }),
  );
});

describe("signature", () => {
  it("answers 400 when the signature is missing", async () => {
    expect((await call({ order: "#1001", email: "ada@example.com" }, { unsigned: true })).status).toBe(400);
  });

  it("answers 400 when signed with another secret", async () => {
    expect((await call({ order: "#1001", email: "ada@example.com" }, { secret: "someone-else" })).status).toBe(400);
  });

  it("answers 400 when the query was changed after signing", async () => {
    const request = proxyRequest("tracking", { order: "#1001", email: "ada@example.com" });
    const tampered = new Request(request.url.replace("1001", "1002"), { headers: request.headers });
    const res = await loader({ request: tampered, params: {}, context: {} }).catch((e: Response) => e);
    expect(res.status).toBe(400);
  });

  it("answers 400 when the timestamp is stale", async () => {
    const res = await call(
      { order: "#1001", email: "ada@example.com" },
      { timestamp: Math.floor(Date.now() / 1000) - 3600 },
    );
    expect(res.status).toBe(400);
  });
});

describe("lookup by order number and email", () => {
  it("shows the order's shipments, in transit with its carrier, estimate and items", async () => {
    const res = await call({ order: "1001", email: "  ada@EXAMPLE.com ", locale: "fa" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const body = await res.json();
    expect(body.order.name).toBe("#1001");
    expect(body.language).toBe("fa");
    expect(body.timeZone).toBe("America/Toronto");
    expect(body.shipments).toHaveLength(1);
    const s = body.shipments[0];
    expect(s.carrier).toEqual({ name: "UPS", url: "https://www.ups.com/track?tracknum=1Z999AA10123456784" });
    expect(s.stage).toBe("in_transit");
    expect(s.steps.map((x: { state: string }) => x.state)).toEqual([
      "done",
      "done",
      "done",
      "current",
      "upcoming",
      "upcoming",
    ]);
    expect(s.estimate).toMatchObject({ source: "rules", confidence: "low" });
    expect(s.estimate.earliest <= s.estimate.latest).toBe(true);
    expect(s.items).toHaveLength(1);
    expect(s.items[0]).toMatchObject({ title: "Linen shirt", quantity: 1 });
    expect(s.scans[0]).toMatchObject({
      status: "in_transit",
      message: "Departed facility",
      location: "Toronto, ON, CA",
    });
    // The socks are still being prepared.
    expect(body.preparing.items).toEqual([expect.objectContaining({ title: "Wool socks", quantity: 2 })]);
    expect(body.preparing.expectedShipDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("answers with nothing about the customer or any other order", async () => {
    const text = await (await call({ order: "#1001", email: "ada@example.com" })).text();
    for (const secret of [
      "ada@example.com",
      "Ada@Example.com",
      "grace@example.com",
      "#1002",
      "#1003",
      "gid://",
      "M5V",
      'Toronto","zip',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it("gives the same 404 for a wrong email and for an order that does not exist", async () => {
    const wrongEmail = await call({ order: "#1001", email: "grace@example.com" });
    const unknown = await call({ order: "#4040", email: "ada@example.com" });
    expect(wrongEmail.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await wrongEmail.text()).toBe(await unknown.text());
  });

  it("answers 400 with a message for missing or malformed input", async () => {
    const missing = await call({ order: "#1001" });
    expect(missing.status).toBe(400);
    expect((await missing.json()).message).toMatch(/email/);
    expect((await call({ order: "#1001", email: "not-an-email" })).status).toBe(400);
    expect((await call({})).status).toBe(400);
  });
});

describe("rate limit on failed lookups", () => {
  const blocksAClientAfter =
    "blocks a client after 8 failures with 429 and Retry-After, even for a right answer, but not other clients";
  it(blocksAClientAfter, async () => {
    for (let i = 0; i < 8; i++)
      expect((await call({ order: `#${2000 + i}`, email: "x@example.com" }, { ip: "198.51.100.9" })).status).toBe(404);
    const blocked = await call({ order: "#1001", email: "ada@example.com" }, { ip: "198.51.100.9" });
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect((await blocked.json()).error).toBe("rate_limited");
    // Another shopper is not affected.
    expect((await call({ order: "#1001", email: "ada@example.com" }, { ip: "198.51.100.10" })).status).toBe(200);
    // Successful lookups do not count.
    for (let i = 0; i < 10; i++)
      expect((await call({ order: "#1001", email: "ada@example.com" }, { ip: "198.51.100.11" })).status).toBe(200);
    // Counters hold a keyed hash, never the address.
    const keys = (await t.db.rateLimitCounter.findMany()).map((r) => r.key).join(" ");
    expect(keys).not.toContain("198.51.100");
  });
});

describe("a flood of failed lookups (issue: one visitor locked a whole shop)", () => {
  const token = (order: number) =>
    trackingToken({
      shop: SHOP,
      orderShopifyId: `gid://shopify/Order/${order}`,
      secret: process.env.SHOPIFY_API_SECRET!,
      now: new Date(),
    });

  it("locks out only the flooding client, whatever it puts in front of X-Forwarded-For", async () => {
    // 400 failures, each with a different made-up address in front of the one Shopify appended.
    for (let i = 0; i < 400; i++) {
      const res = await call(
        { order: `#${3000 + i}`, email: "x@example.com" },
        { ip: `10.0.${i >> 8}.${i & 255}, 198.51.100.20` },
      );
      expect(res.status).toBe(i < 8 ? 404 : 429);
    }
    const refused = await call({ order: "#1001", email: "ada@example.com" }, { ip: "192.0.2.1, 198.51.100.20" });
    expect(refused.status).toBe(429);
    expect((await refused.json()).message).toMatch(/try again in \d+ minutes/);
    // Everyone else: the right order and email, and the signed link from an email.
    expect((await call({ order: "#1001", email: "ada@example.com" }, { ip: "198.51.100.21" })).status).toBe(200);
    expect((await call({ order: "#1003", email: "ada@example.com" }, { ip: "2001:db8:1::7" })).status).toBe(200);
    expect((await call({ token: token(1002) }, { ip: "198.51.100.22" })).status).toBe(200);
    // Even the flooding client's own signed link works: a valid link is no guess.
    expect((await call({ token: token(1002) }, { ip: "198.51.100.20" })).status).toBe(200);
  });

  it("protects an order being guessed at from many addresses, and no other order", async () => {
    // 20 wrong emails for #1001 from 10 addresses, 2 each: no client reaches its own limit.
    for (let i = 0; i < 20; i++)
      expect(
        (await call({ order: "#1001", email: `guess${i}@example.com` }, { ip: `203.0.113.${100 + (i >> 1)}` })).status,
      ).toBe(404);
    const refused = await call({ order: "1001", email: "ada@example.com" }, { ip: "198.51.100.30" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = await refused.json();
    expect(body).toMatchObject({ error: "rate_limited", limit: "order" });
    expect(body.message).toMatch(/link in your email/);
    // A right email now answers exactly as a wrong one: the guesser learns nothing more.
    expect((await call({ order: "#1001", email: "grace@example.com" }, { ip: "198.51.100.31" })).status).toBe(429);
    // The shop's other orders, the order's signed link and its signed-in owner still work.
    expect((await call({ order: "#1003", email: "ada@example.com" }, { ip: "198.51.100.30" })).status).toBe(200);
    expect((await call({ token: token(1001) }, { ip: "198.51.100.30" })).status).toBe(200);
    expect((await call({ order: "#1001" }, { ip: "198.51.100.30", loggedInCustomerId: "501" })).status).toBe(200);
    // Another signed-in customer gets no further than anyone else.
    expect(
      (await call({ order: "#1001", email: "ada@example.com" }, { ip: "198.51.100.32", loggedInCustomerId: "502" }))
        .status,
    ).toBe(429);
  });

  it("counts a client by the address Shopify appended, so a rotated header does not reset its limit", async () => {
    for (let i = 0; i < 8; i++)
      await call({ order: `#${5000 + i}`, email: "x@example.com" }, { ip: `198.51.100.${i}, 198.51.100.40` });
    expect(
      (await call({ order: `#5100`, email: "x@example.com" }, { ip: "198.51.100.99, 198.51.100.40" })).status,
    ).toBe(429);
    // IPv6: the /64 is one client.
    for (let i = 0; i < 8; i++)
      await call({ order: `#${6000 + i}`, email: "x@example.com" }, { ip: `2001:db8:7:7::${i + 1}` });
    expect((await call({ order: "#6100", email: "x@example.com" }, { ip: "2001:db8:7:7:ffff::1" })).status).toBe(429);
    expect((await call({ order: "#6100", email: "x@example.com" }, { ip: "2001:db8:7:8::1" })).status).toBe(404);
  });
});

describe("repeated signed parameters", () => {
  const refusesASignedRequest =
    "refuses a signed request with another customer id put in front, through the route and the fast path";
  it(refusesASignedRequest, async () => {
    const signed = proxyRequest("tracking", {}, { loggedInCustomerId: "502" });
    const url = signed.url.replace("?", "?logged_in_customer_id=501&");
    const res = await loader({
      request: new Request(url, { headers: signed.headers }),
      params: {},
      context: {},
    }).catch((e: Response) => e);
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/repeats "logged_in_customer_id"/);
    const { answerTrackingLookup } = await import("../services/tracking/endpoint.server");
    const fast = await answerTrackingLookup({ url: url.replace(/^http:\/\/[^/]+/, ""), forwardedFor: "203.0.113.7" });
    expect(fast.status).toBe(400);
    expect(fast.body).not.toContain("#1002");
    // The same request without the extra value is fine.
    expect((await call({}, { loggedInCustomerId: "502" })).status).toBe(200);
  });
});

describe("logged-in customer", () => {
  it("lists only that customer's orders, each with a link that opens it", async () => {
    const res = await call({}, { loggedInCustomerId: "501" });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.customer.orders.map((o: { name: string }) => o.name)).toEqual(["#1003", "#1001"]);
    expect(JSON.stringify(body)).not.toContain("#1002");
    const opened = await call({ token: body.customer.orders[1].token });
    expect(opened.status).toBe(200);
    expect((await opened.json()).order.name).toBe("#1001");
  });

  it("opens the customer's own order by number without an email, but not someone else's", async () => {
    expect((await call({ order: "#1001" }, { loggedInCustomerId: "501" })).status).toBe(200);
    expect((await call({ order: "#1002" }, { loggedInCustomerId: "501" })).status).toBe(404);
  });
});

describe("signed link token", () => {
  const secret = () => process.env.SHOPIFY_API_SECRET!;

  it("opens the order it names", async () => {
    const token = trackingToken({
      shop: SHOP,
      orderShopifyId: "gid://shopify/Order/1002",
      secret: secret(),
      now: new Date(),
    });
    const res = await call({ token });
    expect(res.status).toBe(200);
    expect((await res.json()).order.name).toBe("#1002");
  });

  it("is refused for another shop, when expired, or when altered", async () => {
    const other = trackingToken({
      shop: "other.myshopify.com",
      orderShopifyId: "gid://shopify/Order/1001",
      secret: secret(),
      now: new Date(),
    });
    expect((await call({ token: other })).status).toBe(404);
    const expired = trackingToken({
      shop: SHOP,
      orderShopifyId: "gid://shopify/Order/1001",
      secret: secret(),
      now: new Date(Date.now() - 200 * 86_400_000),
    });
    const res = await call({ token: expired });
    expect(res.status).toBe(404);
    expect((await res.json()).error).toBe("link_expired");
    const valid = trackingToken({
      shop: SHOP,
      orderShopifyId: "gid://shopify/Order/1001",
      secret: secret(),
      now: new Date(),
    });
    const [payload, mac] = valid.split(".");
    const forged = Buffer.from(Buffer.from(payload, "base64url").toString().replace("1001", "1002")).toString(
      "base64url",
    );
    expect((await call({ token: `${forged}.${mac}` })).status).toBe(404);
  });
});
