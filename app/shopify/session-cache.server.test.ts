import { describe, expect, it } from "vitest";
import { Session } from "@shopify/shopify-app-remix/server";

import { CachedSessionStorage, type SessionStorage } from "./session-cache.server";

/** A storage that counts its reads, standing in for the Prisma one. */
function countingStorage() {
  const rows = new Map<string, Session>();
  const storage: SessionStorage & { reads: number } = {
    reads: 0,
    async storeSession(s) {
      rows.set(s.id, s);
      return true;
    },
    async loadSession(id) {
      storage.reads++;
      return rows.get(id);
    },
    async deleteSession(id) {
      return rows.delete(id);
    },
    async deleteSessions(ids) {
      ids.forEach((id) => rows.delete(id));
      return true;
    },
    async findSessionsByShop(shop) {
      return [...rows.values()].filter((s) => s.shop === shop);
    },
  };
  return { storage, rows };
}

const session = (token: string, shop = "a.myshopify.com") =>
  new Session({ id: `offline_${shop}`, shop, state: "s", isOnline: false, accessToken: token });

describe("the session cache", () => {
  it("reads a session once per few seconds, and again after they pass", async () => {
    let now = 1_000_000;
    const { storage } = countingStorage();
    const cached = new CachedSessionStorage(storage, () => now);
    await cached.storeSession(session("t1"));
    for (let i = 0; i < 5; i++) expect((await cached.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("t1");
    expect(storage.reads).toBe(1);
    // Kept for TTL_MS (lru-cache: stale once older than its ttl), read again a moment later.
    now += CachedSessionStorage.TTL_MS;
    await cached.loadSession("offline_a.myshopify.com");
    expect(storage.reads).toBe(1);
    now += 1;
    await cached.loadSession("offline_a.myshopify.com");
    expect(storage.reads).toBe(2);
  });

  it("keeps at most MAX_ENTRIES sessions, dropping the least recently read, not the busy shop's", async () => {
    const now = 1_000_000;
    const { storage, rows } = countingStorage();
    const cached = new CachedSessionStorage(storage, () => now);
    const shops = Array.from({ length: CachedSessionStorage.MAX_ENTRIES + 1 }, (_, i) => `s${i}.myshopify.com`);
    for (const shop of shops) rows.set(`offline_${shop}`, session("t", shop));
    const busy = `offline_${shops[0]}`;
    for (const shop of shops) {
      await cached.loadSession(`offline_${shop}`);
      await cached.loadSession(busy);
    }
    expect(storage.reads).toBe(shops.length);
    // The busy shop stayed; the quietest one (read once, first after the busy shop) went.
    await cached.loadSession(busy);
    expect(storage.reads).toBe(shops.length);
    await cached.loadSession(`offline_${shops[1]}`);
    expect(storage.reads).toBe(shops.length + 1);
  });

  it("forgets at once what is stored or deleted through it, and never keeps a missing session", async () => {
    const { storage, rows } = countingStorage();
    const cached = new CachedSessionStorage(storage);
    expect(await cached.loadSession("offline_a.myshopify.com")).toBeUndefined();
    rows.set("offline_a.myshopify.com", session("t1"));
    expect((await cached.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("t1");
    await cached.storeSession(session("t2"));
    expect((await cached.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("t2");
    await cached.deleteSession("offline_a.myshopify.com");
    expect(await cached.loadSession("offline_a.myshopify.com")).toBeUndefined();
  });
});
