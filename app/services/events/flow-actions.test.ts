/**
 * Flow's actions, called by the sandbox the way a workflow step calls them (a signed POST of
 * Flow's request shape): points booked once per run, a return approved by its number, and bad
 * signatures or input answered with a status and a message Flow shows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { processingWebhookFetch } from "../../../tests/helpers/webhooks";
import { testSandbox, TEST_SHOP } from "../../../sandbox/engine/testing";
import { adminClient } from "../../shopify/admin.server";
import { memberForCustomer } from "../loyalty/members.server";
import { balanceOf } from "../loyalty/ledger.server";

import { runFlowAction } from "./flow-actions.server";

const SHOP = TEST_SHOP;
const secret = process.env.SHOPIFY_API_SECRET!;
const NOW = new Date("2026-06-01T12:00:00Z");
let t: TestDatabase;
// Webhooks go through the real intake into whichever database the test uses now.
const world = testSandbox({
  apiSecret: secret,
  webhookFetch: async (request) => processingWebhookFetch(t.db, secret)(request),
});

/** The app's action endpoint in-process: what the route does with the request Flow sends. */
const appFetch = (async (url: URL | string, init?: RequestInit) => {
  const handle = new URL(url).pathname.split("/").at(-1)!;
  const headers = new Headers(init?.headers);
  const answer = await runFlowAction(
    { db: t.db, secret, now: NOW, adminFor: async (shop) => adminClient(world.sandbox.graphqlClient(shop)) },
    handle,
    String(init?.body),
    headers.get("X-Shopify-Hmac-Sha256"),
  );
  return new Response(JSON.stringify(answer.body), { status: answer.status });
}) as typeof fetch;

const run = (handle: string, properties: Record<string, unknown>, actionRunId?: string) =>
  world.sandbox.flow.runAction({ shop: SHOP, handle, properties, actionRunId, fetchFn: appFetch });

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.shop.create({ data: { domain: SHOP, currencyCode: "USD", name: "Sandbox Test" } });
});
afterAll(() => t.drop());

describe("Flow actions", () => {
  it("adds and removes points with a reason, once per workflow run", async () => {
    const member = await memberForCustomer(t.db, SHOP, "gid://shopify/Customer/42", "lin@example.com");
    const added = await run(
      "aftercare-adjust-points",
      { customer_id: 42, points: 25, reason: "Left a review" },
      "run-1",
    );
    expect(added).toMatchObject({ status: 200, body: { message: "Booked 25 points." } });
    expect(added.request).toMatchObject({
      shopify_domain: SHOP,
      handle: "aftercare-adjust-points",
      action_run_id: "run-1",
    });
    // Flow retrying the same step books nothing more.
    expect(
      (await run("aftercare-adjust-points", { customer_id: 42, points: 25, reason: "Left a review" }, "run-1")).status,
    ).toBe(200);
    await run("aftercare-adjust-points", { customer_id: 42, points: -5, reason: "Review removed" }, "run-2");
    expect((await balanceOf(t.db, SHOP, member.id, NOW))?.total).toBe(20);
    const history = await t.db.loyaltyLedgerEntry.findMany({
      where: { memberId: member.id },
      orderBy: { points: "desc" },
    });
    expect(history.map((e) => [e.points, e.reason, e.actor])).toEqual([
      [25, "Left a review", "Shopify Flow"],
      [-5, "Review removed", "Shopify Flow"],
    ]);
  });

  it("answers bad input with a 4xx and a message, and books nothing", async () => {
    expect(await run("aftercare-adjust-points", { customer_id: 42, points: 1.5, reason: "Half" })).toMatchObject({
      status: 422,
      body: { message: expect.stringMatching(/whole number/) },
    });
    expect(await run("aftercare-adjust-points", { customer_id: 999, points: 5, reason: "Nobody" })).toMatchObject({
      status: 422,
      body: { message: "Customer 999 is not a member of the loyalty program." },
    });
    expect(await run("aftercare-adjust-points", { customer_id: 42, points: -500, reason: "Too many" })).toMatchObject({
      status: 422,
      body: { message: expect.stringMatching(/below zero/) },
    });
    expect(await run("aftercare-approve-return", { return_number: "9999-R1" })).toMatchObject({
      status: 422,
      body: { message: "There is no return 9999-R1 in Aftercare." },
    });
  });

  it("approves and declines returns by their number, in Aftercare and in Shopify", async () => {
    const { sandbox, mug, candle } = world;
    const lin = sandbox.createCustomer({ shop: SHOP, email: "lin@example.com", state: "ENABLED" });
    const orders = [mug, candle].map((product) => {
      const order = sandbox.placeOrder({
        shop: SHOP,
        customer: lin.id,
        lines: [{ variantId: product.variants[0].id, quantity: 1 }],
        paid: true,
      });
      sandbox.fulfil({ shop: SHOP, order: order.id, trackingCompany: "UPS", trackingNumber: `1Z${order.id}` });
      return sandbox.requestReturn({ shop: SHOP, order: order.id });
    });
    await sandbox.flush();
    const cases = await t.db.returnCase.findMany({ where: { shop: SHOP }, orderBy: { number: "asc" } });
    expect(cases).toHaveLength(2);
    const approved = await run("aftercare-approve-return", { return_number: cases[0].number });
    expect(approved).toMatchObject({ status: 200, body: { message: `Return ${cases[0].number} approved.` } });
    const declined = await run("aftercare-decline-return", {
      return_number: cases[1].number,
      reason: "FINAL_SALE",
      note: "",
    });
    expect(declined.status).toBe(200);
    const after = await t.db.returnCase.findMany({ where: { shop: SHOP }, orderBy: { number: "asc" } });
    expect(after.map((c) => c.status)).toEqual(["approved", "declined"]);
    const inShopify = orders.map(
      (r) =>
        sandbox.state
          .shop(SHOP)
          .orders.flatMap((o) => o.returns)
          .find((x) => x.id === r.id)?.status,
    );
    expect(inShopify).toEqual(["open", "declined"]);
    expect(
      await run("aftercare-decline-return", { return_number: cases[0].number, reason: "NOT_A_REASON" }),
    ).toMatchObject({ status: 422 });
  });

  it("refuses a request Shopify did not sign", async () => {
    const body = JSON.stringify({
      shopify_domain: SHOP,
      action_run_id: "x",
      handle: "aftercare-adjust-points",
      properties: {},
    });
    const deps = { db: t.db, secret, now: NOW, adminFor: async () => adminClient(world.sandbox.graphqlClient(SHOP)) };
    expect(await runFlowAction(deps, "aftercare-adjust-points", body, null)).toMatchObject({ status: 401 });
    expect(await runFlowAction(deps, "aftercare-adjust-points", body, "bm90IHRoZSBzaWduYXR1cmU=")).toMatchObject({
      status: 401,
    });
  });
});
