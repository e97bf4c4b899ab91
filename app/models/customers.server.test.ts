import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import type { CustomerRecord } from "../webhooks/payloads";

import { applyCustomerTx, applyCustomersTx } from "./customers.server";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 12, minute));

function customer(id: number, minute: number, changes: Partial<CustomerRecord> = {}): CustomerRecord {
  return {
    shopifyId: `gid://shopify/Customer/${id}`,
    email: `shopper${id}@example.com`,
    firstName: "Ada",
    lastName: `L${minute}`,
    phone: null,
    locale: "en",
    state: "enabled",
    tags: "vip",
    acceptsMarketing: minute % 2 === 0,
    shopifyCreatedAt: at(0),
    shopifyUpdatedAt: at(minute),
    ...changes,
  };
}

/** A shop's customers without what the app makes up (ids, its own times). */
async function customersOf(shop: string) {
  const rows = await t.db.customer.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } });
  return rows.map(({ id: _id, shop: _shop, createdAt: _c, updatedAt: _u, redactedAt, ...c }) => ({
    ...c,
    redacted: redactedAt !== null,
  }));
}

const REDACTED = { email: null, firstName: null, lastName: null, phone: null };

describe(`the customer mirror's batches (${process.env.TEST_DATABASE ?? "sqlite"})`, () => {
  const mixedBatch =
    "writes a batch of new and stored customers as the one-by-one writes would, a redacted one staying so";
  it(mixedBatch, async () => {
    const shops = ["batch-customers.myshopify.com", "one-customers.myshopify.com"];
    for (const shop of shops) {
      await t.db.$transaction(async (tx) => {
        await applyCustomerTx(tx, shop, customer(1, 5));
        await applyCustomerTx(tx, shop, customer(2, 5));
        await applyCustomerTx(tx, shop, customer(3, 9));
      });
      await t.db.customer.updateMany({
        where: { shop, shopifyId: "gid://shopify/Customer/1" },
        data: { ...REDACTED, redactedAt: new Date() },
      });
    }
    const batch = [
      customer(1, 7), // redacted: nothing comes back
      customer(2, 6, { tags: "vip, returns" }), // newer
      customer(3, 4, { email: "old@example.com" }), // older: changes nothing
      customer(4, 2), // new, twice: the newer wins
      customer(4, 8),
    ];
    await t.db.$transaction((tx) => applyCustomersTx(tx, shops[0], batch));
    await t.db.$transaction(async (tx) => {
      for (const c of [customer(1, 7), customer(2, 6, { tags: "vip, returns" }), customer(3, 4), customer(4, 8)]) {
        await applyCustomerTx(tx, shops[1], c);
      }
    });

    const rows = await customersOf(shops[0]);
    expect(rows).toEqual(await customersOf(shops[1]));
    const byId = new Map(rows.map((r) => [Number(r.shopifyId.split("/").pop()), r]));
    expect(byId.get(1)).toMatchObject({ ...REDACTED, redacted: true, shopifyUpdatedAt: at(5) });
    expect(byId.get(2)).toMatchObject({ tags: "vip, returns", shopifyUpdatedAt: at(6), acceptsMarketing: true });
    expect(byId.get(3)).toMatchObject({ email: "shopper3@example.com", shopifyUpdatedAt: at(9) });
    expect(byId.get(4)).toMatchObject({ lastName: "L8", shopifyUpdatedAt: at(8) });
  });

  it("leaves a customer stored exactly so untouched (a customer of many orders is in many batches)", async () => {
    const shop = "batch-same-customer.myshopify.com";
    await t.db.$transaction((tx) => applyCustomersTx(tx, shop, [customer(10, 3), customer(11, 3)]));
    const before = await t.db.customer.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await t.db.$transaction((tx) => applyCustomersTx(tx, shop, [customer(10, 3), customer(11, 3, { locale: "fr" })]));
    const after = await t.db.customer.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } });
    expect(after[0]).toEqual(before[0]);
    expect(after[1].locale).toBe("fr");
    expect(after[1].updatedAt.getTime()).toBeGreaterThan(before[1].updatedAt.getTime());
  });
});
