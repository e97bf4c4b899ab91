import type { Session } from "@shopify/shopify-app-remix/server";

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
 * new installation is seen at once.
 */
export class CachedSessionStorage implements SessionStorage {
  static readonly TTL_MS = 5_000;
  private readonly cache = new Map<string, { at: number; session: Session }>();

  constructor(private readonly inner: SessionStorage, private readonly now: () => number = Date.now) {}

  async storeSession(session: Session): Promise<boolean> {
    this.cache.delete(session.id);
    return this.inner.storeSession(session);
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const hit = this.cache.get(id);
    const now = this.now();
    if (hit && now - hit.at < CachedSessionStorage.TTL_MS && hit.at <= now) return hit.session;
    const session = await this.inner.loadSession(id);
    if (session) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(id, { at: now, session });
    } else {
      this.cache.delete(id);
    }
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
