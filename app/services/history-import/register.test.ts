/**
 * How an import gets going and finishes without anyone waiting: an install queues it (only the
 * first, or the first after an uninstall) and starts it in the background; the bulk_operations/finish
 * webhook applies its file; the periodic task does the same when that webhook is missed; shop/redact
 * erases the shop's imports. Shopify is the in-process sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { processingWebhookFetch } from "../../../tests/helpers/webhooks";
import { testSandbox, TEST_SHOP } from "../../../sandbox/engine/testing";
import { latestImport } from "../../models/history-import.server";
import { recordInstall } from "../record-install.server";
import { deleteShopData } from "../compliance.server";
import { recordShopUninstall } from "../../models/shop.server";
import type { WebhookContext } from "../../webhooks/handlers.server";
import type { GraphqlFn } from "../../shopify/admin.server";

import { settleImports } from "./background.server";
import { launchInBackground } from "./import.server";
import { advanceUnfinishedImports, onBulkOperationFinish, registerHistoryImport } from "./register.server";

const secret = process.env.SHOPIFY_API_SECRET!;
const NOW = new Date("2026-11-20T12:00:00Z");
let t: TestDatabase;
let world: ReturnType<typeof testSandbox>;

beforeAll(async () => {
  t = await createTestDatabase();
  world = testSandbox({ webhookFetch: processingWebhookFetch(t.db, secret), apiSecret: secret });
  registerHistoryImport({ clientFor });
  const { sandbox, mug } = world;
  for (let i = 0; i < 3; i++) {
    sandbox.placeOrder({
      shop: TEST_SHOP,
      email: `p${i}@example.com`,
      lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
      paid: true,
    });
  }
  await sandbox.flush();
});
afterAll(async () => {
  world.sandbox.close();
  await t.drop();
});

const graphql = () => world.sandbox.graphqlClient(TEST_SHOP);
const clientFor = async (shop: string) => ({
  graphql: world.sandbox.graphqlClient(shop),
  fetchResult: async (url: string) => world.sandbox.fetchBulkResult(url),
});
const finishContext = (bulkOperationId: string): WebhookContext => ({
  db: t.db,
  shop: TEST_SHOP,
  topic: "bulk_operations/finish",
  payload: { admin_graphql_api_id: bulkOperationId, status: "completed", type: "query", error_code: null },
  eventAt: NOW,
  now: NOW,
});

describe("the import's life without anyone waiting", () => {
  it("an install queues an import, starts it in the background, and the finish webhook applies it", async () => {
    const started: string[] = [];
    await recordInstall(t.db, graphql(), TEST_SHOP, "read_orders", { startImport: (id) => started.push(id), now: NOW });
    expect(started).toHaveLength(1);
    const queued = (await latestImport(t.db, TEST_SHOP))!;
    expect(queued).toMatchObject({ id: started[0], status: "queued", trigger: "install", windowDays: 90 });

    launchInBackground({ db: t.db, shop: TEST_SHOP, id: queued.id, graphql: graphql() });
    await expect.poll(async () => (await latestImport(t.db, TEST_SHOP))?.bulkOperationId).toBeTruthy();
    await world.sandbox.bulk.settle();
    const running = (await latestImport(t.db, TEST_SHOP))!;
    await onBulkOperationFinish(finishContext(running.bulkOperationId!), clientFor);
    await settleImports();
    expect(await latestImport(t.db, TEST_SHOP)).toMatchObject({ status: "completed", ordersImported: 3 });

    // Signing in again is no install: no second import.
    await recordInstall(t.db, graphql(), TEST_SHOP, "read_orders", { startImport: (id) => started.push(id), now: NOW });
    expect(started).toHaveLength(1);
  });

  it("a finish webhook for a bulk query that is not an import's changes nothing", async () => {
    const before = await latestImport(t.db, TEST_SHOP);
    await onBulkOperationFinish(finishContext("gid://shopify/BulkOperation/424242"), clientFor);
    await settleImports();
    expect(await latestImport(t.db, TEST_SHOP)).toEqual(before);
  });

  it("a reinstall after an uninstall imports again; the periodic task finishes it if no webhook comes", async () => {
    await recordShopUninstall(t.db, TEST_SHOP, new Date(Date.now() + 1000));
    const started: string[] = [];
    await recordInstall(t.db, graphql(), TEST_SHOP, "read_orders", { startImport: (id) => started.push(id), now: NOW });
    expect(started).toHaveLength(1);
    // Nobody starts it and the finish webhook is lost: the task starts it, then applies it.
    world.sandbox.webhooks.hold();
    expect(await advanceUnfinishedImports(t.db, clientFor)).toBe(1);
    for (let pass = 0; pass < 5 && (await latestImport(t.db, TEST_SHOP))!.status !== "completed"; pass++) {
      await settleImports();
      await world.sandbox.bulk.settle();
      await advanceUnfinishedImports(t.db, clientFor);
      await settleImports();
    }
    expect(await latestImport(t.db, TEST_SHOP)).toMatchObject({
      id: started[0],
      status: "completed",
      ordersImported: 3,
    });
    expect(await advanceUnfinishedImports(t.db, clientFor)).toBe(0);
    world.sandbox.webhooks.release();
    await world.sandbox.flush();
  });

  it("a failure to start shows on the import and never breaks the install", async () => {
    const other = "failing-install.myshopify.com";
    world.sandbox.createShop({ domain: other, name: "Failing", currency: "USD" });
    const failing: GraphqlFn = async (query, options) =>
      query.includes("bulkOperationRunQuery")
        ? new Response(JSON.stringify({ errors: [{ message: "Internal error" }] }), { status: 200 })
        : world.sandbox.graphqlClient(other)(query, options);
    const started: string[] = [];
    await recordInstall(t.db, failing, other, "read_orders", { startImport: (id) => started.push(id), now: NOW });
    launchInBackground({ db: t.db, shop: other, id: started[0], graphql: failing });
    await expect.poll(async () => (await latestImport(t.db, other))?.status).toBe("failed");
    expect((await latestImport(t.db, other))!.error).toContain("Internal error");
  });

  it("shop/redact erases the shop's imports", async () => {
    await deleteShopData(t.db, TEST_SHOP, NOW);
    expect(await latestImport(t.db, TEST_SHOP)).toBeNull();
  });
});
