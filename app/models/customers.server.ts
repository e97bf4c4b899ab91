import type { Db, Tx } from "../db.server";
import type { CustomerRecord } from "../webhooks/payloads";

import { newestEach, type ApplyResult } from "./orders.server";

export async function applyCustomer(db: Db, shop: string, c: CustomerRecord): Promise<ApplyResult> {
  return db.$transaction((tx) => applyCustomerTx(tx, shop, c));
}

/** applyCustomer inside the caller's transaction (the history import's batches). */
export async function applyCustomerTx(tx: Tx, shop: string, c: CustomerRecord): Promise<ApplyResult> {
  const existing = await tx.customer.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: c.shopifyId } },
    select: { id: true, shopifyUpdatedAt: true, redactedAt: true },
  });
  // A redacted customer stays redacted: a late or replayed webhook must not bring the data back.
  if (existing?.redactedAt) return "stale";
  if (existing) {
    if (existing.shopifyUpdatedAt && existing.shopifyUpdatedAt > c.shopifyUpdatedAt) return "stale";
    await tx.customer.update({ where: { id: existing.id }, data: c });
    return "updated";
  }
  await tx.customer.create({ data: { shop, ...c } });
  return "created";
}

/**
 * Many customers in the caller's transaction: those not mirrored yet inserted together, the
 * others through applyCustomerTx (newest wins, a redacted customer stays redacted).
 */
export async function applyCustomersTx(tx: Tx, shop: string, customers: CustomerRecord[]): Promise<void> {
  const records = newestEach(customers, (c) => c.shopifyUpdatedAt);
  if (records.length === 0) return;
  const stored = await tx.customer.findMany({ where: { shop, shopifyId: { in: records.map((c) => c.shopifyId) } } });
  const byId = new Map(stored.map((c) => [c.shopifyId, c]));
  const fresh = records.filter((c) => !byId.has(c.shopifyId));
  if (fresh.length > 0) await tx.customer.createMany({ data: fresh.map((c) => ({ shop, ...c })) });
  for (const c of records) {
    const row = byId.get(c.shopifyId);
    // A customer of many orders is stored already exactly so: applyCustomerTx would write the same.
    if (row && !sameCustomer(row, c)) await applyCustomerTx(tx, shop, c);
  }
}

/** The stored row holds exactly this record, unredacted (writing it again would change nothing). */
function sameCustomer(row: Record<string, unknown>, c: CustomerRecord): boolean {
  if (row.redactedAt) return false;
  return Object.entries(c).every(([key, value]) => {
    const held = row[key];
    return value instanceof Date && held instanceof Date ? value.getTime() === held.getTime() : value === held;
  });
}

export async function customerFirstName(
  db: Db,
  shop: string,
  customerShopifyId: string | null,
): Promise<string | null> {
  if (!customerShopifyId) return null;
  const c = await db.customer.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } },
    select: { firstName: true },
  });
  return c?.firstName ?? null;
}

/** The customer account (not redacted) with this email, as typed in lower case, or null. */
export async function findAccountByEmail(db: Db, shop: string, email: string) {
  return db.customer.findFirst({
    where: { shop, email: { equals: email.toLowerCase() }, redactedAt: null },
    select: { shopifyId: true },
  });
}

/** When the mirrored customer was redacted, or null when not mirrored. */
export async function findCustomerRedaction(db: Db, shop: string, customerShopifyId: string) {
  return db.customer.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } },
    select: { redactedAt: true },
  });
}

/** The locales of the customers `customerShopifyIds` that have one. */
export async function customerLocaleRows(db: Db, shop: string, customerShopifyIds: string[]) {
  return db.customer.findMany({
    where: { shop, shopifyId: { in: customerShopifyIds }, locale: { not: null } },
    select: { shopifyId: true, locale: true },
  });
}
