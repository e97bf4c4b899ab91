import type { Db, Tx } from "../db.server";
import type { CustomerRecord } from "../webhooks/payloads";
import { greetingName } from "../domain/shared/greeting";

import { excluded, newRowId, stored, takeAll, upsertRows, type Upsert } from "./batch-sql.server";
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

/** Every column a customer record writes, checked complete by the compiler. */
const CUSTOMER_FIELDS: Record<keyof CustomerRecord, true> = {
  shopifyId: true,
  email: true,
  firstName: true,
  lastName: true,
  phone: true,
  locale: true,
  state: true,
  tags: true,
  acceptsMarketing: true,
  shopifyCreatedAt: true,
  shopifyUpdatedAt: true,
};
const CUSTOMER_COLUMNS = Object.keys(CUSTOMER_FIELDS) as (keyof CustomerRecord)[];

/**
 * Customers as applyCustomerTx writes them: new ones inserted; a stored one replaced unless it was
 * redacted (it stays so) or holds a newer snapshot, and left alone when it holds exactly this record
 * already (a customer of many orders appears in many batches).
 */
const STORED_UPDATED_AT = stored("Customer", "shopifyUpdatedAt");
const CUSTOMERS_UPSERT: Upsert = {
  table: "Customer",
  columns: ["id", "shop", ...CUSTOMER_COLUMNS, "createdAt", "updatedAt"],
  conflict: ["shop", "shopifyId"],
  set: { ...takeAll(CUSTOMER_COLUMNS, ["shopifyId"]), updatedAt: excluded("updatedAt") },
  where: [
    `${stored("Customer", "redactedAt")} IS NULL`,
    `(${STORED_UPDATED_AT} IS NULL OR ${STORED_UPDATED_AT} <= ${excluded("shopifyUpdatedAt")})`,
    `(${CUSTOMER_COLUMNS.map((c) => `${stored("Customer", c)} IS DISTINCT FROM ${excluded(c)}`).join(" OR ")})`,
  ].join(" AND "),
};

/**
 * Many customers in the caller's transaction, each with the outcome applyCustomerTx would give it
 * (newest wins, a redacted customer stays redacted), new and stored ones alike in one statement
 * (batch-sql.server.ts).
 */
export async function applyCustomersTx(tx: Tx, shop: string, customers: CustomerRecord[]): Promise<void> {
  const records = newestEach(customers, (c) => c.shopifyUpdatedAt);
  const now = new Date();
  await upsertRows(
    tx,
    CUSTOMERS_UPSERT,
    records.map((c) => [newRowId(), shop, ...CUSTOMER_COLUMNS.map((k) => c[k]), now, now]),
  );
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
  // A checkout's placeholder ("Guest") is no name to greet anyone by.
  return greetingName(c?.firstName);
}

/** A mirrored customer's email (not redacted), lower-cased, or null: where a signed-in shopper's chat continues. */
export async function customerEmail(db: Db, shop: string, customerShopifyId: string): Promise<string | null> {
  const c = await db.customer.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } },
    select: { email: true, redactedAt: true },
  });
  return c && !c.redactedAt && c.email ? c.email.trim().toLowerCase() : null;
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
