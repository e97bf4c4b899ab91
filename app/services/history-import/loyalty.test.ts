/**
 * Points for past orders (decision 0022): with the merchant's switch on, a paid order earns exactly
 * once whether it arrives as a live orders/paid, in an import, or both, and however many imports
 * run; with it off, an import earns nothing. Loyalty's own earning code and settings are used.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { processingWebhookFetch } from "../../../tests/helpers/webhooks";
import { testSandbox, TEST_SHOP } from "../../../sandbox/engine/testing";
import { saveLoyaltySettings } from "../loyalty/settings.server";
import { registerLoyalty } from "../loyalty/register.server";
import type { Db } from "../../db.server";

import { advanceHistoryImport, startHistoryImport } from "./import.server";

const secret = process.env.SHOPIFY_API_SECRET!;
const opened: TestDatabase[] = [];

async function loyaltyShop() {
  const t = await createTestDatabase();
  opened.push(t);
  await t.db.shop.create({ data: { domain: TEST_SHOP, currencyCode: "USD" } });
  const saved = await saveLoyaltySettings(t.db, TEST_SHOP, { enabled: true, pointsPerUnit: 1, pendingDays: 0 });
  expect(saved.ok).toBe(true);
  return t;
}

beforeAll(() => registerLoyalty());
afterAll(async () => {
  for (const t of opened) await t.drop();
});

async function importAll(db: Db, sandbox: ReturnType<typeof testSandbox>["sandbox"], earnPoints: boolean) {
  const deps = {
    db,
    graphql: sandbox.graphqlClient(TEST_SHOP),
    fetchResult: async (url: string) => sandbox.fetchBulkResult(url),
  };
  const row = await startHistoryImport(deps, TEST_SHOP, { trigger: "merchant", windowDays: 36500, earnPoints });
  await sandbox.bulk.settle();
  expect(await advanceHistoryImport(deps, TEST_SHOP, row.id)).toBe("completed");
}

const earnings = (db: Db) => db.loyaltyLedgerEntry.findMany({ where: { shop: TEST_SHOP, kind: "earn_order" } });

describe("points for past orders", () => {
  it("with the switch on, a paid order earns once across a live webhook and two imports", async () => {
    const t = await loyaltyShop();
    const { sandbox, mug, tee } = testSandbox({
      webhookFetch: processingWebhookFetch(t.db, secret),
      apiSecret: secret,
    });
    const ada = sandbox.createCustomer({ shop: TEST_SHOP, email: "ada@example.com", firstName: "Ada", lastName: "L" });
    // Live: orders/paid reaches the app and earns.
    const live = sandbox.placeOrder({
      shop: TEST_SHOP,
      customer: ada,
      lines: [{ variantId: mug.variants[0].id, quantity: 2 }],
      paid: false,
    });
    sandbox.payOrder({ shop: TEST_SHOP, order: live });
    await sandbox.flush();
    expect(await earnings(t.db)).toHaveLength(1);
    // Past: placed while the app heard nothing (webhooks lost), so only an import can earn for it.
    sandbox.webhooks.hold();
    sandbox.placeOrder({
      shop: TEST_SHOP,
      customer: ada,
      lines: [{ variantId: tee.variants[0].id, quantity: 1 }],
      paid: true,
    });
    sandbox.placeOrder({
      shop: TEST_SHOP,
      customer: ada,
      lines: [{ variantId: tee.variants[1].id, quantity: 1 }],
      paid: false,
    });

    await importAll(t.db, sandbox, true);
    await importAll(t.db, sandbox, true);
    const earned = await earnings(t.db);
    // Two paid orders, one entry each; the unpaid one earns nothing.
    expect(earned).toHaveLength(2);
    expect(new Set(earned.map((e) => e.memberId)).size).toBe(1);
    const member = await t.db.loyaltyMember.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(member.points).toBe(earned.reduce((sum, e) => sum + e.points, 0));
    sandbox.close();
  });

  it("with the switch off, an import earns nothing", async () => {
    const t = await loyaltyShop();
    const { sandbox, mug } = testSandbox({ webhookFetch: processingWebhookFetch(t.db, secret), apiSecret: secret });
    sandbox.webhooks.hold();
    const bob = sandbox.createCustomer({ shop: TEST_SHOP, email: "bob@example.com", firstName: "Bob", lastName: "K" });
    sandbox.placeOrder({
      shop: TEST_SHOP,
      customer: bob,
      lines: [{ variantId: mug.variants[0].id, quantity: 3 }],
      paid: true,
    });
    await importAll(t.db, sandbox, false);
    expect(await t.db.order.count({ where: { shop: TEST_SHOP } })).toBe(1);
    expect(await earnings(t.db)).toHaveLength(0);
    expect(await t.db.loyaltyMember.count({ where: { shop: TEST_SHOP } })).toBe(0);
    sandbox.close();
  });
});
