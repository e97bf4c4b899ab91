/**
 * "This block is at work on the storefront": each storefront block's app proxy requests mark it
 * seen for the shop, so the setup guide can tick "Add the … block" from what really happens rather
 * than from a checkbox. The storefront's hot paths (the tracking lookup above all) must stay as
 * cheap as they are, so a process writes a block's mark at most once an hour and otherwise only
 * reads a map in memory: no query on the request. A failed write never fails the shopper's request.
 */
import { LRUCache } from "lru-cache";

import type { Db } from "../../db.server";
import { recordBlockSeen, type StorefrontBlock } from "../../models/setup-guide.server";

/** How often one process writes a block's mark; far shorter than the guide's 30-day window. */
export const BLOCK_SEEN_WRITE_EVERY_MS = 3_600_000;

// shop + block -> when this process last wrote the mark (ms). Bounded: a busy host with many
// shops forgets its oldest entries and at worst writes one of them again.
const lastWritten = new LRUCache<string, number>({ max: 20_000 });

/**
 * Marks `block` seen for `shop` at `now`, unless this process did so less than an hour before.
 * Awaited by the caller: at most one small upsert an hour per shop and block.
 */
export async function noteBlockSeen(
  db: Db,
  shop: string,
  block: StorefrontBlock,
  now: Date,
  log: (message: string, error?: unknown) => void = (m, e) => console.error(`[setup-guide] ${m}`, e ?? ""),
): Promise<void> {
  const key = `${shop}\n${block}`;
  const last = lastWritten.get(key);
  if (last !== undefined && now.getTime() - last < BLOCK_SEEN_WRITE_EVERY_MS && now.getTime() >= last) return;
  // Taken before the write, so requests arriving meanwhile do not write as well.
  lastWritten.set(key, now.getTime());
  try {
    await recordBlockSeen(db, shop, block, now);
  } catch (error) {
    lastWritten.delete(key);
    log(`could not record that the ${block} block was used on ${shop}`, error);
  }
}

/** Tests: forget what this process wrote, as a fresh process would. */
export function forgetBlockSeenWrites() {
  lastWritten.clear();
}
