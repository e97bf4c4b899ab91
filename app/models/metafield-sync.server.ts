/**
 * The customer metafields' outbox (docs/decisions/0044): one row per loyalty member whose points
 * balance, tier or lifetime points changed since the metafields were last written. The mark is
 * made in the transaction of the change, so a committed change is always followed by a write and a
 * rolled-back one never is; repeated marks before a sync coalesce into the one row.
 */
import type { Db, Tx } from "../db.server";

import { rawExecute } from "./raw-sql.server";

/**
 * Marks a member's metafields to be written. A row already due keeps its time (so a member changed
 * again and again is still written within a few seconds of the first change, and one waiting out a
 * failure keeps its backoff); `changes` counts the marks so a sync never clears a newer one.
 */
export async function markMetafieldsDue(tx: Tx | Db, shop: string, memberId: string, now: Date): Promise<void> {
  await rawExecute(
    tx as Db,
    `INSERT INTO "MemberMetafieldSync" ("memberId", "shop", "changes", "dueAt", "attempts", "updatedAt")
     VALUES ({}, {}, 1, {}, 0, {})
     ON CONFLICT ("memberId") DO UPDATE SET
       "changes" = "MemberMetafieldSync"."changes" + 1,
       "dueAt" = COALESCE("MemberMetafieldSync"."dueAt", excluded."dueAt"),
       "updatedAt" = excluded."updatedAt"`,
    [memberId, shop, now, now],
  );
}

export interface DueMetafieldSync {
  memberId: string;
  shop: string;
  changes: number;
  attempts: number;
  sentValues: string | null;
}

/** Up to `limit` members due by `now`, oldest first, from the index on dueAt (never every member). */
export function dueMetafieldSyncs(db: Db, now: Date, limit: number): Promise<DueMetafieldSync[]> {
  return db.memberMetafieldSync.findMany({
    where: { dueAt: { lte: now } },
    orderBy: { dueAt: "asc" },
    take: limit,
    select: { memberId: true, shop: true, changes: true, attempts: true, sentValues: true },
  });
}

/**
 * Shopify holds `sentValues` for the member now. The row stops being due only if no change was
 * marked since it was read (`changes` unchanged); otherwise it stays due for the next run.
 */
export async function metafieldsWritten(db: Db, row: DueMetafieldSync, sentValues: string | null) {
  const { count } = await db.memberMetafieldSync.updateMany({
    where: { memberId: row.memberId, changes: row.changes },
    data: { dueAt: null, attempts: 0, lastError: null, sentValues },
  });
  if (count === 0)
    await db.memberMetafieldSync.updateMany({
      where: { memberId: row.memberId },
      data: { sentValues, attempts: 0, lastError: null },
    });
}

/** A failed write: tried again at `retryAt`, or parked (not due, the error kept) when that is null. */
export async function metafieldsFailed(db: Db, row: DueMetafieldSync, error: string, retryAt: Date | null) {
  await db.memberMetafieldSync.updateMany({
    where: { memberId: row.memberId },
    data: { dueAt: retryAt, attempts: { increment: 1 }, lastError: error.slice(0, 1000) },
  });
}

export async function deleteShopMetafieldSyncs(db: Db, shop: string) {
  await db.memberMetafieldSync.deleteMany({ where: { shop } });
}
