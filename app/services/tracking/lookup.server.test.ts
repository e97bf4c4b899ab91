import { afterEach, describe, expect, it, vi } from "vitest";

import type { Db } from "../../db.server";

import { forgetShopForLookups, SHOP_CACHE_MAX, SHOP_CACHE_TTL_MS, shopForLookups } from "./lookup.server";

/** The two reads shopForLookups makes, counted per shop. */
function countingDb() {
  const reads: string[] = [];
  const db = {
    trackingSettings: {
      async findUnique(args: { where: { shop: string } }) {
        reads.push(args.where.shop);
        return null;
      },
    },
    shop: {
      async findUnique() {
        return { name: "Maple Goods", ianaTimezone: "Asia/Seoul", currencyCode: "KRW", email: null };
      },
    },
  };
  return { db: db as unknown as Db, reads };
}

afterEach(() => {
  vi.restoreAllMocks();
  forgetShopForLookups();
});

describe("the shop cache of tracking lookups", () => {
  it("reads a shop's settings and profile once per SHOP_CACHE_TTL_MS, and again after", async () => {
    let clock = 1_000_000;
    vi.spyOn(performance, "now").mockImplementation(() => clock);
    const { db, reads } = countingDb();
    expect((await shopForLookups(db, "a.myshopify.com")).profile.timeZone).toBe("Asia/Seoul");
    clock += SHOP_CACHE_TTL_MS;
    await shopForLookups(db, "a.myshopify.com");
    expect(reads).toHaveLength(1);
    clock += 1;
    await shopForLookups(db, "a.myshopify.com");
    expect(reads).toHaveLength(2);
  });

  it("keeps at most SHOP_CACHE_MAX shops, dropping the least recently looked up, not the busy one", async () => {
    const { db, reads } = countingDb();
    await shopForLookups(db, "busy.myshopify.com");
    for (let i = 0; i < SHOP_CACHE_MAX; i++) {
      await shopForLookups(db, `quiet-${i}.myshopify.com`);
      await shopForLookups(db, "busy.myshopify.com");
    }
    expect(reads).toHaveLength(SHOP_CACHE_MAX + 1);
    await shopForLookups(db, "quiet-0.myshopify.com");
    expect(reads).toHaveLength(SHOP_CACHE_MAX + 2);
  });

  it("does not keep a failed read", async () => {
    const { db, reads } = countingDb();
    const profile = db.shop.findUnique;
    vi.spyOn(db.shop, "findUnique").mockRejectedValueOnce(new Error("database down")).mockImplementation(profile);
    await expect(shopForLookups(db, "b.myshopify.com")).rejects.toThrow("database down");
    expect((await shopForLookups(db, "b.myshopify.com")).profile.currencyCode).toBe("KRW");
    expect(reads).toHaveLength(2);
  });
});
