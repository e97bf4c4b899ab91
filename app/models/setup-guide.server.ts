/**
 * The setup guide's tables (StorefrontBlockSeen, SetupGuideState): the only module that reads or
 * writes them (docs/decisions/0024-setup-guide.md). Shop first, as every model.
 */
import type { Db } from "../db.server";

/** The storefront blocks whose use the guide watches; the names are the guide's, not the file names. */
export const STOREFRONT_BLOCKS = ["tracking", "returns", "loyalty", "contact"] as const;
export type StorefrontBlock = (typeof STOREFRONT_BLOCKS)[number];

/** Records that a block's app proxy request reached the app at `at` (never moves the time back). */
export async function recordBlockSeen(db: Db, shop: string, block: StorefrontBlock, at: Date) {
  await db.storefrontBlockSeen.upsert({
    where: { shop_block: { shop, block } },
    create: { shop, block, lastSeenAt: at },
    update: { lastSeenAt: at },
  });
}

/** The blocks seen at or after `since`. One read of the shop's (at most four) rows. */
export async function blocksSeenSince(db: Db, shop: string, since: Date): Promise<StorefrontBlock[]> {
  const rows = await db.storefrontBlockSeen.findMany({
    where: { shop, lastSeenAt: { gte: since } },
    select: { block: true },
  });
  return rows.map((r) => r.block as StorefrontBlock).filter((b) => STOREFRONT_BLOCKS.includes(b));
}

/** When the merchant dismissed the guide, or null when it shows. */
export async function setupGuideDismissedAt(db: Db, shop: string): Promise<Date | null> {
  const row = await db.setupGuideState.findUnique({ where: { shop }, select: { dismissedAt: true } });
  return row?.dismissedAt ?? null;
}

/** Dismisses the guide (a time) or brings it back (null). */
export async function setSetupGuideDismissedAt(db: Db, shop: string, dismissedAt: Date | null) {
  await db.setupGuideState.upsert({ where: { shop }, create: { shop, dismissedAt }, update: { dismissedAt } });
}

/** shop/redact: the shop's marks and its choice go with the rest of its data. */
export async function deleteShopSetupGuide(db: Db, shop: string) {
  await db.storefrontBlockSeen.deleteMany({ where: { shop } });
  await db.setupGuideState.deleteMany({ where: { shop } });
}
