import { describe, expect, it } from "vitest";

import type { Db } from "../../db.server";

import { HISTORY_CACHE_MAX, HISTORY_TTL_MS, transitHistory } from "./shipments.server";

/** Just the read transitHistory makes, counted; every carrier and country has five 3-day deliveries. */
function countingDb() {
  const reads: string[] = [];
  const db = {
    shipmentTracking: {
      async findMany(args: { where: { shop: string; destinationCountry: string | null } }) {
        reads.push(`${args.where.shop}|${args.where.destinationCountry}`);
        return Array.from({ length: 5 }, () => ({ transitBusinessDays: 3 }));
      },
    },
  };
  return { db: db as unknown as Db, reads };
}

const at = (ms: number) => new Date(Date.UTC(2026, 5, 1) + ms);

describe("the transit history cache", () => {
  it("answers from memory for HISTORY_TTL_MS of the caller's clock, then reads again", async () => {
    const { db, reads } = countingDb();
    const first = await transitHistory(db, "ttl.myshopify.com", null, "KR", at(0));
    expect(first).toMatchObject({ scope: "country", stats: { samples: 5 } });
    expect(await transitHistory(db, "ttl.myshopify.com", null, "KR", at(HISTORY_TTL_MS))).toEqual(first);
    expect(reads).toHaveLength(1);
    await transitHistory(db, "ttl.myshopify.com", null, "KR", at(HISTORY_TTL_MS + 1));
    expect(reads).toHaveLength(2);
  });

  it("does not answer an earlier moment with history computed for a later one", async () => {
    const { db, reads } = countingDb();
    await transitHistory(db, "replay.myshopify.com", null, "JP", at(60_000));
    await transitHistory(db, "replay.myshopify.com", null, "JP", at(0));
    expect(reads).toHaveLength(2);
  });

  it("keeps at most HISTORY_CACHE_MAX entries, dropping the least recently used, not the busy one", async () => {
    const { db, reads } = countingDb();
    const now = at(0);
    await transitHistory(db, "busy.myshopify.com", null, "US", now);
    for (let i = 0; i < HISTORY_CACHE_MAX; i++) {
      await transitHistory(db, `quiet-${i}.myshopify.com`, null, "US", now);
      await transitHistory(db, "busy.myshopify.com", null, "US", now);
    }
    expect(reads).toHaveLength(HISTORY_CACHE_MAX + 1);
    // The first quiet shop was the least recently used when the cache was full.
    await transitHistory(db, "quiet-0.myshopify.com", null, "US", now);
    expect(reads).toHaveLength(HISTORY_CACHE_MAX + 2);
    await transitHistory(db, `quiet-${HISTORY_CACHE_MAX - 1}.myshopify.com`, null, "US", now);
    expect(reads).toHaveLength(HISTORY_CACHE_MAX + 2);
  });
});
