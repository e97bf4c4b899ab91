/**
 * Reconciliation's table (ReconciliationState): the only module that reads or writes it. One row
 * per shop: the cursor (how far Shopify's updated orders have been read), the lease of a running
 * pass, and what the last pass found missing from the mirror. Shop first, as every model.
 */
import type { Db } from "../db.server";

export interface ReconciliationCounts {
  ordersSeen: number;
  ordersCreated: number;
  ordersUpdated: number;
  shipmentsFound: number;
  scansFound: number;
  refundsFound: number;
  returnsFound: number;
}

export const ZERO_COUNTS: ReconciliationCounts = {
  ordersSeen: 0,
  ordersCreated: 0,
  ordersUpdated: 0,
  shipmentsFound: 0,
  scansFound: 0,
  refundsFound: 0,
  returnsFound: 0,
};

export const findReconciliation = (db: Db, shop: string) => db.reconciliationState.findUnique({ where: { shop } });

/**
 * Takes the shop's pass lease until `until` unless another process holds it; returns the row as it
 * was before (its cursor is where this pass starts), or null when another pass is running.
 */
export async function claimReconciliation(db: Db, shop: string, now: Date, until: Date, trigger: string) {
  try {
    await db.reconciliationState.upsert({ where: { shop }, create: { shop }, update: {} });
  } catch (error) {
    // Two processes created the row at once: it exists now, which is all that was wanted.
    if ((error as { code?: string }).code !== "P2002") throw error;
  }
  const before = await db.reconciliationState.findUniqueOrThrow({ where: { shop } });
  const { count } = await db.reconciliationState.updateMany({
    where: { shop, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { leaseUntil: until, lastStartedAt: now, lastTrigger: trigger },
  });
  return count === 1 ? before : null;
}

/** A finished pass: the new cursor, its counts, the lease let go. */
export async function finishReconciliation(
  db: Db,
  shop: string,
  data: { cursor: Date; finishedAt: Date; counts: ReconciliationCounts },
) {
  await db.reconciliationState.update({
    where: { shop },
    data: { cursor: data.cursor, lastFinishedAt: data.finishedAt, lastError: null, leaseUntil: null, ...data.counts },
  });
}

/** A failed pass keeps the old cursor (the next pass reads the same orders again) and says why. */
export async function failReconciliation(db: Db, shop: string, error: string, at: Date, counts: ReconciliationCounts) {
  await db.reconciliationState.update({
    where: { shop },
    data: { lastError: error.slice(0, 1000), lastFinishedAt: at, leaseUntil: null, ...counts },
  });
}

export async function deleteShopReconciliation(db: Db, shop: string) {
  await db.reconciliationState.deleteMany({ where: { shop } });
}
