/**
 * A return's webhooks in every order (docs/decisions/0038). Shopify does not promise the order of
 * its webhooks, and Aftercare acts in Shopify itself (an exchange's approval replaces the
 * shopper's request), so each story below is played once on the sandbox and the app, its
 * returns/* webhooks held, and then delivered through the real inbox in every permutation, with
 * a replay (a new webhook id) and a repeat (the same id) slipped in. Whatever the order, the desk
 * ends the same (one case per return, its status, Shopify's times, the held quantities), and each
 * step's email and event is there exactly once. Every story runs in a shop of its own, on a
 * sandbox with a frozen clock, so every permutation sees the same ids and times.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { createSandbox, type Sandbox } from "../../../sandbox/engine";
import { REQUEST_RETURN, type RequestReturnData } from "../../../extensions/aftercare-returns-page/src/documents";
import { receiveWebhook } from "../../webhooks/receive.server";
import { processEvent } from "../../jobs/process-event.server";
import { adminClient } from "../../shopify/admin.server";
import { returnChannel } from "../../domain/returns/desk";

import { linkCustomerReturn, startCustomerReturn } from "./customer-account.server";
import { approveReturn } from "./workflow.server";

const secret = process.env.SHOPIFY_API_SECRET!;
/** Shopify's clock (the sandbox stamps each change a millisecond after the last) and the app's. */
const SHOPIFY_CLOCK = new Date("2026-11-02T15:00:00.000Z");
const APP_NOW = new Date("2026-11-03T09:00:00.000Z");

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

interface World {
  shop: string;
  sandbox: Sandbox;
  held: Request[];
  admin: ReturnType<typeof adminClient>;
  customerId: number;
  orderGid: string;
  orderId: number;
  teeLine: string;
  sizeM: string;
}

let shops = 0;

/** A shop of its own on a fresh sandbox: Ada's order of two tees, delivered, mirrored by the app. */
async function world(story: string): Promise<World> {
  const shop = `ooo-${story}-${shops++}.myshopify.com`;
  const held: Request[] = [];
  const sandbox = createSandbox({
    apiKey: process.env.SHOPIFY_API_KEY ?? "aftercare-test-key",
    apiSecret: secret,
    appUrl: "http://127.0.0.1:3999",
    webhookRetry: { delaysMs: [5] },
    webhookFetch: async (request: Request) => {
      held.push(request.clone());
      return new Response("ok");
    },
    clock: () => SHOPIFY_CLOCK,
  });
  sandbox.createShop({ domain: shop, name: "Out of Order", currency: "USD", timezone: "UTC" });
  const tee = sandbox.addProduct(shop, {
    title: "Linen Tee",
    variants: [
      { title: "S", sku: "TEE-S", price: "35.00" },
      { title: "M", sku: "TEE-M", price: "35.00" },
    ],
  });
  const ada = sandbox.createCustomer({ shop, email: "ada@example.com", firstName: "Ada" });
  const order = sandbox.placeOrder({
    shop,
    customer: ada,
    lines: [{ variantId: tee.variants[0].id, quantity: 2 }],
    paid: true,
  });
  const parcel = sandbox.fulfil({ shop, order, trackingCompany: "UPS", trackingNumber: "1Z999" });
  sandbox.carrierScan({ shop, fulfillment: parcel, status: "delivered" });
  await t.db.shop.create({ data: { domain: shop, currencyCode: "USD", name: "Out of Order" } });
  await sandbox.flush();
  await deliverInOrder(held.splice(0));
  return {
    shop,
    sandbox,
    held,
    admin: adminClient(sandbox.graphqlClient(shop)),
    customerId: ada.id,
    orderGid: `gid://shopify/Order/${order.id}`,
    orderId: order.id,
    teeLine: `gid://shopify/LineItem/${order.lineItems[0].id}`,
    sizeM: `gid://shopify/ProductVariant/${tee.variants[1].id}`,
  };
}

const topicOf = (r: Request) => r.headers.get("x-shopify-topic")!;

/** Records a webhook in the inbox as the route does and runs it at once, as a worker would. */
async function deliver(request: Request) {
  const ids: string[] = [];
  const response = await receiveWebhook(request, { db: t.db, secret, onRecorded: (id) => ids.push(id) });
  expect(response.status).toBe(200);
  // The intake stamps the event with the machine's time; the worker runs it on the app's clock.
  await t.db.webhookEvent.updateMany({ where: { id: { in: ids } }, data: { nextAttemptAt: APP_NOW } });
  for (const id of ids) await processEvent(t.db, id, () => APP_NOW);
}

async function deliverInOrder(requests: Request[]) {
  for (const r of requests) await deliver(r);
}

/** The same delivery under another webhook id: Shopify sending the event twice. */
async function replayed(r: Request, suffix: string) {
  const headers = new Headers(r.headers);
  headers.set("X-Shopify-Webhook-Id", `${headers.get("X-Shopify-Webhook-Id")}-${suffix}`);
  return new Request(r.url, { method: "POST", headers, body: await r.clone().text() });
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** A seeded generator, so a failing order can be run again. */
function random(seed: number) {
  let s = seed;
  return (below: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % below;
  };
}

/** What the merchant's desk and the outboxes hold for the shop, without the app's own ids. */
async function deskOf(shop: string) {
  const cases = await t.db.returnCase.findMany({
    where: { shop },
    include: { lines: true },
    orderBy: { number: "asc" },
  });
  const numberOf = new Map(cases.map((c) => [c.id, c.number]));
  const claims = await t.db.returnLineClaim.findMany({ where: { shop }, orderBy: { lineItemShopifyId: "asc" } });
  const emails = await t.db.notification.findMany({ where: { shop, kind: "returns" } });
  const events = await t.db.appEvent.findMany({ where: { shop, type: { startsWith: "return." } } });
  return {
    cases: cases.map((c) => ({
      number: c.number,
      channel: returnChannel(c.idempotencyKey),
      status: c.status,
      resolution: c.resolution,
      shopifyReturnId: c.shopifyReturnId,
      replacedShopifyReturnId: c.replacedShopifyReturnId,
      shopifyStatus: c.shopifyStatus,
      declineReason: c.declineReason,
      declineNote: c.declineNote,
      requestedAt: c.requestedAt.toISOString(),
      approvedAt: c.approvedAt?.toISOString() ?? null,
      declinedAt: c.declinedAt?.toISOString() ?? null,
      closedAt: c.closedAt?.toISOString() ?? null,
      lines: c.lines.map((l) => ({ lineItem: l.lineItemShopifyId, quantity: l.quantity, reason: l.reason })),
    })),
    claimed: claims.map((c) => [c.lineItemShopifyId, c.claimed]),
    emails: emails.map((e) => `${numberOf.get(e.subjectId) ?? e.subjectId} ${e.milestone}`).sort(),
    events: events.map((e) => `${e.type} ${numberOf.get(e.key) ?? e.key} ${e.occurredAt.toISOString()}`).sort(),
  };
}

/** The shopper's own orderRequestReturn through the Customer Account API, for a started return. */
async function shopperRequests(w: World, shopifyRequest: object) {
  const asked = (await w.sandbox.customerAccounts.graphql(w.shop, w.customerId, {
    query: REQUEST_RETURN,
    variables: shopifyRequest as Record<string, unknown>,
  })) as { data?: RequestReturnData | null };
  return asked.data!.orderRequestReturn!.return!.id;
}

/** Starts a return in Aftercare's customer-account extension, as Ada. */
async function startAsAda(w: World, body: Record<string, unknown>) {
  const deps = { db: t.db, admin: async () => w.admin, secret, now: APP_NOW };
  const ref = { shop: w.shop, customerGid: `gid://shopify/Customer/${w.customerId}`, orderShopifyId: w.orderGid };
  const started = await startCustomerReturn(ref, { key: `ooo-key-${shops}`, locale: "en", ...body }, deps);
  expect(started.status).toBe(201);
  const { returnId, shopifyRequest } = started.body as { returnId: string; shopifyRequest: object };
  return { returnId, shopifyRequest, ref, deps };
}

interface Story {
  name: string;
  /** What Shopify and the app do; their webhooks are held. */
  act(w: World): Promise<void>;
  /** The desk every order of the webhooks must end at (beyond being the same each time). */
  expected: (w: World) => Record<string, unknown>;
}

const refund = (w: World) => ({
  shop: w.shop,
  order: w.orderId,
  lines: [{ lineItemId: w.teeLine.split("/").pop()!, quantity: 1 }],
});

const STORIES: Story[] = [
  {
    name: "asked for in Shopify's form, approved and closed in Shopify",
    async act(w) {
      const r = w.sandbox.requestReturn({ ...refund(w), reason: "SIZE_TOO_SMALL" });
      w.sandbox.approveReturn({ shop: w.shop, return: r.id });
      w.sandbox.closeReturn({ shop: w.shop, return: r.id });
    },
    expected: (w) => ({
      cases: [{ channel: "shopify_customer_account", status: "closed", shopifyStatus: "CLOSED" }],
      claimed: [[w.teeLine, 1]],
      emails: [expect.stringMatching(/ approved$/)],
      events: [expect.stringMatching(/^return\.approved /), expect.stringMatching(/^return\.requested /)],
    }),
  },
  {
    name: "asked for in Shopify's form and declined in Shopify",
    async act(w) {
      const r = w.sandbox.requestReturn({ ...refund(w), reason: "SIZE_TOO_SMALL" });
      w.sandbox.declineReturn({ shop: w.shop, return: r.id, reason: "FINAL_SALE", note: "Worn" });
    },
    expected: (w) => ({
      cases: [{ status: "declined", declineReason: "FINAL_SALE", declineNote: "Worn", shopifyStatus: "DECLINED" }],
      claimed: [[w.teeLine, 0]],
      emails: [expect.stringMatching(/ declined$/)],
      events: [expect.stringMatching(/^return\.declined /), expect.stringMatching(/^return\.requested /)],
    }),
  },
  {
    name: "asked for in Shopify's form, approved, then canceled in Shopify",
    async act(w) {
      const r = w.sandbox.requestReturn({ ...refund(w), reason: "SIZE_TOO_SMALL" });
      w.sandbox.approveReturn({ shop: w.shop, return: r.id });
      w.sandbox.cancelReturn({ shop: w.shop, return: r.id });
    },
    expected: (w) => ({
      cases: [{ status: "canceled", shopifyStatus: "CANCELED", approvedAt: expect.any(String) }],
      claimed: [[w.teeLine, 0]],
      emails: [expect.stringMatching(/ approved$/)],
      events: [expect.stringMatching(/^return\.approved /), expect.stringMatching(/^return\.requested /)],
    }),
  },
  {
    name: "started in Aftercare's extension, the shopper gone before the link, approved and closed in Shopify",
    async act(w) {
      const { shopifyRequest } = await startAsAda(w, {
        resolution: "refund",
        items: [{ lineItemId: w.teeLine, quantity: 1, reason: "too_small" }],
      });
      const requested = await shopperRequests(w, shopifyRequest);
      w.sandbox.approveReturn({ shop: w.shop, return: requested });
      w.sandbox.closeReturn({ shop: w.shop, return: requested });
    },
    expected: (w) => ({
      cases: [{ channel: "customer_account", status: "closed", shopifyReturnId: expect.stringMatching(/^gid:/) }],
      claimed: [[w.teeLine, 1]],
      emails: [expect.stringMatching(/ approved$/), expect.stringMatching(/ requested$/)],
      events: [expect.stringMatching(/^return\.approved /), expect.stringMatching(/^return\.requested /)],
    }),
  },
  {
    name: "started in Aftercare's extension, the shopper gone before the link, declined in Shopify",
    async act(w) {
      const { shopifyRequest } = await startAsAda(w, {
        resolution: "refund",
        items: [{ lineItemId: w.teeLine, quantity: 1, reason: "too_small" }],
      });
      const requested = await shopperRequests(w, shopifyRequest);
      w.sandbox.declineReturn({ shop: w.shop, return: requested, reason: "RETURN_PERIOD_ENDED" });
    },
    expected: (w) => ({
      cases: [{ channel: "customer_account", status: "declined", declineReason: "RETURN_PERIOD_ENDED" }],
      claimed: [[w.teeLine, 0]],
      emails: [expect.stringMatching(/ declined$/), expect.stringMatching(/ requested$/)],
      events: [expect.stringMatching(/^return\.declined /), expect.stringMatching(/^return\.requested /)],
    }),
  },
  {
    name: "an exchange from Aftercare's extension, approved at once: the request replaced by the exchange's return",
    async act(w) {
      const { returnId, shopifyRequest, ref, deps } = await startAsAda(w, {
        resolution: "exchange_variant",
        items: [{ lineItemId: w.teeLine, quantity: 1, reason: "too_small", exchangeVariantId: w.sizeM }],
      });
      const requested = await shopperRequests(w, shopifyRequest);
      const linked = await linkCustomerReturn(ref, { returnId, shopifyReturnId: requested }, deps);
      expect(linked.status).toBe(200);
      const approved = await approveReturn(w.shop, returnId, { db: t.db, admin: w.admin, secret, now: APP_NOW });
      expect(approved).toMatchObject({ status: "approved", replacedShopifyReturnId: requested });
    },
    expected: (w) => ({
      // One return on the desk: no second one from the replaced request's webhooks, late or not.
      cases: [
        {
          channel: "customer_account",
          status: "approved",
          shopifyStatus: "OPEN",
          replacedShopifyReturnId: expect.stringMatching(/^gid:/),
          declinedAt: null,
        },
      ],
      claimed: [[w.teeLine, 1]],
      emails: [expect.stringMatching(/ approved$/), expect.stringMatching(/ requested$/)],
      events: [expect.stringMatching(/^return\.approved /), expect.stringMatching(/^return\.requested /)],
    }),
  },
];

/** Plays a story and delivers its returns webhooks in `order`, with a replay and a repeat slipped in. */
async function play(story: Story, orderOf: (count: number) => number[], seed: number) {
  const w = await world(story.name.split(/\W+/).slice(0, 3).join("-").toLowerCase());
  await story.act(w);
  await w.sandbox.flush();
  const sent = w.held.splice(0);
  // The orders' own updates first: the returns' webhooks are what this is about.
  await deliverInOrder(sent.filter((r) => !topicOf(r).startsWith("returns/")));
  const hooks = sent.filter((r) => topicOf(r).startsWith("returns/"));
  const pick = random(seed);
  const order = orderOf(hooks.length);
  const sequence = order.map((i) => hooks[i].clone());
  sequence.splice(pick(sequence.length + 1), 0, await replayed(hooks[pick(hooks.length)], "replay"));
  sequence.splice(pick(sequence.length + 1), 0, hooks[pick(hooks.length)].clone());
  await deliverInOrder(sequence);
  const desk = await deskOf(w.shop);
  // Everything again, newest first: nothing moves.
  for (const r of [...hooks].reverse()) await deliver(await replayed(r, "again"));
  expect(await deskOf(w.shop)).toEqual(desk);
  expect(
    (await t.db.webhookEvent.findMany({ where: { shop: w.shop, status: { not: "processed" } } })).map(
      (e) => `${e.topic} ${e.status} ${e.lastError}`,
    ),
  ).toEqual([]);
  sandboxes.push(w.sandbox);
  return { w, desk, topics: hooks.map(topicOf), order };
}

const sandboxes: Sandbox[] = [];
afterAll(() => {
  for (const s of sandboxes) s.close();
});

describe(`a return's webhooks in any order (${process.env.TEST_DATABASE ?? "sqlite"})`, () => {
  it.each(STORIES.map((s) => [s.name, s] as const))(
    "%s",
    async (_name, story) => {
      const first = await play(story, (count) => [...Array(count).keys()], 1);
      const count = first.topics.length;
      expect(count).toBeGreaterThanOrEqual(2);
      expect(first.desk).toMatchObject(story.expected(first.w));
      const orders = permutations([...Array(count).keys()]);
      for (const [n, order] of orders.entries()) {
        if (n === 0) continue;
        const { desk, topics } = await play(story, () => order, n + 1);
        expect(topics).toEqual(first.topics);
        expect({ order: order.map((i) => topics[i]), desk }).toEqual({
          order: order.map((i) => topics[i]),
          desk: first.desk,
        });
      }
    },
    240_000,
  );
});
