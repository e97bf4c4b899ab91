/**
 * A return's step refused, as the return's page and the desk receive it: the action answers the
 * refusal in the admin's words (`said`, a locale key with its values) beside its English `message`,
 * so a merchant whose admin is in Japanese or Korean reads it in that language. Real Requests, the
 * in-process Shopify sandbox and a real database; only the embedded-admin session is stood in for.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { processingWebhookFetch } from "../../tests/helpers/webhooks";
import { testSandbox, TEST_SHOP } from "../../sandbox/engine/testing";
import type { GraphqlFn } from "../shopify/admin.server";
import { translator, type AdminMessageKey } from "../locales/admin";

const session = { shop: TEST_SHOP, graphql: null as unknown as GraphqlFn };
vi.mock("../shopify.server", () => ({
  authenticate: { admin: async () => ({ session: { shop: session.shop }, admin: { graphql: session.graphql } }) },
}));

const secret = process.env.SHOPIFY_API_SECRET!;
const NOW = new Date("2026-11-04T15:00:00.000Z");
let t: TestDatabase;
type Action = (a: never) => Promise<Response>;
let desk: { action: Action };
let one: { action: Action };
let world: Awaited<ReturnType<typeof build>>;

async function build() {
  const { adminClient } = await import("../shopify/admin.server");
  const { sandbox, tee } = testSandbox({
    webhookFetch: processingWebhookFetch(t.db, secret),
    apiSecret: secret,
    clock: () => new Date(NOW.getTime() - 3_600_000),
  });
  const customer = sandbox.createCustomer({
    shop: TEST_SHOP,
    email: "ada@example.com",
    firstName: "Ada",
    lastName: "L",
  });
  const order = sandbox.placeOrder({
    shop: TEST_SHOP,
    customer,
    lines: [{ variantId: tee.variants[0].id, quantity: 2 }],
    paid: true,
  });
  const shipment = sandbox.fulfil({ shop: TEST_SHOP, order, trackingCompany: "UPS", trackingNumber: "1Z43" });
  sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: shipment, status: "delivered" });
  await sandbox.flush();
  session.graphql = sandbox.graphqlClient(TEST_SHOP) as unknown as GraphqlFn;
  return { sandbox, order, admin: adminClient(sandbox.graphqlClient(TEST_SHOP)) };
}

async function shopperReturn() {
  const { returnsLookup, createShopperReturn } = await import("../services/returns/storefront.server");
  const deps = { db: t.db, secret, admin: async () => world.admin };
  const req = {
    shop: TEST_SHOP,
    clientIp: "203.0.113.8",
    loggedInCustomerId: null,
    params: new URLSearchParams({ order: world.order.name, email: "ada@example.com" }),
  };
  const found = (await returnsLookup(req, deps)).body as { token: string; lines: { id: string }[] };
  const answer = await createShopperReturn(
    { ...req, params: new URLSearchParams() },
    {
      token: found.token,
      key: "refusals-1",
      resolution: "refund",
      locale: "en",
      items: [{ lineItemId: found.lines[0].id, quantity: 1, reason: "too_small", exchangeVariantId: null }],
    },
    deps,
  );
  expect(answer.status).toBe(201);
  return t.db.returnCase.findFirstOrThrow({
    where: { number: (answer.body as { return: { number: string } }).return.number },
  });
}

interface Said {
  key: AdminMessageKey;
  values?: Record<string, string | number>;
}

async function post(route: { action: Action }, fields: Record<string, string | string[]>, id?: string) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  const request = new Request(`https://app.test/app/returns${id ? `/${id}` : ""}`, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  const response = await route.action({ request, params: id ? { id } : {}, context: {} } as never);
  return {
    status: response.status,
    body: (await response.json()) as {
      message: string;
      said: Said;
      detail?: string | null;
      firstFailure?: Said | null;
    },
  };
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  world = await build();
  const routes = await Promise.all([import("./app.returns._index"), import("./app.returns.$id")]);
  [desk, one] = routes as unknown as [{ action: Action }, { action: Action }];
  const { getReturnPolicy, saveReturnPolicy } = await import("../services/returns/policy.server");
  await saveReturnPolicy(t.db, TEST_SHOP, { ...(await getReturnPolicy(t.db, TEST_SHOP)), storefrontLookup: true });
});
afterAll(async () => {
  world?.sandbox.close();
  await t.drop();
  vi.useRealTimers();
});

describe("a refused step, in the admin's language", () => {
  it("answers a status refusal and a bad decline in words the page says in Japanese (English for logs)", async () => {
    const ret = await shopperReturn();
    const ja = translator("ja");
    expect(await post(one, { intent: "decline", reason: "FINAL_SALE", note: "" }, ret.id)).toMatchObject({
      status: 200,
    });
    const again = await post(one, { intent: "approve" }, ret.id);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/is declined and cannot be approved/);
    expect(again.body.said).toEqual({ key: "returnRefusal.wrongStatus.approve", values: { number: ret.number } });
    expect(again.body.detail).toBeNull();
    expect(ja(again.body.said.key, again.body.said.values)).toBe(
      `返品${ret.number}は現在のステータスでは承認できません。`,
    );

    const badReason = await post(one, { intent: "decline", reason: "BECAUSE", note: "" }, ret.id);
    expect(badReason.status).toBe(400);
    expect(ja(badReason.body.said.key)).toBe("返品をお断りする理由を選んでください。");

    // The desk's bulk approval: the first failure's reason in the admin's words, not spliced English.
    const bulk = await post(desk, { intent: "bulk_approve", ids: [ret.id] });
    expect(bulk.status).toBe(200);
    expect(bulk.body.said).toMatchObject({ key: "desk.approvedSomeFailed", values: { approved: 0, count: 1 } });
    expect(bulk.body.firstFailure).toEqual({
      key: "returnRefusal.wrongStatus.approve",
      values: { number: ret.number },
    });
    const nothing = await post(desk, { intent: "bulk_approve" });
    expect(nothing.status).toBe(400);
    expect(ja(nothing.body.said.key)).toBe("承認するリクエスト中の返品を1件以上選んでください。");
  });
});
