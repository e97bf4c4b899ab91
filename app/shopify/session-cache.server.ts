import type { Session } from "@shopify/shopify-app-remix/server";
import { LRUCache } from "lru-cache";

/** The storage interface shopifyApp() takes (the Prisma storage implements it). */
export interface SessionStorage {
  storeSession(session: Session): Promise<boolean>;
  loadSession(id: string): Promise<Session | undefined>;
  deleteSession(id: string): Promise<boolean>;
  deleteSessions(ids: string[]): Promise<boolean>;
  findSessionsByShop(shop: string): Promise<Session[]>;
}

/**
 * Keeps sessions read from storage for a few seconds. Every storefront request through the app
 * proxy loads the shop's offline session; on a busy storefront that is the same row read hundreds
 * of times a second, each read a Prisma query (compiled, then run) of its own. Writes and deletes
 * through this storage forget the entry at once; a session deleted elsewhere (the app/uninstalled
 * handler deletes rows directly) is forgotten within TTL_MS. Missing sessions are not kept, so a
 * new installation is seen at once. At most MAX_ENTRIES sessions are kept; the least recently read
 * goes first.
 */
export class CachedSessionStorage implements SessionStorage {
  static readonly TTL_MS = 5_000;
  static readonly MAX_ENTRIES = 10_000;
  private readonly cache: LRUCache<string, Session>;

  /** `now` is a monotonic clock in milliseconds (a wall clock set back would keep sessions longer). */
  constructor(
    private readonly inner: SessionStorage,
    now: () => number = () => performance.now(),
  ) {
    this.cache = new LRUCache({
      max: CachedSessionStorage.MAX_ENTRIES,
      ttl: CachedSessionStorage.TTL_MS,
      // Ask the clock on every read rather than lru-cache's once-per-millisecond memo, so an
      // injected clock is honoured at once.
      ttlResolution: 0,
      perf: { now },
    });
  }

  async storeSession(session: Session): Promise<boolean> {
    this.cache.delete(session.id);
    return this.inner.storeSession(session);
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const session = await this.inner.loadSession(id);
    if (session) this.cache.set(id, session);
    return session;
  }

  async deleteSession(id: string): Promise<boolean> {
    this.cache.delete(id);
    return this.inner.deleteSession(id);
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    for (const id of ids) this.cache.delete(id);
    return this.inner.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    return this.inner.findSessionsByShop(shop);
  }

  /** Forget every cached session (tests, and after a shop's data is deleted in this thread). */
  clear() {
    this.cache.clear();
  }
}
