/**
 * The returns desk's routes, called as Remix calls them with real Requests: the queue with counts
 * and search, bulk approve, a return's actions synced with the in-process Shopify sandbox, the CSV
 * export and the policy's 400s. Only the embedded-admin session check is stood in for (the shop
 * the request belongs to); the database (SQLite or PostgreSQL) and Shopify's API are real.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { processingWebhookFetch } from "../../tests/helpers/webhooks";
import { testSandbox, TEST_SHOP } from "../../sandbox/engine/testing";
import type { GraphqlFn } from "../shopify/admin.server";

const session = { shop: TEST_SHOP, graphql: null as unknown as GraphqlFn };
vi.mock("../shopify.server", () => ({
  authenticate: { admin: async () => ({ session: { shop: session.shop }, admin: { graphql: session.graphql } }) },
}));

const secret = process.env.SHOPIFY_API_SECRET!;
let t: TestDatabase;
let world: Awaited<ReturnType<typeof build>>;
interface Route {
  loader?: (a: never) => Promise<Response>;
  action?: (a: never) => Promise<Response>;
}
let desk: Route;
let one: Route;
let csv: Route;
let policy: Route;

async function build() {
  const { adminClient } = await import("../shopify/admin.server");
  const fetch = processingWebhookFetch(t.db, secret);
  // Shopify's clock an hour behind the app's: what it stamps (a delivery, a return) is past for the app.
  const { sandbox, mug, tee } = testSandbox({
    webhookFetch: fetch,
    apiSecret: secret,
    clock: () => new Date(NOW.getTime() - 3_600_000),
  });
  const grace = sandbox.createCustomer({
    shop: TEST_SHOP,
    email: "grace@example.com",
    firstName: "Grace",
    lastName: "Hopper",
  });
  const order = sandbox.placeOrder({
    shop: TEST_SHOP,
    customer: grace,
    lines: [
      { variantId: tee.variants[0].id, quantity: 2 },
      { variantId: mug.variants[0].id, quantity: 1 },
    ],
    paid: true,
  });
  const shipment = sandbox.fulfil({ shop: TEST_SHOP, order, trackingCompany: "UPS", trackingNumber: "1Z42" });
  sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: shipment, status: "delivered" });
  await sandbox.flush();
  session.graphql = sandbox.graphqlClient(TEST_SHOP) as unknown as GraphqlFn;
  const admin = adminClient(sandbox.graphqlClient(TEST_SHOP));
  return { sandbox, order, tee, admin };
}

const url = (path: string) => `https://app.test${path}`;
const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return body;
};
async function post(
  route: Route,
  path: string,
  fields: Record<string, string | string[]>,
  params: Record<string, string> = {},
) {
  const request = new Request(url(path), {
    method: "POST",
    body: form(fields),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  const response = await route.action!({ request, params, context: {} } as never);
  return {
    status: response.status,
    body: (await response.json()) as {
      ok: boolean;
      message: string;
      problems?: { path: string; message: string }[];
      said?: { key: string; values?: Record<string, string | number> };
    },
  };
}
async function get(route: Route, path: string, params: Record<string, string> = {}) {
  return route.loader!({ request: new Request(url(path)), params, context: {} } as never);
}

let keys = 0;

/** A shopper's request through the storefront service, as the Returns block sends it. */
async function shopperReturn(line: number, quantity: number, resolution: string, exchange = false) {
  const { returnsLookup, createShopperReturn } = await import("../services/returns/storefront.server");
  const deps = { db: t.db, secret, admin: async () => world.admin };
  const req = {
    shop: TEST_SHOP,
    clientIp: "203.0.113.7",
    loggedInCustomerId: null,
    params: new URLSearchParams({ order: world.order.name, email: "grace@example.com" }),
  };
  const found = (await returnsLookup(req, deps)).body as {
    token: string;
    lines: { id: string; exchangeVariants: { id: string }[] }[];
  };
  const l = found.lines[line];
  const answer = await createShopperReturn(
    { ...req, params: new URLSearchParams() },
    {
      token: found.token,
      key: `route-${line}-${resolution}-${(keys++).toString()}`,
      resolution,
      locale: "en",
      items: [
        {
          lineItemId: l.id,
          quantity,
          reason: "too_small",
          exchangeVariantId: exchange ? l.exchangeVariants[0].id : null,
        },
      ],
    },
    deps,
  );
  expect(answer.status).toBe(201);
  return t.db.returnCase.findFirstOrThrow({
    where: { number: (answer.body as { return: { number: string } }).return.number },
    include: { lines: true },
  });
}

/** The test's today: Shopify's sandbox and the app's routes both read it (Date alone is frozen). */
const NOW = new Date("2026-11-04T15:00:00.000Z");

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  world = await build();
  [desk, one, csv, policy] = await Promise.all([
    import("./app.returns._index"),
    import("./app.returns.$id"),
    import("./app.returns.export[.]csv"),
    import("./app.returns.policy"),
  ]);
  // Shoppers' returns here come through the theme's order-number-and-email lookup, which the merchant turns on.
  const { getReturnPolicy, saveReturnPolicy } = await import("../services/returns/policy.server");
  await saveReturnPolicy(t.db, TEST_SHOP, { ...(await getReturnPolicy(t.db, TEST_SHOP)), storefrontLookup: true });
});
afterAll(async () => {
  world?.sandbox.close();
  await t.drop();
  vi.useRealTimers();
});

describe("a return's page", () => {
  const walksAnExchangeThrough =
    "walks an exchange through approve, receive (with dispositions) and resolve, each mirrored in Shopify";
  it(walksAnExchangeThrough, async () => {
    const ret = await shopperReturn(0, 1, "exchange_variant", true);
    expect(ret.lines[0].exchangeTitle).toMatch(/Linen tee/i);
    const path = `/app/returns/${ret.id}`;
    const stored = () => t.db.returnCase.findUniqueOrThrow({ where: { id: ret.id }, include: { lines: true } });
    const shopify = async () =>
      world.sandbox.state.return(world.sandbox.shop(TEST_SHOP), (await stored()).shopifyReturnId!)!.ret;

    const page = await (await get(one, path, { id: ret.id })).json();
    // Shopify's exchange is made when the merchant approves: the page says so.
    expect(page.ret).toMatchObject({
      number: ret.number,
      status: "requested",
      inShopify: false,
      exchange: true,
      // Amounts in minor units of the return's currency: the page writes them in the admin's language.
      currency: "USD",
      amounts: { newItems: 3500, total: 0, credit: null },
    });
    expect(page.ret.lines[0]).toMatchObject({ exchangeUnitPrice: 3500, exchangeState: "pending" });
    expect(page.fulfillments[0]).toMatchObject({ trackingCompany: "UPS", trackingNumbers: ["1Z42"] });
    expect(page.order.name).toBe(world.order.name);
    expect(page.history.returns.map((r: { number: string }) => r.number)).toContain(ret.number);

    expect(await post(one, path, { intent: "receive" }, { id: ret.id })).toMatchObject({ status: 409 });
    expect(await post(one, path, { intent: "approve" }, { id: ret.id })).toMatchObject({
      status: 200,
      body: { ok: true, message: "Return approved", said: { key: "returnAction.approve" } },
    });
    expect((await shopify()).status).toBe("open");
    expect((await shopify()).exchangeLines).toMatchObject([{ variantId: world.tee.variants[1].id, quantity: 1 }]);
    expect((await (await get(one, path, { id: ret.id })).json()).ret.lines[0].exchangeState).toBe("confirmed");
    expect(await post(one, path, { intent: "decline", reason: "OTHER", note: "" }, { id: ret.id })).toMatchObject({
      status: 409,
    });
    const noDisposition = await post(one, path, { intent: "receive" }, { id: ret.id });
    expect(noDisposition).toMatchObject({ status: 400 });
    expect(noDisposition.body.message).toMatch(/restock/);
    expect(
      await post(one, path, { intent: "receive", [`disposition:${ret.lines[0].id}`]: "restock" }, { id: ret.id }),
    ).toMatchObject({ status: 200 });
    expect((await shopify()).reverseFulfillmentOrders[0].lineItems[0].dispositions).toMatchObject([
      { type: "RESTOCKED", quantity: 1 },
    ]);
    expect(await post(one, path, { intent: "resolve" }, { id: ret.id })).toMatchObject({
      status: 200,
      body: { message: "Return resolved and closed" },
    });
    expect((await shopify()).status).toBe("closed");
    expect((await shopify()).exchangeLines![0].processedQuantity).toBe(1);
    await world.sandbox.flush();
    const done = await (await get(one, path, { id: ret.id })).json();
    expect(done.ret.lines[0].exchangeState).toBe("added");
    // The replacement is on the order the page shows (the mirror learnt it from orders/updated).
    expect(
      done.order.lines.map((l: { title: string; variantTitle: string | null }) => `${l.title} ${l.variantTitle}`),
    ).toContain("Linen Tee M");
    expect(await t.db.returnCase.findUniqueOrThrow({ where: { id: ret.id } })).toMatchObject({
      status: "closed",
      shopifyStatus: "CLOSED",
    });
  });

  const declinesWithAReason =
    "declines with a reason, and gives clear 4xx for a bad reason, an unknown action and another shop's return";
  it(declinesWithAReason, async () => {
    const ret = await shopperReturn(1, 1, "refund");
    const path = `/app/returns/${ret.id}`;
    expect(await post(one, path, { intent: "decline", reason: "BECAUSE", note: "" }, { id: ret.id })).toMatchObject({
      status: 400,
      body: { message: "Choose why the return is declined." },
    });
    expect(await post(one, path, { intent: "teleport" }, { id: ret.id })).toMatchObject({ status: 400 });
    session.shop = "someone-else.myshopify.com";
    try {
      expect(await post(one, path, { intent: "approve" }, { id: ret.id })).toMatchObject({ status: 404 });
      await expect(get(one, path, { id: ret.id })).rejects.toMatchObject({ status: 404 });
    } finally {
      session.shop = TEST_SHOP;
    }
    expect(
      await post(one, path, { intent: "decline", reason: "FINAL_SALE", note: "Worn" }, { id: ret.id }),
    ).toMatchObject({ status: 200 });
    expect(await t.db.returnCase.findUniqueOrThrow({ where: { id: ret.id } })).toMatchObject({
      status: "declined",
      declineReason: "FINAL_SALE",
      declineNote: "Worn",
    });
    expect(world.sandbox.state.return(world.sandbox.shop(TEST_SHOP), ret.shopifyReturnId!)!.ret.status).toBe(
      "declined",
    );
  });
});

describe("the desk", () => {
  it("counts by status, filters and searches, and bulk-approves what is selected", async () => {
    const waiting = await shopperReturn(1, 1, "store_credit");
    const queue = await (await get(desk, "/app/returns?status=requested")).json();
    expect(queue.counts).toMatchObject({ requested: 1, closed: 1, declined: 1 });
    expect(queue.rows.map((r: { number: string }) => r.number)).toEqual([waiting.number]);
    const searched = await (await get(desk, `/app/returns?q=${encodeURIComponent("GRACE@example.com")}`)).json();
    expect(searched.rows).toHaveLength(3);
    expect((await (await get(desk, "/app/returns?q=nobody")).json()).rows).toHaveLength(0);

    expect(await post(desk, "/app/returns", { intent: "bulk_approve" })).toMatchObject({
      status: 400,
      body: { message: "Select at least one requested return to approve." },
    });
    const closed = await t.db.returnCase.findFirstOrThrow({ where: { status: "closed" } });
    const bulk = await post(desk, "/app/returns", { intent: "bulk_approve", ids: [waiting.id, closed.id] });
    expect(bulk.status).toBe(200);
    expect(bulk.body.message).toMatch(/^1 return approved; 1 could not be: Return .* is closed/);
    expect(bulk.body.said).toMatchObject({ key: "desk.approvedSomeFailed", values: { approved: 1, count: 1 } });
    expect((await t.db.returnCase.findUniqueOrThrow({ where: { id: waiting.id } })).status).toBe("approved");
  });

  it("exports the queue as CSV a spreadsheet cannot be tricked by", async () => {
    const response = await get(csv, "/app/returns/export.csv?status=closed");
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/aftercare-returns-closed-\d{4}-\d{2}-\d{2}\.csv/);
    const rows = (await response.text()).trim().split("\r\n");
    expect(rows[0]).toMatch(/^Return,Order,Email,Status,Resolution/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(",closed,exchange_variant,");
    const { returnsCsv } = await import("../services/returns/desk.server");
    const evil = returnsCsv([
      { ...(await t.db.returnCase.findFirstOrThrow({ include: { lines: true } })), email: '=HYPERLINK("x")' },
    ]);
    expect(evil).toContain(`"'=HYPERLINK(""x"")"`);
    // One writer for every export: a number followed by a formula is escaped, a negative amount stays a number.
    const row = await t.db.returnCase.findFirstOrThrow({ include: { lines: true } });
    const payload = "-2+3+cmd|' /C calc'!A0";
    const mixed = returnsCsv([{ ...row, email: payload, currency: "CAD", bonusMinor: -250 }]).split("\r\n")[1];
    expect(mixed).toContain(",'-2+3+cmd|' /C calc'!A0,");
    expect(mixed).toContain(",CAD,");
    expect(mixed).toContain(",-2.50,");
  });
});

describe("the return policy page", () => {
  it("answers 400 with messages a merchant can act on, and saves a valid policy", async () => {
    // Returns go to an address (the page refuses returns on without one; its own test).
    const current = { ...(await (await get(policy, "/app/returns/policy")).json()).policy, returnAddress: "1 Main St" };
    const send = async (body: unknown) => {
      const response = await policy.action!({
        request: new Request(url("/app/returns/policy"), {
          method: "POST",
          body: JSON.stringify(body),
          headers: { "Content-Type": "application/json" },
        }),
        params: {},
        context: {},
      } as never);
      return { status: response.status, body: await response.json() };
    };
    const bad = await send({
      policy: {
        ...current,
        windowDays: 0,
        resolutions: {
          ...current.resolutions,
          refund: false,
          storeCredit: false,
          exchangeVariant: false,
          exchangeAny: false,
        },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.problems.map((p: { message: string }) => p.message)).toContain("Return window must be at least 1");
    const twice = await send({ policy: { ...current, reasons: [current.reasons[0], current.reasons[0]] } });
    expect(twice).toMatchObject({
      status: 400,
      body: { problems: [{ path: "reasons", message: "Two reasons share a code; give each its own" }] },
    });
    const unreadable = await policy.action!({
      request: new Request(url("/app/returns/policy"), {
        method: "POST",
        body: "{",
        headers: { "Content-Type": "application/json" },
      }),
      params: {},
      context: {},
    } as never);
    expect(unreadable.status).toBe(400);
    const good = await send({ policy: { ...current, windowDays: 45, reasons: [...current.reasons].reverse() } });
    expect(good.status).toBe(200);
    const stored = (await (await get(policy, "/app/returns/policy")).json()).policy;
    expect(stored.windowDays).toBe(45);
    expect(stored.reasons[0].id).toBe(current.reasons.at(-1).id);
  });
});
