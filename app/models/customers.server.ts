import type { Db } from "../db.server";
import type { CustomerRecord } from "../webhooks/payloads";

import type { ApplyResult } from "./orders.server";

export async function applyCustomer(db: Db, shop: string, c: CustomerRecord): Promise<ApplyResult> {
  return db.$transaction(async (tx) => {
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
