/**
 * The customer-account endpoints: the real routes with real Requests and session tokens signed
 * as Shopify signs them, and the endpoint functions against the in-process sandbox (its Admin API
 * standing in for Shopify's checks), on a migrated database fed by the sandbox's webhooks.
 */
import { createHmac } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { processingWebhookFetch } from "../../tests/helpers/webhooks";
import { testSandbox, TEST_SHOP } from "../../sandbox/engine/testing";
import { adminClient } from "../shopify/admin.server";
import { ReturnableFulfillments, ReturnRequest } from "../shopify/operations/returns";
import { REQUEST_RETURN, type RequestReturnData } from "../../extensions/aftercare-returns-page/src/documents";
import type { CustomerAccountDeps } from "../services/customer-accounts/endpoints.server";
import type { CustomerAccountSession } from "../services/customer-accounts/session.server";

type Handler = (args: { request: Request; params: object; context: object }) => Promise<Response>;
const secret = process.env.SHOPIFY_API_SECRET!;
const apiKey = process.env.SHOPIFY_API_KEY!;
/**
 * The test's today. Date alone is frozen at it (timers run): the sandbox, the app, the session
 * tokens and Shopify's library all read the same clock, and return windows never depend on the day.
 */
const NOW = new Date("2026-11-04T15:00:00.000Z");
const nowSeconds = () => Math.floor(NOW.getTime() / 1000);
/** Shopify's clock runs an hour behind, so what it stamps (a paid order, a delivery) is past for the app. */
const SHOPIFY_NOW = new Date(NOW.getTime() - 3_600_000);

let t: TestDatabase;
let world: ReturnType<typeof build>;
let routes: Record<"tracking" | "returns" | "rewards", { loader: Handler; action: Handler }>;
let endpoints: typeof import("../services/customer-accounts/endpoints.server");

function build() {
  const { sandbox, tee, mug } = testSandbox({
    webhookFetch: processingWebhookFetch(t.db, secret),
    apiSecret: secret,
    clock: () => SHOPIFY_NOW,
  });
  const ada = sandbox.createCustomer({ shop: TEST_SHOP, email: "ada@example.com", firstName: "Ada" });
  const bob = sandbox.createCustomer({ shop: TEST_SHOP, email: "bob@example.com", firstName: "Bob" });
  const order = sandbox.placeOrder({
    shop: TEST_SHOP,
    customer: ada,
    lines: [
      { variantId: tee.variants[0].id, quantity: 2 },
      { variantId: mug.variants[0].id, quantity: 1 },
    ],
    paid: true,
  });
  const shipment = sandbox.fulfil({
    shop: TEST_SHOP,
    order,
    trackingCompany: "UPS",
    trackingNumber: "1Z999AA10123456784",
  });
  sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: shipment, status: "delivered" });
  const bobsOrder = sandbox.placeOrder({
    shop: TEST_SHOP,
    customer: bob,
    lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
    paid: true,
  });
  const admin = adminClient(sandbox.graphqlClient(TEST_SHOP));
  const deps: CustomerAccountDeps = { db: t.db, secret, admin: async () => admin, now: () => NOW };
  const orderGid = `gid://shopify/Order/${order.id}`;
  const session: CustomerAccountSession = {
    shop: TEST_SHOP,
    customerGid: `gid://shopify/Customer/${ada.id}`,
    customerId: String(ada.id),
  };
  return { sandbox, ada, bob, order, bobsOrder, orderGid, admin, deps, session, tee, mug };
}

const b64 = (value: object | string) =>
  Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/** A session token as Shopify mints one for a customer-account extension (HS256 with the app's secret). */
function sessionToken(claims: Record<string, unknown> = {}, key = secret) {
  const now = nowSeconds();
  const payload = {
    iss: `https://${TEST_SHOP}`,
    dest: TEST_SHOP,
    aud: apiKey,
    sub: `gid://shopify/Customer/${world.ada.id}`,
    exp: now + 60,
    nbf: now - 5,
    iat: now - 5,
    jti: `t-${now}-${Math.random()}`,
    ...claims,
  };
  const head = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(payload)}`;
  return `${head}.${createHmac("sha256", key).update(head).digest("base64url")}`;
}

const ORIGIN = "https://extensions.shopifycdn.com";

async function call(
  route: keyof typeof routes,
  init: { method?: string; token?: string | null; query?: Record<string, string>; body?: unknown } = {},
) {
  const url = new URL(`http://127.0.0.1:3999/api/customer-account/${route}`);
  for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {
    Origin: ORIGIN,
    "User-Agent":
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  };
  const token = init.token === undefined ? sessionToken() : init.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const method = init.method ?? "GET";
  const request = new Request(url, {
    method,
    headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
  const handler = method === "GET" ? routes[route].loader : routes[route].action;
  const response = await handler({ request, params: {}, context: {} });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  world = build();
  await world.sandbox.flush();
  routes = {
    tracking: (await import("./api.customer-account.tracking")) as never,
    returns: (await import("./api.customer-account.returns")) as never,
    rewards: (await import("./api.customer-account.rewards")) as never,
  };
  endpoints = await import("../services/customer-accounts/endpoints.server");
});
afterAll(async () => {
  world?.sandbox.close();
  await t.drop();
  vi.useRealTimers();
});

describe("session tokens and CORS", () => {
  it("answers the preflight from an extension's origin", async () => {
    const answer = await call("tracking", { method: "OPTIONS", token: null });
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
    expect(answer.headers.get("access-control-allow-methods")).toMatch(/POST/);
  });

  it.each([
    ["missing", null],
    ["expired", () => sessionToken({ exp: nowSeconds() - 120, nbf: nowSeconds() - 300 })],
    ["forged", () => sessionToken({}, "not-the-app-secret")],
    ["for another app", () => sessionToken({ aud: "another-app" })],
    ["without a signed-in customer", () => sessionToken({ sub: undefined })],
    ["malformed", "abc.def.ghi"],
  ])("refuses a %s token with a 401 the extension can read", async (_name, token) => {
    const value = typeof token === "function" ? token() : token;
    const answer = await call("tracking", { token: value, query: { order: world.orderGid } });
    expect(answer.status).toBe(401);
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.body).toMatchObject({ error: "unauthorized", message: expect.any(String) });
  });

  it("gives another shop's token and another customer's order the same answer as an unknown order", async () => {
    const unknown = await call("tracking", { query: { order: "gid://shopify/Order/987654321" } });
    const otherShop = await call("tracking", {
      token: sessionToken({ dest: "elsewhere.myshopify.com" }),
      query: { order: world.orderGid },
    });
    const otherCustomer = await call("tracking", { query: { order: `gid://shopify/Order/${world.bobsOrder.id}` } });
    const returnsOfOther = await call("returns", { query: { order: `gid://shopify/Order/${world.bobsOrder.id}` } });
    expect(unknown.status).toBe(404);
    for (const answer of [otherShop, otherCustomer, returnsOfOther]) {
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual(unknown.body);
    }
  });

  it.each([
    ["the bare shop domain", TEST_SHOP],
    ["an https origin", `https://${TEST_SHOP}`],
    ["an https origin ending in a slash", `https://${TEST_SHOP}/`],
    ["capitals", `HTTPS://${TEST_SHOP.toUpperCase()}`],
  ])("takes the shop from a dest written as %s", async (_form, dest) => {
    const answer = await call("tracking", { token: sessionToken({ dest }), query: { order: world.orderGid } });
    expect(answer.status).toBe(200);
    expect(answer.body.order.name).toBe(world.order.name);
  });

  it("gives another shop's token, in either form, the unknown order's answer", async () => {
    const unknown = await call("tracking", { query: { order: "gid://shopify/Order/987654321" } });
    for (const dest of [
      "elsewhere.myshopify.com",
      "https://elsewhere.myshopify.com",
      "https://elsewhere.myshopify.com/",
    ]) {
      const answer = await call("returns", { token: sessionToken({ dest }), query: { order: world.orderGid } });
      expect({ dest, status: answer.status, body: answer.body }).toEqual({ dest, status: 404, body: unknown.body });
    }
  });

  it.each([
    ["plain http", `http://${TEST_SHOP}`],
    ["a path", `https://${TEST_SHOP}/admin`],
    ["a port", `https://${TEST_SHOP}:443`],
    ["credentials", `https://user@${TEST_SHOP}`],
    ["a domain that is not a shop's", "https://example.com"],
    ["this shop inside another domain", `${TEST_SHOP}.example.com`],
    ["nothing", ""],
  ])("refuses a dest with %s with a 401", async (_what, dest) => {
    const answer = await call("tracking", { token: sessionToken({ dest }), query: { order: world.orderGid } });
    expect(answer).toMatchObject({ status: 401, body: { error: "unauthorized" } });
  });

  it("says what is wrong with bad input", async () => {
    expect(await call("tracking", { query: { order: "DROP TABLE" } })).toMatchObject({
      status: 400,
      body: { error: "invalid_request" },
    });
    expect(await call("returns", { method: "POST", body: "{not json" })).toMatchObject({
      status: 400,
      body: { message: expect.any(String) },
    });
    expect(await call("returns", { method: "POST", body: { intent: "fly", order: world.orderGid } })).toMatchObject({
      status: 400,
      body: { error: "unknown_action" },
    });
    expect(await call("rewards", { method: "POST", body: [1, 2] })).toMatchObject({ status: 400 });
    expect(await call("tracking", { method: "POST", body: {} })).toMatchObject({ status: 405 });
  });
});

describe("tracking on the order status page", () => {
  it("shows the shipment with carrier, number, link and timeline, that items can be returned, and CORS", async () => {
    const answer = await call("tracking", { query: { order: world.orderGid, locale: "fa" } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.body).toMatchObject({
      order: { name: world.order.name },
      language: "fa",
      shipments: [{ trackingNumber: "1Z999AA10123456784", stage: "delivered", carrier: { name: "UPS" } }],
      returns: { available: true },
    });
    expect(answer.body.shipments[0].trackingUrl).toMatch(/^https:\/\//);
    expect(answer.body.shipments[0].steps.length).toBeGreaterThan(0);
    expect(answer.body).not.toHaveProperty("recommendations");
  });
});

describe("returns through customer accounts", () => {
  const ref = () => world.session;
  const post = (body: Record<string, unknown>) =>
    endpoints.customerReturnsPost(ref(), { order: world.orderGid, ...body }, world.deps);
  const tee = () => `gid://shopify/LineItem/${world.order.lineItems[0].id}`;
  /** Shopify makes the requested return, as the Customer Account API's orderRequestReturn does for the shopper. */
  async function requestInShopify(returnReasonDefinitionId: string) {
    const returnable = await world.admin.request(ReturnableFulfillments, { orderId: world.orderGid });
    const line = returnable.returnableFulfillments.nodes
      .flatMap((f) => f.returnableFulfillmentLineItems.nodes)
      .find((n) => n.fulfillmentLineItem.lineItem.id === tee())!;
    const made = await world.admin.mutate(ReturnRequest, (d) => d.returnRequest, {
      input: {
        orderId: world.orderGid,
        returnLineItems: [
          { fulfillmentLineItemId: line.fulfillmentLineItem.id, quantity: 1, returnReasonDefinitionId },
        ],
      },
    });
    return made.return!.id;
  }
  let keys = 0;
  const key = () => `ca${(keys++).toString().padStart(8, "0")}`;

  it("lists each line's eligibility, what is offered, and no earlier returns", async () => {
    const answer = await endpoints.customerReturns(ref(), new URLSearchParams({ order: world.orderGid }), world.deps);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      order: { name: world.order.name },
      lines: [
        { id: tee(), returnable: 2, reason: null },
        { returnable: 1, reason: null },
      ],
      returns: [],
    });
    expect(answer.body).not.toHaveProperty("token");
  });

  it("refuses what the policy refuses, with a 4xx and nothing written", async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [
        { intent: "start", resolution: "refund", items: [{ lineItemId: tee(), quantity: 1, reason: "too_small" }] },
        400,
        "invalid_request",
      ],
      [{ intent: "start", key: key(), resolution: "refund", items: "nope" }, 400, "invalid_request"],
      [
        {
          intent: "start",
          key: key(),
          resolution: "refund",
          items: [{ lineItemId: tee(), quantity: 3, reason: "too_small" }],
        },
        422,
        "quantity_too_high",
      ],
      [
        {
          intent: "start",
          key: key(),
          resolution: "refund",
          items: [{ lineItemId: tee(), quantity: 1, reason: "bored" }],
        },
        422,
        "unknown_reason",
      ],
      [
        { intent: "quote", resolution: "teleport", items: [{ lineItemId: tee(), quantity: 1, reason: "too_small" }] },
        422,
        "resolution_not_offered",
      ],
      [{ intent: "link", returnId: "nope", shopifyReturnId: "gid://shopify/Return/1" }, 404, "not_found"],
    ];
    for (const [body, status, error] of cases) {
      const answer = await post(body);
      expect([body.intent, answer.status, (answer.body as { error: string }).error]).toEqual([
        body.intent,
        status,
        error,
      ]);
      expect((answer.body as { message: string }).message).toEqual(expect.any(String));
    }
    expect(await t.db.returnCase.count()).toBe(0);
    expect(await t.db.returnLineClaim.aggregate({ _sum: { claimed: true } })).toMatchObject({
      _sum: { claimed: null },
    });
  });

  it("quotes, starts, links the return Shopify made for the request, and shows it as an earlier return", async () => {
    const items = [{ lineItemId: tee(), quantity: 1, reason: "too_small" }];
    const quote = await post({ intent: "quote", resolution: "store_credit", items });
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({ currency: "USD", quote: { items: 3500 } });

    const started = await post({ intent: "start", key: key(), resolution: "store_credit", items });
    expect(started.status).toBe(201);
    const { returnId, shopifyRequest } = started.body as {
      returnId: string;
      shopifyRequest: {
        orderId: string;
        requestedLineItems: { lineItemId: string; quantity: number; returnReasonDefinitionId: string }[];
      };
    };
    expect(shopifyRequest).toMatchObject({
      orderId: world.orderGid,
      requestedLineItems: [
        { lineItemId: tee(), quantity: 1, returnReasonDefinitionId: expect.stringMatching(/^gid:/) },
      ],
    });
    expect((started.body as { return: { amounts: { total: number } } }).return.amounts.total).toBe(
      (quote.body as { quote: { total: number } }).quote.total,
    );

    // Shopify makes the requested return (the Customer Account API's orderRequestReturn does this for the shopper).
    const returnable = await world.admin.request(ReturnableFulfillments, { orderId: world.orderGid });
    const line = returnable.returnableFulfillments.nodes
      .flatMap((f) => f.returnableFulfillmentLineItems.nodes)
      .find((n) => n.fulfillmentLineItem.lineItem.id === tee())!;
    const made = await world.admin.mutate(ReturnRequest, (d) => d.returnRequest, {
      input: {
        orderId: world.orderGid,
        returnLineItems: [
          {
            fulfillmentLineItemId: line.fulfillmentLineItem.id,
            quantity: 1,
            returnReasonDefinitionId: shopifyRequest.requestedLineItems[0].returnReasonDefinitionId,
          },
        ],
      },
    });
    const shopifyReturnId = made.return!.id;

    // Another customer cannot link it, nor can a return of another order be passed off.
    const asBob = {
      ...world.session,
      customerGid: `gid://shopify/Customer/${world.bob.id}`,
      customerId: String(world.bob.id),
    };
    expect(
      (
        await endpoints.customerReturnsPost(
          asBob,
          { intent: "link", order: world.orderGid, returnId, shopifyReturnId },
          world.deps,
        )
      ).status,
    ).toBe(404);
    expect((await post({ intent: "link", returnId, shopifyReturnId: "gid://shopify/Return/99999999" })).status).toBe(
      409,
    );

    const linked = await post({ intent: "link", returnId, shopifyReturnId });
    expect(linked.status).toBe(200);
    const stored = await t.db.returnCase.findUniqueOrThrow({ where: { id: returnId } });
    expect(stored).toMatchObject({
      shopifyReturnId,
      resolution: "store_credit",
      customerShopifyId: world.session.customerGid,
    });
    // Linking again is harmless; withdrawing a linked return is refused.
    expect((await post({ intent: "link", returnId, shopifyReturnId })).status).toBe(200);
    expect((await post({ intent: "withdraw", returnId })).status).toBe(409);

    const view = await endpoints.customerReturns(ref(), new URLSearchParams({ order: world.orderGid }), world.deps);
    expect(view.body).toMatchObject({
      lines: [{ returnable: 1 }, { returnable: 1 }],
      returns: [{ resolution: "store_credit" }],
    });
  });

  it("an exchange asked through customer accounts becomes Shopify's exchange when approved", async () => {
    const { approveReturn } = await import("../services/returns/workflow.server");
    const sizeM = `gid://shopify/ProductVariant/${world.tee.variants[1].id}`;
    const started = await post({
      intent: "start",
      key: key(),
      resolution: "exchange_variant",
      items: [{ lineItemId: tee(), quantity: 1, reason: "too_small", exchangeVariantId: sizeM }],
    });
    expect(started.status).toBe(201);
    const { returnId, shopifyRequest } = started.body as {
      returnId: string;
      shopifyRequest: { requestedLineItems: { returnReasonDefinitionId: string }[] };
    };
    const shopifyReturnId = await requestInShopify(shopifyRequest.requestedLineItems[0].returnReasonDefinitionId);
    expect((await post({ intent: "link", returnId, shopifyReturnId })).status).toBe(200);

    const approved = await approveReturn(TEST_SHOP, returnId, { db: t.db, admin: world.admin, secret });
    expect(approved.status).toBe("approved");
    expect(approved.shopifyReturnId).not.toBe(shopifyReturnId);
    expect(approved.shopifyStatus).toBe("OPEN");
    expect(approved.lines[0].shopifyExchangeLineItemId).toMatch(/^gid:/);
    // The shopper's request is declined in Shopify, and that decline does not touch Aftercare's return.
    const { ReturnForProcessing } = await import("../shopify/operations/returns");
    expect((await world.admin.request(ReturnForProcessing, { id: shopifyReturnId })).return?.status).toBe("DECLINED");
    await world.sandbox.flush();
    expect(await t.db.returnCase.findUniqueOrThrow({ where: { id: returnId } })).toMatchObject({ status: "approved" });
  });

  it("withdraws a request Shopify refused, giving its quantities back", async () => {
    const mug = `gid://shopify/LineItem/${world.order.lineItems[1].id}`;
    const started = await post({
      intent: "start",
      key: key(),
      resolution: "refund",
      items: [{ lineItemId: mug, quantity: 1, reason: "changed_mind" }],
    });
    expect(started.status).toBe(201);
    const { returnId } = started.body as { returnId: string };
    const withdrawn = await post({ intent: "withdraw", returnId, message: "Item is not returnable" });
    expect(withdrawn).toMatchObject({ status: 200, body: { withdrawn: true } });
    expect(await t.db.returnCase.findUniqueOrThrow({ where: { id: returnId } })).toMatchObject({
      status: "canceled",
      syncError: expect.stringContaining("Item is not returnable"),
    });
    const view = await endpoints.customerReturns(ref(), new URLSearchParams({ order: world.orderGid }), world.deps);
    expect((view.body as { lines: { returnable: number }[] }).lines[1].returnable).toBe(1);
  });
});

/**
 * The whole round through Shopify's Customer Account API as the sandbox runs it (Shopify's 2026-07
 * customer schema): the document the returns page sends, with the variables the start answers,
 * as the signed-in shopper; the returns/request webhook it causes; and a request made in Shopify's
 * own return form, which reaches Aftercare only as that webhook.
 */
describe("returns with Shopify's Customer Account API", () => {
  let keys = 0;
  const key = () => `cx${(keys++).toString().padStart(8, "0")}`;
  /** A delivered order of Ada's with two tees and a mug, mirrored. */
  async function freshOrder() {
    const { sandbox, ada, tee, mug } = world;
    const order = sandbox.placeOrder({
      shop: TEST_SHOP,
      customer: ada,
      lines: [
        { variantId: tee.variants[0].id, quantity: 2 },
        { variantId: mug.variants[0].id, quantity: 1 },
      ],
      paid: true,
    });
    const shipment = sandbox.fulfil({ shop: TEST_SHOP, order, trackingCompany: "UPS", trackingNumber: "1Z1" });
    sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: shipment, status: "delivered" });
    await sandbox.flush();
    return {
      gid: `gid://shopify/Order/${order.id}`,
      tee: `gid://shopify/LineItem/${order.lineItems[0].id}`,
      mug: `gid://shopify/LineItem/${order.lineItems[1].id}`,
    };
  }
  /** A document run by Shopify's Customer Account API as Ada (what the extension's fetch reaches). */
  const asAda = async (query: string, variables: object) =>
    (await world.sandbox.customerAccounts.graphql(TEST_SHOP, world.ada.id, {
      query,
      variables: variables as Record<string, unknown>,
    })) as {
      data?: RequestReturnData | null;
      errors?: { message: string }[];
    };
  const post = (order: string, body: Record<string, unknown>) =>
    endpoints.customerReturnsPost(world.session, { order, ...body }, world.deps);
  const casesOf = (order: string) =>
    t.db.returnCase.findMany({ where: { orderShopifyId: order }, include: { lines: true } });

  it("the start's lines are what orderRequestReturn takes; the return Shopify makes links once", async () => {
    const o = await freshOrder();
    const items = [{ lineItemId: o.tee, quantity: 2, reason: "too_small", note: "Both run small" }];
    const started = await post(o.gid, { intent: "start", key: key(), resolution: "refund", items });
    expect(started.status).toBe(201);
    const { returnId, shopifyRequest } = started.body as { returnId: string; shopifyRequest: object };
    // The extension's own document and these variables, as Shopify's 2026-07 schema executes them.
    const asked = await asAda(REQUEST_RETURN, shopifyRequest);
    expect(asked.errors).toBeUndefined();
    expect(asked.data?.orderRequestReturn?.userErrors).toEqual([]);
    const made = asked.data!.orderRequestReturn!.return!;
    expect(made.status).toBe("REQUESTED");
    // The extension's link and Shopify's returns/request race; whichever comes first, one return results.
    expect((await post(o.gid, { intent: "link", returnId, shopifyReturnId: made.id })).status).toBe(200);
    await world.sandbox.flush();
    const cases = await casesOf(o.gid);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ id: returnId, shopifyReturnId: made.id, status: "requested" });
    expect(cases[0].lines).toMatchObject([{ quantity: 2, reason: "too_small", note: "Both run small" }]);
  });

  it("a shopper who leaves before the link: Shopify's returns/request links the return and emails them", async () => {
    const o = await freshOrder();
    const items = [{ lineItemId: o.mug, quantity: 1, reason: "defective", note: "Chipped rim" }];
    const started = await post(o.gid, { intent: "start", key: key(), resolution: "store_credit", items });
    const { returnId, shopifyRequest } = started.body as { returnId: string; shopifyRequest: object };
    const made = (await asAda(REQUEST_RETURN, shopifyRequest)).data!.orderRequestReturn!.return!;
    await world.sandbox.flush();
    expect(await casesOf(o.gid)).toMatchObject([
      { id: returnId, shopifyReturnId: made.id, shopifyStatus: "REQUESTED" },
    ]);
    expect(
      await t.db.notification.count({ where: { kind: "returns", subjectId: returnId, milestone: "requested" } }),
    ).toBe(1);
    // The link arriving late is answered as done, and emails nothing more.
    expect((await post(o.gid, { intent: "link", returnId, shopifyReturnId: made.id })).status).toBe(200);
    expect(await t.db.notification.count({ where: { kind: "returns", subjectId: returnId } })).toBe(1);
  });

  it("a request made in Shopify's own form is on the desk as a customer-account request with its reasons", async () => {
    const { returnReasonDefinitions } = await import("../services/returns/reason-definitions.server");
    const { definitionFor } = await import("../domain/returns/reason-definitions");
    const { listReturns, returnDetail, parseDeskFilter } = await import("../services/returns/desk.server");
    const { onReturnRequested } = await import("../services/returns/register.server");
    const { approveReturn } = await import("../services/returns/workflow.server");
    const o = await freshOrder();
    const tooSmall = definitionFor("SIZE_TOO_SMALL", await returnReasonDefinitions(world.admin, TEST_SHOP))!;
    const colour = definitionFor("COLOR", await returnReasonDefinitions(world.admin, TEST_SHOP))!;
    const asked = await asAda(REQUEST_RETURN, {
      orderId: o.gid,
      requestedLineItems: [
        { lineItemId: o.tee, quantity: 1, returnReasonDefinitionId: tooSmall.id, customerNote: "Runs small" },
        { lineItemId: o.mug, quantity: 1, returnReasonDefinitionId: colour.id },
      ],
    });
    const made = asked.data!.orderRequestReturn!.return!;
    await world.sandbox.flush();

    const [ret] = await casesOf(o.gid);
    expect(ret).toMatchObject({
      shopifyReturnId: made.id,
      status: "requested",
      resolution: "refund",
      customerShopifyId: world.session.customerGid,
      autoApproved: false,
      itemsMinor: 3500 + 1800,
      restockingFeeMinor: 0,
      bonusMinor: 0,
    });
    const desk = await listReturns(t.db, TEST_SHOP, parseDeskFilter(new URLSearchParams()));
    expect(desk.filter((r) => r.shopifyReturnId === made.id)).toHaveLength(1);
    const detail = (await returnDetail(t.db, TEST_SHOP, ret.id))!;
    expect(detail.ret.channel).toBe("shopify_customer_account");
    expect(detail.ret.lines.map((l) => [l.title, l.quantity, l.reasonLabel, l.note])).toEqual([
      ["Linen Tee", 1, "Too small", "Runs small"],
      // No reason of the policy stands for Shopify's "color": Shopify's own word for it.
      ["Enamel Mug", 1, "Color", null],
    ]);

    // Those units are no longer offered through Aftercare, and the shopper sees the return there.
    const view = await endpoints.customerReturns(world.session, new URLSearchParams({ order: o.gid }), world.deps);
    expect(view.body).toMatchObject({
      lines: [
        { id: o.tee, returnable: 1 },
        { id: o.mug, returnable: 0, reason: "already_returned" },
      ],
      returns: [{ number: ret.number, status: "requested", resolution: "refund" }],
    });

    // The same webhook again (Shopify retries) records nothing more.
    const payload = {
      id: Number(made.id.split("/").pop()),
      admin_graphql_api_id: made.id,
      status: "requested",
      order: { id: Number(o.gid.split("/").pop()), admin_graphql_api_id: o.gid },
      return_line_items: [
        {
          quantity: 1,
          return_reason: "size_too_small",
          fulfillment_line_item: { line_item: { admin_graphql_api_id: o.tee } },
        },
      ],
    };
    const now = NOW;
    await onReturnRequested(
      { db: t.db, shop: TEST_SHOP, topic: "returns/request", payload, eventAt: now, now },
      async () => null,
    );
    expect(await casesOf(o.gid)).toHaveLength(1);

    // The merchant approves it on the desk like any return: Shopify's request becomes open.
    const approved = await approveReturn(TEST_SHOP, ret.id, { db: t.db, admin: world.admin, secret });
    expect(approved).toMatchObject({ status: "approved", shopifyReturnId: made.id, shopifyStatus: "OPEN" });
  });

  it("takes photos for a damaged item through Shopify's staged uploads, as the storefront does", async () => {
    const o = await freshOrder();
    const photo = { filename: "chipped mug.jpg", mimeType: "image/jpeg", fileSize: 1024 };
    // Limits and ownership first, each a 4xx with a message, nothing staged.
    expect(await post(o.gid, { intent: "photos", uploads: [photo, photo, photo, photo] })).toMatchObject({
      status: 400,
      body: { error: "too_many_photos", message: expect.any(String) },
    });
    expect(await post(o.gid, { intent: "photos", uploads: [{ ...photo, mimeType: "application/pdf" }] })).toMatchObject(
      { status: 400, body: { error: "photo_type" } },
    );
    expect(
      await post(`gid://shopify/Order/${world.bobsOrder.id}`, { intent: "photos", uploads: [photo] }),
    ).toMatchObject({ status: 404 });

    const staged = await post(o.gid, { intent: "photos", uploads: [photo] });
    expect(staged.status).toBe(200);
    const [target] = (
      staged.body as { targets: { url: string; parameters: { name: string; value: string }[]; photo: string }[] }
    ).targets;
    // The extension posts the file straight to Shopify's target, the target's fields first.
    const form = new FormData();
    for (const p of target.parameters) form.append(p.name, p.value);
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(1021, 7)]);
    form.append("file", new Blob([new Uint8Array(bytes)], { type: "image/jpeg" }), "chipped mug.jpg");
    expect((await world.sandbox.uploads.receive(new Request(target.url, { method: "POST", body: form }))).status).toBe(
      201,
    );

    // A reason that asks for no photos takes none; a token for another order is refused; nothing written.
    const other = await freshOrder();
    const withPhoto = (lineItemId: string, reason: string) => [
      { lineItemId, quantity: 1, reason, note: "Chipped rim", photos: [target.photo] },
    ];
    expect(
      await post(o.gid, { intent: "start", key: key(), resolution: "refund", items: withPhoto(o.mug, "too_small") }),
    ).toMatchObject({ status: 400, body: { error: "photos_not_asked" } });
    expect(
      await post(other.gid, {
        intent: "start",
        key: key(),
        resolution: "refund",
        items: withPhoto(other.mug, "defective"),
      }),
    ).toMatchObject({ status: 400, body: { error: "photo_expired" } });
    expect([...(await casesOf(o.gid)), ...(await casesOf(other.gid))]).toEqual([]);

    const once = key();
    const start = () =>
      post(o.gid, { intent: "start", key: once, resolution: "refund", items: withPhoto(o.mug, "defective") });
    expect((await start()).status).toBe(201);
    // The same visit starting again makes no second set of files.
    expect((await start()).status).toBe(201);
    const [ret] = await t.db.returnCase.findMany({
      where: { orderShopifyId: o.gid },
      include: { lines: { include: { photos: true } } },
    });
    expect(ret.lines[0].photos.map((p) => p.fileShopifyId)).toEqual([
      expect.stringMatching(/^gid:\/\/shopify\/MediaImage\/\d+$/),
    ]);
    // The desk shows Shopify's image of the file.
    const { returnPhotos } = await import("../services/returns/photos.server");
    const shown = await returnPhotos(t.db, world.admin, [ret.lines[0].id]);
    expect(shown.get(ret.lines[0].id)?.map((p) => p.url)).toEqual([expect.stringMatching(/\/chipped-mug\.jpg$/)]);
  });

  it(
    "a dearer exchange on a taxed order: quoted before tax with the tax said to be added; once approved the " +
      "page shows Shopify's figure, tax included, with Shopify's page to pay it, then that it is paid",
    async () => {
      const { saveReturnPolicy } = await import("../services/returns/policy.server");
      const { DEFAULT_RETURN_POLICY } = await import("../domain/returns/policy");
      const { approveReturn, settleExchangePayments } = await import("../services/returns/workflow.server");
      const { sandbox, ada, mug, tee } = world;
      // A mug (18.00) with 10% tax on top: Shopify charged 19.80.
      const order = sandbox.placeOrder({
        shop: TEST_SHOP,
        customer: ada,
        lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
        paid: true,
        taxRate: 0.1,
      });
      const shipment = sandbox.fulfil({ shop: TEST_SHOP, order, trackingCompany: "UPS", trackingNumber: "1Z9" });
      sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: shipment, status: "delivered" });
      await sandbox.flush();
      const gid = `gid://shopify/Order/${order.id}`;
      const items = [
        {
          lineItemId: `gid://shopify/LineItem/${order.lineItems[0].id}`,
          quantity: 1,
          reason: "changed_mind",
          exchangeVariantId: `gid://shopify/ProductVariant/${tee.variants[1].id}`,
        },
      ];
      const policy = structuredClone(DEFAULT_RETURN_POLICY);
      policy.resolutions.exchangeAny = true;
      expect((await saveReturnPolicy(t.db, TEST_SHOP, policy)).ok).toBe(true);
      try {
        // A tee (35.00) for the mug: 17.00 before tax, and the shopper is told the invoice adds the tax.
        const quote = await post(gid, { intent: "quote", resolution: "exchange_any", items });
        expect(quote).toMatchObject({ status: 200, body: { exchange: { pay: 1700, tax: "added" } } });
        const started = await post(gid, { intent: "start", key: key(), resolution: "exchange_any", items });
        const { returnId, shopifyRequest } = started.body as { returnId: string; shopifyRequest: object };
        const made = (await asAda(REQUEST_RETURN, shopifyRequest)).data!.orderRequestReturn!.return!;
        expect((await post(gid, { intent: "link", returnId, shopifyReturnId: made.id })).status).toBe(200);
        await sandbox.flush();
        await approveReturn(TEST_SHOP, returnId, { db: t.db, admin: world.admin, secret });

        const earlier = async () => {
          const view = await endpoints.customerReturns(world.session, new URLSearchParams({ order: gid }), world.deps);
          const returns = (view.body as { returns: { number: string; payment: unknown }[] }).returns;
          return returns.find((r) => r.number === (started.body as { return: { number: string } }).return.number)
            ?.payment;
        };
        // Shopify's balance: the tee with its tax (38.50) less the mug as paid with its tax (19.80).
        const [invoice] = sandbox.invoices.sent(TEST_SHOP).filter((i) => i.orderId === order.id);
        expect(invoice.amountMinor).toBe(1870);
        expect(await earlier()).toEqual({ state: "awaiting", amountMinor: 1870, payUrl: invoice.url });

        expect(sandbox.invoices.pay(TEST_SHOP, invoice.url.split("/").pop()!).ok).toBe(true);
        await sandbox.flush();
        await settleExchangePayments(TEST_SHOP, gid, { db: t.db, admin: world.admin, now: NOW });
        expect(await earlier()).toEqual({ state: "paid", amountMinor: 1870, payUrl: null });
      } finally {
        await saveReturnPolicy(t.db, TEST_SHOP, DEFAULT_RETURN_POLICY);
      }
    },
  );

  it("refuses a note longer than Shopify takes, before anything is written", async () => {
    const o = await freshOrder();
    const items = [{ lineItemId: o.tee, quantity: 1, reason: "too_small", note: "x".repeat(301) }];
    for (const intent of ["quote", "start"]) {
      const answer = await post(o.gid, { intent, key: key(), resolution: "refund", items });
      expect(answer).toMatchObject({ status: 422, body: { error: "note_too_long", message: expect.any(String) } });
    }
    expect(await casesOf(o.gid)).toEqual([]);
  });

  it("offers an exchange for any product as the storefront does, checked on the server", async () => {
    const { saveReturnPolicy } = await import("../services/returns/policy.server");
    const { DEFAULT_RETURN_POLICY } = await import("../domain/returns/policy");
    const o = await freshOrder();
    const search = (order: string, text: string, session = world.session) =>
      endpoints.customerReturns(session, new URLSearchParams({ order, search: text }), world.deps);

    // Not offered: no search, and no such return.
    expect(await search(o.gid, "candle")).toMatchObject({ status: 422, body: { error: "resolution_not_offered" } });
    const candle = `gid://shopify/ProductVariant/${world.sandbox.shop(TEST_SHOP).products.find((p) => p.title === "Cedar Candle")!.variants[0].id}`;
    const teeForCandle = [{ lineItemId: o.tee, quantity: 1, reason: "too_small", exchangeVariantId: candle }];
    expect(
      await post(o.gid, { intent: "start", key: key(), resolution: "exchange_any", items: teeForCandle }),
    ).toMatchObject({ status: 422, body: { error: "resolution_not_offered" } });

    const policy = structuredClone(DEFAULT_RETURN_POLICY);
    policy.resolutions.exchangeAny = true;
    expect((await saveReturnPolicy(t.db, TEST_SHOP, policy)).ok).toBe(true);
    try {
      const found = await search(o.gid, "candle");
      expect(found).toMatchObject({
        status: 200,
        body: { currency: "USD", products: [{ title: "Cedar Candle", variants: [{ id: candle, priceMinor: 2450 }] }] },
      });
      // Another customer's order is an unknown order, search or not.
      const bob = {
        ...world.session,
        customerGid: `gid://shopify/Customer/${world.bob.id}`,
        customerId: String(world.bob.id),
      };
      expect((await search(o.gid, "candle", bob)).status).toBe(404);
      expect((await search(o.gid, "x".repeat(81))).status).toBe(400);

      const eligibility = await endpoints.customerReturns(
        world.session,
        new URLSearchParams({ order: o.gid }),
        world.deps,
      );
      expect((eligibility.body as { resolutions: { id: string }[] }).resolutions.map((r) => r.id)).toContain(
        "exchange_any",
      );

      const quote = await post(o.gid, { intent: "quote", resolution: "exchange_any", items: teeForCandle });
      expect(quote).toMatchObject({ status: 200, body: { exchange: { newItems: 2450, covered: true } } });
      // A mug (18.00) for a tee (35.00) costs more than it is worth: the server prices what the shopper
      // pays through Shopify's invoice once approved.
      const tee = `gid://shopify/ProductVariant/${world.tee.variants[1].id}`;
      const mugForTee = [
        { lineItemId: o.mug, quantity: 1, reason: "defective", note: "Cracked", exchangeVariantId: tee },
      ];
      expect(await post(o.gid, { intent: "quote", resolution: "exchange_any", items: mugForTee })).toMatchObject({
        status: 200,
        body: { exchange: { newItems: 3500, covered: false, pay: 1700, tax: "none" } },
      });
      const started = await post(o.gid, {
        intent: "start",
        key: key(),
        resolution: "exchange_any",
        items: teeForCandle,
      });
      expect(started.status).toBe(201);
      const [ret] = await casesOf(o.gid);
      expect(ret).toMatchObject({ resolution: "exchange_any", exchangeMinor: 2450 });
      expect(ret.lines).toMatchObject([{ exchangeVariantShopifyId: candle, exchangeTitle: "Cedar Candle" }]);
    } finally {
      await saveReturnPolicy(t.db, TEST_SHOP, DEFAULT_RETURN_POLICY);
    }
  });
});

describe("rewards", () => {
  it("shows points, tier and catalogue, and redeems a reward for a code in Shopify", async () => {
    const { saveLoyaltySettings } = await import("../services/loyalty/settings.server");
    expect((await saveLoyaltySettings(t.db, TEST_SHOP, { enabled: true, pendingDays: 0 })).ok).toBe(true);
    // An order paid while the program runs earns points.
    world.sandbox.placeOrder({
      shop: TEST_SHOP,
      customer: world.ada,
      lines: [{ variantId: world.mug.variants[0].id, quantity: 2 }],
      paid: true,
    });
    await world.sandbox.flush();
    const reward = await t.db.loyaltyReward.create({
      data: {
        shop: TEST_SHOP,
        kind: "free_shipping",
        title: "Free shipping",
        titles: JSON.stringify({ ko: "무료 배송" }),
        pointsCost: 10,
      },
    });
    const summary = await endpoints.customerRewards(world.session, new URLSearchParams({ locale: "ko" }), world.deps);
    expect(summary.status).toBe(200);
    const member = (summary.body as { member: { balance: number; history: unknown[] } }).member;
    expect(member.balance).toBeGreaterThanOrEqual(10);
    expect(summary.body).toMatchObject({
      rewards: [{ id: reward.id, title: "무료 배송", pointsCost: 10 }],
      program: { pointsPerUnit: expect.any(Number) },
    });

    const redeemed = await endpoints.customerRewardsPost(
      world.session,
      { intent: "redeem", rewardId: reward.id },
      world.deps,
    );
    expect(redeemed.status).toBe(201);
    expect(redeemed.body).toMatchObject({ redemption: { code: expect.any(String) } });
    const after = await endpoints.customerRewards(world.session, new URLSearchParams(), world.deps);
    expect(after.body).toMatchObject({
      rewards: [{ title: "Free shipping" }],
      member: { balance: member.balance - 10, redemptions: [{ title: "Free shipping" }] },
    });
    // The redemption keeps the English title it was made with, and reads in Korean for a Korean shopper.
    const inKorean = await endpoints.customerRewards(world.session, new URLSearchParams({ locale: "ko" }), world.deps);
    expect(inKorean.body).toMatchObject({
      member: {
        redemptions: [{ title: "무료 배송" }],
        history: expect.arrayContaining([expect.objectContaining({ kind: "redeem", label: "무료 배송" })]),
      },
    });

    expect(
      await endpoints.customerRewardsPost(world.session, { intent: "redeem", rewardId: "nope" }, world.deps),
    ).toMatchObject({
      status: 404,
    });
    expect(await endpoints.customerRewardsPost(world.session, { intent: "steal" }, world.deps)).toMatchObject({
      status: 400,
    });
  });
});
